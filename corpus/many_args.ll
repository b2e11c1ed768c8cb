; rig: long parameter lists that spill to the stack: 10 i32, 10 double, 20 interleaved i32/double, i32/i64 alternating (ARM register-pair and stack alignment), 18 floats, narrow i8/i16 stack arguments; called from the host and from IR
; CALL: sum10i(1, 2, 3, 4, 5, 6, 7, 8, 9, 10) == 385
; CALL: sum10i(-1, 2, -3, 4, -5, 6, -7, 8, -9, 10) == 55
; CALL: sum10d(0.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5, 9.5) == 357.5
; CALL: sum10d(1.5, -2.25, 3.0, 0.125, -4.5, 5.75, 6.0, -7.5, 8.25, 9.0) == 164.75
; CALL: mixed20(3, 0.5, -1, 1.25, 4, -2.0, -1, 3.5, 5, 0.75, -9, -1.5, 2, 2.25, 6, 4.0, -5, -0.25, 3, 1.0) == 38.75
; CALL: mix64(1, 1000000000000, -3, -2000000000000, 5, 700000000000, -7, 123456789012, 9) == -812345687855
; CALL: sumf18(-4.0, -3.5, -3.0, -2.5, -2.0, -1.5, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5) == 285.0
; CALL: narrow10(-5, -300, 100, 30000, 1, -2, 3, -4, -128, -32768) == -209155
; CALL: call_all() == -812345895470
; RELOC: static pic

define i32 @sum10i(i32 %a0, i32 %a1, i32 %a2, i32 %a3, i32 %a4, i32 %a5, i32 %a6, i32 %a7, i32 %a8, i32 %a9) #0 {
entry:
  %m1 = mul i32 %a1, 2
  %m2 = mul i32 %a2, 3
  %m3 = mul i32 %a3, 4
  %m4 = mul i32 %a4, 5
  %m5 = mul i32 %a5, 6
  %m6 = mul i32 %a6, 7
  %m7 = mul i32 %a7, 8
  %m8 = mul i32 %a8, 9
  %m9 = mul i32 %a9, 10
  %s1 = add i32 %a0, %m1
  %s2 = add i32 %s1, %m2
  %s3 = add i32 %s2, %m3
  %s4 = add i32 %s3, %m4
  %s5 = add i32 %s4, %m5
  %s6 = add i32 %s5, %m6
  %s7 = add i32 %s6, %m7
  %s8 = add i32 %s7, %m8
  %s9 = add i32 %s8, %m9
  ret i32 %s9
}

define double @sum10d(double %a0, double %a1, double %a2, double %a3, double %a4, double %a5, double %a6, double %a7, double %a8, double %a9) #0 {
entry:
  %m1 = fmul double %a1, 2.0
  %m2 = fmul double %a2, 3.0
  %m3 = fmul double %a3, 4.0
  %m4 = fmul double %a4, 5.0
  %m5 = fmul double %a5, 6.0
  %m6 = fmul double %a6, 7.0
  %m7 = fmul double %a7, 8.0
  %m8 = fmul double %a8, 9.0
  %m9 = fmul double %a9, 10.0
  %s1 = fadd double %a0, %m1
  %s2 = fadd double %s1, %m2
  %s3 = fadd double %s2, %m3
  %s4 = fadd double %s3, %m4
  %s5 = fadd double %s4, %m5
  %s6 = fadd double %s5, %m6
  %s7 = fadd double %s6, %m7
  %s8 = fadd double %s7, %m8
  %s9 = fadd double %s8, %m9
  ret double %s9
}

; sum of a_i * d_i
define double @mixed20(i32 %a0, double %d0, i32 %a1, double %d1, i32 %a2, double %d2, i32 %a3, double %d3,
                       i32 %a4, double %d4, i32 %a5, double %d5, i32 %a6, double %d6, i32 %a7, double %d7,
                       i32 %a8, double %d8, i32 %a9, double %d9) #0 {
