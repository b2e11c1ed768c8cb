"""Thread-local storage: the static TLS block, every TLS relocation row, and ld.lld.

* C (`__thread`) and IR (`thread_local`) on x86-64, ARM, Thumb and AArch64, static and PIC,
  at several random placements: the values, their persistence across calls, pointers to
  them, two modules (offsets that do not collide, one reading the other's variable), a fresh
  `Jit` starting from the initial image again;
* the block's layout, formula by formula (lld's `getTlsTpOffset` for the PT_TLS `jit.tls` reports);
* per target, the corpus assembly that uses every TLS type the table has (corpus/asm/tls_*.s,
  whose values tests/test_corpus_native.py also checks against musl's own TLS), run and
  compared with ld.lld (which relaxes the dynamic models to local-exec on x86-64 and AArch64:
  those sites are compared through the TP offset they stand for);
* what is refused: an unsupported TLS type, a section aligned past the block, a block too small.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Dict

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import rig
import targets
from rig import compile as C
from rig import corpus, lld, objfile, runner
from rig import layout as L
from rig import link as K
from rig.cli import main as rig_main
from rig.errors import PlacementError, UnsupportedRelocation
from rig.strategies import placements
from targets.base import TLS_EXPRS, Expr

TARGETS = ("x86_64", "arm", "thumb", "aarch64")
CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "asm"
RELOCS = ("static", "pic")
SEEDS = (1, 2, 3)

COUNTER = r"""
__thread int counter = 5;
__thread int zeroed;
int bump(void) { return ++counter + zeroed++; }
int *addr(void) { return &counter; }
int *zaddr(void) { return &zeroed; }
"""
SIGS = {"bump": "i32()", "addr": "ptr()", "zaddr": "ptr()"}


def tls_types(target: str) -> set:
    """The target's thread-local relocation types (the markers included)."""
    return {h.name for h in targets.get(target).relocations.values() if h.expr in TLS_EXPRS or "_TLS" in h.name}


def load(jit: rig.Jit, text: str, name: str, **kw) -> rig.Module:
    return jit.load(text, name=name, **kw)


def call(mod, name: str, *args, sig: str = None):
    return mod.call(name, *args, signature=sig or SIGS[name])


def compare(jit: rig.Jit, mod, text: str, name: str) -> lld.Comparison:
    obj = C.compile_source(text, jit.target, mod.options, name)
    cmp = lld.compare(obj, mod.object, mod.layout, mod.image, jit.target, jit.resolve)
    assert not cmp.differences, [str(d) for d in cmp.differences]
    return cmp


# ---------------------------------------------------------------------------- C, every target and model

@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("reloc", RELOCS)
@pytest.mark.parametrize("target", TARGETS)
def test_counter_from_c(target, reloc, seed):
    with rig.Jit(target, seed=seed, reloc=reloc) as jit:
        mod = load(jit, COUNTER, "counter.c")
        assert [call(mod, "bump") for _ in range(3)] == [6, 8, 10]      # persists across calls
        p, z = call(mod, "addr"), call(mod, "zaddr")
        assert int.from_bytes(jit.read(p, 4), "little") == 8
        assert int.from_bytes(jit.read(z, 4), "little") == 3
        jit.write(p, (100).to_bytes(4, "little"))                        # the code sees the same storage
        assert call(mod, "bump") == 101 + 3
        # the address the code computes is the block's copy of the symbol
        assert p == jit.tls.live(mod.address("counter"))
        models = {r.type for r in mod.trace} & tls_types(target)
        assert models
        tprel = {n for n in models if _expr(target, n) is Expr.TPREL}
        if reloc == "static":
            assert tprel                       # local-exec for what the object defines
        else:
            assert models - tprel              # general-dynamic or TLS descriptors
        compare(jit, mod, COUNTER, "counter.c")


