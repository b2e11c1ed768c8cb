; rig: narrow integers: i8/i16/i1 parameters and returns, sign and zero extension, truncation, wrapping i8/i16 arithmetic, narrow division and shifts, byte/halfword arrays, byte packing, i16 counters in bss
; CALL: add8(100, 100) == -56
; CALL: add8(-100, 50) == -50
; CALL: mul16(300, 300) == 24464
; CALL: mul16(-300, 300) == -24464
; CALL: zext8(-1) == 255
; CALL: sext8(-1) == -1
; CALL: zext16(-2) == 65534
; CALL: sext16(-2) == -2
; CALL: trunc8(511) == -1
; CALL: trunc8(300) == 44
; CALL: udiv8(-16, 3) == 80
; CALL: udiv8(7, 0) == 0
; CALL: sdiv16(-30000, 7) == -4285
; CALL: sdiv16(-32768, -1) == -32768
; CALL: lshr8(-128, 3) == 16
; CALL: ashr8(-128, 3) == -16
; CALL: ashr8(-128, 11) == -16
; CALL: bswap16(4660) == 13330
; CALL: sum_bytes() == -3
; CALL: sum_ubytes() == 1021
; CALL: sum_halves() == 11343
; CALL: sum_uhalves() == 207951
; CALL: pack4(18, -1, -128, 127) == 2139160338
; CALL: unpack(2139160338, 2) == -128
; CALL: unpack(2139160338, 3) == 127
; CALL: ult8(-1, 1) == 0
; CALL: slt8(-1, 1) == 1
; CALL: choose(1, 5, 9) == 5
; CALL: choose(0, 5, 9) == 9
; CALL: add_byte(65) == 1
; CALL: add_byte(66) == 1
; CALL: add_byte(65) == 2
; CALL: add_byte(-63) == 3
; CALL: count_of(193) == 3
; RELOC: static pic

@bytes = global [8 x i8] c"\FF\02\FD\7F\80\002\CE", align 1
@halves = global [6 x i16] [i16 -32768, i16 32767, i16 -1, i16 1000, i16 -2000, i16 12345], align 2
; histogram of byte values seen by add_byte, indexed by the low 6 bits
@hist = internal global [64 x i16] zeroinitializer, align 2

declare i16 @llvm.bswap.i16(i16)

define i8 @add8(i8 %a, i8 %b) #0 {
  %r = add i8 %a, %b
  ret i8 %r
}

define i16 @mul16(i16 %a, i16 %b) #0 {
  %r = mul i16 %a, %b
  ret i16 %r
}

define i32 @zext8(i8 %x) #0 {
  %r = zext i8 %x to i32
  ret i32 %r
}

define i32 @sext8(i8 %x) #0 {
  %r = sext i8 %x to i32
  ret i32 %r
}

define i32 @zext16(i16 %x) #0 {
  %r = zext i16 %x to i32
  ret i32 %r
}

define i32 @sext16(i16 %x) #0 {
  %r = sext i16 %x to i32
  ret i32 %r
}

define i8 @trunc8(i32 %x) #0 {
  %r = trunc i32 %x to i8
  ret i8 %r
}

define i8 @udiv8(i8 %a, i8 %b) #0 {
entry:
  %z = icmp eq i8 %b, 0
  br i1 %z, label %zero, label %div
zero:
  ret i8 0
div:
  %q = udiv i8 %a, %b
  ret i8 %q
}

define i16 @sdiv16(i16 %a, i16 %b) #0 {
entry:
  %z = icmp eq i16 %b, 0
  %amin = icmp eq i16 %a, -32768
  %bm1 = icmp eq i16 %b, -1
  %ovf = and i1 %amin, %bm1
  %bad = or i1 %z, %ovf
  br i1 %bad, label %special, label %div
special:
  %s = select i1 %z, i16 0, i16 %a
  ret i16 %s
div:
  %q = sdiv i16 %a, %b
  ret i16 %q
}

define i8 @lshr8(i8 %x, i8 %s) #0 {
  %m = and i8 %s, 7
  %r = lshr i8 %x, %m
  ret i8 %r
}

define i8 @ashr8(i8 %x, i8 %s) #0 {
  %m = and i8 %s, 7
  %r = ashr i8 %x, %m
  ret i8 %r
}

define i16 @bswap16(i16 %x) #0 {
  %r = call i16 @llvm.bswap.i16(i16 %x)
  ret i16 %r
}

