"""README.md runs: its commands and examples, read from the README itself and run.

Nothing is copied from the README into this file.  It is parsed, and from it:

* every line of every ```sh block is a command; in a transcript block (lines starting
  with `$ `) each `$ ` line is a command and the lines after it, up to the next one,
  are the output the README shows for it, which must be what the command prints;
* inline code spans in the prose and tables that are commands (`rig <subcommand>
  <argument>...`, `pip ...`, `hypothesis ...`, `sudo ...`) are commands too.  The
  lli column of the lli/rig table is lli's own (tests/test_programs_lli.py runs lli),
  and a bare `rig run` names a subcommand in a sentence;
* every ```python block runs as a script.  The plugin example (the block that starts
  `# test_my_jit.py`) is written to that file and run by pytest, and must pass on
  every target.  The mutant example (the block with `swap_row(`) is put around each
  test of the plugin example, and that run must fail on the mutant's target.

Every command is run here (each `rig` command, after the REWRITES that give a long run
a small budget), or is listed with the reason it is not: COVERED_BY_CI (checked
against .ci/run) and NOT_RUN.  A synopsis with [optional] parts is run as the
expansions SYNOPSES lists for it.  `test_every_readme_command_is_run_or_listed`
fails on a command that is none of these, and on a listed command the README no
longer has.  Commands run in a temporary directory holding a link to the corpus
and the PLACEHOLDERS (the README's `prog.ll`, `prog.c`, `m.ll`, `o.o` and
`expected` stand for the reader's own files), with this venv's `rig` first on
PATH.

The numbers in the README that the code can compute (relocation types per target,
whole programs in the corpus, injected bugs, placements, examples, exit statuses)
are checked against the code.
"""
from __future__ import annotations

import ast
import json
import os
import re
import shlex
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, List, Optional, Tuple

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
CI_SCRIPT = ROOT / ".ci" / "run"
#: This venv's bin directory: its `rig` is the one the commands run.
BIN = Path(sys.executable).parent
TARGETS = ("x86_64", "arm", "thumb", "aarch64")
#: Seconds before a README command counts as hung.
TIMEOUT = 300

# ------------------------------------------------------------------------ what is not run

#: README commands that CI runs itself: .ci/run must have each part (split at `&&`), with
#: the same words (it may add options: `-q`, `--placements 2`).
COVERED_BY_CI: Dict[str, str] = {
    "python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && .venv/bin/rig demo":
        "the install and the demo: .ci/run does them in a fresh venv (the venv this suite runs in)",
    ".venv/bin/python -m pytest -n auto":
        "the test command: .ci/run runs it, and this file is part of it",
}

#: README commands that cannot run in CI, and why.
NOT_RUN: Dict[str, str] = {
    "sudo apt-get install qemu-user llvm-19":
        "root and the network (system packages); tests/test_comparisons.py runs the tools where "
        "they are installed",
    "rig fuzz --db redis://fuzz-host:6379/0":
        "needs a Redis server at fuzz-host and the rig[redis] extra; the Redis example database is "
        "smoke-tested against fakeredis in tests/test_fuzz.py",
    "rig bench --profile":
        "needs pyinstrument (the rig[bench] extra), which the test extra does not install",
    "pip install 'rig[bench]'":
        "the network; only pyinstrument, for `rig bench --profile`",
    "rig executor --listen 127.0.0.1:7000":
        "a server that runs until stopped; tests/test_executors_agree.py starts one on a free port and "
        "runs the IR corpus, the program corpora and musl programs through it on all four targets",
    "rig run corpus/libc/binary_tree.c --target arm --executor tcp://127.0.0.1:7000":
        "needs the server above; tests/test_executors_agree.py runs such programs over TCP",
    "rig fuzz --engine rtdyld":
        "a one-minute campaign over four targets; the README's next command runs it for aarch64 here, "
        "and tests/test_engines.py checks the RuntimeDyld findings on every target",
    "rig fuzz --engine jitlink":
        "a one-minute campaign over four targets; the README's next command runs it for x86_64 here, "
        "and tests/test_engines.py checks JITLink on x86_64 and AArch64",
    "rig fuzz --engine 'mylinker --map={section}={address} --sym={name}={value} -o {output} {object}'":
        "needs the reader's own linker; tests/test_engines.py runs a command-template engine",
    "pip install hypofuzz":
        "the network; HypoFuzz is not in the test extra",
    "hypothesis fuzz --no-dashboard -n 2 -- tests/test_fuzz.py -k placement_invariance":
        "needs HypoFuzz, and a campaign runs until stopped; tests/test_fuzz.py runs the same "
        "property as a plain Hypothesis test",
}

