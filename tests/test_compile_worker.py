"""LLVM in a worker process: inputs that made llvmlite's LLVM end the rig's own
process are `CompileError`s now, the worker is replaced, and the same `Jit`
goes on; the compile limits; the disk cache's size limit and leftovers."""
from __future__ import annotations

import itertools
import os
import platform
import random
import signal
import threading
import time

import pytest

import rig
import targets
from rig import bench, compile as C, worker as W
from rig.limits import Limits

_unique = itertools.count()


def _good() -> str:
    # New bytes every time: a cache hit would not show that a (new) worker compiles.
    return f"; good {os.getpid()} {next(_unique)}\ndefine i32 @add(i32 %a, i32 %b) {{\n" \
           "  %r = add i32 %a, %b\n  ret i32 %r\n}\n"


@pytest.fixture(autouse=True)
def _own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("RIG_CACHE_DIR", str(tmp_path / "cache"))


def _still_works(jit: rig.Jit) -> None:
    mod = jit.load(_good())
    assert mod.call("add", 40, 2) == 42
    jit.unload(mod)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False


INTRINSIC = "declare void @llvm.{0}({1})\ndefine void @f() {{\n  call void @llvm.{0}({2})\n  ret void\n}}\n"

HOSTILE = [
    # (id, target, IR, what the error must say)
    ("asm-no-space", "arm", 'define void @f() {\n  call void asm"nop", ""()\n  ret void\n}\n', "assembly"),
    ("asm-tab", "aarch64", 'define void @f() {\n  call void asm\t"nop", ""()\n  ret void\n}\n', "assembly"),
    ("module-asm", "thumb", 'module asm "nop"\ndefine void @f() { ret void }\n', "asm parser"),
    ("function-in-bss", "x86_64", 'define void @f() section ".bss" {\n  ret void\n}\n', "BSS section"),
    ("function-in-bss", "arm", 'define void @f() section ".bss" {\n  ret void\n}\n', "BSS section"),
    ("x86-intrinsic", "arm", INTRINSIC.format("x86.sse2.pause", "", ""), "Cannot select"),
    ("aarch64-intrinsic", "x86_64", INTRINSIC.format("aarch64.isb", "i32", "i32 15"), "Cannot select"),
    ("global-ctors-inttoptr", "arm",
     "@llvm.global_ctors = appending global [1 x { i32, ptr, ptr }] "
     "[{ i32, ptr, ptr } { i32 65535, ptr inttoptr (i64 1 to ptr), ptr null }]\n", "Assertion"),
]


@pytest.mark.parametrize("case,target,ir,says", HOSTILE, ids=[f"{c[0]}-{c[1]}" for c in HOSTILE])
def test_inputs_that_abort_llvm_are_compile_errors(case, target, ir, says):
    jit = rig.Jit(target, seed=1)
    _still_works(jit)                           # a worker exists: see that it is the one replaced
    before = set(W.pool().pids())
    t0 = time.monotonic()
    with pytest.raises(rig.CompileError, match=says) as e:
        jit.load(ir, name=f"{case}.ll")
    assert time.monotonic() - t0 < 20
    text = str(e.value)
    assert f"{case}.ll" in text and f"for {target} " in text and "LLVM crashed" in text
    assert not any(_alive(pid) for pid in before)            # the crashed worker is gone, and reaped
    _still_works(jit)
    assert not set(W.pool().pids()) & before                  # ... and replaced


