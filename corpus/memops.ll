; rig: the C string/memory externals (memcpy, memmove, memset via intrinsics with variable lengths; memcmp, strcmp, strlen, malloc, free as calls) on a bss buffer and constant strings
; CALL: copy_greeting(19) == 19
; CALL: copy_greeting(5) == 5
; CALL: copy_greeting(100) == 19
; CALL: cmp_prefix(0) == 0
; CALL: cmp_prefix(3) == 0
; CALL: cmp_prefix(4) == -1
; CALL: cmp_prefix(6) == -1
; CALL: strcmp_idx(0, 1) == 1
; CALL: strcmp_idx(1, 0) == -1
; CALL: strcmp_idx(1, 3) == 0
; CALL: strcmp_idx(0, 2) == 1
; CALL: fill_sum(10, 200) == 2000
; CALL: fill_sum(100, -1) == 16320
; CALL: fill_sum(5, 65) == 325
; CALL: shift(2, 0, 6) == 2904
; CALL: shift(0, 3, 6) == 3033
; CALL: strlen_total() == 19
; CALL: dup_compare(0) == -1
; CALL: dup_compare(1) == -1
; CALL: dup_length(2) == 5
; RELOC: static pic

@greeting = private unnamed_addr constant [20 x i8] c"Hello, relocations!\00"
@sa = private unnamed_addr constant [7 x i8] c"abcdef\00"
@sb = private unnamed_addr constant [7 x i8] c"abcxyz\00"
@digits = private unnamed_addr constant [11 x i8] c"0123456789\00"
@w0 = private unnamed_addr constant [5 x i8] c"pear\00"
@w1 = private unnamed_addr constant [6 x i8] c"apple\00"
@w2 = private unnamed_addr constant [6 x i8] c"peach\00"
@words = internal constant [4 x ptr] [ptr @w0, ptr @w1, ptr @w2, ptr @w1]

@buf = internal global [64 x i8] zeroinitializer, align 8

declare void @llvm.memcpy.p0.p0.i64(ptr, ptr, i64, i1)
declare void @llvm.memmove.p0.p0.i64(ptr, ptr, i64, i1)
declare void @llvm.memset.p0.i64(ptr, i8, i64, i1)
declare i32 @memcmp(ptr, ptr, i64)
declare i32 @strcmp(ptr, ptr)
declare i64 @strlen(ptr)
declare ptr @malloc(i64)
declare void @free(ptr)

define internal i32 @sign(i32 %x) #0 {
  %pos = icmp sgt i32 %x, 0
  %neg = icmp slt i32 %x, 0
  %p = zext i1 %pos to i32
  %n = zext i1 %neg to i32
  %r = sub i32 %p, %n
  ret i32 %r
}

define internal i32 @clamp(i32 %x, i32 %hi) #0 {
  %lo = icmp slt i32 %x, 0
  %x0 = select i1 %lo, i32 0, i32 %x
  %big = icmp sgt i32 %x0, %hi
  %r = select i1 %big, i32 %hi, i32 %x0
  ret i32 %r
}

; copies the first n (<= 19) bytes of the greeting into buf, terminates, returns strlen(buf)
define i32 @copy_greeting(i32 %n) #0 {
entry:
  %m = call i32 @clamp(i32 %n, i32 19)
  %m64 = zext i32 %m to i64
  call void @llvm.memcpy.p0.p0.i64(ptr @buf, ptr @greeting, i64 %m64, i1 false)
  %end = getelementptr inbounds [64 x i8], ptr @buf, i32 0, i32 %m
  store i8 0, ptr %end
  %len = call i64 @strlen(ptr @buf)
  %r = trunc i64 %len to i32
  ret i32 %r
}

define i32 @cmp_prefix(i32 %n) #0 {
  %m = call i32 @clamp(i32 %n, i32 6)
  %m64 = zext i32 %m to i64
  %c = call i32 @memcmp(ptr @sa, ptr @sb, i64 %m64)
  %r = call i32 @sign(i32 %c)
  ret i32 %r
}

define i32 @strcmp_idx(i32 %a, i32 %b) #0 {
  %ia = and i32 %a, 3
  %ib = and i32 %b, 3
  %pa = getelementptr inbounds [4 x ptr], ptr @words, i32 0, i32 %ia
  %pb = getelementptr inbounds [4 x ptr], ptr @words, i32 0, i32 %ib
  %sa = load ptr, ptr %pa
  %sb = load ptr, ptr %pb
  %c = call i32 @strcmp(ptr %sa, ptr %sb)
  %r = call i32 @sign(i32 %c)
  ret i32 %r
}

