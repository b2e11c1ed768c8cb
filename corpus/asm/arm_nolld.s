@ rig: the ARM types ld.lld cannot link (ABS16, ABS8, THM_JUMP6), executed at random placements
@ NOLLD: ld.lld 22 rejects R_ARM_ABS16, R_ARM_ABS8 and R_ARM_THM_JUMP6 as unknown relocations
@ TARGETS: arm thumb
@ RELOC: static
@ SIG: abs_vals u32()
@ CALL: abs_vals() == 0x561234
@ SIG: cbz_test i32(i32)
@ CALL: cbz_test(0) == 100
@ CALL: cbz_test(5) == 6
    .syntax unified
    .weak wk                        @ undefined weak: 0, so ABS16/ABS8 hold just their addends

    .section .text.nolld,"ax",%progbits
    .arm
    .globl abs_vals
    .type abs_vals,%function
abs_vals:                           @ vals: .hword 0x1234, .byte 0x56 -> 0x1234 + (0x56 << 16)
    ldr r1, =vals
    ldrh r0, [r1]
    ldrb r2, [r1, #2]
    add r0, r0, r2, lsl #16
    bx lr
    .ltorg

    .thumb
    .globl cbz_test
    .type cbz_test,%function
    .thumb_func
cbz_test:                           @ x == 0 ? 100 : x + 1
    @ CBZ r0 to a global label: llvm-mc resolves it itself (or drops it), so the
    @ relocation is spelled out; 0xb3f0 holds the addend -4 ((124 + 4) & 0x7f) - 4.
    .reloc ., R_ARM_THM_JUMP6, is_zero
    .inst.n 0xb3f0
    adds r0, #1
    bx lr
    .globl is_zero
is_zero:
    movs r0, #100
    bx lr

    .section .data.nolld,"aw",%progbits
vals:
    .hword wk + 0x1234
    .byte wk + 0x56
