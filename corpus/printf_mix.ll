; rig: varargs printf with ints, i64, strings from a pointer table, chars, hex, unsigned, doubles (%f %e %g), a float promoted to double, and enough varargs that some go on the stack
; CALL: report(7, 3.5) == 11
; STDOUT: "x=7 y=3.50\n"
; CALL: show(2) == 31
; STDOUT: "gamma:C:1fe:2000:20000000000:%\n"
; CALL: show(-1) == 43
; STDOUT: "delta:@:ffffff01:4294966296:-10000000000:%\n"
; CALL: show(25) == 33
; STDOUT: "beta:Z:18e7:25000:250000000000:%\n"
; CALL: floats(0.25) == 27
; STDOUT: "0.250000 2.500000e-01 0.25\n"
; CALL: floats(-1234.5) == 35
; STDOUT: "-1234.500000 -1.234500e+03 -1234.5\n"
; CALL: many(3) == 70
; STDOUT: "3 4 5 6 7 8 9 10 11 12 | 0.75 1.00 1.25 1.50 1.75 2.00 2.25 2.50 2.75\n"
; CALL: table(3) == 54
; STDOUT: "i=1 sq=1 half=0.5\ni=2 sq=4 half=1.0\ni=3 sq=9 half=1.5\n"
; CALL: pf(1.1) == 14
; STDOUT: "f=1.100 g=1.1\n"
; CALL: printed() == 318
; RELOC: static pic

@fmt_report = private unnamed_addr constant [13 x i8] c"x=%d y=%.2f\0A\00"
@fmt_show = private unnamed_addr constant [21 x i8] c"%s:%c:%x:%u:%lld:%%\0A\00"
@fmt_floats = private unnamed_addr constant [10 x i8] c"%f %e %g\0A\00"
@fmt_many = private unnamed_addr constant [78 x i8] c"%d %d %d %d %d %d %d %d %d %d | %.2f %.2f %.2f %.2f %.2f %.2f %.2f %.2f %.2f\0A\00"
@fmt_table = private unnamed_addr constant [22 x i8] c"i=%d sq=%d half=%.1f\0A\00"
@fmt_pf = private unnamed_addr constant [13 x i8] c"f=%.3f g=%g\0A\00"

@n_alpha = private unnamed_addr constant [6 x i8] c"alpha\00"
@n_beta = private unnamed_addr constant [5 x i8] c"beta\00"
@n_gamma = private unnamed_addr constant [6 x i8] c"gamma\00"
@n_delta = private unnamed_addr constant [6 x i8] c"delta\00"
@names = internal constant [4 x ptr] [ptr @n_alpha, ptr @n_beta, ptr @n_gamma, ptr @n_delta]

@total_printed = global i32 0

declare i32 @printf(ptr, ...)

define internal void @account(i32 %n) #0 {
  %t = load i32, ptr @total_printed
  %t1 = add i32 %t, %n
  store i32 %t1, ptr @total_printed
  ret void
}

define i32 @report(i32 %x, double %y) #0 {
entry:
  %n = call i32 (ptr, ...) @printf(ptr @fmt_report, i32 %x, double %y)
  call void @account(i32 %n)
  ret i32 %n
}

define i32 @show(i32 %n) #0 {
entry:
  %i = and i32 %n, 3
  %np = getelementptr inbounds [4 x ptr], ptr @names, i32 0, i32 %i
  %name = load ptr, ptr %np
  %ch = add i32 %n, 65
  %hex = mul i32 %n, 255
  %u = mul i32 %n, 1000
  %n64 = sext i32 %n to i64
  %big = mul i64 %n64, 10000000000
  %r = call i32 (ptr, ...) @printf(ptr @fmt_show, ptr %name, i32 %ch, i32 %hex, i32 %u, i64 %big)
  call void @account(i32 %r)
  ret i32 %r
}

define i32 @floats(double %x) #0 {
entry:
  %r = call i32 (ptr, ...) @printf(ptr @fmt_floats, double %x, double %x, double %x)
  call void @account(i32 %r)
  ret i32 %r
}

; ten ints b..b+9 and nine doubles (b+i)/4
define i32 @many(i32 %b) #0 {
entry:
  %i1 = add i32 %b, 1
  %i2 = add i32 %b, 2
  %i3 = add i32 %b, 3
  %i4 = add i32 %b, 4
  %i5 = add i32 %b, 5
  %i6 = add i32 %b, 6
  %i7 = add i32 %b, 7
  %i8 = add i32 %b, 8
  %i9 = add i32 %b, 9
  %d0 = sitofp i32 %b to double
  %e0 = fmul double %d0, 0.25
  %e1 = fadd double %e0, 0.25
  %e2 = fadd double %e1, 0.25
  %e3 = fadd double %e2, 0.25
  %e4 = fadd double %e3, 0.25
  %e5 = fadd double %e4, 0.25
  %e6 = fadd double %e5, 0.25
  %e7 = fadd double %e6, 0.25
  %e8 = fadd double %e7, 0.25
  %r = call i32 (ptr, ...) @printf(ptr @fmt_many, i32 %b, i32 %i1, i32 %i2, i32 %i3, i32 %i4,
        i32 %i5, i32 %i6, i32 %i7, i32 %i8, i32 %i9,
        double %e0, double %e1, double %e2, double %e3, double %e4, double %e5, double %e6,
        double %e7, double %e8)
  call void @account(i32 %r)
  ret i32 %r
}

define i32 @table(i32 %n) #0 {
entry:
  br label %loop
loop:
  %i = phi i32 [ 1, %entry ], [ %i1, %loop ]
  %acc = phi i32 [ 0, %entry ], [ %acc1, %loop ]
  %sq = mul i32 %i, %i
  %d = sitofp i32 %i to double
  %half = fdiv double %d, 2.0
  %r = call i32 (ptr, ...) @printf(ptr @fmt_table, i32 %i, i32 %sq, double %half)
  %acc1 = add i32 %acc, %r
  %i1 = add i32 %i, 1
  %more = icmp sle i32 %i1, %n
  br i1 %more, label %loop, label %done
done:
  call void @account(i32 %acc1)
  ret i32 %acc1
}

define i32 @pf(float %x) #0 {
entry:
  %d = fpext float %x to double
  %r = call i32 (ptr, ...) @printf(ptr @fmt_pf, double %d, double %d)
  call void @account(i32 %r)
  ret i32 %r
}

define i32 @printed() #0 {
  %t = load i32, ptr @total_printed
  ret i32 %t
}

attributes #0 = { nounwind }
