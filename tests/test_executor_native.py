"""`NativeMachine`: x86-64 code on the real CPU in a ptrace'd child, stop for stop what
`UnicornMachine` reports for the same code."""
from __future__ import annotations

import os
import platform
import signal
import sys
import time

import pytest

from rig.errors import EmulationFault, ExecutorDied, ExecutorError
from rig.executor.machine import Stop, UnicornMachine
from targets import get as get_target

X86 = get_target("x86_64")
pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux") or platform.machine() != "x86_64",
                                reason="the native executor needs an x86-64 Linux host")

CODE, RO, DATA, STACK, HOST = 0x100000, 0x200000, 0x300000, 0x400000, 0x500000
STACK_TOP = STACK + 0x2000
PAD = HOST                          # slot 0: where calls return to
SLOT1 = HOST + 16

ADD = bytes.fromhex("4889f8 4801f0 c3")          # mov rax, rdi; add rax, rsi; ret


def _native():
    from rig.executor.native import NativeMachine
    return NativeMachine(X86)


def _setup(m, code: bytes):
    """Code at CODE, a read-only page, a data page, a stack, host slots holding `ret`."""
    m.map(CODE, 0x1000, "rx", code)
    m.map(RO, 0x1000, "r", b"\x11" * 8)
    m.map(DATA, 0x1000, "rw")
    m.map(STACK, 0x2000, "rw")
    m.map(HOST, 0x1000, "rx", b"\xc3" * 0x1000)
    m.host_range(HOST, 0x1000)
    return m


def _call(m, args=(), budget=0, timeout=5.0, **kw):
    """Call CODE with `args` in rdi, rsi, ..., returning to the pad."""
    for reg, value in zip(("rdi", "rsi", "rdx", "rcx"), args):
        m.reg_write(reg, value)
    m.reg_write("rsp", STACK_TOP - 8)
    m.write(STACK_TOP - 8, PAD.to_bytes(8, "little"))
    return m.run(CODE, PAD, budget, timeout, **kw)


@pytest.fixture
def native():
    m = _native()
    yield m
    m.close()


def test_memory_map_write_read_protect_unmap_regions(native):
    m = native
    m.map(DATA, 0x3000, "rw", b"abc")
    assert m.read(DATA, 4) == b"abc\0"
    m.write(DATA + 0x1ffe, b"wxyz")                # across pages
    assert m.read(DATA + 0x1ffe, 4) == b"wxyz"
    m.protect(DATA + 0x1000, 0x1000, "r")
    assert m.regions() == [(DATA, DATA + 0x1000, "rw"), (DATA + 0x1000, DATA + 0x2000, "r"),
                           (DATA + 0x2000, DATA + 0x3000, "rw")]
    m.write(DATA + 0x1000, b"ro")                  # the rig writes read-only pages
    assert m.read(DATA + 0x1000, 2) == b"ro"
    m.unmap(DATA + 0x2000, 0x1000)
    assert m.regions()[-1] == (DATA + 0x1000, DATA + 0x2000, "r")
    with pytest.raises(EmulationFault, match="read of 1 bytes at 0x302000: memory not mapped"):
        m.read(DATA + 0x2000, 1)
    with pytest.raises(EmulationFault, match="write of 2 bytes"):
        m.write(DATA + 0x1fff, b"xx")
    with pytest.raises(EmulationFault, match="cannot map"):
        m.map(DATA, 0x1000, "rw")                  # already mapped
    with pytest.raises(EmulationFault, match="cannot map"):
        m.map(m.occupied()[0][0], 0x1000, "rw")    # the child's own page
    with pytest.raises(EmulationFault, match="cannot unmap"):
        m.unmap(0x700000, 0x1000)
    with pytest.raises(ExecutorError):
        m.map(0x800000, 0x1000, "rq")
    assert m.read(0x700000, 0) == b"" and m.write(0x700000, b"") is None    # nothing: no error, as on Unicorn
    # The child holds only its own page and what the rig mapped.
    with open(f"/proc/{m.pid}/maps") as f:
        spans = [tuple(int(x, 16) for x in line.split()[0].split("-")) for line in f]
    assert [s for s in spans if s[1] <= 1 << 47] == sorted(m.occupied() + [(a, b) for a, b, _ in m.regions()])


