"""The pytest plugin as a user meets it: the README's example, run by pytest itself."""
from __future__ import annotations

from pathlib import Path

pytest_plugins = ["pytester"]

README = Path(__file__).resolve().parent.parent / "README.md"


def readme_example() -> str:
    """The plugin example from README.md, verbatim."""
    text = README.read_text()
    start = text.index("```python\n# test_my_jit.py")
    return text[start + len("```python\n"):text.index("```", start + 10)]


def test_readme_example_runs_on_all_four_targets(pytester):
    pytester.makepyfile(test_my_jit=readme_example())
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=4)


def test_rig_targets_option_and_profiles(pytester):
    pytester.makepyfile(test_my_jit=readme_example())
    result = pytester.runpytest("-p", "no:cacheprovider", "--rig-targets", "thumb,aarch64", "-v",
                                "--hypothesis-profile", "dev")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(["*[[]thumb[]]*PASSED*", "*[[]aarch64[]]*PASSED*"])
    bad = pytester.runpytest("-p", "no:cacheprovider", "--rig-targets", "mips")
    assert bad.ret != 0
    bad.stderr.fnmatch_lines(["*--rig-targets: unknown target(s) mips*"])


def test_a_placement_bug_fails_the_property(pytester):
    """The property is not vacuous: a wrong relocation row makes the README test fail."""
    pytester.makeconftest('''
import targets
from targets.base import Howto
t = targets.get("aarch64")
rows = dict(t.relocations)
from targets.base import Expr
for k, h in rows.items():
    # the classic: the ADRP page taken as Page(S + A - P), from the unaligned place
    if h.name in ("R_AARCH64_ADR_GOT_PAGE", "R_AARCH64_ADR_PREL_PG_HI21"):
        f = type(h.field)(h.field.name, h.field.size, h.field.encode, h.field.addend,
                          h.field.lo, h.field.hi, h.field.align, prepare=lambda v: v & ~0xFFF)
        rows[k] = Howto(h.name, h.type, Expr.GOT_PC if "GOT" in h.name else Expr.PC, f)
object.__setattr__(t, "relocations", rows)
''')
    pytester.makepyfile(test_my_jit=readme_example())
    # a subprocess: the swapped row must not leak into this process's other tests
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--rig-targets", "aarch64")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*behaves differently at two placements*"])
