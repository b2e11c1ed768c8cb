; rig: zero-initialised (bss) arrays as scratch space: a sieve of Eratosthenes cleared with memset of variable length, a memoised i64 fibonacci table that persists between calls, Pascal's triangle in a 2-D i64 bss array
; CALL: count_primes(100) == 25
; CALL: count_primes(2) == 0
; CALL: count_primes(3) == 1
; CALL: count_primes(5000) == 168
; CALL: nth_prime(1) == 2
; CALL: nth_prime(100) == 541
; CALL: nth_prime(168) == 997
; CALL: nth_prime(169) == -1
; CALL: fib_memo(90) == 2880067194370816120
; CALL: memo_hits() == 87
; CALL: fib_memo(50) == 12586269025
; CALL: memo_hits() == 88
; CALL: fib_memo(92) == 7540113804746346429
; CALL: memo_hits() == 91
; CALL: pascal(30, 15) == 155117520
; CALL: pascal(39, 19) == 68923264410
; CALL: pascal(5, 7) == 0
; RELOC: static pic

@sieve = internal global [1000 x i8] zeroinitializer, align 1
@sieve_n = internal global i32 0
@memo = internal global [93 x i64] zeroinitializer, align 8
@hits = global i32 0
@tri = internal global [40 x [40 x i64]] zeroinitializer, align 8

declare void @llvm.memset.p0.i64(ptr, i8, i64, i1)

; primes below min(n, 1000); leaves the sieve for nth_prime
define i32 @count_primes(i32 %n) #0 {
entry:
  %big = icmp sgt i32 %n, 1000
  %m0 = select i1 %big, i32 1000, i32 %n
  %neg = icmp slt i32 %m0, 0
  %m = select i1 %neg, i32 0, i32 %m0
  store i32 %m, ptr @sieve_n
  %m64 = zext i32 %m to i64
  call void @llvm.memset.p0.i64(ptr @sieve, i8 1, i64 %m64, i1 false)
  %few = icmp slt i32 %m, 2
  br i1 %few, label %zero, label %init
zero:
  ret i32 0
init:
  store i8 0, ptr @sieve
  %s1 = getelementptr inbounds [1000 x i8], ptr @sieve, i32 0, i32 1
  store i8 0, ptr %s1
  br label %outer
outer:
  %p = phi i32 [ 2, %init ], [ %p1, %outer_next ]
  %pp = mul i32 %p, %p
  %go = icmp slt i32 %pp, %m
  br i1 %go, label %check, label %count
check:
  %sp = getelementptr inbounds [1000 x i8], ptr @sieve, i32 0, i32 %p
  %isp = load i8, ptr %sp
  %prime = icmp ne i8 %isp, 0
  br i1 %prime, label %mark, label %outer_next
mark:
  %j = phi i32 [ %pp, %check ], [ %j1, %mark ]
  %jp = getelementptr inbounds [1000 x i8], ptr @sieve, i32 0, i32 %j
  store i8 0, ptr %jp
  %j1 = add i32 %j, %p
  %more = icmp slt i32 %j1, %m
  br i1 %more, label %mark, label %outer_next
outer_next:
  %p1 = add i32 %p, 1
  br label %outer
count:
  br label %cloop
cloop:
  %i = phi i32 [ 0, %count ], [ %i1, %cloop ]
  %c = phi i32 [ 0, %count ], [ %c1, %cloop ]
  %ip = getelementptr inbounds [1000 x i8], ptr @sieve, i32 0, i32 %i
  %v = load i8, ptr %ip
  %vz = zext i8 %v to i32
  %c1 = add i32 %c, %vz
  %i1 = add i32 %i, 1
  %cmore = icmp slt i32 %i1, %m
  br i1 %cmore, label %cloop, label %done
done:
  ret i32 %c1
}

