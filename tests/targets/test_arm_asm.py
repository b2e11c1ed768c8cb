"""Every ARM / Thumb-2 relocation type, from real assembly, in the emulator.

The corpus programs corpus/asm/arm.s and corpus/asm/thumb.s run at random
placements here (their CALL lines) and together make the rig apply every row
of targets/arm_relocs.RELOCATIONS but three: ld.lld (22) rejects R_ARM_ABS16,
R_ARM_ABS8 and R_ARM_THM_JUMP6 ("unknown relocation"), and the corpus must
link with lld for the differential test.  Those three run from the snippets
below.

Then each type at its range edges: small assembly snippets loaded at EXPLICIT
addresses so that the relocation's value is exactly the last value in range
and the first one out of it.  The bytes the rig writes are checked against
words worked out by hand from the encodings (ARM ARM v7-A, aaelf32 5.6), ld.lld
must write the same bytes at the same layout (where it knows the type), and
the code runs.  Out of range, a branch that may use a veneer (CALL, JUMP24,
PC24, THM_CALL, THM_JUMP24, THM_JUMP19) goes through the rig's stub and still runs; any
other type raises `RelocationOverflow` naming it.

Encodings used below (value v = the relocation's value, after the Thumb BLX
rounding):

* A32 BL/B/BLX: cond|101|L|imm24 with imm24 = v >> 2; BLX = 1111101H imm24
  with H = bit 1 of v.
* T32 BL/BLX/B.W: hw1 = 11110 S imm10, hw2 = 1 1 J1 1/0 J2 imm11 (BL: 0xd000,
  BLX: 0xc000, B.W: 0x9000), J1 = ~I1 ^ S, J2 = ~I2 ^ S, v = S:I1:I2:imm10:imm11:0.
* T32 B<cond>.W: hw1 = 11110 S cond imm6, hw2 = 10 J1 0 J2 imm11, v = S:J2:J1:imm6:imm11:0.
* T16 B: 11100 imm11; B<cond>: 1101 cond imm8; CBZ: 1011 0 0 i 1 imm5 Rn, v = i:imm5:0.
* MOVW/MOVT A1: cond 0011 0H00 imm4 Rd imm12; T3/T1: 11110 i 10 0H00 imm4 | 0 imm3 Rd imm8.

A 32-bit Thumb instruction is written here as its bytes in memory (hw1 first,
each halfword little-endian), the form `TraceRecord.after` has.
"""
from __future__ import annotations

import random
import sys
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, Optional, Tuple

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))     # the real `targets` package, not this directory

import rig  # noqa: E402
from rig import compile as C  # noqa: E402
from rig import corpus, lld, runner  # noqa: E402
from targets import arm_relocs  # noqa: E402

ASM = ROOT / "corpus" / "asm"
#: Thread-local types are left to tests/test_tls.py (their values come from the TLS image, not
#: from where the sections land).
ALL_TYPES = {h.name for h in arm_relocs.RELOCATIONS.values() if "_TLS_" not in h.name}
NOT_IN_LLD = {"R_ARM_ABS16", "R_ARM_ABS8", "R_ARM_THM_JUMP6"}

SITE = 0x4000_0000          # mid-space: above the host slots and heap, far below the stack
SETUP = 0x3000_0000         # the module with the absolute symbols (an empty .text)
MIB = 1 << 20


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------

def func(name: str, thumb: bool = False) -> str:
    return (f"    .globl {name}\n    .type {name}, %function\n" + ("    .thumb_func\n" if thumb else "")
            + f"{name}:\n")


def section(name: str, flags: str = "ax", state: Optional[str] = None, align: int = 2) -> str:
    s = f'    .section {name},"{flags}",%progbits\n'
    if state:
        s += f"    .{state}\n"
    return s + f"    .p2align {align}\n"


def source(*parts: str) -> str:
    return "    .syntax unified\n" + "".join(parts)


#: The callee: dst(x) = x + 1, ARM or Thumb, alone in its section (Thumb: 2-aligned,
#: so it may sit at 2 mod 4).
ARM_DST = section(".text.dst", state="arm") + func("dst") + "    add r0, r0, #1\n    bx lr\n"
THUMB_DST = section(".text.dst", state="thumb", align=1) + func("dst", True) + "    adds r0, #1\n    bx lr\n"


def arm_site(body: str) -> str:
    return section(".text.site", state="arm") + func("site") + body


def thumb_site(body: str) -> str:
    return section(".text.site", state="thumb") + func("site", True) + body


def free(jit: rig.Jit, placement: Dict[str, int]) -> None:
    for name, addr in placement.items():
        assert jit.space.conflict(addr, addr + 0x100) is None, (name, hex(addr), jit.space.conflict(addr, addr + 0x100))


def load(jit: rig.Jit, text: str, placement: Dict[str, int], name: str = "x.s"):
    # llvm-mc's empty .text is placed too, just below the lowest code section: ld.lld
    # keeps sections with the same flags in one segment, gaps included, and a far
    # one would cost it a file of that size.
    code = [a for n, a in placement.items() if n.startswith(".text")]
    placement = {".text": (min(code) - 0x10) & ~0xF, **placement}
    free(jit, placement)
    mod = jit.load(text.encode(), name=name, placement=placement)
    assert mod.layout.mapping() == {k: v for k, v in sorted(placement.items(), key=lambda kv: kv[1])}
    return mod


def record(mod, type_: str):
    recs = [r for r in mod.trace if r.type == type_]
    assert len(recs) == 1, [(r.type, r.symbol) for r in mod.trace]
    return recs[0]


def lld_agrees(jit: rig.Jit, mod, text, name: str = "x.s") -> Dict[str, int]:
    """Link the same object with ld.lld at the same layout: every directly written field,
    GOT slot and stub target must match.  Returns the types compared byte for byte."""
    src = text.encode() if isinstance(text, str) else text
    obj = C.compile_source(src, jit.target, C.Options("static"), name)
    cmp = lld.compare(obj, mod.object, mod.layout, mod.image, jit.target, jit.resolve)
    assert not cmp.differences, (mod.layout.mapping(), [str(d) for d in cmp.differences])
    return cmp.types


def thumb32(hw1: int, hw2: int) -> str:
    """Bytes in memory of a 32-bit Thumb instruction, as hex."""
    return (hw1.to_bytes(2, "little") + hw2.to_bytes(2, "little")).hex()


def word(w: int) -> str:
    return (w & 0xFFFFFFFF).to_bytes(4, "little").hex()


# ---------------------------------------------------------------------------
# The corpus: every type but three, at random placements and against lld
# ---------------------------------------------------------------------------

CORPUS_FILES = [ASM / "arm.s", ASM / "thumb.s"]


@pytest.mark.parametrize("target", ["arm", "thumb"])
@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.name)
def test_corpus_program_at_random_placements(path, target):
    program = corpus.load(path)
    assert target in program.targets and program.relocs == ("static",)
    trials = runner.run_trials(program, target, placements=20, seed=zlib.crc32(path.name.encode()))
    bad = [(t.index, t.error, [(str(o.call), o.shown()) for o in t.outcomes if not o.ok], t.layout)
           for t in trials if not t.ok]
    assert not bad, bad[:2]
    assert len({tuple(sorted(t.layout.items())) for t in trials}) == 20


