; rig: globals whose initialisers are addresses of other globals and functions with GEP offsets (positive, one-past-the-end and negative addends), pointer-to-pointer chains, a struct mixing function and data pointers, pointers updated at run time
; CALL: read_p3() == 4
; CALL: sum_to_end() == 36
; CALL: deref2() == 4
; CALL: via_neg() == 1000
; CALL: msg_len(0) == 19
; CALL: msg_len(1) == 15
; CALL: msg_len(2) == 5
; CALL: msg_char(1) == 114
; CALL: call_struct_fn(6) == 14
; CALL: struct_data() == 3
; CALL: write_through(40) == 40
; CALL: read_p3() == 40
; CALL: sum_to_end() == 72
; CALL: advance(2) == 6
; CALL: advance(1) == 7
; CALL: deref2() == 7
; CALL: advance(100) == 8
; CALL: reset_p() == 40
; CALL: last_of_tail() == 8
; CALL: matrix_trace() == 15
; CALL: via_alias() == 4000
; RELOC: static pic

@arr = global [8 x i32] [i32 1, i32 2, i32 3, i32 4, i32 5, i32 6, i32 7, i32 8], align 4
; &arr[3]: an addend of 12
@p3 = global ptr getelementptr inbounds ([8 x i32], ptr @arr, i32 0, i32 3), align 8
; one past the end of arr
@p_end = constant ptr getelementptr ([8 x i32], ptr @arr, i32 1, i32 0), align 8
; a pointer to a pointer global
@pp = global ptr @p3, align 8

@arr2 = internal global [4 x i32] [i32 1000, i32 2000, i32 3000, i32 4000], align 4
; 8 bytes before arr2: a negative addend, only ever used after adding 8 back
@neg = global ptr getelementptr (i8, ptr @arr2, i32 -8), align 8
; the last element of arr2, through an alias
@arr2_tail = internal alias i32, getelementptr inbounds ([4 x i32], ptr @arr2, i32 0, i32 3)

@text = private unnamed_addr constant [20 x i8] c"the relocated word!\00"
@msgs = global [3 x ptr] [ptr @text,
                          ptr getelementptr inbounds ([20 x i8], ptr @text, i32 0, i32 4),
                          ptr getelementptr inbounds ([20 x i8], ptr @text, i32 0, i32 14)], align 8

%fnrec = type { ptr, ptr, i32 }
@rec = global %fnrec { ptr @add8, ptr getelementptr inbounds ([8 x i32], ptr @arr, i32 0, i32 2), i32 42 }, align 8

; rows of a 3x3 matrix stored as pointers into one flat array
@flat = internal global [9 x i32] [i32 1, i32 2, i32 3, i32 4, i32 5, i32 6, i32 7, i32 8, i32 9], align 4
@rows = internal constant [3 x ptr] [ptr @flat,
                                     ptr getelementptr inbounds ([9 x i32], ptr @flat, i32 0, i32 3),
                                     ptr getelementptr inbounds ([9 x i32], ptr @flat, i32 0, i32 6)], align 8
; &arr[7] held in a pointer that is itself in a pointer table with an offset
@tail_ptrs = internal constant [2 x ptr] [ptr @p_end, ptr getelementptr inbounds ([8 x i32], ptr @arr, i32 0, i32 7)], align 8

declare i64 @strlen(ptr)

define internal i32 @add8(i32 %x) #0 {
  %r = add i32 %x, 8
  ret i32 %r
}

define i32 @read_p3() #0 {
  %p = load ptr, ptr @p3
  %v = load i32, ptr %p
  ret i32 %v
}

; sum of arr from &arr[0] up to the one-past-the-end pointer
define i32 @sum_to_end() #0 {
entry:
  %end = load ptr, ptr @p_end
  br label %loop
loop:
  %p = phi ptr [ @arr, %entry ], [ %p1, %body ]
  %s = phi i32 [ 0, %entry ], [ %s1, %body ]
  %done = icmp eq ptr %p, %end
  br i1 %done, label %out, label %body
body:
  %v = load i32, ptr %p
  %s1 = add i32 %s, %v
  %p1 = getelementptr inbounds i32, ptr %p, i32 1
  br label %loop
out:
  ret i32 %s
}

define i32 @deref2() #0 {
  %p = load ptr, ptr @pp
  %q = load ptr, ptr %p
  %v = load i32, ptr %q
  ret i32 %v
}