; memset(buf, c, n) for n <= 64, then the sum of those bytes as unsigned
define i32 @fill_sum(i32 %n, i32 %c) #0 {
entry:
  %m = call i32 @clamp(i32 %n, i32 64)
  %m64 = zext i32 %m to i64
  %c8 = trunc i32 %c to i8
  call void @llvm.memset.p0.i64(ptr @buf, i8 %c8, i64 %m64, i1 false)
  %empty = icmp eq i32 %m, 0
  br i1 %empty, label %done, label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %i1, %loop ]
  %s = phi i32 [ 0, %entry ], [ %s1, %loop ]
  %p = getelementptr inbounds [64 x i8], ptr @buf, i32 0, i32 %i
  %b = load i8, ptr %p
  %bz = zext i8 %b to i32
  %s1 = add i32 %s, %bz
  %i1 = add i32 %i, 1
  %more = icmp ult i32 %i1, %m
  br i1 %more, label %loop, label %done
done:
  %r = phi i32 [ 0, %entry ], [ %s1, %loop ]
  ret i32 %r
}

; buf = "0123456789"; memmove(buf+dst, buf+src, len) (all mod 32); checksum of buf[0..10)
define i32 @shift(i32 %dst, i32 %src, i32 %len) #0 {
entry:
  call void @llvm.memcpy.p0.p0.i64(ptr @buf, ptr @digits, i64 11, i1 false)
  %d = and i32 %dst, 31
  %s = and i32 %src, 31
  %l = and i32 %len, 31
  %pd = getelementptr inbounds [64 x i8], ptr @buf, i32 0, i32 %d
  %ps = getelementptr inbounds [64 x i8], ptr @buf, i32 0, i32 %s
  %l64 = zext i32 %l to i64
  call void @llvm.memmove.p0.p0.i64(ptr %pd, ptr %ps, i64 %l64, i1 false)
  br label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %i1, %loop ]
  %acc = phi i32 [ 0, %entry ], [ %acc1, %loop ]
  %p = getelementptr inbounds [64 x i8], ptr @buf, i32 0, i32 %i
  %b = load i8, ptr %p
  %bz = zext i8 %b to i32
  %i1 = add i32 %i, 1
  %w = mul i32 %bz, %i1
  %acc1 = add i32 %acc, %w
  %more = icmp ult i32 %i1, 10
  br i1 %more, label %loop, label %done
done:
  ret i32 %acc1
}

define i32 @strlen_total() #0 {
entry:
  br label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %i1, %loop ]
  %acc = phi i32 [ 0, %entry ], [ %acc1, %loop ]
  %p = getelementptr inbounds [4 x ptr], ptr @words, i32 0, i32 %i
  %s = load ptr, ptr %p
  %l = call i64 @strlen(ptr %s)
  %l32 = trunc i64 %l to i32
  %acc1 = add i32 %acc, %l32
  %i1 = add i32 %i, 1
  %more = icmp ult i32 %i1, 4
  br i1 %more, label %loop, label %done
done:
  ret i32 %acc1
}

; heap copy of words[i] with its first letter upper-cased
define internal ptr @dup_upper(i32 %i) #0 {
  %k = and i32 %i, 3
  %p = getelementptr inbounds [4 x ptr], ptr @words, i32 0, i32 %k
  %s = load ptr, ptr %p
  %l = call i64 @strlen(ptr %s)
  %l1 = add i64 %l, 1
  %d = call ptr @malloc(i64 %l1)
  call void @llvm.memcpy.p0.p0.i64(ptr %d, ptr %s, i64 %l1, i1 false)
  %c = load i8, ptr %d
  %up = sub i8 %c, 32
  store i8 %up, ptr %d
  ret ptr %d
}

; sign of strcmp(upper-cased copy, original)
define i32 @dup_compare(i32 %i) #0 {
  %d = call ptr @dup_upper(i32 %i)
  %k = and i32 %i, 3
  %p = getelementptr inbounds [4 x ptr], ptr @words, i32 0, i32 %k
  %s = load ptr, ptr %p
  %c = call i32 @strcmp(ptr %d, ptr %s)
  call void @free(ptr %d)
  %r = call i32 @sign(i32 %c)
  ret i32 %r
}

define i32 @dup_length(i32 %i) #0 {
  %d = call ptr @dup_upper(i32 %i)
  %l = call i64 @strlen(ptr %d)
  call void @free(ptr %d)
  %r = trunc i64 %l to i32
  ret i32 %r
}

attributes #0 = { nounwind }
