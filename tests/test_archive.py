"""Static archives (`ar`), as a static linker treats them (lli's `-extra-archive`):
only the members a loaded module needs are loaded, transitively and in any order,
each at its own random placement; damage is a `BadObject` naming the place, and
leaves the `Jit` as it was."""
from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

import rig
import targets
from rig import archive, compile as C
from rig.archive import Archive

TARGETS = ("x86_64", "arm", "thumb", "aarch64")

# run(20) = twice(20) = helper(20) * 2 = (20 * scale + 1) * 2 = 122: prog needs twice.o, which
# needs helper.o, which needs data.o (a data symbol); the archive lists them in the reverse order.
PROG = """// SIG: run i32(i32)
// SIG: optional i32()
int twice(int);
__attribute__((weak)) int opt_fn(void);
int run(int x) { return twice(x); }
int optional(void) { return opt_fn ? opt_fn() : -1; }
"""
MEMBERS = {
    "data.o": "int scale = 3;\nint unrelated_data = 7;\n",
    "helper.o": "extern int scale;\nint helper(int x) { return x * scale + 1; }\n",
    "twice.o": "int helper(int);\nint twice(int x) { return helper(x) * 2; }\n",
    # loaded, it would fail the load: missing_everywhere is defined nowhere
    "unused.o": "int missing_everywhere(int);\nint unused_fn(int x) { return missing_everywhere(x); }\n",
    # a weak undefined reference (prog's opt_fn) pulls no member, as with a static linker
    "opt.o": "int opt_fn(void) { return 99; }\n",
}
ORDER = ("data.o", "helper.o", "twice.o", "unused.o", "opt.o")
PULLED = ["lib.a(data.o)", "lib.a(helper.o)", "lib.a(twice.o)"]     # what a member needs comes first


def obj(target: str, source: str, name: str, reloc: str = "static") -> bytes:
    return C.compile_source(source.encode(), targets.get(target), C.Options(reloc), name.replace(".o", ".c"))


def make_archive(members, *flags: str, env=None) -> bytes:
    """`zig ar FLAGS` over (name, bytes) members; the archive's bytes."""
    with tempfile.TemporaryDirectory(prefix="rig-ar-") as tmp:
        for name, data in members:
            (Path(tmp) / name).write_bytes(data)
        subprocess.run([sys.executable, "-m", "ziglang", "ar", *(flags or ("rcs",)), "out.a",
                        *[n for n, _ in members]], cwd=tmp, check=True, capture_output=True,
                       env=None if env is None else {**os.environ, **env})
        return (Path(tmp) / "out.a").read_bytes()


_built: dict = {}


def library(target: str, reloc: str = "static", *flags: str, order=ORDER) -> bytes:
    key = (target, reloc, flags, order)
    if key not in _built:
        _built[key] = make_archive([(n, obj(target, MEMBERS[n], n, reloc)) for n in order], *flags)
    return _built[key]


def loaded_prog(target: str, reloc: str = "static", seed=None, prog: str = PROG):
    jit = rig.Jit(target, seed=seed, reloc=reloc)
    return jit, jit.load(prog, name="prog.c", defer_undefined=True)


def state(jit: rig.Jit) -> tuple:
    """What a failed load must leave as it was (as tests/test_lifecycle.py checks it)."""
    regions = sorted(jit.process.uc.mem_regions())
    space = {owner if isinstance(owner, str) else id(owner): sorted(r) for owner, r in jit.space._ranges.items()}
    modules = [(m.name, m.layout.mapping(), id(m.image), m.defer, dict(m.pending)) for m in jit.modules]
    return regions, space, modules, repr(jit.symbols.snapshot())


# -- (a) only what is needed, (b) transitively, (c) right at random placements -------------------