entry:
  %f0 = sitofp i32 %a0 to double
  %f1 = sitofp i32 %a1 to double
  %f2 = sitofp i32 %a2 to double
  %f3 = sitofp i32 %a3 to double
  %f4 = sitofp i32 %a4 to double
  %f5 = sitofp i32 %a5 to double
  %f6 = sitofp i32 %a6 to double
  %f7 = sitofp i32 %a7 to double
  %f8 = sitofp i32 %a8 to double
  %f9 = sitofp i32 %a9 to double
  %p0 = fmul double %f0, %d0
  %p1 = fmul double %f1, %d1
  %p2 = fmul double %f2, %d2
  %p3 = fmul double %f3, %d3
  %p4 = fmul double %f4, %d4
  %p5 = fmul double %f5, %d5
  %p6 = fmul double %f6, %d6
  %p7 = fmul double %f7, %d7
  %p8 = fmul double %f8, %d8
  %p9 = fmul double %f9, %d9
  %s1 = fadd double %p0, %p1
  %s2 = fadd double %s1, %p2
  %s3 = fadd double %s2, %p3
  %s4 = fadd double %s3, %p4
  %s5 = fadd double %s4, %p5
  %s6 = fadd double %s5, %p6
  %s7 = fadd double %s6, %p7
  %s8 = fadd double %s7, %p8
  %s9 = fadd double %s8, %p9
  ret double %s9
}

; a + 2b + 3c + ... + 9i with i64 in the even positions
define i64 @mix64(i32 %a, i64 %b, i32 %c, i64 %d, i32 %e, i64 %f, i32 %g, i64 %h, i32 %i) #0 {
entry:
  %a6 = sext i32 %a to i64
  %c6 = sext i32 %c to i64
  %e6 = sext i32 %e to i64
  %g6 = sext i32 %g to i64
  %i6 = sext i32 %i to i64
  %wb = mul i64 %b, 2
  %wc = mul i64 %c6, 3
  %wd = mul i64 %d, 4
  %we = mul i64 %e6, 5
  %wf = mul i64 %f, 6
  %wg = mul i64 %g6, 7
  %wh = mul i64 %h, 8
  %wi = mul i64 %i6, 9
  %s1 = add i64 %a6, %wb
  %s2 = add i64 %s1, %wc
  %s3 = add i64 %s2, %wd
  %s4 = add i64 %s3, %we
  %s5 = add i64 %s4, %wf
  %s6 = add i64 %s5, %wg
  %s7 = add i64 %s6, %wh
  %s8 = add i64 %s7, %wi
  ret i64 %s8
}

; sum of (k+1) * f_k over 18 floats
define float @sumf18(float %f0, float %f1, float %f2, float %f3, float %f4, float %f5, float %f6, float %f7, float %f8,
                     float %f9, float %f10, float %f11, float %f12, float %f13, float %f14, float %f15, float %f16, float %f17) #0 {
entry:
  %m1 = fmul float %f1, 2.0
  %m2 = fmul float %f2, 3.0
  %m3 = fmul float %f3, 4.0
  %m4 = fmul float %f4, 5.0
  %m5 = fmul float %f5, 6.0
  %m6 = fmul float %f6, 7.0
  %m7 = fmul float %f7, 8.0
  %m8 = fmul float %f8, 9.0
  %m9 = fmul float %f9, 10.0
  %m10 = fmul float %f10, 11.0
  %m11 = fmul float %f11, 12.0
  %m12 = fmul float %f12, 13.0
  %m13 = fmul float %f13, 14.0
  %m14 = fmul float %f14, 15.0
  %m15 = fmul float %f15, 16.0
  %m16 = fmul float %f16, 17.0
  %m17 = fmul float %f17, 18.0
  %s1 = fadd float %f0, %m1
  %s2 = fadd float %s1, %m2
  %s3 = fadd float %s2, %m3
  %s4 = fadd float %s3, %m4
  %s5 = fadd float %s4, %m5
  %s6 = fadd float %s5, %m6
  %s7 = fadd float %s6, %m7
  %s8 = fadd float %s7, %m8
  %s9 = fadd float %s8, %m9
  %s10 = fadd float %s9, %m10
  %s11 = fadd float %s10, %m11
  %s12 = fadd float %s11, %m12
  %s13 = fadd float %s12, %m13
  %s14 = fadd float %s13, %m14
  %s15 = fadd float %s14, %m15
  %s16 = fadd float %s15, %m16
  %s17 = fadd float %s16, %m17
  ret float %s17
}

