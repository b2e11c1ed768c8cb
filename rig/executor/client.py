"""`RemoteMachine`: a `Machine` whose emulator runs in a child process (``python -m
rig.executor --stdio``), reached over its stdin/stdout with `rig.executor.protocol`.

Operations that need no answer (map, unmap, protect, write, reg_write, host_range) wait in a
batch until one that does (read, reg_read, run, flush) sends them all in one round trip; a
deferred op's failure is raised there, naming the op.  The child's death or its silence past
a deadline is `ExecutorDied`, never a hang -- also while the child waits inside a run for
a host callback's operations (`run` with `on_host`).
"""
from __future__ import annotations

import os
import select
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable, Iterable, List, Optional, Sequence, Tuple

from targets.base import Target

from ..errors import ExecutorDied, ExecutorError, ProtocolError
from . import protocol
from .machine import Machine, Stop

#: Seconds an answer may take beyond a run's own timeout (the child's start-up, a large batch).
GRACE = 30.0
#: Batches `RemoteMachine.send` may have outstanding before it reads their answers.
IN_FLIGHT = 8
_ROOT = str(Path(__file__).resolve().parents[2])     # where `rig` and `targets` are importable from


class _Child:
    """The pipe transport: an executor child process (``python -m rig.executor --stdio``)."""

    def __init__(self, target: Target, python: str):
        # The child's stderr goes to a file: read only when it dies, and a pipe nobody
        # drains would block a chatty child.
        self._stderr = tempfile.TemporaryFile()
        env = dict(os.environ)
        env["PYTHONPATH"] = _ROOT + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
        self._proc = subprocess.Popen([python, "-m", "rig.executor", "--stdio", "--target", target.name],
                                      stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._stderr,
                                      env=env, bufsize=0)
        self.pid = self._proc.pid
        self.name = f"executor {self.pid} ({target.name})"
        self.fd = self._proc.stdout.fileno()
        self.out = self._proc.stdin

    def how_it_ended(self) -> str:
        """How the child ended ("was killed by signal 9 (SIGKILL)"), its stderr's tail after."""
        try:
            status = self._proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.kill()
            status = self._proc.wait()
        if status < 0:
            try:
                how = f"was killed by signal {-status} ({signal.Signals(-status).name})"
            except ValueError:
                how = f"was killed by signal {-status}"
        else:
            how = f"exited with status {status}"
        self._stderr.seek(0)
        tail = self._stderr.read()[-2000:].decode("utf-8", "replace").strip()
        return how + (f"; its stderr ends:\n{tail}" if tail else "")

    def kill(self) -> None:
        """End the child now."""
        if self._proc.poll() is None:
            self._proc.kill()
            self._proc.wait()

    def close(self) -> None:
        """Close its input (it exits at the end of input); kill it if it lingers."""
        if self._proc.poll() is None:
            try:
                self._proc.stdin.close()
            except OSError:
                pass
            try:
                self._proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.kill()
        for f in (self._proc.stdout, self._stderr):
            try:
                f.close()
            except OSError:
                pass


class _Connection:
    """The TCP transport: one connection to a ``rig executor --listen HOST:PORT`` server,
    whose forked child serves it (its pid comes with the hello)."""

    def __init__(self, target: Target, host: str, port: int, wait: float):
        try:
            self._sock = socket.create_connection((host, port), timeout=wait)
        except OSError as e:
            raise ExecutorDied(f"cannot reach an executor at {host}:{port}: {e.strerror or e}") from None
        self._sock.settimeout(None)            # `_Reader` bounds every wait with select
        self._sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)   # small frames go at once
        self.pid: Optional[int] = None
        self.address = f"{host}:{port}"
        self.name = f"executor at {self.address} ({target.name})"
        self.fd = self._sock.fileno()
        self.out = self._sock.makefile("wb", buffering=0)

    def how_it_ended(self) -> str:
        """What the rig can tell of a remote end: the connection closed."""
        return "closed the connection (the executor died or was stopped)"

    def kill(self) -> None:
        """Drop the connection (the server's child ends at the end of its input)."""
        self.close()

    def close(self) -> None:
        """Close the connection."""
        for f in (self.out, self._sock):
            try:
                f.close()
            except OSError:
                pass


