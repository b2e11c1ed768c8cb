; rig: main's envp: walks the environment to its NULL terminator, and getenv for present, absent, empty and '='-containing variables
; ENV: HOME=/home/rig GREETING=hi "SPACED=a b  c" EMPTY= EQ=x=y
; STATUS: 0
; STDOUT: "envp[0]=HOME=/home/rig\nenvp[1]=GREETING=hi\nenvp[2]=SPACED=a b  c\nenvp[3]=EMPTY=\nenvp[4]=EQ=x=y\n5 entries\n"
; STDOUT: "GREETING -> <hi>\nSPACED -> <a b  c>\nEMPTY -> <>\nEQ -> <x=y>\nMISSING is not set\nGREET is not set\n"

@fmt_entry = private unnamed_addr constant [13 x i8] c"envp[%d]=%s\0A\00"
@fmt_count = private unnamed_addr constant [12 x i8] c"%d entries\0A\00"
@fmt_set = private unnamed_addr constant [12 x i8] c"%s -> <%s>\0A\00"
@fmt_unset = private unnamed_addr constant [15 x i8] c"%s is not set\0A\00"
@n_greeting = private unnamed_addr constant [9 x i8] c"GREETING\00"
@n_spaced = private unnamed_addr constant [7 x i8] c"SPACED\00"
@n_empty = private unnamed_addr constant [6 x i8] c"EMPTY\00"
@n_eq = private unnamed_addr constant [3 x i8] c"EQ\00"
@n_missing = private unnamed_addr constant [8 x i8] c"MISSING\00"
@n_greet = private unnamed_addr constant [6 x i8] c"GREET\00"

declare i32 @printf(ptr, ...)
declare ptr @getenv(ptr)

define internal void @show(ptr %name) {
  %v = call ptr @getenv(ptr %name)
  %unset = icmp eq ptr %v, null
  br i1 %unset, label %no, label %yes
yes:
  call i32 (ptr, ...) @printf(ptr @fmt_set, ptr %name, ptr %v)
  ret void
no:
  call i32 (ptr, ...) @printf(ptr @fmt_unset, ptr %name)
  ret void
}

define i32 @main(i32 %argc, ptr %argv, ptr %envp) {
entry:
  br label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %i1, %body ]
  %slot = getelementptr ptr, ptr %envp, i32 %i
  %e = load ptr, ptr %slot
  %end = icmp eq ptr %e, null
  br i1 %end, label %done, label %body
body:
  call i32 (ptr, ...) @printf(ptr @fmt_entry, i32 %i, ptr %e)
  %i1 = add i32 %i, 1
  br label %loop
done:
  call i32 (ptr, ...) @printf(ptr @fmt_count, i32 %i)
  call void @show(ptr @n_greeting)
  call void @show(ptr @n_spaced)
  call void @show(ptr @n_empty)
  call void @show(ptr @n_eq)
  call void @show(ptr @n_missing)
  call void @show(ptr @n_greet)
  ret i32 0
}
