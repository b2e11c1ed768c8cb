; rig: 64-bit integer arithmetic that 32-bit ARM lowers to helper calls or multi-instruction sequences: i64 sdiv/udiv/srem/urem with variable operands, variable shifts and rotates, multiply, i64<->double conversions, ctlz/ctpop/bswap
; CALL: div64(-1000000000000, 7) == -142857142857
; CALL: div64(9223372036854775807, -3) == -3074457345618258602
; CALL: div64(5, 0) == 0
; CALL: div64(-9223372036854775808, -1) == -9223372036854775808
; CALL: udiv64(-1, 3) == 6148914691236517205
; CALL: udiv64(-9223372036854763463, 10) == 922337203685478815
; CALL: udiv64(7, 0) == 0
; CALL: srem64(-1000000000007, 10) == -7
; CALL: srem64(-9223372036854775808, -1) == 0
; CALL: urem64(-1, 10) == 5
; CALL: urem64(-9223372036854775808, 1000000007) == 291172004
; CALL: shl64(1, 40) == 1099511627776
; CALL: shl64(3, 63) == -9223372036854775808
; CALL: shl64(1, 65) == 2
; CALL: lshr64(-1, 4) == 1152921504606846975
; CALL: lshr64(-9223372036854775808, 63) == 1
; CALL: ashr64(-256, 4) == -16
; CALL: ashr64(-1, 63) == -1
; CALL: ashr64(9223372036854775807, 62) == 1
; CALL: rotl64(81985529216486895, 8) == 2541551405711093505
; CALL: rotl64(-9223372036854775807, 1) == 3
; CALL: rotl64(12345, 0) == 12345
; CALL: rotl64(81985529216486895, 68) == 1311768467463790320
; CALL: mul64(123456789, 987654321) == 121932631112635269
; CALL: mul64(4294967297, 4294967297) == 8589934593
; CALL: mul64(-3, 4611686018427387904) == 4611686018427387904
; CALL: mulhi_u32(-1, -1) == -2
; CALL: mulhi_u32(123456789, 987654321) == 28389652
; CALL: isqrt64(1000000000000000000) == 1000000000
; CALL: isqrt64(-1) == 4294967295
; CALL: isqrt64(99) == 9
; CALL: isqrt64(2) == 1
; CALL: powmod(2, 1000000, 1000000007) == 235042059
; CALL: powmod(3, 12345678901, 2147483647) == 1363666638
; CALL: powmod(5, 3, 0) == 0
; CALL: digits64(-1) == 20
; CALL: digits64(12345) == 5
; CALL: digits64(0) == 1
; CALL: clz64(1) == 63
; CALL: clz64(0) == 64
; CALL: clz64(4294967296) == 31
; CALL: popcount64(-1) == 64
; CALL: popcount64(81985529216486895) == 32
; CALL: bswap64(81985529216486895) == -1167088121787636991
; CALL: to_double(-9007199254740993) == -9007199254740992.0
; CALL: u_to_double(-1) == 1.8446744073709552e+19
; CALL: from_double(-1.5e18) == -1500000000000000000
; CALL: u_from_double(9.5e18) == -8946744073709551616
; RELOC: static pic

declare i64 @llvm.ctlz.i64(i64, i1)
declare i64 @llvm.ctpop.i64(i64)
declare i64 @llvm.bswap.i64(i64)

; a / b with a / 0 == 0 and INT64_MIN / -1 == INT64_MIN
define i64 @div64(i64 %a, i64 %b) #0 {
entry:
  %bz = icmp eq i64 %b, 0
  br i1 %bz, label %zero, label %chk
zero:
  ret i64 0
chk:
  %amin = icmp eq i64 %a, -9223372036854775808
  %bm1 = icmp eq i64 %b, -1
  %ovf = and i1 %amin, %bm1
  br i1 %ovf, label %wrap, label %div
wrap:
  ret i64 %a
div:
  %q = sdiv i64 %a, %b
  ret i64 %q
}

define i64 @udiv64(i64 %a, i64 %b) #0 {
entry:
  %bz = icmp eq i64 %b, 0
  br i1 %bz, label %zero, label %div
zero:
  ret i64 0
div:
  %q = udiv i64 %a, %b
  ret i64 %q
}

define i64 @srem64(i64 %a, i64 %b) #0 {
entry:
  %bz = icmp eq i64 %b, 0
  %bm1 = icmp eq i64 %b, -1
  %bad = or i1 %bz, %bm1
  br i1 %bad, label %zero, label %rem
zero:
  ret i64 0
rem:
  %r = srem i64 %a, %b
  ret i64 %r
}

define i64 @urem64(i64 %a, i64 %b) #0 {
entry:
  %bz = icmp eq i64 %b, 0
  br i1 %bz, label %zero, label %rem
zero:
  ret i64 %a
rem:
  %r = urem i64 %a, %b
  ret i64 %r
}

define i64 @shl64(i64 %x, i32 %s) #0 {
  %m = and i32 %s, 63
  %s64 = zext i32 %m to i64
  %r = shl i64 %x, %s64
  ret i64 %r
}

