@ rig: T32 relocations: THM_CALL (BL, BL->BLX from 0 and 2 mod 4, BLX->BL), THM_JUMP24 (direct and to ARM through the veneer), THM_JUMP19, THM_JUMP11, THM_JUMP8, THM_MOVW/MOVT absolute and pc-relative, data and GOT words read from Thumb code, ARM callers of Thumb code
@ TARGETS: arm thumb
@ RELOC: static
@ SIG: thm_call i32(i32)
@ SIG: thm_call0 i32(i32)
@ SIG: thm_blx i32(i32)
@ SIG: thm_tail_arm i32(i32)
@ SIG: thm_jump24 i32(i32)
@ SIG: thm_cond i32(i32)
@ SIG: thm_short i32(i32)
@ SIG: thm_movabs i32(i32)
@ SIG: thm_movfn i32(i32)
@ SIG: thm_movfn_thumb i32(i32)
@ SIG: thm_movprel i32(i32)
@ SIG: thm_movprel_fn i32(i32)
@ SIG: thm_movprel_arm i32(i32)
@ SIG: thm_words i32(i32)
@ SIG: thm_got i32(i32)
@ SIG: thm_div i32(i32, i32)
@ SIG: thm_tail_div i32(i32, i32)
@ SIG: arm_calls_thumb i32(i32)
@ SIG: arm_tail_thumb2 i32(i32)
@ Leaves: thm_triple(x) = 3x, thm_inc(x) = x + 1 (Thumb); arm_add100(x) = x + 100,
@ arm_neg(x) = -x (ARM).  thm_table = {5, 6, 7, 8}.
@ CALL: thm_call(5) == 115
@ CALL: thm_call0(4) == -4
@ CALL: thm_blx(9) == -8
@ CALL: thm_tail_arm(-1) == 99
@ CALL: thm_jump24(7) == 21
@ CALL: thm_cond(0) == 42
@ CALL: thm_cond(-3) == 3
@ CALL: thm_cond(3) == 4
@ CALL: thm_short(9) == 4
@ CALL: thm_short(2) == 12
@ CALL: thm_movabs(1) == 6
@ CALL: thm_movfn(11) == -11
@ CALL: thm_movfn_thumb(11) == 33
@ CALL: thm_movprel(2) == 7
@ CALL: thm_movprel(3) == 8
@ CALL: thm_movprel_fn(-4) == -3
@ CALL: thm_movprel_arm(5) == 105
@ CALL: thm_words(2) == 1142
@ CALL: thm_got(1) == 24
@ CALL: thm_div(-100, 7) == -14
@ CALL: thm_tail_div(100, -7) == -14
@ CALL: arm_calls_thumb(6) == 19
@ CALL: arm_tail_thumb2(6) == 7
@
@ How the expected values are computed (none depends on where sections land):
@   thm_call(x)       = arm_add100(thm_triple(x)) = 3x + 100:  5 -> 115
@   thm_call0(x)      = arm_neg(x) (BL -> BLX at 0 mod 4):  4 -> -4
@   thm_blx(x)        = thm_inc(arm_neg(x)) = 1 - x (BLX -> BL for the Thumb callee):  9 -> -8
@   thm_tail_arm(x)   = arm_add100(x) (B.W to ARM, through the veneer):  -1 -> 99
@   thm_jump24(x)     = thm_triple(x) (B.W, same state, another section):  7 -> 21
@   thm_cond(x)       = x == 0 ? 42 : x < 0 ? -x : x + 1 (BEQ.W / BLT.W):  0 -> 42, -3 -> 3, 3 -> 4
@   thm_short(x)      = x >= 5 ? x - 5 : x + 10 (BGE.N, B.N):  9 -> 4, 2 -> 12
@   thm_movabs(i)     = thm_table[i]:  1 -> 6
@   thm_movfn(x)      = arm_neg(x):  11 -> -11;  thm_movfn_thumb(x) = thm_triple(x): 11 -> 33
@   thm_movprel(i)    = thm_table[i]:  2 -> 7, 3 -> 8
@   thm_movprel_fn(x) = thm_inc(x):  -4 -> -3;  thm_movprel_arm(x) = arm_add100(x): 5 -> 105
@   thm_words(i)      = t[i] (ABS32) + t[i] (REL32) + t[i] (PREL31) + arm_add100(t[i]) (ABS32)
@                       + thm_triple(t[i]) (TARGET1) + arm_neg(t[i]) (REL32) + 1000 * thm_inc(0) (REL32)
@                       with t = thm_table:  i = 2, t[i] = 7: 7 + 7 + 7 + 107 + 21 - 7 + 1000 = 1142
@   thm_got(i)        = t[i] four times: by GOT_PREL, GOTOFF32 (GOT from BASE_PREL), GOT_BREL, TARGET2:
@                       1 -> 4 * 6 = 24
@   thm_div(a, b)     = a / b (BL __aeabi_idiv, truncating):  -100 / 7 = -14
@   thm_tail_div(a, b) = a / b (B.W __aeabi_idiv, always through a veneer: ARM code):  100 / -7 = -14
@   arm_calls_thumb(x) = thm_triple(x) + 1 (ARM BL -> BLX):  6 -> 19
@   arm_tail_thumb2(x) = thm_inc(x) (ARM B to Thumb, through the veneer):  6 -> 7

    .syntax unified

