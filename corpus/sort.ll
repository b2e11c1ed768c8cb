; rig: in-place sorting of global arrays: bubble sort over i32 (swap count persists: a second sort does no swaps), insertion sort over doubles, insertion sort over i64 with a comparator passed as a function pointer
; CALL: is_sorted() == 0
; CALL: get(0) == 42
; CALL: bubble_sort() == 57
; CALL: is_sorted() == 1
; CALL: get(0) == -100
; CALL: get(7) == 3
; CALL: get(15) == 250
; CALL: get(31) == 250
; CALL: bubble_sort() == 0
; CALL: insertion_sort_d() == 22
; CALL: get_d(0) == -6.0
; CALL: get_d(9) == 9.5
; CALL: median_d() == 1.875
; CALL: sort_i64(0) == -7977345687619
; CALL: sort_i64(1) == -71866543210850
; CALL: sort_i64(0) == -7977345687619
; RELOC: static pic

@data = global [16 x i32] [i32 42, i32 -7, i32 19, i32 0, i32 88, i32 -100, i32 3, i32 3,
                           i32 57, i32 -1, i32 250, i32 17, i32 -33, i32 9, i32 64, i32 1], align 4
@ddata = global [10 x double] [double 3.5, double -1.25, double 8.0, double 0.5, double 2.75,
                               double -6.0, double 4.25, double 1.0, double 9.5, double -0.75], align 8
@ldata = global [8 x i64] [i64 5000000000, i64 -3, i64 123456789012, i64 7, i64 -9000000000000,
                           i64 42, i64 0, i64 1], align 8
@comparators = internal constant [2 x ptr] [ptr @greater64, ptr @less64]

define i32 @bubble_sort() #0 {
entry:
  br label %outer
outer:
  %i = phi i32 [ 0, %entry ], [ %i1, %outer_next ]
  %swaps = phi i32 [ 0, %entry ], [ %swaps_in, %outer_next ]
  %lim = sub i32 15, %i
  br label %inner
inner:
  %j = phi i32 [ 0, %outer ], [ %j1, %inner_next ]
  %sw = phi i32 [ %swaps, %outer ], [ %sw1, %inner_next ]
  %inner_go = icmp slt i32 %j, %lim
  br i1 %inner_go, label %cmp, label %outer_next
cmp:
  %pa = getelementptr inbounds [16 x i32], ptr @data, i32 0, i32 %j
  %j1 = add i32 %j, 1
  %pb = getelementptr inbounds [16 x i32], ptr @data, i32 0, i32 %j1
  %a = load i32, ptr %pa
  %b = load i32, ptr %pb
  %gt = icmp sgt i32 %a, %b
  br i1 %gt, label %swap, label %inner_next
swap:
  store i32 %b, ptr %pa
  store i32 %a, ptr %pb
  br label %inner_next
inner_next:
  %inc = zext i1 %gt to i32
  %sw1 = add i32 %sw, %inc
  br label %inner
outer_next:
  %swaps_in = phi i32 [ %sw, %inner ]
  %i1 = add i32 %i, 1
  %outer_go = icmp slt i32 %i1, 15
  br i1 %outer_go, label %outer, label %done
done:
  ret i32 %swaps_in
}

define i1 @is_sorted() #0 {
entry:
  br label %loop
loop:
  %i = phi i32 [ 1, %entry ], [ %i1, %next ]
  %more = icmp slt i32 %i, 16
  br i1 %more, label %body, label %yes
body:
  %im1 = sub i32 %i, 1
  %pa = getelementptr inbounds [16 x i32], ptr @data, i32 0, i32 %im1
  %pb = getelementptr inbounds [16 x i32], ptr @data, i32 0, i32 %i
  %a = load i32, ptr %pa
  %b = load i32, ptr %pb
  %bad = icmp sgt i32 %a, %b
  br i1 %bad, label %no, label %next
next:
  %i1 = add i32 %i, 1
  br label %loop
yes:
  ret i1 true
no:
  ret i1 false
}

define i32 @get(i32 %i) #0 {
  %k = and i32 %i, 15
  %p = getelementptr inbounds [16 x i32], ptr @data, i32 0, i32 %k
  %v = load i32, ptr %p
  ret i32 %v
}

; returns the number of element moves
define i32 @insertion_sort_d() #0 {
entry:
  br label %outer
outer:
  %i = phi i32 [ 1, %entry ], [ %i1, %place ]
  %moves = phi i32 [ 0, %entry ], [ %mv, %place ]
  %pi = getelementptr inbounds [10 x double], ptr @ddata, i32 0, i32 %i
  %key = load double, ptr %pi
  br label %inner
