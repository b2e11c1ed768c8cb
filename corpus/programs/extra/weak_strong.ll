; rig: extra module of weak_override.ll

@level = global i32 20
@s_peer = private unnamed_addr constant [40 x i8] c"peer sees config %d, level %d, mode %d\0A\00"

declare i32 @printf(ptr, ...)

define i32 @config() {
  ret i32 2
}

define weak i32 @mode() {
  ret i32 -7
}

define void @peer_report() {
  %c = call i32 @config()
  %l = load i32, ptr @level
  %m = call i32 @mode()
  call i32 (ptr, ...) @printf(ptr @s_peer, i32 %c, i32 %l, i32 %m)
  ret void
}

define void @peer_bump() {
  %l = load i32, ptr @level
  %l1 = add i32 %l, 1
  store i32 %l1, ptr @level
  ret void
}
