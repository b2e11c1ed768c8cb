; rig: COMMON symbols: a 64-byte buffer with align 32, an i32 and an i64 array start zeroed and aligned; one common i32 is also declared COMMON by the extra module, and both modules update the one merged object
; EXTRA: extra/common_peer.ll
; STATUS: 0
; STDOUT: "buf aligned to 32\nbig aligned to 16\nall zero: 1\nbuf = <common symbols!>\nn = 15\nsquares sum = 1240\ntally = 11 (main 1 + peer 10)\n"

@buf = common global [64 x i8] zeroinitializer, align 32
@n = common global i32 0, align 4
@big = common global [16 x i64] zeroinitializer, align 16
@tally = common global i32 0, align 4

@s_aligned = private unnamed_addr constant [18 x i8] c"%s aligned to %d\0A\00"
@s_misaligned = private unnamed_addr constant [22 x i8] c"%s NOT aligned to %d\0A\00"
@s_buf = private unnamed_addr constant [4 x i8] c"buf\00"
@s_big = private unnamed_addr constant [4 x i8] c"big\00"
@s_zero = private unnamed_addr constant [14 x i8] c"all zero: %d\0A\00"
@s_text = private unnamed_addr constant [16 x i8] c"common symbols!\00"
@s_show = private unnamed_addr constant [12 x i8] c"buf = <%s>\0A\00"
@s_n = private unnamed_addr constant [8 x i8] c"n = %d\0A\00"
@s_sum = private unnamed_addr constant [20 x i8] c"squares sum = %lld\0A\00"
@s_tally = private unnamed_addr constant [31 x i8] c"tally = %d (main 1 + peer 10)\0A\00"

declare i32 @printf(ptr, ...)
declare ptr @strcpy(ptr, ptr)
declare void @peer_add(i32)

define internal void @check_align(ptr %name, ptr %p, i64 %align) {
  %a = ptrtoint ptr %p to i64
  %m = sub i64 %align, 1
  %low = and i64 %a, %m
  %ok = icmp eq i64 %low, 0
  %fmt = select i1 %ok, ptr @s_aligned, ptr @s_misaligned
  %al = trunc i64 %align to i32
  call i32 (ptr, ...) @printf(ptr %fmt, ptr %name, i32 %al)
  ret void
}

define i32 @main() {
entry:
  call void @check_align(ptr @s_buf, ptr @buf, i64 32)
  call void @check_align(ptr @s_big, ptr @big, i64 16)
  br label %scan_buf

scan_buf:                                   ; OR together every byte of buf
  %i = phi i32 [ 0, %entry ], [ %i1, %scan_buf ]
  %acc = phi i8 [ 0, %entry ], [ %acc1, %scan_buf ]
  %bp = getelementptr [64 x i8], ptr @buf, i32 0, i32 %i
  %b = load i8, ptr %bp
  %acc1 = or i8 %acc, %b
  %i1 = add i32 %i, 1
  %more = icmp slt i32 %i1, 64
  br i1 %more, label %scan_buf, label %scan_big

scan_big:                                   ; and every word of big
  %j = phi i32 [ 0, %scan_buf ], [ %j1, %scan_big ]
  %acc64 = phi i64 [ 0, %scan_buf ], [ %acc64.1, %scan_big ]
  %wp = getelementptr [16 x i64], ptr @big, i32 0, i32 %j
  %w = load i64, ptr %wp
  %acc64.1 = or i64 %acc64, %w
  %j1 = add i32 %j, 1
  %more2 = icmp slt i32 %j1, 16
  br i1 %more2, label %scan_big, label %report

report:
  %nv = load i32, ptr @n
  %tv = load i32, ptr @tally
  %bz = icmp eq i8 %acc1, 0
  %wz = icmp eq i64 %acc64.1, 0
  %nz = icmp eq i32 %nv, 0
  %tz = icmp eq i32 %tv, 0
  %z1 = and i1 %bz, %wz
  %z2 = and i1 %nz, %tz
  %z = and i1 %z1, %z2
  %zi = zext i1 %z to i32
  call i32 (ptr, ...) @printf(ptr @s_zero, i32 %zi)
  call ptr @strcpy(ptr @buf, ptr @s_text)
  call i32 (ptr, ...) @printf(ptr @s_show, ptr @buf)
  br label %count

count:                                      ; n = strlen(buf), counted by hand
  %k = phi i32 [ 0, %report ], [ %k1, %count ]
  %cp = getelementptr [64 x i8], ptr @buf, i32 0, i32 %k
  %c = load i8, ptr %cp
  %k1 = add i32 %k, 1
  %end = icmp eq i8 %c, 0
  br i1 %end, label %counted, label %count

counted:
  store i32 %k, ptr @n
  br label %fill

fill:                                       ; big[i] = i*i, summed back
  %f = phi i32 [ 0, %counted ], [ %f1, %fill ]
  %f64 = sext i32 %f to i64
  %sq = mul i64 %f64, %f64
  %fp = getelementptr [16 x i64], ptr @big, i32 0, i32 %f
  store i64 %sq, ptr %fp
  %f1 = add i32 %f, 1
  %more3 = icmp slt i32 %f1, 16
  br i1 %more3, label %fill, label %sum

sum:
  %s = phi i32 [ 0, %fill ], [ %s1, %sum ]
  %tot = phi i64 [ 0, %fill ], [ %tot1, %sum ]
  %sp = getelementptr [16 x i64], ptr @big, i32 0, i32 %s
  %sv = load i64, ptr %sp
  %tot1 = add i64 %tot, %sv
  %s1 = add i32 %s, 1
  %more4 = icmp slt i32 %s1, 16
  br i1 %more4, label %sum, label %done

done:
  %nn = load i32, ptr @n
  call i32 (ptr, ...) @printf(ptr @s_n, i32 %nn)
  call i32 (ptr, ...) @printf(ptr @s_sum, i64 %tot1)
  %t0 = load i32, ptr @tally
  %t1 = add i32 %t0, 1
  store i32 %t1, ptr @tally
  call void @peer_add(i32 10)
  %t2 = load i32, ptr @tally
  call i32 (ptr, ...) @printf(ptr @s_tally, i32 %t2)
  ret i32 0
}
