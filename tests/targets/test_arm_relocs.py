"""The ARM / Thumb-2 relocation table (targets/arm_relocs.py).

Expected words are written out by hand from the encodings in the Arm ARM and
aaelf32 section 5.6; a sample is cross-checked with capstone, and Hypothesis
checks that every branch and MOVW/MOVT field round-trips through its addend
reader and leaves the other bits of the instruction alone.

Real instruction words used below (as `llvm-mc -triple=armv7` emits them, with
their relocation): ARM `bl f` 0xebfffffe (CALL), `b f` 0xeafffffe and `bne f`
0x1afffffe (JUMP24), `blx g` 0xfafffffe (CALL), `movw r0, #0` 0xe3000000,
`movt r0, #0` 0xe3400000; Thumb `bl` f7ff fffe -> word 0xfffef7ff, `blx`
f7ff effe -> 0xeffef7ff, `b.w` f7ff bffe -> 0xbffef7ff, `beq.w` f43f affe ->
0xaffef43f, `bne.w` f47f affe -> 0xaffef47f, `movw r0, #0` f240 0000 ->
0x0000f240, `movt r0, #0` f2c0 0000 -> 0x0000f2c0, `b.n .` e7fe, `beq.n .`
d0fe, `cbz r0` b100.
"""
from __future__ import annotations

import sys
from pathlib import Path

import capstone
import pytest
from elftools.elf.enums import ENUM_RELOC_TYPE_ARM
from hypothesis import given, settings
from hypothesis import strategies as st

# No tests/targets/__init__.py on purpose: it would make this directory the
# `targets` package and shadow the real one.  Put the repository root first.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from targets import arm_relocs as R  # noqa: E402
from targets.base import Expr  # noqa: E402

ROWS = {h.name[len("R_ARM_"):]: h for h in R.RELOCATIONS.values()}
FIELD_ROWS = sorted(n for n, h in ROWS.items() if h.field is not None)

_ARM = capstone.Cs(capstone.CS_ARCH_ARM, capstone.CS_MODE_ARM)
_THUMB = capstone.Cs(capstone.CS_ARCH_ARM, capstone.CS_MODE_THUMB)
_ARM.detail = _THUMB.detail = True


def field(name):
    return ROWS[name].field


def apply(name, word, value):
    """What the linker does: prepare, check, encode."""
    f = field(name)
    if f.prepare is not None:
        value = f.prepare(value)
    assert f.fits(value), (name, hex(value))
    return f.encode(word, value)


def dis(word, thumb=False, address=0, size=4):
    """(mnemonic, op_str) of the one instruction in `word`."""
    md = _THUMB if thumb else _ARM
    insns = list(md.disasm(word.to_bytes(size, "little"), address))
    assert len(insns) == 1, (hex(word), insns)
    return insns[0].mnemonic, insns[0].op_str


def branch_target(word, thumb, address, size=4):
    md = _THUMB if thumb else _ARM
    insn = next(md.disasm(word.to_bytes(size, "little"), address))
    return insn.mnemonic, insn.operands[-1].imm


# ---------------------------------------------------------------------------
# The table itself
# ---------------------------------------------------------------------------

EXPECTED_ROWS = {
    # name: (expr, thumb_bit, stub_state, same_state)
    "NONE": (Expr.NONE, False, None, False),
    "V4BX": (Expr.NONE, False, None, False),
    "ABS32": (Expr.ABS, True, None, False),
    "REL32": (Expr.PC, True, None, False),
    "PREL31": (Expr.PC, True, None, False),
    "TARGET1": (Expr.ABS, True, None, False),
    "TARGET2": (Expr.GOT_PC, False, None, False),
    "ABS16": (Expr.ABS, False, None, False),
    "ABS8": (Expr.ABS, False, None, False),
    "GOT_PREL": (Expr.GOT_PC, False, None, False),
    "BASE_PREL": (Expr.GOT_BASE_PC, False, None, False),
    "GOT_BREL": (Expr.GOT_REL, False, None, False),
    "GOTOFF32": (Expr.GOT_OFF, True, None, False),
    "CALL": (Expr.BRANCH, True, "arm", False),
    "JUMP24": (Expr.BRANCH, True, "arm", True),
    "PC24": (Expr.BRANCH, True, "arm", True),
    "MOVW_ABS_NC": (Expr.ABS, True, None, False),
    "MOVT_ABS": (Expr.ABS, False, None, False),
    "MOVW_PREL_NC": (Expr.PC, True, None, False),
    "MOVT_PREL": (Expr.PC, False, None, False),
    "THM_CALL": (Expr.BRANCH, True, "thumb", False),
    "THM_JUMP24": (Expr.BRANCH, True, "thumb", True),
    "THM_JUMP19": (Expr.BRANCH, True, "thumb", True),
    "THM_JUMP11": (Expr.PC, False, None, False),
    "THM_JUMP8": (Expr.PC, False, None, False),
    "THM_JUMP6": (Expr.PC, False, None, False),
    "THM_MOVW_ABS_NC": (Expr.ABS, True, None, False),
    "THM_MOVT_ABS": (Expr.ABS, False, None, False),
    "THM_MOVW_PREL_NC": (Expr.PC, True, None, False),
    "THM_MOVT_PREL": (Expr.PC, False, None, False),
    # thread-local storage (tests/test_tls.py runs them)
    "TLS_LE32": (Expr.TPREL, False, None, False),
    "TLS_IE32": (Expr.GOTTP_PC, False, None, False),
    "TLS_GD32": (Expr.TLSGD_PC, False, None, False),
    "TLS_LDM32": (Expr.TLSLD_PC, False, None, False),
    "TLS_LDO32": (Expr.DTPREL, False, None, False),
}