def _corpus_types(target: str, seeds=range(8)) -> Tuple[set, set]:
    """(types applied, types compared with lld) over both files and a few placements."""
    applied, compared = set(), set()
    for path in CORPUS_FILES:
        src = path.read_bytes()
        for seed in seeds:
            with rig.Jit(target, seed=seed) as jit:
                mod = jit.load(src, name=path.name)
                applied |= {r.type for r in mod.trace}
                compared |= set(lld_agrees(jit, mod, src, path.name))
    return applied, compared


@pytest.mark.parametrize("target", ["arm", "thumb"])
def test_corpus_covers_every_type_lld_links_and_lld_agrees(target):
    applied, compared = _corpus_types(target)
    assert applied == ALL_TYPES - NOT_IN_LLD
    # Compared byte for byte: every field written, GOT-relative words included; only the
    # markers write nothing.
    assert compared == applied - {"R_ARM_NONE", "R_ARM_V4BX"}


def test_corpus_interworking_shapes():
    """The corpus really makes the interworking instructions (packed, so every branch
    between the module's sections is in reach): ARM BL -> BLX with H = 0 and 1, BLX -> BL,
    Thumb BL -> BLX from 0 and 2 mod 4, Thumb BLX -> BL, B / B.W through veneers."""
    with rig.Jit("arm") as jit:
        arm = jit.load((ASM / "arm.s").read_bytes(), name="arm.s", placement="packed")
        thm = jit.load((ASM / "thumb.s").read_bytes(), name="thumb.s", placement="packed")
        by = {(m.name, r.section, r.offset): r for m in (arm, thm) for r in m.trace}

        def site(m, fn, delta):
            sym = next(s for s in m.object.symbols if s.name == fn)
            return by[(m.name, m.object.section(sym.section).name, sym.value + delta)]

        def arm_op(m, fn, delta):            # bits 31-24 of an A32 branch written directly
            rec = site(m, fn, delta)
            assert rec.via == "direct"
            return rec.after[3]

        def thumb_bl(m, fn, delta, mod4=None):    # True for BL, False for BLX
            rec = site(m, fn, delta)
            assert rec.via == "direct" and mod4 in (None, rec.P % 4)
            return bool(rec.after[3] & 0x10)

        assert arm_op(arm, "arm_call", 4) == 0xEB         # bl arm_triple
        assert arm_op(arm, "arm_call", 8) == 0xFA         # bl thumb_add100 (0 mod 4): BLX, H = 0
        assert arm_op(arm, "arm_blx", 4) == 0xEB          # blx arm_plus7: BL
        assert arm_op(arm, "arm_blx", 8) == 0xFB          # blx thumb_neg (2 mod 4): BLX, H = 1
        assert arm_op(thm, "arm_calls_thumb", 4) == 0xFA  # bl thm_triple: BLX
        assert thumb_bl(thm, "thm_call", 2) is True       # bl thm_triple
        assert thumb_bl(thm, "thm_call", 6, 2) is False     # bl arm_add100 from 2 mod 4: BLX
        assert site(thm, "thm_call", 6).value % 4 == 0    # ... with the value rounded
        assert thumb_bl(thm, "thm_call0", 4, 0) is False    # bl arm_neg from 0 mod 4: BLX
        assert thumb_bl(thm, "thm_blx", 2) is False       # blx arm_neg stays BLX
        assert thumb_bl(thm, "thm_blx", 6) is True        # blx thm_inc: BL
        assert thumb_bl(arm, "thumb_calls_arm", 2, 2) is False
        assert thumb_bl(arm, "thumb_calls_arm2", 4, 0) is False
        for m, fn in ((arm, "arm_tail_thumb"), (arm, "thumb_tail_arm"), (thm, "thm_tail_arm"),
                      (thm, "arm_tail_thumb2"), (thm, "thm_tail_div")):
            assert site(m, fn, 0).via == "stub", fn
        assert {site(arm, "arm_pc24", 8).via, site(arm, "arm_cond", 8).via} == {"stub"}   # to Thumb code


# ---------------------------------------------------------------------------
# Range edges
# ---------------------------------------------------------------------------

@dataclass
class Edge:
    """One placement of a snippet: `site` and `dst` are where .text.site (or
    .data.site) and the target's section go; `expect` is the bytes written (hex),
    "stub" or "overflow"."""

    id: str
    type: str
    text: str
    site: int
    dst: int
    expect: str
    value: Optional[int] = None              #: the relocation's value, for the direct cases
    call: Optional[Tuple[tuple, object]] = ((41,), 42)
    sig: str = "i32(i32)"
    dst_section: str = ".text.dst"
    site_section: str = ".text.site"
    extra: Dict[str, int] = field(default_factory=dict)
    setup: Optional[Callable] = None         #: loads what the snippet refers to, first


# A32: the branch is at site + 4 (after a push or a nop).  P = SITE + 4, v = dst - P - 8.
ARM_BL = arm_site("    push {r4, lr}\n    bl dst\n    pop {r4, pc}\n")
ARM_B = arm_site("    nop\n    b dst\n")
ARM_PC24 = arm_site("    nop\n    .reloc ., R_ARM_PC24, dst\n    b .\n")
ARM_P = SITE + 4
# T32: the branch is at site + 2, 2 mod 4.  P = SITE + 2, v = dst - P - 4 (Thumb bit aside).
THM_BL = thumb_site("    push {r4, lr}\n    bl dst\n    pop {r4, pc}\n")
THM_BW = thumb_site("    nop\n    b.w dst\n")
THM_BEQW = thumb_site("    cmp r0, r0\n    beq.w dst\n    bx lr\n")
THM_BN = thumb_site("    nop\n    .reloc ., R_ARM_THM_JUMP11, dst\n    b.n .\n")
THM_BEQN = thumb_site("    cmp r0, r0\n    .reloc ., R_ARM_THM_JUMP8, dst\n    beq.n .\n    bx lr\n")
# CBZ r0 with i:imm5 = 0x7c, which reads as the addend -4; last in its section.
THM_CBZ = thumb_site("    nop\n    .reloc ., R_ARM_THM_JUMP6, dst\n    .inst.n 0xb3f0\n")
THM_P = SITE + 2

