; rig: two modules calling each other both ways (ping in the extra, pong in main, recursing across the boundary), each reading the other's data, and function pointers stored in the other module's data
; EXTRA: extra/mutual_peer.ll
; STATUS: 0
; STDOUT: "ping(6) = 128\npong(5) = 108\nthrough peer_cb: pong(3) = 43\nthrough main_cb: ping(4) = 93\npeer_table_sum() = 150\n"

@table = global [5 x i32] [i32 10, i32 20, i32 30, i32 40, i32 50]
@main_cb = global ptr @ping

@s_ping = private unnamed_addr constant [15 x i8] c"ping(%d) = %d\0A\00"
@s_pong = private unnamed_addr constant [15 x i8] c"pong(%d) = %d\0A\00"
@s_cb1 = private unnamed_addr constant [32 x i8] c"through peer_cb: pong(%d) = %d\0A\00"
@s_cb2 = private unnamed_addr constant [32 x i8] c"through main_cb: ping(%d) = %d\0A\00"
@s_sum = private unnamed_addr constant [23 x i8] c"peer_table_sum() = %d\0A\00"

@peer_scale = external global i32
@peer_cb = external global ptr

declare i32 @printf(ptr, ...)
declare i32 @ping(i32)
declare i32 @peer_table_sum()

; pong(n) = n <= 0 ? 0 : peer_scale * n + ping(n - 1)
define i32 @pong(i32 %n) {
entry:
  %stop = icmp sle i32 %n, 0
  br i1 %stop, label %base, label %rec
base:
  ret i32 0
rec:
  %s = load i32, ptr @peer_scale
  %sn = mul i32 %s, %n
  %n1 = sub i32 %n, 1
  %r = call i32 @ping(i32 %n1)
  %t = add i32 %sn, %r
  ret i32 %t
}

define i32 @main() {
  %a = call i32 @ping(i32 6)
  call i32 (ptr, ...) @printf(ptr @s_ping, i32 6, i32 %a)
  %b = call i32 @pong(i32 5)
  call i32 (ptr, ...) @printf(ptr @s_pong, i32 5, i32 %b)
  %f1 = load ptr, ptr @peer_cb
  %c = call i32 %f1(i32 3)
  call i32 (ptr, ...) @printf(ptr @s_cb1, i32 3, i32 %c)
  %f2 = load ptr, ptr @main_cb
  %d = call i32 %f2(i32 4)
  call i32 (ptr, ...) @printf(ptr @s_cb2, i32 4, i32 %d)
  %e = call i32 @peer_table_sum()
  call i32 (ptr, ...) @printf(ptr @s_sum, i32 %e)
  ret i32 0
}
