# rig: every x86-64 thread-local storage type: local-exec (TPOFF32/64), initial-exec (GOTTPOFF), general- and local-dynamic (TLSGD, TLSLD, DTPOFF32/64, with __tls_get_addr), TLS descriptors (GOTPC32_TLSDESC, TLSDESC_CALL)
# TARGETS: x86_64
# RELOC: static
# SIG: le32 u64()
# SIG: le64 u64()
# SIG: ie u64()
# SIG: gd u64()
# SIG: ld u32()
# SIG: ld64 u32()
# SIG: desc u64()
# SIG: bump u64()
#
# tv = 0x1122334455667788, tw = 42 (.tdata); tz (.tbss) starts at 0 and counts the calls of bump.
# CALL: le32() == 1234605616436508552
# CALL: le64() == 0
# CALL: ie() == 1234605616436508552
# CALL: gd() == 1234605616436508552
# CALL: ld() == 42
# CALL: ld64() == 42
# CALL: desc() == 1234605616436508552
# CALL: bump() == 1
# CALL: bump() == 2
# CALL: le64() == 2

        .section .tdata,"awT",@progbits
        .p2align 3
        .globl tv
tv:     .quad 0x1122334455667788
tw:     .long 42
        .section .tbss,"awT",@nobits
        .p2align 3
tz:     .zero 8
        .section .data.tls,"aw",@progbits
        .p2align 3
dtp64:  .quad tw@dtpoff                       # R_X86_64_DTPOFF64
tp64:   .quad tz@tpoff                        # R_X86_64_TPOFF64
        .text
        .globl le32, le64, ie, gd, ld, ld64, desc, bump
le32:   movq %fs:tv@tpoff, %rax               # R_X86_64_TPOFF32
        ret
le64:   movq tp64(%rip), %rcx
        movq %fs:0, %rax                      # the TCB's first word: the thread pointer itself
        movq (%rax,%rcx), %rax
        ret
ie:     movq tv@gottpoff(%rip), %rax          # R_X86_64_GOTTPOFF
        movq %fs:(%rax), %rax
        ret
gd:     .byte 0x66                            # the padded sequence lld relaxes
        leaq tv@tlsgd(%rip), %rdi             # R_X86_64_TLSGD
        .value 0x6666
        rex64
        call __tls_get_addr@PLT
        movq (%rax), %rax
        ret
ld:     leaq tw@tlsld(%rip), %rdi             # R_X86_64_TLSLD
        call __tls_get_addr@PLT
        movl tw@dtpoff(%rax), %eax            # R_X86_64_DTPOFF32
        ret
ld64:   leaq tw@tlsld(%rip), %rdi
        call __tls_get_addr@PLT
        addq dtp64(%rip), %rax
        movl (%rax), %eax
        ret
desc:   leaq tv@tlsdesc(%rip), %rax           # R_X86_64_GOTPC32_TLSDESC
        call *tv@tlscall(%rax)                # R_X86_64_TLSDESC_CALL
        movq %fs:(%rax), %rax
        ret
bump:   movq %fs:0, %rax
        leaq tz@tpoff(%rax), %rax
        incq (%rax)
        movq (%rax), %rax
        ret