#: README commands that exit with another status by design, and why.
EXPECTED_STATUS: Dict[str, Tuple[int, str]] = {
    "rig fuzz --engine rtdyld --target aarch64 --placements 1":
        (1, "the campaign finds LLVM 19 RuntimeDyld's LO19/LO21 disagreement: a finding is status 1"),
    "rig fuzz --engine rtdyld --target aarch64 --placements 1; sh .rig-engines/aarch64-R_AARCH64_LD_PREL_LO19-1/run.sh":
        (1, "the reproducer is llvm-rtdyld -verify with the check RuntimeDyld fails"),
    "rig fuzz --engine jitlink --target x86_64 --placements 1":
        (1, "the campaign finds LLVM 19 JITLink's GOTPC32/GOTPC64 disagreement: a finding is status 1"),
    "rig fuzz --engine jitlink --target x86_64 --placements 1; sh .rig-engines/x86_64-R_X86_64_GOTPC32-1/run.sh":
        (1, "the reproducer is llvm-jitlink -noexec -check with the check JITLink fails"),
    "rig fuzz --engine myengine:MyEngine --target x86_64 --placements 1":
        (1, "the README's 30-line engine leaves SIZE32/SIZE64 unwritten (pyelftools calls them <unknown>): "
            "a finding is status 1"),
}

# --------------------------------------------------------------------------- how it is run

#: A synopsis (with [optional] parts and metavariables) runs as these commands (REWRITES
#: still apply).  Each uses only the synopsis's own words (metavariables filled in from
#: METAVARS), and together they give every optional part.
SYNOPSES: Dict[str, List[str]] = {
    "rig relocs --target aarch64 [--json]": [
        "rig relocs --target aarch64",
        "rig relocs --target aarch64 --json",
    ],
    # --scaling is a mode of its own (it ignores --program), hence two runs; a bench of
    # every target without options is the README's `rig bench --target all`.
    "rig bench [--target T] [--program P] [--quick] [--scaling] [--json]": [
        "rig bench --target T --program P --quick --json",
        "rig bench --target T --quick --scaling",
    ],
}
METAVARS = {"T": "aarch64", "P": "corpus/dispatch.ll"}


@dataclass(frozen=True)
class Rewrite:
    """Where a README command would run long, the smaller budget it runs with here."""

    pattern: str
    replacement: str
    why: str

    def apply(self, command: str) -> str:
        return re.sub(self.pattern, self.replacement, command)


