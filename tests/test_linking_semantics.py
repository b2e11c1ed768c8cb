"""Whole-program and multi-module linking semantics, on every target.

Each test states exact values: what `main` sees (argc, argv, envp, getenv),
how a program ends (return, exit, _exit, abort, a fault) and what runs after
it (atexit / __cxa_atexit handlers, destructors), the order of the output
across stdout and stderr, constructor and destructor order by priority across
modules, COMMON symbols, weak definitions overridden (and restored) across
modules, undefined weak references, modules referring to each other, duplicate
definitions, COMDAT groups, foreign target triples, absolute symbols from
assembly, and the `rig run` command line.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import rig
import targets as rig_targets
from rig import compile as rig_compile
from rig.cli import main as cli_main
from rig.program import ProgramResult
from rig.pytest_plugin import TARGETS

ROOT = Path(__file__).resolve().parent.parent
X86_TRIPLE = "x86_64-pc-linux-gnu"
X86_LAYOUT = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"


@pytest.fixture(params=TARGETS)
def target(request) -> str:
    return request.param


# -- IR helpers ------------------------------------------------------------------

def cstr(name: str, text: str) -> str:
    """A private NUL-terminated string constant @name."""
    data = text.encode() + b"\0"
    body = "".join(chr(b) if 32 <= b < 127 and b not in (34, 92) else f"\\{b:02X}" for b in data)
    return f'@{name} = private unnamed_addr constant [{len(data)} x i8] c"{body}"\n'


def putter(name: str, text: str = "") -> str:
    """`define internal void @name()` that puts(text) (default: its own name)."""
    return (cstr(f"s_{name}", text or name)
            + f"define internal void @{name}() {{\n  call i32 @puts(ptr @s_{name})\n  ret void\n}}\n")


def structors(kind: str, entries) -> str:
    """@llvm.global_ctors / @llvm.global_dtors from (priority, function) pairs."""
    items = ", ".join(f"{{ i32, ptr, ptr }} {{ i32 {p}, ptr @{f}, ptr null }}" for p, f in entries)
    return (f"@llvm.global_{kind} = appending global [{len(entries)} x {{ i32, ptr, ptr }}] [{items}]\n")


def size_t(target: str) -> str:
    return "i64" if rig_targets.get(target).pointer_size == 8 else "i32"


def run_program(target: str, sources, args=(), env=None, seed: int = 7) -> ProgramResult:
    with rig.Jit(target, seed=seed) as j:
        j.load_all(list(sources))
        return j.run(args, env, program_name="prog")


# -- 1. argc / argv / envp ----------------------------------------------------------

ARGS_IR = (
    "@environ = external global ptr\n"
    "declare i32 @printf(ptr, ...)\n"
    "declare ptr @getenv(ptr)\n"
    + cstr("f_argc", "argc=%d\n") + cstr("f_arg", "argv[%d]=<%s>\n") + cstr("f_argvnull", "argv[argc] null: %d\n")
    + cstr("f_environ", "environ == envp: %d\n") + cstr("f_env", "envp[%d]=[%s]\n") + cstr("f_envc", "envc=%d\n")
    + cstr("f_set", "getenv(%s)=<%s>\n") + cstr("f_unset", "getenv(%s)=NULL\n")
    + cstr("n_home", "HOME") + cstr("n_empty", "EMPTY") + cstr("n_eq", "EQ") + cstr("n_hom", "HOM")
    + cstr("n_missing", "MISSING") + r"""
define internal void @show(ptr %name) {
  %v = call ptr @getenv(ptr %name)
  %null = icmp eq ptr %v, null
  br i1 %null, label %none, label %some
none:
  call i32 (ptr, ...) @printf(ptr @f_unset, ptr %name)
  ret void
some:
  call i32 (ptr, ...) @printf(ptr @f_set, ptr %name, ptr %v)
  ret void
}

define i32 @main(i32 %argc, ptr %argv, ptr %envp) {
entry:
  call i32 (ptr, ...) @printf(ptr @f_argc, i32 %argc)
  br label %args
args:
  %i = phi i32 [ 0, %entry ], [ %i1, %args ]
  %slot = getelementptr ptr, ptr %argv, i32 %i
  %a = load ptr, ptr %slot
  call i32 (ptr, ...) @printf(ptr @f_arg, i32 %i, ptr %a)
  %i1 = add i32 %i, 1
  %more = icmp slt i32 %i1, %argc
  br i1 %more, label %args, label %argv_end
argv_end:
  %endslot = getelementptr ptr, ptr %argv, i32 %argc
  %end = load ptr, ptr %endslot
  %endnull = icmp eq ptr %end, null
  %endi = zext i1 %endnull to i32
  call i32 (ptr, ...) @printf(ptr @f_argvnull, i32 %endi)
  %env0 = load ptr, ptr @environ
  %same = icmp eq ptr %env0, %envp
  %samei = zext i1 %same to i32
  call i32 (ptr, ...) @printf(ptr @f_environ, i32 %samei)
  br label %envloop
envloop:
  %j = phi i32 [ 0, %argv_end ], [ %j1, %envbody ]
  %eslot = getelementptr ptr, ptr %envp, i32 %j
  %e = load ptr, ptr %eslot
  %enull = icmp eq ptr %e, null
  br i1 %enull, label %envdone, label %envbody
envbody:
  call i32 (ptr, ...) @printf(ptr @f_env, i32 %j, ptr %e)
  %j1 = add i32 %j, 1
  br label %envloop
envdone:
  call i32 (ptr, ...) @printf(ptr @f_envc, i32 %j)
  call void @show(ptr @n_home)
  call void @show(ptr @n_empty)
  call void @show(ptr @n_eq)
  call void @show(ptr @n_hom)
  call void @show(ptr @n_missing)
  ret i32 %argc
}
""")


def test_argc_argv_envp_and_getenv(target):
    env = [("HOME", "/home/rig"), ("EMPTY", ""), ("EQ", "a=b c"), ("HOMER", "simpson")]
    r = run_program(target, [ARGS_IR], args=["alpha", "", "two words", " lead", "x\ty"], env=env)
    assert r.ended == "return" and r.signal == 0
    assert r.status == 6
    assert r.stderr == b""
    assert r.stdout == (b"argc=6\nargv[0]=<prog>\nargv[1]=<alpha>\nargv[2]=<>\nargv[3]=<two words>\n"
                        b"argv[4]=< lead>\nargv[5]=<x\ty>\nargv[argc] null: 1\nenviron == envp: 1\n"
                        b"envp[0]=[HOME=/home/rig]\nenvp[1]=[EMPTY=]\nenvp[2]=[EQ=a=b c]\nenvp[3]=[HOMER=simpson]\n"
                        b"envc=4\n"
                        b"getenv(HOME)=</home/rig>\ngetenv(EMPTY)=<>\ngetenv(EQ)=<a=b c>\ngetenv(HOM)=NULL\n"
                        b"getenv(MISSING)=NULL\n")


def test_empty_environment_and_no_arguments(target):
    r = run_program(target, [ARGS_IR], env=None)
    assert (r.status, r.ended) == (1, "return")
    assert r.stdout == (b"argc=1\nargv[0]=<prog>\nargv[argc] null: 1\nenviron == envp: 1\nenvc=0\n"
                        b"getenv(HOME)=NULL\ngetenv(EMPTY)=NULL\ngetenv(EQ)=NULL\ngetenv(HOM)=NULL\n"
                        b"getenv(MISSING)=NULL\n")


def test_environment_mapping_keeps_its_order(target):
    r = run_program(target, [ARGS_IR], env={"EQ": "1", "HOME": "/h"})
    assert b"envp[0]=[EQ=1]\nenvp[1]=[HOME=/h]\nenvc=2\n" in r.stdout


# -- 2. how a program ends ------------------------------------------------------------

ENDINGS_IR = (
    structors("ctors", [(65535, "ctor")]) + structors("dtors", [(65535, "dtor")])
    + "declare i32 @puts(ptr)\ndeclare void @exit(i32)\ndeclare void @_exit(i32)\ndeclare void @abort()\n"
    "declare i32 @atexit(ptr)\n"
    + putter("ctor") + putter("dtor") + putter("handler") + putter("m", "main") + r"""
