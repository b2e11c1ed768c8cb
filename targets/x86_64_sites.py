"""x86-64 site recipes: one or more per row of `x86_64_relocs`, for the
type-directed generator (`rig.strategies.relocation_sites`).  Conventions in
`targets.base.SiteRecipe`; every formula and range is the AMD64 psABI's
(table 4.9), written here by hand: these numbers are the oracle."""
from __future__ import annotations

from .base import SiteRecipe

M64 = (1 << 64) - 1

#: a code target returning a marker: a branch that lands anywhere else returns something else
_TARGET_CODE = """
    .section .rig.target,"ax",@progbits
    .p2align 0
    .globl target
target:
    movabsq $0x5eed1e55c0ffee, %rax
    ret
"""
#: a data target whose first word is a marker
_TARGET_DATA = """
    .section .rig.target,"a",@progbits
    .p2align 0
    .globl target
target:
    .quad 0x5eed1e55c0ffee
    .quad 0x1122334455667788
"""
MARK = 0x5eed1e55c0ffee

RECIPES = [
    SiteRecipe(
        "R_X86_64_PC32",
        """
    .section .rig.site,"ax",@progbits
    .globl probe
probe:
site:
    leaq target+{A}(%rip), %rax
    ret
""" + _TARGET_DATA,
        expect=lambda v: v.S + v.A,
        value=lambda v: v.S + v.A - 4 - v.P,        # the assembler folds the -4 of the next instruction
        lo=-(1 << 31), hi=(1 << 31) - 1, field_offset=3,
        params={"A": (0, 8, -16, 0x1000)}),
    SiteRecipe(
        "R_X86_64_64",
        """
    .section .rig.site,"a",@progbits
site:
    .quad target+{A}
    .text
    .globl probe
probe:
    ret
""" + _TARGET_DATA,
        observe="word", expect=lambda v: v.S + v.A,
        params={"A": (0, 1, -8, 1 << 40)}),
    SiteRecipe(
        "R_X86_64_PLT32",
        """
    .section .rig.site,"ax",@progbits
    .globl probe
probe:
site:
    jmp target
""" + _TARGET_CODE,
        expect=lambda v: MARK, value=lambda v: v.S - 4 - v.P, lo=-(1 << 31), hi=(1 << 31) - 1,
        field_offset=1, branch=True),
    SiteRecipe(
        "R_X86_64_GOTPCREL",
        """
    .section .rig.site,"ax",@progbits
    .globl probe
probe:
site:
    movq target@GOTPCREL(%rip), %rax
    movq (%rax), %rax
    ret
""" + _TARGET_DATA,
        expect=lambda v: MARK),
    SiteRecipe(
        "R_X86_64_8",
        """
    .globl target
    .set target, {S}
    .section .rig.site,"a",@progbits
site:
    .byte target+{A}
    .text
    .globl probe
probe:
    ret
""",
        observe="word", size=1, expect=lambda v: v.S + v.A, value=lambda v: v.S + v.A,
        lo=-128, hi=255, movable=False, params={"S": (0, 0x7f, 0xf0), "A": (0, 1, 15)}),
]
