"""AArch64 site recipes: one or more per row of `aarch64_relocs`, for the
type-directed generator (`rig.strategies.relocation_sites`).  Conventions in
`targets.base.SiteRecipe`.  Every formula, field and range below is written by
hand from "ELF for the Arm 64-bit Architecture (AArch64)" (aaelf64), 5.7
"Relocation" (tables "Static Data relocations", "Group relocations to create a
16-, 32-, 48-, or 64-bit unsigned data value or address inline" (MOVW),
"Relocations to generate 19, 21 and 33 bit PC-relative addresses",
"Relocations for control-flow instructions", "GOT-relative instruction
relocations", the TLS tables), with the notes to the MOVW tables (MOV[NZ]:
"if X >= 0 write MOVZ with X's bits, else MOVN with NOT(X)'s bits") and,
where aaelf64 is silent (the alignment of the LDST lo12 values), lld's
lld/ELF/Arch/AArch64.cpp (`checkAlignment`).  Nothing here reads the table.

How each field is observed (a probe returns it, or lands on it):

* ADRP alone returns Page(S + A); ADR and MOVW return their register;
* the lo12 fields (ADD, LDST*) sit on a page computed independently (an ABS64
  literal `and ~0xfff`, no ADRP whose reach could get in the way), and the
  loads read a pattern in which every halfword is distinct, so a lo12 that is
  scaled wrong reads another value;
* branches (TBZ, B.cond, CBZ, B, BL, a PLT32 word) land on `target + A`, a
  table of entries each returning its own marker;
* the MOVK (_NC) forms update a register that holds known other bits;
* local-exec TLS: the TP offset built by the row's sequence, minus the TP offset
  built by an independent family (ADD hi12/lo12 vs MOVZ/MOVK), returns A; the
  TLS loads read the pattern in .tdata; IE and TLSDESC load the variable.
"""
from __future__ import annotations

from .base import SiteRecipe, page

M64 = (1 << 64) - 1

# --- data: a pattern of distinct halfwords ----------------------------------------

_HALFWORDS = 0x880          # 0x1100 bytes: every A below stays inside


def _hw(k: int) -> int:
    """The k-th halfword of the pattern (an odd multiplier: distinct for k < 2^16)."""
    return (k * 0x9E37 + 0x5A5A) & 0xFFFF


_BYTES = b"".join(_hw(k).to_bytes(2, "little") for k in range(_HALFWORDS))


def pat(offset: int, size: int = 8) -> int:
    """The `size` bytes of the pattern at byte `offset` (little-endian)."""
    return int.from_bytes(_BYTES[offset:offset + size], "little")


def _pattern(section: str, flags: str, align: int = 4) -> str:
    return f"""
    .section {section},"{flags}",@progbits
    .p2align {align}
    .globl target
target:
    .set i, 0
    .rept {_HALFWORDS}
    .hword (i * 0x9e37 + 0x5a5a) & 0xffff
    .set i, i + 1
    .endr
"""


_TARGET_DATA = _pattern(".rig.target", "a")
_TARGET_TLS = _pattern(".tdata", "awT")
#: a data target at any byte address (ADR, ADRP, MOVW: only S + A matters)
_TARGET_BYTE = """
    .section .rig.target,"a",@progbits
    .p2align 0
    .globl target
target:
    .byte 0x5e, 0xed
"""

# --- code: entries 16 bytes apart, entry k returning MARK + k ------------------------

MARK = 0x5EED_0000_0000_C0D0
_ENTRIES = 4
_TARGET_CODE = """
    .section .rig.target,"ax",@progbits
    .p2align 2
    .globl target
target:
    .set i, 0
    .rept 4
    movz x0, #(0xc0d0 + i)
    movk x0, #0x5eed, lsl #48
    ret
    nop
    .set i, i + 1
    .endr
"""
_BRANCH_A = (0, 16, 32, 48)


def mark(A: int) -> int:
    """What the code target returns when entered at target + A."""
    return MARK + A // 16


# --- helpers --------------------------------------------------------------------------

def sx(x: int, bits: int = 64) -> int:
    """x as a signed `bits`-bit number."""
    x &= (1 << bits) - 1
    return x - (1 << bits) if x >> (bits - 1) else x


