"""A `Jit` whose code runs in a child process (`executor="subprocess"`, `rig.executor`):
the IR corpus's calls give what they give in-process, host functions (printf, malloc...)
served from inside the child's run; the child's death is `ExecutorDied`."""
from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

import rig
from rig import corpus, runner
from rig.runtime.host import HostFunction
from rig.errors import (EmulationFault, ExecutorDied, InstructionBudgetExceeded, RigError,
                        TimeLimitExceeded)

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
#: The top-level IR programs made of calls (no whole-program runs, no musl).
PROGRAMS = [p for p in corpus.discover(CORPUS) if p.path.suffix == ".ll" and p.run is None
            and p.runtime == "host"]
TARGETS = ("x86_64", "aarch64")
CASES = [pytest.param(p, t, id=f"{p.name}-{t}") for p in PROGRAMS for t in TARGETS if t in p.targets]
HOST_CALLING = {"printf_mix.ll", "output.ll", "linked_list.ll", "libm.ll"}


def test_enough_programs_and_some_call_host_functions():
    names = {p.name for p in PROGRAMS}
    assert len(names) >= 10
    assert HOST_CALLING <= names


def _outcomes(trials):
    return [(t.reloc, t.index, t.error, sorted(t.layout.items()),
             [(str(o.call), o.ok, o.value, o.stdout, o.error) for o in t.outcomes]) for t in trials]


@pytest.mark.parametrize("program, target", CASES)
def test_corpus_calls_agree_with_inprocess(program, target):
    got = {}
    for executor in ("inprocess", "subprocess"):
        jit = rig.Jit(target, seed=13, reloc=program.relocs[0], executor=executor)
        try:
            got[executor] = runner.run_trials(program, target, placements=2, reloc=program.relocs[0], jit=jit)
        finally:
            jit.close()
    sub = got["subprocess"]
    assert all(t.error is None for t in sub), [t.error for t in sub]
    failed = [(str(o.call), o.value, o.stdout, o.error) for t in sub for o in t.outcomes if not o.ok]
    assert not failed
    assert _outcomes(sub) == _outcomes(got["inprocess"])


@pytest.mark.parametrize("target", TARGETS)
def test_host_functions_run_in_the_rig_while_the_child_runs(target):
    calls = []
    with rig.Jit(target, seed=1, executor="subprocess",
                 host_functions={"note": HostFunction.of("note", "i64(i64)",
                                                             lambda ctx, x: calls.append(x) or x * 3)}) as jit:
        assert jit.process.machine.pid != os.getpid()
        mod = jit.load("""
            declare i64 @note(i64)
            declare ptr @malloc(i64)
            declare i32 @printf(ptr, ...)
            @fmt = private constant [7 x i8] c"%s %d\\0A\\00"
            @hi = private constant [3 x i8] c"hi\\00"
            define i64 @f(i64 %n) {
            entry:
              br label %loop
            loop:
              %i = phi i64 [ 0, %entry ], [ %i1, %loop ]
              %acc = phi i64 [ 0, %entry ], [ %acc1, %loop ]
              %v = call i64 @note(i64 %i)
              %acc1 = add i64 %acc, %v
              %i1 = add i64 %i, 1
              %done = icmp eq i64 %i1, %n
              br i1 %done, label %out, label %loop
            out:
              %p = call ptr @malloc(i64 16)
              store i64 %acc1, ptr %p
              %r = load i64, ptr %p
              %t = trunc i64 %r to i32
              %c = call i32 (ptr, ...) @printf(ptr @fmt, ptr @hi, i32 %t)
              ret i64 %r
            }""", name="h.ll")
        res = mod.invoke("f", 5)
        assert res.value == 3 * (0 + 1 + 2 + 3 + 4)
        assert res.stdout == b"hi 30\n"
        assert calls == [0, 1, 2, 3, 4]


@pytest.mark.parametrize("target", TARGETS)
def test_faults_and_limits_as_inprocess(target):
    src = """
        define i64 @null_load(ptr %p) {
          %v = load volatile i64, ptr null
          ret i64 %v
        }
        define i32 @add1(i32 %x) {
          %y = add i32 %x, 1
          ret i32 %y
        }
        define void @forever() {
        entry:
          %c = alloca i32
          br label %loop
        loop:
          store volatile i32 1, ptr %c
          br label %loop
        }"""
    errors = {}
    for executor in ("inprocess", "subprocess"):
        with rig.Jit(target, seed=2, executor=executor, budget=100_000, timeout=20.0) as jit:
            mod = jit.load(src, name="f.ll")
            with pytest.raises(EmulationFault) as e:
                mod.call("null_load", 0)
            with pytest.raises(InstructionBudgetExceeded):
                mod.call("forever")
            errors[executor] = (e.value.kind, e.value.address, e.value.signal)
            # the process goes on after both
            assert mod.invoke("add1", 41).value == 42
    assert errors["subprocess"] == errors["inprocess"]
    assert errors["subprocess"][1] == 0


def test_timeout_in_the_child():
    with rig.Jit("x86_64", seed=3, executor="subprocess", budget=0, timeout=0.5) as jit:
        mod = jit.load("""
            define void @forever() {
            entry:
              %c = alloca i32
              br label %loop
            loop:
              store volatile i32 1, ptr %c
              br label %loop
            }""", name="t.ll")
        with pytest.raises(TimeLimitExceeded):
            mod.call("forever")


@pytest.mark.parametrize("target", TARGETS)
def test_killed_executor_is_executor_died(target):
    with rig.Jit(target, seed=4, executor="subprocess") as jit:
        mod = jit.load("define i32 @add(i32 %a, i32 %b) {\n  %s = add i32 %a, %b\n  ret i32 %s\n}\n",
                       name="a.ll")
        assert mod.call("add", 2, 3) == 5
        first = jit.process.machine.pid
        os.kill(first, signal.SIGKILL)
        with pytest.raises(ExecutorDied, match="signal 9|SIGKILL|gone"):
            mod.call("add", 4, 5)
        # The next call starts a fresh executor with the module put back.
        assert mod.call("add", 4, 5) == 9
        assert jit.process.machine.pid != first and jit.process.machine.revivals == 1


def test_unknown_executor_is_refused_naming_the_ones_there_are():
    with pytest.raises(RigError, match="unknown executor 'thread': use inprocess, subprocess, native or tcp"):
        rig.Jit("x86_64", executor="thread")
    with pytest.raises(RigError, match="tcp://HOST:PORT"):
        rig.Jit("x86_64", executor="tcp://nowhere")


def test_inprocess_is_the_default():
    with rig.Jit("x86_64") as jit:
        assert jit.executor == "inprocess"
        assert not jit.process.executor_mode
