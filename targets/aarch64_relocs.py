"""AArch64 (LP64) relocation table.

Source: "ELF for the Arm 64-bit Architecture (AArch64)" (aaelf64), section 5.7
"Relocation": 5.7.2 "Addends and PC-bias" and the static relocation tables
(data, group/MOVW, PC-relative address, load/store low-12, call and jump, GOT),
cross-checked with lld's lld/ELF/Arch/AArch64.cpp (`AArch64::relocate`).

AArch64 uses RELA: addends are explicit, so no instruction field needs an
addend reader.  Values reach the encoders as plain Python integers (negative
for backward PC-relative values); every encoder masks what it writes and keeps
every other bit of the instruction (register numbers, opcode, size, shift).

Where the rig's checks differ from lld's (they are a little stricter, never
looser):

* CALL26/JUMP26 and TSTBR14 also require a multiple of 4; lld and the spec
  only take bits [27:2] / [15:2] and do not check the low bits.
* lld's JUMP26 rewrites the whole word to `b` (a Cortex-A53 erratum trick);
  here the opcode is kept, as for every other row.
* MOVW_PREL_G3 with a negative value: aaelf64 says MOV[NZ], so the rig writes
  MOVN with NOT(X)[63:48] (as Linux's module loader does); lld always writes
  MOVZ with X[63:48].  The register holds the same value once the MOVKs follow.
* A PLT32 word outside code that cannot reach gets no stub (a stub must be
  code): an overflow, as in lld.
"""
from __future__ import annotations

from elftools.elf.enums import ENUM_RELOC_TYPE_AARCH64

from .base import Expr, Field, Howto, either, signed, unsigned, word

#: Names pyelftools 0.33 does not have, or numbers it gets differently.
#: pyelftools calls 256 "R_AARCH64_NONE"; aaelf64 gives R_AARCH64_NONE the
#: number 0 and keeps 256 as the withdrawn null relocation ("treat as NONE"),
#: which binutils, Go and LLVM call R_AARCH64_NULL.  LDST128_ABS_LO12_NC (299),
#: LD64_GOTPAGE_LO15 (313) and PLT32 (314) are simply missing from pyelftools, and so are
#: the TLSDESC types (562-569) and TLSLE_LDST128_TPREL_LO12_NC (571).  (TLS_DTPREL64, which
#: compilers write only in debug information, is no row: ld.lld 22 refuses it in a loaded section.
#: Note that pyelftools swaps DTPMOD64 and DTPREL64, 1029 in LLVM's ELFRelocs/AArch64.def.)
_NOT_IN_PYELFTOOLS = {
    "R_AARCH64_NONE": 0,
    "R_AARCH64_NULL": 256,
    "R_AARCH64_LDST128_ABS_LO12_NC": 299,
    "R_AARCH64_LD64_GOTPAGE_LO15": 313,
    "R_AARCH64_PLT32": 314,
    "R_AARCH64_TLSDESC_ADR_PAGE21": 562,
    "R_AARCH64_TLSDESC_LD64_LO12": 563,
    "R_AARCH64_TLSDESC_ADD_LO12": 564,
    "R_AARCH64_TLSDESC_CALL": 569,
    "R_AARCH64_TLSLE_LDST128_TPREL_LO12_NC": 571,
}


def _number(name: str) -> int:
    """The type number of a relocation name; a typo raises KeyError at import."""
    if name in _NOT_IN_PYELFTOOLS:
        return _NOT_IN_PYELFTOOLS[name]
    return ENUM_RELOC_TYPE_AARCH64[name]


# --- bit-field writers (lld: write32AArch64Addr, write32Imm12, or32le) -------

def _set(word_: int, mask: int, bits: int) -> int:
    """`word_` with the bits under `mask` replaced by `bits` (already shifted)."""
    return (word_ & ~mask & 0xFFFFFFFF) | (bits & mask)


def _imm26(word_: int, value: int) -> int:
    """B/BL: imm26 (bits 0-25) = value[27:2]."""
    return _set(word_, 0x03FFFFFF, value >> 2)


def _imm19(word_: int, value: int) -> int:
    """B.cond, CBZ/CBNZ, LDR (literal): imm19 (bits 5-23) = value[20:2]."""
    return _set(word_, 0x7FFFF << 5, (value >> 2) << 5)


def _imm14(word_: int, value: int) -> int:
    """TBZ/TBNZ: imm14 (bits 5-18) = value[15:2]."""
    return _set(word_, 0x3FFF << 5, (value >> 2) << 5)


