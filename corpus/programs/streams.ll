; rig: stdout and stderr interleaved through puts, printf, putchar, fputc, putc, fputs and fprintf on the FILE* loaded from @stdout/@stderr; partial lines; printf's and fputc's return values
; STATUS: 0
; STDOUT: "out 1\n"
; STDERR: "err 1\n"
; STDOUT: "out 2 (printf)\n"
; STDERR: "err 2 (fprintf 42)\n"
; STDOUT: "AB\n"
; STDERR: "E!\n"
; STDOUT: "partial: "
; STDERR: "[err in the middle]\n"
; STDOUT: "line end\nfputs to stdout\nZ\nprintf returned 15, fputc returned 90\n"
; STDERR: "last: no newline"

@stdout = external global ptr
@stderr = external global ptr
@s_out1 = private unnamed_addr constant [6 x i8] c"out 1\00"
@s_err1 = private unnamed_addr constant [7 x i8] c"err 1\0A\00"
@s_out2 = private unnamed_addr constant [13 x i8] c"out %d (%s)\0A\00"
@s_printf = private unnamed_addr constant [7 x i8] c"printf\00"
@s_err2 = private unnamed_addr constant [21 x i8] c"err %d (fprintf %d)\0A\00"
@s_partial = private unnamed_addr constant [10 x i8] c"partial: \00"
@s_middle = private unnamed_addr constant [21 x i8] c"[err in the middle]\0A\00"
@s_end = private unnamed_addr constant [10 x i8] c"line end\0A\00"
@s_fputs = private unnamed_addr constant [17 x i8] c"fputs to stdout\0A\00"
@s_ret = private unnamed_addr constant [39 x i8] c"printf returned %d, fputc returned %d\0A\00"
@s_last = private unnamed_addr constant [9 x i8] c"last: %s\00"
@s_nonl = private unnamed_addr constant [11 x i8] c"no newline\00"

declare i32 @puts(ptr)
declare i32 @printf(ptr, ...)
declare i32 @fprintf(ptr, ptr, ...)
declare i32 @fputs(ptr, ptr)
declare i32 @putchar(i32)
declare i32 @fputc(i32, ptr)
declare i32 @putc(i32, ptr)
declare i32 @fflush(ptr)

define internal void @flush_out() {
  %out = load ptr, ptr @stdout
  call i32 @fflush(ptr %out)
  ret void
}

define i32 @main() {
  %out = load ptr, ptr @stdout
  %err = load ptr, ptr @stderr
  call i32 @puts(ptr @s_out1)
  call void @flush_out()
  call i32 @fputs(ptr @s_err1, ptr %err)
  %n = call i32 (ptr, ...) @printf(ptr @s_out2, i32 2, ptr @s_printf)
  call void @flush_out()
  call i32 (ptr, ptr, ...) @fprintf(ptr %err, ptr @s_err2, i32 2, i32 42)
  call i32 @putchar(i32 65)
  call i32 @fputc(i32 66, ptr %out)
  call i32 @putc(i32 10, ptr %out)
  call void @flush_out()
  call i32 @fputc(i32 69, ptr %err)
  call i32 @putc(i32 33, ptr %err)
  call i32 @fputc(i32 10, ptr %err)
  call i32 (ptr, ...) @printf(ptr @s_partial)
  call void @flush_out()
  call i32 @fputs(ptr @s_middle, ptr %err)
  call i32 (ptr, ...) @printf(ptr @s_end)
  call i32 @fputs(ptr @s_fputs, ptr %out)
  %z = call i32 @fputc(i32 90, ptr %out)
  call i32 @fputc(i32 10, ptr %out)
  call i32 (ptr, ...) @printf(ptr @s_ret, i32 %n, i32 %z)
  call void @flush_out()
  call i32 (ptr, ptr, ...) @fprintf(ptr %err, ptr @s_last, ptr @s_nonl)
  ret i32 0
}
