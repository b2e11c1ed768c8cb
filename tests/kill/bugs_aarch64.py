"""AArch64 kill list: realistic relocation bugs (lld / RuntimeDyld history, and the slips
a linker writer makes), each injected into one row of `targets.aarch64_relocs`; the site
recipes of `targets.aarch64_sites` must catch every one (`rig.strategies._sites.sweep`)."""
from __future__ import annotations

from rig.mutants import Bug, find_row, unchecked
from targets.base import Expr

T = "aarch64"


def _f(row: str):
    return find_row(T, "R_AARCH64_" + row).field


def B(name: str, kind: str, row: str, doc: str = "", **changes) -> Bug:
    return Bug(name, kind, T, "R_AARCH64_" + row, changes, doc)


_LDST8, _LDST32, _LDST64 = _f("LDST8_ABS_LO12_NC"), _f("LDST32_ABS_LO12_NC"), _f("LDST64_ABS_LO12_NC")
_IMM16_G0 = _f("MOVW_UABS_G0_NC")          # MOVK imm16 = X[15:0], opcode kept
_ADR, _LO19, _CALL26 = _f("ADR_PREL_LO21"), _f("LD_PREL_LO19"), _f("CALL26")
_ADD_LO12, _ABS64 = _f("ADD_ABS_LO12_NC"), _f("ABS64")

BUGS = [
    B("adrp-page-of-difference", "page", "ADR_PREL_PG_HI21",
      "Page(S + A - P) instead of Page(S + A) - Page(P): the page mask taken after subtracting P",
      expr=Expr.PC, prepare=lambda v: v & ~0xFFF),
    B("adrp-nc-page-of-difference", "page", "ADR_PREL_PG_HI21_NC",
      "the same on the _NC form", expr=Expr.PC, prepare=lambda v: v & ~0xFFF),
    B("got-page-of-symbol", "got", "ADR_GOT_PAGE",
      "ADRP to the symbol's page instead of its GOT slot's", expr=Expr.PAGE_PC),
    B("got-lo12-of-symbol", "got", "LD64_GOT_LO12_NC",
      "lo12 of the symbol instead of its GOT slot", expr=Expr.ABS),
    B("ldst64-unscaled", "scale", "LDST64_ABS_LO12_NC",
      "the lo12 of a 64-bit load not divided by 8 (LDST8's encoder)", encode=_LDST8.encode),
    B("ldst16-overscaled", "scale", "LDST16_ABS_LO12_NC",
      "a halfword load's lo12 divided by 4 (LDST32's encoder)", encode=_LDST32.encode),
    B("ldst128-as-64", "scale", "LDST128_ABS_LO12_NC",
      "a q load's lo12 divided by 8, not 16 (LDST64's encoder)", encode=_LDST64.encode),
    B("tlsle-ldst32-unscaled", "scale", "TLSLE_LDST32_TPREL_LO12_NC",
      "a TLS word load's lo12 not divided by 4", encode=_LDST8.encode),
    B("movw-g1-shift0", "encoder", "MOVW_UABS_G1_NC",
      "MOVK G1 written with X[15:0] (the group's shift forgotten)", encode=_IMM16_G0.encode),
    B("sabs-no-movn", "encoder", "MOVW_SABS_G0",
      "a negative SABS value written into the MOVZ as is (no flip to MOVN with NOT(X))",
      encode=_IMM16_G0.encode),
    B("prel-g3-always-movz", "encoder", "MOVW_PREL_G3",
      "MOVW_PREL_G3 as MOVZ with X[63:48] whatever the sign (lld's way, not the psABI's MOV[NZ])",
      encode=_f("MOVW_UABS_G3").encode),
    B("tprel-hi12-unshifted", "encoder", "TLSLE_ADD_TPREL_HI12",
      "ADD ..., lsl #12 given X[11:0] (the >> 12 forgotten)", encode=_ADD_LO12.encode),
    B("ld-prel-lo19-low-bits-only", "encoder", "LD_PREL_LO19",
      "RuntimeDyld's old LDR literal: only X[11:2] written", encode=lambda w, v: _LO19.encode(w, v & 0xFFC)),
    B("adr-low-bits-dropped", "encoder", "ADR_PREL_LO21",
      "ADR's immlo (X[1:0]) lost", encode=lambda w, v: _ADR.encode(w, v & ~3)),
    B("condbr19-at-bit0", "encoder", "CONDBR19",
      "B.cond's imm19 written where B's imm26 goes (bit 0, not bit 5)", encode=_CALL26.encode),
    B("call26-arm-pc-bias", "pc-bias", "CALL26",
      "an ARM habit: the branch offset taken from P + 8", encode=lambda w, v: _CALL26.encode(w, v - 8)),
    B("call26-range-off-by-4", "range", "CALL26",
      "the forward reach one word too far: 2^27 accepted (wraps backwards)", hi=(1 << 27) + 4),
    # lo=None, not rig.mutants.unchecked(): rig.link checks lo <= v < hi itself and asks the
    # field's fits() only for the stub decision, so an UncheckedField still overflows on a PC row
    B("tstbr14-unchecked", "range", "TSTBR14", "TBZ's ±32 KiB never checked (the offset wraps)",
      lo=None, hi=None),
    B("condbr19-range-x2", "range", "CONDBR19", "B.cond's reach taken as ±2 MiB", lo=-(1 << 21), hi=1 << 21),
    B("condbr19-range-unscaled", "range", "CONDBR19",
      "imm19 checked as a 19-bit byte offset (the x4 of the word scale forgotten): ±256 KiB",
      lo=-(1 << 18), hi=1 << 18),
    B("tstbr14-range-unscaled", "range", "TSTBR14",
      "imm14 checked as a 14-bit byte offset (the x4 forgotten): ±8 KiB", lo=-(1 << 13), hi=1 << 13),
    B("prel32-unsigned-only", "range", "PREL32", "PREL32 checked as unsigned: a backward word refused", lo=0),
    B("jump26-no-stub", "stub", "JUMP26", "a far B written directly (wraps) instead of through a veneer",
      field=unchecked(_CALL26)),
    B("prel64-without-P", "expr", "PREL64", "PREL64 computed as S + A (the - P forgotten)", expr=Expr.ABS),
    B("tlsdesc-call-relocated", "expr", "TLSDESC_CALL",
      "the TLSDESC_CALL marker treated as a CALL26 to the descriptor (the BLR overwritten)",
      expr=Expr.TLSDESC_PC, field=_CALL26),
    B("abs64-truncated", "encoder", "ABS64", "ABS64 written as a 32-bit word", encode=lambda w, v: v & 0xFFFFFFFF),
    B("null-as-adr", "expr", "NULL", "R_AARCH64_NULL (256, treat as NONE) applied as an ADR to its symbol",
      expr=Expr.PC, field=_ADR),
]