PLACEMENTS = 2
REWRITES = [
    Rewrite(r"--placements \d+", f"--placements {PLACEMENTS}",
            "each placement is one more round of runs (every target, static and pic); two still "
            "draw random placements and compare them.  A transcript's run counts are scaled to match."),
    Rewrite(r"--examples \d+", "--examples 3",
            "a campaign's size: three examples per target still draw programs and placements and "
            "print the coverage table"),
    Rewrite(r"^rig fuzz(?!.*--(engine|malformed|site-examples))", "rig fuzz --site-examples 1",
            "the type-directed sweep's size: one example of each site recipe still applies every row "
            "of every table (tests/test_kill_matrix.py runs the default five)"),
    Rewrite(r"^(rig fuzz --engine (?!.*--placements)\S+( --against \S+)?)( --target \S+)?$", r"\1\3 --placements 1",
            "an engine campaign over every target's corpus and site recipes at one placement each (the "
            "README's three) still links every object with the engine and the references"),
    Rewrite(r"--count \d+", "--count 8",
            "a malformed-input campaign's size: eight inputs still go through the sandboxed "
            "children and print the table per target"),
    Rewrite(r"--minutes [\d.]+", "--minutes 0.05",
            "a campaign's length: 3 seconds per target still runs the timed loop to its end"),
    Rewrite(r"^rig bench(?!.*--quick)", "rig bench --quick",
            "fewer repetitions and 500 memory trials instead of 100,000 (the README's smoke run)"),
    Rewrite(r"^rig bench(?!.*--no-compare)", "rig bench --no-compare",
            "ld.lld + qemu-user and lli take 30-50 s per target even with --quick; "
            "tests/test_comparisons.py runs them, where installed, with 1-2 trials"),
]

#: The README's stand-ins for the reader's files.  prog.ll has the `f(i32, double)` that
#: `--entry f --args 3 2.5` calls and a `main` that prints argc, the environment and what
#: the extra modules (weak references: absent is 0) return.
PROG_LL = r"""; rig: stands in for the README's prog.ll
@argc_fmt = private constant [12 x i8] c"argc is %d\0A\00"
@env_fmt = private constant [8 x i8] c"env %s\0A\00"
@m_fmt = private constant [15 x i8] c"from m.ll: %d\0A\00"
@o_fmt = private constant [14 x i8] c"from o.o: %d\0A\00"
declare i32 @printf(ptr, ...)
declare extern_weak i32 @from_m()
declare extern_weak i32 @from_o()

define double @f(i32 %n, double %x) {
  %a = sitofp i32 %n to double
  %r = fmul double %a, %x
  ret double %r
}

define i32 @main(i32 %argc, ptr %argv, ptr %envp) {
entry:
  call i32 (ptr, ...) @printf(ptr @argc_fmt, i32 %argc)
  br label %env
env:
  %i = phi i64 [0, %entry], [%next, %print]
  %slot = getelementptr ptr, ptr %envp, i64 %i
  %var = load ptr, ptr %slot
  %end = icmp eq ptr %var, null
  br i1 %end, label %extras, label %print
print:
  call i32 (ptr, ...) @printf(ptr @env_fmt, ptr %var)
  %next = add i64 %i, 1
  br label %env
extras:
  %has_m = icmp ne ptr @from_m, null
  br i1 %has_m, label %m, label %o_check
m:
  %vm = call i32 @from_m()
  call i32 (ptr, ...) @printf(ptr @m_fmt, i32 %vm)
  br label %o_check
o_check:
  %has_o = icmp ne ptr @from_o, null
  br i1 %has_o, label %o, label %done
o:
  %vo = call i32 @from_o()
  call i32 (ptr, ...) @printf(ptr @o_fmt, i32 %vo)
  br label %done
done:
  ret i32 0
}
"""
PLACEHOLDERS = {
    "prog.ll": PROG_LL,
    "prog.c": "// rig: stands in for the README's prog.c\nint f(int x) { return 3 * x + 1; }\n",
    "m.ll": "define i32 @from_m() { ret i32 1 }\n",
    "hello.c": ("#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\n#include <math.h>\n"
                "#ifndef NAME\n#define NAME \"world\"\n#else\n#define STR2(x) #x\n#define STR(x) STR2(x)\n#endif\n"
                "int main(void) {\n  char b[16];\n  strcpy(b, \"hello\");\n"
                "#ifdef STR\n  printf(\"%s, %s %.2f\\n\", b, STR(NAME), sqrt(2.0));\n"
                "#else\n  printf(\"%s, %s %.2f\\n\", b, NAME, sqrt(2.0));\n#endif\n"
                "  return abs(-1) - 1;\n}\n"),
    "expected": "argc is 1\n",                  # what prog.ll prints without arguments
}
#: o.o: an x86-64 object (an ELF object is for one machine, as with lli), built from this IR.
O_IR = "define i32 @from_o() { ret i32 2 }\n"