def test_table_has_exactly_the_expected_rows():
    assert set(ROWS) == set(EXPECTED_ROWS)


@pytest.mark.parametrize("name", sorted(EXPECTED_ROWS))
def test_row_attributes(name):
    h = ROWS[name]
    assert h.type == ENUM_RELOC_TYPE_ARM["R_ARM_" + name]
    assert R.RELOCATIONS[h.type] is h
    assert (h.expr, h.thumb_bit, h.stub_state, h.same_state) == EXPECTED_ROWS[name]
    assert h.doc
    if h.expr is Expr.NONE:
        assert h.field is None
    else:
        assert h.field is not None and h.field.addend is not None   # REL: every field reads its addend


def test_type_numbers_spot_check():
    # aaelf32 relocation codes table.
    assert {n: ROWS[n].type for n in ("PC24", "ABS32", "THM_CALL", "CALL", "PREL31", "THM_JUMP6",
                                      "GOT_PREL", "THM_JUMP11", "THM_JUMP8")} == {
        "PC24": 1, "ABS32": 2, "THM_CALL": 10, "CALL": 28, "PREL31": 42, "THM_JUMP6": 52,
        "GOT_PREL": 96, "THM_JUMP11": 102, "THM_JUMP8": 103}


@pytest.mark.parametrize("name,size", [
    ("THM_JUMP11", 2), ("THM_JUMP8", 2), ("THM_JUMP6", 2), ("ABS16", 2), ("ABS8", 1),
    ("THM_CALL", 4), ("THM_JUMP24", 4), ("THM_JUMP19", 4), ("THM_MOVW_ABS_NC", 4), ("CALL", 4),
    ("ABS32", 4), ("PREL31", 4),
])
def test_field_sizes(name, size):
    assert field(name).size == size


# ---------------------------------------------------------------------------
# Encodings: every row with a field, expected words worked out by hand
# ---------------------------------------------------------------------------

