; rig: floating-point arithmetic with no external function at all (no libc, no libm): Newton's iteration for sqrt(2) in double, bit-exact IEEE results (0.1 + 0.2, ten float 0.1s summed, a float->double widening), NaN and negative-zero comparisons, int<->float conversions that truncate, a Horner polynomial and a value kept in a global double; constants come from the constant pool; LLVM's test-fp-no-external-funcs-remote; the result, floor(100 * sqrt(2)) = 141, is the exit status only
; RELOC: static pic
; STATUS: 141

; Inputs are volatile loads of globals, so nothing is folded at compile time.
; Failure statuses: 1 sqrt(2) bits, 2 0.1 + 0.2 bits, 3 the float sum's bits,
; 4 float->double widening, 5 NaN compares, 6 negative zero, 7 conversions,
; 8 the polynomial, 9 the global double round trip.

@one = global double 1.000000e+00
@two = global double 2.000000e+00
@tenth = global double 1.000000e-01
@fifth = global double 2.000000e-01
@tenth_f = global float 0x3FB99999A0000000
@t = global double 1.250000e+00
@minus = global i32 -7
@neg_val = global double -7.900000e+00
@acc = global double 0.000000e+00

define double @newton_sqrt(double %a, i32 %steps) noinline nounwind {
entry:
  %x0 = load volatile double, ptr @one
  br label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %i1, %loop ]
  %x = phi double [ %x0, %entry ], [ %xn, %loop ]
  %q = fdiv double %a, %x
  %s = fadd double %x, %q
  %xn = fmul double %s, 5.000000e-01
  %i1 = add i32 %i, 1
  %more = icmp slt i32 %i1, %steps
  br i1 %more, label %loop, label %out
out:
  ret double %xn
}

; ((2t - 3)t + 0.5)t + 7
define double @poly(double %t) noinline nounwind {
entry:
  %a = fmul double %t, 2.000000e+00
  %b = fsub double %a, 3.000000e+00
  %c = fmul double %b, %t
  %d = fadd double %c, 5.000000e-01
  %e = fmul double %d, %t
  %f = fadd double %e, 7.000000e+00
  ret double %f
}

define i32 @main() nounwind {
entry:
  %two = load volatile double, ptr @two
  %r = call double @newton_sqrt(double %two, i32 6)
  %rb = bitcast double %r to i64
  %r_ok = icmp eq i64 %rb, 4609047870845172684
  br i1 %r_ok, label %sum3, label %bad1

sum3:                                       ; 0.1 + 0.2 is 0x3FD3333333333334, not 0.3
  %a = load volatile double, ptr @tenth
  %b = load volatile double, ptr @fifth
  %ab = fadd double %a, %b
  %abb = bitcast double %ab to i64
  %ab_ok = icmp eq i64 %abb, 4599075939470750516
  %not03 = fcmp une double %ab, 3.000000e-01
  %s3ok = and i1 %ab_ok, %not03
  br i1 %s3ok, label %floats, label %bad2

floats:                                     ; ten float 0.1s add up to 0x3F800001
  %tf = load volatile float, ptr @tenth_f
  br label %floop
floop:
  %k = phi i32 [ 0, %floats ], [ %k1, %floop ]
  %fs = phi float [ 0.000000e+00, %floats ], [ %fs1, %floop ]
  %fs1 = fadd float %fs, %tf
  %k1 = add i32 %k, 1
  %kmore = icmp slt i32 %k1, 10
  br i1 %kmore, label %floop, label %fdone
fdone:
  %fsb = bitcast float %fs1 to i32
  %fs_ok = icmp eq i32 %fsb, 1065353217
  br i1 %fs_ok, label %widen, label %bad3

widen:                                      ; (double)0.1f is 0x3FB99999A0000000, not 0.1
  %w = fpext float %tf to double
  %wb = bitcast double %w to i64
  %w_ok = icmp eq i64 %wb, 4591870180174331904
  %wne = fcmp one double %w, %a
  %back = fptrunc double %a to float
  %back_ok = fcmp oeq float %back, %tf
  %wa = and i1 %w_ok, %wne
  %wok = and i1 %wa, %back_ok
  br i1 %wok, label %nan, label %bad4

nan:                                        ; 0/0 is NaN: unordered, unequal even to itself
  %zero = fsub double %a, %a
  %n = fdiv double %zero, %zero
  %uno = fcmp uno double %n, %n
  %oeq = fcmp oeq double %n, %n
  %olt = fcmp olt double %n, %two
  %ogt = fcmp ogt double %n, %two
  %noeq = xor i1 %oeq, true
  %nolt = xor i1 %olt, true
  %nogt = xor i1 %ogt, true
  %n1 = and i1 %uno, %noeq
  %n2 = and i1 %nolt, %nogt
  %nok = and i1 %n1, %n2
  br i1 %nok, label %negzero, label %bad5

negzero:                                    ; -0.0 == 0.0, but its sign bit is set and 1/-0 is -inf
  %nz = fneg double %zero
  %nzb = bitcast double %nz to i64
  %sign = icmp slt i64 %nzb, 0
  %eqz = fcmp oeq double %nz, %zero
  %inv = fdiv double %a, %nz
  %ninf = fcmp olt double %inv, -1.000000e+308
  %z1 = and i1 %sign, %eqz
  %zok = and i1 %z1, %ninf
  br i1 %zok, label %convert, label %bad6

convert:                                    ; (int)-7.9 == -7, (double)-7 == -7.0, (unsigned char)(int)200.7 == 200
  %nv = load volatile double, ptr @neg_val
  %ni = fptosi double %nv to i32
  %ni_ok = icmp eq i32 %ni, -7
  %m = load volatile i32, ptr @minus
  %md = sitofp i32 %m to double
  %md_ok = fcmp oeq double %md, -7.000000e+00
  %big = fmul double %two, 1.003500e+02
  %bi = fptosi double %big to i32
  %bu = trunc i32 %bi to i8
  %bu_ok = icmp eq i8 %bu, -56
  %c1 = and i1 %ni_ok, %md_ok
  %cok = and i1 %c1, %bu_ok
  br i1 %cok, label %horner, label %bad7

horner:                                     ; p(1.25) = 6.84375 exactly
  %tv = load volatile double, ptr @t
  %p = call double @poly(double %tv)
  %p_ok = fcmp oeq double %p, 6.843750e+00
  br i1 %p_ok, label %global, label %bad8

global:                                     ; acc = r * 100 through memory, then floor
  %r100 = fmul double %r, 1.000000e+02
  store volatile double %r100, ptr @acc
  %g = load volatile double, ptr @acc
  %g_ok = fcmp ogt double %g, 1.414200e+02
  br i1 %g_ok, label %answer, label %bad9
answer:
  %res = fptosi double %g to i32
  ret i32 %res

bad1:
  ret i32 1
bad2:
  ret i32 2
bad3:
  ret i32 3
bad4:
  ret i32 4
bad5:
  ret i32 5
bad6:
  ret i32 6
bad7:
  ret i32 7
bad8:
  ret i32 8
bad9:
  ret i32 9
}
