"""The compile worker's side: a loop that reads requests from stdin, compiles
with llvmlite, and writes replies to stdout (see `rig.worker` for the design).

This file is run by path (``python .../rig/worker/server.py``), not as
``rig.worker.server``: importing the `rig` package would pull Unicorn and the
whole rig into a process that needs only llvmlite, and cost its start-up
time.  So it imports nothing but the standard library and llvmlite, and the
parent imports it only for the frame format (`write_frame`, `read_frame`) and
`TARGET_LINE`, which do no work at import.

A frame is ``<u32 header length><u64 blob length><JSON header><blob>``.  A
request's header says what to do (`op`, `kind`, `triple`, `reloc`,
`code_model`, `opt`, `name` and the limits), its blob is the IR text or
bitcode.  A reply's header is ``{"ok": true}`` with the object as blob, or
``{"ok": false, "what": ..., "message": ...}`` (and `limit`, `asked`,
`allowed` for a limit).  JSON and raw bytes, not pickle: neither side ever
executes what the other sends.
"""
from __future__ import annotations

import json
import os
import re
import struct
import sys

_HEAD = struct.Struct("<IQ")
#: A `target triple` or `target datalayout` line: IR written for one machine
#: names it, and the compiler replaces it with the target it builds for.
TARGET_LINE = re.compile(rb'^\s*target\s+(triple|datalayout)\s*=\s*"[^"]*"\s*$', re.M)
#: Lines the compile puts before the user's IR text (the target's datalayout
#: and triple); LLVM's line numbers are reported less this.
HEADER_LINES = 2


def write_frame(stream, header: dict, blob: bytes = b"") -> None:
    """Write one frame (a JSON-able `header` and raw bytes) and flush it."""
    head = json.dumps(header).encode()
    stream.write(_HEAD.pack(len(head), len(blob)) + head)
    if blob:
        stream.write(blob)
    stream.flush()


def read_frame(stream, max_header: int = 0, max_blob: int = 0):
    """One frame as (header, blob), or None at a clean end of input.  With `max_header` or
    `max_blob` (bytes, 0: no bound), a frame claiming more raises ValueError before anything
    of it is read: a garbled length must not make the reader wait for gigabytes."""
    first = _read_exactly(stream, _HEAD.size)
    if first is None:
        return None
    head_len, blob_len = _HEAD.unpack(first)
    if (max_header and head_len > max_header) or (max_blob and blob_len > max_blob):
        raise ValueError(f"frame claims a {head_len:,}-byte header and a {blob_len:,}-byte blob "
                         f"(bounds: {max_header or 'none'}, {max_blob or 'none'})")
    head = _read_exactly(stream, head_len)
    blob = _read_exactly(stream, blob_len) if blob_len else b""
    if head is None or blob is None:
        raise EOFError("truncated frame")
    return json.loads(head), blob


def _read_exactly(stream, n: int):
    chunks, left = [], n
    while left:
        chunk = stream.read(left)
        if not chunk:
            if chunks:          # part of a frame, then the end: not a clean end of input
                raise EOFError(f"truncated frame ({n - left} of {n} bytes)")
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


class _Refused(Exception):
    """A request the worker answers with an error reply (not a crash)."""

    def __init__(self, what: str, message: str, **extra):
        super().__init__(message)
        self.reply = {"ok": False, "what": what, "message": message, **extra}


_llvm = None


def _init():
    global _llvm
    import llvmlite.binding as llvm
    llvm.initialize_all_targets()
    llvm.initialize_all_asmprinters()
    # The host's assembly parser (the only one llvmlite ships): inline and
    # module asm for the host's architecture compile; for another target LLVM
    # aborts ("no asm parser"), which only ends this process.
    llvm.initialize_native_asmparser()
    _llvm = llvm


def _line_fix(message: str, name: str) -> str:
    """LLVM's `<string>:LINE:COL` as the user's `name:LINE:COL` (the header lines taken off)."""
    def fix(m):
        line = int(m.group(1)) - HEADER_LINES
        return f"{name}:{line}:{m.group(2)}" if line >= 1 else m.group(0)
    return re.sub(r"<string>:(\d+):(\d+)", fix, message)


_QUOTED = re.compile(r'"[^"]*"')
_ALIGN = re.compile(r"\balign (\d+)")


def largest_alignment(text: str) -> int:
    """The largest alignment a global variable or function definition asks for
    in printed IR (loads', stores' and parameters' alignments do not count:
    they place nothing)."""
    best = 0
    for line in text.splitlines():
        if line.startswith("@"):
            tail = _QUOTED.sub('""', line)      # a string initializer may say "align 9"
        elif line.startswith("define "):
            s = _QUOTED.sub('""', line)
            # Only what follows the parameter list: `ptr align 16 %p` is a parameter's
            # attribute, `) align 64 {` the function's own alignment.
            open_ = s.find("(", max(s.find("@"), 0))
            depth, i = 0, open_
            while 0 <= i < len(s):
                depth += {"(": 1, ")": -1}.get(s[i], 0)
                if depth == 0:
                    break
                i += 1
            tail = s[i + 1:] if open_ >= 0 else ""
        else:
            continue
        for m in _ALIGN.finditer(tail):
            best = max(best, int(m.group(1)))
    return best


def _limit(limit: str, asked: int, allowed: int, what: str) -> _Refused:
    return _Refused("limit", what, limit=limit, asked=asked, allowed=allowed)


