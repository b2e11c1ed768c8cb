"""The AArch64 relocation table against words derived by hand from aaelf64.

Every expected word below was worked out by hand from the instruction
encodings in the Arm ARM (imm26 at bits 0-25; imm19 at 5-23; imm14 at 5-18;
ADR/ADRP immlo at 29-30 and immhi at 5-23; imm12 at 10-21; imm16 at 5-20;
MOVN/MOVZ/MOVK opc at 29-30) and the aaelf64 relocation tables, not by
running the encoders; a few are also disassembled with capstone.
"""
from __future__ import annotations

import struct
import sys
from pathlib import Path

import capstone
import pytest
from elftools.elf.enums import ENUM_RELOC_TYPE_AARCH64
from hypothesis import given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository root

from targets.aarch64_relocs import RELOCATIONS  # noqa: E402
from targets.base import Expr  # noqa: E402

BY_NAME = {h.name: h for h in RELOCATIONS.values()}

# Real instruction words with non-zero registers (and conditions / bit numbers),
# so that a test sees any bit an encoder wrongly clears.
BL = 0x94000000            # bl 0
B = 0x14000000             # b 0
B_NE = 0x54000001          # b.ne 0
TBZ = 0x36180001           # tbz w1, #3, 0
LDR_LIT = 0x58000009       # ldr x9, 0 (literal)
ADR_X7 = 0x10000007        # adr x7, 0
ADRP_X3 = 0x90000003       # adrp x3, 0
ADD_X3 = 0x91000063        # add x3, x3, #0
LDRB = 0x39400041          # ldrb w1, [x2]
LDRH = 0x79400041          # ldrh w1, [x2]
LDR_W = 0xB9400041         # ldr w1, [x2]
LDR_X = 0xF9400041         # ldr x1, [x2]
LDR_Q = 0x3DC00041         # ldr q1, [x2]
MOVZ = [0xD2800005, 0xD2A00005, 0xD2C00005, 0xD2E00005]   # movz x5, #0, lsl #16n
MOVK = [0xF2800005, 0xF2A00005, 0xF2C00005, 0xF2E00005]   # movk x5, #0, lsl #16n
MOVN = [0x92800005, 0x92A00005, 0x92C00005, 0x92E00005]   # movn x5, #0, lsl #16n

# The types the table must cover, with aaelf64's numbers.
EXPECTED_TYPES = {
    "R_AARCH64_NONE": 0, "R_AARCH64_NULL": 256,
    "R_AARCH64_ABS64": 257, "R_AARCH64_ABS32": 258, "R_AARCH64_ABS16": 259,
    "R_AARCH64_PREL64": 260, "R_AARCH64_PREL32": 261, "R_AARCH64_PREL16": 262,
    "R_AARCH64_MOVW_UABS_G0": 263, "R_AARCH64_MOVW_UABS_G0_NC": 264,
    "R_AARCH64_MOVW_UABS_G1": 265, "R_AARCH64_MOVW_UABS_G1_NC": 266,
    "R_AARCH64_MOVW_UABS_G2": 267, "R_AARCH64_MOVW_UABS_G2_NC": 268,
    "R_AARCH64_MOVW_UABS_G3": 269,
    "R_AARCH64_MOVW_SABS_G0": 270, "R_AARCH64_MOVW_SABS_G1": 271, "R_AARCH64_MOVW_SABS_G2": 272,
    "R_AARCH64_LD_PREL_LO19": 273, "R_AARCH64_ADR_PREL_LO21": 274,
    "R_AARCH64_ADR_PREL_PG_HI21": 275, "R_AARCH64_ADR_PREL_PG_HI21_NC": 276,
    "R_AARCH64_ADD_ABS_LO12_NC": 277, "R_AARCH64_LDST8_ABS_LO12_NC": 278,
    "R_AARCH64_TSTBR14": 279, "R_AARCH64_CONDBR19": 280,
    "R_AARCH64_JUMP26": 282, "R_AARCH64_CALL26": 283,
    "R_AARCH64_LDST16_ABS_LO12_NC": 284, "R_AARCH64_LDST32_ABS_LO12_NC": 285,
    "R_AARCH64_LDST64_ABS_LO12_NC": 286,
    "R_AARCH64_MOVW_PREL_G0": 287, "R_AARCH64_MOVW_PREL_G0_NC": 288,
    "R_AARCH64_MOVW_PREL_G1": 289, "R_AARCH64_MOVW_PREL_G1_NC": 290,
    "R_AARCH64_MOVW_PREL_G2": 291, "R_AARCH64_MOVW_PREL_G2_NC": 292,
    "R_AARCH64_MOVW_PREL_G3": 293,
    "R_AARCH64_LDST128_ABS_LO12_NC": 299,
    "R_AARCH64_ADR_GOT_PAGE": 311, "R_AARCH64_LD64_GOT_LO12_NC": 312,
    "R_AARCH64_LD64_GOTPAGE_LO15": 313, "R_AARCH64_PLT32": 314,
    # thread-local storage (tests/test_tls.py runs them)
    "R_AARCH64_TLSLE_MOVW_TPREL_G2": 544, "R_AARCH64_TLSLE_MOVW_TPREL_G1": 545,
    "R_AARCH64_TLSLE_MOVW_TPREL_G1_NC": 546, "R_AARCH64_TLSLE_MOVW_TPREL_G0": 547,
    "R_AARCH64_TLSLE_MOVW_TPREL_G0_NC": 548, "R_AARCH64_TLSLE_ADD_TPREL_HI12": 549,
    "R_AARCH64_TLSLE_ADD_TPREL_LO12_NC": 551,
    "R_AARCH64_TLSLE_LDST8_TPREL_LO12_NC": 553, "R_AARCH64_TLSLE_LDST16_TPREL_LO12_NC": 555,
    "R_AARCH64_TLSLE_LDST32_TPREL_LO12_NC": 557, "R_AARCH64_TLSLE_LDST64_TPREL_LO12_NC": 559,
    "R_AARCH64_TLSLE_LDST128_TPREL_LO12_NC": 571,
    "R_AARCH64_TLSIE_ADR_GOTTPREL_PAGE21": 541, "R_AARCH64_TLSIE_LD64_GOTTPREL_LO12_NC": 542,
    "R_AARCH64_TLSDESC_ADR_PAGE21": 562, "R_AARCH64_TLSDESC_LD64_LO12": 563,
    "R_AARCH64_TLSDESC_ADD_LO12": 564, "R_AARCH64_TLSDESC_CALL": 569,
}


