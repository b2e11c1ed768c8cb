"""Corpus programs: IR files whose header states what calling them must give.

Header (leading comment lines; ``;``, ``//``, ``#`` or ``@`` comments, so
IR, C and every target's assembly can carry one).  A file with CALL lines is
a set of function calls::

    ; rig: <one-line description>
    ; SIG: name i32(i32, f64)              (a signature, for C and assembly: no IR types)
    ; CALL: name(args) == expected        (or ~= : relative 1e-9)
    ; STDOUT: "..."                        (optional, right after a CALL: what it prints)
    ; RELOC: static pic                    (default both)
    ; CODE_MODEL: large                    (default small; a target without it uses its default)
    ; TARGETS: x86_64 aarch64              (default all four)
    ; NOLLD: <reason>                      (ld.lld cannot link it: left out of the lld differential)

CALL lines run in order in one loaded module, so state carries over.

A file with a STATUS line is a whole program: its `main` runs as a process's
would (see `rig.program`)::

    ; rig: <one-line description>
    ; ARGS: alpha "two words"              (argv[1..], shell words; argv[0] is the file name)
    ; ENV: HOME=/home/rig                   (the environment, shell words; empty when absent)
    ; STATUS: 3                             (the exit status a shell's $? shows: abort() is 134)
    ; STDOUT: "hello\n"                     (what it writes, in order: STDOUT and STDERR lines
    ; STDERR: "oops\n"                      interleave as the writes do; same-stream lines join)
    ; EXTRA: extra/other.ll                 (a module loaded after it, as lli -extra-module)
"""
from __future__ import annotations

import ast
import math
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from .errors import RigError

ALL_TARGETS = ("x86_64", "arm", "thumb", "aarch64")
_TARGET_NAMES = {"armv7": "arm", "thumbv7": "thumb"}


class CorpusError(RigError):
    """A corpus header is malformed (names file and line)."""


@dataclass(frozen=True)
class Call:
    """One stated call: function, arguments, expected value (and output)."""

    name: str
    args: Tuple[object, ...]
    op: str
    expected: object
    line: int
    stdout: Optional[str] = None

    def matches(self, value) -> bool:
        """True when `value` is what the header states."""
        if self.op == "~=":
            return isinstance(value, (int, float)) and math.isclose(value, self.expected, rel_tol=1e-9,
                                                                    abs_tol=1e-12)
        if isinstance(self.expected, float) and isinstance(value, float):
            return value == self.expected or (math.isnan(value) and math.isnan(self.expected))
        return value == self.expected

    def __str__(self) -> str:
        args = ", ".join(repr(a) for a in self.args)
        return f"{self.name}({args}) {self.op} {self.expected!r}"


class Streams:
    """stdout and stderr of something with an ordered `output` of (1 or 2, bytes) chunks."""

    output: Tuple[Tuple[int, bytes], ...]

    @property
    def stdout(self) -> bytes:
        """Everything written to stdout."""
        return b"".join(d for s, d in self.output if s == 1)

    @property
    def stderr(self) -> bytes:
        """Everything written to stderr."""
        return b"".join(d for s, d in self.output if s == 2)


@dataclass(frozen=True)
class Run(Streams):
    """What a whole program is run with and must give."""

    args: Tuple[str, ...] = ()
    env: Tuple[Tuple[str, str], ...] = ()
    status: int = 0
    output: Tuple[Tuple[int, bytes], ...] = ()        #: (1 or 2, bytes), in order, same-stream chunks joined
    extra: Tuple[Path, ...] = ()                      #: extra modules, loaded in order after the program
    stdin: bytes = b""                                #: STDIN lines (string literals), concatenated
    #: MOUNT lines: directories beside the program it reads at the same relative path (musl runtime)
    mounts: Tuple[str, ...] = ()


def join_output(chunks) -> Tuple[Tuple[int, bytes], ...]:
    """(stream, bytes) chunks with adjacent same-stream ones joined and empty ones dropped."""
    out: List[list] = []
    for stream, data in chunks:
        if not data:
            continue
        if out and out[-1][0] == stream:
            out[-1][1] += data
        else:
            out.append([stream, bytes(data)])
    return tuple((s, d) for s, d in out)