def _adr_imm(word_: int, value: int) -> int:
    """ADR/ADRP: immlo (bits 29-30) = value[1:0], immhi (bits 5-23) = value[20:2]."""
    word_ = _set(word_, 0x3 << 29, value << 29)
    return _set(word_, 0x7FFFF << 5, (value >> 2) << 5)


def _imm12(word_: int, value: int) -> int:
    """ADD (immediate), LDR/STR (unsigned offset): imm12 (bits 10-21) = value[11:0]."""
    return _set(word_, 0xFFF << 10, value << 10)


def _imm16_movw(word_: int, value: int) -> int:
    """MOVZ/MOVN/MOVK: imm16 (bits 5-20) = value[15:0]."""
    return _set(word_, 0xFFFF << 5, value << 5)


_MOVZ_BIT = 1 << 30   # opc (bits 30:29): 00 MOVN, 10 MOVZ, 11 MOVK
_MOVK_BIT = 1 << 29


def _movnz(word_: int, value: int, shift: int) -> int:
    """The signed MOVW forms (aaelf64 5.7, the notes to the MOVW tables): X >= 0 writes MOVZ with
    X's chunk, X < 0 writes MOVN with NOT(X)'s chunk.  As lld's writeSMovWImm,
    a MOVK (opc 11) keeps its opcode and just takes X's chunk."""
    if word_ & _MOVK_BIT:
        return _imm16_movw(word_, value >> shift)
    if value < 0:
        return _imm16_movw(word_ & ~_MOVZ_BIT, ~value >> shift)
    return _imm16_movw(word_ | _MOVZ_BIT, value >> shift)


# --- fields ------------------------------------------------------------------

def _ldst_lo12(size: int) -> Field:
    """LDR/STR of `size` bytes: imm12 = value[11:log2(size)].  The value must be
    a multiple of `size`; since `size` divides 4096, `value % size` is the same
    test on the whole value as on its low 12 bits, so `align` alone is exact
    (lo=None: no range check, only the low bits are used)."""
    k = size.bit_length() - 1
    return Field(f"ldst{8 * size} imm12", 4, lambda w, v: _imm12(w, (v & 0xFFF) >> k), align=size)


def _movw(n: int) -> Field:
    """MOVK/MOVZ imm16 = value[16n+15:16n], no check (the _NC and G3 forms)."""
    return Field(f"movw imm16 G{n}", 4, lambda w, v: _imm16_movw(w, v >> (16 * n)))


def _movw_uabs(n: int) -> Field:
    """MOVZ imm16 = value[16n+15:16n], value in [0, 2^(16n+16))."""
    return Field(f"movz imm16 G{n}", 4, lambda w, v: _imm16_movw(w, v >> (16 * n)),
                 **unsigned(16 * (n + 1)))


def _movw_signed(n: int, check: bool = True) -> Field:
    """MOVZ/MOVN by the sign of value, value in [-2^(16n+16), 2^(16n+16)) (a
    17/33/49-bit signed value: MOVN's chunk is NOT(X)'s, so one more bit fits
    than the unsigned forms; lld checkInt(val, 16n+17)).  G3 is unchecked."""
    return Field(f"mov[nz] imm16 G{n}", 4, lambda w, v: _movnz(w, v, 16 * n),
                 **(signed(16 * (n + 1) + 1) if check else {}))


W64 = word(8)
W32 = word(4, either(32), "word32")                 # ABS32/PREL32: [-2^31, 2^32)
W16 = word(2, either(16), "word16")                 # ABS16/PREL16: [-2^15, 2^16)
W32S = word(4, signed(32), "word32 (signed)")       # PLT32: [-2^31, 2^31)
BRANCH26 = Field("b/bl imm26", 4, _imm26, **signed(26, 2))
BRANCH19 = Field("imm19", 4, _imm19, **signed(19, 2))
BRANCH14 = Field("tbz imm14", 4, _imm14, **signed(14, 2))
ADR = Field("adr imm21", 4, _adr_imm, **signed(21))
# Page(S+A) - Page(P) is always a multiple of 4096; the field holds it >> 12,
# so the reach is a 33-bit signed value, ±4 GiB (lld checkInt(val, 33)).
ADRP = Field("adrp imm21", 4, lambda w, v: _adr_imm(w, v >> 12), **signed(21, 12))
ADRP_NC = Field("adrp imm21 (nc)", 4, lambda w, v: _adr_imm(w, v >> 12))
ADD_LO12 = Field("add imm12", 4, lambda w, v: _imm12(w, v & 0xFFF))
LDST8, LDST16, LDST32, LDST64, LDST128 = (_ldst_lo12(n) for n in (1, 2, 4, 8, 16))
# G(S) + A - Page(GOT): imm12 = value[14:3], value in [0, 2^15), multiple of 8.
GOTPAGE_LO15 = Field("ldr imm12 (lo15)", 4, lambda w, v: _imm12(w, v >> 3), **unsigned(12, 3))
# ADD (immediate) with LSL #12: imm12 = value[23:12], 0 <= value < 2^24 (lld checkUInt(val, 24)).
ADD_HI12 = Field("add imm12, lsl #12", 4, lambda w, v: _imm12(w, v >> 12), **unsigned(24))

