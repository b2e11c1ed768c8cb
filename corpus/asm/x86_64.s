# rig: every x86-64 relocation type from assembly, at random section addresses
# TARGETS: x86_64
# RELOC: static
# SIG: abs_load i64(i64)
# SIG: abs_call i64(i64)
# SIG: fptr_call i64(i64)
# SIG: pc_sum i64()
# SIG: pc64_get i64(i64)
# SIG: pc_small i64()
# SIG: abs_small i64()
# SIG: plt_calls i64(i64)
# SIG: got_pcrel i64(i64)
# SIG: got_base i64(i64)
# SIG: sizes i64()
# SIG: ext_calls i64()
#
# ptrs[i] = &cvals[i] (R_X86_64_64, addends 0/8/16), loaded with `movq ptrs(,%rdi,8)` (32S): cvals = 11, 22, 33
# CALL: abs_load(0) == 11
# CALL: abs_load(2) == 33
# aux_inc(aux_triple(5)) through `movl $aux_triple` (32) and `movq $aux_inc` (32S): 3*5 + 1
# CALL: abs_call(5) == 16
# fptrs = {aux_inc, aux_double, aux_triple} (R_X86_64_64), each called with 10: 11, 20, 30
# CALL: fptr_call(0) == 11
# CALL: fptr_call(1) == 20
# CALL: fptr_call(2) == 30
# PC32: cvals[1] + cvals[2] + dvals[0] = 22 + 33 + 100
# CALL: pc_sum() == 155
# pc64tab = {dvals - ., dvals + 16 - .} (PC64, rodata -> data): dvals[0] = 100, dvals[2] = 300
# CALL: pc64_get(0) == 100
# CALL: pc64_get(1) == 300
# PC16 -> near8 (0x77) and PC8 -> after8 (0x99), same section: 0x77 + 0x99 = 0x110
# CALL: pc_small() == 272
# 16: movw $0x1234 -> 4660; 8: pushq $0x56 (imm8, sign-extended) -> 86; data .word 0x1234+1 = 4661,
# .byte 0x56-0x60 = -10 (movsbq); 4660 + 86 + 4661 - 10 = 9397
# CALL: abs_small() == 9397
# PLT32: aux_double(aux_inc(4)) = 2 * 5
# CALL: plt_calls(4) == 10
# GOTPCREL: dvals[1] = 200; REX_GOTPCRELX: cvals[0] = 11; GOTPCRELX: aux_double(4) = 8: 200 + 11 + 8
# CALL: got_pcrel(4) == 219
# GOTPC32 == GOTPC64 base (else -1); GOT32: dvals[0] 100; GOT64: cvals[2] 33; GOTOFF64: cvals[1] 22;
# GOT32 call: aux_triple(2) = 6; PLTOFF64: aux_inc(...) + 1: 100 + 33 + 22 + 6 + 1
# CALL: got_base(2) == 162
# SIZE32 $dvals@SIZE = 24; SIZE64 $aux_triple@SIZE = 5 (48 8d 04 7f c3); data .long aux_inc@SIZE = 5
# (48 8d 47 01 c3); .quad dvals@SIZE + 3 = 27: 24 + 5 + 5 + 27
# CALL: sizes() == 61
# strlen("relocations") = 11 (PLT32); memcpy(buf, msg, 4) (PLT32); strlen(buf) = 4 through a GOT slot
# (REX_GOTPCRELX), * 100; memset(buf + 1, 'x', 2) through GOTPCRELX; buf[2] = 'x' = 120: 11 + 400 + 120
# CALL: ext_calls() == 531

        .set abs16, 0x1234
        .set abs8, 0x56
        .globl abs16, abs8

# ---------------------------------------------------------------- constants
        .section .rodata.consts,"a",@progbits
        .balign 8
cvals:  .quad 11, 22, 33
msg:    .asciz "relocations"
        .balign 8
pc64tab:
        .quad dvals - .                 # R_X86_64_PC64 (cross-section)
        .quad dvals + 16 - .            # R_X86_64_PC64, addend 16