def apply(name: str, word: int, value: int) -> int:
    """What the linker does with a row: check, then read, encode and write back."""
    f = BY_NAME[name].field
    assert f.fits(value), f"{name}: {value:#x} should fit {f.range_text()}"
    v = f.prepare(value) if f.prepare else value
    raw = word.to_bytes(f.size, "little")
    out = f.encode(int.from_bytes(raw, "little"), v)
    return int.from_bytes((out & ((1 << (8 * f.size)) - 1)).to_bytes(f.size, "little"), "little")


def fits(name: str, value: int) -> bool:
    return BY_NAME[name].field.fits(value)


# --- the table itself ----------------------------------------------------------

def test_every_type_present_with_its_number():
    assert {h.name: t for t, h in RELOCATIONS.items()} == EXPECTED_TYPES
    for t, h in RELOCATIONS.items():
        assert h.type == t


def test_numbers_match_pyelftools():
    for t, h in RELOCATIONS.items():
        if h.name == "R_AARCH64_NONE":
            # pyelftools gives the name to the withdrawn 256; aaelf64's NONE is 0.
            assert t == 0 and ENUM_RELOC_TYPE_AARCH64["R_AARCH64_NONE"] == 256
        elif h.name in ENUM_RELOC_TYPE_AARCH64:
            assert ENUM_RELOC_TYPE_AARCH64[h.name] == t, h.name
        else:
            # The ones pyelftools 0.33 lacks: LDST128 (299), GOTPAGE_LO15 (313),
            # PLT32 (314), the TLSDESC types (562-569), TLSLE_LDST128 (571), and NULL
            # (which pyelftools calls NONE).
            assert h.name in {"R_AARCH64_NULL", "R_AARCH64_LDST128_ABS_LO12_NC",
                              "R_AARCH64_LD64_GOTPAGE_LO15", "R_AARCH64_PLT32",
                              "R_AARCH64_TLSDESC_ADR_PAGE21", "R_AARCH64_TLSDESC_LD64_LO12",
                              "R_AARCH64_TLSDESC_ADD_LO12", "R_AARCH64_TLSDESC_CALL",
                              "R_AARCH64_TLSLE_LDST128_TPREL_LO12_NC"}
            assert t not in {v for v in ENUM_RELOC_TYPE_AARCH64.values() if v != 256}


def test_rows_are_documented_and_rela():
    for h in RELOCATIONS.values():
        assert h.doc, h.name
        if h.field is not None and not h.field.name.startswith("word"):
            assert h.field.size == 4 and h.field.addend is None, h.name  # RELA: no addend readers


@pytest.mark.parametrize("name", ["R_AARCH64_NONE", "R_AARCH64_NULL"])
def test_none(name):
    h = BY_NAME[name]
    assert h.expr is Expr.NONE and h.field is None


def test_exprs_and_stubs():
    expr = {h.name: h.expr for h in RELOCATIONS.values()}
    assert expr["R_AARCH64_CALL26"] is expr["R_AARCH64_JUMP26"] is Expr.BRANCH
    assert expr["R_AARCH64_PLT32"] is Expr.BRANCH
    assert expr["R_AARCH64_ADR_PREL_PG_HI21"] is expr["R_AARCH64_ADR_PREL_PG_HI21_NC"] is Expr.PAGE_PC
    assert expr["R_AARCH64_ADR_GOT_PAGE"] is Expr.GOT_PAGE_PC
    assert expr["R_AARCH64_LD64_GOT_LO12_NC"] is Expr.GOT
    assert expr["R_AARCH64_LD64_GOTPAGE_LO15"] is Expr.GOT_PAGE_OFF
    for n in ("ABS64", "ABS32", "ABS16", "ADD_ABS_LO12_NC", "LDST8_ABS_LO12_NC", "LDST128_ABS_LO12_NC",
              "MOVW_UABS_G0", "MOVW_UABS_G3", "MOVW_SABS_G2"):
        assert expr["R_AARCH64_" + n] is Expr.ABS, n
    for n in ("PREL64", "PREL32", "PREL16", "CONDBR19", "TSTBR14", "LD_PREL_LO19", "ADR_PREL_LO21",
              "MOVW_PREL_G0", "MOVW_PREL_G0_NC", "MOVW_PREL_G3"):
        assert expr["R_AARCH64_" + n] is Expr.PC, n
    for h in RELOCATIONS.values():
        assert (h.stub_state == "a64") == (h.expr is Expr.BRANCH), h.name
        assert not h.thumb_bit and not h.same_state


# --- hand-derived words: (name, template, value, expected word) -----------------