def test_a_call_returns_to_the_pad(native):
    m = _setup(native, ADD)
    stop = _call(m, (5, 7))
    assert stop == Stop("returned", PAD)
    assert m.reg_read("rax") == 12 and m.reg_read("rip") == PAD and m.reg_read("rsp") == STACK_TOP
    # the pad reads as the rig wrote it, not as the int3 the child holds
    assert m.read(PAD, 2) == b"\xc3\xc3"
    assert _call(m, (2**64 - 1, 2)) == Stop("returned", PAD) and m.reg_read("rax") == 1


def test_host_range_remapped_is_fresh(native):
    m = _setup(native, ADD)
    m.write(SLOT1, b"\x90\xc3")
    assert m.read(SLOT1, 2) == b"\x90\xc3"
    m.unmap(HOST, 0x1000)
    m.map(HOST, 0x1000, "rx")
    assert m.read(SLOT1, 2) == b"\0\0"                   # zeroed, as any fresh page
    m.write(HOST, b"\xc3")
    assert _call(m, (1, 1)) == Stop("returned", PAD)      # the child still traps there


def test_closed_machine_refuses():
    m = _setup(_native(), ADD)
    pid = m.pid
    m.close()
    with pytest.raises(ExecutorError, match="closed"):
        m.read(CODE, 1)
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)                      # reaped: no zombie left
    m.close()                                            # twice is fine


def test_registers_gpr_al_xmm_fs_base(native):
    m = _setup(native, bytes.fromhex("660f6fc1 c3"))   # movdqa xmm0, xmm1; ret
    m.reg_write("xmm1", 0x0123456789ABCDEF_FEDCBA9876543210)
    m.reg_write("rax", 0x1122334455667788)
    m.reg_write("al", 0x1FF)
    assert m.reg_read("rax") == 0x11223344556677FF and m.reg_read("al") == 0xFF
    m.reg_write("fs_base", DATA)
    assert _call(m) == Stop("returned", PAD)
    assert m.reg_read("xmm0") == 0x0123456789ABCDEF_FEDCBA9876543210
    assert m.reg_read("fs_base") == DATA
    with pytest.raises(ExecutorError, match="no register"):
        m.reg_read("cr0")


def test_host_slot_with_on_host(native):
    # call SLOT1 (host: rax = rdi * 3); add rax, 1; ret
    code = bytes.fromhex("48b8") + SLOT1.to_bytes(8, "little") + bytes.fromhex("ffd0 4883c001 c3")
    m = _setup(native, code)
    seen = []

    def on_host(a):
        seen.append((a, m.reg_read("rip")))
        m.reg_write("rax", m.reg_read("rdi") * 3)

    assert _call(m, (14,), on_host=on_host) == Stop("returned", PAD)
    assert m.reg_read("rax") == 43 and seen == [(SLOT1, SLOT1)]
    # without on_host: a "host" stop, then a resumed run runs the slot's `ret`
    stop = _call(m, (2,))
    assert stop == Stop("host", SLOT1, address=SLOT1) and m.reg_read("rip") == SLOT1
    m.reg_write("rax", 100)
    assert m.run(SLOT1, PAD, 0, 5.0) == Stop("returned", PAD) and m.reg_read("rax") == 101


def test_host_callback_may_jump_elsewhere(native):
    code = bytes.fromhex("48b8") + SLOT1.to_bytes(8, "little") + bytes.fromhex("ffd0 4883c001 c3")
    m = _setup(native, code)

    def on_host(a):                    # skip the rest: return straight to the pad
        m.reg_write("rax", 7)
        m.reg_write("rip", PAD)

    assert _call(m, on_host=on_host) == Stop("returned", PAD) and m.reg_read("rax") == 7


