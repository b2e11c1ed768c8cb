; rig: tail calls: a tail-recursive loop, musttail mutual recursion 100000 deep, a chain of tail calls across sections and linkages, tail calls through a function pointer and to an external (sqrt)
; CALL: count_down(400, 0) == 80200
; CALL: ping_pong(10) == 68
; CALL: ping_pong(10000) == 22853304
; CALL: ping_pong(99999) == -1824493600
; CALL: chain(5) == 81
; CALL: chain(-4) == 81
; CALL: apply_tail(0, 7) == 21
; CALL: apply_tail(1, 7) == -7
; CALL: apply_tail(3, 7) == -7
; CALL: root(2.25) == 1.5
; CALL: root_sum(16.0, 9.0) == 7.0
; RELOC: static pic

@tail_table = constant [2 x ptr] [ptr @times3, ptr @negate]

declare double @sqrt(double)

define i32 @count_down(i32 %n, i32 %acc) #0 {
entry:
  %z = icmp eq i32 %n, 0
  br i1 %z, label %done, label %rec
done:
  ret i32 %acc
rec:
  %n1 = sub i32 %n, 1
  %a1 = add i32 %acc, %n
  %r = tail call i32 @count_down(i32 %n1, i32 %a1)
  ret i32 %r
}

define i32 @ping(i32 %n, i32 %acc) #0 {
entry:
  %z = icmp eq i32 %n, 0
  br i1 %z, label %done, label %rec
done:
  ret i32 %acc
rec:
  %n1 = sub i32 %n, 1
  %a1 = add i32 %acc, %n
  %r = musttail call i32 @pong(i32 %n1, i32 %a1)
  ret i32 %r
}

define internal i32 @pong(i32 %n, i32 %acc) #0 section ".text.pong" {
entry:
  %z = icmp eq i32 %n, 0
  br i1 %z, label %done, label %rec
done:
  ret i32 %acc
rec:
  %n1 = sub i32 %n, 1
  %sh = shl i32 %n, 1
  %a1 = xor i32 %acc, %sh
  %r = musttail call i32 @ping(i32 %n1, i32 %a1)
  ret i32 %r
}

define i32 @ping_pong(i32 %n) #0 {
  %r = call i32 @ping(i32 %n, i32 0)
  ret i32 %r
}

; ((x + 1) * 2 - 3)^2 through four tail calls
define i32 @chain(i32 %x) #0 {
  %a = add i32 %x, 1
  %r = tail call i32 @step2(i32 %a)
  ret i32 %r
}

define internal i32 @step2(i32 %x) #0 {
  %a = mul i32 %x, 2
  %r = tail call i32 @step3(i32 %a)
  ret i32 %r
}

define i32 @step3(i32 %x) #0 section ".text.tail" {
  %a = sub i32 %x, 3
  %r = tail call i32 @step4(i32 %a)
  ret i32 %r
}

define i32 @step4(i32 %x) #0 section ".text.tail2" {
  %r = mul i32 %x, %x
  ret i32 %r
}

define internal i32 @times3(i32 %x) #0 {
  %r = mul i32 %x, 3
  ret i32 %r
}

define internal i32 @negate(i32 %x) #0 {
  %r = sub i32 0, %x
  ret i32 %r
}

define i32 @apply_tail(i32 %k, i32 %x) #0 {
  %i = and i32 %k, 1
  %p = getelementptr inbounds [2 x ptr], ptr @tail_table, i32 0, i32 %i
  %f = load ptr, ptr %p
  %r = tail call i32 %f(i32 %x)
  ret i32 %r
}

define double @root(double %x) #0 {
  %r = tail call double @sqrt(double %x)
  ret double %r
}

define double @root_sum(double %a, double %b) #0 {
  %ra = call double @sqrt(double %a)
  %rb = tail call double @root(double %b)
  %s = fadd double %ra, %rb
  ret double %s
}

attributes #0 = { nounwind }
