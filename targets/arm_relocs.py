"""32-bit Arm relocation table: A32 ("arm") and T32 ("thumb"), ELF REL.

Sources: "ELF for the Arm Architecture" (aaelf32), section 5.6 "Relocation"
(the relocation codes table, "Addends and PC-bias compensation", the static
Data / Arm / Thumb16 / Thumb32 tables); the encoders and addend readers follow
lld's lld/ELF/Arch/ARM.cpp (`ARM::relocate`, `ARM::getImplicitAddend`) and
LLVM's llvm/lib/ExecutionEngine/JITLink/aarch32.cpp, cross-checked with the
Arm ARM (v7-A) instruction encodings.

Conventions the linker relies on:

* ARM uses REL, so every field has an `addend(word)` reader that extracts the
  implicit addend, sign-extended, from the unrelocated instruction or word.
* A 32-bit Thumb instruction is two little-endian halfwords, the first at the
  lower address.  The linker reads the 4 bytes as one little-endian word, so
  `word & 0xffff` is the FIRST halfword (hw1, the one holding the 0xf000
  opcode bits of BL) and `word >> 16` the second (hw2).  The helpers below
  split and join halfwords with `_halves` / `_join`; bit numbers in comments
  are halfword bit numbers.
* Rows with `thumb_bit=True` receive ((S + A) | T) [- P]; bit 0 of the value
  is then the target's state.  BL/BLX encoders use it to pick the instruction
  (interworking, as lld does for STT_FUNC targets); B encoders ignore it.
* All expressions are computed modulo 2**32 (aaelf32 5.6.1.1): 32-bit data
  words are written without an overflow check.
"""
from __future__ import annotations

from elftools.elf.enums import ENUM_RELOC_TYPE_ARM

from .base import Expr, Field, Howto, either, sign_extend, signed, unsigned, word

#: Types pyelftools does not name (none for the rows below in pyelftools 0.33;
#: kept so a newer row can be added without waiting for pyelftools).
_MISSING: dict = {}


def _number(name: str) -> int:
    """The type number of `R_ARM_<name>`; a typo raises KeyError at import."""
    full = "R_ARM_" + name
    return _MISSING[full] if full in _MISSING else ENUM_RELOC_TYPE_ARM[full]


# --------------------------------------------------------------------------
# Thumb-2 halfword plumbing
# --------------------------------------------------------------------------

def _halves(w: int) -> tuple:
    """(first halfword, second halfword) of a 32-bit Thumb instruction word."""
    return w & 0xFFFF, (w >> 16) & 0xFFFF


def _join(hw1: int, hw2: int) -> int:
    """The little-endian word whose bytes are hw1 then hw2."""
    return ((hw2 & 0xFFFF) << 16) | (hw1 & 0xFFFF)


def _strip_t(v: int) -> int:
    """Clear the Thumb bit: a B cannot change state, its offset has no bit 0."""
    return v & ~1


def _blx_round(v: int) -> int:
    """Thumb BLX to an ARM target: the CPU adds the offset to Align(PC, 4), so an
    even value is rounded up to a multiple of 4 (lld: alignTo(val, 4)); an odd
    value (a Thumb target: BL) is left alone."""
    return v if v & 1 else (v + 3) & ~3


# --------------------------------------------------------------------------
# A32 fields
# --------------------------------------------------------------------------

_ARM_BLX = 0xFA000000      # 1111 101 H imm24 (BLX immediate, always unconditional)
_ARM_BL_AL = 0xEB000000    # 1110 1011 imm24 (BL, condition AL)


def _arm_imm24(w: int, v: int) -> int:
    """B/BL imm24 = value >> 2; the condition and opcode (bits 31-24) are kept."""
    return (w & 0xFF000000) | ((v >> 2) & 0x00FFFFFF)


def _arm_imm24_addend(w: int) -> int:
    """sign_extend(imm24 << 2): `bl .` (0xebfffffe) reads -8."""
    return sign_extend((w & 0x00FFFFFF) << 2, 26)


def _arm_is_blx(w: int) -> bool:
    return (w & 0xFE000000) == _ARM_BLX


