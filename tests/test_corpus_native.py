"""An independent oracle for the C and assembly corpus (``corpus/c``, ``corpus/asm``).

Each of those files states, in its header, calls and their results (``CALL:
f(3) == 7``), the C signature of each called function (``SIG: f i32(i32)``),
what a call prints (``STDOUT:``) and the targets it is for (``TARGETS:``).  The
rig checks them with its own linker and emulator; this file checks the same
statements with neither:

* the source is built, unchanged, by the ``ziglang`` package's clang for every
  target in its header, as a static musl executable (``x86_64-linux-musl``,
  ``arm-linux-musleabihf`` for ARM and, with ``-mthumb``, Thumb, and
  ``aarch64-linux-musl``), together with a generated C harness whose ``main``
  declares each function from its SIG line and calls it with the header's
  arguments, in header order, in one process (state carries over, as in the rig);
* the executable runs natively (x86-64) or under ``qemu-arm`` / ``qemu-aarch64``;
* after each call the harness flushes stdio and writes a record ``\\x1e<call
  index> <hex bits of the result>\\x1e`` with ``write(2)``: the bytes the program
  printed before a record are that call's output, and the result's raw bits
  (integers in two's complement, floats as their IEEE bits) are read back
  exactly and compared with the ``==`` / ``~=`` semantics rig/corpus.py gives
  them (``~=``: relative 1e-9, absolute 1e-12; NaN == NaN).

C sources are compiled with the flags the rig's toolchain uses (freestanding,
``-O2``, no PIC, no stack protector, no unwind tables).  Freestanding programs
and libc: the program is linked against musl's static ``libc.a``, an archive, so
libc only fills in what the program leaves undefined (printf, strcmp, sqrt,
the assembly's strlen/memcpy/memset, compiler-rt's ``__aeabi_idiv``); a program
that defines its own ``strlen`` or ``memcpy`` keeps its own definition, and
libc's member is never pulled in (``test_programs_own_definitions_win``).

Assembly is assembled and linked by the same driver (clang's integrated
assembler, ld.lld).  A file with a ``NOLLD:`` line uses relocations ld.lld
rejects; those are linked by GNU ld instead (the host's ``ld`` for x86-64,
``arm-linux-gnueabihf-ld`` from ``binutils-arm-linux-gnueabihf`` for ARM), with
no C library: the harness then brings its own ``_start`` and makes the
``write`` and ``exit_group`` system calls itself.

The header is read by this file's own parser (``test_parser_agrees_with_rig``
checks it reads what ``rig.corpus`` reads); nothing else of the rig is used.
A missing qemu-user or GNU ld fails the test with the package to install
(CI installs them); off an x86-64 Linux host the file is skipped.
"""
from __future__ import annotations

import ast
import math
import os
import platform
import re
import shutil
import struct
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

import pytest

from .matrix import FULL, NATIVE_TARGETS

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
DIRS = (CORPUS / "c", CORPUS / "asm")
ALL_TARGETS = ("x86_64", "arm", "thumb", "aarch64")
TIMEOUT = 60

pytestmark = pytest.mark.skipif(
    not (sys.platform.startswith("linux") and platform.machine() in ("x86_64", "AMD64")),
    reason="runs x86-64 executables natively and qemu-user: an x86-64 Linux host")


# --------------------------------------------------------------------------
# the header (rig/corpus.py's format, read independently)

_COMMENTS = ("//", ";", "#", "@")
_CALL = re.compile(r"^([A-Za-z_.$][\w.$]*)\s*\((.*)\)\s*(==|~=)\s*(.+?)\s*$")
_TARGET_ALIASES = {"armv7": "arm", "thumbv7": "thumb"}


@dataclass(frozen=True)
class Call:
    name: str
    args: Tuple[object, ...]
    op: str                         # "==" or "~="
    expected: object
    line: int
    stdout: Optional[str] = None    # what the call prints, when the header says

    def __str__(self) -> str:
        return f"{self.name}({', '.join(map(repr, self.args))}) {self.op} {self.expected!r}"


