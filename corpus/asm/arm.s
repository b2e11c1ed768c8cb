@ rig: A32 relocations: CALL (BL, BL->BLX, BLX->BL), JUMP24/PC24 (direct, conditional, to Thumb through the veneer), MOVW/MOVT absolute and pc-relative, data words (ABS32, REL32, PREL31, TARGET1), GOT words (TARGET2, GOT_PREL, GOT_BREL, GOTOFF32, BASE_PREL), NONE and V4BX markers, Thumb callers of ARM code
@ TARGETS: arm thumb
@ RELOC: static
@ SIG: arm_call i32(i32)
@ SIG: arm_blx i32(i32)
@ SIG: arm_tail_thumb i32(i32)
@ SIG: arm_cond i32(i32)
@ SIG: arm_blcond i32(i32)
@ SIG: arm_pc24 i32(i32)
@ SIG: arm_pc24_bl i32(i32)
@ SIG: arm_movabs i32(i32)
@ SIG: arm_mov_addend i32()
@ SIG: arm_movfn i32(i32)
@ SIG: arm_movprel i32(i32)
@ SIG: arm_movprel_fn i32(i32)
@ SIG: arm_lit i32(i32)
@ SIG: arm_abs32 i32(i32)
@ SIG: arm_rel32 i32(i32)
@ SIG: arm_prel31 i32(i32)
@ SIG: arm_prel31_thumb i32(i32)
@ SIG: arm_target1 i32(i32)
@ SIG: arm_got_prel i32(i32)
@ SIG: arm_target2 i32()
@ SIG: arm_got_brel i32(i32)
@ SIG: arm_gotoff i32(i32)
@ SIG: arm_gotoff_fn i32(i32)
@ SIG: arm_div7 u32(u32)
@ SIG: arm_udiv u32(u32, u32)
@ SIG: thumb_calls_arm i32(i32)
@ SIG: thumb_calls_arm2 i32(i32)
@ SIG: thumb_tail_arm i32(i32)
@ Leaves: arm_triple(x) = 3x, arm_plus7(x) = x + 7 (ARM); thumb_add100(x) = x + 100,
@ thumb_neg(x) = -x, thumb_sq(x) = x * x (Thumb).  arm_table = {11, 22, 33, 44}, arm_val9 = 9.
@ CALL: arm_call(5) == 115
@ CALL: arm_call(-40) == -20
@ CALL: arm_blx(3) == -10
@ CALL: arm_tail_thumb(1) == 101
@ CALL: arm_cond(4) == 12
@ CALL: arm_cond(-6) == 6
@ CALL: arm_cond(0) == 77
@ CALL: arm_blcond(5) == 15
@ CALL: arm_blcond(-5) == 5
@ CALL: arm_blcond(0) == 0
@ CALL: arm_pc24(10) == 17
@ CALL: arm_pc24(9) == -9
@ CALL: arm_pc24_bl(-7) == -21
@ CALL: arm_movabs(2) == 33
@ CALL: arm_mov_addend() == 44
@ CALL: arm_movfn(-12) == 144
@ CALL: arm_movprel(3) == 44
@ CALL: arm_movprel(0) == 11
@ CALL: arm_movprel_fn(8) == -8
@ CALL: arm_lit(3) == 81
@ CALL: arm_abs32(1) == 123
@ CALL: arm_rel32(3) == 30
@ CALL: arm_prel31(5) == 23
@ CALL: arm_prel31_thumb(6) == 106
@ CALL: arm_target1(7) == 49
@ CALL: arm_got_prel(1) == 22
@ CALL: arm_target2() == 9
@ CALL: arm_got_brel(13) == -13
@ CALL: arm_gotoff(3) == 44
@ CALL: arm_gotoff_fn(-5) == 25
@ CALL: arm_div7(100) == 15
@ CALL: arm_udiv(1000, 7) == 142
@ CALL: thumb_calls_arm(6) == 19
@ CALL: thumb_calls_arm2(6) == 13
@ CALL: thumb_tail_arm(5) == 12
@
@ How the expected values are computed (none depends on where sections land):
@   arm_call(x)       = thumb_add100(arm_triple(x)) = 3x + 100:  5 -> 115, -40 -> -20
@   arm_blx(x)        = thumb_neg(arm_plus7(x)) = -(x + 7):  3 -> -10
@   arm_tail_thumb(x) = thumb_add100(x) (B to Thumb, through the veneer):  1 -> 101
@   arm_cond(x)       = x > 0 ? arm_triple(x) : x < 0 ? thumb_neg(x) : 77:  4 -> 12, -6 -> 6, 0 -> 77
@   arm_blcond(x)     = x > 0 ? 3x : x < 0 ? -x : 0 (BLGT / BLLT):  5 -> 15, -5 -> 5, 0 -> 0
@   arm_pc24(x)       = x >= 10 ? x + 7 : -x:  10 -> 17, 9 -> -9
@   arm_pc24_bl(x)    = 3x:  -7 -> -21
@   arm_movabs(i)     = arm_table[i]:  2 -> 33;  arm_mov_addend() = *(arm_table + 12) = 44
@   arm_movfn(x)      = thumb_sq(x):  -12 -> 144
@   arm_movprel(i)    = arm_table[i]:  3 -> 44, 0 -> 11;  arm_movprel_fn(x) = thumb_neg(x): 8 -> -8
@   arm_lit(x)        = thumb_sq(arm_triple(x)) = 9x^2:  3 -> 81
@   arm_abs32(x)      = arm_table[1] + thumb_add100(x) = 22 + x + 100:  1 -> 123
@   arm_rel32(x)      = arm_table[2] + thumb_neg(x) = 33 - x:  3 -> 30
@   arm_prel31(x)     = arm_table[0] + arm_plus7(x) = 11 + x + 7:  5 -> 23
@   arm_prel31_thumb(x) = thumb_add100(x):  6 -> 106
@   arm_target1(x)    = thumb_sq(x):  7 -> 49
@   arm_got_prel(i)   = arm_table[i] through its GOT slot:  1 -> 22;  arm_target2() = arm_val9 = 9
@   arm_got_brel(x)   = thumb_neg(x) through its GOT slot:  13 -> -13
@   arm_gotoff(i)     = arm_table[i] at GOT + offset:  3 -> 44;  arm_gotoff_fn(x) = thumb_sq(x): -5 -> 25
@   arm_div7(x)       = x / 7 + 1 (__aeabi_uidiv):  100 -> 14 + 1 = 15
@   arm_udiv(a, b)    = a / b (B to __aeabi_uidiv):  1000 / 7 = 142
@   thumb_calls_arm(x)  = arm_triple(x) + 1 (Thumb BL -> BLX at 2 mod 4):  6 -> 19
@   thumb_calls_arm2(x) = arm_plus7(x) (Thumb BL -> BLX at 0 mod 4):  6 -> 13
@   thumb_tail_arm(x) = arm_plus7(x) (B.W to ARM, through the veneer):  5 -> 12

    .syntax unified