def movnz(X: int, n: int) -> int:
    """The register after MOV[NZ] of group n (aaelf64, the notes to the MOVW tables):
    X >= 0: MOVZ with X[16n+15:16n]; X < 0: MOVN with NOT(X)[16n+15:16n]."""
    if X >= 0:
        return ((X >> (16 * n)) & 0xFFFF) << (16 * n)
    return ~((((~X) >> (16 * n)) & 0xFFFF) << (16 * n)) & M64


def movz(X: int, n: int) -> int:
    """The register after MOVZ of group n with X[16n+15:16n]."""
    return (((X & M64) >> (16 * n)) & 0xFFFF) << (16 * n)


#: what a MOVK (_NC) recipe's register holds before the MOVK
K = 0xA5A5_5A5A_C3C3_3C3C
_LOAD_K = """
    movz x0, #0xa5a5, lsl #48
    movk x0, #0x5a5a, lsl #32
    movk x0, #0xc3c3, lsl #16
    movk x0, #0x3c3c
"""


def movk(X: int, n: int) -> int:
    """K after MOVK of group n with X[16n+15:16n]."""
    sh = 16 * n
    return (K & ~(0xFFFF << sh) & M64) | ((((X & M64) >> sh) & 0xFFFF) << sh)


def _code(body: str, target: str) -> str:
    return """
    .section .rig.site,"ax",@progbits
    .p2align 2
    .globl probe
probe:
""" + body + target


RECIPES = []


def R(row: str, body: str, target: str = _TARGET_BYTE, **kw) -> None:
    RECIPES.append(SiteRecipe("R_AARCH64_" + row, _code(body, target), **kw))


# --- NONE ---------------------------------------------------------------------------------
# NONE: the word stays as assembled (movz x0, #0x1234) and the probe returns 0x1234.
R("NONE", """
site:
    .reloc ., R_AARCH64_NONE, target
    movz x0, #0x1234
    ret
""",
  expect=lambda v: 0x1234)
# R_AARCH64_NULL (256, aaelf64's withdrawn number, "treat as NONE"): neither clang's `.reloc`
# (it takes names only: "expected relocation name" for a number, "unknown relocation name" for
# R_AARCH64_NULL) nor any operand modifier spells type 256, so the NONE is renumbered in the
# assembled object (`retype`); the word stays as assembled.
R("NULL", """
site:
    .reloc ., R_AARCH64_NONE, target
    movz x0, #0x4321
    ret
""",
  expect=lambda v: 0x4321, retype=((0, 256),))

# --- data words (aaelf64 "Static Data relocations") ----------------------------------------
_DATA_WORD = """
    .text
    .globl probe
probe:
    ret
    .section .rig.site,"a",@progbits
    .p2align 3
site:
"""


def W(row: str, directive: str, size: int, **kw) -> None:
    RECIPES.append(SiteRecipe("R_AARCH64_" + row, _DATA_WORD + f"    {directive}\n" + kw.pop("target", _TARGET_BYTE),
                              observe="word", size=size, **kw))


W("ABS64", ".xword target+{A}", 8, expect=lambda v: v.S + v.A,
  params={"A": (0, 1, -8, 1 << 40, -(1 << 63))})
# ABS32: S + A, -2^31 <= X < 2^32 (the data word holds a signed or an unsigned value)
W("ABS32", ".word target+{A}", 4, expect=lambda v: v.S + v.A, value=lambda v: v.S + v.A,
  lo=-(1 << 31), hi=(1 << 32) - 1, params={"A": (0, 1, -0x10000, 0x7fff0000)})
# An absolute symbol: the assembler folds `.word target+A` of a `.set` symbol into the word
# (no relocation at all), so `.reloc` forces one (against no symbol, the addend S + A).
_ABS_T = "\n    .globl target\n    .set target, {S}\n"
W("ABS32", ".reloc ., R_AARCH64_ABS32, target+{A}\n    .word 0", 4, name="abs", expect=lambda v: v.S + v.A, movable=False,
  target=_ABS_T,
  params={"S": (0, 0x80000000, 0xfffffff0), "A": (0, 0xf, -0x80000000)})
# ABS16: S + A, -2^15 <= X < 2^16; an absolute symbol (a placed section is above 0x10000)
W("ABS16", ".reloc ., R_AARCH64_ABS16, target+{A}\n    .hword 0", 2, expect=lambda v: v.S + v.A, movable=False,
  target=_ABS_T,
  params={"S": (0, 0x7fff, 0xfff0), "A": (0, 0xf, -0x7fff, -0x8000)})