def _arm_call(w: int, v: int) -> int:
    """R_ARM_CALL: bit 0 of the value is T.  T=1 writes BLX (imm24:H = value[25:1]),
    T=0 writes BL; a BLX turned back into a BL gets condition AL, a BL keeps its
    condition (lld `relocate`, R_ARM_CALL)."""
    if v & 1:
        return _ARM_BLX | ((v & 2) << 23) | ((v >> 2) & 0x00FFFFFF)
    if _arm_is_blx(w):
        w = _ARM_BL_AL | (w & 0x00FFFFFF)
    return _arm_imm24(w, v)


def _arm_call_addend(w: int) -> int:
    """BL: sign_extend(imm24 << 2); BLX: sign_extend(imm24:H:0).  (lld drops H for
    a BLX; it only differs when the object's BLX addend is 2 mod 4.)"""
    if _arm_is_blx(w):
        return sign_extend(((w & 0x00FFFFFF) << 2) | ((w >> 23) & 2), 26)
    return _arm_imm24_addend(w)


def _arm_imm16(w: int, v: int) -> int:
    """MOVW/MOVT A1: imm4 (bits 19-16) : imm12 (bits 11-0) = value & 0xffff."""
    v &= 0xFFFF
    return (w & ~0x000F0FFF) | ((v & 0xF000) << 4) | (v & 0x0FFF)


def _arm_movt(w: int, v: int) -> int:
    """MOVT: the field takes bits 31-16 of the value."""
    return _arm_imm16(w, v >> 16)


def _arm_imm16_addend(w: int) -> int:
    """imm4:imm12 as a signed 16-bit value (aaelf32: -32768 <= A < 32768, MOVW and MOVT alike)."""
    return sign_extend(((w >> 4) & 0xF000) | (w & 0x0FFF), 16)


# --------------------------------------------------------------------------
# T32 fields (two halfwords)
# --------------------------------------------------------------------------

def _thumb_branch24(w: int, v: int) -> int:
    """B.W T4 / BL T1 / BLX T2: value = S:I1:I2:imm10:imm11:0, stored as
    hw1 = 11110 S imm10, hw2 = 1 ? J1 ? J2 imm11 with J1 = ~I1 ^ S, J2 = ~I2 ^ S.
    hw1 bits 15-11 and hw2 bits 15, 14, 12 (which pick B.W / BL / BLX) are kept."""
    hw1, hw2 = _halves(w)
    s = (v >> 24) & 1
    i1 = (v >> 23) & 1
    i2 = (v >> 22) & 1
    j1 = (~i1 ^ s) & 1
    j2 = (~i2 ^ s) & 1
    hw1 = (hw1 & 0xF800) | (s << 10) | ((v >> 12) & 0x03FF)
    hw2 = (hw2 & 0xD000) | (j1 << 13) | (j2 << 11) | ((v >> 1) & 0x07FF)
    return _join(hw1, hw2)


def _thumb_branch24_addend(w: int) -> int:
    """S:I1:I2:imm10:imm11:0 sign-extended from 25 bits: `bl .` (f7ff fffe) reads -4.
    (JITLink's decodeImmBT4BlT1BlxT2_J1J2; lld sign-extends from 24 bits, which
    misreads addends beyond ±8 MiB.)"""
    hw1, hw2 = _halves(w)
    s = (hw1 >> 10) & 1
    j1 = (hw2 >> 13) & 1
    j2 = (hw2 >> 11) & 1
    i1 = (~(j1 ^ s)) & 1
    i2 = (~(j2 ^ s)) & 1
    v = (s << 24) | (i1 << 23) | (i2 << 22) | ((hw1 & 0x03FF) << 12) | ((hw2 & 0x07FF) << 1)
    return sign_extend(v, 25)


_THUMB_BL_BIT = 0x1000     # hw2 bit 12: 1 = BL, 0 = BLX


def _thumb_call(w: int, v: int) -> int:
    """R_ARM_THM_CALL: T=1 writes BL (hw2 bit 12 set); T=0 writes BLX (bit 12
    clear) with the value rounded up to a multiple of 4 so H (imm11 bit 0) is 0
    (lld `relocate`, R_ARM_THM_CALL).  `prepare` already rounds; doing it again
    here is a no-op and keeps the encoder right when called on its own."""
    hw1, hw2 = _halves(w)
    if v & 1:
        hw2 |= _THUMB_BL_BIT
    else:
        v = _blx_round(v)
        hw2 &= ~_THUMB_BL_BIT
    return _thumb_branch24(_join(hw1, hw2), v)


