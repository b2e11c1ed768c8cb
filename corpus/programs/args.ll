; rig: main(argc, argv): argc and every argv[i] (argv[0] is the file name), arguments with spaces, quotes, an empty string, and the NULL at argv[argc]
; ARGS: alpha "two words" "" 42 'say "hi"' --flag=x
; STATUS: 0
; STDOUT: "argc=7\nargv[0]=<args.ll>\nargv[1]=<alpha>\nargv[2]=<two words>\nargv[3]=<>\nargv[4]=<42>\nargv[5]=<say \"hi\">\nargv[6]=<--flag=x>\nargv[argc] is NULL\n"
; STDOUT: "total length 39\n"

@fmt_argc = private unnamed_addr constant [9 x i8] c"argc=%d\0A\00"
@fmt_arg = private unnamed_addr constant [15 x i8] c"argv[%d]=<%s>\0A\00"
@msg_null = private unnamed_addr constant [19 x i8] c"argv[argc] is NULL\00"
@msg_bad = private unnamed_addr constant [23 x i8] c"argv[argc] is not NULL\00"
@fmt_len = private unnamed_addr constant [17 x i8] c"total length %d\0A\00"

declare i32 @printf(ptr, ...)
declare i32 @puts(ptr)

define i32 @main(i32 %argc, ptr %argv) {
entry:
  call i32 (ptr, ...) @printf(ptr @fmt_argc, i32 %argc)
  br label %loop

loop:
  %i = phi i32 [ 0, %entry ], [ %i1, %loop ]
  %total = phi i32 [ 0, %entry ], [ %total1, %loop ]
  %slot = getelementptr ptr, ptr %argv, i32 %i
  %arg = load ptr, ptr %slot
  call i32 (ptr, ...) @printf(ptr @fmt_arg, i32 %i, ptr %arg)
  %len = call i32 @length(ptr %arg)
  %total1 = add i32 %total, %len
  %i1 = add i32 %i, 1
  %more = icmp slt i32 %i1, %argc
  br i1 %more, label %loop, label %after

after:
  %end_slot = getelementptr ptr, ptr %argv, i32 %argc
  %end = load ptr, ptr %end_slot
  %is_null = icmp eq ptr %end, null
  %msg = select i1 %is_null, ptr @msg_null, ptr @msg_bad
  call i32 @puts(ptr %msg)
  call i32 (ptr, ...) @printf(ptr @fmt_len, i32 %total1)
  ret i32 0
}

; strlen by hand, so the count does not depend on the width of size_t
define internal i32 @length(ptr %s) {
entry:
  br label %loop
loop:
  %n = phi i32 [ 0, %entry ], [ %n1, %loop ]
  %p = getelementptr i8, ptr %s, i32 %n
  %c = load i8, ptr %p
  %n1 = add i32 %n, 1
  %zero = icmp eq i8 %c, 0
  br i1 %zero, label %done, label %loop
done:
  ret i32 %n
}
