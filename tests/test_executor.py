"""Executors: the protocol, and the in-process and child-process machines agreeing."""
from __future__ import annotations

import io
import os
import signal
import struct
import threading
import time

import pytest

import targets
from rig.errors import EmulationFault, ExecutorDied, ExecutorError, ProtocolError, RigError
from rig.executor import Machine, RemoteMachine, Stop, UnicornMachine, protocol
from rig.executor.server import serve
from rig.worker.server import read_frame, write_frame

CODE, PAD, STACK = 0x10000, 0x20000, 0x7000_0000

#: Hand-assembled: a + b; a load through the second argument; a loop; a tail jump to the
#: second argument; a return.
PROGRAMS = {
    "x86_64": {"add": bytes.fromhex("4889f8" "4801f0" "c3"),      # mov rax,rdi; add rax,rsi; ret
               "load": bytes.fromhex("488b06" "c3"),              # mov rax,[rsi]; ret
               "spin": bytes.fromhex("ebfe"),                     # jmp .
               "jump": bytes.fromhex("ffe6"),                     # jmp rsi
               "ret": b"\xc3",
               # calls PAD + 0x10 (a host slot) edi times: push rbx; mov ebx,edi;
               # 1: movabs rax,0x20010; call rax; dec ebx; jnz 1b; pop rbx; ret
               "calls": bytes.fromhex("53" "89fb" "48b81000020000000000" "ffd0" "ffcb" "75f0" "5b" "c3")},
    "aarch64": {"add": struct.pack("<II", 0x8B010000, 0xD65F03C0),  # add x0,x0,x1; ret
                "load": struct.pack("<II", 0xF9400020, 0xD65F03C0),  # ldr x0,[x1]; ret
                "spin": struct.pack("<I", 0x14000000),                # b .
                "jump": struct.pack("<I", 0xD61F0020),                # br x1
                "ret": struct.pack("<I", 0xD65F03C0),
                # the same w0 times: stp x29,x30,[sp,#-16]!; mov w19,w0; 1: mov x16,#0x10;
                # movk x16,#2,lsl 16; blr x16; subs w19,w19,#1; b.ne 1b; ldp x29,x30,[sp],#16; ret
                "calls": struct.pack("<9I", 0xA9BF7BFD, 0x2A0003F3, 0xD2800210, 0xF2A00050, 0xD63F0200,
                                     0x71000673, 0x54FFFF81, 0xA8C17BFD, 0xD65F03C0)},
}