def _thumb_branch20(w: int, v: int) -> int:
    """B<cond>.W T3: value = S:J2:J1:imm6:imm11:0 (no I1/I2 inversion here),
    hw1 = 11110 S cond imm6, hw2 = 10 J1 0 J2 imm11; the condition is kept."""
    hw1, hw2 = _halves(w)
    hw1 = (hw1 & 0xFBC0) | ((v >> 10) & 0x0400) | ((v >> 12) & 0x003F)
    hw2 = (hw2 & 0xD000) | ((v >> 5) & 0x2000) | ((v >> 8) & 0x0800) | ((v >> 1) & 0x07FF)
    return _join(hw1, hw2)


def _thumb_branch20_addend(w: int) -> int:
    """S:J2:J1:imm6:imm11:0 sign-extended from 21 bits: `beq.w .` reads -4.
    (lld sign-extends from 20 bits, which misreads a negative addend whose J2
    differs from S; the ARM ARM's imm32 is SignExtend(S:J2:J1:imm6:imm11:'0').)"""
    hw1, hw2 = _halves(w)
    v = (((hw1 >> 10) & 1) << 20) | (((hw2 >> 11) & 1) << 19) | (((hw2 >> 13) & 1) << 18) \
        | ((hw1 & 0x003F) << 12) | ((hw2 & 0x07FF) << 1)
    return sign_extend(v, 21)


def _thumb_imm16(w: int, v: int) -> int:
    """MOVW T3 / MOVT T1: imm16 = imm4:i:imm3:imm8 with imm4 in hw1 bits 3-0,
    i in hw1 bit 10, imm3 in hw2 bits 14-12, imm8 in hw2 bits 7-0; the opcode
    and Rd (hw2 bits 11-8) are kept."""
    v &= 0xFFFF
    hw1, hw2 = _halves(w)
    hw1 = (hw1 & ~0x040F) | (((v >> 11) & 1) << 10) | ((v >> 12) & 0xF)
    hw2 = (hw2 & ~0x70FF) | (((v >> 8) & 7) << 12) | (v & 0xFF)
    return _join(hw1, hw2)


def _thumb_movt(w: int, v: int) -> int:
    """MOVT: the field takes bits 31-16 of the value."""
    return _thumb_imm16(w, v >> 16)


def _thumb_imm16_addend(w: int) -> int:
    """imm4:i:imm3:imm8 as a signed 16-bit value (MOVW and MOVT alike)."""
    hw1, hw2 = _halves(w)
    v = ((hw1 & 0xF) << 12) | (((hw1 >> 10) & 1) << 11) | (((hw2 >> 12) & 7) << 8) | (hw2 & 0xFF)
    return sign_extend(v, 16)


# --------------------------------------------------------------------------
# T16 fields (one halfword)
# --------------------------------------------------------------------------

def _thumb_branch11(w: int, v: int) -> int:
    """B T2: 11100 imm11, imm11 = value >> 1."""
    return (w & 0xF800) | ((v >> 1) & 0x07FF)


def _thumb_branch11_addend(w: int) -> int:
    """sign_extend(imm11 << 1): `b.n .` (e7fe) reads -4."""
    return sign_extend((w & 0x07FF) << 1, 12)


def _thumb_branch8(w: int, v: int) -> int:
    """B<cond> T1: 1101 cond imm8, imm8 = value >> 1; the condition is kept."""
    return (w & 0xFF00) | ((v >> 1) & 0x00FF)


def _thumb_branch8_addend(w: int) -> int:
    """sign_extend(imm8 << 1): `beq.n .` (d0fe) reads -4."""
    return sign_extend((w & 0x00FF) << 1, 9)