@dataclass
class Header:
    name: str
    calls: List[Call] = field(default_factory=list)
    sigs: Dict[str, str] = field(default_factory=dict)
    targets: Tuple[str, ...] = ALL_TARGETS
    nolld: str = ""


def parse(text: str, name: str = "<program>") -> Header:
    """The header (leading comment lines) of a corpus file; ValueError on a bad line."""
    h = Header(name)
    for lineno, line in enumerate(text.splitlines(), 1):
        s = line.strip()
        if not s:
            continue
        prefix = next((p for p in _COMMENTS if s.startswith(p)), None)
        if prefix is None:
            break
        key, _, rest = s[len(prefix):].strip().partition(":")
        key, rest = key.strip().upper(), rest.strip()
        where = f"{name}:{lineno}"
        if key == "CALL":
            m = _CALL.match(rest)
            if not m:
                raise ValueError(f"{where}: bad CALL {rest!r}")
            fname, args, op, expected = m.groups()
            h.calls.append(Call(fname, tuple(ast.literal_eval(f"({args},)") if args.strip() else ()), op,
                                ast.literal_eval(expected), lineno))
        elif key == "STDOUT" and h.calls:
            h.calls[-1] = replace(h.calls[-1], stdout=ast.literal_eval(rest))
        elif key == "SIG":
            fname, _, sig = rest.partition(" ")
            if fname in h.sigs:
                raise ValueError(f"{where}: a second SIG for {fname}")
            h.sigs[fname] = sig.strip()
        elif key == "TARGETS":
            h.targets = tuple(_TARGET_ALIASES.get(t, t) for t in rest.split())
            if not h.targets or set(h.targets) - set(ALL_TARGETS):
                raise ValueError(f"{where}: bad TARGETS {rest!r}")
        elif key == "NOLLD":
            h.nolld = rest or "unspecified"
    return h


# --------------------------------------------------------------------------
# C types of the SIG lines: (C type in the harness, kind, bytes (0: pointer-sized), signed)

TYPES = {
    "void": ("void", "void", 0, False),
    "i1": ("_Bool", "bool", 1, False), "bool": ("_Bool", "bool", 1, False),
    "i8": ("signed char", "int", 1, True), "u8": ("unsigned char", "int", 1, False),
    "i16": ("short", "int", 2, True), "u16": ("unsigned short", "int", 2, False),
    "i32": ("int", "int", 4, True), "u32": ("unsigned", "int", 4, False), "int": ("int", "int", 4, True),
    "i64": ("long long", "int", 8, True), "u64": ("unsigned long long", "int", 8, False),
    "i128": ("__int128", "int", 16, True), "u128": ("unsigned __int128", "int", 16, False),
    "ptr": ("void *", "ptr", 0, False),
    "size": ("__SIZE_TYPE__", "int", 0, False), "ulong": ("unsigned long", "int", 0, False),
    "ssize": ("__INTPTR_TYPE__", "int", 0, True), "long": ("long", "int", 0, True),
    "f32": ("float", "float", 4, True), "float": ("float", "float", 4, True),
    "f64": ("double", "float", 8, True), "double": ("double", "float", 8, True),
}
POINTER_SIZE = {"x86_64": 8, "aarch64": 8, "arm": 4, "thumb": 4}


@dataclass(frozen=True)
class CType:
    c: str
    kind: str
    size: int
    signed: bool


def signature(text: str, pointer_size: int) -> Tuple[CType, List[CType]]:
    """(result, params) of ``ret(param, ...)``; ValueError for what the harness cannot call."""
    m = re.fullmatch(r"\s*([A-Za-z0-9_]+)\s*\((.*)\)\s*", text)
    if not m:
        raise ValueError(f"signature {text!r}: the harness calls 'ret(param, ...)' signatures only")

    def ctype(name: str) -> CType:
        if name not in TYPES:
            raise ValueError(f"signature {text!r}: unknown type {name!r}")
        c, kind, size, signed = TYPES[name]
        size = size or pointer_size
        if size == 16 and pointer_size == 4:
            raise ValueError(f"signature {text!r}: no 128-bit integers in C on a 32-bit target")
        return CType(c, kind, size, signed)

    params = [p.strip() for p in m.group(2).split(",")] if m.group(2).strip() else []
    if params == ["void"]:
        params = []
    if "..." in params:
        raise ValueError(f"signature {text!r}: variadic functions are not called by the harness")
    ps = [ctype(p) for p in params]
    if any(p.kind == "void" for p in ps):
        raise ValueError(f"signature {text!r}: void parameter")
    return ctype(m.group(1)), ps


