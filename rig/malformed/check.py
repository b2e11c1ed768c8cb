"""One hostile input through a `Jit`, and what came out.

`Checker(target).check(input)` loads the input; if it loads, runs its
`main` (a whole program) or calls a few of its functions (the snippets'
`hostile_*` first) with a small instruction budget and a short wall-clock
limit, then unloads it.  Whatever happened, it then loads a known-good
module, calls it and checks the answer: an input must never leave the
`Jit` unable to run good code.  Only `rig.RigError`s may come out; anything
else is an `Outcome` with status "exception" and its traceback.
"""
from __future__ import annotations

import resource
import signal
import sys
import time
import traceback
from dataclasses import dataclass
from typing import List, Optional, Tuple

from ..errors import RigError
from .generate import Input

#: The module every input is followed by; its answer is known.
GOOD_IR = """
@rig_malformed_table = internal constant [4 x i32] [i32 3, i32 5, i32 7, i32 11]
@rig_malformed_count = global i32 0
@rig_malformed_table_ptr = global ptr @rig_malformed_table
define i32 @rig_malformed_good(i32 %i) {
  %t = load ptr, ptr @rig_malformed_table_ptr
  %p = getelementptr [4 x i32], ptr %t, i32 0, i32 %i
  %v = load i32, ptr %p
  %c = load i32, ptr @rig_malformed_count
  %n = add i32 %c, %v
  store i32 %n, ptr @rig_malformed_count
  ret i32 %n
}
"""
GOOD_CALL, GOOD_ARG, GOOD_ANSWER = "rig_malformed_good", 2, 7

#: An outcome's status: the two a hostile input may have, then the findings.
OK_STATUSES = ("loaded", "rejected")
STATUSES = OK_STATUSES + ("exception", "unusable", "hang", "crash")


@dataclass
class Outcome:
    """What one input did.

    `status`: "loaded" (it loaded and ran; RigErrors while running are
    fine), "rejected" (a RigError refused it), "exception" (anything but a
    RigError came out), "unusable" (the Jit could not run the good module
    afterwards), "hang" (the input outlived the watchdog) or "crash" (the
    process running it died)."""

    status: str
    errors: Tuple[str, ...] = ()     #: the RigError classes raised, load first, in order
    exception: str = ""              #: the non-RigError's class (or the signal that killed the process)
    message: str = ""                #: its message (first 2,000 characters)
    traceback: str = ""
    ran: Tuple[str, ...] = ()        #: what was run after the load and how each ended
    rss: int = 0                     #: peak resident set of the process that ran it, bytes
    seconds: float = 0.0
    #: LLVM died in the compile worker (`rig.worker`), which the rig reported as a CompileError
    worker_crashed: bool = False

    @property
    def ok(self) -> bool:
        """Only RigErrors, and the Jit still runs good code."""
        return self.status in OK_STATUSES

    def describe(self) -> str:
        """A paragraph for a failure message or a report."""
        head = f"{self.status}"
        if self.exception:
            head += f": {self.exception}: {self.message}"
        elif self.errors:
            head += f" ({', '.join(self.errors)})"
        lines = [head]
        lines += [f"  ran {r}" for r in self.ran]
        if self.traceback:
            lines.append(self.traceback.rstrip())
        return "\n".join(lines)


class Hang(BaseException):
    """The in-process watchdog (`signal.alarm`) fired: not an `Exception`, so
    no `except Exception` inside the rig swallows it."""


def peak_rss() -> int:
    """This process's peak resident set, bytes (Linux reports KiB, macOS bytes)."""
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss if sys.platform == "darwin" else rss * 1024


def _default_arg(t, scratch: int):
    if t.kind == "float":
        return 0.0
    return scratch if t.name == "ptr" else 0


