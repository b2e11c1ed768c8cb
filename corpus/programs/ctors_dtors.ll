; rig: llvm.global_ctors/global_dtors with priorities, listed out of order: constructors run by ascending priority (101, 200, 65535) before main, destructors by descending priority (65535, 200, 101) after main returns
; STATUS: 0
; STDOUT: "ctor 101 (first)\nctor 200 (second)\nctor 65535 (default)\nmain: trace = 123\ndtor 65535 (default)\ndtor 200 (second)\ndtor 101 (last)\n"

@llvm.global_ctors = appending global [3 x { i32, ptr, ptr }] [{ i32, ptr, ptr } { i32 65535, ptr @c_default, ptr null }, { i32, ptr, ptr } { i32 101, ptr @c_first, ptr null }, { i32, ptr, ptr } { i32 200, ptr @c_second, ptr null }]
@llvm.global_dtors = appending global [3 x { i32, ptr, ptr }] [{ i32, ptr, ptr } { i32 200, ptr @d_second, ptr null }, { i32, ptr, ptr } { i32 101, ptr @d_last, ptr null }, { i32, ptr, ptr } { i32 65535, ptr @d_default, ptr null }]

@trace = global i32 0
@s_c101 = private unnamed_addr constant [17 x i8] c"ctor 101 (first)\00"
@s_c200 = private unnamed_addr constant [18 x i8] c"ctor 200 (second)\00"
@s_cdef = private unnamed_addr constant [21 x i8] c"ctor 65535 (default)\00"
@s_main = private unnamed_addr constant [18 x i8] c"main: trace = %d\0A\00"
@s_d101 = private unnamed_addr constant [16 x i8] c"dtor 101 (last)\00"
@s_d200 = private unnamed_addr constant [18 x i8] c"dtor 200 (second)\00"
@s_ddef = private unnamed_addr constant [21 x i8] c"dtor 65535 (default)\00"

declare i32 @puts(ptr)
declare i32 @printf(ptr, ...)

; each constructor appends its digit to @trace, so main sees the order they ran in
define internal void @record(i32 %digit) {
  %t = load i32, ptr @trace
  %t10 = mul i32 %t, 10
  %t1 = add i32 %t10, %digit
  store i32 %t1, ptr @trace
  ret void
}

define internal void @c_first() {
  call void @record(i32 1)
  call i32 @puts(ptr @s_c101)
  ret void
}

define internal void @c_second() {
  call void @record(i32 2)
  call i32 @puts(ptr @s_c200)
  ret void
}

define internal void @c_default() {
  call void @record(i32 3)
  call i32 @puts(ptr @s_cdef)
  ret void
}

define internal void @d_last() {
  call i32 @puts(ptr @s_d101)
  ret void
}

define internal void @d_second() {
  call i32 @puts(ptr @s_d200)
  ret void
}

define internal void @d_default() {
  call i32 @puts(ptr @s_ddef)
  ret void
}

define i32 @main() {
  %t = load i32, ptr @trace
  call i32 (ptr, ...) @printf(ptr @s_main, i32 %t)
  ret i32 0
}