EDGES = [
    # R_ARM_CALL, ARM -> ARM: v in [-2^25, 2^25), BL imm24.
    Edge("call-max", "R_ARM_CALL", ARM_BL + ARM_DST, SITE, ARM_P + 8 + (1 << 25) - 4, word(0xEB7FFFFF),
         (1 << 25) - 4),
    Edge("call-over", "R_ARM_CALL", ARM_BL + ARM_DST, SITE, ARM_P + 8 + (1 << 25), "stub"),
    Edge("call-min", "R_ARM_CALL", ARM_BL + ARM_DST, SITE, ARM_P + 8 - (1 << 25), word(0xEB800000), -(1 << 25)),
    Edge("call-under", "R_ARM_CALL", ARM_BL + ARM_DST, SITE, ARM_P + 8 - (1 << 25) - 4, "stub"),
    # R_ARM_CALL, ARM -> Thumb: BLX, v = (dst | 1) - P - 8 is odd; H = bit 1.
    # Highest: v = 2^25 - 1 = 0x1ffffff: H = 1, imm24 = 0x7fffff -> 0xfb7fffff (dst 2 mod 4).
    Edge("call-blx-max", "R_ARM_CALL", ARM_BL + THUMB_DST, SITE, ARM_P + 8 + (1 << 25) - 2, word(0xFB7FFFFF),
         (1 << 25) - 1),
    Edge("call-blx-over", "R_ARM_CALL", ARM_BL + THUMB_DST, SITE, ARM_P + 8 + (1 << 25), "stub"),
    # Lowest: v = -2^25 + 1 = 0xfe000001: H = 0, imm24 = 0x800000 -> 0xfa800000.
    Edge("call-blx-min", "R_ARM_CALL", ARM_BL + THUMB_DST, SITE, ARM_P + 8 - (1 << 25), word(0xFA800000),
         -(1 << 25) + 1),
    Edge("call-blx-under", "R_ARM_CALL", ARM_BL + THUMB_DST, SITE, ARM_P + 8 - (1 << 25) - 2, "stub"),
    # R_ARM_JUMP24 (B), R_ARM_PC24 (B by .reloc): as BL, opcode 0xea.
    Edge("jump24-max", "R_ARM_JUMP24", ARM_B + ARM_DST, SITE, ARM_P + 8 + (1 << 25) - 4, word(0xEA7FFFFF),
         (1 << 25) - 4),
    Edge("jump24-over", "R_ARM_JUMP24", ARM_B + ARM_DST, SITE, ARM_P + 8 + (1 << 25), "stub"),
    Edge("jump24-min", "R_ARM_JUMP24", ARM_B + ARM_DST, SITE, ARM_P + 8 - (1 << 25), word(0xEA800000), -(1 << 25)),
    Edge("jump24-under", "R_ARM_JUMP24", ARM_B + ARM_DST, SITE, ARM_P + 8 - (1 << 25) - 4, "stub"),
    Edge("pc24-max", "R_ARM_PC24", ARM_PC24 + ARM_DST, SITE, ARM_P + 8 + (1 << 25) - 4, word(0xEA7FFFFF),
         (1 << 25) - 4),
    Edge("pc24-over", "R_ARM_PC24", ARM_PC24 + ARM_DST, SITE, ARM_P + 8 + (1 << 25), "stub"),
    Edge("pc24-min", "R_ARM_PC24", ARM_PC24 + ARM_DST, SITE, ARM_P + 8 - (1 << 25), word(0xEA800000), -(1 << 25)),
    Edge("pc24-under", "R_ARM_PC24", ARM_PC24 + ARM_DST, SITE, ARM_P + 8 - (1 << 25) - 4, "stub"),
    # R_ARM_THM_CALL, Thumb -> Thumb: BL, v = (dst | 1) - P - 4 in [-2^24, 2^24).
    # v = 0xffffff: S = 0, I1 = I2 = 1 -> J1 = J2 = 0, imm10 = 0x3ff, imm11 = 0x7ff.
    Edge("thm-call-max", "R_ARM_THM_CALL", THM_BL + THUMB_DST, SITE, THM_P + 4 + (1 << 24) - 2,
         thumb32(0xF3FF, 0xD7FF), (1 << 24) - 1),
    Edge("thm-call-over", "R_ARM_THM_CALL", THM_BL + THUMB_DST, SITE, THM_P + 4 + (1 << 24), "stub"),
    # v = -2^24 + 1: S = 1, I1 = I2 = 0 -> J1 = J2 = 0, imm10 = imm11 = 0.
    Edge("thm-call-min", "R_ARM_THM_CALL", THM_BL + THUMB_DST, SITE, THM_P + 4 - (1 << 24),
         thumb32(0xF400, 0xD000), -(1 << 24) + 1),
    Edge("thm-call-under", "R_ARM_THM_CALL", THM_BL + THUMB_DST, SITE, THM_P + 2 - (1 << 24), "stub"),
    # R_ARM_THM_CALL, Thumb -> ARM from P = 2 mod 4: BLX, v = dst - P - 4 = 2 mod 4 is
    # rounded up to Align(P, 4)-relative, a multiple of 4 (H = 0).
    # Raw 2^24 - 6 -> 0xfffffc: imm10 = 0x3ff, imm11 = 0x7fe, J1 = J2 = 0, BLX 0xc000.
    Edge("thm-blx-max", "R_ARM_THM_CALL", THM_BL + ARM_DST, SITE, THM_P + 4 + (1 << 24) - 6,
         thumb32(0xF3FF, 0xC7FE), (1 << 24) - 4),
    # Raw 2^24 - 2 still fits a BL, but rounds up to 2^24: a stub.
    Edge("thm-blx-over", "R_ARM_THM_CALL", THM_BL + ARM_DST, SITE, THM_P + 4 + (1 << 24) - 2, "stub"),
    # Raw -2^24 - 2 is below the BL range, but rounds up to -2^24, which fits.
    Edge("thm-blx-min", "R_ARM_THM_CALL", THM_BL + ARM_DST, SITE, THM_P + 4 - (1 << 24) - 2,
         thumb32(0xF400, 0xC000), -(1 << 24)),
    Edge("thm-blx-under", "R_ARM_THM_CALL", THM_BL + ARM_DST, SITE, THM_P + 4 - (1 << 24) - 6, "stub"),
    # R_ARM_THM_JUMP24 (B.W), Thumb -> Thumb: v = dst - P - 4 in [-2^24, 2^24), even.
    Edge("thm-jump24-max", "R_ARM_THM_JUMP24", THM_BW + THUMB_DST, SITE, THM_P + 4 + (1 << 24) - 2,
         thumb32(0xF3FF, 0x97FF), (1 << 24) - 2),
    Edge("thm-jump24-over", "R_ARM_THM_JUMP24", THM_BW + THUMB_DST, SITE, THM_P + 4 + (1 << 24), "stub"),
    Edge("thm-jump24-min", "R_ARM_THM_JUMP24", THM_BW + THUMB_DST, SITE, THM_P + 4 - (1 << 24),
         thumb32(0xF400, 0x9000), -(1 << 24)),
    Edge("thm-jump24-under", "R_ARM_THM_JUMP24", THM_BW + THUMB_DST, SITE, THM_P + 2 - (1 << 24), "stub"),
    # R_ARM_THM_JUMP19 (BEQ.W): v in [-2^20, 2^20); beyond, a veneer after the caller's section
    # (what lld does with a thunk).
    # v = 0xffffe: S = 0, J2 = J1 = 1, imm6 = 0x3f, imm11 = 0x7ff, cond EQ = 0.
    Edge("thm-jump19-max", "R_ARM_THM_JUMP19", THM_BEQW + THUMB_DST, SITE, THM_P + 4 + MIB - 2,
         thumb32(0xF03F, 0xAFFF), MIB - 2),
    Edge("thm-jump19-over", "R_ARM_THM_JUMP19", THM_BEQW + THUMB_DST, SITE, THM_P + 4 + MIB, "stub"),
    # v = -2^20: S = 1, J2 = J1 = 0, imm6 = imm11 = 0.
    Edge("thm-jump19-min", "R_ARM_THM_JUMP19", THM_BEQW + THUMB_DST, SITE, THM_P + 4 - MIB,
         thumb32(0xF400, 0x8000), -MIB),
    Edge("thm-jump19-under", "R_ARM_THM_JUMP19", THM_BEQW + THUMB_DST, SITE, THM_P + 2 - MIB, "stub"),
    # R_ARM_THM_JUMP11 (B.N): v in [-2048, 2048): 0xe000 | (v >> 1) & 0x7ff.
    Edge("thm-jump11-max", "R_ARM_THM_JUMP11", THM_BN + THUMB_DST, SITE, THM_P + 4 + 2046, "ffe3", 2046),
    Edge("thm-jump11-over", "R_ARM_THM_JUMP11", THM_BN + THUMB_DST, SITE, THM_P + 4 + 2048, "overflow"),
    Edge("thm-jump11-min", "R_ARM_THM_JUMP11", THM_BN + THUMB_DST, SITE, THM_P + 4 - 2048, "00e4", -2048),
    Edge("thm-jump11-under", "R_ARM_THM_JUMP11", THM_BN + THUMB_DST, SITE, THM_P + 2 - 2048, "overflow"),
    # R_ARM_THM_JUMP8 (BEQ.N): v in [-256, 256): 0xd000 | cond << 8 | (v >> 1) & 0xff.
    Edge("thm-jump8-max", "R_ARM_THM_JUMP8", THM_BEQN + THUMB_DST, SITE, THM_P + 4 + 254, "7fd0", 254),
    Edge("thm-jump8-over", "R_ARM_THM_JUMP8", THM_BEQN + THUMB_DST, SITE, THM_P + 4 + 256, "overflow"),
    Edge("thm-jump8-min", "R_ARM_THM_JUMP8", THM_BEQN + THUMB_DST, SITE, THM_P + 4 - 256, "80d0", -256),
    Edge("thm-jump8-under", "R_ARM_THM_JUMP8", THM_BEQN + THUMB_DST, SITE, THM_P + 2 - 256, "overflow"),
    # R_ARM_THM_JUMP6 (CBZ r0): v in [0, 126], forward only.  v = 126: i = 1, imm5 = 0x1f -> 0xb3f8;
    # v = 0: 0xb100.  One below, v = -2, the target starts where the site's section ends.
    Edge("thm-jump6-max", "R_ARM_THM_JUMP6", THM_CBZ + THUMB_DST, SITE, THM_P + 4 + 126, "f8b3", 126,
         call=((0,), 1)),
    Edge("thm-jump6-over", "R_ARM_THM_JUMP6", THM_CBZ + THUMB_DST, SITE, THM_P + 4 + 128, "overflow"),
    Edge("thm-jump6-min", "R_ARM_THM_JUMP6", THM_CBZ + THUMB_DST, SITE, THM_P + 4, "00b1", 0, call=((0,), 1)),
    Edge("thm-jump6-under", "R_ARM_THM_JUMP6", THM_CBZ + THUMB_DST, SITE, THM_P + 2, "overflow"),
]