def _json_values(out: str) -> set:
    return {c["value"] for t in json.loads(out)["trials"] for c in t["calls"]}


#: What a command's output must show, beyond exit status 0 (and JSON where --json is given).
CHECKS: Dict[str, Callable[[str], bool]] = {
    "rig fuzz --engine myengine:MyEngine --target x86_64 --placements 1":
        lambda out: "R_X86_64_SIZE32 (field)" in out and "with the engine's word" in out,
    "rig run prog.ll --target arm,thumb --entry f --args 3 2.5 --json": lambda out: _json_values(out) == {7.5},
    "rig run prog.c --target all --entry f --args 3 --signature 'i32(i32)'":
        lambda out: "trials agree" in out and "10" in out,
    "rig run prog.ll --target all -- arg1 arg2": lambda out: out.startswith("argc is 3\n"),
    "rig run prog.ll --target x86_64 -- a b": lambda out: out.startswith("argc is 3\n"),
    "rig run prog.ll --target x86_64 --extra-module m.ll --extra-object o.o":
        lambda out: out == "argc is 1\nfrom m.ll: 1\nfrom o.o: 2\n",
    "rig run prog.ll --env K=V": lambda out: out == "argc is 1\nenv K=V\n",
    "rig run prog.ll --target aarch64 --executor subprocess": lambda out: out == "argc is 1\n",
    "rig run hello.c --target all": lambda out: out.startswith("hello, world 1.41\n"),
    "rig fuzz --engine rtdyld --target aarch64 --placements 1": lambda out: "LD_PREL_LO19" in out,
    "rig fuzz --engine jitlink --target x86_64 --placements 1": lambda out: "GOTPC32" in out and "own" in out,
    "rig run hello.c --target arm --cflag=-DNAME=rig --cflag=-std=c11": lambda out: out.startswith("hello, rig 1.41\n"),
}

# ----------------------------------------------------------------------------- the README


@dataclass(frozen=True)
class Block:
    lang: str
    text: str
    line: int          #: README line of its first line


@dataclass(frozen=True)
class Command:
    text: str                      #: as the README writes it, without `$ ` and a trailing comment
    line: int
    shown: Optional[str] = None    #: the output a transcript shows after it

    def __str__(self) -> str:
        return f"README.md:{self.line}: {self.text}"


_FENCE = re.compile(r"^(`{3,})\s*([\w+-]*)\s*$")


def fenced_blocks(text: str) -> List[Block]:
    """The fenced code blocks, with their info string's language ("" for none)."""
    blocks, fence, lang, start, body = [], None, "", 0, []
    for no, line in enumerate(text.splitlines(), 1):
        m = _FENCE.match(line)
        if fence is None:
            if m:
                fence, lang, start, body = m.group(1), m.group(2), no + 1, []
        elif m and m.group(1) == fence and not m.group(2):
            blocks.append(Block(lang, "\n".join(body) + "\n", start))
            fence = None
        else:
            body.append(line)
    assert fence is None, f"README.md: the fence opened at line {start - 1} is never closed"
    return blocks


def prose(text: str) -> str:
    """The README with every fenced block's lines blanked (line numbers kept)."""
    lines = text.splitlines()
    for b in fenced_blocks(text):
        for i in range(b.line - 2, b.line + len(b.text.splitlines())):
            lines[i] = ""
    return "\n".join(lines)


def strip_comment(line: str) -> str:
    """`line` without a shell comment (a `#` outside quotes, at the start or after a space)."""
    quote = None
    for i, ch in enumerate(line):
        if quote:
            quote = None if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1].isspace()):
            return line[:i].rstrip()
    return line.rstrip()


