; rig: extra module of multi_module.ll

@llvm.global_ctors = appending global [1 x { i32, ptr, ptr }] [{ i32, ptr, ptr } { i32 130, ptr @b_ctor, ptr null }]
@llvm.global_dtors = appending global [1 x { i32, ptr, ptr }] [{ i32, ptr, ptr } { i32 130, ptr @b_dtor, ptr null }]

@b_state = internal global i32 0
@s_ctor = private unnamed_addr constant [12 x i8] c"b: ctor 130\00"
@s_dtor = private unnamed_addr constant [12 x i8] c"b: dtor 130\00"

declare i32 @puts(ptr)
declare void @count_ctor()

define internal void @b_ctor() {
  call i32 @puts(ptr @s_ctor)
  call void @count_ctor()
  store i32 4, ptr @b_state
  ret void
}

define internal void @b_dtor() {
  call i32 @puts(ptr @s_dtor)
  ret void
}

define i32 @b_value() {
  %v = load i32, ptr @b_state
  ret i32 %v
}
