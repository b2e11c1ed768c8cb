"""Every executor gives what the in-process emulator gives (issue 13's "Done when").

The code runs in a child process over pipes (`subprocess`), in a forked child of a
`rig executor --listen` server over TCP (`tcp`), and on this x86-64 CPU in a ptrace'd
child (`native`, x86_64 only).  For each:

* the IR corpus's calls, at the same two random placements, give the same values, output
  and errors as in-process (one `Jit` per target and model, as a campaign keeps one; static
  over pipes, PIC over TCP, both on the CPU);
* every whole program of the program corpus (corpus/programs) and of the remote-MCJIT
  corpus (corpus/remote) gives the status and output its header states;
* musl programs (system calls, stdin, TLS) and a C++ program throwing across modules give
  their stated status and output;
* a killed executor is `ExecutorDied` and the next call on the same `Jit` works; a program
  that faults is reported with the same place as in-process.
"""
from __future__ import annotations

import os
import platform
import re
import signal
import subprocess
import sys
import threading
import zlib
from pathlib import Path

import pytest

from tests.matrix import FULL

import rig
from rig import corpus, runner
from rig.errors import EmulationFault, ExecutorDied

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
TARGETS = ("x86_64", "arm", "thumb", "aarch64")
NATIVE_HOST = sys.platform.startswith("linux") and platform.machine().lower() in ("x86_64", "amd64")
#: (target, executor) pairs: every target in a child process and over TCP, x86_64 on the CPU
#: (RIG_FULL=1); by default each target in one of the two in turn (both executors, every target).
PAIRS = ([(t, e) for t in TARGETS for e in ("subprocess", "tcp")] if FULL else
         [(t, ("subprocess", "tcp")[i % 2]) for i, t in enumerate(TARGETS)]) + [("x86_64", "native")]
IDS = [f"{t}-{e}" for t, e in PAIRS]

IR_PROGRAMS = [p for p in corpus.discover(CORPUS) if p.path.suffix == ".ll" and p.run is None
               and p.runtime == "host" and p.calls]
WHOLE = [p for d in ("programs", "remote") if (CORPUS / d).is_dir()
         for p in corpus.discover(CORPUS / d, whole=True)]
MUSL = [p for p in corpus.discover(CORPUS, recursive=True, whole=True, runtime="musl")
        if p.path.name in ("stdin_numbers.c", "tls_counters.c", "cross_module_throw.cpp")]


@pytest.fixture(scope="module")
def server():
    """A `rig executor --listen 127.0.0.1:0` server for the module's tests; its address."""
    proc = subprocess.Popen([sys.executable, "-m", "rig.executor", "--listen", "127.0.0.1:0"],
                            stderr=subprocess.PIPE, cwd=ROOT, text=True)
    line = proc.stderr.readline()
    m = re.search(r"tcp://[\d.]+:(\d+)", line)
    assert m, line
    yield f"tcp://127.0.0.1:{m.group(1)}"
    proc.terminate()
    proc.wait(timeout=10)


def _executor(name: str, server: str) -> str:
    if name == "native" and not NATIVE_HOST:
        pytest.skip(f"the native executor runs x86_64 code on an x86-64 host; this is {platform.machine()}")
    return server if name == "tcp" else name


def _outcomes(trials):
    return [(t.reloc, t.index, t.error, sorted(t.layout.items()),
             [(str(o.call), o.ok, o.value, o.stdout, o.error) for o in t.outcomes]) for t in trials]


_inprocess = {}


def _corpus_run(target: str, reloc: str, executor: str):
    """Every IR program's trials, two placements each, in one `Jit`."""
    key = (target, reloc, executor)
    if executor == "inprocess" and key in _inprocess:
        return _inprocess[key]
    out = []
    with rig.Jit(target, seed=13, reloc=reloc, executor=executor) as jit:
        for program in IR_PROGRAMS:
            if target in program.targets and reloc in program.relocs:
                out.append((program.name, _outcomes(runner.run_trials(program, target, placements=2,
                                                                       reloc=reloc, jit=jit))))
    if executor == "inprocess":
        _inprocess[key] = out
    return out


def test_the_corpora_are_there():
    assert len(IR_PROGRAMS) >= 20
    assert len(WHOLE) >= 25
    assert len(MUSL) == 3


#: The IR corpus per executor and relocation model: pipes and TCP share all but the transport,
#: so each takes one model (the suite's time); the native CPU takes both.
IR_CASES = [pytest.param(t, e, r, id=f"{t}-{e}-{r}") for t, e in PAIRS
            for r in {"subprocess": ("static",), "tcp": ("pic",)}.get(e, ("static", "pic"))]


@pytest.mark.parametrize("target, executor, reloc", IR_CASES)
def test_ir_corpus_agrees_with_inprocess(target, executor, reloc, server):
    got = _corpus_run(target, reloc, _executor(executor, server))
    want = _corpus_run(target, reloc, "inprocess")
    assert [name for name, _ in got] == [name for name, _ in want]
    for (name, g), (_, w) in zip(got, want):
        assert g == w, name
        assert all(t[2] is None and all(o[1] for o in t[4]) for t in g), (name, g)


