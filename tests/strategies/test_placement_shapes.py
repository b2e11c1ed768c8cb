"""The placement strategy draws the shapes that found bugs: items of other
permissions sharing a page, items straddling pages, and many-section objects
spread beyond their branches' reach (calls through stubs) on every target
that has stubs."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, find, given, seed, settings

import rig
from rig.bench import generated
from rig.layout import PAGE, page_down, page_up
from rig.strategies import placements

SEARCH = settings(max_examples=300, database=None, derandomize=True, suppress_health_check=list(HealthCheck),
                  deadline=None)
CRC = "corpus/crc32.ll"


def _spans(mod, mapping):
    items = {p.item.name: p.item for p in mod.layout.placements}
    return [(items[n], a, a + items[n].size) for n, a in mapping.items() if items[n].size]


@pytest.mark.parametrize("target", ["x86_64", "arm", "thumb", "aarch64"])
def test_items_of_other_permissions_share_a_page_and_load(target):
    jit = rig.Jit(target, seed=1, reloc="pic")
    probe = jit.load(CRC)

    def pages(start, end):
        return set(range(page_down(start), page_up(end), PAGE))

    def shares(mapping):
        spans = _spans(probe, mapping)
        return any(a.perms != b.perms and pages(sa, ea) & pages(sb, eb)
                   for a, sa, ea in spans for b, sb, eb in spans if a is not b)
    mapping = find(placements(jit, probe), shares, settings=SEARCH)
    jit.unload(probe)
    mod = jit.load(CRC, placement=mapping)           # the shared page gets the union of permissions
    assert mod.call("crc32_check") == -873187034


@pytest.mark.parametrize("target", ["x86_64", "arm", "thumb", "aarch64"])
def test_sections_straddle_pages(target):
    jit = rig.Jit(target, seed=2, reloc="pic")
    probe = jit.load(CRC)
    mapping = find(placements(jit, probe),
                   lambda m: any(page_down(s) != page_down(e - 1) and s % PAGE and e % PAGE
                                 for _, s, e in _spans(probe, m)), settings=SEARCH)
    jit.unload(probe)
    assert jit.load(CRC, placement=mapping).call("crc32_check") == -873187034


@pytest.mark.parametrize("target", ["arm", "thumb", "aarch64"])
def test_a_many_section_object_is_spread_beyond_branch_reach(target):
    """300 functions in 30 sections: most drawn placements send calls through
    stubs, and the code gives the same result there.  (x86-64 has none to draw:
    its small code model keeps everything within the +-2 GiB a call reaches.)"""
    src = generated(300, sections=30)
    jit = rig.Jit(target, seed=3)
    probe = jit.load(src, name="many.ll")
    want = probe.call("f0", 1)
    jit.unload(probe)
    seen = {"layouts": 0, "with stubs": 0}

    @seed(0)
    @settings(max_examples=20, database=None, deadline=None, suppress_health_check=list(HealthCheck))
    @given(placements(jit, probe))
    def prop(mapping):
        mod = jit.load(src, name="many.ll", placement=mapping)
        try:
            seen["layouts"] += 1
            seen["with stubs"] += any(r.via == "stub" for r in mod.trace)
            assert mod.call("f0", 1) == want
        finally:
            jit.unload(mod)
    prop()
    assert seen["with stubs"] >= seen["layouts"] // 2, seen
