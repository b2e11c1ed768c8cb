"""32-bit Arm site recipes (targets "arm" and "thumb" alike): one or more per row
of `arm_relocs`, for the type-directed generator (`rig.strategies.relocation_sites`).

Conventions in `targets.base.SiteRecipe`.  Every formula and range is written by
hand from "ELF for the Arm Architecture" (aaelf32, 2023Q3), section 5.6.1
"Relocation codes" (table "ARM relocation codes": the Data, Arm, Thumb16 and
Thumb32 static relocations) and 5.6.1.1 "Addends and PC-bias compensation";
these numbers are the oracle, never read from the table.

Each snippet names its states itself (``.syntax unified`` with ``.arm`` or
``.thumb`` and ``.thumb_func``), so one recipe runs on both targets.

ARM is REL: the addend is the field as assembled.  In the formulas, ``v.A`` is
the addend written in the source (``bl target+{A}``); the assembler folds the
PC bias into the field, so the psABI's A of a branch is ``v.A - 8`` (A32) or
``v.A - 4`` (T32) (5.6.1.1: "the addend ... includes the PC bias"), checked
with llvm-objdump on the objects zig clang makes (``bl target+4`` in ARM
assembles to imm24 = -1, i.e. A = -4).

T is the Thumb bit of the target: 1 for a ``.thumb_func`` function symbol, 0
for an ARM function and for data (aaelf32 5.6.1: "T is 1 if the target symbol
S has type STT_FUNC and the symbol addresses a Thumb instruction").  Rows whose
formula has T have recipes with a Thumb target and an ARM target (and data),
told apart by `name`.

Branches land in a "sled" of increments around `target`: a landing at target +
d runs the increments from there on, so the result tells d exactly (and a
landing in the wrong state runs garbage).
"""
from __future__ import annotations

from .base import SiteRecipe

M32 = (1 << 32) - 1
MARK = 0x5EED0000           #: r0 before a branch to a sled; the sled adds to it
SLED = 8                    #: increments from `target` to its return

# ---------------------------------------------------------------------------
# Targets
# ---------------------------------------------------------------------------

_ARM_SLED = f"""
    .section .rig.target,"ax",%progbits
    .arm
    .p2align 2
    .rept {SLED}
    add r0, r0, #1
    .endr
    .globl target
    .type target,%function
target:
    .rept {SLED}
    add r0, r0, #1
    .endr
    bx lr
"""
_THUMB_SLED = f"""
    .section .rig.target,"ax",%progbits
    .thumb
    .p2align 1
    .rept {SLED}
    adds r0, #1
    .endr
    .globl target
    .type target,%function
    .thumb_func
target:
    .rept {SLED}
    adds r0, #1
    .endr
    bx lr
"""
#: a data object at any byte (bit 0 of its address is not T: it is no function)
_DATA_BYTE = """
    .section .rig.target,"a",%progbits
    .p2align 0
    .globl target
    .type target,%object
target:
    .word 0x5eed1e55, 0x11223344
"""
#: word-aligned data: word k (k = -4 .. 7) of the table around `target` is MARK + k
_DATA_WORDS = """
    .section .rig.target,"a",%progbits
    .p2align 2
    .word 0x5eecfffc, 0x5eecfffd, 0x5eecfffe, 0x5eecffff
    .globl target
    .type target,%object
target:
    .word 0x5eed0000, 0x5eed0001, 0x5eed0002, 0x5eed0003, 0x5eed0004, 0x5eed0005, 0x5eed0006, 0x5eed0007
"""
TARGETS = {"arm": _ARM_SLED, "thumb": _THUMB_SLED, "data": _DATA_BYTE}
#: the Thumb sled with `target` at 2 mod 4 (the section is word-aligned): a BLX from ARM needs H
_THUMB_SLED_H = _THUMB_SLED.replace("    .p2align 1\n", "    .p2align 2\n    nop\n", 1)

#: landing offsets a sled takes: ARM instructions are 4 bytes, Thumb's adds 2
_LAND = {"arm": (0, 4, -8, 28, -32), "thumb": (0, 2, -4, 14, -16)}
_LAND4 = {"arm": (0, 4, -8, 28, -32), "thumb": (0, 4, -4, 12, -16)}     # BLX/ARM BL fields: multiple of 4


def _sled(state: str, d: int) -> int:
    """What a call of the sled of `state` landing at target + d returns (r0 = MARK before)."""
    return MARK + SLED - d // (4 if state == "arm" else 2)


