; rig: extra module of three_modules.ll (module b)

@b_data = global i32 5
; a pointer in b's data to a function of module c
@b_to_c = global ptr @c_step

declare i32 @c_step(i32)

define i32 @b_start(i32 %x) noinline nounwind {
entry:
  %f = load volatile ptr, ptr @b_to_c
  %x2 = mul i32 %x, 2
  %c = call i32 %f(i32 %x2)
  %d = load i32, ptr @b_data
  %r = add i32 %c, %d
  ret i32 %r
}

define i32 @b_triple(i32 %z) noinline nounwind {
entry:
  %r = mul i32 %z, 3
  ret i32 %r
}
