"""Programs whose sections lie far apart: calls beyond a branch's reach run
through stubs, and the large code models run with sections more than 4 GiB
apart on the 64-bit targets."""
from __future__ import annotations

import pytest

import rig
from rig.layout import PAGE, align_up

FAR_IR = r"""
@counter = global i64 0
@table = global [3 x ptr] [ptr @alpha, ptr @beta, ptr @gamma]
@greeting = global [6 x i8] c"hello\00"
declare i32 @printf(ptr, ...)
@fmt = global [9 x i8] c"%s %lld\0A\00"

define i64 @alpha(i64 %n) noinline section ".text.alpha" {
  %c = icmp sle i64 %n, 0
  br i1 %c, label %done, label %more
done:
  ret i64 1
more:
  %m = sub i64 %n, 1
  %r = call i64 @beta(i64 %m)
  %s = add i64 %r, %n
  ret i64 %s
}
define i64 @beta(i64 %n) noinline section ".text.beta" {
  %old = load i64, ptr @counter
  %new = add i64 %old, 1
  store i64 %new, ptr @counter
  %r = call i64 @gamma(i64 %n)
  %s = mul i64 %r, 2
  ret i64 %s
}
define i64 @gamma(i64 %n) noinline section ".text.gamma" {
  %r = call i64 @alpha(i64 %n)
  %s = add i64 %r, 3
  ret i64 %s
}
define i64 @run(i64 %n) noinline section ".text.run" {
  %p = getelementptr [3 x ptr], ptr @table, i64 0, i64 2
  %f = load ptr, ptr %p
  %r = call i64 %f(i64 %n)
  %c = load i64, ptr @counter
  call i32 (ptr, ...) @printf(ptr @fmt, ptr @greeting, i64 %c)
  %s = add i64 %r, %c
  ret i64 %s
}
"""

# how far apart the code sections go: past every direct branch's reach
SPREAD = {"x86_64": 3 << 30, "aarch64": 300 << 20, "arm": 80 << 20, "thumb": 40 << 20}
REACH = {"x86_64": 1 << 31, "aarch64": 1 << 27, "arm": 1 << 25, "thumb": 1 << 24}


def expected(n: int):
    """run(n) computed the slow way, in Python."""
    counter = 0

    def alpha(k):
        return 1 if k <= 0 else beta(k - 1) + k

    def beta(k):
        nonlocal counter
        counter += 1
        return gamma(k) * 2

    def gamma(k):
        return alpha(k) + 3

    r = gamma(n)
    return r + counter, counter


def spread_placement(mod: rig.Module, center: int, spread: int) -> dict:
    """Code sections on alternate sides of `center`, consecutive ones `spread`
    or more apart; data, the GOT and unwind tables at the center, in reach of all."""
    items = sorted(mod.layout.placements, key=lambda p: p.item.name)
    mapping = {}
    code = [p for p in items if "x" in p.item.perms]
    for k, p in enumerate(code):
        offset = spread // 2 + (k // 2) * (1 << 20)
        mapping[p.item.name] = align_up(center + (offset if k % 2 else -offset), p.item.align)
    addr = center
    for p in items:
        if "x" not in p.item.perms:
            addr = align_up(addr, max(p.item.align, PAGE))
            mapping[p.item.name] = addr
            addr += p.item.size + PAGE
    return mapping


@pytest.mark.parametrize("target", ["x86_64", "aarch64", "arm", "thumb"])
@pytest.mark.parametrize("reloc", ["static", "pic"])
def test_calls_beyond_reach_run_through_stubs(target, reloc):
    jit = rig.Jit(target, seed=1, reloc=reloc)
    probe = jit.load(FAR_IR)
    if target == "x86_64" and reloc == "static":
        # the static small model: data below 2 GiB (R_X86_64_32S), code below 4 GiB (R_X86_64_32)
        placement = spread_placement(probe, 0x6000_0000, (2 << 30) + (200 << 20))
    else:
        placement = spread_placement(probe, 0x8000_0000 if jit.target.pointer_size == 4 else 0x10_0000_0000,
                                     SPREAD[target])
    jit.unload(probe)
    mod = jit.load(FAR_IR, placement=placement)
    r = mod.invoke("run", 6)
    want, count = expected(6)
    assert (r.value, r.stdout) == (want, f"hello {count}\n".encode())
    far = [t for t in mod.trace if t.via == "stub" and abs(t.S - t.P) >= REACH[target]]
    assert far, [(t.type, t.via, hex(t.S - t.P)) for t in mod.trace]
    # one stub per (section, target, state), shared by every caller in that section
    assert len(mod.image.stubs) == len({(t.section, t.symbol) for t in mod.trace if t.via == "stub"})


@pytest.mark.parametrize("target, reloc", [("x86_64", "static"), ("x86_64", "pic"), ("aarch64", "static"),
                                           ("aarch64", "pic")])
def test_large_code_model_with_sections_more_than_4_gib_apart(target, reloc):
    jit = rig.Jit(target, seed=2, reloc=reloc, code_model="large")
    probe = jit.load(FAR_IR)
    names = [p.item.name for p in sorted(probe.layout.placements, key=lambda p: p.item.name)]
    jit.unload(probe)
    # alpha and gamma touch no data: they go 5 and 10 GiB away.  AArch64 reaches
    # its GOT with ADRP even in the large model, so the code that touches data
    # (beta, run) stays within 4 GiB of the data and the GOT.
    data = 0x10_0000_0000
    placement, addr = {}, data
    for n in names:
        if n not in (".text.alpha", ".text.gamma"):
            placement[n] = addr
            addr += 1 << 28
    placement[".text.alpha"] = data + (5 << 30)
    placement[".text.gamma"] = data + (10 << 30)
    mod = jit.load(FAR_IR, placement=placement)
    assert placement[".text.gamma"] - placement[".text.alpha"] > 4 << 30
    want, count = expected(4)
    r = mod.invoke("run", 4)
    assert (r.value, r.stdout) == (want, f"hello {count}\n".encode())
