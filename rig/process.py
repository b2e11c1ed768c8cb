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
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional, Sequence, Tuple

import unicorn
from unicorn import UcError

from targets.base import Target

from . import callconv
from .errors import (EmulationFault, HostFunctionError, InstructionBudgetExceeded, ProgramExit,
                     RigError, SignatureError, TimeLimitExceeded)
from .hostmem import HostPages
from .layout import PAGE, AddressSpace, page_runs, page_up
from .runtime.heap import Heap
from .runtime.host import HostFunction
from .signature import Signature
from .watchdog import Watchdog

_PROT = {"r": unicorn.UC_PROT_READ, "w": unicorn.UC_PROT_WRITE, "x": unicorn.UC_PROT_EXEC}
SLOT = 16                      #: bytes per host-function slot
ZERO_CHUNK = 16 << 20          #: the largest Unicorn region `map_zeroed` makes
_MEM_KIND = {
    unicorn.UC_MEM_READ_UNMAPPED: "read from unmapped memory",
    unicorn.UC_MEM_WRITE_UNMAPPED: "write to unmapped memory",
    unicorn.UC_MEM_FETCH_UNMAPPED: "instruction fetch from unmapped memory",
    unicorn.UC_MEM_READ_PROT: "read from protected memory",
    unicorn.UC_MEM_WRITE_PROT: "write to read-only memory",
    unicorn.UC_MEM_FETCH_PROT: "instruction fetch from non-executable memory",
}
_ERR_KIND = {
    unicorn.UC_ERR_INSN_INVALID: "invalid instruction",
    unicorn.UC_ERR_EXCEPTION: "CPU exception (trap, undefined instruction or division fault)",
    unicorn.UC_ERR_READ_UNALIGNED: "unaligned read",
    unicorn.UC_ERR_WRITE_UNALIGNED: "unaligned write",
    unicorn.UC_ERR_FETCH_UNALIGNED: "unaligned instruction fetch",
}


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


@dataclass
class _Output:
    stdout: bytearray = field(default_factory=bytearray)
    stderr: bytearray = field(default_factory=bytearray)
    chunks: List[list] = field(default_factory=list)

    def add(self, stream: int, data: bytes) -> None:
        (self.stderr if stream == 2 else self.stdout).extend(data)
        if self.chunks and self.chunks[-1][0] == stream:
            self.chunks[-1][1] += data
        else:
            self.chunks.append([stream, bytearray(data)])

    def ordered(self) -> Tuple[Tuple[int, bytes], ...]:
        return tuple((s, bytes(d)) for s, d in self.chunks)


#: The C library's data objects, laid out in the process's data page.
_FILES = {"stdin": 0, "stdout": 1, "stderr": 2}
_FILE_SIZE = 64              # an opaque FILE: programs pass its address around, never look inside


