"""Proof that the placement property catches relocation bugs.

Each case injects one classic relocation bug THROUGH THE TARGET TABLE
(`rig.mutants.swap_row`: a modified copy of one `Howto` row, undone on exit)
and checks that the README's placement property -- `placements(jit, probe)`
drawn by Hypothesis, `check_placement(..., expected=...)` per example -- fails
within the `ci` profile's budget (50 examples, derandomized), and that the
report Hypothesis ends with is shrunk and names the target, both placements
and both results.  A control runs the same property on the same program with
the real table: it must pass, or the failures prove nothing.

The `expected` values are stated by hand: a bug that is wrong the same way at
EVERY placement (here the PC32 addend's sign: every load reads 8 bytes further
on, at any layout) gives the same wrong answer at the packed reference, so
comparing two placements alone cannot see it
(`test_placement_comparison_alone_misses_a_bug_wrong_everywhere`).

Run with `-s` to see, per bug, the example that first failed, how many runs
shrinking took and the final reports.
"""
from __future__ import annotations

import dataclasses
import time
from typing import Callable, Dict, Optional

import pytest
from hypothesis import Phase, given, settings

import rig
import rig.pytest_plugin  # noqa: F401  (registers the `ci` profile, also when the plugin is off)
from rig import toolchain
from rig.mutants import find_row, swap_row, unchecked
from rig.properties import PlacementMismatch, check_placement
from rig.strategies import placements
from targets import aarch64_relocs as A64
from targets import arm_relocs as ARM
from targets import x86_64_relocs as X86
from targets.base import Expr

CI = settings.get_profile("ci")
#: The `ci` profile less Hypothesis's `explain` phase: after shrinking, explain re-runs the
#: failing example with each choice varied (about 60 more failing runs, each linked by
#: ld.lld for the report) only to print "# or any other generated value" comments.  It
#: made this file take minutes instead of ~15 s and changes nothing asserted here:
#: generation (the 50 examples, derandomized) and shrinking are the ci profile's own.
PROFILE = settings(CI, phases=[p for p in CI.phases if p is not Phase.explain])

# --------------------------------------------------------------------------
# Programs (small: every example compiles once, then only relocates and runs)
# --------------------------------------------------------------------------

# x86-64, static small model: rip-relative loads and stores (R_X86_64_PC32, A = -4 at
# every site: no immediate follows a displacement) and an indexed table (R_X86_64_32S).
X86_IR = r"""
@g = dso_local global i32 5
@h = dso_local global i32 9
@table = dso_local global [4 x i32] [i32 100, i32 200, i32 300, i32 400]
define i32 @get_g() noinline { %v = load i32, ptr @g
  ret i32 %v }
define i32 @sum_gh() noinline { %a = load i32, ptr @g
  %b = load i32, ptr @h
  %s = add i32 %a, %b
  ret i32 %s }
define void @set_h(i32 %x) noinline { store i32 %x, ptr @h
  ret void }
define i32 @at(i64 %i) noinline { %p = getelementptr [4 x i32], ptr @table, i64 0, i64 %i
  %v = load i32, ptr %p
  ret i32 %v }
"""
X86_CALLS = [("get_g", ()), ("sum_gh", ()), ("set_h", (20,)), ("sum_gh", ()), ("at", (0,)), ("at", (3,))]
X86_EXPECTED = [5, 14, None, 25, 100, 400]

