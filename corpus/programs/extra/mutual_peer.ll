; rig: extra module of mutual.ll

@peer_scale = global i32 3
@peer_cb = global ptr @pong
@table = external global [5 x i32]

declare i32 @pong(i32)

; ping(n) = n <= 0 ? 1 : table[n % 5] + pong(n - 1)
define i32 @ping(i32 %n) {
entry:
  %stop = icmp sle i32 %n, 0
  br i1 %stop, label %base, label %rec
base:
  ret i32 1
rec:
  %i = srem i32 %n, 5
  %p = getelementptr [5 x i32], ptr @table, i32 0, i32 %i
  %v = load i32, ptr %p
  %n1 = sub i32 %n, 1
  %r = call i32 @pong(i32 %n1)
  %t = add i32 %v, %r
  ret i32 %t
}

define i32 @peer_table_sum() {
entry:
  br label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %i1, %loop ]
  %s = phi i32 [ 0, %entry ], [ %s1, %loop ]
  %p = getelementptr [5 x i32], ptr @table, i32 0, i32 %i
  %v = load i32, ptr %p
  %s1 = add i32 %s, %v
  %i1 = add i32 %i, 1
  %more = icmp slt i32 %i1, 5
  br i1 %more, label %loop, label %done
done:
  ret i32 %s1
}