@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("reloc", ["static", "pic"])
def test_only_needed_members_are_loaded_transitively_at_random_placements(target, reloc, tmp_path):
    lib = tmp_path / "lib.a"
    lib.write_bytes(library(target, reloc))
    texts = set()
    for seed in (1, 2, 3):
        jit, prog = loaded_prog(target, reloc, seed)
        assert set(prog.pending) == {"twice"}
        mods = jit.load_archive(lib)
        assert [m.name for m in mods] == PULLED                 # unused.o and opt.o never loaded
        assert jit.modules == [prog, *mods] and not jit.modules_pending()
        assert jit.resolve("unused_fn") is None and jit.resolve("opt_fn") is None
        assert jit.resolve("unrelated_data") is not None        # data.o came whole
        assert prog.call("run", 20) == 122 and prog.call("run", -4) == -22
        assert prog.call("optional") == -1
        texts.add(tuple(m.layout.mapping().get(".text") for m in mods))
        # each member has a placement of its own
        assert len({m.layout.mapping().get(".text", m.layout.mapping().get(".data")) for m in mods}) == 3
        # a second call finds nothing left to pull
        assert jit.load_archive(lib) == [] and len(jit.modules) == 4
        jit.close()
    assert len(texts) == 3                                       # the seeds placed them differently


@pytest.mark.parametrize("target", TARGETS)
def test_members_that_need_each_other_across_archives_are_one_group(target):
    """ping.o (in one archive) and pong.o (in the other) call each other: with either
    order of the archives both are pulled, as lld (and lli) search archives."""
    ping = make_archive([("ping.o", obj(target, "int pong(int);\nint ping(int n) { return n <= 0 ? 0 : "
                                                "1 + pong(n - 1); }\n", "ping.o"))])
    pong = make_archive([("pong.o", obj(target, "int ping(int);\nint pong(int n) { return n <= 0 ? 100 : "
                                                "2 + ping(n - 1); }\n", "pong.o"))])
    prog = "// SIG: go i32(i32)\nint ping(int);\nint go(int n) { return ping(n); }\n"
    for libs in ([ping, pong], [pong, ping]):
        jit = rig.Jit(target, seed=4)
        mods = jit.load_all([prog.encode()], name="go.c", archives=libs)
        assert [m.name for m in mods] == ["go.c", "<archive>(pong.o)", "<archive>(ping.o)"]
        assert mods[0].call("go", 5) == 107
        jit.close()
    # one archive alone leaves pong undefined: the load fails and names it
    jit = rig.Jit(target)
    with pytest.raises(rig.UndefinedSymbol, match="'pong'") as e:
        jit.load_all([prog.encode()], name="go.c", archives=[ping])
    assert e.value.symbol == "pong" and jit.modules == []


@pytest.mark.parametrize("target", TARGETS)
def test_a_later_load_pulls_more_by_calling_load_archive_again(target, tmp_path):
    """The archive is not remembered: what modules loaded later need comes with the next call."""
    lib = tmp_path / "lib.a"
    lib.write_bytes(library(target))
    jit = rig.Jit(target, seed=9)
    first = jit.load("// SIG: h i32(i32)\nint helper(int);\nint h(int x) { return helper(x); }\n",
                     name="h.c", defer_undefined=True)
    assert [m.name for m in jit.load_archive(lib)] == ["lib.a(data.o)", "lib.a(helper.o)"]
    assert first.call("h", 2) == 7
    second = jit.load(PROG, name="prog.c", defer_undefined=True)
    assert [m.name for m in jit.load_archive(lib)] == ["lib.a(twice.o)"]     # helper.o is there already
    assert second.call("run", 1) == 8


@pytest.mark.parametrize("target", TARGETS)
def test_host_functions_and_loaded_modules_come_before_the_archive(target):
    """A name a host function (the rig's C library) or a loaded module defines pulls nothing."""
    lib = make_archive([("strlen.o", obj(target, "__SIZE_TYPE__ strlen(const char *s) { return 1234; }\n",
                                         "strlen.o")),
                        ("twice.o", obj(target, MEMBERS["twice.o"], "twice.o")),
                        ("helper.o", obj(target, MEMBERS["helper.o"], "helper.o"))])
    jit = rig.Jit(target)
    prog = jit.load("// SIG: f i32(i32)\n__SIZE_TYPE__ strlen(const char *);\nint twice(int);\n"
                    "int f(int x) { return (int)strlen(\"abc\") + twice(x); }\n", name="f.c", defer_undefined=True)
    jit.load("int helper(int x) { return x + 10; }\n", name="helper.c")
    assert [m.name for m in jit.load_archive(lib)] == ["<archive>(twice.o)"]
    assert prog.call("f", 1) == 3 + 22