def test_a_callback_raising_ends_the_run_and_the_machine_goes_on(native):
    code = bytes.fromhex("48b8") + SLOT1.to_bytes(8, "little") + bytes.fromhex("ffd0 c3")
    m = _setup(native, code)

    def boom(a):
        raise KeyError("x")

    with pytest.raises(KeyError):
        _call(m, on_host=boom)
    assert _call(m, on_host=lambda a: m.reg_write("rax", 5)) == Stop("returned", PAD)
    assert m.reg_read("rax") == 5


GETPID = bytes.fromhex("b827000000 bf05000000 0f05 4883c001 c3")   # eax=39; edi=5; syscall; add rax,1; ret


def test_syscall_with_on_syscall_is_not_run_by_the_kernel(native):
    m = _setup(native, GETPID)
    seen = []

    def on_syscall(pc):
        seen.append((pc, m.reg_read("rax"), m.reg_read("rdi"), m.reg_read("rip")))
        m.reg_write("rax", 1000)

    assert _call(m, on_syscall=on_syscall) == Stop("returned", PAD)
    assert seen == [(CODE + 10, 39, 5, CODE + 10)]
    assert m.reg_read("rax") == 1001
    assert m.reg_read("rcx") == CODE + 12             # what the CPU's syscall leaves


def test_syscall_without_on_syscall_stops(native):
    m = _setup(native, GETPID)
    stop = _call(m)
    assert stop == Stop("syscall", CODE + 10, resume=CODE + 12)
    assert m.reg_read("rax") == 39
    m.reg_write("rax", 41)
    assert m.run(stop.resume, PAD, 0, 5.0) == Stop("returned", PAD) and m.reg_read("rax") == 42


def test_exit_group_is_emulated_too(native):
    # exit_group(0) would end the child were the kernel to run it
    m = _setup(native, bytes.fromhex("b8e7000000 31ff 0f05 c3"))
    assert _call(m).reason == "syscall"
    assert _call(m, on_syscall=lambda pc: m.reg_write("rax", 0)) == Stop("returned", PAD)


FAULTS = {
    "null read": bytes.fromhex("488b042500000000 c3"),           # mov rax, [0]
    "read-only write": bytes.fromhex("48b8") + RO.to_bytes(8, "little") + bytes.fromhex("488910 c3"),
    "read-modify-write of read-only": bytes.fromhex("48b8") + RO.to_bytes(8, "little") + bytes.fromhex("480100 c3"),
    "unmapped write": bytes.fromhex("48c7042500007000 01000000 c3"),   # mov qword [0x700000], 1
    "ud2": bytes.fromhex("90 0f0b"),
    "division by zero": bytes.fromhex("31c9 48f7f1 c3"),
    "INT_MIN / -1": bytes.fromhex("48b80000000000000080 4899 48c7c1ffffffff 48f7f9 c3"),
    "int3": bytes.fromhex("90 cc c3"),
    "int 0x41": bytes.fromhex("cd41 c3"),
    "int 0x80": bytes.fromhex("cd80 c3"),
    "call through null": bytes.fromhex("31c0 ffd0 c3"),
    "jump to data": bytes.fromhex("48b8") + DATA.to_bytes(8, "little") + bytes.fromhex("ffe0"),
    "stack overflow": bytes.fromhex("e8fbffffff"),                 # call self forever
    "pop from unmapped": bytes.fromhex("48bc0000700000000000 58 c3"),   # mov rsp, 0x700000; pop rax
}


def _stop_of(make, code):
    m = make()
    try:
        _setup(m, code)
        stop = _call(m)
        regs = {r: m.reg_read(r) for r in ("rip", "rax", "rcx", "rdx", "rsp")}
        # the machine goes on after a fault or exception
        m.write(CODE, ADD)
        after = _call(m, (1, 2))
        return stop, regs, after, m.reg_read("rax")
    finally:
        m.close()


@pytest.mark.parametrize("name", sorted(FAULTS))
def test_faults_and_exceptions_stop_as_on_unicorn(name):
    native = _stop_of(_native, FAULTS[name])
    emulated = _stop_of(lambda: UnicornMachine(X86), FAULTS[name])
    assert native[0] == emulated[0]
    assert native[1] == emulated[1]
    assert native[2:] == (Stop("returned", PAD), 3)