; weighted sum of sign-extended narrow arguments, several of them on the stack
define i32 @narrow10(i8 %a, i16 %b, i8 %c, i16 %d, i32 %e, i32 %f, i32 %g, i32 %h, i8 %i, i16 %j) #0 {
entry:
  %a3 = sext i8 %a to i32
  %b3 = sext i16 %b to i32
  %c3 = sext i8 %c to i32
  %d3 = sext i16 %d to i32
  %i3 = sext i8 %i to i32
  %j3 = sext i16 %j to i32
  %wb = mul i32 %b3, 2
  %wc = mul i32 %c3, 3
  %wd = mul i32 %d3, 4
  %we = mul i32 %e, 5
  %wf = mul i32 %f, 6
  %wg = mul i32 %g, 7
  %wh = mul i32 %h, 8
  %wi = mul i32 %i3, 9
  %wj = mul i32 %j3, 10
  %s1 = add i32 %a3, %wb
  %s2 = add i32 %s1, %wc
  %s3 = add i32 %s2, %wd
  %s4 = add i32 %s3, %we
  %s5 = add i32 %s4, %wf
  %s6 = add i32 %s5, %wg
  %s7 = add i32 %s6, %wh
  %s8 = add i32 %s7, %wi
  %s9 = add i32 %s8, %wj
  ret i32 %s9
}

; the same calls made from IR: the caller side of the stack-argument ABI
define i64 @call_all() #0 {
entry:
  %c1 = call i32 @sum10i(i32 1, i32 2, i32 3, i32 4, i32 5, i32 6, i32 7, i32 8, i32 9, i32 10)
  %d2 = call double @sum10d(double 0.5, double 1.5, double 2.5, double 3.5, double 4.5, double 5.5,
                            double 6.5, double 7.5, double 8.5, double 9.5)
  %d2x = fmul double %d2, 2.0
  %c2 = fptosi double %d2x to i32
  %c3 = call i64 @mix64(i32 1, i64 1000000000000, i32 -3, i64 -2000000000000, i32 5, i64 700000000000,
                        i32 -7, i64 123456789012, i32 9)
  %f4 = call float @sumf18(float -4.0, float -3.5, float -3.0, float -2.5, float -2.0, float -1.5,
                           float -1.0, float -0.5, float 0.0, float 0.5, float 1.0, float 1.5,
                           float 2.0, float 2.5, float 3.0, float 3.5, float 4.0, float 4.5)
  %c4 = fptosi float %f4 to i32
  %c5 = call i32 @narrow10(i8 -5, i16 -300, i8 100, i16 30000, i32 1, i32 -2, i32 3, i32 -4, i8 -128, i16 -32768)
  %d6 = call double @mixed20(i32 3, double 0.5, i32 -1, double 1.25, i32 4, double -2.0, i32 -1, double 3.5,
                             i32 5, double 0.75, i32 -9, double -1.5, i32 2, double 2.25, i32 6, double 4.0,
                             i32 -5, double -0.25, i32 3, double 1.0)
  %d6x = fmul double %d6, 4.0
  %c6 = fptosi double %d6x to i32
  %t1 = add i32 %c1, %c2
  %t2 = add i32 %t1, %c4
  %t3 = add i32 %t2, %c5
  %t4 = add i32 %t3, %c6
  %t5 = sext i32 %t4 to i64
  %r = add i64 %t5, %c3
  ret i64 %r
}

attributes #0 = { nounwind }
