"""Placement and module lifecycle: legal explicit placements load whatever
pages their items share, load/remap/unload are all-or-nothing, an unloaded
module can never run again, and bad addresses are errors that say what is wrong."""
from __future__ import annotations

from pathlib import Path

import pytest

import rig
from rig import corpus
from rig.layout import PAGE, align_up, page_down

ROOT = Path(__file__).resolve().parent.parent / "corpus"
TARGETS = ("x86_64", "arm", "thumb", "aarch64")
CRC = ROOT / "crc32.ll"
# crc32_update keeps a running CRC in .data: the other calls give the same result every time
CRC_CALLS = [c for c in corpus.parse_header(CRC.read_text(), CRC).calls if c.name != "crc32_update"]


def state(jit: rig.Jit) -> tuple:
    """Everything a failed operation must leave as it was: the mapped pages
    (with their bytes), the address space's owners, the modules, their
    layouts and images, the symbol table."""
    regions = sorted(jit.process.uc.mem_regions())
    contents = {}
    for m in jit.modules:
        for start, size, _ in m.layout.runs():
            contents[start] = jit.read(start, size)
    space = {owner if isinstance(owner, str) else id(owner): sorted(r) for owner, r in jit.space._ranges.items()}
    modules = [(m.name, m.layout.mapping(), id(m.image), m.defer, dict(m.pending)) for m in jit.modules]
    return regions, contents, space, modules, repr(jit.symbols.snapshot())


def crc_results(mod: rig.Module) -> list:
    return [mod.call(c.name, *c.args) for c in CRC_CALLS]


def expected_crc() -> list:
    return [c.expected for c in CRC_CALLS]


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("reloc", ["static", "pic"])
def test_an_item_on_a_page_it_shares_with_other_permissions_loads(target, reloc):
    """.rodata starts on .text's page (rx) and runs on into a page of its own (r):
    the shared page gets the union of permissions, the item its bytes on both."""
    jit = rig.Jit(target, reloc=reloc)
    mod = jit.load(CRC, placement={".text": 0x2000000, ".rodata": 0x2000f00})
    rodata = mod.layout.by_name(".rodata")
    assert page_down(rodata.address) == 0x2000000 and rodata.end > 0x2001000      # it straddles
    perms = dict((start, p) for start, _, p in mod.layout.runs())
    assert perms[0x2000000] == "rx" and perms[0x2001000] == "r"
    assert crc_results(mod) == expected_crc()
    # the bytes on both pages are the section's own (after relocation)
    sec = mod.object.section_named(".rodata")
    assert jit.read(rodata.address, sec.size) == bytes(mod.image.sections[sec.index][:sec.size])


@pytest.mark.parametrize("target", TARGETS)
def test_data_sharing_a_page_with_code_is_written_and_read(target):
    """A writable section on the code's page: the page is rwx, and the program's
    writes land (counter.ll keeps its counters in .bss)."""
    jit = rig.Jit(target, reloc="static")
    probe = jit.load(ROOT / "counter.ll")
    text, data = probe.layout.by_name(".text"), probe.layout.by_name(".bss")
    jit.unload(probe)
    base = 0x3000000
    data_at = align_up(base + text.item.size, data.item.align)
    assert page_down(data_at) == base
    mod = jit.load(ROOT / "counter.ll", placement={".text": base, ".bss": data_at})
    assert dict((start, p) for start, _, p in mod.layout.runs())[base] == "rwx"
    prog = corpus.parse_header((ROOT / "counter.ll").read_text(), ROOT / "counter.ll")
    assert [mod.call(c.name, *c.args) for c in prog.calls] == [c.expected for c in prog.calls]


# -- remap and load are all-or-nothing ------------------------------------------------

def _failing_map(jit, monkeypatch):
    """Make the next mapping fail as a real one can (a page Unicorn refuses)."""
    real = jit.process.map_runs
    calls = {"n": 0}

    def fail_once(runs, contents=()):
        calls["n"] += 1
        if calls["n"] == 1:
            raise rig.EmulationFault("cannot map 1 page runs: injected", kind="unmapped")
        return real(runs, contents)
    monkeypatch.setattr(jit.process, "map_runs", fail_once)