@ ---------------------------------------------------------------------------
@ ARM entry points
@ ---------------------------------------------------------------------------
    .section .text.arm_main,"ax",%progbits
    .arm
    .p2align 2

    .globl arm_call
    .type arm_call, %function
arm_call:
    push {r4, lr}
    bl arm_triple               @ R_ARM_CALL, ARM -> ARM: BL
    bl thumb_add100             @ R_ARM_CALL, ARM -> Thumb: rewritten to BLX (H = 0)
    pop {r4, pc}

    .globl arm_blx
    .type arm_blx, %function
arm_blx:
    push {r4, lr}
    blx arm_plus7               @ R_ARM_CALL on a BLX to ARM code: rewritten to BL
    blx thumb_neg               @ R_ARM_CALL on a BLX to Thumb code at 2 mod 4: H = 1
    pop {r4, pc}

    .globl arm_tail_thumb
    .type arm_tail_thumb, %function
arm_tail_thumb:
    b thumb_add100              @ R_ARM_JUMP24 to Thumb: through an ARM veneer

    .globl arm_cond
    .type arm_cond, %function
arm_cond:
    cmp r0, #0
    bgt arm_triple              @ R_ARM_JUMP24, conditional, ARM target
    blt thumb_neg               @ R_ARM_JUMP24, conditional, Thumb target: veneer
    mov r0, #77
    bx lr

    .globl arm_blcond
    .type arm_blcond, %function
