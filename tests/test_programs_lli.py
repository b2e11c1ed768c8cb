"""Independent oracles for the whole-program corpus (``corpus/programs/``).

Every ``corpus/programs/*.ll`` and ``*.c`` (and ``corpus/remote/*.ll``, the team's
equivalents of LLVM's MCJIT remote tests) whose header has a ``STATUS:`` line is a
whole program: ``main(argc, argv, envp)`` run with the header's arguments and
environment, whose exit status, standard output and standard error the header
states.  This file checks those statements against tools we did not write,
sharing no code with the rig (not even its header parser):

* ``test_lli``: the real LLVM 19 ``lli`` on this x86-64 host (its default ORC JIT,
  the process's real glibc), the program's EXTRA files as ``-extra-module``.
  Where lli's in-process JIT cannot give what a linked ELF program does, the
  table ``LLI_DEVIATIONS`` below says why and what lli gives instead (so the
  quirk itself stays checked).  Skipped when ``/usr/lib/llvm-19/bin/lli`` is absent.
* ``test_native``: the program compiled with the ``ziglang`` package's clang
  for x86_64-linux-gnu, linked (main module and EXTRA modules as separate
  objects: real ELF COMMON/weak/COMDAT resolution, ``.init_array`` /
  ``.fini_array`` priorities) into a dynamic executable against the host's
  glibc and run.  This is the oracle for what a real program does wherever
  lli falls short (static destructor order, ``exit()`` running handlers and
  destructors).  Skipped without the ``ziglang`` package or off x86-64 Linux.
* ``test_cross``: the portability claim itself: the same build for 32-bit Arm,
  Thumb and AArch64 as static musl executables, run under qemu-user.  Skipped
  for a target whose qemu-user binary is not installed.

Each run is made twice: stdout and stderr captured apart (compared byte for
byte with the STDOUT and STDERR lines) and the two streams merged into one pipe
(compared with every STDOUT/STDERR line in header order), so the programs'
fflush discipline keeps real, buffered stdio in the order the rig's unbuffered
output has.

Header format (the leading comment lines, ``;`` for .ll, ``//`` for .c)::

    ; rig: <one-line description>
    ; ARGS: alpha "two words" 42       argv[1..] as shell words; argv[0] is the file name
    ; ENV: HOME=/home/rig GREETING=hi  the environment, shell words K=V (empty without it)
    ; STATUS: 3                        exit status as a shell's $? shows it (abort: 134)
    ; STDOUT: "hello\\n"                a Python string literal, in write order
    ; STDERR: "oops\\n"
    ; EXTRA: extra/peer.ll             an extra module, path relative to the program
    ; TARGETS: x86_64 aarch64          only where a program cannot run on all four
    ; RELOC: static pic                the rig's relocation models (read, not used here)
"""
from __future__ import annotations

import ast
import os
import platform
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Tuple, Union

import pytest

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
PROGRAMS = CORPUS / "programs"
#: the team's equivalents of LLVM's llvm/test/ExecutionEngine/MCJIT/remote tests
REMOTE = CORPUS / "remote"
LLI = Path("/usr/lib/llvm-19/bin/lli")
ALL_TARGETS = ("x86_64", "arm", "thumb", "aarch64")
KEYS = ("rig", "ARGS", "ENV", "STATUS", "STDOUT", "STDERR", "EXTRA", "TARGETS", "RELOC")
#: the one program allowed (required) to carry a foreign target triple and datalayout
RETARGET = "retarget.ll"
TIMEOUT = 60
#: functions whose size_t parameters or result make an IR declaration target-dependent
SIZE_T_FUNCTIONS = {"strlen", "strnlen", "memcpy", "memmove", "memset", "memcmp", "strncmp", "strncpy",
                    "malloc", "calloc", "realloc", "aligned_alloc", "posix_memalign", "fwrite", "snprintf"}
#: one printf conversion: (length modifier, conversion character)
CONVERSION = re.compile(r"%(?:%|[-+ 0#]*(?:[0-9]+|\*)?(?:\.(?:[0-9]+|\*)?)?(hh|h|ll|l|z|j|t|L)?([a-zA-Z]))")


# --------------------------------------------------------------------------
# the header


