"""GNU assembly, freestanding C and C++ -> ELF object, through clang from the `ziglang` package.

This is the optional `rig[toolchain]` front end (the test extra includes it):
`python -m ziglang cc` is clang with every target built in, from PyPI, so
tests can build objects with exactly the instructions and relocations they
want.  C sees the target's standard headers (musl's, for `<arch>-linux-musl`:
`#include <stdio.h>` works whatever the runtime) and is compiled with the
rig's flags (no sanitizers, no stack protector, no unwind tables, `-fno-builtin`
through `-ffreestanding`, so a call stays a call the runtime answers); the
source's own directory is on the include path, and `cflags` pass `-I`, `-D`,
`-U`, `-std=`, `-W` and `-f` options through.  C++ (`.cpp`, `.cc`, `.cxx`)
goes through `zig c++` with libc++'s headers, `-std=c++20` unless a
`-std=` is given, exceptions, RTTI and unwind tables on (what C++ needs
to throw), no stack protector, no sanitizers; it is not freestanding
(libc++'s headers need the hosted C library's).
"""
from __future__ import annotations

import functools
import importlib.util
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Sequence

from targets.base import Target

from .errors import CompileError

ASM_SUFFIXES = (".s", ".S")
C_SUFFIXES = (".c",)
CXX_SUFFIXES = (".cpp", ".cc", ".cxx")
#: sources that see headers (their own directory is on the include path)
COMPILED_SUFFIXES = C_SUFFIXES + CXX_SUFFIXES
SUFFIXES = ASM_SUFFIXES + COMPILED_SUFFIXES
HEADER_GLOBS = ("*.h", "*.hh", "*.hpp", "*.hxx", "*.inc")


def available() -> bool:
    """True when the `ziglang` package is installed."""
    return importlib.util.find_spec("ziglang") is not None


@functools.lru_cache(maxsize=None)
def _zig_command() -> tuple:
    # The package's own binary: `python -m ziglang` would add a Python start-up
    # (~20 ms) to every assemble and every lld link of the differential tests.
    spec = importlib.util.find_spec("ziglang")
    exe = Path(spec.origin).parent / "zig" if spec and spec.origin else None
    if exe is not None and exe.is_file() and os.access(exe, os.X_OK):
        return (str(exe),)
    return (sys.executable, "-m", "ziglang")


def zig(args: Sequence[str], cwd: str, what: str) -> subprocess.CompletedProcess:
    """Run `python -m ziglang ARGS`; `CompileError` with the tool's message on failure."""
    if not available():
        raise CompileError(f"{what} needs the toolchain: pip install 'rig[toolchain]' (the ziglang package)")
    env = dict(os.environ)
    env.setdefault("ZIG_GLOBAL_CACHE_DIR", str(Path(tempfile.gettempdir()) / "rig-zig-cache"))
    proc = subprocess.run([*_zig_command(), *args], cwd=cwd, capture_output=True, text=True, env=env)
    if proc.returncode:
        msg = (proc.stderr or proc.stdout).strip().splitlines()
        raise CompileError(f"{what} failed:\n  " + "\n  ".join(msg[-15:]))
    return proc


#: The C flags passed through (`--cflag`): where headers are, macros, the language, warnings, codegen.
_PASSED = ("-I", "-isystem", "-iquote", "-include", "-D", "-U", "-std=", "-W", "-w", "-f")
#: ... except those that would undo what the rig relies on.
_REFUSED = ("-fsanitize", "-fstack-protector", "-fPIC", "-fpic", "-fPIE", "-fpie", "-fno-pic", "-fno-PIC",
            "-fexceptions", "-fno-exceptions", "-fasynchronous-unwind-tables", "-fplugin", "-fuse-ld")


def check_cflags(cflags: Sequence[str]) -> None:
    """`CompileError` naming a C flag the rig does not pass through, and why."""
    if isinstance(cflags, str):
        raise CompileError(f"cflags must be a sequence of flags, not the string {cflags!r}")
    for flag in cflags:
        if not isinstance(flag, str) or not flag.startswith(_PASSED) or flag.startswith(_REFUSED):
            raise CompileError(
                f"C flag {flag!r} is not passed through: the rig passes {', '.join(_PASSED)} options "
                f"(not {', '.join(_REFUSED[:4])}, ...; the relocation model, code model and -O come from "
                f"the Jit's options)")


def header_stamps(cflags: Sequence[str]) -> list:
    """(name, size, mtime) of the headers in the `-I` directories: part of the
    compile cache key, so an edited local header recompiles the source."""
    out = []
    for flag in cflags:
        if flag.startswith(("-I", "-iquote", "-isystem")):
            d = Path(flag[2:] if flag.startswith("-I") else flag[len("-isystem"):] if flag.startswith("-isystem")
                     else flag[len("-iquote"):])
            try:
                for h in sorted(h for g in HEADER_GLOBS for h in d.glob(g)):
                    st = h.stat()
                    out.append(f"{h}:{st.st_size}:{st.st_mtime_ns}")
            except OSError:
                continue
    return out


def build(data: bytes, name: str, target: Target, reloc: str, code_model: str, opt: int,
          cflags: Sequence[str] = ()) -> bytes:
    """Assemble (.s, .S) or compile (.c, .cpp, ...) `data` for `target` into ELF relocatable bytes."""
    is_cxx = name.endswith(CXX_SUFFIXES)
    is_c = name.endswith(C_SUFFIXES) or is_cxx
    suffix = ".cpp" if is_cxx else ".c" if is_c else (".S" if name.endswith(".S") else ".s")
    flags = ["c++" if is_cxx else "cc", *target.clang_args, "-c", "-fno-sanitize=undefined"]
    if is_c:
        flags += [f"-O{opt}", "-fPIC" if reloc == "pic" else "-fno-pic",
                  # small is every target's default, and 32-bit Arm accepts no -mcmodel at all
                  *([f"-mcmodel={code_model}"] if code_model != "small" else []),
                  "-fno-stack-protector", "-fno-common"]
        if is_cxx:
            flags += [*([] if any(f.startswith("-std=") for f in cflags) else ["-std=c++20"]),
                      "-fexceptions", "-fcxx-exceptions", "-frtti"]
        else:
            flags += ["-ffreestanding", "-fno-asynchronous-unwind-tables", "-fno-exceptions"]
        flags += list(cflags)
    with tempfile.TemporaryDirectory(prefix="rig-cc-") as tmp:
        src = Path(tmp) / f"input{suffix}"
        src.write_bytes(data)
        zig([*flags, src.name, "-o", "out.o"], tmp, f"{'compiling' if is_c else 'assembling'} {name} "
            f"for {target.name}")
        return (Path(tmp) / "out.o").read_bytes()
