; rig: loops written with phi nodes: collatz, digit reversal, nested loops with a variable urem, the phi-swap fibonacci, iterative gcd/lcm with swapped phis, a double accumulator, a loop with two exits over a rodata table
; CALL: collatz(27) == 111
; CALL: collatz(1) == 0
; CALL: collatz(97) == 118
; CALL: reverse_digits(123456) == 654321
; CALL: reverse_digits(1000) == 1
; CALL: perfect_below(100) == 2
; CALL: pairs_div3(50) == 408
; CALL: fib_iter(90) == 2880067194370816120
; CALL: fib_iter(0) == 0
; CALL: gcd_iter(1071, 462) == 21
; CALL: gcd_iter(2147483647, 1073741824) == 1
; CALL: lcm(1071, 462) == 23562
; CALL: lcm(0, 0) == 0
; CALL: harmonic(10) == 2.9289682539682538
; CALL: harmonic(1000) == 7.485470860550343
; CALL: first_over(20) == 4
; CALL: first_over(0) == 0
; CALL: first_over(1000) == -1
; RELOC: static pic

@table = private unnamed_addr constant [10 x i32] [i32 5, i32 3, i32 8, i32 1, i32 9, i32 2, i32 7, i32 4, i32 6, i32 10]

define i32 @collatz(i32 %n0) #0 {
entry:
  br label %loop
loop:
  %n = phi i32 [ %n0, %entry ], [ %next, %body ]
  %steps = phi i32 [ 0, %entry ], [ %steps1, %body ]
  %one = icmp ule i32 %n, 1
  br i1 %one, label %done, label %body
body:
  %odd = and i32 %n, 1
  %isodd = icmp ne i32 %odd, 0
  %half = lshr i32 %n, 1
  %t3 = mul i32 %n, 3
  %t31 = add i32 %t3, 1
  %next = select i1 %isodd, i32 %t31, i32 %half
  %steps1 = add i32 %steps, 1
  br label %loop
done:
  ret i32 %steps
}

define i32 @reverse_digits(i32 %n0) #0 {
entry:
  br label %loop
loop:
  %n = phi i32 [ %n0, %entry ], [ %n1, %loop ]
  %r = phi i32 [ 0, %entry ], [ %r2, %loop ]
  %d = urem i32 %n, 10
  %r1 = mul i32 %r, 10
  %r2 = add i32 %r1, %d
  %n1 = udiv i32 %n, 10
  %more = icmp ne i32 %n1, 0
  br i1 %more, label %loop, label %done
done:
  ret i32 %r2
}

; numbers k < n equal to the sum of their proper divisors
define i32 @perfect_below(i32 %n) #0 {
entry:
  br label %outer
outer:
  %k = phi i32 [ 2, %entry ], [ %k1, %outer_next ]
  %count = phi i32 [ 0, %entry ], [ %count1, %outer_next ]
  %kgo = icmp slt i32 %k, %n
  br i1 %kgo, label %inner, label %done
inner:
  %d = phi i32 [ 1, %outer ], [ %d1, %inner ]
  %s = phi i32 [ 0, %outer ], [ %s1, %inner ]
  %rem = urem i32 %k, %d
  %divides = icmp eq i32 %rem, 0
  %add = select i1 %divides, i32 %d, i32 0
  %s1 = add i32 %s, %add
  %d1 = add i32 %d, 1
  %d2 = shl i32 %d1, 1
  %dgo = icmp sle i32 %d2, %k
  br i1 %dgo, label %inner, label %outer_next
outer_next:
  %perfect = icmp eq i32 %s1, %k
  %inc = zext i1 %perfect to i32
  %count1 = add i32 %count, %inc
  %k1 = add i32 %k, 1
  br label %outer
done:
  ret i32 %count
}

; pairs i < j < n with (i + j) % 3 == 0
define i32 @pairs_div3(i32 %n) #0 {
entry:
  %empty = icmp slt i32 %n, 2
  br i1 %empty, label %done, label %outer
