"""Source -> ELF relocatable object, for a target.

LLVM IR text or bitcode goes through llvmlite's target machines; assembly
(.s) and C (.c) through clang from the `ziglang` package (`rig.toolchain`);
an ELF object is taken as it is.  The IR's own `target triple` / `target datalayout`
are replaced by the target's (IR written for one machine usually names it).
Results are cached by content hash + target + options, in memory and on disk
(``$RIG_CACHE_DIR``, default ``~/.cache/rig``), so a source is compiled once.

LLVM runs in a worker process (`rig.worker`): llvmlite's LLVM aborts the
process it runs in on a fatal error or a failed assertion, and an input must
not be able to end the rig.  A cache hit never starts or asks the worker.
The disk cache is written atomically (a temporary file renamed into place),
never holds an object above `Limits.cache_object_size`, and the first use of a
cache directory in a process removes temporary files that writers killed
mid-write left behind.
"""
from __future__ import annotations

import hashlib
import os
import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional, Tuple, Union

from targets.base import Target

from ._cache import LRU
from . import toolchain
from . import worker as _worker
from .errors import CompileError
from .limits import DEFAULT, Limits
from .worker.server import TARGET_LINE as _TRIPLE

RELOC_MODELS = ("static", "pic")
CODE_MODELS = ("tiny", "small", "kernel", "medium", "large")
ELF_MAGIC = b"\x7fELF"
_BITCODE_MAGICS = (b"BC\xc0\xde", b"\xde\xc0\x17\x0b")


@dataclass(frozen=True)
class Options:
    """How to compile: relocation model, code model, optimisation level, and
    the C flags passed through to clang (`-I`, `-D`, `-U`, `-std=`, `-W`, ...)."""

    reloc: str = "static"
    code_model: str = "small"
    opt: int = 2
    cflags: Tuple[str, ...] = ()

    def check(self) -> "Options":
        """Self, or `CompileError` naming the bad option."""
        if self.reloc not in RELOC_MODELS:
            raise CompileError(f"unknown relocation model {self.reloc!r}; use one of {RELOC_MODELS}")
        if self.code_model not in CODE_MODELS:
            raise CompileError(f"unknown code model {self.code_model!r}; use one of {CODE_MODELS}")
        if self.opt not in (0, 1, 2, 3):
            raise CompileError(f"optimisation level must be 0..3, not {self.opt!r}")
        toolchain.check_cflags(self.cflags)
        return self


def source_kind(data: bytes) -> str:
    """"object", "bitcode" or "ir", from the content."""
    if data[:1] == b"\x7f" and ELF_MAGIC.startswith(data[:4]):
        return "object"           # a truncated ELF header is still meant as an object
    if data[:4] in _BITCODE_MAGICS:
        return "bitcode"
    return "ir"


_llvm_ready = False
_llvm_lock = threading.Lock()
_memory = LRU(512)
#: Part of every cache key: bump it when what `_emit` produces changes.
_CACHE_VERSION = "rig-compile-4"
#: Compile in this process instead of the worker: only for `rig.bench.compile_overhead`'s
#: comparison (an input that makes LLVM abort ends the process).
_IN_PROCESS = False
#: A `*.tmp` file in the cache older than this is a killed writer's leftover.
STALE_TMP_SECONDS = 300
_swept: set = set()


def _llvm():
    global _llvm_ready
    import llvmlite.binding as llvm
    with _llvm_lock:
        if not _llvm_ready:
            llvm.initialize_all_targets()
            llvm.initialize_all_asmprinters()
            _llvm_ready = True
    return llvm


def _cache_dir() -> Optional[Path]:
    d = os.environ.get("RIG_CACHE_DIR")
    if d == "":
        return None
    return Path(d) if d else Path.home() / ".cache" / "rig" / "objects"


def _key(data: bytes, target: Target, opts: Options) -> str:
    import llvmlite
    h = hashlib.sha256()
    for part in (_CACHE_VERSION, llvmlite.__version__, target.triple, *target.clang_args, opts.reloc,
                 opts.code_model, str(opts.opt), *opts.cflags, *toolchain.header_stamps(opts.cflags)):
        h.update(part.encode() + b"\0")
    h.update(data)
    return h.hexdigest()