ENCODINGS = [
    # Data words (masked to their size).
    ("ABS32", 0, 0x12345679, 0x12345679),
    ("ABS32", 0xDEADBEEF, -4, 0xFFFFFFFC),
    ("REL32", 0, -0x10, 0xFFFFFFF0),
    ("REL32", 0, -0xFFFFE000, 0x00002000),              # > 2 GiB back: exact modulo 2**32
    ("PREL31", 0x80000000, 0x100, 0x80000100),          # bit 31 kept
    ("PREL31", 0, -4, 0x7FFFFFFC),
    ("TARGET1", 0, 0x8001, 0x8001),
    ("TARGET2", 0, 0x40, 0x40),
    ("ABS16", 0, 0xFFF0, 0xFFF0),
    ("ABS16", 0, -2, 0xFFFE),
    ("ABS8", 0, 0xF0, 0xF0),
    ("ABS8", 0, -1, 0xFF),
    ("GOT_PREL", 0, -8, 0xFFFFFFF8),
    ("BASE_PREL", 0, 0x1234, 0x1234),
    ("GOT_BREL", 0, 0xC, 0xC),
    ("GOTOFF32", 0, -0x1001, 0xFFFFEFFF),
    # A32 BL/BLX: imm24 = value >> 2; T=1 -> 0xfa | H << 24 | imm24.
    ("CALL", 0xEBFFFFFE, 0x1000 - 8, 0xEB0003FE),
    ("CALL", 0xEBFFFFFE, 0x1000 - 8 + 1, 0xFA0003FE),     # Thumb target: BL -> BLX, H = 0
    ("CALL", 0xEBFFFFFE, 0x1002 - 8 + 1, 0xFB0003FE),     # H = 1
    ("CALL", 0xFAFFFFFE, 0x2000 - 8, 0xEB0007FE),         # ARM target: BLX -> BL (cond AL)
    ("CALL", 0xFAFFFFFE, 0x2000 - 8 + 1, 0xFA0007FE),     # BLX stays BLX
    ("CALL", 0x0BFFFFFE, 0x1000 - 8, 0x0B0003FE),         # bleq: condition kept
    # A32 B / BL<cond>.
    ("JUMP24", 0xEAFFFFFE, 0x1000 - 8, 0xEA0003FE),
    ("JUMP24", 0x1AFFFFFE, -0x10, 0x1AFFFFFC),            # bne: condition kept
    ("PC24", 0xEAFFFFFE, 0x8, 0xEA000002),
    ("PC24", 0xEBFFFFFE, -0x2000000, 0xEB800000),
    # A32 MOVW/MOVT: imm4 in bits 19-16, imm12 in bits 11-0.
    ("MOVW_ABS_NC", 0xE3000000, 0x1234, 0xE3010234),
    ("MOVW_ABS_NC", 0xE3005000, 0x8765ABCD, 0xE30A5BCD),  # r5 kept, top half dropped
    ("MOVT_ABS", 0xE3400000, 0x12345678, 0xE3410234),
    ("MOVT_ABS", 0xE3405000, 0xABCD1234, 0xE34A5BCD),
    ("MOVW_PREL_NC", 0xE3000000, -8, 0xE30F0FF8),
    ("MOVT_PREL", 0xE3400000, -8, 0xE34F0FFF),
    # T32 BL/BLX: word = hw2 << 16 | hw1.
    ("THM_CALL", 0xFFFEF7FF, 0x1000 - 4 + 1, 0xFFFEF000),   # Thumb target: BL
    ("THM_CALL", 0xFFFEF7FF, 0x1000 - 4, 0xEFFEF000),       # ARM target: BL -> BLX
    ("THM_CALL", 0xFFFEF7FF, 0x1000 - 2 - 4, 0xEFFEF000),   # from P = 2: rounded up to 0xffc
    ("THM_CALL", 0xEFFEF7FF, 0x1000 - 4 + 1, 0xFFFEF000),   # BLX -> BL
    ("THM_CALL", 0xFFFEF7FF, -0x1000000 + 1, 0xD000F400),   # S=1, I1=I2=0 -> J1=J2=0
    # T32 B.W (bit 0 = T ignored).
    ("THM_JUMP24", 0xBFFEF7FF, 0x1000 - 4 + 1, 0xBFFEF000),
    ("THM_JUMP24", 0xBFFEF7FF, -0x1000000, 0x9000F400),
    ("THM_JUMP24", 0xBFFEF7FF, 0xFFFFFE, 0x97FFF3FF),
    # T32 B<cond>.W: S:J2:J1:imm6:imm11, condition kept.
    ("THM_JUMP19", 0xAFFEF43F, 0x1000 - 4, 0x87FEF000),
    ("THM_JUMP19", 0xAFFEF47F, -0x100000, 0x8000F440),
    ("THM_JUMP19", 0xAFFEF47F, 0xFFFFE, 0xAFFFF07F),
    ("THM_JUMP19", 0xAFFEF43F, 0x1000 - 4 + 1, 0x87FEF000),  # T ignored
    # T16 branches.
    ("THM_JUMP11", 0xE7FE, 0x100 - 4, 0xE07E),
    ("THM_JUMP11", 0xE7FE, -0x800, 0xE400),
    ("THM_JUMP11", 0xE7FE, 0x7FE, 0xE3FF),
    ("THM_JUMP8", 0xD0FE, 0x100 - 4, 0xD07E),
    ("THM_JUMP8", 0xD1FE, -0x100, 0xD180),
    ("THM_JUMP8", 0xD1FE, 0xFE, 0xD17F),
    ("THM_JUMP6", 0xB100, 0x20, 0xB180),
    ("THM_JUMP6", 0xB903, 0x7E, 0xBBFB),                    # cbnz r3: op and Rn kept
    ("THM_JUMP6", 0xB3F0, 0, 0xB100),
    # T32 MOVW/MOVT: imm4 = hw1[3:0], i = hw1[10], imm3 = hw2[14:12], imm8 = hw2[7:0].
    ("THM_MOVW_ABS_NC", 0x0000F240, 0x1234, 0x2034F241),
    ("THM_MOVW_ABS_NC", 0x0500F240, 0xABCD, 0x35CDF64A),    # r5 kept
    ("THM_MOVT_ABS", 0x0000F2C0, 0xABCD0000, 0x30CDF6CA),
    ("THM_MOVT_ABS", 0x0000F2C0, 0x12345678, 0x2034F2C1),
    ("THM_MOVW_PREL_NC", 0x0000F240, -4, 0x70FCF64F),
    ("THM_MOVT_PREL", 0x0000F2C0, -4, 0x70FFF6CF),
    # Thread-local words: the whole word, modulo 2**32.
    ("TLS_LE32", 0, 0x10, 0x10),
    ("TLS_IE32", 8, -0x1234, 0xFFFFEDCC),
    ("TLS_GD32", 0x30, 0x40, 0x40),
    ("TLS_LDM32", 0, -8, 0xFFFFFFF8),
    ("TLS_LDO32", 0, 0x7FFFFFFF, 0x7FFFFFFF),
]