@pytest.mark.parametrize("target", TARGETS)
def test_a_failed_remap_leaves_everything_as_it_was(target, monkeypatch):
    jit = rig.Jit(target, seed=3, reloc="pic")
    mod = jit.load(CRC)
    other = jit.load(ROOT / "fnv1a.ll")
    before = state(jit)
    text = mod.layout.by_name(".text")
    failures = {
        "overlap": lambda: jit.remap(mod, ".text", other.layout.by_name(".text").address),
        "misaligned": lambda: jit.remap(mod, ".text", 0x5000001),
        "outside the space": lambda: jit.remap(mod, ".text", jit.space.hi + PAGE),
        "not an integer": lambda: jit.remap(mod, ".text", "0x5000000"),
        "no such section": lambda: jit.remap(mod, ".nope", 0x5000000),
        "pc-relative reach": lambda: jit.remap(mod, ".rodata", (text.address + (1 << 33)) % jit.space.hi
                                               if jit.target.pointer_size == 8 else
                                               (text.address + (1 << 31)) & ~0xfff),
    }
    for what, fail in failures.items():
        before = state(jit)            # calls write memory (crc32 fills its table on first use)
        with pytest.raises(rig.RigError):
            fail()
        assert state(jit) == before, what
        assert crc_results(mod) == expected_crc(), what
    # a failure while the new pages are mapped: the old pages come back with their bytes
    before = state(jit)
    _failing_map(jit, monkeypatch)
    near = jit.space.find_free(text.item.size + PAGE, text.address)     # in reach of the rest
    with pytest.raises(rig.EmulationFault, match="injected"):
        jit.remap(mod, ".text", near)
    assert state(jit) == before
    assert crc_results(mod) == expected_crc()
    # and a later remap works
    jit.remap(mod, ".text", near)
    assert mod.layout.by_name(".text").address == near
    assert crc_results(mod) == expected_crc()


@pytest.mark.parametrize("target", TARGETS)
def test_a_failed_remap_of_a_module_others_use_leaves_them_as_they_were(target, monkeypatch):
    """Another module calls into the one that moves: its relink is undone too."""
    jit = rig.Jit(target, seed=4)
    lib = jit.load("define i32 @twice(i32 %x) { %r = mul i32 %x, 2\n ret i32 %r }", name="lib.ll")
    user = jit.load("declare i32 @twice(i32)\ndefine i32 @quad(i32 %x) { %a = call i32 @twice(i32 %x)\n"
                    " %b = call i32 @twice(i32 %a)\n ret i32 %b }", name="user.ll")
    assert user.call("quad", 5) == 20
    before = state(jit)
    real = jit._rewrite

    def rewrite_then_fail(relinks, undo):
        real(relinks, undo)
        if relinks:
            raise rig.EmulationFault("injected after the relink", kind="unmapped")
    monkeypatch.setattr(jit, "_rewrite", rewrite_then_fail)
    with pytest.raises(rig.EmulationFault, match="injected"):
        jit.remap(lib, ".text", jit.space.find_free(2 * PAGE, lib.layout.by_name(".text").address))
    assert state(jit) == before
    assert user.call("quad", 5) == 20 and lib.call("twice", 4) == 8