arm_blcond:
    push {r4, lr}
    cmp r0, #0
    blgt arm_triple             @ R_ARM_JUMP24 on a BL<cond> (arm_triple keeps the flags)
    bllt thumb_neg              @ R_ARM_JUMP24 on a BL<cond> to Thumb: veneer
    pop {r4, pc}

    .globl arm_pc24
    .type arm_pc24, %function
arm_pc24:
    cmp r0, #10
    .reloc ., R_ARM_PC24, arm_plus7
    bge .                       @ R_ARM_PC24 on a B<cond>, addend -8 (0xaafffffe)
    .reloc ., R_ARM_PC24, thumb_neg
    b .                         @ R_ARM_PC24 to Thumb: veneer

    .globl arm_pc24_bl
    .type arm_pc24_bl, %function
arm_pc24_bl:
    push {r4, lr}
    .reloc ., R_ARM_PC24, arm_triple
    bl .                        @ R_ARM_PC24 on a BL, addend -8 (0xebfffffe)
    pop {r4, pc}

    .globl arm_movabs
    .type arm_movabs, %function
arm_movabs:
    movw r1, #:lower16:arm_table        @ R_ARM_MOVW_ABS_NC
    movt r1, #:upper16:arm_table        @ R_ARM_MOVT_ABS
    ldr r0, [r1, r0, lsl #2]
    bx lr

    .globl arm_mov_addend
    .type arm_mov_addend, %function
arm_mov_addend:
    movw r1, #:lower16:arm_table + 12   @ addend 12 in both fields
    movt r1, #:upper16:arm_table + 12
    ldr r0, [r1]
    bx lr

    .globl arm_movfn
    .type arm_movfn, %function
arm_movfn:
    push {r4, lr}
    movw r1, #:lower16:thumb_sq         @ (S | T): bit 0 set, BLX enters Thumb
    movt r1, #:upper16:thumb_sq
    blx r1
    pop {r4, pc}

    .globl arm_movprel
    .type arm_movprel, %function
arm_movprel:
    movw r1, #:lower16:(arm_table - (1f + 8))   @ R_ARM_MOVW_PREL_NC, addend -16
    movt r1, #:upper16:(arm_table - (1f + 8))   @ R_ARM_MOVT_PREL, addend -12
1:  add r1, r1, pc                              @ pc reads 1b + 8
    ldr r0, [r1, r0, lsl #2]
    bx lr

    .globl arm_movprel_fn
    .type arm_movprel_fn, %function
arm_movprel_fn:
    push {r4, lr}
    movw r1, #:lower16:(thumb_neg - (1f + 8))   @ ((S + A) | T) - P: bit 0 set
    movt r1, #:upper16:(thumb_neg - (1f + 8))
1:  add r1, r1, pc
    blx r1
    pop {r4, pc}

    .globl arm_lit
    .type arm_lit, %function
arm_lit:
    push {r4, lr}
    ldr r1, =arm_triple         @ R_ARM_ABS32 in the literal pool (ARM function)
    blx r1
    ldr r1, =thumb_sq           @ R_ARM_ABS32, Thumb function: bit 0 set
    blx r1
    pop {r4, pc}
    .ltorg

    .globl arm_abs32
    .type arm_abs32, %function
arm_abs32:
    push {r4, lr}
    ldr r4, =arm_words
    ldr r1, [r4, #4]            @ thumb_add100 | 1
    blx r1
    ldr r2, [r4]                @ &arm_table[1]
    ldr r2, [r2]
    add r0, r0, r2
    pop {r4, pc}

    .globl arm_rel32
    .type arm_rel32, %function
arm_rel32:
    push {r4, lr}
    ldr r4, =arm_words
    add r1, r4, #20
    ldr r2, [r1]                @ (thumb_neg | 1) - P
    add r1, r1, r2
    blx r1
    add r1, r4, #8
    ldr r2, [r1]                @ &arm_table[2] - P
    add r1, r1, r2
    ldr r2, [r1]
    add r0, r0, r2
    pop {r4, pc}

    .globl arm_prel31
    .type arm_prel31, %function
arm_prel31:
    push {r4, lr}
    ldr r4, =arm_words
    add r1, r4, #24
    ldr r2, [r1]                @ arm_plus7 - P in bits 30-0
    lsl r2, r2, #1
    add r1, r1, r2, asr #1      @ sign-extend from bit 30
    blx r1
    add r1, r4, #12
    ldr r2, [r1]                @ &arm_table[0] - P in bits 30-0, bit 31 kept (set)
    lsl r2, r2, #1
    add r1, r1, r2, asr #1
    ldr r2, [r1]
    add r0, r0, r2
    pop {r4, pc}

    .globl arm_prel31_thumb
    .type arm_prel31_thumb, %function
arm_prel31_thumb:
    push {r4, lr}
    ldr r1, =arm_words + 28
    ldr r2, [r1]                @ (thumb_add100 | 1) - P in bits 30-0
    lsl r2, r2, #1
    add r1, r1, r2, asr #1
    blx r1
    pop {r4, pc}

    .globl arm_target1
    .type arm_target1, %function
arm_target1:
    push {r4, lr}
    ldr r1, =arm_words + 16
    ldr r1, [r1]                @ thumb_sq | 1
    blx r1
    pop {r4, pc}
    .ltorg

@ GOT words: slot = P + word (GOT_PREL, TARGET2); GOT = P + word (BASE_PREL);
@ slot = GOT + word (GOT_BREL); S = GOT + word (GOTOFF32).
    .globl arm_got_prel
    .type arm_got_prel, %function
arm_got_prel:
    ldr r1, =arm_got_words
    ldr r2, [r1]
    add r1, r1, r2              @ the GOT slot of arm_table
    ldr r1, [r1]                @ &arm_table
    ldr r0, [r1, r0, lsl #2]
    bx lr

    .globl arm_target2
    .type arm_target2, %function
arm_target2:
    ldr r1, =arm_got_words + 4
    ldr r2, [r1]
    add r1, r1, r2              @ the GOT slot of arm_val9
    ldr r1, [r1]
    ldr r0, [r1]
    bx lr

    .globl arm_got_base
    .type arm_got_base, %function
arm_got_base:                   @ r0 = the GOT's base (internal: r1, r2 clobbered)
    ldr r1, =arm_got_words + 8
    ldr r2, [r1]                @ GOT - P
    add r0, r1, r2
    bx lr

    .globl arm_got_brel
    .type arm_got_brel, %function
arm_got_brel:
    push {r4, lr}
    mov r4, r0
    bl arm_got_base
    ldr r1, =arm_got_words + 12
    ldr r1, [r1]                @ G(thumb_neg) - GOT
    ldr r1, [r0, r1]            @ thumb_neg | 1
    mov r0, r4
    blx r1
    pop {r4, pc}

    .globl arm_gotoff
    .type arm_gotoff, %function
arm_gotoff:
    push {r4, lr}
    mov r4, r0
    bl arm_got_base
    ldr r1, =arm_got_words + 16
    ldr r1, [r1]                @ arm_table - GOT
    add r1, r0, r1
    ldr r0, [r1, r4, lsl #2]
    pop {r4, pc}

    .globl arm_gotoff_fn
    .type arm_gotoff_fn, %function
arm_gotoff_fn:
    push {r4, lr}
    mov r4, r0
    bl arm_got_base
    ldr r1, =arm_got_words + 20
    ldr r1, [r1]                @ (thumb_sq | 1) - GOT
    add r1, r0, r1
    mov r0, r4
    blx r1
    pop {r4, pc}
    .ltorg

    .globl arm_div7
    .type arm_div7, %function
arm_div7:
    push {r4, lr}
    mov r1, #7
    bl __aeabi_uidiv            @ R_ARM_CALL to a runtime function (ARM): direct or a stub
    add r0, r0, #1
    pop {r4, pc}

    .globl arm_udiv
    .type arm_udiv, %function
arm_udiv:
    b __aeabi_uidiv             @ R_ARM_JUMP24 to a runtime function

@ ---------------------------------------------------------------------------
@ ARM leaves, in a section of their own
@ ---------------------------------------------------------------------------
    .section .text.arm_leaf,"ax",%progbits
    .arm
    .p2align 2

    .globl arm_triple
    .type arm_triple, %function
arm_triple:
    .reloc ., R_ARM_NONE, arm_table     @ R_ARM_NONE: nothing to do
    add r0, r0, r0, lsl #1
    .reloc ., R_ARM_V4BX, 0             @ R_ARM_V4BX: marks an ARMv4T BX
    bx lr

    .globl arm_plus7
    .type arm_plus7, %function
arm_plus7:
    add r0, r0, #7
    bx lr

@ ---------------------------------------------------------------------------
@ Thumb functions: callees of the ARM code, and callers of ARM code
@ ---------------------------------------------------------------------------
    .section .text.arm_thumb,"ax",%progbits
    .thumb
    .p2align 2

    .globl thumb_add100             @ offset 0 (0 mod 4)
    .type thumb_add100, %function
    .thumb_func
thumb_add100:
    adds r0, #50
    adds r0, #50
    bx lr

    .globl thumb_neg                @ offset 6 (2 mod 4): a BLX to it has H = 1
    .type thumb_neg, %function
    .thumb_func
thumb_neg:
    rsbs r0, r0, #0
    bx lr

    .globl thumb_sq                 @ offset 10 (2 mod 4)
    .type thumb_sq, %function
    .thumb_func
thumb_sq:
    muls r0, r0, r0
    bx lr

    .p2align 2
    .globl thumb_calls_arm
    .type thumb_calls_arm, %function
    .thumb_func
thumb_calls_arm:
    push {r4, lr}
    bl arm_triple                   @ R_ARM_THM_CALL to ARM from 2 mod 4: BLX, value rounded up
    adds r0, #1
    pop {r4, pc}

    .p2align 2
    .globl thumb_calls_arm2
    .type thumb_calls_arm2, %function
    .thumb_func
thumb_calls_arm2:
    push {r4, lr}
    nop
    bl arm_plus7                    @ R_ARM_THM_CALL to ARM from 0 mod 4: BLX
    pop {r4, pc}

    .globl thumb_tail_arm
    .type thumb_tail_arm, %function
    .thumb_func
thumb_tail_arm:
    b.w arm_plus7                   @ R_ARM_THM_JUMP24 to ARM: through a Thumb veneer

@ ---------------------------------------------------------------------------
@ Data
@ ---------------------------------------------------------------------------
    .section .rodata.arm_vals,"a",%progbits
    .p2align 2
    .globl arm_table
    .type arm_table, %object
arm_table:
    .word 11, 22, 33, 44
    .globl arm_val9
    .type arm_val9, %object
arm_val9:
    .word 9

    .section .data.arm_words,"aw",%progbits
    .p2align 2
    .globl arm_words
    .type arm_words, %object
arm_words:
    .word arm_table + 4             @ +0  R_ARM_ABS32
    .word thumb_add100              @ +4  R_ARM_ABS32, Thumb function: | 1
    .word arm_table + 8 - .         @ +8  R_ARM_REL32, addend 8
    .reloc ., R_ARM_PREL31, arm_table
    .word 0x80000000                @ +12 R_ARM_PREL31, addend 0, bit 31 set and kept
    .word thumb_sq(target1)         @ +16 R_ARM_TARGET1 (= ABS32)
    .word thumb_neg - .             @ +20 R_ARM_REL32, Thumb function: ((S | 1) - P)
    .word arm_plus7(prel31)         @ +24 R_ARM_PREL31, ARM function
    .word thumb_add100(prel31)      @ +28 R_ARM_PREL31, Thumb function

    .section .data.arm_got_words,"aw",%progbits
    .p2align 2
    .globl arm_got_words
    .type arm_got_words, %object
arm_got_words:
    .word arm_table(GOT_PREL)       @ +0  R_ARM_GOT_PREL: G - P
    .word arm_val9(target2)         @ +4  R_ARM_TARGET2 (= GOT_PREL)
    .word _GLOBAL_OFFSET_TABLE_ - . @ +8  R_ARM_BASE_PREL: GOT - P (thumb.s spells it with .reloc)
    .word thumb_neg(GOT)            @ +12 R_ARM_GOT_BREL: G - GOT
    .word arm_table(GOTOFF)         @ +16 R_ARM_GOTOFF32: S - GOT
    .word thumb_sq(GOTOFF)          @ +20 R_ARM_GOTOFF32, Thumb function: (S | 1) - GOT