def _uint(size: int) -> str:
    return {1: "unsigned char", 2: "unsigned short", 4: "unsigned", 8: "unsigned long long",
            16: "unsigned __int128"}[size]


def c_argument(value, t: CType, where: str) -> str:
    """A C expression with exactly `value` as type `t`; ValueError if it is not a `t`."""
    if t.kind == "float":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(f"{where}: {value!r} is not a number for {t.c}")
        bits = int.from_bytes(struct.pack("<f" if t.size == 4 else "<d", value), "little")
        return f"rig_f{t.size * 8}(0x{bits:x}ull)"
    if isinstance(value, bool):
        value = int(value)
    if not isinstance(value, int):
        raise ValueError(f"{where}: {value!r} is not an integer for {t.c}")
    if t.kind == "bool" and value not in (0, 1):
        raise ValueError(f"{where}: {value!r} is not 0 or 1 for _Bool")
    bits = 8 * t.size
    if not -(1 << (bits - 1)) <= value < (1 << bits):
        raise ValueError(f"{where}: {value} does not fit {t.c} ({bits} bits)")
    pattern = value & ((1 << bits) - 1)
    if t.size == 16:
        return (f"(({t.c})(((unsigned __int128)0x{pattern >> 64:x}ull << 64) | "
                f"0x{pattern & (2**64 - 1):x}ull))")
    return f"(({t.c})({_uint(t.size) if t.kind != 'ptr' else '__UINTPTR_TYPE__'})0x{pattern:x}ull)"


def from_bits(bits: int, t: CType):
    """The Python value of a result's raw bits."""
    if t.kind == "void":
        return None
    if t.kind == "float":
        fmt, n = ("<f", 4) if t.size == 4 else ("<d", 8)
        return struct.unpack(fmt, bits.to_bytes(n, "little"))[0]
    width = 8 * t.size
    bits &= (1 << width) - 1
    if t.signed and bits >> (width - 1):
        bits -= 1 << width
    return bits


def matches(call: Call, value) -> bool:
    """rig/corpus.py's semantics: ``~=`` relative 1e-9 (absolute 1e-12), ``==`` exact, NaN equal to NaN."""
    if call.op == "~=":
        return (not isinstance(value, bool) and isinstance(value, (int, float))
                and math.isclose(value, call.expected, rel_tol=1e-9, abs_tol=1e-12))
    if isinstance(call.expected, float) and isinstance(value, float):
        return value == call.expected or (math.isnan(value) and math.isnan(call.expected))
    return value == call.expected


# --------------------------------------------------------------------------
# the harness

_PRELUDE = r"""
/* generated by tests/test_corpus_native.py: calls the corpus program's functions */
static double rig_f64(unsigned long long b) { double d; __builtin_memcpy(&d, &b, 8); return d; }
static float rig_f32(unsigned long long b) { unsigned u = (unsigned)b; float f; __builtin_memcpy(&f, &u, 4); return f; }
static unsigned long long rig_bits64(double d) { unsigned long long b; __builtin_memcpy(&b, &d, 8); return b; }
static unsigned long long rig_bits32(float f) { unsigned b; __builtin_memcpy(&b, &f, 4); return b; }
"""

_LIBC_IO = r"""
int fflush(void *);
long write(int, const void *, __SIZE_TYPE__);
static void rig_out(const char *p, unsigned n) { fflush(0); while (n) { long w = write(1, p, n); if (w <= 0) break; p += w; n -= (unsigned)w; } }
"""