# R_ARM_PREL31: v = dst - P in [-2^30, 2^30), written to bits 30-0 (bit 31 kept: 0 here).
PREL31_SRC = source(
    arm_site("    ldr r1, =val\n    ldr r2, [r1]\n    lsl r2, r2, #1\n    add r1, r1, r2, asr #1\n"
             "    ldrb r0, [r1]\n    bx lr\n    .ltorg\n"),
    section(".data.site", "aw"), "val:\n    .word dst(prel31)\n",
    section(".data.dst", "aw", align=0), "    .globl dst\ndst:\n    .byte 0x5a\n")
DATA_SITE = 0x5000_0000      # the reading code, when the site is data
for _id, _p, _d, _expect, _v in (
        ("prel31-max", 0x4000_0000, 0x4000_0000 + (1 << 30) - 1, word(0x3FFFFFFF), (1 << 30) - 1),
        ("prel31-over", 0x4000_0000, 0x4000_0000 + (1 << 30), "overflow", None),
        ("prel31-min", 0x8000_0000, 0x8000_0000 - (1 << 30), word(0x40000000), -(1 << 30)),
        ("prel31-under", 0x8000_0000, 0x8000_0000 - (1 << 30) - 1, "overflow", None)):
    EDGES.append(Edge(_id, "R_ARM_PREL31", PREL31_SRC, _p, _d, _expect, _v, call=((), 0x5A), sig="i32()",
                      site_section=".data.site", dst_section=".data.dst", extra={".text.site": DATA_SITE}))

# R_ARM_ABS16 / R_ARM_ABS8: S + A in [-32768, 65535] / [-128, 255].  llvm-mc folds an
# absolute symbol of the same file, so the symbol comes from a module loaded first
# (abs_hi = 0xfff0, abs_lo = 0xf0, abs_neg = -32760, abs_neg8 = -120: an ELF32 value
# modulo 2^32, aaelf32 5.6.1.1) or is an undefined weak (0).  The addend is in the field.
ABS_SETUP = ("    .globl abs_hi\n    .set abs_hi, 0xfff0\n    .globl abs_lo\n    .set abs_lo, 0xf0\n"
             "    .globl abs_neg\n    .set abs_neg, -32760\n    .globl abs_neg8\n    .set abs_neg8, -120\n")


def _abs_src(directive: str, load: str) -> str:
    return source(arm_site(f"    ldr r1, =val\n    {load} r0, [r1]\n    bx lr\n    .ltorg\n"),
                  section(".data.site", "aw", align=1), "    .weak wk\nval:\n" + directive)


def _abs_setup(jit):
    jit.load(ABS_SETUP.encode(), name="abs.s", placement={".text": SETUP})


for _id, _type, _dir, _ld, _expect, _v, _result in (
        ("abs16-max", "R_ARM_ABS16", ".hword abs_hi + 15", "ldrh", "ffff", 0xFFFF, 0xFFFF),
        ("abs16-over", "R_ARM_ABS16", ".hword abs_hi + 16", "ldrh", "overflow", None, None),
        ("abs16-min", "R_ARM_ABS16", ".hword wk - 32768", "ldrsh", "0080", -32768, -32768),
        ("abs16-min-symbol", "R_ARM_ABS16", ".hword abs_neg - 8", "ldrsh", "0080", -32768, -32768),
        ("abs16-under", "R_ARM_ABS16", ".hword abs_neg - 9", "ldrsh", "overflow", None, None),
        ("abs8-max", "R_ARM_ABS8", ".byte abs_lo + 15", "ldrb", "ff", 0xFF, 0xFF),
        ("abs8-over", "R_ARM_ABS8", ".byte abs_lo + 16", "ldrb", "overflow", None, None),
        ("abs8-min", "R_ARM_ABS8", ".byte wk - 128", "ldrsb", "80", -128, -128),
        ("abs8-min-symbol", "R_ARM_ABS8", ".byte abs_neg8 - 8", "ldrsb", "80", -128, -128),
        ("abs8-under", "R_ARM_ABS8", ".byte abs_neg8 - 9", "ldrsb", "overflow", None, None)):
    EDGES.append(Edge(_id, _type, _abs_src(f"    {_dir}\n", _ld), SITE, 0, _expect, _v, call=((), _result),
                      sig="i32()", site_section=".data.site", dst_section="", extra={".text.site": DATA_SITE},
                      setup=_abs_setup))


@pytest.mark.parametrize("edge", EDGES, ids=lambda e: e.id)
def test_range_edge(edge: Edge):
    text = edge.text if edge.text.startswith("    .syntax") else source(edge.text)
    placement = {edge.site_section: edge.site, **edge.extra}
    if edge.dst_section:
        placement[edge.dst_section] = edge.dst
    with rig.Jit("arm") as jit:
        if edge.setup:
            edge.setup(jit)
        if edge.expect == "overflow":
            with pytest.raises(rig.RelocationOverflow, match=edge.type) as info:
                load(jit, text, placement)
            assert "does not fit" in str(info.value)
            return
        mod = load(jit, text, placement)
        rec = record(mod, edge.type)
        if edge.expect == "stub":
            assert rec.via == "stub"
            assert rec.stub is not None and mod.layout.locate(rec.stub)[0] == edge.site_section
            # ARM stub: ldr pc, [pc, #-4]; Thumb stub: ldr.w pc, [pc, #0]; then dst | T.
            code = jit.read(rec.stub, 8)
            assert code[:4].hex() == ("dff800f0" if rec.type.startswith("R_ARM_THM") else word(0xE51FF004))
            assert code[4:].hex() == word(edge.dst | (THUMB_DST in edge.text))
        else:
            assert rec.via == "direct"
            assert rec.value == edge.value, (hex(rec.value), hex(edge.value))
            assert rec.after.hex() == edge.expect, (rec.after.hex(), edge.expect)
        if edge.call is not None:
            args, result = edge.call
            assert mod.call("site", *args, signature=edge.sig) == result
        if edge.type not in NOT_IN_LLD:
            assert edge.type in lld_agrees(jit, mod, text) or edge.expect == "stub"


