"""The executor's side: one `UnicornMachine` for one target, answering batched requests
(`rig.executor.protocol`) on a pair of byte streams until the input ends."""
from __future__ import annotations

import ctypes
import os
import sys
from typing import Callable, List, Optional, Sequence, Tuple

import targets as _targets

from ..errors import ProtocolError, RigError
from . import protocol
from .machine import Machine, UnicornMachine


def apply(machine: Machine, entry: dict, blob: bytes, out: List[bytes], out_size: List[int],
          on_event: Optional[Callable[[str, int], None]] = None):
    """Do one checked operation on `machine`; its JSON result (a read's bytes appended to `out`,
    `out_size[0]` their running total).  A run that asks for host or system-call events
    (``"host": true``, ``"syscalls": true``) gets callbacks that pass them to `on_event(kind,
    address)` (none given: the request is refused)."""
    op = protocol.check_op(entry, "executor")
    if op == "map":
        machine.map(entry["start"], entry["size"], entry["perms"], protocol.payload(entry, blob, "executor map"))
    elif op == "unmap":
        machine.unmap(entry["start"], entry["size"])
    elif op == "protect":
        machine.protect(entry["start"], entry["size"], entry["perms"])
    elif op == "write":
        machine.write(entry["address"], protocol.payload(entry, blob, "executor write") or b"")
    elif op == "read":
        data = machine.read(entry["address"], entry["size"])
        out.append(data)
        span = [out_size[0], len(data)]
        out_size[0] += len(data)
        return {"data": span}
    elif op == "regions":
        return [list(r) for r in machine.regions()]
    elif op == "reg_read":
        return machine.reg_read_many(entry["names"])
    elif op == "reg_write":
        machine.reg_write(entry["name"], entry["value"])
    elif op == "host_range":
        machine.host_range(entry["start"], entry["size"])
    elif op == "run":
        callbacks = {}
        for flag, kind in (("host", "on_host"), ("syscalls", "on_syscall")):
            if entry.get(flag):
                if on_event is None:
                    raise ProtocolError("executor: a run with events cannot be served here")
                names = entry.get("event_registers") or ()
                callbacks[kind] = (lambda name: lambda address: on_event(name, address, names))(flag)
        return machine.run(entry["start_pc"], entry["until_pc"], entry["budget"], entry["timeout"],
                           registers=entry.get("registers") or (), **callbacks).to_json()
    return None


def _answer(machine: Machine, ops, blob: bytes,
            on_event: Optional[Callable[[str, int], None]] = None) -> Tuple[dict, bytes]:
    """The reply to one batch: every op's result, or the results before the one that failed
    and its error.  `on_event` serves a run's events (see `run_events`)."""
    results, out, size = [], [], [0]
    if not isinstance(ops, list):
        raise ProtocolError(f"executor: a batch's ops must be a list, not {type(ops).__name__}")
    for i, entry in enumerate(ops):
        try:
            results.append(apply(machine, entry, blob, out, size, on_event))
        except ProtocolError:
            raise
        except (RigError, TypeError, ValueError, OverflowError, ctypes.ArgumentError) as e:
            # A refused operation (unmapped memory, a bad argument's type) ends the batch, not
            # the executor: the client raises it where the op was asked for.
            return {"ok": False, "index": i, "error": protocol.error_json(e), "results": results}, b"".join(out)
    return {"ok": True, "results": results}, b"".join(out)


def run_events(machine: Machine, stream_in, stream_out) -> Callable[[str, int, Sequence[str]], None]:
    """What a run with events calls at each one (kind "host": a host slot reached, "syscalls":
    a system-call trap): from inside the run, tell the client, then answer its batches until
    it says resume.

    Anything else (end of input, a hello, a nested run's events...) breaks the conversation:
    a `ProtocolError`, which the run raises after leaving the emulator and `serve` turns into
    its fatal reply."""

    def on_event(kind: str, slot: int, names: Sequence[str] = ()) -> None:
        event = "host" if kind == "host" else "syscall"
        message = {"event": event, "slot": slot}
        if names:
            # What the rig's host function or kernel reads first, sent along: no round trip.
            message["registers"] = dict(zip(names, machine.reg_read_many(names)))
        protocol.send(stream_out, message)
        where = f"{'host slot' if event == 'host' else 'the system call'} at {slot:#x}"
        while True:
            frame = protocol.receive(stream_in, f"executor, in {where}")
            if frame is None:
                raise ProtocolError(f"executor: input ended inside {where} (no resume)")
            header, blob = frame
            op = header.get("op")
            if op == "resume":
                if header.get("abort"):
                    # The client's host function failed: end the run; its reply is discarded.
                    machine.abort_run()
                    return
                ops = header.get("ops") or []
                if not isinstance(ops, list):
                    raise ProtocolError(f"executor: a resume's ops must be a list, not {type(ops).__name__}")
                for entry in ops:
                    if protocol.check_op(entry, "executor") == "run":
                        raise ProtocolError(f"executor: a run inside {where}")
                    # A failure ends the run with this error (the run's reply names it).
                    apply(machine, entry, blob, [], [0])
                return
            if op != "batch":
                raise ProtocolError(f"executor: expected a batch or resume inside {where}, got {op!r}")
            # No `on_host` for these batches: a run from inside a run is refused by the machine.
            reply, out = _answer(machine, header.get("ops"), blob)
            protocol.send(stream_out, reply, out)

    return on_event


