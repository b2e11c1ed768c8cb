"""The executor protocol: versioned, batched, length-prefixed frames.

Frames are the compile worker's (`rig.worker.server.write_frame` / `read_frame`):
``<u32 header length><u64 blob length><JSON header><blob>``.  JSON and raw bytes, never
pickle: neither side executes what the other sends.

The conversation:

1. the client sends ``{"op": "hello", "version": VERSION, "target": name}``; the server
   answers ``{"ok": true, "version": VERSION, "target": name, "pid": ...}``, or an error
   and ends when the version or the target differs;
2. then each request is ``{"op": "batch", "ops": [...]}``: operations done in order, their
   byte payloads (a map's contents, a write's bytes) concatenated in the blob, each op
   naming its slice as ``"data": [offset, length]``; the reply is ``{"ok": true, "results":
   [...]}`` (one per op; a read's bytes in the reply's blob, as ``{"data": [offset, length]}``).
   An op that fails ends the batch: ``{"ok": false, "index": i, "error": {...}, "results":
   [...the ones before]}``.

3. a run op with ``"host": true`` keeps the executor inside emulation at each host slot: it
   sends the event ``{"event": "host", "slot": address}`` and then answers batches (reads,
   writes, registers: the rig's host function at work) until the client sends ``{"op":
   "resume"}`` (``"abort": true`` when the host function failed: the run ends there), and
   emulation goes on under the same budget and deadline.  The run's batch reply comes once
   the run is over.  A resume outside a host event, or an event outside such a run, is a
   `ProtocolError`.  A run op with ``"syscalls": true`` does the same at each system-call
   trap, with the event ``{"event": "syscall", "slot": trap address}``: the client's kernel
   reads the number and arguments, writes the result register, and resumes after the trap.
   A run's ``"event_registers": [names]`` come with each event (``"registers": {name:
   value}``), and a resume may carry ``"ops"`` (writes, register writes: the host function's
   effects, done before the run goes on; one that fails ends the run with its error), so a
   host call that reads no memory is one round trip.  A run's ``"registers": [names]`` are
   read when it ends and come back in its `Stop`.

So a trial (maps, writes, protections, a call, unmaps) is one round trip.  A frame that
cannot be parsed, or a request out of order, is an error on both sides: the server answers
it when it can and ends (the stream is no longer in step), the client raises
`ProtocolError`; neither waits for bytes that will not come.
"""
from __future__ import annotations

import os
import select
import time
from typing import Any, Dict, List, Optional, Tuple

from .. import errors as _errors
from ..errors import ExecutorError, ProtocolError, RigError
from ..worker.server import read_frame, write_frame

#: Bumped whenever a message changes meaning; both sides refuse another.  (2: host events
#: inside a run, and resume; 3: system-call events, event registers, ops with resume.)
VERSION = 3
#: A header larger than this is garbage, not a request (a batch of 100,000 ops is ~5 MB).
MAX_HEADER = 64 << 20
#: One frame's bytes at most (a whole image's sections in one batch fit many times over).
MAX_BLOB = 4 << 30

#: The operations a batch may hold, and the fields each one needs.
OPS: Dict[str, Tuple[str, ...]] = {
    "map": ("start", "size", "perms"),
    "unmap": ("start", "size"),
    "protect": ("start", "size", "perms"),
    "write": ("address",),
    "read": ("address", "size"),
    "regions": (),
    "reg_read": ("names",),
    "reg_write": ("name", "value"),
    "host_range": ("start", "size"),
    "run": ("start_pc", "until_pc", "budget", "timeout"),
}


#: Seconds a reader polls for the next frame before it sleeps (see `Reader`).
SPIN = 0.0005


class Reader:
    """A file-like `read(n)` over a pipe or socket that gives up at `deadline`
    (`time.monotonic()`): `read_frame` reads through it, so a silent executor cannot block the
    rig.  What one system call brings beyond `n` is kept for the next read (a frame's parts
    arrive together).

    It polls for `spin` seconds before it sleeps in `select`: an answer usually comes within
    tens of microseconds, and waking a sleeping reader costs more than that on a virtual
    machine (a halted virtual CPU), so much that the scheduler rather runs both processes on
    one CPU, one after the other, than pay it.  Both ends spin, so in a run of trials each
    keeps its own CPU and they work at once."""

    def __init__(self, fd: int, on_silence, spin: float = SPIN):
        self.fd = fd
        self.deadline: Optional[float] = None
        self._on_silence = on_silence
        self._buf = b""
        self._spin = spin

    def read(self, n: int) -> bytes:
        """Up to `n` bytes, b"" at the end of input."""
        if self._buf:
            out, self._buf = self._buf[:n], self._buf[n:]
            return out
        data = _poll(self.fd, max(n, 1 << 16), self._spin)
        while data is None:
            wait = None if self.deadline is None else self.deadline - time.monotonic()
            if wait is not None and wait <= 0:
                self._on_silence()
            ready, _, _ = select.select([self.fd], [], [], wait)
            if ready:
                data = _poll(self.fd, max(n, 1 << 16), 0.0)
        out, self._buf = data[:n], data[n:]
        return out


def _poll(fd: int, n: int, spin: float) -> Optional[bytes]:
    """What `fd` has (b"" at its end), polling for `spin` seconds; None if nothing came.  The fd
    stays blocking (a socket's writes share its flags): `select` with no wait says when a
    read will not block."""
    end = None
    while True:
        ready, _, _ = select.select([fd], [], [], 0)
        if ready:
            try:
                return os.read(fd, n)
            except ConnectionResetError:
                return b""
        now = time.perf_counter()
        if end is None:
            end = now + spin
        if now >= end:
            return None
        os.sched_yield()        # the other side may be waiting for this CPU