def test_every_row_with_a_field_has_an_encoding_case():
    assert {case[0] for case in ENCODINGS} == set(FIELD_ROWS)


@pytest.mark.parametrize("name,word,value,expected", ENCODINGS,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(ENCODINGS)])
def test_encoding(name, word, value, expected):
    assert apply(name, word, value) == expected


# ---------------------------------------------------------------------------
# Capstone cross-checks
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("name,word,value,thumb,address,size,expected", [
    ("CALL", 0xEBFFFFFE, 0x1000 - 8, False, 0, 4, ("bl", "#0x1000")),
    ("CALL", 0xEBFFFFFE, 0x1000 - 8 + 1, False, 0, 4, ("blx", "#0x1000")),
    ("CALL", 0xEBFFFFFE, 0x1002 - 8 + 1, False, 0, 4, ("blx", "#0x1002")),
    ("CALL", 0xFAFFFFFE, 0x1000 - 8, False, 0, 4, ("bl", "#0x1000")),
    ("JUMP24", 0x1AFFFFFE, 0x1000 - 8, False, 0, 4, ("bne", "#0x1000")),
    ("PC24", 0xEAFFFFFE, 0x100 - 0x8000 - 8, False, 0x8000, 4, ("b", "#0x100")),
    ("MOVW_ABS_NC", 0xE3005000, 0x1234, False, 0, 4, ("movw", "r5, #0x1234")),
    ("MOVT_ABS", 0xE3400000, 0xABCD0000, False, 0, 4, ("movt", "r0, #0xabcd")),
    ("THM_CALL", 0xFFFEF7FF, 0x1000 - 4 + 1, True, 0, 4, ("bl", "#0x1000")),
    ("THM_CALL", 0xFFFEF7FF, 0x1000 - 4, True, 0, 4, ("blx", "#0x1000")),
    ("THM_CALL", 0xFFFEF7FF, 0x1000 - 2 - 4, True, 2, 4, ("blx", "#0x1000")),
    ("THM_CALL", 0xEFFEF7FF, 0x1000 - 4 + 1, True, 0, 4, ("bl", "#0x1000")),
    ("THM_JUMP24", 0xBFFEF7FF, -0x1000000, True, 0x2000000, 4, ("b.w", "#0x1000004")),
    ("THM_JUMP24", 0xBFFEF7FF, 0xFFFFFE, True, 0, 4, ("b.w", "#0x1000002")),
    ("THM_JUMP19", 0xAFFEF43F, 0x1000 - 4, True, 0, 4, ("beq.w", "#0x1000")),
    ("THM_JUMP19", 0xAFFEF47F, -0x100000, True, 0x200000, 4, ("bne.w", "#0x100004")),
    ("THM_JUMP11", 0xE7FE, 0x100 - 4, True, 0, 2, ("b", "#0x100")),
    ("THM_JUMP8", 0xD1FE, 0x100 - 4, True, 0, 2, ("bne", "#0x100")),
    ("THM_JUMP6", 0xB903, 0x7E, True, 0, 2, ("cbnz", "r3, #0x82")),
    ("THM_JUMP6", 0xB100, 0x20, True, 0, 2, ("cbz", "r0, #0x24")),
    ("THM_MOVW_ABS_NC", 0x0500F240, 0xABCD, True, 0, 4, ("movw", "r5, #0xabcd")),
    ("THM_MOVT_ABS", 0x0000F2C0, 0xABCD0000, True, 0, 4, ("movt", "r0, #0xabcd")),
])
def test_capstone_agrees(name, word, value, thumb, address, size, expected):
    assert dis(apply(name, word, value), thumb, address, size) == expected


# ---------------------------------------------------------------------------
# Implicit addends read from real instruction words
# ---------------------------------------------------------------------------

