; rig: 128-bit integers on the 64-bit targets: i128 multiply, udiv/urem/sdiv/srem with variable operands (compiler-rt/libgcc helper calls), shifts, i128 parameters and returns
; CALL: mul128(9223372036854775807, 9223372036854775807) == 85070591730234615847396907784232501249
; CALL: mul128(-9223372036854775808, 9223372036854775807) == -85070591730234615856620279821087277056
; CALL: mulhi64(-1, -1) == -2
; CALL: mulhi64(123456789012345678, 987654321098765432) == 6609981178781634
; CALL: fact128(30) == 265252859812191058636308480000000
; CALL: fact128(34) == -45049567881334322615755997788248211456
; CALL: digit_sum128(30, 10) == 117
; CALL: digit_sum128(30, 16) == 165
; CALL: digit_sum128(33, 7) == 150
; CALL: ndigits128(33) == 37
; CALL: add128(1267650600209782657422993653760, -18446744073709551616) == 1267650600191335913349284102144
; CALL: add128(-1, 1) == 0
; CALL: shl128(12345, 100) == 15649146659817491961476801070366720
; CALL: shl128(3, 127) == -170141183460469231731687303715884105728
; CALL: shl128(1, 129) == 2
; CALL: sdiv128_lo(-6, 12349, 7) == 2635249153387080567
; CALL: srem128_lo(-6, 12349, 7) == -4
; CALL: sdiv128_lo(123456789, 987654321, -1000003) == -8419437671809499107
; CALL: srem128_lo(123456789, 987654321, -1000003) == 731720
; CALL: sdiv128_lo(1, 1, 0) == 0
; RELOC: static pic
; TARGETS: x86_64 aarch64

@last_fact = global i128 0, align 16

define i128 @mul128(i64 %a, i64 %b) #0 {
  %x = sext i64 %a to i128
  %y = sext i64 %b to i128
  %r = mul i128 %x, %y
  ret i128 %r
}

; high 64 bits of the unsigned 128-bit product
define i64 @mulhi64(i64 %a, i64 %b) #0 {
  %x = zext i64 %a to i128
  %y = zext i64 %b to i128
  %p = mul i128 %x, %y
  %h = lshr i128 %p, 64
  %r = trunc i128 %h to i64
  ret i64 %r
}

; n! modulo 2^128, also stored in a global
define i128 @fact128(i32 %n) #0 {
entry:
  br label %loop
loop:
  %i = phi i32 [ 1, %entry ], [ %i1, %body ]
  %acc = phi i128 [ 1, %entry ], [ %acc1, %body ]
  %more = icmp sle i32 %i, %n
  br i1 %more, label %body, label %done
body:
  %iw = zext i32 %i to i128
  %acc1 = mul i128 %acc, %iw
  %i1 = add i32 %i, 1
  br label %loop
done:
  store i128 %acc, ptr @last_fact, align 16
  ret i128 %acc
}

; sum of the base-`base` digits of n! (n <= 33), with a variable divisor
define i32 @digit_sum128(i32 %n, i64 %base) #0 {
entry:
  %ok = icmp ugt i64 %base, 1
  br i1 %ok, label %go, label %bad
bad:
  ret i32 -1
go:
  %f = call i128 @fact128(i32 %n)
  %b = zext i64 %base to i128
  br label %loop
loop:
  %v = phi i128 [ %f, %go ], [ %v1, %loop ]
  %s = phi i32 [ 0, %go ], [ %s1, %loop ]
  %d = urem i128 %v, %b
  %v1 = udiv i128 %v, %b
  %d32 = trunc i128 %d to i32
  %s1 = add i32 %s, %d32
  %more = icmp ne i128 %v1, 0
  br i1 %more, label %loop, label %done
done:
  ret i32 %s1
}

; decimal digits of n! (division by a constant)
define i32 @ndigits128(i32 %n) #0 {
entry:
  %f = call i128 @fact128(i32 %n)
  br label %loop
loop:
  %v = phi i128 [ %f, %entry ], [ %v1, %loop ]
  %c = phi i32 [ 0, %entry ], [ %c1, %loop ]
  %v1 = udiv i128 %v, 10
  %c1 = add i32 %c, 1
  %more = icmp ne i128 %v1, 0
  br i1 %more, label %loop, label %done
done:
  ret i32 %c1
}

define i128 @add128(i128 %a, i128 %b) #0 {
  %r = add i128 %a, %b
  ret i128 %r
}

define i128 @shl128(i128 %x, i32 %s) #0 {
  %m = and i32 %s, 127
  %w = zext i32 %m to i128
  %r = shl i128 %x, %w
  ret i128 %r
}

; low 64 bits of ((hi << 64) | lo) / d, signed; 0 when d is 0 or -1
define i64 @sdiv128_lo(i64 %hi, i64 %lo, i64 %d) #0 {
entry:
  %dz = icmp eq i64 %d, 0
  %dm1 = icmp eq i64 %d, -1
  %bad = or i1 %dz, %dm1
  br i1 %bad, label %zero, label %div
zero:
  ret i64 0
div:
  %h = sext i64 %hi to i128
  %hs = shl i128 %h, 64
  %l = zext i64 %lo to i128
  %v = or i128 %hs, %l
  %dd = sext i64 %d to i128
  %q = sdiv i128 %v, %dd
  %r = trunc i128 %q to i64
  ret i64 %r
}

define i64 @srem128_lo(i64 %hi, i64 %lo, i64 %d) #0 {
entry:
  %dz = icmp eq i64 %d, 0
  %dm1 = icmp eq i64 %d, -1
  %bad = or i1 %dz, %dm1
  br i1 %bad, label %zero, label %div
zero:
  ret i64 0
div:
  %h = sext i64 %hi to i128
  %hs = shl i128 %h, 64
  %l = zext i64 %lo to i128
  %v = or i128 %hs, %l
  %dd = sext i64 %d to i128
  %q = srem i128 %v, %dd
  %r = trunc i128 %q to i64
  ret i64 %r
}

attributes #0 = { nounwind }
