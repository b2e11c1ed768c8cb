"""x86-64 site recipes: one or more per row of `x86_64_relocs`, for the
type-directed generator (`rig.strategies.relocation_sites`).  Conventions in
`targets.base.SiteRecipe`; every formula and range is the AMD64 psABI's
(section 4.4, table 4.9 "Relocation Types"; TLS rows: Drepper, "ELF Handling
For Thread-Local Storage", 4.3 and 5.5, and the psABI's TLS supplement), written
here by hand: these numbers are the oracle.  Ranges: 32 zero-extends ([0, 2**32)), 32S and
every pc-relative 32-bit field sign-extend (psABI 4.4.1; lld checkUInt / checkInt 32), 16 / 8
signed or unsigned (lld checkIntUInt), PC16 / PC8 signed (checkInt).  SIZE32 is held to
[0, 2**32) as a size (GNU ld's howto: complain_overflow_unsigned; the rig's table agrees); lld
checks it with checkInt(32) and would refuse Z + A from 2**31.  `hi` here is inclusive
(`SiteRecipe.fits`)."""
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
NEW = 0x5e1f5e1f00c0ffee      #: what the TLS probes of __tls_get_addr routes store first

#: a code target of eight `addq $1, %rax` (4 bytes each) and a `ret`: entered at target + 4k
#: with %rax = 0 it returns 8 - k, so a branch's addend (or a stub that forgets it) shows
_TARGET_STEPS = """
    .section .rig.target,"ax",@progbits
    .p2align 0
    .globl target
    .type target, @function
target:
    .rept 8
    addq $1, %rax
    .endr
    ret
"""
_STEPS = (0, 4, 12, 28)

#: a data target of size {N} (`.size`, what R_X86_64_SIZE* read: Z)
_TARGET_SIZED = """
    .section .rig.target,"a",@progbits
    .p2align 0
    .globl target
    .type target, @object
    .size target, {N}
target:
    .quad 0x5eed1e55c0ffee
"""

#: A thread-local `target` in .tdata, not at the start of the TLS block (a TLSGD that
#: answered the LD pair, offset 0, would read another word), after {PAD} bytes in a block
#: aligned to 2**{AL}, followed by {BSS} bytes of .tbss (variant 2 puts the image's end at
#: TP, so its size and alignment move every TP offset).  Words: target + k holds _TLS[k].
_TARGET_TLS = """
    .section .tdata,"awT",@progbits
    .p2align {AL}
    .zero {PAD}
    .quad 0x0bad0bad0bad0bad
    .quad 0x7e57c0de00000001
    .globl target
    .type target, @object
    .size target, 24
target:
    .quad 0x7e57c0de00000002
    .quad 0x7e57c0de00000003
    .quad 0x7e57c0de00000004
    .section .tbss,"awT",@nobits
    .p2align 3
    .zero {BSS}
"""
_TLS = {-8: 0x7e57c0de00000001, 0: 0x7e57c0de00000002, 8: 0x7e57c0de00000003, 16: 0x7e57c0de00000004}
_TLS_LAYOUT = {"AL": (3, 4, 6), "PAD": (0, 8, 40), "BSS": (8, 24, 4096)}
_TLS_A = {"A": (0, 8, 16, -8), **_TLS_LAYOUT}          # a relocation addend picks the word
_TLS_K = {"K": (0, 8, 16, -8), **_TLS_LAYOUT}          # a displacement after the TLS call picks it


def _tls(v, key: str = "A") -> int:
    return _TLS[v.p[key]]


I32 = dict(lo=-(1 << 31), hi=(1 << 31) - 1)                  # checkInt(32)
U32 = dict(lo=0, hi=(1 << 32) - 1)                           # checkUInt(32)

