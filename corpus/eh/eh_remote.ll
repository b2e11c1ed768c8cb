; rig: C++ exceptions thrown and caught twice in one run (the second throw after the first is caught); each handler bumps a global count, which main returns
; RUNTIME: musl
; STATUS: 2
; STDOUT: "caught 10\ncaught 20\n"

; Success is a count of 2 (both handlers ran once).  Failure statuses, first
; catch / second catch: 101 / 111 = the call returned normally, 102 / 112 =
; the selector did not name int, 103 / 113 = the caught int was wrong.

@_ZTIi = external constant ptr
@handled = internal global i32 0
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

; The handlers' shared bookkeeping: count one handled exception and say so.
define internal void @note_caught(i32 %v) noinline {
entry:
  %c0 = load i32, ptr @handled, align 4
  %c1 = add i32 %c0, 1
  store i32 %c1, ptr @handled, align 4
  %n = call i32 (ptr, ...) @printf(ptr @s_caught, i32 %v)
  ret void
}

define i32 @main() personality ptr @__gxx_personality_v0 {
entry:
  invoke void @raise_int(i32 10)
          to label %first_returned unwind label %first_handler

first_returned:
  ret i32 101

first_handler:
  %lp1 = landingpad { ptr, i32 }
          catch ptr @_ZTIi
  %exn1 = extractvalue { ptr, i32 } %lp1, 0
  %sel1 = extractvalue { ptr, i32 } %lp1, 1
  %id1 = call i32 @llvm.eh.typeid.for.p0(ptr @_ZTIi)
  %is_int1 = icmp eq i32 %sel1, %id1
  br i1 %is_int1, label %first_catch, label %first_other

first_other:
  ret i32 102

first_catch:
  %payload1 = call ptr @__cxa_begin_catch(ptr %exn1)
  %v1 = load i32, ptr %payload1, align 4
  call void @__cxa_end_catch()
  %ok1 = icmp eq i32 %v1, 10
  br i1 %ok1, label %first_ok, label %first_bad

first_bad:
  ret i32 103

first_ok:
  call void @note_caught(i32 %v1)
  invoke void @raise_int(i32 20)
          to label %second_returned unwind label %second_handler

second_returned:
  ret i32 111

second_handler:
  %lp2 = landingpad { ptr, i32 }
          catch ptr @_ZTIi
  %exn2 = extractvalue { ptr, i32 } %lp2, 0
  %sel2 = extractvalue { ptr, i32 } %lp2, 1
  %id2 = call i32 @llvm.eh.typeid.for.p0(ptr @_ZTIi)
  %is_int2 = icmp eq i32 %sel2, %id2
  br i1 %is_int2, label %second_catch, label %second_other

second_other:
  ret i32 112

second_catch:
  %payload2 = call ptr @__cxa_begin_catch(ptr %exn2)
  %v2 = load i32, ptr %payload2, align 4
  call void @__cxa_end_catch()
  %ok2 = icmp eq i32 %v2, 20
  br i1 %ok2, label %second_ok, label %second_bad

second_bad:
  ret i32 113

second_ok:
  call void @note_caught(i32 %v2)
  %count = load i32, ptr @handled, align 4
  ret i32 %count
}