@ ---------------------------------------------------------------------------
@ Thumb entry points
@ ---------------------------------------------------------------------------
    .section .text.thm_main,"ax",%progbits
    .thumb
    .p2align 2

    .globl thm_call                     @ offset 0
    .type thm_call, %function
    .thumb_func
thm_call:
    push {r4, lr}
    bl thm_triple                       @ offset 2: R_ARM_THM_CALL, Thumb -> Thumb: BL
    bl arm_add100                       @ offset 6 (2 mod 4): BL -> BLX, value rounded up to 4
    pop {r4, pc}

    .p2align 2
    .globl thm_call0
    .type thm_call0, %function
    .thumb_func
thm_call0:
    push {r4, lr}
    nop
    bl arm_neg                          @ 0 mod 4: BL -> BLX
    pop {r4, pc}

    .globl thm_blx
    .type thm_blx, %function
    .thumb_func
thm_blx:
    push {r4, lr}
    blx arm_neg                         @ R_ARM_THM_CALL on a BLX to ARM: stays BLX
    blx thm_inc                         @ R_ARM_THM_CALL on a BLX to Thumb: rewritten to BL
    pop {r4, pc}

    .globl thm_tail_arm
    .type thm_tail_arm, %function
    .thumb_func
thm_tail_arm:
    b.w arm_add100                      @ R_ARM_THM_JUMP24 to ARM: through a Thumb veneer

    .globl thm_jump24
    .type thm_jump24, %function
    .thumb_func
thm_jump24:
    b.w thm_triple                      @ R_ARM_THM_JUMP24, Thumb -> Thumb, another section

@ THM_JUMP19 (B<cond>.W) reaches +-1 MiB: its targets are in the same section, so
@ the module's sections may still land anywhere.  The targets are global
@ functions: the assembler leaves branches to them to the linker.
    .globl thm_cond_neg
    .type thm_cond_neg, %function
    .thumb_func
thm_cond_neg:                           @ before thm_cond: a backward (negative) B<cond>.W
    rsbs r0, r0, #0
    bx lr

    .globl thm_cond
    .type thm_cond, %function
    .thumb_func
thm_cond:
    cmp r0, #0
    beq.w thm_cond_zero                 @ R_ARM_THM_JUMP19, forward
    blt.w thm_cond_neg                  @ R_ARM_THM_JUMP19, backward
    adds r0, #1
    bx lr

    .globl thm_cond_zero
    .type thm_cond_zero, %function
    .thumb_func
thm_cond_zero:
    movs r0, #42
    bx lr

@ The 16-bit branches (THM_JUMP8, THM_JUMP11): llvm-mc relaxes a B.N to a global
@ symbol into B.W, so `.reloc` asks for the relocation; the instruction holds
@ the addend, -4 (`bge.n .` is 0xdafe, `b.n .` is 0xe7fe).
    .globl thm_short
    .type thm_short, %function
    .thumb_func
thm_short:
    cmp r0, #5
    .reloc ., R_ARM_THM_JUMP8, thm_short_ge
    bge.n .                             @ R_ARM_THM_JUMP8
    .reloc ., R_ARM_THM_JUMP11, thm_short_lt
    b.n .                               @ R_ARM_THM_JUMP11

    .globl thm_short_lt
    .type thm_short_lt, %function
    .thumb_func
thm_short_lt:
    adds r0, #10
    bx lr

    .globl thm_short_ge
    .type thm_short_ge, %function
    .thumb_func
thm_short_ge:
    subs r0, #5
    bx lr

    .globl thm_movabs
    .type thm_movabs, %function
    .thumb_func
