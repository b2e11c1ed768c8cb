"""The primitive operations an executor provides, and the in-process one over Unicorn.

A `Machine` knows pages, permissions, bytes and registers (by the target's names), and
runs code until something needs the rig: the return address, a host slot, a system call,
a fault, a CPU exception, or a limit.  Its hooks record why they stopped (`Stop`) and end
`emu_start`, so that the same contract can be carried over a pipe
(`rig.executor.client.RemoteMachine`) -- except at a host slot when the run was given an
`on_host` callback: then the hook calls it and emulation goes on in the same `emu_start`,
so that the instruction budget and the deadline span every host call (Unicorn tells no
count of what a stopped run executed, so a stop-and-resume budget restarts at each one).
"""
from __future__ import annotations

import weakref
from dataclasses import dataclass, fields, replace
from typing import Callable, Dict, Iterable, List, Optional, Sequence, Tuple

import unicorn
from unicorn import UcError

from targets.base import Target

from ..errors import EmulationFault, ExecutorError
from ..hostmem import HostPages
from ..watchdog import Watchdog

_PROT = {"r": unicorn.UC_PROT_READ, "w": unicorn.UC_PROT_WRITE, "x": unicorn.UC_PROT_EXEC}
#: Unicorn's memory access codes as the protocol spells them (data, not Unicorn numbers:
#: the other side of a pipe need not have Unicorn at all).
ACCESS = {
    unicorn.UC_MEM_READ_UNMAPPED: "read_unmapped",
    unicorn.UC_MEM_WRITE_UNMAPPED: "write_unmapped",
    unicorn.UC_MEM_FETCH_UNMAPPED: "fetch_unmapped",
    unicorn.UC_MEM_READ_PROT: "read_prot",
    unicorn.UC_MEM_WRITE_PROT: "write_prot",
    unicorn.UC_MEM_FETCH_PROT: "fetch_prot",
}
#: Unicorn's errors that end a run without a memory hook or an interrupt (an invalid
#: instruction, an unaligned access), as the protocol spells them.
CPU_ERRORS = {
    unicorn.UC_ERR_INSN_INVALID: "insn_invalid",
    unicorn.UC_ERR_EXCEPTION: "exception",
    unicorn.UC_ERR_READ_UNALIGNED: "read_unaligned",
    unicorn.UC_ERR_WRITE_UNALIGNED: "write_unaligned",
    unicorn.UC_ERR_FETCH_UNALIGNED: "fetch_unaligned",
}


#: Mappings up to this size go over pooled host buffers (module runs); larger ones (a heap,
#: a stack) are Unicorn's own, allocated as touched.
POOLED = 4 << 20


def perms_bits(perms: str) -> int:
    """Unicorn protection bits for "r", "rw", "rx", ... (another letter is an `ExecutorError`)."""
    bits = 0
    for c in perms:
        if c not in _PROT:
            raise ExecutorError(f"permissions {perms!r}: {c!r} is not one of r, w, x")
        bits |= _PROT[c]
    return bits


@dataclass(frozen=True)
class Stop:
    """Why a `Machine.run` ended, with what the rig needs to go on.

    `reason` is one of:

    * "returned": the PC reached `until_pc`;
    * "host": the PC reached a host slot (`address`) in a run without `on_host`; resume with
      `run(address, ...)`, the slot's own instruction then runs (it returns to the caller);
    * "syscall": a system-call trap at `pc`; the call returns to `resume`;
    * "fault": a memory access fault: `access` (e.g. "read_unmapped"), `address`, `size`;
    * "exception": a CPU exception, Unicorn's interrupt number `intno`, or `error` (e.g.
      "insn_invalid") when Unicorn reported it without an interrupt;
    * "budget": the instruction budget ran out; "timeout": the deadline passed;
    * "aborted": `UnicornMachine.abort_run` ended it (from a host callback).

    `pc` is where the CPU stood when it stopped; `registers` the values of the registers the
    run was asked for (a call's result: no second round trip).  Plain data: `to_json` /
    `from_json`."""

    reason: str
    pc: int
    address: Optional[int] = None
    size: int = 0
    access: str = ""
    intno: Optional[int] = None
    error: str = ""
    resume: Optional[int] = None
    #: the registers the run was asked to read when it ended (`Machine.run`'s `registers`)
    registers: Optional[Dict[str, int]] = None

    def to_json(self) -> dict:
        """The stop as a JSON-able dict (the protocol's form: fields at their defaults left out)."""
        out = {"reason": self.reason, "pc": self.pc}
        for name, default in _STOP_DEFAULTS:
            value = getattr(self, name)
            if value != default:
                out[name] = value
        return out

    @classmethod
    def from_json(cls, d: dict) -> "Stop":
        """The stop `to_json` made (keys it does not know are ignored: a newer peer may add some)."""
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in names})