#: no C library: system calls (write, exit_group) and _start, per target
_NOLIBC_IO = {
    "x86_64": r"""
static long rig_syscall(long n, long a, long b, long c) {
    long r;
    __asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c) : "rcx", "r11", "memory");
    return r;
}
#define RIG_WRITE 1
#define RIG_EXIT 231
#define RIG_START __attribute__((force_align_arg_pointer, noreturn, used))
""",
    "arm": r"""
static long rig_syscall(long n, long a, long b, long c) {
    register long r7 __asm__("r7") = n, r0 __asm__("r0") = a, r1 __asm__("r1") = b, r2 __asm__("r2") = c;
    __asm__ volatile("svc #0" : "+r"(r0) : "r"(r7), "r"(r1), "r"(r2) : "memory");
    return r0;
}
#define RIG_WRITE 4
#define RIG_EXIT 248
#define RIG_START __attribute__((noreturn, used))
""",
    "aarch64": r"""
static long rig_syscall(long n, long a, long b, long c) {
    register long x8 __asm__("x8") = n, x0 __asm__("x0") = a, x1 __asm__("x1") = b, x2 __asm__("x2") = c;
    __asm__ volatile("svc #0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2) : "memory");
    return x0;
}
#define RIG_WRITE 64
#define RIG_EXIT 94
#define RIG_START __attribute__((noreturn, used))
""",
}
_NOLIBC_IO["thumb"] = _NOLIBC_IO["arm"]
_NOLIBC_TAIL = r"""
static void rig_out(const char *p, unsigned n) { while (n) { long w = rig_syscall(RIG_WRITE, 1, (long)p, n); if (w <= 0) break; p += w; n -= (unsigned)w; } }
static int rig_main(void);
RIG_START void _start(void) { rig_syscall(RIG_EXIT, rig_main(), 0, 0); for (;;) ; }
"""

_RECORD = r"""
/* \x1e <index> <hex bits, high half then low half> \x1e */
static void rig_record(unsigned index, unsigned long long hi, unsigned long long lo) {
    char buf[64], digits[12];
    unsigned n = 0, d = 0, k;
    buf[n++] = 0x1e;
    do digits[d++] = (char)('0' + index % 10); while (index /= 10);
    while (d) buf[n++] = digits[--d];
    buf[n++] = ' ';
    for (k = 0; k < 16; k++) buf[n++] = "0123456789abcdef"[(hi >> (60 - 4 * k)) & 15];
    for (k = 0; k < 16; k++) buf[n++] = "0123456789abcdef"[(lo >> (60 - 4 * k)) & 15];
    buf[n++] = 0x1e;
    rig_out(buf, n);
}
"""

#: (file, function) -> why no independent tool can check the stated calls of that function.
#: Their calls are left out of the harness (so they must not change state later calls read).
UNCHECKED = {
    ("arm_nolld.s", "cbz_test"): (
        "R_ARM_THM_JUMP6 (CBZ) is S + A - P with a REL addend read from the instruction's "
        "unsigned 7-bit offset field, which cannot hold the -4 a forward branch needs (the target "
        "is P + 4 + offset).  The file stores 0xb3f0 (offset 124) and reads it as "
        "((124 + 4) & 0x7f) - 4 = -4, the rig's own wrap-around convention.  ld.lld rejects the type; "
        "GNU ld 2.40 decodes the field otherwise (offset 0 acts as A = 0, offset 2 as A = 4; 0xb3f0 "
        "links cbz_test to is_zero + 0x3c and the call crashes) and gold 2.40 reports 0xb3f0 as a "
        "relocation overflow: no linker shares the convention the stated results rest on"),
}


def checked_calls(h: Header) -> List[Tuple[int, Call]]:
    """(index in the header, call) of the calls the harness makes."""
    return [(i, c) for i, c in enumerate(h.calls) if (h.name, c.name) not in UNCHECKED]


