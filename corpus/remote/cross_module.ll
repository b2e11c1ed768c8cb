; rig: two modules (one EXTRA file) that call each other and refer to each other's data: main calls the peer's function, which calls back into this module; the peer's data holds a pointer to this module's function and this module's data a pointer to the peer's data, both followed; each module updates a global of the other; LLVM's cross-module-a (with Inputs/cross-module-b); the result, 43, is the exit status only
; EXTRA: extra/cross_peer.ll
; RELOC: static pic
; STATUS: 43

; Failure statuses: 1 the peer's call chain gave the wrong value, 2 the peer did
; not count its call here, 3 the call through the peer's pointer to main_base,
; 4 a write through the pointer to the peer's data is not what the peer reads,
; 5 the peer's global written from here is not what the peer reads.

@base_value = global i32 40
@calls_from_peer = global i32 0
@to_peer_data = global ptr @peer_data

declare i32 @peer_entry(i32)
declare i32 @peer_read()
declare i32 @peer_scaled()
@peer_data = external global i32
@peer_fn = external global ptr
@peer_factor = external global i32

; called back by the peer
define i32 @main_base() noinline nounwind {
entry:
  %n = load i32, ptr @calls_from_peer
  %n1 = add i32 %n, 1
  store i32 %n1, ptr @calls_from_peer
  %v = load i32, ptr @base_value
  ret i32 %v
}

define i32 @main() nounwind {
entry:
  %r = call i32 @peer_entry(i32 1)             ; main_base() + peer_data + 1 = 40 + 2 + 1
  %r_ok = icmp eq i32 %r, 43
  br i1 %r_ok, label %counted, label %bad1
counted:
  %n = load volatile i32, ptr @calls_from_peer
  %n_ok = icmp eq i32 %n, 1
  br i1 %n_ok, label %pointer, label %bad2
pointer:
  %f = load volatile ptr, ptr @peer_fn
  %f_ok = icmp eq ptr %f, @main_base
  %v = call i32 %f()
  %v_ok = icmp eq i32 %v, 40
  %fv = and i1 %f_ok, %v_ok
  br i1 %fv, label %write, label %bad3
write:
  %pd = load volatile ptr, ptr @to_peer_data
  %pd_ok = icmp eq ptr %pd, @peer_data
  store i32 17, ptr %pd
  %back = call i32 @peer_read()
  %back_ok = icmp eq i32 %back, 17
  %w = and i1 %pd_ok, %back_ok
  br i1 %w, label %factor, label %bad4
factor:
  store i32 3, ptr @peer_factor
  %s = call i32 @peer_scaled()                 ; peer_data * peer_factor
  %s_ok = icmp eq i32 %s, 51
  br i1 %s_ok, label %done, label %bad5
done:
  ret i32 %r
bad1:
  ret i32 1
bad2:
  ret i32 2
bad3:
  ret i32 3
bad4:
  ret i32 4
bad5:
  ret i32 5
}