define i64 @lshr64(i64 %x, i32 %s) #0 {
  %m = and i32 %s, 63
  %s64 = zext i32 %m to i64
  %r = lshr i64 %x, %s64
  ret i64 %r
}

define i64 @ashr64(i64 %x, i32 %s) #0 {
  %m = and i32 %s, 63
  %s64 = zext i32 %m to i64
  %r = ashr i64 %x, %s64
  ret i64 %r
}

; rotate left by s mod 64, written with two variable shifts
define i64 @rotl64(i64 %x, i32 %s) #0 {
  %m = and i32 %s, 63
  %l = zext i32 %m to i64
  %neg = sub i64 64, %l
  %rr = and i64 %neg, 63
  %a = shl i64 %x, %l
  %b = lshr i64 %x, %rr
  %r = or i64 %a, %b
  ret i64 %r
}

define i64 @mul64(i64 %a, i64 %b) #0 {
  %r = mul i64 %a, %b
  ret i64 %r
}

; high 32 bits of the unsigned 64-bit product
define i32 @mulhi_u32(i32 %a, i32 %b) #0 {
  %a6 = zext i32 %a to i64
  %b6 = zext i32 %b to i64
  %p = mul i64 %a6, %b6
  %h = lshr i64 %p, 32
  %r = trunc i64 %h to i32
  ret i32 %r
}

; floor(sqrt(n)) for n taken as unsigned, Newton iteration with udiv
define i64 @isqrt64(i64 %n) #0 {
entry:
  %small = icmp ult i64 %n, 2
  br i1 %small, label %ret_n, label %init
ret_n:
  ret i64 %n
init:
  %h = lshr i64 %n, 1
  %odd = and i64 %n, 1
  %y0 = add i64 %h, %odd
  br label %loop
loop:
  %x = phi i64 [ %n, %init ], [ %y, %body ]
  %y = phi i64 [ %y0, %init ], [ %y1, %body ]
  %less = icmp ult i64 %y, %x
  br i1 %less, label %body, label %done
body:
  %q = udiv i64 %n, %y
  %s = add i64 %y, %q
  %y1 = lshr i64 %s, 1
  br label %loop
done:
  ret i64 %x
}

; b^e mod m by square and multiply, 0 < m < 2^32 (0 when m is 0)
define i64 @powmod(i64 %b, i64 %e, i64 %m) #0 {
check:
  %mz = icmp eq i64 %m, 0
  br i1 %mz, label %zero, label %entry
zero:
  ret i64 0
entry:
  %b0 = urem i64 %b, %m
  br label %loop
loop:
  %r = phi i64 [ 1, %entry ], [ %r1, %next ]
  %bb = phi i64 [ %b0, %entry ], [ %bb1, %next ]
  %ee = phi i64 [ %e, %entry ], [ %ee1, %next ]
  %done = icmp eq i64 %ee, 0
  br i1 %done, label %out, label %step
step:
  %bit = and i64 %ee, 1
  %set = icmp ne i64 %bit, 0
  %rm = mul i64 %r, %bb
  %rmod = urem i64 %rm, %m
  %r1 = select i1 %set, i64 %rmod, i64 %r
  %sq = mul i64 %bb, %bb
  %bb1 = urem i64 %sq, %m
  %ee1 = lshr i64 %ee, 1
  br label %next
next:
  br label %loop
out:
  ret i64 %r
}

; number of decimal digits of n taken as unsigned
define i32 @digits64(i64 %n) #0 {
entry:
  br label %loop
loop:
  %v = phi i64 [ %n, %entry ], [ %v1, %loop ]
  %c = phi i32 [ 0, %entry ], [ %c1, %loop ]
  %v1 = udiv i64 %v, 10
  %c1 = add i32 %c, 1
  %more = icmp ne i64 %v1, 0
  br i1 %more, label %loop, label %done
done:
  ret i32 %c1
}

define i32 @clz64(i64 %x) #0 {
  %c = call i64 @llvm.ctlz.i64(i64 %x, i1 false)
  %r = trunc i64 %c to i32
  ret i32 %r
}

define i32 @popcount64(i64 %x) #0 {
  %c = call i64 @llvm.ctpop.i64(i64 %x)
  %r = trunc i64 %c to i32
  ret i32 %r
}

define i64 @bswap64(i64 %x) #0 {
  %r = call i64 @llvm.bswap.i64(i64 %x)
  ret i64 %r
}

define double @to_double(i64 %x) #0 {
  %r = sitofp i64 %x to double
  ret double %r
}

define double @u_to_double(i64 %x) #0 {
  %r = uitofp i64 %x to double
  ret double %r
}

define i64 @from_double(double %x) #0 {
  %r = fptosi double %x to i64
  ret i64 %r
}

define i64 @u_from_double(double %x) #0 {
  %r = fptoui double %x to i64
  ret i64 %r
}

attributes #0 = { nounwind }