#: Stop's optional fields and their defaults (what `to_json` may leave out).
_STOP_DEFAULTS = tuple((f.name, f.default) for f in fields(Stop) if f.name not in ("reason", "pc"))


class Machine:
    """What an executor does: memory, registers, and runs that end in a `Stop`.

    Failures are `RigError`s: a map over a mapped page or an access of unmapped memory is an
    `EmulationFault`, an unknown register name an `ExecutorError`.  A remote machine may defer
    operations that need no answer (map, unmap, protect, write, reg_write) until one does;
    `flush` forces them, and their failures surface there, naming the operation."""

    target: Target

    def map(self, start: int, size: int, perms: str, data: Optional[bytes] = None) -> None:
        """Map fresh zeroed pages [start, start + size) with `perms`, holding `data` from `start`."""
        raise NotImplementedError

    def unmap(self, start: int, size: int) -> None:
        """Unmap pages (any page-aligned part of a mapping)."""
        raise NotImplementedError

    def protect(self, start: int, size: int, perms: str) -> None:
        """Set the permissions of mapped pages."""
        raise NotImplementedError

    def write(self, address: int, data: bytes) -> None:
        """Write bytes regardless of protections (code translated from them is dropped)."""
        raise NotImplementedError

    def read(self, address: int, size: int) -> bytes:
        """Read bytes regardless of protections."""
        raise NotImplementedError

    def regions(self) -> List[Tuple[int, int, str]]:
        """The mapped regions as sorted (start, end exclusive, permissions) triples."""
        raise NotImplementedError

    def reg_read(self, name: str) -> int:
        """A register by its name in `target.registers`."""
        raise NotImplementedError

    def reg_write(self, name: str, value: int) -> None:
        """Set a register by its name in `target.registers`."""
        raise NotImplementedError

    def reg_read_many(self, names: Iterable[str]) -> List[int]:
        """Several registers at once (one round trip on a remote machine)."""
        return [self.reg_read(n) for n in names]

    def host_range(self, start: int, size: int) -> None:
        """Make [start, start + size) the host slots: reaching one stops the run ("host")."""
        raise NotImplementedError

    def run(self, start_pc: int, until_pc: int, budget: int, timeout: float,
            on_host: Optional[Callable[[int], None]] = None,
            on_syscall: Optional[Callable[[int], None]] = None, registers: Sequence[str] = (),
            event_registers: Sequence[str] = ()) -> Stop:
        """Run from `start_pc` until `until_pc` under `budget` instructions and `timeout`
        seconds (0: no limit, for either), or until something else stops it; why, as a `Stop`.

        Without `on_host` a host slot stops the run ("host") and the budget counts this run
        only: a run resumed after a host or system-call stop starts a new count (Unicorn tells
        no count of what a stopped run executed).  With `on_host`, reaching a host slot calls
        `on_host(slot_address)` while the run is still going: the callback may use this
        machine's read, write, reg_read and reg_write (and set the PC register to go
        elsewhere; else the slot's own instruction runs, returning to the caller), and the run
        continues under the same budget and deadline.  The callback may not `run` or change
        the host slots; an exception it raises ends the run and is raised here.

        `on_syscall` does the same for system-call traps: without it a trap stops the run
        ("syscall"); with it, `on_syscall(pc)` is called at the trap (`pc` the trap
        instruction's address, the registers holding the call's number and arguments), writes
        the result register, and the run goes on after the trap instruction.

        The `registers` named are read when the run ends, into `Stop.registers`;
        `event_registers` are the ones a callback will read first (a remote machine sends them
        with the event: no round trip; others may ignore them)."""
        raise NotImplementedError

    def flush(self) -> None:
        """Do the deferred operations now (nothing to do in-process)."""

    def send(self) -> None:
        """Start the deferred operations without waiting for them (a remote machine works on
        them while the rig goes on; their failure surfaces at the next operation that waits)."""

    def close(self) -> None:
        """Release the machine."""