def send(stream, header: dict, blob: bytes = b"") -> None:
    """Write one frame (the compile worker's format) and flush it."""
    write_frame(stream, header, blob)


def receive(stream, where: str) -> Optional[Tuple[dict, bytes]]:
    """One frame as (header, blob), None at a clean end of input; a malformed or truncated
    frame is a `ProtocolError` naming `where` (who was reading)."""
    try:
        frame = read_frame(stream, MAX_HEADER, MAX_BLOB)
    except (ValueError, EOFError, UnicodeDecodeError) as e:
        raise ProtocolError(f"{where}: malformed frame: {e}") from None
    if frame is not None and not isinstance(frame[0], dict):
        raise ProtocolError(f"{where}: malformed frame: the header is {type(frame[0]).__name__}, not an object")
    return frame


class Batch:
    """Operations gathered for one request: `add` them, then `header()` and `blob()`."""

    def __init__(self):
        self.ops: List[dict] = []
        self._chunks: List[bytes] = []
        self._size = 0

    def add(self, op: str, data: Optional[bytes] = None, **fields: Any) -> int:
        """Append an operation (its payload, if any, to the blob); its index in the batch."""
        entry = {"op": op, **fields}
        if data is not None:
            data = bytes(data)
            entry["data"] = [self._size, len(data)]
            self._chunks.append(data)
            self._size += len(data)
        self.ops.append(entry)
        return len(self.ops) - 1

    def __len__(self) -> int:
        return len(self.ops)

    def header(self) -> dict:
        """The request's JSON header."""
        return {"op": "batch", "ops": self.ops}

    def blob(self) -> bytes:
        """The payloads, concatenated in op order."""
        return b"".join(self._chunks)


def describe(entry: dict) -> str:
    """An operation in words, for errors ("map of 0x3000 bytes at 0x10000")."""
    op = entry.get("op")
    size = entry["data"][1] if "data" in entry else entry.get("size", 0)
    at = entry.get("start", entry.get("address"))
    if op in ("map", "unmap", "protect"):
        return f"{op} of {entry['size']:#x} bytes at {at:#x}"
    if op in ("write", "read"):
        return f"{op} of {size:,} bytes at {at:#x}"
    if op == "reg_read":
        return f"read of registers {', '.join(entry['names'])}"
    if op == "reg_write":
        return f"write of register {entry['name']}"
    if op == "host_range":
        return f"host slots at {at:#x}"
    if op == "run":
        return f"run from {entry['start_pc']:#x}"
    return str(op)


class Descriptions:
    """A batch's operations in words, made only when an error needs one (`describe`)."""

    def __init__(self, batch: "Batch"):
        self._ops = batch.ops

    def __len__(self) -> int:
        return len(self._ops)

    def __getitem__(self, i: int) -> str:
        return describe(self._ops[i])


def payload(entry: dict, blob: bytes, where: str) -> Optional[bytes]:
    """The bytes an op's or a result's ``"data": [offset, length]`` names in `blob` (None when it
    names none); a slice outside the blob is a `ProtocolError`."""
    span = entry.get("data")
    if span is None:
        return None
    if (not isinstance(span, list) or len(span) != 2 or not all(isinstance(x, int) for x in span)
            or span[0] < 0 or span[1] < 0 or span[0] + span[1] > len(blob)):
        raise ProtocolError(f"{where}: data slice {span!r} is not inside the {len(blob):,}-byte blob")
    return blob[span[0]:span[0] + span[1]]


def check_op(entry: Any, where: str) -> str:
    """The op's name, when `entry` is a known op with the fields it needs; else `ProtocolError`."""
    if not isinstance(entry, dict) or entry.get("op") not in OPS:
        raise ProtocolError(f"{where}: unknown operation {entry!r:.200}")
    missing = [f for f in OPS[entry["op"]] if f not in entry]
    if missing:
        raise ProtocolError(f"{where}: operation {entry['op']} lacks {', '.join(missing)}")
    return entry["op"]


def error_json(e: BaseException) -> dict:
    """An exception as the reply carries it: its class (a `RigError`'s own name, else
    "ExecutorError"), message and the fields an `EmulationFault` has."""
    name = type(e).__name__ if isinstance(e, RigError) else "ExecutorError"
    message = str(e) if isinstance(e, RigError) else f"{type(e).__name__}: {e}"
    out = {"type": name, "message": message}
    for f in ("kind", "address", "pc"):
        v = getattr(e, f, None)
        if isinstance(v, (int, str)) and v is not None:
            out[f] = v
    return out


def error_from_json(d: Any, where: str) -> RigError:
    """The `RigError` an error reply stands for (the same class when `rig.errors` has it),
    its message prefixed with `where`."""
    if not isinstance(d, dict):
        return ProtocolError(f"{where}: malformed error reply {d!r:.200}")
    cls = getattr(_errors, str(d.get("type")), None)
    if not (isinstance(cls, type) and issubclass(cls, RigError)):
        cls = ExecutorError
    message = f"{where}: {d.get('message', 'no message')}"
    if cls is _errors.EmulationFault:
        return cls(message, kind=d.get("kind", ""), address=d.get("address"), pc=d.get("pc"))
    try:
        return cls(message)
    except TypeError:            # a class with required keywords: keep the message, lose the class
        return ExecutorError(message)