def test_edges_cover_every_checked_type():
    """Every row whose field has a range has its edges above (the unchecked ones below)."""
    checked = {h.name for h in arm_relocs.RELOCATIONS.values()
               if h.field is not None and h.field.lo is not None}
    edged = {e.type for e in EDGES}
    assert checked == edged, checked ^ edged
    for t in edged:
        kinds = {e.expect if e.expect in ("stub", "overflow") else "in" for e in EDGES if e.type == t}
        assert "in" in kinds and kinds & {"stub", "overflow"}, t


# ---------------------------------------------------------------------------
# The unchecked fields: MOVW/MOVT (16 bits of 32), 32-bit words (modulo 2^32),
# GOT-relative words, markers
# ---------------------------------------------------------------------------

DATA_DST = section(".data.dst", "aw") + "    .globl dst\ndst:\n    .word 0\n"


def _mov_case(thumb: bool, prel: bool, dst: str, addend: int) -> str:
    a = f" + {addend}" if addend > 0 else (f" - {-addend}" if addend < 0 else "")
    bias = 4 if thumb else 8
    expr = f"(dst{a} - (1f + {bias}))" if prel else f"dst{a}"
    add = ("1:  add r0, pc\n" if thumb else "1:  add r0, r0, pc\n") if prel else ""
    body = (f"    movw r0, #:lower16:{expr}\n    movt r0, #:upper16:{expr}\n" + add + "    bx lr\n")
    site = thumb_site(body) if thumb else arm_site(body)
    return source(site, {"arm": ARM_DST, "thumb": THUMB_DST, "data": DATA_DST}[dst])


def _movw_a1(imm: int) -> str:      # movw r0, #imm (A1)
    return word(0xE3000000 | ((imm & 0xF000) << 4) | (imm & 0xFFF))


def _movt_a1(imm: int) -> str:      # movt r0, #imm (A1)
    return word(0xE3400000 | ((imm & 0xF000) << 4) | (imm & 0xFFF))


def _movw_t3(imm: int) -> str:      # movw r0, #imm (T3)
    return thumb32(0xF240 | ((imm >> 1) & 0x400) | (imm >> 12), ((imm << 4) & 0x7000) | (imm & 0xFF))


def _movt_t1(imm: int) -> str:      # movt r0, #imm (T1)
    return thumb32(0xF2C0 | ((imm >> 1) & 0x400) | (imm >> 12), ((imm << 4) & 0x7000) | (imm & 0xFF))


MOVS = [
    # (id, Thumb site, pc-relative, target: ARM or Thumb function or data, addend, target's
    # address, low half, high half, r0 returned).  The site is at 0x50000000.
    # S + A crosses a 64 KiB boundary: the high half takes the carry (borrow) of the addend.
    ("movw-abs-carry", False, False, "data", 4, 0x4000_FFFC, 0x0000, 0x4001, 0x4001_0000),
    ("movw-abs-borrow", False, False, "data", -4, 0x4001_0000, 0xFFFC, 0x4000, 0x4000_FFFC),
    # A Thumb function: (S + A) | T in the low half only.
    ("movw-abs-thumb", False, False, "thumb", 0, 0x5001_0002, 0x0003, 0x5001, 0x5001_0003),
    # 256 MiB below: X = dst - (1b + 8) = 0x40000000 - 0x50000010 = 0xeffffff0.
    ("movw-prel-negative", False, True, "data", 0, 0x4000_0000, 0xFFF0, 0xEFFF, 0x4000_0000),
    # MOVW: ((0x4fff0002 - 16) | 1) - 0x50000000 = 0xfffefff3;
    # MOVT: 0x4fff0002 - 12 - 0x50000004 = 0xfffefff2.
    ("movw-prel-thumb", False, True, "thumb", 0, 0x4FFF_0002, 0xFFF3, 0xFFFE, 0x4FFF_0003),
    ("thm-movw-abs-carry", True, False, "thumb", 4, 0x5000_FFFC, 0x0001, 0x5001, 0x5001_0001),
    ("thm-movw-abs-arm", True, False, "arm", -4, 0x5001_0000, 0xFFFC, 0x5000, 0x5000_FFFC),
    # Thumb: X = dst - (1b + 4) = 0x40000000 - 0x5000000c = 0xeffffff4.
    ("thm-movw-prel-negative", True, True, "data", 0, 0x4000_0000, 0xFFF4, 0xEFFF, 0x4000_0000),
    # MOVW: ((0x4fff0002 - 12) | 1) - 0x50000000 = 0xfffefff7;
    # MOVT: 0x4fff0002 - 8 - 0x50000004 = 0xfffefff6.
    ("thm-movw-prel-thumb", True, True, "thumb", 0, 0x4FFF_0002, 0xFFF7, 0xFFFE, 0x4FFF_0003),
    # More than 2 GiB above: X = 0xc0000000 - 0x5000000c = 0x6ffffff4.
    ("thm-movw-prel-far", True, True, "data", 0, 0xC000_0000, 0xFFF4, 0x6FFF, 0xC000_0000),
]


@pytest.mark.parametrize("case", MOVS, ids=lambda c: c[0])
def test_movw_movt(case):
    _id, thumb, prel, kind, addend, dst, lo, hi, result = case
    text = _mov_case(thumb, prel, kind, addend)
    prefix = ("R_ARM_THM_" if thumb else "R_ARM_")
    rel = "PREL" if prel else "ABS"
    site = 0x5000_0000
    with rig.Jit("arm") as jit:
        mod = load(jit, text, {".text.site": site, (".data.dst" if kind == "data" else ".text.dst"): dst})
        w, t = record(mod, f"{prefix}MOVW_{rel}_NC"), record(mod, f"{prefix}MOVT_{rel}")
        assert (w.P, t.P) == (site, site + 4)
        assert w.after.hex() == (_movw_t3(lo) if thumb else _movw_a1(lo))
        assert t.after.hex() == (_movt_t1(hi) if thumb else _movt_a1(hi))
        assert mod.call("site", signature="u32()") == result
        assert {w.type, t.type} <= set(lld_agrees(jit, mod, text))


WORDS_SRC = source(
    arm_site("    ldr r1, =val\n    add r1, r1, r0, lsl #2\n    ldr r2, [r1]\n    add r0, r1, r2\n"
             "    bx lr\n    .ltorg\n"),
    section(".data.site", "aw"),
    "val:\n"
    "    .word dst - .\n"                  # +0 R_ARM_REL32
    "    .word dst + 0x10 - .\n"           # +4 R_ARM_REL32, addend 16
    "    .word dst\n"                      # +8 R_ARM_ABS32, Thumb function: | 1
    "    .word dst(target1)\n"             # +12 R_ARM_TARGET1
    "    .word dst - 0x50000000\n",        # +16 R_ARM_ABS32, addend -0x50000000
    THUMB_DST)


