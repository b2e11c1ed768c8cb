; rig: extra module of cross_module.ll

@peer_data = global i32 2
@peer_factor = global i32 1
; a pointer in this module's data to a function of the main module
@peer_fn = global ptr @main_base

declare i32 @main_base()

define i32 @peer_entry(i32 %x) noinline nounwind {
entry:
  %b = call i32 @main_base()
  %d = load i32, ptr @peer_data
  %s = add i32 %b, %d
  %r = add i32 %s, %x
  ret i32 %r
}

define i32 @peer_read() noinline nounwind {
entry:
  %v = load volatile i32, ptr @peer_data
  ret i32 %v
}

define i32 @peer_scaled() noinline nounwind {
entry:
  %v = load volatile i32, ptr @peer_data
  %f = load volatile i32, ptr @peer_factor
  %r = mul i32 %v, %f
  ret i32 %r
}
