; rig: weak definitions across modules: the extra module's strong @config and @level override the main module's weak ones (in both modules' view), a weak function nobody overrides keeps its body, and the main module's strong @mode beats the extra's weak one
; EXTRA: extra/weak_strong.ll
; STATUS: 0
; STDOUT: "config() = 2\nlevel = 20\nfallback() = 99\nmode() = 7\npeer sees config 2, level 20, mode 7\nlevel after bump = 21\n"

@level = weak global i32 10

@s_config = private unnamed_addr constant [15 x i8] c"config() = %d\0A\00"
@s_level = private unnamed_addr constant [12 x i8] c"level = %d\0A\00"
@s_fallback = private unnamed_addr constant [17 x i8] c"fallback() = %d\0A\00"
@s_mode = private unnamed_addr constant [13 x i8] c"mode() = %d\0A\00"
@s_bumped = private unnamed_addr constant [23 x i8] c"level after bump = %d\0A\00"

declare i32 @printf(ptr, ...)
declare void @peer_report()
declare void @peer_bump()

define weak i32 @config() {
  ret i32 1
}

define weak i32 @fallback() {
  ret i32 99
}

define i32 @mode() {
  ret i32 7
}

define i32 @main() {
  %c = call i32 @config()
  call i32 (ptr, ...) @printf(ptr @s_config, i32 %c)
  %l = load i32, ptr @level
  call i32 (ptr, ...) @printf(ptr @s_level, i32 %l)
  %f = call i32 @fallback()
  call i32 (ptr, ...) @printf(ptr @s_fallback, i32 %f)
  %m = call i32 @mode()
  call i32 (ptr, ...) @printf(ptr @s_mode, i32 %m)
  call void @peer_report()
  call void @peer_bump()
  %l2 = load i32, ptr @level
  call i32 (ptr, ...) @printf(ptr @s_bumped, i32 %l2)
  ret i32 0
}