def serve(stream_in, stream_out, target: Optional[str]) -> int:
    """Answer requests for one `target` (None: the one the hello names) until `stream_in`
    ends (0) or the client breaks the protocol (1, after an error reply when one can be given)."""
    machine: Optional[Machine] = None
    try:
        while True:
            try:
                frame = protocol.receive(stream_in, "executor")
                if frame is None:
                    return 0
                header, blob = frame
                op = header.get("op")
                if machine is None:
                    if op != "hello":
                        raise ProtocolError(f"executor: expected hello first, got {op!r}")
                    if header.get("version") != protocol.VERSION:
                        raise ProtocolError(f"executor: protocol version {header.get('version')!r} asked, "
                                            f"this executor speaks {protocol.VERSION}")
                    asked = header.get("target")
                    if target is not None and asked != target:
                        raise ProtocolError(f"executor: target {asked!r} asked, this executor runs {target!r}")
                    try:
                        machine = UnicornMachine(_targets.get(str(asked)))
                    except LookupError as e:
                        raise ProtocolError(f"executor: target {asked!r}: {e}") from None
                    protocol.send(stream_out, {"ok": True, "version": protocol.VERSION, "target": asked,
                                               "pid": os.getpid()})
                    continue
                if op != "batch":
                    raise ProtocolError(f"executor: expected a batch, got {op!r}")
                reply, out = _answer(machine, header.get("ops"), blob,
                                     run_events(machine, stream_in, stream_out))
                protocol.send(stream_out, reply, out)
            except ProtocolError as e:
                # The streams are out of step: say why, then end rather than guess.
                try:
                    protocol.send(stream_out, {"ok": False, "fatal": True, "error": protocol.error_json(e)})
                except OSError:
                    pass
                return 1
    finally:
        if machine is not None:
            machine.close()


def listen(address: str, target: Optional[str] = None, *, ready=None) -> int:
    """``--listen HOST:PORT``: accept connections until interrupted, each served by a forked
    child (one connection per `Jit`; a child that crashes takes only its own connection down).
    `ready(port)` is told the port once listening (0 asks the system for a free one)."""
    import signal
    import socket
    from .client import parse_tcp
    host, port = parse_tcp(address, any_port=True)
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    server = socket.socket(family, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind((host, port))
    server.listen(64)
    # Children are reaped as they end: a long-lived server leaves no zombies.
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    port = server.getsockname()[1]
    print(f"rig executor: listening on tcp://{host}:{port}" + (f" for {target}" if target else ""),
          file=sys.stderr, flush=True)
    if ready is not None:
        ready(port)
    try:
        while True:
            conn, _ = server.accept()
            if os.fork() == 0:
                code = 1
                try:
                    server.close()
                    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                    conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                    code = serve(protocol.Reader(conn.fileno(), None), conn.makefile("wb", buffering=0), target)
                finally:
                    os._exit(code)
            conn.close()
    except KeyboardInterrupt:
        return 0
    finally:
        server.close()


def main(target: str) -> int:
    """``--stdio``: serve on stdin/stdout.  Replies go to the original stdout; anything else
    printed to fd 1 (by Unicorn or Python) goes to stderr, so it cannot corrupt a frame."""
    import signal
    signal.signal(signal.SIGINT, signal.SIG_IGN)       # Ctrl-C is the parent's to handle
    try:
        _targets.get(target)
    except LookupError as e:
        print(f"rig executor: {e}", file=sys.stderr)
        return 2
    replies = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    requests = protocol.Reader(os.dup(0), None)
    return serve(requests, replies, target)
