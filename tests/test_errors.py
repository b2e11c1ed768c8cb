"""Bad input ends in a RigError that names the place, and the Jit stays usable."""
from __future__ import annotations

import io
import struct

import pytest
from elftools.elf.elffile import ELFFile
from elftools.elf.relocation import RelocationSection

import rig
from rig.compile import compile_source
import targets

TARGETS = ("x86_64", "arm", "thumb", "aarch64")

GOOD = """
define i32 @add(i32 %a, i32 %b) { %r = add i32 %a, %b
  ret i32 %r }
"""

BAD = """
@ro = constant i32 7
@sink = global i32 0
define void @wild() {
  store volatile i32 1, ptr inttoptr (i64 16 to ptr)
  ret void
}
define void @to_rodata() {
  store volatile i32 1, ptr @ro
  ret void
}
define void @spin() {
entry:
  br label %loop
loop:
  store volatile i32 1, ptr @sink
  br label %loop
}
define i32 @deep(i32 %n) {
  %buf = alloca [256 x i32]
  store volatile i32 %n, ptr %buf
  %m = add i32 %n, 1
  %r = call i32 @deep(i32 %m)
  %v = load volatile i32, ptr %buf
  %s = add i32 %r, %v
  ret i32 %s
}
"""


PROBE = """
define i32 @probe_add(i32 %a, i32 %b) { %r = add i32 %a, %b
  ret i32 %r }
"""


def still_works(jit: rig.Jit) -> None:
    """The Jit loads, links and runs a new module after the error."""
    mod = jit.load(PROBE)
    assert mod.call("probe_add", 2, 40) == 42
    jit.unload(mod)


@pytest.fixture(params=TARGETS)
def jit(request):
    j = rig.Jit(request.param, seed=3, budget=2_000_000)
    yield j
    j.close()