def _probe(state: str, body: str, section: str = ".rig.site") -> str:
    """A function `probe` in `state`, in `section`."""
    if state == "arm":
        head = "    .arm\n    .p2align 2\n"
        func = "    .type probe,%function\n"
    else:
        head = "    .thumb\n    .p2align 1\n"
        func = "    .type probe,%function\n    .thumb_func\n"
    return (f"\n    .syntax unified\n    .section {section},\"ax\",%progbits\n{head}"
            f"    .globl probe\n{func}probe:\n{body}")


def _word_probe() -> str:
    """The probe of a data-word recipe: it returns; the word is read back."""
    return _probe("arm", "    bx lr\n", section=".text")


def _data(body: str) -> str:
    return f"""
    .section .rig.site,"a",%progbits
    .p2align 2
{body}"""


_BIAS = {"arm": 8, "thumb": 4}   #: the PC bias the assembler folds into a branch's field


def _t_value(state_of_caller: str):
    """((S + A) | T) - P of a branch from `state_of_caller` (A the field's addend: source - bias)."""
    bias = _BIAS[state_of_caller]
    return lambda v: ((v.S + v.A - bias) | v.T) - v.P


RECIPES = []


def _add(*recipes):
    RECIPES.extend(recipes)


# ---------------------------------------------------------------------------
# NONE, V4BX: the instruction stays as assembled and runs
# ---------------------------------------------------------------------------

for _row, _insn in (("R_ARM_NONE", "add r0, r0, #1"), ("R_ARM_V4BX", "bx lr")):
    _add(SiteRecipe(
        _row,
        _probe("arm", f"""
    movw r0, #0x1234
    movt r0, #0x5eed
    .reloc ., {_row}, target
site:
    {_insn}
    bx lr
""") + _DATA_BYTE,
        size=4, signature="i32()",
        expect=(lambda v: 0x5EED1235) if _row == "R_ARM_NONE" else (lambda v: 0x5EED1234)))

# ---------------------------------------------------------------------------
# Data words (aaelf32 5.6.1, "Static Data relocations")
# ---------------------------------------------------------------------------

_A32 = (0, 1, -4, 0x1000, -0x10000000, 0x7FFFFFFF)
for _kind in ("data", "thumb", "arm"):
    # ABS32 and TARGET1 (TARGET1 is ABS32 on Linux, aaelf32 5.6.1.3): (S + A) | T
    _add(SiteRecipe("R_ARM_ABS32", _word_probe() + _data("site:\n    .word target+{A}\n") + TARGETS[_kind],
                    observe="word", size=4, name=_kind, expect=lambda v: (v.S + v.A) | v.T,
                    params={"A": _A32}),
         SiteRecipe("R_ARM_TARGET1", _word_probe() + _data("site:\n    .word target(target1)+{A}\n") + TARGETS[_kind],
                    observe="word", size=4, name=_kind, expect=lambda v: (v.S + v.A) | v.T,
                    params={"A": _A32}),
         # REL32: ((S + A) | T) - P, modulo 2**32
         SiteRecipe("R_ARM_REL32", _word_probe() + _data("site:\n    .word target+{A}-.\n") + TARGETS[_kind],
                    observe="word", size=4, name=_kind, expect=lambda v: ((v.S + v.A) | v.T) - v.P,
                    params={"A": _A32}),
         # PREL31: ((S + A) | T) - P in bits 30-0, bit 31 kept; the addend is bits 30-0
         # sign-extended (aaelf32 5.6.1.1, "R_ARM_PREL31 ... 31-bit signed"); range +-2**30
         SiteRecipe("R_ARM_PREL31", _word_probe() + _data("""
    .reloc ., R_ARM_PREL31, target
site:
    .word ({B} << 31) | (({A}) & 0x7fffffff)
""") + TARGETS[_kind],
                    observe="word", size=4, name=_kind,
                    expect=lambda v: (v.p["B"] << 31) | ((((v.S + v.A) | v.T) - v.P) & 0x7FFFFFFF),
                    value=lambda v: ((v.S + v.A) | v.T) - v.P, lo=-(1 << 30), hi=(1 << 30) - 1,
                    params={"A": (0, 1, -4, 0x1000, -0x100000, 0x3FFF0000, -0x3FFF0000), "B": (0, 1)}),
         )