# AArch64: ADRP + LDST32/LDST64 lo12 to dso_local data, ADRP + LD64 to a GOT slot
# (a default-visibility global), and BL between code sections (CALL26, stubs when far).
A64_IR = r"""
@pad = dso_local global i32 1
@words = dso_local global [4 x i32] [i32 11, i32 22, i32 33, i32 44]
@quads = dso_local global [3 x i64] [i64 111, i64 222, i64 333]
@shared = global i64 4242
define i32 @w2() noinline section ".text.w" { %p = getelementptr [4 x i32], ptr @words, i32 0, i32 2
  %v = load i32, ptr %p
  ret i32 %v }
define i64 @q1() noinline section ".text.q" { %p = getelementptr [3 x i64], ptr @quads, i32 0, i32 1
  %v = load i64, ptr %p
  ret i64 %v }
define i64 @via_got() noinline section ".text.g" { %v = load i64, ptr @shared
  ret i64 %v }
define i64 @leaf(i64 %x) noinline section ".text.leaf" { %r = mul i64 %x, 3
  ret i64 %r }
define i64 @far_sum(i64 %x) noinline section ".text.far" {
  %a = call i64 @leaf(i64 %x)
  %b = call i64 @q1()
  %s = add i64 %a, %b
  %t = add i64 %s, 1
  ret i64 %t }
"""
A64_CALLS = [("w2", ()), ("q1", ()), ("via_got", ()), ("far_sum", (5,))]
A64_EXPECTED = [33, 222, 4242, 15 + 222 + 1]

# ARM and Thumb functions in one object (the same IR on both targets): MOVW/MOVT to data
# in each state, BL between the states (R_ARM_CALL / R_ARM_THM_CALL: BLX), a Thumb BL to
# a Thumb function, a table of function pointers (R_ARM_ABS32 with the Thumb bit).
ARM_IR = r"""
@base = dso_local global i32 1000
@fns = dso_local global [2 x ptr] [ptr @t_sq, ptr @a_inc]
define i32 @t_sq(i32 %x) noinline #0 section ".text.t_sq" {
  %r = mul i32 %x, %x
  ret i32 %r }
define i32 @a_inc(i32 %x) noinline #1 section ".text.a_inc" {
  %r = add i32 %x, 1
  ret i32 %r }
define i32 @t_calls(i32 %x) noinline #0 section ".text.t_calls" {
  %a = call i32 @t_sq(i32 %x)
  %b = call i32 @a_inc(i32 %a)
  %c = call i32 @t_add7(i32 %b)
  %r = mul i32 %c, 3
  ret i32 %r }
define i32 @t_add7(i32 %x) noinline #0 section ".text.t_add7" {
  %r = add i32 %x, 7
  ret i32 %r }
define i32 @a_calls(i32 %x) noinline #1 section ".text.a_calls" {
  %a = call i32 @t_sq(i32 %x)
  %b = call i32 @a_inc(i32 %a)
  %r = mul i32 %b, 5
  ret i32 %r }
define i32 @a_base(i32 %x) noinline #1 section ".text.a_base" {
  %b = load i32, ptr @base
  %r = add i32 %b, %x
  ret i32 %r }
define i32 @t_base(i32 %x) noinline #0 section ".text.t_base" {
  %b = load i32, ptr @base
  %r = sub i32 %b, %x
  ret i32 %r }
define i32 @dispatch(i32 %i, i32 %x) noinline #1 section ".text.dispatch" {
  %j = and i32 %i, 1
  %p = getelementptr [2 x ptr], ptr @fns, i32 0, i32 %j
  %f = load ptr, ptr %p
  %r = call i32 %f(i32 %x)
  %s = add i32 %r, 1
  ret i32 %s }
attributes #0 = { nounwind "target-features"="+thumb-mode" }
attributes #1 = { nounwind "target-features"="-thumb-mode" }
"""
ARM_CALLS = [("t_calls", (3,)), ("a_calls", (3,)), ("a_base", (5,)), ("t_base", (5,)),
             ("dispatch", (0, 6)), ("dispatch", (1, 6))]
ARM_EXPECTED = [(9 + 1 + 7) * 3, (9 + 1) * 5, 1005, 995, 37, 8]

PROGRAMS = {
    "x86_64": (X86_IR, "bugs_x86.ll", X86_CALLS, X86_EXPECTED),
    "aarch64": (A64_IR, "bugs_a64.ll", A64_CALLS, A64_EXPECTED),
    "arm": (ARM_IR, "bugs_arm.ll", ARM_CALLS, ARM_EXPECTED),
    "thumb": (ARM_IR, "bugs_arm.ll", ARM_CALLS, ARM_EXPECTED),
}

# --------------------------------------------------------------------------
# Wrong encoders (the rest of each row is the real one)
# --------------------------------------------------------------------------

