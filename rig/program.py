"""Whole programs: what a C runtime and a kernel do around `main`.

lli runs a program's `main`; in remote mode (`-remote-mcjit`) it passes no
argv or envp, loses the connection on `exit()`, and never runs static
constructors in the child.  Here the remote process is ours, so a run does
what a real process start and exit do:

1. lay out `argv` and `envp` (strings, then NULL-terminated pointer arrays of
   the target's pointer width) in the remote heap; `environ` points at envp;
2. run the constructors: `.init_array[.N]` and `.ctors[.N]` of every loaded
   module, by priority (`.init_array.N`: N; `.ctors.N`: 65535 - N; none:
   65535), then load order, `.init_array` forward and `.ctors` backward;
3. call `main(argc, argv, envp)` (with as many arguments as it takes);
4. on return or `exit(status)`: the `atexit`/`__cxa_atexit` handlers, last
   registered first, then the destructors (`.fini_array`, `.dtors`) in the
   reverse of the constructors' order (so highest priority number first);
   `_exit` and `abort` skip both;
5. the exit status as a shell's `$?` shows it: `main`'s value or exit's
   argument modulo 256, 128 + signal when killed (abort: SIGABRT, a fault:
   the signal Linux sends: SIGSEGV, SIGILL, SIGBUS, SIGFPE, SIGTRAP, from
   `rig.process` and the target's `traps`).

Bounds: all of a run's calls (constructors, main, every exit handler and
destructor) are made in one emulation (`Process.call_each`), so they share
the `Jit`'s instruction budget and wall-clock limit, as one process's code
does; running out of either kills the program (SIGKILL, ended "limit").  At
most `Limits.exit_handlers` handlers run in one exit, and the run's output
is captured up to `Limits.output` bytes; crossing either raises
`LimitExceeded` from `run`.  A C library's fatal error in a host function
(`free` of a bad pointer) aborts the program as glibc does: its message on
stderr, status 134.

Output is both streams in the order the program wrote them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import List, Mapping, Sequence, Tuple, Union

from .errors import (BudgetExceeded, EmulationFault, NoSuchSymbol, ProgramExit, RigError, SignatureError,
                     TimeLimitExceeded)
from .corpus import Streams, join_output
from .limits import exceeded
# The signal numbers are this module's names too, as they were before they moved to rig.process.
from .process import SIGABRT, SIGBUS, SIGFPE, SIGILL, SIGKILL, SIGSEGV, SIGTRAP, signal_of  # noqa: F401
from .signature import parse as parse_signature

DEFAULT_PRIORITY = 65535
_VOID = parse_signature("void()")
_VOID_PTR = parse_signature("void(ptr)")
_MAIN = parse_signature("i32(i32, ptr, ptr)")
_INIT = re.compile(r"^\.(init_array|ctors|fini_array|dtors)(?:\.(\d+))?$")
_FORWARD = {"init_array": True, "ctors": False, "fini_array": True, "dtors": False}


@dataclass(frozen=True)
class ProgramResult(Streams):
    """How a program ended: its exit status, what it wrote, and why it stopped."""

    status: int                                   #: 0..255, as a shell's $? shows it
    output: Tuple[Tuple[int, bytes], ...] = ()    #: (1 stdout / 2 stderr, bytes) in the order written
    ended: str = "return"                         #: "return", "exit", "_exit", "abort", "fault", "limit"
    signal: int = 0                               #: the signal that killed it, or 0
    error: str = ""                               #: the fault or limit, in the rig's words

    def summary(self) -> str:
        """"exit status 3", "killed by signal 6 (abort)"..."""
        if self.signal:
            return f"killed by signal {self.signal} ({self.ended}): status {self.status}"
        return f"exit status {self.status} ({self.ended})"


@dataclass(frozen=True)
class Initializer:
    """One entry of a constructor or destructor list."""

    section: str
    priority: int
    module: int            #: load order
    index: int             #: the section's index in its object
    position: int          #: index in its section
    forward: bool          #: .init_array/.fini_array run forward, .ctors/.dtors backward
    pointer: int           #: the relocated function pointer

    def key(self) -> tuple:
        """Sort key of the constructor order (destructors run the reverse).

        A legacy .ctors list runs backwards as a whole (crtstuff walks the output
        section from its end): every .ctors section of a module, in reverse, each
        entry in reverse, after that module's .init_array entries of the same priority."""
        sign = 1 if self.forward else -1
        return (self.priority, self.module, 0 if self.forward else 1, sign * self.index, sign * self.position)