@pytest.mark.parametrize("val, dst, words", [
    # REL32 from 0xc0000000 down to 0x40000002 | 1: -0x7ffffffd = 0x80000003 modulo 2^32;
    # + 16 at P + 4: 0x40000013 - 0xc0000004 = 0x8000000f.
    (0xC000_0000, 0x4000_0002, [0x80000003, 0x8000000F]),
    # ... and up by more than 2 GiB: 0xc0000003 - 0x40000000, no overflow check either way.
    (0x4000_0000, 0xC000_0002, [0x80000003, 0x8000000F]),
])
def test_data_words_wrap_modulo_2_32(val, dst, words):
    with rig.Jit("arm") as jit:
        mod = load(jit, WORDS_SRC, {".text.site": dst + 0xFFE, ".data.site": val, ".text.dst": dst})
        data = mod.image.sections[mod.object.section_named(".data.site").index]
        got = [int.from_bytes(data[i:i + 4], "little") for i in range(0, 20, 4)]
        assert got[:2] == words
        assert got[2] == got[3] == dst | 1                          # ABS32 and TARGET1
        assert got[4] == ((dst - 0x5000_0000) & 0xFFFFFFFF) | 1     # (S + A) | T, modulo 2^32
        # REL32 read back: P + word = dst | 1 (and + 16).
        assert mod.call("site", 0, signature="u32(i32)") == dst | 1
        assert mod.call("site", 1, signature="u32(i32)") == (dst | 1) + 16
        assert {"R_ARM_REL32", "R_ARM_ABS32", "R_ARM_TARGET1"} <= set(lld_agrees(jit, mod, WORDS_SRC))


GOT_SRC = source(
    arm_site(
        "    push {r4, r5, r6, lr}\n    mov r5, r0\n    mov r6, #0\n    ldr r4, =val\n"
        # GOT_PREL: the slot is at P + word
        "    ldr r1, [r4]\n    add r1, r1, r4\n    ldr r1, [r1]\n    mov r0, r5\n    blx r1\n    add r6, r6, r0\n"
        # TARGET2 (as GOT_PREL)
        "    ldr r1, [r4, #4]\n    add r1, r1, r4\n    add r1, r1, #4\n    ldr r1, [r1]\n    mov r0, r5\n"
        "    blx r1\n    add r6, r6, r0\n"
        # GOT_BREL: the slot is at GOT + word; GOT = P + word (BASE_PREL)
        "    ldr r2, [r4, #16]\n    add r2, r2, r4\n    add r2, r2, #16\n"
        "    ldr r1, [r4, #8]\n    ldr r1, [r2, r1]\n    mov r0, r5\n    blx r1\n    add r6, r6, r0\n"
        # GOTOFF32: the function is at GOT + word
        "    ldr r2, [r4, #16]\n    add r2, r2, r4\n    add r2, r2, #16\n"
        "    ldr r1, [r4, #12]\n    add r1, r2, r1\n    mov r0, r5\n    blx r1\n    add r6, r6, r0\n"
        "    mov r0, r6\n    pop {r4, r5, r6, pc}\n    .ltorg\n"),
    section(".data.site", "aw"),
    "val:\n"
    "    .word dst(GOT_PREL)\n"                      # +0
    "    .word dst(target2)\n"                       # +4
    "    .word dst(GOT)\n"                           # +8 R_ARM_GOT_BREL
    "    .word dst(GOTOFF)\n"                        # +12 R_ARM_GOTOFF32
    "    .reloc ., R_ARM_BASE_PREL, val\n"
    "    .word 0\n",                                  # +16
    THUMB_DST)


def test_got_relative_words():
    """The GOT below the words: G - P and GOT - P are negative, modulo 2^32.
    GOT = 0x38000000 (one slot, dst | 1), val = 0x40000000, dst = 0x50001002."""
    got, val, dst = 0x3800_0000, 0x4000_0000, 0x5000_1002
    with rig.Jit("arm") as jit:
        mod = load(jit, GOT_SRC, {".text.site": 0x5000_0000, ".data.site": val, ".text.dst": dst, "GOT": got})
        assert mod.image.got.hex() == word(dst | 1)
        expect = {"R_ARM_GOT_PREL": (0, got - val), "R_ARM_TARGET2": (4, got - (val + 4)),
                  "R_ARM_GOT_BREL": (8, 0), "R_ARM_GOTOFF32": (12, (dst | 1) - got),
                  "R_ARM_BASE_PREL": (16, got - (val + 16))}
        for type_, (off, v) in expect.items():
            rec = record(mod, type_)
            assert rec.offset == off and rec.after.hex() == word(v), (type_, rec.after.hex(), word(v))
        assert [v & 0xFFFFFFFF for _, v in expect.values()] == [0xF8000000, 0xF7FFFFFC, 0, 0x18001003, 0xF7FFFFF0]
        assert mod.call("site", 10, signature="i32(i32)") == 44          # dst(10) four ways
        lld_agrees(jit, mod, GOT_SRC)              # GOT slot and fields lld checks


def test_base_prel_against_the_got_symbol():
    """The usual spelling: `.word _GLOBAL_OFFSET_TABLE_ - .` (R_ARM_BASE_PREL against the
    linker-defined symbol): GOT - P = 0x1000, and lld takes the object too."""
    text = source(arm_site("    ldr r1, =val\n    ldr r0, [r1]\n    add r0, r0, r1\n    bx lr\n    .ltorg\n"),
                  section(".data.site", "aw"), "val:\n    .word _GLOBAL_OFFSET_TABLE_ - .\n")
    with rig.Jit("arm") as jit:
        mod = load(jit, text, {".text.site": SITE, ".data.site": SITE + 0x1000, "GOT": SITE + 0x2000})
        assert record(mod, "R_ARM_BASE_PREL").after.hex() == word(0x1000)
        assert mod.call("site", signature="u32()") == SITE + 0x2000
        lld_agrees(jit, mod, text)


def test_none_and_v4bx_leave_the_bytes_alone():
    text = source(arm_site("    .reloc ., R_ARM_NONE, dst\n    nop\n    .reloc ., R_ARM_V4BX, 0\n    bx lr\n"),
                  ARM_DST)
    with rig.Jit("arm") as jit:
        mod = load(jit, text, {".text.site": SITE, ".text.dst": SITE + 0x1000})
        for type_ in ("R_ARM_NONE", "R_ARM_V4BX"):
            rec = record(mod, type_)
            assert rec.via == "none" and rec.before == rec.after == b""
        sec = mod.image.sections[mod.object.section_named(".text.site").index]
        assert bytes(sec).hex() == word(0xE320F000) + word(0xE12FFF1E)     # nop; bx lr as assembled
        assert mod.call("site", 5, signature="i32(i32)") == 5
        lld_agrees(jit, mod, text)


# ---------------------------------------------------------------------------
# Interworking
# ---------------------------------------------------------------------------

def test_arm_bl_to_thumb_becomes_blx_with_h():
    """P = SITE + 4.  dst = SITE + 0x1002 (2 mod 4): v = (dst | 1) - P - 8 = 0x1003 - 12
    = 0xff7 -> BLX, H = 1, imm24 = 0x3fd: 0xfb0003fd.  dst = SITE + 0x1000: v = 0xff5,
    H = 0, imm24 = 0x3fd: 0xfa0003fd."""
    for dst, expect in ((SITE + 0x1002, 0xFB0003FD), (SITE + 0x1000, 0xFA0003FD)):
        with rig.Jit("arm") as jit:
            text = source(ARM_BL, THUMB_DST)
            mod = load(jit, text, {".text.site": SITE, ".text.dst": dst})
            rec = record(mod, "R_ARM_CALL")
            assert rec.before.hex() == word(0xEBFFFFFE) and rec.after.hex() == word(expect)
            assert mod.call("site", 41, signature="i32(i32)") == 42
            lld_agrees(jit, mod, text)