# PREL31 [edge]: an addend near the edge of the +-1 GiB range, so most placements overflow
_add(SiteRecipe("R_ARM_PREL31", _word_probe() + _data("""
    .reloc ., R_ARM_PREL31, target
site:
    .word ({B} << 31) | (({A}) & 0x7fffffff)
""") + _DATA_BYTE, observe="word", size=4, name="edge",
                expect=lambda v: (v.p["B"] << 31) | (((v.S + v.A) - v.P) & 0x7FFFFFFF),
                value=lambda v: (v.S + v.A) - v.P, lo=-(1 << 30), hi=(1 << 30) - 1,
                params={"A": (0x3FFFFFF0, 0x3FFFFF00, -0x3FFFFFF8, 0x3FFFFFFB), "B": (0, 1)}))

# ABS16 / ABS8: S + A, -32768 <= X <= 65535 / -128 <= X <= 255 (aaelf32 5.6.1, R_ARM_ABS16, R_ARM_ABS8).
# An absolute `target` (`.set target, N`) is folded by LLVM's assembler: `.hword target+A` (and even
# `.reloc ., R_ARM_ABS16, target`) then carry no relocation at all (checked with llvm-readelf).  So
# the site names an undefined weak `zero` (S = 0 by the gABI, T = 0), with the field's whole addend
# range; `target` is only there for the generator.  A placed symbol cannot do: the space starts at
# 0x10000, past both ranges, and the generator's packed first load must link.  So the range's
# edges are not drawn here (see the report); only values inside it, negative ones first.
for _row, _dir, _mask, _lo, _hi, _A in (
        ("R_ARM_ABS16", ".hword", 0xFFFF, -32768, 65535, (-1, -0x8000, 0, -2, 0x7FFF, -0x1234)),
        ("R_ARM_ABS8", ".byte", 0xFF, -128, 255, (-1, -0x80, 0, -2, 0x7F, -0x5A))):
    _add(SiteRecipe(
        _row, "    .weak zero\n" + _word_probe() + _data(f"site:\n    {_dir} zero+({{A}})\n") + _DATA_BYTE,
        observe="word", size=2 if _row == "R_ARM_ABS16" else 1, name="weak",
        expect=lambda v: 0 + v.A, value=lambda v: 0 + v.A, lo=_lo, hi=_hi, movable=False,
        params={"A": _A}))

# ---------------------------------------------------------------------------
# GOT words: each probe returns what it read from the GOT (the slot holds (S | T),
# aaelf32 5.6.1: "GOT entries for functions hold ... the Thumb bit"), so a wrong slot, a
# wrong GOT base or a lost addend shows.  X is an addend the probe takes back out.
# ---------------------------------------------------------------------------

_X = (0, 4, -4, 0x100, -0x1000)
_SUB_X = """
    movw r2, #(({X}) & 0xffff)
    movt r2, #((({X}) >> 16) & 0xffff)
    sub r0, r0, r2
"""
for _kind in ("data", "thumb", "arm"):
    for _row, _spell in (("R_ARM_GOT_PREL", "GOT_PREL"), ("R_ARM_TARGET2", "target2")):
        # G(S) + A - P (TARGET2 is GOT_PREL on Linux, aaelf32 5.6.1.3)
        _add(SiteRecipe(_row, _probe("arm", f"""
    ldr r0, site
1:  add r0, pc, r0          @ pc = 1b + 8: r0 = G(S) + X
""" + _SUB_X + f"""
    ldr r0, [r0]
    bx lr
site:
    .word target({_spell})+({{X}})-(1b+8-site)
    .word _GLOBAL_OFFSET_TABLE_-.   @ unread: the object has a GOT even if the site's row
                                    @ (a mutant) needs none, so a cached placement still fits
""") + TARGETS[_kind], size=4, signature="i32()", name=_kind,
            expect=lambda v: v.S | v.T, params={"X": _X}))
    # GOT_BREL: G(S) + A - GOT, the GOT from a BASE_PREL word
    _add(SiteRecipe("R_ARM_GOT_BREL", _probe("arm", """
    ldr r1, 2f
1:  add r1, pc, r1          @ r1 = GOT
    ldr r0, site
    add r0, r0, r1          @ G(S) + X
""" + _SUB_X + """
    ldr r0, [r0]
    bx lr
2:  .word _GLOBAL_OFFSET_TABLE_-(1b+8)
site:
    .word target(GOT)+({X})
""") + TARGETS[_kind], size=4, signature="i32()", name=_kind,
        expect=lambda v: v.S | v.T, params={"X": _X}))
    # GOTOFF32: ((S + A) | T) - GOT, the GOT from a BASE_PREL word
    _add(SiteRecipe("R_ARM_GOTOFF32", _probe("arm", """
    ldr r1, 2f
1:  add r1, pc, r1          @ r1 = GOT
    ldr r0, site
    add r0, r0, r1          @ (S + A) | T
    bx lr
2:  .word _GLOBAL_OFFSET_TABLE_-(1b+8)
site:
    .word target(GOTOFF)+({A})
""") + TARGETS[_kind], size=4, signature="i32()", name=_kind,
        expect=lambda v: (v.S + v.A) | v.T, params={"A": (0, 1, -4, 0x1000, -0x100000)}))

