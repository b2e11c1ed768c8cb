"""The kill matrix (issue 14): every relocation bug in tests/kill/bugs_*.py, injected
into a copy of its target's table, makes the DEFAULT campaign (`rig.fuzz.campaign`
with its defaults: the type-directed sweep, then 200 corpus examples) fail, on every
seed tried.  `RIG_KILL_SEEDS` seeds per bug (default 1 in the suite; the README's
measurement uses 10: ``RIG_KILL_SEEDS=10 python -m pytest -n auto tests/test_kill_matrix.py``).

A control runs the same campaign with the real tables: it must pass, or the kills
prove nothing.  The campaign runs with `first_failure`: it stops at the first failing
recipe and shrinks nothing, which changes nothing of what it draws (only whether it
goes on after a bug is caught), so a caught bug costs at most one sweep of its target.
"""
from __future__ import annotations

import os
from collections import Counter

import pytest

import targets
from rig.fuzz import campaign
from rig.mutants import BUG_KINDS
from tests.kill import all_bugs

SEEDS = int(os.environ.get("RIG_KILL_SEEDS", "1"))
BUGS = all_bugs()


def test_the_matrix_is_wide():
    """At least 40 bugs, of most kinds, on every architecture, with unique names."""
    assert len(BUGS) >= 40
    names = Counter(b.name for b in BUGS)
    assert not [n for n, c in names.items() if c > 1], "bug names must be unique"
    kinds = {b.kind for b in BUGS}
    assert len(kinds) >= 8, f"kinds covered: {sorted(kinds)} of {BUG_KINDS}"
    tables = {id(targets.get(b.target).relocations) for b in BUGS}
    assert len(tables) == 3                 # x86-64, AArch64, and the ARM/Thumb table


@pytest.mark.parametrize("name", targets.NAMES)
def test_control_campaign_passes(name):
    report = campaign([name], seed=0, database=None, examples=20)[0]
    assert not report.failures, report.failures
    assert not report.never, f"{name}: rows never applied: {report.never}"


@pytest.mark.parametrize("bug", BUGS, ids=[b.name for b in BUGS])
def test_default_campaign_catches(bug):
    missed = []
    for seed in range(SEEDS):
        with bug.inject():
            report = campaign([bug.target], seed=seed, database=None, first_failure=True)[0]
        if not report.failures:
            missed.append(seed)
    assert not missed, f"{bug.name} ({bug.kind}, {bug.row} on {bug.target}) survived the default campaign " \
                       f"with seed(s) {missed} of {SEEDS}"