class Process:
    """One Unicorn instance: memory, a stack with a guard page, a heap, host
    functions behind trap slots, and calls under a budget."""

    def __init__(self, target: Target, space: AddressSpace, *, stack_size: int = 1 << 20,
                 heap_size: int = 16 << 20, host_slots: int = 1024, tcg_buffer: int = 32 << 20):
        self.target = target
        self.space = space
        self.regs = target.registers
        self.ptr = target.pointer_size
        self.uc = unicorn.Uc(target.uc_arch, target.uc_mode)
        # Every trial puts code at new addresses, so translations pile up: with
        # Unicorn's 1 GiB default the resident set grew ~3 MiB per 1,000 trials.
        # A small buffer is flushed and reused when full.
        self.uc.ctl_set_tcg_buffer_size(tcg_buffer)
        target.enable_fp(self.uc)
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
        self._slots: List[Optional[HostFunction]] = [None]
        self._plans: list = [None]              # per slot: (CallPlan, its argument register ids)
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

        me = weakref.ref(self)   # hooks must not keep the process alive (memory grows otherwise)
        uc = self.uc
        self._watchdog = Watchdog(uc.emu_stop)
        self.uc.hook_add(unicorn.UC_HOOK_MEM_INVALID,
                         lambda uc, access, address, size, value, _: me()._on_bad_memory(access, address, size))
        self.uc.hook_add(unicorn.UC_HOOK_CODE, lambda uc, address, size, _: me()._on_host(address),
                         begin=self.host_base, end=self.host_base + host_size - 1)

        # Linux system calls: the trap instruction's hook reads the number and arguments and
        # asks `self.kernel` (Linux's semantics live in rig.userland); neither hook costs
        # anything until its instruction runs.
        abi = target.syscalls
        #: answers system calls: `kernel.syscall(number, args) -> int` (a value or -errno)
        self.kernel = NoKernel(abi)
        if abi is not None:
            self._sc = (self.regs[abi.number], tuple(self.regs[r] for r in abi.args), self.regs[abi.result],
                        (1 << (8 * self.ptr)) - 1,
                        tuple((self.regs[r], None if src == "next" else self.regs[src]) for r, src in abi.clobbers))
            if abi.insn is not None:
                self.uc.hook_add(unicorn.UC_HOOK_INSN, lambda uc, _: me()._on_syscall(), None, 1, 0, abi.insn)
            else:
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
        starts = [r[0] for r in runs]
        held = []
        for address, data in contents:
            # An item may span several runs: a section that starts on a page it
            # shares with an item of other permissions runs on into its own pages.
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

    def unmap_runs(self, runs: Sequence[tuple]) -> None:
        """Unmap runs mapped with `map_runs`."""
        for start, size, _ in runs:
            self._unmap_run(start, size)

    def _unmap_run(self, start: int, size: int) -> None:
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
        """Set the permissions of mapped pages (page-aligned start and size)."""
        try:
            self.uc.mem_protect(start, size, perms_bits(perms))
        except UcError as e:
            raise EmulationFault(f"cannot protect {size:#x} bytes at {start:#x}: {e}", kind="unmapped",
                                 address=start) from None

    def read_register(self, name: str) -> int:
        """A register by its target name ("fs_base", "tpidruro", "x0", ...)."""
        return self.uc.reg_read(self.regs[name])

    def write_register(self, name: str, value: int) -> None:
        """Set a register by its target name."""
        self.uc.reg_write(self.regs[name], value)

    def write(self, address: int, data: bytes) -> None:
        """Write bytes (regardless of page protections), or `EmulationFault`."""
        try:
            self.uc.mem_write(address, bytes(data))
            # Code already translated from these bytes would run on unchanged (a relink
            # after a call): drop those translations.
            self.uc.ctl_remove_cache(address, address + max(1, len(data)))
        except UcError:
            raise EmulationFault(f"write of {len(data)} bytes at {address:#x}: memory not mapped",
                                 kind="unmapped", address=address) from None

    def read(self, address: int, size: int) -> bytes:
        """Read bytes, or `EmulationFault`."""
        try:
            return bytes(self.uc.mem_read(address, size))
        except UcError:
            raise EmulationFault(f"read of {size} bytes at {address:#x}: memory not mapped",
                                 kind="unmapped", address=address) from None

    def read_cstring(self, address: int, limit: int = 1 << 20) -> bytes:
        """The NUL-terminated string at `address` (without the NUL)."""
        out = bytearray()
        while len(out) < limit:
            chunk = self.read(address, min(PAGE - (address % PAGE), limit - len(out)))
            end = chunk.find(b"\0")
            if end >= 0:
                out += chunk[:end]
                return bytes(out)
            out += chunk
            address += len(chunk)
        raise HostFunctionError(f"string at {address - len(out):#x} has no NUL within {limit} bytes")

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
        except ProgramExit:
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

    def describe_own(self, address: int) -> Optional[str]:
        """What the process itself keeps at `address` (host slots, stack guard), or None."""
        if self.host_base <= address < self.host_base + self._capacity * SLOT:
            idx = (address - self.host_base) // SLOT
            if idx == 0:
                return "the return pad"
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
        """Append to the captured stdout (1) or stderr (2)."""
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
        """Register an exit handler (atexit, __cxa_atexit); handlers run last-in first-out."""
        self.exit_handlers.append((function, argument, with_argument))

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
        cc = self.target.cc
        if len(args) != len(sig.params) and not (sig.variadic and len(args) >= len(sig.params)):
            raise SignatureError(f"{sig} takes {len(sig.params)} arguments, got {len(args)}")
        self._out = _Output()
        self._fault = None
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
            self.uc.mem_write(sp, self.return_pad.to_bytes(self.ptr, "little"))
        else:
            self.uc.reg_write(self.regs[cc.return_address], self.return_pad)
        self.uc.reg_write(self.regs[cc.stack_pointer], sp)
        for loc, piece in regs:
            self.uc.reg_write(self.regs[loc.reg], piece)
        if cc.float_count_reg:
            self.uc.reg_write(self.regs[cc.float_count_reg], nfp)

        t0 = time.perf_counter()
        self._watchdog.arm(timeout)
        try:
            self.uc.emu_start(address | int(thumb), self.return_pad, count=budget)
        except UcError as e:
            raise self._fault_error(e) from None
        except ProgramExit as e:
            e.stdout, e.stderr = bytes(self._out.stdout), bytes(self._out.stderr)
            e.output = self._out.ordered()
            raise
        finally:
            self._watchdog.disarm()
        elapsed = time.perf_counter() - t0
        pc = self.uc.reg_read(self.regs[self.target.pc])
        if pc != self.return_pad:
            # Unicorn ends silently on both limits: the PC says the call did not return.
            where = self._where(pc)
            if self._watchdog.fired:
                raise TimeLimitExceeded(f"the call ran past its {timeout:g} s limit; stopped at {where}")
            raise InstructionBudgetExceeded(f"the call ran past its budget of {budget} instructions; "
                                            f"stopped at {where}")
        value = self._read_result(sig)
        return CallResult(value, bytes(self._out.stdout), bytes(self._out.stderr), elapsed, self._out.ordered())

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

    def _read_result(self, sig: Signature):
        if not sig.result:
            return None
        out = []
        locations = self._result_plans.get(sig)
        if locations is None:
            locations = self._result_plans[sig] = callconv.result_locations(self.target.cc, sig.result, self.ptr)
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
        if intno == self.target.syscalls.interrupt:
            return self._on_syscall()
        # Any other exception (bkpt, brk, udf on AArch64) ends the call as it did before
        # an interrupt hook existed: Unicorn would have stopped with UC_ERR_EXCEPTION.
        e = self._fault_error(UcError(unicorn.UC_ERR_EXCEPTION))
        e.args = (f"{e.args[0]}\n  (Unicorn interrupt {intno})",)
        raise e

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
        return {r: self.uc.reg_read(self.regs[r]) for r in self.target.fault_registers}

    def _fault_error(self, e: UcError) -> EmulationFault:
        pc = self.uc.reg_read(self.regs[self.target.pc])
        regs = self.registers()
        address = None
        if self._fault is not None:
            access, address, size = self._fault
            kind = _MEM_KIND.get(access, "memory fault")
            if self.guard[0] <= address < self.guard[1]:
                kind = "stack overflow (" + kind + " in the guard page)"
            what = f"{kind} at {address:#x} ({size} bytes)"
            here = self.describe(address)
            if here:
                what += f" [{here}]"
        else:
            kind = _ERR_KIND.get(e.errno, f"emulation error: {e}")
            what = kind
        insn = self.disassemble(pc)
        reg_text = " ".join(f"{k}={v:#x}" for k, v in regs.items())
        return EmulationFault(f"{what} at {self._where(pc)}: {insn}\n  registers: {reg_text}",
                              kind=kind, pc=pc, address=address, registers=regs)

    def close(self) -> None:
        """Release the emulator's memory now rather than at garbage collection."""
        self._watchdog.close()
        uc, self.uc = self.uc, None
        if uc is not None:
            for start, end, _ in list(uc.mem_regions()):
                uc.mem_unmap(start, end - start + 1)
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
