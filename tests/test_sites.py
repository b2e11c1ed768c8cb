"""The type-directed generator (rig.strategies.relocation_sites / sweep): every row
of every table has a recipe, the recipes' oracle is their own, a finding names the
row, the numbers and what the rig did, and a failing example is saved and replayed."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis.database import InMemoryExampleDatabase

import targets
from rig.fuzz import campaign
from rig.mutants import find_row, swap_row
from rig.strategies import SiteMismatch, checker, relocation_sites, sweep
from targets.base import SiteRecipe

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("name", targets.NAMES)
def test_every_row_of_the_table_has_a_recipe(name):
    t = targets.get(name)
    rows = {h.name for h in t.relocations.values()}
    covered = {r.row for r in t.site_recipes()}
    assert rows == covered, f"rows without a recipe: {sorted(rows - covered)}; unknown: {sorted(covered - rows)}"


def test_recipes_never_import_the_tables():
    """The recipes are the oracle: a bug in a table's encoder, range or expression must
    not flow into what they expect."""
    for path in sorted((ROOT / "targets").glob("*_sites.py")):
        tree = ast.parse(path.read_text())
        names = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
        names += [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
        assert not [m for m in names if "relocs" in m or "mutants" in m], (path.name, names)
        assert "find_row" not in path.read_text() and ".relocations" not in path.read_text(), path.name


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(case=relocation_sites("aarch64", rows=["R_AARCH64_ADR_PREL_PG_HI21", "R_AARCH64_CALL26"]))
def test_the_public_strategy_draws_checkable_cases(case):
    assert case.recipe.row in ("R_AARCH64_ADR_PREL_PG_HI21", "R_AARCH64_CALL26")
    result = checker("aarch64").check(case)
    assert result.overflow or any(t == case.recipe.row for t, _ in result.records)


def test_a_finding_names_the_row_the_numbers_and_what_the_rig_did():
    f = find_row("x86_64", "R_X86_64_PC32").field
    with swap_row("x86_64", "R_X86_64_PC32", encode=lambda w, v: f.encode(w, v + 4)):
        report = sweep("x86_64", per_recipe=5, seed=1)
    assert report.failures
    msg = next(m for m in report.failures if m.startswith("R_X86_64_PC32"))
    for part in ("on x86_64", "S=0x", "P=0x", "expected 0x", "by the psABI, got 0x", "the rig did: R_X86_64_PC32 at .rig.site+"):
        assert part in msg, msg


def test_a_recipe_that_applies_another_row_is_refused():
    """A recipe must apply the row it names (an assembler may fold or relax it away)."""
    good = next(r for r in checker("x86_64").recipes if r.row == "R_X86_64_PC32")
    wrong = SiteRecipe("R_X86_64_PC64", good.asm, expect=good.expect, params=good.params,
                       field_offset=good.field_offset)
    c = checker("x86_64")
    case = next(iter([c.random_case(wrong, __import__("random").Random(1), aims=("uniform",))]))
    with pytest.raises(SiteMismatch, match="applies no R_X86_64_PC64"):
        c.check(case)


def test_a_failing_site_example_is_saved_and_replayed_first():
    """With ADRP's page mask broken the campaign's sweep fails; the failing example is in
    the database, and a campaign of one example per recipe finds it again from there."""
    db = InMemoryExampleDatabase()
    with swap_row("aarch64", "R_AARCH64_ADR_PREL_PG_HI21", prepare=lambda v: v + 0x1000):
        (first,) = campaign(["aarch64"], examples=5, database=db)
        assert any("R_AARCH64_ADR_PREL_PG_HI21" in m for m in first.failures), first.failures
        assert sum(len(list(db.fetch(k))) for k in list(db.data)) >= 1
        (again,) = campaign(["aarch64"], examples=1, database=db, site_examples=1)
        assert any("R_AARCH64_ADR_PREL_PG_HI21" in m for m in again.failures)
    (clean,) = campaign(["aarch64"], examples=5, database=None, seed=3)
    assert not clean.failures and not clean.never


def test_a_negative_site_example_count_is_a_clear_error(capsys):
    from rig.cli import main
    assert main(["fuzz", "--target", "x86_64", "--site-examples", "-1", "--jobs", "1", "--db", ""]) == 2
    assert "--site-examples must be 0" in capsys.readouterr().err