def _thumb_cb(w: int, v: int) -> int:
    """CBZ/CBNZ T1: 1011 op 0 i 1 imm5 Rn, value = i:imm5:0 (forward only, 0..126);
    i is bit 9, imm5 bits 7-3; op and Rn are kept."""
    return (w & 0xFD07) | ((v & 0x40) << 3) | ((v & 0x3E) << 2)


def _thumb_cb_addend(w: int) -> int:
    """aaelf32 special case: ((imm + 4) & 0x7f) - 4 with imm = i:imm5:0, so that
    the unsigned field can carry the -4 Thumb PC bias (imm = 0x7c reads -4)."""
    imm = ((w >> 3) & 0x40) | ((w >> 2) & 0x3E)
    return ((imm + 4) & 0x7F) - 4


# --------------------------------------------------------------------------
# Data fields
# --------------------------------------------------------------------------

def _prel31(w: int, v: int) -> int:
    """PREL31: the low 31 bits take the value, bit 31 is kept (.ARM.exidx)."""
    return (w & 0x80000000) | (v & 0x7FFFFFFF)


def _prel31_addend(w: int) -> int:
    return sign_extend(w, 31)


# --------------------------------------------------------------------------
# Fields
# --------------------------------------------------------------------------

# 32-bit data words: no check.  aaelf32 5.6.1.1 computes every expression
# modulo 2**32 and says the static data relocations "write the full 32-bit
# result to the place; there is thus no need for overflow checking" (lld writes
# them unchecked too).  A range check would also be wrong here: on this 32-bit
# target a PC-relative word between places more than 2 GiB apart (S - P <
# -2**31, or S + A - P > 2**32 from a negative addend) is still exact modulo
# 2**32, which is how the CPU adds it.  `word` masks the value to 32 bits.
WORD32 = word(4, None, "word32")
WORD16 = word(2, either(16), "word16")     # aaelf32: -32768 <= X <= 65535
WORD8 = word(1, either(8), "word8")        # aaelf32: -128 <= X <= 255
PREL31 = Field("prel31", 4, _prel31, _prel31_addend, **signed(31))

# R_ARM_CALL: checked like lld (isInt<26>) but with align 1, not 4: a value for
# a Thumb target is odd (bit 0 = T, which selects BLX) and may be 2 mod 4
# (bit 1 = H); an ARM target's value is always 0 mod 4 since S, A and P are.
ARM_CALL = Field("A32 BL/BLX imm24", 4, _arm_call, _arm_call_addend,
                 lo=-(1 << 25), hi=1 << 25, align=1,
                 exchanges=lambda w: (w >> 28) == 0xF)          # BLX imm: cond field 0b1111
# R_ARM_JUMP24 / R_ARM_PC24: B / BL<cond>; a target in the other state is
# reached through an ARM stub, so the value is ARM-aligned.
ARM_BRANCH = Field("A32 B/BL<cond> imm24", 4, _arm_imm24, _arm_imm24_addend, **signed(24, 2))
ARM_MOVW = Field("A32 MOVW imm16", 4, _arm_imm16, _arm_imm16_addend)      # _NC: unchecked
ARM_MOVT = Field("A32 MOVT imm16 (bits 31-16)", 4, _arm_movt, _arm_imm16_addend)  # lld checks nothing

# R_ARM_THM_CALL: ±16 MiB (isInt<25>).  align 1: the value is odd for a Thumb
# target (BL); for an ARM target `prepare` rounds it to a multiple of 4 (BLX).
THM_CALL = Field("T32 BL/BLX", 4, _thumb_call, _thumb_branch24_addend,
                 lo=-(1 << 24), hi=1 << 24, align=1, prepare=_blx_round,
                 exchanges=lambda w: not (w >> 16) & 0x1000)     # BLX: bit 12 of the 2nd halfword clear
# R_ARM_THM_JUMP24 / R_ARM_THM_JUMP19: a B ignores bit 0 of the value (T of a
# Thumb target); `prepare` clears it so the alignment check sees the offset.
THM_BRANCH24 = Field("T32 B.W", 4, _thumb_branch24, _thumb_branch24_addend,
                     prepare=_strip_t, **signed(24, 1))
THM_BRANCH20 = Field("T32 B<cond>.W", 4, _thumb_branch20, _thumb_branch20_addend,
                     prepare=_strip_t, **signed(20, 1))
