; rig: abort() after writing to both streams: status 134 (128 + SIGABRT), atexit handlers and destructors do not run
; STATUS: 134
; STDOUT: "working\n"
; STDERR: "fatal: cannot continue\n"

@llvm.global_dtors = appending global [1 x { i32, ptr, ptr }] [{ i32, ptr, ptr } { i32 65535, ptr @dtor, ptr null }]
@stdout = external global ptr
@stderr = external global ptr
@s_working = private unnamed_addr constant [8 x i8] c"working\00"
@s_fatal = private unnamed_addr constant [11 x i8] c"fatal: %s\0A\00"
@s_reason = private unnamed_addr constant [16 x i8] c"cannot continue\00"
@s_handler = private unnamed_addr constant [27 x i8] c"atexit handler ran (wrong)\00"
@s_dtor = private unnamed_addr constant [23 x i8] c"destructor ran (wrong)\00"
@s_after = private unnamed_addr constant [20 x i8] c"after abort (wrong)\00"

declare i32 @puts(ptr)
declare i32 @fprintf(ptr, ptr, ...)
declare i32 @fflush(ptr)
declare i32 @atexit(ptr)
declare void @abort()

define internal void @handler() {
  call i32 @puts(ptr @s_handler)
  ret void
}

define internal void @dtor() {
  call i32 @puts(ptr @s_dtor)
  ret void
}

define internal void @fail(ptr %why) noinline {
  %err = load ptr, ptr @stderr
  call i32 (ptr, ptr, ...) @fprintf(ptr %err, ptr @s_fatal, ptr %why)
  call void @abort()
  call i32 @puts(ptr @s_after)
  ret void
}

define i32 @main() {
  %r = call i32 @atexit(ptr @handler)
  call i32 @puts(ptr @s_working)
  ; abort does not flush stdio buffers: a real libc would lose buffered output
  %out = load ptr, ptr @stdout
  call i32 @fflush(ptr %out)
  call void @fail(ptr @s_reason)
  ret i32 0
}
