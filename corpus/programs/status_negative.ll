; rig: a negative return from main: -1 is exit status 255, with main taking (argc, argv) and returning through a computed value
; ARGS: a b c
; STATUS: 255
; STDOUT: "argc 4, returning -1\n"

@fmt = private unnamed_addr constant [23 x i8] c"argc %d, returning %d\0A\00"

declare i32 @printf(ptr, ...)

define i32 @main(i32 %argc, ptr %argv) {
  %v = sub i32 3, %argc
  call i32 (ptr, ...) @printf(ptr @fmt, i32 %argc, i32 %v)
  ret i32 %v
}