define i32 @main(i32 %argc, ptr %argv) {
entry:
  call i32 @atexit(ptr @handler)
  call void @m()
  %p = getelementptr ptr, ptr %argv, i32 1
  %a = load ptr, ptr %p
  %c = load i8, ptr %a
  switch i8 %c, label %ret300 [ i8 110, label %retneg
                                i8 122, label %ret0
                                i8 101, label %exit256
                                i8 120, label %exit7
                                i8 117, label %uexit
                                i8 97, label %abrt
                                i8 102, label %fault ]
ret300:
  ret i32 300
retneg:
  ret i32 -1
ret0:
  ret i32 0
exit256:
  call void @exit(i32 256)
  unreachable
exit7:
  call void @exit(i32 7)
  unreachable
uexit:
  call void @_exit(i32 9)
  unreachable
abrt:
  call void @abort()
  unreachable
fault:
  %x = mul i32 %argc, 8
  %bad = inttoptr i32 %x to ptr
  %v = load volatile i32, ptr %bad
  ret i32 %v
}
""")

FULL = b"ctor\nmain\nhandler\ndtor\n"
CUT = b"ctor\nmain\n"
ENDINGS = {  # argv[1] -> (status, ended, signal, stdout)
    "r": (44, "return", 0, FULL),         # return 300: 300 & 0xff
    "n": (255, "return", 0, FULL),        # return -1
    "z": (0, "return", 0, FULL),
    "e": (0, "exit", 0, FULL),            # exit(256)
    "x": (7, "exit", 0, FULL),
    "u": (9, "_exit", 0, CUT),            # no handlers, no destructors
    "a": (134, "abort", 6, CUT),
    "f": (139, "fault", 11, CUT),         # SIGSEGV
}


def test_return_exit_underscore_exit_abort_and_fault(target):
    got = {}
    with rig.Jit(target, seed=3) as j:
        j.load(ENDINGS_IR)
        for mode in ENDINGS:
            r = j.run([mode], program_name="prog")
            got[mode] = (r.status, r.ended, r.signal, r.stdout)
            assert r.stderr == b""
            assert bool(r.error) == (mode == "f"), (mode, r.error)
    assert got == ENDINGS


# -- 3. output order across the streams -------------------------------------------------

def output_ir(target: str) -> str:
    sz = size_t(target)
    return (
        "@stdout = external global ptr\n@stderr = external global ptr\n"
        "declare i32 @fputs(ptr, ptr)\ndeclare i32 @putchar(i32)\ndeclare i32 @fputc(i32, ptr)\n"
        "declare i32 @printf(ptr, ...)\ndeclare i32 @fprintf(ptr, ptr, ...)\ndeclare i32 @puts(ptr)\n"
        f"declare {sz} @fwrite(ptr, {sz}, {sz}, ptr)\n"
        + cstr("a", "a") + cstr("b", "b") + cstr("c", "c") + cstr("num", "<%d>") + cstr("e", "e\n")
        + cstr("xyz", "xyz") + cstr("end", "end") + cstr("tail", "tail") + f"""
