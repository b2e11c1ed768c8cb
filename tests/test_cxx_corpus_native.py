"""An independent oracle for the C++ corpus (``corpus/cxx``).

Each top-level ``.cpp`` file there is a whole C++ program (``int main``) using libc++, libc++abi
and musl through their standard headers; its header states what running it gives, in the format
of ``corpus/libc`` (see tests/test_libc_corpus_native.py, whose parser, runner and checker this
file reuses) with one more line::

    // EXTRA: extra/shapes_impl.cpp        another translation unit of the same program (a module
                                           of its own for the rig), relative to the program's
                                           directory; several EXTRA lines, several modules

Extra translation units and the headers they share with their program live in
``corpus/cxx/extra`` (only top-level files are programs).  A program includes a shared header as
``#include "extra/x.hpp"`` and an extra unit as ``#include "x.hpp"``: each unit is compiled with
its own directory on the include path (as rig/toolchain.py compiles a source), from a copy
elsewhere, so nothing else is found.

The oracle: every unit is compiled by the ``ziglang`` package's ``zig c++`` as rig/toolchain.py
compiles C++ (``-std=c++20 -O2 -fno-stack-protector -fno-sanitize=all``; exceptions, RTTI and
unwind tables stay on: clang's defaults for C++; the target triples and CPU flags of the C corpus:
``x86_64-linux-musl``, ``arm-linux-musleabihf -mcpu=cortex_a15`` and, with ``-mthumb``, Thumb,
``aarch64-linux-musl``; ``-Werror=format`` on top, which changes no code), the objects are linked,
main's first and then the EXTRA units in header order, into one static executable against zig's
libc++, libc++abi, libunwind and musl, and it runs natively (x86-64) or under ``qemu-arm`` /
``qemu-aarch64`` exactly as the C corpus's programs do (argv, ``env -i``, stdin, separate and then
merged stdout/stderr, status 128 + signal, qemu's own signal line removed).

What the runs show (and the headers state): libc++abi's default terminate handler writes
``libc++abi: terminating due to uncaught exception of type <demangled type>`` (``: <what()>`` for a
std::exception) and a newline to stderr, then aborts (134), flushing nothing; an uncaught exception
unwinds nothing, one escaping a noexcept function unwinds the frames below that function only;
std::cout is synchronized with stdio (it writes into stdout's FILE buffer, in order with printf), and
std::cerr is tied to std::cout, so a cerr write first flushes stdout's buffer while fprintf(stderr)
and std::clog do not.  No program depends on musl's stdout being line buffered until its first
write finds it is not a terminal (a first line ending in a newline goes out at once): each flushes.

Nothing of the rig is used but rig/corpus.py's header parser, which ``test_parser_agrees_with_rig``
compares this parser with.  A missing zig or qemu-user fails with what to install; off an x86-64
Linux host the file is skipped.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import List, Tuple

import pytest

from .matrix import FULL
from .test_libc_corpus_native import (ALL_TARGETS, ROOT, TARGET_TOOLS, Spec, _edit, _zig, parse, problems,
                                      run)
from .test_libc_corpus_native import pytestmark  # noqa: F401  (x86-64 Linux only)

CXX = ROOT / "corpus" / "cxx"
#: how rig/toolchain.py compiles C++ (zig c++ adds exceptions, RTTI and unwind tables by default)
CXX_FLAGS = ["-std=c++20", "-O2", "-fno-stack-protector", "-fno-sanitize=all"]


def build(path: Path, text: str, spec: Spec, target: str, tmp: Path) -> Path:
    """A static executable of the program `path` (whose text is `text`) and its EXTRA units."""
    triple, flags, _ = TARGET_TOOLS[target]
    tmp.mkdir(parents=True, exist_ok=True)
    units = [(path.name, text, path.parent)]
    for rel in spec.extra:
        unit = path.parent / rel
        units.append((unit.name, unit.read_text(), unit.parent))
    objects = []
    for i, (name, source, directory) in enumerate(units):
        copy = tmp / f"unit{i}-{name}"
        copy.write_text(source)
        _zig(["c++", "-target", triple, *flags, *CXX_FLAGS, "-Werror=format", f"-I{directory}",
              "-c", "-o", f"unit{i}.o", copy.name], tmp)
        objects.append(f"unit{i}.o")
    exe = tmp / "program"
    _zig(["c++", "-target", triple, *flags, *CXX_FLAGS, "-static", "-o", str(exe), *objects], tmp)
    return exe


def check(path: Path, text: str, target: str, tmp: Path) -> Tuple[Spec, List[str]]:
    spec = parse(text, path.name, path.parent)
    exe = build(path, text, spec, target, tmp)
    return spec, problems(spec, run(exe, spec, target, path.parent, tmp))


# --------------------------------------------------------------------------
# tests

FILES = sorted(CXX.glob("*.cpp"))
SPECS = {p: parse(p.read_text(), p.name, p.parent) for p in FILES}
#: natively (x86_64) only, unless RIG_FULL=1 (tests/matrix.py): each other target first makes zig
#: build libc++, libc++abi and libunwind for it (about a minute each from a cold cache), and the
#: rig's own runs of the corpus (tests/userland/test_cxx_runtime.py) hold every target to the
#: same headers; run the whole oracle after changing a header or a program
CASES = [(p, t) for p in FILES for t in SPECS[p].targets if FULL or t == "x86_64"]


@pytest.mark.parametrize("path,target", CASES, ids=[f"{p.name}-{t}" for p, t in CASES])
def test_program(path, target, tmp_path):
    """Status, stdout, stderr and the order of the writes, as the header states them."""
    spec, found = check(path, path.read_text(), target, tmp_path)
    assert not found, f"{path.name} on {target} (zig c++ + libc++ + musl, run natively or by qemu-user):\n  " + \
        "\n  ".join(found)


def _units(p: Path) -> Tuple[str, str]:
    """The program's own text, and its EXTRA units' texts and the headers they include, joined."""
    units = [p.parent / e for e in SPECS[p].extra]
    headers = sorted({u.parent / h for u in units for h in re.findall(r'^#include "([^"]+)"', u.read_text(), re.M)})
    return p.read_text(), "\n".join(f.read_text() for f in units + headers)


#: what the corpus is for: (feature, does this program show it?) -- each matched by some program
FEATURES = {
    "throw and catch in one function, several types":
        lambda s, m, x: not s.extra and all(w in m for w in ("throw 42", "catch (int", "catch (const char *",
                                                              "catch (...)")),
    "throw in an EXTRA unit, caught in main's":
        lambda s, m, x: "throw " in x and "catch (" in m and "lib_" in m,
    "throw in main's unit, caught in an EXTRA unit":
        lambda s, m, x: "throw " in m and "catch (" in x,
    "throw through a function pointer":
        lambda s, m, x: re.search(r"\(\s*\*\s*\w*\s*\)\s*\(", m + x) is not None and "throw " in m,
    "throw through a callback passed into another module (no handler there)":
        lambda s, m, x: "callback" in m and "throw " in m and s.extra and "catch" not in x,
    "catch by a base class; std::exception subclasses; what()":
        lambda s, m, x: "public std::runtime_error" in m and "catch (const std::logic_error &" in m
        and ".what()" in m,
    "rethrow with throw;, std::exception_ptr":
        lambda s, m, x: all(w in m for w in ("throw;", "std::exception_ptr", "std::rethrow_exception",
                                             "std::current_exception", "std::make_exception_ptr")),
    "nested try blocks, catch (...)":
        lambda s, m, x: len(re.findall(r"\btry\b", m)) >= 4 and "catch (...)" in m and "nested" in s.description,
    "destructors run during unwinding, in reverse order":
        lambda s, m, x: "unwinding" in s.description and "~" in m,
    "exceptions thrown from constructors: the constructed parts destroyed":
        lambda s, m, x: "constructor" in s.description and "new " in m and "delete" in m,
    "noexcept: std::terminate, abort (134), libc++abi's message":
        lambda s, m, x: "noexcept" in m and s.status == 134
        and s.stderr.endswith(b"libc++abi: terminating due to uncaught exception of type int\n"),
    "an exception uncaught in main: std::terminate":
        lambda s, m, x: "noexcept" not in m and s.status == 134
        and b"libc++abi: terminating due to uncaught exception of type " in s.stderr,
    "std::set_terminate":
        lambda s, m, x: "std::set_terminate" in m and s.status not in (0, 134),
    "virtual dispatch through another module's vtables: pure virtual base, multiple inheritance":
        lambda s, m, x: "= 0;" in m + x and "virtual" in x and
        re.search(r"(class|struct) \w+ (final )?: public \w+, public \w+", m + x) is not None,
    "dynamic_cast and typeid across modules (std::bad_cast, name())":
        lambda s, m, x: s.extra and all(w in m for w in ("dynamic_cast<", "typeid(", ".name()", "std::bad_cast"))
        and "typeid(" in x,
    "static objects with constructors and destructors in several modules":
        lambda s, m, x: len(s.extra) >= 2 and "init_priority" in m + x and "static " in x,
    "thread_local objects of a class type and a thread_local counter":
        lambda s, m, x: re.search(r"thread_local [A-Z]\w* \w+", m) is not None and "thread_local int" in m,
    "std::string, std::vector, std::map, std::unique_ptr, std::shared_ptr":
        lambda s, m, x: all(w in m for w in ("std::string", "std::vector<", "std::map<", "std::unique_ptr<",
                                             "std::shared_ptr<", "std::weak_ptr<")),
    "std::sort with a lambda, std::function":
        lambda s, m, x: "std::sort(" in m and "std::function<" in m and "](" in m,
    "printf and std::cout in one program (their order)":
        lambda s, m, x: "std::printf(" in m and "std::cout <<" in m and "std::cerr <<" in m,
    "64-bit arithmetic and std::numeric_limits":
        lambda s, m, x: "std::numeric_limits<" in m and "int64_t" in m,
    "stdin, arguments and an environment":
        lambda s, m, x: bool(s.stdin or s.args or s.env),
}


def test_corpus_covers_the_brief():
    """At least 14 programs, each with main and a description, for the musl runtime, on every
    target; EXTRA units exist in extra/ and each belongs to some program; every feature the
    corpus is for is shown by some program."""
    assert len(FILES) >= 14
    used = set()
    for p, spec in SPECS.items():
        text = p.read_text()
        assert spec.status is not None and not spec.calls, p.name
        assert spec.description and spec.runtime == "musl", p.name
        assert set(spec.targets) == set(ALL_TARGETS), p.name
        assert re.search(r"^int main\((int argc, char \*\*argv)?\)", text, re.M), p.name
        for e in spec.extra:
            assert e.startswith("extra/") and (CXX / e).is_file(), (p.name, e)
            assert not re.search(r"^int main\(", (CXX / e).read_text(), re.M), e
            used.add(e)
    assert {f"extra/{u.name}" for u in (CXX / "extra").glob("*.cpp")} == used
    assert any(len(s.extra) >= 2 for s in SPECS.values())
    statuses = {s.status for s in SPECS.values()}
    assert {0, 134} <= statuses and len(statuses) >= 3
    missing = [f for f, shows in FEATURES.items() if not any(shows(SPECS[p], *_units(p)) for p in FILES)]
    assert not missing, missing


def test_parser_agrees_with_rig():
    """This parser reads what rig/corpus.py's parse_header reads from each program's header."""
    from rig import corpus as rig_corpus

    for p, spec in SPECS.items():
        r = rig_corpus.parse_header(p.read_text(), p)
        assert r.run is not None and not r.calls, p.name
        assert r.description == spec.description, p.name
        assert (r.run.args, r.run.env, r.run.status) == (spec.args, spec.env, spec.status), p.name
        assert r.run.output == tuple(spec.output), p.name
        assert r.targets == spec.targets and r.runtime == spec.runtime, p.name
        assert tuple(r.run.extra) == tuple(p.parent / e for e in spec.extra), p.name
        assert getattr(r.run, "stdin", spec.stdin) == spec.stdin, p.name


def test_header_errors():
    with pytest.raises(ValueError, match="EXTRA takes one file"):
        parse("// EXTRA: ../libc/x.c\n")
    with pytest.raises(ValueError, match="no file"):
        parse("// EXTRA: extra/absent.cpp\n", "x.cpp", CXX)
    assert parse("// EXTRA: extra/a.cpp\n// EXTRA: extra/b.cpp\n").extra == ("extra/a.cpp", "extra/b.cpp")


# -- the checker itself: a wrong statement fails

def test_checker_catches_a_wrong_stdout(tmp_path):
    """cross_module_throw.cpp with one character of one STDOUT line changed fails, natively and
    under qemu; unchanged, it passes."""
    path = CXX / "cross_module_throw.cpp"
    text = _edit(path.read_text(), '// STDOUT: "main caught lib::ParseError: ', '// STDOUT: "main caught lib::ParseError; ')
    # under qemu too with RIG_FULL=1 (each target's libc++ is a cold build of about a minute)
    for target in ("x86_64", "arm") if FULL else ("x86_64",):
        _, found = check(path, text, target, tmp_path / target)
        assert len(found) == 1 and found[0].startswith("stdout differs at byte"), (target, found)
    _, found = check(path, path.read_text(), "aarch64" if FULL else "x86_64", tmp_path / "unchanged")
    assert not found, found


def test_checker_catches_a_wrong_terminate_message(tmp_path):
    """noexcept_terminate.cpp stating another exception type in libc++abi's message, and status 1:
    two problems, on Thumb with RIG_FULL=1 (qemu's own signal line is not taken for the
    program's), natively otherwise."""
    path = CXX / "noexcept_terminate.cpp"
    text = _edit(path.read_text(), "// STATUS: 134", "// STATUS: 1")
    text = _edit(text, 'exception of type int\\n"', 'exception of type long\\n"')
    _, found = check(path, text, "thumb" if FULL else "x86_64", tmp_path)
    assert len(found) == 2 and found[0] == "exit status 134, STATUS states 1", found
    assert found[1].startswith("stderr differs") and "of type int" in found[1], found


def test_extra_units_are_separate_translation_units(tmp_path):
    """A program with its EXTRA lines removed does not link: its units are compiled one by one."""
    path = CXX / "cross_module_throw.cpp"
    text = "".join(ln for ln in path.read_text().splitlines(keepends=True) if not ln.startswith("// EXTRA:"))
    with pytest.raises(pytest.fail.Exception, match="undefined symbol"):
        check(path, text, "x86_64", tmp_path)
