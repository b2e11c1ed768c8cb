; rig: a tiny stack-machine bytecode interpreter with switch dispatch over 16 opcodes; programs in rodata reached through a pointer table, stack and registers in bss
; CALL: run(0, 10) == 3628800
; CALL: last_steps() == 118
; CALL: run(0, 12) == 479001600
; CALL: run(0, 0) == 1
; CALL: run(1, 10) == 385
; CALL: run(1, 100) == 338350
; CALL: last_steps() == 1106
; CALL: run(2, 987654321) == 45
; CALL: run(2, -1) == 57
; CALL: last_steps() == 138
; CALL: run(3, 5) == -1
; CALL: total_steps() == 1751
; RELOC: static pic

; opcodes: 0 HALT, 1 PUSH imm8, 2 ADD, 3 SUB, 4 MUL, 5 DUP, 6 SWAP, 7 OVER, 8 JNZ t,
; 9 DROP, 10 LOADR r, 11 STORER r, 12 ARG, 13 JMP t, 14 MODU, 15 DIVU

; factorial of arg, kept in registers r0 (acc) and r1 (n)
@prog_fact = internal constant [30 x i8] c"\0C\0B\01\01\01\0B\00\0A\01\08\0E\0A\00\00\0A\00\0A\01\04\0B\00\0A\01\01\01\03\0B\01\0D\07"
; sum of i*i for i = arg..1, purely on the stack
@prog_sumsq = internal constant [19 x i8] c"\01\00\0C\05\08\08\09\00\06\07\05\04\02\06\01\01\03\0D\03"
; decimal digit sum of arg as an unsigned number
@prog_digits = internal constant [33 x i8] c"\0C\0B\00\01\00\0B\01\0A\00\08\0E\0A\01\00\0A\01\0A\00\01\0A\0E\02\0B\01\0A\00\01\0A\0F\0B\00\0D\07"

@programs = internal constant [3 x ptr] [ptr @prog_fact, ptr @prog_sumsq, ptr @prog_digits]
@prog_len = internal constant [3 x i32] [i32 30, i32 19, i32 33]

@vm_stack = internal global [64 x i32] zeroinitializer, align 4
@vm_regs = internal global [4 x i32] zeroinitializer, align 4
@vm_sp = internal global i32 0, align 4
@vm_steps = global i32 0, align 4
@vm_total = global i32 0, align 4

declare void @llvm.memset.p0.i64(ptr, i8, i64, i1)

define internal void @push(i32 %v) #0 {
entry:
  %sp = load i32, ptr @vm_sp
  %slot = getelementptr inbounds [64 x i32], ptr @vm_stack, i32 0, i32 %sp
  store i32 %v, ptr %slot
  %sp1 = add i32 %sp, 1
  %sp2 = and i32 %sp1, 63
  store i32 %sp2, ptr @vm_sp
  ret void
}

define internal i32 @pop() #0 {
entry:
  %sp = load i32, ptr @vm_sp
  %sp1 = sub i32 %sp, 1
  %sp2 = and i32 %sp1, 63
  store i32 %sp2, ptr @vm_sp
  %slot = getelementptr inbounds [64 x i32], ptr @vm_stack, i32 0, i32 %sp2
  %v = load i32, ptr %slot
  ret i32 %v
}

; -1 unknown program, -2 step limit, -3 bad opcode, -4 pc out of range
define i32 @run(i32 %which, i32 %arg) #0 {
entry:
  %pcv = alloca i32, align 4
  %stepsv = alloca i32, align 4
  %known = icmp ult i32 %which, 3
  br i1 %known, label %start, label %unknown
unknown:
  ret i32 -1
start:
  %pp = getelementptr inbounds [3 x ptr], ptr @programs, i32 0, i32 %which
  %prog = load ptr, ptr %pp
  %lp = getelementptr inbounds [3 x i32], ptr @prog_len, i32 0, i32 %which
  %len = load i32, ptr %lp
  store i32 0, ptr %pcv
  store i32 0, ptr %stepsv
  store i32 0, ptr @vm_sp
  call void @llvm.memset.p0.i64(ptr @vm_regs, i8 0, i64 16, i1 false)
  br label %fetch

fetch:
  %steps = load i32, ptr %stepsv
  %limit = icmp uge i32 %steps, 100000
  br i1 %limit, label %too_long, label %check_pc
too_long:
  store i32 %steps, ptr @vm_steps
  ret i32 -2
check_pc:
  %pc = load i32, ptr %pcv
  %inside = icmp ult i32 %pc, %len
  br i1 %inside, label %decode, label %bad_pc
bad_pc:
  store i32 %steps, ptr @vm_steps
  ret i32 -4
