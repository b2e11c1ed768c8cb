"""Host oracle for the program corpus.

Every ``corpus/*.ll`` program is compiled natively for this x86-64 host with
llvmlite's MCJIT (``rig.oracles.HostModule``: no emulator and none of the rig's
compile, link or runtime code, only llvmlite and ctypes) and each ``; CALL:`` line
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

import math
import re
from pathlib import Path

import pytest

from rig.corpus import Call, CorpusError, parse_header as _parse
from rig.oracles import HostModule

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
FILES = sorted(CORPUS.glob("*.ll"))
HOST_FILES = [p for p in FILES if "x86_64" in _parse(p.read_text(), p).targets]


def parse_header(text: str):
    """The rig's own header parser (the oracle shares nothing else with the rig's pipeline)."""
    return _parse(text)


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
        res, out = m.call(c.name, c.args)
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