IR = r"""
@counter = thread_local global i32 5
@zeroed = internal thread_local global i32 0
@wide = dso_local thread_local global i64 7

declare ptr @llvm.threadlocal.address.p0(ptr)

define i32 @bump() {
  %c = call ptr @llvm.threadlocal.address.p0(ptr @counter)
  %z = call ptr @llvm.threadlocal.address.p0(ptr @zeroed)
  %a = load i32, ptr %c
  %a1 = add i32 %a, 1
  store i32 %a1, ptr %c
  %b = load i32, ptr %z
  %b1 = add i32 %b, 1
  store i32 %b1, ptr %z
  %r = add i32 %a1, %b
  ret i32 %r
}

define i64 @widen(i64 %x) {
  %w = call ptr @llvm.threadlocal.address.p0(ptr @wide)
  %v = load i64, ptr %w
  %s = add i64 %v, %x
  store i64 %s, ptr %w
  ret i64 %s
}
"""


@pytest.mark.parametrize("reloc", RELOCS)
@pytest.mark.parametrize("target", TARGETS)
def test_ir_thread_local_globals(target, reloc):
    for seed in SEEDS[:2]:
        with rig.Jit(target, seed=seed, reloc=reloc) as jit:
            mod = jit.load(IR, name="tls.ll")
            assert [mod.call("bump") for _ in range(3)] == [6, 8, 10]
            assert mod.call("widen", 3) == 10 and mod.call("widen", 5) == 15
            assert {r.type for r in mod.trace} & tls_types(target)
            compare(jit, mod, IR, "tls.ll")


# ---------------------------------------------------------------------------- two modules

A = r"""
__thread int a = 1;
__thread char pad_a[3] = {9, 9, 9};
int geta(void) { return a; }
int *pa(void) { return &a; }
"""
B = r"""
__thread long b = 2;
extern __thread int a;
int sum(void) { return a + b; }
int seta(int v) { a = v; return ++b; }
"""


@pytest.mark.parametrize("reloc", RELOCS)
@pytest.mark.parametrize("target", TARGETS)
def test_two_modules(target, reloc):
    with rig.Jit(target, seed=5, reloc=reloc) as jit:
        ma = jit.load(A, name="a.c")
        mb = jit.load(B, name="b.c")
        # their parts of the image do not overlap
        spans = []
        for m in (ma, mb):
            for sec, address in m.layout.tls.sections.items():
                spans.append((address, address + m.object.section(sec).size))
        spans.sort()
        assert all(x[1] <= y[0] for x, y in zip(spans, spans[1:]))
        assert mb.call("sum", signature="i32()") == 3
        assert mb.call("seta", 40, signature="i32(i32)") == 3
        assert ma.call("geta", signature="i32()") == 40         # the same variable, set by the other module
        assert int.from_bytes(jit.read(ma.call("pa", signature="ptr()"), 4), "little") == 40
        assert mb.call("sum", signature="i32()") == 43
        compare(jit, mb, B, "b.c")                               # a, another module's, defined for lld too


@pytest.mark.parametrize("target", ["x86_64", "aarch64"])
def test_a_module_loaded_before_the_tls_it_uses(target):
    """load_all: B (extern __thread a) links before A defines a; relinked once A is there."""
    with rig.Jit(target, seed=8, reloc="static") as jit:
        mb, ma = jit.load_all([_named(B, "b.c"), _named(A, "a.c")])
        assert mb.call("seta", 12, signature="i32(i32)") == 3
        assert ma.call("geta", signature="i32()") == 12


def _named(text: str, name: str):
    """A C source as a path (load_all takes one name for all)."""
    import tempfile
    from pathlib import Path
    d = Path(tempfile.mkdtemp(prefix="rig-tls-"))
    (d / name).write_text(text)
    return d / name


# ---------------------------------------------------------------------------- lifecycle