@pytest.mark.parametrize("ir,limit", [
    ("@g = global i32 1, align 4294967296\n", "section_align"),
    ("@g = global i32 1, align 1073741824\n", "section_align"),
    ("@a = global [2305843009213693952 x i8] zeroinitializer\n", "allocatable_size"),
    ("@g = global i32 1\ndefine void @f() align 1073741824 {\n  ret void\n}\n", "section_align"),
], ids=["align-4G", "align-1G", "array-2^61", "function-align-1G"])
def test_huge_objects_are_refused_before_they_are_made(ir, limit, tmp_path):
    """`align 1 GiB` made a 1 GiB object (ELF pads the section's file offset) that was
    hashed, parsed and written to the disk cache: now the worker refuses it
    before emitting, and the error is both a CompileError and a LimitExceeded."""
    jit = rig.Jit("x86_64", seed=1)
    t0 = time.monotonic()
    with pytest.raises(rig.LimitExceeded) as e:
        jit.load(ir, name="huge.ll")
    assert time.monotonic() - t0 < 5
    assert isinstance(e.value, rig.CompileError) and e.value.limit == limit
    assert "huge.ll" in str(e.value) and f"Limits({limit}=" in str(e.value)
    assert not list((tmp_path / "cache").glob("*.o"))               # nothing was made to cache
    _still_works(jit)


def test_an_alignment_the_limits_allow_but_memory_does_not():
    """With the checks raised out of the way, the worker's own memory limit stops it."""
    limits = Limits(section_align=1 << 30, object_size=2 << 30, compile_memory=768 << 20)
    with pytest.raises(rig.LimitExceeded, match="compile_memory") as e:
        C.compile_source("@g = global i32 1, align 1073741824\n", targets.get("x86_64"), C.Options(),
                         "oom.ll", limits)
    assert isinstance(e.value, rig.CompileError) and e.value.limit == "compile_memory"
    _still_works(rig.Jit("x86_64"))


def test_large_alignments_elsewhere_are_not_refused():
    """A load's, a parameter's or a string's "align" places nothing: the precise check passes them."""
    ir = ('@s = constant [14 x i8] c"align 99999999"\n'
          "define i32 @f(ptr align 1048576 %p) {\n  %v = load i32, ptr %p, align 1048576\n  ret i32 %v\n}\n")
    assert C.compile_source(ir, targets.get("aarch64"), C.Options(), "ok.ll")[:4] == b"\x7fELF"


def test_damaged_bitcode_never_ends_the_rig():
    """Single-bit flips of a small module's bitcode: each is an object or a
    CompileError (the bitcode reader's assertions among them)."""
    import llvmlite.binding as llvm
    C._llvm()
    good = _good()
    bc = llvm.parse_assembly(good).as_bitcode()
    t = targets.get("x86_64")
    jit = rig.Jit("x86_64", seed=1)
    rng = random.Random(1)
    crashed = refused = compiled = 0
    t0 = time.monotonic()
    for _ in range(300):
        flipped = bytearray(bc)
        pos = rng.randrange(len(flipped))
        flipped[pos] ^= 1 << rng.randrange(8)
        try:
            C.compile_source(bytes(flipped), t, C.Options(), f"flip{pos}.bc", Limits(compile_seconds=20))
            compiled += 1
        except rig.CompileError as e:
            assert f"flip{pos}.bc" in str(e)
            if "LLVM crashed" in str(e):
                crashed += 1
                _still_works(jit)
            else:
                refused += 1
    assert crashed >= 1 and refused >= 1 and compiled >= 1, (crashed, refused, compiled)
    assert time.monotonic() - t0 < 40
    _still_works(jit)


def test_a_worker_killed_mid_compile_is_replaced():
    big = bench.generated(800) + f"; kill probe {os.getpid()}\n"     # about a second to compile
    t = targets.get("x86_64")
    C.compile_source(_good(), t)                                   # the worker is up
    result = {}

    def compile_big():
        try:
            result["obj"] = C.compile_source(big, t, C.Options(), "big.ll")
        except rig.CompileError as e:
            result["error"] = e
    thread = threading.Thread(target=compile_big)
    thread.start()
    deadline = time.monotonic() + 10
    while not W.pool().busy_pids() and time.monotonic() < deadline:
        time.sleep(0.005)
    time.sleep(0.2)
    victim = W.pool().busy_pids()[0]
    os.kill(victim, signal.SIGKILL)
    thread.join(30)
    assert "SIGKILL" in str(result.get("error")) and "big.ll" in str(result["error"]), result
    _still_works(rig.Jit("x86_64"))
    assert victim not in W.pool().pids()