@pytest.mark.parametrize("target", TARGETS)
def test_a_failed_load_leaves_everything_as_it_was(target, monkeypatch):
    jit = rig.Jit(target, seed=5)
    mod = jit.load(CRC)
    weak = jit.load("define weak i32 @pick() { ret i32 1 }\ndefine i32 @use() { %r = call i32 @pick()\n"
                    " ret i32 %r }", name="weak.ll")
    before = state(jit)
    used = mod.layout.by_name(".text").address
    failures = {
        "compile error": lambda: jit.load("define i32 @f( {", name="bad.ll"),
        "duplicate symbol": lambda: jit.load(CRC, name="again.ll"),
        "undefined symbol": lambda: jit.load("declare i32 @nowhere()\ndefine i32 @g() { %r = call i32 "
                                             "@nowhere()\n ret i32 %r }", name="undef.ll"),
        "overlap": lambda: jit.load(ROOT / "fnv1a.ll", placement={".text": used}),
        "not an integer": lambda: jit.load(ROOT / "fnv1a.ll", placement={".text": 1.5}),
        "None": lambda: jit.load(ROOT / "fnv1a.ll", placement={".text": None}),
        "outside": lambda: jit.load(ROOT / "fnv1a.ll", placement={".text": -PAGE}),
        "load_all, one undefined": lambda: jit.load_all([
            "define i32 @pick() { ret i32 2 }",          # overrides weak.ll's @pick: relinks it
            "declare i32 @missing()\ndefine i32 @h() { %r = call i32 @missing()\n ret i32 %r }"]),
    }
    for what, fail in failures.items():
        before = state(jit)            # calls write memory (crc32 fills its table on first use)
        with pytest.raises(rig.RigError):
            fail()
        assert state(jit) == before, what
        assert crc_results(mod) == expected_crc() and weak.call("use") == 1, what
    before = state(jit)
    _failing_map(jit, monkeypatch)
    with pytest.raises(rig.EmulationFault, match="injected"):
        jit.load(ROOT / "fnv1a.ll")
    assert state(jit) == before
    # a strong definition that relinks weak.ll, then a failure: weak.ll is put back
    real = jit._rewrite

    def rewrite_then_fail(relinks, undo):
        real(relinks, undo)
        raise rig.EmulationFault("injected after the relink", kind="unmapped")
    monkeypatch.setattr(jit, "_rewrite", rewrite_then_fail)
    with pytest.raises(rig.EmulationFault, match="injected"):
        jit.load("define i32 @pick() { ret i32 2 }", name="strong.ll")
    assert state(jit) == before and weak.call("use") == 1
    monkeypatch.undo()
    strong = jit.load("define i32 @pick() { ret i32 2 }", name="strong.ll")
    assert weak.call("use") == 2
    jit.unload(strong)
    assert weak.call("use") == 1


# -- unload invalidates -----------------------------------------------------------------

@pytest.mark.parametrize("target", TARGETS)
def test_an_unloaded_module_can_never_run(target):
    jit = rig.Jit(target, seed=6)
    mod = jit.load(CRC)
    f = mod.function("crc32_check")
    assert f() == CRC_CALLS[0].expected
    mapping = mod.layout.mapping()
    jit.unload(mod)
    # another program at the same addresses
    again = jit.load(ROOT / "fnv1a.ll", placement={".text": mapping[".text"]})
    for use in (f, lambda: mod.call("crc32_check"), lambda: mod.address("crc32_check"),
                lambda: mod.function("crc32_check"), lambda: f.invoke()):
        with pytest.raises(rig.ModuleUnloaded, match="crc32.ll"):
            use()
    with pytest.raises(rig.ModuleUnloaded, match="crc32.ll"):
        jit.remap(mod, ".text", 0x9000000)
    with pytest.raises(rig.ModuleUnloaded, match="crc32.ll"):
        jit.unload(mod)
    assert "unloaded" in repr(mod)
    first = corpus.parse_header((ROOT / "fnv1a.ll").read_text()).calls[0]
    assert again.call(first.name, *first.args) == first.expected


@pytest.mark.parametrize("target", TARGETS)
def test_unload_all_leaves_an_empty_jit(target):
    """`unload_all` (what `rig run` does between placements) ends as unloading each
    module would: none can run, their pages and names are free, the next load works."""
    jit = rig.Jit(target, seed=8)
    crc = jit.load(CRC)
    lib = jit.load("define i32 @seven() { ret i32 7 }", name="lib.ll")
    user = jit.load("declare i32 @seven()\ndefine i32 @eight() { %s = call i32 @seven()\n %r = add i32 %s, 1\n"
                    " ret i32 %r }", name="user.ll")
    assert user.call("eight") == 8
    text = crc.layout.mapping()[".text"]
    jit.unload_all()
    assert jit.modules == [] and jit.resolve("seven") is None
    for mod in (crc, lib, user):
        with pytest.raises(rig.ModuleUnloaded):
            mod.call("eight" if mod is user else "seven" if mod is lib else "crc32_check")
    again = jit.load(CRC, placement={".text": text})          # the same addresses are free again
    assert again.call("crc32_check") == CRC_CALLS[0].expected
    assert jit.load("define i32 @seven() { ret i32 77 }", name="lib.ll").call("seven") == 77


