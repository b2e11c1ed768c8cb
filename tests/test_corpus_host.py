"""Host oracle for the program corpus.

Every ``corpus/*.ll`` program is compiled natively for this x86-64 host with
llvmlite's MCJIT (no emulator, no rig code involved) and each ``; CALL:`` line
of its header is run in order through ctypes, so the expected values in the
headers are checked against a compiler and a libc we did not write.  Each file
runs three ways: codegen at -O0, codegen at -O2, and the LLVM -O2 IR pipeline
followed by codegen at -O2 (a program with undefined behaviour tends to change
its answers under the IR optimiser).

Header format (the leading comment lines of the file)::

    ; rig: <one-line description>
    ; CALL: name(args) == expected        (or ~= : relative 1e-9)
    ; STDOUT: "..."                        (optional, right after a CALL)
    ; RELOC: static pic                    (default "static pic")
    ; TARGETS: x86_64 aarch64              (optional, default all four)

The parser here is deliberately small; the rig gets its own in ``rig/corpus.py``.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import math
import os
import re
import sys
import tempfile
from pathlib import Path
from typing import Optional

import pytest

import llvmlite.binding as llvm

from rig.corpus import Call, CorpusError, parse_header as _parse

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
FILES = sorted(CORPUS.glob("*.ll"))
HOST_FILES = [p for p in FILES if "x86_64" in _parse(p.read_text(), p).targets]


def parse_header(text: str):
    """The rig's own header parser (the oracle below shares nothing else with rig)."""
    return _parse(text)


# --------------------------------------------------------------------------
# host MCJIT


class U128(ctypes.Structure):
    """An i128 as SysV x86-64 passes it: two INTEGER eightbytes (rax:rdx)."""
    _fields_ = [("lo", ctypes.c_uint64), ("hi", ctypes.c_uint64)]


_CTYPES = {
    "i1": ctypes.c_uint8, "i8": ctypes.c_int8, "i16": ctypes.c_int16,
    "i32": ctypes.c_int32, "i64": ctypes.c_int64, "i128": U128,
    "float": ctypes.c_float, "double": ctypes.c_double, "void": None,
}

_LIBS = []


def _libs():
    if not _LIBS:
        _LIBS.append(ctypes.CDLL(None))
        for name in ("m", "gcc_s"):
            path = ctypes.util.find_library(name)
            if path:
                _LIBS.append(ctypes.CDLL(path))
    return _LIBS


#: Names codegen may call although the IR does not declare them.
_IMPLICIT = ("memcpy", "memmove", "memset", "fmod", "fmodf",
             "__udivti3", "__umodti3", "__divti3", "__modti3", "__multi3")

_INIT = []


def _init():
    if not _INIT:
        llvm.initialize_native_target()
        llvm.initialize_native_asmprinter()
        libc = _libs()[0]
        libc.fflush.argtypes = [ctypes.c_void_p]
        _INIT.append(libc)
    return _INIT[0]


def _resolve(name: str) -> Optional[int]:
    for lib in _libs():
        try:
            return ctypes.cast(getattr(lib, name), ctypes.c_void_p).value
        except AttributeError:
            continue
    return None


def _bind_externals(mod) -> None:
    names = {f.name for f in mod.functions
             if f.is_declaration and not f.name.startswith("llvm.")}
    for name in sorted(names) + [n for n in _IMPLICIT if n not in names]:
        addr = _resolve(name)
        if addr is None:
            assert name in _IMPLICIT, f"external {name!r} not found in the host's libc/libm/libgcc"
            continue
        llvm.add_symbol(name, addr)


def _optimise(mod, tm) -> None:
    pto = llvm.create_pipeline_tuning_options(speed_level=2)
    pb = llvm.create_pass_builder(tm, pto)
    pb.getModulePassManager().run(mod, pb)