# BASE_PREL: B(S) + A - P, B(S) the GOT (for _GLOBAL_OFFSET_TABLE_, aaelf32 5.6.1.3); read with a
# GOTOFF32 word: GOT + (S - GOT) = S
_add(SiteRecipe("R_ARM_BASE_PREL", _probe("arm", """
    ldr r1, site
1:  add r1, pc, r1          @ r1 = GOT + X
    ldr r0, 2f
    add r0, r0, r1
""" + _SUB_X + """
    bx lr
site:
    .word _GLOBAL_OFFSET_TABLE_-(1b+8)+({X})
2:  .word target(GOTOFF)
""") + _DATA_WORDS, size=4, signature="i32()", expect=lambda v: v.S, params={"X": _X}))

# ---------------------------------------------------------------------------
# Branches: the probe sets r0 = MARK and calls (or jumps to) target + d; the sled's
# increments say where it landed.  `branch`: out of reach, a stub must land in the same place.
# ---------------------------------------------------------------------------

def _call(caller: str, insn: str) -> str:
    """probe: r0 = MARK, a call at `site` (the target returns here), return r0."""
    pad = "    .if {PAD}\n    nop\n    .endif\n" if caller == "thumb" else ""
    return _probe(caller, f"""
    push {{r4, lr}}
    movw r0, #0
    movt r0, #0x5eed
    cmp r0, r0              @ Z, C set: eq, cs, ge, le hold
{pad}site:
    {insn}
    pop {{r4, pc}}
""")


def _jump(caller: str, insn: str) -> str:
    """probe: r0 = MARK, a call to a local helper whose `site` jumps (tail) to the target."""
    pad = "    .if {PAD}\n    nop\n    .endif\n" if caller == "thumb" else ""
    return _probe(caller, f"""
    push {{r4, lr}}
    movw r0, #0
    movt r0, #0x5eed
    cmp r0, r0              @ Z, C set: eq, cs, ge, le hold
    bl 1f
    pop {{r4, pc}}
{pad}1:
site:
    {insn}
    bx lr                   @ not taken: MARK
""")


_PAD = (0, 1)      # a Thumb site at 0 or 2 mod 4 (BLX from Thumb rounds the value up to 4)