def strip_target(ir: str) -> str:
    """IR text without its `target triple` and `target datalayout` lines (they
    name the machine it was written for; the compiler names the one it builds for)."""
    return _TRIPLE.sub(b"", ir.encode()).decode()


def retargeted(data: bytes, target: Target) -> List[str]:
    """What the IR says about another machine and the rig replaces: notes such
    as "target triple x86_64-pc-linux-gnu replaced by aarch64-unknown-linux-gnu"
    (empty when the IR names none, or names this target's own)."""
    kind = source_kind(data)
    if kind == "ir":
        # (a triple that is not UTF-8 is shown with replacement characters, not an error)
        found = {m.group(1).decode(): re.search(rb'"([^"]*)"', m.group(0)).group(1).decode("utf-8", "replace")
                 for m in _TRIPLE.finditer(data)}
    elif kind == "bitcode":
        # In this process: called after `compile_source`, so the worker has already
        # parsed these bytes without dying (the reader is deterministic).
        llvm = _llvm()
        try:
            module = llvm.parse_bitcode(data)
        except RuntimeError:
            return []
        found = {}
        for key in ("triple", "data_layout"):
            try:
                found[key.replace("_", "")] = getattr(module, key)
            except UnicodeDecodeError:       # llvmlite decodes strictly: a damaged string
                found[key.replace("_", "")] = "(not UTF-8)"
    else:
        return []
    notes = []
    if found.get("triple") and found["triple"] != target.triple:
        notes.append(f"target triple {found['triple']} replaced by {target.triple}")
    if found.get("datalayout"):
        own = str(_machine(_llvm(), target, Options()).target_data)
        if found["datalayout"] != own:
            notes.append(f"target datalayout \"{found['datalayout']}\" replaced by \"{own}\"")
    return notes


def compile_source(data: Union[str, bytes], target: Target, opts: Options = Options(),
                   name: str = "<source>", limits: Optional[Limits] = None) -> bytes:
    """ELF relocatable bytes for `data` (IR text, bitcode or an ELF object).

    `limits` (default `rig.limits.DEFAULT`) bound the compile worker's memory
    and time and the object's size, and say which objects the disk cache keeps."""
    opts.check()
    limits = limits if limits is not None else DEFAULT
    if isinstance(data, str):
        data = data.encode()
    kind = source_kind(data)
    if kind == "object":
        return data
    front = ""
    if name.endswith(toolchain.SUFFIXES):
        kind, front = "toolchain", os.path.splitext(name)[1]    # C or assembly: the suffix says which
    key = _key(data + front.encode(), target, opts)
    hit = _memory.get(key)
    if hit is not None:
        return hit
    cache = _cache_dir()
    path = cache / f"{key}.o" if cache else None
    obj = read_cached(path)
    if obj is not None:
        _memory[key] = obj
        return obj
    if kind == "toolchain":
        obj = toolchain.build(data, name, target, opts.reloc, opts.code_model, opts.opt, opts.cflags)
    else:
        obj = _emit(data, kind, target, opts, name, limits)
    _memory[key] = obj
    if path is not None and len(obj) <= limits.cache_object_size:
        store(path, obj)
    return obj


def read_cached(path: Optional[Path]) -> Optional[bytes]:
    """A disk-cache file's bytes, or None (no file, or no cache)."""
    if path is None:
        return None
    _sweep(path.parent)
    try:
        return path.read_bytes()
    except OSError:
        return None


def store(path: Path, data: bytes) -> None:
    """Write a disk-cache file atomically (a concurrent reader sees all or nothing)."""
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _sweep(path.parent)
        # pid and thread: two writers of the same key never share a temporary file
        tmp = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
        tmp = None
    except OSError:
        pass    # the cache is an optimisation: a read-only home must not fail a run
    finally:
        if tmp is not None:      # a full disk: no half-written file stays behind
            try:
                tmp.unlink()
            except OSError:
                pass


