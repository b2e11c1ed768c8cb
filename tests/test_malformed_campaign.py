"""Hostile inputs on every target: only RigErrors come out, and the Jit runs good code after each.

`rig.malformed.inputs(target)` draws mutated ELF objects, IR text, bitcode and random
bytes made from the corpus.  Objects (and bytes the loader takes for one) are checked in
this process; IR and bitcode go to a sandboxed child (`rig.malformed.Sandbox`), since
LLVM can end the process it runs in, and the test must see that as a crash of that
input rather than die with it.  About 850 inputs per target, 3,400 in all; `rig fuzz
--malformed --count 10000` is the long run.
"""
from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, Phase, given, settings

import rig.malformed as malformed
from rig.cli import main
from rig.malformed.check import SELFTEST_ABORT, SELFTEST_SLEEP, SELFTEST_STUCK

TARGETS = ("x86_64", "arm", "thumb", "aarch64")
#: Examples per target: objects are cheap (a parse, a layout, a link, a few calls: ~6 ms);
#: IR and bitcode cost a compile in the worker and a round trip to the sandbox.
OBJECT_EXAMPLES = 600
LLVM_EXAMPLES = 250
#: Seconds one input may take in the sandbox before it counts as a hang, and the compile
#: limit the child's Jits have (`Limits.compile_seconds`): a compile LLVM would spend
#: minutes on (`i8388608` arithmetic) must stop there, as the rig's own CompileLimitExceeded.
#: Low, since stopping a compile is always allowed and a few such inputs come up per run.
SANDBOX_TIMEOUT = 30.0
COMPILE_SECONDS = 2.0


@pytest.fixture(scope="module")
def sandbox():
    """One child process per test module (and xdist worker), replaced when an input kills it."""
    box = malformed.Sandbox(timeout=SANDBOX_TIMEOUT, compile_seconds=COMPILE_SECONDS)
    yield box
    box.stop()


def _check(inp: malformed.Input, checker: malformed.Checker, sandbox: malformed.Sandbox) -> None:
    # What reaches LLVM runs in the child; an abort there is a "crash" outcome, not our end.
    out = sandbox.run(inp) if inp.reaches_llvm else checker.check(inp, alarm=SANDBOX_TIMEOUT)
    assert out.ok, f"{inp.target}, {inp.kind} input ({inp.how}):\n{out.describe()}"


#: (input kinds, examples, Hypothesis phases): objects and random bytes shrink; IR and
#: bitcode do not (each step is a compile, and a hang costs the whole timeout; the failure
#: message says how the input was made, which is what shrinking would find out).
KINDS = {
    "objects": (("elf", "bytes"), OBJECT_EXAMPLES, tuple(Phase)),
    "llvm": (("ir", "bitcode"), LLVM_EXAMPLES, (Phase.explicit, Phase.reuse, Phase.generate)),
}


@pytest.mark.parametrize("kinds", sorted(KINDS))
@pytest.mark.parametrize("target", TARGETS)
def test_hostile_inputs_raise_only_rig_errors(target, kinds, sandbox):
    kind_names, examples, phases = KINDS[kinds]
    checker = malformed.Checker(target)

    @settings(max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck), phases=phases)
    @given(malformed.inputs(target, kinds=kind_names))
    def prop(inp):
        _check(inp, checker, sandbox)

    try:
        prop()
    finally:
        checker.close()


def test_generation_is_reproducible_from_seed_and_index():
    a = malformed.input_for("arm", 5, 17)
    b = malformed.input_for("arm", 5, 17)
    assert a == b and a != malformed.input_for("arm", 5, 18)


def test_every_kind_is_generated():
    kinds = {malformed.input_for("aarch64", 1, i).kind for i in range(60)}
    assert kinds == set(malformed.KINDS)


def test_sandbox_counts_a_crash_and_both_kinds_of_hang(monkeypatch):
    # The child obeys these inputs only with RIG_MALFORMED_SELFTEST=1 (it inherits the environment).
    monkeypatch.setenv("RIG_MALFORMED_SELFTEST", "1")
    with malformed.Sandbox(timeout=3.0) as box:
        crash = box.run(malformed.Input("x86_64", "bytes", SELFTEST_ABORT, "selftest"))
        assert crash.status == "crash" and "SIGABRT" in crash.exception, crash.describe()
        asleep = box.run(malformed.Input("x86_64", "bytes", SELFTEST_SLEEP, "selftest"))
        assert asleep.status == "hang" and "Hang" in asleep.exception, asleep.describe()
        stuck = box.run(malformed.Input("x86_64", "bytes", SELFTEST_STUCK, "selftest"))
        assert stuck.status == "hang" and "was killed" in stuck.message, stuck.describe()
        after = box.run(malformed.Input("x86_64", "bytes", b"\x7fELF", "truncated"))
        assert after.status == "rejected" and after.errors == ("BadObject",), after.describe()
        assert box.started == 4          # a fresh child after each finding


def test_rig_fuzz_malformed_end_to_end(tmp_path, capsys):
    status = main(["fuzz", "--malformed", "--count", "40", "--target", "x86_64", "--seed", "11",
                   "--save", str(tmp_path / "found")])
    out = capsys.readouterr().out
    assert "x86_64: 40 inputs" in out, out
    for row in ("RigErrors by class", "non-RigError exceptions", "hangs", "crashes", "peak RSS"):
        assert row in out, out
    assert status == 0, out
    assert "only RigErrors from 40 inputs" in out


def test_rig_fuzz_malformed_json_adds_up(capsys):
    status = main(["fuzz", "--malformed", "--count", "24", "--target", "arm,aarch64", "--seed", "4",
                   "--save", "", "--json", "--jobs", "2"])
    report = json.loads(capsys.readouterr().out)
    assert report["inputs"] == 24 and report["seed"] == 4
    for t in report["targets"]:
        assert t["inputs"] == 12
        assert t["loaded"] + t["rejected"] + t["failures"] == t["inputs"], t
        assert t["peak_rss"] > 0
    assert status == (0 if report["ok"] else 1)
