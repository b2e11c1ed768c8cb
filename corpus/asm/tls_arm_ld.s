@ rig: Arm local-dynamic thread-local storage (TLS_LDM32, TLS_LDO32 with __tls_get_addr), in a file of its own: lld puts the module's GOT pair first, the rig last, so only alone do both GOTs line up
@ TARGETS: arm thumb
@ RELOC: static
@ SIG: ld i32()
@ SIG: ld_next i32()
@
@ tw = 42, then tw2 = 7 (.tdata), both reached from the module's one GOT pair
@ CALL: ld() == 42
@ CALL: ld_next() == 7

        .syntax unified
        .section .tdata,"awT",%progbits
        .p2align 2
tw:     .word 42
tw2:    .word 7
        .text
        .arm
        .globl ld, ld_next
        .type ld, %function
        .type ld_next, %function
ld:     push {r11, lr}
        ldr r0, .Lld
.Lld_pc: add r0, pc, r0
        bl __tls_get_addr
        ldr r1, .Lldo
        ldr r0, [r0, r1]
        pop {r11, pc}
.Lld:   .long tw(TLSLDM)-(.Lld_pc+8-.Lld)         @ R_ARM_TLS_LDM32
.Lldo:  .long tw(TLSLDO)                          @ R_ARM_TLS_LDO32
ld_next: push {r11, lr}
        ldr r0, .Lld2
.Lld2_pc: add r0, pc, r0
        bl __tls_get_addr
        ldr r1, .Lldo2
        ldr r0, [r0, r1]
        pop {r11, pc}
.Lld2:  .long tw2(TLSLDM)-(.Lld2_pc+8-.Lld2)
.Lldo2: .long tw2(TLSLDO)