# (No placed-target ABS16 recipe: every recipe must also load at the generator's packed
# placement, whose addresses are far above 2^16, so the range cannot be aimed at.)
W("PREL64", ".xword target+{A}-.", 8, expect=lambda v: v.S + v.A - v.P,
  params={"A": (0, 3, -8, 1 << 40)})
W("PREL32", ".word target+{A}-.", 4, expect=lambda v: v.S + v.A - v.P, value=lambda v: v.S + v.A - v.P,
  lo=-(1 << 31), hi=(1 << 32) - 1, params={"A": (0, 3, -8, 0x10000)})
# ... and read by code as a signed offset from its own address (as compilers use it: the
# -2^31 <= X < 2^31 half of the range round-trips; X above 2^31 reads back negative)
R("PREL32", """
    adr x1, site
    ldrsw x2, [x1]
    add x0, x1, x2
    ret
    .p2align 2
site:
    .word target+{A}-.
""",
  name="code", expect=lambda v: v.P + sx(v.S + v.A - v.P, 32), value=lambda v: v.S + v.A - v.P,
  lo=-(1 << 31), hi=(1 << 32) - 1, params={"A": (0, 3, -8, 0x10000)})
W("PREL16", ".hword target+{A}-.", 2, expect=lambda v: v.S + v.A - v.P, value=lambda v: v.S + v.A - v.P,
  lo=-(1 << 15), hi=(1 << 16) - 1, params={"A": (0, 3, -8, 0x100)})

# PLT32 (aaelf64 5.7.x, "PLT32: S + A - P, check -2^31 <= X < 2^31"): a 32-bit word in code, read,
# added to its own address and jumped to: it must land on target + A (directly or via a stub).
R("PLT32", """
    adr x1, site
    ldrsw x2, [x1]
    add x1, x1, x2
    br x1
    .p2align 2
site:
    .word target@PLT - . + {A}
""",
  _TARGET_CODE, expect=lambda v: mark(v.A), value=lambda v: v.S + v.A - v.P,
  lo=-(1 << 31), hi=(1 << 31) - 1, branch=True, params={"A": _BRANCH_A})

# --- control flow ("Relocations for control-flow instructions") ----------------------------
# The conditional branches: S + A - P, no veneer (an out-of-reach value is an overflow).  Several
# instruction forms per row: other bits the encoder must keep, and more aimed examples per sweep
# (the placements strategy keeps a drawn layout within the narrowest pc-relative reach, so only
# an aimed value tests the range).
def _cond(row: str, name: str, setup: str, insn: str, bits: int, **params) -> None:
    R(row, f"""
    {setup}
site:
    {insn}
    movz x0, #0xbad
    ret
""",
      _TARGET_CODE, name=name, expect=lambda v: mark(v.A), value=lambda v: v.S + v.A - v.P,
      lo=-(1 << bits), hi=(1 << bits) - 4, align=4, params={"A": _BRANCH_A, **params})


# TSTBR14: imm14 = X[15:2], -2^15 <= X < 2^15.  The tested register has every bit but bit B set
# (TBZ) or only bit B (TBNZ), so the branch is taken only if it tests bit B (b5 is bit 31, b40
# bits 19-23: kept); the W forms have b5 = 0.
_cond("TSTBR14", "", "mov x1, #~(1 << {B})", "tbz x1, #{B}, target+{A}", 15, B=(0, 5, 31, 32, 47, 63))
_cond("TSTBR14", "tbnz", "mov x1, #(1 << {B})", "tbnz x1, #{B}, target+{A}", 15, B=(0, 7, 33, 63))
_cond("TSTBR14", "tbz.w", "mov w1, #(0xffffffff ^ (1 << {B}))", "tbz w1, #{B}, target+{A}", 15,
      B=(0, 9, 16, 31))