@dataclass(frozen=True)
class Program:
    """A corpus file and what its header states."""

    path: Path
    description: str
    calls: Tuple[Call, ...]
    relocs: Tuple[str, ...] = ("static", "pic")
    targets: Tuple[str, ...] = ALL_TARGETS
    source: bytes = field(default=b"", repr=False)
    signatures: Tuple[Tuple[str, str], ...] = ()     #: (function, signature) from SIG lines
    nolld: str = ""                                   #: why ld.lld cannot serve as its oracle, if it cannot
    run: Optional[Run] = None                         #: set for a whole program (a STATUS line)
    runtime: str = "host"                             #: the C runtime it needs (RUNTIME: host | musl)
    code_model: Optional[str] = None                  #: CODE_MODEL: the code model it is compiled for

    @property
    def name(self) -> str:
        """The file's name."""
        return self.path.name

    @property
    def mounts(self) -> Dict[str, str]:
        """Its header's MOUNT directories: guest path -> host directory, seen by the
        program at the same relative path (its cwd is /)."""
        mounts = self.run.mounts if self.run is not None else ()
        return {"/" + m: str((self.path.parent / m).resolve()) for m in mounts}


from .signature import header_lines
#: The C runtimes a program may ask for: the rig's Python host functions, or musl's libc.
RUNTIMES = ("host", "musl")
#: The code models a header may name (LLVM's); a target that lacks one compiles with its default.
CODE_MODELS = ("tiny", "small", "kernel", "medium", "large")
_CALL = re.compile(r"^([A-Za-z_.$][\w.$]*)\s*\((.*)\)\s*(==|~=)\s*(.+?)\s*$")


def _literal(text: str, what: str, where: str):
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError) as e:
        raise CorpusError(f"{where}: bad {what} {text!r}: {e}") from None


