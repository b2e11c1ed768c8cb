"""`Revivable`: a `Machine` that outlives its executor.

An executor in another process can crash, be killed, or fall silent; the call that was
running then fails with `ExecutorDied`, and the next operation starts a fresh executor and
puts back what the rig installed: every mapping with its permissions, the bytes the rig
wrote (module images, host slots, TLS blocks), the host slots' range and the registers
the rig set outside calls (a thread pointer).  What the guest itself wrote is lost with
the process, as a crashed process's memory is: modules come back as the rig last wrote
them, which for a module's data is as loaded or last relinked.
"""
from __future__ import annotations

from typing import Callable, Dict, Iterable, List, Optional, Sequence, Tuple

from ..errors import ExecutorDied
from .machine import Machine, Stop


class Revivable(Machine):
    """Wraps the machines `start()` makes, one at a time: an operation that finds the current
    one dead starts the next and replays the journal into it before going on."""

    def __init__(self, start: Callable[[], Machine]):
        self._start = start
        self.machine: Optional[Machine] = start()
        self.target = self.machine.target
        #: start -> [size, perms]: the mappings as the rig made them (split by unmap/protect)
        self._maps: Dict[int, List] = {}
        #: address -> bytes the rig wrote there last (a later write over the same bytes wins)
        self._writes: Dict[int, bytes] = {}
        self._regs: Dict[str, int] = {}
        self._host: Optional[Tuple[int, int]] = None
        self._in_run = False
        #: how many executors this machine has started after the first
        self.revivals = 0

    # -- the journal -----------------------------------------------------------------

    def _split(self, start: int, end: int) -> List[int]:
        """Split the journal's mappings at `start` and `end`; the starts inside [start, end)."""
        inside = []
        for s in sorted(self._maps):
            size, perms = self._maps[s]
            e = s + size
            if e <= start or s >= end:
                continue
            for cut in (start, end):
                if s < cut < e:
                    self._maps[s][0] = cut - s
                    self._maps[cut] = [e - cut, perms]
        for s in sorted(self._maps):
            if start <= s < end:
                inside.append(s)
        return inside

    def _forget(self, start: int, end: int) -> None:
        whole = self._maps.get(start)
        if whole is not None and whole[0] == end - start:
            del self._maps[start]            # the common case: a run unmapped as it was mapped
        else:
            for s in self._split(start, end):
                del self._maps[s]
        for a in [a for a, data in self._writes.items() if a < end and a + len(data) > start]:
            data = self._writes.pop(a)
            if a < start:                               # keep the parts outside
                self._writes[a] = data[:start - a]
            if a + len(data) > end:
                self._writes[end] = data[end - a:]

    def _note(self, address: int, data: bytes) -> None:
        # Replayed in the order written: a rewrite at an address moves to the end.
        self._writes.pop(address, None)
        self._writes[address] = bytes(data)

    def _live(self) -> Machine:
        """The current machine, started afresh (and the journal replayed) if the last died."""
        if self.machine is None:
            machine = self._start()
            try:
                for s in sorted(self._maps):
                    size, perms = self._maps[s]
                    machine.map(s, size, perms)
                for a, data in self._writes.items():
                    machine.write(a, data)
                if self._host is not None:
                    machine.host_range(*self._host)
                for name, value in self._regs.items():
                    machine.reg_write(name, value)
                machine.flush()
            except BaseException:
                machine.close()
                raise
            self.machine = machine
            self.revivals += 1
        return self.machine

    def _do(self, op: str, *args, **kwargs):
        machine = self._live()
        try:
            return getattr(machine, op)(*args, **kwargs)
        except ExecutorDied:
            self._bury()
            raise

    def _bury(self) -> None:
        machine, self.machine = self.machine, None
        if machine is not None:
            try:
                machine.close()
            except Exception:           # it is dead already: nothing of it to tidy
                pass

    # -- the Machine ---------------------------------------------------------------

    def map(self, start: int, size: int, perms: str, data: Optional[bytes] = None) -> None:
        """Map pages (journaled)."""
        machine = self.machine or self._live()
        try:
            machine.map(start, size, perms, data)
        except ExecutorDied:
            self._bury()
            raise
        self._maps[start] = [size, perms]
        if data:
            self._note(start, data)

    def unmap(self, start: int, size: int) -> None:
        """Unmap pages (journaled)."""
        machine = self.machine or self._live()
        try:
            machine.unmap(start, size)
        except ExecutorDied:
            self._bury()
            raise
        self._forget(start, start + size)

    def protect(self, start: int, size: int, perms: str) -> None:
        """Set permissions (journaled)."""
        self._do("protect", start, size, perms)
        whole = self._maps.get(start)
        if whole is not None and whole[0] == size:
            whole[1] = perms
            return
        for s in self._split(start, start + size):
            self._maps[s][1] = perms

    def write(self, address: int, data: bytes) -> None:
        """Write bytes (journaled unless a run is going: then they are the guest's, as a host
        function's writes are)."""
        machine = self.machine or self._live()
        try:
            machine.write(address, data)
        except ExecutorDied:
            self._bury()
            raise
        if not self._in_run:
            self._note(address, data)

    def read(self, address: int, size: int) -> bytes:
        """Read bytes."""
        return self._do("read", address, size)

    def regions(self) -> List[Tuple[int, int, str]]:
        """The mapped regions."""
        return self._do("regions")

    def reg_read(self, name: str) -> int:
        """A register."""
        return self._do("reg_read", name)

    def reg_read_many(self, names: Iterable[str]) -> List[int]:
        """Several registers at once."""
        return self._do("reg_read_many", names)

    def reg_write(self, name: str, value: int) -> None:
        """Set a register (journaled outside runs: a call sets its own)."""
        machine = self.machine or self._live()
        try:
            machine.reg_write(name, value)
        except ExecutorDied:
            self._bury()
            raise
        if not self._in_run:
            self._regs[name] = value

    def host_range(self, start: int, size: int) -> None:
        """Declare the host slots (journaled)."""
        self._do("host_range", start, size)
        self._host = (start, size)

    def run(self, start_pc: int, until_pc: int, budget: int, timeout: float,
            on_host: Optional[Callable[[int], None]] = None,
            on_syscall: Optional[Callable[[int], None]] = None, registers: Sequence[str] = (),
            event_registers: Sequence[str] = ()) -> Stop:
        """Run on the current machine (a dead one is replaced first; dying here is `ExecutorDied`)."""
        self._in_run = True
        try:
            return self._do("run", start_pc, until_pc, budget, timeout, on_host=on_host, on_syscall=on_syscall,
                            registers=registers, event_registers=event_registers)
        finally:
            self._in_run = False

    def flush(self) -> None:
        """Send what is deferred."""
        self._do("flush")

    def send(self) -> None:
        """Start what is deferred without waiting."""
        self._do("send")

    def close(self) -> None:
        """Close the current machine."""
        self._bury()
        self._maps.clear()
        self._writes.clear()

    def __getattr__(self, name):
        # What a particular machine offers beyond the contract (a child's pid, the native
        # machine's own pages) reads through to the current one.
        machine = self.__dict__.get("machine")
        if machine is None:
            raise AttributeError(name)
        return getattr(machine, name)
