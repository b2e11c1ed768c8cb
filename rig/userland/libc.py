"""The C and C++ runtimes' static libraries for a target, built once through the ziglang package.

zig builds `libc.a` (musl's sources), `libzigc.a` (the part of libc zig 0.17
writes in Zig: qsort, strlen, ...) and `libcompiler_rt.a` the first time a
static `<arch>-linux-musl` program is linked (about a minute per target),
into its global cache; and, for a C++ program (`-lc++`), `libc++abi.a`,
`libc++.a` and `libunwind.a` from LLVM's sources in the package (about as
long again).  `zig build-exe --verbose-link` names the files it linked; the
rig links a one-line program that way and keeps the paths (in memory, and
in the rig's cache directory so a new process asks zig only when a file is
gone).  Nothing is downloaded: the sources are the package's.
"""
from __future__ import annotations

import json
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Optional, Tuple

from targets.base import Target

from ..errors import CompileError
from .. import toolchain

#: The archives of a static musl link, in the order a linker searches them.
ARCHIVES = ("libc.a", "libzigc.a", "libcompiler_rt.a")
#: ... and those a C++ link searches before them (clang++'s -lc++ -lc++abi -lunwind).
CXX_ARCHIVES = ("libc++abi.a", "libc++.a", "libunwind.a")
#: language -> (the one-line program zig links, its file name, zig's library flag, the archives kept)
_KINDS = {
    "c": ("int main(void) { return 0; }\n", "main.c", "-lc", ARCHIVES),
    "c++": ("#include <cstdio>\nint main() { try { throw 1; } catch (int) {} std::puts(\"\"); }\n", "main.cpp",
            "-lc++", CXX_ARCHIVES),
}
_lock = threading.Lock()
_known: Dict[Tuple[str, ...], "Libc"] = {}


@dataclass(frozen=True)
class Libc:
    """The static C runtime of one target: its archives, searched as one group."""

    archives: Tuple[Path, ...]

    def exists(self) -> bool:
        """True while every file is still in zig's cache."""
        return all(p.is_file() for p in self.archives)


def _zig_target(target: Target) -> Tuple[str, ...]:
    """`zig build-exe` arguments for the target, from its clang arguments."""
    args = list(target.clang_args)
    out = []
    for i, a in enumerate(args):
        if a == "-target":
            out += ["-target", args[i + 1]]
        elif a.startswith("-mcpu="):
            out += ["-mcpu", a.split("=", 1)[1]]
    return tuple(out)


def _stamp_file() -> Optional[Path]:
    from ..compile import _cache_dir
    cache = _cache_dir()
    return None if cache is None else cache / "musl-libc.json"


def libc(target: Target) -> Libc:
    """The target's musl archives, built by zig on first use (`CompileError` if it cannot)."""
    return _runtime(target, "c")


def libcxx(target: Target) -> Libc:
    """The target's C++ runtime archives (libc++abi, libc++, libunwind; searched
    before `libc`'s), built by zig on first use (`CompileError` if it cannot)."""
    return _runtime(target, "c++")


def _runtime(target: Target, kind: str) -> Libc:
    key = _zig_target(target) + (() if kind == "c" else (kind,))
    with _lock:
        hit = _known.get(key)
        if hit is not None and hit.exists():
            return hit
        stamp = _stamp_file()
        try:
            saved = json.loads(stamp.read_text()) if stamp is not None else {}
        except (OSError, ValueError):
            saved = {}
        paths = saved.get(" ".join(key))
        if paths:
            found = Libc(tuple(Path(p) for p in paths))
            if found.exists():
                _known[key] = found
                return found
        found = _build(target, _zig_target(target), kind)
        _known[key] = found
        if stamp is not None:
            saved[" ".join(key)] = [str(p) for p in found.archives]
            try:
                stamp.parent.mkdir(parents=True, exist_ok=True)
                stamp.write_text(json.dumps(saved, indent=1))
            except OSError:
                pass
        return found


def _build(target: Target, key: Tuple[str, ...], kind: str) -> Libc:
    text, name, flag, archives = _KINDS[kind]
    what = "musl's libc" if kind == "c" else "the C++ runtime (libc++abi, libc++, libunwind)"
    with tempfile.TemporaryDirectory(prefix="rig-libc-") as tmp:
        (Path(tmp) / name).write_text(text)
        proc = toolchain.zig(["build-exe", name, *key, flag, "-lc", "-O", "ReleaseFast", "--verbose-link",
                              "-femit-bin=" + str(Path(tmp) / "a.out")], tmp,
                             f"building {what} for {target.name} (once; about a minute)")
        words = (proc.stderr + " " + proc.stdout).split()
    found = {}
    for w in words:
        base = Path(w).name
        if base in archives and base not in found:
            found[base] = Path(w)
    missing = [a for a in archives if a not in found]
    if missing:
        raise CompileError(f"zig linked no {', '.join(missing)} for {target.name}; its link line was: "
                           f"{' '.join(words)[:400]}")
    return Libc(tuple(found[a] for a in archives))