ADDENDS = [
    ("CALL", 0xEBFFFFFE, -8),              # bl .
    ("CALL", 0xFAFFFFFE, -8),              # blx . (H = 0)
    ("CALL", 0xFBFFFFFE, -6),              # blx with H = 1: imm24:H:0
    ("JUMP24", 0xEAFFFFFE, -8),            # b .
    ("JUMP24", 0x1AFFFFFE, -8),            # bne .
    ("PC24", 0xEA000010, 0x40),
    ("MOVW_ABS_NC", 0xE3010234, 0x1234),   # movw r0, #0x1234
    ("MOVW_ABS_NC", 0xE3000000, 0),
    ("MOVW_ABS_NC", 0xE3005010, 0x10),     # movw r5, #:lower16:f+0x10
    ("MOVW_PREL_NC", 0xE30F0FF8, -8),
    ("MOVT_ABS", 0xE3400000, 0),
    ("MOVT_ABS", 0xE34F0FFF, -1),          # imm16 sign-extended, as for MOVW
    ("MOVT_PREL", 0xE3478FFF, 0x7FFF),
    ("THM_CALL", 0xFFFEF7FF, -4),          # bl . (bytes ff f7 fe ff)
    ("THM_CALL", 0xEFFEF7FF, -4),          # blx .
    ("THM_CALL", 0xD000F400, -0x1000000),
    ("THM_JUMP24", 0xBFFEF7FF, -4),        # b.w .
    ("THM_JUMP24", 0x97FFF3FF, 0xFFFFFE),
    ("THM_JUMP24", 0xB7FFF3FF, 0x7FFFFE),  # I1 = 0 (J1 = 1, S = 0): lld's 24-bit sign-extension would fail here
    ("THM_JUMP19", 0xAFFEF43F, -4),        # beq.w .
    ("THM_JUMP19", 0x8000F440, -0x100000), # S = 1, J2 = 0: needs the 21-bit sign-extension
    ("THM_JUMP19", 0xAFFFF07F, 0xFFFFE),
    ("THM_JUMP11", 0xE7FE, -4),            # b.n .
    ("THM_JUMP11", 0xE400, -0x800),
    ("THM_JUMP8", 0xD0FE, -4),             # beq.n .
    ("THM_JUMP8", 0xD17F, 0xFE),
    ("THM_JUMP6", 0xB100, 0),              # cbz r0, (imm 0)
    ("THM_JUMP6", 0xB3F0, -4),             # imm 0x7c: aaelf32's ((imm + 4) & 0x7f) - 4
    ("THM_JUMP6", 0xB180, 0x20),
    ("THM_MOVW_ABS_NC", 0x0000F240, 0),
    ("THM_MOVW_ABS_NC", 0x2034F241, 0x1234),
    ("THM_MOVW_PREL_NC", 0x35CDF64A, 0xABCD - 0x10000),
    ("THM_MOVT_ABS", 0x0000F2C0, 0),
    ("THM_MOVT_PREL", 0x70FFF6CF, -1),
    ("ABS32", 0xFFFFFFF0, -16),
    ("ABS32", 0x7FFFFFFF, 0x7FFFFFFF),
    ("REL32", 0xFFFFFFFC, -4),
    ("TARGET1", 0x10, 0x10),
    ("TARGET2", 0xFFFFFFFF, -1),
    ("GOT_PREL", 0x8, 8),
    ("BASE_PREL", 0xFFFFFFF8, -8),
    ("GOT_BREL", 0, 0),
    ("GOTOFF32", 0x80000000, -0x80000000),
    ("ABS16", 0x8000, -0x8000),
    ("ABS16", 0x7FFF, 0x7FFF),
    ("ABS8", 0xF0, -16),                   # aaelf32's example: DCB 0xf0 -> -16
    ("PREL31", 0x7FFFFFFC, -4),
    ("PREL31", 0x80000010, 0x10),          # bit 31 is not part of the addend
    ("PREL31", 0x40000000, -0x40000000),
    ("TLS_LE32", 0, 0),
    ("TLS_IE32", 0x8, 8),                  # ldr rX, [pc, rY] at P - 8: the PC bias
    ("TLS_GD32", 0x1E, 0x1E),
    ("TLS_LDM32", 0xFFFFFFFC, -4),
    ("TLS_LDO32", 0x10, 0x10),
]


@pytest.mark.parametrize("name,word,addend", ADDENDS)
def test_implicit_addend(name, word, addend):
    assert field(name).addend(word) == addend


def test_every_row_with_a_field_has_an_addend_case():
    assert {case[0] for case in ADDENDS} == set(FIELD_ROWS)


# ---------------------------------------------------------------------------
# Range edges: the extremes encode and read back; one past them does not fit
# ---------------------------------------------------------------------------

EDGES = [
    # name, base word, smallest, largest, one below, one above, misaligned (or None)
    ("CALL", 0xEBFFFFFE, -(1 << 25), (1 << 25) - 4, -(1 << 25) - 1, 1 << 25, None),
    ("JUMP24", 0xEAFFFFFE, -(1 << 25), (1 << 25) - 4, -(1 << 25) - 4, 1 << 25, 2),
    ("PC24", 0xEAFFFFFE, -(1 << 25), (1 << 25) - 4, -(1 << 25) - 4, 1 << 25, 1),
    ("THM_CALL", 0xFFFEF7FF, -(1 << 24), (1 << 24) - 4, -(1 << 24) - 4, 1 << 24, None),
    ("THM_JUMP24", 0xBFFEF7FF, -(1 << 24), (1 << 24) - 2, -(1 << 24) - 2, 1 << 24, None),
    ("THM_JUMP19", 0xAFFEF43F, -(1 << 20), (1 << 20) - 2, -(1 << 20) - 2, 1 << 20, None),
    ("THM_JUMP11", 0xE7FE, -(1 << 11), (1 << 11) - 2, -(1 << 11) - 2, 1 << 11, 1),
    ("THM_JUMP8", 0xD0FE, -(1 << 8), (1 << 8) - 2, -(1 << 8) - 2, 1 << 8, 3),
    ("THM_JUMP6", 0xB100, 0, 126, -2, 128, 5),
    ("PREL31", 0, -(1 << 30), (1 << 30) - 1, -(1 << 30) - 1, 1 << 30, None),
    ("ABS16", 0, -(1 << 15), (1 << 16) - 1, -(1 << 15) - 1, 1 << 16, None),
    ("ABS8", 0, -(1 << 7), (1 << 8) - 1, -(1 << 7) - 1, 1 << 8, None),
]