class HostModule:
    """One corpus program compiled and loaded natively."""

    def __init__(self, source: str, codegen_opt: int, ir_opt: bool):
        libc = _init()
        self._libc = libc
        mod = llvm.parse_assembly(source)
        target = llvm.Target.from_default_triple()
        tm = target.create_target_machine(opt=codegen_opt)
        mod.triple = llvm.get_default_triple()
        mod.data_layout = str(tm.target_data)
        mod.verify()
        if ir_opt:
            _optimise(mod, tm)
            mod.verify()
        _bind_externals(mod)
        self.ee = llvm.create_mcjit_compiler(mod, tm)
        self.ee.finalize_object()
        self.mod = mod
        # keep the types from the unoptimised definition (the optimiser may
        # drop unused functions, but never a defined external one)
        self.types = {}
        for f in llvm.parse_assembly(source).functions:
            if not f.is_declaration:
                fty = f.global_value_type
                self.types[f.name] = (str(fty.get_function_return()),
                                      [str(p) for p in fty.get_function_parameters()])

    def function(self, name: str):
        assert name in self.types, f"no function {name!r} defined in the program"
        ret, params = self.types[name]
        for t in [ret] + params:
            assert t in _CTYPES, f"{name}: type {t} not supported by the host oracle"
        addr = self.ee.get_function_address(name)
        assert addr, f"no address for {name!r}"
        proto = ctypes.CFUNCTYPE(_CTYPES[ret], *[_CTYPES[p] for p in params])
        return proto(addr), ret, params

    def call(self, c: Call):
        fn, ret, params = self.function(c.name)
        assert len(params) == len(c.args), f"{c}: {c.name} takes {len(params)} arguments"
        argv = []
        for t, a in zip(params, c.args):
            if t in ("float", "double"):
                argv.append(float(a))
            elif t == "i128":
                assert isinstance(a, int)
                v = a & ((1 << 128) - 1)
                argv.append(U128(v & ((1 << 64) - 1), v >> 64))
            else:
                assert isinstance(a, int), f"{c}: integer argument expected for {t}"
                argv.append(a)
        out, res = self.captured(fn, argv)
        if ret == "i1":
            res &= 1
        elif ret == "i128":
            v = res.lo | (res.hi << 64)
            res = v - (1 << 128) if v >> 127 else v
        return res, out

    def captured(self, fn, argv):
        """Call `fn`, capturing what it writes to file descriptor 1."""
        libc = self._libc
        sys.stdout.flush()
        libc.fflush(None)
        saved = os.dup(1)
        with tempfile.TemporaryFile() as tmp:
            os.dup2(tmp.fileno(), 1)
            try:
                res = fn(*argv)
                libc.fflush(None)
            finally:
                os.dup2(saved, 1)
                os.close(saved)
            tmp.seek(0)
            out = tmp.read()
        return out, res


def check(result, c: Call) -> bool:
    if c.op == "~=":
        return math.isclose(result, c.expected, rel_tol=1e-9)
    if isinstance(c.expected, float) or isinstance(result, float):
        return float(result) == float(c.expected)
    return result == c.expected


# --------------------------------------------------------------------------
# tests

MODES = {"O0": (0, False), "O2": (2, False), "ir-O2": (2, True)}


def test_corpus_present():
    assert len(FILES) >= 22


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_header(path):
    h = parse_header(path.read_text())
    assert h.description
    text = path.read_text()
    assert "target triple" not in text and "target datalayout" not in text
    assert not re.search(r"^\s*module\s+asm\b|\basm\s+(sideeffect\s+|inteldialect\s+)*\"", text, re.M), \
        "inline asm is not allowed (llvmlite aborts on ARM/AArch64)"


@pytest.mark.parametrize("mode", list(MODES))
@pytest.mark.parametrize("path", HOST_FILES, ids=[p.name for p in HOST_FILES])
def test_corpus_on_host(path, mode):
    source = path.read_text()
    h = parse_header(source)
    opt, ir_opt = MODES[mode]
    m = HostModule(source, opt, ir_opt)
    failures = []
    for c in h.calls:
        res, out = m.call(c)
        if not check(res, c):
            failures.append(f"{c}: got {res!r}")
        if c.stdout is not None and out != c.stdout.encode():
            failures.append(f"{c}: stdout {out!r}, expected {c.stdout.encode()!r}")
    assert not failures, "\n".join(failures)


def test_parser():
    h = parse_header('; rig: demo\n; CALL: f(1, -2, 2.5) == -3\n; STDOUT: "a\\n"\n'
                     "; CALL: g() ~= 1.5\n; RELOC: pic\n; TARGETS: x86_64 aarch64\n"
                     "define i32 @f() {\n")
    assert h.description == "demo"
    assert [(c.name, c.args, c.op, c.expected, c.stdout) for c in h.calls] == [
        ("f", (1, -2, 2.5), "==", -3, "a\n"), ("g", (), "~=", 1.5, None)]
    assert h.relocs == ("pic",) and h.targets == ("x86_64", "aarch64")
    with pytest.raises(CorpusError):
        parse_header('; rig: x\n; STDOUT: "a"\n')
    with pytest.raises(CorpusError):
        parse_header("; rig: x\n; CALL: f(1) = 2\n")
    with pytest.raises(CorpusError):
        parse_header("; rig: x\n; TARGETS: x86_64 mips\n")
