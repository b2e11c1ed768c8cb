"""The memory manager: every policy gives aligned, non-overlapping placements
inside the address space and the code model's reach."""
from __future__ import annotations

import random

import pytest
from hypothesis import given, settings, strategies as st

import rig
import targets
from rig import layout as L
from rig.compile import Options, compile_source
from rig.objfile import parse

SRC = """
@a = global [100 x i8] zeroinitializer, align 64
@b = dso_local global i64 1, align 8
@s = constant [5 x i8] c"hello", align 1
define i32 @f() section ".text.f" { ret i32 1 }
define i32 @g() { %v = call i32 @f()
  ret i32 %v }
define ptr @pa() { ret ptr @a }
define ptr @pb() { ret ptr @b }
"""
TARGETS = ("x86_64", "arm", "thumb", "aarch64")


def objects():
    out = {}
    for name in TARGETS:
        t = targets.get(name)
        for reloc in ("static", "pic"):
            out[(name, reloc)] = (t, parse(compile_source(SRC, t, Options(reloc)), t))
    return out


OBJECTS = objects()


@given(key=st.sampled_from(sorted(OBJECTS)), seed=st.integers(0, 2**32))
@settings(max_examples=200, deadline=None)
def test_random_layouts_are_valid(key, seed):
    target, obj = OBJECTS[key]
    space = L.AddressSpace(*target.address_space)
    space.reserve("someone else", 0x100000, 0x200000)
    lay = L.make_layout(obj, target, space, "random", seed=seed)
    ps = sorted(lay.placements, key=lambda p: p.address)
    for p in ps:
        assert p.address % p.item.align == 0
        assert space.lo <= p.address and p.end <= space.hi
        assert not (p.address < 0x200000 and 0x100000 < p.end)
    for a, b in zip(ps, ps[1:]):
        assert a.end <= b.address
    span = ps[-1].end - ps[0].address
    assert span <= target.code_models["small"]
    # items with different permissions never share a page
    pages = {}
    for p in ps:
        for page in range(L.page_down(p.address), L.page_up(p.end), L.PAGE):
            pages.setdefault(page, set()).add(p.item.perms)
    assert all(len(v) == 1 for v in pages.values())
    # an object with 32-bit absolute relocations (static x86-64) stays where they reach
    assert ps[-1].end <= L.absolute_limit(obj, space)


def test_static_x86_64_stays_below_4_gib():
    target, obj = OBJECTS[("x86_64", "static")]
    space = L.AddressSpace(*target.address_space)
    assert L.absolute_limit(obj, space) <= 1 << 32
    for seed in range(20):
        assert max(p.end for p in L.make_layout(obj, target, space, "random", seed=seed).placements) <= 1 << 32


def test_random_bases_are_not_only_page_aligned():
    target, obj = OBJECTS[("aarch64", "pic")]
    offsets = set()
    for seed in range(50):
        lay = L.make_layout(obj, target, L.AddressSpace(*target.address_space), "random", seed=seed)
        offsets |= {p.address % L.PAGE for p in lay.placements}
    assert len(offsets) > 10


def test_random_orders_and_seeds():
    target, obj = OBJECTS[("x86_64", "pic")]
    space = L.AddressSpace(*target.address_space)
    orders = {tuple(L.make_layout(obj, target, space, "random", seed=s).names()) for s in range(30)}
    assert len(orders) > 5
    a = L.make_layout(obj, target, space, "random", seed=42).mapping()
    b = L.make_layout(obj, target, space, "random", seed=42).mapping()
    assert a == b


def test_packed_is_in_object_order_and_tight():
    target, obj = OBJECTS[("aarch64", "static")]
    lay = L.make_layout(obj, target, L.AddressSpace(*target.address_space), "packed")
    names = [p.item.name for p in lay.placements]
    assert names[: len(obj.sections)] == [s.name for s in obj.sections]
    span = max(p.end for p in lay.placements) - min(p.address for p in lay.placements)
    assert span < 6 * L.PAGE


@pytest.mark.parametrize("key", sorted(OBJECTS))
def test_compact_is_random_but_one_page_run_per_permission(key):
    """The runtime's members: random bases and orders, each permission's items
    together with gaps under a page, so a module is a few emulator regions."""
    target, obj = OBJECTS[key]
    space = L.AddressSpace(*target.address_space)
    layouts = [L.make_layout(obj, target, space, "compact", seed=s) for s in range(20)]
    assert len({tuple(lay.names()) for lay in layouts}) > 3
    assert len({min(p.address for p in lay.placements) for lay in layouts}) == 20
    for lay in layouts:
        ps = sorted((p for p in lay.placements if p.item.size), key=lambda p: p.address)
        runs = 1 + sum(a.item.perms != b.item.perms for a, b in zip(ps, ps[1:]))
        assert runs == len({p.item.perms for p in ps})          # one group per permission
        for a, b in zip(ps, ps[1:]):
            assert a.end <= b.address
            assert b.address - a.end < L.PAGE or a.item.perms != b.item.perms
    L.check(layouts[0].placements, space)


def test_explicit_placement_and_errors():
    target, obj = OBJECTS[("arm", "static")]
    space = L.AddressSpace(*target.address_space)
    lay = L.make_layout(obj, target, space, "explicit", mapping={".text": 0x4000_0000, ".data": 0x4000_0100})
    assert lay.mapping()[".text"] == 0x4000_0000 and lay.mapping()[".data"] == 0x4000_0100
    # .text and .data share a page: allowed when asked for explicitly, with both permissions
    assert lay.pages()[0x4000_0000] == "rwx"
    with pytest.raises(rig.PlacementError, match="overlaps"):
        L.make_layout(obj, target, space, "explicit", mapping={".text": 0x4000_0000, ".data": 0x4000_0008})
    with pytest.raises(rig.PlacementError, match="not aligned"):
        L.make_layout(obj, target, space, "explicit", mapping={".data": 0x4000_0008 + 4})


def test_a_module_too_big_for_the_code_model_is_refused():
    target, obj = OBJECTS[("aarch64", "pic")]
    with pytest.raises(rig.PlacementError, match="tiny|reach"):
        items, _ = L.items_of(obj, target)
        L.random_placement(items, L.AddressSpace(*target.address_space), 0x2000, random.Random(1))