def test_pull_order_is_dependencies_first_for_deep_chains_and_cycles():
    """`pull_order` alone: a chain deeper than Python's recursion limit, a cycle,
    a name found in the second archive of a group, members pulled before."""
    def lib(name, defs):
        members = tuple(archive.Member(n, 8 + 100 * k, b"") for k, n in enumerate(defs))
        return Archive(name, "x86_64", members, {d: k for k, n in enumerate(defs) for d in defs[n]}, "members")

    depth = 3000
    chain = lib("chain.a", {f"m{k}.o": [f"f{k}"] for k in range(depth)})
    needs = {m: [f"f{k + 1}"] if k + 1 < depth else [] for k, m in enumerate(chain.members)}
    order = archive.pull_order([chain], ["f0", "f0"], lambda n: False, lambda a, m: needs[m], set())
    assert [m.name for _, m in order] == [f"m{k}.o" for k in reversed(range(depth))]

    one = lib("one.a", {"ping.o": ["ping"], "x.o": ["x"]})
    two = lib("two.a", {"pong.o": ["pong"], "y.o": ["y", "x"]})
    calls = {"ping.o": ["pong", "printf"], "pong.o": ["ping", "x"], "x.o": [], "y.o": []}
    pulled: set = set()
    order = archive.pull_order([one, two], ["ping"], lambda n: n == "printf", lambda a, m: calls[m.name], pulled)
    assert [(a.name, m.name) for a, m in order] == [("one.a", "x.o"), ("two.a", "pong.o"), ("one.a", "ping.o")]
    assert pulled == {(0, 8), (0, 108), (1, 8)}
    # pulled before: not again, and a name its member was to define is looked up further on
    assert archive.pull_order([one, two], ["ping", "x"], lambda n: False, lambda a, m: calls[m.name], pulled) \
        == [(two, two.members[1])]


# -- (d) undefined symbols ---------------------------------------------------------------------

@pytest.mark.parametrize("target", TARGETS)
def test_a_symbol_nobody_defines_is_undefined_symbol_naming_it(target, tmp_path):
    lib = tmp_path / "lib.a"
    lib.write_bytes(library(target))
    needy = "// SIG: uses i32(i32)\n" + PROG + "int nowhere(int);\nint uses(int x) { return nowhere(x) + twice(x); }\n"
    jit, prog = loaded_prog(target, prog=needy)
    before = state(jit)
    with pytest.raises(rig.UndefinedSymbol, match=r"'nowhere' \(referenced by .* in prog\.c\)") as e:
        jit.load_archive(lib)
    assert e.value.symbol == "nowhere"
    assert state(jit) == before                                  # nothing of the archive stayed
    # deferred, the members load; a call refuses to run until `nowhere` has a definition
    assert [m.name for m in jit.load_archive(lib, defer_undefined=True)] == PULLED
    with pytest.raises(rig.UndefinedSymbol, match="'nowhere'"):
        prog.call("run", 1)
    jit.load("int nowhere(int x) { return 1000 * x; }\n", name="nowhere.c")
    assert prog.call("run", 1) == 8 and prog.call("uses", 1) == 1008


@pytest.mark.parametrize("target", TARGETS)
def test_a_pulled_member_that_breaks_a_rule_leaves_the_jit_as_it_was(target, tmp_path):
    """A member pulled in whose strong definition duplicates a loaded module's: nothing stays."""
    lib = tmp_path / "lib.a"
    lib.write_bytes(make_archive([("twice.o", obj(target, MEMBERS["twice.o"] + "int run(int x) { return x; }\n",
                                                  "twice.o"))]))
    jit, prog = loaded_prog(target)
    jit.load("int helper(int x) { return x; }\n", name="helper.c")
    before = state(jit)
    with pytest.raises(rig.DuplicateSymbol, match="'run'"):
        jit.load_archive(lib)
    assert state(jit) == before
    assert [m.name for m in jit.load_archive(library(target))] == ["<archive>(twice.o)"]


# -- (e) damaged archives ----------------------------------------------------------------------

@functools.lru_cache(maxsize=None)
def _gnu_long_name_archive(target: str) -> bytes:
    return make_archive([("a_member_with_a_rather_long_name.o", obj(target, MEMBERS["twice.o"], "twice.o")),
                         ("helper.o", obj(target, MEMBERS["helper.o"], "helper.o")),
                         ("data.o", obj(target, MEMBERS["data.o"], "data.o"))])