for _kind in ("arm", "thumb"):
    _sl = (lambda k: lambda v: _sled(k, v.A))(_kind)
    # CALL: ((S + A) | T) - P, BL/BLX imm24 (<< 2, H = bit 1 for BLX), -2**25 <= X < 2**25;
    # T = 1 -> BLX (aaelf32 5.6.1, "R_ARM_CALL ... BLX if T is 1").  BL and BLX as written.
    _add(SiteRecipe("R_ARM_CALL", _call("arm", "{OP} target+{A}") + TARGETS[_kind], name=_kind,
                    size=4, signature="i32()", expect=_sl, value=_t_value("arm"),
                    lo=-(1 << 25), hi=(1 << 25) - 1, align=4 if _kind == "arm" else 1, branch=True,
                    params={"OP": ("bl", "blx"), "A": _LAND4[_kind]}))
    if _kind == "thumb":
        _add(SiteRecipe("R_ARM_CALL", _call("arm", "{OP} target+{A}") + _THUMB_SLED_H, name="thumb-h",
                        size=4, signature="i32()", expect=_sl, value=_t_value("arm"),
                        lo=-(1 << 25), hi=(1 << 25) - 1, align=1, branch=True,
                        params={"OP": ("bl", "blx"), "A": _LAND4[_kind]}))
    # JUMP24 / PC24: ((S + A) | T) - P, B/BL<cond> imm24 << 2; a Thumb target through a stub
    # (a B cannot change state: aaelf32 5.6.1 "R_ARM_JUMP24 ... veneer")
    _add(SiteRecipe("R_ARM_JUMP24", _jump("arm", "{OP} target+{A}") + TARGETS[_kind], name=_kind,
                    size=4, signature="i32()", expect=_sl, value=_t_value("arm"),
                    lo=-(1 << 25), hi=(1 << 25) - 4, align=4 if _kind == "arm" else 1, branch=True,
                    params={"OP": ("b", "beq", "bge"), "A": _LAND4[_kind]}))
    # PC24 (deprecated B/BL): no assembler spelling; `.reloc` over the instruction holding A - 8
    _add(SiteRecipe("R_ARM_PC24", _jump("arm", """.reloc ., R_ARM_PC24, target
    .inst ({OPC} << 24) | ((({A} - 8) >> 2) & 0xffffff)""") + TARGETS[_kind], name=_kind,
                    size=4, signature="i32()", expect=_sl, value=_t_value("arm"),
                    lo=-(1 << 25), hi=(1 << 25) - 4, align=4 if _kind == "arm" else 1, branch=True,
                    params={"OPC": (0xEA, 0x0A, 0x2A), "A": _LAND4[_kind]}))
    # THM_CALL: ((S + A) | T) - P, BL S:I1:I2:imm10:imm11 << 1, -2**24 <= X < 2**24; T = 0 -> BLX
    _add(SiteRecipe("R_ARM_THM_CALL", _call("thumb", "bl target+{A}") + TARGETS[_kind], name=_kind,
                    size=4, signature="i32()", expect=_sl, value=_t_value("thumb"),
                    lo=-(1 << 24), hi=(1 << 24) - 1, align=1, branch=True,
                    params={"A": _LAND[_kind] if _kind == "thumb" else _LAND4[_kind], "PAD": _PAD}),
         SiteRecipe("R_ARM_THM_CALL", _call("thumb", "blx target+{A}") + TARGETS[_kind], name=_kind + "-blx",
                    size=4, signature="i32()", expect=_sl, value=_t_value("thumb"),
                    lo=-(1 << 24), hi=(1 << 24) - 1, align=1, branch=True,
                    params={"A": _LAND4[_kind], "PAD": _PAD}))
    # THM_JUMP24: ((S + A) | T) - P, B.W, +-16 MiB; an ARM target through a stub
    _add(SiteRecipe("R_ARM_THM_JUMP24", _jump("thumb", "b.w target+{A}") + TARGETS[_kind], name=_kind,
                    size=4, signature="i32()", expect=_sl, value=_t_value("thumb"),
                    lo=-(1 << 24), hi=(1 << 24) - 1, align=1, branch=True,
                    params={"A": _LAND[_kind] if _kind == "thumb" else _LAND4[_kind], "PAD": _PAD}))
    # THM_JUMP19: ((S + A) | T) - P, B<cond>.W S:J2:J1:imm6:imm11 << 1, +-1 MiB.  LLVM refuses
    # `beq.w sym+A` across sections ("branch target out of range"): `.reloc` over the
    # instruction hand-encoded with the field A - 4 (ARM ARM A8.8.18, encoding T3)
    _add(SiteRecipe("R_ARM_THM_JUMP19", _jump("thumb", """.reloc ., R_ARM_THM_JUMP19, target
    .inst.w ((0xf000 | (((({A}-4)>>20)&1)<<10) | ({COND}<<6) | ((({A}-4)>>12)&0x3f)) << 16) | 0x8000 | (((({A}-4)>>18)&1)<<13) | (((({A}-4)>>19)&1)<<11) | ((({A}-4)>>1)&0x7ff)""")
                    + TARGETS[_kind], name=_kind,
                    size=4, signature="i32()", expect=_sl, value=_t_value("thumb"),
                    lo=-(1 << 20), hi=(1 << 20) - 1, align=1, branch=True,
                    params={"A": _LAND[_kind] if _kind == "thumb" else _LAND4[_kind], "PAD": _PAD,
                            "COND": (0, 2, 10, 13)}))

# T16 branches (aaelf32 5.6.1, Thumb16 relocations): S + A - P, no T, no stub: out of range is an
# error.  LLVM relaxes `b.n sym` to B.W and `cbz` away, so `.reloc` over hand-encoded instructions.
# Their reach (126 B to 2 KiB) is narrower than the generator's least window (two pages a
# section), so the target sits in `.rig.site` itself (`movable` False) and the drawn GAP, before
# or after the sled, sets the value: the GAPs put it at, inside and past the range's edges.
_THUMB_SLED_HERE = _THUMB_SLED.replace('    .section .rig.target,"ax",%progbits\n', "")