@dataclass
class Program:
    path: Path
    description: str = ""
    args: List[str] = field(default_factory=list)
    env: Dict[str, str] = field(default_factory=dict)
    status: Optional[int] = None
    events: List[Tuple[str, bytes]] = field(default_factory=list)   # ("STDOUT" | "STDERR", bytes)
    extras: List[Path] = field(default_factory=list)
    targets: Tuple[str, ...] = ALL_TARGETS

    @property
    def name(self) -> str:
        return self.path.name

    def stream(self, which: str) -> bytes:
        return b"".join(data for s, data in self.events if s == which)

    @property
    def merged(self) -> bytes:
        return b"".join(data for _, data in self.events)


def parse(path: Path) -> Program:
    """The leading comment lines of `path`; ValueError on anything malformed."""
    marker = "//" if path.suffix == ".c" else ";"
    prog = Program(path)
    for line in path.read_text().splitlines():
        stripped = line.strip()
        if not stripped.startswith(marker):
            break
        body = stripped[len(marker):].strip()
        m = re.match(r"([A-Za-z_-]+):\s?(.*)$", body)
        if not m:
            continue
        key, value = m.group(1), m.group(2).strip()
        if key not in KEYS:
            raise ValueError(f"{path.name}: unknown header key {key!r}")
        if key == "rig":
            prog.description = value
        elif key == "ARGS":
            prog.args += shlex.split(value)
        elif key == "ENV":
            for word in shlex.split(value):
                k, eq, v = word.partition("=")
                if not eq or not k:
                    raise ValueError(f"{path.name}: ENV word {word!r} is not K=V")
                prog.env[k] = v
        elif key == "STATUS":
            prog.status = int(value)
            if not 0 <= prog.status <= 255:
                raise ValueError(f"{path.name}: STATUS {value} is not 0..255")
        elif key in ("STDOUT", "STDERR"):
            text = ast.literal_eval(value)
            if not isinstance(text, str):
                raise ValueError(f"{path.name}: {key} is not a string literal")
            prog.events.append((key, text.encode()))
        elif key == "EXTRA":
            prog.extras.append(path.parent / value)
        elif key == "TARGETS":
            prog.targets = tuple(value.split())
            if not prog.targets or set(prog.targets) - set(ALL_TARGETS):
                raise ValueError(f"{path.name}: bad TARGETS {value!r}")
    return prog


def _programs() -> List[Path]:
    files = [f for d in (PROGRAMS, REMOTE) for f in sorted([*d.glob("*.ll"), *d.glob("*.c")])]
    return [p for p in files if parse(p).status is not None]


def _id(path: Path) -> str:
    """corpus/programs files by name (LLI_DEVIATIONS's keys), the others as remote/<name>"""
    return path.name if path.parent == PROGRAMS else f"{path.parent.name}/{path.name}"


FILES = _programs()
IDS = [_id(p) for p in FILES]


# --------------------------------------------------------------------------
# running


@dataclass
class Outcome:
    status: int            # as a shell shows it: killed by signal N -> 128 + N
    stdout: bytes
    stderr: bytes
    merged: bytes          # stdout and stderr through one pipe (a second run)


def _status(returncode: int) -> int:
    return 128 - returncode if returncode < 0 else returncode


def _run_twice(cmd: List[str], env: Dict[str, str], cwd: Path, executable: Optional[str] = None) -> Outcome:
    kw = dict(env=env, cwd=str(cwd), executable=executable, stdin=subprocess.DEVNULL, timeout=TIMEOUT)
    apart = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)
    merged = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, **kw)
    assert _status(merged.returncode) == _status(apart.returncode), "the two runs disagree on the status"
    return Outcome(_status(apart.returncode), apart.stdout, apart.stderr, merged.stdout)


