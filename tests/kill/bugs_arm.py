"""Kill list for the 32-bit Arm site recipes (targets "arm" and "thumb" share the table):
bugs a linker writer makes (lld / RuntimeDyld / JITLink history), injected one at a time
through `rig.mutants.swap_row`.  Each must make `sweep("arm"|"thumb")` fail."""
from rig.mutants import Bug, find_row
from targets import arm_relocs as R
from targets.base import Expr

T = "thumb"      # the table is shared: a swap on "thumb" is seen by "arm" too


def _f(row):
    return find_row(T, row).field


_call, _thm_call, _jump19 = _f("R_ARM_CALL"), _f("R_ARM_THM_CALL"), _f("R_ARM_THM_JUMP19")
_jump11, _jump6, _prel31 = _f("R_ARM_THM_JUMP11"), _f("R_ARM_THM_JUMP6"), _f("R_ARM_PREL31")
_thm_jump24 = _f("R_ARM_THM_JUMP24")


def _j1j2_not_inverted(w, v):
    """THM_CALL with J1 = I1, J2 = I2 (the ARM ARM's inversion forgotten)."""
    w = _thm_call.encode(w, v)
    i1, i2 = (v >> 23) & 1, (v >> 22) & 1
    hw2 = (w >> 16) & ~0x2800 | (i1 << 13) | (i2 << 11)
    return (w & 0xFFFF) | (hw2 << 16)


def _j19_swapped(w, v):
    """B<cond>.W with J1 and J2 swapped (bit 18 into J2, bit 19 into J1)."""
    w = _jump19.encode(w, v)
    hw2 = (w >> 16) & ~0x2800 | (((v >> 19) & 1) << 13) | (((v >> 18) & 1) << 11)
    return (w & 0xFFFF) | (hw2 << 16)


def _arm_blx_kept(w, v):
    """R_ARM_CALL: a BLX as written stays BLX toward ARM code (only BL -> BLX is handled)."""
    if R._arm_is_blx(w) and not v & 1:
        return (w & 0xFF000000) | ((v >> 2) & 0x00FFFFFF)
    return _call.encode(w, v)


def _thm_blx_kept(w, v):
    """R_ARM_THM_CALL: a BLX as written stays BLX toward Thumb code."""
    if not (w >> 16) & R._THUMB_BL_BIT:
        return R._thumb_branch24(w, R._blx_round(v & ~1))
    return _thm_call.encode(w, v)


def _thm_blx_unrounded(w, v):
    """R_ARM_THM_CALL to ARM: BLX written without rounding the offset up to 4 (H set)."""
    if v & 1:
        return _thm_call.encode(w, v)
    hw1, hw2 = R._halves(w)
    return R._thumb_branch24(R._join(hw1, hw2 & ~R._THUMB_BL_BIT), v)


def _arm_blx_no_h(w, v):
    """R_ARM_CALL to Thumb: BLX with H (bit 1 of the offset) dropped."""
    return _call.encode(w, v) & ~(1 << 24) if v & 1 else _call.encode(w, v)