@pytest.mark.parametrize("target", TARGETS)
def test_fresh_jit_unload_and_remap(target):
    with rig.Jit(target, seed=2) as jit:
        mod = load(jit, COUNTER, "counter.c")
        assert [call(mod, "bump") for _ in range(2)] == [6, 8]
        assert (5).to_bytes(4, "little") in jit.tls.image               # the initial image, untouched
        # a remap relinks: the thread's values stay
        text = mod.layout.by_name(".text")
        jit.remap(mod, ".text", jit.space.find_free(text.item.size + 0x1000, text.address + 0x100000))
        assert call(mod, "bump") == 10
        # unloaded and loaded again: its part of the image starts from the initial values
        before = mod.layout.tls.sections
        jit.unload(mod)
        again = load(jit, COUNTER, "counter.c")
        assert sorted(again.layout.tls.sections.values()) == sorted(before.values())
        assert call(again, "bump") == 6
    with rig.Jit(target, seed=3) as fresh:                       # the initial image, again
        assert call(load(fresh, COUNTER, "counter.c"), "bump") == 6


@pytest.mark.parametrize("target", TARGETS)
def test_tp_offsets_do_not_depend_on_placement(target):
    seen, layouts = set(), set()
    for seed in SEEDS:
        with rig.Jit(target, seed=seed) as jit:
            mod = load(jit, COUNTER, "counter.c")
            layouts.add(tuple(sorted(mod.layout.mapping().items())))
            seen.add(tuple((r.type, r.symbol, r.value) for r in mod.trace if _expr(target, r.type) is Expr.TPREL))
    assert len(layouts) == len(SEEDS) and len(seen) == 1 and next(iter(seen))


def _expr(target: str, name: str) -> Expr:
    return next(h.expr for h in targets.get(target).relocations.values() if h.name == name)


@pytest.mark.parametrize("target", ["x86_64", "arm"])
def test_a_failed_load_leaves_the_block_as_it_was(target):
    with rig.Jit(target, seed=4) as jit:
        with pytest.raises(rig.UndefinedSymbol):
            load(jit, "extern __thread int nowhere; __thread int x = 1; int f(void) { return x + nowhere; }",
                 "bad.c")
        assert jit.tls.area is None and not jit.tls._regions
        assert jit.process.read_register(jit.target.tls.register) == 0
        mod = load(jit, COUNTER, "counter.c")
        assert min(mod.layout.tls.sections.values()) == jit.tls.address       # offset 0: nothing leaked
        assert call(mod, "bump") == 6


@pytest.mark.parametrize("target", TARGETS)
def test_the_block_avoids_the_first_tls_module_s_placement(target):
    """The block is made while the first module with TLS loads, after that module is placed: a
    packed placement takes the lowest free pages, which the block must leave to it."""
    with rig.Jit(target, placement="packed") as jit:
        mod = load(jit, COUNTER, "counter.c")
        assert call(mod, "bump") == 6
        assert all(not (jit.tls.area[0] < p.end and p.address < jit.tls.area[1]) for p in mod.layout.placements)


