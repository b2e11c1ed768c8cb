; rig: dispatch by index through a writable table of function pointers in data, guarded i32 sdiv/srem, a rodata opcode script, a constant table of double->double functions
; CALL: dispatch(0, 7, 5) == 12
; CALL: dispatch(1, 7, 5) == 2
; CALL: dispatch(2, 7, 5) == 35
; CALL: dispatch(3, -7, 2) == -3
; CALL: dispatch(4, -7, 2) == -1
; CALL: dispatch(5, 12, 10) == 8
; CALL: dispatch(6, 12, 10) == 14
; CALL: dispatch(7, 12, 10) == 6
; CALL: dispatch(3, 5, 0) == 0
; CALL: dispatch(3, -2147483648, -1) == -2147483648
; CALL: dispatch(4, -2147483648, -1) == 0
; CALL: dispatch(2, 100000, 100000) == 1410065408
; CALL: dispatch(9, 1, 1) == -1
; CALL: run_script(100) == 14030
; CALL: run_script(-12345) == 151930267
; CALL: run_script(7) == 667
; CALL: set_handler(2, 1) == 2
; CALL: dispatch(2, 7, 5) == 7
; CALL: set_handler(10, 0) == 2
; CALL: dispatch(2, 7, 5) == 5
; CALL: apply_unary(0, 1.25) == 2.5
; CALL: apply_unary(1, 1.25) == 0.625
; CALL: apply_unary(2, 1.25) == 1.5625
; CALL: apply_unary(5, 3.0) == 9.0
; RELOC: static pic

@handlers = global [8 x ptr] [ptr @op_add, ptr @op_sub, ptr @op_mul, ptr @op_div,
                              ptr @op_rem, ptr @op_and, ptr @op_or, ptr @op_xor], align 8
@alt_handlers = internal constant [2 x ptr] [ptr @op_min, ptr @op_max], align 8
@script_ops = private unnamed_addr constant [8 x i8] c"\05\04\06\03\07\01\00\02", align 1
@unary = constant [3 x ptr] [ptr @d_twice, ptr @d_half, ptr @d_square], align 8

define internal i32 @op_add(i32 %a, i32 %b) #0 {
  %r = add i32 %a, %b
  ret i32 %r
}
define internal i32 @op_sub(i32 %a, i32 %b) #0 {
  %r = sub i32 %a, %b
  ret i32 %r
}
define i32 @op_mul(i32 %a, i32 %b) #0 {
  %r = mul i32 %a, %b
  ret i32 %r
}
; a / b, 0 when b == 0, INT_MIN / -1 == INT_MIN
define i32 @op_div(i32 %a, i32 %b) #0 {
entry:
  %bz = icmp eq i32 %b, 0
  br i1 %bz, label %zero, label %chk
zero:
  ret i32 0
chk:
  %amin = icmp eq i32 %a, -2147483648
  %bm1 = icmp eq i32 %b, -1
  %ovf = and i1 %amin, %bm1
  br i1 %ovf, label %wrap, label %div
wrap:
  ret i32 %a
div:
  %q = sdiv i32 %a, %b
  ret i32 %q
}
; a % b, a when b == 0, INT_MIN % -1 == 0
define i32 @op_rem(i32 %a, i32 %b) #0 {
entry:
  %bz = icmp eq i32 %b, 0
  %bm1 = icmp eq i32 %b, -1
  %amin = icmp eq i32 %a, -2147483648
  %ovf = and i1 %amin, %bm1
  br i1 %bz, label %ret_a, label %chk
ret_a:
  ret i32 %a
chk:
  br i1 %ovf, label %ret0, label %rem
ret0:
  ret i32 0
rem:
  %r = srem i32 %a, %b
  ret i32 %r
}
define internal i32 @op_and(i32 %a, i32 %b) #0 {
  %r = and i32 %a, %b
  ret i32 %r
}
define internal i32 @op_or(i32 %a, i32 %b) #0 {
  %r = or i32 %a, %b
  ret i32 %r
}
define internal i32 @op_xor(i32 %a, i32 %b) #0 {
  %r = xor i32 %a, %b
  ret i32 %r
}
define internal i32 @op_min(i32 %a, i32 %b) #0 {
  %c = icmp slt i32 %a, %b
  %r = select i1 %c, i32 %a, i32 %b
  ret i32 %r
}
define internal i32 @op_max(i32 %a, i32 %b) #0 {
  %c = icmp sgt i32 %a, %b
  %r = select i1 %c, i32 %a, i32 %b
  ret i32 %r
}

define i32 @dispatch(i32 %op, i32 %a, i32 %b) #0 {
entry:
  %ok = icmp ult i32 %op, 8
  br i1 %ok, label %call, label %bad
bad:
  ret i32 -1
call:
  %slot = getelementptr inbounds [8 x ptr], ptr @handlers, i32 0, i32 %op
  %fn = load ptr, ptr %slot, align 4
  %r = call i32 %fn(i32 %a, i32 %b)
  ret i32 %r
}

; acc = seed; for i in 0..7: acc = handlers[script_ops[i]](acc, seed + 3*i + 1)
define i32 @run_script(i32 %seed) #0 {
entry:
  br label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %i1, %loop ]
  %acc = phi i32 [ %seed, %entry ], [ %acc1, %loop ]
  %opp = getelementptr inbounds [8 x i8], ptr @script_ops, i32 0, i32 %i
  %op8 = load i8, ptr %opp
  %op = zext i8 %op8 to i32
  %i3 = mul i32 %i, 3
  %b0 = add i32 %seed, %i3
  %b = add i32 %b0, 1
  %acc1 = call i32 @dispatch(i32 %op, i32 %acc, i32 %b)
  %i1 = add i32 %i, 1
  %more = icmp ult i32 %i1, 8
  br i1 %more, label %loop, label %done
done:
  ret i32 %acc1
}

; handlers[slot & 7] = alt_handlers[which & 1]; returns the slot used
define i32 @set_handler(i32 %slot, i32 %which) #0 {
entry:
  %s = and i32 %slot, 7
  %w = and i32 %which, 1
  %src = getelementptr inbounds [2 x ptr], ptr @alt_handlers, i32 0, i32 %w
  %fn = load ptr, ptr %src
  %dst = getelementptr inbounds [8 x ptr], ptr @handlers, i32 0, i32 %s
  store ptr %fn, ptr %dst
  ret i32 %s
}

define internal double @d_twice(double %x) #0 {
  %r = fmul double %x, 2.0
  ret double %r
}
define internal double @d_half(double %x) #0 {
  %r = fmul double %x, 0.5
  ret double %r
}
define internal double @d_square(double %x) #0 {
  %r = fmul double %x, %x
  ret double %r
}

define double @apply_unary(i32 %k, double %x) #0 {
entry:
  %i = urem i32 %k, 3
  %slot = getelementptr inbounds [3 x ptr], ptr @unary, i32 0, i32 %i
  %fn = load ptr, ptr %slot
  %r = call double %fn(double %x)
  ret double %r
}

attributes #0 = { nounwind }
