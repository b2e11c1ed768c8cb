"""The rig against a trusted linker: ld.lld links the same object at the same
section addresses, and every relocated field, GOT slot and stub must agree.

Hypothesis draws a program and a placement; CI runs 200 placements per target.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import rig
from rig import compile as C
from rig import corpus, lld

ROOT = Path(__file__).resolve().parent.parent / "corpus"
TARGETS = ("x86_64", "arm", "thumb", "aarch64")
PROGRAMS = [p for p in corpus.discover(ROOT, recursive=True)
            if (p.path.suffix in (".s", ".S", ".c") or p.path.parent == ROOT) and not p.nolld]
CASES = {t: [(p, r) for p in PROGRAMS if t in p.targets for r in
             (p.relocs[:1] if p.path.suffix in (".s", ".S") else p.relocs)] for t in TARGETS}
JITS: dict = {}
COMPARED: dict = {t: Counter() for t in TARGETS}


def _jit(target: str, reloc: str) -> rig.Jit:
    key = (target, reloc)
    if key not in JITS:
        JITS[key] = rig.Jit(target, seed=0, reloc=reloc)
    return JITS[key]


def check_once(target: str, program, reloc: str, seed: int) -> lld.Comparison:
    jit = _jit(target, reloc)
    mod = jit.load(program.source, name=program.name, seed=seed)
    try:
        obj = C.compile_source(program.source, jit.target, C.Options(reloc), program.name)
        cmp = lld.compare(obj, mod.object, mod.layout, mod.image, jit.target, jit.resolve)
    finally:
        jit.unload(mod)
    assert not cmp.differences, (program.name, reloc, mod.layout.mapping(), [str(d) for d in cmp.differences])
    return cmp


@pytest.mark.parametrize("target", TARGETS)
@settings(max_examples=200, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_rig_and_lld_write_the_same_bytes(target, data):
    name = data.draw(st.sampled_from(sorted(f"{p.path.relative_to(ROOT)} {r}" for p, r in CASES[target])),
                     label="program")
    program, reloc = next((p, r) for p, r in CASES[target] if f"{p.path.relative_to(ROOT)} {r}" == name)
    seed = data.draw(st.integers(0, 2**64 - 1), label="placement seed")
    cmp = check_once(target, program, reloc, seed)
    COMPARED[target].update(cmp.types)


def test_the_oracle_sees_a_wrong_field():
    """Corrupt one relocated field and one GOT slot: the comparison must say so."""
    src = b"""
    @g = dso_local global i32 5
    @h = global i32 6
    define i32 @f() { %a = load i32, ptr @g
      %b = load i32, ptr @h
      %c = add i32 %a, %b
      ret i32 %c }
    """
    jit = rig.Jit("aarch64", seed=1)
    mod = jit.load(src)
    obj = C.compile_source(src, jit.target, C.Options("static"))
    assert not lld.compare(obj, mod.object, mod.layout, mod.image, jit.target, jit.resolve).differences
    rec = next(r for r in mod.trace if r.type == "R_AARCH64_ADR_PREL_PG_HI21")
    sec = mod.object.section_named(rec.section).index
    mod.image.sections[sec][rec.offset] ^= 0x20          # one bit of ADRP's immediate
    mod.image.got = bytes(8) + mod.image.got[8:]
    diffs = lld.compare(obj, mod.object, mod.layout, mod.image, jit.target, jit.resolve).differences
    assert {d.type for d in diffs} == {"R_AARCH64_ADR_PREL_PG_HI21", "GOT slot"}
