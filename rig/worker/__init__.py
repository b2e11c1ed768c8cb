"""LLVM in a separate, reused process: a crash compiling one input is a `CompileError`.

llvmlite's LLVM has assertions on and ends the whole process on a fatal
error: inline asm it has no parser for, a function in `.bss`, another
target's intrinsic ("Cannot select"), an alignment of 4 GiB (out of memory),
a damaged bitcode file.  So IR and bitcode are compiled in a worker process,
and when it dies the rig says why and starts another.

The face is `compile_ir(data, kind, target, options, name, limits) -> bytes`
(the object), on a module-wide `Pool` of one worker by default
(``RIG_COMPILE_WORKERS`` sets another size; `pool()`, `shutdown()`).

Design
------
* **How the worker runs.**  A `subprocess` running ``python -S .../rig/worker/server.py``,
  talking over its stdin and stdout, not `multiprocessing`: the parent holds
  Unicorn and threads, so fork is out, and with "spawn" or "forkserver" the
  child would import the parent's `__main__` and the `rig` package (Unicorn,
  ~0.15 s and tens of MiB) to unpickle a function that needs only llvmlite.
  The script imports the standard library and llvmlite only, so it starts in
  about 0.1 s.  `subprocess` also gives the child's stderr directly: it goes
  to an unlinked temporary file (append mode, emptied before each request), and
  after a crash the parent reads LLVM's last words there ("LLVM ERROR: ...",
  an assertion) without a thread draining a pipe.  Popen starts the child with
  fork+exec (vfork / posix_spawn), which is safe in a threaded parent.
* **Reuse.**  A worker serves request after request (initialising LLVM's
  targets once); it is replaced when it dies, when it overruns its time, or
  when it asks to be (LLVM's global context only grows, so a worker past half
  its memory limit retires after its reply).  `Pool(size)` keeps up to `size`
  workers for concurrent compiles from several threads; a pool made before a
  `fork` is not used by the child (it makes its own).
* **Limits.**  The worker sets its own address-space limit
  (`RLIMIT_AS = Limits.compile_memory`, per request, so a `Jit` with other
  limits gets them) and no core files; the parent waits at most
  `Limits.compile_seconds` for a reply, then kills the worker.  Before emitting,
  the worker refuses globals over `allocatable_size` together and an alignment
  over `section_align` (ELF pads a section's file offset to its alignment: one
  `align 1073741824` makes a 1 GiB object), and after, an object over
  `object_size`; these are `CompileLimitExceeded`, both a `CompileError` and a
  `LimitExceeded` naming the limit.  Running out of memory (LLVM's "out of
  memory", `std::bad_alloc`, a `MemoryError`) names `compile_memory`, after one
  retry in a fresh worker if the one that failed had served earlier requests
  (its own growth must not be blamed on the input); a time-out names
  `compile_seconds`.
* **Protocol.**  Length-prefixed frames: a JSON header and a raw blob (the IR
  or bitcode in, the object out); see `rig.worker.server`.  JSON, not pickle,
  so neither side executes what the other wrote.
"""
from __future__ import annotations

import atexit
import fcntl
import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import threading
import time
from typing import List, Optional, Tuple

from ..errors import CompileError, LimitExceeded
from ..limits import DEFAULT, Limits, exceeded
from . import server as _proto

__all__ = ["CompileLimitExceeded", "Pool", "WorkerFailed", "compile_ir", "pool", "shutdown"]

_SERVER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "server.py")
#: How much of the worker's stderr is kept for a crash message.
_STDERR_TAIL = 64 << 10


class CompileLimitExceeded(LimitExceeded, CompileError):
    """A compile that would cross one of `rig.limits.Limits`: both a `LimitExceeded`
    (with `limit`, `asked`, `allowed`) and a `CompileError`."""


class WorkerFailed(Exception):
    """The worker process died, or overran its time, during one request
    (internal: `compile_ir` turns it into a `CompileError`)."""

    def __init__(self, how: str, last: str, *, timed_out: bool = False, signal_: int = 0):
        super().__init__(how)
        self.how, self.last, self.timed_out, self.signal = how, last, timed_out, signal_
        #: whether it was the worker's first request (so nothing earlier can be to blame)
        self.fresh = True

    @property
    def out_of_memory(self) -> bool:
        """Whether the worker died for want of memory (what it printed says so: its
        address-space limit is reached long before the kernel's OOM killer acts)."""
        text = self.last.lower()
        return ("out of memory" in text or "bad_alloc" in text or "memoryerror" in text
                or "cannot allocate memory" in text)


