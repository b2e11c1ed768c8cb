"""Hostile programs against the host runtime: what they ask for is bounded, and they end
as they would under Linux.

Each case runs on every target it applies to, with the Python host runtime (the default),
and checks the error class or exit status, that host memory stayed bounded (the growth of
the process's peak resident set, not timing), and that the same `Jit` then runs a good
program.
"""
from __future__ import annotations

import re
import resource

import pytest

import rig
from rig.errors import EmulationFault, HostFunctionError, LimitExceeded, TimeLimitExceeded
from rig.limits import Limits
from rig.runtime import HostFunction

TARGETS = ["x86_64", "arm", "thumb", "aarch64"]
MB = 1 << 20
#: peak resident growth one hostile program may cause (they used to take 1 to 6 GiB)
MEMORY_BOUND = 300 * MB

GOOD = """
@.ok = private constant [3 x i8] c"ok\\00"
declare i32 @puts(ptr)
define i32 @main() {
  call i32 @puts(ptr @.ok)
  ret i32 7
}
"""


def size_t(target: str) -> str:
    return "i64" if target in ("x86_64", "aarch64") else "i32"


def ir(target: str, text: str) -> str:
    """`text` with iW as the target's size_t."""
    return text.replace("iW", size_t(target))


def peak() -> int:
    """The process's peak resident set so far, in bytes (ru_maxrss is KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


class Bounded:
    """Asserts the peak resident set grew by less than `MEMORY_BOUND` inside the block."""

    def __enter__(self):
        self.start = peak()
        return self

    def __exit__(self, *exc):
        grew = peak() - self.start
        assert grew < MEMORY_BOUND, f"peak resident set grew by {grew / MB:.0f} MB"


def called_from(text: str, mod, function: str) -> bool:
    """The report's "called from 0x..." is inside `function` (by address: Arm's mapping
    symbols, $a and $t, may name the place instead of the function)."""
    m = re.search(r"called from (0x[0-9a-f]+)", text)
    assert m, text
    sym = next(s for s in mod.object.symbols if s.name == function)
    start = mod.address(function)
    return start < int(m.group(1), 16) <= start + sym.size


def still_works(jit, *hostile) -> None:
    """The same Jit, with the hostile modules unloaded, runs a good program."""
    for mod in hostile:
        jit.unload(mod)
    good = jit.load(GOOD, name="good.ll")
    jit.timeout = max(jit.timeout, 10.0)      # a test's short limit is for the hostile program
    r = jit.run()
    assert (r.status, r.stdout, r.ended) == (7, b"ok\n", "return"), r
    jit.unload(good)


# -- printf: conversion width and precision, the size of one call's output ---------------

PRINTF = """
@.wide = private constant [13 x i8] c"%2147483647d\\00"
@.precise = private constant [7 x i8] c"%.*f|\\0A\\00"
@.twice = private constant [17 x i8] c"%900000d%900000d\\00"
declare i32 @printf(ptr, ...)
define i32 @wide() noinline {
  %r = notail call i32 (ptr, ...) @printf(ptr @.wide, i32 1)
  ret i32 %r
}
define i32 @precise(i32 %p) noinline {
  %r = notail call i32 (ptr, ...) @printf(ptr @.precise, i32 %p, double 1.5)
  ret i32 %r
}
@.s = private constant [5 x i8] c"%.*s\\00"
@.abc = private constant [4 x i8] c"abc\\00"
define i32 @bounded(i32 %p) noinline {
  %r = notail call i32 (ptr, ...) @printf(ptr @.s, i32 %p, ptr @.abc)
  ret i32 %r
}
define i32 @twice() noinline {
  %r = notail call i32 (ptr, ...) @printf(ptr @.twice, i32 1, i32 2)
  ret i32 %r
}
define i32 @main() {
  %r = notail call i32 @wide()
  ret i32 %r
}
"""


@pytest.mark.parametrize("target", TARGETS)
def test_printf_width_is_bounded_by_host_buffer(target):
    with rig.Jit(target) as jit, Bounded():
        mod = jit.load(ir(target, PRINTF))
        with pytest.raises(LimitExceeded, match=r"printf.*%2147483647d.*host_buffer") as e:
            jit.run()
        assert (e.value.limit, e.value.asked, e.value.allowed) == ("host_buffer", 2147483647, 64 * MB)
        assert called_from(str(e.value), mod, "wide")
        with pytest.raises(LimitExceeded, match="precision"):
            mod.call("precise", 2147483647)
        assert mod.call("precise", 3) == 7               # "1.500|\n": within the limit it still works
        assert mod.call("bounded", 2147483647) == 3      # a %s precision only caps the read
        still_works(jit, mod)


def test_one_printf_output_is_bounded_by_host_buffer():
    src = PRINTF.replace("%r = notail call i32 @wide()", "%r = notail call i32 @twice()")
    with rig.Jit("x86_64", limits=Limits(host_buffer=MB)) as jit:
        mod = jit.load(src)
        with pytest.raises(LimitExceeded, match="printf: the formatted output") as e:
            jit.run()                              # each conversion fits, both together do not
        assert (e.value.limit, e.value.asked) == ("host_buffer", 1_800_000)
        still_works(jit, mod)


# -- memset / memcpy / memmove / strlen / memcmp with lengths past the mapping -----------

MEMORY = """
@n = global iW -1
@end = global iW 0
@sink = global ptr null
declare ptr @memset(ptr, i32, iW)
declare ptr @memcpy(ptr, ptr, iW)
declare ptr @memmove(ptr, ptr, iW)
declare i32 @memcmp(ptr, ptr, iW)
declare iW @strlen(ptr)
declare ptr @malloc(iW)
define i32 @main(i32 %argc, ptr %argv) {
  %p = call ptr @malloc(iW 64)
  %q = call ptr @malloc(iW 64)
  %n = load volatile iW, ptr @n
  %a1 = getelementptr ptr, ptr %argv, i32 1
  %arg = load ptr, ptr %a1
  %which = load i8, ptr %arg
  switch i8 %which, label %set [ i8 99, label %cpy
                                 i8 109, label %mov
                                 i8 108, label %len
                                 i8 107, label %cmp ]
set:
  call ptr @memset(ptr %p, i32 0, iW %n)
  br label %done
cpy:
  call ptr @memcpy(ptr %q, ptr %p, iW %n)
  br label %done
mov:
  %p8 = getelementptr i8, ptr %p, i32 8
  call ptr @memmove(ptr %p8, ptr %p, iW %n)
  br label %done
len:
  ; fill from p to the end of the heap, then look for a NUL that is not there
  %e = load volatile iW, ptr @end
  %pi = ptrtoint ptr %p to iW
  %rest = sub iW %e, %pi
  call ptr @memset(ptr %p, i32 1, iW %rest)
  %l = call iW @strlen(ptr %p)
  %lw = inttoptr iW %l to ptr
  store volatile ptr %lw, ptr @sink
  br label %done
cmp:
  %c = call i32 @memcmp(ptr %p, ptr %q, iW %n)
  %cw = inttoptr i32 %c to ptr
  store volatile ptr %cw, ptr @sink
  br label %done
done:
  store volatile ptr %p, ptr @sink
  store volatile ptr %q, ptr @sink
  ret i32 0
}
"""
CALLS = {"s": "memset", "c": "memcpy", "m": "memmove", "k": "memcmp"}


@pytest.mark.parametrize("target", TARGETS)
def test_huge_lengths_fault_like_c_without_host_memory(target):
    """memset/memcpy/memmove of SIZE_MAX, and memcmp of two equal buffers that long: SIGSEGV
    (status 139) naming the function and its caller, not gigabytes of host memory or an
    OverflowError; memcmp of buffers that differ stops there, as C's does."""
    with rig.Jit(target, seed=1) as jit, Bounded():
        mod = jit.load(ir(target, MEMORY))
        for arg, name in CALLS.items():
            r = jit.run([arg])
            # (memcmp: two blocks of a fresh heap, zero up to its end, where the later one faults)
            assert (r.status, r.ended, r.signal) == (139, "fault", 11), (name, r)
            assert f"in host function {name}, called from" in r.error and called_from(r.error, mod, "main")
            assert "memory not mapped at" in r.error
        still_works(jit, mod)


