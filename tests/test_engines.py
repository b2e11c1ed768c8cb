"""rig.engines: the rig against ld.lld through the engine face, RuntimeDyld (LLVM 19) fuzzed
against both, and a user engine that breaks one type on purpose.

The RuntimeDyld expectations are facts about LLVM 19's RuntimeDyld (llvm-rtdyld 19), measured
by `rig fuzz --engine rtdyld`, not properties of the rig:

* AArch64 LD_PREL_LO19 and ADR_PREL_LO21 keep only bits [11:2] of the offset
  (`(Result & 0xffc) << 3` in RuntimeDyldELF.cpp): a literal more than 4 KiB away (or behind)
  is reached wrongly;
* on Arm, the Thumb bit of a Thumb function is dropped from ABS32, TARGET1, PREL31 and
  MOVW_ABS_NC, and RuntimeDyld's ARM-state stubs for CALL/JUMP24 to Thumb code branch to the
  address without the Thumb bit (the callee runs in the wrong state);
* a BLX aimed at an ARM function is kept (it enters the ARM stub in Thumb state).

And about LLVM 19's JITLink (llvm-jitlink-19 -noexec, `rig fuzz --engine jitlink`), at the placement
it chose itself: x86-64 GOTPC32/GOTPC64 without a symbol are written A - P (no GOT); on Arm the
Thumb bit is dropped in data and MOVW, a BLX to ARM code becomes B and a BLX to Thumb code at 2 mod 4
keeps H = 0; AArch64 agrees.
"""
from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

import targets
from rig import compile as C
from rig import corpus
from rig.engines import RigEngine, compare, compare_full, draw_placement, load_engine
from rig.engines.campaign import run
from rig.engines.rtdyld import RTDYLD

ROOT = Path(__file__).resolve().parent.parent / "corpus"
TARGETS = ("x86_64", "arm", "thumb", "aarch64")
needs_rtdyld = pytest.mark.skipif(not Path(RTDYLD).exists(), reason="llvm-rtdyld 19 is not installed")


def _obj(target: str, rel: str) -> bytes:
    p = next(p for p in corpus.discover(ROOT, recursive=True) if str(p.path.relative_to(ROOT)) == rel)
    return C.compile_source(p.source, targets.get(target), C.Options(p.relocs[0]), p.name)


@pytest.mark.parametrize("target", TARGETS)
def test_the_rig_engine_agrees_with_lld(target):
    programs = [f"asm/{target}.s", "fnaddr.ll", "global_ptrs.ll", "switch_dense.ll"]
    sites = 0
    for rel in programs:
        obj = _obj(target, rel)
        for seed in (1, 2):
            placement, externals = draw_placement(obj, target, seed)
            cmp = compare_full(obj, target, placement, externals, RigEngine(), references=("lld",))
            assert not cmp.disagreements, [str(d) for d in cmp.disagreements]
            sites += cmp.compared
    assert sites > 100


def _kinds(target, rel, seeds=(1, 2)):
    obj = _obj(target, rel)
    found = set()
    for seed in seeds:
        placement, externals = draw_placement(obj, target, seed)
        found |= {(d.type, d.kind) for d in compare(obj, target, placement, externals, "rtdyld")}
    return found


@needs_rtdyld
def test_rtdyld_aarch64_lo19_and_lo21_keep_bits_11_to_2():
    """LLVM 19 RuntimeDyld: LD_PREL_LO19 / ADR_PREL_LO21 write `(Result & 0xffc) << 3`."""
    found = _kinds("aarch64", "asm/aarch64.s")
    assert {("R_AARCH64_LD_PREL_LO19", "field"), ("R_AARCH64_ADR_PREL_LO21", "field")} <= found


@needs_rtdyld
@pytest.mark.parametrize("target", ("arm", "thumb"))
def test_rtdyld_drops_the_thumb_bit(target):
    """LLVM 19 RuntimeDyld: the Thumb bit is lost in data words, MOVW and its ARM stubs; a BLX to
    ARM code is kept."""
    found = _kinds(target, "asm/arm.s")
    assert {("R_ARM_ABS32", "field"), ("R_ARM_TARGET1", "field"), ("R_ARM_PREL31", "field"),
            ("R_ARM_MOVW_ABS_NC", "field"), ("R_ARM_CALL", "stub"), ("R_ARM_JUMP24", "stub"),
            ("R_ARM_CALL", "state")} <= found, found


