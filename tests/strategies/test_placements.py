"""rig.strategies.placements: valid layouts that reach the corners relocation
logic breaks in, and shrink toward a packed, low, in-order layout."""
from __future__ import annotations

from hypothesis import HealthCheck, find, given, settings, strategies as st

import rig
from rig import strategies
from rig.layout import PAGE, items_of

IR = r"""
@table = global [2 x ptr] [ptr @a, ptr @b]
@big = global [3000 x i8] zeroinitializer
@msg = constant [6 x i8] c"hello\00"
define i32 @a(i32 %x) noinline section ".text.a" { %r = add i32 %x, 1
  ret i32 %r }
define i32 @b(i32 %x) noinline section ".text.b" { %r = call i32 @a(i32 %x)
  %s = mul i32 %r, 2
  ret i32 %s }
define i32 @run(i32 %x) {
  %p = getelementptr [2 x ptr], ptr @table, i32 0, i32 1
  %f = load ptr, ptr %p
  %r = call i32 %f(i32 %x)
  %q = getelementptr [3000 x i8], ptr @big, i32 0, i32 2999
  store i8 7, ptr %q
  %v = load i8, ptr %q
  %w = zext i8 %v to i32
  %s = add i32 %r, %w
  ret i32 %s
}
"""


def probe(target: str, reloc: str = "pic"):
    jit = rig.Jit(target, seed=0, reloc=reloc)
    mod = jit.load(IR)
    jit.unload(mod)
    return jit, mod


def test_public_surface():
    assert {"placements", "programs"} <= set(strategies.__all__)
    for name in strategies.__all__:
        assert getattr(strategies, name).__doc__ or name.isupper()


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data(), target=st.sampled_from(["x86_64", "arm", "thumb", "aarch64"]))
def test_drawn_placements_load_and_run(data, target):
    jit, mod = probe(target)
    placement = data.draw(strategies.placements(jit, mod))
    m = jit.load(IR, placement=placement)
    try:
        assert m.layout.mapping() == {k: placement[k] for k in m.layout.mapping()}
        assert m.call("run", 5) == 12 + 7
    finally:
        jit.unload(m)


def test_shrinks_toward_packed_low_in_order():
    jit, mod = probe("aarch64")
    smallest = find(strategies.placements(jit, mod), lambda p: True,
                    settings=settings(database=None, max_examples=200))
    order = sorted(smallest, key=smallest.get)
    names = [i.name for i in items_of(mod.object, jit.target)[0]]
    assert order == names                                  # object order
    assert min(smallest.values()) < 64 << 20            # low: the first free pages, after the heap
    span = max(smallest.values()) - min(smallest.values())
    assert span < 16 * PAGE                                # packed


def test_reaches_the_corners():
    """Within a few hundred examples the strategy produces every kind of layout it promises."""
    jit, mod = probe("aarch64")
    seen = set()
    items = {p.item.name: p.item for p in mod.layout.placements}

    @settings(max_examples=300, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(strategies.placements(jit, mod))
    def look(p):
        addrs = p.values()
        if any(a >= 1 << 32 for a in addrs):
            seen.add("above 4 GiB")
        if any(a < 1 << 32 and a & (1 << 31) for a in addrs):
            seen.add("bit 31")
        if any(a % PAGE and (a // PAGE) != ((a + items[n].size - 1) // PAGE) for n, a in p.items()):
            seen.add("straddles a page")
        if any(a % PAGE for a in addrs):
            seen.add("not page-aligned")
        if max(addrs) - min(addrs) > 1 << 27:
            seen.add("far apart (stubs)")

    look()
    assert seen == {"above 4 GiB", "bit 31", "straddles a page", "not page-aligned", "far apart (stubs)"}


def test_branch_at_its_limit_is_drawn():
    """Some drawn placements put the .text.b -> .text.a call exactly at the BL limit."""
    jit, mod = probe("aarch64")
    hits = set()

    @settings(max_examples=300, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(strategies.placements(jit, mod))
    def look(p):
        m = jit.load(IR, placement=p)
        try:
            for r in m.trace:
                if r.type == "R_AARCH64_CALL26" and r.section == ".text.b":
                    v = r.S + r.A - r.P
                    if abs(v) >= (1 << 27) - 4:
                        hits.add("stub" if r.via == "stub" else "direct")
            assert m.call("run", 1) == 4 + 7
        finally:
            jit.unload(m)

    look()
    assert hits == {"stub", "direct"}
