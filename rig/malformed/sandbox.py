"""Checking inputs in a child process, behind a watchdog.

An input that makes LLVM abort, or the emulator crash, kills the process
it runs in; one that loops inside C code never returns to Python to be
stopped.  So the campaign (and the tests, for inputs that reach LLVM) send
each input to a child, `python -m rig.malformed serve`, one at a time: the
child answers with an `Outcome`, and the parent waits at most `timeout`
seconds for it.  No answer in time is a hang (the child is killed); the
child's pipe closing is a crash (its exit status and the end of its stderr
say how).  Either way the next input gets a fresh child, and since each
input is sent alone the one that did it is known.  A child is also
replaced every `batch` inputs, so its peak memory is that batch's.

Frames are an 8-byte little-endian length and a pickle, both ways (the
child is ours: nothing else writes to these pipes).
"""
from __future__ import annotations

import os
import pickle
import select
import signal
import subprocess
import sys
import tempfile
import time
from typing import List, Optional

from .check import Outcome
from .generate import Input

#: Seconds an input may take before it is a hang (a compile of odd IR can take a few).
TIMEOUT = 20.0
#: Inputs per child before it is replaced.
BATCH = 250
#: The child's address-space limit (RLIMIT_AS): a runaway allocation fails there, not on the machine.
MEMORY = 4 << 30
#: Seconds a child may take to start (import the rig) before it is its own failure, not an input's.
STARTUP = 120.0
#: The child's first frame: it is ready for inputs.
READY = b"ready"
#: What `Sandbox._read` returns when the child's pipe closed.
_CLOSED = object()


class Sandbox:
    """A child process that checks `Input`s, restarted when it dies, hangs or
    has served `batch` inputs.  `timeout`: seconds an input may take; `memory`:
    the child's address-space limit; `budget` and `call_timeout`: each call's
    instructions and seconds; `compile_seconds`: each compile's (default half
    of `timeout`).  `history` holds the inputs the current child
    was sent, in order (for replaying a crash that needed its predecessors)."""

    def __init__(self, *, timeout: float = TIMEOUT, batch: int = BATCH, memory: int = MEMORY,
                 budget: int = 200_000, call_timeout: float = 2.0, compile_seconds: Optional[float] = None):
        self.timeout, self.batch, self.memory = timeout, batch, memory
        self.budget, self.call_timeout = budget, call_timeout
        #: the child's Jits' `Limits.compile_seconds`: a slow compile is the rig's LimitExceeded
        #: well before the watchdog calls it a hang
        self.compile_seconds = compile_seconds if compile_seconds is not None else timeout / 2
        self.proc: Optional[subprocess.Popen] = None
        self.stderr = None
        self.history: List[Input] = []
        self.started = 0              #: children started so far
        self.peak_rss = 0             #: the largest peak resident set any child reported, bytes

    # -- the child ---------------------------------------------------------------

    def _start(self) -> None:
        self.stop()
        self.stderr = tempfile.TemporaryFile()
        env = dict(os.environ)
        # Inputs that compile must not fill the user's compile cache with junk.
        env["RIG_CACHE_DIR"] = ""
        env.setdefault("PYTHONFAULTHANDLER", "1")      # a segfault leaves a Python stack on stderr
        cmd = [sys.executable, "-m", "rig.malformed", "serve", "--memory", str(self.memory),
               "--budget", str(self.budget), "--call-timeout", str(self.call_timeout),
               "--alarm", str(self.timeout * 0.8), "--compile-seconds", str(self.compile_seconds)]
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.stderr,
                                     env=env, start_new_session=True)
        self.history = []
        self.started += 1
        # The child says when it has imported the rig: a busy machine's slow start is no input's hang.
        if self._read(max(STARTUP, self.timeout)) != READY:
            tail = self._stderr_tail(0)
            self.stop()
            raise RuntimeError("the sandbox's child did not start" + (f"; its stderr ends:\n{tail}" if tail else ""))

    def stop(self) -> None:
        """End the current child (if any)."""
        proc, self.proc = self.proc, None
        if proc is not None:
            try:
                proc.stdin.close()
            except OSError:
                pass
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc = proc
                self._kill()
                self.proc = None
            proc.stdout.close()
        if self.stderr is not None:
            self.stderr.close()
            self.stderr = None

    close = stop

    def __enter__(self) -> "Sandbox":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- one input ---------------------------------------------------------------

    def run(self, inp: Input, fresh: bool = False) -> Outcome:
        """Check `inp` in the child (a new child if `fresh`, or the old one is
        gone or has served its batch)."""
        if fresh or self.proc is None or self.proc.poll() is not None or len(self.history) >= self.batch:
            self._start()
        self.history.append(inp)
        err_at = self.stderr.seek(0, os.SEEK_END)
        payload = pickle.dumps(inp, protocol=pickle.HIGHEST_PROTOCOL)
        t0 = time.perf_counter()
        try:
            self.proc.stdin.write(len(payload).to_bytes(8, "little") + payload)
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError):
            return self._crashed(err_at, time.perf_counter() - t0)
        reply = self._read(self.timeout)
        elapsed = time.perf_counter() - t0
        if reply is None or reply is _CLOSED:
            # Silent past the deadline is a hang.  A closed pipe is a crash even if the
            # child is not yet reapable: its files close before its exit status is posted.
            if reply is None and self.proc.poll() is None:
                self._kill()
                tail = self._stderr_tail(err_at)
                self.stop()
                return Outcome("hang", exception="Hang", message=f"no answer in {self.timeout:g} s; the child "
                               f"was killed" + (f"; its stderr ends:\n{tail}" if tail else ""), seconds=elapsed)
            return self._crashed(err_at, elapsed)
        out = pickle.loads(reply)
        self.peak_rss = max(self.peak_rss, out.rss)
        if not out.ok:
            self.stop()             # the child ends itself after a finding (see `serve`): wait for it
        return out

    def _kill(self) -> None:
        """SIGKILL the child and what it started (its compile worker): the child leads
        a session of its own (start_new_session), so its process group is ours alone."""
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            self.proc.kill()
        self.proc.wait()

    def _crashed(self, err_at: int, elapsed: float) -> Outcome:
        code = self.proc.wait()
        try:                 # what the dead child started (its compile worker) goes with it
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        tail = self._stderr_tail(err_at)
        self.stop()
        if code < 0:
            try:
                what = f"killed by {signal.Signals(-code).name}"
            except ValueError:
                what = f"killed by signal {-code}"
        else:
            what = f"exited with status {code}"
        return Outcome("crash", exception=what, message=f"the child process {what}"
                       + (f"; its stderr ends:\n{tail}" if tail else ""), seconds=elapsed)

    def _stderr_tail(self, since: int, limit: int = 3000) -> str:
        if self.stderr is None:
            return ""
        self.stderr.seek(since)
        text = self.stderr.read().decode("utf-8", "replace")
        return text[-limit:].strip()

    def _read(self, timeout: float):
        """One frame from the child; None when none came by the deadline, `_CLOSED` when
        the pipe closed (the child died)."""
        fd = self.proc.stdout.fileno()
        deadline = time.monotonic() + timeout
        buf = bytearray()
        need = 8
        size = None
        while True:
            while len(buf) < need:
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                ready, _, _ = select.select([fd], [], [], left)
                if not ready:
                    return None
                chunk = os.read(fd, max(65536, need - len(buf)))
                if not chunk:
                    return _CLOSED
                buf += chunk
            if size is None:
                size = int.from_bytes(buf[:8], "little")
                need = 8 + size
                continue
            return bytes(buf[8:8 + size])


