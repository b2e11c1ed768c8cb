"""The contract between a host function and the remote process.

A `HostFunction` is what MCJIT's `getSymbolAddress` hands out for an
external: a name, a C signature and a Python callable.  The process decodes
the arguments per the target's calling convention, calls
``impl(ctx, *args)`` (variadic functions get a `VarArgs` as the last
argument), and encodes the result.  The callable sees the remote process only
through the `HostContext`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Protocol

from ..limits import DEFAULT as DEFAULT_LIMITS, Limits
from ..signature import Signature, parse


class VarArgs(Protocol):
    """The variadic arguments of one call, read in order like a C `va_list`."""

    def next(self, type_name: str):
        """The next argument as `type_name` ("i32", "u64", "ptr", "size", "f64", ...)."""


class Heap(Protocol):
    """The allocator for `malloc` and friends inside the remote space."""

    def allocate(self, size: int, align: int = 16) -> int:
        """A block of `size` bytes (0 when there is no room)."""

    def release(self, address: int) -> None:
        """Free a block `allocate` returned (0 is ignored)."""

    def size_of(self, address: int) -> int:
        """The size a live block was allocated with."""


class HostContext(Protocol):
    """What a host function may do to the remote process."""

    pointer_size: int
    heap: Heap

    def read(self, address: int, size: int) -> bytes:
        """Bytes of remote memory (`EmulationFault` when unmapped)."""

    def write(self, address: int, data: bytes) -> None:
        """Write remote memory."""

    def read_cstring(self, address: int, limit: int = 1 << 20) -> bytes:
        """The NUL-terminated string at `address`, without the NUL."""

    def output(self, stream: int, data: bytes) -> None:
        """Append to the call's captured stdout (1) or stderr (2)."""

    def exit(self, status: int, kind: str = "exit"):
        """End the program with `status` (raises `ProgramExit`); `kind` "_exit"
        skips exit handlers and destructors."""

    def abort(self):
        """End the program as SIGABRT does (raises `ProgramExit`, status 134)."""

    def stream_of(self, file: int):
        """0, 1 or 2 for the FILE* of stdin, stdout or stderr, else None."""

    def at_exit(self, function: int, argument: int = 0, with_argument: bool = False) -> None:
        """Register an exit handler (run last-in first-out when the program exits)."""

    environ: int        #: the remote `char **environ` (0 when there is none)

    # What bounds a host function's work.  A context may lack these (a test's fake process):
    # the runtime reaches them through `limits_of`, `checkpoint`, `check_range` and `fatal`
    # below, which fall back to the default limits, no deadline, no check and raising.

    limits: Limits      #: what the guest may make the host spend (`rig.limits`)

    def checkpoint(self) -> None:
        """`TimeLimitExceeded` when the running call's deadline has passed."""

    def check_range(self, address: int, size: int, access: str = "read") -> None:
        """Fault (`EmulationFault`, SIGSEGV) at the first unmapped byte of the range."""

    def fatal(self, message: str, error: Exception):
        """A C library's fatal error: in a whole program, `message` on stderr and abort
        (status 134); in a direct call, raise `error`."""


@dataclass(frozen=True)
class HostFunction:
    """A Python function callable from remote code under `name`."""

    name: str
    signature: Signature
    impl: Callable[..., object]
    doc: str = ""

    @classmethod
    def of(cls, name: str, signature: str, impl: Callable[..., object], doc: str = "") -> "HostFunction":
        """Build one from a signature string such as ``"ptr(ptr, ptr, size)"``."""
        return cls(name, parse(signature), impl, doc or (impl.__doc__ or "").strip())


def host(signature: str, *names: str):
    """Decorator collecting a runtime function under one or more C names."""
    def wrap(fn):
        fn.__rig_host__ = (signature, names or (fn.__name__,))
        return fn
    return wrap


def collect(namespace: dict) -> dict:
    """Every function decorated with `host` in a module namespace, by C name."""
    out = {}
    for fn in list(namespace.values()):
        spec = getattr(fn, "__rig_host__", None)
        if spec:
            sig, names = spec
            for n in names:
                out[n] = HostFunction.of(n, sig, fn)
    return out


def limits_of(ctx) -> Limits:
    """The limits `ctx`'s process runs under (the defaults for a context without any)."""
    return getattr(ctx, "limits", None) or DEFAULT_LIMITS


def checkpoint(ctx) -> None:
    """Raise `TimeLimitExceeded` if the call `ctx` serves is past its deadline: host
    functions call it between chunks of work whose size the guest chose."""
    check = getattr(ctx, "checkpoint", None)
    if check is not None:
        check()


def check_range(ctx, address: int, size: int, access: str = "read") -> None:
    """Fault as the CPU would if [address, address + size) is not all mapped, before any
    host memory is spent on it (a context without the check learns at the access)."""
    check = getattr(ctx, "check_range", None)
    if check is not None:
        check(address, size, access)


def fatal(ctx, message: str, error: Exception):
    """End the program as a C library's fatal error does (`HostContext.fatal`), or raise
    `error` where the context has no program to end."""
    end = getattr(ctx, "fatal", None)
    if end is None:
        raise error
    end(message, error)
    raise error             # a context's fatal returned: the call must not go on
