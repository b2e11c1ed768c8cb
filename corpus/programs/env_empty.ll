; rig: with no ENV line the environment is empty: envp[0] is NULL and getenv finds nothing
; STATUS: 0
; STDOUT: "0 environment entries\nHOME is not set\nPATH is not set\n"

@fmt_count = private unnamed_addr constant [24 x i8] c"%d environment entries\0A\00"
@fmt_unset = private unnamed_addr constant [15 x i8] c"%s is not set\0A\00"
@fmt_set = private unnamed_addr constant [7 x i8] c"%s=%s\0A\00"
@n_home = private unnamed_addr constant [5 x i8] c"HOME\00"
@n_path = private unnamed_addr constant [5 x i8] c"PATH\00"

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
  %i = phi i32 [ 0, %entry ], [ %i1, %loop ]
  %slot = getelementptr ptr, ptr %envp, i32 %i
  %e = load ptr, ptr %slot
  %i1 = add i32 %i, 1
  %end = icmp eq ptr %e, null
  br i1 %end, label %done, label %loop
done:
  call i32 (ptr, ...) @printf(ptr @fmt_count, i32 %i)
  call void @show(ptr @n_home)
  call void @show(ptr @n_path)
  ret i32 0
}