def test_specific_fault_reports(native):
    m = _setup(native, FAULTS["null read"])
    assert _call(m) == Stop("fault", CODE, address=0, size=8, access="read_unmapped")
    m.write(CODE, FAULTS["read-only write"])
    assert _call(m) == Stop("fault", CODE + 10, address=RO, size=8, access="write_prot")
    m.write(CODE, FAULTS["ud2"])
    assert _call(m) == Stop("exception", CODE + 1, error="insn_invalid")
    m.write(CODE, FAULTS["division by zero"])
    assert _call(m) == Stop("exception", CODE + 2, intno=0)


LOOP = bytes.fromhex("ebfe")          # jmp $


def test_timeout_stops_an_endless_loop_and_the_machine_goes_on(native):
    m = _setup(native, LOOP)
    t0 = time.monotonic()
    stop = _call(m, timeout=0.5)
    assert stop == Stop("timeout", CODE)
    assert 0.4 < time.monotonic() - t0 < 3
    m.write(CODE, ADD)
    assert _call(m, (3, 4), timeout=0.5) == Stop("returned", PAD) and m.reg_read("rax") == 7
    time.sleep(0.6)                  # a deadline passing between runs stops nothing
    assert _call(m, (3, 5)) == Stop("returned", PAD)


def test_budget_bounds_the_run_in_time(native):
    m = _setup(native, LOOP)
    t0 = time.monotonic()
    assert _call(m, budget=1000, timeout=0) == Stop("budget", CODE)
    assert time.monotonic() - t0 < 3


def test_a_killed_child_is_executor_died(native):
    m = _setup(native, ADD)
    os.kill(m.pid, signal.SIGKILL)
    with pytest.raises(ExecutorDied, match="SIGKILL"):
        _call(m, (1, 2))
    with pytest.raises(ExecutorDied):
        m.read(CODE, 1)


def test_killed_during_an_endless_loop(native):
    m = _setup(native, LOOP)
    import threading
    threading.Timer(0.2, os.kill, (m.pid, signal.SIGKILL)).start()
    with pytest.raises(ExecutorDied, match="signal 9"):
        _call(m, timeout=5)


def test_refuses_other_targets():
    from rig.executor.native import NativeMachine
    with pytest.raises(ExecutorError, match="runs x86_64 code"):
        NativeMachine(get_target("aarch64"))


def test_only_the_making_thread_may_use_it(native):
    import threading
    m = _setup(native, ADD)
    errors = []
    t = threading.Thread(target=lambda: errors.append(pytest.raises(ExecutorError, _call, m)))
    t.start()
    t.join()
    assert errors and "thread" in str(errors[0].value)


# -- same programs, same stops and registers as Unicorn --------------------------------

