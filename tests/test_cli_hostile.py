"""`rig run` on hostile files: a message naming the place, a non-zero status, never a traceback.

The files: an ELF object whose .text lies past its end, IR whose faulting function's name
is not UTF-8, IR with raw non-UTF-8 bytes, bitcode cut short, a program that reads through
a null pointer and one that divides by zero.  A fault prints as a debugger shows it: what happened, the PC as
symbol+offset and section+offset, the instruction, and the calling function.
"""
from __future__ import annotations

import struct
import subprocess
import sys
from pathlib import Path

import pytest

import targets
from rig import runner
from rig.cli import main
from rig.compile import Options, compile_source

TARGETS = ("x86_64", "arm", "thumb", "aarch64")

#: main calls deref (not a tail call: main's frame stays), which reads through null.
NULL_DEREF = """
@p = global ptr null
define i32 @deref() noinline {
  %p = load volatile ptr, ptr @p
  %v = load volatile i32, ptr %p
  ret i32 %v
}
define i32 @main() {
  %r = call i32 @deref()
  %s = add i32 %r, 1
  ret i32 %s
}
"""

#: The same, from a function whose name is the byte 0xA2 and then "bad".
NON_UTF8_NAME = NULL_DEREF.replace("@deref", '@"\\A2bad"')

#: 7 / (argc - 1): with no arguments, a division by zero (x86-64 traps; ARM and AArch64 give 0).
DIV_ZERO = """
define i32 @divide(i32 %a, i32 %b) noinline {
  %r = sdiv i32 %a, %b
  ret i32 %r
}
define i32 @main(i32 %argc, ptr %argv) {
  %z = sub i32 %argc, 1
  %r = call i32 @divide(i32 7, i32 %z)
  %s = add i32 %r, 1
  ret i32 %s
}
"""

#: Prints, then faults: what it printed is shown once, before the fault's report.
PRINT_THEN_FAULT = """
@msg = private constant [18 x i8] c"before the fault\\0A\\00"
declare i32 @printf(ptr, ...)
""" + NULL_DEREF.replace("define i32 @main() {\n", "define i32 @main() {\n  call i32 (ptr, ...) @printf(ptr @msg)\n")


def _run(argv, capsys):
    status = main(["run", *argv])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err and "Traceback" not in captured.out, captured.err
    return status, captured.out, captured.err


def _bad_section_offset(tmp_path: Path) -> Path:
    """An x86-64 object of NULL_DEREF whose .text header puts it at offset 0xfffffff0."""
    obj = bytearray(compile_source(NULL_DEREF, targets.get("x86_64"), Options("static"), "null.ll"))
    shoff, = struct.unpack_from("<Q", obj, 0x28)
    shnum, shstrndx = struct.unpack_from("<HH", obj, 0x3C)
    names_at = struct.unpack_from("<Q", obj, shoff + shstrndx * 64 + 0x18)[0]
    for i in range(shnum):
        name_off = struct.unpack_from("<I", obj, shoff + i * 64)[0]
        name = bytes(obj[names_at + name_off:obj.index(b"\0", names_at + name_off)])
        if name == b".text":
            struct.pack_into("<Q", obj, shoff + i * 64 + 0x18, 0xFFFFFFF0)
            break
    else:
        raise AssertionError("no .text section")
    path = tmp_path / "bad_offset.o"
    path.write_bytes(bytes(obj))
    return path


def test_object_with_a_bad_section_offset(tmp_path, capsys):
    status, out, err = _run([str(_bad_section_offset(tmp_path)), "--target", "x86_64"], capsys)
    assert status == 2, err
    assert err.startswith("rig: error: ") and "bad_offset.o" in err and ".text" in err, err


def test_ir_with_a_non_utf8_name_faulting(tmp_path, capsys):
    src = tmp_path / "non_utf8.ll"
    src.write_text(NON_UTF8_NAME)
    status, out, err = _run([str(src), "--target", "x86_64", "--placements", "2"], capsys)
    assert status == 128 + 11, err
    assert "bad+0x" in err and ".text+0x" in err and "non_utf8.ll" in err, err
    assert "called from main+0x" in err, err