_cond("TSTBR14", "tbnz.w", "mov w1, #(1 << {B})", "tbnz w1, #{B}, target+{A}", 15, B=(1, 15, 30))
_cond("TSTBR14", "tbz.hi", "mov x1, #~(1 << {B})", "tbz x1, #{B}, target+{A}", 15, B=(62, 40, 35, 48))
# CONDBR19: imm19 = X[20:2], -2^20 <= X < 2^20; B.cond, CBZ/CBNZ (X and W).
_cond("CONDBR19", "", "cmp x0, x0", "b.eq target+{A}", 20)
_cond("CONDBR19", "b.ne", "movz x3, #1\n    cmp x3, #2", "b.ne target+{A}", 20)
_cond("CONDBR19", "cbnz", "movz x3, #7", "cbnz x3, target+{A}", 20)
_cond("CONDBR19", "cbz.w", "movn x3, #0\n    movz w3, #0", "cbz w3, target+{A}", 20)
_cond("CONDBR19", "b.lt", "movn x3, #0\n    cmp x3, #2", "b.lt target+{A}", 20)
_cond("CONDBR19", "cbz", "movz x3, #0", "cbz x3, target+{A}", 20)
# JUMP26/CALL26: S + A - P, imm26 = X[27:2], -2^27 <= X < 2^27; out of reach a veneer (aaelf64
# "Call and Jump relocations": the linker may route through a veneer): branch=True.  A tail B, a
# B with the link register set by hand, a BL, and a BL followed by code that needs x30 intact.
_B26 = dict(expect=lambda v: mark(v.A), value=lambda v: v.S + v.A - v.P, lo=-(1 << 27), hi=(1 << 27) - 4,
            align=4, branch=True, params={"A": _BRANCH_A})
R("JUMP26", """
site:
    b target+{A}
""", _TARGET_CODE, **_B26)
R("JUMP26", """
    stp x29, x30, [sp, #-16]!
    adr x30, 1f
site:
    b target+{A}
1:  ldp x29, x30, [sp], #16
    ret
""", _TARGET_CODE, name="lr", **_B26)
R("CALL26", """
    stp x29, x30, [sp, #-16]!
site:
    bl target+{A}
    ldp x29, x30, [sp], #16
    ret
""", _TARGET_CODE, **_B26)
R("CALL26", """
    stp x29, x30, [sp, #-16]!
    movz x0, #0
site:
    bl target+{A}
    movz x1, #0x77
    ldp x29, x30, [sp], #16
    sub x0, x0, x1
    add x0, x0, #0x77
    ret
""", _TARGET_CODE, name="after", **_B26)
# two calls, the second 8 bytes on with the same addend (its value 8 less): both must land
R("CALL26", """
    stp x19, x30, [sp, #-16]!
site:
    bl target+{A}
    mov x19, x0
    bl target+{A}
    add x0, x0, x19
    ldp x19, x30, [sp], #16
    ret
""", _TARGET_CODE, name="twice", **{**_B26, "expect": lambda v: 2 * mark(v.A)})
# a call from mid-function: a callee-saved register must survive the call (a veneer may only
# use x16/x17)
R("CALL26", """
    stp x29, x30, [sp, #-32]!
    mov x29, sp
    str x19, [sp, #16]
    movz x19, #5
site:
    bl target+{A}
    add x0, x0, x19
    ldr x19, [sp, #16]
    ldp x29, x30, [sp], #32
    sub x0, x0, #5
    ret
""", _TARGET_CODE, name="mid", **_B26)
# a backward call: the target's section comes first in the object (packed: below the site)
RECIPES.append(SiteRecipe("R_AARCH64_CALL26", _TARGET_CODE + """
    .section .rig.site,"ax",@progbits
    .p2align 2
    .globl probe
probe:
    stp x29, x30, [sp, #-16]!
site:
    bl target+{A}
    ldp x29, x30, [sp], #16
    ret
""", name="back", **_B26))

# --- PC-relative addresses --------------------------------------------------------------
# LD_PREL_LO19: S + A - P, imm19 = X[20:2], -2^20 <= X < 2^20 (lld: a multiple of 4); the load reads
# the pattern at target + A.
R("LD_PREL_LO19", """
site:
    ldr x0, target+{A}
    ret
""",
  _TARGET_DATA, expect=lambda v: pat(v.A), value=lambda v: v.S + v.A - v.P,
  lo=-(1 << 20), hi=(1 << 20) - 4, align=4, params={"A": (0, 4, 0x1c, 0x7f4, 0xff8)})
