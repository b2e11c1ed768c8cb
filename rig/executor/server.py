"""The executor's side: one `UnicornMachine` for one target, answering batched requests
(`rig.executor.protocol`) on a pair of byte streams until the input ends."""
from __future__ import annotations

import ctypes
import os
import sys
from typing import Callable, List, Optional, Tuple

import targets as _targets

from ..errors import ProtocolError, RigError
from . import protocol
from .machine import Machine, UnicornMachine


def apply(machine: Machine, entry: dict, blob: bytes, out: List[bytes], out_size: List[int],
          on_host: Optional[Callable[[int], None]] = None):
    """Do one checked operation on `machine`; its JSON result (a read's bytes appended to `out`,
    `out_size[0]` their running total).  A run that asks for host events (``"host": true``)
    gets `on_host` as its callback (none given: the request is refused)."""
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
        callback = None
        if entry.get("host"):
            if on_host is None:
                raise ProtocolError("executor: a run with host events cannot be served here")
            callback = on_host
        return machine.run(entry["start_pc"], entry["until_pc"], entry["budget"], entry["timeout"],
                           on_host=callback).to_json()
    return None


def _answer(machine: Machine, ops, blob: bytes,
            on_host: Optional[Callable[[int], None]] = None) -> Tuple[dict, bytes]:
    """The reply to one batch: every op's result, or the results before the one that failed
    and its error.  `on_host` serves a run's host events (see `host_events`)."""
    results, out, size = [], [], [0]
    if not isinstance(ops, list):
        raise ProtocolError(f"executor: a batch's ops must be a list, not {type(ops).__name__}")
    for i, entry in enumerate(ops):
        try:
            results.append(apply(machine, entry, blob, out, size, on_host))
        except ProtocolError:
            raise
        except (RigError, TypeError, ValueError, OverflowError, ctypes.ArgumentError) as e:
            # A refused operation (unmapped memory, a bad argument's type) ends the batch, not
            # the executor: the client raises it where the op was asked for.
            return {"ok": False, "index": i, "error": protocol.error_json(e), "results": results}, b"".join(out)
    return {"ok": True, "results": results}, b"".join(out)


def host_events(machine: UnicornMachine, stream_in, stream_out) -> Callable[[int], None]:
    """The `on_host` callback a run with host events gets: from inside the emulator's hook, tell
    the client which slot was reached, then answer its batches until it says resume.

    Anything else (end of input, a hello, a nested run's events...) breaks the conversation:
    a `ProtocolError`, which the run raises after leaving the emulator and `serve` turns into
    its fatal reply."""

    def on_host(slot: int) -> None:
        protocol.send(stream_out, {"event": "host", "slot": slot})
        while True:
            frame = protocol.receive(stream_in, f"executor, in host slot {slot:#x}")
            if frame is None:
                raise ProtocolError(f"executor: input ended inside host slot {slot:#x} (no resume)")
            header, blob = frame
            op = header.get("op")
            if op == "resume":
                if header.get("abort"):
                    # The client's host function failed: end the run; its reply is discarded.
                    machine.abort_run()
                return
            if op != "batch":
                raise ProtocolError(f"executor: expected a batch or resume inside host slot {slot:#x}, "
                                    f"got {op!r}")
            # No `on_host` for these batches: a run from inside a run is refused by the machine.
            reply, out = _answer(machine, header.get("ops"), blob)
            protocol.send(stream_out, reply, out)

    return on_host


def serve(stream_in, stream_out, target: str) -> int:
    """Answer requests for one `target` until `stream_in` ends (0) or the client breaks the
    protocol (1, after an error reply when one can be given)."""
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
                    if header.get("target") != target:
                        raise ProtocolError(f"executor: target {header.get('target')!r} asked, this executor "
                                            f"runs {target!r}")
                    machine = UnicornMachine(_targets.get(target))
                    protocol.send(stream_out, {"ok": True, "version": protocol.VERSION, "target": target,
                                               "pid": os.getpid()})
                    continue
                if op != "batch":
                    raise ProtocolError(f"executor: expected a batch, got {op!r}")
                reply, out = _answer(machine, header.get("ops"), blob,
                                     host_events(machine, stream_in, stream_out))
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
    requests = os.fdopen(os.dup(0), "rb")
    return serve(requests, replies, target)
