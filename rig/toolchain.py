"""GNU assembly and freestanding C -> ELF object, through clang from the `ziglang` package.

This is the optional `rig[toolchain]` front end (the test extra includes it):
`python -m ziglang cc` is clang with every target built in, from PyPI, so
tests can build objects with exactly the instructions and relocations they
want.  C is compiled freestanding (no libc headers beyond the compiler's
own): the rig's runtime provides what a freestanding program calls.
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
SUFFIXES = ASM_SUFFIXES + C_SUFFIXES


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


def build(data: bytes, name: str, target: Target, reloc: str, code_model: str, opt: int) -> bytes:
    """Assemble (.s, .S) or compile (.c) `data` for `target` into ELF relocatable bytes."""
    is_c = name.endswith(C_SUFFIXES)
    suffix = ".c" if is_c else (".S" if name.endswith(".S") else ".s")
    flags = ["cc", *target.clang_args, "-c", "-fno-sanitize=undefined"]
    if is_c:
        flags += [f"-O{opt}", "-fPIC" if reloc == "pic" else "-fno-pic",
                  # small is every target's default, and 32-bit Arm accepts no -mcmodel at all
                  *([f"-mcmodel={code_model}"] if code_model != "small" else []),
                  "-ffreestanding", "-fno-stack-protector", "-fno-asynchronous-unwind-tables",
                  "-fno-exceptions", "-fno-common"]
    with tempfile.TemporaryDirectory(prefix="rig-cc-") as tmp:
        src = Path(tmp) / f"input{suffix}"
        src.write_bytes(data)
        zig([*flags, src.name, "-o", "out.o"], tmp, f"{'compiling' if is_c else 'assembling'} {name} "
            f"for {target.name}")
        return (Path(tmp) / "out.o").read_bytes()