# ADR_PREL_LO21: S + A - P, immhi:immlo = X[20:0], -2^20 <= X < 2^20, any byte.
R("ADR_PREL_LO21", """
site:
    adr x0, target+{A}
    ret
""",
  expect=lambda v: v.S + v.A, value=lambda v: v.S + v.A - v.P,
  lo=-(1 << 20), hi=(1 << 20) - 1, params={"A": (3, 0, 1, 2, -5, 0x7ff)})
# ADR_PREL_PG_HI21: Page(S + A) - Page(P), immhi:immlo = X[32:12], -2^32 <= X < 2^32.
_ADRP_A = (0, 1, 0xfff, 0x1000, -1, 0x12345)
# The place sits mid-page (a Page(S + A - P) slip then shows even for a page-aligned S + A).
R("ADR_PREL_PG_HI21", """
    b site
    .space 0x7fc
site:
    adrp x0, target+{A}
    ret
""",
  expect=lambda v: page(v.S + v.A), value=lambda v: page(v.S + v.A) - page(v.P),
  lo=-(1 << 32), hi=(1 << 32) - 4096, align=4096, params={"A": _ADRP_A})
# _NC: no check; the CPU adds X[32:12] sign-extended (33 bits) to Page(P).
# The place sits mid-page (a Page(S + A - P) slip then shows even for a page-aligned S + A).
R("ADR_PREL_PG_HI21_NC", """
    b site
    .space 0x7fc
site:
    adrp x0, :pg_hi21_nc:target+{A}
    ret
""",
  expect=lambda v: page(v.P) + sx(page(v.S + v.A) - page(v.P), 33), params={"A": _ADRP_A})

# --- low 12 bits, on a page computed from an ABS64 literal -------------------------------
_LO12 = """
    ldr x1, 1f
    and x1, x1, #0xfffffffffffff000
site:
    {INSN}
    ret
    .p2align 3
1:  .xword target+{A}
"""
R("ADD_ABS_LO12_NC", _LO12.replace("{INSN}", "add x0, x1, #:lo12:target+{A}"),
  expect=lambda v: v.S + v.A, params={"A": (0, 1, 0x7ff, 0xfff, -1, 0x1234567)})


def _ldst(row: str, insn: str, size: int, offsets, tail: str = "", expect=None) -> None:
    # S + A, imm12 = X[11:log2(size)].  The pattern at target + A is read (target is 16-aligned,
    # A draws distinct low bits).  No value: lld's one check (checkAlignment: X a multiple of
    # size) cannot be reached, since a misaligned A fails at the packed placement every recipe
    # is first loaded at, and a placement keeps the section aligned.
    R(row, _LO12.replace("{INSN}", insn + tail), _TARGET_DATA,
      expect=expect or (lambda v: pat(v.A, size)), params={"A": offsets})


_ldst("LDST8_ABS_LO12_NC", "ldrb w0, [x1, #:lo12:target+{A}]", 1, (0, 1, 0x1f, 0x7ff, 0xab7, 0xfff))
_ldst("LDST16_ABS_LO12_NC", "ldrh w0, [x1, #:lo12:target+{A}]", 2, (0, 2, 0x1e, 0x7fe, 0xab6, 0xffe))
_ldst("LDST32_ABS_LO12_NC", "ldr w0, [x1, #:lo12:target+{A}]", 4, (0, 4, 0x1c, 0x7fc, 0xab4, 0xffc))
_ldst("LDST64_ABS_LO12_NC", "ldr x0, [x1, #:lo12:target+{A}]", 8, (0, 8, 0x18, 0x7f8, 0xab8, 0xff8))
_Q_TAIL = """
    fmov x0, d0
    mov x2, v0.d[1]
    eor x0, x0, x2, ror #17"""


def _q(lo: int, hi: int) -> int:
    return lo ^ (((hi >> 17) | (hi << 47)) & M64)


_ldst("LDST128_ABS_LO12_NC", "ldr q0, [x1, #:lo12:target+{A}]", 16, (0, 0x10, 0x30, 0x7f0, 0xab0, 0xff0),
      tail=_Q_TAIL, expect=lambda v: _q(pat(v.A), pat(v.A + 8)))

# --- MOVW, unsigned: S + A; MOVZ imm16 = X[16n+15:16n], 0 <= X < 2^(16n+16) (G3 and _NC unchecked)
_UABS = [("G1", 1, (0, 8, -0x10000, 0x7fff0000)),
         ("G2", 2, (0, 0x1234, -0x10000, 0xffff00000000))]