def test_ir_file_with_raw_non_utf8_bytes(tmp_path, capsys):
    # LLVM takes any bytes in a comment; the header reader must too (the file is not UTF-8 text).
    src = tmp_path / "raw.ll"
    src.write_bytes(b"; rig: raw bytes \xa2\xff in a comment\ndefine i32 @main() {\n  ret i32 3\n}\n")
    status, out, err = _run([str(src), "--target", "x86_64", "--placements", "1"], capsys)
    assert status == 3, err


def test_truncated_bitcode(tmp_path, capsys):
    import llvmlite.binding as llvm
    from rig.compile import _llvm
    _llvm()
    module = llvm.parse_assembly(NULL_DEREF)
    module.triple = targets.get("aarch64").triple
    code = module.as_bitcode()
    src = tmp_path / "cut.bc"
    src.write_bytes(code[:len(code) * 3 // 5])
    status, out, err = _run([str(src), "--target", "aarch64"], capsys)
    assert status == 2, err
    assert err.startswith("rig: error: ") and "cut.bc" in err and "bitcode" in err, err


@pytest.mark.parametrize("target", TARGETS)
def test_null_dereference_prints_the_place(target, tmp_path, capsys):
    src = tmp_path / "null.ll"
    src.write_text(NULL_DEREF)
    status, out, err = _run([str(src), "--target", target, "--placements", "2"], capsys)
    assert status == 128 + 11, err
    assert "at 0x0" in err, err                               # the address it read
    assert "(deref+0x" in err and ".text+0x" in err and "in null.ll)" in err, err
    assert "instruction " in err and "called from main+0x" in err, err


def test_division_by_zero_prints_the_place(tmp_path, capsys):
    src = tmp_path / "div0.ll"
    src.write_text(DIV_ZERO)
    status, out, err = _run([str(src), "--target", "x86_64", "--placements", "3"], capsys)
    assert status == 128 + 8, err                              # SIGFPE, as Linux kills it
    assert "(divide+0x" in err and "idiv" in err and "called from main+0x" in err, err


def test_output_streams_once_then_the_fault(tmp_path, capsys):
    src = tmp_path / "print_fault.ll"
    src.write_text(PRINT_THEN_FAULT)
    status, out, err = _run([str(src), "--target", "x86_64,aarch64", "--placements", "3"], capsys)
    assert status == 128 + 11, err
    assert out == "before the fault\n"                         # the first run's, as it wrote it
    assert "(deref+0x" in err, err


def test_fault_in_json_has_the_place(tmp_path, capsys):
    src = tmp_path / "null.ll"
    src.write_text(NULL_DEREF)
    import json
    status = main(["run", str(src), "--target", "arm", "--placements", "1", "--reloc", "static", "--json"])
    trial = json.loads(capsys.readouterr().out)["trials"][0]
    assert trial["place"]["where"].startswith("deref+0x") and trial["place"]["caller"].startswith("main+0x")
    assert status == 128 + 11


def test_a_bug_in_rig_is_a_message_not_a_traceback(tmp_path, capsys, monkeypatch):
    src = tmp_path / "null.ll"
    src.write_text(NULL_DEREF)

    def broken(*args, **kwargs):
        raise ValueError("an internal inconsistency")
    monkeypatch.setattr(runner, "run_program", broken)
    status, out, err = _run([str(src), "--target", "x86_64"], capsys)
    assert status == 2
    assert err.startswith("rig: internal error: ValueError: an internal inconsistency"), err
    assert "RIG_TRACEBACK=1" in err


def test_python_m_rig_cli_on_a_faulting_program(tmp_path):
    src = tmp_path / "null.ll"
    src.write_text(NULL_DEREF)
    proc = subprocess.run([sys.executable, "-m", "rig.cli", "run", str(src), "--target", "x86_64,thumb",
                           "--placements", "2"], capture_output=True, text=True, timeout=300)
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode == 128 + 11, proc.stderr
    assert "(deref+0x" in proc.stderr and "called from main+0x" in proc.stderr, proc.stderr