def harness(h: Header, target: str, libc: bool = True) -> str:
    """C source of a `main` (or, without libc, a `_start`) calling the header's calls in order."""
    psize = POINTER_SIZE[target]
    decls, body = [], []
    for fname in dict.fromkeys(c.name for _, c in checked_calls(h)):
        if fname not in h.sigs:
            raise ValueError(f"{h.name}: no SIG line for {fname}, which a CALL line calls")
        res, params = signature(h.sigs[fname], psize)
        decls.append(f"{res.c} {fname}({', '.join(p.c for p in params) or 'void'});")
    for i, call in checked_calls(h):
        res, params = signature(h.sigs[call.name], psize)
        where = f"{h.name}:{call.line}: {call}"
        if len(call.args) != len(params):
            raise ValueError(f"{where}: {len(call.args)} arguments for the signature "
                             f"{call.name} {h.sigs[call.name]}")
        expr = f"{call.name}({', '.join(c_argument(a, t, where) for a, t in zip(call.args, params))})"
        if res.kind == "void":
            body.append(f"    {expr}; rig_record({i}, 0, 0);")
        elif res.kind == "float":
            body.append(f"    {{ {res.c} r = {expr}; rig_record({i}, 0, rig_bits{res.size * 8}(r)); }}")
        elif res.size == 16:
            body.append(f"    {{ unsigned __int128 r = (unsigned __int128){expr}; "
                        f"rig_record({i}, (unsigned long long)(r >> 64), (unsigned long long)r); }}")
        else:
            cast = "__UINTPTR_TYPE__" if res.kind == "ptr" else _uint(res.size)
            body.append(f"    {{ {res.c} r = {expr}; rig_record({i}, 0, (unsigned long long)({cast})r); }}")
    io = _LIBC_IO if libc else _NOLIBC_IO[target] + _NOLIBC_TAIL
    entry = "int main(void)" if libc else "static int rig_main(void)"
    return "\n".join([_PRELUDE, io, _RECORD, *decls, "", entry + " {", *body, "    return 0;", "}", ""])


# --------------------------------------------------------------------------
# building and running

#: target -> (zig triple, clang flags, how its executables run)
TARGET_TOOLS = {
    "x86_64": ("x86_64-linux-musl", [], None),
    "arm": ("arm-linux-musleabihf", ["-mcpu=cortex_a15"], "qemu-arm"),
    "thumb": ("arm-linux-musleabihf", ["-mcpu=cortex_a15", "-mthumb"], "qemu-arm"),
    "aarch64": ("aarch64-linux-musl", [], "qemu-aarch64"),
}
#: the flags rig/toolchain.py compiles C with (static relocation model, -O2: the rig's default)
C_FLAGS = ["-O2", "-fno-pic", "-ffreestanding", "-fno-stack-protector", "-fno-asynchronous-unwind-tables",
           "-fno-exceptions", "-fno-common", "-fno-sanitize=undefined", "-g0"]
#: GNU ld for the NOLLD files (relocations ld.lld rejects): target -> (candidates, Debian package)
GNU_LD = {
    "x86_64": (("x86_64-linux-gnu-ld", "ld"), "binutils"),
    "arm": (("arm-linux-gnueabihf-ld",), "binutils-arm-linux-gnueabihf"),
    "thumb": (("arm-linux-gnueabihf-ld",), "binutils-arm-linux-gnueabihf"),
    "aarch64": (("aarch64-linux-gnu-ld",), "binutils-aarch64-linux-gnu"),
}


def _zig(args: Sequence[str], cwd: Path) -> None:
    env = dict(os.environ)
    env.setdefault("ZIG_GLOBAL_CACHE_DIR", str(Path(tempfile.gettempdir()) / "rig-zig-cache"))
    proc = subprocess.run([sys.executable, "-m", "ziglang", *args], cwd=str(cwd), env=env,
                          capture_output=True, text=True, timeout=900)
    if proc.returncode:
        pytest.fail(f"zig {' '.join(args)} failed:\n{proc.stderr}{proc.stdout}")


def _tool(names: Sequence[str], package: str) -> str:
    for n in names:
        found = shutil.which(n)
        if found:
            return found
    pytest.fail(f"{' or '.join(names)} is missing: apt-get install {package} (CI installs it)")


