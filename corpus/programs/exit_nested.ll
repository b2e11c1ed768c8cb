; rig: exit(7) called four calls deep: the status is 7, and nothing after the call runs (not the rest of the callee, its callers or main)
; STATUS: 7
; STDOUT: "main: start\ndepth 1\ndepth 2\ndepth 3\ndepth 4: calling exit(7)\n"

@fmt_depth = private unnamed_addr constant [10 x i8] c"depth %d\0A\00"
@fmt_exit = private unnamed_addr constant [28 x i8] c"depth %d: calling exit(%d)\0A\00"
@fmt_after = private unnamed_addr constant [32 x i8] c"after exit at depth %d (wrong)\0A\00"
@fmt_back = private unnamed_addr constant [26 x i8] c"back at depth %d (wrong)\0A\00"
@s_start = private unnamed_addr constant [12 x i8] c"main: start\00"
@s_end = private unnamed_addr constant [18 x i8] c"main: end (wrong)\00"
@code = global i32 7

declare i32 @printf(ptr, ...)
declare i32 @puts(ptr)
; deliberately not noreturn: the code after the call stays in the program
declare void @exit(i32)

define internal i32 @descend(i32 %depth) noinline {
entry:
  %last = icmp sge i32 %depth, 4
  br i1 %last, label %leave, label %deeper
leave:
  %c = load volatile i32, ptr @code
  call i32 (ptr, ...) @printf(ptr @fmt_exit, i32 %depth, i32 %c)
  call void @exit(i32 %c)
  call i32 (ptr, ...) @printf(ptr @fmt_after, i32 %depth)
  ret i32 %depth
deeper:
  call i32 (ptr, ...) @printf(ptr @fmt_depth, i32 %depth)
  %next = add i32 %depth, 1
  %r = call i32 @descend(i32 %next)
  call i32 (ptr, ...) @printf(ptr @fmt_back, i32 %depth)
  %r1 = add i32 %r, %depth
  ret i32 %r1
}

define i32 @main() {
  call i32 @puts(ptr @s_start)
  %r = call i32 @descend(i32 1)
  call i32 @puts(ptr @s_end)
  ret i32 %r
}