RECIPES = [
    # ------------------------------------------------------------------ NONE
    SiteRecipe(
        "R_X86_64_NONE",
        """
    .section .rig.site,"ax",@progbits
    .globl probe
probe:
site:
    .reloc . + 2, R_X86_64_NONE, target+{A}
    movabsq $0x0123456789abcdef, %rax
    ret
""" + _TARGET_DATA,
        # psABI: "none"; nothing is written, the immediate stays as assembled
        expect=lambda v: 0x0123456789abcdef, field_offset=2, params={"A": (0, 8, -16)}),

    # ------------------------------------------------------------------ absolute
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
        "R_X86_64_64",
        """
    .section .rig.site,"ax",@progbits
    .globl probe
probe:
site:
    movabsq $target+{A}, %rax
    ret
""" + _TARGET_DATA,
        name="movabs", expect=lambda v: v.S + v.A, field_offset=2,
        params={"A": (0, 8, -0x10000, 0x7f00_0000_0000, -(1 << 47))}),
    SiteRecipe(
        "R_X86_64_32",
        """
    .section .rig.site,"ax",@progbits
    .globl probe
probe:
    movq $-1, %rax
site:
    movl $target+{A}, %eax           # writing %eax zero-extends into %rax
    ret
""" + _TARGET_DATA,
        # word32, S + A must zero-extend to itself: [0, 2**32)
        expect=lambda v: v.S + v.A, value=lambda v: v.S + v.A, field_offset=1, **U32,
        params={"A": (0, 8, -16, 0x1000, 0x7fff_0000, -0x80_0000)}),
    SiteRecipe(
        "R_X86_64_32S",
        """
    .section .rig.site,"ax",@progbits
    .globl probe
probe:
site:
    movq $target+{A}, %rax           # imm32 sign-extended to 64 bits
    ret
""" + _TARGET_DATA,
        # word32, S + A must sign-extend to itself: [-2**31, 2**31)
        expect=lambda v: v.S + v.A, value=lambda v: v.S + v.A, field_offset=3, **I32,
        params={"A": (0, 8, -16, 0x1000, -0x8000_0000, -0x80_0000)}),
    SiteRecipe(
        "R_X86_64_32",
        """
    .section .rig.site,"ax",@progbits
    .globl probe
probe:
    movq $-1, %rax
site:
    movl $target+{A}, %eax
    ret
""" + _TARGET_DATA,
        # S + A in the upper half of the field (bit 31 set): fits, zero-extended (a 32S check refuses it)
        name="high", expect=lambda v: v.S + v.A, value=lambda v: v.S + v.A, field_offset=1, **U32,
        params={"A": (0x8000_0000, 0xc000_0000, 0xfe00_0000)}),
    SiteRecipe(
        "R_X86_64_32S",
        """
    .section .rig.site,"ax",@progbits
    .globl probe
probe:
site:
    movq $target+{A}, %rax
    ret
""" + _TARGET_DATA,
        # S + A negative: fits, sign-extended (a 32 check refuses it)
        name="negative", expect=lambda v: v.S + v.A, value=lambda v: v.S + v.A, field_offset=3, **I32,
        params={"A": (-0x8000_0000, -0x4000_0000, -0x7000_0000)}),
    SiteRecipe(
        "R_X86_64_16",
        """
    .globl target
    .set target, {S}
    .section .rig.site,"ax",@progbits
    .globl probe
probe:
    movq $-1, %rax
site:
    movw $target@ABS8+({E}-{S}), %ax   # S + A = {E}: the field's top edge
    ret
""",
        name="top", expect=lambda v: (M64 & ~0xFFFF) | (v.p["E"] & 0xFFFF), field_offset=2,
        movable=False, params={"S": (0, 0x7fff, -0x7ff0, 0x1234), "E": (0xffff,)}),
    SiteRecipe(
        "R_X86_64_16",
        """
    .globl target
    .set target, {S}
    .section .rig.site,"ax",@progbits
    .globl probe
probe:
    movq $-1, %rax
site:
    movw $target@ABS8+({E}-{S}), %ax   # S + A = {E}: the field's bottom edge
    ret
""",
        name="bottom", expect=lambda v: (M64 & ~0xFFFF) | (v.p["E"] & 0xFFFF), field_offset=2,
        movable=False, params={"S": (0, 0x7fff, -0x7ff0, 0x1234), "E": (-0x8000,)}),
    SiteRecipe(
        "R_X86_64_8",
        """
    .globl target
    .set target, {S}
    .section .rig.site,"ax",@progbits
    .globl probe
probe:
    movq $-1, %rax
site:
    movb $target@ABS8+({E}-{S}), %al   # S + A = {E}: the field's top edge
    ret
""",
        name="top", expect=lambda v: (M64 & ~0xFF) | (v.p["E"] & 0xFF), field_offset=1,
        movable=False, params={"S": (0, 0x7f, -0x70, 0x12), "E": (0xff,)}),
    SiteRecipe(
        "R_X86_64_8",
        """
    .globl target
    .set target, {S}
    .section .rig.site,"ax",@progbits
    .globl probe
probe:
    movq $-1, %rax
site:
    movb $target@ABS8+({E}-{S}), %al   # S + A = {E}: the field's bottom edge
    ret
""",
        name="bottom", expect=lambda v: (M64 & ~0xFF) | (v.p["E"] & 0xFF), field_offset=1,
        movable=False, params={"S": (0, 0x7f, -0x70, 0x12), "E": (-0x80,)}),
    SiteRecipe(
        "R_X86_64_16",
        """
    .globl target
    .set target, {S}
    .section .rig.site,"ax",@progbits
    .globl probe
probe:
    movq $-1, %rax
site:
    movw $target@ABS8+{A}, %ax       # only the low 16 bits change (@ABS8: a relocation)
    ret
""",
        # an absolute symbol: every draw fits (S + A reaches both edges, 0xffff and -0x8000)
        expect=lambda v: (M64 & ~0xFFFF) | ((v.S + v.A) & 0xFFFF), field_offset=2, movable=False,
        params={"S": (0x7fff, 0xfff0, 0x8000, -0x7ff0), "A": (0, 1, 15, -16)}),
    SiteRecipe(
        "R_X86_64_16",
        """
    .globl target
    .set target, {S}
    .section .rig.site,"a",@progbits
site:
    .word target@ABS8+{A}          # @ABS8 keeps the absolute symbol (else the assembler folds it)
    .text
    .globl probe
probe:
    ret
""",
        name="data", observe="word", size=2, expect=lambda v: v.S + v.A, movable=False,
        params={"S": (0x7fff, 0xfff0, 0x8000, -0x7ff0), "A": (0, 1, 15, -16)}),
    SiteRecipe(
        "R_X86_64_8",
        """
    .globl target
    .set target, {S}
    .section .rig.site,"a",@progbits
site:
    .byte target@ABS8+{A}          # @ABS8 keeps the absolute symbol (else the assembler folds it)
    .text
    .globl probe
probe:
    ret
""",
        # word8, signed or unsigned: [-2**7, 2**8); no placed section is that low: absolute
        # symbols, every draw in range (S + A reaches 0xff and -0x80)
        name="data", observe="word", size=1, expect=lambda v: v.S + v.A, movable=False,
        params={"S": (0x7f, 0xf0, 0x80, -0x70), "A": (0, 1, 15, -16)}),
    SiteRecipe(
        "R_X86_64_8",
        """
    .globl target
    .set target, {S}
    .section .rig.site,"ax",@progbits
    .globl probe
probe:
    movq $-1, %rax
site:
    movb $target@ABS8+{A}, %al       # only the low 8 bits change (@ABS8: a relocation)
    ret
""",
        expect=lambda v: (M64 & ~0xFF) | ((v.S + v.A) & 0xFF), field_offset=1, movable=False,
        params={"S": (0x7f, 0xf0, 0x80, -0x70), "A": (0, 1, 15, -16)}),

    # ------------------------------------------------------------------ pc-relative
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
        "R_X86_64_PC32",
        """
    .section .rig.site,"ax",@progbits
    .globl probe
probe:
    leaq site(%rip), %rcx
    movslq (%rcx), %rax
    addq %rcx, %rax
    ret
site:
    .long target+{A}-.
""" + _TARGET_DATA,
        name="data", expect=lambda v: v.S + v.A, value=lambda v: v.S + v.A - v.P, **I32,
        params={"A": (0, 8, -16, 0x1000, -0x10000)}),
    SiteRecipe(
        "R_X86_64_PC16",
        """
    .section .rig.site,"ax",@progbits
    .globl probe
probe:
    leaq site(%rip), %rcx
    movswq (%rcx), %rax
    addq %rcx, %rax
    ret
site:
    .word target+{A}-.
""" + _TARGET_DATA,
        # word16 signed: [-2**15, 2**15)
        expect=lambda v: v.S + v.A, value=lambda v: v.S + v.A - v.P, lo=-(1 << 15), hi=(1 << 15) - 1,
        params={"A": (0, 8, -16, 0x100)}),
    SiteRecipe(
        "R_X86_64_PC8",
        """
    .section .rig.site,"ax",@progbits
    .globl probe
probe:
    leaq site(%rip), %rcx
    movsbq (%rcx), %rax
    addq %rcx, %rax
    ret
    .globl target
target:
    .zero {D}
site:
    .reloc ., R_X86_64_PC8, target+{A}   # .reloc: the assembler would fold a same-section difference
    .byte 0
""",
        # word8 signed: [-2**7, 2**7).  The placements keep two sections farther apart than 127
        # bytes (relative_reach), so target sits before the site in its section, {D} bytes back:
        # not movable, every draw in range (S + A - P from -0x80 to 0x7f)
        expect=lambda v: v.S + v.A, value=lambda v: v.S + v.A - v.P, movable=False,
        params={"D": (1, 16, 0x70), "A": (0, 0xf, 0x7f, -0x10)}),
    SiteRecipe(
        "R_X86_64_PC8",
        """
    .section .rig.site,"ax",@progbits
    .globl probe
probe:
    leaq site(%rip), %rcx
    movsbq (%rcx), %rax
    ret
    .globl target
target:
    .zero {D}
site:
    .reloc ., R_X86_64_PC8, target+({E}+{D})   # S + A - P = -D + E + D: the top edge
    .byte 0
""",
        name="top", expect=lambda v: v.p["E"], movable=False, params={"D": (1, 16, 0x70), "E": (0x7f,)}),
    SiteRecipe(
        "R_X86_64_PC8",
        """
    .section .rig.site,"ax",@progbits
    .globl probe
probe:
    leaq site(%rip), %rcx
    movsbq (%rcx), %rax
    ret
    .globl target
target:
    .zero {D}
site:
    .reloc ., R_X86_64_PC8, target+({E}+{D})   # S + A - P = -D + E + D: the bottom edge
    .byte 0
""",
        name="bottom", expect=lambda v: v.p["E"], movable=False, params={"D": (1, 16, 0x70), "E": (-0x80,)}),
    SiteRecipe(
        "R_X86_64_PC64",
        """
    .section .rig.site,"ax",@progbits
    .globl probe
probe:
    leaq site(%rip), %rcx
    movq (%rcx), %rax
    addq %rcx, %rax
    ret
    .p2align 3
site:
    .quad target+{A}-.
""" + _TARGET_DATA,
        # word64: S + A - P, no range
        expect=lambda v: v.S + v.A, params={"A": (0, 8, -16, 1 << 40, -(1 << 50))}),
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
        "R_X86_64_PLT32",
        """
    .section .rig.site,"ax",@progbits
    .globl probe
probe:
    xorl %eax, %eax
site:
    call target@PLT+{A}              # L + A - P, A = {A} - 4: enters the target {A} bytes in
    ret
""" + _TARGET_STEPS,
        # out of reach: a stub that reaches S + {A} (lld's PLT entry has no addend; a stub here
        # is the rig's, and the branch must still land where S + A - P says)
        name="call", expect=lambda v: 8 - v.A // 4, value=lambda v: v.S + v.A - 4 - v.P, **I32,
        field_offset=1, branch=True, params={"A": _STEPS}),

    # ------------------------------------------------------------------ GOT, pc-relative
    SiteRecipe(
        "R_X86_64_GOTPCREL",
        """
    .section .rig.site,"ax",@progbits
    .globl probe
probe:
site:
    pushq target@GOTPCREL(%rip)      # push is not relaxable: a plain GOTPCREL
    popq %rax
    ret
""" + _TARGET_DATA,
        # G(S) + A - P: the slot holds S
        expect=lambda v: v.S, field_offset=2),
    SiteRecipe(
        "R_X86_64_GOTPCREL",
        """
    .section .rig.site,"ax",@progbits
    .globl probe
probe:
site:
    leaq target@GOTPCREL+{A}(%rip), %rax   # the slot's address + {A}
    movq -({A})(%rax), %rax
    ret
""" + _TARGET_DATA,
        name="lea", expect=lambda v: v.S, field_offset=3, params={"A": (0, 8, -16, 0x1000)}),
    SiteRecipe(
        "R_X86_64_REX_GOTPCRELX",
        """
    .section .rig.site,"ax",@progbits
    .globl probe
probe:
    leaq _GLOBAL_OFFSET_TABLE_(%rip), %rdx   # a GOT whatever the row says (a mutant's shape)
site:
    movq target@GOTPCREL(%rip), %rax
    movq (%rax), %rax
    ret
""" + _TARGET_DATA,
        # G(S) + A - P (relaxable to lea; the rig does not relax, both give the marker)
        expect=lambda v: MARK, field_offset=3),
    SiteRecipe(
        "R_X86_64_REX_GOTPCRELX",
        """
    .section .rig.site,"ax",@progbits
    .globl probe
probe:
    leaq _GLOBAL_OFFSET_TABLE_(%rip), %rdx   # a GOT whatever the row says (a mutant's shape)
    xorl %eax, %eax
site:
    addq target@GOTPCREL(%rip), %rax
    ret
""" + _TARGET_DATA,
        name="add", expect=lambda v: v.S, field_offset=3),
    SiteRecipe(
        "R_X86_64_GOTPCRELX",
        """
    .section .rig.site,"ax",@progbits
    .globl probe
probe:
    leaq _GLOBAL_OFFSET_TABLE_(%rip), %rdx   # a GOT whatever the row says (a mutant's shape)
site:
    call *target@GOTPCREL(%rip)
    ret
""" + _TARGET_CODE,
        expect=lambda v: MARK, field_offset=2),
    SiteRecipe(
        "R_X86_64_GOTPCRELX",
        """
    .section .rig.site,"ax",@progbits
    .globl probe
probe:
    leaq _GLOBAL_OFFSET_TABLE_(%rip), %rdx   # a GOT whatever the row says (a mutant's shape)
    movq $-1, %rax
site:
    movl target@GOTPCREL(%rip), %eax  # no REX: the low half of the slot, zero-extended
    ret
""" + _TARGET_DATA,
        name="movl", expect=lambda v: v.S & 0xFFFFFFFF, field_offset=2),
    SiteRecipe(
        "R_X86_64_GOTPCREL64",
        """
    .section .rig.site,"ax",@progbits
    .globl probe
probe:
site:
    .reloc site + 2, R_X86_64_GOTPCREL64, target+{A}+2   # G(S) + A + 2 - (site + 2)
    movabsq $0, %rax
    leaq site(%rip), %rcx
    movq -({A})(%rcx,%rax), %rax
    ret
""" + _TARGET_DATA,
        # G(S) + A - P, word64 (no assembler spelling: .reloc)
        expect=lambda v: v.S, field_offset=2, params={"A": (0, 8, -16, 0x1000)}),

    # ------------------------------------------------------------------ GOT base
    SiteRecipe(
        "R_X86_64_GOTPC32",
        """
    .section .rig.site,"ax",@progbits
    .globl probe
probe:
site:
    leaq _GLOBAL_OFFSET_TABLE_+{A}(%rip), %rcx   # GOT + {A}
    movq target@GOT-({A})(%rcx), %rax           # the slot: GOT + G(S) - GOT
    ret
""" + _TARGET_DATA,
        # GOT + A - P; seen through the slot it finds (GOT32 is the other row)
        expect=lambda v: v.S, field_offset=3, params={"A": (0, 8, -16, 0x1000)}),
    SiteRecipe(
        "R_X86_64_GOTPC64",
        """
    .section .rig.site,"ax",@progbits
    .globl probe
probe:
site:
    movabsq $_GLOBAL_OFFSET_TABLE_-site, %rax    # GOT - site: the assembler's addend is 2
    leaq site(%rip), %rcx
    addq %rcx, %rax
    movq target@GOT(%rax), %rax
    ret
""" + _TARGET_DATA,
        expect=lambda v: v.S, field_offset=2),
    SiteRecipe(
        "R_X86_64_GOTPC64",
        """
    .section .rig.site,"ax",@progbits
    .globl probe
probe:
site:
    .reloc site + 2, R_X86_64_GOTPC64, {A}+2      # GOT + {A} + 2 - (site + 2)
    movabsq $0, %rax
    leaq site(%rip), %rcx
    addq %rcx, %rax
    movq target@GOT-({A})(%rax), %rax
    ret
""" + _TARGET_DATA,
        name="reloc", expect=lambda v: v.S, field_offset=2, params={"A": (0, 8, -16, 0x1000)}),
    SiteRecipe(
        "R_X86_64_GOT32",
        """
    .section .rig.site,"ax",@progbits
    .globl probe
probe:
    leaq _GLOBAL_OFFSET_TABLE_(%rip), %rcx
site:
    leaq target@GOT+{A}(%rcx), %rax    # G(S) + {A} - GOT, from the GOT
    movq -({A})(%rax), %rax
    ret
""" + _TARGET_DATA,
        expect=lambda v: v.S, field_offset=3, params={"A": (0, 8, -16, 0x1000)}),
    SiteRecipe(
        "R_X86_64_GOT64",
        """
    .section .rig.site,"ax",@progbits
    .globl probe
probe:
    leaq _GLOBAL_OFFSET_TABLE_(%rip), %rcx
site:
    movabsq $target@GOT+{A}, %rax
    movq -({A})(%rcx,%rax), %rax
    ret
""" + _TARGET_DATA,
        expect=lambda v: v.S, field_offset=2, params={"A": (0, 8, -16, 0x1000)}),
    SiteRecipe(
        "R_X86_64_GOTPLT64",
        """
    .section .rig.site,"ax",@progbits
    .globl probe
probe:
    leaq _GLOBAL_OFFSET_TABLE_(%rip), %rcx
site:
    .reloc site + 2, R_X86_64_GOTPLT64, target+{A}
    movabsq $0, %rax
    movq -({A})(%rcx,%rax), %rax       # the slot (no lazy binding: it holds S)
    xorl %edx, %edx
    cmpq $target, %rax                 # and it reaches the function
    jne 1f
    jmp *%rax
1:  ret
""" + _TARGET_CODE,
        # G(S) - GOT + A as GOT64 (psABI: the slot of the PLT's GOT; no lazy binding here)
        expect=lambda v: MARK, field_offset=2, params={"A": (0, 8, -16, 0x1000)}),
    SiteRecipe(
        "R_X86_64_GOTOFF64",
        """
    .section .rig.site,"ax",@progbits
    .globl probe
probe:
    leaq _GLOBAL_OFFSET_TABLE_(%rip), %rcx
site:
    movabsq $target@GOTOFF+{A}, %rax
    addq %rcx, %rax
    ret
""" + _TARGET_DATA,
        # S + A - GOT: plus GOT is S + A
        expect=lambda v: v.S + v.A, field_offset=2, params={"A": (0, 8, -16, 1 << 36, -(1 << 36))}),
    SiteRecipe(
        "R_X86_64_PLTOFF64",
        """
    .section .rig.site,"ax",@progbits
    .globl probe
probe:
    leaq _GLOBAL_OFFSET_TABLE_(%rip), %rcx
site:
    movabsq $target@PLTOFF+{A}, %rax
    addq %rcx, %rax
    ret
""" + _TARGET_STEPS,
        # L - GOT + A; a static link of a non-preemptible function has no PLT entry (lld
        # turns R_PLT_GOTREL into R_GOTREL), so L = S and the sum is S + A
        expect=lambda v: v.S + v.A, field_offset=2, params={"A": (0, 4, -16, 1 << 36)}),
    SiteRecipe(
        "R_X86_64_PLTOFF64",
        """
    .section .rig.site,"ax",@progbits
    .globl probe
probe:
    leaq _GLOBAL_OFFSET_TABLE_(%rip), %rcx
site:
    movabsq $target@PLTOFF+{A}, %rdx
    addq %rcx, %rdx
    xorl %eax, %eax
    jmp *%rdx                          # enters the function {A} bytes in
""" + _TARGET_STEPS,
        name="call", expect=lambda v: 8 - v.A // 4, field_offset=2, params={"A": _STEPS}),

    # ------------------------------------------------------------------ sizes
    SiteRecipe(
        "R_X86_64_SIZE32",
        """
    .section .rig.site,"ax",@progbits
    .globl probe
probe:
    movq $-1, %rax
site:
    movl $target@SIZE+{A}, %eax
    ret
""" + _TARGET_SIZED,
        # Z + A, word32 zero-extending as R_X86_64_32 (lld: checkUInt(32)).  No placement moves
        # it and the generator must load every draw packed first, so every draw fits: up to
        # 0xffffffff (a signed check would refuse it)
        expect=lambda v: v.p["N"] + v.A, field_offset=1, movable=False,
        params={"N": (0xfffffff0, 0x80000000, 16), "A": (0, 15, 3)}),
    SiteRecipe(
        "R_X86_64_SIZE32",
        """
    .section .rig.site,"a",@progbits
site:
    .long target@SIZE+{A}
    .text
    .globl probe
probe:
    ret
""" + _TARGET_SIZED,
        name="data", observe="word", size=4, expect=lambda v: v.p["N"] + v.A, movable=False,
        params={"N": (0xfffffff0, 0x80000000, 16, 0), "A": (0, 15, 3)}),
    SiteRecipe(
        "R_X86_64_SIZE32",
        """
    .section .rig.site,"ax",@progbits
    .globl probe
probe:
    movq $-1, %rax
site:
    movl $target@SIZE+(0xffffffff-{N}), %eax   # Z + A = 0xffffffff: the field's top
    ret
""" + _TARGET_SIZED,
        name="top", expect=lambda v: 0xFFFFFFFF, field_offset=1, movable=False,
        params={"N": (0, 16, 0x80000000, 0xfffffff0)}),
    SiteRecipe(
        "R_X86_64_SIZE64",
        """
    .section .rig.site,"ax",@progbits
    .globl probe
probe:
site:
    movabsq $target@SIZE+{A}, %rax
    ret
""" + _TARGET_SIZED,
        expect=lambda v: v.p["N"] + v.A, field_offset=2,
        params={"N": (0, 24, 0xfffffff0, 1 << 40), "A": (0, 3, -1, -0x100)}),
    SiteRecipe(
        "R_X86_64_SIZE64",
        """
    .section .rig.site,"a",@progbits
site:
    .quad target@SIZE+{A}
    .text
    .globl probe
probe:
    ret
""" + _TARGET_SIZED,
        name="data", observe="word", expect=lambda v: v.p["N"] + v.A,
        params={"N": (0, 24, 0x1_0000_0000), "A": (0, 3, -1)}),

    # ------------------------------------------------------------------ TLS: local-exec
    SiteRecipe(
        "R_X86_64_TPOFF32",
        """
    .section .rig.site,"ax",@progbits
    .globl probe
probe:
site:
    movq %fs:target@tpoff+{A}, %rax    # S + A - TP, from the thread pointer
    ret
""" + _TARGET_TLS,
        expect=_tls, field_offset=5, movable=False, params=_TLS_A),
    SiteRecipe(
        "R_X86_64_TPOFF32",
        """
    .section .rig.site,"ax",@progbits
    .globl probe
probe:
    movq %fs:0, %rax                   # the TCB's first word: TP itself
site:
    leaq target@tpoff+{A}(%rax), %rax
    movq (%rax), %rax
    ret
""" + _TARGET_TLS,
        name="lea", expect=_tls, field_offset=3, movable=False, params=_TLS_A),
    SiteRecipe(
        "R_X86_64_TPOFF64",
        """
    .section .rig.site,"a",@progbits
    .p2align 3
site:
    .quad target@tpoff+{A}
    .text
    .globl probe
probe:
    movq site(%rip), %rcx
    movq %fs:(%rcx), %rax
    ret
""" + _TARGET_TLS,
        expect=_tls, movable=False, params=_TLS_A),
    # ------------------------------------------------------------------ TLS: initial-exec
    SiteRecipe(
        "R_X86_64_GOTTPOFF",
        """
    .section .rig.site,"ax",@progbits
    .globl probe
probe:
site:
    movq target@gottpoff(%rip), %rax   # the GOT slot holding S - TP
    movq %fs:{K}(%rax), %rax
    ret
""" + _TARGET_TLS,
        expect=lambda v: _tls(v, "K"), field_offset=3, movable=False, params=_TLS_K),
    SiteRecipe(
        "R_X86_64_GOTTPOFF",
        """
    .section .rig.site,"ax",@progbits
    .globl probe
probe:
    movq %fs:0, %rax
site:
    addq target@gottpoff(%rip), %rax
    movq {K}(%rax), %rax
    ret
""" + _TARGET_TLS,
        name="add", expect=lambda v: _tls(v, "K"), field_offset=3, movable=False, params=_TLS_K),
    # ------------------------------------------------------------------ TLS: dynamic models
    SiteRecipe(
        "R_X86_64_TLSGD",
        """
    .section .rig.site,"ax",@progbits
    .globl probe
probe:
    movabsq $0x5e1f5e1f00c0ffee, %rdx     # a new value, stored through the thread pointer: the
    movq %rdx, %fs:target@tpoff+{K}      # route under test must read the thread's block, not the image
site:
    .byte 0x66                          # the padded sequence of the psABI (lld relaxes it)
    leaq target@tlsgd(%rip), %rdi       # the GOT pair (module, S - DTP)
    .value 0x6666
    rex64
    call __tls_get_addr@PLT
    movq {K}(%rax), %rax
    ret
""" + _TARGET_TLS,
        expect=lambda v: NEW, field_offset=4, movable=False, params=_TLS_K),
    SiteRecipe(
        "R_X86_64_TLSLD",
        """
    .section .rig.site,"ax",@progbits
    .globl probe
probe:
    movabsq $0x5e1f5e1f00c0ffee, %rdx     # a new value, stored through the thread pointer: the
    movq %rdx, %fs:target@tpoff+{K}      # route under test must read the thread's block, not the image
site:
    leaq target@tlsld(%rip), %rdi       # the object's pair (module, 0): its block's start
    call __tls_get_addr@PLT
    addq off(%rip), %rax
    movq (%rax), %rax
    ret
    .p2align 3
off:
    .quad {K} + 16 + {PAD}               # target's offset in the block, by hand
""" + _TARGET_TLS,
        # target sits at PAD + 16 in .tdata, which starts the block; K picks the word
        expect=lambda v: NEW, field_offset=3, movable=False,
        params={"K": (0, 8, -8), "AL": (3, 4, 6), "PAD": (0, 8, 40), "BSS": (8, 24)}),
    SiteRecipe(
        "R_X86_64_DTPOFF32",
        """
    .section .rig.site,"ax",@progbits
    .globl probe
probe:
    movabsq $0x5e1f5e1f00c0ffee, %rdx     # a new value, stored through the thread pointer: the
    movq %rdx, %fs:target@tpoff+{A}      # route under test must read the thread's block, not the image
    leaq target@tlsld(%rip), %rdi
    call __tls_get_addr@PLT
site:
    movq target@dtpoff+{A}(%rax), %rax  # S + A - DTP
    ret
""" + _TARGET_TLS,
        expect=lambda v: NEW, field_offset=3, movable=False, params=_TLS_A),
    SiteRecipe(
        "R_X86_64_DTPOFF64",
        """
    .section .rig.site,"a",@progbits
    .p2align 3
site:
    .quad target@dtpoff+{A}
    .text
    .globl probe
probe:
    movabsq $0x5e1f5e1f00c0ffee, %rdx     # a new value, stored through the thread pointer: the
    movq %rdx, %fs:target@tpoff+{A}      # route under test must read the thread's block, not the image
    leaq target@tlsld(%rip), %rdi
    call __tls_get_addr@PLT
    addq site(%rip), %rax
    movq (%rax), %rax
    ret
""" + _TARGET_TLS,
        expect=lambda v: NEW, movable=False, params=_TLS_A),
    SiteRecipe(
        "R_X86_64_GOTPC32_TLSDESC",
        """
    .section .rig.site,"ax",@progbits
    .globl probe
probe:
site:
    leaq target@tlsdesc(%rip), %rax     # the descriptor (resolver, S - TP)
    call *target@tlscall(%rax)          # returns S - TP
    movq %fs:{K}(%rax), %rax
    ret
""" + _TARGET_TLS,
        expect=lambda v: _tls(v, "K"), field_offset=3, movable=False, params=_TLS_K),
    SiteRecipe(
        "R_X86_64_TLSDESC_CALL",
        """
    .section .rig.site,"ax",@progbits
    .globl probe
probe:
    leaq target@tlsdesc(%rip), %rax
site:
    call *target@tlscall(%rax)          # R_X86_64_TLSDESC_CALL: a marker, the call stays
    movq %fs:{K}(%rax), %rax
    ret
""" + _TARGET_TLS,
        # nothing is written: `ff 10` stays a call through the descriptor's first word
        expect=lambda v: _tls(v, "K"), movable=False, params=_TLS_K),
]