def _t16(insn: str, where: str) -> str:
    if where == "fwd":
        return _jump("thumb", insn) + "    .space {GAP} - ({A})\n" + _THUMB_SLED_HERE
    return ("\n    .syntax unified\n    .section .rig.site,\"ax\",%progbits\n" + _THUMB_SLED_HERE
            + "    .space {GAP} + ({A}) - 2 * {PAD}\n" + _jump("thumb", insn).split("%progbits\n", 1)[1])


_sl_t = lambda v: _sled("thumb", v.A)
_J11 = ".reloc ., R_ARM_THM_JUMP11, target\n    .inst.n 0xe000 | ((({A} - 4) >> 1) & 0x7ff)"
_J8 = ".reloc ., R_ARM_THM_JUMP8, target\n    .inst.n 0xd000 | ({COND} << 8) | ((({A} - 4) >> 1) & 0xff)"
# CBZ/CBNZ i:imm5:0, 0 <= X <= 126; the REL addend is ((imm + 4) & 0x7f) - 4 (aaelf32 5.6.1.1),
# so A - 4 >= -4: landings at target + 0 and after
_J6 = """movs r1, #{NZ}
    .reloc ., R_ARM_THM_JUMP6, target
    .inst.n 0xb101 | ({NZ} << 11) | (((({A})-4) & 0x40) << 3) | (((({A})-4) & 0x3e) << 2)"""
# value = GAP + 16 (fwd) or -(GAP + 40) (back), whatever A and PAD (the .space takes them back
# out): GAPs at and just inside each edge.  A GAP past an edge cannot be drawn: the generator
# loads every snippet once packed, and an overflow there is an error, not a finding (see the report).
for _where, _g11, _g8, _g6 in (("fwd", (2030, 20, 2030, 500, 2028, 2030), (238, 20, 238, 100, 236, 238),
                                (110, 14, 110, 60, 108, 110)),
                               ("back", (2008, 20, 2008, 500, 2006, 2008), (216, 20, 216, 100, 214, 216), None)):
    _add(SiteRecipe("R_ARM_THM_JUMP11", _t16(_J11, _where), name=_where,
                    size=4, signature="i32()", expect=_sl_t, value=lambda v: v.S + v.A - 4 - v.P,
                    lo=-2048, hi=2046, align=2, movable=False,
                    params={"A": _LAND["thumb"], "PAD": _PAD, "GAP": _g11}),
         SiteRecipe("R_ARM_THM_JUMP8", _t16(_J8, _where), name=_where,
                    size=4, signature="i32()", expect=_sl_t, value=lambda v: v.S + v.A - 4 - v.P,
                    lo=-256, hi=254, align=2, movable=False,
                    params={"A": _LAND["thumb"], "PAD": _PAD, "COND": (0, 2, 10, 13), "GAP": _g8}))
    if _g6:
        _add(SiteRecipe("R_ARM_THM_JUMP6", _t16(_J6, _where), name=_where, field_offset=2,
                        size=4, signature="i32()", expect=_sl_t, value=lambda v: v.S + v.A - 4 - v.P,
                        lo=0, hi=126, align=2, movable=False,
                        params={"A": (0, 2, 6, 14), "PAD": _PAD, "NZ": (0, 1), "GAP": _g6}))

# ---------------------------------------------------------------------------
# MOVW / MOVT (aaelf32 5.6.1: MOVW_ABS_NC (S + A) | T, MOVT_ABS S + A (bits 31-16),
# MOVW_PREL_NC ((S + A) | T) - P, MOVT_PREL S + A - P; the THM_ forms alike).  The REL
# addend is the 16-bit field sign-extended, for MOVT too (5.6.1.1).  A single-row probe
# keeps a known other half so all 16 field bits reach r0; the [pair] recipes return the
# whole 32-bit value; the [call-*] recipes branch to it (T picks the state).
# ---------------------------------------------------------------------------

