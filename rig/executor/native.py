"""A `Machine` that runs x86-64 code on the real CPU, in a ptrace'd child process.

The child is a tiny static ELF this module writes itself (`_elf`): one page at `BASE`
holding the code that makes it a tracee and a `syscall; int3` gadget.  Everything else the
kernel mapped (stack, vDSO, vvar) is unmapped through system calls injected at the gadget,
so the child's address space holds only what the rig maps (`NativeMachine.occupied` names
the rest, for the rig to keep clear of).

* Memory: map, unmap and protect are injected mmap / munmap / mprotect; bytes go through
  ``/proc/PID/mem`` (which writes read-only pages for a tracer).  The machine keeps its own
  table of regions, so that reads and writes of unmapped memory fail as on Unicorn.
* Registers: PTRACE_GETREGS / GETFPREGS, cached between stops, written back when changed.
* Host slots hold int3 bytes in the child (a Python shadow keeps what the rig wrote there):
  reaching one traps, and the rig serves it (`on_host`) or stops ("host").
* System calls stop at their entry (PTRACE_SYSEMU) and are never executed by the kernel:
  `on_syscall` answers them, or the run stops ("syscall").
* Faults and CPU exceptions become the `Stop`s Unicorn reports for the same code, the
  signal suppressed (the child has no handlers and lives on for the next run).
* Limits: the real CPU counts no instructions, so `budget` is not counted: a run given only
  a budget is bounded in time instead (``budget / 1e8`` seconds, at least 1 s) and stops as
  "budget"; `timeout` stops the child with SIGSTOP (a `Watchdog`) and the run as "timeout".

ptrace serves only the thread that started the tracee: a `NativeMachine` must be used from
the thread that made it (another thread gets an `ExecutorError`).
"""
from __future__ import annotations

import ctypes
import errno
import os
import platform
import signal
import struct
import sys
import threading
import time
from dataclasses import replace
from typing import Callable, Dict, List, Optional, Sequence, Tuple

from targets.base import Target

from ..errors import EmulationFault, ExecutorDied, ExecutorError
from ..watchdog import Watchdog
from .machine import Machine, Stop, perms_bits

PAGE = 0x1000
#: Where the child's own page (its ELF image: the tracee set-up and the syscall gadget) lives:
#: the bottom of the rig's x86-64 address space, which the rig reserves (`occupied`).
BASE = 0x10000

# ptrace requests and options (linux/ptrace.h, asm/ptrace-abi.h for x86-64)
PTRACE_CONT, PTRACE_KILL, PTRACE_SINGLESTEP = 7, 8, 9
PTRACE_GETREGS, PTRACE_SETREGS, PTRACE_GETFPREGS, PTRACE_SETFPREGS = 12, 13, 14, 15
PTRACE_SYSEMU, PTRACE_SYSEMU_SINGLESTEP = 31, 32
PTRACE_SETOPTIONS, PTRACE_GETSIGINFO = 0x4200, 0x4202
PTRACE_O_TRACESYSGOOD, PTRACE_O_EXITKILL = 0x1, 0x100000
_WALL = 0x40000000
#: si_code values (asm-generic/siginfo.h)
SI_KERNEL, SEGV_MAPERR, SEGV_ACCERR, TRAP_TRACE, FPE_INTDIV, FPE_INTOVF = 0x80, 1, 2, 2, 1, 2
_SYSCALL_STOP = signal.SIGTRAP | 0x80          # a syscall stop, with PTRACE_O_TRACESYSGOOD
_NR_MMAP, _NR_MPROTECT, _NR_MUNMAP = 9, 10, 11
_MAP_PRIVATE, _MAP_ANONYMOUS, _MAP_FIXED_NOREPLACE = 0x02, 0x20, 0x100000
_PROT_BITS = {"r": 1, "w": 2, "x": 4}
_INT3 = 0xCC
_MASK64 = (1 << 64) - 1


class _Regs(ctypes.Structure):
    """struct user_regs_struct (x86-64, sys/user.h), in the kernel's order."""
    _fields_ = [(n, ctypes.c_ulonglong) for n in (
        "r15", "r14", "r13", "r12", "rbp", "rbx", "r11", "r10", "r9", "r8", "rax", "rcx", "rdx", "rsi",
        "rdi", "orig_rax", "rip", "cs", "eflags", "rsp", "ss", "fs_base", "gs_base", "ds", "es", "fs", "gs")]


_GPR_FIELDS = {name for name, _ in _Regs._fields_} - {"orig_rax", "cs", "ss", "ds", "es", "fs", "gs"}
_XMM_OFFSET = 160           # in the 512-byte FXSAVE area (struct user_fpregs_struct)


# -- the child's image ---------------------------------------------------------------