_THUMB_BL_BIT = 0x1000


def thumb_call_without_j_inversion(w: int, v: int) -> int:
    """R_ARM_THM_CALL as the real one, but J1 = I1, J2 = I2 (no NOT(I ^ S)):
    right for backward calls within ±4 MiB (S = I1 = I2 = 1), wrong forward."""
    hw1, hw2 = ARM._halves(w)
    if v & 1:
        hw2 |= _THUMB_BL_BIT
    else:
        v = ARM._blx_round(v)
        hw2 &= ~_THUMB_BL_BIT
    s, i1, i2 = (v >> 24) & 1, (v >> 23) & 1, (v >> 22) & 1
    hw1 = (hw1 & 0xF800) | (s << 10) | ((v >> 12) & 0x03FF)
    hw2 = (hw2 & 0xD000) | (i1 << 13) | (i2 << 11) | ((v >> 1) & 0x07FF)
    return ARM._join(hw1, hw2)


def arm_call_never_blx(w: int, v: int) -> int:
    """R_ARM_CALL that always writes BL imm24 = value >> 2, ignoring T (bit 0)."""
    return ARM._arm_imm24(w, v)


def thumb_call_never_blx(w: int, v: int) -> int:
    """R_ARM_THM_CALL that always writes BL, also to an ARM function (T = 0)."""
    return ARM._thumb_branch24(w | (_THUMB_BL_BIT << 16), v)


# --------------------------------------------------------------------------
# The bugs: (id, target, relocation row, changes, check on the probe object)
# --------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Bug:
    id: str
    target: str
    row: str
    changes: Dict[str, object]
    what: str
    #: the kind of bug, from the issue's list
    kind: int
    #: wrong at every placement (the reference too): only `expected` can see it
    everywhere: bool = False
    #: so wrong the same way at every placement that comparing placements cannot see it
    needs_expected: bool = False
    #: the ld.lld comparison in the report names the row (lld does not compare sites the rig
    #: routes through a GOT slot byte for byte, so it cannot see a wrong ADRP to the GOT)
    lld_sees: bool = True
    #: what the shrunk placement must show when the bug needs a particular layout
    shows: Optional[Callable[[Dict[str, int]], bool]] = None


def _code_span(mapping: Dict[str, int]) -> int:
    """How far apart the code sections are."""
    code = [a for n, a in mapping.items() if n.startswith(".text")]
    return max(code) - min(code)


PC32_A = -4     # the only addend at this program's PC32 sites (checked on the probe)