define i32 @main() {{
  %out = load ptr, ptr @stdout
  %err = load ptr, ptr @stderr
  call i32 @fputs(ptr @a, ptr %out)
  call i32 @fputs(ptr @b, ptr %err)
  call i32 @fputs(ptr @c, ptr %err)
  call i32 @putchar(i32 100)
  call i32 (ptr, ptr, ...) @fprintf(ptr %err, ptr @num, i32 5)
  call i32 (ptr, ...) @printf(ptr @e)
  call {sz} @fwrite(ptr @xyz, {sz} 1, {sz} 3, ptr %err)
  call i32 @fputc(i32 33, ptr %out)
  call i32 @puts(ptr @end)
  call i32 @fputs(ptr @tail, ptr %err)
  ret i32 0
}}
""")


def test_output_order_across_stdout_and_stderr(target):
    r = run_program(target, [output_ir(target)])
    assert (r.status, r.ended) == (0, "return")
    assert r.output == ((1, b"a"), (2, b"bc"), (1, b"d"), (2, b"<5>"), (1, b"e\n"), (2, b"xyz"),
                        (1, b"!end\n"), (2, b"tail"))
    assert r.stdout == b"ade\n!end\n"
    assert r.stderr == b"bc<5>xyztail"


# -- 4. constructors and destructors -----------------------------------------------------

CTOR_A = (
    "declare i32 @puts(ptr)\n"
    + structors("ctors", [(300, "A300"), (100, "A100"), (65535, "Adef")])
    + structors("dtors", [(300, "a300"), (100, "a100"), (65535, "adef")])
    + "".join(putter(n) for n in ("A300", "A100", "Adef", "a300", "a100", "adef"))
    + putter("m", "main") + "define i32 @main() {\n  call void @m()\n  ret i32 0\n}\n")
CTOR_B = (
    "declare i32 @puts(ptr)\n"
    + structors("ctors", [(200, "B200"), (100, "B100"), (65535, "Bdef")])
    + structors("dtors", [(200, "b200"), (100, "b100"), (65535, "bdef")])
    + "".join(putter(n) for n in ("B200", "B100", "Bdef", "b200", "b100", "bdef")))


def lines(*names: str) -> bytes:
    return "".join(f"{n}\n" for n in names).encode()


def test_constructor_priorities_across_two_modules(target):
    # ascending priority, equal priorities in load order; destructors the exact reverse
    r = run_program(target, [CTOR_A, CTOR_B])
    assert (r.status, r.ended) == (0, "return")
    assert r.stdout == lines("A100", "B100", "B200", "A300", "Adef", "Bdef", "main",
                             "bdef", "adef", "a300", "b200", "b100", "a100")
    r = run_program(target, [CTOR_B, CTOR_A])      # B loaded first: it goes first among equals
    assert r.stdout == lines("B100", "A100", "B200", "A300", "Bdef", "Adef", "main",
                             "adef", "bdef", "a300", "b200", "a100", "b100")


def section_list(name: str, section: str, functions) -> str:
    items = ", ".join(f"ptr @{f}" for f in functions)
    return f'@{name} = internal global [{len(functions)} x ptr] [{items}], section "{section}"\n'


LEGACY_IR = (
    "declare i32 @puts(ptr)\n"
    + section_list("ctor_list", ".ctors", ["cA", "cB", "cC"])
    + section_list("dtor_list", ".dtors", ["dA", "dB"])
    + '@llvm.used = appending global [2 x ptr] [ptr @ctor_list, ptr @dtor_list], section "llvm.metadata"\n'
    + "".join(putter(n) for n in ("cA", "cB", "cC", "dA", "dB"))
    + putter("m", "main") + "define i32 @main() {\n  call void @m()\n  ret i32 0\n}\n")
ARRAY_IR = (
    "declare i32 @puts(ptr)\n"
    + section_list("init_list", ".init_array", ["iX", "iY", "iZ"])
    + section_list("fini_list", ".fini_array", ["fX", "fY"])
    + '@llvm.used = appending global [2 x ptr] [ptr @init_list, ptr @fini_list], section "llvm.metadata"\n'
    + "".join(putter(n) for n in ("iX", "iY", "iZ", "fX", "fY"))
    + putter("m", "main") + "define i32 @main() {\n  call void @m()\n  ret i32 0\n}\n")


def test_legacy_ctors_list_runs_backwards_dtors_forwards(target):
    # crtstuff's __do_global_ctors_aux walks .ctors from the end, __do_global_dtors_aux walks .dtors forward
    r = run_program(target, [LEGACY_IR])
    assert r.stdout == lines("cC", "cB", "cA", "main", "dA", "dB")


def test_init_array_list_runs_forwards_fini_array_backwards(target):
    r = run_program(target, [ARRAY_IR])
    assert r.stdout == lines("iX", "iY", "iZ", "main", "fY", "fX")


MIXED_IR = (
    "declare i32 @puts(ptr)\n"
    + structors("ctors", [(65535, "cI")])
    + section_list("ctor_list", ".ctors", ["cA", "cB", "cC"])
    + '@llvm.used = appending global [1 x ptr] [ptr @ctor_list], section "llvm.metadata"\n'
    + "".join(putter(n) for n in ("cI", "cA", "cB", "cC"))
    + putter("m", "main") + "define i32 @main() {\n  call void @m()\n  ret i32 0\n}\n")


def test_a_ctors_list_is_not_split_by_another_constructor_section(target):
    # Any linker keeps a section's list together: crtstuff runs the concatenated .ctors backwards
    # (cC cB cA cI or, with cI's section second, cI cC cB cA), GNU ld's --ctors-in-init-array reverses
    # each .ctors input section in place.  What the rig does: cC cB cI cA.
    r = run_program(target, [MIXED_IR])
    assert r.stdout in (lines("cI", "cC", "cB", "cA", "main"), lines("cC", "cB", "cA", "cI", "main"))


# -- 5. atexit and __cxa_atexit -----------------------------------------------------------

ATEXIT_IR = (
    structors("ctors", [(65535, "ctor")]) + structors("dtors", [(65535, "dtor")])
    + "@__dso_handle = external hidden global i8\n"
    "declare i32 @puts(ptr)\ndeclare i32 @printf(ptr, ...)\ndeclare i32 @atexit(ptr)\n"
    "declare i32 @__cxa_atexit(ptr, ptr, ptr)\n"
    + putter("dtor") + putter("h_ctor") + putter("h1") + putter("h_late") + putter("m", "main")
    + cstr("s_x", "x") + cstr("f_arg", "arg=%s\n") + cstr("f_num", "num=%d\n") + cstr("f_sum", "registered %d\n")
    + cstr("s_ctor", "ctor") + cstr("s_h2", "h2") + r"""
define internal void @ctor() {
  call i32 @atexit(ptr @h_ctor)
  call i32 @puts(ptr @s_ctor)
  ret void
}
define internal void @h2() {
  call i32 @puts(ptr @s_h2)
  call i32 @atexit(ptr @h_late)
  ret void
}
define internal void @h_arg(ptr %s) {
  call i32 (ptr, ...) @printf(ptr @f_arg, ptr %s)
  ret void
}
define internal void @h_num(ptr %p) {
  %v = ptrtoint ptr %p to i32
  call i32 (ptr, ...) @printf(ptr @f_num, i32 %v)
  ret void
}
define i32 @main() {
  %r1 = call i32 @atexit(ptr @h1)
  %r2 = call i32 @__cxa_atexit(ptr @h_arg, ptr @s_x, ptr @__dso_handle)
  %r3 = call i32 @atexit(ptr @h2)
  %p = inttoptr i32 4242 to ptr
  %r4 = call i32 @__cxa_atexit(ptr @h_num, ptr %p, ptr null)
  %a = or i32 %r1, %r2
  %b = or i32 %r3, %r4
  %c = or i32 %a, %b
  call i32 (ptr, ...) @printf(ptr @f_sum, i32 %c)
  call void @m()
  ret i32 3
}
""")


def test_atexit_and_cxa_atexit_lifo_with_argument_before_destructors(target):
    r = run_program(target, [ATEXIT_IR])
    assert (r.status, r.ended) == (3, "return")
    # a handler registered during exit (by h2) runs next, as glibc's __run_exit_handlers does
    assert r.stdout == lines("ctor", "registered 0", "main", "num=4242", "h2", "h_late", "arg=x", "h1",
                             "h_ctor", "dtor")


def test_handlers_do_not_carry_over_between_runs(target):
    with rig.Jit(target, seed=5) as j:
        j.load(ATEXIT_IR)
        first = j.run()
        second = j.run()
    assert first.output == second.output


# -- 6. COMMON symbols -----------------------------------------------------------------------

COMMON_A = r"""
@buf = common global [64 x i8] zeroinitializer, align 64
@big = common global [5 x i64] zeroinitializer, align 32
@shared = common global i32 0, align 4
@over = common global i32 0, align 4

