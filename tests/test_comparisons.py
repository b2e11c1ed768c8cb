"""rig.comparisons: the same trials with ld.lld + qemu-user and with lli -remote-mcjit.

The external tools are optional (the README does not install them), so each
test that needs one is skipped where it is missing; on a machine that has them
the comparisons must run the program and check its status.
"""
from __future__ import annotations

import platform
import random
import shutil

import pytest

from rig import bench, comparisons as cmp
from rig.errors import RigError, SignatureError

SMALL = bench.SMALL          # the benchmark's own small program
# f(0) twice: a(0) = 3, stored in @counter, then a(3) = 6.
EXPECTED = 6


def needs_qemu(target: str):
    qemu = cmp.TOOLS[target][1]
    return pytest.mark.skipif(shutil.which(qemu) is None,
                              reason=f"{qemu} (apt-get install qemu-user) or the ziglang package is missing")


needs_lli = pytest.mark.skipif(platform.machine() not in ("x86_64", "AMD64") or not (cmp.find_lli() or (0, 0))[1],
                               reason="lli and lli-child-target (apt-get install llvm-19) on an x86-64 host")


@pytest.mark.parametrize("target", [pytest.param(t, marks=needs_qemu(t)) for t in cmp.TOOLS])
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
def test_lli_remote_runs_and_reports_its_status():
    r = cmp.lli_remote_cost(SMALL, "f", (0,), n=2, expected=EXPECTED, calls=2)
    assert r is not None
    assert r["seconds_per_trial"] > 0 and r["in_process_seconds"] > 0
    assert r["expected"] == EXPECTED
    assert r["status_matches"] is (r["remote_statuses"] == [EXPECTED])
    assert r["tool"].startswith("lli ") and r["tool"].endswith("-remote-mcjit")


@needs_lli
def test_lli_raises_on_a_wrong_expected_status():
    with pytest.raises(cmp.ComparisonFailed, match="lli.*status 6, expected 7"):
        cmp.lli_remote_cost(SMALL, "f", (0,), n=1, expected=7, calls=2)


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
