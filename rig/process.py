"""The remote process: the only module that talks to Unicorn.

Its contract is the one MCJIT's remote memory manager has, data only:
map pages with permissions, write and read bytes, bind a host function to a
remote address, call a function.  Addresses, bytes and permissions cross it;
relocations and symbols never do (a `describe` callback turns an address into
"symbol+offset" for fault reports).
"""
from __future__ import annotations

import bisect
import ctypes
import mmap
import time
import weakref
from dataclasses import dataclass
from typing import Callable, Dict, List, Optional, Sequence, Tuple

import unicorn
from unicorn import UcError

from targets.base import Target

from . import callconv
from .errors import (EmulationFault, ExecutorError, HostFunctionError, InstructionBudgetExceeded, ProgramExit,
                     RigError, SignatureError, TimeLimitExceeded)
from .executor.machine import ACCESS, CPU_ERRORS, Machine, UnicornMachine
from .hostmem import HostPages
from .layout import PAGE, AddressSpace, page_runs, page_up
from .limits import DEFAULT as DEFAULT_LIMITS, Limits, exceeded
from .runtime.heap import Heap
from .runtime.host import HostFunction
from .signature import Signature

_PROT = {"r": unicorn.UC_PROT_READ, "w": unicorn.UC_PROT_WRITE, "x": unicorn.UC_PROT_EXEC}
SLOT = 16                      #: bytes per host-function slot
ZERO_CHUNK = 16 << 20          #: the largest Unicorn region `map_zeroed` makes
#: Reads larger than this check the range is mapped before Unicorn allocates the host buffer
#: (a guest-chosen length must not cost gigabytes of host memory just to fail).
CHECKED_READ = 16 << 20
#: The signals a fault ends a Linux process with (their numbers are the same on every target).
SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE, SIGKILL, SIGSEGV = 4, 5, 6, 7, 8, 9, 11
_MEM_KIND = {
    unicorn.UC_MEM_READ_UNMAPPED: "read from unmapped memory",
    unicorn.UC_MEM_WRITE_UNMAPPED: "write to unmapped memory",
    unicorn.UC_MEM_FETCH_UNMAPPED: "instruction fetch from unmapped memory",
    unicorn.UC_MEM_READ_PROT: "read from protected memory",
    unicorn.UC_MEM_WRITE_PROT: "write to read-only memory",
    unicorn.UC_MEM_FETCH_PROT: "instruction fetch from non-executable memory",
}
#: Unicorn's errors that are the program's fault: (kind, the signal Linux sends).  Every memory
#: access fault (`_MEM_KIND`) is SIGSEGV; what a CPU exception is depends on the architecture
#: (`Target.traps`).
_ERR_KIND = {
    unicorn.UC_ERR_INSN_INVALID: ("invalid instruction", SIGILL),
    unicorn.UC_ERR_EXCEPTION: ("CPU exception (trap, undefined instruction or division fault)", SIGILL),
    unicorn.UC_ERR_READ_UNALIGNED: ("unaligned read", SIGBUS),
    unicorn.UC_ERR_WRITE_UNALIGNED: ("unaligned write", SIGBUS),
    unicorn.UC_ERR_FETCH_UNALIGNED: ("unaligned instruction fetch", SIGBUS),
}
_FETCH = (unicorn.UC_MEM_FETCH_UNMAPPED, unicorn.UC_MEM_FETCH_PROT)
#: A `Stop`'s access and CPU error names back to Unicorn's codes (executor mode's fault reports).
_ACCESS_CODE = {name: code for code, name in ACCESS.items()}
_CPU_ERRNO = {name: code for code, name in CPU_ERRORS.items()}


class _MachineUc:
    """The Unicorn calls `Process` makes (register ids, protection bits, `UcError`), served by
    a `rig.executor.Machine`: what lets a process run its code in any executor (executor mode,
    `Process(..., machine=...)`).  Inside a host call the registers the call needs are read
    in one round trip (`begin`) and kept until `end`."""

    def __init__(self, machine: Machine, regs: Dict[str, int]):
        self.machine = machine
        self._names: Dict[int, str] = {}
        for name, reg in regs.items():
            self._names.setdefault(reg, name)
        self._cache: Optional[Dict[int, int]] = None

    def _name(self, reg: int) -> str:
        name = self._names.get(reg)
        if name is None:
            raise ExecutorError(f"register {reg} has no name on target {self.machine.target.name}")
        return name

    def begin(self, regs: Sequence[int]) -> None:
        """Read `regs` now, in one round trip, and answer reads of them from here until `end`."""
        regs = list(dict.fromkeys(regs))
        self._cache = dict(zip(regs, self.machine.reg_read_many([self._name(r) for r in regs])))

    def end(self) -> None:
        """Reads go to the machine again."""
        self._cache = None

    def keep(self, values: Optional[Dict[str, int]]) -> None:
        """Answer reads of these registers (by name: a run's `Stop.registers`) from here until
        `end` or the next `begin`."""
        if values:
            regs = self.machine.target.registers
            self._cache = {regs[name]: v for name, v in values.items() if name in regs}

    def reg_read(self, reg: int) -> int:
        if self._cache is not None:
            hit = self._cache.get(reg)
            if hit is not None:
                return hit
        return self.machine.reg_read(self._name(reg))

    def reg_write(self, reg: int, value: int) -> None:
        self.machine.reg_write(self._name(reg), value)
        if self._cache is not None:
            self._cache.pop(reg, None)      # the machine may keep fewer bits than were written

    def mem_read(self, address: int, size: int) -> bytes:
        try:
            return self.machine.read(address, size)
        except EmulationFault:
            raise UcError(unicorn.UC_ERR_READ_UNMAPPED) from None

    def mem_write(self, address: int, data: bytes) -> None:
        try:
            self.machine.write(address, data)
        except EmulationFault:
            raise UcError(unicorn.UC_ERR_WRITE_UNMAPPED) from None

    def mem_map(self, start: int, size: int, bits: int) -> None:
        self.machine.map(start, size, "".join(c for c, b in _PROT.items() if bits & b))


def _pieces(runs: Sequence[tuple], contents: Sequence[tuple]) -> List[tuple]:
    """(run index, offset in the run, bytes) for each item's bytes, split where an item spans
    several runs (a section that starts on a page it shares with an item of other permissions
    runs on into its own pages); bytes outside every run are an `EmulationFault`."""
    starts = [r[0] for r in runs]
    held = []
    for address, data in contents:
        done = 0
        while done < len(data):
            at = address + done
            i = bisect.bisect_right(starts, at) - 1
            if i < 0 or at >= starts[i] + runs[i][1]:
                raise EmulationFault(f"write of {len(data)} bytes at {address:#x}: memory not mapped "
                                     f"at {at:#x}", kind="unmapped", address=at)
            n = min(len(data) - done, starts[i] + runs[i][1] - at)
            held.append((i, at - starts[i], data[done:done + n] if n < len(data) else data))
            done += n
    return held


