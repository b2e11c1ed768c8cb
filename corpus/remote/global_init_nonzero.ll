; rig: initialized globals with nonzero values of every width (i8, i16, i32, i64, float, double, an array, a struct, one in a named section) hold their initial values, are modified in a loop (a counter starting at 1 incremented 49 times, an array and struct updated in place) and read back; LLVM's test-global-init-nonzero-remote and test-global-init-nonzero-sm-pic (RELOC pic); the result is the exit status only
; RELOC: static pic
; STATUS: 0

; Failure statuses: 1..9 an initial value is wrong (in declaration order below),
; 10 the counter is not 50 after the loop, 11 the array, 12 the struct, 13 the
; i64, 14 the named-section global after their updates.

@count = global i32 1, align 4
@small = global i8 -3
@half = global i16 4660
@big = global i64 -81985529216486896
@ratio = global double 7.500000e-01
@flt = global float 1.500000e+00
@arr = global [4 x i32] [i32 10, i32 20, i32 30, i32 40]
@rec = global { i32, i16, i8, i64 } { i32 -100, i16 200, i8 7, i64 1099511627776 }
@named = global i32 99, section ".data.nonzero"

define i32 @bump(ptr %p) noinline nounwind {
entry:
  %v = load i32, ptr %p
  %v1 = add i32 %v, 1
  store i32 %v1, ptr %p
  ret i32 %v1
}

