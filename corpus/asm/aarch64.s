// rig: every AArch64 relocation type clang can name, from assembly, at random section addresses
// TARGETS: aarch64
// RELOC: static
// SIG: data_abs i64(i64)
// SIG: data_prel i64(i64)
// SIG: calls i64(i64)
// SIG: branches i64(i64)
// SIG: ctz i64(i64)
// SIG: sum_to i64(i64)
// SIG: literals i64()
// SIG: lo12_loads u64()
// SIG: bump i64(i64)
// SIG: movw_uabs i64()
// SIG: movw_sabs i64()
// SIG: movw_prel i64()
// SIG: got_loads i64(i64)
//
// Every expected value below is worked out by hand from the data in this file; none
// depends on where the sections land.  rvals (.rodata.tab) = 100, 200, 300, 400, 500.
//
// Not in this file: R_AARCH64_NULL (clang has no name for type 256; the tests renumber a NONE).
// ABS32, ABS16, MOVW_UABS_G0/G1 and MOVW_SABS_G0/G1 check ranges that only small values fit,
// i.e. absolute symbols; clang folds a `.set` symbol into the field (global or not), so these
// sites are asked for with `.reloc`, which writes the value as the addend of a relocation
// without a symbol (S = 0).  K32 = 0xDEADBEEF, K16 = 0xBEEF, KNEG = -1234, KPOS = 0x7ABC,
// KNEG32 = -0x12345678.
//
// ABS64: dtab[0] = &rvals[1] -> 200, dtab[1] = &rvals + 32 -> 500; ABS32 K32 (ldr w: zero-extended),
// ABS16 K16 (ldrh) and KNEG (ldrsh): 1 + 200 + 500 + 0xDEADBEEF + 0xBEEF - 1234
// CALL: data_abs(1) == 3735976905
// PREL64 -> rvals[0] = 100, PREL32 -> rvals[3] = 400, PREL16 forward -> 77 and backward -> 66
// (same section), PLT32 -> triple_plus1(x) = 3x + 1: 100 + 400 + 77 + 66 + 3*5 + 1 = 659
// CALL: data_prel(5) == 659
// CALL26 triple_plus1 (other section): 3*4 + 1 = 13; CALL26 strlen("hello, rig") = 10 (host, via stub);
// JUMP26 tail call to add_1000: 13 + 10 + 1000 = 1023
// CALL: calls(4) == 1023
// CONDBR19 b.eq (x == 5) -> 7; else TSTBR14 on bit 3: set -> x + 1000, clear -> x + 2000
// CALL: branches(5) == 7
// CALL: branches(8) == 1008
// CALL: branches(3) == 2003
// TSTBR14 forward (tbnz) and backward (tbz) loop: trailing zeros of 0x50 = 4, of 0x8000 = 15
// CALL: ctz(80) == 4
// CALL: ctz(32768) == 15
// CONDBR19 backward (cbnz) loop: 1 + 2 + ... + 10 = 55
// CALL: sum_to(10) == 55
// LD_PREL_LO19 forward x (lit_a = 0x1122334455667788) / w (lit_w = 0x01020304) / backward (lit_back = 42),
// ADR forward to lit_a + 8 (lit_c = 1000), ADR to byte lit_bytes + 3 (= 0x44), ADR backward to lit_back (42):
// 0x1122334455667788 + 0x01020304 + 42 + 1000 + 0x44 + 42 = 1234605616453418764
// CALL: literals() == 1234605616453418764
// LDST8 0xAB + LDST16 0x1234 + LDST32 0x89ABCDEF + LDST64 0x0123456789ABCDEF + LDST128 q = (6, 7)
// + ADD_ABS_LO12_NC: &w32 - &b8 = 3 (one of the two ADRPs is ADR_PREL_PG_HI21_NC)
// = 81985531526229693 + 6 + 7 + 3
// CALL: lo12_loads() == 81985531526229709
// LDST64 load and store of a .bss counter (state carries over between calls): 5, then 5 + 7
// CALL: bump(5) == 5
// CALL: bump(7) == 12
// UABS G3/G2_NC/G1_NC/G0_NC of &rvals -> 100; the same of &rvals[2] + 0xFEDC << 48 (G3 = 0xFEDC,
// cleared again) -> 300; G2/G1_NC/G0_NC of &rvals + 32 -> 500; G1/G0_NC of K32; G0 of K16:
// 100 + 300 + 500 + 0xDEADBEEF + 0xBEEF
// CALL: movw_uabs() == 3735978338
// SABS_G2 (+ UABS G1_NC/G0_NC) of &rvals[3] (X > 0: MOVZ) -> 400, and of &rvals[4] - 2^47 (X < 0,
// so MOVN, when the section lies below 2^47; 2^47 added back) -> 500; SABS_G0 of KNEG (MOVN) and
// KPOS (MOVZ); SABS_G1 (+ G0_NC) of KNEG32 (MOVN): 400 + 500 - 1234 + 0x7ABC - 0x12345678
// CALL: movw_sabs() == -305388810
// PREL G3/G2_NC/G1_NC/G0_NC of rvals + 8 + 2^50 (G3 = 3 or 4; 2^50 taken off again) -> rvals[1] = 200;
// G2/G1_NC/G0_NC -> rvals[2] = 300; G1/G0_NC -> rvals[3] = 400;
// G0 forward (lit_c = 1000, MOVZ) and backward (lit_back = 42, MOVN): 200 + 300 + 400 + 1000 + 42
// CALL: movw_prel() == 1942
// ADR_GOT_PAGE + LD64_GOT_LO12_NC: rvals[4] = 500 and strlen("hello, rig") = 10; ADRP of
// _GLOBAL_OFFSET_TABLE_ + LD64_GOTPAGE_LO15 -> strlen's slot: equal to the slot loaded before (+1),
// called (+10); -> rvals's slot: rvals[1] = 200: x + 500 + 10 + 1 + 10 + 200, x = 2
// CALL: got_loads(2) == 723