BUGS = [
    # 1. ADRP from the unaligned place: Page(S + A - P) instead of Page(S + A) - Page(P).
    Bug("adrp-page-of-difference", "aarch64", "R_AARCH64_ADR_PREL_PG_HI21",
        dict(expr=Expr.PC, prepare=lambda v: v & ~0xFFF), "Page(S+A-P)", 1),
    Bug("adrp-got-page-of-difference", "aarch64", "R_AARCH64_ADR_GOT_PAGE",
        dict(expr=Expr.GOT_PC, prepare=lambda v: v & ~0xFFF), "Page(G+A-P)", 1,
        lld_sees=False),
    # 2. lo12 ignoring the access size: LDST8's encoder on 32/64-bit loads.
    Bug("ldst32-lo12-unscaled", "aarch64", "R_AARCH64_LDST32_ABS_LO12_NC",
        dict(encode=A64.LDST8.encode), "imm12 = X & 0xfff, not X[11:2]", 2, everywhere=True),
    Bug("ldst64-lo12-unscaled", "aarch64", "R_AARCH64_LDST64_ABS_LO12_NC",
        dict(encode=A64.LDST8.encode), "imm12 = X & 0xfff, not X[11:3]", 2, everywhere=True),
    # 3. PC32 with the addend's sign flipped: S - A - P.  A Field only ever sees the value
    #    S + A - P, so the mutant is S - A - P at this program's sites, where A = -4:
    #    (S + A - P) - 2A.  The test checks that every PC32 site has that addend.
    Bug("pc32-addend-sign", "x86_64", "R_X86_64_PC32",
        dict(prepare=lambda v: v - 2 * PC32_A), "S - A - P", 3, everywhere=True, needs_expected=True),
    # 4. R_X86_64_32S accepting [2^31, 2^32): the memory manager then places a static
    #    object above 2 GiB, and the CPU sign-extends the 32-bit field.
    Bug("32s-accepts-zero-extended", "x86_64", "R_X86_64_32S",
        dict(hi=1 << 32), "32S checked as [-2^31, 2^32)", 4,
        shows=lambda m: max(m.values()) >= 1 << 31),
    # 5. MOVT taking the low half.
    Bug("movt-low-half", "arm", "R_ARM_MOVT_ABS",
        dict(encode=ARM._arm_imm16), "MOVT = (S+A) & 0xffff", 5, everywhere=True),
    Bug("thm-movt-low-half", "thumb", "R_ARM_THM_MOVT_ABS",
        dict(encode=ARM._thumb_imm16), "MOVT = (S+A) & 0xffff", 5, everywhere=True),
    # 6. Thumb BL without the J1/J2 inversion.
    Bug("thm-bl-no-j1j2-inversion", "thumb", "R_ARM_THM_CALL",
        dict(encode=thumb_call_without_j_inversion), "J1 = I1, J2 = I2", 6),
    # 7. No interworking on calls: BL kept where BLX is needed.
    Bug("arm-bl-to-thumb-stays-bl", "arm", "R_ARM_CALL",
        dict(encode=arm_call_never_blx), "ARM BL to Thumb never BLX", 7, everywhere=True),
    Bug("thumb-bl-to-arm-stays-bl", "thumb", "R_ARM_THM_CALL",
        dict(encode=thumb_call_never_blx), "Thumb BL to ARM never BLX", 7, everywhere=True),
    # 8. The Thumb bit missing from a data pointer to a Thumb function.
    Bug("abs32-no-thumb-bit", "arm", "R_ARM_ABS32", dict(thumb_bit=False), "ABS32 ignores T", 8,
        everywhere=True),
    Bug("abs32-no-thumb-bit-on-thumb", "thumb", "R_ARM_ABS32", dict(thumb_bit=False), "ABS32 ignores T", 8,
        everywhere=True),
    # 9. No stubs: the range check removed, out-of-reach calls written directly (wrapped).
    Bug("call26-no-stub", "aarch64", "R_AARCH64_CALL26",
        dict(field=unchecked(A64.BRANCH26), stub_state=None), "BL imm26 wraps", 9,
        shows=lambda m: _code_span(m) >= (1 << 27) - 0x1000),
    Bug("arm-call-no-stub", "arm", "R_ARM_CALL",
        dict(field=unchecked(ARM.ARM_CALL), stub_state=None), "BL imm24 wraps", 9,
        shows=lambda m: _code_span(m) >= (1 << 25) - 0x1000),
]

# --------------------------------------------------------------------------
# The property, as the README writes it, with a little bookkeeping
# --------------------------------------------------------------------------

_JITS: Dict[str, rig.Jit] = {}


@pytest.fixture(scope="module", autouse=True)
def _close_jits():
    yield
    for j in _JITS.values():
        j.close()
    _JITS.clear()


def jit_for(target: str) -> rig.Jit:
    if target not in _JITS:
        _JITS[target] = rig.Jit(target, seed=0)
    return _JITS[target]


@dataclasses.dataclass
class Run:
    """What one run of the property saw."""

    examples: int = 0                       #: calls of the test body (generation + shrinking)
    first_failure: Optional[int] = None     #: 1-based index of the first failing example
    first_failing: Optional[dict] = None    #: its placement
    seconds: float = 0.0


def run_property(target: str, run: Run, probe_check: Optional[Callable] = None,
                 use_expected: bool = True) -> Run:
    """Run the placement property for `target`'s program under the `ci` profile.
    Loads the probe inside the caller's swap: the strategy reads the (wrong) table too."""
    src, name, calls, expected = PROGRAMS[target]
    expected = expected if use_expected else None
    jit = jit_for(target)
    t0 = time.monotonic()
    probe = jit.load(src, name=name)
    jit.unload(probe)
    if probe_check is not None:
        probe_check(probe)

    @settings(PROFILE)
    @given(placements(jit, probe))
    def prop(placement):
        run.examples += 1
        try:
            check_placement(jit, src, calls, placement, name=name, expected=expected)
        except AssertionError:
            if run.first_failure is None:
                run.first_failure, run.first_failing = run.examples, placement
            raise

    try:
        prop()
    finally:
        run.seconds = time.monotonic() - t0
    return run


