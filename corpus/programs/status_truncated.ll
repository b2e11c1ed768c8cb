; rig: main's return value is the exit status truncated to 8 bits: 300 -> 44 (output written first is kept)
; STATUS: 44
; STDOUT: "returning 300\n"

@fmt = private unnamed_addr constant [14 x i8] c"returning %d\0A\00"

declare i32 @printf(ptr, ...)

define i32 @main() {
  %v = mul i32 15, 20
  call i32 (ptr, ...) @printf(ptr @fmt, i32 %v)
  ret i32 %v
}
