; rig: pointers in data to strings in other sections, read through and compared byte by byte: two pointers to two strings (in .rodata.str_one and .rodata.str_two) differ and their strings share exactly the prefix "remote"; a pointer with an addend into the middle of a string, a one-past-the-end pointer, a read-only table of pointers, a pointer to a pointer, and a pointer into .bss written through; LLVM's test-ptr-reloc-remote and test-ptr-reloc-sm-pic (RELOC pic); the result is the exit status only
; RELOC: static pic
; STATUS: 0

; Every pointer is read with a volatile load, so the code really reads the
; relocated word in data.  Failure statuses: 1 the two pointers are equal,
; 2 the common prefix is not 6, 3 the differing bytes are not '1' and '2',
; 4 a string's byte sum is wrong, 5 the addend pointer is not 3 past the string
; or does not read "ote2", 6 the end pointer is not 8 past its string,
; 7 the table does not hold the same pointers, 8 the pointer to a pointer,
; 9 the write through the .bss pointer, 10 the strings are not NUL-terminated.

@str_one = private unnamed_addr constant [8 x i8] c"remote1\00", section ".rodata.str_one", align 1
@str_two = private unnamed_addr constant [8 x i8] c"remote2\00", section ".rodata.str_two", align 1
@tail = private unnamed_addr constant [5 x i8] c"ote2\00", align 1

@ptr_one = global ptr @str_one, align 4
@ptr_two = global ptr @str_two, section ".data.ptrs"
@ptr_mid = global ptr getelementptr (i8, ptr @str_two, i32 3), section ".data.ptrs"
@ptr_end = global ptr getelementptr (i8, ptr @str_one, i32 8)
@table = constant [3 x ptr] [ptr @str_two, ptr @str_one, ptr getelementptr (i8, ptr @str_two, i32 3)], section ".data.rel.ro.table"
@ptr_ptr = global ptr @ptr_two, section ".data.ptrptr"
@scratch = global [4 x i32] zeroinitializer
@ptr_scratch = global ptr getelementptr ([4 x i32], ptr @scratch, i32 0, i32 2)

; length of the common prefix of two NUL-terminated strings
define i32 @common_prefix(ptr %a, ptr %b) noinline nounwind {
entry:
  br label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %i1, %next ]
  %pa = getelementptr i8, ptr %a, i32 %i
  %pb = getelementptr i8, ptr %b, i32 %i
  %ca = load i8, ptr %pa
  %cb = load i8, ptr %pb
  %same = icmp eq i8 %ca, %cb
  %nz = icmp ne i8 %ca, 0
  %go = and i1 %same, %nz
  br i1 %go, label %next, label %out
next:
  %i1 = add i32 %i, 1
  br label %loop
out:
  ret i32 %i
}

; sum of a NUL-terminated string's bytes
define i32 @byte_sum(ptr %s) noinline nounwind {
entry:
  br label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %i1, %body ]
  %acc = phi i32 [ 0, %entry ], [ %acc1, %body ]
  %p = getelementptr i8, ptr %s, i32 %i
  %c = load i8, ptr %p
  %end = icmp eq i8 %c, 0
  br i1 %end, label %out, label %body
body:
  %cz = zext i8 %c to i32
  %acc1 = add i32 %acc, %cz
  %i1 = add i32 %i, 1
  br label %loop
out:
  ret i32 %acc
}