def damaged(target: str, kind: str) -> tuple:
    """(archive bytes, regex the BadObject message must match)."""
    good = _gnu_long_name_archive(target)
    t = targets.get(target)
    members = archive.parse(good, t, "lib.a").members
    long_member = members[0]                     # its header names "/0": an offset into the // table
    helper = members[1]
    if kind == "magic":
        return b"!<arcx>\n" + good[8:], r"lib\.a: not an ar archive at offset 0x0"
    if kind == "thin":
        with tempfile.TemporaryDirectory() as tmp:
            (Path(tmp) / "helper.o").write_bytes(helper.data)
            subprocess.run([sys.executable, "-m", "ziglang", "ar", "--thin", "rcs", "t.a", "helper.o"], cwd=tmp,
                           check=True, capture_output=True)
            return (Path(tmp) / "t.a").read_bytes(), r"lib\.a: a thin archive"
    if kind == "truncated header":
        return good[:helper.offset + 30], rf"lib\.a: truncated member header at offset {helper.offset:#x}"
    if kind == "end marker":
        at = helper.offset + 58
        return good[:at] + b"XX" + good[at + 2:], rf"lib\.a: member header at offset {helper.offset:#x} .*damaged"
    if kind == "size field":
        at = helper.offset + 48
        return good[:at] + b"12ab      " + good[at + 10:], rf"offset {helper.offset:#x} .*bad size field '12ab'"
    if kind == "size past the end":
        last = members[-1]
        return good[:last.offset + 60 + 100], rf"member 'data\.o' at offset {last.offset:#x} is \d+ bytes, past the end"
    if kind == "long-name offset":
        at = long_member.offset
        assert good[at:at + 3] == b"/0 "
        return good[:at] + b"/9999".ljust(16) + good[at + 16:], \
            rf"member '/9999' at offset {at:#x}: long-name offset 9999 lies past the end of the // table"
    if kind == "not ELF":
        lib = make_archive([("helper.o", helper.data), ("notes.txt", b"just some text\n")], "rcS")
        return lib, r"lib\.a: member 'notes\.txt' at offset 0x[0-9a-f]+: not an ELF object"
    if kind == "other target":
        other = "aarch64" if target != "aarch64" else "x86_64"
        lib = make_archive([("helper.o", obj(other, MEMBERS["helper.o"], "helper.o"))])
        return lib, rf"lib\.a: member 'helper\.o' at offset 0x[0-9a-f]+: object is for EM_\w+ ELFCLASS\d+, " \
                    rf"not for target {target}"
    if kind == "index offset":
        # the / index's first entry points at a member header: make it point into the middle of one
        count = int.from_bytes(good[68:72], "big")
        assert count > 0 and good[8:10] == b"/ "
        return good[:72] + (helper.offset + 2).to_bytes(4, "big") + good[76:], \
            rf"symbol index \(/\) at offset 0x8: symbol '\w+' points at offset {helper.offset + 2:#x}"
    if kind in ("member section table", "member section table, no index"):
        # helper.o's section header table said to lie far beyond its end
        body = bytearray(helper.data)
        at = 0x28 if t.elf_class == 64 else 0x20
        body[at:at + (8 if t.elf_class == 64 else 4)] = (0x7FFF0000).to_bytes(8 if t.elf_class == 64 else 4,
                                                                               "little")
        members = [(long_member.name, long_member.data), ("helper.o", bytes(body)), ("data.o", members[2].data)]
        if kind == "member section table, no index":
            lib = make_archive(members, "rcS")       # no index: the index comes from the members ...
            return lib, r"lib\.a: member 'helper\.o' at offset 0x[0-9a-f]+: truncated: section header"
        # ... or, with the archive's own index, helper.o is found bad only when twice.o pulls it in
        idx = make_archive([(n, d if n != "helper.o" else helper.data) for n, d in members])
        patched = bytearray(idx)
        off = archive.parse(idx, t).members[1].offset + 60
        patched[off:off + len(body)] = body
        return bytes(patched), rf"lib\.a\(helper\.o\): .*\(member 'helper\.o' at offset 0x[0-9a-f]+ of archive lib\.a\)"
    raise AssertionError(kind)


