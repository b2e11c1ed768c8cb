; rig: three modules (two EXTRA files) in a cycle of calls and data references: main calls module b, which calls module c through a function pointer in its data, which calls back into this module and into b; c's data points at this module's counter and this module's data at b's and c's globals, which are read and written through those pointers; LLVM's multi-module-a (with Inputs/multi-module-b and -c); the result, 45, is the exit status only
; EXTRA: extra/three_b.ll
; EXTRA: extra/three_c.ll
; RELOC: static pic
; STATUS: 45

; b_start(4) = c_step(8) + b_data = (a_leaf(8) + b_triple(c_data) + a_counter) + 5
;            = (18 + 21 + 1) + 5 = 45.
; Failure statuses: 1 the a -> b -> c -> a chain, 2 a_leaf was not called once,
; 3 the table's pointers to b's and c's data, 4 c_step after a write through the
; table, 5 b's pointer to c_step is not c_step.

@a_counter = global i32 0
@a_table = global [2 x ptr] [ptr @b_data, ptr @c_data]

@b_data = external global i32
@c_data = external global i32
@b_to_c = external global ptr
declare i32 @b_start(i32)
declare i32 @c_step(i32)

; called back by module c
define i32 @a_leaf(i32 %y) noinline nounwind {
entry:
  %n = load i32, ptr @a_counter
  %n1 = add i32 %n, 1
  store i32 %n1, ptr @a_counter
  %r = add i32 %y, 10
  ret i32 %r
}

define i32 @main() nounwind {
entry:
  %r = call i32 @b_start(i32 4)
  %r_ok = icmp eq i32 %r, 45
  br i1 %r_ok, label %counted, label %bad1
counted:
  %n = load volatile i32, ptr @a_counter
  %n_ok = icmp eq i32 %n, 1
  br i1 %n_ok, label %table, label %bad2
table:
  %pb = load volatile ptr, ptr @a_table
  %pcp = getelementptr [2 x ptr], ptr @a_table, i32 0, i32 1
  %pc = load volatile ptr, ptr %pcp
  %vb = load i32, ptr %pb
  %vc = load i32, ptr %pc
  %vb_ok = icmp eq i32 %vb, 5
  %vc_ok = icmp eq i32 %vc, 7
  %t_ok = and i1 %vb_ok, %vc_ok
  br i1 %t_ok, label %rewrite, label %bad3
rewrite:                                      ; c_data = 12: c_step(0) = 10 + 36 + 2
  store i32 12, ptr %pc
  %s = call i32 @c_step(i32 0)
  %s_ok = icmp eq i32 %s, 48
  br i1 %s_ok, label %fnptr, label %bad4
fnptr:
  %f = load volatile ptr, ptr @b_to_c
  %f_ok = icmp eq ptr %f, @c_step
  br i1 %f_ok, label %done, label %bad5
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