def block_commands(text: str) -> List[Command]:
    """The commands of the ```sh blocks, with a transcript's shown output."""
    found: List[Command] = []
    for b in fenced_blocks(text):
        if b.lang not in ("sh", "bash", "shell", "console"):
            continue
        lines = b.text.splitlines()
        if any(l.startswith("$ ") for l in lines):
            current: Optional[Tuple[str, int, List[str]]] = None
            for k, l in enumerate(lines):
                if l.startswith("$ "):
                    if current:
                        found.append(Command(current[0], current[1], "\n".join(current[2]) + "\n"))
                    current = (strip_comment(l[2:]), b.line + k, [])
                else:
                    assert current is not None, f"README.md:{b.line + k}: output before any `$ ` command"
                    current[2].append(l)
            if current:
                found.append(Command(current[0], current[1], "\n".join(current[2]) + "\n"))
        else:
            for k, l in enumerate(lines):
                cmd = strip_comment(l).strip()
                if cmd:
                    found.append(Command(cmd, b.line + k))
    return found


_COMMAND_WORDS = ("rig", "pip", "hypothesis", "sudo", "apt-get")


def inline_commands(text: str) -> List[Command]:
    """Inline code spans outside the fenced blocks that are commands."""
    body = prose(text)
    found = []
    for m in re.finditer(r"`([^`]+)`", body):
        span = " ".join(m.group(1).split())
        words = span.split()
        if words[0] in _COMMAND_WORDS and (words[0] != "rig" or len(words) >= 3):
            found.append(Command(span, body.count("\n", 0, m.start()) + 1))
    return found


def readme_commands() -> List[Command]:
    """Every command of the README, each once (the first place it appears)."""
    seen, out = set(), []
    text = README.read_text()
    for c in sorted(block_commands(text) + inline_commands(text), key=lambda c: c.line):
        if c.text not in seen:
            seen.add(c.text)
            out.append(c)
    return out


def python_blocks() -> List[Block]:
    return [b for b in fenced_blocks(README.read_text()) if b.lang == "python"]


def to_run(command: Command) -> List[str]:
    """The shell commands run for a README command: its synopsis expansions, rewritten."""
    texts = SYNOPSES.get(command.text, [command.text])
    out = []
    for t in texts:
        t = " ".join(METAVARS.get(w, w) for w in t.split(" "))
        for r in REWRITES:
            t = r.apply(t)
        out.append(t)
    return out


def runnable(command: Command) -> bool:
    return (command.text not in COVERED_BY_CI and command.text not in NOT_RUN
            and command.text.startswith("rig ") and ("[" not in command.text or command.text in SYNOPSES))


COMMANDS = readme_commands()
RUN = [c for c in COMMANDS if runnable(c)]

# ------------------------------------------------------------------------------- running


def _env() -> Dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    return env


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    """A directory like the repository's for the README's relative paths: the corpus (a
    link) and the placeholders.  Campaigns write their example databases here."""
    (tmp_path / "corpus").symlink_to(ROOT / "corpus", target_is_directory=True)
    for name, text in PLACEHOLDERS.items():
        (tmp_path / name).write_text(text)
    import targets
    from rig.compile import compile_source
    (tmp_path / "o.o").write_bytes(compile_source(O_IR, targets.get("x86_64")))
    for block in python_blocks():          # the README's own modules: `# name.py: ...` first
        named = re.match(r"# (\w+\.py): ", block.text)
        if named:
            (tmp_path / named.group(1)).write_text(block.text)
    return tmp_path


def shell(command: str, cwd: Path, merged: bool = False) -> subprocess.CompletedProcess:
    """`command` run by bash in `cwd`; with `merged`, stderr into stdout (as a terminal shows them)."""
    return subprocess.run(["bash", "-c", command], cwd=cwd, env=_env(), text=True, timeout=TIMEOUT,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT if merged else subprocess.PIPE)


def scale_runs(shown: str, readme_command: str, run_command: str) -> str:
    """The transcript's output for the rewritten command: "N runs" counts scale with --placements."""
    old = re.search(r"--placements (\d+)", readme_command)
    new = re.search(r"--placements (\d+)", run_command)
    if not old or old.group(1) == new.group(1):
        return shown
    a, b = int(old.group(1)), int(new.group(1))

    def scale(m):
        n = int(m.group(1))
        assert n * b % a == 0, f"{n} runs at {a} placements is not a whole number of runs per placement"
        return f"{n * b // a} runs"
    return re.sub(r"(\d+) runs", scale, shown)