def test_placement_strategy_with_tls_sections():
    jit = rig.Jit("aarch64", seed=0)
    probe = load(jit, COUNTER, "counter.c")
    assert {".tdata", ".tbss"} <= set(probe.layout.mapping())     # the initial image: ordinary items
    image = dict(probe.layout.tls.sections)
    jit.unload(probe)

    @settings(max_examples=15, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(st.data())
    def run(data):
        mapping = data.draw(placements(jit, probe))
        mod = load(jit, COUNTER, "counter.c", placement=mapping)
        try:
            assert mod.layout.tls.sections == image                  # placement does not move TLS offsets
            assert [call(mod, "bump") for _ in range(2)] == [6, 8]
        finally:
            jit.unload(mod)
    run()


# ---------------------------------------------------------------------------- the block's layout

@pytest.mark.parametrize("target", TARGETS)
def test_block_layout_is_lld_s(target):
    with rig.Jit(target, seed=6) as jit:
        mod = load(jit, COUNTER, "counter.c")
        tls, abi = jit.tls, jit.target.tls
        pt = tls.pt_tls
        assert (pt.memsz, pt.align) == (tls.size, 64) and pt.vaddr % pt.align == 0
        assert pt.filesz >= 4 and tls.image[:pt.filesz] == jit.read(pt.vaddr, pt.filesz)
        assert jit.process.read_register(abi.register) == tls.tp
        off = mod.address("counter") - pt.vaddr                     # its offset in PT_TLS
        p = call(mod, "addr")
        # lld's getTlsTpOffset for this PT_TLS (p_vaddr aligned to p_align)
        if abi.variant == 1:
            tcb = 2 * jit.target.pointer_size
            assert abi.tcb_size == tcb
            assert p == tls.tp + (-(-tcb // pt.align) * pt.align) + off
        else:
            assert p == tls.tp - (-(-pt.memsz // pt.align) * pt.align) + off
            assert int.from_bytes(jit.read(tls.tp, 8), "little") == tls.tp        # %fs:0 holds TP itself
        assert int.from_bytes(tls.image[off:off + 4], "little") == 5              # the initial image


# ---------------------------------------------------------------------------- every TLS row, from assembly

#: The corpus files that use every TLS type of a target (their headers state the calls).
ASM = {"x86_64": ["tls_x86_64.s"], "aarch64": ["tls_aarch64.s"], "arm": ["tls_arm.s", "tls_arm_ld.s"],
       "thumb": ["tls_arm.s", "tls_arm_ld.s"]}
#: Sites lld cannot be compared at: markers, and what its relaxation to local-exec leaves without a value.
NOT_COMPARED = {"R_X86_64_TLSDESC_CALL", "R_X86_64_TLSLD", "R_AARCH64_TLSDESC_CALL", "R_AARCH64_TLSDESC_ADD_LO12"}


@pytest.mark.parametrize("target", TARGETS)
def test_every_tls_row_runs_and_lld_agrees(target):
    applied, compared = set(), set()
    for name in ASM[target]:
        program = corpus.load(CORPUS / name)
        trials = runner.run_trials(program, target, placements=3, seed=11)
        assert all(t.ok for t in trials), [(t.error, [str(o.call) for o in t.outcomes if not o.ok]) for t in trials]
        for seed in SEEDS[:2]:
            with rig.Jit(target, seed=seed) as jit:
                mod = jit.load(program.source, name=name)
                applied |= {r.type for r in mod.trace}
                compared |= set(compare(jit, mod, program.source, name).types)
    assert applied & tls_types(target) == tls_types(target)
    assert compared & tls_types(target) == tls_types(target) - NOT_COMPARED


@pytest.mark.parametrize("target", ["arm", "thumb"])
def test_mrc_reads_the_thread_pointer(target):
    """ARMv7 code may read TPIDRURO itself (`-mtp=cp15`) instead of calling __aeabi_read_tp."""
    with rig.Jit(target, seed=1) as jit:
        load(jit, COUNTER, "counter.c")
        mod = jit.load(".syntax unified\n.text\n.arm\n.globl tp\n.type tp, %function\n"
                       "tp: mrc p15, 0, r0, c13, c0, 3\n    bx lr\n", name="tp.s")
        assert mod.call("tp", signature="u32()") == jit.tls.tp != 0


def test_x86_64_tls_descriptors_from_c():
    """clang -mtls-dialect=gnu2 (not a flag the rig passes through: the object is built here)."""
    import tempfile
    from pathlib import Path
    from rig.toolchain import zig
    jit = rig.Jit("x86_64", seed=9)
    with tempfile.TemporaryDirectory() as d:
        (Path(d) / "c.c").write_text(COUNTER)
        zig(["cc", *jit.target.clang_args, "-c", "-O2", "-fPIC", "-mtls-dialect=gnu2", "-ffreestanding",
             "-fno-asynchronous-unwind-tables", "c.c", "-o", "c.o"], d, "compiling")
        data = (Path(d) / "c.o").read_bytes()
    mod = jit.load(data, name="gnu2.o")
    assert "R_X86_64_GOTPC32_TLSDESC" in {r.type for r in mod.trace}
    assert [call(mod, "bump") for _ in range(3)] == [6, 8, 10]
    cmp = lld.compare(data, mod.object, mod.layout, mod.image, jit.target, jit.resolve)
    assert not cmp.differences and cmp.types.get("R_X86_64_GOTPC32_TLSDESC")


# ---------------------------------------------------------------------------- the table, and what is refused

def test_rig_relocs_lists_the_tls_types(capsys):
    assert rig_main(["relocs", "--json", "--corpus", "/nonexistent"]) == 0
    rows = json.loads(capsys.readouterr().out)
    listed: Dict[str, set] = {}
    for r in rows:
        listed.setdefault(r["target"], set()).add(r["name"])
    for t in TARGETS:
        assert tls_types(t) <= listed[t]
    by = {(r["target"], r["name"]): r for r in rows}
    assert by[("x86_64", "R_X86_64_TPOFF32")]["value"] == "S + A - TP"
    assert by[("aarch64", "R_AARCH64_TLSDESC_ADR_PAGE21")]["value"] == "Page(GDESC(S) + A) - Page(P)"
    assert by[("arm", "R_ARM_TLS_IE32")]["value"] == "GTP(S) + A - P"
    assert {"R_X86_64_TPOFF32", "R_X86_64_GOTTPOFF", "R_X86_64_TLSGD", "R_X86_64_TLSLD", "R_X86_64_DTPOFF32",
            "R_X86_64_DTPOFF64", "R_X86_64_TPOFF64", "R_X86_64_GOTPC32_TLSDESC"} <= listed["x86_64"]


def test_an_unsupported_tls_type_names_itself():
    # traditional general-dynamic on AArch64 (clang only knows TLS descriptors there; nor does lld)
    src = ('.section .tdata,"awT",@progbits\nv: .word 1\n.text\n.globl f\n'
           "f: .reloc ., R_AARCH64_TLSGD_ADR_PAGE21, v\n   adrp x0, .\n   ret\n")
    with pytest.raises(UnsupportedRelocation, match="R_AARCH64_TLSGD_ADR_PAGE21"):
        rig.Jit("aarch64").load(src, name="gd.s")


def test_tls_sites_need_a_tls_image():
    jit = rig.Jit("x86_64", seed=1)
    mod = load(jit, COUNTER, "counter.c")
    lay = L.make_layout(mod.object, jit.target, jit.space, "random", seed=3, ignore=mod)
    with pytest.raises(PlacementError, match="thread-local storage image"):
        K.link(mod.object, lay, jit.target, jit.resolve)


def test_refused_alignment_and_size():
    jit = rig.Jit("aarch64", seed=1)
    with pytest.raises(PlacementError, match="alignment 128"):
        load(jit, "__thread int x __attribute__((aligned(128))) = 1; int f(void) { return x; }", "a.c")
    with pytest.raises(PlacementError, match="do not fit the static TLS block"):
        load(jit, "__thread char big[1 << 17]; int f(int i) { return big[i]; }", "b.c")
    assert call(load(jit, COUNTER, "counter.c"), "bump") == 6       # nothing of them stayed


def test_objects_carry_their_tls_sections_and_got_entries():
    jit = rig.Jit("arm", seed=1, reloc="pic")
    mod = load(jit, COUNTER + "extern __thread int e; int g; int h(void) { return e + g; }", "x.c",
               defer_undefined=True)
    obj = mod.object
    assert {s.name for s in obj.sections if s.tls} == {".tdata", ".tbss"}
    kinds = [k for k, _ in obj.got_entries]
    assert kinds[0] == "slot" and set(kinds[1:]) == {"gd"}                  # address slots first
    assert obj.needs_tls and obj.got_symbols == tuple(s for k, s in obj.got_entries if k == "slot")
    again = objfile.loads(objfile.dumps(obj), jit.target, obj.name)        # the disk cache keeps them
    assert again.got_entries == obj.got_entries and again.sections == obj.sections