define i64 @a_buf() {
  %a = ptrtoint ptr @buf to i64
  ret i64 %a
}
define i64 @a_shared() {
  %a = ptrtoint ptr @shared to i64
  ret i64 %a
}
define void @a_set(i32 %v) {
  store i32 %v, ptr @shared
  ret void
}
define i32 @a_get() {
  %v = load i32, ptr @shared
  ret i32 %v
}
define i32 @a_over() {
  %v = load i32, ptr @over
  ret i32 %v
}
"""
COMMON_B = r"""
@shared = common global i32 0, align 4

define i64 @b_shared() {
  %a = ptrtoint ptr @shared to i64
  ret i64 %a
}
define void @b_set(i32 %v) {
  store i32 %v, ptr @shared
  ret void
}
define i32 @b_get() {
  %v = load i32, ptr @shared
  ret i32 %v
}
"""
STRONG_OVER = "@over = global i32 99\n"


def test_common_is_aligned_zeroed_and_in_the_layout(target):
    with rig.Jit(target, seed=11) as j:
        for _ in range(4):
            a = j.load(COMMON_A, name="a.ll")
            assert "COMMON" in a.layout.names()
            buf, big = a.address("buf"), a.address("big")
            assert buf % 64 == 0 and big % 32 == 0
            assert a.call("a_buf") == buf
            assert j.read(buf, 64) == bytes(64) and j.read(big, 40) == bytes(40)
            assert a.call("a_get") == 0 and a.call("a_over") == 0
            j.write(buf, b"\xff" * 64)          # the next placement may reuse these pages
            j.write(big, b"\xff" * 40)
            a.call("a_set", 5)
            j.unload(a)


def test_common_shared_between_modules(target):
    with rig.Jit(target, seed=12) as j:
        a = j.load(COMMON_A, name="a.ll")
        b = j.load(COMMON_B, name="b.ll")
        assert a.call("a_shared") == b.call("b_shared")
        b.call("b_set", 41)
        assert a.call("a_get") == 41
        a.call("a_set", 42)
        assert b.call("b_get") == 42


@pytest.mark.parametrize("strong_first", [False, True], ids=["strong-after", "strong-before"])
def test_strong_definition_beats_common(target, strong_first):
    with rig.Jit(target, seed=13) as j:
        if strong_first:
            s = j.load(STRONG_OVER, name="strong.ll")
            a = j.load(COMMON_A, name="a.ll")
        else:
            a = j.load(COMMON_A, name="a.ll")
            s = j.load(STRONG_OVER, name="strong.ll")
        assert a.call("a_over") == 99
        j.write(s.address("over"), (7).to_bytes(4, "little"))
        assert a.call("a_over") == 7


COMMON_SMALL = r"""
@c = common global [4 x i8] zeroinitializer, align 4
define i64 @small_addr() {
  %a = ptrtoint ptr @c to i64
  ret i64 %a
}
"""
COMMON_LARGE = r"""
@c = common global [256 x i8] zeroinitializer, align 64
define i64 @large_addr() {
  %a = ptrtoint ptr @c to i64
  ret i64 %a
}
"""


def test_common_merges_to_largest_size_and_alignment(target):
    with rig.Jit(target, seed=0) as j:
        small = j.load(COMMON_SMALL, name="small.ll")
        large = j.load(COMMON_LARGE, name="large.ll")
        addr = large.call("large_addr")
        assert small.call("small_addr") == addr
        owner = next(p for m in j.modules for p in m.layout.placements
                     if p.item.name == "COMMON" and p.address <= addr < p.end)
        assert owner.end - addr >= 256
        assert addr % 64 == 0


# -- 7. weak definitions overridden across modules -------------------------------------------------

WEAK = r"""
@level = weak global i32 10
define weak i32 @config() {
  ret i32 1
}
define weak i32 @keep() {
  ret i32 99
}
define i32 @w_config() {
  %r = call i32 @config()
  ret i32 %r
}
define i32 @w_level() {
  %r = load i32, ptr @level
  ret i32 %r
}
define i32 @w_keep() {
  %r = call i32 @keep()
  ret i32 %r
}
"""
STRONG = r"""
@level = global i32 20
define i32 @config() {
  ret i32 2
}
define i32 @s_config() {
  %r = call i32 @config()
  ret i32 %r
}
"""
WEAK2 = r"""
define weak i32 @config() {
  ret i32 3
}
define i32 @w2_config() {
  %r = call i32 @config()
  ret i32 %r
}
"""


def weak_view(m) -> tuple:
    return m.call("w_config"), m.call("w_level"), m.call("w_keep")


@pytest.mark.parametrize("reloc", ["static", "pic"])
def test_strong_loaded_after_weak_relinks_it(target, reloc):
    with rig.Jit(target, seed=21, reloc=reloc) as j:
        w = j.load(WEAK, name="weak.ll")
        s = j.load(STRONG, name="strong.ll")
        assert weak_view(w) == (2, 20, 99)          # the un-overridden weak @keep keeps its body
        assert s.call("s_config") == 2


@pytest.mark.parametrize("reloc", ["static", "pic"])
def test_strong_loaded_before_weak_wins(target, reloc):
    with rig.Jit(target, seed=22, reloc=reloc) as j:
        s = j.load(STRONG, name="strong.ll")
        w = j.load(WEAK, name="weak.ll")
        assert weak_view(w) == (2, 20, 99)
        assert s.call("s_config") == 2


@pytest.mark.parametrize("strong_first", [False, True], ids=["strong-after", "strong-before"])
def test_unloading_the_strong_module_restores_the_weak_one(target, strong_first):
    with rig.Jit(target, seed=23) as j:
        if strong_first:
            s = j.load(STRONG, name="strong.ll")
            w = j.load(WEAK, name="weak.ll")
        else:
            w = j.load(WEAK, name="weak.ll")
            s = j.load(STRONG, name="strong.ll")
        j.unload(s)
        assert weak_view(w) == (1, 10, 99)
        assert w.pending == {}


def test_first_loaded_weak_wins_among_weaks(target):
    with rig.Jit(target, seed=24) as j:
        w = j.load(WEAK, name="weak.ll")
        w2 = j.load(WEAK2, name="weak2.ll")
        assert w.call("w_config") == 1 and w2.call("w2_config") == 1
    with rig.Jit(target, seed=25) as j:
        w = j.load(WEAK, name="weak.ll")
        w2 = j.load(WEAK2, name="weak2.ll")
        j.unload(w)                                 # the next weak one in load order: weak2's own
        assert w2.call("w2_config") == 3
    with rig.Jit(target, seed=26) as j:
        w = j.load(WEAK, name="weak.ll")
        w2 = j.load(WEAK2, name="weak2.ll")
        j.load(STRONG, name="strong.ll")
        assert w.call("w_config") == 2 and w2.call("w2_config") == 2


# A relink rewrites code that has already run: Process.write drops Unicorn's translations of it
# (before that fix, a module that had run once kept branching to the old definition).


def test_relink_after_a_call_reaches_the_new_definition(target):
    with rig.Jit(target, seed=27) as j:
        w = j.load(WEAK, name="weak.ll")
        assert w.call("w_config") == 1
        j.load(STRONG, name="strong.ll")            # relinks weak.ll's call to @config
        assert w.call("w_config") == 2


def test_unload_after_a_call_restores_the_weak_definition(target):
    with rig.Jit(target, seed=28) as j:
        s = j.load(STRONG, name="strong.ll")
        w = j.load(WEAK, name="weak.ll")
        assert w.call("w_config") == 2
        j.unload(s)
        assert w.call("w_config") == 1


# -- 8. undefined weak references -----------------------------------------------------------------

EXTERN_WEAK = r"""
declare extern_weak i32 @hook()
@w = extern_weak global i32