def test_arm_blx_to_arm_becomes_bl():
    text = source(arm_site("    push {r4, lr}\n    blx dst\n    pop {r4, pc}\n"), ARM_DST)
    with rig.Jit("arm") as jit:
        mod = load(jit, text, {".text.site": SITE, ".text.dst": SITE + 0x1000})
        rec = record(mod, "R_ARM_CALL")
        # v = 0x1000 - 4 - 8 = 0xff4: BL (AL), imm24 = 0x3fd
        assert rec.before.hex() == word(0xFAFFFFFE) and rec.after.hex() == word(0xEB0003FD)
        assert mod.call("site", 1, signature="i32(i32)") == 2
        lld_agrees(jit, mod, text)


def test_thumb_bl_to_arm_from_2_mod_4_becomes_blx_rounded():
    """P = SITE + 2, dst = SITE + 0x1000: raw v = 0x1000 - 2 - 4 = 0xffa, rounded up
    to 0xffc = dst - Align(P + 4, 4): S = 0, I1 = I2 = 0 -> J1 = J2 = 1, imm10 = 0,
    imm11 = 0x7fe, BLX (bit 12 clear): f000 effe."""
    text = source(THM_BL, ARM_DST)
    with rig.Jit("thumb") as jit:
        mod = load(jit, text, {".text.site": SITE, ".text.dst": SITE + 0x1000})
        rec = record(mod, "R_ARM_THM_CALL")
        assert rec.P % 4 == 2 and rec.value == 0xFFC
        assert rec.before.hex() == thumb32(0xF7FF, 0xFFFE) and rec.after.hex() == thumb32(0xF000, 0xEFFE)
        assert mod.call("site", 41, signature="i32(i32)") == 42
        lld_agrees(jit, mod, text)


def test_thumb_blx_to_thumb_becomes_bl():
    text = source(thumb_site("    push {r4, lr}\n    blx dst\n    pop {r4, pc}\n"), THUMB_DST)
    with rig.Jit("thumb") as jit:
        mod = load(jit, text, {".text.site": SITE, ".text.dst": SITE + 0x1002})
        rec = record(mod, "R_ARM_THM_CALL")
        # v = 0x1003 - 2 - 4 = 0xffd: BL, imm11 = 0x7fe, J1 = J2 = 1: f000 fffe
        assert rec.before.hex() == thumb32(0xF7FF, 0xEFFE) and rec.after.hex() == thumb32(0xF000, 0xFFFE)
        assert mod.call("site", 1, signature="i32(i32)") == 2
        lld_agrees(jit, mod, text)


@pytest.mark.parametrize("insn, type_", [("b dst", "R_ARM_JUMP24"), ("bne dst", "R_ARM_JUMP24"),
                                         (".reloc ., R_ARM_PC24, dst\n    b .", "R_ARM_PC24")])
def test_arm_b_to_thumb_goes_through_an_arm_veneer(insn, type_):
    """In reach, but a B cannot change state: an ARM stub after the site's section
    (ldr pc, [pc, #-4]; .word dst | 1).  The section is 8 bytes (cmp; b): the stub is
    at SITE + 8, v = 8 - 4 - 8 = -4 -> imm24 = 0xffffff."""
    text = source(arm_site(f"    cmp r0, #0\n    {insn}\n"), THUMB_DST)
    dst = SITE + 0x1002
    with rig.Jit("arm") as jit:
        mod = load(jit, text, {".text.site": SITE, ".text.dst": dst})
        rec = record(mod, type_)
        assert rec.via == "stub" and rec.stub == SITE + 8
        cond = 0x1A if insn.startswith("bne") else 0xEA
        assert rec.after.hex() == word((cond << 24) | 0xFFFFFF)
        sec = mod.image.sections[mod.object.section_named(".text.site").index]
        assert bytes(sec[8:16]).hex() == word(0xE51FF004) + word(dst | 1)
        assert mod.call("site", 41, signature="i32(i32)") == 42
        lld_agrees(jit, mod, text)                 # the stub reaches where lld puts dst


def test_thumb_b_w_to_arm_goes_through_a_thumb_veneer():
    """nop; b.w dst: 6 bytes, the stub at SITE + 8 (ldr.w pc, [pc, #0]; .word dst).
    v = (SITE + 8 - 4 | 1) - (SITE + 2) = 3, Thumb bit cleared: 2 -> J1 = J2 = 1, imm11 = 1."""
    text = source(THM_BW, ARM_DST)
    dst = SITE + 0x1000
    with rig.Jit("thumb") as jit:
        mod = load(jit, text, {".text.site": SITE, ".text.dst": dst})
        rec = record(mod, "R_ARM_THM_JUMP24")
        assert rec.via == "stub" and rec.stub == SITE + 8
        assert rec.after.hex() == thumb32(0xF000, 0xB801)
        sec = mod.image.sections[mod.object.section_named(".text.site").index]
        assert bytes(sec[8:16]).hex() == "dff800f0" + word(dst)
        assert mod.call("site", 41, signature="i32(i32)") == 42
        lld_agrees(jit, mod, text)


def test_function_pointers_to_thumb_code():
    """ABS32 and TARGET1 to a Thumb function carry bit 0; BLX through them enters Thumb."""
    text = source(arm_site("    push {r4, lr}\n    ldr r1, =ptrs\n    ldr r1, [r1, r0, lsl #2]\n"
                           "    mov r0, #20\n    blx r1\n    pop {r4, pc}\n    .ltorg\n"),
                  section(".data.ptrs", "aw"), "ptrs:\n    .word dst\n    .word dst(target1)\n", THUMB_DST)
    dst = SITE + 0x2002
    with rig.Jit("arm") as jit:
        mod = load(jit, text, {".text.site": SITE, ".data.ptrs": SITE + 0x1000, ".text.dst": dst})
        assert record(mod, "R_ARM_TARGET1").after.hex() == word(dst | 1)
        ptr = [r for r in mod.trace if r.type == "R_ARM_ABS32" and r.section == ".data.ptrs"]
        assert [r.after.hex() for r in ptr] == [word(dst | 1)]
        assert mod.call("site", 0, signature="i32(i32)") == 21 and mod.call("site", 1, signature="i32(i32)") == 21
        lld_agrees(jit, mod, text)


# ---------------------------------------------------------------------------
# The types lld does not know, at random placements (and what keeps ABS16/ABS8 off them)
# ---------------------------------------------------------------------------

JUMP6_SRC = source(thumb_site(
    "    .reloc ., R_ARM_THM_JUMP6, site_zero\n    .inst.n 0xb3f0\n"      # cbz r0, site_zero
    "    adds r0, #3\n    bx lr\n    .space 100\n" + func("site_zero", True) + "    movs r0, #77\n    bx lr\n"))