#: The child's code, at BASE + 0x78 (after the ELF and program headers): ptrace(PTRACE_TRACEME),
#: then int3 (the first stop the rig waits for), or exit_group(errno) if ptrace failed.
_ENTRY = bytes.fromhex(
    "b865000000"        # mov eax, 101 (ptrace)
    "31ff31f631d24531d2"  # xor edi, edi; xor esi, esi; xor edx, edx; xor r10d, r10d
    "0f05"              # syscall
    "4885c0"            # test rax, rax
    "7501"              # jne fail
    "cc"                # int3: traced, stopped for the rig
    "f7d8"              # fail: neg eax
    "89c7"              # mov edi, eax
    "b8e7000000"        # mov eax, 231 (exit_group)
    "0f05")             # syscall
_GADGET_CODE = bytes.fromhex("0f05cc")    # syscall; int3: where the rig's own system calls run
_CODE_OFFSET = 0x78
ENTRY = BASE + _CODE_OFFSET
#: The `syscall` of the gadget; its int3 stops the child after the call.
GADGET = ENTRY + len(_ENTRY)


def _elf() -> bytes:
    """A static ELF64 executable: one read-execute PT_LOAD page at `BASE` (headers and code)."""
    code = _ENTRY + _GADGET_CODE
    size = _CODE_OFFSET + len(code)
    ehdr = struct.pack("<16sHHIQQQIHHHHHH", b"\x7fELF\x02\x01\x01" + bytes(9), 2, 62, 1, ENTRY, 64, 0, 0,
                       64, 56, 1, 0, 0, 0)
    phdr = struct.pack("<IIQQQQQQ", 1, 5, 0, BASE, BASE, size, size, PAGE)
    image = ehdr + phdr
    assert len(image) == _CODE_OFFSET
    return image + code


_image_fd: Optional[int] = None
_image_lock = threading.Lock()


def _image() -> int:
    """A memfd holding the child's ELF, made once per rig process (no file to clean up, and
    no noexec /tmp to trip over); close-on-exec, the child gets a copy (posix_spawn's dup2)."""
    global _image_fd
    with _image_lock:
        if _image_fd is None:
            fd = os.memfd_create("rig-native", os.MFD_CLOEXEC)
            os.write(fd, _elf())
            _image_fd = fd
        return _image_fd


# -- ptrace through libc -----------------------------------------------------------------

_libc = None


def _ptrace_fn():
    global _libc
    if _libc is None:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.ptrace.restype = ctypes.c_long
        libc.ptrace.argtypes = (ctypes.c_long, ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p)
        _libc = libc
    return _libc.ptrace


def _signame(sig: int) -> str:
    try:
        return signal.Signals(sig).name
    except ValueError:
        return f"signal {sig}"


def check_host(target: Target) -> None:
    """Raise `ExecutorError` unless this host can run `target`'s code natively."""
    machine = platform.machine().lower()
    if target.name != "x86_64":
        raise ExecutorError(f"the native executor runs x86_64 code on an x86-64 host; the target is "
                            f"{target.name}")
    if not sys.platform.startswith("linux") or machine not in ("x86_64", "amd64"):
        raise ExecutorError(f"the native executor runs x86_64 code on an x86-64 host; this host is "
                            f"{machine or 'unknown'} ({sys.platform})")


