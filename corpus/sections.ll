; rig: functions in different named sections calling each other, a writable table of pointers to functions in other sections, data and rodata in named sections
; CALL: alpha_cube(3) == 27
; CALL: beta_step(5) == 26
; CALL: gamma_chain(2) == 61
; CALL: apply_op(0, 5) == 25
; CALL: apply_op(1, 5) == 125
; CALL: apply_op(2, 5) == 26
; CALL: apply_op(3, 5) == -5
; CALL: apply_op(6, 3) == 10
; CALL: apply_all(2) == 27
; CALL: swap_ops() == 1
; CALL: apply_op(0, 5) == -5
; CALL: apply_op(3, 5) == 25
; CALL: apply_all(2) == 45
; CALL: is_even_s(24) == 1
; CALL: is_odd_s(25) == 1
; CALL: is_even_s(25) == 0
; CALL: bump_state(3) == 10
; CALL: bump_state(5) == 15
; RELOC: static pic

@op_table = global [4 x ptr] [ptr @alpha_sq, ptr @alpha_cube, ptr @beta_step, ptr @neg], section ".data.ops", align 8
@op_weights = constant [4 x i32] [i32 1, i32 2, i32 3, i32 4], section ".rodata.weights", align 4
@sec_state = global i32 7, section ".data.custom", align 4

define internal i32 @alpha_sq(i32 %x) #0 section ".text.alpha" {
entry:
  %r = mul i32 %x, %x
  ret i32 %r
}

define i32 @alpha_cube(i32 %x) #0 section ".text.alpha" {
entry:
  %sq = call i32 @alpha_sq(i32 %x)
  %r = mul i32 %sq, %x
  ret i32 %r
}

define i32 @beta_step(i32 %x) #0 section ".text.beta" {
entry:
  %sq = call i32 @alpha_sq(i32 %x)
  %r = add i32 %sq, 1
  ret i32 %r
}

define i32 @neg(i32 %x) #0 section ".text.delta" {
entry:
  %r = sub i32 0, %x
  ret i32 %r
}

define i32 @twice(i32 %x) #0 {
entry:
  %r = shl i32 %x, 1
  ret i32 %r
}

define i32 @gamma_chain(i32 %x) #0 section ".text.gamma" {
entry:
  %c = call i32 @alpha_cube(i32 %x)
  %b = call i32 @beta_step(i32 %c)
  %d = call i32 @twice(i32 %x)
  %r = sub i32 %b, %d
  ret i32 %r
}

define i32 @apply_op(i32 %idx, i32 %x) #0 section ".text.gamma" {
entry:
  %i = and i32 %idx, 3
  %slot = getelementptr inbounds [4 x ptr], ptr @op_table, i32 0, i32 %i
  %fn = load ptr, ptr %slot
  %r = call i32 %fn(i32 %x)
  ret i32 %r
}

; sum of weight[i] * op_table[i](x)
define i32 @apply_all(i32 %x) #0 section ".text.beta" {
entry:
  br label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %i1, %loop ]
  %acc = phi i32 [ 0, %entry ], [ %acc1, %loop ]
  %r = call i32 @apply_op(i32 %i, i32 %x)
  %wp = getelementptr inbounds [4 x i32], ptr @op_weights, i32 0, i32 %i
  %w = load i32, ptr %wp
  %p = mul i32 %r, %w
  %acc1 = add i32 %acc, %p
  %i1 = add i32 %i, 1
  %more = icmp ult i32 %i1, 4
  br i1 %more, label %loop, label %done
done:
  ret i32 %acc1
}

define i32 @swap_ops() #0 section ".text.alpha" {
entry:
  %p0 = getelementptr inbounds [4 x ptr], ptr @op_table, i32 0, i32 0
  %p3 = getelementptr inbounds [4 x ptr], ptr @op_table, i32 0, i32 3
  %f0 = load ptr, ptr %p0
  %f3 = load ptr, ptr %p3
  store ptr %f3, ptr %p0
  store ptr %f0, ptr %p3
  ret i32 1
}

define i32 @is_even_s(i32 %n) #0 section ".text.even" {
entry:
  %z = icmp eq i32 %n, 0
  br i1 %z, label %yes, label %rec
yes:
  ret i32 1
rec:
  %n1 = sub i32 %n, 1
  %r = call i32 @is_odd_s(i32 %n1)
  ret i32 %r
}

define i32 @is_odd_s(i32 %n) #0 section ".text.odd" {
entry:
  %z = icmp eq i32 %n, 0
  br i1 %z, label %no, label %rec
no:
  ret i32 0
rec:
  %n1 = sub i32 %n, 1
  %r = call i32 @is_even_s(i32 %n1)
  ret i32 %r
}

define i32 @bump_state(i32 %d) #0 section ".text.delta" {
entry:
  %s = load i32, ptr @sec_state
  %s1 = add i32 %s, %d
  store i32 %s1, ptr @sec_state
  ret i32 %s1
}

attributes #0 = { nounwind }
