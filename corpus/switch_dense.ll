; rig: dense switch statements that lower to jump tables (i32 with 12 cases, an offset range 100..111, i64 selector, i8 character classes in a loop over a constant string)
; CALL: sw(0, 1000) == 1001
; CALL: sw(1, 1000) == 3000
; CALL: sw(2, 1000) == 900
; CALL: sw(3, 1000) == 22962
; CALL: sw(4, 1000) == 4000
; CALL: sw(5, 1000) == 500
; CALL: sw(6, 1000) == -1000
; CALL: sw(7, 1000) == 1000000
; CALL: sw(8, 1000) == 232
; CALL: sw(9, 1000) == 1000
; CALL: sw(10, 1000) == 6
; CALL: sw(11, 1000) == 502
; CALL: sw(12, 1000) == -999
; CALL: sw(-1, 1000) == -999
; CALL: sw(3, -77) == -23063
; CALL: sw(5, -77) == -39
; CALL: sw(10, -77) == 0
; CALL: sw(11, -77) == -36
; CALL: days_in_month(2, 0) == 28
; CALL: days_in_month(2, 1) == 29
; CALL: days_in_month(9, 0) == 30
; CALL: days_in_month(13, 0) == 0
; CALL: year_days(0) == 365
; CALL: year_days(1) == 366
; CALL: offset_case(100) == 7
; CALL: offset_case(105) == 1105
; CALL: offset_case(111) == -111
; CALL: offset_case(99) == 0
; CALL: sw64(1, 123456789012) == -5670418639769338228
; CALL: sw64(2, 123456789012) == 15432098626
; CALL: sw64(5, 123456789012) == 4568148269394301328
; CALL: sw64(6, -5) == 281470681808891
; CALL: sw64(9, -5) == -1000000000005
; CALL: sw64(10, -5) == 0
; CALL: sw64(-1, -5) == 0
; CALL: count_classes() == 2040706
; RELOC: static pic

@expr = private unnamed_addr constant [21 x i8] c"(12 + 34) * 5 - x/7\0A\00"

define i32 @sw(i32 %sel, i32 %x) #0 {
entry:
  switch i32 %sel, label %def [
    i32 0, label %c0
    i32 1, label %c1
    i32 2, label %c2
    i32 3, label %c3
    i32 4, label %c4
    i32 5, label %c5
    i32 6, label %c6
    i32 7, label %c7
    i32 8, label %c8
    i32 9, label %c9
    i32 10, label %c10
    i32 11, label %c11
  ]
c0:
  %r0 = add i32 %x, 1
  br label %out
c1:
  %r1 = mul i32 %x, 3
  br label %out
c2:
  %r2 = sub i32 %x, 100
  br label %out
c3:
  %r3 = xor i32 %x, 23130
  br label %out
c4:
  %r4 = shl i32 %x, 2
  br label %out
c5:
  %r5 = ashr i32 %x, 1
  br label %out
c6:
  %r6 = sub i32 0, %x
  br label %out
c7:
  %r7 = mul i32 %x, %x
  br label %out
c8:
  %r8 = and i32 %x, 255
  br label %out
c9:
  %r9 = or i32 %x, 256
  br label %out
c10:
  %r10 = srem i32 %x, 7
  br label %out
c11:
  %t11 = add i32 %x, 5
  %r11 = sdiv i32 %t11, 2
  br label %out
def:
  br label %out
out:
  %r = phi i32 [ %r0, %c0 ], [ %r1, %c1 ], [ %r2, %c2 ], [ %r3, %c3 ], [ %r4, %c4 ],
               [ %r5, %c5 ], [ %r6, %c6 ], [ %r7, %c7 ], [ %r8, %c8 ], [ %r9, %c9 ],
               [ %r10, %c10 ], [ %r11, %c11 ], [ -999, %def ]
  ret i32 %r
}

define i32 @days_in_month(i32 %m, i32 %leap) #0 {
entry:
  switch i32 %m, label %bad [
    i32 1, label %d31
    i32 2, label %feb
    i32 3, label %d31
    i32 4, label %d30
    i32 5, label %d31
    i32 6, label %d30
    i32 7, label %d31
    i32 8, label %d31
    i32 9, label %d30
    i32 10, label %d31
    i32 11, label %d30
    i32 12, label %d31
  ]
d31:
  ret i32 31
d30:
  ret i32 30
feb:
  %l = and i32 %leap, 1
  %f = add i32 28, %l
  ret i32 %f
bad:
  ret i32 0
}

define i32 @year_days(i32 %leap) #0 {
entry:
  br label %loop
loop:
  %m = phi i32 [ 1, %entry ], [ %m1, %loop ]
  %acc = phi i32 [ 0, %entry ], [ %acc1, %loop ]
  %d = call i32 @days_in_month(i32 %m, i32 %leap)
  %acc1 = add i32 %acc, %d
  %m1 = add i32 %m, 1
  %more = icmp sle i32 %m1, 12
  br i1 %more, label %loop, label %done