def _command() -> List[str]:
    """How to start a worker: this interpreter, without `site` (its .pth hooks
    cost ~15 ms of a ~90 ms start) and with llvmlite's directory given instead."""
    import importlib.util
    spec = importlib.util.find_spec("llvmlite")
    if spec is None or not spec.submodule_search_locations:
        return [sys.executable, _SERVER]          # the worker will say it cannot import llvmlite
    where = os.path.dirname(os.path.abspath(list(spec.submodule_search_locations)[0]))
    return [sys.executable, "-S", _SERVER, where]


class _Process:
    """One worker process: its pipes and its stderr file."""

    def __init__(self):
        self.stderr = tempfile.TemporaryFile()
        # O_APPEND: the child's writes always go to the end, so the parent can
        # empty the file between requests without leaving a hole.
        fd = self.stderr.fileno()
        fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) | os.O_APPEND)
        self.proc = subprocess.Popen(_command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=fd, close_fds=True)
        self.requests = 0
        self.retire = False

    @property
    def pid(self) -> int:
        """The worker's process id."""
        return self.proc.pid

    def request(self, header: dict, blob: bytes, timeout: float) -> Tuple[dict, bytes]:
        """Send one request and wait up to `timeout` seconds for its reply
        (`WorkerFailed` if the worker dies or overruns)."""
        if os.fstat(self.stderr.fileno()).st_size:
            self.stderr.truncate(0)
        self.requests += 1
        deadline = time.monotonic() + timeout
        try:
            _proto.write_frame(self.proc.stdin, header, blob)
        except (BrokenPipeError, ConnectionResetError, ValueError):
            raise self._died() from None
        out = self.proc.stdout.fileno()
        first = self._read(out, _proto._HEAD.size, deadline)
        head_len, blob_len = _proto._HEAD.unpack(first)
        reply = json.loads(self._read(out, head_len, deadline))
        data = self._read(out, blob_len, deadline) if blob_len else b""
        self.retire = bool(reply.get("retire"))
        return reply, data

    def _read(self, fd: int, n: int, deadline: float) -> bytes:
        chunks, left = [], n
        while left:
            wait = deadline - time.monotonic()
            if wait <= 0 or not select.select([fd], [], [], wait)[0]:
                self.kill()
                raise WorkerFailed("did not finish in time", self.last_words(), timed_out=True)
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                raise self._died()
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)

    def _died(self) -> WorkerFailed:
        try:
            status = self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:       # its stdout closed, yet it lives: end it
            self.kill()
            status = self.proc.returncode
        if status is not None and status < 0:
            try:
                how = f"was killed by {signal.Signals(-status).name}"
            except ValueError:
                how = f"was killed by signal {-status}"
        else:
            how = f"exited with status {status}"
        return WorkerFailed(how, self.last_words(), signal_=-status if status and status < 0 else 0)

    def last_words(self) -> str:
        """What the worker last printed to stderr: LLVM's error or assertion lines
        if there are any, else the last few non-empty lines."""
        try:
            size = os.fstat(self.stderr.fileno()).st_size
            self.stderr.seek(max(0, size - _STDERR_TAIL))
            text = self.stderr.read().decode("utf-8", "replace")
        except (OSError, ValueError):
            return ""
        lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
        # LLVM may follow its message with a stack dump: the message is the line to show.
        key = [ln for ln in lines if "LLVM ERROR" in ln or "Assertion" in ln or "error:" in ln
               or ln.startswith(("terminate called", "MemoryError", "Traceback"))]
        return "\n".join((key or lines)[-3:])

    def kill(self) -> None:
        """End the worker now and reap it (its stderr stays readable)."""
        try:
            self.proc.kill()
        except OSError:
            pass
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass

    def discard(self) -> None:
        """Kill the worker and close its pipes and stderr file."""
        self.kill()
        self._close()

    def close(self, wait: float = 1.0) -> None:
        """Ask the worker to end (its stdin closes), and kill it if it does not."""
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        try:
            self.proc.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            self.kill()
        self._close()

    def _close(self) -> None:
        for f in (self.proc.stdin, self.proc.stdout, self.stderr):
            try:
                f.close()
            except OSError:
                pass