# G0: an absolute symbol (every recipe also loads at the packed placement, far above 2^16)
R("MOVW_UABS_G0", """
site:
    .reloc ., R_AARCH64_MOVW_UABS_G0, target+{A}
    movz x0, #0
    ret
""",
  _ABS_T, expect=lambda v: movz(v.S + v.A, 0), movable=False,
  params={"S": (0x10, 0x1234, 0xfff0), "A": (0, 0xf, -0x10)})
R("MOVW_UABS_G0_NC", _LOAD_K + """
site:
    movk x0, #:abs_g0_nc:target+{A}
    ret
""",
  expect=lambda v: movk(v.S + v.A, 0), params={"A": (0, 0x1234, -0x20000, 0x7fff0000, 1 << 47)})
for g, n, adds in _UABS:
    R(f"MOVW_UABS_{g}", f"""
site:
    movz x0, #:abs_{g.lower()}:target+{{A}}
    ret
""",
  expect=lambda v, n=n: movz(v.S + v.A, n), value=lambda v: v.S + v.A,
      lo=0, hi=(1 << (16 * n + 16)) - 1, params={"A": adds})
    R(f"MOVW_UABS_{g}_NC", _LOAD_K + f"""
site:
    movk x0, #:abs_{g.lower()}_nc:target+{{A}}
    ret
""",
  expect=lambda v, n=n: movk(v.S + v.A, n), params={"A": (0, 0x1234, -0x20000, 0x7fff0000, 1 << 47)})
R("MOVW_UABS_G3", """
site:
    movz x0, #:abs_g3:target+{A}
    ret
""",
  expect=lambda v: movz(v.S + v.A, 3), params={"A": (0, 1 << 48, 0x1234 << 48, -(1 << 63), -1)})

# --- MOVW, signed: S + A; MOV[NZ] by the sign of X; -2^(16n+16) <= X < 2^(16n+16)
# The packed placement (S ~ 2^24) must load too: negative X down to about -A; the negative edges
# come from an absolute symbol ("abs"; no overflow can be asked of those).
_SABS = [(1, (0, 8, -0x10000, -0x7fff0000)),
         (2, (0, 0x1234, -(1 << 47), -(1 << 40), 0xffff00000000))]
_SABS_ABS = [(0, (0, 0x8000, 0xfff0), (-0x10000, 0, 0xf, -0x8000)),
             (1, (0, 0x10, 0xfffffff0), (0, 0xf, -0x12345678, -(1 << 32))),
             (2, (0, 0x10, 0xfffffffffff0), (0, 0xf, -(1 << 40) + 3, -(1 << 48)))]
for n, ss, adds in _SABS_ABS:
    R(f"MOVW_SABS_G{n}", f"""
site:
    .reloc ., R_AARCH64_MOVW_SABS_G{n}, target+{{A}}
    movz x0, #0, lsl #{16 * n}
    ret
""",
  _ABS_T, name="abs" if n else "", expect=lambda v, n=n: movnz(v.S + v.A, n), movable=False,
      params={"S": ss, "A": adds})
for n, adds in _SABS:
    R(f"MOVW_SABS_G{n}", f"""
site:
    movz x0, #:abs_g{n}_s:target+{{A}}
    ret
""",
  expect=lambda v, n=n: movnz(v.S + v.A, n), value=lambda v: v.S + v.A,
      lo=-(1 << (16 * n + 16)), hi=(1 << (16 * n + 16)) - 1, params={"A": adds})

# --- MOVW, PC-relative: S + A - P; MOV[NZ] (G0..G2 checked, G3 not), MOVK for _NC
_PREL_A = (0, 8, -8, 0x1234)
# G2 also with an addend near 2^48 (an aimed target 4 GiB away then passes the range)
_PREL_AS = (_PREL_A, _PREL_A, _PREL_A + (0xffff00000000, -0xffff00000000))
for n in range(3):
    R(f"MOVW_PREL_G{n}", f"""
site:
    movz x0, #:prel_g{n}:target+{{A}}
    ret
""",
  expect=lambda v, n=n: movnz(v.S + v.A - v.P, n), value=lambda v: v.S + v.A - v.P,
      lo=-(1 << (16 * n + 16)), hi=(1 << (16 * n + 16)) - 1, params={"A": _PREL_AS[n]})
    R(f"MOVW_PREL_G{n}_NC", _LOAD_K + f"""
site:
    movk x0, #:prel_g{n}_nc:target+{{A}}
    ret
""",
  expect=lambda v, n=n: movk(v.S + v.A - v.P, n), params={"A": _PREL_A + (1 << 40, -(1 << 40))})
