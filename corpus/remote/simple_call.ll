; rig: the simplest remote-JIT program: main calls out-of-line functions of its own module (a leaf, one taking three arguments, a recursive one) on inputs read from data, and returns what they compute through its exit status; no libc, no output; LLVM's simpletest-remote
; RELOC: static pic
; STATUS: 42

; The inputs come from volatile loads so the optimiser cannot fold the calls away.
; Success is 42 = mul_add(leaf(), 7, 0) once fact(5) == 120 and fib(10) == 55 held;
; failure statuses: 1 fact(5) wrong, 2 fib(10) wrong.

@seed_five = global i32 5
@seed_seven = global i32 7

define i32 @leaf() noinline nounwind {
entry:
  ret i32 6
}

define i32 @mul_add(i32 %a, i32 %b, i32 %c) noinline nounwind {
entry:
  %p = mul i32 %a, %b
  %s = add i32 %p, %c
  ret i32 %s
}

define i32 @fact(i32 %n) noinline nounwind {
entry:
  %small = icmp sle i32 %n, 1
  br i1 %small, label %base, label %step
base:
  ret i32 1
step:
  %n1 = sub i32 %n, 1
  %r = call i32 @fact(i32 %n1)
  %m = mul i32 %r, %n
  ret i32 %m
}

define i32 @fib(i32 %n) noinline nounwind {
entry:
  %small = icmp slt i32 %n, 2
  br i1 %small, label %base, label %step
base:
  ret i32 %n
step:
  %n1 = sub i32 %n, 1
  %n2 = sub i32 %n, 2
  %a = call i32 @fib(i32 %n1)
  %b = call i32 @fib(i32 %n2)
  %s = add i32 %a, %b
  ret i32 %s
}

define i32 @main() nounwind {
entry:
  %five = load volatile i32, ptr @seed_five
  %seven = load volatile i32, ptr @seed_seven
  %f = call i32 @fact(i32 %five)
  %fok = icmp eq i32 %f, 120
  br i1 %fok, label %check_fib, label %bad_fact
check_fib:
  %ten = add i32 %five, %five
  %g = call i32 @fib(i32 %ten)
  %gok = icmp eq i32 %g, 55
  br i1 %gok, label %answer, label %bad_fib
answer:
  %l = call i32 @leaf()
  %zero = sub i32 %five, 5
  %r = call i32 @mul_add(i32 %l, i32 %seven, i32 %zero)
  ret i32 %r
bad_fact:
  ret i32 1
bad_fib:
  ret i32 2
}