done:
  ret i32 %acc1
}

; cases 100..111: the jump table index is biased by the lowest case
define i32 @offset_case(i32 %v) #0 {
entry:
  switch i32 %v, label %def [
    i32 100, label %a
    i32 101, label %b
    i32 102, label %c
    i32 103, label %d
    i32 104, label %e
    i32 105, label %f
    i32 106, label %g
    i32 107, label %h
    i32 108, label %a
    i32 109, label %c
    i32 110, label %e
    i32 111, label %i
  ]
a:
  ret i32 7
b:
  %rb = mul i32 %v, 2
  ret i32 %rb
c:
  %rc = add i32 %v, 3
  ret i32 %rc
d:
  %rd = sub i32 %v, 3
  ret i32 %rd
e:
  %re = xor i32 %v, 1
  ret i32 %re
f:
  %rf = add i32 %v, 1000
  ret i32 %rf
g:
  %rg = shl i32 %v, 3
  ret i32 %rg
h:
  %rh = lshr i32 %v, 1
  ret i32 %rh
i:
  %ri = sub i32 0, %v
  ret i32 %ri
def:
  ret i32 0
}

define i64 @sw64(i64 %sel, i64 %v) #0 {
entry:
  switch i64 %sel, label %def [
    i64 0, label %c0
    i64 1, label %c1
    i64 2, label %c2
    i64 3, label %c3
    i64 4, label %c4
    i64 5, label %c5
    i64 6, label %c6
    i64 7, label %c7
    i64 8, label %c8
    i64 9, label %c9
  ]
c0:
  %r0 = add i64 %v, 1
  br label %out
c1:
  %r1 = mul i64 %v, 1000000007
  br label %out
c2:
  %r2 = ashr i64 %v, 3
  br label %out
c3:
  %r3 = xor i64 %v, -1
  br label %out
c4:
  %r4 = sub i64 %v, 1
  br label %out
c5:
  %r5 = mul i64 %v, %v
  br label %out
c6:
  %r6 = and i64 %v, 281470681808895
  br label %out
c7:
  %r7 = add i64 %v, %v
  br label %out
c8:
  %r8 = or i64 %v, 1099511627776
  br label %out
c9:
  %r9 = sub i64 %v, 1000000000000
  br label %out
def:
  br label %out
out:
  %r = phi i64 [ %r0, %c0 ], [ %r1, %c1 ], [ %r2, %c2 ], [ %r3, %c3 ], [ %r4, %c4 ],
               [ %r5, %c5 ], [ %r6, %c6 ], [ %r7, %c7 ], [ %r8, %c8 ], [ %r9, %c9 ], [ 0, %def ]
  ret i64 %r
}

; 1 digit, 2 blank, 3 operator, 4 parenthesis, 0 anything else
define internal i32 @char_class(i8 %c) #0 {
entry:
  switch i8 %c, label %other [
    i8 48, label %digit
    i8 49, label %digit
    i8 50, label %digit
    i8 51, label %digit
    i8 52, label %digit
    i8 53, label %digit
    i8 54, label %digit
    i8 55, label %digit
    i8 56, label %digit
    i8 57, label %digit
    i8 32, label %blank
    i8 9, label %blank
    i8 10, label %blank
    i8 43, label %op
    i8 45, label %op
    i8 42, label %op
    i8 47, label %op
    i8 40, label %paren
    i8 41, label %paren
  ]
digit:
  ret i32 1
blank:
  ret i32 2
op:
  ret i32 3
paren:
  ret i32 4
other:
  ret i32 0
}

; digits + 100*blanks + 10000*operators + 1000000*parens over @expr
define i32 @count_classes() #0 {
entry:
  br label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %i1, %next ]
  %acc = phi i32 [ 0, %entry ], [ %acc1, %next ]
  %p = getelementptr inbounds [21 x i8], ptr @expr, i32 0, i32 %i
  %c = load i8, ptr %p
  %end = icmp eq i8 %c, 0
  br i1 %end, label %done, label %body
body:
  %k = call i32 @char_class(i8 %c)
  switch i32 %k, label %w0 [
    i32 1, label %w1
    i32 2, label %w2
    i32 3, label %w3
    i32 4, label %w4
  ]
w0:
  br label %next
w1:
  br label %next
w2:
  br label %next
w3:
  br label %next
w4:
  br label %next
next:
  %w = phi i32 [ 0, %w0 ], [ 1, %w1 ], [ 100, %w2 ], [ 10000, %w3 ], [ 1000000, %w4 ]
  %acc1 = add i32 %acc, %w
  %i1 = add i32 %i, 1
  br label %loop
done:
  ret i32 %acc
}

attributes #0 = { nounwind }