define i64 @hook_addr() {
  %a = ptrtoint ptr @hook to i64
  ret i64 %a
}
define i64 @w_addr() {
  %a = ptrtoint ptr @w to i64
  ret i64 %a
}
define i32 @guarded() {
  %none = icmp eq ptr @hook, null
  br i1 %none, label %skip, label %call
call:
  %r = call i32 @hook()
  ret i32 %r
skip:
  ret i32 -1
}
define i32 @read_w() {
  %none = icmp eq ptr @w, null
  br i1 %none, label %skip, label %read
read:
  %v = load i32, ptr @w
  ret i32 %v
skip:
  ret i32 -2
}
"""
HOOK_PROVIDER = r"""
@w = global i32 5
define i32 @hook() {
  ret i32 7
}
"""


@pytest.mark.parametrize("reloc", ["static", "pic"])
def test_undefined_weak_is_null(target, reloc):
    with rig.Jit(target, seed=31, reloc=reloc) as j:
        m = j.load(EXTERN_WEAK, name="uses_weak.ll")
        assert m.pending == {}
        assert (m.call("hook_addr"), m.call("w_addr")) == (0, 0)
        assert (m.call("guarded"), m.call("read_w")) == (-1, -2)


def test_undefined_weak_bound_when_a_definition_is_loaded(target):
    with rig.Jit(target, seed=32) as j:
        m = j.load(EXTERN_WEAK, name="uses_weak.ll")
        p = j.load(HOOK_PROVIDER, name="provider.ll")
        assert (m.call("guarded"), m.call("read_w")) == (7, 5)
        thumb_bit = 1 if target == "thumb" else 0          # a Thumb function's pointer has bit 0 set
        assert m.call("hook_addr") == p.address("hook") | thumb_bit
        assert m.call("w_addr") == p.address("w")
    with rig.Jit(target, seed=33) as j:
        m = j.load(EXTERN_WEAK, name="uses_weak.ll")
        p = j.load(HOOK_PROVIDER, name="provider.ll")
        j.unload(p)
        assert (m.call("hook_addr"), m.call("w_addr")) == (0, 0)
        assert (m.call("guarded"), m.call("read_w")) == (-1, -2)


# -- 9. modules referring to each other --------------------------------------------------------

MUTUAL_A = r"""
@a_data = global i32 100
@b_data = external global i32
declare i32 @b_fn(i32)

define i32 @a_fn(i32 %n) {
entry:
  %stop = icmp sle i32 %n, 0
  br i1 %stop, label %base, label %rec
base:
  %d = load i32, ptr @b_data
  ret i32 %d
rec:
  %n1 = sub i32 %n, 1
  %r = call i32 @b_fn(i32 %n1)
  %t = add i32 %n, %r
  ret i32 %t
}
define i32 @a_reads_b() {
  %d = load i32, ptr @b_data
  ret i32 %d
}
"""
MUTUAL_B = r"""
@b_data = global i32 1000
@a_data = external global i32
declare i32 @a_fn(i32)