def _prepared(f, v):
    return f.prepare(v) if f.prepare else v


@pytest.mark.parametrize("name,word,lo,hi,below,above,misaligned", EDGES, ids=[e[0] for e in EDGES])
def test_range_edges(name, word, lo, hi, below, above, misaligned):
    f = field(name)
    for v in (lo, hi):
        assert f.fits(_prepared(f, v)), hex(v)
        back = f.addend(f.encode(word, _prepared(f, v)))
        if name == "THM_JUMP6" and v >= 124:
            assert back == v - 128          # aaelf32's -4 bias convention: 124/126 read as -4/-2
        elif name in ("ABS16", "ABS8"):
            bits = 8 * f.size
            assert back % (1 << bits) == v % (1 << bits)   # either-signed: the bits come back
        else:
            assert back == v, (hex(v), hex(back))
    for v in (below, above):
        assert not f.fits(_prepared(f, v)), hex(v)
    if misaligned is not None:
        assert not f.fits(_prepared(f, misaligned))


def test_call_range_with_thumb_bit():
    # BLX values are odd; the largest reaches +32 MiB - 2 with H = 1.
    f = field("CALL")
    assert f.fits((1 << 25) - 1) and f.fits(-(1 << 25) + 1)
    assert f.encode(0xEBFFFFFE, (1 << 25) - 1) == 0xFB7FFFFF
    assert f.addend(0xFB7FFFFF) == (1 << 25) - 2


def test_thm_call_blx_rounding_can_leave_the_range():
    f = field("THM_CALL")
    assert f.prepare((1 << 24) - 2) == 1 << 24 and not f.fits(f.prepare((1 << 24) - 2))
    assert f.fits(f.prepare((1 << 24) - 1))          # odd: BL, not rounded
    assert f.prepare(-6) == -4 and f.prepare(-4) == -4 and f.prepare(-3) == -3


def test_thumb_branches_strip_the_thumb_bit():
    for name in ("THM_JUMP24", "THM_JUMP19"):
        f = field(name)
        assert f.prepare(0x101) == 0x100 and f.fits(f.prepare(0x101))
        assert f.prepare(-0xFF) == -0x100


def test_unchecked_fields():
    for name in ("MOVW_ABS_NC", "MOVT_ABS", "MOVW_PREL_NC", "MOVT_PREL", "THM_MOVW_ABS_NC",
                 "THM_MOVT_ABS", "THM_MOVW_PREL_NC", "THM_MOVT_PREL", "ABS32", "REL32", "TARGET1",
                 "TARGET2", "GOT_PREL", "BASE_PREL", "GOT_BREL", "GOTOFF32"):
        f = field(name)
        for v in (-(1 << 40), -1, 0, 0xFFFFFFFF, 1 << 40, 0x12345679):
            assert f.fits(v), (name, v)


# ---------------------------------------------------------------------------
# Interworking conversions, both states
# ---------------------------------------------------------------------------

def test_arm_bl_to_blx_and_back():
    f = field("CALL")
    blx = f.encode(0xEBFFFFFE, 0x41)          # Thumb target 0x48 from P = 0
    assert blx == 0xFA000010 and dis(blx) == ("blx", "#0x48")
    bl = f.encode(blx, 0x40)                  # now an ARM target: BLX -> BL, condition AL
    assert bl == 0xEB000010 and dis(bl) == ("bl", "#0x48")
    assert f.encode(bl, 0x43) == 0xFB000010   # H = 1: target 0x4a
    assert dis(0xFB000010) == ("blx", "#0x4a")


def test_thumb_bl_to_blx_and_back():
    f = field("THM_CALL")
    blx = f.encode(0xFFFEF7FF, f.prepare(0x40))
    assert blx >> 16 & 0x1000 == 0 and dis(blx, thumb=True) == ("blx", "#0x44")
    bl = f.encode(blx, f.prepare(0x41))
    assert bl >> 16 & 0x1000 and dis(bl, thumb=True) == ("bl", "#0x44")
    # The BLX H bit (imm11 bit 0) is never left set: the encoder rounds even without prepare.
    assert f.encode(0xFFFEF7FF, 0x42) == f.encode(0xFFFEF7FF, 0x44)
    assert (f.encode(0xFFFEF7FF, 0x42) >> 16) & 1 == 0