define i32 @via_neg() #0 {
  %p = load ptr, ptr @neg
  %q = getelementptr i8, ptr %p, i32 8
  %v = load i32, ptr %q
  ret i32 %v
}

define i32 @via_alias() #0 {
  %v = load i32, ptr @arr2_tail
  ret i32 %v
}

define i32 @msg_len(i32 %i) #0 {
  %k = urem i32 %i, 3
  %p = getelementptr inbounds [3 x ptr], ptr @msgs, i32 0, i32 %k
  %s = load ptr, ptr %p
  %n = call i64 @strlen(ptr %s)
  %r = trunc i64 %n to i32
  ret i32 %r
}

define i32 @msg_char(i32 %i) #0 {
  %k = urem i32 %i, 3
  %p = getelementptr inbounds [3 x ptr], ptr @msgs, i32 0, i32 %k
  %s = load ptr, ptr %p
  %c = load i8, ptr %s
  %r = zext i8 %c to i32
  ret i32 %r
}

define i32 @call_struct_fn(i32 %x) #0 {
  %fp = getelementptr inbounds %fnrec, ptr @rec, i32 0, i32 0
  %f = load ptr, ptr %fp
  %r = call i32 %f(i32 %x)
  ret i32 %r
}

define i32 @struct_data() #0 {
  %dp = getelementptr inbounds %fnrec, ptr @rec, i32 0, i32 1
  %d = load ptr, ptr %dp
  %v = load i32, ptr %d
  ret i32 %v
}

; *p3 = v; returns arr[3]
define i32 @write_through(i32 %v) #0 {
  %p = load ptr, ptr @p3
  store i32 %v, ptr %p
  %q = getelementptr inbounds [8 x i32], ptr @arr, i32 0, i32 3
  %r = load i32, ptr %q
  ret i32 %r
}

; moves p3 forward by k elements, stopping at the last element; returns *p3
define i32 @advance(i32 %k) #0 {
entry:
  %p = load ptr, ptr @p3
  %last = getelementptr inbounds [8 x i32], ptr @arr, i32 0, i32 7
  br label %loop
loop:
  %q = phi ptr [ %p, %entry ], [ %q1, %step ]
  %n = phi i32 [ %k, %entry ], [ %n1, %step ]
  %z = icmp sle i32 %n, 0
  %at_last = icmp eq ptr %q, %last
  %stop = or i1 %z, %at_last
  br i1 %stop, label %done, label %step
step:
  %q1 = getelementptr inbounds i32, ptr %q, i32 1
  %n1 = sub i32 %n, 1
  br label %loop
done:
  store ptr %q, ptr @p3
  %v = load i32, ptr %q
  ret i32 %v
}

define i32 @reset_p() #0 {
  store ptr getelementptr inbounds ([8 x i32], ptr @arr, i32 0, i32 3), ptr @p3
  %v = call i32 @read_p3()
  ret i32 %v
}

; *(*tail_ptrs[0] - 1) must equal *tail_ptrs[1]: both are arr[7]
define i32 @last_of_tail() #0 {
  %a = getelementptr inbounds [2 x ptr], ptr @tail_ptrs, i32 0, i32 0
  %b = getelementptr inbounds [2 x ptr], ptr @tail_ptrs, i32 0, i32 1
  %pe = load ptr, ptr %a
  %e = load ptr, ptr %pe
  %l1 = getelementptr inbounds i32, ptr %e, i32 -1
  %l2 = load ptr, ptr %b
  %same = icmp eq ptr %l1, %l2
  %v = load i32, ptr %l2
  %r = select i1 %same, i32 %v, i32 -1
  ret i32 %r
}

define i32 @matrix_trace() #0 {
entry:
  br label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %i1, %loop ]
  %s = phi i32 [ 0, %entry ], [ %s1, %loop ]
  %rp = getelementptr inbounds [3 x ptr], ptr @rows, i32 0, i32 %i
  %row = load ptr, ptr %rp
  %ep = getelementptr inbounds i32, ptr %row, i32 %i
  %v = load i32, ptr %ep
  %s1 = add i32 %s, %v
  %i1 = add i32 %i, 1
  %more = icmp ult i32 %i1, 3
  br i1 %more, label %loop, label %done
done:
  ret i32 %s1
}

attributes #0 = { nounwind }