KINDS = ("magic", "thin", "truncated header", "end marker", "size field", "size past the end", "long-name offset",
         "not ELF", "other target", "index offset", "member section table", "member section table, no index")


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("kind", KINDS)
def test_a_damaged_archive_is_bad_object_naming_the_place_and_changes_nothing(target, kind, tmp_path):
    data, message = damaged(target, kind)
    path = tmp_path / "lib.a"
    path.write_bytes(data)
    jit, prog = loaded_prog(target)
    before = state(jit)
    with pytest.raises(rig.BadObject, match=message):
        jit.load_archive(path)
    assert state(jit) == before
    # still usable: a good archive loads and the program runs
    assert [m.name for m in jit.load_archive(library(target))] == [n.replace("lib.a", "<archive>") for n in PULLED]
    assert prog.call("run", 20) == 122


def test_damage_inside_the_header_fields_is_never_a_raw_exception():
    """Every single-byte change in the archive's headers (and cuts at every length) gives
    an archive or a `BadObject`, never a Python exception."""
    t = targets.get("arm")
    good = _gnu_long_name_archive("arm")
    heads = [0] + [m.offset for m in archive.parse(good, t).members]
    for cut in range(0, 300):
        try:
            archive.parse(good[:cut], t, "cut.a")
        except rig.BadObject:
            pass
    for start in heads:
        for i in range(start, start + 68):
            for byte in (0, 0x2F, 0x39, 0xFF):
                data = good[:i] + bytes([byte]) + good[i + 1:]
                try:
                    archive.parse(data, t, "x.a")
                except rig.BadObject:
                    pass


# -- formats -----------------------------------------------------------------------------------

@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("flags, env, source", [(("rcs",), None, "gnu"), (("rcS",), None, "members"),
                                                (("rcs",), {"SYM64_THRESHOLD": "0"}, "gnu64"),
                                                (("--format=bsd", "rcs"), None, "members")],
                         ids=["gnu", "no-index", "sym64", "bsd"])
def test_every_archive_format_gives_the_same_index(target, flags, env, source):
    lib = make_archive([(n, obj(target, MEMBERS[n], n)) for n in ORDER] +
                       [("a_member_with_a_rather_long_name.o", obj(target, "int weak_one(void) __attribute__((weak));\n"
                                                                "int weak_one(void) { return 1; }\n", "w.o"))],
                       *flags, env=env)
    a = Archive.read(lib, targets.get(target), "lib.a")
    assert a.index_source == source
    assert [m.name for m in a.members] == [*ORDER, "a_member_with_a_rather_long_name.o"]
    assert dict(a.index) == {"scale": 0, "unrelated_data": 0, "helper": 1, "twice": 2, "unused_fn": 3, "opt_fn": 4,
                             "weak_one": 5}
    assert a.member_for("twice").name == "twice.o" and a.member_for("missing_everywhere") is None
    assert a.module_name(a.members[2]) == "lib.a(twice.o)"
    jit, prog = loaded_prog(target)
    assert [m.name for m in jit.load_archive(lib, name="libx.a")] == [n.replace("lib.a", "libx.a") for n in PULLED]
    assert prog.call("run", 20) == 122


def test_an_empty_archive_pulls_nothing():
    jit, prog = loaded_prog("x86_64")
    assert jit.load_archive(b"!<arch>\n", defer_undefined=True) == []
    assert list(prog.pending) == ["twice"]


# -- (g) parsed once ---------------------------------------------------------------------------

def test_an_archive_is_parsed_once(monkeypatch, tmp_path):
    calls = []
    real = archive.parse
    monkeypatch.setattr(archive, "parse", lambda *a, **k: calls.append(a[2]) or real(*a, **k))
    monkeypatch.setattr(archive, "_archives", archive.LRU(64))
    data = library("aarch64")
    (tmp_path / "lib.a").write_bytes(data)
    (tmp_path / "copy.a").write_bytes(data)
    for source in (tmp_path / "lib.a", tmp_path / "lib.a", str(tmp_path / "copy.a"), data):
        jit, prog = loaded_prog("aarch64")
        mods = jit.load_archive(source)
        assert prog.call("run", 20) == 122
        jit.close()
    assert calls == ["lib.a"]
    assert mods[0].name == "<archive>(data.o)"           # the same bytes, named as given this time
    # another target parses (and checks its members) once more
    with pytest.raises(rig.BadObject, match="not for target x86_64"):
        rig.Jit("x86_64").load_archive(data)
    assert calls == ["lib.a", "<archive>"]