outer:
  %i = phi i32 [ 0, %entry ], [ %i1, %outer_latch ]
  %c = phi i32 [ 0, %entry ], [ %c_out, %outer_latch ]
  %j0 = add i32 %i, 1
  %has_j = icmp slt i32 %j0, %n
  br i1 %has_j, label %inner, label %outer_latch
inner:
  %j = phi i32 [ %j0, %outer ], [ %j1, %inner ]
  %ci = phi i32 [ %c, %outer ], [ %ci1, %inner ]
  %sum = add i32 %i, %j
  %m = urem i32 %sum, 3
  %hit = icmp eq i32 %m, 0
  %inc = zext i1 %hit to i32
  %ci1 = add i32 %ci, %inc
  %j1 = add i32 %j, 1
  %jgo = icmp slt i32 %j1, %n
  br i1 %jgo, label %inner, label %outer_latch
outer_latch:
  %c_out = phi i32 [ %c, %outer ], [ %ci1, %inner ]
  %i1 = add i32 %i, 1
  %igo = icmp slt i32 %i1, %n
  br i1 %igo, label %outer, label %done
done:
  %res = phi i32 [ 0, %entry ], [ %c_out, %outer_latch ]
  ret i32 %res
}

; the two phis read each other's previous values (the "swap problem")
define i64 @fib_iter(i32 %n) #0 {
entry:
  br label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %i1, %body ]
  %a = phi i64 [ 0, %entry ], [ %b, %body ]
  %b = phi i64 [ 1, %entry ], [ %ab, %body ]
  %go = icmp slt i32 %i, %n
  br i1 %go, label %body, label %done
body:
  %ab = add i64 %a, %b
  %i1 = add i32 %i, 1
  br label %loop
done:
  ret i64 %a
}

define i32 @gcd_iter(i32 %a0, i32 %b0) #0 {
entry:
  br label %loop
loop:
  %a = phi i32 [ %a0, %entry ], [ %b, %body ]
  %b = phi i32 [ %b0, %entry ], [ %r, %body ]
  %z = icmp eq i32 %b, 0
  br i1 %z, label %done, label %body
body:
  %r = urem i32 %a, %b
  br label %loop
done:
  ret i32 %a
}

; lcm(a, b), 0 when both are 0
define i64 @lcm(i32 %a, i32 %b) #0 {
entry:
  %g = call i32 @gcd_iter(i32 %a, i32 %b)
  %gz = icmp eq i32 %g, 0
  br i1 %gz, label %zero, label %calc
zero:
  ret i64 0
calc:
  %q = udiv i32 %a, %g
  %q64 = zext i32 %q to i64
  %b64 = zext i32 %b to i64
  %r = mul i64 %q64, %b64
  ret i64 %r
}

define double @harmonic(i32 %n) #0 {
entry:
  br label %loop
loop:
  %k = phi i32 [ 1, %entry ], [ %k1, %loop ]
  %h = phi double [ 0.0, %entry ], [ %h1, %loop ]
  %kd = sitofp i32 %k to double
  %t = fdiv double 1.0, %kd
  %h1 = fadd double %h, %t
  %k1 = add i32 %k, 1
  %go = icmp sle i32 %k1, %n
  br i1 %go, label %loop, label %done
done:
  ret double %h1
}

; index at which the running sum of @table first exceeds lim, or -1
define i32 @first_over(i32 %lim) #0 {
entry:
  br label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %i1, %cont ]
  %s = phi i32 [ 0, %entry ], [ %s1, %cont ]
  %in = icmp ult i32 %i, 10
  br i1 %in, label %body, label %notfound
body:
  %p = getelementptr inbounds [10 x i32], ptr @table, i32 0, i32 %i
  %v = load i32, ptr %p
  %s1 = add i32 %s, %v
  %over = icmp sgt i32 %s1, %lim
  br i1 %over, label %found, label %cont
cont:
  %i1 = add i32 %i, 1
  br label %loop
found:
  ret i32 %i
notfound:
  ret i32 -1
}

attributes #0 = { nounwind }