def _sweep(directory: Path) -> None:
    """Once per directory and process: remove the `*.tmp` files that writers killed
    between write and rename left (older than `STALE_TMP_SECONDS`, so a live
    writer's file is never taken)."""
    if directory in _swept:
        return
    _swept.add(directory)
    cutoff = time.time() - STALE_TMP_SECONDS
    try:
        with os.scandir(directory) as entries:
            for entry in entries:
                if entry.name.endswith(".tmp"):
                    try:
                        if entry.stat(follow_symlinks=False).st_mtime < cutoff:
                            os.unlink(entry.path)
                    except OSError:
                        pass         # another process swept it first
    except OSError:
        pass


def _emit(data: bytes, kind: str, target: Target, opts: Options, name: str,
          limits: Limits = DEFAULT) -> bytes:
    _check_ir(data, kind, name)
    _check_code_model(opts)
    if _IN_PROCESS:
        return _emit_in_process(data, kind, target, opts, name)
    return _worker.compile_ir(data, kind, target, opts, name, limits)


def _check_ir(data: bytes, kind: str, name: str) -> None:
    if kind == "ir" and b"\0" in data:
        # LLVM would stop reading at the NUL and accept an empty module.
        raise CompileError(f"{name}: neither an ELF object, LLVM bitcode nor LLVM IR text "
                           f"(binary data starting {data[:8]!r})")


def _check_code_model(opts: Options) -> None:
    from llvmlite.binding.targets import CODEMODEL
    if opts.code_model not in CODEMODEL:
        # llvmlite 0.50 knows no "tiny"; such objects come from clang (-mcmodel=tiny)
        # and are still placed by the memory manager with the model's reach.
        raise CompileError(f"llvmlite cannot compile for code model {opts.code_model!r} "
                           f"(it offers {', '.join(m for m in CODEMODEL if m in CODE_MODELS)}); "
                           f"build the object with clang and load the .o with code_model={opts.code_model!r}")


def _emit_in_process(data: bytes, kind: str, target: Target, opts: Options, name: str) -> bytes:
    """What `_emit` did before the worker, in this process: kept only so
    `rig.bench.compile_overhead` can measure what the worker costs.  An input
    that makes LLVM abort ends this process."""
    llvm = _llvm()
    if kind == "ir":
        machine = _machine(llvm, target, opts)
        header = f'target datalayout = "{machine.target_data}"\ntarget triple = "{target.triple}"\n'
        text = header + _TRIPLE.sub(b"", data).decode("utf-8", errors="replace")
        try:
            module = llvm.parse_assembly(text)
        except RuntimeError as e:
            raise CompileError(f"{name}: LLVM IR does not parse: {str(e).strip()}") from None
    else:
        try:
            module = llvm.parse_bitcode(data)
        except RuntimeError as e:
            raise CompileError(f"{name}: bitcode does not parse: {str(e).strip()}") from None
    try:
        machine = _machine(llvm, target, opts)
        module.triple = target.triple
        module.data_layout = str(machine.target_data)
        module.verify()
        if opts.opt:
            _optimise(llvm, module, machine, opts.opt)
        return machine.emit_object(module)
    except RuntimeError as e:
        raise CompileError(f"{name}: LLVM failed for {target.name} ({target.triple}, {opts}): "
                           f"{str(e).strip()}") from None


def _machine(llvm, target: Target, opts: Options):
    _check_code_model(opts)
    try:
        return llvm.Target.from_triple(target.triple).create_target_machine(
            reloc=opts.reloc, codemodel=opts.code_model, opt=opts.opt)
    except RuntimeError as e:
        raise CompileError(f"LLVM has no target machine for {target.triple} with {opts}: {e}") from None


def _optimise(llvm, module, machine, level: int) -> None:
    pto = llvm.create_pipeline_tuning_options(speed_level=level)
    pb = llvm.create_pass_builder(machine, pto)
    pb.getModulePassManager().run(module, pb)