def parse_tcp(spec: str, *, any_port: bool = False) -> Tuple[str, int]:
    """(host, port) of "tcp://HOST:PORT" (or "HOST:PORT"); a malformed one is an `ExecutorError`.
    With `any_port`, port 0 (the system picks one: a server's) is allowed."""
    rest = spec[len("tcp://"):] if spec.startswith("tcp://") else spec
    host, sep, port = rest.rpartition(":")
    host = host.strip("[]")
    if not sep or not host or not port.isdigit() or not (0 if any_port else 1) <= int(port) < 65536:
        raise ExecutorError(f"executor address {spec!r}: expected tcp://HOST:PORT")
    return host, int(port)


class RemoteMachine(Machine):
    """A `Machine` in another process for `target`: a child over pipes (`address` None), or
    a ``rig executor --listen`` server's child over TCP (`address` "tcp://HOST:PORT").  The
    other side runs a `UnicornMachine`."""

    def __init__(self, target: Target, *, python: str = sys.executable, grace: float = GRACE,
                 address: Optional[str] = None):
        self.target = target
        self.grace = grace
        self._batch = protocol.Batch()
        self._closed = False
        self._in_host = False                    # inside a run's callback
        self._event_regs: Optional[dict] = None  # the registers the current event brought
        self._sent: List[Tuple[List[str], str]] = []    # batches `send` started: (op names, summary)
        if address is None:
            self._channel = _Child(target, python)
        else:
            host, port = parse_tcp(address)
            self._channel = _Connection(target, host, port, grace)
        self.pid = self._channel.pid
        self._in = protocol.Reader(self._channel.fd, self._silent)
        reply, _ = self._exchange({"op": "hello", "version": protocol.VERSION, "target": target.name}, b"",
                                  grace, "hello")
        if self.pid is None and isinstance(reply.get("pid"), int):
            self.pid = reply["pid"]
            self._channel.name = f"executor {self.pid} at {self._channel.address} ({target.name})"
        if reply.get("version") != protocol.VERSION or reply.get("target") != target.name:
            self.close()
            raise ProtocolError(f"{self._channel.name}: answered hello with version {reply.get('version')!r}, "
                                f"target {reply.get('target')!r}; expected {protocol.VERSION}, {target.name!r}")

    # -- the wire ---------------------------------------------------------------------

    def _silent(self):
        waited = self._waiting
        self._kill()
        raise ExecutorDied(f"{self._channel.name} was silent for {waited:g} s "
                           f"while answering {self._asking}; killed it")

    def _died(self, asking: str) -> ExecutorDied:
        how = self._channel.how_it_ended()
        self._closed = True
        return ExecutorDied(f"{self._channel.name} {how} while answering {asking}")

    def _kill(self) -> None:
        self._channel.kill()
        self._closed = True

    def _exchange(self, header: dict, blob: bytes, wait: float, asking: str,
                  on_event: Optional[Callable[[dict], None]] = None):
        """Send one request and read its reply (header, blob), within `wait` seconds.  Event
        frames before the reply go to `on_event` (each one then has `wait` seconds again);
        without it an event is a `ProtocolError`."""
        if self._closed:
            raise ExecutorDied(f"{self._channel.name} is gone; cannot answer {asking}")
        self._put(header, blob, asking)
        earlier = self._collect()
        while True:
            reply, out = self._receive(wait, asking)
            if "event" not in reply:
                break
            if on_event is None:
                self._kill()            # the streams are out of step: nothing after this can be trusted
                raise ProtocolError(f"{self._channel.name}: unexpected event {reply!r:.200} while waiting "
                                    f"for the answer to {asking}")
            on_event(reply)
        if earlier is not None:
            raise earlier               # a batch `send` started failed first: this one's answer is moot
        if not reply.get("ok", False) and "index" not in reply:
            raise protocol.error_from_json(reply.get("error"), f"{self._channel.name}, {asking}")
        return reply, out

    def _collect(self) -> Optional[BaseException]:
        """Read the answers to the batches `send` started, in order; the first one's failure
        (returned, for the caller to raise once the stream is in step again)."""
        sent, self._sent = self._sent, []
        first = None
        for what, asking in sent:
            reply, _ = self._receive(self.grace, asking)
            if "event" in reply:
                self._kill()
                raise ProtocolError(f"{self._channel.name}: unexpected event {reply!r:.200} while waiting "
                                    f"for the answer to {asking}")
            if not reply.get("ok") and first is None:
                i = reply.get("index")
                where = what[i] if isinstance(i, int) and 0 <= i < len(what) else asking
                first = protocol.error_from_json(reply.get("error"), f"{self._channel.name}, {where} (deferred)")
        return first

    def send(self) -> None:
        """Start the deferred operations now, without waiting: the executor works on them while
        the rig goes on (a trial's maps while it sets up the call, its unmaps while it links
        the next).  Their answers are read, and a failure raised, at the next operation that
        waits.  At most `IN_FLIGHT` batches are outstanding, so neither side's pipe fills."""
        if not self._batch:
            return
        if self._closed:
            raise ExecutorDied(f"{self._channel.name} is gone; cannot start {protocol.describe(self._batch.ops[-1])}")
        if len(self._sent) >= IN_FLIGHT:
            earlier = self._collect()
            if earlier is not None:
                self._batch = protocol.Batch()
                raise earlier
        batch = self._batch
        what = protocol.Descriptions(batch)
        self._batch = protocol.Batch()
        asking = what[-1] if len(what) == 1 else f"a batch of {len(what)} operations ending with {what[-1]}"
        self._put(batch.header(), batch.blob(), asking)
        self._sent.append((what, asking))

    def _put(self, header: dict, blob: bytes, asking: str) -> None:
        """Send one frame; a closed pipe is the other side's death."""
        try:
            protocol.send(self._channel.out, header, blob)
        except (BrokenPipeError, ConnectionResetError, ValueError):
            raise self._died(asking) from None

    def _receive(self, wait: float, asking: str):
        """The next frame (header, blob) within `wait` seconds; the other side's end, silence
        or fatal reply raised."""
        self._asking, self._waiting = asking, wait
        self._in.deadline = time.monotonic() + wait if wait != float("inf") else None
        try:
            frame = protocol.receive(self._in, self._channel.name)
        except ConnectionResetError:
            frame = None
        finally:
            self._in.deadline = None
        if frame is None:
            raise self._died(asking)
        reply, out = frame
        if reply.get("fatal"):
            self._kill()
            raise protocol.error_from_json(reply.get("error"), f"{self._channel.name} ended the conversation")
        return reply, out

    def _queue(self, op: str, data: Optional[bytes] = None, **fields) -> int:
        return self._batch.add(op, data, **fields)

    def _send(self, wait: float = 0.0, asked: Optional[int] = None,
              on_event: Optional[Callable[[dict], None]] = None):
        """Send the batch; (results, reply blob).  The first failed op's error is raised (named
        "deferred" unless it is op `asked`, the one the caller waits for).  `on_event` serves
        the events of a run with host events."""
        batch = self._batch
        what = protocol.Descriptions(batch)
        self._batch = protocol.Batch()
        if not batch:
            return [], b""
        asking = what[-1] if len(what) == 1 else f"a batch of {len(what)} operations ending with {what[-1]}"
        reply, out = self._exchange(batch.header(), batch.blob(), wait + self.grace, asking, on_event)
        results = reply.get("results")
        if not isinstance(results, list):
            raise ProtocolError(f"{self._channel.name}: reply without results to {asking}")
        if not reply.get("ok"):
            i = reply.get("index")
            where = what[i] if isinstance(i, int) and 0 <= i < len(what) else asking
            # The executor's message names the op when it ran; a deferred op is named here too.
            prefix = self._channel.name + (f", {where} (deferred)" if i != asked else "")
            raise protocol.error_from_json(reply.get("error"), prefix)
        if len(results) != len(batch):
            raise ProtocolError(f"{self._channel.name}: {len(results)} results for {len(batch)} operations")
        return results, out

    # -- the Machine ---------------------------------------------------------------

    def map(self, start: int, size: int, perms: str, data: Optional[bytes] = None) -> None:
        """Map pages (deferred to the next round trip)."""
        self._queue("map", data, start=start, size=size, perms=perms)

    def unmap(self, start: int, size: int) -> None:
        """Unmap pages (deferred)."""
        self._queue("unmap", start=start, size=size)

    def protect(self, start: int, size: int, perms: str) -> None:
        """Set permissions (deferred)."""
        self._queue("protect", start=start, size=size, perms=perms)

    def write(self, address: int, data: bytes) -> None:
        """Write bytes (deferred)."""
        self._queue("write", bytes(data), address=address)

    def read(self, address: int, size: int) -> bytes:
        """Read bytes (one round trip, with whatever is deferred)."""
        i = self._queue("read", address=address, size=size)
        results, out = self._send(asked=i)
        return protocol.payload(results[i], out, f"{self._channel.name} read")

    def regions(self) -> List[Tuple[int, int, str]]:
        """The mapped regions (one round trip, with whatever is deferred)."""
        i = self._queue("regions")
        results, _ = self._send(asked=i)
        return [tuple(r) for r in results[i]]

    def reg_read(self, name: str) -> int:
        """A register by its target name (one round trip)."""
        return self.reg_read_many([name])[0]

    def reg_read_many(self, names: Iterable[str]) -> List[int]:
        """Several registers in one round trip (none inside an event, for the registers the
        event brought)."""
        names = list(names)
        known = self._event_regs
        if known is not None and all(n in known for n in names):
            return [known[n] for n in names]
        i = self._queue("reg_read", names=names)
        results, _ = self._send(asked=i)
        return results[i]

    def reg_write(self, name: str, value: int) -> None:
        """Set a register (deferred)."""
        if self._event_regs is not None:
            self._event_regs.pop(name, None)    # the machine may keep fewer bits than were written
        self._queue("reg_write", name=name, value=value)

    def host_range(self, start: int, size: int) -> None:
        """Declare the host slots (deferred)."""
        self._queue("host_range", start=start, size=size)

    def run(self, start_pc: int, until_pc: int, budget: int, timeout: float,
            on_host: Optional[Callable[[int], None]] = None,
            on_syscall: Optional[Callable[[int], None]] = None, registers: Sequence[str] = (),
            event_registers: Sequence[str] = ()) -> Stop:
        """Run in the child; the reply (or the next event) may take `timeout` plus the grace
        seconds.  With `on_host` (`on_syscall`), the child stays inside the run at each host
        slot (system-call trap) and the callback runs here, its operations answered by the
        child from inside the run; then the child resumes (see `Machine.run`)."""
        if self._in_host:
            # The child is inside emulation: a nested run is what it cannot do.
            raise ExecutorError(f"{self._channel.name}: run from {start_pc:#x}: not from inside a host callback")
        what = f"run from {start_pc:#x}"
        fields = dict(start_pc=start_pc, until_pc=until_pc, budget=budget, timeout=timeout)
        if registers:
            fields["registers"] = list(registers)
        if event_registers and (on_host is not None or on_syscall is not None):
            fields["event_registers"] = list(event_registers)
        callbacks = {}
        if on_host is not None:
            fields["host"] = True
            callbacks["host"] = on_host
        if on_syscall is not None:
            fields["syscalls"] = True
            callbacks["syscall"] = on_syscall
        i = self._queue("run", **fields)
        failed: List[BaseException] = []

        def on_event(event: dict) -> None:
            slot = event.get("slot")
            callback = callbacks.get(event.get("event"))
            if callback is None or not isinstance(slot, int):
                self._kill()
                raise ProtocolError(f"{self._channel.name}: unexpected event {event!r:.200} during the {what}")
            regs = event.get("registers")
            self._event_regs = dict(regs) if isinstance(regs, dict) else None
            self._in_host = True
            try:
                callback(slot)
            except (ExecutorDied, ProtocolError):
                raise                   # the stream is gone or out of step: no resume to send
            except BaseException as e:
                # Keep the stream in step: ask the child to end the run, read its (discarded)
                # reply, and raise the callback's error then.  Its operations still deferred
                # are dropped: the host call did not complete, so its effects are not wanted.
                failed.append(e)
                self._batch = protocol.Batch()
            finally:
                self._in_host = False
                self._event_regs = None
            where = f"the resume from {event.get('event')} event at {slot:#x}"
            if failed:
                self._put({"op": "resume", "abort": True}, b"", where)
                return
            # The callback's deferred operations (its result register, its writes) go with the
            # resume: done before the run goes on, a failure ends the run with that error.
            batch, self._batch = self._batch, protocol.Batch()
            self._put({"op": "resume", "ops": batch.ops}, batch.blob(), where)

        # No timeout: only the child's death ends the wait (a silent child is still running).
        results, _ = self._send(timeout if timeout > 0 else float("inf"), asked=i,
                                on_event=on_event if callbacks else None)
        if failed:
            raise failed[0]
        return Stop.from_json(results[i])

    def flush(self) -> None:
        """Send what is deferred now; a deferred op's failure is raised here."""
        self._send()

    def close(self) -> None:
        """End the conversation: the executor ends at the end of its input (a child that
        lingers is killed)."""
        if not getattr(self, "_channel", None):
            return
        self._channel.close()
        self._closed = True

    def __del__(self):
        try:
            self.close()
        except Exception:       # interpreter shutdown: nothing left to tidy
            pass