THM_MOVW = Field("T32 MOVW imm16", 4, _thumb_imm16, _thumb_imm16_addend)   # _NC: unchecked
THM_MOVT = Field("T32 MOVT imm16 (bits 31-16)", 4, _thumb_movt, _thumb_imm16_addend)
THM_BRANCH11 = Field("T16 B imm11", 2, _thumb_branch11, _thumb_branch11_addend, **signed(11, 1))
THM_BRANCH8 = Field("T16 B<cond> imm8", 2, _thumb_branch8, _thumb_branch8_addend, **signed(8, 1))
THM_CB = Field("T16 CBZ/CBNZ i:imm5", 2, _thumb_cb, _thumb_cb_addend, **unsigned(6, 1))


# --------------------------------------------------------------------------
# The table
# --------------------------------------------------------------------------

#: PC reads 8 bytes ahead in ARM state, 4 in Thumb: a branch's addend holds that bias.
_PC_BIAS = {"arm": -8, "thumb": -4}


def _row(name: str, expr: Expr, fld, doc: str, *, thumb_bit: bool = False,
         stub_state=None, same_state: bool = False) -> Howto:
    return Howto("R_ARM_" + name, _number(name), expr, fld, thumb_bit=thumb_bit,
                 stub_state=stub_state, same_state=same_state, doc=doc,
                 pc_bias=_PC_BIAS.get(stub_state, 0))