class Pool:
    """Up to `size` worker processes, started on first need and reused; a dead
    or overrunning worker is replaced by a new one on the next request.

    `run(header, blob, timeout)` sends one request to an idle worker (waiting
    for one when all `size` are busy) and returns the reply; `WorkerFailed` if
    the worker died or overran (it is then gone).  `close()` ends them all.
    """

    def __init__(self, size: int = 1):
        if size < 1:
            raise ValueError("a pool needs at least one worker")
        self.size = size
        self._pid = os.getpid()
        self._idle: List[_Process] = []
        self._busy: List[_Process] = []
        self._cond = threading.Condition()
        self._closed = False
        #: workers started so far (a test or a benchmark reads it)
        self.started = 0

    def pids(self) -> List[int]:
        """The process ids of the live workers (idle and busy)."""
        with self._cond:
            return [p.pid for p in self._idle + self._busy if p is not None]

    def busy_pids(self) -> List[int]:
        """The process ids of the workers compiling right now."""
        with self._cond:
            return [p.pid for p in self._busy if p is not None]    # None: one still starting

    def _acquire(self) -> _Process:
        with self._cond:
            while True:
                if self._idle:
                    proc = self._idle.pop()
                    self._busy.append(proc)
                    return proc
                if len(self._busy) < self.size:
                    break
                self._cond.wait()
            self._busy.append(None)             # the slot, held while the process starts
        try:
            proc = _Process()
        except BaseException:
            with self._cond:
                self._busy.remove(None)
                self._cond.notify()
            raise
        with self._cond:
            self._busy[self._busy.index(None)] = proc
            self.started += 1
        return proc

    def _release(self, proc: _Process, keep: bool) -> None:
        with self._cond:
            self._busy.remove(proc)
            keep = keep and not self._closed      # a request that outlived `close`
            if keep:
                self._idle.append(proc)
            self._cond.notify()
        if not keep:
            proc.close(wait=0.2)

    def run(self, header: dict, blob: bytes, timeout: float) -> Tuple[dict, bytes]:
        """One request's reply from a worker (see the class docstring)."""
        proc = self._acquire()
        try:
            reply = proc.request(header, blob, timeout)
        except BaseException as e:
            # Dead, overrunning, or interrupted mid-request (the stream is then out of step):
            # this worker is done either way.
            if isinstance(e, WorkerFailed):
                e.fresh = proc.requests == 1
            with self._cond:
                self._busy.remove(proc)
                self._cond.notify()
            proc.discard()
            raise
        self._release(proc, keep=not proc.retire)
        return reply

    def close(self) -> None:
        """End every idle worker; busy ones end when their request returns (a
        request after `close` still runs, in a worker that ends with it)."""
        with self._cond:
            idle, self._idle = self._idle, []
            self._closed = True
        for proc in idle:
            proc.close()


_pool: Optional[Pool] = None
_pool_lock = threading.Lock()


def pool() -> Pool:
    """The process-wide pool (made on first use; a forked child makes its own)."""
    global _pool
    with _pool_lock:
        if _pool is None or _pool._pid != os.getpid():
            try:
                size = max(1, int(os.environ.get("RIG_COMPILE_WORKERS") or 1))
            except ValueError:
                size = 1
            _pool = Pool(size)
        return _pool


def shutdown() -> None:
    """End the process-wide pool's workers (the next compile starts a new one)."""
    global _pool
    with _pool_lock:
        p, _pool = _pool, None
    if p is not None and p._pid == os.getpid():
        p.close()


def _after_fork_in_child() -> None:
    # The parent's workers are the parent's: the child drops its references (closing
    # only its own copies of the pipes) and starts its own pool on first use.  A
    # new lock, as another thread may have held the old one at the fork.
    global _pool, _pool_lock
    _pool, _pool_lock = None, threading.Lock()