@pytest.mark.parametrize("target, executor", PAIRS, ids=IDS)
def test_whole_programs_give_their_stated_results(target, executor, server):
    spec = _executor(executor, server)
    bad = []
    for program in WHOLE:
        if target not in program.targets:
            continue
        run = program.run
        trials = runner.run_program([program.path, *run.extra], target, args=run.args, env=run.env,
                                    seed=zlib.crc32(program.name.encode()), reloc=program.relocs[-1],
                                    expected=run, program_name=program.name, executor=spec)
        bad += [(program.name, t.error, t.result and t.result.summary()) for t in trials if not t.ok]
    assert not bad


@pytest.mark.parametrize("target, executor", PAIRS, ids=IDS)
def test_musl_programs_give_their_stated_results(target, executor, server):
    spec = _executor(executor, server)
    for program in MUSL:
        if target not in program.targets:
            continue
        run = program.run
        trials = runner.run_program([program.path, *run.extra], target, args=run.args, env=run.env,
                                    seed=5, reloc=program.relocs[0], expected=run, program_name=program.name,
                                    runtime="musl", stdin=run.stdin, mounts=program.mounts, executor=spec)
        assert all(t.ok for t in trials), (program.name, [(t.error, t.result and t.result.summary(),
                                                            t.result and t.result.output) for t in trials])


LOOP = """
@count = global i64 0
define i64 @spin(i64 %n) {
entry:
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i1, %loop ]
  store volatile i64 %i, ptr @count
  %i1 = add i64 %i, 1
  %done = icmp eq i64 %i1, %n
  br i1 %done, label %out, label %loop
out:
  ret i64 %i1
}
define i64 @null_load(i64 %x) {
  %p = inttoptr i64 %x to ptr
  %v = load volatile i64, ptr %p
  ret i64 %v
}
"""


@pytest.mark.parametrize("target, executor", PAIRS, ids=IDS)
def test_killed_mid_call_is_executor_died_and_the_jit_goes_on(target, executor, server):
    spec = _executor(executor, server)
    with rig.Jit(target, seed=8, executor=spec, budget=0, timeout=60.0) as jit:
        mod = jit.load(LOOP, name="loop.ll")
        assert mod.call("spin", 1000) == 1000
        victim = jit.process.machine.pid
        # SIGKILL while the call runs: a loop far longer than the timer.
        timer = threading.Timer(0.3, os.kill, (victim, signal.SIGKILL))
        timer.start()
        try:
            with pytest.raises(ExecutorDied, match=r"signal 9|SIGKILL|closed the connection"):
                mod.call("spin", 1 << 62)
        finally:
            timer.cancel()
        # A fresh executor, the module put back where it was.
        assert mod.call("spin", 77) == 77
        assert jit.process.machine.pid != victim
        assert jit.process.machine.revivals == 1


@pytest.mark.parametrize("target, executor", PAIRS, ids=IDS)
def test_a_fault_is_reported_with_its_place_as_inprocess(target, executor, server):
    spec = _executor(executor, server)
    errors = {}
    for name in ("inprocess", spec):
        with rig.Jit(target, seed=9, executor=name) as jit:
            mod = jit.load(LOOP, name="loop.ll")
            with pytest.raises(EmulationFault) as e:
                mod.call("null_load", 16)
            # The place and the instruction, not the flags register (the CPU's has more bits set).
            errors[name] = (e.value.kind, e.value.address, e.value.signal, e.value.pc,
                            str(e.value).splitlines()[0])
            assert mod.call("spin", 3) == 3         # the process goes on
    assert errors[spec] == errors["inprocess"]
    assert "null_load" in errors[spec][4]


def test_native_refuses_a_target_this_cpu_cannot_run():
    with pytest.raises(rig.errors.ExecutorError, match="native executor runs x86_64 code"):
        rig.Jit("aarch64", executor="native")


def test_the_server_survives_a_client_that_breaks_the_protocol(server):
    import socket
    host, port = server[len("tcp://"):].rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=10) as s:
        s.sendall(b"\x05\x00\x00\x00" + bytes(8) + b"nope!")
        reply = s.recv(4096)
        assert b"malformed" in reply or b"fatal" in reply
        assert s.recv(4096) == b""                  # and the child ended the conversation
    with rig.Jit("arm", seed=1, executor=server) as jit:   # the server still serves
        assert jit.load(LOOP, name="loop.ll").call("spin", 5) == 5


def test_drawn_programs_agree_on_the_cpu_and_in_the_emulator():
    """`rig fuzz --executor native --compare inprocess`: corpus programs and random ones (the
    host CPU through llvmlite is their oracle too), each at a drawn placement, run on the CPU
    and in Unicorn, must give exactly the same values, output and errors."""
    if not NATIVE_HOST:
        pytest.skip(f"the native executor runs x86_64 code on an x86-64 host; this is {platform.machine()}")
    from rig import fuzz
    report, = fuzz.campaign(["x86_64"], examples=30, seed=3, corpus_dir=CORPUS, database=None,
                            executor="native", compare="inprocess")
    assert report.examples >= 25 and not report.failures, report.failures


def test_an_unknown_executor_on_the_command_line(capsys):
    from rig.cli import main
    assert main(["run", str(CORPUS / "sieve.ll"), "--executor", "qemu"]) != 0
    assert "unknown executor 'qemu'" in capsys.readouterr().err