def pytest_summary(out: str) -> Dict[str, int]:
    """{"passed": n, "failed": n, ...} from a pytest run's last line."""
    last = out.strip().splitlines()[-1] if out.strip() else ""
    return {k: int(n) for n, k in re.findall(r"(\d+) (passed|failed|errors?|skipped)", last)}


def run_pytest(args: List[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--rootdir", str(cwd),
                           "-q", *args], cwd=cwd, env=_env(), text=True, timeout=TIMEOUT,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT)

# --------------------------------------------------------------------------------- tests


def test_the_readme_has_commands_and_examples():
    assert len(COMMANDS) >= 15 and len(RUN) >= 10, [str(c) for c in COMMANDS]
    assert any(c.shown for c in COMMANDS), "no transcript found"
    assert len(python_blocks()) >= 3


def test_every_readme_command_is_run_or_listed():
    texts = {c.text for c in COMMANDS}
    unknown = [str(c) for c in COMMANDS if not runnable(c) and c.text not in COVERED_BY_CI
               and c.text not in NOT_RUN]
    assert not unknown, ("README commands neither run here nor listed in COVERED_BY_CI or NOT_RUN "
                         "(a synopsis with [options] needs its SYNOPSES expansions):\n  " + "\n  ".join(unknown))
    stale = sorted((set(COVERED_BY_CI) | set(NOT_RUN) | set(SYNOPSES) | set(CHECKS) | set(EXPECTED_STATUS)) - texts)
    assert not stale, f"listed here, but no longer in README.md: {stale}"


def test_synopsis_expansions_use_the_synopsis_and_give_every_option():
    for synopsis, expansions in SYNOPSES.items():
        words = set(re.sub(r"[\[\]]", "", synopsis).split())
        given = set()
        for e in expansions:
            assert set(e.split()) <= words, (synopsis, e)
            given |= set(e.split())
        assert given == words, (synopsis, words - given)


def test_ci_runs_what_it_covers():
    ci_lines = [shlex.split(l) for l in CI_SCRIPT.read_text().splitlines() if l.strip() and not l.startswith("#")]
    for command in COVERED_BY_CI:
        for part in command.split("&&"):
            words = shlex.split(part)
            assert any(set(words) <= set(l) and l[:2] == words[:2] for l in ci_lines), \
                f".ci/run does not run {part.strip()!r}"


@pytest.mark.parametrize("command", RUN, ids=lambda c: f"L{c.line}:{c.text[:60]}")
def test_readme_command(command: Command, workdir: Path):
    for text in to_run(command):
        if command.shown is not None:
            # a transcript: the terminal shows stdout and stderr together
            proc = shell(text, workdir, merged=True)
            assert proc.returncode == 0, f"{command}\n$ {text}\n{proc.stdout}"
            assert proc.stdout == scale_runs(command.shown, command.text, text), \
                f"{command}: the output differs from the README's\n$ {text}\n{proc.stdout}"
            continue
        proc = shell(text, workdir)
        want = EXPECTED_STATUS.get(command.text, (0, ""))[0]
        assert proc.returncode == want, \
            f"{command}\n$ {text}\nstdout:\n{proc.stdout[-3000:]}\nstderr:\n{proc.stderr[-3000:]}"
        if "--json" in text.split():
            json.loads(proc.stdout)
        check = CHECKS.get(command.text)
        assert check is None or check(proc.stdout), f"{command}\n$ {text}\n{proc.stdout[-3000:]}"