_ROWS = [
    _row("NONE", Expr.NONE, None, "no operation"),
    _row("V4BX", Expr.NONE, None, "marks an ARMv4T `bx rN`; nothing to do for ARMv5T+ output"),
    # Data.
    _row("ABS32", Expr.ABS, WORD32, "(S + A) | T; word32", thumb_bit=True),
    _row("REL32", Expr.PC, WORD32, "((S + A) | T) - P; word32", thumb_bit=True),
    _row("PREL31", Expr.PC, PREL31, "((S + A) | T) - P; low 31 bits, bit 31 kept, ±1 GiB",
         thumb_bit=True),
    _row("TARGET1", Expr.ABS, WORD32, "(S + A) | T (as ABS32, the Linux choice); word32",
         thumb_bit=True),
    _row("TARGET2", Expr.GOT_PC, WORD32, "G(S) + A - P (as GOT_PREL, the Linux choice); word32"),
    _row("ABS16", Expr.ABS, WORD16, "S + A; word16, -32768..65535"),
    _row("ABS8", Expr.ABS, WORD8, "S + A; word8, -128..255"),
    _row("GOT_PREL", Expr.GOT_PC, WORD32, "G(S) + A - P; word32"),
    _row("BASE_PREL", Expr.GOT_BASE_PC, WORD32,
         "B(S) + A - P with B(S) = GOT base (for _GLOBAL_OFFSET_TABLE_); word32"),
    _row("GOT_BREL", Expr.GOT_REL, WORD32, "G(S) + A - GOT; word32"),
    _row("GOTOFF32", Expr.GOT_OFF, WORD32, "((S + A) | T) - GOT; word32", thumb_bit=True),
    # A32 branches.
    _row("CALL", Expr.BRANCH, ARM_CALL,
         "((S + A) | T) - P; BL imm24 << 2, ±32 MiB; T=1 -> BLX (H = bit 1), T=0 -> BL",
         thumb_bit=True, stub_state="arm"),
    _row("JUMP24", Expr.BRANCH, ARM_BRANCH,
         "((S + A) | T) - P; B/BL<cond> imm24 << 2, ±32 MiB; other state via an ARM stub",
         thumb_bit=True, stub_state="arm", same_state=True),
    _row("PC24", Expr.BRANCH, ARM_BRANCH,
         "((S + A) | T) - P; B/BL<cond> imm24 << 2, ±32 MiB (deprecated JUMP24)",
         thumb_bit=True, stub_state="arm", same_state=True),
    # A32 MOVW/MOVT.
    _row("MOVW_ABS_NC", Expr.ABS, ARM_MOVW, "(S + A) | T; MOVW imm4:imm12 = X & 0xffff, unchecked",
         thumb_bit=True),
    _row("MOVT_ABS", Expr.ABS, ARM_MOVT, "S + A; MOVT imm4:imm12 = X >> 16, unchecked"),
    _row("MOVW_PREL_NC", Expr.PC, ARM_MOVW,
         "((S + A) | T) - P; MOVW imm4:imm12 = X & 0xffff, unchecked", thumb_bit=True),
    _row("MOVT_PREL", Expr.PC, ARM_MOVT, "S + A - P; MOVT imm4:imm12 = X >> 16, unchecked"),
    # T32 branches.
    _row("THM_CALL", Expr.BRANCH, THM_CALL,
         "((S + A) | T) - P; BL S:I1:I2:imm10:imm11 << 1, ±16 MiB; "
         "T=0 -> BLX (value rounded up to 4), T=1 -> BL",
         thumb_bit=True, stub_state="thumb"),
    _row("THM_JUMP24", Expr.BRANCH, THM_BRANCH24,
         "((S + A) | T) - P; B.W S:I1:I2:imm10:imm11 << 1, ±16 MiB; other state via a Thumb stub",
         thumb_bit=True, stub_state="thumb", same_state=True),
    # lld reaches an ARM target of a B<cond>.W through an interworking thunk; so does the rig.
    _row("THM_JUMP19", Expr.BRANCH, THM_BRANCH20,
         "((S + A) | T) - P; B<cond>.W S:J2:J1:imm6:imm11 << 1, ±1 MiB; other state or out of "
         "reach via a Thumb stub", thumb_bit=True, stub_state="thumb", same_state=True),
    # T16 branches.
    _row("THM_JUMP11", Expr.PC, THM_BRANCH11, "S + A - P; B imm11 << 1, ±2 KiB"),
    _row("THM_JUMP8", Expr.PC, THM_BRANCH8, "S + A - P; B<cond> imm8 << 1, ±256 B"),
    _row("THM_JUMP6", Expr.PC, THM_CB,
         "S + A - P; CBZ/CBNZ i:imm5 << 1, 0..126; REL addend ((imm + 4) & 0x7f) - 4"),
    # T32 MOVW/MOVT.
    _row("THM_MOVW_ABS_NC", Expr.ABS, THM_MOVW,
         "(S + A) | T; MOVW imm4:i:imm3:imm8 = X & 0xffff, unchecked", thumb_bit=True),
    _row("THM_MOVT_ABS", Expr.ABS, THM_MOVT, "S + A; MOVT imm4:i:imm3:imm8 = X >> 16, unchecked"),
    _row("THM_MOVW_PREL_NC", Expr.PC, THM_MOVW,
         "((S + A) | T) - P; MOVW imm4:i:imm3:imm8 = X & 0xffff, unchecked", thumb_bit=True),
    _row("THM_MOVT_PREL", Expr.PC, THM_MOVT,
         "S + A - P; MOVT imm4:i:imm3:imm8 = X >> 16, unchecked"),
    # Thread-local storage (aaelf32 5.6.1, the "Static TLS" and "Dynamic TLS" rows; lld does not
    # relax them on Arm either).  Code reads TP from TPIDRURO or through __aeabi_read_tp.
    _row("TLS_LE32", Expr.TPREL, WORD32, "S + A - TP (local-exec); word32"),
    _row("TLS_IE32", Expr.GOTTP_PC, WORD32,
         "GTP(S) + A - P, a GOT slot holding S - TP (initial-exec); word32"),
    _row("TLS_GD32", Expr.TLSGD_PC, WORD32,
         "GGD(S) + A - P, a GOT pair (module 1, S - DTP) for __tls_get_addr (general-dynamic); word32"),
    _row("TLS_LDM32", Expr.TLSLD_PC, WORD32,
         "GLD + A - P, the object's GOT pair (module 1, 0) for __tls_get_addr (local-dynamic); word32"),
    _row("TLS_LDO32", Expr.DTPREL, WORD32, "S + A - DTP (local-dynamic); word32"),
]

#: type number -> row, for `Target.relocations`.
RELOCATIONS = {row.type: row for row in _ROWS}
assert len(RELOCATIONS) == len(_ROWS), "duplicate relocation type"
