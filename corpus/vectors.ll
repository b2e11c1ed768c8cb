; rig: IR vector types: <4 x i32> arithmetic with constant vectors (constant-pool loads), <4 x float> and <2 x double> products, element-wise max/min with icmp+select over global vectors, a shufflevector reversal of <8 x i16>, an aligned global vector updated in place
; CALL: vpoly(3, -1, 7, 100) == 4520
; CALL: dot4f(1.5, 2.0, -0.5, 4.0, 2.0, 0.25, 8.0, -1.0) == -4.5
; CALL: v2d(3.0, 5.0) == 2.75
; CALL: max_sum() == 32
; CALL: min_sum() == 14
; CALL: reversed_at(0) == -800
; CALL: reversed_at(3) == -500
; CALL: reversed_at(7) == 100
; CALL: vscale(3) == 30
; CALL: vscale(-2) == -60
; CALL: vlane(2) == -18
; RELOC: static pic

@g1 = internal global [8 x i32] [i32 5, i32 -3, i32 9, i32 0, i32 12, i32 -8, i32 4, i32 1], align 16
@g2 = internal constant [8 x i32] [i32 2, i32 2, i32 10, i32 -1, i32 11, i32 -9, i32 4, i32 7], align 16
@halves = internal constant <8 x i16> <i16 100, i16 200, i16 -300, i16 400, i16 -500, i16 600, i16 700, i16 -800>, align 16
@gv = global <4 x i32> <i32 1, i32 2, i32 3, i32 4>, align 16

declare i32 @llvm.vector.reduce.add.v4i32(<4 x i32>)

; sum of (a_i + (1,2,3,4)_i) * (10,20,30,40)_i
define i32 @vpoly(i32 %a, i32 %b, i32 %c, i32 %d) #0 {
  %v0 = insertelement <4 x i32> undef, i32 %a, i32 0
  %v1 = insertelement <4 x i32> %v0, i32 %b, i32 1
  %v2 = insertelement <4 x i32> %v1, i32 %c, i32 2
  %v3 = insertelement <4 x i32> %v2, i32 %d, i32 3
  %s = add <4 x i32> %v3, <i32 1, i32 2, i32 3, i32 4>
  %m = mul <4 x i32> %s, <i32 10, i32 20, i32 30, i32 40>
  %r = call i32 @llvm.vector.reduce.add.v4i32(<4 x i32> %m)
  ret i32 %r
}

define float @dot4f(float %x0, float %x1, float %x2, float %x3, float %y0, float %y1, float %y2, float %y3) #0 {
  %a0 = insertelement <4 x float> undef, float %x0, i32 0
  %a1 = insertelement <4 x float> %a0, float %x1, i32 1
  %a2 = insertelement <4 x float> %a1, float %x2, i32 2
  %a3 = insertelement <4 x float> %a2, float %x3, i32 3
  %b0 = insertelement <4 x float> undef, float %y0, i32 0
  %b1 = insertelement <4 x float> %b0, float %y1, i32 1
  %b2 = insertelement <4 x float> %b1, float %y2, i32 2
  %b3 = insertelement <4 x float> %b2, float %y3, i32 3
  %p = fmul <4 x float> %a3, %b3
  %e0 = extractelement <4 x float> %p, i32 0
  %e1 = extractelement <4 x float> %p, i32 1
  %e2 = extractelement <4 x float> %p, i32 2
  %e3 = extractelement <4 x float> %p, i32 3
  %s1 = fadd float %e0, %e1
  %s2 = fadd float %s1, %e2
  %s3 = fadd float %s2, %e3
  ret float %s3
}

define double @v2d(double %a, double %b) #0 {
  %v0 = insertelement <2 x double> undef, double %a, i32 0
  %v1 = insertelement <2 x double> %v0, double %b, i32 1
  %m = fmul <2 x double> %v1, <double 0.5, double 0.25>
  %e0 = extractelement <2 x double> %m, i32 0
  %e1 = extractelement <2 x double> %m, i32 1
  %s = fadd double %e0, %e1
  ret double %s
}

define internal <4 x i32> @load4(ptr %base, i32 %half) #0 {
  %i = mul i32 %half, 4
  %p = getelementptr inbounds i32, ptr %base, i32 %i
  %v = load <4 x i32>, ptr %p, align 16
  ret <4 x i32> %v
}

define i32 @max_sum() #0 {
  %a0 = call <4 x i32> @load4(ptr @g1, i32 0)
  %a1 = call <4 x i32> @load4(ptr @g1, i32 1)
  %b0 = call <4 x i32> @load4(ptr @g2, i32 0)
  %b1 = call <4 x i32> @load4(ptr @g2, i32 1)
  %c0 = icmp sgt <4 x i32> %a0, %b0
  %c1 = icmp sgt <4 x i32> %a1, %b1
  %m0 = select <4 x i1> %c0, <4 x i32> %a0, <4 x i32> %b0
  %m1 = select <4 x i1> %c1, <4 x i32> %a1, <4 x i32> %b1
  %m = add <4 x i32> %m0, %m1
  %r = call i32 @llvm.vector.reduce.add.v4i32(<4 x i32> %m)
  ret i32 %r
}

define i32 @min_sum() #0 {
  %a0 = call <4 x i32> @load4(ptr @g1, i32 0)
  %a1 = call <4 x i32> @load4(ptr @g1, i32 1)
  %b0 = call <4 x i32> @load4(ptr @g2, i32 0)
  %b1 = call <4 x i32> @load4(ptr @g2, i32 1)
  %c0 = icmp slt <4 x i32> %a0, %b0
  %c1 = icmp slt <4 x i32> %a1, %b1
  %m0 = select <4 x i1> %c0, <4 x i32> %a0, <4 x i32> %b0
  %m1 = select <4 x i1> %c1, <4 x i32> %a1, <4 x i32> %b1
  %m = add <4 x i32> %m0, %m1
  %r = call i32 @llvm.vector.reduce.add.v4i32(<4 x i32> %m)
  ret i32 %r
}

; element k of @halves reversed, sign-extended
define i32 @reversed_at(i32 %k) #0 {
  %v = load <8 x i16>, ptr @halves, align 16
  %r = shufflevector <8 x i16> %v, <8 x i16> poison, <8 x i32> <i32 7, i32 6, i32 5, i32 4, i32 3, i32 2, i32 1, i32 0>
  %i = and i32 %k, 7
  %e = extractelement <8 x i16> %r, i32 %i
  %w = sext i16 %e to i32
  ret i32 %w
}

; gv *= k; returns the sum of gv's lanes
define i32 @vscale(i32 %k) #0 {
  %v = load <4 x i32>, ptr @gv, align 16
  %s0 = insertelement <4 x i32> undef, i32 %k, i32 0
  %s = shufflevector <4 x i32> %s0, <4 x i32> undef, <4 x i32> zeroinitializer
  %m = mul <4 x i32> %v, %s
  store <4 x i32> %m, ptr @gv, align 16
  %r = call i32 @llvm.vector.reduce.add.v4i32(<4 x i32> %m)
  ret i32 %r
}

define i32 @vlane(i32 %k) #0 {
  %v = load <4 x i32>, ptr @gv, align 16
  %i = and i32 %k, 3
  %e = extractelement <4 x i32> %v, i32 %i
  ret i32 %e
}

attributes #0 = { nounwind }