def test_thumb_jump6_at_random_placements():
    """CBZ (at +0) to a global of its own section at +106 (cbz, adds, bx lr, 100 bytes):
    v = 106 - 4 = 102 = 0b1100110 -> i = 1, imm5 = 0b10011: 0xb398, wherever the section lands."""
    seen = set()
    with rig.Jit("thumb", seed=11) as jit:
        for _ in range(20):
            mod = jit.load(JUMP6_SRC.encode(), name="jump6.s")
            rec = record(mod, "R_ARM_THM_JUMP6")
            assert rec.value == 102 and rec.after.hex() == "98b3"
            assert mod.call("site", 0, signature="i32(i32)") == 77 and mod.call("site", 5, signature="i32(i32)") == 8
            seen.add(mod.layout.address(mod.object.section_named(".text.site").index))
            jit.unload(mod)
    assert len(seen) == 20


ABS_DATA_SRC = source(
    arm_site("    ldr r1, =vals\n    ldrh r0, [r1]\n    ldrb r2, [r1, #2]\n    add r0, r0, r2, lsl #16\n"
             "    bx lr\n    .ltorg\n"),
    section(".data.vals", "aw", align=1), "vals:\n    .hword abs_hi + 15\n    .byte abs_lo + 15\n")


def _random_explicit(rng: random.Random, jit: rig.Jit, names) -> Dict[str, int]:
    while True:
        placement = {n: rng.randrange(0x0200_0000, 0xF000_0000) & ~0xFFF | rng.randrange(0, 0x100) * 4
                     for n in names}
        spans = sorted(placement.values())
        if all(b - a > 0x2000 for a, b in zip(spans, spans[1:])) and \
                all(jit.space.conflict(a, a + 0x100) is None for a in spans):
            return placement


def test_abs16_abs8_at_drawn_placements():
    """ABS16 = 0xfff0 + 15, ABS8 = 0xf0 + 15 wherever the sections are: the rig's own
    addresses are drawn here and given explicitly (the test below uses the rig's own)."""
    rng = random.Random(5)
    with rig.Jit("arm") as jit:
        _abs_setup(jit)
        for _ in range(20):
            placement = _random_explicit(rng, jit, [".text", ".text.site", ".data.vals"])
            mod = jit.load(ABS_DATA_SRC.encode(), name="abs16.s", placement=placement)
            assert record(mod, "R_ARM_ABS16").after.hex() == "ffff"
            assert record(mod, "R_ARM_ABS8").after.hex() == "ff"
            assert mod.call("site", signature="u32()") == 0xFF_FFFF
            jit.unload(mod)


def test_abs16_abs8_at_random_placements():
    with rig.Jit("arm", seed=2) as jit:
        _abs_setup(jit)
        mod = jit.load(ABS_DATA_SRC.encode(), name="abs16.s")
        assert mod.call("site", signature="u32()") == 0xFF_FFFF


# ---------------------------------------------------------------------------
# Interworking is for STT_FUNC symbols only (aaelf32: T is 1 only for an STT_FUNC symbol
# that addresses Thumb code, and linkers interwork only for STT_FUNC; lld D73474): a
# branch to a NOTYPE label is left as the author wrote it.
# ---------------------------------------------------------------------------

NOTYPE_THUMB_DST = (section(".text.dst", state="thumb", align=1) + "    .globl lbl\nlbl:\n"
                    "    adds r0, #1\n    bx lr\n")


def test_thumb_bl_to_a_notype_thumb_label_stays_bl():
    text = source(thumb_site("    push {r4, lr}\n    bl lbl\n    pop {r4, pc}\n"), NOTYPE_THUMB_DST)
    with rig.Jit("thumb") as jit:
        mod = load(jit, text, {".text.site": SITE, ".text.dst": SITE + 0x1000})
        # v = 0x1000 - 2 - 4 = 0xffa: BL, imm11 = 0x7fd, J1 = J2 = 1: f000 fffd
        assert record(mod, "R_ARM_THM_CALL").after.hex() == thumb32(0xF000, 0xFFFD)
        assert mod.call("site", 1, signature="i32(i32)") == 2


def test_arm_blx_to_a_notype_thumb_label_stays_blx():
    text = source(arm_site("    push {r4, lr}\n    blx lbl\n    pop {r4, pc}\n"), NOTYPE_THUMB_DST)
    with rig.Jit("arm") as jit:
        mod = load(jit, text, {".text.site": SITE, ".text.dst": SITE + 0x1000})
        # v = 0x1000 - 4 - 8 = 0xff4: BLX, H = 0, imm24 = 0x3fd
        assert record(mod, "R_ARM_CALL").after.hex() == word(0xFA0003FD)
        assert mod.call("site", 1, signature="i32(i32)") == 2


def test_thumb_b_w_to_a_notype_thumb_label_is_direct():
    text = source(THM_BW, NOTYPE_THUMB_DST.replace("lbl", "dst"))
    with rig.Jit("thumb") as jit:
        mod = load(jit, text, {".text.site": SITE, ".text.dst": SITE + 0x1000})
        rec = record(mod, "R_ARM_THM_JUMP24")
        assert rec.via == "direct"
        assert mod.call("site", 1, signature="i32(i32)") == 2


def test_thumb_beq_w_to_arm_interworks_through_a_veneer():
    """A B<cond>.W cannot change state: the rig branches to a Thumb veneer that
    loads the ARM address into PC (lld uses an interworking thunk)."""
    text = source(THM_BEQW, ARM_DST)
    with rig.Jit("thumb") as jit:
        mod = load(jit, text, {".text.site": SITE, ".text.dst": SITE + 0x1000})
        assert record(mod, "R_ARM_THM_JUMP19").via == "stub"
        assert mod.call("site", 41, signature="i32(i32)") == 42


# ---------------------------------------------------------------------------
# Addends the instruction fields hold (REL): the full ranges the encodings give
# ---------------------------------------------------------------------------

def test_thumb_branch_addends_use_every_bit():
    """B.W with the addend 0x900000 in its field (S = 0, I1 = 1, I2 = 0: f100 9800) and
    B<cond>.W with -0x80004 (S = 1, J2 = 0, J1 = 1: f43f a7fe): the rig reads them as the
    CPU would (from 25 and 21 bits).  (ld.lld 22 sign-extends them from 24 and 20 bits and
    reads -0x700000 and +0x7fffc: not compared here.)"""
    text = source(thumb_site("    .reloc ., R_ARM_THM_JUMP24, dst\n    .inst.w 0xf1009800\n"
                             "    .reloc ., R_ARM_THM_JUMP19, dst\n    .inst.w 0xf43fa7fe\n"), THUMB_DST)
    dst = SITE + 0x1_0000
    with rig.Jit("thumb") as jit:
        mod = load(jit, text, {".text.site": SITE, ".text.dst": dst})
        b, beq = record(mod, "R_ARM_THM_JUMP24"), record(mod, "R_ARM_THM_JUMP19")
        assert (b.A, beq.A) == (0x90_0000, -0x8_0004)
        # B.W: v = 0x10000 + 0x900000 - 0 = 0x910000 (T cleared): S = 0, I1 = 1, I2 = 0 ->
        # J1 = 0, J2 = 1; imm10 = 0x110, imm11 = 0.
        assert b.value == 0x91_0000 and b.after.hex() == thumb32(0xF110, 0x9800)
        # B<cond>.W: v = 0x10000 - 0x80004 - 4 = -0x70008 = 0x18fff8 in 21 bits: S = 1,
        # J2 = 1, J1 = 0, imm6 = 0x0f, imm11 = 0x7fc, cond EQ.
        assert beq.value == -0x7_0008 and beq.after.hex() == thumb32(0xF40F, 0x8FFC)
        assert b.via == beq.via == "direct"
