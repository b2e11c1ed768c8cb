; rig: a singly linked list of malloc'd nodes (push, pop, reverse, sorted insert through a pointer-to-pointer, clear with free) kept in a global head pointer across calls
; CALL: push(5) == 1
; CALL: push(10) == 2
; CALL: push(-3) == 3
; CALL: list_sum() == 12
; CALL: nth(0) == -3
; CALL: nth(2) == 5
; CALL: nth(3) == -1
; CALL: reverse() == 3
; CALL: nth(0) == 5
; CALL: nth(2) == -3
; CALL: pop() == 5
; CALL: live_nodes() == 2
; CALL: clear() == 2
; CALL: live_nodes() == 0
; CALL: insert_sorted(7) == 0
; CALL: insert_sorted(3) == 0
; CALL: insert_sorted(9) == 2
; CALL: insert_sorted(5) == 1
; CALL: list_sum() == 24
; CALL: nth(1) == 5
; CALL: nth(3) == 9
; CALL: pop() == 3
; CALL: list_len() == 3
; CALL: build_and_sum(20) == 2125
; CALL: build_and_sum(100) == 57010
; CALL: live_nodes() == 3
; CALL: clear() == 3
; CALL: pop() == -1
; CALL: list_len() == 0
; RELOC: static pic

; { value, next }: 16 bytes are enough on 32- and 64-bit targets
%node = type { i32, ptr }

@head = internal global ptr null
@live = global i32 0

declare ptr @malloc(i64)
declare void @free(ptr)

define internal ptr @new_node(i32 %v, ptr %next) #0 {
entry:
  %n = call ptr @malloc(i64 16)
  %vp = getelementptr inbounds %node, ptr %n, i32 0, i32 0
  store i32 %v, ptr %vp
  %np = getelementptr inbounds %node, ptr %n, i32 0, i32 1
  store ptr %next, ptr %np
  %l = load i32, ptr @live
  %l1 = add i32 %l, 1
  store i32 %l1, ptr @live
  ret ptr %n
}

define internal void @free_node(ptr %n) #0 {
entry:
  call void @free(ptr %n)
  %l = load i32, ptr @live
  %l1 = sub i32 %l, 1
  store i32 %l1, ptr @live
  ret void
}

define internal i32 @length_of(ptr %p) #0 {
entry:
  br label %loop
loop:
  %q = phi ptr [ %p, %entry ], [ %next, %body ]
  %c = phi i32 [ 0, %entry ], [ %c1, %body ]
  %end = icmp eq ptr %q, null
  br i1 %end, label %done, label %body
body:
  %np = getelementptr inbounds %node, ptr %q, i32 0, i32 1
  %next = load ptr, ptr %np
  %c1 = add i32 %c, 1
  br label %loop
done:
  ret i32 %c
}

define i32 @push(i32 %v) #0 {
entry:
  %h = load ptr, ptr @head
  %n = call ptr @new_node(i32 %v, ptr %h)
  store ptr %n, ptr @head
  %len = call i32 @length_of(ptr %n)
  ret i32 %len
}

define i32 @pop() #0 {
entry:
  %h = load ptr, ptr @head
  %empty = icmp eq ptr %h, null
  br i1 %empty, label %none, label %take
none:
  ret i32 -1
take:
  %vp = getelementptr inbounds %node, ptr %h, i32 0, i32 0
  %v = load i32, ptr %vp
  %np = getelementptr inbounds %node, ptr %h, i32 0, i32 1
  %next = load ptr, ptr %np
  store ptr %next, ptr @head
  call void @free_node(ptr %h)
  ret i32 %v
}

define i32 @list_len() #0 {
  %h = load ptr, ptr @head
  %n = call i32 @length_of(ptr %h)
  ret i32 %n
}

define i32 @list_sum() #0 {
entry:
  %h = load ptr, ptr @head
  br label %loop
loop:
  %q = phi ptr [ %h, %entry ], [ %next, %body ]
  %s = phi i32 [ 0, %entry ], [ %s1, %body ]
  %end = icmp eq ptr %q, null
  br i1 %end, label %done, label %body
body:
  %vp = getelementptr inbounds %node, ptr %q, i32 0, i32 0
  %v = load i32, ptr %vp
  %s1 = add i32 %s, %v
  %np = getelementptr inbounds %node, ptr %q, i32 0, i32 1
  %next = load ptr, ptr %np
  br label %loop
done:
  ret i32 %s
}

; value at index i, or -1
define i32 @nth(i32 %i) #0 {
entry:
  %h = load ptr, ptr @head
  br label %loop
loop:
  %q = phi ptr [ %h, %entry ], [ %next, %step ]
  %k = phi i32 [ %i, %entry ], [ %k1, %step ]
  %end = icmp eq ptr %q, null
  br i1 %end, label %none, label %check
