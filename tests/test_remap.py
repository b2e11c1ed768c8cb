"""`Jit.remap` (mapSectionAddress after finalisation): move .text and .data of a
module that has already run, and it runs on with the same results."""
from __future__ import annotations

import pytest

import rig
from rig.layout import PAGE, page_up

TARGETS = ("x86_64", "arm", "thumb", "aarch64")

SRC = """
@counter = global i32 0
@table = global [3 x ptr] [ptr @one, ptr @two, ptr @three]
@scale = global ptr @counter
@msg = private constant [9 x i8] c"call %d\\0A\\00"
declare i32 @printf(ptr, ...)
define i32 @one(i32 %x) noinline section ".text.ops" { %r = add i32 %x, 1
  ret i32 %r }
define i32 @two(i32 %x) noinline section ".text.ops" { %r = mul i32 %x, 2
  ret i32 %r }
define i32 @three(i32 %x) noinline { %r = mul i32 %x, 3
  ret i32 %r }
define i32 @step(i32 %x) {
  %c = load i32, ptr @counter
  %c1 = add i32 %c, 1
  store i32 %c1, ptr @counter
  %k = urem i32 %c, 3
  %p = getelementptr [3 x ptr], ptr @table, i32 0, i32 %k
  %f = load ptr, ptr %p
  %v = call i32 %f(i32 %x)
  %sp = load ptr, ptr @scale
  %s = load i32, ptr %sp
  %r = add i32 %v, %s
  call i32 (ptr, ...) @printf(ptr @msg, i32 %c1)
  ret i32 %r
}
"""


def expected(target: str, n: int):
    """The first `n` results of step(10) at a packed placement, never moved."""
    with rig.Jit(target, placement="packed") as jit:
        mod = jit.load(SRC)
        return [mod.invoke("step", 10) for _ in range(n)]


def free_near(jit: rig.Jit, mod, size: int) -> int:
    """A free address a few pages past the module, so every code model still reaches it."""
    end = max(p.end for p in mod.layout.placements)
    return jit.space.find_free(size + PAGE, page_up(end) + 16 * PAGE)


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("reloc", ["static", "pic"])
def test_remap_text_and_data(target, reloc):
    want = expected(target, 6)
    jit = rig.Jit(target, seed=11, reloc=reloc)
    mod = jit.load(SRC)
    got = [mod.invoke("step", 10), mod.invoke("step", 10)]
    old = mod.layout.mapping()
    for name in (".text", ".data", ".text.ops"):
        size = mod.object.section_named(name).size
        new_addr = free_near(jit, mod, size) + 0x40          # not page-aligned on purpose
        jit.remap(mod, name, new_addr)
        assert mod.layout.mapping()[name] == new_addr
        got.append(mod.invoke("step", 10))
    assert mod.address("step") - mod.layout.mapping()[".text"] == mod.object.symbols[
        mod.object.by_name["step"]].value                   # symbols follow their section
    assert [(r.value, r.stdout) for r in got] == [(r.value, r.stdout) for r in want[:5]]
    # the old pages are gone: nothing is left mapped at the old .data address
    with pytest.raises(rig.EmulationFault):
        jit.read(old[".data"], 4)
    # the data kept its state across the move (the counter went on counting)
    assert mod.invoke("step", 10).stdout == b"call 6\n"
    assert all(r.P >= min(mod.layout.mapping().values()) for r in mod.trace if r.via != "none")


@pytest.mark.parametrize("target", TARGETS)
def test_remap_refused_keeps_module(target):
    jit = rig.Jit(target, seed=5)
    mod = jit.load(SRC)
    first = mod.call("step", 1)
    before = mod.layout.mapping()
    text = before[".text"]
    with pytest.raises(rig.PlacementError):
        jit.remap(mod, ".data", text)                # onto its own code: an overlap
    with pytest.raises(rig.PlacementError, match="no section"):
        jit.remap(mod, ".nope", 0x5000_0000)
    assert mod.layout.mapping() == before
    second = mod.invoke("step", 1)
    assert second.stdout == b"call 2\n"
    assert (first, second.value) == (2 + 1, 2 + 2)    # one(1) + counter, two(1) + counter


def test_remap_out_of_reach_is_an_overflow_and_changes_nothing():
    jit = rig.Jit("aarch64", seed=2)                  # ADRP reaches ±4 GiB
    src = "@g = dso_local global i32 5\ndefine i32 @get() { %v = load i32, ptr @g\n ret i32 %v }"
    mod = jit.load(src)
    before = mod.layout.mapping()
    far = (before[".text"] + (1 << 40)) & ~0xFFF
    with pytest.raises(rig.RelocationOverflow, match="R_AARCH64_ADR_PREL_PG_HI21 at .text"):
        jit.remap(mod, ".data", far)
    assert mod.layout.mapping() == before
    assert mod.call("get") == 5