def initializers(jit, kind: str) -> List[Initializer]:
    """The constructors ("init") or destructors ("fini") of every loaded module,
    in the order they run."""
    names = ("init_array", "ctors") if kind == "init" else ("fini_array", "dtors")
    ptr = jit.target.pointer_size
    out = []
    for order, mod in enumerate(jit.modules):
        for sec in mod.object.sections:
            m = _INIT.match(sec.name)
            if not m or m.group(1) not in names or sec.index in mod.exclude:
                continue
            n = int(m.group(2)) if m.group(2) else None
            if m.group(1) in ("ctors", "dtors"):
                priority = DEFAULT_PRIORITY - n if n is not None else DEFAULT_PRIORITY
            else:
                priority = n if n is not None else DEFAULT_PRIORITY
            data = jit.read(mod.layout.address(sec.index), sec.size)
            for i in range(sec.size // ptr):
                value = int.from_bytes(data[i * ptr:(i + 1) * ptr], "little")
                if value in (0, (1 << (8 * ptr)) - 1):       # .ctors lists may hold 0 / -1 markers
                    continue
                out.append(Initializer(sec.name, priority, order, sec.index, i, _FORWARD[m.group(1)], value))
    out.sort(key=Initializer.key, reverse=(kind == "fini"))
    return out


Env = Union[Mapping[str, str], Sequence[Tuple[str, str]], None]


def run(jit, args: Sequence[Union[str, bytes]] = (), env: Env = None, *, program_name: str = "",
        entry: str = "main") -> ProgramResult:
    """Run the loaded program's `entry` (main) as a process would, with `args`
    (argv[1..]; argv[0] is `program_name`) and exactly the environment `env`."""
    proc = jit.process
    mod, address, thumb = _find(jit, entry)
    sig = mod.signatures.get(entry)
    sig = parse_signature(sig) if isinstance(sig, str) else (sig or _MAIN)
    if len(sig.params) > 3 or sig.variadic:
        raise SignatureError(f"{entry} takes {sig}: expected main(), main(int, char **) or "
                             f"main(int, char **, char **)")
    argv = [_bytes(program_name or mod.name)] + [_bytes(a) for a in args]
    pairs = list(env.items()) if isinstance(env, Mapping) else list(env or ())
    envp = [_bytes(k) + b"=" + _bytes(v) for k, v in pairs]
    block, argv_at, envp_at = _lay_out(jit, argv, envp)
    proc.limits = jit.limits            # the limits a Jit was made with, or has been given since
    proc.exit_handlers.clear()
    proc.environ = envp_at
    try:
        return _run(jit, _Steps(jit, address, thumb, sig, (len(argv), argv_at, envp_at)[:len(sig.params)]))
    finally:
        proc.environ = 0
        proc.exit_handlers.clear()
        jit.free(block)


class _Steps:
    """The calls a C runtime makes around main, one at a time (`Process.call_each`):
    constructors, main, then what exit() does -- handlers last-in first-out, then
    destructors.  exit() from a handler or destructor lets the rest run (as glibc
    does); _exit, abort, a fault or a limit end everything."""

    def __init__(self, jit, address: int, thumb: bool, sig, main_args):
        self._jit = jit
        self._main = (address, thumb, sig, main_args)
        self._inits = initializers(jit, "init")
        self._finis = None
        self._stage = "init"            # then "main", "handlers", "finis", "done"
        self._in_main = False
        self.status, self.ended = 0, "return"
        self.handlers_run = 0

    def exit(self, status: int) -> None:
        """A call ended in exit(status): on to the exit handlers (registered since, too)."""
        self.ended, self.status = "exit", status & 0xFF
        self._stage, self._in_main = "handlers", False

    def next(self, value):
        """The next call as (address, thumb, signature, arguments) after the last returned
        `value`, or None when the run is over; `LimitExceeded` past `Limits.exit_handlers`."""
        jit = self._jit
        if self._in_main:
            self._in_main = False
            self.status = (int(value) if self._main[2].result else 0) & 0xFF
        if self._stage == "init":
            if self._inits:
                return self._pointer(self._inits.pop(0).pointer, _VOID, ())
            self._stage, self._in_main = "main", True
            return self._main
        if self._stage == "main":
            self._stage = "handlers"
        handlers = jit.process.exit_handlers
        if self._stage == "handlers":
            if handlers:
                self.handlers_run += 1
                function, argument, with_argument = handlers.pop()
                allowed = jit.limits.exit_handlers
                if self.handlers_run > allowed:
                    where = jit.symbolize(jit.target.code_pointer(function)[0]) or hex(function)
                    raise exceeded("exit_handlers", self.handlers_run, allowed,
                                   f"exit handlers run by one exit (the next: {where})")
                if with_argument:
                    return self._pointer(function, _VOID_PTR, (argument,))
                return self._pointer(function, _VOID, ())
            self._stage = "finis"
        if self._stage == "finis":
            if self._finis is None:
                self._finis = initializers(jit, "fini")
            if self._finis:
                return self._pointer(self._finis.pop(0).pointer, _VOID, ())
            self._stage = "done"
        return None

    def _pointer(self, pointer: int, sig, args) -> tuple:
        address, thumb = self._jit.target.code_pointer(pointer)
        return address, thumb, sig, args


def _run(jit, steps: _Steps) -> ProgramResult:
    """The run's calls in one emulation, and how it ended."""
    proc = jit.process
    try:
        output = proc.call_each(steps, budget=jit.budget, timeout=jit.timeout)
    except ProgramExit as e:        # _exit, abort, a fatal signal: no handlers, no destructors
        return ProgramResult(e.status, join_output(e.output), e.kind, e.signal, getattr(e, "detail", ""))
    except EmulationFault as e:
        return _Killed(e, signal_of(e), "fault", proc.partial_output()).result([])
    except BudgetExceeded as e:
        return _Killed(e, SIGKILL, "limit", proc.partial_output()).result([])
    return ProgramResult(steps.status, join_output(output), steps.ended)


class _Killed(Exception):
    """A fault or a limit ended the program; carries what it printed."""

    def __init__(self, error: RigError, signal: int, ended: str, output):
        self.error, self.signal, self.ended, self.output = error, signal, ended, output

    def result(self, chunks) -> ProgramResult:
        chunks.extend(self.output)
        return ProgramResult(128 + self.signal, join_output(chunks), self.ended, self.signal, str(self.error))


def _call(jit, chunks, address: int, thumb: bool, sig, args):
    """One call as part of a program (the musl runtime's __libc_start_main): a fault or a
    budget ends the program (`_Killed`), with the signal Linux would send."""
    try:
        result = jit.process.call(address, thumb, sig, args, budget=jit.budget, timeout=jit.timeout)
    except EmulationFault as e:
        raise _Killed(e, signal_of(e), "fault", jit.process.partial_output()) from None
    except (BudgetExceeded, TimeLimitExceeded) as e:
        raise _Killed(e, SIGKILL, "limit", jit.process.partial_output()) from None
    chunks.extend(result.output)
    return result.value


def _find(jit, entry: str):
    for mod in jit.modules:
        hit = mod.image.symbols.get(entry)
        if hit is not None:
            return mod, hit[0], hit[1]
    raise NoSuchSymbol(f"no loaded module defines {entry!r}: a whole program needs a {entry} function")


def _bytes(text: Union[str, bytes]) -> bytes:
    data = text if isinstance(text, bytes) else text.encode("utf-8", "surrogateescape")
    if b"\0" in data:
        raise SignatureError(f"an argument or environment entry cannot contain a NUL byte: {data!r}")
    return data


def _lay_out(jit, argv: List[bytes], envp: List[bytes]) -> Tuple[int, int, int]:
    """argv and envp in one heap block: the two pointer arrays, then the strings."""
    ptr = jit.target.pointer_size
    arrays = (len(argv) + 1 + len(envp) + 1) * ptr
    size = arrays + sum(len(s) + 1 for s in argv + envp)
    block = jit.alloc(size, 16)
    pointers, strings, at = [], bytearray(), block + arrays
    for s in argv + [None] + envp + [None]:
        if s is None:
            pointers.append(0)
            continue
        pointers.append(at + len(strings))
        strings += s + b"\0"
    jit.write(block, b"".join(p.to_bytes(ptr, "little") for p in pointers) + bytes(strings))
    return block, block, block + (len(argv) + 1) * ptr