def test_truncated_object(jit):
    obj = compile_source(GOOD, jit.target)
    for cut in (3, 20, 64, len(obj) // 2, len(obj) - 1):
        with pytest.raises(rig.BadObject) as e:
            jit.load(obj[:cut])
        assert "<bytes>" in str(e.value)
    still_works(jit)


def test_object_for_another_machine(jit):
    other = "aarch64" if jit.target.name != "aarch64" else "x86_64"
    obj = compile_source(GOOD, targets.get(other))
    with pytest.raises(rig.BadObject, match=f"not for target {jit.target.name}"):
        jit.load(obj)
    still_works(jit)


def test_not_an_object(jit):
    with pytest.raises(rig.CompileError, match="neither an ELF object"):
        jit.load(b"\x00\x01 this is not IR")
    with pytest.raises(rig.CompileError, match="does not parse"):
        jit.load("define i32 @f( {")
    with pytest.raises(rig.RigError, match="cannot read"):
        jit.load("no/such/file.ll")
    still_works(jit)


def _retype_first_relocation(obj: bytes, new_type: int) -> bytes:
    """The object with its first relocation's type number replaced."""
    elf = ELFFile(io.BytesIO(obj))
    sec = next(s for s in elf.iter_sections() if isinstance(s, RelocationSection) and s.num_relocations())
    off = sec["sh_offset"]
    data = bytearray(obj)
    if elf.elfclass == 64:       # r_info = sym << 32 | type, at byte 8 of each entry
        info = struct.unpack_from("<Q", data, off + 8)[0]
        struct.pack_into("<Q", data, off + 8, (info & ~0xFFFFFFFF) | new_type)
    else:                        # r_info = sym << 8 | type, at byte 4
        info = struct.unpack_from("<I", data, off + 4)[0]
        struct.pack_into("<I", data, off + 4, (info & ~0xFF) | new_type)
    return bytes(data)


def test_unknown_relocation(jit):
    obj = compile_source(BAD + "define ptr @p() { ret ptr @sink }", jit.target)
    # a type number no table has on any of the four targets (dynamic or unsupported TLS types)
    unknown = {"x86_64": 16, "aarch64": 1024, "arm": 110, "thumb": 110}[jit.target.name]
    assert jit.target.howto(unknown) is None
    with pytest.raises(rig.UnsupportedRelocation) as e:
        jit.load(_retype_first_relocation(obj, unknown))
    msg = str(e.value)
    assert f"type {unknown}" in msg and jit.target.name in msg and "+0x" in msg and "symbol" in msg
    still_works(jit)


def test_undefined_symbol(jit):
    src = "declare i32 @nowhere(i32)\ndefine i32 @f(i32 %x) { %r = call i32 @nowhere(i32 %x)\n ret i32 %r }"
    with pytest.raises(rig.UndefinedSymbol) as e:
        jit.load(src)
    assert "'nowhere'" in str(e.value) and ".text+0x" in str(e.value)
    assert e.value.symbol == "nowhere"
    still_works(jit)


def test_wild_pointer_write(jit):
    mod = jit.load(BAD)
    with pytest.raises(rig.EmulationFault) as e:
        mod.call("wild")
    msg = str(e.value)
    assert "write to unmapped memory at 0x10" in msg
    assert "wild+0x" in msg and ".text+0x" in msg      # PC as symbol+offset and section+offset
    assert "registers:" in msg
    assert e.value.pc == mod.address("wild") + int(msg.split("wild+")[1].split(",")[0], 16)
    still_works(jit)
    # the same module is usable after the fault
    with pytest.raises(rig.EmulationFault, match="read-only"):
        mod.call("to_rodata")
    still_works(jit)


def test_fault_names_the_instruction(jit):
    mod = jit.load(BAD)
    with pytest.raises(rig.EmulationFault) as e:
        mod.call("wild")
    line = str(e.value).splitlines()[0]
    mnemonic = line.rsplit(":", 1)[1].split()[1]
    assert mnemonic.startswith(("mov", "str"))       # the faulting store, disassembled by capstone


def test_infinite_loop_budget(jit):
    mod = jit.load(BAD)
    with pytest.raises(rig.InstructionBudgetExceeded, match="budget of 2000000 instructions; stopped at PC"):
        mod.call("spin")
    still_works(jit)


def test_infinite_loop_wall_clock(jit):
    j = rig.Jit(jit.target.name, seed=1, budget=0, timeout=0.3)
    mod = j.load(BAD)
    with pytest.raises(rig.TimeLimitExceeded, match="0.3 s limit; stopped at PC .*spin"):
        mod.call("spin")
    still_works(j)
    j.close()


def test_stack_overflow(jit):
    mod = jit.load(BAD, opt=0)
    with pytest.raises(rig.EmulationFault, match="stack overflow"):
        mod.call("deep", 0)
    still_works(jit)


def test_call_errors(jit):
    mod = jit.load(GOOD)
    with pytest.raises(rig.NoSuchSymbol, match="'nope'"):
        mod.call("nope")
    with pytest.raises(rig.SignatureError, match="takes 2 arguments, got 1"):
        mod.call("add", 1)
    with pytest.raises(rig.SignatureError, match="does not fit i32"):
        mod.call("add", 1, 1 << 40)
    with pytest.raises(rig.SignatureError, match="malformed signature"):
        mod.function("add", "i32 add(")
    assert mod.call("add", -1, 0xFFFFFFFF) == -2          # both spellings of a 32-bit value are accepted
    still_works(jit)


def test_exit_and_abort(jit):
    src = """
    declare void @exit(i32)
    declare void @abort()
    declare i32 @puts(ptr)
    @msg = constant [4 x i8] c"bye\\00"
    define void @leave(i32 %s) { call i32 @puts(ptr @msg)
      call void @exit(i32 %s)
      unreachable }
    define void @boom() { call void @abort()
      unreachable }
    """
    mod = jit.load(src)
    with pytest.raises(rig.ProgramExit) as e:
        mod.call("leave", 7)
    assert e.value.status == 7 and e.value.stdout == b"bye\n"
    with pytest.raises(rig.ProgramExit) as e:
        mod.call("boom")
    assert e.value.status == 134
    still_works(jit)


def test_unknown_target_and_options():
    with pytest.raises(rig.UnknownTarget, match="known targets: x86_64, arm, thumb, aarch64"):
        rig.Jit("mips")
    with pytest.raises(rig.CompileError, match="relocation model"):
        rig.Jit("x86_64", reloc="dynamic")


def test_placement_errors(jit):
    mod = jit.load(GOOD)
    text = mod.layout.address(mod.object.section_named(".text").index)
    with pytest.raises(rig.PlacementError, match="overlaps pages already used by"):
        jit.load(GOOD, placement={".text": text})
    with pytest.raises(rig.PlacementError, match="not aligned"):
        jit.load(GOOD, placement={".text": 0x4000_0001})
    with pytest.raises(rig.PlacementError, match="outside the address space"):
        jit.load(GOOD, placement={".text": 0x10})
    with pytest.raises(rig.PlacementError, match="does not have"):
        jit.load(GOOD, placement={".nope": 0x4000_0000})
    still_works(jit)


def test_host_function_failures_name_the_function_and_caller(jit):
    src = """
    declare i64 @strlen(ptr)
    declare void @free(ptr)
    declare i32 @boom(i32)
    define i64 @len_null() { %n = notail call i64 @strlen(ptr null)
      ret i64 %n }
    define void @bad_free() { notail call void @free(ptr inttoptr (i64 4096 to ptr))
      ret void }
    define i32 @call_boom(i32 %x) { %r = call i32 @boom(i32 %x)
      %s = add i32 %r, 1
      ret i32 %s }
    """
    jit.add_host_function("boom", lambda ctx, x: 1 // x, "i32(i32)")
    mod = jit.load(src)
    with pytest.raises(rig.EmulationFault, match=r"in host function strlen, called from 0x[0-9a-f]+ \(len_null\+0x.*at 0x0"):
        mod.call("len_null")
    with pytest.raises(rig.HostFunctionError, match=r"free\(0x1000\)"):
        mod.call("bad_free")
    with pytest.raises(rig.HostFunctionError,
                       match=r"host function boom, called from 0x[0-9a-f]+ \(call_boom\+0x.* raised ZeroDivisionError") as e:
        mod.call("call_boom", 0)
    assert isinstance(e.value.__cause__, ZeroDivisionError)
    assert mod.call("call_boom", 1) == 2
    still_works(jit)
