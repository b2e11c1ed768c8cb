// rig: every AArch64 thread-local storage type: local-exec (ADD HI12/LO12_NC, MOVW G2..G0, LDST8..128 LO12_NC), initial-exec (TLSIE ADRP + LDR), TLS descriptors (ADR_PAGE21, LD64_LO12, ADD_LO12, CALL)
// TARGETS: aarch64
// RELOC: static
// SIG: le_add u32()
// SIG: le_movw u64()
// SIG: le_movw0 u32()
// SIG: le_ldst u64()
// SIG: ie u64()
// SIG: desc u64()
// SIG: bump u64()
//
// tv = 0x1122334455667788, tw = 42, tq = (5, 6) (.tdata); tz (.tbss) counts the calls of bump.
// CALL: le_add() == 42
// CALL: le_movw() == 1234605616436508552
// tw twice (MOVW G1 + G0_NC, then G0): 42 + 42
// CALL: le_movw0() == 84
// tv as x - (byte + halfword + word) + the two halves of tq: 0x1122334455667788 - (0x88 + 0x7788 + 0x55667788) + 5 + 6
// CALL: le_ldst() == 1234605615003699195
// CALL: ie() == 1234605616436508552
// CALL: desc() == 1234605616436508552
// CALL: bump() == 1
// CALL: bump() == 2

        .section .tdata,"awT",@progbits
        .p2align 4
        .globl tv
tv:     .xword 0x1122334455667788
tw:     .word 42
        .p2align 4
tq:     .xword 5, 6
        .section .tbss,"awT",@nobits
        .p2align 3
tz:     .zero 8
        .text
        .globl le_add, le_movw, le_movw0, le_ldst, ie, desc, bump
le_add: mrs x1, tpidr_el0
        add x1, x1, #:tprel_hi12:tw          // TLSLE_ADD_TPREL_HI12
        add x1, x1, #:tprel_lo12_nc:tw       // TLSLE_ADD_TPREL_LO12_NC
        ldr w0, [x1]
        ret
le_movw: mrs x1, tpidr_el0
        movz x2, #:tprel_g2:tv               // TLSLE_MOVW_TPREL_G2
        movk x2, #:tprel_g1_nc:tv            // TLSLE_MOVW_TPREL_G1_NC
        movk x2, #:tprel_g0_nc:tv            // TLSLE_MOVW_TPREL_G0_NC
        ldr x0, [x1, x2]
        ret
le_movw0: mrs x1, tpidr_el0
        movz x2, #:tprel_g1:tw               // TLSLE_MOVW_TPREL_G1
        movk x2, #:tprel_g0_nc:tw
        ldr w3, [x1, x2]
        movz x2, #:tprel_g0:tw               // TLSLE_MOVW_TPREL_G0
        ldr w4, [x1, x2]
        add w0, w3, w4
        ret
le_ldst: mrs x1, tpidr_el0
        add x2, x1, #:tprel_hi12:tv
        ldrb w3, [x2, #:tprel_lo12_nc:tv]    // TLSLE_LDST8_TPREL_LO12_NC
        ldrh w4, [x2, #:tprel_lo12_nc:tv]    // TLSLE_LDST16_TPREL_LO12_NC
        ldr w5, [x2, #:tprel_lo12_nc:tv]     // TLSLE_LDST32_TPREL_LO12_NC
        ldr x6, [x2, #:tprel_lo12_nc:tv]     // TLSLE_LDST64_TPREL_LO12_NC
        add x2, x1, #:tprel_hi12:tq
        ldr q0, [x2, #:tprel_lo12_nc:tq]     // TLSLE_LDST128_TPREL_LO12_NC
        fmov x7, d0
        mov x8, v0.d[1]
        add x0, x3, x4
        add x0, x0, x5
        sub x0, x6, x0
        add x0, x0, x7
        add x0, x0, x8
        ret
ie:     adrp x0, :gottprel:tv                // TLSIE_ADR_GOTTPREL_PAGE21
        ldr x0, [x0, #:gottprel_lo12:tv]     // TLSIE_LD64_GOTTPREL_LO12_NC
        mrs x1, tpidr_el0
        ldr x0, [x1, x0]
        ret
desc:   stp x29, x30, [sp, #-16]!
        adrp x0, :tlsdesc:tv                 // TLSDESC_ADR_PAGE21
        ldr x1, [x0, #:tlsdesc_lo12:tv]      // TLSDESC_LD64_LO12
        add x0, x0, #:tlsdesc_lo12:tv        // TLSDESC_ADD_LO12
        .tlsdesccall tv                      // TLSDESC_CALL
        blr x1
        mrs x1, tpidr_el0
        ldr x0, [x1, x0]
        ldp x29, x30, [sp], #16
        ret
bump:   mrs x1, tpidr_el0
        add x1, x1, #:tprel_hi12:tz
        add x1, x1, #:tprel_lo12_nc:tz
        ldr x0, [x1]
        add x0, x0, #1
        str x0, [x1]
        ret