check:
  %here = icmp eq i32 %k, 0
  br i1 %here, label %found, label %step
step:
  %np = getelementptr inbounds %node, ptr %q, i32 0, i32 1
  %next = load ptr, ptr %np
  %k1 = sub i32 %k, 1
  br label %loop
found:
  %vp = getelementptr inbounds %node, ptr %q, i32 0, i32 0
  %v = load i32, ptr %vp
  ret i32 %v
none:
  ret i32 -1
}

define i32 @reverse() #0 {
entry:
  %h = load ptr, ptr @head
  br label %loop
loop:
  %cur = phi ptr [ %h, %entry ], [ %next, %body ]
  %prev = phi ptr [ null, %entry ], [ %cur, %body ]
  %c = phi i32 [ 0, %entry ], [ %c1, %body ]
  %end = icmp eq ptr %cur, null
  br i1 %end, label %done, label %body
body:
  %np = getelementptr inbounds %node, ptr %cur, i32 0, i32 1
  %next = load ptr, ptr %np
  store ptr %prev, ptr %np
  %c1 = add i32 %c, 1
  br label %loop
done:
  store ptr %prev, ptr @head
  ret i32 %c
}

; inserts v before the first greater value of the list whose head pointer is at
; %headp; returns the position it was inserted at
define internal i32 @insert_sorted_into(ptr %headp, i32 %v) #0 {
entry:
  br label %loop
loop:
  %link = phi ptr [ %headp, %entry ], [ %np, %advance ]
  %pos = phi i32 [ 0, %entry ], [ %pos1, %advance ]
  %cur = load ptr, ptr %link
  %end = icmp eq ptr %cur, null
  br i1 %end, label %insert, label %compare
compare:
  %vp = getelementptr inbounds %node, ptr %cur, i32 0, i32 0
  %cv = load i32, ptr %vp
  %greater = icmp sgt i32 %cv, %v
  br i1 %greater, label %insert, label %advance
advance:
  %np = getelementptr inbounds %node, ptr %cur, i32 0, i32 1
  %pos1 = add i32 %pos, 1
  br label %loop
insert:
  %n = call ptr @new_node(i32 %v, ptr %cur)
  store ptr %n, ptr %link
  ret i32 %pos
}

define i32 @insert_sorted(i32 %v) #0 {
  %p = call i32 @insert_sorted_into(ptr @head, i32 %v)
  ret i32 %p
}

define internal i32 @free_list(ptr %p) #0 {
entry:
  br label %loop
loop:
  %q = phi ptr [ %p, %entry ], [ %next, %body ]
  %c = phi i32 [ 0, %entry ], [ %c1, %body ]
  %end = icmp eq ptr %q, null
  br i1 %end, label %done, label %body
body:
  %np = getelementptr inbounds %node, ptr %q, i32 0, i32 1
  %next = load ptr, ptr %np
  call void @free_node(ptr %q)
  %c1 = add i32 %c, 1
  br label %loop
done:
  ret i32 %c
}

define i32 @clear() #0 {
  %h = load ptr, ptr @head
  %n = call i32 @free_list(ptr %h)
  store ptr null, ptr @head
  ret i32 %n
}

; sorted list of (i*i) % 17 for i < n on a private head; returns sum value*(pos+1)
define i32 @build_and_sum(i32 %n) #0 {
entry:
  %headp = alloca ptr
  store ptr null, ptr %headp
  %empty = icmp sle i32 %n, 0
  br i1 %empty, label %sum, label %fill
fill:
  %i = phi i32 [ 0, %entry ], [ %i1, %fill ]
  %sq = mul i32 %i, %i
  %v = urem i32 %sq, 17
  %ignored = call i32 @insert_sorted_into(ptr %headp, i32 %v)
  %i1 = add i32 %i, 1
  %more = icmp slt i32 %i1, %n
  br i1 %more, label %fill, label %sum
sum:
  %h = load ptr, ptr %headp
  br label %loop
loop:
  %q = phi ptr [ %h, %sum ], [ %next, %body ]
  %pos = phi i32 [ 1, %sum ], [ %pos1, %body ]
  %acc = phi i32 [ 0, %sum ], [ %acc1, %body ]
  %end = icmp eq ptr %q, null
  br i1 %end, label %done, label %body
body:
  %vp = getelementptr inbounds %node, ptr %q, i32 0, i32 0
  %val = load i32, ptr %vp
  %w = mul i32 %val, %pos
  %acc1 = add i32 %acc, %w
  %np = getelementptr inbounds %node, ptr %q, i32 0, i32 1
  %next = load ptr, ptr %np
  %pos1 = add i32 %pos, 1
  br label %loop
done:
  %freed = call i32 @free_list(ptr %h)
  ret i32 %acc
}

define i32 @live_nodes() #0 {
  %l = load i32, ptr @live
  ret i32 %l
}

attributes #0 = { nounwind }
