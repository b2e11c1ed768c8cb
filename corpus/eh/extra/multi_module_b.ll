; rig: extra module of multi_module_a.ll: throws ints, with its own personality for a catch and a cleanup

@_ZTIi = external constant ptr
@mm_cleanups = global i32 0

declare ptr @__cxa_allocate_exception(i64)
declare void @__cxa_throw(ptr, ptr, ptr)
declare ptr @__cxa_begin_catch(ptr)
declare void @__cxa_end_catch()
declare i32 @__gxx_personality_v0(...)
declare i32 @llvm.eh.typeid.for.p0(ptr)

; throw int(v)
define internal void @b_raise(i32 %v) noinline {
entry:
  %obj = call ptr @__cxa_allocate_exception(i64 4)
  store i32 %v, ptr %obj, align 4
  call void @__cxa_throw(ptr %obj, ptr @_ZTIi, ptr null)
  unreachable
}

; Throws int(v) and catches it here: returns the caught value (-1 when the
; call returned, -2 when the selector did not name int).
define i32 @mm_catch_local(i32 %v) noinline personality ptr @__gxx_personality_v0 {
entry:
  invoke void @b_raise(i32 %v)
          to label %returned unwind label %handler

returned:
  ret i32 -1

handler:
  %lp = landingpad { ptr, i32 }
          catch ptr @_ZTIi
  %exn = extractvalue { ptr, i32 } %lp, 0
  %sel = extractvalue { ptr, i32 } %lp, 1
  %int_id = call i32 @llvm.eh.typeid.for.p0(ptr @_ZTIi)
  %is_int = icmp eq i32 %sel, %int_id
  br i1 %is_int, label %catch_int, label %other_type

other_type:
  ret i32 -2

catch_int:
  %payload = call ptr @__cxa_begin_catch(ptr %exn)
  %value = load i32, ptr %payload, align 4
  call void @__cxa_end_catch()
  ret i32 %value
}

; Throws int(v) out to the caller, through a cleanup that counts itself.
define void @mm_throw(i32 %v) noinline personality ptr @__gxx_personality_v0 {
entry:
  invoke void @b_raise(i32 %v)
          to label %done unwind label %cleanup

done:
  ret void

cleanup:
  %lp = landingpad { ptr, i32 }
          cleanup
  %c0 = load i32, ptr @mm_cleanups, align 4
  %c1 = add i32 %c0, 1
  store i32 %c1, ptr @mm_cleanups, align 4
  resume { ptr, i32 } %lp
}
