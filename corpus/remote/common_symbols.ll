; rig: COMMON symbols of eight sizes and alignments (1, 2, 4, 8, 16, 32 and 64 bytes; a double, arrays of i32, i64 and odd-sized byte arrays) start zeroed and aligned (addresses read from a table), are all written, then summed; a prefix-sum over the common i32 array indexed through a common int; LLVM's test-common-symbols-remote; the result is the exit status only
; RELOC: static pic
; STATUS: 0

; Failure statuses: 10 + k when the k-th entry of @addrs is misaligned, 20 when
; something is not zero at the start, 21 when the double is not below 1.0 at the
; start, 22 when the prefix sums are wrong, 23 when the total of everything written
; is wrong.

@c_byte = common global i8 0, align 1
@c_half = common global i16 0, align 2
@c_word = common global i32 0, align 4
@c_dbl = common global double 0.000000e+00, align 8
@c_arr = common global [10 x i32] zeroinitializer, align 16
@c_big = common global [5 x i64] zeroinitializer, align 32
@c_odd = common global [13 x i8] zeroinitializer, align 1
@c_page = common global [100 x i8] zeroinitializer, align 64

@addrs = global [8 x ptr] [ptr @c_byte, ptr @c_half, ptr @c_word, ptr @c_dbl, ptr @c_arr, ptr @c_big, ptr @c_odd,
                           ptr @c_page]
@aligns = constant [8 x i32] [i32 1, i32 2, i32 4, i32 8, i32 16, i32 32, i32 1, i32 64]

define ptr @addr(i32 %k) noinline nounwind {
entry:
  %p = getelementptr [8 x ptr], ptr @addrs, i32 0, i32 %k
  %a = load volatile ptr, ptr %p
  ret ptr %a
}

; OR of `n` bytes from `p`
define i32 @or_bytes(ptr %p, i32 %n) noinline nounwind {
entry:
  br label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %i1, %loop ]
  %acc = phi i32 [ 0, %entry ], [ %acc1, %loop ]
  %bp = getelementptr i8, ptr %p, i32 %i
  %b = load i8, ptr %bp
  %bz = zext i8 %b to i32
  %acc1 = or i32 %acc, %bz
  %i1 = add i32 %i, 1
  %more = icmp slt i32 %i1, %n
  br i1 %more, label %loop, label %out
out:
  ret i32 %acc1
}

