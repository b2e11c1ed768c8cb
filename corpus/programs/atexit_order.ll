; rig: atexit and __cxa_atexit (with an argument, NULL dso handle) handlers, all returning 0, run in reverse registration order after main returns, one registered by a constructor among them; then the static destructors
; STATUS: 0
; STDOUT: "ctor registers h_ctor\natexit returned 0: yes, __cxa_atexit returned 0: yes\nmain returns 0\nh3\ncxa(the argument)\nh2\nh1\nh_ctor\ndtor\n"

@llvm.global_ctors = appending global [1 x { i32, ptr, ptr }] [{ i32, ptr, ptr } { i32 65535, ptr @ctor, ptr null }]
@llvm.global_dtors = appending global [1 x { i32, ptr, ptr }] [{ i32, ptr, ptr } { i32 65535, ptr @dtor, ptr null }]

@s_ctor = private unnamed_addr constant [22 x i8] c"ctor registers h_ctor\00"
@s_main = private unnamed_addr constant [17 x i8] c"main returns %d\0A\00"
@s_h1 = private unnamed_addr constant [3 x i8] c"h1\00"
@s_h2 = private unnamed_addr constant [3 x i8] c"h2\00"
@s_h3 = private unnamed_addr constant [3 x i8] c"h3\00"
@s_hctor = private unnamed_addr constant [7 x i8] c"h_ctor\00"
@s_cxa = private unnamed_addr constant [9 x i8] c"cxa(%s)\0A\00"
@s_arg = private unnamed_addr constant [13 x i8] c"the argument\00"
@s_dtor = private unnamed_addr constant [5 x i8] c"dtor\00"
@s_rets = private unnamed_addr constant [52 x i8] c"atexit returned 0: %s, __cxa_atexit returned 0: %s\0A\00"
@s_yes = private unnamed_addr constant [4 x i8] c"yes\00"
@s_no = private unnamed_addr constant [3 x i8] c"no\00"

declare i32 @puts(ptr)
declare i32 @printf(ptr, ...)
declare i32 @atexit(ptr)
declare i32 @__cxa_atexit(ptr, ptr, ptr)

define internal void @h1() {
  call i32 @puts(ptr @s_h1)
  ret void
}
define internal void @h2() {
  call i32 @puts(ptr @s_h2)
  ret void
}
define internal void @h3() {
  call i32 @puts(ptr @s_h3)
  ret void
}
define internal void @h_ctor() {
  call i32 @puts(ptr @s_hctor)
  ret void
}
define internal void @cxa(ptr %arg) {
  call i32 (ptr, ...) @printf(ptr @s_cxa, ptr %arg)
  ret void
}
define internal void @ctor() {
  call i32 @puts(ptr @s_ctor)
  %r = call i32 @atexit(ptr @h_ctor)
  ret void
}
define internal void @dtor() {
  call i32 @puts(ptr @s_dtor)
  ret void
}

define i32 @main() {
  %r1 = call i32 @atexit(ptr @h1)
  %r2 = call i32 @atexit(ptr @h2)
  %r3 = call i32 @__cxa_atexit(ptr @cxa, ptr @s_arg, ptr null)
  %r4 = call i32 @atexit(ptr @h3)
  %a = or i32 %r1, %r2
  %b = or i32 %a, %r4
  %atexit_ok = icmp eq i32 %b, 0
  %cxa_ok = icmp eq i32 %r3, 0
  %s1 = select i1 %atexit_ok, ptr @s_yes, ptr @s_no
  %s2 = select i1 %cxa_ok, ptr @s_yes, ptr @s_no
  call i32 (ptr, ...) @printf(ptr @s_rets, ptr %s1, ptr %s2)
  call i32 (ptr, ...) @printf(ptr @s_main, i32 0)
  ret i32 0
}