@pytest.mark.parametrize("block", python_blocks(), ids=lambda b: f"L{b.line}")
def test_python_block_runs(block: Block, workdir: Path):
    """Each Python block as a script of its own (the plugin example: its imports and definitions)."""
    script = workdir / f"readme_block_{block.line}.py"
    script.write_text(block.text)
    proc = subprocess.run([sys.executable, str(script)], cwd=workdir, env=_env(), text=True,
                          capture_output=True, timeout=TIMEOUT)
    assert proc.returncode == 0, f"README.md:{block.line}:\n{proc.stdout}\n{proc.stderr}"


def plugin_example(workdir: Path) -> Path:
    """The README's plugin example, written to the file its first line names."""
    block = next(b for b in python_blocks() if re.match(r"# (test_\w+\.py)\n", b.text))
    path = workdir / re.match(r"# (test_\w+\.py)\n", block.text).group(1)
    path.write_text(block.text)
    return path


@dataclass(frozen=True)
class Mutant:
    target: str
    row: str
    fixture: str       #: a conftest.py putting the README's `with` block around each test


def mutant_example() -> Mutant:
    """The README's mutant block, as an autouse fixture: its imports, then its `with`
    statement with the `...` body replaced by `yield`."""
    block = next(b for b in python_blocks() if "swap_row(" in b.text)
    tree = ast.parse(block.text)
    withs = [s for s in tree.body if isinstance(s, ast.With)]
    assert len(withs) == 1 and all(isinstance(s, (ast.Import, ast.ImportFrom)) for s in tree.body if s is not withs[0]), \
        f"README.md:{block.line}: expected imports and one `with ...: ...` block"
    with_ = withs[0]
    assert [type(s) for s in with_.body] == [ast.Expr] and with_.body[0].value.value is Ellipsis
    call = with_.items[0].context_expr
    target, row = (ast.literal_eval(a) for a in call.args[:2])
    lines = block.text.splitlines()
    body = with_.body[0]
    at = lines[body.lineno - 1]
    lines[body.lineno - 1] = at[:body.col_offset] + "yield" + at[body.end_col_offset:]
    statement = "\n".join(lines[with_.lineno - 1:with_.end_lineno])
    imports = [ast.get_source_segment(block.text, s) for s in tree.body if s is not with_]
    fixture = "\n".join(["import pytest", *imports, "", "", "@pytest.fixture(autouse=True)",
                         "def readme_mutant():", textwrap.indent(statement, "    "), ""])
    return Mutant(target, row, fixture)


def test_plugin_example_passes_on_every_target(workdir: Path):
    test_file = plugin_example(workdir)
    proc = run_pytest(["--hypothesis-profile", "ci", test_file.name], workdir)
    assert pytest_summary(proc.stdout) == {"passed": len(TARGETS)}, proc.stdout[-5000:]


def test_mutant_example_fails_the_plugin_example(workdir: Path):
    """The README's mutant, around the README's plugin example, on the mutant's target:
    the property fails, and the report names the mutated row at the sites lld wrote otherwise."""
    mutant = mutant_example()
    test_file = plugin_example(workdir)
    (workdir / "conftest.py").write_text(mutant.fixture)
    proc = run_pytest(["--hypothesis-profile", "ci", "--rig-targets", mutant.target, test_file.name], workdir)
    assert pytest_summary(proc.stdout) == {"failed": 1}, proc.stdout[-5000:]
    assert "PlacementMismatch" in proc.stdout and f" on {mutant.target} (" in proc.stdout, proc.stdout[-5000:]
    assert f"{mutant.row} at " in proc.stdout.split("sites where the rig and ld.lld differ:")[1], proc.stdout[-5000:]


def test_mutant_row_is_applied_by_the_plugin_example_and_only_with_dso_local():
    """The README: the example's globals are dso_local, so the mutated row is applied on
    its target; a default-visibility global goes through the GOT instead."""
    import rig
    mutant = mutant_example()
    block = next(b for b in python_blocks() if re.match(r"# (test_\w+\.py)\n", b.text))
    ir = ast.literal_eval(next(n.value for n in ast.parse(block.text).body
                               if isinstance(n, ast.Assign) and n.targets[0].id == "IR"))
    assert "dso_local global" in ir
    with rig.Jit(mutant.target, seed=0) as jit:
        applied = {r.type for r in jit.load(ir).trace}
        assert mutant.row in applied, applied
    with rig.Jit(mutant.target, seed=0) as jit:
        via_got = {r.type for r in jit.load(ir.replace("dso_local ", "")).trace}
    assert mutant.row not in via_got and "R_AARCH64_ADR_GOT_PAGE" in via_got, via_got

