"""rig.comparisons: the same trials with ld.lld + qemu-user and with lli -remote-mcjit.

The external tools are optional (the README does not install them), so each
test that needs one is skipped where it is missing; on a machine that has them
the comparisons must run the program and check its status.  That a wrong status
from any run (lli's remote child included) raises `ComparisonFailed` is also
tested everywhere, with `comparisons._run` answering for tools that are not run.
"""
from __future__ import annotations

import platform
import random
import shutil
import subprocess

import pytest

from rig import bench, comparisons as cmp
from rig.errors import RigError, SignatureError
from tests.matrix import FULL, NATIVE_TARGETS

SMALL = bench.SMALL          # the benchmark's own small program
# f(0) twice: a(0) = 3, stored in @counter, then a(3) = 6.
EXPECTED = 6


def needs_qemu(target: str):
    qemu = cmp.TOOLS[target][1]
    return pytest.mark.skipif(shutil.which(qemu) is None,
                              reason=f"{qemu} (apt-get install qemu-user) or the ziglang package is missing")


needs_lli = pytest.mark.skipif(platform.machine() not in ("x86_64", "AMD64") or not (cmp.find_lli() or (0, 0))[1],
                               reason="lli and lli-child-target (apt-get install llvm-19) on an x86-64 host")


#: the native oracles' targets unless RIG_FULL=1 (tests/matrix.py): ARM's first zig build is a minute cold
@pytest.mark.parametrize("target", [pytest.param(t, marks=needs_qemu(t)) for t in cmp.TOOLS
                                    if FULL or t in NATIVE_TARGETS])
def test_lld_qemu_runs_every_trial_with_the_expected_status(target):
    r = cmp.lld_qemu_cost(target, SMALL, "f", (0,), n=2, expected=EXPECTED, calls=2, seed=1)
    assert r is not None
    assert r["expected"] == EXPECTED and r["trials"] == 2
    assert r["link_seconds"] > 0 and r["run_seconds"] > 0
    assert r["seconds_per_trial"] >= max(r["link_seconds"], r["run_seconds"])
    assert r["tool"].startswith("ld.lld ") and cmp.TOOLS[target][1] in r["tool"]


@needs_qemu("x86_64")
def test_lld_qemu_takes_the_status_of_the_reference_run_without_an_oracle():
    assert cmp.lld_qemu_cost("x86_64", SMALL, "f", (1,), n=1)["expected"] == 0     # b(0)


@needs_qemu("aarch64")
def test_lld_qemu_raises_on_a_wrong_expected_status():
    with pytest.raises(cmp.ComparisonFailed, match="qemu-aarch64.*status 6, expected 7"):
        cmp.lld_qemu_cost("aarch64", SMALL, "f", (0,), n=1, expected=7, calls=2)


def test_lld_qemu_rejects_an_unknown_target():
    with pytest.raises(LookupError):
        cmp.lld_qemu_cost("mips", SMALL, "f", (0,), n=1)


@needs_lli
def test_lli_remote_runs_every_trial_with_the_expected_status():
    r = cmp.lli_remote_cost(SMALL, "f", (0,), n=2, expected=EXPECTED, calls=2)
    assert r is not None
    assert r["seconds_per_trial"] > 0 and r["in_process_seconds"] > 0
    assert r["expected"] == EXPECTED and r["trials"] == 2
    assert r["remote_statuses"] == [EXPECTED, EXPECTED]     # what each remote run exited with
    assert r["tool"].startswith("lli ") and r["tool"].endswith("-remote-mcjit")


@needs_lli
def test_lli_raises_on_a_wrong_expected_status():
    with pytest.raises(cmp.ComparisonFailed, match="lli.*status 6, expected 7"):
        cmp.lli_remote_cost(SMALL, "f", (0,), n=1, expected=7, calls=2)


def _fake_tools(monkeypatch, statuses):
    """lli and lli-child-target that are not run: `comparisons._run` answers each
    command with the next status of `statuses[tool]` ("lli" in process, "remote")."""
    monkeypatch.setattr(cmp.platform, "machine", lambda: "x86_64")
    monkeypatch.setattr(cmp, "find_lli", lambda: ("/fake/lli", "/fake/lli-child-target"))
    monkeypatch.setattr(cmp, "_version", lambda cmd: "19.1.7")
    seen = []

    def run(cmd, tool, what, **kw):
        seen.append(cmd)
        kind = "remote" if "-remote-mcjit" in cmd else "lli"
        status = statuses[kind].pop(0)
        return subprocess.CompletedProcess(cmd, status, b"", b"fake stderr of " + kind.encode()), 0.01

    monkeypatch.setattr(cmp, "_run", run)
    return seen


