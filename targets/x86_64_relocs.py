"""x86-64 relocation table.

Source: System V Application Binary Interface, AMD64 Architecture Processor
Supplement, section 4.4 "Relocation" (table 4.9), cross-checked with lld's
lld/ELF/Arch/X86_64.cpp.  x86-64 uses RELA: addends are explicit, so no
field needs an addend reader (one is kept anyway for objects that carry
REL sections).
"""
from __future__ import annotations

from elftools.elf.enums import ENUM_RELOC_TYPE_x64

from .base import Expr, Howto, either, signed, unsigned, word

#: Types pyelftools 0.33 does not name.
_MISSING = {"R_X86_64_SIZE32": 32, "R_X86_64_SIZE64": 33, "R_X86_64_GOTPCRELX": 41}


def _number(name: str) -> int:
    return _MISSING[name] if name in _MISSING else ENUM_RELOC_TYPE_x64[name]


W64 = word(8)
W32 = word(4, either(32), "word32")          # zero- or sign-extension both allowed
W32U = word(4, unsigned(32), "word32 (zero-extends)")
W32S = word(4, signed(32), "word32 (sign-extends)")
W16 = word(2, either(16), "word16")
W8 = word(1, either(8), "word8")
PC32 = word(4, signed(32), "word32 (signed)")
PC16 = word(2, signed(16), "word16 (signed)")
PC8 = word(1, signed(8), "word8 (signed)")

# (name, expr, field, doc)
_ROWS = [
    ("R_X86_64_NONE", Expr.NONE, None, "no operation"),
    ("R_X86_64_64", Expr.ABS, W64, "S + A; word64"),
    ("R_X86_64_32", Expr.ABS, W32U, "S + A; word32, must zero-extend"),
    ("R_X86_64_32S", Expr.ABS, W32S, "S + A; word32, must sign-extend"),
    ("R_X86_64_16", Expr.ABS, W16, "S + A; word16"),
    ("R_X86_64_8", Expr.ABS, W8, "S + A; word8"),
    ("R_X86_64_PC64", Expr.PC, W64, "S + A - P; word64"),
    ("R_X86_64_PC32", Expr.PC, PC32, "S + A - P; word32 signed, ±2 GiB"),
    ("R_X86_64_PC16", Expr.PC, PC16, "S + A - P; word16 signed"),
    ("R_X86_64_PC8", Expr.PC, PC8, "S + A - P; word8 signed"),
    ("R_X86_64_PLT32", Expr.BRANCH, PC32, "L + A - P (S + A - P when in reach); word32 signed"),
    ("R_X86_64_GOT32", Expr.GOT_REL, W32, "G + A (slot offset in the GOT); word32"),
    ("R_X86_64_GOTPCREL", Expr.GOT_PC, PC32, "G(S) + A - P; word32 signed"),
    ("R_X86_64_GOTPCRELX", Expr.GOT_PC, PC32, "G(S) + A - P; word32 signed (relaxable, not relaxed)"),
    ("R_X86_64_REX_GOTPCRELX", Expr.GOT_PC, PC32, "G(S) + A - P; word32 signed (relaxable, not relaxed)"),
    ("R_X86_64_GOTPC32", Expr.GOT_BASE_PC, PC32, "GOT + A - P; word32 signed"),
    ("R_X86_64_GOTPC64", Expr.GOT_BASE_PC, W64, "GOT + A - P; word64"),
    ("R_X86_64_GOTOFF64", Expr.GOT_OFF, W64, "S + A - GOT; word64"),
    ("R_X86_64_GOT64", Expr.GOT_REL, W64, "G(S) - GOT + A; word64"),
    ("R_X86_64_GOTPLT64", Expr.GOT_REL, W64, "G(S) - GOT + A; word64 (as GOT64: no lazy binding)"),
    ("R_X86_64_GOTPCREL64", Expr.GOT_PC, W64, "G(S) + A - P; word64"),
    # A PLT entry only exists to reach S; with every symbol known, go direct (lld's fromPlt).
    ("R_X86_64_PLTOFF64", Expr.GOT_OFF, W64, "L - GOT + A, with L = S (no PLT); word64"),
    ("R_X86_64_SIZE32", Expr.SIZE, W32U, "Z + A; word32"),
    ("R_X86_64_SIZE64", Expr.SIZE, W64, "Z + A; word64"),
    # Thread-local storage (psABI 4.4; Drepper, "ELF Handling For Thread-Local Storage", 4.3 and
    # 5.5).  Nothing is relaxed: the instructions the compiler chose stay, and the GOT entries
    # they reach hold what the TLS runtime would (see rig.tls).
    ("R_X86_64_TPOFF32", Expr.TPREL, W32S, "S + A - TP (local-exec); word32 signed"),
    ("R_X86_64_TPOFF64", Expr.TPREL, W64, "S + A - TP (local-exec); word64"),
    ("R_X86_64_DTPOFF32", Expr.DTPREL, W32S, "S + A - DTP (local-dynamic, after TLSLD); word32 signed"),
    ("R_X86_64_DTPOFF64", Expr.DTPREL, W64, "S + A - DTP; word64"),
    ("R_X86_64_GOTTPOFF", Expr.GOTTP_PC, PC32,
     "GTP(S) + A - P, a GOT slot holding S - TP (initial-exec); word32 signed"),
    ("R_X86_64_TLSGD", Expr.TLSGD_PC, PC32,
     "GGD(S) + A - P, a GOT pair (module 1, S - DTP) for __tls_get_addr (general-dynamic); word32 signed"),
    ("R_X86_64_TLSLD", Expr.TLSLD_PC, PC32,
     "GLD + A - P, the object's GOT pair (module 1, 0) for __tls_get_addr (local-dynamic); word32 signed"),
    ("R_X86_64_GOTPC32_TLSDESC", Expr.TLSDESC_PC, PC32,
     "GDESC(S) + A - P, a GOT descriptor (static resolver, S - TP) (-mtls-dialect=gnu2); word32 signed"),
    ("R_X86_64_TLSDESC_CALL", Expr.NONE, None, "marks the call through a TLS descriptor; nothing is written"),
]

RELOCATIONS = {
    # a call's rel32 counts from the next instruction: the usual addend -4 is that bias
    _number(name): Howto(name, _number(name), expr, field, stub_state="x86" if expr is Expr.BRANCH else None,
                         doc=doc, pc_bias=-4 if expr is Expr.BRANCH else 0)
    for name, expr, field, doc in _ROWS
}
