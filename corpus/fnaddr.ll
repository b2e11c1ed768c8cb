; rig: addresses of external and local functions taken in code and stored in data must agree (canonical function addresses), calls through the GOT (nonlazybind externals), indirect calls through selected function addresses
; CALL: same_ext(0) == 1
; CALL: same_ext(1) == 1
; CALL: same_ext(2) == 1
; CALL: same_local(0) == 1
; CALL: same_local(1) == 1
; CALL: distinct() == 1
; CALL: pick_call(1, 6.25) == 2.5
; CALL: pick_call(0, -6.25) == 6.25
; CALL: got_len(0) == 11
; CALL: got_len(1) == 0
; CALL: got_cmp(0, 1) == -1
; CALL: count_ext() == 4
; RELOC: static pic

declare double @sqrt(double)
declare double @fabs(double)
declare i64 @strlen(ptr) nonlazybind
declare i32 @strcmp(ptr, ptr) nonlazybind

@s_hello = private unnamed_addr constant [12 x i8] c"hello world\00"
@s_empty = private unnamed_addr constant [1 x i8] zeroinitializer
@strs = internal constant [2 x ptr] [ptr @s_hello, ptr @s_empty]

; the same functions, addressed from data
@ext_table = constant [3 x ptr] [ptr @sqrt, ptr @fabs, ptr @strlen], align 8
@local_table = internal global [2 x ptr] [ptr @twice, ptr @thrice], align 8
@calls = internal global i32 0

define internal i32 @twice(i32 %x) #0 {
  %r = mul i32 %x, 2
  ret i32 %r
}

define i32 @thrice(i32 %x) #0 {
  %r = mul i32 %x, 3
  ret i32 %r
}

; ext_table[k] == the address taken in code
define i1 @same_ext(i32 %k) #0 {
entry:
  %i = urem i32 %k, 3
  %p = getelementptr inbounds [3 x ptr], ptr @ext_table, i32 0, i32 %i
  %f = load ptr, ptr %p
  %is0 = icmp eq i32 %i, 0
  %is1 = icmp eq i32 %i, 1
  %a = select i1 %is1, ptr @fabs, ptr @strlen
  %code = select i1 %is0, ptr @sqrt, ptr %a
  %eq = icmp eq ptr %f, %code
  ret i1 %eq
}

define i1 @same_local(i32 %k) #0 {
entry:
  %i = and i32 %k, 1
  %p = getelementptr inbounds [2 x ptr], ptr @local_table, i32 0, i32 %i
  %f = load ptr, ptr %p
  %is0 = icmp eq i32 %i, 0
  %code = select i1 %is0, ptr @twice, ptr @thrice
  %eq = icmp eq ptr %f, %code
  %r1 = call i32 %f(i32 7)
  %r2 = call i32 %code(i32 7)
  %same = icmp eq i32 %r1, %r2
  %ok = and i1 %eq, %same
  ret i1 %ok
}

; every function address in the tables is different and not null
define i1 @distinct() #0 {
entry:
  %a = load ptr, ptr @ext_table
  %bp = getelementptr inbounds [3 x ptr], ptr @ext_table, i32 0, i32 1
  %b = load ptr, ptr %bp
  %cp = getelementptr inbounds [3 x ptr], ptr @ext_table, i32 0, i32 2
  %c = load ptr, ptr %cp
  %d = load ptr, ptr @local_table
  %ab = icmp ne ptr %a, %b
  %ac = icmp ne ptr %a, %c
  %bc = icmp ne ptr %b, %c
  %ad = icmp ne ptr %a, %d
  %an = icmp ne ptr %a, null
  %dn = icmp ne ptr %d, null
  %t1 = and i1 %ab, %ac
  %t2 = and i1 %t1, %bc
  %t3 = and i1 %t2, %ad
  %t4 = and i1 %t3, %an
  %t5 = and i1 %t4, %dn
  ret i1 %t5
}

; sqrt or fabs chosen in code, called indirectly
define double @pick_call(i32 %which, double %x) #0 {
  %c = icmp ne i32 %which, 0
  %f = select i1 %c, ptr @sqrt, ptr @fabs
  %r = call double %f(double %x)
  %n = load i32, ptr @calls
  %n1 = add i32 %n, 1
  store i32 %n1, ptr @calls
  ret double %r
}

define i32 @got_len(i32 %k) #0 {
  %i = and i32 %k, 1
  %p = getelementptr inbounds [2 x ptr], ptr @strs, i32 0, i32 %i
  %s = load ptr, ptr %p
  %n = call i64 @strlen(ptr %s)
  %r = trunc i64 %n to i32
  %c = load i32, ptr @calls
  %c1 = add i32 %c, 1
  store i32 %c1, ptr @calls
  ret i32 %r
}

define i32 @got_cmp(i32 %a, i32 %b) #0 {
  %ia = and i32 %a, 1
  %ib = and i32 %b, 1
  %pa = getelementptr inbounds [2 x ptr], ptr @strs, i32 0, i32 %ia
  %pb = getelementptr inbounds [2 x ptr], ptr @strs, i32 0, i32 %ib
  %sa = load ptr, ptr %pa
  %sb = load ptr, ptr %pb
  %c = call i32 @strcmp(ptr %sb, ptr %sa)
  %neg = icmp slt i32 %c, 0
  %pos = icmp sgt i32 %c, 0
  %p = select i1 %pos, i32 1, i32 0
  %r = select i1 %neg, i32 -1, i32 %p
  ret i32 %r
}

; how many times pick_call and got_len ran
define i32 @count_ext() #0 {
  %n = load i32, ptr @calls
  ret i32 %n
}

attributes #0 = { nounwind }
