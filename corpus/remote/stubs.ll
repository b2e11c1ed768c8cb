; rig: calls between functions in three text sections the placements put far apart (.text.far_1, .text.far_2, .text.far_3), a call chain and a ping-pong recursion across them, each section calling libc's puts/printf (an external function); a function's address is stored into a COMMON pointer before its first call and, after the call, compared in another section with the address taken there and called through (LLVM PR3043); LLVM's stubs-remote and stubs-sm-pic (RELOC pic, small code model)
; RELOC: static pic
; STATUS: 0
; STDOUT: "a: start\nb: called with 5\nc: 5 -> 26\nb: back from c\nping-pong: 9 crossings\nsame address: 1\nc: 7 -> 50\nthrough the pointer: 50\nc was called 2 times\n"

; Failure: puts a message naming the check and exit(1) .. exit(4).

@fptr = common global ptr null, align 8
@c_calls = common global i32 0, align 4
@crossings = common global i32 0, align 4

@s_start = private unnamed_addr constant [9 x i8] c"a: start\00"
@s_b = private unnamed_addr constant [19 x i8] c"b: called with %d\0A\00"
@s_c = private unnamed_addr constant [13 x i8] c"c: %d -> %d\0A\00"
@s_back = private unnamed_addr constant [15 x i8] c"b: back from c\00"
@s_pp = private unnamed_addr constant [25 x i8] c"ping-pong: %d crossings\0A\00"
@s_same = private unnamed_addr constant [18 x i8] c"same address: %d\0A\00"
@s_through = private unnamed_addr constant [25 x i8] c"through the pointer: %d\0A\00"
@s_count = private unnamed_addr constant [23 x i8] c"c was called %d times\0A\00"
@s_bad_chain = private unnamed_addr constant [27 x i8] c"FAIL: chain a->b->c result\00"
@s_bad_addr = private unnamed_addr constant [37 x i8] c"FAIL: stored address is not the same\00"
@s_bad_ptr = private unnamed_addr constant [31 x i8] c"FAIL: call through the pointer\00"
@s_bad_pp = private unnamed_addr constant [22 x i8] c"FAIL: ping-pong count\00"

declare i32 @puts(ptr)
declare i32 @printf(ptr, ...)
declare void @exit(i32) noreturn

; ---- section far_3: the callee of the chain and of the pointer
define i32 @c_square_plus_one(i32 %x) noinline nounwind section ".text.far_3" {
entry:
  %n = load i32, ptr @c_calls
  %n1 = add i32 %n, 1
  store i32 %n1, ptr @c_calls
  %sq = mul i32 %x, %x
  %r = add i32 %sq, 1
  call i32 (ptr, ...) @printf(ptr @s_c, i32 %x, i32 %r)
  ret i32 %r
}

define i32 @pong(i32 %n) noinline nounwind section ".text.far_3" {
entry:
  %k = load i32, ptr @crossings
  %k1 = add i32 %k, 1
  store i32 %k1, ptr @crossings
  %done = icmp sle i32 %n, 0
  br i1 %done, label %out, label %again
again:
  %n1 = sub i32 %n, 1
  %r = call i32 @ping(i32 %n1)
  ret i32 %r
out:
  ret i32 %k1
}

; the address of c_square_plus_one as section far_3 sees it
define i1 @c_is_fptr() noinline nounwind section ".text.far_3" {
entry:
  %p = load volatile ptr, ptr @fptr
  %eq = icmp eq ptr %p, @c_square_plus_one
  ret i1 %eq
}

; ---- section far_2: the middle of the chain
define i32 @b_relay(i32 %x) noinline nounwind section ".text.far_2" {
entry:
  call i32 (ptr, ...) @printf(ptr @s_b, i32 %x)
  %r = call i32 @c_square_plus_one(i32 %x)
  call i32 @puts(ptr @s_back)
  ret i32 %r
}

; ---- section far_1: the start of the chain, and ping
define i32 @ping(i32 %n) noinline nounwind section ".text.far_1" {
entry:
  %k = load i32, ptr @crossings
  %k1 = add i32 %k, 1
  store i32 %k1, ptr @crossings
  %done = icmp sle i32 %n, 0
  br i1 %done, label %out, label %again
again:
  %n1 = sub i32 %n, 1
  %r = call i32 @pong(i32 %n1)
  ret i32 %r
out:
  ret i32 %k1
}

define i32 @a_start(i32 %x) noinline nounwind section ".text.far_1" {
entry:
  call i32 @puts(ptr @s_start)
  ; the address is taken before the function is ever called
  store volatile ptr @c_square_plus_one, ptr @fptr
  %r = call i32 @b_relay(i32 %x)
  ret i32 %r
}

; ---- default .text
define i32 @main() nounwind {
entry:
  %r = call i32 @a_start(i32 5)
  %ok = icmp eq i32 %r, 26
  br i1 %ok, label %pingpong, label %bad_chain
pingpong:
  %k = call i32 @ping(i32 8)
  call i32 (ptr, ...) @printf(ptr @s_pp, i32 %k)
  %kok = icmp eq i32 %k, 9
  br i1 %kok, label %addr, label %bad_pp
addr:
  %same = call i1 @c_is_fptr()
  %samei = zext i1 %same to i32
  call i32 (ptr, ...) @printf(ptr @s_same, i32 %samei)
  br i1 %same, label %through, label %bad_addr
through:
  %p = load volatile ptr, ptr @fptr
  %t = call i32 %p(i32 7)
  call i32 (ptr, ...) @printf(ptr @s_through, i32 %t)
  %tok = icmp eq i32 %t, 50
  br i1 %tok, label %count, label %bad_ptr
count:
  %n = load i32, ptr @c_calls
  call i32 (ptr, ...) @printf(ptr @s_count, i32 %n)
  ret i32 0
bad_chain:
  call i32 @puts(ptr @s_bad_chain)
  call void @exit(i32 1)
  unreachable
bad_pp:
  call i32 @puts(ptr @s_bad_pp)
  call void @exit(i32 2)
  unreachable
bad_addr:
  call i32 @puts(ptr @s_bad_addr)
  call void @exit(i32 3)
  unreachable
bad_ptr:
  call i32 @puts(ptr @s_bad_ptr)
  call void @exit(i32 4)
  unreachable
}