class NativeMachine(Machine):
    """A `Machine` whose code runs on this x86-64 CPU, in a ptrace'd child process.

    Behaves as `UnicornMachine` does, stop for stop (see the module's notes for what the real
    CPU cannot do the same: `budget` is a time bound).  `run` also takes `on_syscall`: called
    with the address of a `syscall` instruction, registers showing the number in "rax" and the
    arguments in rdi, rsi, rdx, r10, r8, r9; the callback writes the result to "rax" and the
    run goes on after the instruction.  Without it the run stops ("syscall")."""

    def __init__(self, target: Target):
        check_host(target)
        self.target = target
        self.pid = 0
        self._owner = threading.get_ident()       # the tracer thread (ptrace serves only it)
        self._mem_fd = -1
        self._dead: Optional[str] = None           # why the child is gone
        self._closed = False
        self._regions: List[List] = []             # sorted [start, end, perms]
        self._host = (0, 0)
        self._shadow = bytearray()                 # what the rig wrote in the host range
        self._bps: Dict[int, int] = {}             # temporary int3 -> the byte it covers
        self._regs: Optional[_Regs] = None         # the registers since the last stop (None: unread)
        self._regs_dirty = False
        self._fp: Optional[ctypes.Array] = None    # the FXSAVE area, likewise
        self._fp_dirty = False
        self._alarm_seen = False                   # this run's watchdog SIGSTOP was taken
        self._cs = None
        self._ptrace = _ptrace_fn()
        self._spawn()
        pid = self.pid
        self.watchdog = Watchdog(lambda: _sigstop(pid))

    # -- the child ---------------------------------------------------------------

    def _spawn(self) -> None:
        fd = _image()
        child_fd = 3 if fd != 3 else 4
        # posix_spawn, not fork: forking a threaded Python is unsafe, and the image makes itself
        # a tracee.  Its own process group: the terminal's ^C must not stop it.
        self.pid = os.posix_spawn(f"/proc/self/fd/{child_fd}", ["rig-native"], {},
                                  file_actions=[(os.POSIX_SPAWN_DUP2, fd, child_fd)], setpgroup=0,
                                  setsigmask=())
        _, status = os.waitpid(self.pid, _WALL)
        if not os.WIFSTOPPED(status) or os.WSTOPSIG(status) != signal.SIGTRAP:
            self.pid, pid = 0, self.pid
            if os.WIFEXITED(status):
                raise ExecutorError(f"the native executor's child could not become a tracee: "
                                    f"ptrace(PTRACE_TRACEME) failed with {os.strerror(os.WEXITSTATUS(status))}")
            raise ExecutorError(f"the native executor's child (pid {pid}) did not stop as expected "
                                f"(wait status {status:#x})")
        try:
            self._call(PTRACE_SETOPTIONS, 0, PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL)
            self._mem_fd = os.open(f"/proc/{self.pid}/mem", os.O_RDWR | os.O_CLOEXEC)
            # Leave the child only its own page: the rig places its sections anywhere else.
            for start, end, _name in self._maps():
                if start != BASE and end <= 1 << 47:
                    self._inject(_NR_MUNMAP, start, end - start)
            self._occupied = [(s, e) for s, e, _ in self._maps() if e <= 1 << 47]
            # The CPU as Unicorn starts it: every general register 0 (the image's own code left
            # return addresses in rcx and flags in r11).
            regs = self._gpr()
            for name in ("rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp", "r8", "r9", "r10", "r11",
                         "r12", "r13", "r14", "r15", "rip"):
                setattr(regs, name, 0)
            self._regs_dirty = True
        except BaseException:
            self.close()
            raise

    def _maps(self) -> List[Tuple[int, int, str]]:
        out = []
        with open(f"/proc/{self.pid}/maps") as f:
            for line in f:
                parts = line.split()
                a, b = parts[0].split("-")
                out.append((int(a, 16), int(b, 16), parts[5] if len(parts) > 5 else ""))
        return out

    def occupied(self) -> List[Tuple[int, int]]:
        """The ranges [start, end) the child holds itself (its image; whatever the kernel would
        not unmap): the rig must place nothing there."""
        return list(self._occupied)

    def _call(self, request: int, addr: int = 0, data=0) -> int:
        if threading.get_ident() != self._owner:
            raise ExecutorError("a NativeMachine is used from the thread that made it (ptrace serves "
                                "only the tracer thread)")
        r = self._ptrace(request, self.pid, addr, data)
        if r == -1:
            err = ctypes.get_errno()
            if err:
                if err == errno.ESRCH:
                    self._reap_if_dead()
                self._check_alive()
                raise ExecutorError(f"ptrace request {request:#x} on pid {self.pid}: {os.strerror(err)}")
        return r

    def _reap_if_dead(self) -> None:
        """After ESRCH: if the child ended (killed from outside), reap it: `ExecutorDied`."""
        for _ in range(100):           # a SIGKILLed child takes a moment to become a zombie
            pid, status = os.waitpid(self.pid, _WALL | os.WNOHANG)
            if pid:
                self._died(status)
            time.sleep(0.01)

    def _died(self, status: int) -> None:
        if os.WIFSIGNALED(status):
            sig = os.WTERMSIG(status)
            why = f"the native executor's child (pid {self.pid}) was killed by signal {sig} ({_signame(sig)})"
        else:
            why = f"the native executor's child (pid {self.pid}) exited with status {os.WEXITSTATUS(status)}"
        self._dead = why
        self._close_fd()
        raise ExecutorDied(why)

    def _check_alive(self) -> None:
        if self._closed:
            raise ExecutorError("the native machine is closed")
        if self._dead is not None:
            raise ExecutorDied(self._dead)

    def _resume(self, request: int) -> None:
        """Write back changed registers, then let the child go (`request`), no signal delivered."""
        self._check_alive()
        if self._regs_dirty:
            self._call(PTRACE_SETREGS, 0, ctypes.addressof(self._regs))
        if self._fp_dirty:
            self._call(PTRACE_SETFPREGS, 0, ctypes.addressof(self._fp))
        self._regs_dirty = self._fp_dirty = False
        self._regs = self._fp = None
        self._call(request, 0, 0)

    def _wait(self) -> int:
        """Wait for the next stop; its signal (SIGTRAP|0x80 for a syscall stop).  A child that
        ended is `ExecutorDied`; a stray watchdog SIGSTOP is swallowed by the caller."""
        try:
            _, status = os.waitpid(self.pid, _WALL)
        except BaseException:
            # Interrupted (^C): the child may be running on; it cannot be trusted any more.
            self._kill("interrupted while the child ran")
            raise
        if os.WIFSTOPPED(status):
            return os.WSTOPSIG(status)
        self._died(status)

    def _siginfo(self) -> Tuple[int, int, int]:
        """(si_signo, si_code, si_addr) of the current signal-delivery stop."""
        buf = ctypes.create_string_buffer(128)
        self._call(PTRACE_GETSIGINFO, 0, ctypes.addressof(buf))
        signo, _errno, code = struct.unpack_from("<iii", buf.raw, 0)
        (addr,) = struct.unpack_from("<Q", buf.raw, 16)
        return signo, code, addr

    def _inject(self, nr: int, *args: int) -> int:
        """Run system call `nr` in the child, at the gadget; its result (negative: -errno).
        The guest's registers are kept (cached, written back before it runs again)."""
        guest = self._gpr()
        regs = _Regs.from_buffer_copy(guest)
        regs.rax, regs.rip, regs.orig_rax = nr, GADGET, _MASK64
        for name, value in zip(("rdi", "rsi", "rdx", "r10", "r8", "r9"), args):
            setattr(regs, name, value & _MASK64)
        self._call(PTRACE_SETREGS, 0, ctypes.addressof(regs))
        fp, fp_dirty = self._fp, self._fp_dirty
        while True:
            self._call(PTRACE_CONT, 0, 0)
            sig = self._wait()
            if sig == signal.SIGTRAP:
                break
            if sig != signal.SIGSTOP and sig != _SYSCALL_STOP:
                raise ExecutorError(f"the native executor's system call {nr} stopped with {_signame(sig)}")
        self._call(PTRACE_GETREGS, 0, ctypes.addressof(regs))
        result = regs.rax - (1 << 64) if regs.rax >> 63 else regs.rax
        # The guest's registers go back in before it runs (its FP registers never changed).
        self._regs, self._regs_dirty = guest, True
        self._fp, self._fp_dirty = fp, fp_dirty
        return result

    # -- memory ------------------------------------------------------------------

    def _overlaps(self, start: int, end: int) -> bool:
        return any(s < end and start < e for s, e, _ in self._regions) or \
            any(s < end and start < e for s, e in self._occupied)

    def _covered(self, start: int, end: int) -> bool:
        """Whether every byte of [start, end) is in a mapped region."""
        at = start
        for s, e, _ in self._regions:
            if e <= at:
                continue
            if s > at:
                return False
            at = e
            if at >= end:
                return True
        return at >= end

    def _set_perms(self, start: int, end: int, perms: Optional[str]) -> None:
        """The region table with [start, end) cut out, then (`perms` given) put back with them."""
        out = []
        for s, e, p in self._regions:
            if e <= start or s >= end:
                out.append([s, e, p])
                continue
            if s < start:
                out.append([s, start, p])
            if e > end:
                out.append([end, e, p])
        if perms is not None:
            out.append([start, end, perms])
        self._regions = sorted(out)

    @staticmethod
    def _aligned(start: int, size: int) -> bool:
        return start % PAGE == 0 and size % PAGE == 0 and size > 0

    def map(self, start: int, size: int, perms: str, data: Optional[bytes] = None) -> None:
        """Map fresh zeroed pages with `perms` (an injected mmap), holding `data` from `start`."""
        perms = _norm(perms)
        if data is not None and len(data) > size:
            raise EmulationFault(f"map of {size:#x} bytes at {start:#x}: {len(data):#x} bytes of contents "
                                 f"do not fit", kind="unmapped", address=start)
        if not self._aligned(start, size):
            raise EmulationFault(f"cannot map {size:#x} bytes at {start:#x}: Invalid argument (UC_ERR_ARG)",
                                 kind="unmapped", address=start)
        if self._overlaps(start, start + size):
            raise EmulationFault(f"cannot map {size:#x} bytes at {start:#x}: Invalid memory mapping (UC_ERR_MAP)",
                                 kind="unmapped", address=start)
        got = self._inject(_NR_MMAP, start, size, _prot(perms), _MAP_PRIVATE | _MAP_ANONYMOUS | _MAP_FIXED_NOREPLACE,
                           -1, 0)
        if got != start:
            if got >= 0:
                self._inject(_NR_MUNMAP, got, size)
            why = os.strerror(-got) if got < 0 else f"the kernel placed it at {got:#x}"
            raise EmulationFault(f"cannot map {size:#x} bytes at {start:#x}: {why}", kind="unmapped",
                                 address=start)
        self._set_perms(start, start + size, perms)
        lo, hi = self._host
        if lo < start + size and start < hi:
            # fresh pages: the shadow's bytes there are zeros now, the child's int3s
            a, b = max(start, lo), min(start + size, hi)
            self._shadow[a - lo:b - lo] = bytes(b - a)
            self._refresh_host(a, b)
        if data:
            self.write(start, data)

    def unmap(self, start: int, size: int) -> None:
        """Unmap pages (an injected munmap)."""
        self._check_range("unmap", start, size)
        self._syscall_ok(self._inject(_NR_MUNMAP, start, size), "unmap", start, size)
        self._set_perms(start, start + size, None)

    def protect(self, start: int, size: int, perms: str) -> None:
        """Set the permissions of mapped pages (an injected mprotect)."""
        perms = _norm(perms)
        self._check_range("protect", start, size)
        self._syscall_ok(self._inject(_NR_MPROTECT, start, size, _prot(perms)), "protect", start, size)
        self._set_perms(start, start + size, perms)

    def _check_range(self, op: str, start: int, size: int) -> None:
        """Refuse, as Unicorn does, an unaligned range or one not wholly mapped."""
        if not self._aligned(start, size):
            why = "Invalid argument (UC_ERR_ARG)"
        elif not self._covered(start, start + size):
            why = "No memory available or memory not present (UC_ERR_NOMEM)"
        else:
            return
        raise EmulationFault(f"cannot {op} {size:#x} bytes at {start:#x}: {why}", kind="unmapped", address=start)

    @staticmethod
    def _syscall_ok(result: int, op: str, start: int, size: int) -> None:
        if result < 0:
            raise EmulationFault(f"cannot {op} {size:#x} bytes at {start:#x}: {os.strerror(-result)}",
                                 kind="unmapped", address=start)

    def write(self, address: int, data: bytes) -> None:
        """Write bytes regardless of protections (through /proc/PID/mem).  In the host range
        only the shadow changes: the child keeps its int3s there."""
        data = bytes(data)
        if not data:
            return                     # as on Unicorn: nothing to write is no error, mapped or not
        if not self._covered(address, address + len(data)):
            raise EmulationFault(f"write of {len(data):,} bytes at {address:#x}: memory not mapped",
                                 kind="unmapped", address=address)
        self._check_alive()
        end = address + len(data)
        lo, hi = self._host
        if lo < end and address < hi:
            a, b = max(address, lo), min(end, hi)
            self._shadow[a - lo:b - lo] = data[a - address:b - address]
            if address < a:
                self._poke(address, data[:a - address])
            if b < end:
                self._poke(b, data[b - address:])
        else:
            self._poke(address, data)

    def _poke(self, address: int, data: bytes) -> None:
        # A temporary breakpoint stays in the child: the byte it covers is what changes.
        for bp in self._bps:
            if address <= bp < address + len(data):
                self._bps[bp] = data[bp - address]
                data = data[:bp - address] + bytes([_INT3]) + data[bp - address + 1:]
        if data:
            os.pwrite(self._mem_fd, data, address)

    def read(self, address: int, size: int) -> bytes:
        """Read bytes regardless of protections (the host range's shadow, not its int3s)."""
        if size <= 0:
            return b""                 # as on Unicorn
        if not self._covered(address, address + size):
            raise EmulationFault(f"read of {size:,} bytes at {address:#x}: memory not mapped",
                                 kind="unmapped", address=address)
        self._check_alive()
        out = bytearray(os.pread(self._mem_fd, size, address))
        end = address + size
        lo, hi = self._host
        if lo < end and address < hi:
            a, b = max(address, lo), min(end, hi)
            out[a - address:b - address] = self._shadow[a - lo:b - lo]
        for bp, byte in self._bps.items():
            if address <= bp < end:
                out[bp - address] = byte
        return bytes(out)

    def regions(self) -> List[Tuple[int, int, str]]:
        """The mapped regions, sorted: (start, end exclusive, permissions)."""
        return [(s, e, p) for s, e, p in self._regions]

    # -- registers -------------------------------------------------------------------

    def _gpr(self) -> _Regs:
        if self._regs is None:
            regs = _Regs()
            self._call(PTRACE_GETREGS, 0, ctypes.addressof(regs))
            self._regs = regs
        return self._regs

    def _fpregs(self):
        if self._fp is None:
            fp = ctypes.create_string_buffer(512)
            self._call(PTRACE_GETFPREGS, 0, ctypes.addressof(fp))
            self._fp = fp
        return self._fp

    def reg_read(self, name: str) -> int:
        """A register by its target name (a GPR, rip, eflags, al, fs_base, gs_base, xmm0..15)."""
        self._check_alive()
        if name in _GPR_FIELDS:
            return getattr(self._gpr(), name)
        if name == "al":
            return self._gpr().rax & 0xFF
        i = _xmm(name)
        if i is not None:
            off = _XMM_OFFSET + 16 * i
            return int.from_bytes(self._fpregs().raw[off:off + 16], "little")
        raise ExecutorError(f"no register {name!r} on the native {self.target.name} executor")

    def reg_write(self, name: str, value: int) -> None:
        """Set a register by its target name."""
        self._check_alive()
        if name in _GPR_FIELDS:
            setattr(self._gpr(), name, value & _MASK64)
            self._regs_dirty = True
            return
        if name == "al":
            regs = self._gpr()
            regs.rax = (regs.rax & ~0xFF) | (value & 0xFF)
            self._regs_dirty = True
            return
        i = _xmm(name)
        if i is not None:
            fp = self._fpregs()
            off = _XMM_OFFSET + 16 * i
            ctypes.memmove(ctypes.addressof(fp) + off, (value & ((1 << 128) - 1)).to_bytes(16, "little"), 16)
            self._fp_dirty = True
            return
        raise ExecutorError(f"no register {name!r} on the native {self.target.name} executor")

    # -- runs ----------------------------------------------------------------------

    def host_range(self, start: int, size: int) -> None:
        """Make [start, start + size) the host slots: the child holds int3s there, the rig a
        shadow of what it writes (what the slots' own instructions are)."""
        old_lo, old_hi = self._host
        if old_hi > old_lo:
            # Give the old range its bytes back.
            for s, e, _ in self._regions:
                a, b = max(s, old_lo), min(e, old_hi)
                if a < b:
                    os.pwrite(self._mem_fd, bytes(self._shadow[a - old_lo:b - old_lo]), a)
        self._host = (start, start + size)
        self._shadow = bytearray(size)
        for s, e, _ in self._regions:
            a, b = max(s, start), min(e, start + size)
            if a < b:
                self._shadow[a - start:b - start] = os.pread(self._mem_fd, b - a, a)
        self._refresh_host(start, start + size)

    def _refresh_host(self, start: int, end: int) -> None:
        """int3 over the mapped part of the host range within [start, end)."""
        lo, hi = self._host
        for s, e, _ in self._regions:
            a, b = max(s, start, lo), min(e, end, hi)
            if a < b:
                os.pwrite(self._mem_fd, bytes([_INT3]) * (b - a), a)

    def _in_host(self, address: int) -> bool:
        return self._host[0] <= address < self._host[1]

    def _plant(self, address: int) -> None:
        """A temporary int3 at `address` (the end of a run outside the host range)."""
        if address in self._bps or self._in_host(address) or not self._covered(address, address + 1):
            return
        self._bps[address] = os.pread(self._mem_fd, 1, address)[0]
        os.pwrite(self._mem_fd, bytes([_INT3]), address)

    def _unplant(self) -> None:
        bps, self._bps = self._bps, {}
        if self._dead is None and self._mem_fd >= 0:
            for address, byte in bps.items():
                os.pwrite(self._mem_fd, bytes([byte]), address)

    def run(self, start_pc: int, until_pc: int, budget: int, timeout: float,
            on_host: Optional[Callable[[int], None]] = None,
            on_syscall: Optional[Callable[[int], None]] = None, registers: Sequence[str] = (),
            event_registers: Sequence[str] = ()) -> Stop:
        """Run from `start_pc` until `until_pc` or a stop (see `Machine.run` and `Stop`).

        `budget` is not counted (the CPU tells no count): with no `timeout` a positive budget
        bounds the run at ``budget / 1e8`` seconds (at least 1 s; a smaller timeout wins), and
        that bound passing is the "budget" stop.  `on_syscall(pc)`: see the class.  The
        `registers` named are read when the run ends, into `Stop.registers` (where `Stop` has
        that field: the protocol's newer form)."""
        stop = self._run(start_pc, until_pc, budget, timeout, on_host, on_syscall)
        if registers:
            stop = replace(stop, registers=dict(zip(registers, self.reg_read_many(registers))))
        return stop

    def _run(self, start_pc: int, until_pc: int, budget: int, timeout: float, on_host, on_syscall) -> Stop:
        self._check_alive()
        if start_pc == until_pc:
            self.reg_write("rip", start_pc)
            return Stop("returned", start_pc)
        limit, kind = timeout if timeout > 0 else 0.0, "timeout"
        if budget > 0:
            by_budget = max(1.0, budget / 1e8)
            if limit <= 0 or by_budget < limit:
                limit, kind = by_budget, "budget"
        self._plant(until_pc)
        self._alarm_seen = False
        self.watchdog.arm(limit)
        try:
            self.reg_write("rip", start_pc)
            if self._in_host(start_pc):
                # Resuming at a host slot: its own instruction (a return) runs first.
                stop = self._step_slot(start_pc, until_pc, kind)
                if stop is not None:
                    return stop
            return self._go(until_pc, kind, on_host, on_syscall)
        finally:
            self.watchdog.disarm()
            self._unplant()

    def _go(self, until_pc: int, kind: str, on_host, on_syscall) -> Stop:
        while True:
            if self.watchdog.fired:
                # The deadline passed while the rig had the child stopped (a callback, a system
                # call the rig injected): its SIGSTOP may have been swallowed there, or come later
                # as a stray one; the run is over either way.
                self._alarm_seen = True
                return Stop(kind, self.reg_read("rip"))
            self._resume(PTRACE_SYSEMU)
            sig = self._wait()
            stop = self._classify(sig, until_pc, kind)
            if stop is None:
                continue                          # a stray SIGSTOP, swallowed
            if stop.reason == "host" and on_host is not None:
                a = stop.pc
                on_host(a)
                pc = self.reg_read("rip")
                if pc == until_pc:
                    return Stop("returned", pc)
                if pc == a:
                    stop = self._step_slot(a, until_pc, kind)
                    if stop is not None:
                        return stop
                continue
            if stop.reason == "syscall" and on_syscall is not None:
                on_syscall(stop.pc)
                pc = self.reg_read("rip")
                if pc == stop.pc:
                    self.reg_write("rip", stop.resume)
                elif pc == until_pc:
                    return Stop("returned", pc)
                continue
            return stop

    def _step_slot(self, a: int, until_pc: int, kind: str) -> Optional[Stop]:
        """Run the instruction the shadow holds at host slot `a` (single-stepped with the slot's
        real bytes in place); None when it went on normally, else why it stopped."""
        lo, _ = self._host
        n = min(16, self._host[1] - a)
        while n > 1 and not self._covered(a, a + n):
            n -= 1
        os.pwrite(self._mem_fd, bytes(self._shadow[a - lo:a - lo + n]), a)
        try:
            while True:
                self._resume(PTRACE_SYSEMU_SINGLESTEP)
                sig = self._wait()
                if sig != signal.SIGSTOP:
                    break
                if self._stop_due():
                    # Stopped before the step ran: the run ends at the slot.
                    return Stop(kind, self.reg_read("rip"))
        finally:
            if self._dead is None:
                os.pwrite(self._mem_fd, bytes([_INT3]) * n, a)
        if sig == signal.SIGTRAP and self._siginfo()[1] != SI_KERNEL:
            # The step is done; it may have landed on the end already.
            pc = self.reg_read("rip")
            if pc == until_pc:
                return Stop("returned", pc)
            return None
        return self._classify(sig, until_pc, kind)

    def _stop_due(self) -> bool:
        """Whether a SIGSTOP now is this run's watchdog (else a stray one from an earlier run)."""
        if self.watchdog.fired and not self._alarm_seen:
            self._alarm_seen = True
            return True
        return False

    def _classify(self, sig: int, until_pc: int, kind: str) -> Optional[Stop]:
        """The `Stop` for the child's current stop, as Unicorn would report it; None for a stray
        SIGSTOP.  Registers are left as Unicorn leaves them (the PC at the reported place)."""
        regs = self._gpr()
        rip = regs.rip
        if sig == _SYSCALL_STOP:
            # At syscall entry: rip after the instruction, rax = -ENOSYS, the number in orig_rax.
            # orig_rax -1: a signal arriving later must not make the kernel "restart" the call.
            pc = rip - 2
            nr = regs.orig_rax
            regs.rax, regs.orig_rax, regs.rip = nr, _MASK64, pc
            self._regs_dirty = True
            if self._peek(pc, 2) == b"\xcd\x80":
                # int $0x80 enters the kernel too; Unicorn reports it as interrupt 128.
                regs.rip = rip
                return Stop("exception", rip, intno=0x80)
            return Stop("syscall", pc, resume=rip)
        if sig == signal.SIGSTOP:
            if not self._stop_due():
                return None
            return Stop(kind, rip)
        signo, code, addr = self._siginfo()
        if sig == signal.SIGTRAP:
            if code == SI_KERNEL:
                a = rip - 1
                if a == until_pc and (a in self._bps or self._in_host(a)):
                    self._set_rip(a)
                    return Stop("returned", a)
                if self._in_host(a):
                    self._set_rip(a)
                    return Stop("host", a, address=a)
                return Stop("exception", rip, intno=3)      # the guest's own int3: Unicorn's PC is after it
            return Stop("exception", rip, intno=1)           # a debug trap (icebp)
        if sig == signal.SIGSEGV or sig == signal.SIGBUS:
            if code == SI_KERNEL or (sig == signal.SIGSEGV and code not in (SEGV_MAPERR, SEGV_ACCERR)
                                     and addr == 0):
                # A general protection fault: `int $n` (Unicorn: interrupt n, PC after it), a
                # privileged instruction, a non-canonical address, a misaligned SSE operand.
                code_bytes = self._peek(rip, 2)
                if len(code_bytes) == 2 and code_bytes[0] == 0xCD:
                    self._set_rip(rip + 2)
                    return Stop("exception", rip + 2, intno=code_bytes[1])
                return Stop("exception", rip, intno=13)
            what = "unmapped" if (sig == signal.SIGBUS or code == SEGV_MAPERR) else "prot"
            if addr == rip:
                return Stop("fault", rip, address=addr, size=1, access=f"fetch_{what}")
            direction, size = self._data_access(rip, what)
            return Stop("fault", rip, address=addr, size=size, access=f"{direction}_{what}")
        if sig == signal.SIGFPE:
            if code in (FPE_INTDIV, FPE_INTOVF):
                return Stop("exception", rip, intno=0)
            insn = self._insn(rip)
            return Stop("exception", rip, intno=16 if insn is not None and insn.mnemonic.startswith("f") else 19)
        if sig == signal.SIGILL:
            return Stop("exception", rip, error="insn_invalid")
        # Any other signal (none is expected: the child is in its own process group) is not the
        # guest's doing: suppress it and go on.
        return None

    def _set_rip(self, pc: int) -> None:
        self._gpr().rip = pc
        self._regs_dirty = True

    def _peek(self, address: int, size: int) -> bytes:
        """Bytes of the child as the guest sees them (the shadow in the host range), or b""."""
        try:
            return self.read(address, size)
        except EmulationFault:
            return b""

    def _insn(self, pc: int):
        import capstone
        if self._cs is None:
            self._cs = capstone.Cs(capstone.CS_ARCH_X86, capstone.CS_MODE_64)
            self._cs.detail = True
        code = self._peek(pc, 16) or self._peek(pc, 1)
        for insn in self._cs.disasm(code, pc, 1):
            return insn
        return None

    def _data_access(self, pc: int, what: str) -> Tuple[str, int]:
        """("read" or "write", size) of the faulting instruction's memory access, by capstone:
        an operand it writes is the write for a protection fault (the read of a read-modify-write
        succeeded), an operand it reads the read for an unmapped page (that comes first)."""
        import capstone
        from capstone import x86_const
        insn = self._insn(pc)
        if insn is None:
            return "read", 1
        mems = [op for op in insn.operands if op.type == x86_const.X86_OP_MEM]
        if not mems:
            # Implicit stack accesses: push and call write, pop and ret read.
            write = insn.mnemonic.startswith(("push", "call", "enter"))
            return ("write" if write else "read"), 8
        reads = [op for op in mems if op.access & capstone.CS_AC_READ]
        writes = [op for op in mems if op.access & capstone.CS_AC_WRITE]
        if writes and (what == "prot" or not reads):
            return "write", writes[0].size
        op = reads[0] if reads else mems[0]
        return "read", op.size

    def close(self) -> None:
        """Kill the child, reap it, close its memory file and the watchdog."""
        dog = getattr(self, "watchdog", None)
        if dog is not None:
            dog.close()
        self._kill("closed")
        self._closed = True

    def _kill(self, why: str) -> None:
        pid, self.pid = getattr(self, "pid", 0), 0
        if pid and getattr(self, "_dead", None) is None:
            try:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, _WALL)
            except (ProcessLookupError, ChildProcessError):
                pass
        if getattr(self, "_dead", None) is None:
            self._dead = f"the native executor's child was {why}"
        self._close_fd()

    def _close_fd(self) -> None:
        fd, self._mem_fd = getattr(self, "_mem_fd", -1), -1
        if fd >= 0:
            os.close(fd)

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass


def _sigstop(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGSTOP)
    except ProcessLookupError:
        pass


def _norm(perms: str) -> str:
    perms_bits(perms)              # an unknown letter is an ExecutorError, as on Unicorn
    return "".join(c for c in "rwx" if c in perms)


def _prot(perms: str) -> int:
    bits = 0
    for c in perms:
        bits |= _PROT_BITS[c]
    return bits


def _xmm(name: str) -> Optional[int]:
    if name.startswith("xmm") and name[3:].isdigit():
        i = int(name[3:])
        if 0 <= i < 16:
            return i
    return None