def _prepare(m: Machine, code: bytes) -> None:
    """Code at CODE, a page of return instructions at PAD (the host slots), a stack."""
    t = m.target
    m.map(CODE, 0x1000, "rx", code)
    m.map(PAD, 0x1000, "rx", PROGRAMS[t.name]["ret"] * (0x1000 // len(PROGRAMS[t.name]["ret"])))
    m.host_range(PAD, 0x1000)
    m.map(STACK, 0x10000, "rw")


def _call(m: Machine, address: int, *args: int, budget: int = 1000, timeout: float = 5.0) -> Stop:
    """Enter `address` with integer `args`, returning to PAD, as the target's convention says."""
    cc = m.target.cc
    sp = STACK + 0x8000
    if cc.return_address is None:
        sp -= m.target.pointer_size
        m.write(sp, PAD.to_bytes(m.target.pointer_size, "little"))
    else:
        m.reg_write(cc.return_address, PAD)
    m.reg_write(cc.stack_pointer, sp)
    for reg, value in zip(cc.int_args, args):
        m.reg_write(reg, value)
    return m.run(address, PAD, budget, timeout)


def _scenario(m: Machine) -> list:
    """What a machine gives for: a call that returns, a fault, a host slot, a budget, a timeout."""
    progs = PROGRAMS[m.target.name]
    ret = m.target.cc.int_ret[0]
    out = []
    _prepare(m, progs["add"])
    out.append((_call(m, CODE, 5, 37), m.reg_read(ret)))
    m.map(CODE + 0x1000, 0x1000, "rx", progs["load"])
    m.write(STACK, (0x1122334455667788).to_bytes(8, "little"))
    out.append((_call(m, CODE + 0x1000, 0, STACK), m.reg_read(ret)))
    out.append(_call(m, CODE + 0x1000, 0, 0xDEAD000))                       # unmapped: a fault
    m.protect(STACK, 0x1000, "w")                  # Unicorn cannot make a page write-only...
    out.append(_call(m, CODE + 0x1000, 0, STACK + 0x10))
    m.protect(STACK, 0x1000, "rw")
    # A jump to a host slot stops there; resuming at the slot runs its return.
    m.map(CODE + 0x3000, 0x1000, "rx", progs["jump"])
    stop = _call(m, CODE + 0x3000, 0, PAD + 0x40)
    out.append(stop)
    out.append(m.run(stop.address, PAD, 1000, 5.0))
    m.map(CODE + 0x2000, 0x1000, "rx", progs["spin"])
    out.append(_call(m, CODE + 0x2000, budget=500))
    out.append(_call(m, CODE + 0x2000, budget=0, timeout=0.2).reason)
    m.unmap(CODE + 0x2000, 0x1000)
    out.append(_call(m, CODE + 0x2000))                                     # fetch from unmapped
    out.append(m.read(STACK, 8))
    out.append(m.regions())
    return out


@pytest.mark.parametrize("name", ["x86_64", "aarch64"])
def test_in_process_and_remote_agree(name):
    target = targets.get(name)
    local = UnicornMachine(target)
    remote = RemoteMachine(target)
    try:
        a, b = _scenario(local), _scenario(remote)
    finally:
        local.close()
        remote.close()
    assert a == b
    assert a[0] == (Stop("returned", PAD), 42)
    assert a[1][1] == 0x1122334455667788
    fault = a[2]
    assert (fault.reason, fault.access, fault.address, fault.pc) == ("fault", "read_unmapped", 0xDEAD000,
                                                                    CODE + 0x1000)
    assert fault.size == 8
    assert a[3].reason in ("fault", "returned")                 # how Unicorn treats "w" alone
    assert (a[4].reason, a[4].address) == ("host", PAD + 0x40)
    assert a[5] == Stop("returned", PAD)
    assert a[6].reason == "budget" and a[6].pc == CODE + 0x2000
    assert a[7] == "timeout"
    assert (a[8].reason, a[8].access, a[8].address) == ("fault", "fetch_unmapped", CODE + 0x2000)
    # Regions as mapped (Unicorn keeps adjacent mappings, and a protect's split, apart).
    assert a[10] == [(CODE, CODE + 0x1000, "rx"), (CODE + 0x1000, CODE + 0x2000, "rx"),
                     (CODE + 0x3000, CODE + 0x4000, "rx"), (PAD, PAD + 0x1000, "rx"),
                     (STACK, STACK + 0x1000, "rw"), (STACK + 0x1000, STACK + 0x10000, "rw")]


def test_remote_errors_keep_their_class_and_name_the_place():
    m = RemoteMachine(targets.get("x86_64"))
    try:
        with pytest.raises(EmulationFault, match=r"read of 4 bytes at 0x90000"):
            m.read(0x90000, 4)
        m.map(0x10000, 0x1000, "rx")
        m.map(0x10000, 0x1000, "rx")                       # deferred: raised at the next round trip
        with pytest.raises(EmulationFault, match=r"map of 0x1000 bytes at 0x10000 \(deferred\).*cannot map"):
            m.flush()
        with pytest.raises(ExecutorError, match="no register 'x0' on target x86_64"):
            m.reg_read("x0")
        assert m.reg_read_many(["rax", "rbx"]) == [0, 0]   # still serving after refusals
    finally:
        m.close()


def _hello(version=protocol.VERSION, target="x86_64"):
    buf = io.BytesIO()
    write_frame(buf, {"op": "hello", "version": version, "target": target})
    return buf


def _replies(out: io.BytesIO) -> list:
    out.seek(0)
    frames = []
    while True:
        f = read_frame(out)
        if f is None:
            return frames
        frames.append(f)


def test_protocol_round_trip():
    inp = _hello()
    batch = protocol.Batch()
    batch.add("map", b"\xc3", start=0x1000, size=0x1000, perms="rx")
    batch.add("write", b"abc", address=0x1004)
    batch.add("read", address=0x1000, size=8)
    batch.add("reg_write", name="rdi", value=7)
    batch.add("reg_read", names=["rdi", "rsi"])
    batch.add("read", address=0x5000, size=1)              # fails: ends the batch
    batch.add("reg_write", name="rdi", value=8)            # never done
    write_frame(inp, batch.header(), batch.blob())
    inp.seek(0)
    out = io.BytesIO()
    assert serve(inp, out, "x86_64") == 0
    (hello, _), (reply, blob) = _replies(out)
    assert hello["ok"] and hello["version"] == protocol.VERSION and hello["target"] == "x86_64"
    assert reply["ok"] is False and reply["index"] == 5
    assert reply["error"]["type"] == "EmulationFault" and "0x5000" in reply["error"]["message"]
    results = reply["results"]
    assert protocol.payload(results[2], blob, "test") == b"\xc3\0\0\0abc\0"
    assert results[4] == [7, 0]


@pytest.mark.parametrize("first", [
    {"op": "hello", "version": protocol.VERSION + 1, "target": "x86_64"},
    {"op": "hello", "version": protocol.VERSION, "target": "aarch64"},
    {"op": "batch", "ops": []},                              # out of order: no hello
])
def test_server_refuses_a_bad_start_and_ends(first):
    inp = io.BytesIO()
    write_frame(inp, first)
    write_frame(inp, {"op": "batch", "ops": []})            # never answered
    inp.seek(0)
    out = io.BytesIO()
    assert serve(inp, out, "x86_64") == 1
    (reply, _), = _replies(out)
    assert reply["ok"] is False and reply["fatal"] and reply["error"]["type"] == "ProtocolError"


@pytest.mark.parametrize("garbage", [
    b"\x05\0\0\0\0\0\0\0\0\0\0\0{nope",                       # not JSON
    b"\x05\0\0\0\0\0\0\0\0\0\0\0[1,2]",                       # JSON, not an object
    b"\x50\0\0\0\0\0\0\0\0\0\0\0{}",                          # truncated
    b"\xff\xff\xff\xff\0\0\0\0\0\0\0\0",                      # a 4 GiB header: refused before reading
    b"\x02",                                                  # not even a length
])
def test_malformed_frames_are_errors_not_hangs(garbage):
    inp = _hello()
    inp.write(garbage)
    inp.seek(0)
    out = io.BytesIO()
    assert serve(inp, out, "x86_64") == 1
    replies = _replies(out)
    assert replies[0][0]["ok"] and replies[-1][0]["fatal"]
    with pytest.raises(ProtocolError, match="malformed frame"):
        protocol.receive(io.BytesIO(garbage), "test")


def test_bad_batches_are_protocol_errors():
    for ops in ([{"op": "frobnicate"}], [{"op": "read", "address": 1}], "x",
                [{"op": "write", "address": 0x1000, "data": [0, 99]}]):
        inp = _hello()
        write_frame(inp, {"op": "batch", "ops": ops})
        inp.seek(0)
        out = io.BytesIO()
        assert serve(inp, out, "x86_64") == 1, ops
        assert _replies(out)[-1][0]["error"]["type"] == "ProtocolError"


def test_client_refuses_another_version(monkeypatch):
    monkeypatch.setattr(protocol, "VERSION", protocol.VERSION + 1)
    with pytest.raises(ProtocolError, match="protocol version"):
        RemoteMachine(targets.get("x86_64"))


def test_sigkill_mid_run_is_executor_died():
    m = RemoteMachine(targets.get("x86_64"))
    try:
        _prepare(m, PROGRAMS["x86_64"]["spin"])
        killer = threading.Timer(0.5, os.kill, (m.pid, signal.SIGKILL))
        killer.start()
        t0 = time.monotonic()
        with pytest.raises(ExecutorDied, match="SIGKILL"):
            _call(m, CODE, budget=0, timeout=30.0)
        assert time.monotonic() - t0 < 10
        with pytest.raises(ExecutorDied, match="is gone"):
            m.read(CODE, 1)
    finally:
        m.close()


def test_a_silent_executor_is_executor_died():
    m = RemoteMachine(targets.get("x86_64"), grace=0.5)
    try:
        _prepare(m, PROGRAMS["x86_64"]["spin"])
        os.kill(m.pid, signal.SIGSTOP)                    # alive, but says nothing
        with pytest.raises(ExecutorDied, match="silent for"):
            m.read(CODE, 1)
    finally:
        m.close()


def test_errors_are_rig_errors():
    assert issubclass(ExecutorDied, RigError) and issubclass(ProtocolError, RigError)


# -- host calls inside the run (on_host) ---------------------------------------------------

SLOT = PAD + 0x10                       # the host slot the "calls" program calls
COUNTER = STACK                         # a guest word the host function counts in


def _counting(m: Machine, seen: list):
    """A host function: count in guest memory, return the count (as the target returns ints)."""
    ret = m.target.cc.int_ret[0]

    def on_host(slot: int) -> None:
        seen.append(slot)
        n = int.from_bytes(m.read(COUNTER, 8), "little") + 1
        m.write(COUNTER, n.to_bytes(8, "little"))
        m.reg_write(ret, n * 10)
    return on_host


def _host_scenario(m: Machine) -> list:
    """The loop of host calls run to its end, then under a budget too small for it, then a
    callback that redirects the PC, one that fails, and a nested run refused."""
    progs = PROGRAMS[m.target.name]
    ret = m.target.cc.int_ret[0]
    out = []
    _prepare(m, progs["calls"])
    seen: list = []
    stop = _call_with_host(m, CODE, 25, on_host=_counting(m, seen), budget=10_000)
    out.append((stop, m.reg_read(ret), int.from_bytes(m.read(COUNTER, 8), "little"), len(seen), set(seen)))
    # 100 iterations need ~500 instructions; a budget of 60 ends the run inside the loop
    # although every iteration leaves the emulator for a host call.
    m.write(COUNTER, bytes(8))
    seen = []
    stop = _call_with_host(m, CODE, 100, on_host=_counting(m, seen), budget=60)
    out.append((stop.reason, int.from_bytes(m.read(COUNTER, 8), "little"), len(seen)))
    # A callback may send the PC elsewhere: here straight to the return pad, the slot's own
    # instruction never runs.
    m.map(CODE + 0x3000, 0x1000, "rx", progs["jump"])
    pc = m.target.pc

    def redirect(slot: int) -> None:
        m.reg_write(ret, slot)
        m.reg_write(pc, PAD)
    out.append((_call_with_host(m, CODE + 0x3000, 0, SLOT, on_host=redirect), m.reg_read(ret)))

    def failing(slot: int) -> None:
        m.read(0xDEAD000, 4)
    with pytest.raises(EmulationFault, match="0xdead000"):
        _call_with_host(m, CODE, 3, on_host=failing)

    def nested(slot: int) -> None:
        m.run(CODE, PAD, 10, 1.0)
    with pytest.raises(ExecutorError, match="inside"):
        _call_with_host(m, CODE, 3, on_host=nested)
    # Still serving, in step, after both.
    out.append(_call(m, CODE + 0x3000, 0, SLOT + 0x20))
    return out


def _call_with_host(m, address, *args, on_host, budget=1000, timeout=5.0) -> Stop:
    """`_call`, with a host callback."""
    cc = m.target.cc
    sp = STACK + 0x8000
    if cc.return_address is None:
        sp -= m.target.pointer_size
        m.write(sp, PAD.to_bytes(m.target.pointer_size, "little"))
    else:
        m.reg_write(cc.return_address, PAD)
    m.reg_write(cc.stack_pointer, sp)
    for reg, value in zip(cc.int_args, args):
        m.reg_write(reg, value)
    return m.run(address, PAD, budget, timeout, on_host=on_host)


@pytest.mark.parametrize("name", ["x86_64", "aarch64"])
def test_host_calls_inside_the_run_in_process_and_remote_agree(name):
    target = targets.get(name)
    local = UnicornMachine(target)
    remote = RemoteMachine(target)
    try:
        a, b = _host_scenario(local), _host_scenario(remote)
    finally:
        local.close()
        remote.close()
    assert a == b
    assert a[0] == (Stop("returned", PAD), 250, 25, 25, {SLOT})
    reason, counted, calls = a[1]
    assert reason == "budget" and 0 < counted == calls < 100
    assert a[2] == (Stop("returned", PAD), SLOT)
    assert (a[3].reason, a[3].address) == ("host", SLOT + 0x20)      # without on_host: a stop


def test_without_on_host_the_budget_restarts_at_each_host_stop():
    """What on_host exists for: resuming after each host stop, a budget of 60 never ends a
    500-instruction loop."""
    m = UnicornMachine(targets.get("x86_64"))
    try:
        _prepare(m, PROGRAMS["x86_64"]["calls"])
        stop = _call(m, CODE, 100, budget=60)
        stops = 0
        while stop.reason == "host":
            stops += 1
            stop = m.run(stop.address, PAD, 60, 5.0)
        assert stop.reason == "returned" and stops == 100
    finally:
        m.close()


def _host_run_request(inp: io.BytesIO) -> None:
    """A batch that maps the "jump" program and runs it into host slot SLOT with host events."""
    batch = protocol.Batch()
    batch.add("map", PROGRAMS["x86_64"]["jump"], start=CODE, size=0x1000, perms="rx")
    batch.add("map", b"\xc3" * 0x1000, start=PAD, size=0x1000, perms="rx")
    batch.add("host_range", start=PAD, size=0x1000)
    batch.add("map", start=STACK, size=0x10000, perms="rw")
    batch.add("write", PAD.to_bytes(8, "little"), address=STACK + 0x8000)
    batch.add("reg_write", name="rsp", value=STACK + 0x8000)
    batch.add("reg_write", name="rsi", value=SLOT)
    batch.add("run", start_pc=CODE, until_pc=PAD, budget=100, timeout=5.0, host=True)
    write_frame(inp, batch.header(), batch.blob())


def test_protocol_host_event_then_batches_then_resume():
    inp = _hello()
    _host_run_request(inp)
    inside = protocol.Batch()
    inside.add("reg_read", names=["rsi"])
    inside.add("reg_write", name="rax", value=99)
    write_frame(inp, inside.header(), inside.blob())
    write_frame(inp, {"op": "resume"})
    inp.seek(0)
    out = io.BytesIO()
    assert serve(inp, out, "x86_64") == 0
    (hello, _), (event, _), (inner, _), (final, _) = _replies(out)
    assert event == {"event": "host", "slot": SLOT}
    assert inner == {"ok": True, "results": [[SLOT], None]}
    assert final["ok"] and final["results"][-1]["reason"] == "returned"


@pytest.mark.parametrize("after", [
    {"op": "hello", "version": protocol.VERSION, "target": "x86_64"},   # neither batch nor resume
    None,                                                               # input ends inside the slot
])
def test_server_inside_a_host_slot_refuses_anything_else(after):
    inp = _hello()
    _host_run_request(inp)
    if after is not None:
        write_frame(inp, after)
    inp.seek(0)
    out = io.BytesIO()
    assert serve(inp, out, "x86_64") == 1
    replies = _replies(out)
    assert replies[1][0] == {"event": "host", "slot": SLOT}
    assert replies[-1][0]["fatal"] and replies[-1][0]["error"]["type"] == "ProtocolError"


def test_server_refuses_a_resume_outside_a_host_slot():
    inp = _hello()
    write_frame(inp, {"op": "resume"})
    inp.seek(0)
    out = io.BytesIO()
    assert serve(inp, out, "x86_64") == 1
    assert _replies(out)[-1][0]["error"]["type"] == "ProtocolError"


def test_client_refuses_an_event_it_did_not_ask_for():
    m = RemoteMachine(targets.get("x86_64"))
    try:
        _prepare(m, PROGRAMS["x86_64"]["jump"])
        # A run without host events gets none: fake one by running with them at the wire
        # level but no callback in the client.
        m.write(STACK + 0x8000, PAD.to_bytes(8, "little"))
        m.reg_write("rsp", STACK + 0x8000)
        m.reg_write("rsi", SLOT)
        m._queue("run", start_pc=CODE, until_pc=PAD, budget=100, timeout=5.0, host=True)
        with pytest.raises(ProtocolError, match="unexpected event"):
            m.flush()
        with pytest.raises(ExecutorDied, match="is gone"):         # out of step: not used again
            m.read(CODE, 1)
    finally:
        m.close()


@pytest.mark.parametrize("how", ["SIGKILL", "SIGSTOP"])
def test_executor_death_or_silence_inside_the_callback_is_executor_died(how):
    m = RemoteMachine(targets.get("x86_64"), grace=0.5)
    try:
        _prepare(m, PROGRAMS["x86_64"]["calls"])

        def on_host(slot: int) -> None:
            os.kill(m.pid, getattr(signal, how))
            m.read(COUNTER, 8)
        t0 = time.monotonic()
        with pytest.raises(ExecutorDied, match="SIGKILL" if how == "SIGKILL" else "silent for"):
            _call_with_host(m, CODE, 3, on_host=on_host, timeout=30.0)
        assert time.monotonic() - t0 < 10
    finally:
        m.close()