# ------------------------------------------------------------------------------- numbers


def readme_text() -> str:
    """The README's words, whitespace collapsed (a number and its noun may be on two lines)."""
    return " ".join(README.read_text().split())


def stated(pattern: str) -> Tuple[str, ...]:
    m = re.search(pattern, readme_text())
    assert m, f"README.md no longer says /{pattern}/: update this test with it"
    return m.groups()


def test_relocation_type_counts_are_the_tables():
    import targets
    (paragraph,) = stated(r"Relocation tables: (.*?)\. Branches")
    names = {"x86-64": ("x86_64",), "AArch64": ("aarch64",), "ARM/Thumb-2": ("arm", "thumb")}
    counts = dict(re.findall(r"(x86-64|AArch64|ARM/Thumb-2) \((\d+) types", paragraph))
    assert set(counts) == set(names), paragraph
    for name, n in counts.items():
        for t in names[name]:
            assert len(targets.get(t).relocations) == int(n), f"README: {name} has {n} types"
    # the types named after "incl." are in the tables (ADRP: the instruction of ADR_PREL_PG_HI21)
    for name, listed in re.findall(r"(x86-64|AArch64|ARM/Thumb-2) \(\d+ types incl\. (.*?)\)(?:,|$)", paragraph):
        rows = [h.name for t in names[name] for h in targets.get(t).relocations.values()]
        for item in listed.split(", "):
            for word in item.split()[0].split("/"):
                word = {"ADRP": "ADR_PREL_PG_HI21"}.get(word, word).rstrip("*")
                assert any("_" + word in r for r in rows), f"README: {name} includes {word}"


def test_whole_program_count_is_the_corpus():
    from rig.corpus import discover
    (n,) = stated(r"`corpus/programs/` holds (\d+) whole programs")
    found = discover(ROOT / "corpus" / "programs", whole=True)
    assert len(found) == int(n), f"README: {n} whole programs; corpus/programs has {len(found)}"


def test_placements_per_program_is_the_tests():
    from tests import test_programs
    (n,) = stated(r"Tests run each on all four targets at (\d+) placements")
    assert test_programs.PLACEMENTS == int(n)


def test_bug_count_and_budget_are_the_bug_injection_tests():
    from hypothesis import settings
    import rig.pytest_plugin  # noqa: F401  (registers the profiles)
    from tests import test_bug_injection
    n, targets_word = stated(r"does this for (\d+) bugs on the (\w+) targets")
    assert len(test_bug_injection.BUGS) == int(n)
    assert {"four": 4}[targets_word] == len({b.target for b in test_bug_injection.BUGS})
    (examples,) = stated(r"within the `ci` profile's (\d+) examples")
    assert settings.get_profile("ci").max_examples == int(examples)
    assert test_bug_injection.PROFILE.max_examples == int(examples)


def test_hypothesis_profiles_exist():
    from hypothesis import settings
    import rig.pytest_plugin  # noqa: F401
    (names,) = stated(r"Hypothesis profiles (`\w+`(?:, `\w+`)*)")
    for name in re.findall(r"`(\w+)`", names):
        settings.get_profile(name)


def test_lld_differential_placements():
    from tests import test_lld_differential
    (n,) = stated(r"`tests/test_lld_differential.py` draws (\d+) placements per target")
    assert test_lld_differential.PLACEMENTS == int(n)


def test_disagreement_status():
    from rig.cli import DISAGREE_STATUS
    (n,) = stated(r"\((\d+) and a report when they do not\)")
    assert DISAGREE_STATUS == int(n)