def test_jump24_never_converts():
    assert field("JUMP24").encode(0xEAFFFFFE, 0x40) >> 24 == 0xEA
    assert field("PC24").encode(0x0BFFFFFE, 0x40) >> 24 == 0x0B   # bleq stays bleq


# ---------------------------------------------------------------------------
# Hypothesis: round trips and untouched bits
# ---------------------------------------------------------------------------


# name -> (value strategy, expected addend after encoding, mask of the bits the field owns)
ARM_BRANCH_MASK = 0x00FFFFFF
THUMB24_MASK = 0x2FFF07FF             # hw2: J1, J2, imm11; hw1: S, imm10
THUMB20_MASK = 0x2FFF043F             # hw2: J1, J2, imm11; hw1: S, imm6
ARM_IMM16_MASK = 0x000F0FFF
THUMB_IMM16_MASK = 0x70FF040F


def _aligned(lo, hi, step):
    return st.integers(lo // step, (hi - 1) // step).map(lambda k: k * step)


ROUND_TRIPS = {
    "JUMP24": (_aligned(-(1 << 25), 1 << 25, 4), lambda v: v, ARM_BRANCH_MASK),
    "PC24": (_aligned(-(1 << 25), 1 << 25, 4), lambda v: v, ARM_BRANCH_MASK),
    "THM_JUMP24": (_aligned(-(1 << 24), 1 << 24, 2), lambda v: v, THUMB24_MASK),
    "THM_JUMP19": (_aligned(-(1 << 20), 1 << 20, 2), lambda v: v, THUMB20_MASK),
    "THM_JUMP11": (_aligned(-(1 << 11), 1 << 11, 2), lambda v: v, 0x07FF),
    "THM_JUMP8": (_aligned(-(1 << 8), 1 << 8, 2), lambda v: v, 0x00FF),
    "THM_JUMP6": (_aligned(0, 124, 2), lambda v: v, 0x02F8),
    "MOVW_ABS_NC": (st.integers(-(1 << 31), (1 << 32) - 1), lambda v: ((v + 0x8000) & 0xFFFF) - 0x8000,
                    ARM_IMM16_MASK),
    "MOVT_ABS": (st.integers(-(1 << 31), (1 << 32) - 1),
                 lambda v: (((v >> 16) + 0x8000) & 0xFFFF) - 0x8000, ARM_IMM16_MASK),
    "THM_MOVW_ABS_NC": (st.integers(-(1 << 31), (1 << 32) - 1),
                        lambda v: ((v + 0x8000) & 0xFFFF) - 0x8000, THUMB_IMM16_MASK),
    "THM_MOVT_ABS": (st.integers(-(1 << 31), (1 << 32) - 1),
                     lambda v: (((v >> 16) + 0x8000) & 0xFFFF) - 0x8000, THUMB_IMM16_MASK),
    "PREL31": (st.integers(-(1 << 30), (1 << 30) - 1), lambda v: v, 0x7FFFFFFF),
}
# The PREL forms share their ABS twins' fields.
for _abs, _prel in (("MOVW_ABS_NC", "MOVW_PREL_NC"), ("MOVT_ABS", "MOVT_PREL"),
                    ("THM_MOVW_ABS_NC", "THM_MOVW_PREL_NC"), ("THM_MOVT_ABS", "THM_MOVT_PREL")):
    assert field(_abs) is field(_prel)


@pytest.mark.parametrize("name", sorted(ROUND_TRIPS))
@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_round_trip_and_other_bits_kept(name, data):
    values, expected, mask = ROUND_TRIPS[name]
    f = field(name)
    v = data.draw(values, label="value")
    word = data.draw(st.integers(0, (1 << (8 * f.size)) - 1), label="word")
    assert f.fits(_prepared(f, v))
    out = f.encode(word, _prepared(f, v))
    assert 0 <= out < 1 << (8 * f.size)
    assert f.addend(out) == expected(v)
    assert out & ~mask == word & ~mask         # opcode, condition, registers untouched


@settings(max_examples=300, deadline=None)
@given(v=st.integers(-(1 << 25), (1 << 25) - 1), cond=st.integers(0, 14))
def test_call_round_trip(v, cond):
    f = field("CALL")
    if not v & 1:
        v &= ~3                                # an ARM target: 0 mod 4
    word = (cond << 28) | 0x0BFFFFFE
    out = f.encode(word, v)
    if v & 1:
        assert out >> 25 == 0x7D               # 1111 101: BLX
        assert f.addend(out) == v - 1
    else:
        assert out >> 24 == (cond << 4) | 0xB  # BL, condition kept
        assert f.addend(out) == v


@settings(max_examples=300, deadline=None)
@given(v=st.integers(-(1 << 24), (1 << 24) - 1), blx_before=st.booleans())
def test_thm_call_round_trip(v, blx_before):
    f = field("THM_CALL")
    word = 0xEFFEF7FF if blx_before else 0xFFFEF7FF
    p = f.prepare(v)
    if not f.fits(p):
        return
    out = f.encode(word, p)
    if v & 1:
        assert (out >> 16) & 0x1000 and f.addend(out) == v - 1
    else:
        assert not (out >> 16) & 0x1000 and f.addend(out) == p and p % 4 == 0
    assert out & 0xC000_F800 == 0xC000_F000   # still a BL/BLX: hw1 11110, hw2 11x1x / 11x0x


@settings(max_examples=200, deadline=None)
@given(k=st.integers(-(1 << 23), (1 << 23) - 1), place=st.integers(0, (1 << 28) - 1))
def test_thumb_branch24_matches_capstone(k, place):
    v = 2 * k
    p = (place * 2) + (1 << 25)
    out = field("THM_JUMP24").encode(0xBFFEF7FF, v)
    assert branch_target(out, True, p) == ("b.w", p + 4 + v)


@settings(max_examples=200, deadline=None)
@given(k=st.integers(-(1 << 19), (1 << 19) - 1), place=st.integers(0, (1 << 28) - 1))
def test_thumb_branch20_matches_capstone(k, place):
    v = 2 * k
    p = (place * 2) + (1 << 21)
    out = field("THM_JUMP19").encode(0xAFFEF47F, v)
    assert branch_target(out, True, p) == ("bne.w", p + 4 + v)


@settings(max_examples=200, deadline=None)
@given(k=st.integers(-(1 << 23), (1 << 23) - 1), place=st.integers(0, (1 << 26) - 1))
def test_arm_branch_matches_capstone(k, place):
    v = 4 * k
    p = (place * 4) + (1 << 26)
    out = field("JUMP24").encode(0xEAFFFFFE, v)
    assert branch_target(out, False, p) == ("b", p + 8 + v)


@settings(max_examples=200, deadline=None)
@given(target=st.integers(0, (1 << 23) - 1), place=st.integers(0, (1 << 22) - 1), arm=st.booleans())
def test_thm_call_matches_capstone(target, place, arm):
    # A Thumb BL at a halfword-aligned place calling a Thumb (odd) or ARM (4-aligned) function.
    p = 2 * place + (1 << 23)
    s = 4 * (target // 2) if arm else 2 * target
    v = (s | (0 if arm else 1)) - 4 - p        # ((S + A) | T) - P with A = -4
    f = field("THM_CALL")
    out = f.encode(0xFFFEF7FF, f.prepare(v))
    assert branch_target(out, True, p) == ("blx" if arm else "bl", s)


# ---------------------------------------------------------------------------
# Execution: interworking calls really land, in both directions
# ---------------------------------------------------------------------------

def _run(code, start, until):
    import unicorn
    from unicorn import arm_const

    uc = unicorn.Uc(unicorn.UC_ARCH_ARM, unicorn.UC_MODE_ARM)
    uc.mem_map(0, 0x10000)
    for address, blob in code.items():
        uc.mem_write(address, blob)
    uc.reg_write(arm_const.UC_ARM_REG_SP, 0x8000)
    uc.emu_start(start, until, count=100)
    return uc.reg_read(arm_const.UC_ARM_REG_R0)


def test_arm_bl_becomes_blx_and_runs():
    # ARM caller at P = 0x1000 -> Thumb function at 0x2000 (movs r0, #42; bx lr).
    value = ((0x2000 - 8) | 1) - 0x1000        # ((S + A) | T) - P with A = -8 read from `bl .`
    assert field("CALL").addend(0xEBFFFFFE) == -8
    call = field("CALL").encode(0xEBFFFFFE, value)
    thumb_ret = bytes.fromhex("2a207047")   # movs r0, #42; bx lr
    decoy = bytes.fromhex("63207047")       # movs r0, #99; bx lr: a landing 4 bytes early
    code = {0x1000: call.to_bytes(4, "little"), 0x1FFC: decoy + thumb_ret}
    assert _run(code, 0x1000, 0x1004) == 42


def test_thumb_bl_becomes_blx_and_runs():
    # Thumb caller at P = 0x3002 (not 4-aligned) -> ARM function at 0x4000 (mov r0, #7; bx lr).
    f = field("THM_CALL")
    value = (0x4000 - 4) - 0x3002              # T = 0; A = -4 read from `bl .`
    assert f.addend(0xFFFEF7FF) == -4
    call = f.encode(0xFFFEF7FF, f.prepare(value))
    arm = b"".join(w.to_bytes(4, "little") for w in (
        0xE3A00063, 0xE12FFF1E,   # 0x3ff8: mov r0, #99; bx lr  (decoy: a landing off by 4 or 8)
        0xE3A00007, 0xE12FFF1E))  # 0x4000: mov r0, #7; bx lr
    code = {0x3002: call.to_bytes(4, "little"), 0x3FF8: arm}
    assert _run(code, 0x3002 | 1, 0x3006) == 7