define i32 @b_fn(i32 %n) {
entry:
  %stop = icmp sle i32 %n, 0
  br i1 %stop, label %base, label %rec
base:
  %d = load i32, ptr @a_data
  ret i32 %d
rec:
  %n1 = sub i32 %n, 1
  %r = call i32 @a_fn(i32 %n1)
  %m = mul i32 %n, 10
  %t = add i32 %m, %r
  ret i32 %t
}
define void @b_writes_a(i32 %v) {
  store i32 %v, ptr @a_data
  ret void
}
"""


def check_mutual(a, b):
    # a_fn(3) = 3 + b_fn(2) = 3 + 20 + a_fn(1) = 24 + b_fn(0) = 24 + a_data
    assert a.call("a_fn", 3) == 124
    # b_fn(3) = 30 + a_fn(2) = 32 + b_fn(1) = 42 + a_fn(0) = 42 + b_data
    assert b.call("b_fn", 3) == 1042
    assert a.call("a_reads_b") == 1000
    b.call("b_writes_a", 5)
    assert a.call("a_fn", 1) == 1 + 5


@pytest.mark.parametrize("reloc", ["static", "pic"])
def test_deferred_module_waits_for_its_peer(target, reloc):
    with rig.Jit(target, seed=41, reloc=reloc) as j:
        a = j.load(MUTUAL_A, name="a.ll", defer_undefined=True)
        assert set(a.pending) == {"b_fn", "b_data"}
        with pytest.raises(rig.UndefinedSymbol) as e:
            a.call("a_fn", 3)
        assert e.value.symbol in ("b_fn", "b_data")
        assert "'b_fn'" in str(e.value) and "'b_data'" in str(e.value) and "a.ll" in str(e.value)
        with pytest.raises(rig.UndefinedSymbol):
            j.run()
        b = j.load(MUTUAL_B, name="b.ll")
        assert a.pending == {} and b.pending == {}
        check_mutual(a, b)


@pytest.mark.parametrize("reloc", ["static", "pic"])
def test_load_all_links_both_directions(target, reloc):
    with rig.Jit(target, seed=42, reloc=reloc) as j:
        a, b = j.load_all([MUTUAL_A, MUTUAL_B])
        assert j.modules == [a, b]
        check_mutual(a, b)


def test_unloading_a_peer_leaves_the_other_waiting(target):
    with rig.Jit(target, seed=45) as j:
        a, b = j.load_all([MUTUAL_A, MUTUAL_B])
        j.unload(b)
        assert set(a.pending) == {"b_fn", "b_data"}
        with pytest.raises(rig.UndefinedSymbol) as e:
            a.call("a_fn", 0)
        assert e.value.symbol in ("b_fn", "b_data")
        b = j.load(MUTUAL_B, name="b.ll")          # a new definition: a.ll is relinked to it
        assert a.pending == {}
        check_mutual(a, b)


def test_undefined_without_defer_fails_the_load(target):
    with rig.Jit(target, seed=43) as j:
        with pytest.raises(rig.UndefinedSymbol) as e:
            j.load(MUTUAL_A, name="a.ll")
        assert e.value.symbol in ("b_fn", "b_data")
        assert j.modules == []


def test_load_all_with_a_missing_symbol_leaves_modules_as_before(target):
    with rig.Jit(target, seed=44) as j:
        keep = j.load(COMMON_B, name="keep.ll")
        with pytest.raises(rig.UndefinedSymbol) as e:
            j.load_all([MUTUAL_A])
        assert e.value.symbol in ("b_fn", "b_data") and "b_fn" in str(e.value)
        assert j.modules == [keep]
        keep.call("b_set", 3)
        assert keep.call("b_get") == 3
        a, b = j.load_all([MUTUAL_A, MUTUAL_B])     # and the names are free to load again
        check_mutual(a, b)


# -- 10. duplicate definitions --------------------------------------------------------------------

DUP1 = "@dup_data = global i32 1\ndefine i32 @dup() {\n  ret i32 1\n}\n"
DUP2 = "define i32 @dup() {\n  ret i32 2\n}\n"
DUP_DATA = "@dup_data = global i32 2\n"
USES_DUP = r"""
declare i32 @dup()
@dup_data = external global i32
define i32 @use_dup() {
  %r = call i32 @dup()
  %d = load i32, ptr @dup_data
  %s = mul i32 %d, 10
  %t = add i32 %r, %s
  ret i32 %t
}
"""


@pytest.mark.parametrize("second, symbol", [(DUP2, "dup"), (DUP_DATA, "dup_data")], ids=["function", "data"])
def test_duplicate_strong_definition_names_both_modules(target, second, symbol):
    with rig.Jit(target, seed=51) as j:
        first = j.load(DUP1, name="first.ll")
        with pytest.raises(rig.DuplicateSymbol) as e:
            j.load(second, name="second.ll")
        msg = str(e.value)
        assert f"'{symbol}'" in msg and "first.ll" in msg and "second.ll" in msg
        assert j.modules == [first]
        assert first.call("dup") == 1
        third = j.load(USES_DUP, name="third.ll")
        assert third.call("use_dup") == 11
        assert [m.name for m in j.modules] == ["first.ll", "third.ll"]


def test_duplicate_in_load_all_names_both_files(target, tmp_path):
    one, two = tmp_path / "one.ll", tmp_path / "two.ll"
    one.write_text(DUP1)
    two.write_text(DUP2)
    with rig.Jit(target, seed=52) as j:
        with pytest.raises(rig.DuplicateSymbol) as e:
            j.load_all([one, two])
        assert "'dup'" in str(e.value) and "one.ll" in str(e.value) and "two.ll" in str(e.value)
        assert j.modules == []
        m = j.load(two)
        assert m.name == "two.ll" and m.call("dup") == 2


# -- 11. COMDAT ---------------------------------------------------------------------------------

def comdat_ir(prefix: str) -> str:
    return f"""
$shared = comdat any
@shared_count = linkonce_odr global i32 0, comdat($shared)

define linkonce_odr i32 @shared_bump() noinline comdat($shared) {{
  %c = load i32, ptr @shared_count
  %c1 = add i32 %c, 1
  store i32 %c1, ptr @shared_count
  ret i32 %c1
}}
define i32 @{prefix}_bump() {{
  %r = call i32 @shared_bump()
  ret i32 %r
}}
define i32 @{prefix}_count() {{
  %n = load i32, ptr @shared_count
  ret i32 %n
}}
define i64 @{prefix}_addr() {{
  %a = ptrtoint ptr @shared_count to i64
  ret i64 %a
}}
"""


def group_sections(mod, signature: str):
    (group,) = [g for g in mod.object.groups if g.signature == signature]
    return [mod.object.section(i).name for i in group.sections]


def test_comdat_group_kept_once(target):
    with rig.Jit(target, seed=61) as j:
        p1 = j.load(comdat_ir("p1"), name="p1.ll")
        p2 = j.load(comdat_ir("p2"), name="p2.ll")
        members = group_sections(p2, "shared")
        assert members and group_sections(p1, "shared") == members
        assert all(name in p1.layout.names() for name in members)
        assert not any(name in p2.layout.names() for name in members), (members, p2.layout.names())
        assert p1.call("p1_addr") == p2.call("p2_addr") == p1.address("shared_count")
        assert [p1.call("p1_bump"), p2.call("p2_bump"), p1.call("p1_bump")] == [1, 2, 3]
        assert p1.call("p1_count") == p2.call("p2_count") == 3

        # Unloading the keeper hands the group to p2, as if p2 had been loaded first:
        # its own copy is placed and linked, holding the keeper's current bytes.
        j.unload(p1)
        assert j.modules == [p2]
        assert all(name in p2.layout.names() for name in members)
        assert p2.call("p2_addr") == p2.address("shared_count")
        assert p2.call("p2_count") == 3                 # the counter kept its value
        assert p2.call("p2_bump") == 4
        p3 = j.load(comdat_ir("p3"), name="p3.ll")     # a newcomer uses p2's copy now
        assert not any(name in p3.layout.names() for name in members)
        assert p3.call("p3_bump") == 5 and p3.call("p3_addr") == p2.address("shared_count")
        j.unload(p2)
        assert p3.call("p3_count") == 5 and p3.call("p3_bump") == 6
        j.unload(p3)
        assert j.modules == []


GROUP_TWO = """
$two = comdat any
define linkonce_odr i32 @two() noinline comdat($two) {
  ret i32 2
}
"""
GROUP_ONE_CALLS_TWO = """
$one = comdat any
define linkonce_odr i32 @one() noinline comdat($one) {
  %t = call i32 @two()
  %r = add i32 %t, 1
  ret i32 %r
}
"""


def test_comdat_heirs_calling_each_other(target):
    """The keeper of two groups goes; each group passes to a different module,
    and one heir's adopted function calls into the group the other adopts (as
    libc++'s members do with inline functions a program also kept)."""
    with rig.Jit(target, seed=62) as j:
        keeper = j.load(GROUP_ONE_CALLS_TWO + GROUP_TWO + "define i32 @k() {\n  %r = call i32 @one()\n  ret i32 %r\n}\n",
                        name="keeper.ll")
        two = j.load(GROUP_TWO + "define i32 @b() {\n  %r = call i32 @two()\n  ret i32 %r\n}\n", name="b.ll")
        one = j.load(GROUP_TWO + GROUP_ONE_CALLS_TWO + "define i32 @a() {\n  %r = call i32 @one()\n  ret i32 %r\n}\n",
                     name="a.ll")
        assert keeper.call("k") == one.call("a") == 3
        j.unload(keeper)                # "one" passes to a.ll, "two" to b.ll (loaded before a.ll)
        assert [m.name for m in j.modules] == ["b.ll", "a.ll"]
        assert one.call("a") == 3 and two.call("b") == 2
        assert j.symbols.resolve("two")[0] == two.address("two")
        assert all(n in one.layout.names() for n in group_sections(one, "one"))
        assert not any(n in one.layout.names() for n in group_sections(one, "two"))


