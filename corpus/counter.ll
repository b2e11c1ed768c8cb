; rig: static counters that persist between calls; globals of i32/i64 read and written (internal, dso_local, default visibility)
; CALL: next_id() == 1
; CALL: next_id() == 2
; CALL: next_id() == 3
; CALL: add_total(40) == 40
; CALL: add_total(2) == 42
; CALL: add_total(-5000000000) == -4999999958
; CALL: calls_made() == 6
; CALL: reset(100) == 3
; CALL: next_id() == 101
; CALL: calls_made() == 8
; CALL: peek_total() == -4999999958
; RELOC: static pic

; internal (local symbol), dso_local (direct access even in PIC), and default
; visibility (accessed through the GOT in PIC)
@counter = internal global i32 0, align 4
@calls = dso_local global i32 0, align 4
@total = global i64 0, align 8

define internal void @bump_calls() {
entry:
  %c = load i32, ptr @calls, align 4
  %c1 = add i32 %c, 1
  store i32 %c1, ptr @calls, align 4
  ret void
}

define i32 @next_id() {
entry:
  call void @bump_calls()
  %v = load i32, ptr @counter, align 4
  %v1 = add i32 %v, 1
  store i32 %v1, ptr @counter, align 4
  ret i32 %v1
}

define i64 @add_total(i64 %x) {
entry:
  call void @bump_calls()
  %t = load i64, ptr @total, align 8
  %t1 = add i64 %t, %x
  store i64 %t1, ptr @total, align 8
  ret i64 %t1
}

define i32 @calls_made() {
entry:
  %c = load volatile i32, ptr @calls, align 4
  ret i32 %c
}

; sets the id counter and returns its previous value
define i32 @reset(i32 %v) {
entry:
  call void @bump_calls()
  %old = load i32, ptr @counter, align 4
  store i32 %v, ptr @counter, align 4
  ret i32 %old
}

define i64 @peek_total() {
entry:
  %t = load i64, ptr @total, align 8
  ret i64 %t
}