ENCODED = [
    # B/BL imm26 = X[27:2].
    ("R_AARCH64_CALL26", BL, 0x1000, 0x94000400),
    ("R_AARCH64_CALL26", BL, 0x7FFFFFC, 0x95FFFFFF),        # largest: 2^27 - 4
    ("R_AARCH64_CALL26", BL, -0x8000000, 0x96000000),       # smallest: -2^27
    ("R_AARCH64_CALL26", BL, -4, 0x97FFFFFF),
    ("R_AARCH64_CALL26", 0x97FFFFFF, 0, 0x94000000),        # old immediate is cleared
    ("R_AARCH64_JUMP26", B, 8, 0x14000002),
    ("R_AARCH64_JUMP26", B, 0x7FFFFFC, 0x15FFFFFF),
    ("R_AARCH64_JUMP26", B, -0x8000000, 0x16000000),
    # B.cond / LDR (literal) imm19 = X[20:2] at bits 5-23.
    ("R_AARCH64_CONDBR19", B_NE, 8, 0x54000041),
    ("R_AARCH64_CONDBR19", B_NE, 0xFFFFC, 0x547FFFE1),      # 2^20 - 4
    ("R_AARCH64_CONDBR19", B_NE, -0x100000, 0x54800001),    # -2^20
    ("R_AARCH64_CONDBR19", B_NE, -4, 0x54FFFFE1),
    ("R_AARCH64_LD_PREL_LO19", LDR_LIT, 0x100, 0x58000809),
    ("R_AARCH64_LD_PREL_LO19", LDR_LIT, 0xFFFFC, 0x587FFFE9),
    ("R_AARCH64_LD_PREL_LO19", LDR_LIT, -0x100000, 0x58800009),
    ("R_AARCH64_LD_PREL_LO19", LDR_LIT, -4, 0x58FFFFE9),
    # TBZ imm14 = X[15:2] at bits 5-18; b40 (bits 19-23) keeps bit number 3.
    ("R_AARCH64_TSTBR14", TBZ, 0x10, 0x36180081),
    ("R_AARCH64_TSTBR14", TBZ, 0x7FFC, 0x361BFFE1),         # 2^15 - 4
    ("R_AARCH64_TSTBR14", TBZ, -0x8000, 0x361C0001),        # -2^15
    ("R_AARCH64_TSTBR14", TBZ, -4, 0x361FFFE1),
    # ADR: immlo = X[1:0] at 29-30, immhi = X[20:2] at 5-23.
    ("R_AARCH64_ADR_PREL_LO21", ADR_X7, 1, 0x30000007),
    ("R_AARCH64_ADR_PREL_LO21", ADR_X7, 0x1234, 0x100091A7),
    ("R_AARCH64_ADR_PREL_LO21", ADR_X7, 0xFFFFF, 0x707FFFE7),   # 2^20 - 1
    ("R_AARCH64_ADR_PREL_LO21", ADR_X7, -0x100000, 0x10800007),  # -2^20
    ("R_AARCH64_ADR_PREL_LO21", ADR_X7, -1, 0x70FFFFE7),
    # ADRP: the same field holding X[32:12].
    ("R_AARCH64_ADR_PREL_PG_HI21", ADRP_X3, 0x1000, 0xB0000003),
    ("R_AARCH64_ADR_PREL_PG_HI21", ADRP_X3, 0x5000, 0xB0000023),
    ("R_AARCH64_ADR_PREL_PG_HI21", ADRP_X3, 0xFFFFF000, 0xF07FFFE3),   # 2^32 - 4096
    ("R_AARCH64_ADR_PREL_PG_HI21", ADRP_X3, -0x100000000, 0x90800003),  # -2^32
    ("R_AARCH64_ADR_PREL_PG_HI21", ADRP_X3, -0x1000, 0xF0FFFFE3),
    ("R_AARCH64_ADR_PREL_PG_HI21_NC", ADRP_X3, 0x5000, 0xB0000023),
    ("R_AARCH64_ADR_PREL_PG_HI21_NC", ADRP_X3, 0x100000000, 0x90800003),  # wraps, unchecked
    ("R_AARCH64_ADR_PREL_PG_HI21_NC", ADRP_X3, 0x7FFF00005000, 0xB0800023),  # X[32:12] = 0x100005
    ("R_AARCH64_ADR_GOT_PAGE", ADRP_X3, 0x5000, 0xB0000023),
    ("R_AARCH64_ADR_GOT_PAGE", ADRP_X3, 0xFFFFF000, 0xF07FFFE3),
    ("R_AARCH64_ADR_GOT_PAGE", ADRP_X3, -0x100000000, 0x90800003),
    # ADD imm12 = X[11:0] at 10-21.
    ("R_AARCH64_ADD_ABS_LO12_NC", ADD_X3, 0x12345678, 0x9119E063),
    ("R_AARCH64_ADD_ABS_LO12_NC", ADD_X3, 0xFFF, 0x913FFC63),
    ("R_AARCH64_ADD_ABS_LO12_NC", ADD_X3, -1, 0x913FFC63),
    ("R_AARCH64_ADD_ABS_LO12_NC", ADD_X3, 0x7FFF00001000, 0x91000063),
    ("R_AARCH64_ADD_ABS_LO12_NC", 0x913FFC63, 0x1000, 0x91000063),   # old immediate cleared
    # LDR/STR imm12 = X[11:log2(size)].
    ("R_AARCH64_LDST8_ABS_LO12_NC", LDRB, 0x12345FFF, 0x397FFC41),
    ("R_AARCH64_LDST8_ABS_LO12_NC", LDRB, 0x12345001, 0x39400441),
    ("R_AARCH64_LDST16_ABS_LO12_NC", LDRH, 0xABC0FFE, 0x795FFC41),
    ("R_AARCH64_LDST16_ABS_LO12_NC", LDRH, 2, 0x79400441),
    ("R_AARCH64_LDST32_ABS_LO12_NC", LDR_W, 0xFFC, 0xB94FFC41),
    ("R_AARCH64_LDST32_ABS_LO12_NC", LDR_W, 0x40001004, 0xB9400441),
    ("R_AARCH64_LDST64_ABS_LO12_NC", LDR_X, 0x7FF8, 0xF947FC41),
    ("R_AARCH64_LDST64_ABS_LO12_NC", LDR_X, 0x10, 0xF9400841),
    ("R_AARCH64_LDST128_ABS_LO12_NC", LDR_Q, 0xFF0, 0x3DC3FC41),
    ("R_AARCH64_LDST128_ABS_LO12_NC", LDR_Q, 0x1010, 0x3DC00441),
    ("R_AARCH64_LD64_GOT_LO12_NC", LDR_X, 0x123458, 0xF9422C41),
    ("R_AARCH64_LD64_GOT_LO12_NC", LDR_X, 0xFF8, 0xF947FC41),
    # LDR x imm12 = X[14:3].
    ("R_AARCH64_LD64_GOTPAGE_LO15", LDR_X, 0x7FF8, 0xF97FFC41),   # largest: 2^15 - 8
    ("R_AARCH64_LD64_GOTPAGE_LO15", LDR_X, 0, 0xF9400041),        # smallest
    ("R_AARCH64_LD64_GOTPAGE_LO15", LDR_X, 0x1008, 0xF9480441),
    # MOVW unsigned: imm16 = X[16n+15:16n] at 5-20, opcode kept.
    ("R_AARCH64_MOVW_UABS_G0", MOVZ[0], 0x1234, 0xD2824685),
    ("R_AARCH64_MOVW_UABS_G0", MOVZ[0], 0xFFFF, 0xD29FFFE5),
    ("R_AARCH64_MOVW_UABS_G0", MOVZ[0], 0, 0xD2800005),
    ("R_AARCH64_MOVW_UABS_G0_NC", MOVK[0], 0x12345678, 0xF28ACF05),
    ("R_AARCH64_MOVW_UABS_G0_NC", MOVK[0], -1, 0xF29FFFE5),
    ("R_AARCH64_MOVW_UABS_G1", MOVZ[1], 0x12345678, 0xD2A24685),
    ("R_AARCH64_MOVW_UABS_G1", MOVZ[1], 0xFFFFFFFF, 0xD2BFFFE5),
    ("R_AARCH64_MOVW_UABS_G1_NC", MOVK[1], 0x123456789ABCD, 0xF2ACF125),
    ("R_AARCH64_MOVW_UABS_G2", MOVZ[2], 0x123400000000, 0xD2C24685),
    ("R_AARCH64_MOVW_UABS_G2", MOVZ[2], 0xFFFFFFFFFFFF, 0xD2DFFFE5),
    ("R_AARCH64_MOVW_UABS_G2_NC", MOVK[2], 0xDEADBEEF12345678, 0xF2D7DDE5),
    ("R_AARCH64_MOVW_UABS_G3", MOVZ[3], 0xDEADBEEF12345678, 0xD2FBD5A5),
    ("R_AARCH64_MOVW_UABS_G3", MOVK[3], 0xDEADBEEF12345678, 0xF2FBD5A5),
    # MOVW signed: MOVZ (opc 10) with X's chunk when X >= 0, MOVN (opc 00) with NOT(X)'s.
    ("R_AARCH64_MOVW_SABS_G0", MOVZ[0], 0x1234, 0xD2824685),
    ("R_AARCH64_MOVW_SABS_G0", MOVZ[0], -1, 0x92800005),
    ("R_AARCH64_MOVW_SABS_G0", MOVZ[0], -0x1235, 0x92824685),
    ("R_AARCH64_MOVW_SABS_G0", MOVZ[0], 0xFFFF, 0xD29FFFE5),       # largest: 2^16 - 1
    ("R_AARCH64_MOVW_SABS_G0", MOVZ[0], -0x10000, 0x929FFFE5),     # smallest: -2^16
    ("R_AARCH64_MOVW_SABS_G0", MOVN[0], 0x1234, 0xD2824685),       # MOVN turned into MOVZ
    ("R_AARCH64_MOVW_SABS_G0", MOVN[0], 0, 0xD2800005),
    ("R_AARCH64_MOVW_SABS_G1", MOVZ[1], 0x12345678, 0xD2A24685),
    ("R_AARCH64_MOVW_SABS_G1", MOVZ[1], -0x12345679, 0x92A24685),
    ("R_AARCH64_MOVW_SABS_G1", MOVZ[1], -0x10000, 0x92A00005),
    ("R_AARCH64_MOVW_SABS_G1", MOVZ[1], 0xFFFFFFFF, 0xD2BFFFE5),   # 2^32 - 1
    ("R_AARCH64_MOVW_SABS_G1", MOVZ[1], -0x100000000, 0x92BFFFE5),  # -2^32
    ("R_AARCH64_MOVW_SABS_G2", MOVZ[2], 0x123400000000, 0xD2C24685),
    ("R_AARCH64_MOVW_SABS_G2", MOVZ[2], -1, 0x92C00005),
    ("R_AARCH64_MOVW_SABS_G2", MOVZ[2], 0xFFFFFFFFFFFF, 0xD2DFFFE5),
    ("R_AARCH64_MOVW_SABS_G2", MOVZ[2], -0x1000000000000, 0x92DFFFE5),
    ("R_AARCH64_MOVW_PREL_G0", MOVZ[0], 0x1234, 0xD2824685),
    ("R_AARCH64_MOVW_PREL_G0", MOVN[0], -0x1235, 0x92824685),
    ("R_AARCH64_MOVW_PREL_G0", MOVZ[0], -0x10000, 0x929FFFE5),
    ("R_AARCH64_MOVW_PREL_G0", MOVK[0], -1, 0xF29FFFE5),           # MOVK stays MOVK (as lld)
    ("R_AARCH64_MOVW_PREL_G0_NC", MOVK[0], -0x1235, 0xF29DB965),   # 0xEDCB
    ("R_AARCH64_MOVW_PREL_G1", MOVZ[1], -0x12345679, 0x92A24685),
    ("R_AARCH64_MOVW_PREL_G1", MOVZ[1], 0xFFFFFFFF, 0xD2BFFFE5),
    ("R_AARCH64_MOVW_PREL_G1_NC", MOVK[1], -0x12345679, 0xF2BDB965),  # 0xEDCB
    ("R_AARCH64_MOVW_PREL_G2", MOVZ[2], -1, 0x92C00005),
    ("R_AARCH64_MOVW_PREL_G2", MOVZ[2], -0x1000000000000, 0x92DFFFE5),
    ("R_AARCH64_MOVW_PREL_G2_NC", MOVK[2], 0xDEADBEEF12345678, 0xF2D7DDE5),
    ("R_AARCH64_MOVW_PREL_G3", MOVZ[3], 0x1234000000000000, 0xD2E24685),
    ("R_AARCH64_MOVW_PREL_G3", MOVZ[3], -1, 0x92E00005),
    ("R_AARCH64_MOVW_PREL_G3", MOVZ[3], -0x1234000000000001, 0x92E24685),
]


