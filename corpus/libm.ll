; rig: calls into libm (sqrt fabs floor ceil fmod sin cos exp log pow), a data table of pointers to external libm functions, Simpson integration of sin
; CALL: hyp(3.0, 4.0) == 5.0
; CALL: hyp(5.0, 12.0) == 13.0
; CALL: sin_cos_sum(0.5) ~= 1.3570081004945758
; CALL: trig_identity(1.3) ~= 1.0
; CALL: exp_log(2.5) ~= 2.5
; CALL: pw(2.0, 10.0) ~= 1024.0
; CALL: pw(2.0, 0.5) ~= 1.4142135623730951
; CALL: pw(1.5, -3.25) ~= 0.2677339269955096
; CALL: fmod_d(10.5, 3.0) == 1.5
; CALL: fmod_d(-7.5, 2.0) == -1.5
; CALL: floor_ceil(2.5) == 2003.0
; CALL: floor_ceil(-2.5) == -3002.0
; CALL: absdiff(1.25, 4.5) == 3.25
; CALL: round_to(3.14159, 2) ~= 3.14
; CALL: compound(1000.0, 0.05, 10) ~= 1628.894626777442
; CALL: gaussian(1.0) ~= 0.24197072451914337
; CALL: apply_fn(0, 1.0) ~= 0.8414709848078965
; CALL: apply_fn(1, 1.0) ~= 0.5403023058681398
; CALL: apply_fn(2, 1.0) ~= 2.718281828459045
; CALL: apply_fn(3, 10.0) ~= 2.302585092994046
; CALL: apply_fn(4, 2.0) ~= 1.4142135623730951
; CALL: apply_fn(5, -3.5) == 3.5
; CALL: apply_fn(6, 2.0) == 0.0
; CALL: simpson_sin(100) ~= 2.0000000108245044
; RELOC: static pic

declare double @sqrt(double)
declare double @fabs(double)
declare double @floor(double)
declare double @ceil(double)
declare double @fmod(double, double)
declare double @sin(double)
declare double @cos(double)
declare double @exp(double)
declare double @log(double)
declare double @pow(double, double)

; addresses of external functions stored in data
@fns = constant [6 x ptr] [ptr @sin, ptr @cos, ptr @exp, ptr @log, ptr @sqrt, ptr @fabs], align 8

define double @hyp(double %x, double %y) #0 {
entry:
  %xx = fmul double %x, %x
  %yy = fmul double %y, %y
  %s = fadd double %xx, %yy
  %r = call double @sqrt(double %s)
  ret double %r
}

define double @sin_cos_sum(double %x) #0 {
entry:
  %s = call double @sin(double %x)
  %c = call double @cos(double %x)
  %r = fadd double %s, %c
  ret double %r
}

define double @trig_identity(double %x) #0 {
entry:
  %s = call double @sin(double %x)
  %c = call double @cos(double %x)
  %ss = fmul double %s, %s
  %cc = fmul double %c, %c
  %r = fadd double %ss, %cc
  ret double %r
}

define double @exp_log(double %x) #0 {
entry:
  %e = call double @exp(double %x)
  %r = call double @log(double %e)
  ret double %r
}

define double @pw(double %b, double %e) #0 {
  %r = call double @pow(double %b, double %e)
  ret double %r
}

define double @fmod_d(double %a, double %b) #0 {
  %r = call double @fmod(double %a, double %b)
  ret double %r
}

; floor(x) * 1000 + ceil(x)
define double @floor_ceil(double %x) #0 {
entry:
  %f = call double @floor(double %x)
  %c = call double @ceil(double %x)
  %f1 = fmul double %f, 1000.0
  %r = fadd double %f1, %c
  ret double %r
}

define double @absdiff(double %a, double %b) #0 {
entry:
  %d = fsub double %a, %b
  %r = call double @fabs(double %d)
  ret double %r
}

; floor(x * 10^d + 0.5) / 10^d
define double @round_to(double %x, i32 %digits) #0 {
entry:
  %dd = sitofp i32 %digits to double
  %p = call double @pow(double 10.0, double %dd)
  %xp = fmul double %x, %p
  %xh = fadd double %xp, 0.5
  %f = call double @floor(double %xh)
  %r = fdiv double %f, %p
  ret double %r
}

define double @compound(double %principal, double %rate, i32 %years) #0 {
entry:
  %g = fadd double %rate, 1.0
  %n = sitofp i32 %years to double
  %f = call double @pow(double %g, double %n)
  %r = fmul double %principal, %f
  ret double %r
}

; exp(-x*x/2) / sqrt(2*pi)
define double @gaussian(double %x) #0 {
entry:
  %nx = fneg double %x
  %t = fmul double %nx, %x
  %t2 = fdiv double %t, 2.0
  %e = call double @exp(double %t2)
  %s = call double @sqrt(double 0x401921FB54442D18)
  %r = fdiv double %e, %s
  ret double %r
}

; fns[k](x) for k < 6, else 0.0
define double @apply_fn(i32 %k, double %x) #0 {
entry:
  %ok = icmp ult i32 %k, 6
  br i1 %ok, label %call, label %none
none:
  ret double 0.0
call:
  %fp = getelementptr inbounds [6 x ptr], ptr @fns, i32 0, i32 %k
  %f = load ptr, ptr %fp
  %r = call double %f(double %x)
  ret double %r
}

; Simpson's rule for the integral of sin over [0, pi] with n (even) intervals
define double @simpson_sin(i32 %n) #0 {
entry:
  %nd = sitofp i32 %n to double
  %h = fdiv double 0x400921FB54442D18, %nd
  %sa = call double @sin(double 0.0)
  %sb = call double @sin(double 0x400921FB54442D18)
  %s0 = fadd double %sa, %sb
  br label %loop
loop:
  %i = phi i32 [ 1, %entry ], [ %i1, %loop ]
  %s = phi double [ %s0, %entry ], [ %s1, %loop ]
  %id = sitofp i32 %i to double
  %ih = fmul double %id, %h
  %x = fadd double 0.0, %ih
  %y = call double @sin(double %x)
  %odd = and i32 %i, 1
  %isodd = icmp ne i32 %odd, 0
  %w = select i1 %isodd, double 4.0, double 2.0
  %wy = fmul double %w, %y
  %s1 = fadd double %s, %wy
  %i1 = add i32 %i, 1
  %more = icmp slt i32 %i1, %n
  br i1 %more, label %loop, label %done
done:
  %sh = fmul double %s1, %h
  %r = fdiv double %sh, 3.0
  ret double %r
}

attributes #0 = { nounwind }
