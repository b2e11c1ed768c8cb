"""A state machine over one `Jit`: load (random, packed, drawn explicit or bad
placements), call, remap (near, anywhere, bad), unload, load again, call a
stale handle, in any order.  Every step either works with the stated results or
raises a `RigError` that leaves the `Jit` exactly as it was."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings, strategies as st
from hypothesis.stateful import RuleBasedStateMachine, precondition, rule

import rig
from rig import corpus
from rig.strategies import placements

from .test_lifecycle import state

ROOT = Path(__file__).resolve().parent.parent / "corpus"
#: Programs whose calls give the same results every time (no state kept between calls),
#: with several sections (tailcall.ll: three code sections, stubs when far apart).
NAMES = ("select.ll", "switch_dense.ll", "tailcall.ll", "memops.ll")
PROGRAMS = {n: corpus.parse_header((ROOT / n).read_text(), ROOT / n) for n in NAMES}
TARGETS = ("x86_64", "arm", "thumb", "aarch64")
BAD_VALUES = st.one_of(st.floats(allow_nan=True), st.text(max_size=4), st.none(), st.booleans(),
                       st.integers(-(1 << 70), 1 << 70), st.integers(0x10000, 0x1_0000_0000).map(lambda a: a | 1))


class Lifecycle(RuleBasedStateMachine):
    """One Jit; at most one live module per program (a second would be a duplicate
    symbol, which the machine also tries)."""

    target = "x86_64"

    def __init__(self):
        super().__init__()
        self.jit = rig.Jit(self.target, seed=0)
        self.side = rig.Jit(self.target, seed=0)          # probes: the object a strategy draws for
        self.probes = {}
        self.live = {}           # program name -> Module
        self.stale = []          # (Module, Function) from before an unload

    def teardown(self):
        self.jit.close()
        self.side.close()

    def _probe(self, name):
        if name not in self.probes:
            self.probes[name] = self.side.load(ROOT / name)
        return self.probes[name]

    def _check_calls(self, name, mod):
        for c in PROGRAMS[name].calls[:4]:
            if c.op == "==" and self.target in PROGRAMS[name].targets:
                assert mod.call(c.name, *c.args) == c.expected, (name, c, mod.layout.mapping())

    def _failed_cleanly(self, before, error):
        assert isinstance(error, rig.RigError), repr(error)
        assert state(self.jit) == before, error
        for name, mod in self.live.items():
            self._check_calls(name, mod)

    @rule(data=st.data(), name=st.sampled_from(NAMES), how=st.sampled_from(["random", "packed", "drawn", "bad"]))
    def load(self, data, name, how):
        placement = None
        if how == "packed":
            placement = "packed"
        elif how == "drawn":
            placement = data.draw(placements(self.jit, self._probe(name)), label="placement")
        elif how == "bad":
            placement = {".text": data.draw(BAD_VALUES, label="bad address")}
        before = state(self.jit)
        try:
            mod = self.jit.load(ROOT / name, placement=placement)
        except Exception as e:
            self._failed_cleanly(before, e)
            return
        assert name not in self.live, f"{name} loaded twice: its strong symbols are duplicates"
        assert how != "bad", placement
        self.live[name] = mod
        self._check_calls(name, mod)

    @precondition(lambda self: self.live)
    @rule(data=st.data())
    def call(self, data):
        name = data.draw(st.sampled_from(sorted(self.live)), label="module")
        self._check_calls(name, self.live[name])

    @precondition(lambda self: self.live)
    @rule(data=st.data(), how=st.sampled_from(["near", "anywhere", "bad"]))
    def remap(self, data, how):
        name = data.draw(st.sampled_from(sorted(self.live)), label="module")
        mod = self.live[name]
        section = data.draw(st.sampled_from(sorted(mod.layout.mapping())), label="section")
        here = mod.layout.by_name(section)
        if how == "near":
            address = self.jit.space.find_free(here.item.size + 0x2000, here.address) + \
                data.draw(st.integers(0, 63), label="offset") * here.item.align
        elif how == "anywhere":
            address = data.draw(st.integers(self.jit.space.lo, self.jit.space.hi - 1), label="address")
            address -= address % here.item.align
        else:
            address = data.draw(BAD_VALUES, label="bad address")
        before = state(self.jit)
        try:
            self.jit.remap(mod, section, address)
        except Exception as e:
            self._failed_cleanly(before, e)
            return
        assert how != "bad", address
        assert mod.layout.by_name(section).address == address
        self._check_calls(name, mod)

    @precondition(lambda self: self.live)
    @rule(data=st.data())
    def unload(self, data):
        name = data.draw(st.sampled_from(sorted(self.live)), label="module")
        mod = self.live.pop(name)
        first = PROGRAMS[name].calls[0]
        f = mod.function(first.name)
        self.jit.unload(mod)
        self.stale.append((mod, f, first))
        for other, m in self.live.items():
            self._check_calls(other, m)

    @precondition(lambda self: self.stale)
    @rule(data=st.data())
    def call_stale(self, data):
        mod, f, first = data.draw(st.sampled_from(self.stale), label="stale handle")
        before = state(self.jit)
        for use in (lambda: f(*first.args), lambda: mod.call(first.name, *first.args),
                    lambda: mod.address(first.name), lambda: self.jit.remap(mod, ".text", 0x100000),
                    lambda: self.jit.unload(mod)):
            with pytest.raises(rig.ModuleUnloaded, match=mod.name):
                use()
        assert state(self.jit) == before


SETTINGS = settings(max_examples=20, stateful_step_count=12, deadline=None, derandomize=True, database=None,
                    suppress_health_check=list(HealthCheck))


def _machine(target):
    return type(f"Lifecycle_{target}", (Lifecycle,), {"target": target})


TestLifecycleX86_64 = _machine("x86_64").TestCase
TestLifecycleArm = _machine("arm").TestCase
TestLifecycleThumb = _machine("thumb").TestCase
TestLifecycleAarch64 = _machine("aarch64").TestCase
for _case in (TestLifecycleX86_64, TestLifecycleArm, TestLifecycleThumb, TestLifecycleAarch64):
    _case.settings = SETTINGS