@pytest.mark.parametrize("name,template,value,expected", ENCODED,
                         ids=[f"{n[10:]}-{v:#x}" for n, _, v, _ in ENCODED])
def test_encode_by_hand(name, template, value, expected):
    assert apply(name, template, value) == expected


# Data words: (name, value, expected little-endian bytes)
DATA = [
    ("R_AARCH64_ABS64", 0x1122334455667788, bytes.fromhex("8877665544332211")),
    ("R_AARCH64_ABS64", -1, b"\xff" * 8),
    ("R_AARCH64_PREL64", -8, bytes.fromhex("f8ffffffffffffff")),
    ("R_AARCH64_PREL64", 0x7FFF12345678, bytes.fromhex("78563412ff7f0000")),
    ("R_AARCH64_ABS32", 0xFFFFFFFF, b"\xff\xff\xff\xff"),     # largest: 2^32 - 1
    ("R_AARCH64_ABS32", -0x80000000, b"\x00\x00\x00\x80"),    # smallest: -2^31
    ("R_AARCH64_ABS32", 0x12345678, bytes.fromhex("78563412")),
    ("R_AARCH64_PREL32", 0xFFFFFFFF, b"\xff\xff\xff\xff"),
    ("R_AARCH64_PREL32", -0x80000000, b"\x00\x00\x00\x80"),
    ("R_AARCH64_PREL32", -4, bytes.fromhex("fcffffff")),
    ("R_AARCH64_PLT32", 0x7FFFFFFF, bytes.fromhex("ffffff7f")),  # largest: 2^31 - 1
    ("R_AARCH64_PLT32", -0x80000000, bytes.fromhex("00000080")),
    ("R_AARCH64_PLT32", -4, bytes.fromhex("fcffffff")),
    ("R_AARCH64_ABS16", 0xFFFF, b"\xff\xff"),
    ("R_AARCH64_ABS16", -0x8000, b"\x00\x80"),
    ("R_AARCH64_ABS16", 0x1234, b"\x34\x12"),
    ("R_AARCH64_PREL16", 0xFFFF, b"\xff\xff"),
    ("R_AARCH64_PREL16", -0x8000, b"\x00\x80"),
    ("R_AARCH64_PREL16", -2, b"\xfe\xff"),
]


