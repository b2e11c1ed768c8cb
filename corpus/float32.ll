; rig: single-precision float parameters and returns, float constants from the constant pool, a global float array scaled in place, float<->int and float<->double conversions, a Newton square-root loop
; CALL: lerp(1.0, 3.0, 0.25) == 1.5
; CALL: lerp(-2.0, 2.0, 0.75) == 1.0
; CALL: hypotf(3.0, 4.0) == 5.0
; CALL: poly(1.5) == 1.0
; CALL: poly(0.25) == -0.40625
; CALL: f2i(-7.9) == -7
; CALL: f2i(123456.75) == 123456
; CALL: i2f(16777217) == 16777216.0
; CALL: i2f(-3) == -3.0
; CALL: recip(3.0) == 0.3333333432674408
; CALL: widen(0.1) == 0.10000000149011612
; CALL: narrow(0.1) == 0.10000000149011612
; CALL: mixf(3, 0.1, 0.25) == 0.550000011920929
; CALL: mixf(-7, 2.5, 0.001) == -17.499000549316406
; CALL: fmaxf3(1.5, -2.0, 0.75) == 1.5
; CALL: fmaxf3(-1.5, -2.0, -0.75) == -0.75
; CALL: newton_sqrt(2.0) == 1.4142135381698608
; CALL: newton_sqrt(10.0) == 3.1622776985168457
; CALL: sum_fvals() == 98.4749984741211
; CALL: scale_fvals(1.5) == 147.71249389648438
; CALL: sum_fvals() == 147.71249389648438
; CALL: tenth() == 0.10000000149011612
; RELOC: static pic

@fvals = global [8 x float] [float 0.5, float 1.25, float -3.75, float 100.0,
                             float 0x3FB99999A0000000, float 0x3FC99999A0000000,
                             float 0x3FD3333340000000, float -0.125], align 4

declare float @llvm.sqrt.f32(float)

define float @lerp(float %a, float %b, float %t) #0 {
entry:
  %d = fsub float %b, %a
  %m = fmul float %d, %t
  %r = fadd float %a, %m
  ret float %r
}

define float @hypotf(float %x, float %y) #0 {
entry:
  %xx = fmul float %x, %x
  %yy = fmul float %y, %y
  %s = fadd float %xx, %yy
  %r = call float @llvm.sqrt.f32(float %s)
  ret float %r
}

; 2x^3 - 3x^2 + x - 0.5 by Horner
define float @poly(float %x) #0 {
entry:
  %a = fmul float %x, 2.0
  %b = fadd float %a, -3.0
  %c = fmul float %b, %x
  %d = fadd float %c, 1.0
  %e = fmul float %d, %x
  %r = fadd float %e, -0.5
  ret float %r
}

define i32 @f2i(float %x) #0 {
  %r = fptosi float %x to i32
  ret i32 %r
}

define float @i2f(i32 %x) #0 {
  %r = sitofp i32 %x to float
  ret float %r
}

define float @recip(float %x) #0 {
  %r = fdiv float 1.0, %x
  ret float %r
}

define double @widen(float %x) #0 {
  %r = fpext float %x to double
  ret double %r
}

define float @narrow(double %x) #0 {
  %r = fptrunc double %x to float
  ret float %r
}

; (float)(n * (double)x + y)
define float @mixf(i32 %n, float %x, double %y) #0 {
entry:
  %nd = sitofp i32 %n to double
  %xd = fpext float %x to double
  %p = fmul double %nd, %xd
  %s = fadd double %p, %y
  %r = fptrunc double %s to float
  ret float %r
}

define float @fmaxf3(float %a, float %b, float %c) #0 {
entry:
  %ab = fcmp ogt float %a, %b
  %m1 = select i1 %ab, float %a, float %b
  %mc = fcmp ogt float %m1, %c
  %m2 = select i1 %mc, float %m1, float %c
  ret float %m2
}

; eight Newton steps x = (x + a/x) * 0.5 from x = a
define float @newton_sqrt(float %a) #0 {
entry:
  br label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %i1, %loop ]
  %x = phi float [ %a, %entry ], [ %x1, %loop ]
  %q = fdiv float %a, %x
  %s = fadd float %x, %q
  %x1 = fmul float %s, 0.5
  %i1 = add i32 %i, 1
  %more = icmp ult i32 %i1, 8
  br i1 %more, label %loop, label %done
done:
  ret float %x1
}

define float @sum_fvals() #0 {
entry:
  br label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %i1, %loop ]
  %acc = phi float [ 0.0, %entry ], [ %acc1, %loop ]
  %p = getelementptr inbounds [8 x float], ptr @fvals, i32 0, i32 %i
  %v = load float, ptr %p, align 4
  %acc1 = fadd float %acc, %v
  %i1 = add i32 %i, 1
  %more = icmp ult i32 %i1, 8
  br i1 %more, label %loop, label %done
done:
  ret float %acc1
}

define float @scale_fvals(float %k) #0 {
entry:
  br label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %i1, %loop ]
  %p = getelementptr inbounds [8 x float], ptr @fvals, i32 0, i32 %i
  %v = load float, ptr %p, align 4
  %v1 = fmul float %v, %k
  store float %v1, ptr %p, align 4
  %i1 = add i32 %i, 1
  %more = icmp ult i32 %i1, 8
  br i1 %more, label %loop, label %done
done:
  %s = call float @sum_fvals()
  ret float %s
}

define float @tenth() #0 {
  ret float 0x3FB99999A0000000
}

attributes #0 = { nounwind }
