"""`rig fuzz`: the campaign, its coverage report, its example database."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from hypothesis.database import InMemoryExampleDatabase

from rig import fuzz
from rig.cli import main

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def test_fuzz_all_targets_json(capsys, tmp_path):
    assert main(["fuzz", "--target", "all", "--examples", "30", "--seed", "1", "--corpus", str(CORPUS),
                 "--db", str(tmp_path / "db"), "--json", "--jobs", "2"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ok"]
    by_target = {t["target"]: t for t in report["targets"]}
    assert set(by_target) == {"x86_64", "arm", "thumb", "aarch64"}
    for t in by_target.values():
        assert t["examples"] >= 20 and not t["failures"]
        assert t["relocations"] and t["never_applied"] is not None
        # the type-directed sweep: every row of the table applied, per type sites and values counted
        assert t["never_applied"] == [] and t["site_recipes"] >= 50
        assert all(v["generator_sites"] >= 1 for v in t["types"].values()), t["types"]
        assert sum(v["distinct_values"] >= 5 for v in t["types"].values()) >= 20
    assert by_target["aarch64"]["relocations"].get("R_AARCH64_CALL26")


def test_fuzz_minutes_runs_batches_until_the_deadline(capsys, tmp_path):
    """`--minutes` (a README line) runs batch after batch until its time is up."""
    import time
    start = time.monotonic()
    assert main(["fuzz", "--target", "aarch64", "--minutes", "0.1", "--seed", "1", "--corpus", str(CORPUS),
                 "--db", str(tmp_path / "db"), "--json"]) == 0
    took = time.monotonic() - start
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] and not report["targets"][0]["failures"]
    assert took >= 6                                  # it ran to the deadline, not one batch
    assert report["targets"][0]["examples"] > 20      # more than one batch of 20


def test_fuzz_prints_the_coverage_table(capsys, tmp_path):
    assert main(["fuzz", "--target", "thumb", "--examples", "10", "--corpus", str(CORPUS), "--db", "",
                 "--jobs", "1"]) == 0
    out = capsys.readouterr().out
    assert "relocation types applied" in out and "never applied" in out and "thumb" in out


def test_a_failure_is_saved_and_replayed_first(tmp_path):
    """A swapped (broken) row fails the campaign; the failing example goes to the
    database, and the next campaign finds it again from there at once."""
    from rig.mutants import swap_row
    db = InMemoryExampleDatabase()
    with swap_row("aarch64", "R_AARCH64_ADR_PREL_PG_HI21", prepare=lambda v: v + 0x1000):
        first = fuzz.campaign(["aarch64"], examples=50, corpus_dir=CORPUS, database=db, site_examples=0)
        assert first[0].failures
        msg = first[0].failures[0]
        # a corpus call with a wrong result, two placements that differ, or a whole program that
        # fails or gives another status or output than its header states
        assert any(m in msg for m in ("does not give the stated results", "behaves differently", "failed at",
                                      "its header states")), msg
        saved = sum(len(list(db.fetch(k))) for k in list(db.data))
        assert saved >= 1
        again = fuzz.campaign(["aarch64"], examples=1, corpus_dir=CORPUS, database=db, site_examples=0)
        assert again[0].failures            # replayed from the database within one example
    clean = fuzz.campaign(["aarch64"], examples=20, corpus_dir=CORPUS, database=None, site_examples=0)
    assert not clean[0].failures


def test_redis_database_is_usable(tmp_path):
    """The shared database for campaigns on several machines (here a fake Redis)."""
    import fakeredis
    from hypothesis.extra.redis import RedisExampleDatabase
    db = RedisExampleDatabase(fakeredis.FakeRedis())
    reports = fuzz.campaign(["x86_64"], examples=10, corpus_dir=CORPUS, database=db, site_examples=0)
    assert not reports[0].failures and reports[0].examples >= 5


def test_jobs_2_runs_two_workers_with_their_own_seeds_and_merges(tmp_path):
    """One target over two workers: four shares, seeds 5 to 8, two processes; the
    merged report's examples and relocation types are the shares' sums."""
    from functools import partial
    from tests import fuzz_workers
    last = {}
    reports = fuzz.parallel_campaign(["aarch64"], 2, examples=16, seed=5, corpus_dir=CORPUS, site_examples=0,
                                     database=str(tmp_path / "db"), watch=lambda *a: last.__setitem__(a[0], a),
                                     setup=partial(fuzz_workers.note_pid, str(tmp_path)))
    assert [(s.part, s.examples, s.seed) for s in fuzz.shares(["aarch64"], 2, 16, 5)] == [
        (0, 4, 5), (1, 4, 6), (2, 4, 7), (3, 4, 8)]
    pids = {(tmp_path / f"worker-{k}").read_text() for k in (0, 1)}
    assert len(pids) == 2 and str(os.getpid()) not in pids
    (r,) = reports
    assert not r.failures and set(last) == {0, 1, 2, 3}
    assert all(last[k][2] > 0 for k in last)
    assert r.examples == sum(last[k][2] for k in last)
    assert set(r.relocations) == set().union(*(last[k][3] for k in last))
    applied = set(r.relocations)
    assert r.never and not applied & set(r.never)


def test_a_failure_in_a_worker_is_reported_and_saved_in_the_shared_database(tmp_path):
    """With AArch64's ADRP row broken in the workers, the worker on aarch64 fails (the
    one on x86_64 does not); the parent reports it, and the failing example is in the
    shared directory database: a campaign here with the same bug replays it at once."""
    from rig.mutants import swap_row
    from tests import fuzz_workers
    db = tmp_path / "db"
    # no seed: Hypothesis neither reads nor writes the database of a test run with @seed
    reports = fuzz.parallel_campaign(["x86_64", "aarch64"], 2, examples=50, corpus_dir=CORPUS, site_examples=0,
                                     database=str(db), setup=fuzz_workers.break_aarch64_adrp)
    by = {r.target: r for r in reports}
    assert not by["x86_64"].failures and by["aarch64"].failures
    assert any(m in by["aarch64"].failures[0]
               for m in ("does not give the stated results", "behaves differently", "failed at"))
    assert any(p.is_file() for p in db.rglob("*"))
    with swap_row("aarch64", "R_AARCH64_ADR_PREL_PG_HI21", prepare=lambda v: v + 0x1000):
        again = fuzz.campaign(["aarch64"], examples=1, corpus_dir=CORPUS, database=str(db), site_examples=0)
    assert again[0].failures            # replayed from the workers' database within one example


def test_a_worker_that_dies_is_a_failure_naming_it(tmp_path):
    from tests import fuzz_workers
    reports = fuzz.parallel_campaign(["x86_64", "aarch64"], 2, examples=5, seed=1, corpus_dir=CORPUS, site_examples=0,
                                     database=None, setup=fuzz_workers.die_in_worker_1)
    by = {r.target: r for r in reports}
    assert not by["x86_64"].failures and by["x86_64"].examples >= 3
    (msg,) = by["aarch64"].failures
    assert msg.startswith("worker 1 (pid ") and "died (exit status 3) while running aarch64" in msg


EXAMPLES = {}


@pytest.mark.parametrize("target", ["x86_64", "arm", "thumb", "aarch64"])
@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large])
@given(data=st.data())
def test_placement_invariance(target, data):
    """The campaign's property as a plain Hypothesis test: what `pytest -n auto` spreads over
    cores and `hypothesis fuzz -- tests/test_fuzz.py -k placement_invariance` (HypoFuzz) fuzzes."""
    if target not in EXAMPLES:
        EXAMPLES[target] = fuzz.Examples(target, fuzz.corpus_programs(CORPUS, target))
    EXAMPLES[target].example(data)


WHOLE = {t: fuzz.whole_programs(CORPUS, t) for t in ("x86_64", "arm", "thumb", "aarch64")}


@pytest.mark.parametrize("target", sorted(WHOLE))
def test_whole_programs_are_placement_invariant(target):
    """Every module of a whole program at its own drawn placement (constructor
    tables, COMMON, weak and COMDAT links across modules included) still gives
    the status and output its header states."""
    examples = fuzz.Examples(target, [], whole=WHOLE[target], generated=False)
    seen = set()

    @settings(max_examples=40, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def prop(data):
        before = examples.report.examples
        examples._whole(data)
        if examples.report.examples > before:
            seen.add(target)

    prop()
    assert target in seen and examples.report.examples >= 20
    assert len(examples.report.relocations) >= 3        # code, data and constructor-table sites


def test_whole_program_property_catches_a_broken_row():
    """The property can fail: with .init_array's pointer relocation (R_ARM_TARGET1,
    which ARM EABI uses there) broken, a program with constructors goes wrong."""
    from rig.mutants import swap_row
    from rig.properties import PlacementMismatch, check_program
    from rig.jit import Jit
    prog = next(p for p in WHOLE["arm"] if p.name == "ctors_dtors.ll")
    with swap_row("arm", "R_ARM_TARGET1", prepare=lambda v: v + 4):
        jit = Jit("arm", seed=1)
        probe = jit.load(prog.path, defer_undefined=True)
        jit.unload(probe)
        with pytest.raises(PlacementMismatch, match="ctors_dtors.ll on arm"):
            check_program(jit, prog, [probe.layout.mapping()])
