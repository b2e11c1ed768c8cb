; rig: the demo: a pointer table in data, calls across named sections, a jump table, printf, malloc, doubles
; CALL: demo(10) == 679
; STDOUT: "area(10) = 314.159265, fib(10) = 55, word = 'ten'\n"
; CALL: demo(3) == 60
; STDOUT: "area(3) = 28.274334, fib(3) = 2, word = 'three'\n"

@words = private unnamed_addr constant [12 x ptr] [ptr @w0, ptr @w1, ptr @w2, ptr @w3, ptr @w4, ptr @w5, ptr @w6, ptr @w7, ptr @w8, ptr @w9, ptr @w10, ptr @w11]
@w0 = private constant [5 x i8] c"zero\00"
@w1 = private constant [4 x i8] c"one\00"
@w2 = private constant [4 x i8] c"two\00"
@w3 = private constant [6 x i8] c"three\00"
@w4 = private constant [5 x i8] c"four\00"
@w5 = private constant [5 x i8] c"five\00"
@w6 = private constant [4 x i8] c"six\00"
@w7 = private constant [6 x i8] c"seven\00"
@w8 = private constant [6 x i8] c"eight\00"
@w9 = private constant [5 x i8] c"nine\00"
@w10 = private constant [4 x i8] c"ten\00"
@w11 = private constant [5 x i8] c"many\00"
@fmt = private constant [42 x i8] c"area(%d) = %f, fib(%d) = %d, word = '%s'\0A\00"
@ops = global [3 x ptr] [ptr @fib, ptr @square, ptr @triple]
@calls = global i32 0
@pi = constant double 0x400921FB54442D18

declare i32 @printf(ptr, ...)
declare ptr @malloc(i64)
declare void @free(ptr)

define i32 @fib(i32 %n) section ".text.math" {
entry:
  %small = icmp slt i32 %n, 2
  br i1 %small, label %base, label %rec
base:
  ret i32 %n
rec:
  %a = sub i32 %n, 1
  %b = sub i32 %n, 2
  %fa = call i32 @fib(i32 %a)
  %fb = call i32 @fib(i32 %b)
  %s = add i32 %fa, %fb
  ret i32 %s
}

define i32 @square(i32 %x) section ".text.math" {
  %r = mul i32 %x, %x
  ret i32 %r
}

define i32 @triple(i32 %x) section ".text.other" {
  %r = mul i32 %x, 3
  ret i32 %r
}

define i32 @classify(i32 %x) {
entry:
  switch i32 %x, label %other [ i32 0, label %c0  i32 1, label %c1  i32 2, label %c2  i32 3, label %c3
                                i32 4, label %c4  i32 5, label %c5  i32 6, label %c6  i32 7, label %c7
                                i32 8, label %c8  i32 9, label %c9  i32 10, label %c10 ]
c0: ret i32 0
c1: ret i32 1
c2: ret i32 2
c3: ret i32 3
c4: ret i32 4
c5: ret i32 5
c6: ret i32 6
c7: ret i32 7
c8: ret i32 8
c9: ret i32 9
c10: ret i32 10
other: ret i32 11
}

define i32 @demo(i32 %n) {
  %c = load i32, ptr @calls
  %c1 = add i32 %c, 1
  store i32 %c1, ptr @calls
  %pi = load double, ptr @pi
  %nd = sitofp i32 %n to double
  %r2 = fmul double %nd, %nd
  %area = fmul double %r2, %pi
  %fibp = load ptr, ptr @ops
  %f = call i32 %fibp(i32 %n)
  %sqp = getelementptr [3 x ptr], ptr @ops, i32 0, i32 1
  %sq = load ptr, ptr %sqp
  %s = call i32 %sq(i32 %n)
  %trp = getelementptr [3 x ptr], ptr @ops, i32 0, i32 2
  %tr = load ptr, ptr %trp
  %t = call i32 %tr(i32 %s)
  %k = call i32 @classify(i32 %n)
  %wp = getelementptr [12 x ptr], ptr @words, i32 0, i32 %k
  %w = load ptr, ptr %wp
  %buf = call ptr @malloc(i64 16)
  store i32 %f, ptr %buf
  %fv = load volatile i32, ptr %buf
  call void @free(ptr %buf)
  %p = call i32 (ptr, ...) @printf(ptr @fmt, i32 %n, double %area, i32 %n, i32 %fv, ptr %w)
  %sum1 = add i32 %t, %fv
  %a100 = fptosi double %area to i32
  %sum2 = add i32 %sum1, %a100
  %sum3 = add i32 %sum2, %k
  ret i32 %sum3
}