class UnicornMachine(Machine):
    """A `Machine` in this process, over one Unicorn instance for `target`.

    With `hooks=False` it installs no hooks and `run` is not available: `rig.process.Process`
    builds on it that way, keeping its own hooks that run host functions and system calls
    inside the emulation (one `emu_start` per call: its instruction budget spans the host
    calls, which a stop-and-resume run cannot count)."""

    def __init__(self, target: Target, *, tcg_buffer: int = 32 << 20, hooks: bool = True):
        self.target = target
        self._regs = target.registers
        self.uc = unicorn.Uc(target.uc_arch, target.uc_mode)
        # Every trial puts code at new addresses: a small translation buffer is flushed and
        # reused when full instead of growing toward Unicorn's 1 GiB default.
        self.uc.ctl_set_tcg_buffer_size(tcg_buffer)
        target.enable_fp(self.uc)
        self._stop: Optional[Stop] = None        # what a hook recorded in the current run
        self._fault: Optional[tuple] = None      # (access, address, size) from the memory hook
        self._until = 0
        self._skip: Optional[int] = None         # the host slot a run resumes at: runs once
        self._host_hook = None
        self._host = (0, 0)
        self._on_host_cb: Optional[Callable[[int], None]] = None   # the current run's callbacks
        self._on_syscall_cb: Optional[Callable[[int], None]] = None
        self._raised: Optional[BaseException] = None               # what the callback raised
        self._running = False                                      # inside emu_start
        me = weakref.ref(self)                   # hooks must not keep the machine alive
        #: stops the emulator when a run's deadline passes (`fired` tells afterwards)
        self.watchdog = Watchdog(self.uc.emu_stop)
        self.hooks = hooks
        self._pages = HostPages()
        #: start -> (size, pooled buffer) of the runs mapped over host buffers
        self._backing: Dict[int, tuple] = {}
        self._kept: List[tuple] = []             # buffers of pooled runs partly unmapped
        abi = target.syscalls
        self._syscall_intno = abi.interrupt if abi is not None else None
        self._trap_size = abi.trap_size if abi is not None else 0
        # The CPU as it starts, to return to after an exception (`reset_cpu`).
        self._clean_cpu = self.uc.context_save()
        if not hooks:
            return
        self.uc.hook_add(unicorn.UC_HOOK_MEM_INVALID,
                         lambda uc, access, address, size, value, _: me()._on_bad_memory(access, address, size))
        if abi is not None and abi.insn is not None:
            self.uc.hook_add(unicorn.UC_HOOK_INSN, lambda uc, _: me()._on_syscall(), None, 1, 0, abi.insn)
        # Every CPU exception: without this hook Unicorn ends with UC_ERR_EXCEPTION and no
        # word of which one it was (the signal depends on it).
        self.uc.hook_add(unicorn.UC_HOOK_INTR, lambda uc, intno, _: me()._on_interrupt(intno))

    # -- memory ------------------------------------------------------------------

    def map(self, start: int, size: int, perms: str, data: Optional[bytes] = None) -> None:
        """Map fresh zeroed pages with `perms`, holding `data` from `start`."""
        bits = perms_bits(perms)
        if data is not None and len(data) > size:
            raise EmulationFault(f"map of {size:#x} bytes at {start:#x}: {len(data):#x} bytes of contents "
                                 f"do not fit", kind="unmapped", address=start)
        if size > POOLED or not self.hooks:
            try:
                self.uc.mem_map(start, size, bits)
            except UcError as e:
                raise EmulationFault(f"cannot map {size:#x} bytes at {start:#x}: {e}", kind="unmapped",
                                     address=start) from None
            if data:
                self.uc.mem_write(start, bytes(data))
            return
        # A module's page run: over a pooled host buffer, its contents copied in before it is
        # mapped (nothing can have been translated from it yet), as `Process.map_runs` does:
        # half the cost of a fresh mapping plus a write.
        buf = self._pages.take(size)
        try:
            self.uc.mem_map_ptr(start, size, bits, buf[1])
        except UcError as e:
            self._pages.give(size, buf)
            raise EmulationFault(f"cannot map {size:#x} bytes at {start:#x}: {e}", kind="unmapped",
                                 address=start) from None
        if data:
            buf[0][:len(data)] = data
        self._backing[start] = (size, buf)

    def unmap(self, start: int, size: int) -> None:
        """Unmap pages, and drop code translated from them."""
        try:
            self.uc.mem_unmap(start, size)
            backing = self._backing.get(start)
            if backing is not None and backing[0] == size:
                # A whole pooled run (`Process.unmap_runs` does the same with no cache call).
                del self._backing[start]
                self._pages.give(size, backing[1])
                return
            # A part of a pooled run: its buffer is kept until `close` (its other pages use it).
            for s, (n, b) in list(self._backing.items()):
                if s < start + size and start < s + n:
                    self._kept.append(self._backing.pop(s)[1])
            self.uc.ctl_remove_cache(start, start + size)
        except UcError as e:
            raise EmulationFault(f"cannot unmap {size:#x} bytes at {start:#x}: {e}", kind="unmapped",
                                 address=start) from None

    def protect(self, start: int, size: int, perms: str) -> None:
        """Set the permissions of mapped pages."""
        bits = perms_bits(perms)
        try:
            self.uc.mem_protect(start, size, bits)
        except UcError as e:
            raise EmulationFault(f"cannot protect {size:#x} bytes at {start:#x}: {e}", kind="unmapped",
                                 address=start) from None

    def write(self, address: int, data: bytes) -> None:
        """Write bytes; code already translated from them would run on unchanged, so drop it."""
        try:
            self.uc.mem_write(address, bytes(data))
            self.uc.ctl_remove_cache(address, address + max(1, len(data)))
        except UcError:
            raise EmulationFault(f"write of {len(data):,} bytes at {address:#x}: memory not mapped",
                                 kind="unmapped", address=address) from None

    def read(self, address: int, size: int) -> bytes:
        """Read bytes."""
        try:
            return bytes(self.uc.mem_read(address, size))
        except UcError:
            raise EmulationFault(f"read of {size:,} bytes at {address:#x}: memory not mapped",
                                 kind="unmapped", address=address) from None

    def regions(self) -> List[Tuple[int, int, str]]:
        """The mapped regions, sorted: (start, end exclusive, permissions)."""
        return sorted((begin, last + 1, "".join(c for c, bit in _PROT.items() if perms & bit))
                      for begin, last, perms in self.uc.mem_regions())

    # -- registers ------------------------------------------------------------------

    def _reg(self, name: str) -> int:
        reg = self._regs.get(name)
        if reg is None:
            raise ExecutorError(f"no register {name!r} on target {self.target.name}")
        return reg

    def reg_read(self, name: str) -> int:
        """A register by its target name."""
        return self.uc.reg_read(self._reg(name))

    def reg_write(self, name: str, value: int) -> None:
        """Set a register by its target name."""
        self.uc.reg_write(self._reg(name), value)

    # -- runs ---------------------------------------------------------------------

    def host_range(self, start: int, size: int) -> None:
        """Make [start, start + size) the host slots.  The code hook covers only this range:
        no per-instruction Python anywhere else."""
        self._need_hooks("host_range")
        if self._running:
            # Deleting the code hook from inside itself (a host callback) would pull the hook
            # out from under Unicorn mid-call.
            raise ExecutorError(f"host_range at {start:#x}: not while a run is going (from a host callback)")
        if self._host_hook is not None:
            self.uc.hook_del(self._host_hook)
        me = weakref.ref(self)
        self._host = (start, start + size)
        self._host_hook = self.uc.hook_add(unicorn.UC_HOOK_CODE, lambda uc, address, size_, _: me()._on_host(address),
                                           begin=start, end=start + size - 1)

    def run(self, start_pc: int, until_pc: int, budget: int, timeout: float,
            on_host: Optional[Callable[[int], None]] = None,
            on_syscall: Optional[Callable[[int], None]] = None, registers: Sequence[str] = (),
            event_registers: Sequence[str] = ()) -> Stop:
        """Run until `until_pc` or a stop; see `Stop`, and `Machine.run` for the callbacks."""
        stop = self._run(start_pc, until_pc, budget, timeout, on_host, on_syscall)
        if registers:
            stop = replace(stop, registers=dict(zip(registers, self.reg_read_many(registers))))
        return stop

    def _run(self, start_pc: int, until_pc: int, budget: int, timeout: float,
             on_host: Optional[Callable[[int], None]], on_syscall: Optional[Callable[[int], None]]) -> Stop:
        self._need_hooks("run")
        if self._running:
            # emu_start is not re-entrant: a nested run would clobber this one's CPU state.
            raise ExecutorError(f"run from {start_pc:#x}: not from inside a run (a host callback)")
        self._on_host_cb = on_host
        self._on_syscall_cb = on_syscall
        self._raised = None
        self._stop = None
        self._fault = None
        self._until = until_pc
        # Resuming at a host slot: its instruction (a return) must run, not stop again.
        self._skip = start_pc if self._host[0] <= start_pc < self._host[1] else None
        self.watchdog.arm(timeout)
        error = None
        self._running = True
        try:
            self.uc.emu_start(start_pc, until_pc, count=max(0, budget))
        except UcError as e:
            error = e
        finally:
            self._running = False
            self._on_host_cb = self._on_syscall_cb = None
            self.watchdog.disarm()
        raised, self._raised = self._raised, None
        if raised is not None:
            raise raised
        stop = self._stop
        if stop is not None and stop.reason == "exception":
            self.reset_cpu()
        if stop is None and error is not None:
            pc = self.uc.reg_read(self._regs[self.target.pc])
            if self._fault is not None:
                access, address, size = self._fault
                stop = Stop("fault", pc, address=address, size=size, access=ACCESS.get(access, f"access {access}"))
            else:
                stop = Stop("exception", pc, error=CPU_ERRORS.get(error.errno, f"unicorn error {error.errno}"))
        if stop is None:
            pc = self.uc.reg_read(self._regs[self.target.pc])
            if pc == until_pc:
                stop = Stop("returned", pc)
            else:
                # Unicorn ends silently on both limits: the watchdog says which it was.
                stop = Stop("timeout" if self.watchdog.fired else "budget", pc)
        return stop

    def _on_host(self, address: int) -> None:
        if address == self._skip:
            self._skip = None
            return
        if address == self._until or self._stop is not None or self._raised is not None:
            return
        callback = self._on_host_cb
        if callback is None:
            self._stop = Stop("host", address, address=address)
            self.uc.emu_stop()
            return
        self._call_back(callback, address)

    def _call_back(self, callback: Callable[[int], None], address: int) -> None:
        """Call a run's callback from inside a hook."""
        try:
            callback(address)
        except BaseException as e:
            # Kept and raised by `run` after emu_start returns: an exception must not cross
            # Unicorn's C frames, and the run cannot go on after a failed host call.
            self._raised = e
            self.uc.emu_stop()

    def abort_run(self) -> None:
        """End the current run when the host callback returns (Stop "aborted"); nothing
        outside a run.  The executor's server does this when the client's callback failed."""
        if not self._running:
            return
        self._stop = Stop("aborted", self.uc.reg_read(self._regs[self.target.pc]))
        self.uc.emu_stop()

    def _on_syscall(self) -> None:
        if self._stop is not None or self._raised is not None:
            return
        pc = self.uc.reg_read(self._regs[self.target.pc])
        if self._on_syscall_cb is not None:
            return self._call_back(self._on_syscall_cb, pc)
        self._stop = Stop("syscall", pc, resume=pc + self._trap_size)
        self.uc.emu_stop()

    def _on_interrupt(self, intno: int) -> None:
        if intno == self._syscall_intno:
            return self._on_syscall()
        pc = self.uc.reg_read(self._regs[self.target.pc])
        self._stop = Stop("exception", pc, intno=intno)
        self.uc.emu_stop()

    def _on_bad_memory(self, access: int, address: int, size: int) -> bool:
        self._fault = (access, address, size)
        return False

    def _need_hooks(self, op: str) -> None:
        if not self.hooks:
            raise ExecutorError(f"{op}: this machine was made without hooks (its owner runs the emulator)")

    def reset_cpu(self) -> None:
        """The CPU as it started, every register kept: an exception stopped in the hook is
        never delivered, and QEMU's x86 would make the next one a double fault."""
        keep: Dict[int, int] = {}
        for reg in self._regs.values():
            try:
                keep[reg] = self.uc.reg_read(reg)
            except (UcError, ValueError):
                pass
        self.uc.context_restore(self._clean_cpu)
        for reg, value in keep.items():
            try:
                self.uc.reg_write(reg, value)
            except (UcError, ValueError):
                pass

    def close(self) -> None:
        """Stop the watchdog and release the emulator's memory."""
        self.watchdog.close()
        uc, self.uc = self.uc, None
        if uc is not None:
            for start, end, _ in list(uc.mem_regions()):
                uc.mem_unmap(start, end - start + 1)
        self._backing.clear()
        self._kept.clear()
        self._pages.clear()