near8:  .quad 0x77
s16:    .reloc ., R_X86_64_PC16, near8  # near8 - s16 = -8
        .word 0
s8:     .reloc ., R_X86_64_PC8, after8  # after8 - s8 = 6
        .byte 0
        .balign 8
after8: .quad 0x99

# ---------------------------------------------------------------- variables
        .section .data.vars,"aw",@progbits
        .balign 8
        .globl dvals
        .type dvals, @object
        .size dvals, 24
dvals:  .quad 100, 200, 300
ptrs:   .quad cvals, cvals + 8, cvals + 16          # R_X86_64_64
fptrs:  .quad aux_inc, aux_double, aux_triple       # R_X86_64_64 to code
sz64:   .quad dvals@SIZE + 3                        # R_X86_64_SIZE64
sz32:   .long aux_inc@SIZE                          # R_X86_64_SIZE32
w16:    .word abs16@ABS8 + 1                        # R_X86_64_16 (@ABS8 keeps the absolute symbol)
b8:     .byte abs8@ABS8 - 0x60                      # R_X86_64_8, addend -0x60

        .section .bss.buf,"aw",@nobits
        .balign 16
buf:    .zero 32

# ---------------------------------------------------------------- helpers, another code section
        .section .text.aux,"ax",@progbits
        .globl aux_inc, aux_double, aux_triple
        .type aux_inc, @function
aux_inc:
        leaq 1(%rdi), %rax
        ret
        .size aux_inc, . - aux_inc
        .type aux_double, @function
aux_double:
        leaq (%rdi,%rdi), %rax
        ret
        .size aux_double, . - aux_double
        .type aux_triple, @function
aux_triple:
        leaq (%rdi,%rdi,2), %rax
        ret
        .size aux_triple, . - aux_triple

# ---------------------------------------------------------------- the called functions
        .section .text.main,"ax",@progbits
        .globl abs_load, abs_call, fptr_call, pc_sum, pc64_get, pc_small, abs_small
        .globl plt_calls, got_pcrel, got_base, sizes, ext_calls

abs_load:
        movq ptrs(,%rdi,8), %rax        # R_X86_64_32S
        movq (%rax), %rax
        ret

abs_call:
        pushq %rbx
        movl $aux_triple, %eax          # R_X86_64_32 (zero-extends)
        movq $aux_inc, %rbx             # R_X86_64_32S (sign-extends)
        call *%rax
        movq %rax, %rdi
        call *%rbx
        popq %rbx
        ret

fptr_call:
        leaq fptrs(%rip), %rax          # R_X86_64_PC32
        movq (%rax,%rdi,8), %rax
        movl $10, %edi
        jmp *%rax

pc_sum:
        movq cvals + 8(%rip), %rax      # R_X86_64_PC32, addend 8 - 4
        addq cvals + 16(%rip), %rax
        leaq dvals(%rip), %rcx
        addq (%rcx), %rax
        ret

pc64_get:
        leaq pc64tab(%rip), %rcx
        leaq (%rcx,%rdi,8), %rcx
        movq (%rcx), %rax
        movq (%rcx,%rax), %rax          # *(entry + *entry)
        ret

pc_small:
        leaq s16(%rip), %rcx
        movswq (%rcx), %rax
        movq (%rcx,%rax), %rax          # *(s16 + (int16)*s16) = near8
        leaq s8(%rip), %rcx
        movsbq (%rcx), %rdx
        addq (%rcx,%rdx), %rax          # *(s8 + (int8)*s8) = after8
        ret

abs_small:
        xorl %eax, %eax
        movw $abs16@ABS8, %ax           # R_X86_64_16 in an instruction
        pushq $abs8@ABS8                # R_X86_64_8: push imm8
        popq %rcx
        addq %rcx, %rax
        movzwl w16(%rip), %ecx
        addq %rcx, %rax
        movsbq b8(%rip), %rcx
        addq %rcx, %rax
        .reloc ., R_X86_64_NONE, aux_inc   # R_X86_64_NONE: nothing is written
        ret

