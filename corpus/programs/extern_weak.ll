; rig: undefined weak references: an extern_weak function and an extern_weak global resolve to null; the program tests the addresses and skips the call and the load
; STATUS: 0
; STDOUT: "no hook\nno maybe\nhook slot is null: 1\nresult 40\n"

@maybe = extern_weak global i32
@hook_slot = global ptr @optional_hook

@s_hook = private unnamed_addr constant [21 x i8] c"hook present (wrong)\00"
@s_nohook = private unnamed_addr constant [8 x i8] c"no hook\00"
@s_maybe = private unnamed_addr constant [20 x i8] c"maybe = %d (wrong)\0A\00"
@s_nomaybe = private unnamed_addr constant [9 x i8] c"no maybe\00"
@s_slot = private unnamed_addr constant [23 x i8] c"hook slot is null: %d\0A\00"
@s_result = private unnamed_addr constant [11 x i8] c"result %d\0A\00"

declare extern_weak void @optional_hook()
declare i32 @puts(ptr)
declare i32 @printf(ptr, ...)

define i32 @main() {
entry:
  %nohook = icmp eq ptr @optional_hook, null
  br i1 %nohook, label %skip_hook, label %call_hook
call_hook:
  call i32 @puts(ptr @s_hook)
  call void @optional_hook()
  br label %globals
skip_hook:
  call i32 @puts(ptr @s_nohook)
  br label %globals
globals:
  %nomaybe = icmp eq ptr @maybe, null
  br i1 %nomaybe, label %skip_maybe, label %read_maybe
read_maybe:
  %v = load i32, ptr @maybe
  call i32 (ptr, ...) @printf(ptr @s_maybe, i32 %v)
  br label %slot
skip_maybe:
  call i32 @puts(ptr @s_nomaybe)
  br label %slot
slot:
  %fp = load volatile ptr, ptr @hook_slot
  %null = icmp eq ptr %fp, null
  %ni = zext i1 %null to i32
  call i32 (ptr, ...) @printf(ptr @s_slot, i32 %ni)
  %base = select i1 %nohook, i32 40, i32 0
  call i32 (ptr, ...) @printf(ptr @s_result, i32 %base)
  ret i32 0
}
