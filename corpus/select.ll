; rig: select-heavy branchless code: clamp, abs, sign, median of three, saturating add, min/max/range counts over a global array, unsigned 64-bit min/max, a piecewise double function, nested selects
; CALL: clamp(5, 0, 10) == 5
; CALL: clamp(-5, 0, 10) == 0
; CALL: clamp(50, 0, 10) == 10
; CALL: abs32(-17) == 17
; CALL: abs32(-2147483648) == -2147483648
; CALL: sign(-9) == -1
; CALL: sign(0) == 0
; CALL: sign(12) == 1
; CALL: median3(3, 9, 5) == 5
; CALL: median3(9, 3, 5) == 5
; CALL: median3(5, 5, 1) == 5
; CALL: median3(-1, -7, -4) == -4
; CALL: sat_add(2147483637, 100) == 2147483647
; CALL: sat_add(-2147483643, -6) == -2147483648
; CALL: sat_add(100, -50) == 50
; CALL: array_max() == 99
; CALL: array_min() == -100
; CALL: count_in_range(0, 30) == 7
; CALL: sum_abs() == 463
; CALL: umin64(5, -1) == 5
; CALL: umax64(5, -1) == -1
; CALL: piecewise(-1.5) == 3.0
; CALL: piecewise(0.5) == 0.25
; CALL: piecewise(3.0) == 2.5
; CALL: grade(95) == 65
; CALL: grade(85) == 66
; CALL: grade(75) == 67
; CALL: grade(65) == 68
; CALL: grade(10) == 70
; RELOC: static pic

@arr = global [16 x i32] [i32 13, i32 -8, i32 27, i32 4, i32 -15, i32 99, i32 0, i32 42,
                          i32 -3, i32 7, i32 64, i32 -100, i32 5, i32 18, i32 -27, i32 31], align 4

define i32 @clamp(i32 %x, i32 %lo, i32 %hi) #0 {
  %below = icmp slt i32 %x, %lo
  %a = select i1 %below, i32 %lo, i32 %x
  %above = icmp sgt i32 %a, %hi
  %r = select i1 %above, i32 %hi, i32 %a
  ret i32 %r
}

define i32 @abs32(i32 %x) #0 {
  %neg = icmp slt i32 %x, 0
  %nx = sub i32 0, %x
  %r = select i1 %neg, i32 %nx, i32 %x
  ret i32 %r
}

define i32 @sign(i32 %x) #0 {
  %pos = icmp sgt i32 %x, 0
  %neg = icmp slt i32 %x, 0
  %a = select i1 %pos, i32 1, i32 0
  %r = select i1 %neg, i32 -1, i32 %a
  ret i32 %r
}

define i32 @median3(i32 %a, i32 %b, i32 %c) #0 {
  %ab = icmp slt i32 %a, %b
  %lo = select i1 %ab, i32 %a, i32 %b
  %hi = select i1 %ab, i32 %b, i32 %a
  %chi = icmp slt i32 %c, %hi
  %m1 = select i1 %chi, i32 %c, i32 %hi
  %mlo = icmp sgt i32 %m1, %lo
  %r = select i1 %mlo, i32 %m1, i32 %lo
  ret i32 %r
}

define i32 @sat_add(i32 %a, i32 %b) #0 {
  %a6 = sext i32 %a to i64
  %b6 = sext i32 %b to i64
  %s = add i64 %a6, %b6
  %big = icmp sgt i64 %s, 2147483647
  %small = icmp slt i64 %s, -2147483648
  %t = trunc i64 %s to i32
  %r1 = select i1 %big, i32 2147483647, i32 %t
  %r = select i1 %small, i32 -2147483648, i32 %r1
  ret i32 %r
}

define i32 @array_max() #0 {
entry:
  br label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %i1, %loop ]
  %m = phi i32 [ -2147483648, %entry ], [ %m1, %loop ]
  %p = getelementptr inbounds [16 x i32], ptr @arr, i32 0, i32 %i
  %v = load i32, ptr %p
  %gt = icmp sgt i32 %v, %m
  %m1 = select i1 %gt, i32 %v, i32 %m
  %i1 = add i32 %i, 1
  %more = icmp ult i32 %i1, 16
  br i1 %more, label %loop, label %done
done:
  ret i32 %m1
}

define i32 @array_min() #0 {
entry:
  br label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %i1, %loop ]
  %m = phi i32 [ 2147483647, %entry ], [ %m1, %loop ]
  %p = getelementptr inbounds [16 x i32], ptr @arr, i32 0, i32 %i
  %v = load i32, ptr %p
  %lt = icmp slt i32 %v, %m
  %m1 = select i1 %lt, i32 %v, i32 %m
  %i1 = add i32 %i, 1
  %more = icmp ult i32 %i1, 16
  br i1 %more, label %loop, label %done
done:
  ret i32 %m1
}

define i32 @count_in_range(i32 %lo, i32 %hi) #0 {
entry:
  br label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %i1, %loop ]
  %c = phi i32 [ 0, %entry ], [ %c1, %loop ]
  %p = getelementptr inbounds [16 x i32], ptr @arr, i32 0, i32 %i
  %v = load i32, ptr %p
  %ge = icmp sge i32 %v, %lo
  %le = icmp sle i32 %v, %hi
  %in = select i1 %ge, i1 %le, i1 false
  %inc = select i1 %in, i32 1, i32 0
  %c1 = add i32 %c, %inc
  %i1 = add i32 %i, 1
  %more = icmp ult i32 %i1, 16
  br i1 %more, label %loop, label %done
done:
  ret i32 %c1
}

define i32 @sum_abs() #0 {
entry:
  br label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %i1, %loop ]
  %s = phi i32 [ 0, %entry ], [ %s1, %loop ]
  %p = getelementptr inbounds [16 x i32], ptr @arr, i32 0, i32 %i
  %v = load i32, ptr %p
  %a = call i32 @abs32(i32 %v)
  %s1 = add i32 %s, %a
  %i1 = add i32 %i, 1
  %more = icmp ult i32 %i1, 16
  br i1 %more, label %loop, label %done
done:
  ret i32 %s1
}

define i64 @umin64(i64 %a, i64 %b) #0 {
  %lt = icmp ult i64 %a, %b
  %r = select i1 %lt, i64 %a, i64 %b
  ret i64 %r
}

define i64 @umax64(i64 %a, i64 %b) #0 {
  %gt = icmp ugt i64 %a, %b
  %r = select i1 %gt, i64 %a, i64 %b
  ret i64 %r
}

; x < 0: -2x; x < 1: x*x; else 1 + x/2
define double @piecewise(double %x) #0 {
  %neg = fcmp olt double %x, 0.0
  %lt1 = fcmp olt double %x, 1.0
  %a = fmul double %x, -2.0
  %b = fmul double %x, %x
  %h = fmul double %x, 0.5
  %c = fadd double %h, 1.0
  %bc = select i1 %lt1, double %b, double %c
  %r = select i1 %neg, double %a, double %bc
  ret double %r
}

; the character code of the grade letter
define i8 @grade(i32 %score) #0 {
  %a = icmp sge i32 %score, 90
  %b = icmp sge i32 %score, 80
  %c = icmp sge i32 %score, 70
  %d = icmp sge i32 %score, 60
  %g4 = select i1 %d, i8 68, i8 70
  %g3 = select i1 %c, i8 67, i8 %g4
  %g2 = select i1 %b, i8 66, i8 %g3
  %g1 = select i1 %a, i8 65, i8 %g2
  ret i8 %g1
}

attributes #0 = { nounwind }
