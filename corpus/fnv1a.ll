; rig: FNV-1a string hashing (32- and 64-bit) over a constant string and over words reached through a table of {pointer+offset, length} entries, with a bss bucket table of counts
; CALL: fnv32_text() == -1154986314
; CALL: fnv64_text() == -9192018654142879626
; CALL: fnv32_word(0) == 1335831723
; CALL: fnv32_word(1) == 1510275970
; CALL: fnv32_word(2) == 933488787
; CALL: fnv32_word(3) == 1335831723
; CALL: fnv32_word(4) == -1287658161
; CALL: fnv32_word(5) == 0
; CALL: same_word(0, 3) == 1
; CALL: same_word(0, 1) == 0
; CALL: count_word(0) == 1
; CALL: count_word(3) == 2
; CALL: count_word(1) == 1
; CALL: count_word(0) == 3
; CALL: count_word(4) == 1
; RELOC: static pic

@text = internal constant [35 x i8] c"hello relocated world, hello again\00", align 1

%word = type { ptr, i32 }
; pointers into the middle of @text: relocations with non-zero addends
@words = constant [5 x %word] [
  %word { ptr @text, i32 5 },
  %word { ptr getelementptr inbounds ([35 x i8], ptr @text, i32 0, i32 6), i32 9 },
  %word { ptr getelementptr inbounds ([35 x i8], ptr @text, i32 0, i32 16), i32 5 },
  %word { ptr getelementptr inbounds ([35 x i8], ptr @text, i32 0, i32 23), i32 5 },
  %word { ptr getelementptr inbounds ([35 x i8], ptr @text, i32 0, i32 29), i32 5 }
]

@buckets = internal global [16 x i32] zeroinitializer, align 4

declare i64 @strlen(ptr)

define internal i32 @fnv32(ptr %p, i32 %len) #0 {
entry:
  %empty = icmp eq i32 %len, 0
  br i1 %empty, label %done, label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %i1, %loop ]
  %h = phi i32 [ -2128831035, %entry ], [ %h2, %loop ]
  %bp = getelementptr inbounds i8, ptr %p, i32 %i
  %b = load i8, ptr %bp
  %bz = zext i8 %b to i32
  %h1 = xor i32 %h, %bz
  %h2 = mul i32 %h1, 16777619
  %i1 = add i32 %i, 1
  %more = icmp ult i32 %i1, %len
  br i1 %more, label %loop, label %done
done:
  %r = phi i32 [ -2128831035, %entry ], [ %h2, %loop ]
  ret i32 %r
}

; 64-bit FNV-1a over a NUL-terminated string
define internal i64 @fnv64_cstr(ptr %p) #0 {
entry:
  br label %loop
loop:
  %q = phi ptr [ %p, %entry ], [ %q1, %body ]
  %h = phi i64 [ -3750763034362895579, %entry ], [ %h2, %body ]
  %b = load i8, ptr %q
  %end = icmp eq i8 %b, 0
  br i1 %end, label %done, label %body
body:
  %bz = zext i8 %b to i64
  %h1 = xor i64 %h, %bz
  %h2 = mul i64 %h1, 1099511628211
  %q1 = getelementptr inbounds i8, ptr %q, i32 1
  br label %loop
done:
  ret i64 %h
}

define i32 @fnv32_text() #0 {
entry:
  %n64 = call i64 @strlen(ptr @text)
  %n = trunc i64 %n64 to i32
  %h = call i32 @fnv32(ptr @text, i32 %n)
  ret i32 %h
}

define i64 @fnv64_text() #0 {
entry:
  %h = call i64 @fnv64_cstr(ptr @text)
  ret i64 %h
}

; hash of word i, 0 when i is out of range
define i32 @fnv32_word(i32 %i) #0 {
entry:
  %ok = icmp ult i32 %i, 5
  br i1 %ok, label %get, label %bad
bad:
  ret i32 0
get:
  %pp = getelementptr inbounds [5 x %word], ptr @words, i32 0, i32 %i, i32 0
  %p = load ptr, ptr %pp
  %lp = getelementptr inbounds [5 x %word], ptr @words, i32 0, i32 %i, i32 1
  %len = load i32, ptr %lp
  %h = call i32 @fnv32(ptr %p, i32 %len)
  ret i32 %h
}

define i1 @same_word(i32 %a, i32 %b) #0 {
entry:
  %ha = call i32 @fnv32_word(i32 %a)
  %hb = call i32 @fnv32_word(i32 %b)
  %eq = icmp eq i32 %ha, %hb
  ret i1 %eq
}

; bumps the bucket of word i's hash and returns its new count
define i32 @count_word(i32 %i) #0 {
entry:
  %h = call i32 @fnv32_word(i32 %i)
  %k = and i32 %h, 15
  %bp = getelementptr inbounds [16 x i32], ptr @buckets, i32 0, i32 %k
  %c = load i32, ptr %bp
  %c1 = add i32 %c, 1
  store i32 %c1, ptr %bp
  ret i32 %c1
}

attributes #0 = { nounwind }
