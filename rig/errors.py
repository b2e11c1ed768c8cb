"""Every failure a user can cause is one of these, and its message names the place."""
from __future__ import annotations


class RigError(Exception):
    """Base of every error the rig raises on purpose."""


class CompileError(RigError):
    """The source (IR, bitcode, assembly, C) could not be turned into an object."""


class BadObject(RigError):
    """The object is malformed, truncated, or for another machine."""


class UnsupportedRelocation(RigError):
    """The target's table has no row for a relocation type found in the object."""

    def __init__(self, message: str, *, type_: int | None = None, name: str | None = None):
        super().__init__(message)
        self.type = type_
        self.name = name


class RelocationOverflow(RigError):
    """A relocation's value does not fit its field (and no stub can help)."""

    def __init__(self, message: str, *, value: int | None = None, site: str | None = None):
        super().__init__(message)
        self.value = value
        self.site = site


class UndefinedSymbol(RigError):
    """A symbol is neither defined by a loaded module nor known to the resolver."""

    def __init__(self, message: str, *, symbol: str | None = None):
        super().__init__(message)
        self.symbol = symbol


class DuplicateSymbol(RigError):
    """Two modules define the same strong symbol."""


class PlacementError(RigError):
    """A requested placement overlaps, is misaligned, or lies outside the address space."""


class SignatureError(RigError):
    """A function signature is malformed, or arguments do not match it."""


class NoSuchSymbol(RigError):
    """A module has no symbol of that name."""


class EmulationFault(RigError):
    """The emulated code faulted: kind, PC as symbol+offset and section+offset,
    the faulting instruction, and the registers."""

    def __init__(self, message: str, *, kind: str = "", pc: int | None = None,
                 address: int | None = None, registers: dict | None = None):
        super().__init__(message)
        self.kind = kind
        self.pc = pc
        self.address = address
        self.registers = registers or {}


class BudgetExceeded(RigError):
    """A call ran out of its instruction budget or its wall-clock limit."""


class InstructionBudgetExceeded(BudgetExceeded):
    """A call executed more instructions than its budget allows."""


class TimeLimitExceeded(BudgetExceeded):
    """A call ran longer than its wall-clock limit."""


class LimitExceeded(RigError):
    """An input or a guest asked for more than one of `rig.limits.Limits` allows;
    `limit` names it, `asked` and `allowed` are the numbers."""

    def __init__(self, message: str, *, limit: str = "", asked: int = 0, allowed: int = 0):
        super().__init__(message)
        self.limit, self.asked, self.allowed = limit, asked, allowed


class HostFunctionError(RigError):
    """A host function (the runtime or a user callback) rejected its arguments,
    e.g. `free` of a pointer `malloc` never returned."""


class ProgramExit(RigError):
    """The program called `exit`, `_exit` or `abort`; `status` is the process status
    (`128 + signal` for abort), `output` what it printed so far.  `kind` is
    "exit" (exit handlers and destructors still run), "_exit" or "abort"."""

    def __init__(self, message: str, *, status: int, stdout: bytes = b"", stderr: bytes = b"",
                 kind: str = "exit", signal: int = 0):
        super().__init__(message)
        self.status = status
        self.stdout = stdout
        self.stderr = stderr
        self.kind = kind
        self.signal = signal
        self.output: tuple = ()        #: (stream, bytes) chunks in the order written


class ModuleUnloaded(RigError):
    """A `Module` or `Function` was used after `jit.unload` removed its module."""


class UnknownTarget(RigError):
    """No target of that name is registered."""


class ComparisonFailed(RigError):
    """An external tool (ld.lld, qemu, lli) failed, or the program it ran did not
    exit with the expected status; the message names the tool and its stderr."""


class ExecutorError(RigError):
    """An executor (the remote process behind `rig.executor`) refused an operation or a
    register name, or broke the protocol; the message names the operation and the place."""


class ProtocolError(ExecutorError):
    """A frame of the executor protocol was malformed, out of order or of another version."""


class ExecutorDied(ExecutorError):
    """The executor's process ended (the message names the signal or the exit status) or
    stayed silent past its deadline, while an operation waited for its answer."""