def test_a_compile_over_its_time_is_stopped():
    big = bench.generated(800) + f"; time probe {os.getpid()}\n"
    t0 = time.monotonic()
    with pytest.raises(rig.LimitExceeded, match="compile_seconds") as e:
        C.compile_source(big, targets.get("arm"), C.Options(), "slow.ll", Limits(compile_seconds=0.2))
    assert time.monotonic() - t0 < 5
    assert isinstance(e.value, rig.CompileError) and "slow.ll" in str(e.value)
    _still_works(rig.Jit("arm"))


def test_compiles_from_threads_share_the_pool():
    t = targets.get("aarch64")
    objs = {}

    def one(i):
        objs[i] = C.compile_source(_good(), t)
    threads = [threading.Thread(target=one, args=(i,)) for i in range(6)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(30)
    assert len(objs) == 6 and all(o[:4] == b"\x7fELF" for o in objs.values())
    assert len(W.pool().pids()) <= W.pool().size


def test_inline_asm_for_the_host_compiles():
    """The worker has the host's assembly parser (llvmlite ships only that one):
    inline asm for x86-64 compiles and runs on an x86-64 host; for another
    target it is a CompileError, not an abort."""
    ir = 'define i32 @f(i32 %x) {\n  %r = call i32 asm "lea 1($1), $0", "=r,r"(i32 %x)\n  ret i32 %r\n}\n'
    if platform.machine() in ("x86_64", "AMD64"):
        assert rig.Jit("x86_64").load(ir).call("f", 41) == 42
    else:
        with pytest.raises(rig.CompileError, match="assembly"):
            rig.Jit("x86_64").load(ir)
    with pytest.raises(rig.CompileError, match="assembly"):
        rig.Jit("aarch64").load(ir.replace("lea 1($1), $0", "add $0, $1, #1"))


def test_error_columns_are_the_users():
    """The target's header is on lines of its own: LLVM's line and column are the user's."""
    jit = rig.Jit("arm")
    with pytest.raises(rig.CompileError, match=r"col\.ll:1:5: error") as e:
        jit.load("@a =3\n", name="col.ll")
    assert "@a =3\n    ^" in str(e.value)
    with pytest.raises(rig.CompileError, match=r"col\.ll:3:7: error"):
        jit.load('target triple = "x86_64-pc-linux-gnu"\ndefine i32 @f() {\n  ret i64 0\n}\n', name="col.ll")
    with pytest.raises(rig.CompileError, match="LLVM failed for arm"):      # the verifier, as before
        jit.load("define i32 @f() {\n  %a = add i32 %b, 1\n  %b = add i32 %a, 1\n  ret i32 %a\n}\n")


def test_large_objects_are_not_written_to_the_disk_cache(tmp_path):
    t = targets.get("x86_64")
    ir = _good()
    small = Limits(cache_object_size=64)
    obj = C.compile_source(ir, t, C.Options(), "big.ll", small)
    assert not list((tmp_path / "cache").glob("*.o"))
    C._memory.clear()
    assert C.compile_source(ir, t, C.Options(), "big.ll") == obj       # compiled again, same bytes
    assert [f.read_bytes() for f in (tmp_path / "cache").glob("*.o")] == [obj]


def test_killed_writers_leftovers_are_removed(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    cache.mkdir()
    old, fresh = cache / "dead.o.123.tmp", cache / "live.o.456.tmp"
    old.write_bytes(b"half an object")
    fresh.write_bytes(b"being written")
    hour_ago = time.time() - 3600
    os.utime(old, (hour_ago, hour_ago))
    C.compile_source(_good(), targets.get("arm"))
    assert not old.exists() and fresh.exists()                 # a live writer's file is left alone
    assert len(list(cache.glob("*.o"))) == 1 and len(list(cache.glob("*.tmp"))) == 1

    def fail(*a):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(os, "replace", fail)
    C.compile_source(_good(), targets.get("arm"))              # the cache is an optimisation: no error
    assert len(list(cache.glob("*.tmp"))) == 1                 # ... and no half-written file stays