# (name, expr, field, doc)
_ROWS = [
    ("R_AARCH64_NONE", Expr.NONE, None, "no operation"),
    ("R_AARCH64_NULL", Expr.NONE, None, "no operation (withdrawn number 256, treated as NONE)"),
    # Data.
    ("R_AARCH64_ABS64", Expr.ABS, W64, "S + A; word64, no check"),
    ("R_AARCH64_ABS32", Expr.ABS, W32, "S + A; word32, -2^31 <= X < 2^32"),
    ("R_AARCH64_ABS16", Expr.ABS, W16, "S + A; word16, -2^15 <= X < 2^16"),
    ("R_AARCH64_PREL64", Expr.PC, W64, "S + A - P; word64, no check"),
    ("R_AARCH64_PREL32", Expr.PC, W32, "S + A - P; word32, -2^31 <= X < 2^32"),
    ("R_AARCH64_PREL16", Expr.PC, W16, "S + A - P; word16, -2^15 <= X < 2^16"),
    ("R_AARCH64_PLT32", Expr.BRANCH, W32S,
     "PLT(S) + A - P (L + A - P through a stub when out of reach); word32, -2^31 <= X < 2^31"),
    # Calls and branches.
    ("R_AARCH64_CALL26", Expr.BRANCH, BRANCH26,
     "S + A - P (L + A - P through a stub); imm26 of BL = X[27:2], ±128 MiB"),
    ("R_AARCH64_JUMP26", Expr.BRANCH, BRANCH26,
     "S + A - P (L + A - P through a stub); imm26 of B = X[27:2], ±128 MiB"),
    ("R_AARCH64_CONDBR19", Expr.PC, BRANCH19, "S + A - P; imm19 of B.cond/CBZ/CBNZ = X[20:2], ±1 MiB"),
    ("R_AARCH64_TSTBR14", Expr.PC, BRANCH14, "S + A - P; imm14 of TBZ/TBNZ = X[15:2], ±32 KiB"),
    # PC-relative addresses.
    ("R_AARCH64_LD_PREL_LO19", Expr.PC, BRANCH19, "S + A - P; imm19 of LDR (literal) = X[20:2], ±1 MiB"),
    ("R_AARCH64_ADR_PREL_LO21", Expr.PC, ADR, "S + A - P; immhi:immlo of ADR = X[20:0], ±1 MiB"),
    ("R_AARCH64_ADR_PREL_PG_HI21", Expr.PAGE_PC, ADRP,
     "Page(S + A) - Page(P); immhi:immlo of ADRP = X[32:12], ±4 GiB"),
    ("R_AARCH64_ADR_PREL_PG_HI21_NC", Expr.PAGE_PC, ADRP_NC,
     "Page(S + A) - Page(P); immhi:immlo of ADRP = X[32:12], no check"),
    # Low 12 bits.
    ("R_AARCH64_ADD_ABS_LO12_NC", Expr.ABS, ADD_LO12, "S + A; imm12 of ADD = X[11:0], no check"),
    ("R_AARCH64_LDST8_ABS_LO12_NC", Expr.ABS, LDST8, "S + A; imm12 of LDRB/STRB = X[11:0], no check"),
    ("R_AARCH64_LDST16_ABS_LO12_NC", Expr.ABS, LDST16,
     "S + A; imm12 of LDRH/STRH = X[11:1], X a multiple of 2"),
    ("R_AARCH64_LDST32_ABS_LO12_NC", Expr.ABS, LDST32,
     "S + A; imm12 of 32-bit LDR/STR = X[11:2], X a multiple of 4"),
    ("R_AARCH64_LDST64_ABS_LO12_NC", Expr.ABS, LDST64,
     "S + A; imm12 of 64-bit LDR/STR = X[11:3], X a multiple of 8"),
    ("R_AARCH64_LDST128_ABS_LO12_NC", Expr.ABS, LDST128,
     "S + A; imm12 of 128-bit LDR/STR (q) = X[11:4], X a multiple of 16"),
    # MOVW groups, unsigned.
    ("R_AARCH64_MOVW_UABS_G0", Expr.ABS, _movw_uabs(0), "S + A; imm16 of MOVZ = X[15:0], 0 <= X < 2^16"),
    ("R_AARCH64_MOVW_UABS_G0_NC", Expr.ABS, _movw(0), "S + A; imm16 of MOVK = X[15:0], no check"),
    ("R_AARCH64_MOVW_UABS_G1", Expr.ABS, _movw_uabs(1), "S + A; imm16 of MOVZ = X[31:16], 0 <= X < 2^32"),
    ("R_AARCH64_MOVW_UABS_G1_NC", Expr.ABS, _movw(1), "S + A; imm16 of MOVK = X[31:16], no check"),
    ("R_AARCH64_MOVW_UABS_G2", Expr.ABS, _movw_uabs(2), "S + A; imm16 of MOVZ = X[47:32], 0 <= X < 2^48"),
    ("R_AARCH64_MOVW_UABS_G2_NC", Expr.ABS, _movw(2), "S + A; imm16 of MOVK = X[47:32], no check"),
    ("R_AARCH64_MOVW_UABS_G3", Expr.ABS, _movw(3), "S + A; imm16 of MOVZ/MOVK = X[63:48], no check"),
    # MOVW groups, signed: MOVZ with X's chunk when X >= 0, else MOVN with NOT(X)'s.
    ("R_AARCH64_MOVW_SABS_G0", Expr.ABS, _movw_signed(0),
     "S + A; MOVZ/MOVN imm16 = X[15:0] / NOT(X)[15:0], -2^16 <= X < 2^16"),
    ("R_AARCH64_MOVW_SABS_G1", Expr.ABS, _movw_signed(1),
     "S + A; MOVZ/MOVN imm16 = X[31:16] / NOT(X)[31:16], -2^32 <= X < 2^32"),
    ("R_AARCH64_MOVW_SABS_G2", Expr.ABS, _movw_signed(2),
     "S + A; MOVZ/MOVN imm16 = X[47:32] / NOT(X)[47:32], -2^48 <= X < 2^48"),
    ("R_AARCH64_MOVW_PREL_G0", Expr.PC, _movw_signed(0),
     "S + A - P; MOVZ/MOVN imm16 = X[15:0] / NOT(X)[15:0], -2^16 <= X < 2^16"),
    ("R_AARCH64_MOVW_PREL_G0_NC", Expr.PC, _movw(0), "S + A - P; imm16 of MOVK = X[15:0], no check"),
    ("R_AARCH64_MOVW_PREL_G1", Expr.PC, _movw_signed(1),
     "S + A - P; MOVZ/MOVN imm16 = X[31:16] / NOT(X)[31:16], -2^32 <= X < 2^32"),
    ("R_AARCH64_MOVW_PREL_G1_NC", Expr.PC, _movw(1), "S + A - P; imm16 of MOVK = X[31:16], no check"),
    ("R_AARCH64_MOVW_PREL_G2", Expr.PC, _movw_signed(2),
     "S + A - P; MOVZ/MOVN imm16 = X[47:32] / NOT(X)[47:32], -2^48 <= X < 2^48"),
    ("R_AARCH64_MOVW_PREL_G2_NC", Expr.PC, _movw(2), "S + A - P; imm16 of MOVK = X[47:32], no check"),
    ("R_AARCH64_MOVW_PREL_G3", Expr.PC, _movw_signed(3, check=False),
     "S + A - P; MOVZ/MOVN imm16 = X[63:48] / NOT(X)[63:48], no check"),
    # GOT.
    ("R_AARCH64_ADR_GOT_PAGE", Expr.GOT_PAGE_PC, ADRP,
     "Page(G(S) + A) - Page(P); immhi:immlo of ADRP = X[32:12], ±4 GiB"),
    ("R_AARCH64_LD64_GOT_LO12_NC", Expr.GOT, LDST64,
     "G(S) + A; imm12 of 64-bit LDR = X[11:3], X a multiple of 8"),
    ("R_AARCH64_LD64_GOTPAGE_LO15", Expr.GOT_PAGE_OFF, GOTPAGE_LO15,
     "G(S) + A - Page(GOT); imm12 of 64-bit LDR = X[14:3], 0 <= X < 2^15, a multiple of 8"),
    # Thread-local storage (aaelf64 5.7.11-5.7.15, "Relocations for thread-local storage"; lld
    # AArch64::relocate).  Nothing is relaxed: a TLSDESC sequence calls the static resolver its
    # GOT descriptor names, which returns S - TP (see rig.tls).
    ("R_AARCH64_TLSLE_MOVW_TPREL_G2", Expr.TPREL, _movw_signed(2),
     "S + A - TP; MOVZ/MOVN imm16 = X[47:32] / NOT(X)[47:32], -2^48 <= X < 2^48"),
    ("R_AARCH64_TLSLE_MOVW_TPREL_G1", Expr.TPREL, _movw_signed(1),
     "S + A - TP; MOVZ/MOVN imm16 = X[31:16] / NOT(X)[31:16], -2^32 <= X < 2^32"),
    ("R_AARCH64_TLSLE_MOVW_TPREL_G1_NC", Expr.TPREL, _movw_signed(1, check=False),
     "S + A - TP; imm16 of MOVK (or MOVZ/MOVN by sign) = X[31:16], no check"),
    ("R_AARCH64_TLSLE_MOVW_TPREL_G0", Expr.TPREL, _movw_signed(0),
     "S + A - TP; MOVZ/MOVN imm16 = X[15:0] / NOT(X)[15:0], -2^16 <= X < 2^16"),
    ("R_AARCH64_TLSLE_MOVW_TPREL_G0_NC", Expr.TPREL, _movw_signed(0, check=False),
     "S + A - TP; imm16 of MOVK (or MOVZ/MOVN by sign) = X[15:0], no check"),
    ("R_AARCH64_TLSLE_ADD_TPREL_HI12", Expr.TPREL, ADD_HI12,
     "S + A - TP; imm12 of ADD ..., LSL #12 = X[23:12], 0 <= X < 2^24"),
    ("R_AARCH64_TLSLE_ADD_TPREL_LO12_NC", Expr.TPREL, ADD_LO12, "S + A - TP; imm12 of ADD = X[11:0], no check"),
    ("R_AARCH64_TLSLE_LDST8_TPREL_LO12_NC", Expr.TPREL, LDST8, "S + A - TP; imm12 of LDRB/STRB = X[11:0]"),
    ("R_AARCH64_TLSLE_LDST16_TPREL_LO12_NC", Expr.TPREL, LDST16,
     "S + A - TP; imm12 of LDRH/STRH = X[11:1], X a multiple of 2"),
    ("R_AARCH64_TLSLE_LDST32_TPREL_LO12_NC", Expr.TPREL, LDST32,
     "S + A - TP; imm12 of 32-bit LDR/STR = X[11:2], X a multiple of 4"),
    ("R_AARCH64_TLSLE_LDST64_TPREL_LO12_NC", Expr.TPREL, LDST64,
     "S + A - TP; imm12 of 64-bit LDR/STR = X[11:3], X a multiple of 8"),
    ("R_AARCH64_TLSLE_LDST128_TPREL_LO12_NC", Expr.TPREL, LDST128,
     "S + A - TP; imm12 of 128-bit LDR/STR = X[11:4], X a multiple of 16"),
    ("R_AARCH64_TLSIE_ADR_GOTTPREL_PAGE21", Expr.GOTTP_PAGE_PC, ADRP,
     "Page(GTP(S) + A) - Page(P), a GOT slot holding S - TP (initial-exec); ADRP, ±4 GiB"),
    ("R_AARCH64_TLSIE_LD64_GOTTPREL_LO12_NC", Expr.GOTTP, LDST64,
     "GTP(S) + A; imm12 of 64-bit LDR = X[11:3], X a multiple of 8"),
    ("R_AARCH64_TLSDESC_ADR_PAGE21", Expr.TLSDESC_PAGE_PC, ADRP,
     "Page(GDESC(S) + A) - Page(P), a GOT descriptor (static resolver, S - TP); ADRP, ±4 GiB"),
    ("R_AARCH64_TLSDESC_LD64_LO12", Expr.TLSDESC, LDST64,
     "GDESC(S) + A; imm12 of 64-bit LDR (the resolver) = X[11:3], X a multiple of 8"),
    ("R_AARCH64_TLSDESC_ADD_LO12", Expr.TLSDESC, ADD_LO12, "GDESC(S) + A; imm12 of ADD = X[11:0], no check"),
    ("R_AARCH64_TLSDESC_CALL", Expr.NONE, None, "marks the BLR to the descriptor's resolver; nothing is written"),
]

RELOCATIONS: dict[int, Howto] = {
    _number(name): Howto(name, _number(name), expr, field,
                         stub_state="a64" if expr is Expr.BRANCH else None, doc=doc)
    for name, expr, field, doc in _ROWS
}
assert len(RELOCATIONS) == len(_ROWS), "two rows share a type number"