plt_calls:
        pushq %rbx
        call aux_inc@PLT                # R_X86_64_PLT32
        movq %rax, %rdi
        popq %rbx
        jmp aux_double@PLT              # R_X86_64_PLT32, a tail call

got_pcrel:
        pushq dvals@GOTPCREL(%rip)      # R_X86_64_GOTPCREL (push is not relaxable)
        popq %rax
        movq 8(%rax), %rax
        movq cvals@GOTPCREL(%rip), %rcx # R_X86_64_REX_GOTPCRELX
        addq (%rcx), %rax
        pushq %rax
        call *aux_double@GOTPCREL(%rip) # R_X86_64_GOTPCRELX
        popq %rcx
        addq %rcx, %rax
        ret

got_base:
        pushq %rbx
        pushq %r12
        pushq %r13
        # The GOT base, twice.  Compilers write `leaq _GLOBAL_OFFSET_TABLE_(%rip), %rbx` and
        # `movabsq $_GLOBAL_OFFSET_TABLE_ - .Lgp, %r12`; here the same two relocations carry no
        # symbol (their value, GOT + A - P, has none), so that rig.lld.compare can link this file
        # (it passes --defsym _GLOBAL_OFFSET_TABLE_, which lld refuses).  The symbol forms are in
        # tests/targets/test_x86_64_asm.py.
        .reloc . + 3, R_X86_64_GOTPC32, -4          # GOT - 4 - P, P = the disp32 field
        leaq 0(%rip), %rbx
.Lgp:   leaq .Lgp(%rip), %r11
        .reloc . + 2, R_X86_64_GOTPC64, 9           # GOT + 9 - P = GOT - .Lgp (P = .Lgp + 7 + 2)
        movabsq $0, %r12
        addq %r11, %r12
        movq $-1, %rax
        cmpq %rbx, %r12
        jne .Lout
        movq dvals@GOT(%rbx), %rax      # R_X86_64_GOT32: the slot's offset in the GOT
        movq (%rax), %r13
        movabsq $cvals@GOT, %rax        # R_X86_64_GOT64
        movq (%rbx,%rax), %rax
        addq 16(%rax), %r13
        movabsq $cvals@GOTOFF, %rax     # R_X86_64_GOTOFF64
        addq 8(%rbx,%rax), %r13
        call *aux_triple@GOT(%rbx)      # R_X86_64_GOT32 in a call: aux_triple(%rdi)
        leaq (%r13,%rax), %rdi
        movabsq $aux_inc@PLTOFF, %rax   # R_X86_64_PLTOFF64
        addq %rbx, %rax
        call *%rax
.Lout:  popq %r13
        popq %r12
        popq %rbx
        ret

sizes:
        movl $dvals@SIZE, %eax          # R_X86_64_SIZE32
        movabsq $aux_triple@SIZE, %rcx  # R_X86_64_SIZE64
        addq %rcx, %rax
        movl sz32(%rip), %ecx
        addq %rcx, %rax
        addq sz64(%rip), %rax
        ret

ext_calls:
        pushq %rbx
        leaq msg(%rip), %rdi
        call strlen@PLT                 # R_X86_64_PLT32 to a host function
        movq %rax, %rbx
        leaq buf(%rip), %rdi
        leaq msg(%rip), %rsi
        movl $4, %edx
        call memcpy@PLT
        leaq buf(%rip), %rdi
        movq strlen@GOTPCREL(%rip), %rax    # R_X86_64_REX_GOTPCRELX to a host function
        call *%rax
        imulq $100, %rax, %rax
        addq %rax, %rbx
        leaq buf + 1(%rip), %rdi
        movl $'x', %esi
        movl $2, %edx
        call *memset@GOTPCREL(%rip)     # R_X86_64_GOTPCRELX to a host function
        movzbl buf + 2(%rip), %eax
        addq %rbx, %rax
        popq %rbx
        ret
