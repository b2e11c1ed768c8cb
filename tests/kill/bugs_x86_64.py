"""The x86-64 kill list: realistic relocation bugs a linker writer makes, each of which
the site recipes (`targets/x86_64_sites.py`) must catch on every seed.

    PYTHONPATH=<wt>:<wt>/tests python /tmp/x/kill_check.py x86_64 kill.bugs_x86_64:BUGS 10 5
"""
from __future__ import annotations

from rig.mutants import Bug, find_row, unchecked
from targets.base import Expr, sign_extend

T = "x86_64"


def _f(row: str):
    return find_row(T, "R_X86_64_" + row).field


_pc32, _pc16, _pc8, _w64, _w32 = _f("PC32"), _f("PC16"), _f("PC8"), _f("64"), _f("32")
_plt32, _gotpcrel, _gotpc32, _gotpc64 = _f("PLT32"), _f("GOTPCREL"), _f("GOTPC32"), _f("GOTPC64")
_got32, _gotpcrel64, _size32, _gottpoff, _dtpoff32 = (_f("GOT32"), _f("GOTPCREL64"), _f("SIZE32"),
                                                       _f("GOTTPOFF"), _f("DTPOFF32"))

BUGS = [
    # -- pc bias: the -4 of the next instruction counted twice, or the place taken at the instruction
    Bug("pc32-bias+4", "pc-bias", T, "R_X86_64_PC32", {"encode": lambda w, v: _pc32.encode(w, v + 4)},
        "P taken as the end of the field (the assembler's -4 already says so)"),
    Bug("gotpc32-bias-4", "pc-bias", T, "R_X86_64_GOTPC32", {"encode": lambda w, v: _gotpc32.encode(w, v - 4)},
        "the GOT base off by the instruction tail: every GOT32 offset from it misses its slot"),
    Bug("pc64-as-abs", "expr", T, "R_X86_64_PC64", {"expr": Expr.ABS},
        "PC64 written S + A (no -P), as a 64 would"),
    Bug("gotpcrel64-bias+2", "pc-bias", T, "R_X86_64_GOTPCREL64",
        {"encode": lambda w, v: _gotpcrel64.encode(w, v + 2)},
        "P taken at the movabs opcode, not at the immediate"),
    # -- encoders
    Bug("64-sign-extend-32", "encoder", T, "R_X86_64_64",
        {"encode": lambda w, v: sign_extend(v, 32) & ((1 << 64) - 1)},
        "a 64-bit word written from a 32-bit value (the high half lost)"),
    Bug("pc16-writes-byte", "encoder", T, "R_X86_64_PC16",
        {"encode": lambda w, v: (w & 0xFF00) | (v & 0xFF)}, "PC16 encoded as PC8 (high byte kept)"),
    # -- range checks
    Bug("32-as-32s", "range", T, "R_X86_64_32", {"lo": -(1 << 31), "hi": 1 << 31},
        "R_X86_64_32 checked as sign-extending: refuses [2 GiB, 4 GiB), accepts negatives"),
    Bug("32s-as-32", "range", T, "R_X86_64_32S", {"lo": 0, "hi": 1 << 32},
        "R_X86_64_32S checked as zero-extending: accepts [2 GiB, 4 GiB), which sign-extends wrong"),
    Bug("pc16-unsigned", "range", T, "R_X86_64_PC16", {"lo": 0, "hi": 1 << 16},
        "PC16 checked unsigned: backward references refused, far forward ones wrap"),
    Bug("size32-signed", "range", T, "R_X86_64_SIZE32", {"lo": -(1 << 31), "hi": 1 << 31},
        "SIZE32 checked as signed: sizes from 2 GiB refused"),
    Bug("8-signed-only", "range", T, "R_X86_64_8", {"lo": -128, "hi": 128},
        "R_X86_64_8 checked signed only: 0x80..0xff refused"),
    Bug("16-top-off-by-one", "range", T, "R_X86_64_16", {"hi": 0xFFFF},
        "R_X86_64_16's unsigned top taken as exclusive at 0xffff: 0xffff refused"),
    Bug("8-bottom-off-by-one", "range", T, "R_X86_64_8", {"lo": -127},
        "R_X86_64_8's signed bottom off by one: -128 refused"),
    Bug("pc8-top-off-by-one", "range", T, "R_X86_64_PC8", {"hi": 127},
        "PC8 refuses +127"),
    Bug("size32-top-off-by-one", "range", T, "R_X86_64_SIZE32", {"hi": 0xFFFFFFFF},
        "SIZE32 refuses 0xffffffff"),
    # -- stubs (PLT32)
    Bug("plt32-no-stub", "stub", T, "R_X86_64_PLT32", {"field": unchecked(_plt32)},
        "no range check on PLT32: a far call never goes through a stub"),
    Bug("plt32-stub-bias", "stub", T, "R_X86_64_PLT32", {"pc_bias": 0},
        "the stub's destination forgets the PC bias: S + A, 4 bytes short"),
    # -- GOT
    Bug("gotpcrel-next-slot", "got", T, "R_X86_64_GOTPCREL",
        {"encode": lambda w, v: _gotpcrel.encode(w, v + 8)}, "GOTPCREL aims at the next GOT slot"),
    Bug("rex-gotpcrelx-relaxed-no-rewrite", "got", T, "R_X86_64_REX_GOTPCRELX", {"expr": Expr.PC},
        "REX_GOTPCRELX resolved as relaxed (S + A - P) but the mov is not rewritten to lea"),
    Bug("gotpcrelx-relaxed-no-rewrite", "got", T, "R_X86_64_GOTPCRELX", {"expr": Expr.PC},
        "GOTPCRELX resolved as relaxed but the call *mem is not rewritten"),
    Bug("got32-absolute", "got", T, "R_X86_64_GOT32", {"expr": Expr.GOT},
        "GOT32 written as the slot's address instead of its offset from the GOT"),
    Bug("got64-pcrel", "got", T, "R_X86_64_GOT64", {"expr": Expr.GOT_PC},
        "GOT64 written pc-relative (GOTPCREL64's formula)"),
    Bug("gotplt64-absolute", "got", T, "R_X86_64_GOTPLT64", {"expr": Expr.GOT},
        "GOTPLT64 written as the slot's address"),
    Bug("gotoff64-slot", "expr", T, "R_X86_64_GOTOFF64", {"expr": Expr.GOT_REL},
        "GOTOFF64 through the GOT slot (GOT64's formula)"),
    Bug("pltoff64-abs", "expr", T, "R_X86_64_PLTOFF64", {"expr": Expr.ABS},
        "PLTOFF64 without the GOT base subtracted"),
    Bug("gotpc64-as-pc64", "expr", T, "R_X86_64_GOTPC64", {"expr": Expr.PC},
        "GOTPC64 resolved against the symbol (0 here) instead of the GOT"),
    Bug("size64-as-abs", "expr", T, "R_X86_64_SIZE64", {"expr": Expr.ABS},
        "the symbol's address written where its size belongs"),
    # -- TLS
    Bug("tpoff32-dtprel", "expr", T, "R_X86_64_TPOFF32", {"expr": Expr.DTPREL},
        "local-exec offset taken from the block's start (variant 1 thinking) instead of TP"),
    Bug("tpoff64-dtprel", "expr", T, "R_X86_64_TPOFF64", {"expr": Expr.DTPREL},
        "TPOFF64 as DTPOFF64"),
    Bug("dtpoff32-tprel", "expr", T, "R_X86_64_DTPOFF32", {"expr": Expr.TPREL},
        "DTPOFF32 as TPOFF32"),
    Bug("dtpoff64-tprel", "expr", T, "R_X86_64_DTPOFF64", {"expr": Expr.TPREL},
        "DTPOFF64 as TPOFF64"),
    Bug("gottpoff-bias+4", "got", T, "R_X86_64_GOTTPOFF", {"encode": lambda w, v: _gottpoff.encode(w, v + 4)},
        "the IE slot missed by the instruction tail"),
    Bug("tlsgd-as-tlsld", "got", T, "R_X86_64_TLSGD", {"expr": Expr.TLSLD_PC},
        "general-dynamic pointed at the module's LD pair (offset 0)"),
    Bug("tlsld-as-tlsgd-slot", "got", T, "R_X86_64_TLSLD", {"expr": Expr.GOTTP_PC},
        "local-dynamic pointed at an IE slot (a TP offset, not a module pair)"),
    Bug("tlsdesc-ie-slot", "got", T, "R_X86_64_GOTPC32_TLSDESC", {"expr": Expr.GOTTP_PC},
        "the descriptor's address replaced by the IE slot's (not a descriptor)"),
    Bug("tlsdesc-call-writes", "encoder", T, "R_X86_64_TLSDESC_CALL",
        {"expr": Expr.PC, "field": _pc32},
        "TLSDESC_CALL treated as a PC32 site: the call's bytes overwritten"),
    Bug("none-writes", "encoder", T, "R_X86_64_NONE", {"expr": Expr.ABS, "field": _w64},
        "R_X86_64_NONE given a field: the word at its offset overwritten"),
]
