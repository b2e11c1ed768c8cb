# rig: the x86-64 types ld.lld cannot link (GOTPCREL64, GOTPLT64), executed at random placements
# NOLLD: ld.lld 22 rejects R_X86_64_GOTPCREL64 (28) and R_X86_64_GOTPLT64 (30) as unknown relocations
# TARGETS: x86_64
# RELOC: static
# SIG: load_d i64()
# CALL: load_d() == 77
# SIG: call_g i64()
# CALL: call_g() == 42
    .section .text.nolld,"ax",@progbits
    .globl load_d
    .type load_d,@function
load_d:
    # GOTPCREL64 = G(d) + A - P with P = .Lq + 2 and A = 2: the immediate is G(d) - .Lq
.Lq:
    .reloc . + 2, R_X86_64_GOTPCREL64, d + 2
    movabsq $0, %rax
    leaq .Lq(%rip), %rcx
    movq (%rcx,%rax), %rax          # the GOT slot holds &d
    movq (%rax), %rax
    ret

    .globl call_g
    .type call_g,@function
call_g:
    leaq _GLOBAL_OFFSET_TABLE_(%rip), %rcx      # GOTPC32: the GOT's base
    # GOTPLT64 = G(g) - GOT + A: the slot's offset in the GOT
    .reloc . + 2, R_X86_64_GOTPLT64, g
    movabsq $0, %rax
    jmpq *(%rcx,%rax)

    .section .data.nolld,"aw",@progbits
    .globl d
d:  .quad 77

    .section .text.g,"ax",@progbits
    .globl g
    .type g,@function
g:  movl $42, %eax
    ret