def test_lli_remote_raises_when_the_remote_status_differs(monkeypatch):
    """The remote run is held to the status like every other run (README: the comparison
    tools must exit with the rig's status, or the benchmark stops with ComparisonFailed)."""
    seen = _fake_tools(monkeypatch, {"lli": [EXPECTED, EXPECTED], "remote": [EXPECTED, 5]})
    with pytest.raises(cmp.ComparisonFailed,
                       match=r"(?s)lli -remote-mcjit: trial 1 exited with status 5, expected 6.*fake stderr of remote"):
        cmp.lli_remote_cost(SMALL, "f", (0,), n=3, expected=EXPECTED, calls=2)
    assert len(seen) == 4           # stopped at the first wrong status


def test_lli_remote_raises_when_the_remote_run_is_killed(monkeypatch):
    _fake_tools(monkeypatch, {"lli": [EXPECTED], "remote": [-11]})
    with pytest.raises(cmp.ComparisonFailed, match="lli -remote-mcjit: trial 0 was killed by signal 11"):
        cmp.lli_remote_cost(SMALL, "f", (0,), n=1, expected=EXPECTED, calls=2)


def test_lli_remote_holds_the_remote_runs_to_the_in_process_status_without_an_oracle(monkeypatch):
    _fake_tools(monkeypatch, {"lli": [3], "remote": [4]})
    with pytest.raises(cmp.ComparisonFailed, match="status 4, expected 3"):
        cmp.lli_remote_cost(SMALL, "f", (0,), n=1)
    _fake_tools(monkeypatch, {"lli": [3, 3], "remote": [3, 3]})
    r = cmp.lli_remote_cost(SMALL, "f", (0,), n=2)
    assert r["expected"] == 3 and r["remote_statuses"] == [3, 3]


@pytest.mark.parametrize("status,expected,raises", [(6, 6, False), (7, 6, True), (0, 6, True), (6, 0, True)])
def test_every_comparison_decides_with_one_status_check(status, expected, raises):
    proc = subprocess.CompletedProcess(["tool"], status, b"", b"last words")
    if raises:
        with pytest.raises(cmp.ComparisonFailed, match=f"(?s)tool: run exited with status {status}, "
                                                        f"expected {expected}.*last words"):
            cmp._check(status, expected, "tool", "run", proc)
    else:
        cmp._check(status, expected, "tool", "run", proc)


def test_the_generated_main_converts_arguments_and_the_result():
    ir = "define i8 @g(i64 %a, i16 %b) { %t = trunc i64 %a to i8\n ret i8 %t }\n"
    text = cmp.program(ir, "g", (-1, 0xFFFF), calls=1)
    assert "call i8 @g(i64 -1, i16 -1)" in text and "zext i8 %r0 to i32" in text
    import llvmlite.binding as llvm
    llvm.parse_assembly(text).verify()


@pytest.mark.parametrize("fn,args,match", [("h", (1,), "no function"), ("f", (1, 2), "takes 1 argument"),
                                           ("f", (1.5,), "must be an int")])
def test_the_generated_main_rejects_bad_calls(fn, args, match):
    with pytest.raises(SignatureError, match=match):
        cmp.program(SMALL, fn, args)


def test_placements_are_page_aligned_distinct_and_apart():
    rng = random.Random(0)
    for _ in range(100):
        span = rng.randrange(0x1000, 0x200000)
        p = cmp._placement(rng, cmp.PLACED, span)
        addrs = sorted(p.values())
        assert all(a % cmp.PAGE == 0 and cmp.SPACE[0] <= a < cmp.SPACE[1] - span for a in addrs)
        assert all(b - a >= span for a, b in zip(addrs, addrs[1:]))


def test_install_hint_names_the_debian_packages():
    assert cmp.install_hint() == "sudo apt-get install qemu-user llvm-19"
    assert issubclass(cmp.ComparisonFailed, RigError)


@needs_lli
def test_lli_remote_really_uses_the_child_process(monkeypatch):
    """LLVM 19's lli ignores -remote-mcjit unless -jit-kind=mcjit is given (its ORC JIT runs
    the code in-process): with a child that does not exist, the remote trial must fail."""
    lli, _ = cmp.find_lli()
    monkeypatch.setattr(cmp, "find_lli", lambda: (lli, "/nonexistent/lli-child-target"))
    with pytest.raises(cmp.ComparisonFailed, match="lli -remote-mcjit"):
        cmp.lli_remote_cost(SMALL, "f", (0,), n=1, expected=EXPECTED, calls=2)