define i32 @sum_bytes() #0 {
entry:
  br label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %i1, %loop ]
  %s = phi i32 [ 0, %entry ], [ %s1, %loop ]
  %p = getelementptr inbounds [8 x i8], ptr @bytes, i32 0, i32 %i
  %b = load i8, ptr %p
  %v = sext i8 %b to i32
  %s1 = add i32 %s, %v
  %i1 = add i32 %i, 1
  %more = icmp ult i32 %i1, 8
  br i1 %more, label %loop, label %done
done:
  ret i32 %s1
}

define i32 @sum_ubytes() #0 {
entry:
  br label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %i1, %loop ]
  %s = phi i32 [ 0, %entry ], [ %s1, %loop ]
  %p = getelementptr inbounds [8 x i8], ptr @bytes, i32 0, i32 %i
  %b = load i8, ptr %p
  %v = zext i8 %b to i32
  %s1 = add i32 %s, %v
  %i1 = add i32 %i, 1
  %more = icmp ult i32 %i1, 8
  br i1 %more, label %loop, label %done
done:
  ret i32 %s1
}

define i32 @sum_halves() #0 {
entry:
  br label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %i1, %loop ]
  %s = phi i32 [ 0, %entry ], [ %s1, %loop ]
  %p = getelementptr inbounds [6 x i16], ptr @halves, i32 0, i32 %i
  %h = load i16, ptr %p
  %v = sext i16 %h to i32
  %s1 = add i32 %s, %v
  %i1 = add i32 %i, 1
  %more = icmp ult i32 %i1, 6
  br i1 %more, label %loop, label %done
done:
  ret i32 %s1
}

define i32 @sum_uhalves() #0 {
entry:
  br label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %i1, %loop ]
  %s = phi i32 [ 0, %entry ], [ %s1, %loop ]
  %p = getelementptr inbounds [6 x i16], ptr @halves, i32 0, i32 %i
  %h = load i16, ptr %p
  %v = zext i16 %h to i32
  %s1 = add i32 %s, %v
  %i1 = add i32 %i, 1
  %more = icmp ult i32 %i1, 6
  br i1 %more, label %loop, label %done
done:
  ret i32 %s1
}

; a | b << 8 | c << 16 | d << 24
define i32 @pack4(i8 %a, i8 %b, i8 %c, i8 %d) #0 {
  %a1 = zext i8 %a to i32
  %b1 = zext i8 %b to i32
  %c1 = zext i8 %c to i32
  %d1 = zext i8 %d to i32
  %b2 = shl i32 %b1, 8
  %c2 = shl i32 %c1, 16
  %d2 = shl i32 %d1, 24
  %ab = or i32 %a1, %b2
  %abc = or i32 %ab, %c2
  %r = or i32 %abc, %d2
  ret i32 %r
}

; byte k (0..3) of word, sign-extended as an i8 result
define i8 @unpack(i32 %word, i32 %k) #0 {
  %kk = and i32 %k, 3
  %sh = shl i32 %kk, 3
  %v = lshr i32 %word, %sh
  %r = trunc i32 %v to i8
  ret i8 %r
}

define i1 @ult8(i8 %a, i8 %b) #0 {
  %r = icmp ult i8 %a, %b
  ret i1 %r
}

define i1 @slt8(i8 %a, i8 %b) #0 {
  %r = icmp slt i8 %a, %b
  ret i1 %r
}

define i32 @choose(i1 %c, i32 %a, i32 %b) #0 {
  %r = select i1 %c, i32 %a, i32 %b
  ret i32 %r
}

; counts bytes by their low 6 bits in a bss array of i16; returns the new count
define i16 @add_byte(i8 %b) #0 {
  %z = zext i8 %b to i32
  %k = and i32 %z, 63
  %p = getelementptr inbounds [64 x i16], ptr @hist, i32 0, i32 %k
  %c = load i16, ptr %p
  %c1 = add i16 %c, 1
  store i16 %c1, ptr %p
  ret i16 %c1
}

define i32 @count_of(i32 %byte) #0 {
  %k = and i32 %byte, 63
  %p = getelementptr inbounds [64 x i16], ptr @hist, i32 0, i32 %k
  %c = load i16, ptr %p
  %r = zext i16 %c to i32
  ret i32 %r
}

attributes #0 = { nounwind }
