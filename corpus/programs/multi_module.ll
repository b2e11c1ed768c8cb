; rig: three modules (two EXTRA files): constructors from all modules run in one order by priority across modules, destructors in the reverse; each module's data and functions reachable from the others
; EXTRA: extra/multi_a.ll
; EXTRA: extra/multi_b.ll
; STATUS: 6
; STDOUT: "a: ctor 110\nmain: ctor 120\nb: ctor 130\nmain: a_value() + b_value() = 6 after 3 constructors\nb: dtor 130\nmain: dtor 120\na: dtor 110\n"

@llvm.global_ctors = appending global [1 x { i32, ptr, ptr }] [{ i32, ptr, ptr } { i32 120, ptr @ctor, ptr null }]
@llvm.global_dtors = appending global [1 x { i32, ptr, ptr }] [{ i32, ptr, ptr } { i32 120, ptr @dtor, ptr null }]

; constructors count themselves here; shared by all three modules
@ctors_run = global i32 0

@s_ctor = private unnamed_addr constant [15 x i8] c"main: ctor 120\00"
@s_dtor = private unnamed_addr constant [15 x i8] c"main: dtor 120\00"
@s_sum = private unnamed_addr constant [56 x i8] c"main: a_value() + b_value() = %d after %d constructors\0A\00"

declare i32 @puts(ptr)
declare i32 @printf(ptr, ...)
declare i32 @a_value()
declare i32 @b_value()

define void @count_ctor() {
  %n = load i32, ptr @ctors_run
  %n1 = add i32 %n, 1
  store i32 %n1, ptr @ctors_run
  ret void
}

define internal void @ctor() {
  call i32 @puts(ptr @s_ctor)
  call void @count_ctor()
  ret void
}

define internal void @dtor() {
  call i32 @puts(ptr @s_dtor)
  ret void
}

define i32 @main() {
  %a = call i32 @a_value()
  %b = call i32 @b_value()
  %s = add i32 %a, %b
  %n = load i32, ptr @ctors_run
  call i32 (ptr, ...) @printf(ptr @s_sum, i32 %s, i32 %n)
  ret i32 %s
}
