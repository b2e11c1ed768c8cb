; rig: global arrays of double and i64 read and written: dot product, mean and variance, in-place scaling, in-place i64 prefix sums, 3x3 double matrix multiply into a bss matrix and determinants via a table of matrix pointers
; CALL: dot() == -5.625
; CALL: mean() == 1.09375
; CALL: variance() == 3.7021484375
; CALL: scale_xs(-2.0) == 11.25
; CALL: mean() == -2.1875
; CALL: prefix_sums() == 42370370389
; CALL: get_l(0) == 1000000000000
; CALL: get_l(4) == -993000000002
; CALL: get_l(7) == -992876543171
; CALL: det3(0) == 6.0
; CALL: det3(1) == 1.0
; CALL: det3(2) == 0.0
; CALL: matmul() == 99.0
; CALL: c_at(1, 2) == 15.0
; CALL: c_at(2, 0) == 11.0
; CALL: det3(2) == 6.0
; RELOC: static pic

@xs = global [8 x double] [double 1.5, double -2.0, double 3.25, double 0.5, double 4.0, double -1.25, double 2.0, double 0.75], align 8
@ys = internal global [8 x double] [double 2.0, double 0.5, double -1.0, double 4.0, double 0.25, double 2.0, double -3.0, double 1.5], align 8
@ls = global [8 x i64] [i64 1000000000000, i64 -5, i64 7000000000, i64 3, i64 -2000000000000, i64 123456789, i64 0, i64 42], align 8

@ma = internal constant [3 x [3 x double]] [[3 x double] [double 2.0, double 0.0, double 1.0],
                                            [3 x double] [double 1.0, double 3.0, double 2.0],
                                            [3 x double] [double 1.0, double 1.0, double 2.0]], align 8
@mb = global [3 x [3 x double]] [[3 x double] [double 1.0, double 2.0, double 3.0],
                                 [3 x double] [double 0.0, double 1.0, double 4.0],
                                 [3 x double] [double 5.0, double 6.0, double 0.0]], align 8
@mc = internal global [3 x [3 x double]] zeroinitializer, align 8
@matrices = internal constant [3 x ptr] [ptr @ma, ptr @mb, ptr @mc]

define double @dot() #0 {
entry:
  br label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %i1, %loop ]
  %s = phi double [ 0.0, %entry ], [ %s1, %loop ]
  %px = getelementptr inbounds [8 x double], ptr @xs, i32 0, i32 %i
  %py = getelementptr inbounds [8 x double], ptr @ys, i32 0, i32 %i
  %x = load double, ptr %px
  %y = load double, ptr %py
  %p = fmul double %x, %y
  %s1 = fadd double %s, %p
  %i1 = add i32 %i, 1
  %more = icmp ult i32 %i1, 8
  br i1 %more, label %loop, label %done
done:
  ret double %s1
}

define double @mean() #0 {
entry:
  br label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %i1, %loop ]
  %s = phi double [ 0.0, %entry ], [ %s1, %loop ]
  %px = getelementptr inbounds [8 x double], ptr @xs, i32 0, i32 %i
  %x = load double, ptr %px
  %s1 = fadd double %s, %x
  %i1 = add i32 %i, 1
  %more = icmp ult i32 %i1, 8
  br i1 %more, label %loop, label %done
done:
  %m = fdiv double %s1, 8.0
  ret double %m
}

define double @variance() #0 {
entry:
  %m = call double @mean()
  br label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %i1, %loop ]
  %s = phi double [ 0.0, %entry ], [ %s1, %loop ]
  %px = getelementptr inbounds [8 x double], ptr @xs, i32 0, i32 %i
  %x = load double, ptr %px
  %d = fsub double %x, %m
  %dd = fmul double %d, %d
  %s1 = fadd double %s, %dd
  %i1 = add i32 %i, 1
  %more = icmp ult i32 %i1, 8
  br i1 %more, label %loop, label %done
done:
  %v = fdiv double %s1, 8.0
  ret double %v
}

define double @scale_xs(double %k) #0 {
entry:
  br label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %i1, %loop ]
  %px = getelementptr inbounds [8 x double], ptr @xs, i32 0, i32 %i
  %x = load double, ptr %px
  %x1 = fmul double %x, %k
  store double %x1, ptr %px
  %i1 = add i32 %i, 1
  %more = icmp ult i32 %i1, 8
  br i1 %more, label %loop, label %done
done:
  %d = call double @dot()
  ret double %d
}

