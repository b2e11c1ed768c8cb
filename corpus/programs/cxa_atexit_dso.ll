; rig: __cxa_atexit as C++ compilers emit it, with @__dso_handle (hidden, the linker's or runtime's) as the dso handle: handlers with their arguments run in reverse order after main, before the static destructors
; STATUS: 0
; STDOUT: "main registered 3\ndestroy(third)\ndestroy(second)\ndestroy(first)\nstatic dtor\n"

@llvm.global_dtors = appending global [1 x { i32, ptr, ptr }] [{ i32, ptr, ptr } { i32 65535, ptr @dtor, ptr null }]
@__dso_handle = external hidden global i8

@s_first = private unnamed_addr constant [6 x i8] c"first\00"
@s_second = private unnamed_addr constant [7 x i8] c"second\00"
@s_third = private unnamed_addr constant [6 x i8] c"third\00"
@s_destroy = private unnamed_addr constant [13 x i8] c"destroy(%s)\0A\00"
@s_main = private unnamed_addr constant [20 x i8] c"main registered %d\0A\00"
@s_dtor = private unnamed_addr constant [12 x i8] c"static dtor\00"

declare i32 @puts(ptr)
declare i32 @printf(ptr, ...)
declare i32 @__cxa_atexit(ptr, ptr, ptr)

define internal void @destroy(ptr %what) {
  call i32 (ptr, ...) @printf(ptr @s_destroy, ptr %what)
  ret void
}

define internal void @dtor() {
  call i32 @puts(ptr @s_dtor)
  ret void
}

define i32 @main() {
  %a = call i32 @__cxa_atexit(ptr @destroy, ptr @s_first, ptr @__dso_handle)
  %b = call i32 @__cxa_atexit(ptr @destroy, ptr @s_second, ptr @__dso_handle)
  %c = call i32 @__cxa_atexit(ptr @destroy, ptr @s_third, ptr @__dso_handle)
  %ab = add i32 %a, %b
  %abc = add i32 %ab, %c
  %ok = icmp eq i32 %abc, 0
  %n = select i1 %ok, i32 3, i32 -1
  call i32 (ptr, ...) @printf(ptr @s_main, i32 %n)
  ret i32 0
}