define i32 @main() nounwind {
entry:
  %one = load volatile ptr, ptr @ptr_one
  %two = load volatile ptr, ptr @ptr_two
  %eq = icmp eq ptr %one, %two
  br i1 %eq, label %fail1, label %prefix
prefix:
  %n = call i32 @common_prefix(ptr %one, ptr %two)
  %nok = icmp eq i32 %n, 6
  br i1 %nok, label %differ, label %fail2
differ:
  %d1p = getelementptr i8, ptr %one, i32 6
  %d2p = getelementptr i8, ptr %two, i32 6
  %d1 = load i8, ptr %d1p
  %d2 = load i8, ptr %d2p
  %d1ok = icmp eq i8 %d1, 49
  %d2ok = icmp eq i8 %d2, 50
  %dok = and i1 %d1ok, %d2ok
  br i1 %dok, label %sums, label %fail3
sums:
  %s1 = call i32 @byte_sum(ptr %one)
  %s2 = call i32 @byte_sum(ptr %two)
  %s1ok = icmp eq i32 %s1, 701
  %s2ok = icmp eq i32 %s2, 702
  %sok = and i1 %s1ok, %s2ok
  br i1 %sok, label %mid, label %fail4
mid:
  %m = load volatile ptr, ptr @ptr_mid
  %mi = ptrtoint ptr %m to i64
  %ti = ptrtoint ptr %two to i64
  %off = sub i64 %mi, %ti
  %offok = icmp eq i64 %off, 3
  %mt = call i32 @common_prefix(ptr %m, ptr @tail)
  %mtok = icmp eq i32 %mt, 4
  %mok = and i1 %offok, %mtok
  br i1 %mok, label %end, label %fail5
end:
  %e = load volatile ptr, ptr @ptr_end
  %ei = ptrtoint ptr %e to i64
  %oi = ptrtoint ptr %one to i64
  %eoff = sub i64 %ei, %oi
  %eok = icmp eq i64 %eoff, 8
  %last = getelementptr i8, ptr %e, i32 -1
  %lc = load i8, ptr %last
  %lcz = icmp eq i8 %lc, 0
  %endok = and i1 %eok, %lcz
  br i1 %endok, label %table_check, label %fail6
table_check:
  %t0 = load volatile ptr, ptr @table
  %t1p = getelementptr [3 x ptr], ptr @table, i32 0, i32 1
  %t1 = load volatile ptr, ptr %t1p
  %t2p = getelementptr [3 x ptr], ptr @table, i32 0, i32 2
  %t2 = load volatile ptr, ptr %t2p
  %t0ok = icmp eq ptr %t0, %two
  %t1ok = icmp eq ptr %t1, %one
  %t2ok = icmp eq ptr %t2, %m
  %ta = and i1 %t0ok, %t1ok
  %tok = and i1 %ta, %t2ok
  br i1 %tok, label %ptrptr, label %fail7
ptrptr:
  %pp = load volatile ptr, ptr @ptr_ptr
  %ppok = icmp eq ptr %pp, @ptr_two
  %via = load volatile ptr, ptr %pp
  %viaok = icmp eq ptr %via, %two
  %vn = call i32 @common_prefix(ptr %via, ptr %two)
  %vnok = icmp eq i32 %vn, 7
  %pa = and i1 %ppok, %viaok
  %pok = and i1 %pa, %vnok
  br i1 %pok, label %bss, label %fail8
bss:
  %sp = load volatile ptr, ptr @ptr_scratch
  store volatile i32 1234567, ptr %sp
  %s2p = getelementptr [4 x i32], ptr @scratch, i32 0, i32 2
  %back = load volatile i32, ptr %s2p
  %s1p = getelementptr [4 x i32], ptr @scratch, i32 0, i32 1
  %s3p = getelementptr [4 x i32], ptr @scratch, i32 0, i32 3
  %n1 = load volatile i32, ptr %s1p
  %n3 = load volatile i32, ptr %s3p
  %bok = icmp eq i32 %back, 1234567
  %nb = or i32 %n1, %n3
  %nbz = icmp eq i32 %nb, 0
  %bssok = and i1 %bok, %nbz
  br i1 %bssok, label %terminated, label %fail9
terminated:
  %z1p = getelementptr i8, ptr %one, i32 7
  %z2p = getelementptr i8, ptr %two, i32 7
  %z1 = load i8, ptr %z1p
  %z2 = load i8, ptr %z2p
  %z = or i8 %z1, %z2
  %zok = icmp eq i8 %z, 0
  br i1 %zok, label %ok, label %fail10
ok:
  ret i32 0
fail1:
  ret i32 1
fail2:
  ret i32 2
fail3:
  ret i32 3
fail4:
  ret i32 4
fail5:
  ret i32 5
fail6:
  ret i32 6
fail7:
  ret i32 7
fail8:
  ret i32 8
fail9:
  ret i32 9
fail10:
  ret i32 10
}