class Checker:
    """A `Jit` for one target that hostile inputs go through, one at a time.

    `budget` (instructions) and `timeout` (seconds) bound each call the input
    makes; `calls` is how many of its functions are called; `compile_seconds`
    (default: `rig.limits.DEFAULT`'s) bounds a compile."""

    def __init__(self, target: str, *, budget: int = 200_000, timeout: float = 2.0, calls: int = 3,
                 compile_seconds: Optional[float] = None):
        self.target, self.budget, self.timeout, self.calls = target, budget, timeout, calls
        self.compile_seconds = compile_seconds
        self.jit = self._fresh()

    def _fresh(self):
        from ..jit import Jit
        from ..limits import DEFAULT
        # A compile that outlives `compile_seconds` is the rig's own LimitExceeded, not a hang.
        limits = DEFAULT.with_(compile_seconds=self.compile_seconds) if self.compile_seconds else DEFAULT
        return Jit(self.target, seed=0, budget=self.budget, timeout=self.timeout, limits=limits)

    def close(self) -> None:
        """Free the emulator."""
        self.jit.close()

    def check(self, inp: Input, alarm: float = 0.0) -> Outcome:
        """Run `inp` (see the module's docstring).  `alarm` > 0 arms a SIGALRM
        timer for that many seconds (main thread only) and reports a hang when
        it fires; a handler runs only between Python bytecodes, so a loop inside
        C code is noticed when it returns, if ever: that needs the child-process
        watchdog of `rig.malformed.Sandbox`."""
        t0 = time.perf_counter()
        self.worker_crashed = False
        errors: List[str] = []
        ran: List[str] = []
        status = "rejected"
        armed = alarm > 0
        if armed:
            previous = signal.signal(signal.SIGALRM, _raise_hang)
            signal.setitimer(signal.ITIMER_REAL, alarm)
        try:
            try:
                status = self._load_and_run(inp, errors, ran)
            except Hang:
                out = Outcome("hang", tuple(errors), "Hang",
                              f"over {alarm:g} s (the alarm fired where the traceback ends)",
                              traceback.format_exc(), tuple(ran), peak_rss(), time.perf_counter() - t0)
                self._replace_jit()          # stopped anywhere: trust nothing it held
                return out
            except Exception as e:  # noqa: BLE001 - this is the finding: anything but a RigError
                out = Outcome("exception", tuple(errors), type(e).__name__, str(e)[:2000], traceback.format_exc(),
                              tuple(ran), peak_rss(), time.perf_counter() - t0)
                self._replace_jit()
                return out
            try:
                self._good()
            except Hang:
                out = Outcome("hang", tuple(errors), "Hang", f"the good module, over {alarm:g} s",
                              traceback.format_exc(), tuple(ran), peak_rss(), time.perf_counter() - t0)
                self._replace_jit()
                return out
            except Exception as e:  # noqa: BLE001 - the Jit is broken: say how, then start afresh
                out = Outcome("unusable", tuple(errors), type(e).__name__,
                              f"after this input the Jit no longer runs a good module: {e}"[:2000],
                              traceback.format_exc(), tuple(ran), peak_rss(), time.perf_counter() - t0)
                self._replace_jit()
                return out
        finally:
            if armed:
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, previous)
        return Outcome(status, tuple(errors), ran=tuple(ran), rss=peak_rss(), seconds=time.perf_counter() - t0,
                       worker_crashed=self.worker_crashed)

    def _replace_jit(self) -> None:
        try:
            self.jit.close()
        except Exception:  # noqa: BLE001 - a broken Jit may not even close; the new one is what matters
            pass
        self.jit = self._fresh()

    #: Obey the SELFTEST_* inputs (`rig.malformed.sandbox` sets it from RIG_MALFORMED_SELFTEST=1).
    selftest = False

    def _load_and_run(self, inp: Input, errors: List[str], ran: List[str]) -> str:
        if self.selftest:
            _selftest(inp.data)
        jit = self.jit
        before = len(jit.modules)
        try:
            mod = jit.load(inp.data, name="input")
        except RigError as e:
            errors.append(type(e).__name__)
            # rig.worker words a dead worker so (there is no attribute to ask): counted, not a failure
            self.worker_crashed = "LLVM crashed" in str(e)
            if len(jit.modules) != before:
                raise AssertionError(f"a failed load left {len(jit.modules) - before} module(s) loaded") from e
            return "rejected"
        try:
            self._exercise(mod, errors, ran)
        finally:
            jit.unload(mod)
            jit.process.heap.reset()
        return "loaded"

    def _exercise(self, mod, errors: List[str], ran: List[str]) -> None:
        from ..signature import parse as parse_signature
        jit = self.jit
        defined = [s.name for s in mod.object.symbols
                   if s.type == "func" and s.kind == "defined" and s.binding in ("global", "weak") and s.name]
        if "main" in defined:
            try:
                r = jit.run([], [], program_name="input")
                ran.append(f"main: {r.summary()}")
                if r.ended == "fault":
                    errors.append("EmulationFault")
                elif r.ended == "limit":
                    errors.append("BudgetExceeded")
            except RigError as e:
                errors.append(type(e).__name__)
                ran.append(f"main: {type(e).__name__}")
        names = sorted((n for n in dict.fromkeys(defined) if n != "main"),
                       key=lambda n: (not n.startswith("hostile"), n))[:self.calls]
        fallback = "i64()" if jit.target.pointer_size == 8 else "i32()"
        scratch = jit.alloc(256)
        jit.write(scratch, bytes(256))
        for name in names:
            try:
                sig = mod.signatures.get(name) or parse_signature(fallback)
                args = [_default_arg(t, scratch) for t in sig.params]
                mod.invoke(name, *args, signature=sig)
                ran.append(f"{name}: returned")
            except RigError as e:
                errors.append(type(e).__name__)
                ran.append(f"{name}: {type(e).__name__}")

    def _good(self) -> None:
        jit = self.jit
        mod = jit.load(GOOD_IR, name="good.ll")
        try:
            value = mod.call(GOOD_CALL, GOOD_ARG)
        finally:
            jit.unload(mod)
            jit.process.heap.reset()
        if value != GOOD_ANSWER:
            raise AssertionError(f"the good module gave {value!r}, not {GOOD_ANSWER}")


def _raise_hang(signum, frame):
    raise Hang()


def check(inp: Input, checker: Optional[Checker] = None, alarm: float = 0.0) -> Outcome:
    """`inp` through `checker` (a new one for its target when None)."""
    own = checker is None
    checker = checker or Checker(inp.target)
    try:
        return checker.check(inp, alarm)
    finally:
        if own:
            checker.close()


#: Inputs that make a sandbox's child misbehave on purpose (RIG_MALFORMED_SELFTEST=1), so the
#: tests can check that a crash and both kinds of hang are counted as such.
SELFTEST_ABORT, SELFTEST_SLEEP, SELFTEST_STUCK = b"rig-malformed:abort", b"rig-malformed:sleep", b"rig-malformed:stuck"


def _selftest(data: bytes) -> None:
    import os
    if data == SELFTEST_ABORT:
        os.abort()                                   # as LLVM's fatal errors do
    if data == SELFTEST_STUCK:                       # a loop in C code: no alarm gets through
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        time.sleep(3600)
    if data == SELFTEST_SLEEP:                       # a loop in Python: the child's alarm stops it
        time.sleep(3600)
