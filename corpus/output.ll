; rig: character output through puts and putchar: a banner, recursive decimal printing of signed values (INT_MIN included), hex printing of an i64 with a rodata digit table, a list of strings from a pointer table
; CALL: banner(5) == 5
; STDOUT: "== rig ==\n*****\n"
; CALL: print_dec(-1234) == 6
; STDOUT: "-1234\n"
; CALL: print_dec(0) == 2
; STDOUT: "0\n"
; CALL: print_dec(-2147483648) == 12
; STDOUT: "-2147483648\n"
; CALL: print_dec(2147483647) == 11
; STDOUT: "2147483647\n"
; CALL: print_hex64(-2) == 17
; STDOUT: "fffffffffffffffe\n"
; CALL: print_hex64(81985529216486895) == 17
; STDOUT: "0123456789abcdef\n"
; CALL: print_list() == 3
; STDOUT: "alpha\nbeta\ngamma\n"
; CALL: chars_out() == 98
; RELOC: static pic

@title = private unnamed_addr constant [10 x i8] c"== rig ==\00"
@hexdigits = internal constant [17 x i8] c"0123456789abcdef\00"
@s_alpha = private unnamed_addr constant [6 x i8] c"alpha\00"
@s_beta = private unnamed_addr constant [5 x i8] c"beta\00"
@s_gamma = private unnamed_addr constant [6 x i8] c"gamma\00"
@list = internal constant [4 x ptr] [ptr @s_alpha, ptr @s_beta, ptr @s_gamma, ptr null]
@out_count = global i32 0

declare i32 @puts(ptr)
declare i32 @putchar(i32)
declare i64 @strlen(ptr)

define internal void @emit(i32 %c) #0 {
  %r = call i32 @putchar(i32 %c)
  %n = load i32, ptr @out_count
  %n1 = add i32 %n, 1
  store i32 %n1, ptr @out_count
  ret void
}

define internal void @emit_line(ptr %s) #0 {
  %r = call i32 @puts(ptr %s)
  %len = call i64 @strlen(ptr %s)
  %l = trunc i64 %len to i32
  %l1 = add i32 %l, 1
  %n = load i32, ptr @out_count
  %n1 = add i32 %n, %l1
  store i32 %n1, ptr @out_count
  ret void
}

define i32 @banner(i32 %n) #0 {
entry:
  call void @emit_line(ptr @title)
  %none = icmp sle i32 %n, 0
  br i1 %none, label %done, label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %i1, %loop ]
  call void @emit(i32 42)
  %i1 = add i32 %i, 1
  %more = icmp slt i32 %i1, %n
  br i1 %more, label %loop, label %done
done:
  call void @emit(i32 10)
  ret i32 %n
}

; prints the digits of v > 0; returns how many
define internal i32 @digits(i64 %v) #0 {
entry:
  %z = icmp eq i64 %v, 0
  br i1 %z, label %none, label %some
none:
  ret i32 0
some:
  %q = udiv i64 %v, 10
  %r = urem i64 %v, 10
  %n = call i32 @digits(i64 %q)
  %r32 = trunc i64 %r to i32
  %c = add i32 %r32, 48
  call void @emit(i32 %c)
  %n1 = add i32 %n, 1
  ret i32 %n1
}

; prints v and a newline; returns the characters printed
define i32 @print_dec(i32 %v) #0 {
entry:
  %w = sext i32 %v to i64
  %neg = icmp slt i64 %w, 0
  br i1 %neg, label %minus, label %check_zero
minus:
  call void @emit(i32 45)
  br label %check_zero
check_zero:
  %sign = zext i1 %neg to i32
  %mag = sub i64 0, %w
  %abs = select i1 %neg, i64 %mag, i64 %w
  %zero = icmp eq i64 %abs, 0
  br i1 %zero, label %print_zero, label %print_digits
print_zero:
  call void @emit(i32 48)
  br label %finish
print_digits:
  %nd = call i32 @digits(i64 %abs)
  br label %finish
finish:
  %count = phi i32 [ 1, %print_zero ], [ %nd, %print_digits ]
  call void @emit(i32 10)
  %t = add i32 %count, %sign
  %t1 = add i32 %t, 1
  ret i32 %t1
}

define i32 @print_hex64(i64 %v) #0 {
entry:
  br label %loop
loop:
  %i = phi i32 [ 15, %entry ], [ %i1, %loop ]
  %i4 = shl i32 %i, 2
  %sh = zext i32 %i4 to i64
  %nib64 = lshr i64 %v, %sh
  %nib = and i64 %nib64, 15
  %k = trunc i64 %nib to i32
  %dp = getelementptr inbounds [17 x i8], ptr @hexdigits, i32 0, i32 %k
  %d = load i8, ptr %dp
  %c = zext i8 %d to i32
  call void @emit(i32 %c)
  %i1 = sub i32 %i, 1
  %more = icmp sge i32 %i1, 0
  br i1 %more, label %loop, label %done
done:
  call void @emit(i32 10)
  ret i32 17
}

; puts every string of the null-terminated pointer list; returns how many
define i32 @print_list() #0 {
entry:
  br label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %i1, %body ]
  %p = getelementptr inbounds [4 x ptr], ptr @list, i32 0, i32 %i
  %s = load ptr, ptr %p
  %end = icmp eq ptr %s, null
  br i1 %end, label %done, label %body
body:
  call void @emit_line(ptr %s)
  %i1 = add i32 %i, 1
  br label %loop
done:
  ret i32 %i
}

define i32 @chars_out() #0 {
  %n = load i32, ptr @out_count
  ret i32 %n
}

attributes #0 = { nounwind }
