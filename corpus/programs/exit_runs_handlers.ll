; rig: exit(5) from a helper runs the atexit handlers (reverse order) and then the static destructors, and flushes output; main's own return is never reached
; STATUS: 5
; STDOUT: "main registered 2 handlers\nfinish: exit(5)\nsecond handler\nfirst handler\ndestructor\n"

@llvm.global_dtors = appending global [1 x { i32, ptr, ptr }] [{ i32, ptr, ptr } { i32 65535, ptr @dtor, ptr null }]

@s_main = private unnamed_addr constant [29 x i8] c"main registered %d handlers\0A\00"
@s_finish = private unnamed_addr constant [18 x i8] c"finish: exit(%d)\0A\00"
@s_first = private unnamed_addr constant [14 x i8] c"first handler\00"
@s_second = private unnamed_addr constant [15 x i8] c"second handler\00"
@s_dtor = private unnamed_addr constant [11 x i8] c"destructor\00"
@s_after = private unnamed_addr constant [26 x i8] c"main after finish (wrong)\00"

declare i32 @puts(ptr)
declare i32 @printf(ptr, ...)
declare i32 @atexit(ptr)
declare void @exit(i32) noreturn

define internal void @first() {
  call i32 @puts(ptr @s_first)
  ret void
}
define internal void @second() {
  call i32 @puts(ptr @s_second)
  ret void
}
define internal void @dtor() {
  call i32 @puts(ptr @s_dtor)
  ret void
}

define internal void @finish(i32 %code) noinline {
  call i32 (ptr, ...) @printf(ptr @s_finish, i32 %code)
  call void @exit(i32 %code)
  unreachable
}

define i32 @main() {
  %a = call i32 @atexit(ptr @first)
  %b = call i32 @atexit(ptr @second)
  call i32 (ptr, ...) @printf(ptr @s_main, i32 2)
  call void @finish(i32 5)
  call i32 @puts(ptr @s_after)
  ret i32 0
}
