; rig: struct-like aggregates through GEPs: a global array of nested structs with i8/i16/i32/double/array fields, first-class aggregate returns between internal functions, a struct copied with memcpy into bss
; CALL: area(0) == 50
; CALL: area(3) == 1800
; CALL: total_area() == 1900
; CALL: weight_sum() == 3.25
; CALL: find_id(-7) == 2
; CALL: find_id(32000) == 3
; CALL: find_id(5) == -1
; CALL: kind_count(1) == 2
; CALL: tag_sum(1) == 60
; CALL: tag_sum(2) == -3
; CALL: move_all(1, 2) == 106
; CALL: total_area() == 1900
; CALL: centroid_sum(1) == 3.0
; CALL: centroid_sum(3) == 348.0
; CALL: divmod_pack(47, 5) == 9002
; CALL: divmod_pack(-47, 5) == -9002
; CALL: copy_and_scale(0, 3) == 450
; CALL: area(0) == 50
; CALL: scratch_id() == 100
; RELOC: static pic

%point = type { i32, i32 }
%rect = type { %point, %point }
; kind, id, bounds, weight, tags
%shape = type { i8, i16, %rect, double, [3 x i32] }

@shapes = global [4 x %shape] [
  %shape { i8 1, i16 100, %rect { %point { i32 0, i32 0 }, %point { i32 10, i32 5 } }, double 1.5, [3 x i32] [i32 1, i32 2, i32 3] },
  %shape { i8 2, i16 200, %rect { %point { i32 -3, i32 -4 }, %point { i32 3, i32 4 } }, double 0.25, [3 x i32] [i32 10, i32 20, i32 30] },
  %shape { i8 1, i16 -7, %rect { %point { i32 5, i32 5 }, %point { i32 6, i32 7 } }, double 2.0, [3 x i32] [i32 -1, i32 -1, i32 -1] },
  %shape { i8 3, i16 32000, %rect { %point { i32 100, i32 200 }, %point { i32 130, i32 260 } }, double -0.5, [3 x i32] [i32 7, i32 0, i32 7] }
], align 8

@scratch = internal global %shape zeroinitializer, align 8

declare void @llvm.memcpy.p0.p0.i64(ptr, ptr, i64, i1)

define internal i32 @rect_area(ptr %r) #0 {
  %x1p = getelementptr inbounds %rect, ptr %r, i32 0, i32 0, i32 0
  %y1p = getelementptr inbounds %rect, ptr %r, i32 0, i32 0, i32 1
  %x2p = getelementptr inbounds %rect, ptr %r, i32 0, i32 1, i32 0
  %y2p = getelementptr inbounds %rect, ptr %r, i32 0, i32 1, i32 1
  %x1 = load i32, ptr %x1p
  %y1 = load i32, ptr %y1p
  %x2 = load i32, ptr %x2p
  %y2 = load i32, ptr %y2p
  %w = sub i32 %x2, %x1
  %h = sub i32 %y2, %y1
  %a = mul i32 %w, %h
  ret i32 %a
}

define i32 @area(i32 %i) #0 {
  %k = and i32 %i, 3
  %r = getelementptr inbounds [4 x %shape], ptr @shapes, i32 0, i32 %k, i32 2
  %a = call i32 @rect_area(ptr %r)
  ret i32 %a
}

define i32 @total_area() #0 {
entry:
  br label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %i1, %loop ]
  %s = phi i32 [ 0, %entry ], [ %s1, %loop ]
  %a = call i32 @area(i32 %i)
  %s1 = add i32 %s, %a
  %i1 = add i32 %i, 1
  %more = icmp ult i32 %i1, 4
  br i1 %more, label %loop, label %done
done:
  ret i32 %s1
}

define double @weight_sum() #0 {
entry:
  br label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %i1, %loop ]
  %s = phi double [ 0.0, %entry ], [ %s1, %loop ]
  %wp = getelementptr inbounds [4 x %shape], ptr @shapes, i32 0, i32 %i, i32 3
  %w = load double, ptr %wp, align 8
  %s1 = fadd double %s, %w
  %i1 = add i32 %i, 1
  %more = icmp ult i32 %i1, 4
  br i1 %more, label %loop, label %done
done:
  ret double %s1
}

define i32 @find_id(i16 %id) #0 {
entry:
  br label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %i1, %next ]
  %more = icmp ult i32 %i, 4
  br i1 %more, label %body, label %none
body:
  %ip = getelementptr inbounds [4 x %shape], ptr @shapes, i32 0, i32 %i, i32 1
  %v = load i16, ptr %ip
  %eq = icmp eq i16 %v, %id
  br i1 %eq, label %found, label %next
next:
  %i1 = add i32 %i, 1
  br label %loop
found:
  ret i32 %i
none:
  ret i32 -1
}

define i32 @kind_count(i8 %kind) #0 {
entry:
  br label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %i1, %loop ]
  %c = phi i32 [ 0, %entry ], [ %c1, %loop ]
  %kp = getelementptr inbounds [4 x %shape], ptr @shapes, i32 0, i32 %i, i32 0
  %k = load i8, ptr %kp
  %eq = icmp eq i8 %k, %kind
  %inc = zext i1 %eq to i32
  %c1 = add i32 %c, %inc
  %i1 = add i32 %i, 1
  %more = icmp ult i32 %i1, 4
  br i1 %more, label %loop, label %done
done:
  ret i32 %c1
}