@pytest.mark.parametrize("target", TARGETS)
def test_a_stale_code_pointer_faults_naming_the_unloaded_module(target):
    """A function pointer kept by a module outlives the module it points into:
    the fault says whose code it was."""
    jit = rig.Jit(target, seed=7)
    lib = jit.load("define i32 @seven() { ret i32 7 }", name="lib.ll")
    keep = jit.load("@fp = global ptr null\ndefine void @set(ptr %f) { store ptr %f, ptr @fp\n ret void }\n"
                    "define i32 @call() { %f = load ptr, ptr @fp\n %r = call i32 %f()\n ret i32 %r }",
                    name="keeper.ll")
    addr = lib.address("seven") | int(lib._lookup("seven")[1])
    keep.call("set", addr)
    assert keep.call("call") == 7
    jit.unload(lib)
    with pytest.raises(rig.EmulationFault, match="lib.ll, a module unloaded"):
        keep.call("call")


# -- addresses are checked at the API boundary -----------------------------------------------

@pytest.mark.parametrize("target", TARGETS)
def test_placement_values_are_validated(target):
    jit = rig.Jit(target, seed=8)
    before = state(jit)
    cases = {
        1.0: "is not an address", "0x4000000": "is not an address", None: "is not an address",
        True: "is not an address", -PAGE: "outside the address space",
        jit.space.hi: "outside the address space", 1 << 64: "outside the address space",
        0x4000001: "not aligned",
    }
    if jit.target.pointer_size == 4:
        cases[1 << 32] = "outside the address space"
    for value, message in cases.items():
        with pytest.raises(rig.PlacementError, match=message):
            jit.load(CRC, placement={".text": value})
        assert state(jit) == before, value
    # no temporary reservation was left behind: loads and remaps go on working
    mod = jit.load(CRC, placement={".text": 0x4000000})
    assert crc_results(mod) == expected_crc()
    jit.remap(mod, ".text", 0x4100000)
    assert crc_results(mod) == expected_crc()


# -- messages say what happened ---------------------------------------------------------------

@pytest.mark.parametrize("target", TARGETS)
def test_an_error_names_the_file_actually_loaded(tmp_path, target):
    """Parsed objects are cached by content; the name is the file's own."""
    src = "declare i32 @absent()\ndefine i32 @f() { %r = call i32 @absent()\n ret i32 %r }\n"
    (tmp_path / "first.ll").write_text(src)
    (tmp_path / "second.ll").write_text(src)
    jit = rig.Jit(target)
    with pytest.raises(rig.UndefinedSymbol, match="first.ll"):
        jit.load(tmp_path / "first.ll")
    with pytest.raises(rig.UndefinedSymbol, match="second.ll") as e:
        jit.load(tmp_path / "second.ll")
    assert "first.ll" not in str(e.value)


def test_an_overflow_through_a_stub_says_so(tmp_path):
    """A Thumb B<cond>.W (THM_JUMP19, +-1 MiB) to a far function goes through a
    stub after its section; with 1.1 MiB of code between, the stub is out of
    reach too, and the message says the distance is the stub's."""
    src = tmp_path / "jump19.s"
    src.write_text("""
    .syntax unified
    .thumb
    .section .text.near,"ax",%progbits
    .globl near
    .type near,%function
    .thumb_func
near:
    beq.w far
    .space 0x118000
    .section .text.far,"ax",%progbits
    .globl far
    .type far,%function
    .thumb_func
far:
    bx lr
""")
    jit = rig.Jit("thumb", seed=1)
    with pytest.raises(rig.RelocationOverflow, match=r"R_ARM_THM_JUMP19 .* through its stub at 0x20118004 \(the distance to the stub\)"):
        jit.load(src, placement={".text.near": 0x20000000, ".text.far": 0x28000000})


@pytest.mark.parametrize("target", TARGETS)
def test_c_signature_lines_are_read_by_jit_load(target):
    """`// SIG:` lines of a .c source give `mod.call` its types, as for `rig run`."""
    path = ROOT / "c" / "div64.c"
    prog = corpus.parse_header(path.read_text(), path)
    jit = rig.Jit(target, seed=2)
    mod = jit.load(path)
    for c in prog.calls:
        if c.op == "==":
            assert mod.call(c.name, *c.args) == c.expected
    assert mod.signatures and set(mod.signatures) == {n for n, _ in prog.signatures}
