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


def test_the_readme_example_reaches_its_aarch64_data_with_adrp():
    """The example's globals are dso_local: on AArch64 the row the README mutates,
    R_AARCH64_ADR_PREL_PG_HI21, is applied (not the GOT's ADR_GOT_PAGE)."""
    import rig
    ir = readme_example().split('IR = """', 1)[1].split('"""', 1)[0]
    with rig.Jit("aarch64", seed=0) as jit:
        types = {r.type for r in jit.load(ir).trace}
    assert "R_AARCH64_ADR_PREL_PG_HI21" in types and "R_AARCH64_ADR_GOT_PAGE" not in types, types


def test_a_placement_bug_fails_the_property(pytester):
    """The property is not vacuous: the README's mutant (ADRP from the unaligned place,
    Page(S + A - P) for R_AARCH64_ADR_PREL_PG_HI21 only) makes the README test fail."""
    pytester.makeconftest('''
import pytest
import rig.mutants
from targets.base import Expr


@pytest.fixture(autouse=True)
def adrp_from_the_unaligned_place():
    with rig.mutants.swap_row("aarch64", "R_AARCH64_ADR_PREL_PG_HI21", expr=Expr.PC,
                              prepare=lambda v: v & ~0xFFF) as row:
        assert "MUTANT" in row.doc
        yield
''')
    pytester.makepyfile(test_my_jit=readme_example())
    # a subprocess: the swapped row must not leak into this process's other tests
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--rig-targets", "aarch64",
                                           "--hypothesis-profile", "ci")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*behaves differently at two placements*",
                                 "*R_AARCH64_ADR_PREL_PG_HI21 at .text*"])