define i32 @main() nounwind {
entry:
  %c = load i32, ptr @count
  %c_ok = icmp eq i32 %c, 1
  br i1 %c_ok, label %i2, label %bad1
i2:
  %s = load i8, ptr @small
  %s_ok = icmp eq i8 %s, -3
  br i1 %s_ok, label %i3, label %bad2
i3:
  %h = load i16, ptr @half
  %h_ok = icmp eq i16 %h, 4660
  br i1 %h_ok, label %i4, label %bad3
i4:
  %b = load i64, ptr @big
  %b_ok = icmp eq i64 %b, -81985529216486896
  br i1 %b_ok, label %i5, label %bad4
i5:
  %r = load double, ptr @ratio
  %r_ok = fcmp oeq double %r, 7.500000e-01
  br i1 %r_ok, label %i6, label %bad5
i6:
  %f = load float, ptr @flt
  %f_ok = fcmp oeq float %f, 1.500000e+00
  br i1 %f_ok, label %i7, label %bad6
i7:
  %a0 = load i32, ptr @arr
  %a3 = load i32, ptr getelementptr ([4 x i32], ptr @arr, i32 0, i32 3)
  %a03 = add i32 %a0, %a3
  %a_ok = icmp eq i32 %a03, 50
  br i1 %a_ok, label %i8, label %bad7
i8:
  %rp0 = getelementptr { i32, i16, i8, i64 }, ptr @rec, i32 0, i32 0
  %rp1 = getelementptr { i32, i16, i8, i64 }, ptr @rec, i32 0, i32 1
  %rp2 = getelementptr { i32, i16, i8, i64 }, ptr @rec, i32 0, i32 2
  %rp3 = getelementptr { i32, i16, i8, i64 }, ptr @rec, i32 0, i32 3
  %r0 = load i32, ptr %rp0
  %r1 = load i16, ptr %rp1
  %r2 = load i8, ptr %rp2
  %r3 = load i64, ptr %rp3
  %r0ok = icmp eq i32 %r0, -100
  %r1ok = icmp eq i16 %r1, 200
  %r2ok = icmp eq i8 %r2, 7
  %r3ok = icmp eq i64 %r3, 1099511627776
  %ra = and i1 %r0ok, %r1ok
  %rb = and i1 %r2ok, %r3ok
  %rec_ok = and i1 %ra, %rb
  br i1 %rec_ok, label %i9, label %bad8
i9:
  %n = load i32, ptr @named
  %n_ok = icmp eq i32 %n, 99
  br i1 %n_ok, label %loop, label %bad9

loop:                                       ; count += 1, 49 times; arr[i % 4] += count
  %i = phi i32 [ 0, %i9 ], [ %i1, %loop ]
  %cv = call i32 @bump(ptr @count)
  %im = and i32 %i, 3
  %ap = getelementptr [4 x i32], ptr @arr, i32 0, i32 %im
  %av = load i32, ptr %ap
  %av1 = add i32 %av, %cv
  store i32 %av1, ptr %ap
  %i1 = add i32 %i, 1
  %more = icmp slt i32 %i1, 49
  br i1 %more, label %loop, label %after

after:
  %cf = load volatile i32, ptr @count
  %cf_ok = icmp eq i32 %cf, 50
  br i1 %cf_ok, label %check_arr, label %bad10
check_arr:                                  ; 100 + (2 + 3 + ... + 50) = 1374, arr[0] = 10 + 2 + 6 + ... + 50 = 348
  %x0 = load volatile i32, ptr @arr
  %x1 = load volatile i32, ptr getelementptr ([4 x i32], ptr @arr, i32 0, i32 1)
  %x2 = load volatile i32, ptr getelementptr ([4 x i32], ptr @arr, i32 0, i32 2)
  %x3 = load volatile i32, ptr getelementptr ([4 x i32], ptr @arr, i32 0, i32 3)
  %xs1 = add i32 %x0, %x1
  %xs2 = add i32 %xs1, %x2
  %xs = add i32 %xs2, %x3
  %x0ok = icmp eq i32 %x0, 348
  %xsok = icmp eq i32 %xs, 1374
  %arr_ok = and i1 %x0ok, %xsok
  br i1 %arr_ok, label %update_rec, label %bad11
update_rec:                                 ; rec.a -= 1; rec.b *= 3; rec.c ^= 0x70; rec.d += rec.a
  %q0 = load i32, ptr %rp0
  %q0n = sub i32 %q0, 1
  store i32 %q0n, ptr %rp0
  %q1 = load i16, ptr %rp1
  %q1n = mul i16 %q1, 3
  store i16 %q1n, ptr %rp1
  %q2 = load i8, ptr %rp2
  %q2n = xor i8 %q2, 112
  store i8 %q2n, ptr %rp2
  %q3 = load i64, ptr %rp3
  %q0w = sext i32 %q0n to i64
  %q3n = add i64 %q3, %q0w
  store i64 %q3n, ptr %rp3
  %y0 = load volatile i32, ptr %rp0
  %y1 = load volatile i16, ptr %rp1
  %y2 = load volatile i8, ptr %rp2
  %y3 = load volatile i64, ptr %rp3
  %y0ok = icmp eq i32 %y0, -101
  %y1ok = icmp eq i16 %y1, 600
  %y2ok = icmp eq i8 %y2, 119
  %y3ok = icmp eq i64 %y3, 1099511627675
  %ya = and i1 %y0ok, %y1ok
  %yb = and i1 %y2ok, %y3ok
  %yok = and i1 %ya, %yb
  br i1 %yok, label %update_big, label %bad12
update_big:                                 ; big ^= -1 (i.e. ~big); named += count
  %bb = load i64, ptr @big
  %bbn = xor i64 %bb, -1
  store i64 %bbn, ptr @big
  %bz = load volatile i64, ptr @big
  %bz_ok = icmp eq i64 %bz, 81985529216486895
  br i1 %bz_ok, label %update_named, label %bad13
update_named:
  %nn = load i32, ptr @named
  %nn1 = add i32 %nn, %cf
  store i32 %nn1, ptr @named
  %nz = load volatile i32, ptr @named
  %nz_ok = icmp eq i32 %nz, 149
  br i1 %nz_ok, label %done, label %bad14
done:
  ret i32 0

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
bad10:
  ret i32 10
bad11:
  ret i32 11
bad12:
  ret i32 12
bad13:
  ret i32 13
bad14:
  ret i32 14
}