BUGS = [
    Bug("abs32-no-thumb-bit", "thumb-bit", T, "R_ARM_ABS32", {"thumb_bit": False}),
    Bug("rel32-no-thumb-bit", "thumb-bit", T, "R_ARM_REL32", {"thumb_bit": False}),
    Bug("movw-abs-no-thumb-bit", "thumb-bit", T, "R_ARM_MOVW_ABS_NC", {"thumb_bit": False}),
    Bug("thm-movw-abs-no-thumb-bit", "thumb-bit", T, "R_ARM_THM_MOVW_ABS_NC", {"thumb_bit": False}),
    Bug("gotoff32-no-thumb-bit", "thumb-bit", T, "R_ARM_GOTOFF32", {"thumb_bit": False}),
    Bug("thm-call-j1j2-not-inverted", "encoder", T, "R_ARM_THM_CALL", {"encode": _j1j2_not_inverted}),
    Bug("thm-jump19-j1j2-swapped", "encoder", T, "R_ARM_THM_JUMP19", {"encode": _j19_swapped}),
    Bug("arm-call-blx-kept-to-arm", "encoder", T, "R_ARM_CALL", {"encode": _arm_blx_kept}),
    Bug("thm-call-blx-kept-to-thumb", "encoder", T, "R_ARM_THM_CALL", {"encode": _thm_blx_kept}),
    Bug("thm-call-blx-not-rounded", "encoder", T, "R_ARM_THM_CALL",
        {"encode": _thm_blx_unrounded, "prepare": None}),
    Bug("arm-call-blx-h-dropped", "encoder", T, "R_ARM_CALL", {"encode": _arm_blx_no_h}),
    Bug("movt-abs-low-half", "encoder", T, "R_ARM_MOVT_ABS", {"encode": R.ARM_MOVW.encode}),
    Bug("thm-movt-prel-low-half", "encoder", T, "R_ARM_THM_MOVT_PREL", {"encode": R.THM_MOVW.encode}),
    Bug("thm-jump24-arm-bias", "pc-bias", T, "R_ARM_THM_JUMP24",
        {"encode": lambda w, v: _thm_jump24.encode(w, v - 4)}),
    Bug("thm-jump24-stub-arm-bias", "pc-bias", T, "R_ARM_THM_JUMP24", {"pc_bias": -8}),
    Bug("jump24-thumb-state-stub", "stub", T, "R_ARM_JUMP24", {"stub_state": "thumb"}),
    Bug("thm-jump11-unscaled", "scale", T, "R_ARM_THM_JUMP11",
        {"encode": lambda w, v: (w & 0xF800) | (v & 0x07FF)}),
    Bug("thm-jump11-range-short-by-2", "range", T, "R_ARM_THM_JUMP11", {"hi": 2046}),
    Bug("thm-jump8-range-short-by-2", "range", T, "R_ARM_THM_JUMP8", {"lo": -254}),
    # (not `unchecked(field)`: rig.link checks `lo <= v < hi` itself for non-branch rows, so an
    # UncheckedField's `fits` only changes the stub decision; see the report)
    Bug("prel31-checked-as-32-bit", "range", T, "R_ARM_PREL31", {"lo": -(1 << 31), "hi": 1 << 31}),
    Bug("prel31-sign-not-extended", "addend", T, "R_ARM_PREL31", {"addend": lambda w: w & 0x7FFFFFFF}),
    Bug("prel31-bit31-lost", "encoder", T, "R_ARM_PREL31", {"encode": lambda w, v: v & 0x7FFFFFFF}),
    Bug("thm-jump6-addend-no-bias-fold", "addend", T, "R_ARM_THM_JUMP6",
        {"addend": lambda w: ((w >> 3) & 0x40) | ((w >> 2) & 0x3E)}),
    Bug("abs16-unsigned-only", "range", T, "R_ARM_ABS16", {"lo": 0}),
    Bug("abs8-unsigned-only", "range", T, "R_ARM_ABS8", {"lo": 0}),
    Bug("got-prel-direct", "got", T, "R_ARM_GOT_PREL", {"expr": Expr.PC}),
    Bug("got-brel-as-gotoff", "got", T, "R_ARM_GOT_BREL", {"expr": Expr.GOT_OFF}),
    Bug("target2-as-abs", "got", T, "R_ARM_TARGET2", {"expr": Expr.ABS}),
    Bug("movw-prel-no-p", "expr", T, "R_ARM_MOVW_PREL_NC", {"expr": Expr.ABS}),
    Bug("tls-le32-from-dtp", "expr", T, "R_ARM_TLS_LE32", {"expr": Expr.DTPREL}),
    Bug("thm-movt-addend-unsigned", "addend", T, "R_ARM_THM_MOVT_ABS",
        {"addend": lambda w: R._thumb_imm16_addend(w) & 0xFFFF}),
]