decode:
  %steps1 = add i32 %steps, 1
  store i32 %steps1, ptr %stepsv
  %opp = getelementptr inbounds i8, ptr %prog, i32 %pc
  %op8 = load i8, ptr %opp
  %pc1 = add i32 %pc, 1
  %pc2 = add i32 %pc, 2
  %imm_p = getelementptr inbounds i8, ptr %prog, i32 %pc1
  switch i8 %op8, label %bad_op [
    i8 0, label %op_halt
    i8 1, label %op_push
    i8 2, label %op_binary
    i8 3, label %op_binary
    i8 4, label %op_binary
    i8 5, label %op_dup
    i8 6, label %op_swap
    i8 7, label %op_over
    i8 8, label %op_jnz
    i8 9, label %op_drop
    i8 10, label %op_loadr
    i8 11, label %op_storer
    i8 12, label %op_arg
    i8 13, label %op_jmp
    i8 14, label %op_binary
    i8 15, label %op_binary
  ]

op_halt:
  %res = call i32 @pop()
  store i32 %steps1, ptr @vm_steps
  %tot = load i32, ptr @vm_total
  %tot1 = add i32 %tot, %steps1
  store i32 %tot1, ptr @vm_total
  ret i32 %res

op_push:
  %imm8 = load i8, ptr %imm_p
  %imm = sext i8 %imm8 to i32
  call void @push(i32 %imm)
  store i32 %pc2, ptr %pcv
  br label %fetch

op_binary:
  %b = call i32 @pop()
  %a = call i32 @pop()
  %bz = icmp eq i32 %b, 0
  %safe_b = select i1 %bz, i32 1, i32 %b
  switch i8 %op8, label %bin_add [
    i8 3, label %bin_sub
    i8 4, label %bin_mul
    i8 14, label %bin_mod
    i8 15, label %bin_div
  ]
bin_add:
  %s_add = add i32 %a, %b
  br label %bin_done
bin_sub:
  %s_sub = sub i32 %a, %b
  br label %bin_done
bin_mul:
  %s_mul = mul i32 %a, %b
  br label %bin_done
bin_mod:
  %m = urem i32 %a, %safe_b
  %s_mod = select i1 %bz, i32 0, i32 %m
  br label %bin_done
bin_div:
  %d = udiv i32 %a, %safe_b
  %s_div = select i1 %bz, i32 0, i32 %d
  br label %bin_done
bin_done:
  %bv = phi i32 [ %s_add, %bin_add ], [ %s_sub, %bin_sub ], [ %s_mul, %bin_mul ],
                [ %s_mod, %bin_mod ], [ %s_div, %bin_div ]
  call void @push(i32 %bv)
  store i32 %pc1, ptr %pcv
  br label %fetch

op_dup:
  %x = call i32 @pop()
  call void @push(i32 %x)
  call void @push(i32 %x)
  store i32 %pc1, ptr %pcv
  br label %fetch

op_swap:
  %sb = call i32 @pop()
  %sa = call i32 @pop()
  call void @push(i32 %sb)
  call void @push(i32 %sa)
  store i32 %pc1, ptr %pcv
  br label %fetch

op_over:
  %ob = call i32 @pop()
  %oa = call i32 @pop()
  call void @push(i32 %oa)
  call void @push(i32 %ob)
  call void @push(i32 %oa)
  store i32 %pc1, ptr %pcv
  br label %fetch

op_jnz:
  %cond = call i32 @pop()
  %tgt8 = load i8, ptr %imm_p
  %tgt = zext i8 %tgt8 to i32
  %nz = icmp ne i32 %cond, 0
  %npc = select i1 %nz, i32 %tgt, i32 %pc2
  store i32 %npc, ptr %pcv
  br label %fetch

op_drop:
  %dropped = call i32 @pop()
  store i32 %pc1, ptr %pcv
  br label %fetch

op_loadr:
  %r8 = load i8, ptr %imm_p
  %r32 = zext i8 %r8 to i32
  %ri = and i32 %r32, 3
  %rp = getelementptr inbounds [4 x i32], ptr @vm_regs, i32 0, i32 %ri
  %rv = load i32, ptr %rp
  call void @push(i32 %rv)
  store i32 %pc2, ptr %pcv
  br label %fetch

op_storer:
  %w8 = load i8, ptr %imm_p
  %w32 = zext i8 %w8 to i32
  %wi = and i32 %w32, 3
  %wp = getelementptr inbounds [4 x i32], ptr @vm_regs, i32 0, i32 %wi
  %wv = call i32 @pop()
  store i32 %wv, ptr %wp
  store i32 %pc2, ptr %pcv
  br label %fetch

op_arg:
  call void @push(i32 %arg)
  store i32 %pc1, ptr %pcv
  br label %fetch

op_jmp:
  %j8 = load i8, ptr %imm_p
  %j = zext i8 %j8 to i32
  store i32 %j, ptr %pcv
  br label %fetch

bad_op:
  store i32 %steps1, ptr @vm_steps
  ret i32 -3
}

define i32 @last_steps() #0 {
entry:
  %s = load i32, ptr @vm_steps
  ret i32 %s
}

define i32 @total_steps() #0 {
entry:
  %s = load i32, ptr @vm_total
  ret i32 %s
}

attributes #0 = { nounwind }
