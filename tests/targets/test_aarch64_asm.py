"""AArch64 relocations from real assembly (clang from the ziglang package).

* the corpus program `corpus/asm/aarch64.s`: its stated calls at random placements, the
  relocation types in its trace, and ld.lld's bytes at the same layouts;
* per type, a small snippet at EXPLICIT placements chosen so that the relocation's value is
  exactly the last value its field takes and then the first it does not (for the _NC forms:
  the first value that is truncated).  Each field is checked against a word worked out by
  hand from the Arm ARM encodings (imm26 at bits 0-25; imm19 at 5-23; imm14 at 5-18;
  ADR/ADRP immlo at 29-30, immhi at 5-23; imm12 at 10-21; imm16 at 5-20; MOVN/MOVZ/MOVK in
  opc, bits 29-30) and the aaelf64 tables; the code runs where it can; an out-of-range
  value raises `RelocationOverflow` naming the type, or (CALL26, JUMP26, PLT32) goes
  through a stub that still reaches the target; in-range layouts are linked by ld.lld too;
* special cases: NONE / NULL, the absolute-symbol forms (symbol-less `.reloc`), the GOT
  symbol, and where the rig deliberately differs from lld (MOVW_PREL_G3 with X < 0).

Addresses: code at T0 = 0x4000_0000_0000 (the middle of the 48-bit space), or at C0 = T0 - 1 MiB
for the absolute forms, whose targets then sit around T0 (addends of -T0 make S + A small).
Every explicit address is checked free with `jit.space.conflict` before loading.  Targets
(`tgt` in .data.t, 16 bytes) and data words (.data.s) have alignment 1, so a placement moves a
value by exactly one.  ld.lld links the in-range layouts that span at most 64 MiB (its output
file spans the whole layout, and rig.lld reads it whole).
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, Optional, Union

import pytest

import rig
from rig import compile as C
from rig import corpus, lld, runner
from targets.aarch64_relocs import RELOCATIONS
from targets.base import TLS_EXPRS


ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus" / "asm" / "aarch64.s"
BY_NAME = {h.name: h for h in RELOCATIONS.values()}
#: Thread-local types: tests/test_tls.py runs them and compares them with lld (their values come
#: from the TLS image, not from where the sections land).
TLS_TYPES = {n for n, h in BY_NAME.items() if h.expr in TLS_EXPRS or "_TLS" in n}
ALL_TYPES = set(BY_NAME) - TLS_TYPES
#: clang has no name for 256 (test_null_is_a_none renumbers a NONE in the object).
NOT_IN_CORPUS = {"R_AARCH64_NULL"}
#: rig.lld.compare skips sites whose value is GOT-relative (the GOT slot contents are checked).
GOT_TYPES = {"R_AARCH64_ADR_GOT_PAGE", "R_AARCH64_LD64_GOT_LO12_NC", "R_AARCH64_LD64_GOTPAGE_LO15"}
COMPARED_IN_CORPUS = ALL_TYPES - NOT_IN_CORPUS - {"R_AARCH64_NONE"}     # GOT forms included

T0 = 0x4000_0000_0000          # code (pc-relative snippets) and targets (absolute snippets)
C0 = T0 - 0x100000             # code (and data words) of the absolute snippets, 1 MiB below
PAGE = 0x1000
G = 1 << 32
TGT_VALUE = 0x1122334455667788    # the first 8 bytes at tgt


def test_the_partition_of_types_is_complete():
    assert len(ALL_TYPES) == 43          # NONE and NULL included
    assert COMPARED_IN_CORPUS | NOT_IN_CORPUS | {"R_AARCH64_NONE"} == ALL_TYPES and GOT_TYPES <= COMPARED_IN_CORPUS


# ---------------------------------------------------------------------------- the corpus program

def test_corpus_calls_hold_at_20_random_placements():
    prog = corpus.load(CORPUS)
    assert prog.targets == ("aarch64",) and len(prog.calls) == 17
    trials = runner.run_trials(prog, "aarch64", placements=20, seed=3)
    bad = [(t.layout, t.error, [(str(o.call), o.shown()) for o in t.outcomes if not o.ok])
           for t in trials if not t.ok]
    assert not bad
    assert not runner.disagreements(trials)
    assert len({tuple(sorted(t.layout.items())) for t in trials}) == 20


def test_corpus_produces_every_type_but_null():
    jit = rig.Jit("aarch64", seed=5)
    mod = jit.load(CORPUS)
    assert {r.type for r in mod.trace} == ALL_TYPES - NOT_IN_CORPUS
    assert [r.via for r in mod.trace if r.type == "R_AARCH64_NONE"] == ["none"]
    assert len(mod.layout.mapping()) >= 7         # 7 sections and the GOT, each placed on its own
    # the absolute forms carry no symbol (S = 0): they do not confine the module to low addresses
    assert {r.symbol for r in mod.trace if r.type in ("R_AARCH64_ABS16", "R_AARCH64_MOVW_UABS_G0")} == {""}
    assert min(p.address for p in mod.layout.placements) > G


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 4])
def test_corpus_matches_lld(seed):
    jit = rig.Jit("aarch64", seed=seed)
    src = CORPUS.read_bytes()
    mod = jit.load(src, name="aarch64.s")
    obj = C.compile_source(src, jit.target, C.Options("static"), "aarch64.s")
    cmp = lld.compare(obj, mod.object, mod.layout, mod.image, jit.target, jit.resolve)
    assert not cmp.differences, [str(d) for d in cmp.differences]
    assert set(cmp.types) == COMPARED_IN_CORPUS


# ---------------------------------------------------------------------------- snippets

TGT = ('.section .data.t,"aw",@progbits\n.globl tgt\n'
       "tgt: .xword 0x1122334455667788, 0x99aabbccddeeff00\n")
FN = '.section .text.t,"ax",@progbits\n.globl fn\nfn: mov x0, #42\n    ret\n'


def asm(code: str = "", data: str = "") -> str:
    """`entry` (code) in .text.s, `word:` (data) in .data.s, and what they name: `tgt`
    (16 bytes of data in .data.t) and/or `fn` (returns 42, in .text.t)."""
    out = ""
    if code:
        out += '.section .text.s,"ax",@progbits\n.globl entry\nentry:\n' + code + "\n"
    if data:
        out += '.section .data.s,"aw",@progbits\n.globl word\nword:\n' + data + "\n"
    if re.search(r"\btgt\b", code + data):
        out += TGT
    if re.search(r"\bfn\b", code + data):
        out += FN
    return out


def at(s=None, d=None, t=None, f=None, got=None) -> Dict[str, int]:
    """A placement: .text.s, .data.s, .data.t, .text.t, GOT."""
    names = {".text.s": s, ".data.s": d, ".data.t": t, ".text.t": f, "GOT": got}
    return {k: v for k, v in names.items() if v is not None}


def load(jit: rig.Jit, src: str, placement: Dict[str, int]):
    for name, addr in placement.items():
        assert jit.space.conflict(addr, addr + 64) is None, (name, hex(addr))
    return jit.load(src.encode(), name="x.s", placement=placement)


def record(mod, type_: str):
    recs = [r for r in mod.trace if r.type == type_]
    assert len(recs) == 1, (type_, [r.type for r in mod.trace])
    return recs[0]


OVERFLOW = None


@dataclass(frozen=True)
class Edge:
    """One snippet at one placement: the value its one `type` site gets, the field's word
    afterwards (OVERFLOW: the load raises), and what `entry` then returns."""

    type: str
    id: str
    src: str
    at: Dict[str, int] = field(hash=False)
    value: Optional[int]                          # None: not checked (a stub's L + A - P)
    word: Optional[int]
    result: Union[None, int, Callable] = None     # None: not run
    sig: str = "i64()"
    via: str = "direct"                           # "stub" / "got": as the trace says
    lld: bool = True                              # link with ld.lld at this layout too (if small)

    def __str__(self) -> str:
        return f"{self.type[10:]}-{self.id}"


EDGES = []


def E(type_, id_, src, placement, value, word, result=None, **kw):
    if "R_AARCH64_" + type_ in GOT_TYPES:
        kw.setdefault("via", "got")
    EDGES.append(Edge("R_AARCH64_" + type_, id_, src, placement, value, word, result, **kw))


def PC(type_, code, off, kind, cases, result=None, sig="i64()"):
    """Pc-relative cases: .text.s at T0, the site at T0 + off, the target (`t`: .data.t,
    `f`: .text.t) at T0 + off + d, so that S - P = d."""
    for id_, d, word, *rest in cases:
        res = rest[0] if rest else result
        via = "stub" if id_.startswith("stub") else "direct"
        E(type_, id_, asm(code), at(s=T0, **{kind: T0 + off + d}), d if via == "direct" else None,
          word, res, sig=sig, via=via)


ret = "\n    ret"

# -- branches: imm26 (+-128 MiB, else a stub), imm19 (+-1 MiB), imm14 (+-32 KiB) --------------
# CALL26: `bl fn` at offset 4; .text.s is 16 bytes, so a stub lands at +16: bl +12 = 0x94000003.
PC("CALL26", "    stp x29, x30, [sp, #-16]!\n    bl fn\n    ldp x29, x30, [sp], #16" + ret, 4, "f", [
    ("max", (1 << 27) - 4, 0x95FFFFFF),       # imm26 = 0x1FFFFFF
    ("min", -(1 << 27), 0x96000000),          # imm26 = 0x2000000
    ("stub-over", 1 << 27, 0x94000003),
    ("stub-under", -(1 << 27) - 4, 0x94000003),
], result=42)
# JUMP26: `b fn` at offset 0; .text.s is 4 bytes, the stub at +8: b +8 = 0x14000002.
PC("JUMP26", "    b fn", 0, "f", [
    ("max", (1 << 27) - 4, 0x15FFFFFF),
    ("min", -(1 << 27), 0x16000000),
    ("stub-over", 1 << 27, 0x14000002),
    ("stub-under", -(1 << 27) - 4, 0x14000002),
], result=42)
PC("CONDBR19", "    cmp x0, x0\n    b.eq fn\n    mov x0, #1" + ret, 4, "f", [
    ("max", (1 << 20) - 4, 0x547FFFE0),       # b.eq: imm19 = 0x3FFFF at bits 5-23
    ("min", -(1 << 20), 0x54800000),          # imm19 = 0x40000
    ("over", 1 << 20, OVERFLOW),
    ("under", -(1 << 20) - 4, OVERFLOW),
], result=42)
E("CONDBR19", "unaligned", asm("    cmp x0, x0\n    b.eq fn + 2" + ret), at(s=T0, f=T0 + 0x100), 0xFE, OVERFLOW)
PC("TSTBR14", "    mov x0, #0\n    tbz x0, #3, fn\n    mov x0, #1" + ret, 4, "f", [
    ("max", 0x7FFC, 0x361BFFE0),              # tbz w0, #3: b40 = 3 at bits 19-23, imm14 = 0x1FFF
    ("min", -0x8000, 0x361C0000),             # imm14 = 0x2000
    ("over", 0x8000, OVERFLOW),
    ("under", -0x8004, OVERFLOW),
], result=42)

# -- pc-relative addresses -------------------------------------------------------------------
PC("LD_PREL_LO19", "    ldr x0, tgt" + ret, 0, "t", [
    ("max", (1 << 20) - 4, 0x587FFFE0),       # ldr x0, literal: imm19 = 0x3FFFF
    ("min", -(1 << 20), 0x58800000),
    ("over", 1 << 20, OVERFLOW),
    ("under", -(1 << 20) - 4, OVERFLOW),
    ("unaligned", 0x102, OVERFLOW),
], result=TGT_VALUE)
PC("ADR_PREL_LO21", "    adr x0, tgt" + ret, 0, "t", [
    ("max", (1 << 20) - 1, 0x707FFFE0),       # immlo = 3 (bits 29-30), immhi = 0x3FFFF
    ("min", -(1 << 20), 0x10800000),          # immlo = 0, immhi = 0x40000
    ("over", 1 << 20, OVERFLOW),
    ("under", -(1 << 20) - 1, OVERFLOW),
], result=lambda m: m.address("tgt"))
# ADRP: .text.s at T0 + 0xFFC, so Page(P) = T0; the value is Page(S) - Page(P).
_adrp = asm("    adrp x0, tgt" + ret)
_adrp_nc = asm("    adrp x0, :pg_hi21_nc:tgt" + ret)
for _src, _t in (("ADR_PREL_PG_HI21", _adrp), ("ADR_PREL_PG_HI21_NC", _adrp_nc)):
    E(_src, "max", _t, at(s=T0 + 0xFFC, t=T0 + G - PAGE + 0xFFF), G - PAGE, 0xF07FFFE0, T0 + G - PAGE)
    E(_src, "min", _t, at(s=T0 + 0xFFC, t=T0 - G), -G, 0x90800000, T0 - G)
E("ADR_PREL_PG_HI21", "over", _adrp, at(s=T0 + 0xFFC, t=T0 + G), G, OVERFLOW)
E("ADR_PREL_PG_HI21", "under", _adrp, at(s=T0 + 0xFFC, t=T0 - G - 1), -G - PAGE, OVERFLOW)
# _NC: X[32:12] of 2^32 is 0x100000 (the word of -2^32), of -2^32 - 4096 is 0xFFFFF: the page wraps.
E("ADR_PREL_PG_HI21_NC", "nc-over", _adrp_nc, at(s=T0 + 0xFFC, t=T0 + G), G, 0x90800000, T0 - G)
E("ADR_PREL_PG_HI21_NC", "nc-under", _adrp_nc, at(s=T0 + 0xFFC, t=T0 - G - 1), -G - PAGE, 0xF07FFFE0,
  T0 + G - PAGE)

# -- low 12 bits (S + A, no range; the loads/stores need S + A aligned to their size) --------
_add = asm("    adrp x0, tgt\n    add x0, x0, :lo12:tgt" + ret)
E("ADD_ABS_LO12_NC", "max", _add, at(s=T0, t=T0 + 0x10FFF), T0 + 0x10FFF, 0x913FFC00, T0 + 0x10FFF)
# the carry out of bit 11 is dropped (ADRP's page holds it): imm12 = 0
E("ADD_ABS_LO12_NC", "nc", _add, at(s=T0, t=T0 + 0x11000), T0 + 0x11000, 0x91000000, T0 + 0x11000)
for _type, _insn, _base, _size, _max, _res in (
        # ldrb w0, [x1] = 0x39400020 ... ; imm12 = 0xFFF >> log2(size) at bits 10-21
        ("LDST8", "ldrb w0, [x1, :lo12:tgt]", 0x39400020, 1, 0x397FFC20, 0x88),
        ("LDST16", "ldrh w0, [x1, :lo12:tgt]", 0x79400020, 2, 0x795FFC20, 0x7788),
        ("LDST32", "ldr w0, [x1, :lo12:tgt]", 0xB9400020, 4, 0xB94FFC20, 0x55667788),
        ("LDST64", "ldr x0, [x1, :lo12:tgt]", 0xF9400020, 8, 0xF947FC20, TGT_VALUE),
        ("LDST128", "ldr q0, [x1, :lo12:tgt]\n    fmov x0, d0", 0x3DC00020, 16, 0x3DC3FC20, TGT_VALUE)):
    _t = asm(f"    adrp x1, tgt\n    {_insn}" + ret)
    _last = T0 + 0x20000 - _size                  # the last aligned address of a page
    E(f"{_type}_ABS_LO12_NC", "max", _t, at(s=T0, t=_last), _last, _max, _res)
    E(f"{_type}_ABS_LO12_NC", "nc", _t, at(s=T0, t=_last + _size), _last + _size, _base, _res)
    if _size > 1:
        E(f"{_type}_ABS_LO12_NC", "unaligned", _t, at(s=T0, t=_last + _size // 2), _last + _size // 2, OVERFLOW)

# -- MOVW, absolute (targets near T0, code at C0; addend -T0 makes S + A small) -------------
_A = "tgt - 0x400000000000"
_mk = "    mov x0, xzr\n    movk x0, "           # MOVK keeps the other bits: start from 0
_ug0 = asm(f"    movz x0, #:abs_g0:{_A}" + ret)
E("MOVW_UABS_G0", "max", _ug0, at(s=C0, t=T0 + 0xFFFF), 0xFFFF, 0xD29FFFE0, 0xFFFF)
E("MOVW_UABS_G0", "min", _ug0, at(s=C0, t=T0), 0, 0xD2800000, 0)
E("MOVW_UABS_G0", "over", _ug0, at(s=C0, t=T0 + 0x10000), 0x10000, OVERFLOW)
E("MOVW_UABS_G0", "under", _ug0, at(s=C0, t=T0 - 1), -1, OVERFLOW)
_ug0nc = asm(f"{_mk}#:abs_g0_nc:{_A}" + ret)
E("MOVW_UABS_G0_NC", "max", _ug0nc, at(s=C0, t=T0 + 0xFFFF), 0xFFFF, 0xF29FFFE0, 0xFFFF)
E("MOVW_UABS_G0_NC", "nc", _ug0nc, at(s=C0, t=T0 + 0x11234), 0x11234, 0xF2824680, 0x1234)
_ug1 = asm(f"    movz x0, #:abs_g1:{_A}" + ret)
E("MOVW_UABS_G1", "max", _ug1, at(s=C0, t=T0 + G - 1), G - 1, 0xD2BFFFE0, 0xFFFF0000)
E("MOVW_UABS_G1", "over", _ug1, at(s=C0, t=T0 + G), G, OVERFLOW)
E("MOVW_UABS_G1", "under", _ug1, at(s=C0, t=T0 - 1), -1, OVERFLOW)
_ug1nc = asm(f"{_mk}#:abs_g1_nc:{_A}" + ret)
E("MOVW_UABS_G1_NC", "max", _ug1nc, at(s=C0, t=T0 + G - 1), G - 1, 0xF2BFFFE0, 0xFFFF0000)
E("MOVW_UABS_G1_NC", "nc", _ug1nc, at(s=C0, t=T0 + G + 0x12340000), G + 0x12340000, 0xF2A24680, 0x12340000)
# G2: + 0xBFFFFFFFFFFF puts S + A at 2^48 - 1 when S = T0.
_ug2 = asm("    movz x0, #:abs_g2:tgt + 0xBFFFFFFFFFFF" + ret)
E("MOVW_UABS_G2", "max", _ug2, at(s=C0, t=T0), (1 << 48) - 1, 0xD2DFFFE0, 0xFFFF << 32)
E("MOVW_UABS_G2", "over", _ug2, at(s=C0, t=T0 + 1), 1 << 48, OVERFLOW)
E("MOVW_UABS_G2", "under", asm(f"    movz x0, #:abs_g2:{_A}" + ret), at(s=C0, t=T0 - 1), -1, OVERFLOW)
_ug2nc = asm(f"{_mk}#:abs_g2_nc:tgt + 0xBFFFFFFFFFFF" + ret)
E("MOVW_UABS_G2_NC", "max", _ug2nc, at(s=C0, t=T0), (1 << 48) - 1, 0xF2DFFFE0, 0xFFFF << 32)
E("MOVW_UABS_G2_NC", "nc", _ug2nc, at(s=C0, t=T0 + 1), 1 << 48, 0xF2C00000, 0)
# G3 has no check: S + A = -1 writes X[63:48] = 0xFFFF, one more wraps to 0.
_ug3 = asm("    movz x0, #:abs_g3:tgt - 0x400000000001" + ret)
E("MOVW_UABS_G3", "max", _ug3, at(s=C0, t=T0), -1, 0xD2FFFFE0, 0xFFFF << 48, sig="u64()")
E("MOVW_UABS_G3", "wrap", _ug3, at(s=C0, t=T0 + 1), 0, 0xD2E00000, 0, sig="u64()")

# -- MOVW, signed: MOVZ with X's chunk for X >= 0, MOVN (opc 00) with NOT(X)'s for X < 0 -----
_sg0 = asm(f"    movz x0, #:abs_g0_s:{_A}" + ret)
E("MOVW_SABS_G0", "max", _sg0, at(s=C0, t=T0 + 0xFFFF), 0xFFFF, 0xD29FFFE0, 0xFFFF)
E("MOVW_SABS_G0", "min", _sg0, at(s=C0, t=T0 - 0x10000), -0x10000, 0x929FFFE0, -0x10000)
E("MOVW_SABS_G0", "over", _sg0, at(s=C0, t=T0 + 0x10000), 0x10000, OVERFLOW)
E("MOVW_SABS_G0", "under", _sg0, at(s=C0, t=T0 - 0x10001), -0x10001, OVERFLOW)
_sg1 = asm(f"    movz x0, #:abs_g1_s:{_A}\n    movk x0, #:abs_g0_nc:{_A}" + ret)
E("MOVW_SABS_G1", "max", _sg1, at(s=C0, t=T0 + G - 1), G - 1, 0xD2BFFFE0, G - 1)
E("MOVW_SABS_G1", "min", _sg1, at(s=C0, t=T0 - G), -G, 0x92BFFFE0, -G)
E("MOVW_SABS_G1", "over", _sg1, at(s=C0, t=T0 + G), G, OVERFLOW)
E("MOVW_SABS_G1", "under", _sg1, at(s=C0, t=T0 - G - 1), -G - 1, OVERFLOW)


def _g2_seq(kind: str, a: str) -> str:
    return asm(f"    movz x0, #:{kind}_g2{'_s' if kind == 'abs' else ''}:tgt {a}\n"
               f"    movk x0, #:{kind}_g1_nc:tgt {a}{' + 4' if kind == 'prel' else ''}\n"
               f"    movk x0, #:{kind}_g0_nc:tgt {a}{' + 8' if kind == 'prel' else ''}" + ret)


_sg2_hi, _sg2_lo = _g2_seq("abs", "+ 0xBFFFFFFFFFFF"), _g2_seq("abs", "- 0x1400000000000")  # -2^48 - T0
E("MOVW_SABS_G2", "max", _sg2_hi, at(s=C0, t=T0), (1 << 48) - 1, 0xD2DFFFE0, (1 << 48) - 1)
E("MOVW_SABS_G2", "over", _sg2_hi, at(s=C0, t=T0 + 1), 1 << 48, OVERFLOW)
E("MOVW_SABS_G2", "min", _sg2_lo, at(s=C0, t=T0), -(1 << 48), 0x92DFFFE0, -(1 << 48))
E("MOVW_SABS_G2", "under", _sg2_lo, at(s=C0, t=T0 - 1), -(1 << 48) - 1, OVERFLOW)

# -- MOVW, pc-relative: X = S + A - P; each MOVK's addend is 4 more, as its place ------------
PC("MOVW_PREL_G0", "    movz x0, #:prel_g0:tgt" + ret, 0, "t", [
    ("max", 0xFFFF, 0xD29FFFE0, 0xFFFF),
    ("min", -0x10000, 0x929FFFE0, -0x10000),
    ("over", 0x10000, OVERFLOW),
    ("under", -0x10001, OVERFLOW),
])
PC("MOVW_PREL_G0_NC", _mk + "#:prel_g0_nc:tgt" + ret, 4, "t", [
    ("max", 0xFFFF, 0xF29FFFE0, 0xFFFF),
    ("nc", 0x12345, 0xF28468A0, 0x2345),      # X[15:0] of 0x12345
])
E("MOVW_PREL_G0_NC", "neg", asm(_mk + "#:prel_g0_nc:tgt - 0x10001" + ret), at(s=T0, t=T0 + 4 + 0x10000), -1,
  0xF29FFFE0, 0xFFFF)
PC("MOVW_PREL_G1", "    movz x0, #:prel_g1:tgt\n    movk x0, #:prel_g0_nc:tgt + 4" + ret, 0, "t", [
    ("max", G - 1, 0xD2BFFFE0, G - 1),
    ("min", -G, 0x92BFFFE0, -G),
    ("over", G, OVERFLOW),
    ("under", -G - 1, OVERFLOW),
])
PC("MOVW_PREL_G1_NC", _mk + "#:prel_g1_nc:tgt" + ret, 4, "t", [
    ("max", G - 1, 0xF2BFFFE0, 0xFFFF0000),
    ("nc", G + 0x12340000, 0xF2A24680, 0x12340000),
])
E("MOVW_PREL_G1_NC", "neg", asm(_mk + "#:prel_g1_nc:tgt - 0x10001" + ret), at(s=T0, t=T0 + 4 + 0x10000), -1,
  0xF2BFFFE0, 0xFFFF0000)
# G2: the addends put X at the edges with S - P = +-0x10000.
_pg2_hi = _g2_seq("prel", "+ 0xFFFFFFFEFFFF")           # 2^48 - 1 - 0x10000
_pg2_lo = _g2_seq("prel", "- 0xFFFFFFFF0000")           # -2^48 + 0x10000
E("MOVW_PREL_G2", "max", _pg2_hi, at(s=T0, t=T0 + 0x10000), (1 << 48) - 1, 0xD2DFFFE0, (1 << 48) - 1)
E("MOVW_PREL_G2", "over", _pg2_hi, at(s=T0, t=T0 + 0x10001), 1 << 48, OVERFLOW)
E("MOVW_PREL_G2", "min", _pg2_lo, at(s=T0, t=T0 - 0x10000), -(1 << 48), 0x92DFFFE0, -(1 << 48))
E("MOVW_PREL_G2", "under", _pg2_lo, at(s=T0, t=T0 - 0x10001), -(1 << 48) - 1, OVERFLOW)
_pg2nc = asm(_mk + "#:prel_g2_nc:tgt + 0xFFFFFFFF0000" + ret)    # 2^48 - 0x10000; the site is at +4
E("MOVW_PREL_G2_NC", "max", _pg2nc, at(s=T0, t=T0 + 4 + 0xFFFF), (1 << 48) - 1, 0xF2DFFFE0, 0xFFFF << 32)
E("MOVW_PREL_G2_NC", "nc", _pg2nc, at(s=T0, t=T0 + 4 + 0x10000), 1 << 48, 0xF2C00000, 0)
_pg3 = ("    movz x0, #:prel_g3:tgt {a}\n    movk x0, #:prel_g2_nc:tgt {a} + 4\n"
        "    movk x0, #:prel_g1_nc:tgt {a} + 8\n    movk x0, #:prel_g0_nc:tgt {a} + 12" + ret)
E("MOVW_PREL_G3", "pos", asm(_pg3.format(a="+ 0")), at(s=T0, t=T0 + 0x10000), 0x10000, 0xD2E00000, 0x10000)
# X = -1: MOVN with NOT(X)[63:48] = 0 (aaelf64's MOV[NZ]); lld writes MOVZ #0xFFFF (0xD2FFFFE0),
# the same register value after the MOVKs: see test_prel_g3_with_a_negative_value_matches_lld.
E("MOVW_PREL_G3", "neg", asm(_pg3.format(a="- 0x10001")), at(s=T0, t=T0 + 0x10000), -1, 0x92E00000, -1,
  lld=False)
# No check: X = -2^48 - 0x10000 (beyond G2's reach) -> NOT(X)[63:48] = 1: movn x0, #1, lsl #48.
E("MOVW_PREL_G3", "far", asm(_pg3.format(a="- 0x1000000000000")), at(s=T0, t=T0 - 0x10000),
  -(1 << 48) - 0x10000, 0x92E00020, -(1 << 48) - 0x10000, lld=False)

# -- data words (bytes at .data.s) ----------------------------------------------------------
E("ABS64", "neg", asm(data="    .xword tgt - 0x400000000001"), at(d=C0, t=T0), -1, (1 << 64) - 1)
E("ABS64", "addr", asm(data="    .xword tgt + 0x123"), at(d=C0, t=T0), T0 + 0x123, T0 + 0x123)
_abs32, _abs16 = asm(data=f"    .word {_A}"), asm(data=f"    .hword {_A}")
E("ABS32", "max", _abs32, at(d=C0, t=T0 + G - 1), G - 1, 0xFFFFFFFF)
E("ABS32", "min", _abs32, at(d=C0, t=T0 - (1 << 31)), -(1 << 31), 0x80000000)
E("ABS32", "over", _abs32, at(d=C0, t=T0 + G), G, OVERFLOW)
E("ABS32", "under", _abs32, at(d=C0, t=T0 - (1 << 31) - 1), -(1 << 31) - 1, OVERFLOW)
E("ABS16", "max", _abs16, at(d=C0, t=T0 + 0xFFFF), 0xFFFF, 0xFFFF)
E("ABS16", "min", _abs16, at(d=C0, t=T0 - 0x8000), -0x8000, 0x8000)
E("ABS16", "over", _abs16, at(d=C0, t=T0 + 0x10000), 0x10000, OVERFLOW)
E("ABS16", "under", _abs16, at(d=C0, t=T0 - 0x8001), -0x8001, OVERFLOW)
E("PREL64", "neg", asm(data="    .xword tgt - . - 0x10001"), at(d=T0, t=T0 + 0x10000), -1, (1 << 64) - 1)
E("PREL64", "far", asm(data="    .xword tgt - ."), at(d=T0, t=T0 + (1 << 40)), 1 << 40, 1 << 40)
for _type, _dir, _bits in (("PREL32", ".word", 32), ("PREL16", ".hword", 16)):
    _t = asm(data=f"    {_dir} tgt - .")
    _hi, _lo = 1 << _bits, 1 << (_bits - 1)      # [-2^(n-1), 2^n)
    E(_type, "max", _t, at(d=T0, t=T0 + _hi - 1), _hi - 1, _hi - 1)
    E(_type, "min", _t, at(d=T0, t=T0 - _lo), -_lo, _lo)
    E(_type, "over", _t, at(d=T0, t=T0 + _hi), _hi, OVERFLOW)
    E(_type, "under", _t, at(d=T0, t=T0 - _lo - 1), -_lo - 1, OVERFLOW)
# PLT32: [-2^31, 2^31), signed.  fn is 4-aligned, so the addend -1 reaches 2^31 - 1.
E("PLT32", "max", asm(data="    .word fn@PLT - . - 1"), at(d=T0, f=T0 + (1 << 31)), (1 << 31) - 1, 0x7FFFFFFF)
E("PLT32", "min", asm(data="    .word fn@PLT - ."), at(d=T0, f=T0 - (1 << 31)), -(1 << 31), 0x80000000)
# In code (a jump table): beyond reach, a stub after the 20-byte section (+24): 24 - 16 = 8.
_plt_code = asm("    adr x1, 1f\n    ldrsw x2, [x1]\n    add x2, x2, x1\n    br x2\n1:  .word fn@PLT - .")
E("PLT32", "code-max", _plt_code, at(s=T0, f=T0 + 16 + (1 << 31) - 4), (1 << 31) - 4, 0x7FFFFFFC, 42)
E("PLT32", "stub-over", _plt_code, at(s=T0, f=T0 + 16 + (1 << 31)), None, 8, 42, via="stub")
E("PLT32", "stub-under", _plt_code, at(s=T0, f=T0 + 16 - (1 << 31) - 4), None, 8, 42, via="stub")

# -- GOT: one slot (tgt's); the GOT placed explicitly ----------------------------------------
_got = asm("    adrp x0, :got:tgt\n    ldr x0, [x0, :got_lo12:tgt]\n    ldr x0, [x0]" + ret)
# ADRP of Page(G) - Page(P), P = T0; the slot at a page's last 8 bytes.
E("ADR_GOT_PAGE", "max", _got, at(s=T0, t=T0 + 0x10000, got=T0 + G - 8), G - PAGE, 0xF07FFFE0, TGT_VALUE)
E("ADR_GOT_PAGE", "min", _got, at(s=T0, t=T0 + 0x10000, got=T0 - G), -G, 0x90800000, TGT_VALUE)
E("ADR_GOT_PAGE", "over", _got, at(s=T0, t=T0 + 0x10000, got=T0 + G), G, OVERFLOW)
E("ADR_GOT_PAGE", "under", _got, at(s=T0, t=T0 + 0x10000, got=T0 - G - 8), -G - PAGE, OVERFLOW)
# ldr x0, [x0] = 0xF9400000; imm12 = G[11:3]
E("LD64_GOT_LO12_NC", "max", _got, at(s=T0, t=T0 + 0x10000, got=T0 + 0x20FF8), T0 + 0x20FF8, 0xF947FC00, TGT_VALUE)
E("LD64_GOT_LO12_NC", "nc", _got, at(s=T0, t=T0 + 0x10000, got=T0 + 0x21000), T0 + 0x21000, 0xF9400000, TGT_VALUE)
E("LD64_GOT_LO12_NC", "unaligned", asm("    adrp x0, :got:tgt\n    ldr x0, [x0, :got_lo12:tgt + 4]" + ret),
  at(s=T0, t=T0 + 0x10000, got=T0 + 0x20FF8), T0 + 0x20FFC, OVERFLOW)


def _gotpage(a: str) -> str:
    return asm(f"    adrp x1, _GLOBAL_OFFSET_TABLE_\n    ldr x0, [x1, :gotpage_lo15:tgt {a}]\n    ldr x0, [x0]" + ret)


# G + A - Page(GOT), the GOT (its one slot) at a page's last 8 bytes: 0xFF8 + A.
# ldr x0, [x1] = 0xF9400020; imm12 = value[14:3].
_gp_at = at(s=T0, t=T0 + 0x10000, got=T0 + 0x20FF8)
E("LD64_GOTPAGE_LO15", "got", _gotpage("+ 0"), _gp_at, 0xFF8, 0xF947FC20, TGT_VALUE)
E("LD64_GOTPAGE_LO15", "max", _gotpage("+ 0x7000"), _gp_at, 0x7FF8, 0xF97FFC20)
E("LD64_GOTPAGE_LO15", "over", _gotpage("+ 0x7008"), _gp_at, 0x8000, OVERFLOW)
E("LD64_GOTPAGE_LO15", "under", _gotpage("- 0x1000"), _gp_at, -8, OVERFLOW)
E("LD64_GOTPAGE_LO15", "unaligned", _gotpage("+ 4"), _gp_at, 0xFFC, OVERFLOW)


def test_every_type_with_a_field_has_its_edges():
    assert {e.type for e in EDGES} == ALL_TYPES - {"R_AARCH64_NONE", "R_AARCH64_NULL"}
    assert len({str(e) for e in EDGES}) == len(EDGES)


def _expected(mod, result):
    return result(mod) if callable(result) else result


@pytest.mark.parametrize("edge", EDGES, ids=str)
def test_field_edge(edge: Edge):
    jit = rig.Jit("aarch64")
    try:
        if edge.word is OVERFLOW:
            with pytest.raises(rig.RelocationOverflow, match=edge.type + " ") as exc:
                load(jit, edge.src, edge.at)
            assert exc.value.value == edge.value
            return
        mod = load(jit, edge.src, edge.at)
        rec = record(mod, edge.type)
        size = BY_NAME[edge.type].field.size
        mask = (1 << (8 * size)) - 1
        assert rec.via == edge.via
        if edge.value is not None:
            assert rec.value == edge.value
        assert f"{int.from_bytes(rec.after, 'little'):#x}" == f"{edge.word & mask:#x}"
        assert jit.read(rec.P, size) == rec.after           # what the process holds
        if edge.via == "stub":
            stub = jit.read(rec.stub, 16)                    # ldr x16, #8; br x16; .xword fn
            assert stub[:8] == bytes.fromhex("50000058" "00021fd6")
            assert int.from_bytes(stub[8:], "little") == mod.address("fn")
        if edge.result is not None:
            assert mod.call("entry", signature=edge.sig) == _expected(mod, edge.result)
        span = max(p.end for p in mod.layout.placements) - min(p.address for p in mod.layout.placements)
        if edge.lld and edge.via != "stub" and span <= 64 << 20:
            obj = C.compile_source(edge.src.encode(), jit.target, C.Options("static"), "x.s")
            cmp = lld.compare(obj, mod.object, mod.layout, mod.image, jit.target, jit.resolve)
            assert not cmp.differences, [str(d) for d in cmp.differences]
            if edge.type not in GOT_TYPES:
                assert cmp.types.get(edge.type) == 1
    finally:
        jit.close()


# ---------------------------------------------------------------------------- NONE and NULL

def test_none_writes_nothing():
    jit = rig.Jit("aarch64")
    mod = load(jit, asm("    .reloc ., R_AARCH64_NONE, tgt\n    movz x0, #7" + ret), at(s=T0, t=T0 + PAGE))
    rec = record(mod, "R_AARCH64_NONE")
    assert (rec.via, rec.before, rec.after, rec.offset) == ("none", b"", b"", 0)
    assert jit.read(T0, 4) == (0xD28000E0).to_bytes(4, "little")     # movz x0, #7, as assembled
    assert mod.call("entry", signature="i64()") == 7


def _with_type(obj: bytes, old: int, new: int) -> bytes:
    """`obj` with every RELA entry of type `old` turned into `new` (ELF64: r_info = sym << 32 | type)."""
    from elftools.elf.elffile import ELFFile
    from elftools.elf.relocation import RelocationSection
    out = bytearray(obj)
    n = 0
    for sec in ELFFile(io.BytesIO(obj)).iter_sections():
        if isinstance(sec, RelocationSection) and sec.is_RELA():
            for i in range(sec.num_relocations()):
                at_ = sec["sh_offset"] + i * sec["sh_entsize"] + 8
                info = int.from_bytes(out[at_:at_ + 8], "little")
                if info & 0xFFFFFFFF == old:
                    out[at_:at_ + 8] = ((info & ~0xFFFFFFFF) | new).to_bytes(8, "little")
                    n += 1
    assert n == 1
    return bytes(out)


def test_null_is_a_none():
    """R_AARCH64_NULL (256, aaelf64's withdrawn number, "treat as NONE"): clang has no name for
    it, so a NONE from `.reloc` is renumbered in the object."""
    jit = rig.Jit("aarch64")
    src = asm("    .reloc ., R_AARCH64_NONE, tgt\n    movz x0, #7" + ret)
    obj = _with_type(C.compile_source(src.encode(), jit.target, C.Options("static"), "x.s"), 0, 256)
    mod = jit.load(obj, name="x.o", placement=at(s=T0, t=T0 + PAGE))
    rec = record(mod, "R_AARCH64_NULL")
    assert (rec.via, rec.after, rec.symbol) == ("none", b"", "tgt")
    assert mod.call("entry", signature="i64()") == 7


# ---------------------------------------------------------------------------- absolute symbols

ABS_FORMS = [  # (type, the instruction or directive after `.reloc`, the symbol's value, word, result)
    ("ABS32", ".word 0", 0xDEADBEEF, 0xDEADBEEF, None),
    ("ABS16", ".hword 0", -1234, 0xFB2E, None),                       # -1234 & 0xFFFF
    ("MOVW_UABS_G0", "movz x0, #0", 0xBEEF, 0xD297DDE0, 0xBEEF),      # 0xBEEF << 5 = 0x17DDE0
    ("MOVW_UABS_G1", "movz x0, #0, lsl #16", 0xDEADBEEF, 0xD2BBD5A0, 0xDEAD0000),   # 0xDEAD << 5
    ("MOVW_SABS_G0", "movz x0, #0", -1234, 0x92809A20, -1234),        # movn #1233 (0x4D1 << 5)
    ("MOVW_SABS_G1", "movz x0, #0, lsl #16", -0x12345678, 0x92A24680, -0x12340001),  # movn #0x1234, lsl 16
]


def _abs_src(type_: str, insn: str, value: int) -> str:
    code = f".globl k\n.set k, {value}\n    .reloc ., R_AARCH64_{type_}, k\n    {insn}"
    return asm(data=code) if insn.startswith(".") else asm(code + ret)


@pytest.mark.parametrize("type_, insn, value, word, result", ABS_FORMS, ids=[f[0] for f in ABS_FORMS])
def test_absolute_symbol_through_reloc(type_, insn, value, word, result):
    """What clang gives for an absolute symbol: the value as the addend of a relocation with
    no symbol.  At an explicit placement the rig writes it (and agrees with lld)."""
    jit = rig.Jit("aarch64")
    src = _abs_src(type_, insn, value)
    mod = load(jit, src, at(s=C0) if result is not None else at(d=C0))
    rec = record(mod, "R_AARCH64_" + type_)
    assert (rec.symbol, rec.S, rec.A, rec.value) == ("", 0, value, value)
    assert rec.after == word.to_bytes(len(rec.after), "little")
    if result is not None:
        assert mod.call("entry", signature="i64()") == result
    obj = C.compile_source(src.encode(), jit.target, C.Options("static"), "x.s")
    cmp = lld.compare(obj, mod.object, mod.layout, mod.image, jit.target, jit.resolve)
    assert not cmp.differences and cmp.types == {"R_AARCH64_" + type_: 1}


@pytest.mark.parametrize("type_, insn, value, word, result", ABS_FORMS, ids=[f[0] for f in ABS_FORMS])
def test_symbolless_absolute_relocation_at_random_placements(type_, insn, value, word, result):
    """The value does not move with the layout, so it does not keep the module low (layout.
    absolute_limit skips symbol-less relocations; it once read the 16-bit forms as "below
    64 KiB" and found no placement at all)."""
    jit = rig.Jit("aarch64", seed=1)
    src = _abs_src(type_, insn, value).encode()
    highest = 0
    for _ in range(5):
        mod = jit.load(src, name="x.s")
        rec = record(mod, "R_AARCH64_" + type_)
        assert rec.after == word.to_bytes(len(rec.after), "little")
        if result is not None:
            assert mod.call("entry", signature="i64()") == result
        highest = max(highest, mod.layout.placements[0].address)
        jit.unload(mod)
    assert highest > G


# ---------------------------------------------------------------------------- the GOT symbol

def test_gotpage_lo15_against_a_defined_symbol_at_an_explicit_placement():
    """The compiler's form: ADRP of _GLOBAL_OFFSET_TABLE_, LDR :gotpage_lo15: of a defined symbol."""
    jit = rig.Jit("aarch64")
    mod = load(jit, _gotpage("+ 0"), at(s=T0, t=T0 + 0x10000, got=T0 + 0x20FF8))
    adrp = record(mod, "R_AARCH64_ADR_PREL_PG_HI21")
    assert (adrp.symbol, adrp.S, adrp.value) == ("_GLOBAL_OFFSET_TABLE_", T0 + 0x20FF8, 0x20000)
    assert mod.call("entry", signature="i64()") == TGT_VALUE


def test_gotpage_lo15_against_a_defined_symbol_at_random_placements():
    """G(S) + A - Page(GOT) lies inside the GOT: it does not bound where the sections go
    (layout.relative_reach once read the field's [0, 2^15) as a reach of 0 bytes)."""
    jit = rig.Jit("aarch64", seed=2)
    src = _gotpage("+ 0").encode()
    spans = []
    for _ in range(10):
        mod = jit.load(src, name="x.s")
        assert mod.call("entry", signature="i64()") == TGT_VALUE
        assert record(mod, "R_AARCH64_LD64_GOTPAGE_LO15").value == mod.layout.got % PAGE
        ends = [(p.address, p.end) for p in mod.layout.placements]
        spans.append(max(e for _, e in ends) - min(a for a, _ in ends))
        jit.unload(mod)
    assert max(spans) > 1 << 20


def test_lld_compare_accepts_the_got_symbol():
    """lld defines _GLOBAL_OFFSET_TABLE_ itself (at its .got, which rig.lld puts at the rig's GOT);
    a --defsym for it would be refused ('cannot redefine linker defined symbol')."""
    jit = rig.Jit("aarch64", seed=2)
    src = _gotpage("+ 0")
    mod = load(jit, src, at(s=T0, t=T0 + 0x10000, got=T0 + 0x20FF8))
    obj = C.compile_source(src.encode(), jit.target, C.Options("static"), "x.s")
    cmp = lld.compare(obj, mod.object, mod.layout, mod.image, jit.target, jit.resolve)
    assert not cmp.differences      # (the ADRP of _GLOBAL_OFFSET_TABLE_ itself is not among the compared sites)


# ---------------------------------------------------------------------------- disagreements

def test_prel_g3_with_a_negative_value_follows_aaelf64_where_lld_differs():
    """For MOVW_PREL_G3 with X < 0 the rig writes MOVN with NOT(X)[63:48] (aaelf64:
    'MOV[NZ]'; Linux's module loader does the same); lld always writes MOVZ with
    X[63:48].  The register is the same once the three MOVKs follow; the bytes of
    that one instruction are the only difference."""
    edge = next(e for e in EDGES if str(e) == "MOVW_PREL_G3-neg")
    jit = rig.Jit("aarch64")
    mod = load(jit, edge.src, edge.at)
    obj = C.compile_source(edge.src.encode(), jit.target, C.Options("static"), "x.s")
    diffs = lld.compare(obj, mod.object, mod.layout, mod.image, jit.target, jit.resolve).differences
    assert [d.type for d in diffs] == ["R_AARCH64_MOVW_PREL_G3"]
    rig_word, lld_word = (int.from_bytes(d, "little") for d in (diffs[0].rig, diffs[0].lld))
    assert rig_word >> 23 == 0b100100101 and lld_word >> 23 == 0b110100101      # MOVN vs MOVZ (64-bit)
    assert (~(rig_word >> 5) & 0xFFFF) == (lld_word >> 5) & 0xFFFF                # NOT(X)[63:48] vs X[63:48]


def test_plt32_in_data_beyond_reach_is_an_overflow():
    """A stub must be code: a PLT32 word in a data section gets none, and beyond ±2 GiB
    the link fails as lld's does (within reach it designates the function itself)."""
    src = asm("    adrp x1, word\n    add x1, x1, :lo12:word\n    ldrsw x2, [x1]\n    add x2, x2, x1\n    br x2",
              data="    .word fn@PLT - .")
    jit = rig.Jit("aarch64")
    with pytest.raises(rig.RelocationOverflow, match="R_AARCH64_PLT32 at .data"):
        load(jit, src, at(s=T0, d=T0 + PAGE, f=T0 + PAGE + (1 << 31)))
    mod = load(jit, src, at(s=T0, d=T0 + PAGE, f=T0 + PAGE + (1 << 30)))
    assert record(mod, "R_AARCH64_PLT32").via == "direct"
    assert mod.call("entry", signature="i64()") == 42
