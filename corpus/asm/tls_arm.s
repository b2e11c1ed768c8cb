@ rig: Arm thread-local storage: local-exec (TLS_LE32), initial-exec (TLS_IE32), general-dynamic (TLS_GD32 with __tls_get_addr); the thread pointer through __aeabi_read_tp
@ TARGETS: arm thumb
@ RELOC: static
@ SIG: le i32()
@ SIG: ie i32()
@ SIG: gd i32()
@ SIG: bump i32()
@
@ tv = 0x11223344, tw = 42 (.tdata); tz (.tbss) counts the calls of bump.
@ CALL: le() == 287454020
@ CALL: ie() == 42
@ CALL: gd() == 287454020
@ CALL: bump() == 1
@ CALL: bump() == 2

        .syntax unified
        .section .tdata,"awT",%progbits
        .p2align 2
        .globl tv
tv:     .word 0x11223344
tw:     .word 42
        .section .tbss,"awT",%nobits
        .p2align 2
tz:     .zero 4
        .text
        .arm
        .globl le, ie, gd, bump
        .type le, %function
        .type ie, %function
        .type gd, %function
        .type bump, %function
le:     push {r11, lr}
        bl __aeabi_read_tp
        ldr r1, .Lle
        ldr r0, [r0, r1]
        pop {r11, pc}
.Lle:   .long tv(TPOFF)                           @ R_ARM_TLS_LE32
ie:     push {r11, lr}
        ldr r1, .Lie
.Lie_pc: ldr r1, [pc, r1]
        bl __aeabi_read_tp
        ldr r0, [r0, r1]
        pop {r11, pc}
.Lie:   .long tw(GOTTPOFF)-(.Lie_pc+8-.Lie)       @ R_ARM_TLS_IE32
gd:     push {r11, lr}
        ldr r0, .Lgd
.Lgd_pc: add r0, pc, r0
        bl __tls_get_addr
        ldr r0, [r0]
        pop {r11, pc}
.Lgd:   .long tv(TLSGD)-(.Lgd_pc+8-.Lgd)          @ R_ARM_TLS_GD32
bump:   push {r11, lr}
        bl __aeabi_read_tp
        ldr r1, .Lbump
        ldr r2, [r0, r1]
        add r2, r2, #1
        str r2, [r0, r1]
        mov r0, r2
        pop {r11, pc}
.Lbump: .long tz(TPOFF)
