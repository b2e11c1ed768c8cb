; rig: retargeting: the file carries an x86-64 triple and datalayout, which the loader replaces with the target's; struct layout (i64, i32, i8, double, i16 fields) chosen so every target agrees on offsets, size and values
; STATUS: 0
; STDOUT: "offsets 0 8 12 16 24 size 32\nrecord: id=1099511627776 count=-5 tag=z ratio=2.500 small=-2\nsum of ids = 3298534883330\nscaled = 7.500\n"

target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

%rec = type { i64, i32, i8, double, i16 }

@records = global [2 x %rec] [%rec { i64 1099511627776, i32 -5, i8 122, double 2.5, i16 -2 }, %rec { i64 2199023255554, i32 7, i8 97, double 0.5, i16 3 }]

@s_offsets = private unnamed_addr constant [32 x i8] c"offsets %d %d %d %d %d size %d\0A\00"
@s_record = private unnamed_addr constant [53 x i8] c"record: id=%lld count=%d tag=%c ratio=%.3f small=%d\0A\00"
@s_sum = private unnamed_addr constant [19 x i8] c"sum of ids = %lld\0A\00"
@s_scaled = private unnamed_addr constant [15 x i8] c"scaled = %.3f\0A\00"

declare i32 @printf(ptr, ...)

define internal i32 @offset(ptr %field) {
  %b = ptrtoint ptr @records to i64
  %f = ptrtoint ptr %field to i64
  %d = sub i64 %f, %b
  %r = trunc i64 %d to i32
  ret i32 %r
}

define i32 @main() {
  %f0 = getelementptr %rec, ptr @records, i32 0, i32 0
  %f1 = getelementptr %rec, ptr @records, i32 0, i32 1
  %f2 = getelementptr %rec, ptr @records, i32 0, i32 2
  %f3 = getelementptr %rec, ptr @records, i32 0, i32 3
  %f4 = getelementptr %rec, ptr @records, i32 0, i32 4
  %next = getelementptr %rec, ptr @records, i32 1
  %o0 = call i32 @offset(ptr %f0)
  %o1 = call i32 @offset(ptr %f1)
  %o2 = call i32 @offset(ptr %f2)
  %o3 = call i32 @offset(ptr %f3)
  %o4 = call i32 @offset(ptr %f4)
  %sz = call i32 @offset(ptr %next)
  call i32 (ptr, ...) @printf(ptr @s_offsets, i32 %o0, i32 %o1, i32 %o2, i32 %o3, i32 %o4, i32 %sz)
  %id = load i64, ptr %f0
  %count = load i32, ptr %f1
  %tag = load i8, ptr %f2
  %tagi = zext i8 %tag to i32
  %ratio = load double, ptr %f3
  %small = load i16, ptr %f4
  %smalli = sext i16 %small to i32
  call i32 (ptr, ...) @printf(ptr @s_record, i64 %id, i32 %count, i32 %tagi, double %ratio, i32 %smalli)
  %id2p = getelementptr %rec, ptr @records, i32 1, i32 0
  %id2 = load i64, ptr %id2p
  %sum = add i64 %id, %id2
  call i32 (ptr, ...) @printf(ptr @s_sum, i64 %sum)
  %r2p = getelementptr %rec, ptr @records, i32 1, i32 3
  %r2 = load double, ptr %r2p
  %c2p = getelementptr %rec, ptr @records, i32 1, i32 1
  %c2 = load i32, ptr %c2p
  %c2d = sitofp i32 %c2 to double
  %prod = fmul double %r2, %c2d
  %prod2 = fadd double %prod, %ratio
  %prod3 = fadd double %prod2, 1.5
  call i32 (ptr, ...) @printf(ptr @s_scaled, double %prod3)
  ret i32 0
}