@pytest.mark.parametrize("name,value,expected", DATA, ids=[f"{n[10:]}-{v:#x}" for n, v, _ in DATA])
def test_data_words(name, value, expected):
    f = BY_NAME[name].field
    assert f.size == len(expected)
    assert f.fits(value)
    assert f.encode(int.from_bytes(b"\xaa" * f.size, "little"), value).to_bytes(f.size, "little") == expected


# --- one past each edge, misalignment, _NC forms --------------------------------

OUT_OF_RANGE = [
    ("R_AARCH64_ABS32", [0x100000000, -0x80000001]),
    ("R_AARCH64_PREL32", [0x100000000, -0x80000001]),
    ("R_AARCH64_ABS16", [0x10000, -0x8001]),
    ("R_AARCH64_PREL16", [0x10000, -0x8001]),
    ("R_AARCH64_PLT32", [0x80000000, -0x80000001]),
    ("R_AARCH64_CALL26", [0x8000000, -0x8000004, 2, 0x7FFFFFD, -0x7FFFFFF]),
    ("R_AARCH64_JUMP26", [0x8000000, -0x8000004, 1]),
    ("R_AARCH64_CONDBR19", [0x100000, -0x100004, 2]),
    ("R_AARCH64_LD_PREL_LO19", [0x100000, -0x100004, 6]),
    ("R_AARCH64_TSTBR14", [0x8000, -0x8004, 2]),
    ("R_AARCH64_ADR_PREL_LO21", [0x100000, -0x100001]),
    ("R_AARCH64_ADR_PREL_PG_HI21", [0x100000000, -0x100001000, 0x800]),
    ("R_AARCH64_ADR_GOT_PAGE", [0x100000000, -0x100001000, 0x800]),
    ("R_AARCH64_LDST16_ABS_LO12_NC", [1, 0x1001, -1]),
    ("R_AARCH64_LDST32_ABS_LO12_NC", [2, 0x1002, 0xFFE]),
    ("R_AARCH64_LDST64_ABS_LO12_NC", [4, 0x1004, 0xFFC]),
    ("R_AARCH64_LDST128_ABS_LO12_NC", [8, 0x1008, 0xFF8]),
    ("R_AARCH64_LD64_GOT_LO12_NC", [4, 0x123454]),
    ("R_AARCH64_LD64_GOTPAGE_LO15", [0x8000, -8, 4, 0x7FFC]),
    ("R_AARCH64_MOVW_UABS_G0", [0x10000, -1]),
    ("R_AARCH64_MOVW_UABS_G1", [0x100000000, -1]),
    ("R_AARCH64_MOVW_UABS_G2", [0x1000000000000, -1]),
    ("R_AARCH64_MOVW_SABS_G0", [0x10000, -0x10001]),
    ("R_AARCH64_MOVW_SABS_G1", [0x100000000, -0x100000001]),
    ("R_AARCH64_MOVW_SABS_G2", [0x1000000000000, -0x1000000000001]),
    ("R_AARCH64_MOVW_PREL_G0", [0x10000, -0x10001]),
    ("R_AARCH64_MOVW_PREL_G1", [0x100000000, -0x100000001]),
    ("R_AARCH64_MOVW_PREL_G2", [0x1000000000000, -0x1000000000001]),
]