// ---------------------------------------------------------------------------
// Code, main section.  Branch and literal targets that must produce a
// relocation within this section are global symbols (a local label would be
// resolved by the assembler).  Short-range pc-relative references (CONDBR19,
// TSTBR14, LD_PREL_LO19, ADR, MOVW_PREL_G0) stay inside this section, so the
// rig need not keep the module inside their reach.
// ---------------------------------------------------------------------------
    .set K32, 0xDEADBEEF
    .set K16, 0xBEEF
    .set KNEG, -1234
    .set KPOS, 0x7ABC
    .set KNEG32, -0x12345678

    .section .text.main,"ax",@progbits
    .p2align 3
    .globl lit_back
lit_back:
    .xword 42

// data_abs(x): ABS64 / ABS32 / ABS16 words in .data.rw, read through ADRP + ADD :lo12:.
    .globl data_abs
    .p2align 2
data_abs:
    adrp x1, dtab                   // ADR_PREL_PG_HI21
    add x1, x1, :lo12:dtab          // ADD_ABS_LO12_NC
    ldr x2, [x1]                    // &rvals[1]      (ABS64)
    ldr x2, [x2]
    ldr x3, [x1, #8]                // &rvals + 32    (ABS64)
    ldr x3, [x3]
    ldr w4, [x1, #16]               // K32            (ABS32)
    ldrh w5, [x1, #20]              // K16            (ABS16)
    ldrsh x6, [x1, #22]             // KNEG           (ABS16, negative)
    .reloc ., R_AARCH64_NONE, rvals // R_AARCH64_NONE: nothing is written
    add x0, x0, x2
    add x0, x0, x3
    add x0, x0, x4
    add x0, x0, x5
    add x0, x0, x6
    ret

// data_prel(x): PREL64 / PREL32 / PLT32 words in .data.rw, PREL16 in .data.near.
    .globl data_prel
data_prel:
    stp x29, x30, [sp, #-16]!
    adrp x1, prel_tab
    add x1, x1, :lo12:prel_tab
    ldr x2, [x1]                    // rvals - prel_tab                 (PREL64)
    add x2, x1, x2
    ldr x9, [x2]                    // 100
    ldrsw x3, [x1, #8]              // rvals + 24 - (prel_tab + 8)     (PREL32)
    add x3, x3, x1
    ldr x3, [x3, #8]                // 400
    add x9, x9, x3
    adrp x4, near16
    add x4, x4, :lo12:near16
    ldrsh x5, [x4]                  // near16_fwd - near16             (PREL16)
    ldr x5, [x4, x5]                // 77
    add x9, x9, x5
    ldrsh x5, [x4, #2]              // near16_back - (near16 + 2)      (PREL16, negative)
    add x5, x5, #2
    ldr x5, [x4, x5]                // 66
    add x9, x9, x5
    ldrsw x6, [x1, #12]             // triple_plus1 - (prel_tab + 12)  (PLT32)
    add x6, x6, x1
    add x6, x6, #12
    blr x6                          // 3x + 1
    add x0, x0, x9
    ldp x29, x30, [sp], #16
    ret

// calls(x): CALL26 to another section and to a host function, JUMP26 tail call.
    .globl calls
calls:
    stp x29, x30, [sp, #-16]!
    str x19, [sp, #-16]!
    bl triple_plus1                 // CALL26 -> .text.far
    mov x19, x0
    adrp x0, hello
    add x0, x0, :lo12:hello
    bl strlen                       // CALL26 -> host function (through a stub)
    add x0, x0, x19
    ldr x19, [sp], #16
    ldp x29, x30, [sp], #16
    b add_1000                      // JUMP26 -> .text.far

// branches(x): CONDBR19 forward, TSTBR14 forward.
    .globl branches, br_five, br_bit3_clear, br_join
branches:
    cmp x0, #5
    b.eq br_five                    // CONDBR19
    tbz x0, #3, br_bit3_clear       // TSTBR14
    add x0, x0, #1000
    b br_join                       // JUMP26 (same section)
br_bit3_clear:
    add x0, x0, #2000
br_join:
    ret
br_five:
    mov x0, #7
    ret

// ctz(x), x != 0: TSTBR14 forward (tbnz) and backward (tbz).
    .globl ctz, ctz_loop, ctz_done
ctz:
    mov x1, #0
ctz_loop:
    tbnz x0, #0, ctz_done           // TSTBR14 forward
    lsr x0, x0, #1
    add x1, x1, #1
    tbz x0, #0, ctz_loop            // TSTBR14 backward
ctz_done:
    mov x0, x1
    ret

// sum_to(n), n > 0: CONDBR19 backward (cbnz).
    .globl sum_to, sum_loop
sum_to:
    mov x1, #0
sum_loop:
    add x1, x1, x0
    sub x0, x0, #1
    cbnz x0, sum_loop               // CONDBR19 backward
    mov x0, x1
    ret

// literals(): LD_PREL_LO19 and ADR_PREL_LO21, forward and backward, within .text.main.
    .globl literals
literals:
    ldr x0, lit_a                   // LD_PREL_LO19 (64-bit)
    ldr w1, lit_w                   // LD_PREL_LO19 (32-bit)
    add x0, x0, x1
    ldr x1, lit_back                // LD_PREL_LO19 backward
    add x0, x0, x1
    adr x2, lit_a + 8               // ADR_PREL_LO21 (addend 8: lit_c)
    ldr x2, [x2]
    add x0, x0, x2
    adr x3, lit_bytes + 3           // ADR_PREL_LO21 to an odd address
    ldrb w3, [x3]
    add x0, x0, x3
    adr x4, lit_back                // ADR_PREL_LO21 backward
    ldr x4, [x4]
    add x0, x0, x4
    ret

// lo12_loads(): ADRP + LDST8/16/32/64/128 :lo12:, ADD :lo12: (ADD_ABS_LO12_NC).
    .globl lo12_loads
lo12_loads:
    adrp x1, b8
    ldrb w2, [x1, :lo12:b8]         // LDST8
    adrp x1, h16
    ldrh w3, [x1, :lo12:h16]        // LDST16
    adrp x1, w32
    ldr w4, [x1, :lo12:w32]         // LDST32
    adrp x1, d64
    ldr x5, [x1, :lo12:d64]         // LDST64
    adrp x1, q128
    ldr q0, [x1, :lo12:q128]        // LDST128
    fmov x6, d0
    mov x7, v0.d[1]
    adrp x8, b8
    add x8, x8, :lo12:b8            // ADD_ABS_LO12_NC
    adrp x9, :pg_hi21_nc:w32        // ADR_PREL_PG_HI21_NC
    add x9, x9, :lo12:w32
    sub x9, x9, x8                  // &w32 - &b8 = 3
    add x0, x2, x3
    add x0, x0, x4
    add x0, x0, x5
    add x0, x0, x6
    add x0, x0, x7
    add x0, x0, x9
    ret

// bump(x): counter += x (LDST64 load and store into .bss.cnt).
    .globl bump
bump:
    adrp x1, counter
    ldr x2, [x1, :lo12:counter]     // LDST64
    add x0, x2, x0
    str x0, [x1, :lo12:counter]     // LDST64 (store)
    ret

// movw_uabs(): MOVW_UABS_G0..G3 and the _NC forms (the 64- and 48-bit address sequences).
    .globl movw_uabs
movw_uabs:
    movz x0, #:abs_g3:rvals         // UABS_G3
    movk x0, #:abs_g2_nc:rvals      // UABS_G2_NC
    movk x0, #:abs_g1_nc:rvals      // UABS_G1_NC
    movk x0, #:abs_g0_nc:rvals      // UABS_G0_NC
    ldr x0, [x0]                    // 100
    movz x1, #:abs_g3:rvals + 16 + 0xFEDC000000000000       // G3 = 0xFEDC
    movk x1, #:abs_g2_nc:rvals + 16 + 0xFEDC000000000000
    movk x1, #:abs_g1_nc:rvals + 16 + 0xFEDC000000000000
    movk x1, #:abs_g0_nc:rvals + 16 + 0xFEDC000000000000
    and x1, x1, #0xFFFFFFFFFFFF     // clear the 0xFEDC
    ldr x1, [x1]                    // 300
    add x0, x0, x1
    movz x2, #:abs_g2:rvals + 32    // UABS_G2 (checked: every address < 2^48 fits)
    movk x2, #:abs_g1_nc:rvals + 32
    movk x2, #:abs_g0_nc:rvals + 32
    ldr x2, [x2]                    // 500
    add x0, x0, x2
    .reloc ., R_AARCH64_MOVW_UABS_G1, K32
    movz x3, #0, lsl #16            // UABS_G1
    .reloc ., R_AARCH64_MOVW_UABS_G0_NC, K32
    movk x3, #0
    add x0, x0, x3
    .reloc ., R_AARCH64_MOVW_UABS_G0, K16
    movz x4, #0                     // UABS_G0
    add x0, x0, x4
    ret

// movw_sabs(): MOVW_SABS_G0..G2 (MOVZ for X >= 0, MOVN with NOT(X) for X < 0).
    .globl movw_sabs
movw_sabs:
    movz x0, #:abs_g2_s:rvals + 24  // SABS_G2, X > 0 -> movz
    movk x0, #:abs_g1_nc:rvals + 24
    movk x0, #:abs_g0_nc:rvals + 24
    ldr x0, [x0]                    // 400
    movz x1, #:abs_g2_s:rvals + 32 - 0x800000000000     // X = &rvals[4] - 2^47 (fits: > -2^48)
    movk x1, #:abs_g1_nc:rvals + 32 - 0x800000000000
    movk x1, #:abs_g0_nc:rvals + 32 - 0x800000000000
    movz x2, #0x8000, lsl #32       // 2^47
    add x1, x1, x2
    ldr x1, [x1]                    // 500
    add x0, x0, x1
    .reloc ., R_AARCH64_MOVW_SABS_G0, KNEG
    movz x3, #0                     // SABS_G0 -> movn
    add x0, x0, x3
    .reloc ., R_AARCH64_MOVW_SABS_G0, KPOS
    movz x4, #0                     // SABS_G0 -> movz
    add x0, x0, x4
    .reloc ., R_AARCH64_MOVW_SABS_G1, KNEG32
    movz x5, #0, lsl #16            // SABS_G1 -> movn
    .reloc ., R_AARCH64_MOVW_UABS_G0_NC, KNEG32
    movk x5, #0
    add x0, x0, x5
    ret

// movw_prel(): MOVW_PREL_G0..G3 and _NC.  Each MOVK's addend grows by 4 with
// its place, so every piece is a piece of the same X = S + A - (address of the MOVZ).
    .globl movw_prel, mp3, mp2, mp1, mp0a, mp0b
movw_prel:
mp3:
    // X = rvals + 8 + 2^50 - mp3 is always positive, so the G3 MOVZ stays a MOVZ: for
    // X < 0 the rig writes MOVN with NOT(X)[63:48] (aaelf64's MOV[NZ]), lld MOVZ with
    // X[63:48] -- the same value once the three MOVKs follow, but not the same bytes,
    // and rig.lld.compare compares bytes (see tests/targets/test_aarch64_asm.py).
    movz x0, #:prel_g3:rvals + 8 + 0x4000000000000          // PREL_G3
    movk x0, #:prel_g2_nc:rvals + 8 + 0x4000000000000 + 4   // PREL_G2_NC
    movk x0, #:prel_g1_nc:rvals + 8 + 0x4000000000000 + 8   // PREL_G1_NC
    movk x0, #:prel_g0_nc:rvals + 8 + 0x4000000000000 + 12  // PREL_G0_NC
    adr x1, mp3
    add x0, x0, x1
    movz x1, #4, lsl #48            // 2^50
    sub x0, x0, x1
    ldr x0, [x0]                    // 200
mp2:
    movz x2, #:prel_g2:rvals + 16         // PREL_G2 (MOVZ or MOVN by the sign of X)
    movk x2, #:prel_g1_nc:rvals + 16 + 4
    movk x2, #:prel_g0_nc:rvals + 16 + 8
    adr x3, mp2
    ldr x2, [x2, x3]                // 300
    add x0, x0, x2
mp1:
    movz x4, #:prel_g1:rvals + 24         // PREL_G1 (MOVZ or MOVN by the sign of X)
    movk x4, #:prel_g0_nc:rvals + 24 + 4
    adr x5, mp1
    ldr x4, [x4, x5]                // 400
    add x0, x0, x4
mp0a:
    movz x6, #:prel_g0:lit_c              // PREL_G0 forward (same section) -> movz
    adr x7, mp0a
    ldr x6, [x6, x7]                // 1000
    add x0, x0, x6
mp0b:
    movz x8, #:prel_g0:lit_back           // PREL_G0 backward -> movn
    adr x9, mp0b
    ldr x8, [x8, x9]                // 42
    add x0, x0, x8
    ret

// got_loads(x): ADR_GOT_PAGE + LD64_GOT_LO12_NC; LD64_GOTPAGE_LO15 from the GOT's page.
    .globl got_loads
got_loads:
    stp x29, x30, [sp, #-16]!
    stp x19, x20, [sp, #-16]!
    mov x19, x0
    adrp x1, :got:rvals             // ADR_GOT_PAGE
    ldr x1, [x1, :got_lo12:rvals]   // LD64_GOT_LO12_NC
    ldr x1, [x1, #32]               // 500
    add x19, x19, x1
    adrp x20, :got:strlen
    ldr x20, [x20, :got_lo12:strlen]
    adrp x0, hello
    add x0, x0, :lo12:hello
    blr x20                         // strlen("hello, rig") = 10
    add x19, x19, x0
    adrp x2, _GLOBAL_OFFSET_TABLE_      // ADR_PREL_PG_HI21 against the GOT's base
    ldr x4, [x2, :gotpage_lo15:strlen]  // LD64_GOTPAGE_LO15 -> strlen's slot
    cmp x4, x20
    cset x5, eq
    add x19, x19, x5
    adrp x0, hello
    add x0, x0, :lo12:hello
    blr x4                          // strlen("hello, rig") = 10
    add x19, x19, x0
    adrp x2, _GLOBAL_OFFSET_TABLE_
    ldr x6, [x2, :gotpage_lo15:rvals]   // LD64_GOTPAGE_LO15 -> rvals's slot
    ldr x6, [x6, #8]                // 200
    add x0, x19, x6
    ldp x19, x20, [sp], #16
    ldp x29, x30, [sp], #16
    ret

// Literal pool, after the code (forward references).
    .p2align 3
    .globl lit_a, lit_c, lit_w, lit_bytes
lit_a:
    .xword 0x1122334455667788
lit_c:
    .xword 1000
lit_w:
    .word 0x01020304
lit_bytes:
    .byte 0x11, 0x22, 0x33, 0x44

// ---------------------------------------------------------------------------
// Code, another section: reached by CALL26 / JUMP26 / PLT32.
// ---------------------------------------------------------------------------
    .section .text.far,"ax",@progbits
    .globl triple_plus1, add_1000
    .p2align 2
triple_plus1:
    add x1, x0, x0, lsl #1
    add x0, x1, #1
    ret
add_1000:
    add x0, x0, #1000
    ret

// ---------------------------------------------------------------------------
// Read-only data.
// ---------------------------------------------------------------------------
    .section .rodata.tab,"a",@progbits
    .p2align 4
    .globl rvals
rvals:
    .xword 100, 200, 300, 400, 500  // offset 0
    .p2align 4
q128:
    .xword 6, 7                     // 48: LDST128 needs a 16-aligned address
d64:
    .xword 0x0123456789ABCDEF       // 64
    .byte 0                         // 72
b8:
    .byte 0xAB                      // 73: an odd address
h16:
    .hword 0x1234                   // 74
w32:
    .word 0x89ABCDEF                // 76: &w32 - &b8 = 3
hello:
    .asciz "hello, rig"

// ---------------------------------------------------------------------------
// Writable data: absolute and pc-relative words.
// ---------------------------------------------------------------------------
    .section .data.rw,"aw",@progbits
    .p2align 3
dtab:
    .xword rvals + 8                // ABS64
    .xword rvals + 32               // ABS64
    .reloc ., R_AARCH64_ABS32, K32
    .word 0                         // ABS32
    .reloc ., R_AARCH64_ABS16, K16
    .hword 0                        // ABS16
    .reloc ., R_AARCH64_ABS16, KNEG
    .hword 0                        // ABS16 (-1234)
prel_tab:
    .xword rvals - .                // PREL64 (.rodata.tab - .data.rw)
    .word rvals + 24 - .            // PREL32: keeps the module within +-2 GiB
    .word triple_plus1@PLT - .      // PLT32

// PREL16 within one section (a .hword difference inside a section would be
// folded by the assembler, so the relocation is asked for with .reloc).
    .section .data.near,"aw",@progbits
    .p2align 3
near16_back:
    .xword 66
near16:
    .reloc ., R_AARCH64_PREL16, near16_fwd
    .hword 0
    .reloc ., R_AARCH64_PREL16, near16_back
    .hword 0
    .p2align 3
near16_fwd:
    .xword 77

    .section .bss.cnt,"aw",@nobits
    .p2align 3
counter:
    .zero 8