def serve(memory: int = MEMORY, budget: int = 200_000, call_timeout: float = 2.0, alarm: float = 0.0,
          compile_seconds: Optional[float] = None) -> int:
    """The child's loop: read an `Input`, check it, write its `Outcome`, until stdin ends."""
    import resource
    from .check import Checker
    channel = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)            # whatever LLVM or the rig prints must not corrupt the frames
    if memory:
        try:
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        except (ValueError, OSError):
            pass             # a hard limit below ours: keep it
    checkers = {}
    from .. import jit  # noqa: F401 - the slow imports (Unicorn, pyelftools) before saying ready
    channel.write(len(READY).to_bytes(8, "little") + READY)
    channel.flush()
    source = sys.stdin.buffer
    selftest = os.environ.get("RIG_MALFORMED_SELFTEST") == "1"
    while True:
        head = source.read(8)
        if len(head) < 8:
            return 0
        inp: Input = pickle.loads(source.read(int.from_bytes(head, "little")))
        checker = checkers.get(inp.target)
        if checker is None:
            checker = checkers[inp.target] = Checker(inp.target, budget=budget, timeout=call_timeout,
                                                      compile_seconds=compile_seconds)
            checker.selftest = selftest
        out = checker.check(inp, alarm=alarm)
        data = pickle.dumps(out, protocol=pickle.HIGHEST_PROTOCOL)
        channel.write(len(data).to_bytes(8, "little") + data)
        channel.flush()
        if not out.ok:
            # The alarm may have stopped the rig anywhere (a compile worker mid-request), and an
            # exception may have left module state half-changed: the next input gets a new process.
            return 0