def build(path: Path, text: str, h: Header, target: str, tmp: Path) -> Path:
    """A static executable of the source `text` (named like `path`) and its harness."""
    triple, flags, _ = TARGET_TOOLS[target]
    src = tmp / path.name
    src.write_text(text)
    exe = tmp / "program"
    if not h.nolld:
        (tmp / "harness.c").write_text(harness(h, target))
        # zig cc: clang compiles / assembles, ld.lld links against musl's libc.a and compiler-rt.
        # The link step has no compiler flags: zig builds (and caches) one libc per set of them,
        # and this set is tests/test_programs_lli.py's, so the two files share one build.
        _zig(["cc", "-target", triple, *flags, *C_FLAGS, "-c", "-o", "program.o", src.name], tmp)
        _zig(["cc", "-target", triple, *flags, *C_FLAGS, "-c", "-o", "harness.o", "harness.c"], tmp)
        _zig(["cc", "-target", triple, *flags, "-static", "-o", str(exe), "harness.o", "program.o"], tmp)
        return exe
    # ld.lld rejects these relocations: GNU ld, no C library
    ld = _tool(*GNU_LD[target])
    (tmp / "harness.c").write_text(harness(h, target, libc=False))
    _zig(["cc", "-target", triple, *flags, *C_FLAGS, "-fomit-frame-pointer", "-fno-unwind-tables", "-c", "-o", "harness.o",
          "harness.c"], tmp)
    _zig(["cc", "-target", triple, *flags, "-c", "-o", "program.o", src.name], tmp)
    proc = subprocess.run([ld, "-static", "-nostdlib", "-e", "_start", "-o", str(exe), "harness.o", "program.o"],
                          cwd=str(tmp), capture_output=True, text=True, timeout=120)
    if proc.returncode:
        pytest.fail(f"{ld} failed:\n{proc.stderr}{proc.stdout}")
    return exe


@dataclass
class Outcome:
    values: List[object]            # one per call that returned
    outputs: List[bytes]            # what each call printed
    status: int
    trailing: bytes                 # printed after the last record
    stderr: bytes


_RECORD_RE = re.compile(rb"\x1e(\d+) ([0-9a-f]{32})\x1e")


def run(exe: Path, h: Header, target: str) -> Outcome:
    _, _, qemu = TARGET_TOOLS[target]
    cmd = [str(exe)]
    if qemu:
        cmd.insert(0, _tool([qemu], "qemu-user"))
    proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, timeout=TIMEOUT, cwd=str(exe.parent))
    values, outputs, pos = [], [], 0
    psize = POINTER_SIZE[target]
    calls = checked_calls(h)
    for m in _RECORD_RE.finditer(proc.stdout):
        index = int(m.group(1))
        assert len(values) < len(calls) and index == calls[len(values)][0], \
            f"harness record {index} out of order in {proc.stdout!r}"
        outputs.append(proc.stdout[pos:m.start()])
        pos = m.end()
        res, _ = signature(h.sigs[h.calls[index].name], psize)
        values.append(from_bits(int(m.group(2), 16), res))
    return Outcome(values, outputs, proc.returncode, proc.stdout[pos:], proc.stderr)


def problems(h: Header, got: Outcome) -> List[str]:
    """Every way `got` differs from what the header states (empty: it agrees)."""
    out = []
    calls = [c for _, c in checked_calls(h)]
    for i, call in enumerate(calls):
        if i >= len(got.values):
            out.append(f"line {call.line}: {call}: never returned (exit status {got.status}, "
                       f"output {got.trailing[-300:]!r}, stderr {got.stderr[-300:]!r})")
            break
        value = got.values[i]
        if not matches(call, value):
            out.append(f"line {call.line}: {call}: got {value!r}")
        if call.stdout is not None:
            want = call.stdout.encode("utf-8", "surrogateescape")
            if got.outputs[i] != want:
                out.append(f"line {call.line}: {call}: printed {got.outputs[i]!r}, STDOUT states {want!r}")
    if len(got.values) == len(calls):
        if got.status != 0:
            out.append(f"exit status {got.status} after the last call")
        if got.trailing:
            out.append(f"output after the last call: {got.trailing[:300]!r}")
        if got.stderr:
            out.append(f"stderr: {got.stderr[:300]!r}")
    return out


def check(path: Path, text: str, target: str, tmp: Path) -> Tuple[Header, List[str]]:
    h = parse(text, path.name)
    got = run(build(path, text, h, target, tmp), h, target)
    return h, problems(h, got)


# --------------------------------------------------------------------------
# tests