PROGRAMS = {
    "sum": (ADD, (40, 2)),
    "loop": (bytes.fromhex("31c0 4801f8 48ffcf 75f8 c3"), (1000,)),       # rax = sum 1..n
    "memory": (bytes.fromhex("48893e 488b06 48f7d0 c3"), (0x55, DATA)),  # [rsi]=rdi; rax=~[rsi]
    "flags": (bytes.fromhex("4839f7 0f92c0 480fb6c0 c3"), (1, 2)),         # rax = rdi < rsi
    "host and syscall": (bytes.fromhex("48b8") + SLOT1.to_bytes(8, "little")
                         + bytes.fromhex("ffd0 4889c7 b827000000 0f05 c3"), (9,)),
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_programs_agree_with_unicorn(name):
    code, args = PROGRAMS[name]
    out = []
    for make in (_native, lambda: UnicornMachine(X86)):
        m = _setup(make(), code)
        try:
            events = []

            def on_host(a):
                events.append(("host", a, m.reg_read("rdi")))
                m.reg_write("rax", m.reg_read("rdi") + 100)

            stop = _call(m, args, on_host=on_host)
            while stop.reason == "syscall":           # UnicornMachine has no on_syscall yet
                events.append(("syscall", stop.pc, m.reg_read("rax"), m.reg_read("rdi")))
                m.reg_write("rax", m.reg_read("rdi") * 2)
                stop = m.run(stop.resume, PAD, 0, 5.0, on_host=on_host)
            regs = {r: m.reg_read(r) for r in ("rax", "rdi", "rsi", "rsp", "rip")}
            out.append((stop, regs, events, m.read(DATA, 8)))
        finally:
            m.close()
    assert out[0] == out[1]


def test_round_trip_cost(native):
    """One call (registers in, run to the pad, a register out) costs well under a millisecond."""
    m = _setup(native, ADD)
    n = 300
    t0 = time.perf_counter()
    for i in range(n):
        _call(m, (i, 1), budget=50_000_000, timeout=10)
        assert m.reg_read("rax") == i + 1
    per_call = (time.perf_counter() - t0) / n
    print(f"native call round trip: {per_call * 1e6:.0f} us")
    assert per_call < 2e-3


# -- a Jit on the native executor ---------------------------------------------------------

def _jit_corpus_cases():
    from pathlib import Path
    from rig import corpus
    root = Path(__file__).resolve().parent.parent / "corpus"
    return [pytest.param(p, id=p.name) for p in corpus.discover(root)
            if p.path.suffix == ".ll" and p.run is None and p.runtime == "host" and "x86_64" in p.targets]


def _outcomes(trials):
    return [(t.reloc, t.index, t.error, sorted(t.layout.items()),
             [(str(o.call), o.ok, o.value, o.stdout, o.error) for o in t.outcomes]) for t in trials]


@pytest.mark.parametrize("program", _jit_corpus_cases())
def test_corpus_calls_agree_with_inprocess(program):
    import rig
    from rig import runner
    got = {}
    for executor in ("inprocess", "native"):
        jit = rig.Jit("x86_64", seed=13, reloc=program.relocs[0], executor=executor)
        try:
            got[executor] = runner.run_trials(program, "x86_64", placements=2, reloc=program.relocs[0], jit=jit)
        finally:
            jit.close()
    native = got["native"]
    assert all(t.error is None for t in native), [t.error for t in native]
    assert not [(str(o.call), o.value, o.error) for t in native for o in t.outcomes if not o.ok]
    assert _outcomes(native) == _outcomes(got["inprocess"])


def test_jit_faults_limits_and_death_as_inprocess():
    import rig
    from rig.errors import InstructionBudgetExceeded, TimeLimitExceeded
    src = """
        define i64 @null_load(ptr %p) {
          %v = load volatile i64, ptr null
          ret i64 %v
        }
        define i32 @div(i32 %a, i32 %b) {
          %q = sdiv i32 %a, %b
          ret i32 %q
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
    for executor in ("inprocess", "native"):
        with rig.Jit("x86_64", seed=2, executor=executor, budget=100_000, timeout=20.0) as jit:
            mod = jit.load(src, name="f.ll")
            got = []
            for fn, args in (("null_load", (0,)), ("div", (1, 0))):
                with pytest.raises(EmulationFault) as e:
                    mod.call(fn, *args)
                got.append((e.value.kind, e.value.address, e.value.signal, str(e.value).split(" at PC")[0]))
            with pytest.raises(InstructionBudgetExceeded):
                mod.call("forever")
            assert mod.invoke("add1", 41).value == 42
            errors[executor] = got
    assert errors["native"] == errors["inprocess"]
    with rig.Jit("x86_64", seed=3, executor="native", budget=0, timeout=0.5) as jit:
        mod = jit.load(src, name="t.ll")
        assert jit.process.machine.pid != os.getpid()
        with pytest.raises(TimeLimitExceeded):
            mod.call("forever")
        assert mod.call("add1", 1) == 2
        os.kill(jit.process.machine.pid, signal.SIGKILL)
        with pytest.raises(ExecutorDied, match="SIGKILL"):
            mod.call("add1", 1)