def _check_placement(module, machine, data: bytes, kind: str, req: dict) -> None:
    """Refuse, before emitting, a module whose object would be huge: an alignment
    over `section_align` (ELF pads the section's file offset to it: `align 1 GiB`
    makes a 1 GiB file) or globals over `allocatable_size` together."""
    td = machine.target_data
    total = 0
    for gv in module.global_variables:
        if not gv.is_declaration:
            total += td.get_abi_size(gv.global_value_type)
    if total > req["allocatable_size"]:
        raise _limit("allocatable_size", total, req["allocatable_size"], "the global variables together")
    allowed = req["section_align"]
    # Printing the module is the only way llvmlite shows an alignment; do it only
    # when the text asks for a large one somewhere (cheap), or for bitcode.
    if kind == "ir":
        digits = len(str(allowed))
        if not any(int(m.group(1)) > allowed
                   for m in re.finditer(rb"\balign\s+(\d{%d,})" % digits, data)):
            return
    asked = largest_alignment(str(module))
    if asked > allowed:
        raise _limit("section_align", asked, allowed, "an alignment")
    if asked > req["object_size"]:       # the section's file offset alone would be past the limit
        raise _limit("object_size", asked, req["object_size"], "an alignment that pads the object")


def compile_request(req: dict, data: bytes) -> bytes:
    """The object for one compile request (what `rig.compile` used to do in-process),
    or `_Refused` with the reason."""
    llvm = _llvm
    try:
        machine = llvm.Target.from_triple(req["triple"]).create_target_machine(
            reloc=req["reloc"], codemodel=req["code_model"], opt=req["opt"])
    except RuntimeError as e:
        raise _Refused("machine", str(e).strip()) from None
    if req["kind"] == "ir":
        # The target's datalayout must be known while parsing: the parser gives
        # every load and store without `align` the ABI alignment of the layout it
        # sees, and an 8-byte pointer alignment left over from a default layout
        # lets the optimiser prove 4-byte-pointer code unreachable on ARM.  On
        # lines of their own, so LLVM's columns on the user's line 1 stay right.
        header = f'target datalayout = "{machine.target_data}"\ntarget triple = "{req["triple"]}"\n'
        text = header + TARGET_LINE.sub(b"", data).decode("utf-8", errors="replace")
        try:
            module = llvm.parse_assembly(text)
        except RuntimeError as e:
            raise _Refused("parse", _line_fix(str(e).strip(), req["name"])) from None
    else:
        try:
            module = llvm.parse_bitcode(data)
        except RuntimeError as e:
            raise _Refused("bitcode", str(e).strip()) from None
    try:
        module.triple = req["triple"]
        module.data_layout = str(machine.target_data)
        module.verify()
        if req["opt"]:
            pto = llvm.create_pipeline_tuning_options(speed_level=req["opt"])
            pb = llvm.create_pass_builder(machine, pto)
            pb.getModulePassManager().run(module, pb)
        _check_placement(module, machine, data, req["kind"], req)
        obj = machine.emit_object(module)
    except RuntimeError as e:
        raise _Refused("llvm", _line_fix(str(e).strip(), req["name"])) from None
    if len(obj) > req["object_size"]:
        raise _limit("object_size", len(obj), req["object_size"], "the object")
    return obj


def _set_memory(limit: int) -> None:
    import resource
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    want = limit if hard == resource.RLIM_INFINITY else min(limit, hard)
    if soft != want:
        resource.setrlimit(resource.RLIMIT_AS, (want, hard))


def _memory_in_use() -> int:
    """This process's address space in bytes (0 where /proc is missing)."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def main() -> None:
    """Serve requests until stdin ends."""
    import resource
    import signal
    if len(sys.argv) > 1:
        # Started with -S (no site, so no .pth hooks to run): the parent says where
        # llvmlite is.  Appended, so nothing there can shadow the standard library.
        sys.path.append(sys.argv[1])
    # Ctrl-C is the parent's to handle: it kills or closes this process itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))    # an abort must not write a core file
    except (ValueError, OSError):
        pass
    # Replies go to the original stdout; whatever LLVM (or anything else) prints
    # to fd 1 goes to stderr, where the parent keeps it for crash messages.
    replies = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    requests = os.fdopen(os.dup(0), "rb")
    _init()
    baseline = _memory_in_use()
    while True:
        frame = read_frame(requests)
        if frame is None:
            return
        req, data = frame
        _set_memory(req["compile_memory"])
        try:
            if req.get("op") == "ping":
                reply, blob = {"ok": True, "pid": os.getpid()}, b""
            else:
                reply, blob = {"ok": True}, compile_request(req, data)
        except _Refused as e:
            reply, blob = e.reply, b""
        except MemoryError:
            reply, blob = {"ok": False, "what": "memory", "message": "out of memory (MemoryError)"}, b""
        except Exception as e:          # a bug here, not in the input: say so, keep serving
            import traceback
            reply, blob = {"ok": False, "what": "internal",
                           "message": "".join(traceback.format_exception_only(type(e), e)).strip()}, b""
        # LLVM keeps types and constants in its global context: a long-lived worker
        # grows.  Once that growth has used half its headroom it asks to be replaced.
        reply["retire"] = _memory_in_use() - baseline > (req["compile_memory"] - baseline) // 2
        del data
        write_frame(replies, reply, blob)


if __name__ == "__main__":
    sys.exit(main())