_AM = (0, 1, -4, 0x7FF0, -0x8000, 0x1234)
_AM_PAIR = (0, 1, -4, 0x7FF0, -0x7FF0, 0x1234)     # the field holds A - (1f + bias - place) too
for _st in ("arm", "thumb"):
    _p = "THM_" if _st == "thumb" else ""
    _pc = _BIAS[_st]                    # what `add r0, pc` adds beyond its own address
    for _kind in ("data", "thumb", "arm"):
        _tg = TARGETS[_kind]
        _add(SiteRecipe(f"R_ARM_{_p}MOVW_ABS_NC", _probe(_st, """
site:
    movw r0, #:lower16:target+({A})
    movt r0, #0x5eed
    bx lr
""") + _tg, name=_kind, size=4, signature="i32()",
            expect=lambda v: 0x5EED0000 | (((v.S + v.A) | v.T) & 0xFFFF), params={"A": _AM}),
             # MOVT_ABS: S + A is any 32-bit value, nothing to check; the value is given
             # (lo 0, hi 2**32 - 1) so the generator aims single high bits
             SiteRecipe(f"R_ARM_{_p}MOVT_ABS", _probe(_st, """
    movw r0, #0xbeef
site:
    movt r0, #:upper16:target+({A})
    bx lr
""") + _tg, name=_kind, size=4, signature="i32()",
            expect=lambda v: ((((v.S + v.A) >> 16) & 0xFFFF) << 16) | 0xBEEF,
            value=lambda v: v.S + v.A, lo=0, hi=M32, params={"A": _AM}),
             SiteRecipe(f"R_ARM_{_p}MOVT_ABS", _probe(_st, """
    movw r0, #:lower16:target+({A})
site:
    movt r0, #:upper16:target+({A})
    bx lr
""") + _tg, name=_kind + "-pair", size=4, signature="i32()",
            expect=lambda v: (v.S + v.A) | v.T, params={"A": _AM}),
             SiteRecipe(f"R_ARM_{_p}MOVW_PREL_NC", _probe(_st, """
site:
    movw r0, #:lower16:target+({A})-site
    movt r0, #0x5eed
    bx lr
""") + _tg, name=_kind, size=4, signature="i32()",
            expect=lambda v: 0x5EED0000 | ((((v.S + v.A) | v.T) - v.P) & 0xFFFF), params={"A": _AM}),
             SiteRecipe(f"R_ARM_{_p}MOVT_PREL", _probe(_st, """
    movw r0, #0xbeef
site:
    movt r0, #:upper16:target+({A})-site
    bx lr
""") + _tg, name=_kind, size=4, signature="i32()",
            expect=lambda v: ((((v.S + v.A - v.P) >> 16) & 0xFFFF) << 16) | 0xBEEF,
            value=lambda v: v.S + v.A - v.P, lo=-M32, hi=M32, params={"A": _AM}),
             # the pair as compilers write it: MOVW at P - 4 with A - (1f + bias - (P - 4)), MOVT at P
             # with A - (1f + bias - P), then `add r0, pc`: the low half has T, the high half not
             # (so a carry out of (X | T) - P's low half is not seen: aaelf32's own formulas)
             SiteRecipe(f"R_ARM_{_p}MOVT_PREL", _probe(_st, f"""
    movw r0, #:lower16:target+({{A}})-(1f+{_pc})
site:
    movt r0, #:upper16:target+({{A}})-(1f+{_pc})
1:  add r0, r0, pc
    bx lr
""") + _tg, name=_kind + "-pair", size=4, signature="i32()",
            expect=(lambda pc: lambda v: (((((v.S + v.A - (v.P + 4 + pc)) | v.T) + 0) & 0xFFFF)
                                          | ((((v.S + v.A - (v.P + 4 + pc))) >> 16) & 0xFFFF) << 16)
                    + v.P + 4 + pc)(_pc),
            params={"A": _AM_PAIR}))
    for _kind in ("thumb", "arm"):
        _add(SiteRecipe(f"R_ARM_{_p}MOVW_ABS_NC", _probe(_st, """
    push {r4, lr}
site:
    movw r1, #:lower16:target+({A})
    movt r1, #:upper16:target+({A})
    movw r0, #0
    movt r0, #0x5eed
    blx r1
    pop {r4, pc}
""") + TARGETS[_kind], name="call-" + _kind, size=4, signature="i32()",
            expect=(lambda k: lambda v: _sled(k, v.A))(_kind), params={"A": _LAND4[_kind]}))

# ---------------------------------------------------------------------------
# TLS (aaelf32 5.6.1, "Static TLS"/"Dynamic TLS" rows; Drepper's TLS document): `target`
# is a .tdata table, word k = 0x7e510000 + k; the probe returns the word the route reaches.
# Not placement-aimable (no `value`).  X: a GOT-slot addend the probe takes back out.
# ---------------------------------------------------------------------------

_TLS_DATA = """
    .section .tdata,"awT",%progbits
    .p2align 2
    .globl target
    .type target,%object
target:
    .word 0x7e510000, 0x7e510001, 0x7e510002, 0x7e510003, 0x7e510004, 0x7e510005, 0x7e510006, 0x7e510007
"""
_TLS_WORDS = (0, 4, 8, 28)
_tls_word = lambda v: 0x7E510000 + v.A // 4
_SUB_X0 = _SUB_X
_SUB_X1 = _SUB_X.replace("r0, r0", "r1, r1")

