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


# -- whole programs: files named twice, objects for one machine; no "None" in reports ------------

PROGRAMS = CORPUS / "programs"


def test_extra_module_the_header_already_lists_is_loaded_once(capsys):
    """multi_module.ll's header lists extra/multi_a.ll and extra/multi_b.ll; naming them again
    (one spelled another way) must not load them twice ("duplicate symbol ... in multi_a.ll and
    in multi_a.ll")."""
    again = [str(PROGRAMS / "extra" / "multi_a.ll"), str(PROGRAMS / "extra" / ".." / "extra" / "multi_b.ll")]
    status = main(["run", str(PROGRAMS / "multi_module.ll"), "--target", "x86_64,aarch64", "--placements", "2",
                   "--extra-module", again[0], "--extra-module", again[1], "--json"])
    report = json.loads(capsys.readouterr().out)
    assert status == 6 and report["ok"], report["trials"][0]["error"]      # the header's STATUS
    assert [Path(m).name for m in report["modules"]] == ["multi_module.ll", "multi_a.ll", "multi_b.ll"]
    assert {t["stdout"] for t in report["trials"]} == {
        "a: ctor 110\nmain: ctor 120\nb: ctor 130\nmain: a_value() + b_value() = 6 after 3 constructors\n"
        "b: dtor 130\nmain: dtor 120\na: dtor 110\n"}


def test_program_named_again_as_its_own_extra_module_is_loaded_once(tmp_path, capsys):
    main_ll = tmp_path / "main.ll"
    main_ll.write_text("define i32 @main() {\n  ret i32 3\n}\n")
    assert main(["run", str(main_ll), "--target", "x86_64", "--placements", "1", "-q",
                 "--extra-module", str(main_ll)]) == 3
    assert "duplicate" not in capsys.readouterr().err


MAIN_CALLING_PEER = "declare i32 @forty_two()\ndefine i32 @main() {\n  %v = call i32 @forty_two()\n  ret i32 %v\n}\n"


@pytest.fixture
def peer_objects(tmp_path):
    """main.ll calls forty_two(), defined by peer_<target>.o: one ELF object per machine."""
    import rig
    from rig import compile as C
    (tmp_path / "main.ll").write_text(MAIN_CALLING_PEER)
    for target in ("aarch64", "arm"):
        obj = C.compile_source(b"define i32 @forty_two() {\n  ret i32 42\n}\n", rig.Jit(target).target,
                               C.Options("static"), "peer.ll")
        (tmp_path / f"peer_{target}.o").write_bytes(obj)
    return tmp_path


def test_extra_object_for_one_machine_runs_on_the_targets_it_fits(peer_objects, capsys):
    """With the default --target all, an AArch64 object runs on aarch64 (and the run says so),
    rather than failing on the other three with status 70."""
    d = peer_objects
    status = main(["run", str(d / "main.ll"), "--extra-object", str(d / "peer_aarch64.o"), "--placements", "2",
                   "--json"])
    report = json.loads(capsys.readouterr().out)
    assert status == 42 and report["ok"]
    assert report["targets"] == ["aarch64"] and {t["target"] for t in report["trials"]} == {"aarch64"}
    assert report["notes"] == ["peer_aarch64.o is an EM_AARCH64 ELFCLASS64 object: running on aarch64 only, "
                               "not x86_64, arm, thumb"]
    # without --json the note goes to stderr, before the summary
    assert main(["run", str(d / "main.ll"), "--extra-object", str(d / "peer_arm.o"), "--placements", "1"]) == 42
    err = capsys.readouterr().err
    assert "rig: note: peer_arm.o is an EM_ARM ELFCLASS32 object: running on arm, thumb only" in err
    assert "rig: arm (" in err and "rig: thumb (" in err and "x86_64 (" not in err


def test_extra_object_for_another_machine_than_the_named_target_is_a_message(peer_objects, capsys):
    d = peer_objects
    assert main(["run", str(d / "main.ll"), "--extra-object", str(d / "peer_aarch64.o"),
                 "--target", "x86_64,aarch64", "--placements", "1"]) == 2
    err = capsys.readouterr().err
    assert (f"rig: error: {d / 'peer_aarch64.o'}: an EM_AARCH64 ELFCLASS64 object, for target aarch64, "
            f"not for x86_64 (--target); run it with --target aarch64") in err
    # two objects for different machines: no target runs both
    assert main(["run", str(d / "main.ll"), "--extra-object", str(d / "peer_arm.o"),
                 "--extra-object", str(d / "peer_aarch64.o"), "--placements", "1"]) == 2
    assert "no target runs them all" in capsys.readouterr().err


def test_entry_json_states_the_call_without_an_expectation(tmp_path, capsys):
    """`--entry f` states no result: the JSON shows the call as made, not "f(3, 2.5) == None"."""
    src = tmp_path / "f.ll"
    src.write_text("define double @f(i32 %a, double %b) {\n %x = sitofp i32 %a to double\n"
                   " %r = fmul double %x, %b\n ret double %r }\n")
    assert main(["run", str(src), "--target", "x86_64", "--entry", "f", "--args", "3", "2.5",
                 "--placements", "1", "--json"]) == 0
    text = capsys.readouterr().out
    assert "None" not in text
    assert {c["call"] for t in json.loads(text)["trials"] for c in t["calls"]} == {"f(3, 2.5)"}
    # a stated call keeps its expectation
    stated = tmp_path / "g.ll"
    stated.write_text("; CALL: g(4) == 8\ndefine i32 @g(i32 %x) {\n %r = shl i32 %x, 1\n ret i32 %r }\n")
    assert main(["run", str(stated), "--target", "x86_64", "--placements", "1", "--json"]) == 0
    assert {c["call"] for t in json.loads(capsys.readouterr().out)["trials"] for c in t["calls"]} == {"g(4) == 8"}


def test_failing_entry_report_names_no_expectation(tmp_path, capsys):
    src = tmp_path / "trap.ll"
    src.write_text("declare void @llvm.trap()\ndefine i32 @f(i32 %x) {\n  call void @llvm.trap()\n"
                   "  unreachable\n}\n")
    assert main(["run", str(src), "--target", "x86_64", "--entry", "f", "--args", "3", "--placements", "1"]) == 1
    out = capsys.readouterr().out
    assert "FAIL x86_64/static placement 0" in out and "f(3) -> error: invalid instruction" in out
    assert "None" not in out                  # was "... stdout '' (expected None)"