R("MOVW_PREL_G3", """
site:
    movz x0, #:prel_g3:target+{A}
    ret
""",
  expect=lambda v: movnz(sx(v.S + v.A - v.P), 3), params={"A": (-(1 << 62), 0, 8, 1 << 62, 1 << 48)})

# --- GOT ----------------------------------------------------------------------------------
# ADR_GOT_PAGE: Page(G(S)) - Page(P); LD64_GOT_LO12_NC: G(S)[11:3]; the slot holds S: the load
# through it reads the pattern.  No value: G(S) is where the rig puts the slot.
_GOT = """
site:
    adrp x0, :got:target
    ldr x0, [x0, #:got_lo12:target]
    ldr x0, [x0]
    ret
"""
R("ADR_GOT_PAGE", _GOT, _TARGET_DATA, expect=lambda v: pat(0))
R("LD64_GOT_LO12_NC", _GOT, _TARGET_DATA, expect=lambda v: pat(0), field_offset=4)
# LD64_GOTPAGE_LO15: G(S) - Page(GOT), imm12 = X[14:3]
R("LD64_GOTPAGE_LO15", """
    adrp x1, _GLOBAL_OFFSET_TABLE_
site:
    ldr x0, [x1, #:gotpage_lo15:target]
    ldr x0, [x0]
    ret
""",
  _TARGET_DATA, expect=lambda v: pat(0))

# --- TLS, local-exec: X = S + A - TP ------------------------------------------------------
# The TP offset X0 of `target` itself depends on where the rig puts the module in the TLS image,
# so each probe builds X by the row's sequence and subtracts X0 built by another family: A.
_X0_BY_ADD = """
    add x3, x1, #:tprel_hi12:target
    add x3, x3, #:tprel_lo12_nc:target
    sub x3, x3, x1
"""
_X0_BY_MOVW = """
    movz x3, #:tprel_g1:target
    movk x3, #:tprel_g0_nc:target
"""


def _tls(row: str, body: str, **kw) -> None:
    R(row, "    mrs x1, tpidr_el0\n" + body, _TARGET_TLS, movable=False, **kw)


_BIG_A = (0, 8, 0x12340, -0x20000, 0x123456789a0, -0x123456789a0)
_MID_A = (0, 8, 0x12340, -0x20000, 0x7fff0000, -0x7fff0000)
_SMALL_A = (0, 8, 0xf000, -0x8000, -0xfc00)
_G2_SEQ = """
    {S2}movz x2, #:tprel_g2:target+{A}
    {S1}movk x2, #:tprel_g1_nc:target+{A}
    {S0}movk x2, #:tprel_g0_nc:target+{A}
""" + _X0_BY_ADD + """
    sub x0, x2, x3
    ret
"""


def _lab(seq: str, which: str) -> str:
    return seq.replace("{" + which + "}", "site: ").replace("{S2}", "").replace("{S1}", "").replace("{S0}", "")


_tls("TLSLE_MOVW_TPREL_G2", _lab(_G2_SEQ, "S2"), expect=lambda v: v.A, params={"A": _BIG_A})
_tls("TLSLE_MOVW_TPREL_G1_NC", _lab(_G2_SEQ, "S1"), expect=lambda v: v.A, params={"A": _BIG_A})
_tls("TLSLE_MOVW_TPREL_G0_NC", _lab(_G2_SEQ, "S0"), expect=lambda v: v.A, params={"A": _BIG_A})
_tls("TLSLE_MOVW_TPREL_G1", """
site:
    movz x2, #:tprel_g1:target+{A}
    movk x2, #:tprel_g0_nc:target+{A}
""" + _X0_BY_ADD + """
    sub x0, x2, x3
    ret
""",
  expect=lambda v: v.A, params={"A": _MID_A})