def fault(message: str, *, kind: str, signal: int = SIGSEGV, **fields) -> EmulationFault:
    """An `EmulationFault` that carries `signal`, the Linux signal the fault kills a process with
    (`rig.program` turns it into the exit status 128 + signal)."""
    e = EmulationFault(message, kind=kind, **fields)
    e.signal = signal
    return e


def signal_of(e: EmulationFault) -> int:
    """The signal a fault kills a program with: the one it carries, else SIGSEGV (a memory
    access the process refused: a host function's read or write of unmapped memory)."""
    return getattr(e, "signal", 0) or SIGSEGV


def _signed(status: int) -> int:
    return status - (1 << 32) if status & (1 << 31) else status


def perms_bits(perms: str) -> int:
    """Unicorn protection bits for "r", "rw", "rx", ..."""
    bits = 0
    for c in perms:
        bits |= _PROT[c]
    return bits


@dataclass
class CallResult:
    """What one call returned and printed.  `output` is both streams in the
    order they were written: (1 or 2, bytes) chunks, adjacent writes merged."""

    value: object
    stdout: bytes = b""
    stderr: bytes = b""
    elapsed: float = 0.0
    output: Tuple[Tuple[int, bytes], ...] = ()


class _Output:
    """What one call or one program run wrote, in order: (stream, bytes) chunks, adjacent
    writes to one stream merged.  Kept once (the streams are derived from the chunks) and
    bounded by `limit`: the write that would cross it raises `LimitExceeded` ("output"),
    which ends the run -- a guest must not be able to fill the host's memory."""

    def __init__(self, limit: int = DEFAULT_LIMITS.output):
        self.limit = limit
        self.size = 0
        self.chunks: List[list] = []

    def add(self, stream: int, data: bytes) -> None:
        if self.size + len(data) > self.limit:
            raise exceeded("output", self.size + len(data), self.limit,
                           "what the program wrote to stdout and stderr in this run")
        self.size += len(data)
        if self.chunks and self.chunks[-1][0] == stream:
            self.chunks[-1][1] += data
        else:
            self.chunks.append([stream, bytearray(data)])

    def ordered(self) -> Tuple[Tuple[int, bytes], ...]:
        return tuple((s, bytes(d)) for s, d in self.chunks)


def _stream(ordered, stream: int) -> bytes:
    # One chunk is the usual case, and b"".join of one bytes object returns that object: no copy.
    return b"".join(d for s, d in ordered if s == stream)


#: The C library's data objects, laid out in the process's data page.
_FILES = {"stdin": 0, "stdout": 1, "stderr": 2}
_FILE_SIZE = 64              # an opaque FILE: programs pass its address around, never look inside