@pytest.mark.parametrize("target", TARGETS)
def test_strlen_of_unterminated_memory_faults_at_its_end(target):
    with rig.Jit(target, seed=1) as jit, Bounded():
        mod = jit.load(ir(target, MEMORY))
        heap = jit.process.heap
        jit.write(mod.address("end"), (heap.base + heap.size).to_bytes(jit.target.pointer_size, "little"))
        r = jit.run(["l"])
        assert (r.status, r.ended) == (139, "fault"), r
        assert "host function strlen" in r.error and f"{heap.base + heap.size:#x}" in r.error
        still_works(jit, mod)


def test_chunked_memset_memmove_memcmp_are_exact():
    """Lengths over one chunk: overlapping moves both ways keep the source intact."""
    src = """
    declare ptr @memset(ptr, i32, i64)
    declare ptr @memmove(ptr, ptr, i64)
    declare i32 @memcmp(ptr, ptr, i64)
    define void @set(ptr %p, i32 %c, i64 %n) { call ptr @memset(ptr %p, i32 %c, i64 %n)
      ret void }
    define void @move(ptr %d, ptr %s, i64 %n) { call ptr @memmove(ptr %d, ptr %s, i64 %n)
      ret void }
    define i32 @cmp(ptr %a, ptr %b, i64 %n) { %r = call i32 @memcmp(ptr %a, ptr %b, i64 %n)
      ret i32 %r }
    """
    n = 3 * MB + 123
    with rig.Jit("x86_64", heap_size=32 * MB) as jit, Bounded():
        mod = jit.load(src)
        block = jit.alloc(n + 2 * MB)
        pattern = bytes(range(251)) * (n // 251 + 1)
        for shift in (MB + 7, -(MB + 7), 5, -5):
            jit.write(block, pattern[:n] + bytes(2 * MB))
            base = block + (MB + 7 if shift < 0 else 0)
            if shift < 0:
                jit.write(base, pattern[:n])
            mod.call("move", base + shift, base, n)
            assert jit.read(base + shift, n) == pattern[:n], shift
        mod.call("set", block, 0xAB, n)
        assert jit.read(block, n) == b"\xab" * n
        other = jit.alloc(n)
        jit.write(other, b"\xab" * n)
        assert mod.call("cmp", block, other, n) == 0
        jit.write(other + n - 1, b"\xac")
        assert mod.call("cmp", block, other, n) == 0xAB - 0xAC


# -- the output of a run ------------------------------------------------------------------

FLOOD = """
@.line = private constant [10 x i8] c"%099999d\\0A\\00"
declare i32 @printf(ptr, ...)
define i32 @main() {
entry:
  br label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %j, %loop ]
  call i32 (ptr, ...) @printf(ptr @.line, i32 %i)
  %j = add i32 %i, 1
  br label %loop
}
"""


@pytest.mark.parametrize("target", TARGETS)
def test_output_of_a_run_is_capped(target):
    """A program printing without end stops at Limits.output (the run raises LimitExceeded)."""
    with rig.Jit(target, limits=Limits(output=2 * MB)) as jit, Bounded():
        mod = jit.load(FLOOD)
        with pytest.raises(LimitExceeded, match=r"in host function printf, called from ") as e:
            jit.run()
        assert called_from(str(e.value), mod, "main")
        assert (e.value.limit, e.value.allowed) == ("output", 2 * MB)
        assert e.value.asked == 21 * 100_000          # the write that would have crossed it
        still_works(jit, mod)


# -- exit handlers: a count, and the run's budget and deadline ---------------------------

ATEXIT = """
@spin = global i32 0
declare i32 @atexit(ptr)
define void @again() {
entry:
  %n = load volatile i32, ptr @spin
  br label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %j, %loop ]
  %j = add i32 %i, 1
  store volatile i32 %j, ptr @spin
  %more = icmp slt i32 %j, %n
  br i1 %more, label %loop, label %out
out:
  store volatile i32 %n, ptr @spin
  call i32 @atexit(ptr @again)
  ret void
}
define i32 @main() {
  call i32 @atexit(ptr @again)
  ret i32 0
}
"""


@pytest.mark.parametrize("target", TARGETS)
def test_exit_handler_registering_itself_is_counted(target):
    with rig.Jit(target, limits=Limits(exit_handlers=500)) as jit, Bounded():
        mod = jit.load(ATEXIT)
        with pytest.raises(LimitExceeded, match=r"exit handlers run by one exit \(the next: again\+0x0,") as e:
            jit.run()
        assert (e.value.limit, e.value.asked, e.value.allowed) == ("exit_handlers", 501, 500)
        still_works(jit, mod)


@pytest.mark.parametrize("target", TARGETS)
def test_exit_handlers_share_the_runs_instruction_budget(target):
    """Each handler spins 1,000 iterations: alone each fits the budget; together they do not."""
    with rig.Jit(target, budget=2_000_000) as jit:
        mod = jit.load(ATEXIT)
        jit.write(mod.address("spin"), (1000).to_bytes(4, "little"))
        r = jit.run()
        assert (r.status, r.ended, r.signal) == (137, "limit", 9), r
        assert "the program ran past its budget of 2000000 instructions" in r.error
        still_works(jit, mod)


def test_exit_handlers_share_the_runs_deadline():
    with rig.Jit("aarch64", budget=0, timeout=0.3, limits=Limits(exit_handlers=1 << 40)) as jit:
        mod = jit.load(ATEXIT)
        r = jit.run()
        assert (r.status, r.ended, r.signal) == (137, "limit", 9), r
        assert "0.3 s limit" in r.error
        still_works(jit, mod)


def test_exit_handler_registrations_are_counted():
    src = """
    @registered = global i32 0
    declare i32 @atexit(ptr)
    define void @h() { store volatile i32 1, ptr @registered
      ret void }
    define i32 @main() {
    entry:
      br label %loop
    loop:
      %r = call i32 @atexit(ptr @h)
      store volatile i32 %r, ptr @registered
      br label %loop
    }
    """
    with rig.Jit("arm", limits=Limits(exit_handlers=100)) as jit:
        mod = jit.load(src)
        with pytest.raises(LimitExceeded, match=r"exit handlers registered \(the last: h\+0x0,") as e:
            jit.run()
        assert (e.value.limit, e.value.asked) == ("exit_handlers", 101)
        still_works(jit, mod)


# -- a host function sees the deadline -----------------------------------------------------

def test_a_long_host_function_stops_at_the_deadline():
    """The watchdog cannot stop Python code: a host function doing work the guest sized
    checks the deadline itself (`ctx.checkpoint()`); crossing it ends the call."""
    src = """
    declare void @forever()
    define void @f() noinline { notail call void @forever()
      ret void }
    define i32 @main() { notail call void @f()
      ret i32 0 }
    """

    def forever(ctx):
        while True:
            ctx.checkpoint()

    for target in ("x86_64", "thumb"):
        with rig.Jit(target, timeout=0.5,
                     host_functions={"forever": HostFunction.of("forever", "void()", forever)}) as jit:
            mod = jit.load(src)
            with pytest.raises(TimeLimitExceeded, match=r"in host function forever, called from .*0\.5 s limit") as e:
                mod.call("f")
            assert called_from(str(e.value), mod, "f")
            r = jit.run()
            assert (r.status, r.ended, r.signal) == (137, "limit", 9), r
            assert "host function forever" in r.error
            still_works(jit, mod)


# -- free of a bad pointer ----------------------------------------------------------------

FREE = """
@heap = global ptr null
declare void @free(ptr)
declare ptr @malloc(iW)
declare i32 @puts(ptr)
@.before = private constant [7 x i8] c"before\\00"
define void @bad() noinline {
  notail call void @free(ptr inttoptr (iW 4096 to ptr))
  ret void
}
define void @twice() noinline {
  %p = call ptr @malloc(iW 8)
  store volatile ptr %p, ptr @heap
  call void @free(ptr %p)
  %q = load volatile ptr, ptr @heap
  notail call void @free(ptr %q)
  ret void
}
define i32 @main(i32 %argc) {
  call i32 @puts(ptr @.before)
  %two = icmp sgt i32 %argc, 1
  br i1 %two, label %t, label %b
t:
  call void @twice()
  ret i32 0
b:
  call void @bad()
  ret i32 0
}
"""


@pytest.mark.parametrize("target", TARGETS)
def test_free_of_a_bad_pointer_aborts_the_program(target):
    with rig.Jit(target) as jit:
        mod = jit.load(ir(target, FREE))
        for args in ((), ("twice",)):
            r = jit.run(args)
            assert (r.status, r.ended, r.signal) == (134, "abort", 6), r
            assert r.output == ((1, b"before\n"), (2, b"free(): invalid pointer\n"))
            assert "not a pointer malloc returned" in r.error
            assert called_from(r.error, mod, "twice" if args else "bad")
        # a direct call is no program: the host function's error, naming it and its caller
        with pytest.raises(HostFunctionError, match=r"in host function free, called from .*free\(0x1000\)") as e:
            mod.call("bad")
        assert called_from(str(e.value), mod, "bad")
        still_works(jit, mod)


# -- signals as Linux sends them ------------------------------------------------------------

SIGNALS = """
@zero = global i32 0
@minus = global i32 -1
@null = global ptr null
@odd = global [16 x i8] zeroinitializer, align 8
declare void @llvm.trap()
declare void @abort()
define i32 @div(i32 %a) {
  %z = load volatile i32, ptr @zero
  %r = sdiv i32 %a, %z
  ret i32 %r
}
define i32 @overflow() {
  %m = load volatile i32, ptr @minus
  %r = sdiv i32 -2147483648, %m
  ret i32 %r
}
define void @store_null() {
  %p = load volatile ptr, ptr @null
  store volatile i32 1, ptr %p
  ret void
}
define void @trap() {
  call void @llvm.trap()
  unreachable
}
define void @call_null() noinline {
  %f = load volatile ptr, ptr @null
  notail call void %f()
  ret void
}
EXCLUSIVE
define i32 @main(i32 %argc, ptr %argv) {
  %a1 = getelementptr ptr, ptr %argv, i32 1
  %arg = load ptr, ptr %a1
  %which = load i8, ptr %arg
  switch i8 %which, label %other [ i8 100, label %d
                                   i8 111, label %o
                                   i8 115, label %s
                                   i8 116, label %t
                                   i8 110, label %n
                                   i8 97, label %a
                                   i8 120, label %x ]
d:
  %r = call i32 @div(i32 7)
  ret i32 %r
o:
  %r2 = call i32 @overflow()
  ret i32 %r2
s:
  call void @store_null()
  ret i32 0
t:
  call void @trap()
  ret i32 0
n:
  call void @call_null()
  ret i32 0
a:
  call void @abort()
  ret i32 0
x:
  %v = call i32 @exclusive()
  ret i32 %v
other:
  ret i32 1
}
"""
EXCLUSIVE = {
    "x86_64": "define i32 @exclusive() { ret i32 0 }",
    "arm": """declare i32 @llvm.arm.ldrex.p0(ptr)
define i32 @exclusive() {
  %p = getelementptr i8, ptr @odd, i32 1
  %v = call i32 @llvm.arm.ldrex.p0(ptr elementtype(i32) %p)
  ret i32 %v
}""",
    "aarch64": """declare i64 @llvm.aarch64.ldxr.p0(ptr)
define i32 @exclusive() {
  %p = getelementptr i8, ptr @odd, i32 1
  %v = call i64 @llvm.aarch64.ldxr.p0(ptr elementtype(i64) %p)
  %w = trunc i64 %v to i32
  ret i32 %w
}""",
}
EXCLUSIVE["thumb"] = EXCLUSIVE["arm"]
#: argv[1] -> status per target: x86-64's division faults are SIGFPE (Arm's sdiv and the EABI
#: helpers return 0), an unaligned exclusive load SIGBUS, llvm.trap SIGILL (ud2, udf) but
#: SIGTRAP on AArch64 (brk #1), abort SIGABRT, a null store or call SIGSEGV
STATUS = {
    "div": {"x86_64": 136, "arm": 0, "thumb": 0, "aarch64": 0},
    "overflow": {"x86_64": 136, "arm": 0, "thumb": 0, "aarch64": 0},
    "exclusive": {"x86_64": 0, "arm": 135, "thumb": 135, "aarch64": 135},
    "trap": {"x86_64": 132, "arm": 132, "thumb": 132, "aarch64": 133},
    "abort": {t: 134 for t in TARGETS},
    "store_null": {t: 139 for t in TARGETS},
    "null_call": {t: 139 for t in TARGETS},
}
ARG = {"div": "d", "overflow": "o", "exclusive": "x", "trap": "t", "abort": "a", "store_null": "s",
       "null_call": "n"}


@pytest.mark.parametrize("target", TARGETS)
def test_signal_statuses_follow_linux(target):
    with rig.Jit(target) as jit:
        mod = jit.load(SIGNALS.replace("EXCLUSIVE", EXCLUSIVE[target]))
        got = {case: jit.run([ARG[case]]).status for case in STATUS}
        assert got == {case: by_target[target] for case, by_target in STATUS.items()}
        if target == "x86_64":
            with pytest.raises(EmulationFault, match=r"integer division fault") as e:
                mod.call("div", 7)
            assert e.value.kind.startswith("CPU exception") and e.value.signal == 8
        else:
            with pytest.raises(EmulationFault, match=r"alignment fault.*\n.*interrupt") as e:
                mod.call("exclusive")
            assert e.value.signal == 7
        still_works(jit, mod)


@pytest.mark.parametrize("target", TARGETS)
def test_a_call_through_null_names_the_caller(target):
    with rig.Jit(target) as jit:
        mod = jit.load(SIGNALS.replace("EXCLUSIVE", EXCLUSIVE[target]))
        r = jit.run(["n"])
        assert (r.status, r.ended, r.signal) == (139, "fault", 11)
        assert "instruction fetch from unmapped memory at 0x0" in r.error
        assert called_from(r.error, mod, "call_null"), r.error
        with pytest.raises(EmulationFault, match=r"at PC 0x0: .*\n  called from 0x") as e:
            mod.call("call_null")
        assert called_from(str(e.value), mod, "call_null")
        if target in ("x86_64", "aarch64"):          # no mapping symbols: the name itself
            assert "(call_null+" in str(e.value)
        still_works(jit, mod)