atexit.register(shutdown)
os.register_at_fork(after_in_child=_after_fork_in_child)


def _where(target, options) -> str:
    return f"{target.name} ({target.triple}, {options})"


def compile_ir(data: bytes, kind: str, target, options, name: str, limits: Limits = DEFAULT) -> bytes:
    """The ELF relocatable object for LLVM IR text (`kind` "ir") or bitcode
    ("bitcode"), compiled for `target` (a `targets.base.Target`) with `options`
    (a `rig.compile.Options`) in a worker process.

    The IR's own target lines are replaced by the target's; the optimisation
    pipeline is the one `rig.compile` always ran.  Every failure is a
    `CompileError` naming `name`, the target and LLVM's message: the IR or
    bitcode does not parse, LLVM refuses it, or LLVM ended the worker (its
    last words are quoted; the worker is replaced).  `CompileLimitExceeded`
    (also a `LimitExceeded`) when the object would cross `limits`.
    """
    header = {"op": "compile", "kind": kind, "triple": target.triple, "reloc": options.reloc,
              "code_model": options.code_model, "opt": options.opt, "name": name,
              "compile_memory": limits.compile_memory, "section_align": limits.section_align,
              "allocatable_size": limits.allocatable_size, "object_size": limits.object_size}
    where = _where(target, options)
    for attempt in (1, 2):
        try:
            reply, obj = pool().run(header, data, limits.compile_seconds)
            break
        except WorkerFailed as e:
            # A worker that served others may have grown before this input: one retry
            # in a fresh worker, so only the input's own need counts against the limit.
            if e.out_of_memory and not getattr(e, "fresh", True) and attempt == 1:
                continue
            raise _failure(e, name, where, limits) from None
    if reply.get("ok"):
        return obj
    what, message = reply.get("what"), reply.get("message", "")
    if what == "parse":
        raise CompileError(f"{name}: LLVM IR does not parse: {message}")
    if what == "bitcode":
        raise CompileError(f"{name}: bitcode does not parse: {message}")
    if what == "machine":
        raise CompileError(f"LLVM has no target machine for {target.triple} with {options}: {message}")
    if what == "limit":
        e = exceeded(reply["limit"], reply["asked"], reply["allowed"], f"{name}: compiling for {where}: {message}")
        raise CompileLimitExceeded(str(e), limit=e.limit, asked=e.asked, allowed=e.allowed)
    if what == "memory":
        raise _out_of_memory(name, where, limits, message)
    if what == "internal":
        raise CompileError(f"{name}: the compile worker failed for {where}: {message}")
    raise CompileError(f"{name}: LLVM failed for {where}: {message}")


def _out_of_memory(name: str, where: str, limits: Limits, last: str) -> CompileLimitExceeded:
    message = (f"{name}: LLVM ran out of memory compiling for {where}: the compile_memory limit is "
               f"{limits.compile_memory:,} bytes; raise it with "
               f"rig.Jit(..., limits=rig.limits.Limits(compile_memory=...))" + (f" ({last})" if last else ""))
    return CompileLimitExceeded(message, limit="compile_memory", asked=0, allowed=limits.compile_memory)


def _failure(e: WorkerFailed, name: str, where: str, limits: Limits) -> CompileError:
    if e.timed_out:
        message = (f"{name}: compiling for {where} took over the compile_seconds limit of "
                   f"{limits.compile_seconds:g} s, and the worker was killed; raise it with "
                   f"rig.Jit(..., limits=rig.limits.Limits(compile_seconds=...))"
                   + (f" (LLVM's last words: {e.last})" if e.last else ""))
        return CompileLimitExceeded(message, limit="compile_seconds", asked=limits.compile_seconds,
                                    allowed=limits.compile_seconds)
    if e.out_of_memory:
        return _out_of_memory(name, where, limits, e.last)
    last = e.last or "(it printed nothing)"
    message = f"{name}: LLVM crashed compiling for {where}: the compile worker {e.how}: {last}"
    if "asm parser" in last or "Inline asm" in last:
        message += ("; llvmlite has only the host's assembly parser, so inline or module assembly for "
                    "another machine cannot be compiled from IR: assemble it to an object (a .s file) first")
    return CompileError(message)