class Process:
    """One Unicorn instance: memory, a stack with a guard page, a heap, host
    functions behind trap slots, and calls under a budget.

    Bounds: a call (or a whole program's calls, `call_each`) runs under an
    instruction budget and a deadline; host functions see the deadline
    (`checkpoint`) and `limits` (`rig.limits.Limits`: the output captured per
    call or run, one host buffer, the exit handlers)."""

    def __init__(self, target: Target, space: AddressSpace, *, stack_size: int = 1 << 20,
                 heap_size: int = 16 << 20, host_slots: int = 1024, tcg_buffer: int = 32 << 20,
                 limits: Optional[Limits] = None, machine: Optional[Machine] = None):
        self.target = target
        self.space = space
        #: what the guest may make the host spend (the `Jit`'s `limits`)
        self.limits = limits if limits is not None else DEFAULT_LIMITS
        #: `time.monotonic()` by which the running call must end (None: no call, or no limit)
        self.deadline: Optional[float] = None
        self._timeout = 0.0
        self._steps = None           # the program run `call_each` is making, if any
        self._step_sig: Optional[Signature] = None      # the signature of its current call
        self.regs = target.registers
        self.ptr = target.pointer_size
        # The emulator, its translation buffer (small: every trial puts code at new addresses,
        # and with Unicorn's 1 GiB default the resident set grew ~3 MiB per 1,000 trials), FP,
        # the watchdog and the CPU reset come from the executor's in-process machine.  It gets
        # no hooks of its own: this process's hooks run host functions and system calls inside
        # the emulation, so one call is one `emu_start` whose budget spans its host calls.
        #: the `rig.executor.Machine` underneath (protect and registers go through it)
        #: Given one (executor mode: e.g. a `RemoteMachine`), everything goes through it: memory,
        #: registers (`_MachineUc`), and the runs, host functions served by its `on_host` callback.
        self.executor_mode = machine is not None
        if machine is None:
            self.machine = UnicornMachine(target, tcg_buffer=tcg_buffer, hooks=False)
            self.uc = self.machine.uc
        else:
            if machine.target.name != target.name:
                raise RigError(f"a {target.name} process cannot run on a {machine.target.name} executor")
            self.machine = machine
            self.uc = _MachineUc(machine, target.registers)
        self.describe: Callable[[int], str] = lambda a: ""
        self._cs: Dict[str, object] = {}
        self._fault: Optional[tuple] = None
        self._out = _Output()
        self._host_pages = HostPages()
        self._arg_plans: Dict[object, tuple] = {}      # signature -> where its arguments go
        self._result_plans: Dict[object, list] = {}    # signature -> where its results come back
        self._backing: Dict[int, tuple] = {}     # run start -> (size, host buffer)
        #: (start, host buffer, [its still mapped [a, b) ranges]) per `map_zeroed` call: a buffer
        #: lives while any page maps into it (a later mapping may reuse an address in its range)
        self._zeroed: List[tuple] = []

        hi = space.hi
        # Stack high, with an unmapped guard page below it; host slots and heap low.
        self.stack_top = (hi - 16 * PAGE) & ~(PAGE - 1)
        stack_lo = self.stack_top - page_up(stack_size)
        space.reserve("the stack", stack_lo - PAGE, self.stack_top + PAGE)
        self.uc.mem_map(stack_lo, self.stack_top - stack_lo, perms_bits("rw"))
        self.guard = (stack_lo - PAGE, stack_lo)

        self.host_base = space.find_free(host_slots * SLOT)
        host_size = page_up(host_slots * SLOT)
        space.reserve("the host functions", self.host_base, self.host_base + host_size)
        self.uc.mem_map(self.host_base, host_size, perms_bits("rx"))
        self.return_pad = self.host_base            # slot 0: where calls return to
        #: slot 1: where each call of a program run returns to, for `call_each` to make the next
        self.next_pad = self.host_base + SLOT
        # Its code jumps to the address in a scratch register, which `_next_step` sets as it
        # sets the PC: a PC written in a hook is not always honoured (Unicorn ran the pad's
        # own instruction after a Thumb `popeq {pc}` that ended an IT block), and then the
        # jump goes where the PC was sent.
        pad_code, self._pad_reg = target.jump_pad
        self.uc.mem_write(self.next_pad, pad_code or target.host_slot)
        self._slots: List[Optional[HostFunction]] = [None, None]
        self._plans: list = [None, None]        # per slot: (CallPlan, its argument register ids)
        self._by_name: Dict[str, int] = {}
        self._capacity = host_slots

        heap_base = space.find_free(heap_size + PAGE, self.host_base + host_size + PAGE)
        space.reserve("the heap", heap_base, heap_base + heap_size)
        self.uc.mem_map(heap_base, page_up(heap_size), perms_bits("rw"))
        self.heap = Heap(heap_base, heap_size)

        # The C library's data: stdin/stdout/stderr (FILE* cells and the FILEs they
        # point to) and environ, at addresses code can take like any global.
        self.data_base = space.find_free(PAGE, heap_base + page_up(heap_size) + PAGE)
        space.reserve("the C library's data", self.data_base, self.data_base + PAGE)
        self.uc.mem_map(self.data_base, PAGE, perms_bits("rw"))
        self._files = {self.data_base + 256 + i * _FILE_SIZE: i for i in _FILES.values()}
        self.data_symbols: Dict[str, int] = {}
        for name, i in _FILES.items():
            cell = self.data_base + i * self.ptr
            self.uc.mem_write(cell, (self.data_base + 256 + i * _FILE_SIZE).to_bytes(self.ptr, "little"))
            self.data_symbols[name] = cell
        for alias, name in (("__stdinp", "stdin"), ("__stdoutp", "stdout"), ("__stderrp", "stderr")):
            self.data_symbols[alias] = self.data_symbols[name]      # the names macOS headers use
        self.data_symbols["environ"] = self.data_symbols["__environ"] = self.data_base + 4 * self.ptr
        # What crtbegin.o defines: the handle C++ code passes to __cxa_atexit.
        self.data_symbols["__dso_handle"] = self.data_base + 5 * self.ptr
        #: (function pointer, argument, takes the argument) from atexit / __cxa_atexit, in order
        self.exit_handlers: List[Tuple[int, int, bool]] = []
        self._intno: Optional[int] = None       # the CPU exception that ended the last call, if any
        self._result_sig: Optional[Signature] = None    # the signature of the call being run

        abi = target.syscalls
        #: answers system calls: `kernel.syscall(number, args) -> int` (a value or -errno)
        self.kernel = NoKernel(abi)
        #: (number, arguments, result, result mask, clobbers) registers of a system call
        self._sc = None
        if abi is not None:
            self._sc = (self.regs[abi.number], tuple(self.regs[r] for r in abi.args), self.regs[abi.result],
                        (1 << (8 * self.ptr)) - 1,
                        tuple((self.regs[r], None if src == "next" else self.regs[src]) for r, src in abi.clobbers))
        if self.executor_mode:
            # What a host function or a system call reads first: the argument registers, the
            # stack pointer, the return address, the system call's number and arguments.
            cc = target.cc
            names = [cc.stack_pointer, target.pc, *cc.int_args, *cc.float_args]
            if cc.return_address is not None:
                names.append(cc.return_address)
            if abi is not None:
                names += [abi.number, *abi.args, *(src for _, src in abi.clobbers if src != "next")]
            self._event_names = [n for n in dict.fromkeys(names) if n in self.regs]
            # The machine's hooks stop at faults, exceptions and system calls; its code hook
            # covers the host slots and calls `_on_machine_host` from inside the run.
            self.machine.host_range(self.host_base, host_size)
            self._watchdog = None
            self._syscall_intno = abi.interrupt if abi is not None else None
            return
        me = weakref.ref(self)   # hooks must not keep the process alive (memory grows otherwise)
        self._watchdog = self.machine.watchdog
        self.uc.hook_add(unicorn.UC_HOOK_MEM_INVALID,
                         lambda uc, access, address, size, value, _: me()._on_bad_memory(access, address, size))
        self.uc.hook_add(unicorn.UC_HOOK_CODE, lambda uc, address, size, _: me()._on_host(address),
                         begin=self.host_base, end=self.host_base + host_size - 1)

        # Linux system calls: the trap instruction's hook reads the number and arguments and
        # asks `self.kernel` (Linux's semantics live in rig.userland); neither hook costs
        # anything until its instruction runs.
        if abi is not None:
            if abi.insn is not None:
                self.uc.hook_add(unicorn.UC_HOOK_INSN, lambda uc, _: me()._on_syscall(), None, 1, 0, abi.insn)
        # CPU exceptions (and the `svc` trap where that is the system call): without this hook
        # Unicorn ends with UC_ERR_EXCEPTION and no word of which exception it was, and the signal
        # depends on that (x86-64's division fault is SIGFPE, int3 SIGTRAP).
        self._syscall_intno = abi.interrupt if abi is not None else None
        self.uc.hook_add(unicorn.UC_HOOK_INTR, lambda uc, intno, _: me()._on_interrupt(intno))

    # -- memory -------------------------------------------------------------

    def map_pages(self, pages: Dict[int, str], contents: Sequence[tuple] = ()) -> None:
        """Map pages (page address -> permissions), contiguous runs at once,
        holding `contents` ((address, bytes) pairs) from the start."""
        self.map_runs(page_runs(pages), contents)

    def unmap_pages(self, pages: Dict[int, str]) -> None:
        """Unmap pages previously mapped with `map_pages`."""
        self.unmap_runs(page_runs(pages))

    def map_runs(self, runs: Sequence[tuple], contents: Sequence[tuple] = ()) -> None:
        """Map (start, size, permissions) runs holding `contents` from the start.

        Contents go straight into the host buffer before it is mapped: nothing
        has been translated from those pages yet, so no stale code can survive,
        and it saves a `mem_write` (~6 us) per section.
        """
        held = _pieces(runs, contents)
        if self.executor_mode:
            return self._map_runs_machine(runs, held)
        buffers = []
        try:
            for start, size, perms in runs:
                buf = self._host_pages.take(size)
                try:
                    self.uc.mem_map_ptr(start, size, perms_bits(perms), buf[1])
                except UcError:
                    self._host_pages.give(size, buf)
                    raise
                self._backing[start] = (size, buf)
                buffers.append(buf[0])
        except UcError as e:
            for start, size, _ in runs[:len(buffers)]:
                self._unmap_run(start, size)
            raise EmulationFault(f"cannot map {len(runs)} page runs: {e}", kind="unmapped") from None
        for i, offset, data in held:
            buffers[i][offset:offset + len(data)] = data

    def _map_runs_machine(self, runs: Sequence[tuple], held: List[tuple]) -> None:
        """`map_runs` in executor mode: each run mapped with its contents (up to the last byte
        any item puts in it) in the same operation."""
        images = [bytearray() for _ in runs]
        for i, off, data in held:
            image = images[i]
            if len(image) < off + len(data):
                image.extend(bytes(off + len(data) - len(image)))
            image[off:off + len(data)] = data
        for (start, size, perms), image in zip(runs, images):
            self.machine.map(start, size, perms, bytes(image) if image else None)
        self.machine.send()         # the executor maps them while the rig goes on

    def unmap_runs(self, runs: Sequence[tuple]) -> None:
        """Unmap runs mapped with `map_runs`."""
        for start, size, _ in runs:
            self._unmap_run(start, size)
        if self.executor_mode:
            self.machine.send()

    def _unmap_run(self, start: int, size: int) -> None:
        if self.executor_mode:
            self.machine.unmap(start, size)
            return
        self.uc.mem_unmap(start, size)
        backing = self._backing.pop(start, None)
        if backing is not None:
            self._host_pages.give(*backing)

    def map_zeroed(self, start: int, size: int, perms: str) -> None:
        """Map fresh zero-filled pages (page-aligned start and size) of which any
        page-aligned part may later be unmapped or re-protected on its own (`unmap`,
        `protect`).  They sit on a host buffer of their own: Unicorn splits a region
        it allocated itself by copying all of it (seen: 8.5 s and 2 GiB to unmap one
        page of a 1 GiB region), one over a host buffer by pointing into it; and a
        split still costs time in proportion to the region (0.2 s for 1 GiB), so a
        large mapping is made of regions of at most `ZERO_CHUNK` bytes."""
        if self.executor_mode:
            self.machine.map(start, size, perms)
            return
        buf = mmap.mmap(-1, size)                     # anonymous: zero, committed on first touch
        address = ctypes.addressof(ctypes.c_char.from_buffer(buf))
        done = 0
        try:
            while done < size:
                n = min(ZERO_CHUNK, size - done)
                self.uc.mem_map_ptr(start + done, n, perms_bits(perms), address + done)
                done += n
        except UcError as e:
            if done:
                self.uc.mem_unmap(start, done)
            raise EmulationFault(f"cannot map {size:#x} bytes at {start:#x}: {e}", kind="unmapped",
                                 address=start) from None
        self._zeroed.append((start, buf, [(start, start + size)]))

    def unmap(self, start: int, size: int) -> None:
        """Unmap pages mapped with `map_zeroed` (any page-aligned part of them)."""
        if self.executor_mode:
            self.machine.unmap(start, size)
            return
        try:
            self.uc.mem_unmap(start, size)
            self.uc.ctl_remove_cache(start, start + size)
        except UcError as e:
            raise EmulationFault(f"cannot unmap {size:#x} bytes at {start:#x}: {e}", kind="unmapped",
                                 address=start) from None
        end = start + size
        for held in list(self._zeroed):
            base, buf, live = held
            kept, gone = [], []
            for a, b in live:
                lo, hi = max(start, a), min(end, b)
                if lo >= hi:
                    kept.append((a, b))
                else:
                    kept += [r for r in ((a, lo), (hi, b)) if r[0] < r[1]]
                    gone.append((lo, hi))
            if not gone:
                continue
            live[:] = kept
            if not kept:
                self._zeroed.remove(held)          # nothing maps into it any more: let it go
            else:
                for lo, hi in gone:
                    buf.madvise(mmap.MADV_DONTNEED, lo - base, hi - lo)   # give those pages back

    def protect(self, start: int, size: int, perms: str) -> None:
        """Set the permissions of mapped pages (page-aligned start and size), or `EmulationFault`."""
        self.machine.protect(start, size, perms)

    def read_register(self, name: str) -> int:
        """A register by its target name ("fs_base", "tpidruro", "x0", ...); an unknown name
        is an `ExecutorError`."""
        return self.machine.reg_read(name)

    def write_register(self, name: str, value: int) -> None:
        """Set a register by its target name."""
        self.machine.reg_write(name, value)

    def write(self, address: int, data: bytes) -> None:
        """Write bytes (regardless of page protections), or `EmulationFault`."""
        try:
            # The machine also drops code already translated from these bytes (it would run on
            # unchanged after a relink).
            self.machine.write(address, data)
        except EmulationFault:
            raise self._unmapped("write", address, len(data)) from None

    def read(self, address: int, size: int) -> bytes:
        """Read bytes, or `EmulationFault`."""
        if size > CHECKED_READ:
            self.check_range(address, size, "read")
        try:
            return self.machine.read(address, size)
        except EmulationFault:
            raise self._unmapped("read", address, size) from None

    def read_cstring(self, address: int, limit: Optional[int] = None) -> bytes:
        """The NUL-terminated string at `address` (without the NUL).  With a `limit`, a
        string without a NUL in that many bytes is a `HostFunctionError`; without one the
        bound is `limits.host_buffer`, and crossing it `LimitExceeded`."""
        bound = self.limits.host_buffer if limit is None else limit
        out = bytearray()
        start = address
        while len(out) < bound:
            # a page at a time: an unterminated string faults where a C loop would
            chunk = self.read(address, min(PAGE - (address % PAGE), bound - len(out)))
            end = chunk.find(b"\0")
            if end >= 0:
                out += chunk[:end]
                return bytes(out)
            out += chunk
            address += len(chunk)
            if not address % (1 << 20):
                self.checkpoint()
        if limit is None:
            raise exceeded("host_buffer", len(out) + 1, bound, f"the string at {start:#x} (no NUL in "
                           f"{bound:,} bytes)")
        raise HostFunctionError(f"string at {start:#x} has no NUL within {limit} bytes")

    def first_unmapped(self, address: int, size: int) -> Optional[int]:
        """The first address in [address, address + size) no page is mapped at, or None."""
        end = address + size
        for begin, stop, _ in self.machine.regions():
            if stop <= address:
                continue
            if begin > address:
                return address
            address = stop
            if address >= end:
                return None
        return address if address < end else None

    def check_range(self, address: int, size: int, access: str = "read") -> None:
        """Fault (`EmulationFault`, SIGSEGV) as the CPU would at the first unmapped byte of
        [address, address + size), `access` being "read" or "write"; nothing when all is
        mapped.  Host functions call it before work whose size the guest chose."""
        if size > 0 and self.first_unmapped(address, size) is not None:
            raise self._unmapped(access, address, size)

    def _unmapped(self, access: str, address: int, size: int) -> EmulationFault:
        """The fault of a host-side `access` of [address, address + size) that is not all
        mapped, naming the first unmapped byte as a CPU's fault would."""
        bad = self.first_unmapped(address, size)
        at = address if bad is None else bad
        what = f"{access} of {size:,} bytes at {address:#x}: memory not mapped at {at:#x}"
        here = self.describe(at)
        return fault(what + (f" [{here}]" if here else ""), kind="unmapped", address=at)

    def checkpoint(self) -> None:
        """`TimeLimitExceeded` when the running call's deadline has passed: a host function
        doing work the guest sized calls this between pieces of it (the watchdog cannot
        stop Python code, only the emulator once the host function returns)."""
        if self.deadline is not None and time.monotonic() >= self.deadline:
            raise TimeLimitExceeded(f"the call ran past its {self._timeout:g} s limit")

    # -- host functions ------------------------------------------------------

    def bind(self, fn: HostFunction) -> int:
        """The remote address of host function `fn` (a slot is made on first use)."""
        idx = self._by_name.get(fn.name)
        if idx is None:
            if len(self._slots) >= self._capacity:
                raise HostFunctionError(f"no free host slot for {fn.name!r} ({self._capacity} in use)")
            idx = len(self._slots)
            self._slots.append(None)
            self._plans.append(None)
            self._by_name[fn.name] = idx
            self.uc.mem_write(self.host_base + idx * SLOT, self.target.host_slot)
        if self._slots[idx] is not fn:
            self._slots[idx] = fn
            sig = fn.signature
            plan = callconv.CallPlan(self.target.cc, sig.params, sig.result, self.ptr, sig.variadic)
            self._plans[idx] = (plan, [self.regs[r] for r in plan.arg_regs])
        return self.host_base + idx * SLOT

    def _on_host(self, address: int) -> None:
        idx, rem = divmod(address - self.host_base, SLOT)
        if rem or idx == 0 or idx >= len(self._slots):
            return
        if idx == 1:
            return self._on_next_pad()
        fn = self._slots[idx]
        plan, reg_ids = self._plans[idx]
        try:
            read = self.uc.reg_read        # one by one: faster than reg_read_batch for a few registers
            values = [read(r) for r in reg_ids]
            args = plan.decode(values, self._read_stack_arg)
            if plan.variadic:
                args.append(_VarArgs(self, plan.varargs_allocator()))
            result = fn.impl(self, *args)
            if plan.results:
                self._write_result(plan, result, fn.name)
        except ProgramExit as e:
            if e.kind == "exit" and self._steps is not None:
                # exit() inside a program run: the run goes on with the exit handlers, in
                # this same emulation (so under the same budget and deadline)
                self._steps.exit(e.status)
                self._next_step(None)
                return
            raise
        except RigError as e:
            e.args = (f"in host function {fn.name}, called from {self._caller()}: {e}",)
            raise
        except Exception as e:
            # A bug in a user's callback must not surface as a bare Python error
            # from inside the emulator; name the function and keep the cause.
            raise HostFunctionError(f"host function {fn.name}, called from {self._caller()}, raised "
                                    f"{type(e).__name__}: {e}") from e

    def _read_stack_arg(self, offset: int, size: int) -> int:
        return int.from_bytes(self.read(self._stack_args_base() + offset, size), "little")

    def _caller(self) -> str:
        """Where the current host call will return to, symbolized."""
        cc = self.target.cc
        if cc.return_address is not None:
            ret = self.uc.reg_read(self.regs[cc.return_address]) & ~1
        else:
            sp = self.uc.reg_read(self.regs[cc.stack_pointer])
            ret = int.from_bytes(self.uc.mem_read(sp, self.ptr), "little")
        return self._where(ret).replace("PC ", "", 1)

    def own_regions(self) -> List[Tuple[str, str, int, int, str]]:
        """What the process itself maps, as (name, kind, start, end, permissions): the host
        function slots, the heap, the stack and its guard page, the process's own data."""
        return [("host function slots", "host", self.host_base, self.host_base + page_up(self._capacity * SLOT), "rx"),
                ("heap", "heap", self.heap.base, self.heap.base + self.heap.size, "rw"),
                ("stack", "stack", self.guard[1], self.stack_top, "rw"),
                ("stack guard", "stack", self.guard[0], self.guard[1], ""),
                ("process data (environ, stdio)", "data", self.data_base, self.data_base + PAGE, "rw")]

    def describe_own(self, address: int) -> Optional[str]:
        """What the process itself keeps at `address` (host slots, stack guard), or None."""
        if self.host_base <= address < self.host_base + self._capacity * SLOT:
            idx = (address - self.host_base) // SLOT
            if idx == 0:
                return "the return pad"
            if idx == 1:
                return "the program's return pad (where main, constructors and exit handlers return)"
            return f"host function {self._slots[idx].name}" if idx < len(self._slots) else "an unused host slot"
        if self.guard[0] <= address < self.guard[1]:
            return "the stack guard page"
        return None

    def rebind(self, fn: HostFunction) -> None:
        """Point an already bound name at a new implementation."""
        if fn.name in self._by_name:
            self.bind(fn)

    def _stack_args_base(self) -> int:
        sp = self.uc.reg_read(self.regs[self.target.cc.stack_pointer])
        return sp + (self.ptr if self.target.cc.return_address is None else 0)

    def _read_arg(self, alloc, t, variadic: bool):
        locs = alloc.next(t, variadic)
        pieces = []
        for loc in locs:
            if loc.reg is not None:
                pieces.append(self.uc.reg_read(self.regs[loc.reg]))
            else:
                pieces.append(int.from_bytes(self.read(self._stack_args_base() + loc.offset, loc.size),
                                             "little"))
        if variadic and t.kind == "float" and t.size == 4:
            t = callconv.VARARG_TYPES["f64"]
        return callconv.from_raw(callconv.join(pieces, locs), t, self.ptr)

    def _write_result(self, plan: "callconv.CallPlan", result, name: str) -> None:
        values = result if len(plan.results) > 1 else (result,)
        if not isinstance(values, (tuple, list)) or len(values) != len(plan.results):
            raise HostFunctionError(f"host function {name} returned {result!r} for "
                                    f"{len(plan.results)} result value(s)")
        try:
            writes = plan.encode_results(values)
        except SignatureError as e:
            raise HostFunctionError(f"host function {name} returned {result!r}: {e}") from None
        write, regs = self.uc.reg_write, self.regs
        for r, v in writes:
            write(regs[r], v)

    # -- HostContext for the runtime --------------------------------------------

    @property
    def pointer_size(self) -> int:
        """Bytes in a pointer on the target."""
        return self.ptr

    def output(self, stream: int, data: bytes) -> None:
        """Append to the captured stdout (1) or stderr (2); `LimitExceeded` past `limits.output`
        bytes in one call (one program run)."""
        self._out.add(stream, data)

    def partial_output(self) -> Tuple[Tuple[int, bytes], ...]:
        """What the last call wrote before it failed, both streams in order."""
        return self._out.ordered()

    def stream_of(self, file: int) -> Optional[int]:
        """0, 1 or 2 for the FILE* of stdin, stdout or stderr (or the bare numbers 1 and 2), else None."""
        hit = self._files.get(file)
        return hit if hit is not None else (file if file in (1, 2) else None)

    def exit(self, status: int, kind: str = "exit"):
        """End the program as `exit(status)` does (`kind` "_exit": without exit handlers)."""
        raise ProgramExit(f"the program called {kind}({_signed(status)})", status=status & 0xFF, kind=kind)

    def abort(self):
        """End the program as `abort()` does (SIGABRT: status 134)."""
        raise ProgramExit("the program called abort()", status=128 + 6, kind="abort", signal=6)

    def kill(self, signal: int, name: str = ""):
        """End the program as a fatal signal does (status 128 + signal, kind "signal")."""
        raise ProgramExit(f"the program was killed by signal {signal}" + (f" ({name})" if name else ""),
                          status=(128 + signal) & 0xFF, kind="signal", signal=signal)

    def at_exit(self, function: int, argument: int = 0, with_argument: bool = False) -> None:
        """Register an exit handler (atexit, __cxa_atexit); handlers run last-in first-out.
        More than `limits.exit_handlers` registered at once is `LimitExceeded`."""
        allowed = self.limits.exit_handlers
        if len(self.exit_handlers) >= allowed:
            raise exceeded("exit_handlers", len(self.exit_handlers) + 1, allowed,
                           f"exit handlers registered (the last: {self._describe_pointer(function)})")
        self.exit_handlers.append((function, argument, with_argument))

    def _describe_pointer(self, pointer: int) -> str:
        """A function pointer's symbol (without an interworking target's Thumb bit)."""
        address = self.target.code_pointer(pointer)[0]
        return self.describe(address) or hex(pointer)

    def fatal(self, message: str, error: RigError):
        """A C library's fatal error, such as `free` of a pointer `malloc` never returned.
        In a program run (`call_each`: `jit.run`) it ends as glibc ends it: `message` on
        stderr, then abort (status 134, `ProgramExit` kind "abort", `detail` naming the
        place); in a direct call `error` is raised, naming the place."""
        if self._steps is None:
            raise error
        self.output(2, message.encode() + b"\n")
        e = ProgramExit(f"the program aborted: {message}", status=128 + SIGABRT, kind="abort", signal=SIGABRT)
        e.detail = f"{message}: {error} (called from {self._caller()})"
        raise e

    @property
    def environ(self) -> int:
        """The remote `char **environ` (0 before a program sets one up)."""
        return int.from_bytes(self.read(self.data_symbols["environ"], self.ptr), "little")

    @environ.setter
    def environ(self, address: int) -> None:
        self.write(self.data_symbols["environ"], address.to_bytes(self.ptr, "little"))

    # -- calls -------------------------------------------------------------------

    def call(self, address: int, thumb: bool, sig: Signature, args: Sequence, *,
             budget: int = 50_000_000, timeout: float = 10.0) -> CallResult:
        """Call the function at `address` with `args` per `sig`; its value and output."""
        self._out = _Output(self.limits.output)
        self._fault = None
        self._enter(address, thumb, sig, args, self.return_pad)
        self._result_sig = sig          # an executor reads its result registers with the run's answer
        elapsed = self._emulate(address | int(thumb), budget, timeout, "call")
        value = self._read_result(sig)
        if self.executor_mode:
            self.uc.end()
        ordered = self._out.ordered()
        self._out = _Output(self.limits.output)        # the result holds the output now: only once
        return CallResult(value, _stream(ordered, 1), _stream(ordered, 2), elapsed, ordered)

    def call_each(self, steps, *, budget: int = 50_000_000,
                  timeout: float = 10.0) -> Tuple[Tuple[int, bytes], ...]:
        """Make a program run's calls (constructors, main, exit handlers, destructors) in one
        emulation, so that they share one instruction `budget`, one deadline and one output
        capture, as one process's code does.

        `steps.next(value)` gives the first call, then each next one once the last returned
        `value`, as (address, thumb, signature, arguments), or None when the run is over;
        `steps.exit(status)` is told when a host function calls exit() (that call ends, and
        the run goes on with what `next` gives).  Returns the output, in order; `ProgramExit`
        (_exit, abort), a fault, a limit or a budget ends the run as it ends a call."""
        self._out = _Output(self.limits.output)
        self._fault = None
        first = steps.next(None)
        if first is None:
            return ()
        address, thumb, sig, args = first
        self._steps, self._step_sig = steps, sig
        try:
            self._enter(address, thumb, sig, args, self.next_pad)
            self._emulate(address | int(thumb), budget, timeout, "program")
        finally:
            self._steps = self._step_sig = None
        ordered = self._out.ordered()
        self._out = _Output(self.limits.output)
        return ordered

    def _on_next_pad(self) -> None:
        """A call of a program run returned: on to the next one (or the return pad)."""
        if self._steps is None:
            raise fault("code returned to the program's return pad outside a program run",
                        kind="instruction fetch from non-executable memory", pc=self.next_pad)
        self._next_step(self._read_result(self._step_sig))

    def _next_step(self, value) -> None:
        """Set up the program run's next call and jump to it, from inside the emulation."""
        nxt = self._steps.next(value)
        pc = self.regs[self.target.pc]
        if nxt is None:
            self._jump(self.return_pad)                   # emu_start's end: the run is over
            return
        address, thumb, sig, args = nxt
        self._step_sig = sig
        self._enter(address, thumb, sig, args, self.next_pad)
        self._jump(address | int(thumb))

    def _jump(self, address: int) -> None:
        """Go on at `address` from inside a hook: the PC, and the program pad's scratch
        register (its jump goes there if Unicorn runs the pad's instruction after all)."""
        if self._pad_reg:
            self.uc.reg_write(self.regs[self._pad_reg], address)
        self.uc.reg_write(self.regs[self.target.pc], address)

    def _enter(self, address: int, thumb: bool, sig: Signature, args: Sequence, return_to: int) -> None:
        """The registers and stack of a call to `address` with `args` that returns to
        `return_to`: a fresh stack from its top."""
        cc = self.target.cc
        if len(args) != len(sig.params) and not (sig.variadic and len(args) >= len(sig.params)):
            raise SignatureError(f"{sig} takes {len(sig.params)} arguments, got {len(args)}")
        regs, stack = [], []
        types, plan, stack_size, nfp = self._arg_plan(sig, args)
        for a, t, locs in zip(args, types, plan):
            bits = callconv.to_bits(a, t, self.ptr)
            for loc, piece in callconv.split(bits, locs):
                (regs if loc.reg else stack).append((loc, piece))
        area = -(-stack_size // 16) * 16
        args_base = (self.stack_top - area - 64) & ~15
        for loc, piece in stack:             # the stack holds no code: plain writes
            self.uc.mem_write(args_base + loc.offset, piece.to_bytes(loc.size, "little"))
        sp = args_base
        if cc.return_address is None:
            sp -= self.ptr
            self.uc.mem_write(sp, return_to.to_bytes(self.ptr, "little"))
        else:
            self.uc.reg_write(self.regs[cc.return_address], return_to)
        self.uc.reg_write(self.regs[cc.stack_pointer], sp)
        for loc, piece in regs:
            self.uc.reg_write(self.regs[loc.reg], piece)
        if cc.float_count_reg:
            self.uc.reg_write(self.regs[cc.float_count_reg], nfp)

    def _emulate(self, start: int, budget: int, timeout: float, what: str) -> float:
        """Run from `start` until the return pad, under `budget` instructions and `timeout`
        seconds (host functions see the deadline: `checkpoint`); the seconds it took."""
        if self.executor_mode:
            return self._emulate_machine(start, budget, timeout, what)
        t0 = time.perf_counter()
        self._intno = None
        self._timeout = timeout
        self.deadline = time.monotonic() + timeout if timeout > 0 else None
        self._watchdog.arm(timeout)
        try:
            self.uc.emu_start(start, self.return_pad, count=budget)
        except UcError as e:
            raise self._fault_error(e) from None
        except ProgramExit as e:
            ordered = self._out.ordered()
            e.stdout, e.stderr, e.output = _stream(ordered, 1), _stream(ordered, 2), ordered
            raise
        finally:
            self._watchdog.disarm()
            self.deadline = None
            if self._intno is not None:
                # A CPU exception the hook stopped at is never delivered: QEMU's x86 would keep
                # it in progress (the next division fault a double fault, then a triple fault).
                self.machine.reset_cpu()
        elapsed = time.perf_counter() - t0
        pc = self.uc.reg_read(self.regs[self.target.pc])
        if pc != self.return_pad:
            # Unicorn ends silently on both limits: the PC says the call did not return.
            where = self._where(pc)
            if self._watchdog.fired:
                raise TimeLimitExceeded(f"the {what} ran past its {timeout:g} s limit; stopped at {where}")
            raise InstructionBudgetExceeded(f"the {what} ran past its budget of {budget} instructions; "
                                            f"stopped at {where}")
        return elapsed

    def _emulate_machine(self, start: int, budget: int, timeout: float, what: str) -> float:
        """`_emulate` in executor mode: one `Machine.run` whose host calls are served from inside
        it (`_on_machine_host`), so its budget and deadline span them; its `Stop` becomes the
        error `_emulate` raises for the same end."""
        t0 = time.perf_counter()
        self._intno = None
        self._fault = None
        self._timeout = timeout
        self.deadline = time.monotonic() + timeout if timeout > 0 else None
        try:
            stop = self.machine.run(start, self.return_pad, budget, timeout, on_host=self._on_machine_host,
                                    on_syscall=self._on_machine_syscall if self._sc is not None else None,
                                    registers=self._result_names(), event_registers=self._event_names)
        except ProgramExit as e:
            ordered = self._out.ordered()
            e.stdout, e.stderr, e.output = _stream(ordered, 1), _stream(ordered, 2), ordered
            raise
        finally:
            self.deadline = None
            self.uc.end()
            self._result_sig = None
        self.uc.keep(stop.registers)
        elapsed = time.perf_counter() - t0
        reason = stop.reason
        if reason == "returned":
            return elapsed
        if reason == "fault":
            self._fault = (_ACCESS_CODE.get(stop.access, -1), stop.address, stop.size)
            raise self._fault_error(UcError(unicorn.UC_ERR_READ_UNMAPPED))
        if reason == "exception":
            if stop.intno is not None:
                self._intno = stop.intno
                raise self._fault_error(UcError(unicorn.UC_ERR_EXCEPTION))
            raise self._fault_error(UcError(_CPU_ERRNO.get(stop.error, unicorn.UC_ERR_EXCEPTION)))
        where = self._where(stop.pc)
        if reason == "timeout":
            raise TimeLimitExceeded(f"the {what} ran past its {timeout:g} s limit; stopped at {where}")
        if reason == "budget":
            raise InstructionBudgetExceeded(f"the {what} ran past its budget of {budget} instructions; "
                                            f"stopped at {where}")
        raise ExecutorError(f"the {what} stopped at {where} for a reason this process does not handle: "
                            f"{reason}")

    def _on_machine_host(self, address: int) -> None:
        """The machine's `on_host` callback: `_on_host`, its registers read in one round trip."""
        idx, rem = divmod(address - self.host_base, SLOT)
        if not rem and 1 < idx < len(self._slots):
            cc = self.target.cc
            extra = [self.regs[cc.stack_pointer]]
            if cc.return_address is not None:
                extra.append(self.regs[cc.return_address])
            plan, reg_ids = self._plans[idx]
            if plan.variadic:
                # variadic arguments are read one at a time: fetch every argument register now
                extra += [self.regs[r] for r in (*cc.int_args, *cc.float_args) if r in self.regs]
            self.uc.begin(reg_ids + extra)
        try:
            self._on_host(address)
        finally:
            self.uc.end()

    def _on_machine_syscall(self, pc: int) -> None:
        """The machine's `on_syscall` callback: `_on_syscall`, its registers read in one round trip."""
        number_reg, arg_regs, result_reg, _, clobbers = self._sc
        self.uc.begin([self.regs[self.target.pc], number_reg, *arg_regs, *(src for _, src in clobbers if src)])
        try:
            self._on_syscall()
        finally:
            self.uc.end()

    def _arg_plan(self, sig: Signature, args: Sequence) -> tuple:
        """(types, locations per argument, stack bytes, FP registers used) for a
        call with `sig` and these arguments; worked out once per signature (a
        variadic call's extra arguments are typed by their Python values)."""
        key = (sig, tuple(_vararg_type(a).name for a in args[len(sig.params):])) if sig.variadic else sig
        hit = self._arg_plans.get(key)
        if hit is None:
            alloc = callconv.ArgAllocator(self.target.cc, self.ptr)
            types, plan = [], []
            for i, a in enumerate(args):
                t = sig.params[i] if i < len(sig.params) else _vararg_type(a)
                types.append(t)
                plan.append(alloc.next(t, i >= len(sig.params)))
            hit = self._arg_plans[key] = (types, plan, alloc.stack, alloc.nfp)
        return hit

    def _result_locations(self, sig: Signature):
        locations = self._result_plans.get(sig)
        if locations is None:
            locations = self._result_plans[sig] = callconv.result_locations(self.target.cc, sig.result, self.ptr)
        return locations

    def _result_names(self) -> List[str]:
        """The registers an executor's run reads when it ends: the PC (a fault's place) and
        the current call's result registers."""
        names = [self.target.pc]
        sig = self._result_sig
        if sig is not None and sig.result:
            names += [loc.reg for locs in self._result_locations(sig) for loc in locs]
        return names

    def _read_result(self, sig: Signature):
        if not sig.result:
            return None
        out = []
        locations = self._result_locations(sig)
        for t, locs in zip(sig.result, locations):
            pieces = [self.uc.reg_read(self.regs[loc.reg]) for loc in locs]
            out.append(callconv.from_raw(callconv.join(pieces, locs), t, self.ptr))
        return out[0] if len(out) == 1 else tuple(out)

    # -- system calls ----------------------------------------------------------------

    def _on_syscall(self) -> None:
        number_reg, arg_regs, result_reg, mask, clobbers = self._sc
        read = self.uc.reg_read
        number = read(number_reg)
        args = tuple(read(r) for r in arg_regs)
        try:
            result = self.kernel.syscall(number, args)
        except ProgramExit:
            raise
        except RigError as e:
            e.args = (f"{e} (in system call {number}, {self._syscall_site()})",)
            raise
        except Exception as e:
            raise HostFunctionError(f"the kernel's handler of system call {number} ({self._syscall_site()}) "
                                    f"raised {type(e).__name__}: {e}") from e
        if not isinstance(result, int):
            raise HostFunctionError(f"the kernel answered system call {number} ({self._syscall_site()}) "
                                    f"with {result!r}, not an integer")
        write = self.uc.reg_write
        write(result_reg, result & mask)
        if clobbers:
            for reg, src in clobbers:
                write(reg, read(src) if src is not None else self._syscall_return())

    def _on_interrupt(self, intno: int) -> None:
        if intno == self._syscall_intno:
            return self._on_syscall()
        # Any other exception (a division fault, bkpt, brk, udf on AArch64, an alignment fault)
        # ends the call as a fault; the target's table says which one it is and its signal.
        self._intno = intno
        raise self._fault_error(UcError(unicorn.UC_ERR_EXCEPTION))

    def _syscall_return(self) -> int:
        return self.uc.reg_read(self.regs[self.target.pc]) + self.target.syscalls.trap_size

    def _syscall_site(self) -> str:
        return "returning to " + self._where(self._syscall_return()).replace("PC ", "", 1)

    # -- faults --------------------------------------------------------------------

    def _on_bad_memory(self, access: int, address: int, size: int) -> bool:
        self._fault = (access, address, size)
        return False

    def _where(self, pc: int) -> str:
        name = self.describe(pc)
        return f"PC {pc:#x}" + (f" ({name})" if name else "")

    def disassemble(self, pc: int) -> str:
        """The instruction at `pc` as capstone prints it, or a note why not."""
        import capstone
        state = self.target.state_of(self.uc)
        cs = self._cs.get(state)
        if cs is None:
            cs = self._cs[state] = capstone.Cs(self.target.cs_arch, self.target.cs_modes.get(state, self.target.cs_mode))
        try:
            code = bytes(self.uc.mem_read(pc, 16))
        except UcError:
            return "(no code mapped there)"
        for insn in cs.disasm(code, pc, 1):
            return f"{insn.bytes.hex()}  {insn.mnemonic} {insn.op_str}".strip()
        return f"{code[:4].hex()}  (not a valid instruction)"

    def registers(self) -> Dict[str, int]:
        """The target's fault registers, read now."""
        names = self.target.fault_registers
        return dict(zip(names, self.machine.reg_read_many(names)))

    def _fault_error(self, e: UcError) -> EmulationFault:
        pc = self.uc.reg_read(self.regs[self.target.pc])
        regs = self.registers()
        address = None
        caller = ""
        if self._fault is not None:
            access, address, size = self._fault
            kind, signal = _MEM_KIND.get(access, "memory fault"), SIGSEGV
            if self.guard[0] <= address < self.guard[1]:
                kind = "stack overflow (" + kind + " in the guard page)"
            what = f"{kind} at {address:#x} ({size} bytes)"
            here = self.describe(address)
            if here:
                what += f" [{here}]"
            if access in _FETCH:
                # Most often a call through a bad pointer (null): the PC names nothing, the
                # return address names the caller.
                caller = self._return_address_text()
        elif self._intno is not None:
            text, signal = self.target.traps.get(self._intno, ("", SIGILL))
            kind = f"CPU exception: {text}" if text else _ERR_KIND[unicorn.UC_ERR_EXCEPTION][0]
            what = kind
        else:
            kind, signal = _ERR_KIND.get(e.errno, (f"emulation error: {e}", SIGILL))
            what = kind
        insn = self.disassemble(pc)
        reg_text = " ".join(f"{k}={v:#x}" for k, v in regs.items())
        message = f"{what} at {self._where(pc)}: {insn}"
        if caller:
            message += f"\n  called from {caller}"
        if self._intno is not None and self._fault is None:
            message += f"\n  (Unicorn interrupt {self._intno})"
        return fault(f"{message}\n  registers: {reg_text}", kind=kind, signal=signal, pc=pc,
                     address=address, registers=regs)

    def _return_address_text(self) -> str:
        """The return address (link register, or the word at the stack pointer) symbolized,
        or "" when it cannot be read."""
        try:
            return self._caller()
        except (UcError, RigError):
            return ""

    def close(self) -> None:
        """Release the emulator's memory now rather than at garbage collection."""
        self.machine.close()            # the watchdog, and every region unmapped (a child executor ends)
        self.uc = None
        self._backing.clear()
        self._zeroed.clear()
        self._host_pages.clear()


class NoKernel:
    """The kernel of a process nobody gave one: every system call fails with
    -ENOSYS (38 on every Linux target) and is recorded in `unknown` as (name, number)."""

    ENOSYS = 38
    LIMIT = 1000        #: records kept

    def __init__(self, abi=None):
        self._names = {n: name for name, n in abi.numbers.items()} if abi is not None else {}
        self.unknown: List[Tuple[str, int]] = []

    def syscall(self, number: int, args: Tuple[int, ...]) -> int:
        """-ENOSYS, recorded."""
        if len(self.unknown) < self.LIMIT:
            self.unknown.append((self._names.get(number, f"syscall {number}"), number))
        return -self.ENOSYS


class _VarArgs:
    """The variadic arguments of a host call, read in order."""

    def __init__(self, proc: Process, alloc):
        self._proc, self._alloc = proc, alloc

    def next(self, type_name: str):
        """The next variadic argument as `type_name`."""
        t = callconv.VARARG_TYPES.get(type_name)
        if t is None:
            raise HostFunctionError(f"unknown variadic type {type_name!r}")
        return self._proc._read_arg(self._alloc, t, True)


def _vararg_type(value):
    return callconv.VARARG_TYPES["f64" if isinstance(value, float) else "i64"]