def _zig(args: List[str], cwd: str) -> None:
    env = dict(os.environ)
    env.setdefault("ZIG_GLOBAL_CACHE_DIR", str(Path(tempfile.gettempdir()) / "rig-zig-cache"))
    proc = subprocess.run([sys.executable, "-m", "ziglang", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=600)
    if proc.returncode:
        pytest.fail(f"zig {' '.join(args)} failed:\n{proc.stderr}{proc.stdout}")


# the flags the rig's toolchain compiles C with (rig/toolchain.py), for x86-64 Linux
C_FLAGS = ["-ffreestanding", "-fno-stack-protector", "-fno-asynchronous-unwind-tables", "-fno-exceptions",
           "-fno-common", "-fno-sanitize=undefined", "-g0"]


def _c_to_ir(src: Path, out: Path) -> None:
    """Freestanding C -> textual IR that LLVM 19's lli reads.  zig's clang is newer than
    LLVM 19: -O0 keeps its IR free of the attributes the optimiser infers in a newer
    syntax (captures(none), ...), -g0 of newer debug-info fields, and its CPU feature
    list, which lli would warn about on stderr, is dropped."""
    _zig(["cc", "-target", "x86_64-linux-gnu", "-S", "-emit-llvm", "-O0", *C_FLAGS,
          "-o", str(out), str(src)], str(out.parent))
    text = out.read_text()
    text = re.sub(r'\s*"target-(features|cpu)"="[^"]*"', "", text)
    out.write_text(text)


# --------------------------------------------------------------------------
# where lli's in-process JIT is not a linked ELF program

Expected = Union[bytes, "re.Pattern[bytes]"]


@dataclass
class LliRun:
    """How lli's run of one program differs from the header (which states what a
    linked ELF program does: ``test_native`` checks the header itself)."""
    why: str
    flags: List[str] = field(default_factory=list)     # extra lli options
    status: Optional[int] = None                        # what lli gives instead of the header's
    stdout: Optional[Expected] = None                   # bytes, or a pattern the whole output matches
    stderr: Optional[Expected] = None
    merged: Optional[Expected] = None
    unordered: bool = False                             # compare the streams' lines as multisets


def _lines(text: str) -> bytes:
    return "".join(line + "\n" for line in text.split("|")).encode()


_ENVP = ("lli's default ORC JIT calls main(argc, argv) only (llvm::orc::runAsMain), so envp is garbage; "
         "programs reading envp run under lli's MCJIT, which passes it")
_DTORS = ("lli's ORC JIT (GenericIR platform) runs llvm.global_dtors by ASCENDING priority, like the "
          "constructors; a linked program runs .fini_array in reverse, i.e. descending priority (65535 first)")
_EXIT = ("under lli, exit() is the host's glibc exit: lli's ORC JIT runs the JIT'd program's atexit "
         "handlers and static destructors only when main returns (LLJIT::deinitialize), so after exit() "
         "neither runs")
_CXA = ("lli's ORC JIT replaces atexit and __cxa_atexit by helpers that return nothing (the result is "
        "whatever is in the return register) and keys __cxa_atexit handlers by dso handle, running only "
        "those registered with the JIT's own __dso_handle: one registered with a NULL dso handle never runs")

LLI_DEVIATIONS: Dict[str, LliRun] = {
    "env.ll": LliRun(_ENVP, flags=["--jit-kind=mcjit"]),
    "env_empty.ll": LliRun(_ENVP, flags=["--jit-kind=mcjit"]),
    "ctors_dtors.ll": LliRun(_DTORS, stdout=_lines(
        "ctor 101 (first)|ctor 200 (second)|ctor 65535 (default)|main: trace = 123|"
        "dtor 101 (last)|dtor 200 (second)|dtor 65535 (default)")),
    "c_ctors.c": LliRun(_DTORS, stdout=_lines(
        "ctor 120|ctor 150|ctor default|main: table = 120 150 65535, registering handler|handler|"
        "dtor 120|dtor 150|dtor default")),
    "exit_runs_handlers.ll": LliRun(_EXIT, stdout=_lines("main registered 2 handlers|finish: exit(5)")),
    "atexit_order.ll": LliRun(_CXA, stdout=re.compile(re.escape(_lines(
        "ctor registers h_ctor|atexit returned 0: @, __cxa_atexit returned 0: @|main returns 0|"
        "h3|h2|h1|h_ctor|dtor")).replace(b"@", b"(yes|no)"))),
    "cxa_atexit_dso.ll": LliRun(_CXA, stdout=re.compile(re.escape(_lines(
        "main registered @|destroy(third)|destroy(second)|destroy(first)|static dtor"))
        .replace(b"@", b"(3|-1)"))),
    "multi_module.ll": LliRun(
        "lli's ORC JIT sorts constructors and destructors by priority within each module only; "
        "the modules' turns come in an order that changes from run to run", unordered=True),
}


def _matches(got: bytes, want: Expected, unordered: bool) -> bool:
    if isinstance(want, re.Pattern):
        return want.fullmatch(got) is not None
    if unordered:
        return sorted(got.splitlines(True)) == sorted(want.splitlines(True))
    return got == want


def _check(prog: Program, got: Outcome, want: LliRun, tool: str, crash_report: Tuple[bytes, ...] = ()) -> None:
    """Compare `got` with the header (or with lli's deviation `want`).  When the program
    dies by a signal, the tool running it may report that on stderr after the program's
    own output: a report starting with one of `crash_report` is allowed there."""
    status = prog.status if want.status is None else want.status
    stdout = prog.stream("STDOUT") if want.stdout is None else want.stdout
    stderr = prog.stream("STDERR") if want.stderr is None else want.stderr
    merged = prog.merged if want.merged is None else want.merged
    if want.stdout is not None and want.merged is None and not prog.stream("STDERR"):
        merged = stdout
    got_stderr, got_merged = got.stderr, got.merged
    if crash_report and status > 128:
        assert isinstance(stderr, bytes) and isinstance(merged, bytes)
        for name, data, ours in (("stderr", got_stderr, stderr), ("merged", got_merged, merged)):
            tail = data[len(ours):]
            assert not tail or tail.startswith(crash_report), \
                f"{name} after the program's output is not {tool}'s crash report: {tail[:200]!r}"
        got_stderr = got_stderr[:len(stderr)]
        got_merged = got_merged[:len(merged)]
    problems = []
    if got.status != status:
        problems.append(f"status {got.status}, expected {status}")
    for name, data, expected in (("stdout", got.stdout, stdout), ("stderr", got_stderr, stderr),
                                 ("merged stdout+stderr (write order)", got_merged, merged)):
        if not _matches(data, expected, want.unordered):
            problems.append(f"{name}\n  got      {data!r}\n  expected {expected!r}")
    assert not problems, f"{prog.name} under {tool}: " + "\n".join(problems)


# --------------------------------------------------------------------------
# tests


def test_corpus_size():
    assert len(FILES) >= 18
    assert any(p.suffix == ".c" for p in FILES) and any(p.suffix == ".ll" for p in FILES)


def test_deviations_name_programs():
    assert set(LLI_DEVIATIONS) <= set(IDS)
    # LLI_DEVIATIONS is keyed by file name: a name in two directories would be ambiguous
    assert len({p.name for p in FILES}) == len(FILES)
    assert any(p.parent == REMOTE for p in FILES)


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_header(path):
    """Each program's header is complete and its code portable to all four targets."""
    prog = parse(path)
    text = path.read_text()
    assert prog.description, "no '; rig:' description"
    assert prog.targets == ALL_TARGETS or len(prog.targets) < 4
    for extra in prog.extras:
        assert extra.is_file(), f"EXTRA {extra} is missing"
        assert extra.read_text().splitlines()[0].lstrip(";/ ").startswith("rig: extra module of"), extra
    files = [(path, text), *((x, x.read_text()) for x in prog.extras)]
    for f, src in files:
        assert not re.search(r"^\s*module\s+asm\b|\basm\s+(sideeffect\s+|inteldialect\s+)*\"|__asm__|\basm\s*\(",
                             src, re.M), f"{f.name}: inline asm"
        if f.suffix == ".c":
            assert not re.search(r"^\s*#\s*include", src, re.M), f"{f.name}: no system headers exist"
            formats = re.findall(r'"((?:[^"\\\n]|\\.)*)"', src)
        else:
            foreign = re.search(r"^\s*target\s+(triple|datalayout)\b", src, re.M)
            if f.name == RETARGET:
                assert foreign, f"{f.name} is the retargeting program: it must carry an x86-64 triple"
            else:
                assert not foreign, f"{f.name}: target triple/datalayout make the file non-portable"
            sized = re.findall(r"^\s*declare\b[^@\n]*@(\w+)\(", src, re.M)
            assert not set(sized) & SIZE_T_FUNCTIONS, \
                f"{f.name}: {sorted(set(sized) & SIZE_T_FUNCTIONS)} take or return size_t, whose width IR cannot name"
            formats = re.findall(r'c"((?:[^"\\]|\\.)*)"', src)
        for lit in formats:
            for length, conv in CONVERSION.findall(lit):
                assert conv != "p", f"{f.name}: {lit!r}: %p output differs between libcs"
                assert f.suffix == ".c" or length in ("", "hh", "h", "ll"), \
                    f"{f.name}: {lit!r}: %{length}{conv} has a target-dependent width: do it in a C program"


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_lli(path, tmp_path):
    # an oracle CI installs (.ci/run): missing, it is a failure, not a skip
    assert LLI.exists(), f"{LLI} (LLVM 19) is not installed: apt-get install llvm-19"
    prog = parse(path)
    want = LLI_DEVIATIONS.get(prog.name, LliRun(why=""))

    # lli's ORC JIT passes the main module's path as argv[0] (it ignores --fake-argv0),
    # so lli runs in the main module's directory on its bare file name; a C program's
    # IR is written under the C file's own name (lli reads IR whatever the suffix).
    extras = []
    for i, x in enumerate(prog.extras):
        if x.suffix == ".c":
            out = tmp_path / f"extra{i}" / x.name
            out.parent.mkdir()
            _c_to_ir(x, out)
            x = out
        extras.append(f"-extra-module={x}")
    cwd = path.parent
    if path.suffix == ".c":
        cwd = tmp_path / "main"
        cwd.mkdir()
        _c_to_ir(path, cwd / path.name)
    cmd = [str(LLI), *want.flags, f"--fake-argv0={prog.name}", *extras, prog.name, *prog.args]
    got = _run_twice(cmd, prog.env, cwd)
    # lli's own crash handler reports a fatal signal on stderr after the program's output
    _check(prog, got, want, "lli", crash_report=(b"PLEASE submit a bug report", b"Stack dump:"))


def _build(prog: Program, triple: str, flags: List[str], tmp_path: Path, static: bool) -> Path:
    """The program's modules compiled one object each and linked by zig cc (lld)."""
    objs = []
    for i, src in enumerate([prog.path, *prog.extras]):
        obj = tmp_path / f"{i}-{src.stem}.o"
        lang = C_FLAGS if src.suffix == ".c" else ["-g0", "-Wno-override-module"]
        _zig(["cc", "-target", triple, *flags, "-c", "-O1", *lang, "-o", str(obj), str(src)], str(tmp_path))
        objs.append(str(obj))
    exe = tmp_path / "program"
    _zig(["cc", "-target", triple, *flags, *(["-static"] if static else []), "-o", str(exe), *objs], str(tmp_path))
    return exe


_X86_64_LINUX = sys.platform.startswith("linux") and platform.machine() in ("x86_64", "AMD64")


@pytest.mark.skipif(not _X86_64_LINUX, reason="links against the host's glibc: an x86-64 Linux host")
@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_native(path, tmp_path):
    prog = parse(path)
    exe = _build(prog, "x86_64-linux-gnu", [], tmp_path, static=False)
    got = _run_twice([prog.name, *prog.args], prog.env, path.parent, executable=str(exe))
    _check(prog, got, LliRun(why=""), "a native x86-64 glibc executable")


#: rig target -> (zig triple, extra clang flags, qemu-user binary): static musl executables
CROSS = {
    "arm": ("arm-linux-musleabihf", ["-mcpu=cortex_a15"], "qemu-arm"),
    "thumb": ("arm-linux-musleabihf", ["-mcpu=cortex_a15", "-mthumb"], "qemu-arm"),
    "aarch64": ("aarch64-linux-musl", [], "qemu-aarch64"),
}
CROSS_CASES = [(p, t) for p in FILES for t in CROSS if t in parse(p).targets]


@pytest.mark.parametrize("path,target", CROSS_CASES, ids=[f"{_id(p)}-{t}" for p, t in CROSS_CASES])
def test_cross(path, target, tmp_path):
    """The portability claim itself: the program built for 32-bit Arm, Thumb and AArch64
    (static, musl) and run under qemu-user gives what its header says."""
    triple, flags, qemu = CROSS[target]
    qemu_path = shutil.which(qemu)
    assert qemu_path is not None, f"{qemu} is not installed: apt-get install qemu-user (.ci/run does)"
    prog = parse(path)
    exe = _build(prog, triple, flags, tmp_path, static=True)
    # qemu-user hands the guest its own environment in reverse order (a list built by
    # inserting at the head), so it is given the environment reversed
    env = dict(reversed(list(prog.env.items())))
    got = _run_twice([qemu_path, "-0", prog.name, str(exe), *prog.args], env, path.parent)
    _check(prog, got, LliRun(why=""), f"{target} (qemu-user, musl)",
           crash_report=(b"qemu: uncaught target signal",))