inner:
  %j = phi i32 [ %i, %outer ], [ %jm1, %shift ]
  %mv = phi i32 [ %moves, %outer ], [ %mv1, %shift ]
  %atstart = icmp eq i32 %j, 0
  br i1 %atstart, label %place, label %test
test:
  %jm1 = sub i32 %j, 1
  %pp = getelementptr inbounds [10 x double], ptr @ddata, i32 0, i32 %jm1
  %prev = load double, ptr %pp
  %gt = fcmp ogt double %prev, %key
  br i1 %gt, label %shift, label %place
shift:
  %pj = getelementptr inbounds [10 x double], ptr @ddata, i32 0, i32 %j
  store double %prev, ptr %pj
  %mv1 = add i32 %mv, 1
  br label %inner
place:
  %pk = getelementptr inbounds [10 x double], ptr @ddata, i32 0, i32 %j
  store double %key, ptr %pk
  %i1 = add i32 %i, 1
  %more = icmp slt i32 %i1, 10
  br i1 %more, label %outer, label %done
done:
  ret i32 %mv
}

define double @get_d(i32 %i) #0 {
  %ok = icmp ult i32 %i, 10
  %k = select i1 %ok, i32 %i, i32 0
  %p = getelementptr inbounds [10 x double], ptr @ddata, i32 0, i32 %k
  %v = load double, ptr %p
  ret double %v
}

define double @median_d() #0 {
  %p4 = getelementptr inbounds [10 x double], ptr @ddata, i32 0, i32 4
  %p5 = getelementptr inbounds [10 x double], ptr @ddata, i32 0, i32 5
  %a = load double, ptr %p4
  %b = load double, ptr %p5
  %s = fadd double %a, %b
  %m = fmul double %s, 0.5
  ret double %m
}

define internal i1 @greater64(i64 %a, i64 %b) #0 {
  %r = icmp sgt i64 %a, %b
  ret i1 %r
}

define internal i1 @less64(i64 %a, i64 %b) #0 {
  %r = icmp slt i64 %a, %b
  ret i1 %r
}

; insertion sort of n i64 at %base, moving while before(prev, key)
define internal void @isort64(ptr %base, i32 %n, ptr %before) #0 {
entry:
  %few = icmp slt i32 %n, 2
  br i1 %few, label %done, label %outer
outer:
  %i = phi i32 [ 1, %entry ], [ %i1, %place ]
  %pi = getelementptr inbounds i64, ptr %base, i32 %i
  %key = load i64, ptr %pi
  br label %inner
inner:
  %j = phi i32 [ %i, %outer ], [ %jm1, %shift ]
  %atstart = icmp eq i32 %j, 0
  br i1 %atstart, label %place, label %test
test:
  %jm1 = sub i32 %j, 1
  %pp = getelementptr inbounds i64, ptr %base, i32 %jm1
  %prev = load i64, ptr %pp
  %mv = call i1 %before(i64 %prev, i64 %key)
  br i1 %mv, label %shift, label %place
shift:
  %pj = getelementptr inbounds i64, ptr %base, i32 %j
  store i64 %prev, ptr %pj
  br label %inner
place:
  %pk = getelementptr inbounds i64, ptr %base, i32 %j
  store i64 %key, ptr %pk
  %i1 = add i32 %i, 1
  %more = icmp slt i32 %i1, %n
  br i1 %more, label %outer, label %done
done:
  ret void
}

; sorts @ldata ascending (0) or descending (1); returns sum of ldata[i] * (i+1)
define i64 @sort_i64(i32 %descending) #0 {
entry:
  %k = and i32 %descending, 1
  %cp = getelementptr inbounds [2 x ptr], ptr @comparators, i32 0, i32 %k
  %cmp = load ptr, ptr %cp
  call void @isort64(ptr @ldata, i32 8, ptr %cmp)
  br label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %i1, %loop ]
  %acc = phi i64 [ 0, %entry ], [ %acc1, %loop ]
  %p = getelementptr inbounds [8 x i64], ptr @ldata, i32 0, i32 %i
  %v = load i64, ptr %p
  %i1 = add i32 %i, 1
  %w = zext i32 %i1 to i64
  %vw = mul i64 %v, %w
  %acc1 = add i64 %acc, %vw
  %more = icmp slt i32 %i1, 8
  br i1 %more, label %loop, label %done
done:
  ret i64 %acc1
}

attributes #0 = { nounwind }
