; rig: COMDAT: both modules define the same "any" comdat group (a linkonce_odr counter and the function bumping it); one copy is kept, so both modules' calls bump one counter
; EXTRA: extra/comdat_peer.ll
; STATUS: 0
; STDOUT: "main bump -> 1\npeer bump -> 2\nmain bump -> 3\ncount = 3, peer sees 3\n"

$shared = comdat any

@shared_count = linkonce_odr global i32 0, comdat($shared)

@s_main = private unnamed_addr constant [17 x i8] c"main bump -> %d\0A\00"
@s_count = private unnamed_addr constant [26 x i8] c"count = %d, peer sees %d\0A\00"

declare i32 @printf(ptr, ...)
declare i32 @peer_bump()
declare i32 @peer_count()

define linkonce_odr i32 @shared_counter_bump() comdat($shared) {
  %c = load i32, ptr @shared_count
  %c1 = add i32 %c, 1
  store i32 %c1, ptr @shared_count
  ret i32 %c1
}

define i32 @main() {
  %a = call i32 @shared_counter_bump()
  call i32 (ptr, ...) @printf(ptr @s_main, i32 %a)
  %b = call i32 @peer_bump()
  %c = call i32 @shared_counter_bump()
  call i32 (ptr, ...) @printf(ptr @s_main, i32 %c)
  %n = load i32, ptr @shared_count
  %p = call i32 @peer_count()
  call i32 (ptr, ...) @printf(ptr @s_count, i32 %n, i32 %p)
  ret i32 0
}