@pytest.mark.parametrize("name,values", OUT_OF_RANGE, ids=[n[10:] for n, _ in OUT_OF_RANGE])
def test_one_past_the_edge(name, values):
    for v in values:
        assert not fits(name, v), f"{name} should reject {v:#x}"


UNCHECKED = ["R_AARCH64_ABS64", "R_AARCH64_PREL64", "R_AARCH64_ADR_PREL_PG_HI21_NC",
             "R_AARCH64_ADD_ABS_LO12_NC", "R_AARCH64_LDST8_ABS_LO12_NC",
             "R_AARCH64_MOVW_UABS_G0_NC", "R_AARCH64_MOVW_UABS_G1_NC", "R_AARCH64_MOVW_UABS_G2_NC",
             "R_AARCH64_MOVW_UABS_G3", "R_AARCH64_MOVW_PREL_G0_NC", "R_AARCH64_MOVW_PREL_G1_NC",
             "R_AARCH64_MOVW_PREL_G2_NC", "R_AARCH64_MOVW_PREL_G3"]


@pytest.mark.parametrize("name", UNCHECKED, ids=[n[10:] for n in UNCHECKED])
def test_nc_forms_accept_anything(name):
    f = BY_NAME[name].field
    assert f.lo is None
    for v in (0, 1, -1, 0x7FFFFFFF_FFFFFFFF, -(1 << 63), (1 << 64) - 1, 1 << 70, -(1 << 70), 0x123456789):
        if name == "R_AARCH64_ADR_PREL_PG_HI21_NC":
            v &= ~0xFFF   # its value is a page difference; no range check
        assert f.fits(v), (name, v)
        f.encode(0xD2800005, v)   # and encoding does not raise