define i32 @tag_sum(i32 %i) #0 {
  %k = and i32 %i, 3
  %t0 = getelementptr inbounds [4 x %shape], ptr @shapes, i32 0, i32 %k, i32 4, i32 0
  %t1 = getelementptr inbounds [4 x %shape], ptr @shapes, i32 0, i32 %k, i32 4, i32 1
  %t2 = getelementptr inbounds [4 x %shape], ptr @shapes, i32 0, i32 %k, i32 4, i32 2
  %a = load i32, ptr %t0
  %b = load i32, ptr %t1
  %c = load i32, ptr %t2
  %s1 = add i32 %a, %b
  %s2 = add i32 %s1, %c
  ret i32 %s2
}

; translate every rectangle; returns the sum of the new x1 values
define i32 @move_all(i32 %dx, i32 %dy) #0 {
entry:
  br label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %i1, %loop ]
  %s = phi i32 [ 0, %entry ], [ %s1, %loop ]
  %r = getelementptr inbounds [4 x %shape], ptr @shapes, i32 0, i32 %i, i32 2
  %x1p = getelementptr inbounds %rect, ptr %r, i32 0, i32 0, i32 0
  %y1p = getelementptr inbounds %rect, ptr %r, i32 0, i32 0, i32 1
  %x2p = getelementptr inbounds %rect, ptr %r, i32 0, i32 1, i32 0
  %y2p = getelementptr inbounds %rect, ptr %r, i32 0, i32 1, i32 1
  %pt1 = load %point, ptr %x1p
  %pt2 = load %point, ptr %x2p
  %x1 = extractvalue %point %pt1, 0
  %y1 = extractvalue %point %pt1, 1
  %x2 = extractvalue %point %pt2, 0
  %y2 = extractvalue %point %pt2, 1
  %nx1 = add i32 %x1, %dx
  %ny1 = add i32 %y1, %dy
  %nx2 = add i32 %x2, %dx
  %ny2 = add i32 %y2, %dy
  %q1 = insertvalue %point undef, i32 %nx1, 0
  %q1b = insertvalue %point %q1, i32 %ny1, 1
  store %point %q1b, ptr %x1p
  store i32 %nx2, ptr %x2p
  store i32 %ny2, ptr %y2p
  %s1 = add i32 %s, %nx1
  %i1 = add i32 %i, 1
  %more = icmp ult i32 %i1, 4
  br i1 %more, label %loop, label %done
done:
  ret i32 %s1
}

define internal { double, double } @centroid(i32 %i) #0 {
  %k = and i32 %i, 3
  %r = getelementptr inbounds [4 x %shape], ptr @shapes, i32 0, i32 %k, i32 2
  %rv = load %rect, ptr %r
  %x1 = extractvalue %rect %rv, 0, 0
  %y1 = extractvalue %rect %rv, 0, 1
  %x2 = extractvalue %rect %rv, 1, 0
  %y2 = extractvalue %rect %rv, 1, 1
  %sx = add i32 %x1, %x2
  %sy = add i32 %y1, %y2
  %fx = sitofp i32 %sx to double
  %fy = sitofp i32 %sy to double
  %cx = fmul double %fx, 0.5
  %cy = fmul double %fy, 0.5
  %a = insertvalue { double, double } undef, double %cx, 0
  %b = insertvalue { double, double } %a, double %cy, 1
  ret { double, double } %b
}

define double @centroid_sum(i32 %i) #0 {
  %c = call { double, double } @centroid(i32 %i)
  %x = extractvalue { double, double } %c, 0
  %y = extractvalue { double, double } %c, 1
  %s = fadd double %x, %y
  ret double %s
}

define internal { i32, i32 } @divmod(i32 %a, i32 %b) #0 {
  %q = sdiv i32 %a, %b
  %r = srem i32 %a, %b
  %p = insertvalue { i32, i32 } undef, i32 %q, 0
  %p2 = insertvalue { i32, i32 } %p, i32 %r, 1
  ret { i32, i32 } %p2
}

; q * 1000 + r, b must be non-zero
define i32 @divmod_pack(i32 %a, i32 %b) #0 {
entry:
  %bz = icmp eq i32 %b, 0
  %bm1 = icmp eq i32 %b, -1
  %bad = or i1 %bz, %bm1
  br i1 %bad, label %no, label %yes
no:
  ret i32 0
yes:
  %qr = call { i32, i32 } @divmod(i32 %a, i32 %b)
  %q = extractvalue { i32, i32 } %qr, 0
  %r = extractvalue { i32, i32 } %qr, 1
  %q1000 = mul i32 %q, 1000
  %s = add i32 %q1000, %r
  ret i32 %s
}

; copies shapes[i] into @scratch, scales the copy's corners by k, returns the copy's area
define i32 @copy_and_scale(i32 %i, i32 %k) #0 {
entry:
  %j = and i32 %i, 3
  %src = getelementptr inbounds [4 x %shape], ptr @shapes, i32 0, i32 %j
  %size = getelementptr %shape, ptr null, i32 1
  %n = ptrtoint ptr %size to i64
  call void @llvm.memcpy.p0.p0.i64(ptr @scratch, ptr %src, i64 %n, i1 false)
  %r = getelementptr inbounds %shape, ptr @scratch, i32 0, i32 2
  br label %loop
loop:
  %c = phi i32 [ 0, %entry ], [ %c1, %loop ]
  %p = getelementptr inbounds [4 x i32], ptr %r, i32 0, i32 %c
  %v = load i32, ptr %p
  %v1 = mul i32 %v, %k
  store i32 %v1, ptr %p
  %c1 = add i32 %c, 1
  %more = icmp ult i32 %c1, 4
  br i1 %more, label %loop, label %done
done:
  %a = call i32 @rect_area(ptr %r)
  ret i32 %a
}

define i32 @scratch_id() #0 {
  %p = getelementptr inbounds %shape, ptr @scratch, i32 0, i32 1
  %v = load i16, ptr %p
  %r = sext i16 %v to i32
  ret i32 %r
}

attributes #0 = { nounwind }