# -- (f) rig run --extra-archive -----------------------------------------------------------------

MAIN = """// rig: main calls into a static library
// STATUS: 123
// STDOUT: "twice(20) = 122\\n"
int printf(const char *, ...);
int twice(int);
int main(void) {
    int v = twice(20);
    printf("twice(20) = %d\\n", v);
    return v + 1;
}
"""


@pytest.mark.parametrize("target", TARGETS)
def test_rig_run_extra_archive(target, tmp_path, capsys):
    from rig.cli import main
    (tmp_path / "main.c").write_text(MAIN)
    lib = tmp_path / f"lib_{target}.a"
    lib.write_bytes(library(target))
    status = main(["run", str(tmp_path / "main.c"), "--target", target, "--placements", "3",
                   "--extra-archive", str(lib), "--json"])
    report = json.loads(capsys.readouterr().out)
    assert status == 123 and report["ok"], report["trials"][0]["error"]
    assert report["archives"] == [str(lib)]
    assert all(list(t["layouts"]) == ["main.c", *[n.replace("lib.a", lib.name) for n in PULLED]]
               for t in report["trials"])
    assert {t["stdout"] for t in report["trials"]} == {"twice(20) = 122\n"}


def test_rig_run_extra_archive_runs_on_the_targets_its_members_fit(tmp_path, capsys):
    from rig.cli import main
    (tmp_path / "main.c").write_text(MAIN)
    lib = tmp_path / "lib_arm.a"
    lib.write_bytes(library("arm"))
    assert main(["run", str(tmp_path / "main.c"), "--placements", "2", "--extra-archive", str(lib)]) == 123
    captured = capsys.readouterr()
    assert captured.out == "twice(20) = 122\n"
    assert "rig: note: lib_arm.a is an EM_ARM ELFCLASS32 object: running on arm, thumb only" in captured.err


def test_rig_run_extra_archives_repeated_and_errors(tmp_path, capsys):
    from rig.cli import main
    (tmp_path / "main.c").write_text(MAIN)
    upper = tmp_path / "upper.a"
    upper.write_bytes(make_archive([("twice.o", obj("x86_64", MEMBERS["twice.o"], "twice.o"))]))
    lower = tmp_path / "lower.a"
    lower.write_bytes(make_archive([(n, obj("x86_64", MEMBERS[n], n)) for n in ("helper.o", "data.o")]))
    for order in ([lower, upper], [upper, lower]):
        args = [a for lib in order for a in ("--extra-archive", str(lib))]
        assert main(["run", str(tmp_path / "main.c"), "--target", "x86_64", "--placements", "1", "-q", *args]) == 123
        assert capsys.readouterr().out == "twice(20) = 122\n"
    # without the lower half: helper is undefined, and the message says so
    assert main(["run", str(tmp_path / "main.c"), "--target", "x86_64", "--placements", "1",
                 "--extra-archive", str(upper)]) == 2
    assert "'helper' (referenced by" in capsys.readouterr().err
    # a damaged archive: the place
    bad = tmp_path / "bad.a"
    bad.write_bytes(upper.read_bytes()[:200])
    assert main(["run", str(tmp_path / "main.c"), "--target", "x86_64", "--placements", "1",
                 "--extra-archive", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "rig: error: bad.a: member 'twice.o' at offset 0x" in err and "past the end of the archive" in err
    # no such file; and CALL-line programs take no archives
    assert main(["run", str(tmp_path / "main.c"), "--extra-archive", str(tmp_path / "none.a")]) == 2
    assert f"cannot read {tmp_path / 'none.a'}" in capsys.readouterr().err
    calls = tmp_path / "calls.c"
    calls.write_text("// SIG: f i32()\n// CALL: f() == 1\nint f(void) { return 1; }\n")
    assert main(["run", str(calls), "--extra-archive", str(upper)]) == 2
    assert "--extra-archive" in capsys.readouterr().err
