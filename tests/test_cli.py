"""The `rig` command as a user runs it."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from rig.cli import main

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.ll")), ids=lambda p: p.name)
def test_run_corpus_program_all_targets_20_placements(path, capsys):
    status = main(["run", str(path), "--target", "all", "--placements", "20", "--json"])
    report = json.loads(capsys.readouterr().out)
    bad = [t for t in report["trials"] if not t["ok"]][:2]
    assert status == 0 and report["ok"], (bad, report["disagreements"][:2])
    assert {t["target"] for t in report["trials"]} <= {"x86_64", "arm", "thumb", "aarch64"}
    assert len(report["trials"]) >= 20 * 2


def test_run_entry_with_args(capsys, tmp_path):
    src = tmp_path / "f.ll"
    src.write_text("define double @f(i32 %a, double %b) {\n %x = sitofp i32 %a to double\n"
                   " %r = fmul double %x, %b\n ret double %r }\n")
    assert main(["run", str(src), "--target", "all", "--entry", "f", "--args", "3", "2.5",
                 "--placements", "3", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert {c["value"] for t in report["trials"] for c in t["calls"]} == {7.5}


def test_run_reports_failure_exit_status(capsys, tmp_path):
    src = tmp_path / "bad.ll"
    src.write_text("; CALL: f() == 2\ndefine i32 @f() { ret i32 1 }\n")
    assert main(["run", str(src), "--target", "x86_64,aarch64", "--placements", "2"]) == 1
    out = capsys.readouterr().out
    assert "FAIL" in out and "expected 2" in out


def test_run_error_is_a_message_not_a_traceback(capsys, tmp_path):
    assert main(["run", str(tmp_path / "missing.ll")]) == 2
    assert "rig: error: cannot read" in capsys.readouterr().err


def test_targets_json(capsys):
    assert main(["targets", "--json"]) == 0
    rows = {r["name"]: r for r in json.loads(capsys.readouterr().out)}
    assert set(rows) == {"x86_64", "arm", "thumb", "aarch64"}
    assert rows["thumb"]["triple"].startswith("thumbv7")


def test_demo(capsys):
    assert main(["demo", "--placements", "2", "--seed", "5"]) == 0
    out = capsys.readouterr().out
    assert "8 trials on 4 targets: same results at every placement" in out


def test_run_c_on_all_targets(capsys, tmp_path):
    src = tmp_path / "f.c"
    src.write_text("// rig: C through the toolchain\n// SIG: f i64(i64)\n// CALL: f(40) == 42\n"
                   "long long f(long long x) { return x / 2 + 22; }\n")
    assert main(["run", str(src), "--target", "all", "--placements", "3", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert {t["target"] for t in report["trials"]} == {"x86_64", "arm", "thumb", "aarch64"}


def test_relocs_json_every_type_is_exercised_by_the_corpus(capsys):
    assert main(["relocs", "--json", "--corpus", str(CORPUS)]) == 0
    rows = json.loads(capsys.readouterr().out)
    import targets
    for name in ("x86_64", "arm", "thumb", "aarch64"):
        listed = {r["name"] for r in rows if r["target"] == name}
        assert listed == {h.name for h in targets.get(name).relocations.values()}
    missing = sorted((r["target"], r["name"]) for r in rows if not r["corpus_sites"])
    # No assembler names type 256 (R_AARCH64_NULL, the withdrawn NONE number): the test
    # tests/targets/test_aarch64_asm.py renumbers an assembled NONE to exercise it.
    assert missing == [("aarch64", "R_AARCH64_NULL")], missing


def test_bench_quick_json(capsys):
    """A smoke run of the benchmark: it measures, it does not judge."""
    assert main(["bench", "--target", "thumb", "--quick", "--json", "--no-compare"]) == 0
    r = json.loads(capsys.readouterr().out)["thumb"]
    assert r["small"]["trials_per_second"] > 0 and r["floor_seconds_per_trial"] > 0
    assert r["large"]["relocations"] >= 1000 and r["large"]["relocations_per_second"] > 0
    assert 0 < r["cached_fraction"] < r["disk_cached_fraction"] < 1
    assert r["memory_trials"] == 500 and "lld_qemu" not in r
    assert r["peak_rss_mib"] > 20


def test_bench_times_a_corpus_program(capsys):
    assert main(["bench", "--target", "aarch64", "--quick", "--json", "--no-compare",
                 "--program", str(CORPUS / "dispatch.ll"), "--memory-trials", "10"]) == 0
    r = json.loads(capsys.readouterr().out)["aarch64"]
    assert r["program"] == "dispatch.ll" and r["small"]["relocations"] > 10


def test_bench_program_without_a_call_is_a_message(tmp_path, capsys):
    p = tmp_path / "nocall.ll"
    p.write_text("; rig: nothing to call\ndefine void @g() { ret void }\n")
    assert main(["bench", "--target", "x86_64", "--quick", "--program", str(p)]) == 2
    assert "states no CALL" in capsys.readouterr().err


def test_bench_scaling_quick(capsys):
    assert main(["bench", "--target", "x86_64", "--quick", "--scaling", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["x86_64"]
    assert [r["relocations"] for r in rows["relocations"]] == sorted(r["relocations"] for r in rows["relocations"])
    assert all(r["step"] > 0 for r in rows["relocations"][1:] + rows["sections"][1:])


@pytest.mark.parametrize("command", [["relocs"], ["fuzz", "--examples", "1"], ["bench", "--quick"],
                                     ["run", str(CORPUS / "dispatch.ll")]])
def test_unknown_target_is_a_message(command, capsys):
    assert main(command + ["--target", "mips"]) == 2
    assert "unknown target(s) mips" in capsys.readouterr().err