def _placement_in(report: str, label: str) -> Dict[str, int]:
    line = next(l for l in report.splitlines() if l.strip().startswith(label))
    body = line.split(":", 1)[1]
    out = {}
    for part in body.split(","):
        k, _, v = part.strip().rpartition("=")
        out[k] = int(v, 16)
    return out


def _pc32_addends(probe) -> None:
    addends = {r.addend for r in probe.object.relocations if r.howto.name == "R_X86_64_PC32"}
    assert addends == {PC32_A}, f"the PC32 mutant assumes A = {PC32_A} at every site, got {addends}"


@pytest.mark.parametrize("target", sorted(PROGRAMS))
def test_control_the_real_tables_pass(target):
    """Without a bug the same property passes: the failures below are the bugs'."""
    run = run_property(target, Run())
    assert run.first_failure is None
    assert run.examples >= 10, "the strategy rejected almost every example"
    print(f"\ncontrol {target}: {run.examples} examples, {run.seconds:.1f}s")


@pytest.mark.parametrize("bug", BUGS, ids=[b.id for b in BUGS])
def test_injected_bug_is_caught(bug: Bug):
    real = find_row(bug.target, bug.row)
    check = _pc32_addends if bug.row == "R_X86_64_PC32" else None
    run = Run()
    with swap_row(bug.target, bug.row, **bug.changes) as mutant:
        assert find_row(bug.target, bug.row) is mutant
        with pytest.raises((PlacementMismatch, BaseExceptionGroup)) as caught:
            run_property(bug.target, run, check)
    # the swap is undone, for every target sharing the table
    assert find_row(bug.target, bug.row) is real
    if bug.target in ("arm", "thumb"):
        assert find_row("arm", bug.row) is find_row("thumb", bug.row) is real

    # Hypothesis reports each distinct failure (e.g. "expected" and "differs from the
    # reference" raise at different lines) shrunk on its own, in an ExceptionGroup.
    errors = list(caught.value.exceptions) if isinstance(caught.value, BaseExceptionGroup) else [caught.value]
    assert all(isinstance(e, PlacementMismatch) for e in errors), errors
    # caught within the ci budget
    assert run.first_failure is not None and run.first_failure <= CI.max_examples, run
    pinpointed = False
    for e in errors:
        report = str(e)
        notes = "\n".join(getattr(e, "__notes__", ()))
        # informative: program, target, both placements, both results
        assert "bugs_" in report and f" on {bug.target} (" in report, report
        ref = _placement_in(report, "reference (packed):")
        drawn = _placement_in(report, "drawn placement:")
        results = [l.strip() for l in report.splitlines() if l.strip().startswith("->")]
        assert len(results) == 2 and all(len(r) > 3 for r in results), report
        assert "expected [" in report or "load failed" in report or results[0] != results[1], report
        assert "Failing test case" in notes or "Falsifying example" in notes, notes
        # shrunk: no higher than the first failing example; a bug wrong at every placement
        # shrinks to a layout starting where the packed one does (the lowest free room)
        assert min(drawn.values()) <= min(run.first_failing.values()), (drawn, run.first_failing)
        if bug.everywhere:
            assert min(drawn.values()) == min(ref.values()), (drawn, ref)
        if bug.shows is not None:
            assert bug.shows(drawn), report
        # where ld.lld could link it, the differing sites are the mutated row's
        if "sites where the rig and ld.lld differ:" in report:
            sites = report.split("sites where the rig and ld.lld differ:")[1].strip().splitlines()
            assert sites and all(line.strip().startswith(bug.row + " at ") for line in sites), report
            pinpointed = True
    if bug.lld_sees and toolchain.available():
        # the differing sites, or lld's own complaint (32S out of range), name the mutated row
        assert pinpointed or any(bug.row in str(e) for e in errors), errors
    print(f"\n{bug.id} ({bug.what}): first failure at example {run.first_failure}, {run.examples} examples "
          f"with shrinking, {run.seconds:.1f}s, {len(errors)} distinct, lld pinpoints: {pinpointed}")
    for e in errors:
        print(e)