FILES = sorted(p for d in DIRS for p in d.iterdir() if p.suffix in (".c", ".s", ".S"))
HEADERS = {p: parse(p.read_text(), p.name) for p in FILES}
#: the CPU's own target and AArch64 under qemu-user, unless RIG_FULL=1 (tests/matrix.py): each
#: other target first makes zig build its compiler-rt and musl (about a minute from a cold cache)
ALL_CASES = [(p, t) for p in FILES for t in HEADERS[p].targets]
CASES = [(p, t) for p, t in ALL_CASES if FULL or t in NATIVE_TARGETS]
#: (program, target, call) results test_stated_results checks with RIG_FULL=1
CHECKED = sum(len(checked_calls(HEADERS[p])) for p, _ in ALL_CASES)
STATED = sum(len(HEADERS[p].calls) for p, _ in ALL_CASES)


def _id(p: Path, t: str) -> str:
    return f"{p.parent.name}/{p.name}-{t}"


@pytest.mark.parametrize("path,target", CASES, ids=[_id(p, t) for p, t in CASES])
def test_stated_results(path, target, tmp_path):
    """Every stated result of the program, built by clang and linked by ld.lld (GNU ld for NOLLD
    files), run natively or under qemu-user."""
    h, found = check(path, path.read_text(), target, tmp_path)
    assert h.calls, f"{path.name}: no CALL lines"
    assert not found, f"{path.name} on {target} (independent build):\n  " + "\n  ".join(found)


def test_corpus_coverage():
    assert len([p for p in FILES if p.suffix == ".c"]) >= 6 and len([p for p in FILES if p.suffix == ".s"]) >= 6
    assert CHECKED >= 300 and STATED - CHECKED <= 4, (CHECKED, STATED)


def test_unchecked_calls_exist():
    """Every exception names a function the corpus calls, in a file whose header says
    ld.lld cannot link it."""
    by_name = {p.name: HEADERS[p] for p in FILES}
    for (name, fname), why in UNCHECKED.items():
        assert name in by_name and by_name[name].nolld, name
        assert any(c.name == fname for c in by_name[name].calls), (name, fname)
        assert why


def test_parser_agrees_with_rig():
    """This file's header parser reads what the rig's does (so both check the same statements)."""
    from rig import corpus as rig_corpus

    ours = {p: HEADERS[p] for p in FILES}
    theirs = {p.path: p for d in DIRS for p in rig_corpus.discover(d)}
    assert set(theirs) == set(ours)
    for p, h in ours.items():
        r = theirs[p]
        assert [(c.name, c.args, c.op, c.expected, c.stdout) for c in h.calls] == \
            [(c.name, c.args, c.op, c.expected, c.stdout) for c in r.calls], p.name
        assert h.sigs == dict(r.signatures), p.name
        assert h.targets == r.targets and h.nolld == r.nolld, p.name


# -- the checker itself: a wrong statement fails

_SELF = CORPUS / "c" / "doubles.c"


