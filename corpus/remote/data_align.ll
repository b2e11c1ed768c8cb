; rig: globals with large and odd alignments (2, 8, 32, 64, 128, 256 and 4096 bytes) in .data, .rodata, .bss and a named section, each preceded by a 1-byte global that would push it off its alignment: every address (read from a table, so the optimiser cannot assume it) is checked against its alignment, every initialized one's contents are read, and the zero-initialized ones are written and read back; LLVM's test-data-align-remote; the result is the exit status only
; RELOC: static pic
; STATUS: 0

; Failure statuses: 10 + k when the k-th entry of @addrs is misaligned,
; 30 + k when its contents are wrong, 50 when a .bss write does not read back.

@pad0 = global i8 1, align 1
@d32 = global i32 -559038737, align 32
@pad1 = global i8 2, align 1
@d64 = global [3 x i16] [i16 1, i16 -2, i16 300], align 64
@pad2 = global i8 3, align 1
@d256 = global i64 81985529216486895, section ".data.aligned", align 256
@pad3 = global i8 4, section ".data.aligned", align 1
@r128 = constant [2 x i32] [i32 7, i32 11], align 128
@rpad = constant i8 5, align 1
@r8 = constant double 3.25, align 8
@b64 = global [7 x i8] zeroinitializer, align 64
@bpad = global i8 0, align 1
@b4096 = global [5 x i32] zeroinitializer, align 4096
@d2 = global i16 -1234, align 2
@pad4 = global i8 6, align 1
@odd = global [3 x i8] c"odd", align 1

; (address, alignment) for each aligned global
@addrs = global [11 x ptr] [ptr @d32, ptr @d64, ptr @d256, ptr @r128, ptr @r8, ptr @b64, ptr @b4096, ptr @d2,
                            ptr @odd, ptr @pad3, ptr @rpad]
@aligns = constant [11 x i64] [i64 32, i64 64, i64 256, i64 128, i64 8, i64 64, i64 4096, i64 2, i64 1, i64 1, i64 1]

define ptr @addr(i32 %k) noinline nounwind {
entry:
  %p = getelementptr [11 x ptr], ptr @addrs, i32 0, i32 %k
  %a = load volatile ptr, ptr %p
  ret ptr %a
}

define i32 @main() nounwind {
entry:
  br label %align_loop

align_loop:
  %k = phi i32 [ 0, %entry ], [ %k1, %aligned ]
  %a = call ptr @addr(i32 %k)
  %ai = ptrtoint ptr %a to i64
  %alp = getelementptr [11 x i64], ptr @aligns, i32 0, i32 %k
  %al = load volatile i64, ptr %alp
  %mask = sub i64 %al, 1
  %low = and i64 %ai, %mask
  %ok = icmp eq i64 %low, 0
  br i1 %ok, label %aligned, label %misaligned
aligned:
  %k1 = add i32 %k, 1
  %more = icmp slt i32 %k1, 11
  br i1 %more, label %align_loop, label %contents
misaligned:
  %code = add i32 %k, 10
  ret i32 %code

contents:
  %p0 = call ptr @addr(i32 0)
  %v0 = load i32, ptr %p0
  %c0 = icmp eq i32 %v0, -559038737
  br i1 %c0, label %c_d64, label %bad30
c_d64:
  %p1 = call ptr @addr(i32 1)
  %e0 = load i16, ptr %p1
  %e1p = getelementptr i16, ptr %p1, i32 1
  %e1 = load i16, ptr %e1p
  %e2p = getelementptr i16, ptr %p1, i32 2
  %e2 = load i16, ptr %e2p
  %e0s = sext i16 %e0 to i32
  %e1s = sext i16 %e1 to i32
  %e2s = sext i16 %e2 to i32
  %es1 = add i32 %e0s, %e1s
  %es = add i32 %es1, %e2s
  %c1 = icmp eq i32 %es, 299
  br i1 %c1, label %c_d256, label %bad31
c_d256:
  %p2 = call ptr @addr(i32 2)
  %v2 = load i64, ptr %p2
  %c2 = icmp eq i64 %v2, 81985529216486895
  br i1 %c2, label %c_r128, label %bad32
c_r128:
  %p3 = call ptr @addr(i32 3)
  %r0 = load i32, ptr %p3
  %r1p = getelementptr i32, ptr %p3, i32 1
  %r1 = load i32, ptr %r1p
  %rm = mul i32 %r0, %r1
  %c3 = icmp eq i32 %rm, 77
  br i1 %c3, label %c_r8, label %bad33
c_r8:
  %p4 = call ptr @addr(i32 4)
  %v4 = load double, ptr %p4
  %c4 = fcmp oeq double %v4, 3.25
  br i1 %c4, label %c_d2, label %bad34
c_d2:
  %p7 = call ptr @addr(i32 7)
  %v7 = load i16, ptr %p7
  %c7 = icmp eq i16 %v7, -1234
  br i1 %c7, label %c_odd, label %bad37
c_odd:
  %p8 = call ptr @addr(i32 8)
  %o0 = load i8, ptr %p8
  %o2p = getelementptr i8, ptr %p8, i32 2
  %o2 = load i8, ptr %o2p
  %o0ok = icmp eq i8 %o0, 111
  %o2ok = icmp eq i8 %o2, 100
  %c8 = and i1 %o0ok, %o2ok
  br i1 %c8, label %c_pads, label %bad38
c_pads:
  %p9 = call ptr @addr(i32 9)
  %v9 = load i8, ptr %p9
  %p10 = call ptr @addr(i32 10)
  %v10 = load i8, ptr %p10
  %v9ok = icmp eq i8 %v9, 4
  %v10ok = icmp eq i8 %v10, 5
  %c9 = and i1 %v9ok, %v10ok
  br i1 %c9, label %bss, label %bad39

bss:                                        ; write the zeroed ones through their addresses, read back directly
  %p5 = call ptr @addr(i32 5)
  %p6 = call ptr @addr(i32 6)
  %z5 = load i8, ptr %p5
  %z6p = getelementptr i32, ptr %p6, i32 4
  %z6 = load i32, ptr %z6p
  %z5i = zext i8 %z5 to i32
  %zor = or i32 %z5i, %z6
  %zero = icmp eq i32 %zor, 0
  br i1 %zero, label %write, label %bad50
write:
  %w5 = getelementptr i8, ptr %p5, i32 6
  store i8 77, ptr %w5
  store i32 4096, ptr %z6p
  %g5p = getelementptr [7 x i8], ptr @b64, i32 0, i32 6
  %g5 = load volatile i8, ptr %g5p
  %g6p = getelementptr [5 x i32], ptr @b4096, i32 0, i32 4
  %g6 = load volatile i32, ptr %g6p
  %g5ok = icmp eq i8 %g5, 77
  %g6ok = icmp eq i32 %g6, 4096
  %gok = and i1 %g5ok, %g6ok
  br i1 %gok, label %done, label %bad50
done:
  ret i32 0

bad30:
  ret i32 30
bad31:
  ret i32 31
bad32:
  ret i32 32
bad33:
  ret i32 33
bad34:
  ret i32 34
bad37:
  ret i32 37
bad38:
  ret i32 38
bad39:
  ret i32 39
bad50:
  ret i32 50
}
