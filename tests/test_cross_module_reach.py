"""Reach across modules: modules are placed one by one, yet every pc-relative
reference from one to another stays within its field's reach, whichever is
loaded first; a name nobody defines is an UndefinedSymbol, never an overflow."""
from __future__ import annotations

import pytest

import rig

EXTAB = """
    .syntax unified
    .arm
    .text
    .globl f
    .type f,%function
f:
    .fnstart
    .personality my_personality
    mov r0, #7
    bx lr
    .fnend
"""
PERSONALITY = """
    .syntax unified
    .arm
    .text
    .globl my_personality
    .type my_personality,%function
my_personality:
    mov r0, #0
    bx lr
"""


@pytest.fixture
def sources(tmp_path):
    (tmp_path / "a.s").write_text(EXTAB)
    (tmp_path / "b.s").write_text(PERSONALITY)
    return tmp_path / "a.s", tmp_path / "b.s"


@pytest.mark.parametrize("target", ["arm", "thumb"])
def test_an_extab_reaches_a_personality_routine_in_another_module(sources, target):
    """.ARM.extab's PREL31 (+-1 GiB) to a routine the next module defines: the
    routine's module lands within reach at every random placement."""
    a, b = sources
    for seed in range(20):
        jit = rig.Jit(target, seed=seed)
        first, second = jit.load_all([a, b])
        assert first.call("f", signature="i32()") == 7
        site = next(r for r in first.trace if r.section == ".ARM.extab" and r.symbol == "my_personality")
        assert site.type == "R_ARM_PREL31" and -(1 << 30) <= site.value < (1 << 30)
        # in the other order too
        jit2 = rig.Jit(target, seed=seed)
        second, first = jit2.load_all([b, a])
        assert first.call("f", signature="i32()") == 7


@pytest.mark.parametrize("target", ["arm", "thumb"])
def test_an_undefined_personality_routine_is_an_undefined_symbol(sources, target):
    a, _ = sources
    for seed in range(20):
        with pytest.raises(rig.UndefinedSymbol, match="my_personality") as e:
            rig.Jit(target, seed=seed).load_all([a])
        assert e.value.symbol == "my_personality"


@pytest.mark.parametrize("target", ["x86_64", "aarch64", "arm", "thumb"])
def test_a_module_reads_data_another_module_defines(tmp_path, target):
    """f.c reads s.c's `int scale` pc-relatively (static code): load_all places
    s.c within reach of f.c whatever the order (was: 10 of 10 seeds overflowed)."""
    (tmp_path / "f.c").write_text("extern int scale;\nint f(int x) { return x * scale; }\n")
    (tmp_path / "s.c").write_text("int scale = 6;\n")
    for seed in range(10):
        jit = rig.Jit(target, seed=seed, reloc="static")
        f, _ = jit.load_all([tmp_path / "f.c", tmp_path / "s.c"])
        assert f.call("f", 7, signature="i32(i32)") == 42