def test_lo12_alignment_is_on_the_whole_value():
    # The low-12 forms check only alignment, which only the low bits decide.
    for name, size in (("R_AARCH64_LDST16_ABS_LO12_NC", 2), ("R_AARCH64_LDST32_ABS_LO12_NC", 4),
                       ("R_AARCH64_LDST64_ABS_LO12_NC", 8), ("R_AARCH64_LDST128_ABS_LO12_NC", 16),
                       ("R_AARCH64_LD64_GOT_LO12_NC", 8)):
        f = BY_NAME[name].field
        assert f.lo is None and f.align == size
        assert f.fits(0x7FFF_FFFF_F000 + size) and f.fits(-size)
        assert not f.fits(0x7FFF_FFFF_F000 + size // 2)


# --- capstone cross-checks ------------------------------------------------------

CS = capstone.Cs(capstone.CS_ARCH_ARM64, capstone.CS_MODE_ARM)

DISASM = [
    ("R_AARCH64_CALL26", BL, 0x1000, "bl #0x1000"),
    ("R_AARCH64_CALL26", BL, -0x8000000, "bl #0xfffffffff8000000"),
    ("R_AARCH64_JUMP26", B, 8, "b #8"),
    ("R_AARCH64_CONDBR19", B_NE, 8, "b.ne #8"),
    ("R_AARCH64_LD_PREL_LO19", LDR_LIT, 0x100, "ldr x9, #0x100"),
    ("R_AARCH64_TSTBR14", TBZ, 0x10, "tbz w1, #3, #0x10"),
    ("R_AARCH64_ADR_PREL_LO21", ADR_X7, 0x1234, "adr x7, #0x1234"),
    ("R_AARCH64_ADR_PREL_PG_HI21", ADRP_X3, 0x5000, "adrp x3, #0x5000"),
    ("R_AARCH64_ADD_ABS_LO12_NC", ADD_X3, 0x12345678, "add x3, x3, #0x678"),
    ("R_AARCH64_LDST8_ABS_LO12_NC", LDRB, 0xFFF, "ldrb w1, [x2, #0xfff]"),
    ("R_AARCH64_LDST16_ABS_LO12_NC", LDRH, 0xFFE, "ldrh w1, [x2, #0xffe]"),
    ("R_AARCH64_LDST64_ABS_LO12_NC", LDR_X, 0xFF8, "ldr x1, [x2, #0xff8]"),
    ("R_AARCH64_LDST128_ABS_LO12_NC", LDR_Q, 0xFF0, "ldr q1, [x2, #0xff0]"),
    ("R_AARCH64_MOVW_SABS_G0", MOVZ[0], 0x1234, "mov x5, #0x1234"),
    ("R_AARCH64_MOVW_SABS_G0", MOVZ[0], -0x1235, "mov x5, #-0x1235"),
    ("R_AARCH64_MOVW_UABS_G1_NC", MOVK[1], 0x123456789ABCD, "movk x5, #0x6789, lsl #16"),
]


@pytest.mark.parametrize("name,template,value,text", DISASM, ids=[t for *_, t in DISASM])
def test_capstone_agrees(name, template, value, text):
    insn = next(CS.disasm(struct.pack("<I", apply(name, template, value)), 0))
    assert f"{insn.mnemonic} {insn.op_str}" == text


# --- decoders (independent of the module) and the round-trip property -----------

def sext(v: int, bits: int) -> int:
    v &= (1 << bits) - 1
    return v - (1 << bits) if v >> (bits - 1) else v


def dec_b26(w):
    return sext(w & 0x3FFFFFF, 26) << 2


def dec_19(w):
    return sext((w >> 5) & 0x7FFFF, 19) << 2


def dec_14(w):
    return sext((w >> 5) & 0x3FFF, 14) << 2


def dec_adr(w):
    return sext((((w >> 5) & 0x7FFFF) << 2) | ((w >> 29) & 3), 21)


def dec_imm12(w):
    return (w >> 10) & 0xFFF


def dec_ldst(w):
    """imm12 scaled by the access size in bits 30-31 (and opc bit 23 for q)."""
    scale = w >> 30
    if (w >> 26) & 1 and (w >> 23) & 1:   # SIMD&FP with opc<1> set: 128-bit
        scale = 4
    return dec_imm12(w) << scale


M64 = (1 << 64) - 1


def run_mov(w: int, reg: int = 0) -> int:
    """Execute one MOVN/MOVZ/MOVK on a 64-bit register."""
    imm, sh, opc = (w >> 5) & 0xFFFF, 16 * ((w >> 21) & 3), (w >> 29) & 3
    if opc == 0b10:
        return imm << sh
    if opc == 0b00:
        return ~(imm << sh) & M64
    assert opc == 0b11
    return (reg & ~(0xFFFF << sh) & M64) | (imm << sh)


def _rows():
    """(name, template, decode(word), expected(value)) for every row with a field."""
    rows = [
        ("R_AARCH64_CALL26", BL, dec_b26, None),
        ("R_AARCH64_JUMP26", B, dec_b26, None),
        ("R_AARCH64_CONDBR19", B_NE, dec_19, None),
        ("R_AARCH64_LD_PREL_LO19", LDR_LIT, dec_19, None),
        ("R_AARCH64_TSTBR14", TBZ, dec_14, None),
        ("R_AARCH64_ADR_PREL_LO21", ADR_X7, dec_adr, None),
        ("R_AARCH64_ADR_PREL_PG_HI21", ADRP_X3, lambda w: dec_adr(w) << 12, None),
        ("R_AARCH64_ADR_GOT_PAGE", ADRP_X3, lambda w: dec_adr(w) << 12, None),
        ("R_AARCH64_ADR_PREL_PG_HI21_NC", ADRP_X3, lambda w: dec_adr(w) << 12, lambda v: sext(v, 33)),
        ("R_AARCH64_ADD_ABS_LO12_NC", ADD_X3, dec_imm12, lambda v: v & 0xFFF),
        ("R_AARCH64_LDST8_ABS_LO12_NC", LDRB, dec_ldst, lambda v: v & 0xFFF),
        ("R_AARCH64_LDST16_ABS_LO12_NC", LDRH, dec_ldst, lambda v: v & 0xFFF),
        ("R_AARCH64_LDST32_ABS_LO12_NC", LDR_W, dec_ldst, lambda v: v & 0xFFF),
        ("R_AARCH64_LDST64_ABS_LO12_NC", LDR_X, dec_ldst, lambda v: v & 0xFFF),
        ("R_AARCH64_LDST128_ABS_LO12_NC", LDR_Q, dec_ldst, lambda v: v & 0xFFF),
        ("R_AARCH64_LD64_GOT_LO12_NC", LDR_X, dec_ldst, lambda v: v & 0xFFF),
        ("R_AARCH64_LD64_GOTPAGE_LO15", LDR_X, lambda w: dec_imm12(w) << 3, None),
        # thread-local storage: the same fields with TP-relative and TLS GOT values
        ("R_AARCH64_TLSLE_ADD_TPREL_HI12", ADD_X3 | (1 << 22), lambda w: dec_imm12(w) << 12,
         lambda v: v & 0xFFF000),
        ("R_AARCH64_TLSLE_ADD_TPREL_LO12_NC", ADD_X3, dec_imm12, lambda v: v & 0xFFF),
        ("R_AARCH64_TLSDESC_ADD_LO12", ADD_X3, dec_imm12, lambda v: v & 0xFFF),
        ("R_AARCH64_TLSLE_LDST8_TPREL_LO12_NC", LDRB, dec_ldst, lambda v: v & 0xFFF),
        ("R_AARCH64_TLSLE_LDST16_TPREL_LO12_NC", LDRH, dec_ldst, lambda v: v & 0xFFF),
        ("R_AARCH64_TLSLE_LDST32_TPREL_LO12_NC", LDR_W, dec_ldst, lambda v: v & 0xFFF),
        ("R_AARCH64_TLSLE_LDST64_TPREL_LO12_NC", LDR_X, dec_ldst, lambda v: v & 0xFFF),
        ("R_AARCH64_TLSLE_LDST128_TPREL_LO12_NC", LDR_Q, dec_ldst, lambda v: v & 0xFFF),
        ("R_AARCH64_TLSIE_LD64_GOTTPREL_LO12_NC", LDR_X, dec_ldst, lambda v: v & 0xFFF),
        ("R_AARCH64_TLSDESC_LD64_LO12", LDR_X, dec_ldst, lambda v: v & 0xFFF),
        ("R_AARCH64_TLSIE_ADR_GOTTPREL_PAGE21", ADRP_X3, lambda w: dec_adr(w) << 12, None),
        ("R_AARCH64_TLSDESC_ADR_PAGE21", ADRP_X3, lambda w: dec_adr(w) << 12, None),
    ]
    for n in range(4):
        # A lone MOVZ/MOVK leaves X's chunk in place; compare bits [16n+15:16n].
        chunk = (lambda n: lambda v: (v >> (16 * n)) & 0xFFFF)(n)
        dec = (lambda n: lambda w: run_mov(w) >> (16 * n) & 0xFFFF)(n)
        if n < 3:
            rows.append((f"R_AARCH64_MOVW_UABS_G{n}", MOVZ[n], dec, chunk))
            rows.append((f"R_AARCH64_MOVW_UABS_G{n}_NC", MOVK[n], dec, chunk))
            rows.append((f"R_AARCH64_MOVW_PREL_G{n}_NC", MOVK[n], dec, chunk))
        else:
            rows.append(("R_AARCH64_MOVW_UABS_G3", MOVZ[3], dec, chunk))
        # MOVZ/MOVN gives X's bits from 16n up (above 16n+16 by sign extension).
        top = (lambda n: lambda w: run_mov(w) >> (16 * n))(n)
        want = (lambda n: lambda v: (v & M64) >> (16 * n))(n)
        for kind in ("SABS", "PREL") if n < 3 else ("PREL",):
            rows.append((f"R_AARCH64_MOVW_{kind}_G{n}", MOVN[n] if n % 2 else MOVZ[n], top, want))
        if n < 3:
            rows.append((f"R_AARCH64_TLSLE_MOVW_TPREL_G{n}", MOVN[n] if n % 2 else MOVZ[n], top, want))
        if n < 2:
            rows.append((f"R_AARCH64_TLSLE_MOVW_TPREL_G{n}_NC", MOVK[n], dec, chunk))
    for name, size in (("ABS64", 8), ("PREL64", 8), ("ABS32", 4), ("PREL32", 4), ("PLT32", 4),
                       ("ABS16", 2), ("PREL16", 2)):
        mask = (1 << (8 * size)) - 1
        rows.append((f"R_AARCH64_{name}", 0, (lambda w: w), (lambda m: lambda v: v & m)(mask)))
    return rows


ROWS = _rows()


def test_property_rows_cover_the_table():
    assert {r[0] for r in ROWS} == {h.name for h in RELOCATIONS.values() if h.field is not None}


def in_range(field):
    a = field.align
    if field.lo is None:
        return st.integers(-(1 << 66), 1 << 66).map(lambda k: k * a)
    return st.integers(-((-field.lo) // a), (field.hi - 1) // a).map(lambda k: k * a)


@pytest.mark.parametrize("name,template,decode,expect", ROWS, ids=[r[0][10:] for r in ROWS])
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_round_trip(name, template, decode, expect, data):
    f = BY_NAME[name].field
    value = data.draw(in_range(f), label="value")
    if name == "R_AARCH64_ADR_PREL_PG_HI21_NC":
        value &= ~0xFFF
    assert f.fits(value)
    w = apply(name, template, value)
    assert decode(w) == (expect(value) if expect else value)
    if not f.name.startswith("word"):
        # Only the field's bits changed: the register, opcode, cond, bit number stay.
        keep = {"B": 0xFC000000, "C": 0xFF00001F, "T": 0xFFF8001F, "A": 0x9F00001F,
                "I": 0xFFC003FF, "M": 0xBFE0001F}[_kind(name)]
        assert w & keep == template & keep


def _kind(name):
    if name.endswith(("CALL26", "JUMP26")):
        return "B"
    if name.endswith(("CONDBR19", "LD_PREL_LO19")):
        return "C"
    if name.endswith("TSTBR14"):
        return "T"
    if "ADR" in name:
        return "A"
    if "MOVW" in name:
        return "M"   # bit 30 (MOVZ/MOVN) may flip; checked below
    return "I"


@settings(max_examples=300, deadline=None)
@given(st.integers(-(1 << 63), (1 << 64) - 1), st.sampled_from(["SABS", "PREL", "UABS"]))
def test_movw_sequences_build_the_value(value, kind):
    """MOV[ZN] G_top, then MOVK G_n_NC down to G0: the register ends up X mod 2^64."""
    top = {"SABS": 2, "PREL": 3, "UABS": 3}[kind]
    if kind == "SABS":
        value = sext(value, 49)              # SABS_G2 takes [-2^48, 2^48)
    if kind == "UABS":
        value &= M64
    first = f"R_AARCH64_MOVW_{kind}_G{top}"
    reg = run_mov(apply(first, MOVZ[top], value))
    for n in range(top - 1, -1, -1):
        nc = f"R_AARCH64_MOVW_{'PREL' if kind == 'PREL' else 'UABS'}_G{n}_NC"
        reg = run_mov(apply(nc, MOVK[n], value), reg)
    assert reg == value & M64


@settings(max_examples=300, deadline=None)
@given(st.integers(0, (1 << 48) - 1), st.integers(-(1 << 32), (1 << 32) - 1))
def test_adrp_add_pair_reaches_the_symbol(p, delta):
    """ADRP (Page(S) - Page(P)) then ADD :lo12: gives S, the pair lld writes for a PLT."""
    s = p + delta
    if not 0 <= s < 1 << 48:
        return
    page = (s & ~0xFFF) - (p & ~0xFFF)
    if not fits("R_AARCH64_ADR_PREL_PG_HI21", page):
        return
    adrp = apply("R_AARCH64_ADR_PREL_PG_HI21", ADRP_X3, page)
    add = apply("R_AARCH64_ADD_ABS_LO12_NC", ADD_X3, s)
    assert (p & ~0xFFF) + (dec_adr(adrp) << 12) + dec_imm12(add) == s


def test_movz_movn_switch_flips_only_bit_30():
    f = BY_NAME["R_AARCH64_MOVW_SABS_G1"].field
    for template in (MOVZ[1], MOVN[1]):
        assert f.encode(template, 5 << 16) >> 29 & 3 == 0b10       # MOVZ
        assert f.encode(template, -(5 << 16)) >> 29 & 3 == 0b00    # MOVN
        assert f.encode(template, -(5 << 16)) & 0x1F == 5          # Rd kept
        assert f.encode(template, -1) >> 31 == 1                   # sf kept (64-bit)
    w32 = 0x12A00005   # movn w5, #0, lsl #16 (sf = 0)
    assert f.encode(w32, 0x10000) == 0x52A00025                    # movz w5, #1, lsl #16