thm_movabs:
    movw r1, #:lower16:thm_table        @ R_ARM_THM_MOVW_ABS_NC
    movt r1, #:upper16:thm_table        @ R_ARM_THM_MOVT_ABS
    ldr.w r0, [r1, r0, lsl #2]
    bx lr

    .globl thm_movfn
    .type thm_movfn, %function
    .thumb_func
thm_movfn:
    push {r4, lr}
    movw r1, #:lower16:arm_neg          @ ARM function: bit 0 clear, BLX enters ARM
    movt r1, #:upper16:arm_neg
    blx r1
    pop {r4, pc}

    .globl thm_movfn_thumb
    .type thm_movfn_thumb, %function
    .thumb_func
thm_movfn_thumb:
    push {r4, lr}
    movw r1, #:lower16:thm_triple       @ Thumb function: bit 0 set
    movt r1, #:upper16:thm_triple
    blx r1
    pop {r4, pc}

    .globl thm_movprel
    .type thm_movprel, %function
    .thumb_func
thm_movprel:
    movw r1, #:lower16:(thm_table - (1f + 4))   @ R_ARM_THM_MOVW_PREL_NC, addend -8
    movt r1, #:upper16:(thm_table - (1f + 4))   @ R_ARM_THM_MOVT_PREL, addend -4
1:  add r1, pc                                  @ ADD (register) reads pc as 1b + 4, unaligned
    ldr.w r0, [r1, r0, lsl #2]
    bx lr

    .globl thm_movprel_fn
    .type thm_movprel_fn, %function
    .thumb_func
thm_movprel_fn:
    push {r4, lr}
    movw r1, #:lower16:(thm_inc - (1f + 4))     @ ((S + A) | T) - P: bit 0 set
    movt r1, #:upper16:(thm_inc - (1f + 4))
1:  add r1, pc
    blx r1
    pop {r4, pc}

    .globl thm_movprel_arm
    .type thm_movprel_arm, %function
    .thumb_func
thm_movprel_arm:
    push {r4, lr}
    movw r1, #:lower16:(arm_add100 - (1f + 4))  @ ARM function: bit 0 clear
    movt r1, #:upper16:(arm_add100 - (1f + 4))
1:  add r1, pc
    blx r1
    pop {r4, pc}

@ thm_words(i): r5 = thm_words_tab, r6 = t[i], r4 = the running sum.
    .globl thm_words
    .type thm_words, %function
    .thumb_func
thm_words:
    push {r4, r5, r6, lr}
    ldr r5, =thm_words_tab              @ R_ARM_ABS32 in a Thumb literal pool
    ldr r1, [r5]                        @ +0 ABS32: thm_table
    ldr.w r6, [r1, r0, lsl #2]
    mov r4, r6                          @ sum = t[i]
    ldr r1, [r5, #4]                    @ +4 REL32: thm_table - P
    adds r2, r5, #4
    add r1, r2
    ldr.w r2, [r1, r0, lsl #2]
    add r4, r2                          @ sum += t[i]
    ldr r1, [r5, #8]                    @ +8 PREL31: thm_table - P in bits 30-0
    lsls r1, r1, #1
    asrs r1, r1, #1
    add r2, r5, #8
    add r1, r2
    ldr.w r2, [r1, r0, lsl #2]
    add r4, r2                          @ sum += t[i]
    mov r0, r6
    ldr r1, [r5, #12]                   @ +12 ABS32: arm_add100 (bit 0 clear)
    blx r1
    add r4, r0                          @ sum += t[i] + 100
    mov r0, r6
    ldr r1, [r5, #16]                   @ +16 TARGET1: thm_triple | 1
    blx r1
    add r4, r0                          @ sum += 3 t[i]
    mov r0, r6
    ldr r2, [r5, #20]                   @ +20 REL32: arm_neg - P
    add r1, r5, #20
    add r1, r2
    blx r1
    add r4, r0                          @ sum += -t[i]
    movs r0, #0
    ldr r2, [r5, #24]                   @ +24 REL32: (thm_inc | 1) - P
    add r1, r5, #24
    add r1, r2
    blx r1                              @ thm_inc(0) = 1
    movw r2, #1000
    mla r0, r0, r2, r4                  @ sum + 1000
    pop {r4, r5, r6, pc}
    .ltorg

@ thm_got(i): r5 = thm_got_tab, r3 = the GOT's base, r4 = the running sum.
    .globl thm_got
    .type thm_got, %function
    .thumb_func
thm_got:
    push {r4, r5, r6, lr}
    mov r6, r0
    ldr r5, =thm_got_tab
    ldr r1, [r5]                        @ +0 GOT_PREL: G(thm_table) - P
    add r1, r5
    ldr r1, [r1]                        @ thm_table, from its GOT slot
    ldr.w r4, [r1, r6, lsl #2]          @ sum = t[i]
    ldr r3, [r5, #4]                    @ +4 BASE_PREL: GOT - P
    adds r2, r5, #4
    add r3, r2                          @ GOT
    ldr r1, [r5, #8]                    @ +8 GOTOFF32: thm_table - GOT
    add r1, r3
    ldr.w r2, [r1, r6, lsl #2]
    add r4, r2                          @ sum += t[i]
    ldr r1, [r5, #12]                   @ +12 GOT_BREL: G(thm_table) - GOT
    ldr r1, [r3, r1]                    @ thm_table, from its GOT slot
    ldr.w r2, [r1, r6, lsl #2]
    add r4, r2                          @ sum += t[i]
    ldr r1, [r5, #16]                   @ +16 TARGET2: G(thm_table) - P
    add r2, r5, #16
    add r1, r2
    ldr r1, [r1]
    ldr.w r2, [r1, r6, lsl #2]
    add r0, r4, r2                      @ 4 t[i]
    pop {r4, r5, r6, pc}
    .ltorg

    .globl thm_div
    .type thm_div, %function
    .thumb_func
thm_div:
    push {r4, lr}
    bl __aeabi_idiv                     @ R_ARM_THM_CALL to ARM runtime code: BLX, or BL to a veneer
    pop {r4, pc}

    .globl thm_tail_div
    .type thm_tail_div, %function
    .thumb_func
thm_tail_div:
    b.w __aeabi_idiv                    @ R_ARM_THM_JUMP24 to ARM runtime code: a veneer

@ ---------------------------------------------------------------------------
@ Thumb leaves
@ ---------------------------------------------------------------------------
    .section .text.thm_leaf,"ax",%progbits
    .thumb
    .p2align 2

    .globl thm_triple
    .type thm_triple, %function
    .thumb_func
thm_triple:
    add.w r0, r0, r0, lsl #1
    bx lr

    .globl thm_inc                      @ offset 6 (2 mod 4)
    .type thm_inc, %function
    .thumb_func
thm_inc:
    adds r0, #1
    bx lr

@ ---------------------------------------------------------------------------
@ ARM functions: callees of the Thumb code, and callers of Thumb code
@ ---------------------------------------------------------------------------
    .section .text.thm_arm,"ax",%progbits
    .arm
    .p2align 2

    .globl arm_add100
    .type arm_add100, %function
arm_add100:
    add r0, r0, #100
    bx lr

    .globl arm_neg
    .type arm_neg, %function
arm_neg:
    rsb r0, r0, #0
    bx lr

    .globl arm_calls_thumb
    .type arm_calls_thumb, %function
arm_calls_thumb:
    push {r4, lr}
    bl thm_triple                       @ R_ARM_CALL to Thumb: BLX
    add r0, r0, #1
    pop {r4, pc}

    .globl arm_tail_thumb2
    .type arm_tail_thumb2, %function
arm_tail_thumb2:
    b thm_inc                           @ R_ARM_JUMP24 to Thumb: through an ARM veneer

@ ---------------------------------------------------------------------------
@ Data
@ ---------------------------------------------------------------------------
    .section .rodata.thm_vals,"a",%progbits
    .p2align 2
    .globl thm_table
    .type thm_table, %object
thm_table:
    .word 5, 6, 7, 8

    .section .data.thm_words,"aw",%progbits
    .p2align 2
    .globl thm_words_tab
    .type thm_words_tab, %object
thm_words_tab:
    .word thm_table                     @ +0  R_ARM_ABS32
    .word thm_table - .                 @ +4  R_ARM_REL32
    .word thm_table(prel31)             @ +8  R_ARM_PREL31
    .word arm_add100                    @ +12 R_ARM_ABS32, ARM function: bit 0 clear
    .word thm_triple(target1)           @ +16 R_ARM_TARGET1, Thumb function: | 1
    .word arm_neg - .                   @ +20 R_ARM_REL32, ARM function
    .word thm_inc - .                   @ +24 R_ARM_REL32, Thumb function: (S | 1) - P

    .section .data.thm_got,"aw",%progbits
    .p2align 2
    .globl thm_got_tab
    .type thm_got_tab, %object
thm_got_tab:
    .word thm_table(GOT_PREL)           @ +0  R_ARM_GOT_PREL
    .reloc ., R_ARM_BASE_PREL, thm_got_tab
    .word 0                             @ +4  R_ARM_BASE_PREL: B(S) + A - P, B(S) = the GOT for any S
    .word thm_table(GOTOFF)             @ +8  R_ARM_GOTOFF32
    .word thm_table(GOT)                @ +12 R_ARM_GOT_BREL
    .word thm_table(target2)            @ +16 R_ARM_TARGET2
