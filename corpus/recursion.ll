; rig: plain and mutual recursion (fib, ackermann, gcd on i64, factorial, binomial, hanoi with a global move counter)
; CALL: fib(0) == 0
; CALL: fib(1) == 1
; CALL: fib(20) == 6765
; CALL: ack(2, 3) == 9
; CALL: ack(3, 3) == 61
; CALL: gcd(1071, 462) == 21
; CALL: gcd(1234567890123, 9876543210) == 3
; CALL: is_even(100) == 1
; CALL: is_odd(100) == 0
; CALL: is_odd(37) == 1
; CALL: fact(20) == 2432902008176640000
; CALL: binom(16, 8) == 12870
; CALL: hanoi(10) == 1023
; CALL: hanoi(3) == 7
; CALL: total_moves() == 1030
; RELOC: static pic

@moves = internal global i32 0
@total = global i32 0

define i32 @fib(i32 %n) {
entry:
  %small = icmp slt i32 %n, 2
  br i1 %small, label %base, label %rec
base:
  ret i32 %n
rec:
  %n1 = sub i32 %n, 1
  %n2 = sub i32 %n, 2
  %a = call i32 @fib(i32 %n1)
  %b = call i32 @fib(i32 %n2)
  %s = add i32 %a, %b
  ret i32 %s
}

; ackermann-peter, only for small m, n
define i32 @ack(i32 %m, i32 %n) {
entry:
  %m0 = icmp eq i32 %m, 0
  br i1 %m0, label %m_zero, label %m_pos
m_zero:
  %r0 = add i32 %n, 1
  ret i32 %r0
m_pos:
  %m1 = sub i32 %m, 1
  %n0 = icmp eq i32 %n, 0
  br i1 %n0, label %n_zero, label %n_pos
n_zero:
  %r1 = call i32 @ack(i32 %m1, i32 1)
  ret i32 %r1
n_pos:
  %nm1 = sub i32 %n, 1
  %inner = call i32 @ack(i32 %m, i32 %nm1)
  %r2 = call i32 @ack(i32 %m1, i32 %inner)
  ret i32 %r2
}

; euclid on non-negative i64 (urem with a variable divisor: a helper call on 32-bit ARM)
define i64 @gcd(i64 %a, i64 %b) {
entry:
  %bz = icmp eq i64 %b, 0
  br i1 %bz, label %done, label %step
done:
  ret i64 %a
step:
  %r = urem i64 %a, %b
  %g = call i64 @gcd(i64 %b, i64 %r)
  ret i64 %g
}

define i1 @is_even(i32 %n) {
entry:
  %z = icmp eq i32 %n, 0
  br i1 %z, label %yes, label %rec
yes:
  ret i1 true
rec:
  %n1 = sub i32 %n, 1
  %r = call i1 @is_odd(i32 %n1)
  ret i1 %r
}

define i1 @is_odd(i32 %n) {
entry:
  %z = icmp eq i32 %n, 0
  br i1 %z, label %no, label %rec
no:
  ret i1 false
rec:
  %n1 = sub i32 %n, 1
  %r = call i1 @is_even(i32 %n1)
  ret i1 %r
}

define i64 @fact(i64 %n) {
entry:
  %le1 = icmp sle i64 %n, 1
  br i1 %le1, label %one, label %rec
one:
  ret i64 1
rec:
  %n1 = sub i64 %n, 1
  %f = call i64 @fact(i64 %n1)
  %r = mul i64 %n, %f
  ret i64 %r
}

define i32 @binom(i32 %n, i32 %k) {
entry:
  %k0 = icmp eq i32 %k, 0
  %kn = icmp eq i32 %k, %n
  %edge = or i1 %k0, %kn
  br i1 %edge, label %one, label %rec
one:
  ret i32 1
rec:
  %n1 = sub i32 %n, 1
  %k1 = sub i32 %k, 1
  %a = call i32 @binom(i32 %n1, i32 %k1)
  %b = call i32 @binom(i32 %n1, i32 %k)
  %s = add i32 %a, %b
  ret i32 %s
}

define internal void @move_tower(i32 %n, i32 %from, i32 %to, i32 %via) {
entry:
  %z = icmp eq i32 %n, 0
  br i1 %z, label %done, label %rec
rec:
  %n1 = sub i32 %n, 1
  call void @move_tower(i32 %n1, i32 %from, i32 %via, i32 %to)
  %m = load i32, ptr @moves
  %m1 = add i32 %m, 1
  store i32 %m1, ptr @moves
  call void @move_tower(i32 %n1, i32 %via, i32 %to, i32 %from)
  br label %done
done:
  ret void
}

; moves needed for n discs; also accumulated into @total across calls
define i32 @hanoi(i32 %n) {
entry:
  store i32 0, ptr @moves
  call void @move_tower(i32 %n, i32 1, i32 3, i32 2)
  %m = load i32, ptr @moves
  %t = load i32, ptr @total
  %t1 = add i32 %t, %m
  store i32 %t1, ptr @total
  ret i32 %m
}

define i32 @total_moves() {
entry:
  %t = load i32, ptr @total
  ret i32 %t
}