; ls[i] = ls[0] + ... + ls[i]; returns the sum of the new values
define i64 @prefix_sums() #0 {
entry:
  br label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %i1, %loop ]
  %run = phi i64 [ 0, %entry ], [ %run1, %loop ]
  %tot = phi i64 [ 0, %entry ], [ %tot1, %loop ]
  %p = getelementptr inbounds [8 x i64], ptr @ls, i32 0, i32 %i
  %v = load i64, ptr %p
  %run1 = add i64 %run, %v
  store i64 %run1, ptr %p
  %tot1 = add i64 %tot, %run1
  %i1 = add i32 %i, 1
  %more = icmp ult i32 %i1, 8
  br i1 %more, label %loop, label %done
done:
  ret i64 %tot1
}

define i64 @get_l(i32 %i) #0 {
  %k = and i32 %i, 7
  %p = getelementptr inbounds [8 x i64], ptr @ls, i32 0, i32 %k
  %v = load i64, ptr %p
  ret i64 %v
}

define internal double @el(ptr %m, i32 %r, i32 %c) #0 {
  %p = getelementptr inbounds [3 x [3 x double]], ptr %m, i32 0, i32 %r, i32 %c
  %v = load double, ptr %p
  ret double %v
}

; mc = ma * mb; returns the sum of mc's elements
define double @matmul() #0 {
entry:
  br label %rows
rows:
  %i = phi i32 [ 0, %entry ], [ %i1, %row_end ]
  %tot = phi double [ 0.0, %entry ], [ %tot_c, %row_end ]
  br label %cols
cols:
  %j = phi i32 [ 0, %rows ], [ %j1, %col_end ]
  %tot_r = phi double [ %tot, %rows ], [ %tot_c, %col_end ]
  br label %dotk
dotk:
  %k = phi i32 [ 0, %cols ], [ %k1, %dotk ]
  %s = phi double [ 0.0, %cols ], [ %s1, %dotk ]
  %a = call double @el(ptr @ma, i32 %i, i32 %k)
  %b = call double @el(ptr @mb, i32 %k, i32 %j)
  %ab = fmul double %a, %b
  %s1 = fadd double %s, %ab
  %k1 = add i32 %k, 1
  %kgo = icmp ult i32 %k1, 3
  br i1 %kgo, label %dotk, label %col_end
col_end:
  %dst = getelementptr inbounds [3 x [3 x double]], ptr @mc, i32 0, i32 %i, i32 %j
  store double %s1, ptr %dst
  %tot_c = fadd double %tot_r, %s1
  %j1 = add i32 %j, 1
  %jgo = icmp ult i32 %j1, 3
  br i1 %jgo, label %cols, label %row_end
row_end:
  %i1 = add i32 %i, 1
  %igo = icmp ult i32 %i1, 3
  br i1 %igo, label %rows, label %done
done:
  ret double %tot_c
}

define double @c_at(i32 %r, i32 %c) #0 {
  %rr = urem i32 %r, 3
  %cc = urem i32 %c, 3
  %v = call double @el(ptr @mc, i32 %rr, i32 %cc)
  ret double %v
}

; determinant of matrices[w] by cofactor expansion along the first row
define double @det3(i32 %w) #0 {
  %k = urem i32 %w, 3
  %mp = getelementptr inbounds [3 x ptr], ptr @matrices, i32 0, i32 %k
  %m = load ptr, ptr %mp
  %a = call double @el(ptr %m, i32 0, i32 0)
  %b = call double @el(ptr %m, i32 0, i32 1)
  %c = call double @el(ptr %m, i32 0, i32 2)
  %d = call double @el(ptr %m, i32 1, i32 0)
  %e = call double @el(ptr %m, i32 1, i32 1)
  %f = call double @el(ptr %m, i32 1, i32 2)
  %g = call double @el(ptr %m, i32 2, i32 0)
  %h = call double @el(ptr %m, i32 2, i32 1)
  %i = call double @el(ptr %m, i32 2, i32 2)
  %ei = fmul double %e, %i
  %fh = fmul double %f, %h
  %m1 = fsub double %ei, %fh
  %di = fmul double %d, %i
  %fg = fmul double %f, %g
  %m2 = fsub double %di, %fg
  %dh = fmul double %d, %h
  %eg = fmul double %e, %g
  %m3 = fsub double %dh, %eg
  %t1 = fmul double %a, %m1
  %t2 = fmul double %b, %m2
  %t3 = fmul double %c, %m3
  %s = fsub double %t1, %t2
  %r = fadd double %s, %t3
  ret double %r
}

attributes #0 = { nounwind }