USER_ENGINE = textwrap.dedent('''
    """A user engine: the rig's linker, with R_X86_64_32S (and Arm's ABS32) off by one bit."""
    import targets
    from rig.engines import Engine, EngineResult, RigEngine
    from rig.objfile import parse

    BROKEN = {"R_X86_64_32S", "R_X86_64_32", "R_ARM_ABS32", "R_AARCH64_ADD_ABS_LO12_NC"}


    class OffByOne(Engine):
        name = "off-by-one"

        def link(self, obj, target, placement, externals):
            good = RigEngine().link(obj, target, placement, externals)
            o = parse(obj, targets.get(target), "obj.o")
            sections = {n: bytearray(b) for n, b in good.sections.items()}
            for r in o.relocations:
                if r.howto.name in BROKEN:
                    name = o.section(r.section).name
                    if sections.get(name):
                        shift = 10 if r.howto.name.startswith("R_AARCH64") else 2
                        word = int.from_bytes(sections[name][r.offset:r.offset + 4], "little")
                        word ^= 1 << shift
                        sections[name][r.offset:r.offset + 4] = word.to_bytes(4, "little")
            return EngineResult({n: bytes(b) for n, b in sections.items()}, set(), "")
''')


def test_a_user_engine_that_breaks_one_type_is_caught(tmp_path, monkeypatch):
    (tmp_path / "my_engine.py").write_text(USER_ENGINE)
    assert len(USER_ENGINE.strip().splitlines()) <= 30
    monkeypatch.syspath_prepend(str(tmp_path))
    engine = load_engine("my_engine:OffByOne")
    report = run("my_engine:OffByOne", ("x86_64", "aarch64"), corpus_dir=ROOT, placements=1,
                 out_dir=str(tmp_path / "out"))
    types = {t for (_, t, _) in report.findings}
    assert types & {"R_X86_64_32S", "R_X86_64_32"} and "R_AARCH64_ADD_ABS_LO12_NC" in types, types
    assert types <= {"R_X86_64_32S", "R_X86_64_32", "R_AARCH64_ADD_ABS_LO12_NC"}, types
    assert engine.name == "off-by-one"
    for f in report.findings.values():
        assert (Path(f.reproducer) / "original.o").exists()


HELPER = textwrap.dedent('''
    import argparse, json, sys
    from rig.engines import RigEngine
    p = argparse.ArgumentParser()
    p.add_argument("--target"); p.add_argument("--map", action="append", default=[])
    p.add_argument("--sym", action="append", default=[]); p.add_argument("-o"); p.add_argument("obj")
    a = p.parse_args()
    split = lambda items: {k: int(v, 16) for k, v in (i.split("=") for i in items)}
    r = RigEngine().link(open(a.obj, "rb").read(), a.target, split(a.map), split(a.sym))
    json.dump({"sections": {k: v.hex() for k, v in r.sections.items()}}, open(a.o, "w"))
''')


def test_a_command_template_engine(tmp_path):
    helper = tmp_path / "helper.py"
    helper.write_text(HELPER)
    spec = (f"{sys.executable} {helper} --target {{target}} --map={{section}}={{address}} "
            f"--sym={{name}}={{value}} -o {{output}} {{object}}")
    engine = load_engine(spec)
    obj = _obj("aarch64", "asm/aarch64.s")
    placement, externals = draw_placement(obj, "aarch64", 3)
    cmp = compare_full(obj, "aarch64", placement, externals, engine)
    assert cmp.compared > 50 and not cmp.disagreements


@needs_rtdyld
def test_rig_fuzz_engine_rtdyld_saves_reproducers_llvm_rtdyld_alone_shows(tmp_path):
    import subprocess
    from rig.cli import main
    out = tmp_path / "repro"
    assert main(["fuzz", "--engine", "rtdyld", "--target", "aarch64", "--placements", "1", "--out", str(out),
                 "--json"]) == 1
    dirs = sorted(p.name for p in out.iterdir())
    assert any(d.startswith("aarch64-R_AARCH64_LD_PREL_LO19-") for d in dirs), dirs
    d = next(out / n for n in dirs if "LO19" in n)
    shown = subprocess.run(["sh", str(d / "run.sh")], capture_output=True, text=True)
    assert shown.returncode != 0 and "is false" in shown.stdout + shown.stderr


