; rig: C++ exception (Itanium ABI): a noinline function throws an int, main catches it through invoke/landingpad and checks the value
; RUNTIME: musl
; STATUS: 0
; STDOUT: "caught 42\n"

; Failure statuses: 1 = the call returned normally, 2 = the selector did not
; name int, 3 = the caught int was not 42.

@_ZTIi = external constant ptr
@s_caught = private unnamed_addr constant [11 x i8] c"caught %d\0A\00"

declare ptr @__cxa_allocate_exception(i64)
declare void @__cxa_throw(ptr, ptr, ptr)
declare ptr @__cxa_begin_catch(ptr)
declare void @__cxa_end_catch()
declare i32 @__gxx_personality_v0(...)
declare i32 @llvm.eh.typeid.for.p0(ptr)
declare i32 @printf(ptr, ...)

; throw int(v)
define internal void @raise_int(i32 %v) noinline {
entry:
  %obj = call ptr @__cxa_allocate_exception(i64 4)
  store i32 %v, ptr %obj, align 4
  call void @__cxa_throw(ptr %obj, ptr @_ZTIi, ptr null)
  unreachable
}

define i32 @main() personality ptr @__gxx_personality_v0 {
entry:
  invoke void @raise_int(i32 42)
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
  br i1 %is_42, label %ok, label %bad_value

bad_value:
  ret i32 3

ok:
  %n = call i32 (ptr, ...) @printf(ptr @s_caught, i32 %value)
  ret i32 0
}
