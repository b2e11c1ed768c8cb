; rig: C++ exception for the large code model and PIC: thrown two frames down, unwound through a cleanup landingpad that prints and resumes, caught in main
; RUNTIME: musl
; RELOC: pic
; CODE_MODEL: large
; STATUS: 0
; STDOUT: "cleanup\ncaught 42\n"

; Failure statuses: 1 = the call returned normally, 2 = the selector did not
; name int, 3 = the caught int was not 42, 4 = the middle frame's cleanup did
; not run (its depth count was not undone).

@_ZTIi = external constant ptr
@depth = internal global i32 0
@s_cleanup = private unnamed_addr constant [9 x i8] c"cleanup\0A\00"
@s_caught = private unnamed_addr constant [11 x i8] c"caught %d\0A\00"

declare ptr @__cxa_allocate_exception(i64)
declare void @__cxa_throw(ptr, ptr, ptr)
declare ptr @__cxa_begin_catch(ptr)
declare void @__cxa_end_catch()
declare i32 @__gxx_personality_v0(...)
declare i32 @llvm.eh.typeid.for.p0(ptr)
declare i32 @printf(ptr, ...)

; Innermost frame: throw int(n * 7).
define internal void @inner(i32 %n) noinline {
entry:
  %v = mul i32 %n, 7
  %obj = call ptr @__cxa_allocate_exception(i64 4)
  store i32 %v, ptr %obj, align 4
  call void @__cxa_throw(ptr %obj, ptr @_ZTIi, ptr null)
  unreachable
}

; Middle frame: counts itself in @depth, and its cleanup undoes the count
; and prints before the exception carries on upward.
define internal void @middle(i32 %n) noinline personality ptr @__gxx_personality_v0 {
entry:
  %d0 = load i32, ptr @depth, align 4
  %d1 = add i32 %d0, 1
  store i32 %d1, ptr @depth, align 4
  invoke void @inner(i32 %n)
          to label %done unwind label %cleanup

done:
  %e0 = load i32, ptr @depth, align 4
  %e1 = sub i32 %e0, 1
  store i32 %e1, ptr @depth, align 4
  ret void

cleanup:
  %lp = landingpad { ptr, i32 }
          cleanup
  %c0 = load i32, ptr @depth, align 4
  %c1 = sub i32 %c0, 1
  store i32 %c1, ptr @depth, align 4
  %p = call i32 (ptr, ...) @printf(ptr @s_cleanup)
  resume { ptr, i32 } %lp
}

define i32 @main() personality ptr @__gxx_personality_v0 {
entry:
  invoke void @middle(i32 6)
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
  br i1 %is_42, label %check_depth, label %bad_value

bad_value:
  ret i32 3

check_depth:
  %d = load i32, ptr @depth, align 4
  %unwound = icmp eq i32 %d, 0
  br i1 %unwound, label %ok, label %no_cleanup

no_cleanup:
  ret i32 4

ok:
  %n = call i32 (ptr, ...) @printf(ptr @s_caught, i32 %value)
  ret i32 0
}
