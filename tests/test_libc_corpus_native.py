"""An independent oracle for the standard-C corpus (``corpus/libc``).

Each file there is a whole C program (``int main(int argc, char **argv)``)
using the C library through its standard headers, and its header states what
running it gives, in rig/corpus.py's whole-program format plus two lines
rig/corpus.py does not read yet::

    // rig: <one-line description>
    // RUNTIME: musl                       the C runtime the rig gives it (rig/corpus.py): musl's libc
    // ARGS: first "second arg" ""        argv[1..] as shell words; argv[0] is the file's name
    // ENV: HOME=/home/rig "K=a b" E=      the whole environment (shell words, NAME=value), in order
    // STDIN: "10 20\n"                    what stdin holds: a Python string literal (UTF-8);
    // STDIN: "30\n"                       several STDIN lines concatenate; no line: stdin is empty
    // MOUNT: files                        a directory, relative to the program's own directory,
                                           that the program reaches at that same relative path
                                           from its working directory (fopen("files/x.txt"));
                                           several MOUNT lines mount several directories
    // EXTRA: extra/other.cpp               another translation unit of the same program, relative
                                           to the program's own directory (rig/corpus.py reads it;
                                           corpus/cxx uses it: tests/test_cxx_corpus_native.py)
    // STATUS: 0                           the exit status as a shell's $? shows it (abort: 134)
    // STDOUT: "..."                       what it writes, in the order the writes happen:
    // STDERR: "..."                       adjacent same-stream lines join (rig.corpus.join_output)

The program runs as nothing but the C library sees it: the source is built, unchanged, by the
``ziglang`` package's clang as a static executable against zig's musl (``x86_64-linux-musl``;
``arm-linux-musleabihf -mcpu=cortex_a15`` for ARM and, with ``-mthumb``, Thumb;
``aarch64-linux-musl``) with the flags rig/toolchain.py compiles C with (``-O2``, no PIC,
freestanding, no stack protector, no unwind tables, no sanitizers), and run natively (x86-64) or
under ``qemu-arm`` / ``qemu-aarch64``:

* argv is ``[<file name>, *ARGS]`` (``qemu -0`` sets argv[0] under qemu);
* the environment is exactly the ENV line's variables (as ``env -i`` gives; note that qemu-user
  hands them to the program in reverse order, so no program relies on ``environ``'s order);
* stdin is the STDIN bytes (a pipe that then reports EOF);
* the working directory is a fresh directory holding a copy of every MOUNT directory at its
  stated relative path (a copy: a program cannot change the repository);
* stdout and stderr go to two files, and the status, stdout and stderr must equal the header's;
  a second run sends both streams to one file, which must hold the header's chunks in the
  header's order, so the stated interleaving is the order the writes really happen in (stdout
  is fully buffered when it is not a terminal: see ``stdio_buffering.c`` and
  ``abort_unflushed.c``);
* a death by signal N is status 128 + N; qemu-user's own ``qemu: uncaught target signal ...``
  line at the end of stderr is not the program's and is removed; a run is limited to 60 s and
  16 MiB of output, and dumps no core.

zig 0.17's C library is musl with parts replaced by zig's own code (strtol family, qsort,
bsearch, ctype, string functions, malloc, part of libm); where those differ from the C standard
or from glibc, the programs do not state the case (each such place says so in a comment or its
description): strtoll's end pointer after an overflow, toupper(EOF), the leading digit of %a for
subnormals, errno for no conversion or underflow in strtod, last-bit libm differences.

The header is read by this file's own parser (``test_parser_agrees_with_rig`` checks that it reads
what rig/corpus.py reads); nothing else of the rig is used.  A missing qemu-user fails the test
with the package to install; off an x86-64 Linux host the file is skipped.
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
from typing import List, Optional, Sequence, Tuple

import pytest

from .matrix import FULL, NATIVE_TARGETS

try:
    import resource
except ImportError:         # not POSIX: the file is skipped (pytestmark), but must still import
    resource = None

ROOT = Path(__file__).resolve().parent.parent
LIBC = ROOT / "corpus" / "libc"
ALL_TARGETS = ("x86_64", "arm", "thumb", "aarch64")
TIMEOUT = 60
OUTPUT_LIMIT = 16 << 20

pytestmark = pytest.mark.skipif(
    not (sys.platform.startswith("linux") and platform.machine() in ("x86_64", "AMD64")),
    reason="runs x86-64 executables natively and qemu-user: an x86-64 Linux host")


# --------------------------------------------------------------------------
# the header (rig/corpus.py's whole-program format, read independently, plus STDIN and MOUNT)

_COMMENTS = ("//", ";", "#", "@")
_TARGET_ALIASES = {"armv7": "arm", "thumbv7": "thumb"}


@dataclass
class Spec:
    name: str
    description: str = ""
    args: Tuple[str, ...] = ()
    env: Tuple[Tuple[str, str], ...] = ()
    stdin: bytes = b""
    mounts: Tuple[str, ...] = ()
    extra: Tuple[str, ...] = ()             # EXTRA lines: further translation units, in order
    status: Optional[int] = None
    output: List[Tuple[int, bytes]] = field(default_factory=list)     # (1 or 2, bytes), same-stream joined
    targets: Tuple[str, ...] = ALL_TARGETS
    runtime: str = "host"
    calls: int = 0

    @property
    def stdout(self) -> bytes:
        return b"".join(d for s, d in self.output if s == 1)

    @property
    def stderr(self) -> bytes:
        return b"".join(d for s, d in self.output if s == 2)


def _string(rest: str, what: str) -> bytes:
    value = ast.literal_eval(rest)
    if not isinstance(value, str):
        raise ValueError(f"{what} must be a string literal, got {rest!r}")
    return value.encode("utf-8", "surrogateescape")


def parse(text: str, name: str = "<program>", directory: Optional[Path] = None) -> Spec:
    """The header (leading comment lines) of a corpus program; ValueError on a bad line.
    `directory` is where MOUNT directories and EXTRA files are looked up (not checked when None)."""
    spec = Spec(name)
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
        try:
            if key == "RIG":
                spec.description = rest
            elif key in ("STDOUT", "STDERR"):
                data = _string(rest, key)
                stream = 1 if key == "STDOUT" else 2
                if data:
                    if spec.output and spec.output[-1][0] == stream:
                        spec.output[-1] = (stream, spec.output[-1][1] + data)
                    else:
                        spec.output.append((stream, data))
            elif key == "STDIN":
                spec.stdin += _string(rest, key)
            elif key == "ARGS":
                spec.args = tuple(shlex.split(rest))
            elif key == "ENV":
                pairs = []
                for word in shlex.split(rest):
                    k, eq, v = word.partition("=")
                    if not eq or not k:
                        raise ValueError(f"ENV entries are NAME=value, got {word!r}")
                    pairs.append((k, v))
                spec.env = tuple(pairs)
            elif key == "MOUNT":
                rel = Path(rest)
                if not rest or rel.is_absolute() or ".." in rel.parts or len(rest.split()) != 1:
                    raise ValueError(f"MOUNT takes one directory relative to the program, got {rest!r}")
                if directory is not None and not (directory / rel).is_dir():
                    raise ValueError(f"MOUNT {rest!r}: no directory {directory / rel}")
                spec.mounts += (rest,)
            elif key == "EXTRA":
                rel = Path(rest)
                if not rest or rel.is_absolute() or ".." in rel.parts or len(rest.split()) != 1:
                    raise ValueError(f"EXTRA takes one file relative to the program, got {rest!r}")
                if directory is not None and not (directory / rel).is_file():
                    raise ValueError(f"EXTRA {rest!r}: no file {directory / rel}")
                spec.extra += (rest,)
            elif key == "STATUS":
                spec.status = int(rest.split()[0], 0)
                if not 0 <= spec.status <= 255:
                    raise ValueError(f"STATUS must be 0..255, got {rest!r}")
            elif key == "TARGETS":
                spec.targets = tuple(_TARGET_ALIASES.get(t, t) for t in rest.split())
                if not spec.targets or set(spec.targets) - set(ALL_TARGETS):
                    raise ValueError(f"bad TARGETS {rest!r}")
            elif key == "RUNTIME":
                if rest not in ("host", "musl"):
                    raise ValueError(f"RUNTIME is host or musl, got {rest!r}")
                spec.runtime = rest
            elif key == "CALL":
                spec.calls += 1
        except (ValueError, SyntaxError, IndexError) as e:
            raise ValueError(f"{where}: {e}") from None
    return spec


# --------------------------------------------------------------------------
# building and running

#: target -> (zig triple, clang flags, how its executables run)
TARGET_TOOLS = {
    "x86_64": ("x86_64-linux-musl", [], None),
    "arm": ("arm-linux-musleabihf", ["-mcpu=cortex_a15"], "qemu-arm"),
    "thumb": ("arm-linux-musleabihf", ["-mcpu=cortex_a15", "-mthumb"], "qemu-arm"),
    "aarch64": ("aarch64-linux-musl", [], "qemu-aarch64"),
}
#: the flags rig/toolchain.py compiles C with (static relocation model, -O2: the rig's default),
#: and format / declaration mistakes (a wrong conversion for an int64_t on ILP32) as errors
C_FLAGS = ["-O2", "-fno-pic", "-ffreestanding", "-fno-stack-protector", "-fno-asynchronous-unwind-tables",
           "-fno-exceptions", "-fno-common", "-fno-sanitize=undefined", "-g0",
           "-Wall", "-Werror=format", "-Werror=implicit-function-declaration"]


def _zig(args: Sequence[str], cwd: Path) -> None:
    env = dict(os.environ)
    # where rig/toolchain.py keeps zig's cache: musl's libc.a for each target is built once
    env.setdefault("ZIG_GLOBAL_CACHE_DIR", str(Path(tempfile.gettempdir()) / "rig-zig-cache"))
    proc = subprocess.run([sys.executable, "-m", "ziglang", *args], cwd=str(cwd), env=env,
                          capture_output=True, text=True, timeout=900)
    if proc.returncode:
        pytest.fail(f"zig {' '.join(args)} failed:\n{proc.stderr}{proc.stdout}")


def _qemu(name: str) -> str:
    found = shutil.which(name)
    if not found:
        pytest.fail(f"{name} is missing: apt-get install qemu-user (CI installs it)")
    return found


def build(name: str, text: str, target: str, tmp: Path) -> Path:
    """A static musl executable of the source `text` (named `name`) for `target`."""
    triple, flags, _ = TARGET_TOOLS[target]
    tmp.mkdir(parents=True, exist_ok=True)
    (tmp / name).write_text(text)
    exe = tmp / "program"
    _zig(["cc", "-target", triple, *flags, *C_FLAGS, "-c", "-o", "program.o", name], tmp)
    # no compiler flags at the link: zig builds (and caches) one libc per set of them, and this
    # set is tests/test_corpus_native.py's, so the files share one musl build per target
    _zig(["cc", "-target", triple, *flags, "-static", "-o", str(exe), "program.o"], tmp)
    return exe


@dataclass
class Outcome:
    status: int
    stdout: bytes
    stderr: bytes
    merged: bytes        # both streams into one file: the writes in the order they happened


_QEMU_SIGNAL = re.compile(rb"qemu: uncaught target signal \d+ \([^)\n]*\)(?: - core dumped)?\n\Z")


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_FSIZE, (OUTPUT_LIMIT, OUTPUT_LIMIT))


def run(exe: Path, spec: Spec, target: str, source_dir: Path, tmp: Path) -> Outcome:
    """Run `exe` as the header states, twice (separate streams, then one merged stream)."""
    _, _, qemu = TARGET_TOOLS[target]
    cmd = [spec.name, *spec.args]
    executable = str(exe)
    if qemu:
        cmd = [_qemu(qemu), "-0", spec.name, str(exe), *spec.args]
        executable = cmd[0]
    results = []
    for merged in (False, True):
        cwd = tmp / ("cwd-merged" if merged else "cwd")
        if cwd.exists():
            shutil.rmtree(cwd)
        cwd.mkdir(parents=True)
        for m in spec.mounts:
            shutil.copytree(source_dir / m, cwd / m)
        out_path, err_path = tmp / f"out{int(merged)}", tmp / f"err{int(merged)}"
        with open(out_path, "wb") as out, open(err_path, "wb") as err:
            try:
                proc = subprocess.run(cmd, executable=executable, input=spec.stdin, stdout=out,
                                      stderr=subprocess.STDOUT if merged else err, env=dict(spec.env),
                                      cwd=str(cwd), timeout=TIMEOUT, preexec_fn=_limits)
            except subprocess.TimeoutExpired:
                pytest.fail(f"{spec.name} on {target} ran longer than {TIMEOUT} s")
        status = proc.returncode if proc.returncode >= 0 else 128 - proc.returncode
        stdout, stderr = out_path.read_bytes(), err_path.read_bytes()
        if qemu and status > 128:
            stdout, stderr = (_QEMU_SIGNAL.sub(b"", stdout) if merged else stdout), _QEMU_SIGNAL.sub(b"", stderr)
        results.append((status, stdout, stderr))
    (status, stdout, stderr), (status2, merged_out, _) = results
    if status2 != status:
        pytest.fail(f"{spec.name} on {target}: status {status}, but {status2} with the streams merged")
    return Outcome(status, stdout, stderr, merged_out)


def _differ(what: str, got: bytes, want: bytes) -> str:
    at = next((i for i, (a, b) in enumerate(zip(got, want)) if a != b), min(len(got), len(want)))
    lo = max(0, at - 60)
    return (f"{what} differs at byte {at} (got {len(got)} bytes, stated {len(want)}):\n"
            f"      got    {got[lo:at + 80]!r}\n      stated {want[lo:at + 80]!r}")


def problems(spec: Spec, got: Outcome) -> List[str]:
    """Every way `got` differs from what the header states (empty: it agrees)."""
    out = []
    if got.status != spec.status:
        out.append(f"exit status {got.status}, STATUS states {spec.status}")
    if got.stdout != spec.stdout:
        out.append(_differ("stdout", got.stdout, spec.stdout))
    if got.stderr != spec.stderr:
        out.append(_differ("stderr", got.stderr, spec.stderr))
    if not out:
        order = b"".join(d for _, d in spec.output)
        if got.merged != order:
            out.append(_differ("the order of the writes (stdout and stderr into one file)", got.merged, order))
    return out


def check(path: Path, text: str, target: str, tmp: Path) -> Tuple[Spec, List[str]]:
    spec = parse(text, path.name, path.parent)
    exe = build(path.name, text, target, tmp)
    return spec, problems(spec, run(exe, spec, target, path.parent, tmp))


# --------------------------------------------------------------------------
# tests

FILES = sorted(LIBC.glob("*.c"))
SPECS = {p: parse(p.read_text(), p.name, p.parent) for p in FILES}
#: the CPU's own target and AArch64 under qemu-user, unless RIG_FULL=1 (tests/matrix.py): each
#: other target first makes zig build its compiler-rt and musl (about a minute from a cold cache)
CASES = [(p, t) for p in FILES for t in SPECS[p].targets if FULL or t in NATIVE_TARGETS]


@pytest.mark.parametrize("path,target", CASES, ids=[f"{p.name}-{t}" for p, t in CASES])
def test_program(path, target, tmp_path):
    """Status, stdout, stderr and the order of the writes, as the header states them."""
    spec, found = check(path, path.read_text(), target, tmp_path)
    assert not found, f"{path.name} on {target} (zig cc + musl, run natively or by qemu-user):\n  " + \
        "\n  ".join(found)


def test_corpus_covers_the_brief():
    """At least 20 whole programs, each with main(argc, argv) and standard headers only, over
    the topics the corpus is for, with stdin, a mounted directory, arguments, an environment,
    exit statuses other than 0 (134 among them) and interleaved stdout and stderr."""
    assert len(FILES) >= 20
    for p, spec in SPECS.items():
        text = p.read_text()
        assert spec.status is not None and not spec.calls, p.name
        assert spec.description and spec.runtime == "musl", p.name
        assert re.search(r"^int main\(int argc, char \*\*argv\)", text, re.M), p.name
        assert re.search(r"^#include <\w+\.h>", text, re.M), p.name
        assert not re.search(r'^#include "', text, re.M), p.name
    joined = "\n".join(p.read_text() for p in FILES)
    for needle in ("%a", "%A", "%hhn", "%zu", "%jd", "%td", "%*d", "snprintf(NULL, 0", "strtoull", "strtod",
                   "strtof", "sscanf", "0x1p", "qsort", "bsearch", "setjmp", "longjmp", "ERANGE", "ENOENT",
                   "strerror", "perror", "memmove", "memcmp", "strncpy", "strtok", "strspn", "strstr", "strchr",
                   "realloc", "calloc", "free(", "clock_gettime(CLOCK_MONOTONIC", "time(NULL)", "getenv", "environ",
                   "fgets", "getchar", "scanf(\"%d\"", "fopen", "fread", "fseek", "__thread", "_Thread_local",
                   "int64_t", "uint64_t", "PRId64", "sqrt", "pow", "atan2", "fmod", "frexp", "ldexp", "hypot",
                   "cbrt", "%.17g", "atexit", "at_quick_exit", "abort()", "setvbuf", "fflush", "isalpha",
                   "toupper", "div(", "ldiv(", "lldiv(", "imaxdiv(", "INT_MAX", "LLONG_MIN", "DBL_MANT_DIG"):
        assert needle in joined, needle
    specs = list(SPECS.values())
    assert any(s.stdin for s in specs) and any(s.mounts for s in specs)
    assert any(s.args for s in specs) and any(s.env for s in specs)
    assert {0, 134} <= {s.status for s in specs} and len({s.status for s in specs}) >= 4
    assert any(len(s.output) >= 4 for s in specs)            # stdout and stderr interleaved
    assert all(set(s.targets) == set(ALL_TARGETS) for s in specs)


def test_parser_agrees_with_rig():
    """This file's parser reads what rig/corpus.py reads (description, arguments, environment,
    status, the ordered output, targets, runtime); STDIN and MOUNT too once rig/corpus.py has them."""
    from rig import corpus as rig_corpus

    theirs = {p.path: p for p in rig_corpus.discover(LIBC, whole=True, runtime=None)}
    assert set(theirs) == set(FILES)
    for p, spec in SPECS.items():
        r = theirs[p]
        assert r.description == spec.description, p.name
        assert (r.run.args, r.run.env, r.run.status) == (spec.args, spec.env, spec.status), p.name
        assert r.run.output == tuple(spec.output), p.name
        assert r.targets == spec.targets and r.runtime == spec.runtime, p.name
        stdin = getattr(r.run, "stdin", None)
        if stdin is not None:
            assert stdin == spec.stdin, p.name
        mounts = getattr(r.run, "mounts", None)
        if mounts is not None:
            assert [str(m).rstrip("/").split("/")[-1] for m in mounts] == \
                [m.rstrip("/").split("/")[-1] for m in spec.mounts], p.name


# -- the checker itself: a wrong statement fails

def _edit(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def test_checker_catches_a_wrong_stdout(tmp_path):
    """printf_int.c with one character of one STDOUT line changed fails, on x86-64 and under qemu."""
    path = LIBC / "printf_int.c"
    text = _edit(path.read_text(), '// STDOUT: "[0xff] [0XFF] [010]', '// STDOUT: "[0xff] [0xFF] [010]')
    for target in ("x86_64", "arm") if FULL else NATIVE_TARGETS:
        _, found = check(path, text, target, tmp_path / target)
        assert len(found) == 1 and found[0].startswith("stdout differs at byte"), (target, found)
        assert "[0XFF]" in found[0] and "[0xFF]" in found[0]


def test_checker_catches_a_wrong_status_and_stderr(tmp_path):
    """abort_unflushed.c stating status 0, and stating the lost stdout line and a changed
    stderr: three problems (qemu's own signal message is not taken for the program's)."""
    path = LIBC / "abort_unflushed.c"
    text = _edit(path.read_text(), "// STATUS: 134", "// STATUS: 0")
    text = _edit(text, '// STDOUT: "flushed before abort\\n"',
                 '// STDOUT: "flushed before abort\\nstill buffered when abort is called: lost\\n"')
    text = _edit(text, '// STDERR: "stderr is unbuffered: about to abort',
                 '// STDERR: "stderr is unbuffered: about to exit')
    for target in ("x86_64", "aarch64"):
        _, found = check(path, text, target, tmp_path / target)
        assert len(found) == 3, (target, found)
        assert found[0] == "exit status 134, STATUS states 0"
        assert found[1].startswith("stdout differs") and found[2].startswith("stderr differs")
    _, found = check(path, path.read_text(), "aarch64", tmp_path / "unchanged")
    assert not found


def test_checker_catches_a_wrong_order(tmp_path):
    """errno_strerror.c with its STDERR lines moved after the last STDOUT line: each stream
    alone still agrees, the order of the writes does not."""
    path = LIBC / "errno_strerror.c"
    lines = path.read_text().splitlines(keepends=True)
    err = [ln for ln in lines if ln.startswith("// STDERR:")]
    rest = [ln for ln in lines if not ln.startswith("// STDERR:")]
    last_out = max(i for i, ln in enumerate(rest) if ln.startswith("// STDOUT:"))
    text = "".join(rest[:last_out + 1] + err + rest[last_out + 1:])
    assert parse(text).stderr == SPECS[path].stderr and parse(text).output != SPECS[path].output
    _, found = check(path, text, "x86_64", tmp_path)
    assert len(found) == 1 and found[0].startswith("the order of the writes"), found


def test_stdin_and_mounts_reach_the_program(tmp_path):
    """A different STDIN gives a different sum; without its MOUNT line file_read.c cannot
    open its file (status 1, perror's message)."""
    path = LIBC / "stdin_numbers.c"
    text = _edit(path.read_text(), '// STDIN: "  7\\n"', '// STDIN: "  8\\n"')
    _, found = check(path, text, "thumb" if FULL else "aarch64", tmp_path / "stdin")
    assert len(found) == 1 and "read 8, running sum 33" in found[0], found
    path = LIBC / "file_read.c"
    text = _edit(path.read_text(), "// MOUNT: files\n", "")
    spec = parse(text, path.name, path.parent)
    got = run(build(path.name, text, "x86_64", tmp_path / "mount"), spec, "x86_64", path.parent, tmp_path / "mount")
    assert got.status == 1 and got.stdout == b""
    assert got.stderr == b"files/poem.txt: No such file or directory\n"


def test_arguments_and_environment_are_exact(tmp_path, monkeypatch):
    """getenv_args.c sees only the ENV line's variables (a variable of this process is not
    passed on) and argv[0] is its file name, under qemu too."""
    monkeypatch.setenv("RIG_LIBC_ORACLE_PROBE", "1")
    path = LIBC / "getenv_args.c"
    for target in ("x86_64", "aarch64"):
        spec, found = check(path, path.read_text(), target, tmp_path / target)
        assert not found, (target, found)
        assert b'argv[0] = "getenv_args.c"\n' in spec.stdout and b"5 variables\n" in spec.stdout


def test_missing_qemu_fails(monkeypatch, tmp_path):
    """No qemu-user is a failure naming the package, not a skip."""
    path = LIBC / "exit_paths.c"
    exe = build(path.name, path.read_text(), "arm", tmp_path)
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(pytest.fail.Exception, match="qemu-arm is missing: apt-get install qemu-user"):
        run(exe, SPECS[path], "arm", path.parent, tmp_path)


def test_header_errors():
    with pytest.raises(ValueError, match="STDIN must be a string literal"):
        parse('// STDIN: 42\n')
    with pytest.raises(ValueError, match="MOUNT takes one directory"):
        parse("// MOUNT: /etc\n")
    with pytest.raises(ValueError, match="MOUNT takes one directory"):
        parse("// MOUNT: ../tests\n")
    with pytest.raises(ValueError, match="no directory"):
        parse("// MOUNT: absent\n", "x.c", LIBC)
    with pytest.raises(ValueError, match="ENV entries are NAME=value"):
        parse("// ENV: HOME\n")
    with pytest.raises(ValueError, match="RUNTIME is host or musl"):
        parse("// RUNTIME: glibc\n")
    with pytest.raises(ValueError, match="STATUS must be 0..255"):
        parse("// STATUS: 256\n")
    spec = parse('// rig: d\n// STDIN: "a"\n// STDIN: "b\\n"\n// STDOUT: "x"\n// STDOUT: ""\n// STDERR: "e"\n'
                 '// STDOUT: "y"\n// STATUS: 3\n\nint main(int argc, char **argv) { return 3; }\n// STDOUT: "z"\n')
    assert spec.stdin == b"ab\n" and spec.output == [(1, b"x"), (2, b"e"), (1, b"y")] and spec.status == 3