# -- 12. retargeting a foreign triple -----------------------------------------------------------------

RETARGET_BODY = r"""
%rec = type { i64, i32, i8, double, i16 }
@recs = global [2 x %rec] [%rec { i64 1099511627776, i32 -5, i8 122, double 2.5, i16 -2 },
                           %rec { i64 3, i32 7, i8 97, double 0.5, i16 3 }]

define i32 @layout() {
  %b = ptrtoint ptr @recs to i64
  %f = getelementptr %rec, ptr @recs, i32 0, i32 4
  %n = getelementptr %rec, ptr @recs, i32 1
  %fi = ptrtoint ptr %f to i64
  %ni = ptrtoint ptr %n to i64
  %fo = sub i64 %fi, %b
  %no = sub i64 %ni, %b
  %x = mul i64 %no, 100
  %y = add i64 %x, %fo
  %r = trunc i64 %y to i32
  ret i32 %r
}
define i64 @id_sum() {
  %a = load i64, ptr @recs
  %p = getelementptr %rec, ptr @recs, i32 1, i32 0
  %c = load i64, ptr %p
  %s = add i64 %a, %c
  ret i64 %s
}
define i32 @main() {
  ret i32 42
}
"""
FOREIGN = f'target datalayout = "{X86_LAYOUT}"\ntarget triple = "{X86_TRIPLE}"\n' + RETARGET_BODY


def bitcode(text: str) -> bytes:
    llvm = rig_compile._llvm()
    return llvm.parse_assembly(text).as_bitcode()


@pytest.mark.parametrize("form", ["text", "bitcode"])
def test_foreign_triple_is_replaced_and_noted(target, form):
    source = FOREIGN if form == "text" else bitcode(FOREIGN)
    triple = rig_targets.get(target).triple
    with rig.Jit(target, seed=71) as j:
        m = j.load(source)
        assert m.notes[0] == f"target triple {X86_TRIPLE} replaced by {triple}"
        if target == "x86_64":          # the layout is x86-64's own
            assert len(m.notes) == 1
        else:
            assert len(m.notes) == 2 and m.notes[1].startswith(f'target datalayout "{X86_LAYOUT}" replaced by "')
        assert m.call("layout") == 32 * 100 + 24
        assert m.call("id_sum") == 1099511627779
        assert j.run().status == 42


def test_ir_without_triple_has_no_notes(target):
    with rig.Jit(target, seed=72) as j:
        m = j.load(RETARGET_BODY)
        assert m.notes == []
        assert m.call("layout") == 32 * 100 + 24


# -- 13. the command line -------------------------------------------------------------------------------

CLI_MAIN = (
    "@stdout = external global ptr\n@stderr = external global ptr\n"
    "declare i32 @printf(ptr, ...)\ndeclare i32 @fputs(ptr, ptr)\ndeclare ptr @getenv(ptr)\n"
    + cstr("f_arg", "[%s]") + cstr("nl", "\n") + cstr("e1", "err1\n") + cstr("e2", "err2\n")
    + cstr("o2", "out2\n") + cstr("n_greet", "GREETING") + cstr("f_greet", "greeting=%s envc=%d\n") + r"""
define i32 @main(i32 %argc, ptr %argv, ptr %envp) {
entry:
  br label %loop
loop:
  %i = phi i32 [ 1, %entry ], [ %i1, %body ]
  %more = icmp slt i32 %i, %argc
  br i1 %more, label %body, label %done
body:
  %slot = getelementptr ptr, ptr %argv, i32 %i
  %a = load ptr, ptr %slot
  call i32 (ptr, ...) @printf(ptr @f_arg, ptr %a)
  %i1 = add i32 %i, 1
  br label %loop
done:
  call i32 (ptr, ...) @printf(ptr @nl)
  %err = load ptr, ptr @stderr
  %out = load ptr, ptr @stdout
  call i32 @fputs(ptr @e1, ptr %err)
  call i32 @fputs(ptr @o2, ptr %out)
  call i32 @fputs(ptr @e2, ptr %err)
  br label %count
count:
  %j = phi i32 [ 0, %done ], [ %j1, %count ]
  %eslot = getelementptr ptr, ptr %envp, i32 %j
  %e = load ptr, ptr %eslot
  %j1 = add i32 %j, 1
  %end = icmp eq ptr %e, null
  br i1 %end, label %report, label %count
report:
  %g = call ptr @getenv(ptr @n_greet)
  call i32 (ptr, ...) @printf(ptr @f_greet, ptr %g, i32 %j)
  %s = mul i32 %argc, 10
  ret i32 %s
}
""")


def cli(*argv: str) -> int:
    return cli_main(["run", *argv])


def test_cli_status_args_env_and_output(target, tmp_path, capfd):
    prog = tmp_path / "prog.ll"
    prog.write_text(CLI_MAIN)
    status = cli(str(prog), "--target", target, "--placements", "2", "--reloc", "static", "-q",
                 "--env", "GREETING=hi there", "--env", "X=1=2", "--", "a b", "", "-v")
    out, err = capfd.readouterr()
    assert status == 40
    assert out == "[a b][][-v]\nout2\ngreeting=hi there envc=2\n"
    assert err == "err1\nerr2\n"


def test_cli_summary_line_without_q(target, tmp_path, capfd):
    prog = tmp_path / "prog.ll"
    prog.write_text(CLI_MAIN)
    assert cli(str(prog), "--target", target, "--placements", "1", "--reloc", "static") == 10
    out, err = capfd.readouterr()
    assert out == "\nout2\ngreeting=(null) envc=0\n"
    assert err.startswith("err1\nerr2\n") and "exit status 10" in err and "prog.ll" in err


