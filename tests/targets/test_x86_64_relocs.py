"""x86-64 table: every row's field against values computed by hand from the
psABI (section 4.4), at the edges of its range."""
from __future__ import annotations

import pytest
from elftools.elf.enums import ENUM_RELOC_TYPE_x64

from targets.base import Expr
from targets.x86_64_relocs import RELOCATIONS

BY_NAME = {h.name: h for h in RELOCATIONS.values()}

# name -> (expression, bytes, smallest value, largest value)
SPEC = {
    "R_X86_64_64": (Expr.ABS, 8, None, None),
    "R_X86_64_32": (Expr.ABS, 4, 0, 2**32 - 1),
    "R_X86_64_32S": (Expr.ABS, 4, -2**31, 2**31 - 1),
    "R_X86_64_16": (Expr.ABS, 2, -2**15, 2**16 - 1),
    "R_X86_64_8": (Expr.ABS, 1, -2**7, 2**8 - 1),
    "R_X86_64_PC64": (Expr.PC, 8, None, None),
    "R_X86_64_PC32": (Expr.PC, 4, -2**31, 2**31 - 1),
    "R_X86_64_PC16": (Expr.PC, 2, -2**15, 2**15 - 1),
    "R_X86_64_PC8": (Expr.PC, 1, -2**7, 2**7 - 1),
    "R_X86_64_PLT32": (Expr.BRANCH, 4, -2**31, 2**31 - 1),
    "R_X86_64_GOT32": (Expr.GOT_REL, 4, -2**31, 2**32 - 1),
    "R_X86_64_GOTPCREL": (Expr.GOT_PC, 4, -2**31, 2**31 - 1),
    "R_X86_64_GOTPCRELX": (Expr.GOT_PC, 4, -2**31, 2**31 - 1),
    "R_X86_64_REX_GOTPCRELX": (Expr.GOT_PC, 4, -2**31, 2**31 - 1),
    "R_X86_64_GOTPC32": (Expr.GOT_BASE_PC, 4, -2**31, 2**31 - 1),
    "R_X86_64_GOTPC64": (Expr.GOT_BASE_PC, 8, None, None),
    "R_X86_64_GOTOFF64": (Expr.GOT_OFF, 8, None, None),
    "R_X86_64_GOT64": (Expr.GOT_REL, 8, None, None),
    "R_X86_64_GOTPLT64": (Expr.GOT_REL, 8, None, None),
    "R_X86_64_GOTPCREL64": (Expr.GOT_PC, 8, None, None),
    "R_X86_64_PLTOFF64": (Expr.GOT_OFF, 8, None, None),
    "R_X86_64_SIZE32": (Expr.SIZE, 4, 0, 2**32 - 1),
    "R_X86_64_SIZE64": (Expr.SIZE, 8, None, None),
    # thread-local storage (tests/test_tls.py runs them)
    "R_X86_64_TPOFF32": (Expr.TPREL, 4, -2**31, 2**31 - 1),
    "R_X86_64_TPOFF64": (Expr.TPREL, 8, None, None),
    "R_X86_64_DTPOFF32": (Expr.DTPREL, 4, -2**31, 2**31 - 1),
    "R_X86_64_DTPOFF64": (Expr.DTPREL, 8, None, None),
    "R_X86_64_GOTTPOFF": (Expr.GOTTP_PC, 4, -2**31, 2**31 - 1),
    "R_X86_64_TLSGD": (Expr.TLSGD_PC, 4, -2**31, 2**31 - 1),
    "R_X86_64_TLSLD": (Expr.TLSLD_PC, 4, -2**31, 2**31 - 1),
    "R_X86_64_GOTPC32_TLSDESC": (Expr.TLSDESC_PC, 4, -2**31, 2**31 - 1),
}
MISSING_FROM_PYELFTOOLS = {"R_X86_64_SIZE32": 32, "R_X86_64_SIZE64": 33, "R_X86_64_GOTPCRELX": 41}


def test_table_covers_the_spec_and_numbers_match():
    assert set(BY_NAME) == set(SPEC) | {"R_X86_64_NONE", "R_X86_64_TLSDESC_CALL"}
    for name, h in BY_NAME.items():
        assert h.type == MISSING_FROM_PYELFTOOLS.get(name, ENUM_RELOC_TYPE_x64.get(name))
    for marker in ("R_X86_64_NONE", "R_X86_64_TLSDESC_CALL"):
        assert BY_NAME[marker].field is None and BY_NAME[marker].expr is Expr.NONE


@pytest.mark.parametrize("name", sorted(SPEC))
def test_field_edges(name):
    expr, size, lo, hi = SPEC[name]
    h = BY_NAME[name]
    f = h.field
    assert h.expr is expr and f.size == size
    old = int.from_bytes(bytes(range(0xA0, 0xA0 + size)), "little")   # the field is replaced whole
    if lo is None:
        for v in (0, 1, -1, 2**63 - 1, -2**63, 0x1122334455667788):
            assert f.fits(v)
            assert f.encode(old, v) == v & (2**64 - 1)
        return
    for v in (lo, hi, 0, -1 if lo < 0 else 1):
        assert f.fits(v), v
        assert f.encode(old, v).to_bytes(size, "little") == (v & (2**(8 * size) - 1)).to_bytes(size, "little")
    assert not f.fits(lo - 1) and not f.fits(hi + 1)
    # the addend a REL section would carry is the field, sign-extended
    assert f.addend((-4) & (2**(8 * size) - 1)) == -4


def test_only_plt32_may_use_a_stub():
    assert {h.name for h in RELOCATIONS.values() if h.stub_state} == {"R_X86_64_PLT32"}


def test_hand_computed_examples():
    # call f at 0x401000 from a call instruction whose field is at 0x400ffb: S + A - P
    pc32 = BY_NAME["R_X86_64_PLT32"].field
    v = 0x401000 + (-4) - 0x400FFB
    assert pc32.encode(0, v).to_bytes(4, "little") == bytes.fromhex("01000000")
    # mov $sym, %edi with sym = 0x7fffffff + 1 does not sign-extend (32S), but zero-extends (32)
    assert not BY_NAME["R_X86_64_32S"].field.fits(0x8000_0000)
    assert BY_NAME["R_X86_64_32"].field.fits(0x8000_0000)
    assert BY_NAME["R_X86_64_32S"].field.encode(0, -8).to_bytes(4, "little") == bytes.fromhex("f8ffffff")