_tls("TLSLE_MOVW_TPREL_G0", """
site:
    movz x2, #:tprel_g0:target+{A}
""" + _X0_BY_ADD + """
    sub x0, x2, x3
    ret
""",
  expect=lambda v: v.A, params={"A": _SMALL_A})
# ADD hi12 (X[23:12], 0 <= X < 2^24) and lo12 (X[11:0]): TP + X - (TP + X0) = A.
_ADD_SEQ = """
    {SH}add x2, x1, #:tprel_hi12:target+{A}
    {SL}add x2, x2, #:tprel_lo12_nc:target+{A}
""" + _X0_BY_MOVW + """
    add x3, x3, x1
    sub x0, x2, x3
    ret
"""
_ADD_A = (0, 8, 0xfff, 0x1000, 0x123458, 0xabcdef, 0xfe0000)
_tls("TLSLE_ADD_TPREL_HI12", _ADD_SEQ.replace("{SH}", "site: ").replace("{SL}", ""),
     expect=lambda v: v.A, params={"A": _ADD_A})
_tls("TLSLE_ADD_TPREL_LO12_NC", _ADD_SEQ.replace("{SL}", "site: ").replace("{SH}", ""),
     expect=lambda v: v.A, params={"A": _ADD_A})


def _tls_ldst(row: str, insn: str, size: int, offsets, tail: str = "", expect=None) -> None:
    _tls(row, f"""
    add x1, x1, #:tprel_hi12:target+{{A}}
site:
    {insn}{tail}
    ret
""",
  expect=expect or (lambda v: pat(v.A, size)), params={"A": offsets})


_tls_ldst("TLSLE_LDST8_TPREL_LO12_NC", "ldrb w0, [x1, #:tprel_lo12_nc:target+{A}]", 1,
          (0, 1, 0x1f, 0x7ff, 0xab7, 0xfff))
_tls_ldst("TLSLE_LDST16_TPREL_LO12_NC", "ldrh w0, [x1, #:tprel_lo12_nc:target+{A}]", 2,
          (0, 2, 0x1e, 0x7fe, 0xab6, 0xffe))
_tls_ldst("TLSLE_LDST32_TPREL_LO12_NC", "ldr w0, [x1, #:tprel_lo12_nc:target+{A}]", 4,
          (0, 4, 0x1c, 0x7fc, 0xab4, 0xffc))
_tls_ldst("TLSLE_LDST64_TPREL_LO12_NC", "ldr x0, [x1, #:tprel_lo12_nc:target+{A}]", 8,
          (0, 8, 0x18, 0x7f8, 0xab8, 0xff8))
_tls_ldst("TLSLE_LDST128_TPREL_LO12_NC", "ldr q0, [x1, #:tprel_lo12_nc:target+{A}]", 16,
          (0, 0x10, 0x30, 0x7f0, 0xab0, 0xff0), tail=_Q_TAIL, expect=lambda v: _q(pat(v.A), pat(v.A + 8)))

# --- TLS, initial-exec and descriptors: the variable's first word is loaded ---------------
_IE = """
site:
    adrp x0, :gottprel:target
    ldr x0, [x0, #:gottprel_lo12:target]
    mrs x1, tpidr_el0
    ldr x0, [x1, x0]
    ret
"""
R("TLSIE_ADR_GOTTPREL_PAGE21", _IE, _TARGET_TLS, movable=False, expect=lambda v: pat(0))
R("TLSIE_LD64_GOTTPREL_LO12_NC", _IE, _TARGET_TLS, movable=False, expect=lambda v: pat(0), field_offset=4)
_DESC = """
    stp x29, x30, [sp, #-16]!
site:
    adrp x0, :tlsdesc:target
    ldr x1, [x0, #:tlsdesc_lo12:target]
    add x0, x0, #:tlsdesc_lo12:target
    .tlsdesccall target
    blr x1
    mrs x1, tpidr_el0
    ldr x0, [x1, x0]
    ldp x29, x30, [sp], #16
    ret
"""
for _row, _off in (("TLSDESC_ADR_PAGE21", 0), ("TLSDESC_LD64_LO12", 4), ("TLSDESC_ADD_LO12", 8),
                   ("TLSDESC_CALL", 12)):      # CALL: nothing is written; the BLR must still run
    R(_row, _DESC, _TARGET_TLS, movable=False, expect=lambda v: pat(0), field_offset=_off)