@needs_rtdyld
def test_the_emulator_shows_what_rtdyld_s_lo19_word_does(tmp_path):
    report = run("rtdyld", ("aarch64",), corpus_dir=ROOT, placements=1, out_dir=str(tmp_path))
    f = report.findings[("aarch64", "R_AARCH64_LD_PREL_LO19", "field")]
    assert f.behaviour and "with the engine's word" in f.behaviour, f.behaviour
    assert (Path(f.reproducer) / "behaviour.txt").exists()


# JITLink (llvm-jitlink-19 -noexec): it lays the sections out itself in a slab, so the result
# carries its placement and the references are linked there.  CI installs llvm-19.

def _jitlink(target, rel, seed=1):
    from rig.engines import JitLinkEngine
    obj = _obj(target, rel)
    placement, externals = draw_placement(obj, target, seed)
    engine = JitLinkEngine()
    res = engine.link(obj, target, placement, externals)
    cmp = compare_full(obj, target, placement, externals, engine)
    return obj, placement, res, cmp


@pytest.mark.parametrize("target", ("x86_64", "aarch64"))
def test_jitlink_agrees_with_the_rig_at_its_own_placement(target):
    obj, requested, res, cmp = _jitlink(target, "fnaddr.ll")
    # the placement it used: every section it placed, in a slab at the lowest requested page
    assert res.placement and set(res.placement) - {"GOT"} <= set(requested)
    assert min(res.placement.values()) == min(a for n, a in requested.items() if n != "GOT") // 0x1000 * 0x1000
    assert cmp.placement == res.placement
    assert cmp.compared > 15 and not cmp.disagreements, [str(d) for d in cmp.disagreements]
    # GOT loads compared through JITLink's own GOT (x86-64: relaxed or followed)
    assert any("GOT" in t for t in cmp.types), cmp.types


def test_jitlink_follows_its_aarch64_stub():
    _, _, res, cmp = _jitlink("aarch64", "asm/aarch64.s")
    assert res.stubs and not cmp.disagreements, [str(d) for d in cmp.disagreements]
    assert "branches to the engine's own stub, which it cannot follow" not in cmp.uncompared
    assert cmp.types.get("R_AARCH64_CALL26") and cmp.types.get("R_AARCH64_JUMP26")


def test_jitlink_unsupported_types_are_not_disagreements():
    """JITLink 19 aborts on x86-64 PC16/SIZE32/SIZE64/GOT32/PLTOFF64: made unsupported, not compared."""
    _, _, res, cmp = _jitlink("x86_64", "asm/x86_64.s")
    assert {"R_X86_64_PC16", "R_X86_64_SIZE32", "R_X86_64_SIZE64"} <= cmp.unsupported
    assert "Unsupported x86-64 relocation type" in cmp.why["R_X86_64_PC16"]
    assert not {d.type for d in cmp.disagreements} & cmp.unsupported
    # what it does get wrong there: GOTPC32/GOTPC64 (no symbol) written as A - P, without the GOT
    assert {d.type for d in cmp.disagreements} == {"R_X86_64_GOTPC32", "R_X86_64_GOTPC64"}, \
        [str(d) for d in cmp.disagreements]
    d = next(d for d in cmp.disagreements if d.type == "R_X86_64_GOTPC32")
    site = res.placement[d.section] + d.offset
    assert d.engine == (-4 - site) & 0xFFFFFFFF


def test_jitlink_on_arm_drops_the_thumb_bit_and_makes_a_blx_to_arm_a_b():
    """LLVM 19 JITLink (aarch32): ABS32 to a Thumb function without the Thumb bit; `blx arm_fn`
    rewritten to B (0xea...), not BL; `blx thumb_fn` at 2 mod 4 with H = 0."""
    _, _, res, cmp = _jitlink("arm", "asm/arm.s")
    found = {(d.type, d.kind): d for d in cmp.disagreements}
    assert ("R_ARM_ABS32", "field") in found and found[("R_ARM_ABS32", "field")].bits == 1
    calls = {d.symbol: d for d in cmp.disagreements if d.type == "R_ARM_CALL"}
    assert calls["arm_plus7"].engine >> 24 == 0xEA and calls["arm_plus7"].reference >> 24 == 0xEB
    # `blx thumb_neg` (2 mod 4): H stays 0, the call lands 2 bytes early
    assert calls["thumb_neg"].engine >> 24 == 0xFA and calls["thumb_neg"].reference >> 24 == 0xFB
    assert "R_ARM_PC24" in cmp.unsupported and cmp.refused_sites      # conditional B for JUMP24: refused