_add(
    # TLS_LE32: S + A - TP, read at TP + word
    SiteRecipe("R_ARM_TLS_LE32", _probe("arm", """
    mrc p15, 0, r0, c13, c0, 3
    ldr r1, site
    ldr r0, [r0, r1]
    bx lr
site:
    .word target(TPOFF)+({A})
""") + _TLS_DATA, size=4, signature="i32()", movable=False, expect=_tls_word, params={"A": _TLS_WORDS}),
    # TLS_IE32: GTP(S) + A - P, a GOT slot holding S - TP
    SiteRecipe("R_ARM_TLS_IE32", _probe("arm", """
    ldr r1, site
1:  add r1, pc, r1
""" + _SUB_X1 + """
    ldr r1, [r1]
    mrc p15, 0, r0, c13, c0, 3
    ldr r0, [r0, r1]
    bx lr
site:
    .word target(GOTTPOFF)+({X})-(1b+8-site)
""") + _TLS_DATA, size=4, signature="i32()", movable=False, expect=lambda v: 0x7E510000,
        params={"X": _X}),
    # TLS_GD32: GGD(S) + A - P, the pair (module, S - DTP) for __tls_get_addr
    SiteRecipe("R_ARM_TLS_GD32", _probe("arm", """
    push {r4, lr}
    ldr r0, site
1:  add r0, pc, r0
""" + _SUB_X0 + """
    bl __tls_get_addr
    ldr r0, [r0, #{K}]
    pop {r4, pc}
site:
    .word target(TLSGD)+({X})-(1b+8-site)
""") + _TLS_DATA, size=4, signature="i32()", movable=False, expect=lambda v: 0x7E510000 + v.p["K"] // 4,
        params={"X": _X, "K": _TLS_WORDS}),
    # TLS_LDM32: GLD + A - P, the module's pair (module, 0); the offset from a TLS_LDO32 word
    SiteRecipe("R_ARM_TLS_LDM32", _probe("arm", """
    push {r4, lr}
    ldr r0, site
1:  add r0, pc, r0
""" + _SUB_X0 + """
    bl __tls_get_addr
    ldr r1, 2f
    ldr r0, [r0, r1]
    pop {r4, pc}
site:
    .word target(TLSLDM)+({X})-(1b+8-site)
2:  .word target(TLSLDO)+{K}
""") + _TLS_DATA, size=4, signature="i32()", movable=False, expect=lambda v: 0x7E510000 + v.p["K"] // 4,
        params={"X": _X, "K": _TLS_WORDS}),
    # TLS_LDO32: S + A - DTP
    SiteRecipe("R_ARM_TLS_LDO32", _probe("arm", """
    push {r4, lr}
    ldr r0, 2f
1:  add r0, pc, r0
    bl __tls_get_addr
    ldr r1, site
    ldr r0, [r0, r1]
    pop {r4, pc}
2:  .word target(TLSLDM)-(1b+8-2b)
site:
    .word target(TLSLDO)+({A})
""") + _TLS_DATA, size=4, signature="i32()", movable=False, expect=_tls_word, params={"A": _TLS_WORDS}),
)

# THM_JUMP19 [far-*]: the target in `.rig.site` a fixed GAP away, so the field's J1 (bit 18) and J2
# (bit 19), which only differ from S beyond +-256 KiB, are drawn every time (an aimed placement
# reaches them only by luck).  value = GAP + 18 (fwd) or -(GAP + 42) (back).

_J19 = """.reloc ., R_ARM_THM_JUMP19, target
    .inst.w ((0xf000 | (((({A}-4)>>20)&1)<<10) | ({COND}<<6) | ((({A}-4)>>12)&0x3f)) << 16) | 0x8000 | (((({A}-4)>>18)&1)<<13) | (((({A}-4)>>19)&1)<<11) | ((({A}-4)>>1)&0x7ff)"""
for _where in ("fwd", "back"):
    _add(SiteRecipe("R_ARM_THM_JUMP19", _t16(_J19, _where), name="far-" + _where,
                    size=4, signature="i32()", expect=_sl_t, value=_t_value("thumb"),
                    lo=-(1 << 20), hi=(1 << 20) - 1, align=1, branch=True, movable=False,
                    params={"A": _LAND["thumb"], "PAD": _PAD, "COND": (0, 2, 10, 13),
                            "GAP": (0x40000, 0x80000, 0xC0000, 0x20000)}))