define i32 @main() nounwind {
entry:
  br label %align_loop

align_loop:
  %k = phi i32 [ 0, %entry ], [ %k1, %aligned ]
  %a = call ptr @addr(i32 %k)
  %ai = ptrtoint ptr %a to i32
  %alp = getelementptr [8 x i32], ptr @aligns, i32 0, i32 %k
  %al = load volatile i32, ptr %alp
  %mask = sub i32 %al, 1
  %low = and i32 %ai, %mask
  %ok = icmp eq i32 %low, 0
  br i1 %ok, label %aligned, label %misaligned
aligned:
  %k1 = add i32 %k, 1
  %more = icmp slt i32 %k1, 8
  br i1 %more, label %align_loop, label %zeroed
misaligned:
  %code = add i32 %k, 10
  ret i32 %code

zeroed:                                     ; every byte of every common symbol is 0
  %z0 = call i32 @or_bytes(ptr @c_byte, i32 1)
  %z1 = call i32 @or_bytes(ptr @c_half, i32 2)
  %z2 = call i32 @or_bytes(ptr @c_word, i32 4)
  %z3 = call i32 @or_bytes(ptr @c_dbl, i32 8)
  %z4 = call i32 @or_bytes(ptr @c_arr, i32 40)
  %z5 = call i32 @or_bytes(ptr @c_big, i32 40)
  %z6 = call i32 @or_bytes(ptr @c_odd, i32 13)
  %z7 = call i32 @or_bytes(ptr @c_page, i32 100)
  %or1 = or i32 %z0, %z1
  %or2 = or i32 %or1, %z2
  %or3 = or i32 %or2, %z3
  %or4 = or i32 %or3, %z4
  %or5 = or i32 %or4, %z5
  %or6 = or i32 %or5, %z6
  %or7 = or i32 %or6, %z7
  %allzero = icmp eq i32 %or7, 0
  br i1 %allzero, label %prefix, label %bad_zero

prefix:                                     ; c_arr[c_word + 4] = 25; if (c_dbl < 1) c_arr[c_word + 1] = 60
  %w0 = load i32, ptr @c_word
  %i4 = add i32 %w0, 4
  %p4 = getelementptr [10 x i32], ptr @c_arr, i32 0, i32 %i4
  store i32 25, ptr %p4
  %d0 = load double, ptr @c_dbl
  %below = fcmp olt double %d0, 1.000000e+00
  br i1 %below, label %set1, label %bad_dbl
set1:
  %i1x = add i32 %w0, 1
  %p1 = getelementptr [10 x i32], ptr @c_arr, i32 0, i32 %i1x
  store i32 60, ptr %p1
  br label %scan
scan:                                       ; c_arr[i] += c_arr[i - 1]
  %j = phi i32 [ 1, %set1 ], [ %j1, %scan ]
  %jm = sub i32 %j, 1
  %pm = getelementptr [10 x i32], ptr @c_arr, i32 0, i32 %jm
  %pj = getelementptr [10 x i32], ptr @c_arr, i32 0, i32 %j
  %vm = load i32, ptr %pm
  %vj = load i32, ptr %pj
  %vs = add i32 %vm, %vj
  store i32 %vs, ptr %pj
  %j1 = add i32 %j, 1
  %jmore = icmp slt i32 %j1, 10
  br i1 %jmore, label %scan, label %scanned
scanned:                                    ; 0 60 60 60 85 85 85 85 85 85: the last is 85, the sum 690
  %last = load volatile i32, ptr getelementptr ([10 x i32], ptr @c_arr, i32 0, i32 9)
  %lok = icmp eq i32 %last, 85
  %a3 = load volatile i32, ptr getelementptr ([10 x i32], ptr @c_arr, i32 0, i32 3)
  %a3ok = icmp eq i32 %a3, 60
  %pok = and i1 %lok, %a3ok
  br i1 %pok, label %write_all, label %bad_prefix

write_all:
  store i8 -7, ptr @c_byte
  store i16 -300, ptr @c_half
  store i32 100000, ptr @c_word
  store double 2.500000e+00, ptr @c_dbl
  br label %fill
fill:                                       ; c_big[i] = 1 << (33 + i); c_odd[i] = i + 1 (i < 13); c_page[99] = 5
  %f = phi i32 [ 0, %write_all ], [ %f1, %fill ]
  %f64 = zext i32 %f to i64
  %sh = add i64 %f64, 33
  %bv = shl i64 1, %sh
  %fm = urem i32 %f, 5
  %bp = getelementptr [5 x i64], ptr @c_big, i32 0, i32 %fm
  store i64 %bv, ptr %bp
  %f1 = add i32 %f, 1
  %fb = trunc i32 %f1 to i8
  %op = getelementptr [13 x i8], ptr @c_odd, i32 0, i32 %f
  store i8 %fb, ptr %op
  %fmore = icmp slt i32 %f1, 13
  br i1 %fmore, label %fill, label %filled
filled:
  store i8 5, ptr getelementptr ([100 x i8], ptr @c_page, i32 0, i32 99)
  br label %sum

sum:                                        ; everything back, through the addresses in @addrs
  %sb = call ptr @addr(i32 0)
  %vb = load i8, ptr %sb
  %vb64 = sext i8 %vb to i64
  %sh2 = call ptr @addr(i32 1)
  %vh = load i16, ptr %sh2
  %vh64 = sext i16 %vh to i64
  %sw = call ptr @addr(i32 2)
  %vw = load i32, ptr %sw
  %vw64 = sext i32 %vw to i64
  %sd = call ptr @addr(i32 3)
  %vd = load double, ptr %sd
  %vd4 = fmul double %vd, 4.000000e+00
  %vd64 = fptosi double %vd4 to i32
  %vdx = sext i32 %vd64 to i64
  %t1 = add i64 %vb64, %vh64
  %t2 = add i64 %t1, %vw64
  %t3 = add i64 %t2, %vdx
  br label %sum_arr
sum_arr:
  %s = phi i32 [ 0, %sum ], [ %s1, %sum_arr ]
  %acc = phi i64 [ %t3, %sum ], [ %acc2, %sum_arr ]
  %ap = getelementptr [10 x i32], ptr @c_arr, i32 0, i32 %s
  %av = load i32, ptr %ap
  %av64 = sext i32 %av to i64
  %sm = urem i32 %s, 5
  %gp = getelementptr [5 x i64], ptr @c_big, i32 0, i32 %sm
  %gv = load i64, ptr %gp
  %gq = lshr i64 %gv, 1
  %acc1 = add i64 %acc, %av64
  %s1 = add i32 %s, 1
  %small = icmp ult i32 %s, 5
  %gadd = select i1 %small, i64 %gq, i64 0
  %acc2 = add i64 %acc1, %gadd
  %smore = icmp slt i32 %s1, 10
  br i1 %smore, label %sum_arr, label %sum_odd
sum_odd:
  %o = phi i32 [ 0, %sum_arr ], [ %o1, %sum_odd ]
  %acco = phi i64 [ %acc2, %sum_arr ], [ %acco1, %sum_odd ]
  %opp = getelementptr [13 x i8], ptr @c_odd, i32 0, i32 %o
  %ov = load i8, ptr %opp
  %ov64 = zext i8 %ov to i64
  %acco1 = add i64 %acco, %ov64
  %o1 = add i32 %o, 1
  %omore = icmp slt i32 %o1, 13
  br i1 %omore, label %sum_odd, label %total
total:
  %pg = load volatile i8, ptr getelementptr ([100 x i8], ptr @c_page, i32 0, i32 99)
  %pg64 = zext i8 %pg to i64
  %all = add i64 %acco1, %pg64
  %want = load volatile i64, ptr @expected_total
  %tok = icmp eq i64 %all, %want
  br i1 %tok, label %done, label %bad_total
done:
  ret i32 0

bad_zero:
  ret i32 20
bad_dbl:
  ret i32 21
bad_prefix:
  ret i32 22
bad_total:
  ret i32 23
}

; c_byte + c_half + c_word + 4 * c_dbl + the c_arr sum + half of each c_big word + the c_odd sum + c_page[99]:
; -7 - 300 + 100000 + 10 + 690 + (2^40 + 2^41 + 2^42 + 2^43 + 2^44) + 91 + 5
; (c_big[i % 5] = 2^(33 + i) for i = 0..12 leaves 2^43, 2^44, 2^45, 2^41, 2^42)
@expected_total = constant i64 34084860561545