def _edit(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def test_checker_catches_wrong_statements(tmp_path):
    """doubles.c with five statements changed: the four wrong ones (an ``==`` float, a ``~=``
    float off by 2e-6 relative, an ``==`` integer, a STDOUT) are each reported, and a ``~=``
    value off by 1e-10 relative still agrees."""
    text = _SELF.read_text()
    text = _edit(text, "// CALL: horner(0.5) == -7.0", "// CALL: horner(0.5) == -7.5")
    text = _edit(text, "// CALL: integrate(1000) ~= 0.3333335", "// CALL: integrate(1000) ~= 0.333334")
    text = _edit(text, "// CALL: newton_sqrt(2.0) ~= 1.4142135623730951",
                 "// CALL: newton_sqrt(2.0) ~= 1.4142135625")                # 1e-10 relative: agrees
    text = _edit(text, '// STDOUT: "3.142   314.16', '// STDOUT: "3.141   314.16')
    text = _edit(text, "// CALL: to_int(-12345.9) == -12345", "// CALL: to_int(-12345.9) == -12346")
    h, found = check(_SELF, text, "x86_64", tmp_path)
    assert len(found) == 4, found
    assert "horner(0.5) == -7.5: got -7.0" in found[0]
    assert "integrate(1000) ~= 0.333334: got 0.333333" in found[1]
    assert "to_int(-12345.9) == -12346: got -12345" in found[2]
    assert "show(3.14159) == 55: printed b'3.142 " in found[3] and "STDOUT states b'3.141 " in found[3]
    assert not any("newton_sqrt" in f for f in found)


def test_checker_reports_a_crash(tmp_path):
    """A call that never returns is reported with the calls before it checked."""
    text = ("// rig: crashes\n// SIG: ok i32(i32)\n// SIG: boom i32(i32)\n"
            "// CALL: ok(1) == 2\n// CALL: boom(0) == 0\n// CALL: ok(2) == 3\n"
            "int ok(int x) { return x + 1; }\n"
            "int boom(int x) { return *(volatile int *)(long)x; }\n")
    h, found = check(Path("crash.c"), text, "x86_64", tmp_path)
    assert len(found) == 1 and "boom(0) == 0: never returned (exit status -11" in found[0], found


def test_programs_own_definitions_win(tmp_path):
    """A freestanding program's own strlen and memcpy are the ones called, its own and libc's
    (printf's) callers alike; libc's members are not linked in beside them."""
    text = ("// rig: own libc functions\n// SIG: calls i32()\n// CALL: calls() == 1123\n"
            '// STDOUT: "<abc>\\n"\n'
            "typedef __SIZE_TYPE__ size_t;\nint printf(const char *, ...);\n"
            "static int copies;\n"
            "size_t strlen(const char *s) { (void)s; return 1000; }\n"
            "void *memcpy(void *d, const void *s, size_t n) { char *p = d; const char *q = s;"
            " copies++; while (n--) *p++ = *q++; return d; }\n"
            "static char dst[8];\n"
            "__attribute__((noinline)) int calls(void) { memcpy(dst, \"xyz\", 3);"
            " printf(\"<%s>\\n\", \"abc\"); return (int)strlen(dst) + dst[2] + (copies > 0); }\n")
    for target in ("x86_64", "aarch64"):
        (tmp_path / target).mkdir()
        h, found = check(Path("own.c"), text, target, tmp_path / target)
        assert not found, (target, found)


def test_header_errors():
    h = parse("// SIG: f i32(i32, i32)\n// CALL: f(1) == 2\nint f;\n", "bad.c")
    with pytest.raises(ValueError, match="1 arguments for the signature f i32"):
        harness(h, "x86_64")
    with pytest.raises(ValueError, match="does not fit int"):
        harness(parse("// SIG: f i32(i32)\n// CALL: f(4294967296) == 2\n"), "x86_64")
    with pytest.raises(ValueError, match="not an integer"):
        harness(parse("// SIG: f i32(i32)\n// CALL: f(1.5) == 2\n"), "arm")
    with pytest.raises(ValueError, match="no SIG line for g"):
        harness(parse("// SIG: f i32(i32)\n// CALL: g(1) == 2\n"), "arm")
    with pytest.raises(ValueError, match="no 128-bit"):
        harness(parse("// SIG: f i128(i32)\n// CALL: f(1) == 2\n"), "arm")


def test_result_semantics():
    c = Call("f", (), "~=", 1.0, 1)
    assert matches(c, 1.0 + 5e-10) and not matches(c, 1.0 + 2e-9) and matches(c, 1)
    assert matches(Call("f", (), "~=", 0.0, 1), 1e-13)
    assert matches(Call("f", (), "==", float("nan"), 1), float("nan"))
    assert matches(Call("f", (), "==", 2, 1), 2.0) and not matches(Call("f", (), "==", -1, 1), 2**32 - 1)
    i32, u32 = CType("int", "int", 4, True), CType("unsigned", "int", 4, False)
    assert from_bits(0xFFFFFFFF, i32) == -1 and from_bits(0xFFFFFFFF, u32) == 2**32 - 1
    assert from_bits(0x3FF0000000000000, CType("double", "float", 8, True)) == 1.0
    assert c_argument(-1, i32, "") == "((int)(unsigned)0xffffffffull)"
