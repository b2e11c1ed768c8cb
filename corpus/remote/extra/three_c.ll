; rig: extra module of three_modules.ll (module c)

@c_data = global i32 7
; a pointer in c's data to the main module's counter
@c_to_a = global ptr @a_counter

@a_counter = external global i32
declare i32 @a_leaf(i32)
declare i32 @b_triple(i32)

; a_leaf(y) + b_triple(c_data) + a_counter
define i32 @c_step(i32 %y) noinline nounwind {
entry:
  %a = call i32 @a_leaf(i32 %y)
  %cd = load i32, ptr @c_data
  %b = call i32 @b_triple(i32 %cd)
  %p = load volatile ptr, ptr @c_to_a
  %n = load i32, ptr %p
  %s = add i32 %a, %b
  %r = add i32 %s, %n
  ret i32 %r
}