; the k-th prime (1-based) in the last sieve, -1 if there are fewer
define i32 @nth_prime(i32 %k) #0 {
entry:
  %m = load i32, ptr @sieve_n
  br label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %i1, %next ]
  %left = phi i32 [ %k, %entry ], [ %left1, %next ]
  %inside = icmp slt i32 %i, %m
  br i1 %inside, label %body, label %none
body:
  %ip = getelementptr inbounds [1000 x i8], ptr @sieve, i32 0, i32 %i
  %v = load i8, ptr %ip
  %isp = icmp ne i8 %v, 0
  %dec = zext i1 %isp to i32
  %left1 = sub i32 %left, %dec
  %hit = icmp eq i32 %left1, 0
  %found = and i1 %isp, %hit
  br i1 %found, label %yes, label %next
next:
  %i1 = add i32 %i, 1
  br label %loop
yes:
  ret i32 %i
none:
  ret i32 -1
}

; fib(n) for 0 <= n <= 92 with a memo table in bss (0 = not yet known)
define i64 @fib_memo(i32 %n) #0 {
entry:
  %small = icmp slt i32 %n, 2
  br i1 %small, label %base, label %lookup
base:
  %b = sext i32 %n to i64
  ret i64 %b
lookup:
  %mp = getelementptr inbounds [93 x i64], ptr @memo, i32 0, i32 %n
  %mv = load i64, ptr %mp
  %known = icmp ne i64 %mv, 0
  br i1 %known, label %hit, label %compute
hit:
  %h = load i32, ptr @hits
  %h1 = add i32 %h, 1
  store i32 %h1, ptr @hits
  ret i64 %mv
compute:
  %n1 = sub i32 %n, 1
  %n2 = sub i32 %n, 2
  %a = call i64 @fib_memo(i32 %n1)
  %c = call i64 @fib_memo(i32 %n2)
  %r = add i64 %a, %c
  store i64 %r, ptr %mp
  ret i64 %r
}

define i32 @memo_hits() #0 {
  %h = load i32, ptr @hits
  ret i32 %h
}

; C(n, k) from Pascal's triangle built in a bss table, n < 40
define i64 @pascal(i32 %n, i32 %k) #0 {
entry:
  %bad_n = icmp ugt i32 %n, 39
  %bad_k = icmp ugt i32 %k, %n
  %bad = or i1 %bad_n, %bad_k
  br i1 %bad, label %zero, label %rows
zero:
  ret i64 0
rows:
  %r = phi i32 [ 0, %entry ], [ %r1, %row_done ]
  br label %cols
cols:
  %c = phi i32 [ 0, %rows ], [ %c1, %store ]
  %edge0 = icmp eq i32 %c, 0
  %edge1 = icmp eq i32 %c, %r
  %edge = or i1 %edge0, %edge1
  br i1 %edge, label %store, label %inner
inner:
  %rm1 = sub i32 %r, 1
  %cm1 = sub i32 %c, 1
  %pa = getelementptr inbounds [40 x [40 x i64]], ptr @tri, i32 0, i32 %rm1, i32 %cm1
  %pb = getelementptr inbounds [40 x [40 x i64]], ptr @tri, i32 0, i32 %rm1, i32 %c
  %a = load i64, ptr %pa
  %b = load i64, ptr %pb
  %s = add i64 %a, %b
  br label %store
store:
  %v = phi i64 [ 1, %cols ], [ %s, %inner ]
  %dst = getelementptr inbounds [40 x [40 x i64]], ptr @tri, i32 0, i32 %r, i32 %c
  store i64 %v, ptr %dst
  %c1 = add i32 %c, 1
  %cmore = icmp sle i32 %c1, %r
  br i1 %cmore, label %cols, label %row_done
row_done:
  %r1 = add i32 %r, 1
  %rmore = icmp sle i32 %r1, %n
  br i1 %rmore, label %rows, label %lookup
lookup:
  %res = getelementptr inbounds [40 x [40 x i64]], ptr @tri, i32 0, i32 %n, i32 %k
  %out = load i64, ptr %res
  ret i64 %out
}

attributes #0 = { nounwind }
