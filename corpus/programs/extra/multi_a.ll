; rig: extra module of multi_module.ll

@llvm.global_ctors = appending global [1 x { i32, ptr, ptr }] [{ i32, ptr, ptr } { i32 110, ptr @a_ctor, ptr null }]
@llvm.global_dtors = appending global [1 x { i32, ptr, ptr }] [{ i32, ptr, ptr } { i32 110, ptr @a_dtor, ptr null }]

@a_state = internal global i32 0
@s_ctor = private unnamed_addr constant [12 x i8] c"a: ctor 110\00"
@s_dtor = private unnamed_addr constant [12 x i8] c"a: dtor 110\00"

declare i32 @puts(ptr)
declare void @count_ctor()

define internal void @a_ctor() {
  call i32 @puts(ptr @s_ctor)
  call void @count_ctor()
  store i32 2, ptr @a_state
  ret void
}

define internal void @a_dtor() {
  call i32 @puts(ptr @s_dtor)
  ret void
}

define i32 @a_value() {
  %v = load i32, ptr @a_state
  ret i32 %v
}