def parse_header(text: str, path: Path = Path("<program>")) -> Program:
    """The `Program` a header describes; `CorpusError` names the bad line."""
    description, calls, sigs, nolld = "", [], [], ""
    relocs, targets = ("static", "pic"), ALL_TARGETS
    args, env, status, output, extra, loose = (), (), None, [], [], None
    runtime = "host"
    code_model = None
    stdin, mounts = bytearray(), []
    for lineno, key, rest in header_lines(text):
        where = f"{path.name}:{lineno}"
        if key == "RIG":
            description = rest
        elif key == "CALL":
            m = _CALL.match(rest)
            if not m:
                raise CorpusError(f"{where}: expected 'name(args) == value', got {rest!r}")
            name, args, op, expected = m.groups()
            a = _literal(f"({args},)" if args.strip() else "()", "arguments", where)
            calls.append(Call(name, tuple(a), op, _literal(expected, "expected value", where), lineno))
        elif key in ("STDOUT", "STDERR") and not calls:
            text_ = _literal(rest, f"{key} string", where)
            if not isinstance(text_, str):
                raise CorpusError(f"{where}: {key} must be a string literal, got {rest!r}")
            output.append((1 if key == "STDOUT" else 2, text_.encode("utf-8", "surrogateescape")))
            loose = loose or where
        elif key == "STDOUT":
            out = _literal(rest, "STDOUT string", where)
            last = calls[-1]
            calls[-1] = Call(last.name, last.args, last.op, last.expected, last.line, out)
        elif key == "ARGS":
            args = tuple(_words(rest, where))
        elif key == "ENV":
            pairs = []
            for word in _words(rest, where):
                k, eq, v = word.partition("=")
                if not eq or not k:
                    raise CorpusError(f"{where}: ENV entries are NAME=value, got {word!r}")
                pairs.append((k, v))
            env = tuple(pairs)
        elif key == "STATUS":
            try:
                status = int(rest.split()[0], 0)
            except (ValueError, IndexError):
                raise CorpusError(f"{where}: STATUS must be a number 0..255, got {rest!r}") from None
            if not 0 <= status <= 255:
                raise CorpusError(f"{where}: STATUS must be 0..255 (an exit status as $? shows it), got {status}")
        elif key == "EXTRA":
            if not rest:
                raise CorpusError(f"{where}: EXTRA needs a path")
            extra.append(path.parent / rest)
        elif key == "SIG":
            fname, _, sig = rest.partition(" ")
            from .signature import parse as parse_signature
            try:
                parse_signature(sig.strip())
            except RigError as e:
                raise CorpusError(f"{where}: {e}") from None
            sigs.append((fname, sig.strip()))
        elif key == "STDIN":
            text_ = _literal(rest, "STDIN string", where)
            if not isinstance(text_, str):
                raise CorpusError(f"{where}: STDIN must be a string literal, got {rest!r}")
            stdin += text_.encode("utf-8", "surrogateescape")
        elif key == "MOUNT":
            rel = Path(rest)
            if not rest or rel.is_absolute() or ".." in rel.parts:
                raise CorpusError(f"{where}: MOUNT takes a directory beside the program (no '..', not absolute), "
                                  f"got {rest!r}")
            mounts.append(rest)
        elif key == "RUNTIME":
            if rest not in RUNTIMES:
                raise CorpusError(f"{where}: RUNTIME is one of {', '.join(RUNTIMES)}, got {rest!r}")
            runtime = rest
        elif key == "RELOC":
            relocs = tuple(rest.split())
        elif key == "CODE_MODEL":
            if rest not in CODE_MODELS:
                raise CorpusError(f"{where}: CODE_MODEL is one of {', '.join(CODE_MODELS)}, got {rest!r}")
            code_model = rest
        elif key == "NOLLD":
            nolld = rest or "unspecified"
        elif key == "TARGETS":
            targets = tuple(_TARGET_NAMES.get(t, t) for t in rest.split())
            unknown = [t for t in targets if t not in ALL_TARGETS]
            if unknown:
                raise CorpusError(f"{where}: unknown target(s) {', '.join(unknown)}")
    run = None
    if status is not None:
        if calls:
            raise CorpusError(f"{path.name}: a whole program (STATUS) has no CALL lines; it runs main")
        run = Run(args, env, status, join_output(output), tuple(extra), bytes(stdin), tuple(mounts))
    elif loose:
        raise CorpusError(f"{loose}: STDOUT/STDERR must follow a CALL, or the file needs a STATUS line")
    return Program(path, description, tuple(calls), relocs, targets, text.encode("utf-8", "surrogateescape"), tuple(sigs), nolld, run,
                   runtime, code_model)


def _words(text: str, where: str) -> List[str]:
    try:
        return shlex.split(text)
    except ValueError as e:
        raise CorpusError(f"{where}: {e}: {text!r}") from None


def load(path) -> Program:
    """Read and parse one corpus file."""
    path = Path(path)
    try:
        # LLVM takes any bytes in a comment: so does the header reader (kept as they are)
        text = path.read_bytes().decode("utf-8", "surrogateescape")
    except OSError as e:
        raise CorpusError(f"cannot read {path}: {e.strerror}") from None
    return parse_header(text, path)


SOURCE_SUFFIXES = (".ll", ".c", ".cpp", ".cc", ".cxx", ".s", ".S")


def discover(directory, recursive: bool = False, whole: bool = False,
             runtime: Optional[str] = "host") -> List[Program]:
    """The corpus files (.ll, .c, .s, .S) in `directory`, sorted by path: those
    with CALL lines, or with `whole` the whole programs (STATUS lines), that
    need `runtime` (None: any).  Extra modules (in a directory called `extra`)
    belong to their program and are neither."""
    paths = Path(directory).rglob("*") if recursive else Path(directory).glob("*")
    found = [load(p) for p in sorted(paths)
             if p.suffix in SOURCE_SUFFIXES and p.is_file() and "extra" not in p.relative_to(directory).parts[:-1]]
    return [p for p in found if (p.run is not None) == whole and runtime in (None, p.runtime)]
