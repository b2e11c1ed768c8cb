; rig: extra module of comdat.ll

$shared = comdat any

@shared_count = linkonce_odr global i32 0, comdat($shared)

@s_peer = private unnamed_addr constant [17 x i8] c"peer bump -> %d\0A\00"

declare i32 @printf(ptr, ...)

define linkonce_odr i32 @shared_counter_bump() comdat($shared) {
  %c = load i32, ptr @shared_count
  %c1 = add i32 %c, 1
  store i32 %c1, ptr @shared_count
  ret i32 %c1
}

define i32 @peer_bump() {
  %b = call i32 @shared_counter_bump()
  call i32 (ptr, ...) @printf(ptr @s_peer, i32 %b)
  ret i32 %b
}

define i32 @peer_count() {
  %n = load i32, ptr @shared_count
  ret i32 %n
}