def test_cli_output_order_on_one_pipe(tmp_path):
    prog = tmp_path / "prog.ll"
    prog.write_text(CLI_MAIN)
    proc = subprocess.run([sys.executable, "-m", "rig.cli", "run", str(prog), "--target", "all", "--placements",
                           "1", "--reloc", "static", "-q", "--", "x"], cwd=ROOT, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, timeout=120)
    assert proc.returncode == 20
    assert proc.stdout == b"[x]\nerr1\nout2\nerr2\ngreeting=(null) envc=0\n"


def test_cli_expect_stdout(target, tmp_path, capfd):
    prog = tmp_path / "prog.ll"
    prog.write_text(CLI_MAIN)
    good, bad = tmp_path / "good.txt", tmp_path / "bad.txt"
    good.write_bytes(b"[q]\nout2\ngreeting=(null) envc=0\n")
    bad.write_bytes(b"[q]\nout2\n")
    common = [str(prog), "--target", target, "--placements", "1", "--reloc", "static", "-q"]
    assert cli(*common, "--expect-stdout", str(good), "--", "q") == 20
    capfd.readouterr()
    assert cli(*common, "--expect-stdout", str(bad), "--", "q") == 70
    out, err = capfd.readouterr()
    assert "bad.txt" in err and "stdout differs" in err
    assert "[q]" not in out          # a failed run prints the report, not the program's output


HELPER_IR = "define i32 @helper(i32 %x) {\n  %m = mul i32 %x, %x\n  %r = add i32 %m, 1\n  ret i32 %r\n}\n"
USES_HELPER = "declare i32 @helper(i32)\ndefine i32 @main() {\n  %r = call i32 @helper(i32 4)\n  ret i32 %r\n}\n"


def test_cli_extra_object_and_extra_module(target, tmp_path, capfd):
    prog = tmp_path / "main.ll"
    prog.write_text(USES_HELPER)
    obj = tmp_path / "helper.o"
    obj.write_bytes(rig_compile.compile_source(HELPER_IR, rig_targets.get(target)))
    base = [str(prog), "--target", target, "--placements", "2", "-q"]
    assert cli(*base, "--extra-object", str(obj)) == 17
    mod = tmp_path / "helper.ll"
    mod.write_text(HELPER_IR)
    assert cli(*base, "--extra-module", str(mod)) == 17
    # without the helper every run fails to load: the input's error, said once, and 2 (not 70:
    # nothing about placements disagreed)
    assert cli(*base) == 2
    err = capfd.readouterr().err
    assert "helper" in err and "undefined symbol" in err and err.count("undefined symbol") == 1


def test_cli_missing_extra_file_is_a_clean_error(tmp_path, capfd):
    prog = tmp_path / "main.ll"
    prog.write_text(USES_HELPER)
    for option in ("--extra-module", "--extra-object"):
        missing = tmp_path / f"nope{option}.o"
        assert cli(str(prog), "--target", "x86_64", "--placements", "1", option, str(missing)) == 2
        err = capfd.readouterr().err
        assert "cannot read" in err and missing.name in err and "Traceback" not in err
    assert cli(str(prog), "--target", "x86_64", "--env", "NOEQUALS") == 2
    assert "--env takes NAME=value" in capfd.readouterr().err


def test_cli_verbose_prints_retargeting_note(target, tmp_path, capfd):
    prog = tmp_path / "foreign.ll"
    prog.write_text(FOREIGN)
    assert cli(str(prog), "--target", target, "--placements", "1", "--reloc", "static", "-q", "-v") == 42
    err = capfd.readouterr().err
    assert f"target triple {X86_TRIPLE} replaced by {rig_targets.get(target).triple}" in err
    assert cli(str(prog), "--target", target, "--placements", "1", "--reloc", "static", "-q") == 42
    assert "replaced" not in capfd.readouterr().err


def test_cli_json_has_status_and_layouts(target, tmp_path, capfd):
    prog = tmp_path / "main.ll"
    prog.write_text(USES_HELPER)
    mod = tmp_path / "helper.ll"
    mod.write_text(HELPER_IR)
    status = cli(str(prog), "--target", target, "--placements", "3", "--reloc", "static", "--json",
                 "--extra-module", str(mod))
    report = json.loads(capfd.readouterr().out)
    assert status == 17 and report["status"] == 17 and report["ok"] is True
    assert report["modules"] == [str(prog), str(mod)]
    trials = report["trials"]
    assert len(trials) == 3
    assert all(t["status"] == 17 and t["ended"] == "return" and t["target"] == target for t in trials)
    for t in trials:
        assert set(t["layouts"]) == {"main.ll", "helper.ll"}
        assert all(".text" in lay and all(v.startswith("0x") for v in lay.values())
                   for lay in t["layouts"].values())
    assert len({json.dumps(t["layouts"], sort_keys=True) for t in trials}) == 3


# -- 14. absolute symbols from assembly -----------------------------------------------------------

ABS_ASM = ".text\n.globl abs_sym\n.set abs_sym, 0x1234\n"
USES_ABS = r"""
@abs_sym = external global i8
define i64 @abs_value() {
  %a = ptrtoint ptr @abs_sym to i64
  ret i64 %a
}
"""


@pytest.mark.parametrize("reloc", ["static", "pic"])
def test_absolute_symbol_from_assembly(target, reloc, tmp_path):
    asm = tmp_path / "abs.s"
    asm.write_text(ABS_ASM)
    for seed in (1, 2):
        with rig.Jit(target, seed=seed, reloc=reloc) as j:
            a = j.load(asm)
            assert [s.kind for s in a.object.symbols if s.name == "abs_sym"] == ["abs"]
            u = j.load(USES_ABS, name="uses_abs.ll")
            assert u.call("abs_value") == 0x1234
            # in the other order too: the assembly module loaded after, relinking the user
            j.unload(a)
            j.unload(u)
            u = j.load(USES_ABS, name="uses_abs.ll", defer_undefined=True)
            assert u.pending
            j.load(asm)
            assert u.call("abs_value") == 0x1234


def test_cli_program_without_main_is_one_clear_error(tmp_path, capfd):
    prog = tmp_path / "lib.ll"
    prog.write_text("define i32 @f() {\n  ret i32 1\n}\n")
    assert cli(str(prog), "--target", "all", "--placements", "3") == 2
    err = capfd.readouterr().err
    assert err.count("no loaded module defines 'main'") == 1 and "Traceback" not in err