def test_the_bugs_cover_every_kind_and_every_target():
    assert {b.kind for b in BUGS} == set(range(1, 10))
    assert {b.target for b in BUGS} == set(PROGRAMS) == set(rig.pytest_plugin.TARGETS)


@pytest.mark.parametrize("bug", [b for b in BUGS if b.needs_expected], ids=lambda b: b.id)
def test_placement_comparison_alone_misses_a_bug_wrong_everywhere(bug: Bug):
    """Why the stated results matter: without `expected` this bug gives the same wrong
    answer at every placement, the packed reference included, and the property passes."""
    run = Run()
    with swap_row(bug.target, bug.row, **bug.changes):
        run_property(bug.target, run, use_expected=False)
    assert run.first_failure is None and run.examples >= 10


# --------------------------------------------------------------------------
# rig.mutants itself
# --------------------------------------------------------------------------

def test_swap_row_nests_restores_on_error_and_is_shared_by_arm_and_thumb():
    import targets
    arm, thumb = targets.get("arm"), targets.get("thumb")
    table = arm.relocations
    assert thumb.relocations is table
    with pytest.raises(RuntimeError):
        with swap_row("thumb", "R_ARM_ABS32", thumb_bit=False) as outer:
            assert arm.relocations is thumb.relocations is not table
            assert find_row("arm", "R_ARM_ABS32") is outer and not outer.thumb_bit
            assert outer.doc.startswith("MUTANT of R_ARM_ABS32")
            with swap_row("arm", outer.type, encode=ARM._arm_imm16) as inner:
                assert find_row("thumb", "R_ARM_ABS32") is inner
                assert not inner.thumb_bit and inner.field.encode is ARM._arm_imm16
                assert inner.field.name.endswith("(mutant)") and inner.field.size == 4
            assert find_row("arm", "R_ARM_ABS32") is outer
            raise RuntimeError("the block fails")
    assert arm.relocations is thumb.relocations is table


def test_swap_row_rejects_what_a_row_does_not_have():
    with pytest.raises(TypeError, match="unknown row or field attribute"):
        with swap_row("x86_64", "R_X86_64_PC32", encoder=None):
            pass
    with pytest.raises(LookupError, match="no relocation"):
        with swap_row("x86_64", "R_X86_64_NOPE", hi=0):
            pass
    with pytest.raises(TypeError, match="has no field"):
        with swap_row("x86_64", "R_X86_64_NONE", hi=0):
            pass


def test_unchecked_field_keeps_its_declared_reach():
    f = unchecked(A64.BRANCH26)
    assert (f.lo, f.hi, f.align) == (A64.BRANCH26.lo, A64.BRANCH26.hi, 4)
    assert f.fits(1 << 30) and not f.fits(2) and not A64.BRANCH26.fits(1 << 30)
    assert "range check removed" in f.range_text()


def test_a_swapped_table_is_never_served_from_rigs_caches():
    """Objects parsed with one table are not reused with another (keys hold the table's
    id(), and swapped tables stay alive so no id() is reused)."""
    jit = jit_for("x86_64")
    src, name = PROGRAMS["x86_64"][:2]
    rows = lambda: {r.howto.name: r.howto for r in mod.object.relocations}  # noqa: E731
    for _ in range(3):
        with swap_row("x86_64", "R_X86_64_32S", hi=1 << 32) as mutant:
            mod = jit.load(src, name=name)
            jit.unload(mod)
            assert rows()["R_X86_64_32S"] is mutant
        mod = jit.load(src, name=name)
        jit.unload(mod)
        assert rows()["R_X86_64_32S"] is find_row("x86_64", "R_X86_64_32S") is X86.RELOCATIONS[mutant.type]
