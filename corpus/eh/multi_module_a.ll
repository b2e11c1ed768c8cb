; rig: C++ exceptions across modules: module B (EXTRA) throws an int and catches one of its own; main in module A catches the one B lets escape through B's cleanup
; RUNTIME: musl
; EXTRA: extra/multi_module_b.ll
; STATUS: 0
; STDOUT: "module b caught 5\ncaught 42\n"

; Failure statuses: 1 = mm_throw returned normally, 2 = the selector did not
; name int, 3 = the caught int was not 42, 4 = B's own catch gave the wrong
; value, 5 = B's cleanup did not run exactly once.

@_ZTIi = external constant ptr
@mm_cleanups = external global i32
@s_local = private unnamed_addr constant [20 x i8] c"module b caught %d\0A\00"
@s_caught = private unnamed_addr constant [11 x i8] c"caught %d\0A\00"

; Defined in module B.
declare i32 @mm_catch_local(i32)
declare void @mm_throw(i32)

declare ptr @__cxa_begin_catch(ptr)
declare void @__cxa_end_catch()
declare i32 @__gxx_personality_v0(...)
declare i32 @llvm.eh.typeid.for.p0(ptr)
declare i32 @printf(ptr, ...)

define i32 @main() personality ptr @__gxx_personality_v0 {
entry:
  %local = call i32 @mm_catch_local(i32 5)
  %local_ok = icmp eq i32 %local, 5
  br i1 %local_ok, label %local_done, label %local_bad

local_bad:
  ret i32 4

local_done:
  %p = call i32 (ptr, ...) @printf(ptr @s_local, i32 %local)
  invoke void @mm_throw(i32 42)
          to label %returned unwind label %handler

returned:
  ret i32 1

handler:
  %lp = landingpad { ptr, i32 }
          catch ptr @_ZTIi
  %exn = extractvalue { ptr, i32 } %lp, 0
  %sel = extractvalue { ptr, i32 } %lp, 1
  %int_id = call i32 @llvm.eh.typeid.for.p0(ptr @_ZTIi)
  %is_int = icmp eq i32 %sel, %int_id
  br i1 %is_int, label %catch_int, label %other_type

other_type:
  ret i32 2

catch_int:
  %payload = call ptr @__cxa_begin_catch(ptr %exn)
  %value = load i32, ptr %payload, align 4
  call void @__cxa_end_catch()
  %is_42 = icmp eq i32 %value, 42
  br i1 %is_42, label %check_cleanup, label %bad_value

bad_value:
  ret i32 3

check_cleanup:
  %cleanups = load i32, ptr @mm_cleanups, align 4
  %once = icmp eq i32 %cleanups, 1
  br i1 %once, label %ok, label %no_cleanup

no_cleanup:
  ret i32 5

ok:
  %n = call i32 (ptr, ...) @printf(ptr @s_caught, i32 %value)
  ret i32 0
}
