; rig: _exit(9) ends the program at once: output flushed before it is kept, but atexit handlers and static destructors do not run
; STATUS: 9
; STDOUT: "registered handler\nabout to _exit(9)\n"
; STDERR: "stderr before _exit\n"

@llvm.global_dtors = appending global [1 x { i32, ptr, ptr }] [{ i32, ptr, ptr } { i32 65535, ptr @dtor, ptr null }]
@stdout = external global ptr
@stderr = external global ptr
@s_registered = private unnamed_addr constant [19 x i8] c"registered handler\00"
@s_about = private unnamed_addr constant [20 x i8] c"about to _exit(%d)\0A\00"
@s_err = private unnamed_addr constant [21 x i8] c"stderr before _exit\0A\00"
@s_handler = private unnamed_addr constant [27 x i8] c"atexit handler ran (wrong)\00"
@s_dtor = private unnamed_addr constant [23 x i8] c"destructor ran (wrong)\00"
@s_after = private unnamed_addr constant [20 x i8] c"after _exit (wrong)\00"

declare i32 @printf(ptr, ...)
declare i32 @puts(ptr)
declare i32 @fputs(ptr, ptr)
declare i32 @fflush(ptr)
declare i32 @atexit(ptr)
declare void @_exit(i32)

define internal void @handler() {
  call i32 @puts(ptr @s_handler)
  ret void
}

define internal void @dtor() {
  call i32 @puts(ptr @s_dtor)
  ret void
}

define i32 @main() {
  %r = call i32 @atexit(ptr @handler)
  call i32 @puts(ptr @s_registered)
  call i32 (ptr, ...) @printf(ptr @s_about, i32 9)
  ; _exit does not flush stdio buffers: a real libc would lose buffered output
  %out = load ptr, ptr @stdout
  call i32 @fflush(ptr %out)
  %err = load ptr, ptr @stderr
  call i32 @fputs(ptr @s_err, ptr %err)
  call void @_exit(i32 9)
  call i32 @puts(ptr @s_after)
  ret i32 0
}
