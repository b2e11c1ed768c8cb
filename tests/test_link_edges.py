"""Link-level tests at the edges of relocation ranges, on every target.

Each test compiles real IR, places its sections explicitly so that one
relocation's value S + A - P is exactly at (or one step past) the end of its
field's range, loads it, checks what the linker did (trace, encoded bytes
decoded with capstone) and runs the code: branches must go direct while they
reach and through a working stub one step beyond; pc-relative data references
must load right at the limit and raise `RelocationOverflow` one step past it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import capstone
import pytest

import rig
from rig.layout import PAGE, page_down, page_up
from targets.base import Expr

TARGETS = ("x86_64", "arm", "thumb", "aarch64")
EDGES = ("top-fit", "top-miss", "bottom-fit", "bottom-miss")
#: Alignment of an instruction in each state: the step between reachable branch values.
GRANULE = {"x86": 1, "a64": 4, "arm": 4, "thumb": 2}

# `align 1` lets x86 place .text.b on any byte, so every int32 value is reachable.
CALL_IR = """
define i32 @callee(i32 %x) noinline align 1 section ".text.b" {
  %r = mul i32 %x, 3
  ret i32 %r
}
define i32 @caller(i32 %x) noinline section ".text.a" {
  %r = call i32 @callee(i32 %x)
  %s = add i32 %r, 1
  ret i32 %s
}
"""
#: The same, with the call in tail position: a B/JMP (JUMP26, JUMP24, THM_JUMP24, PLT32).
TAIL_IR = CALL_IR.replace("call i32 @callee(i32 %x)\n  %s = add i32 %r, 1\n  ret i32 %s",
                          "tail call i32 @callee(i32 %x)\n  ret i32 %r")
BRANCH_TYPES = {  # (target, kind) -> relocation type of the branch
    ("x86_64", "call"): "R_X86_64_PLT32", ("x86_64", "tail"): "R_X86_64_PLT32",
    ("aarch64", "call"): "R_AARCH64_CALL26", ("aarch64", "tail"): "R_AARCH64_JUMP26",
    ("arm", "call"): "R_ARM_CALL", ("arm", "tail"): "R_ARM_JUMP24",
    ("thumb", "call"): "R_ARM_THM_CALL", ("thumb", "tail"): "R_ARM_THM_JUMP24",
}

# For target "arm": A32 and T32 functions in one module, calling each other and
# a Thumb function through a pointer stored in data.
INTERWORK_IR = """
define i32 @t_callee(i32 %x) #1 section ".text.tb" {
  %r = mul i32 %x, 3
  ret i32 %r
}
define i32 @a_caller(i32 %x) #0 section ".text.ac" {
  %r = call i32 @t_callee(i32 %x)
  %s = add i32 %r, 1
  ret i32 %s
}
define i32 @a_callee(i32 %x) #0 section ".text.ab" {
  %r = mul i32 %x, 5
  ret i32 %r
}
define i32 @t_caller(i32 %x) #1 section ".text.tc" {
  %r = call i32 @a_callee(i32 %x)
  %s = add i32 %r, 2
  ret i32 %s
}
@fp = global ptr @t_callee
define i32 @via_ptr(i32 %x) #0 {
  %f = load volatile ptr, ptr @fp
  %r = call i32 %f(i32 %x)
  ret i32 %r
}
attributes #0 = { noinline "target-features"="-thumb-mode" }
attributes #1 = { noinline "target-features"="+thumb-mode" }
"""
INTERWORK_TAIL_IR = (INTERWORK_IR
                     .replace("call i32 @t_callee(i32 %x)\n  %s = add i32 %r, 1\n  ret i32 %s",
                              "tail call i32 @t_callee(i32 %x)\n  ret i32 %r")
                     .replace("call i32 @a_callee(i32 %x)\n  %s = add i32 %r, 2\n  ret i32 %s",
                              "tail call i32 @a_callee(i32 %x)\n  ret i32 %r"))
INTERWORK = {  # direction -> (caller, callee, relocation type, arg, result)
    "arm->thumb": ("a_caller", "t_callee", "R_ARM_CALL", 5, 16),
    "thumb->arm": ("t_caller", "a_callee", "R_ARM_THM_CALL", 5, 27),
}

# An explicit section keeps `align 1` exact, so .data.g may start on any byte.
DATA_IR = """
@g = dso_local global i32 5, section ".data.g", align 1
define i32 @get() {
  %v = load volatile i32, ptr @g
  ret i32 %v
}
"""


# -- helpers -------------------------------------------------------------------


@dataclass(frozen=True)
class Site:
    """One relocation of a probe load: where it is and what it refers to."""

    howto: object
    src: str        #: section holding the place P
    dst: str        #: section holding the symbol S
    p_off: int      #: P - base(src)
    s_off: int      #: S - base(dst)
    A: int
    T: int          #: the symbol's Thumb bit


def middle(jit: rig.Jit) -> int:
    """A page in the middle of the target's address space, far from stack, heap and host slots."""
    lo, hi = jit.target.address_space
    return page_down((lo + hi) // 2)


def probe(jit: rig.Jit, ir: str, symbol: str, kinds=None):
    """Load `ir` packed; return (module, Site) for the relocation against `symbol`
    (a symbol name, or a section name: any symbol defined in that section)."""
    mod = jit.load(ir, placement="packed")
    obj = mod.object
    rel = next(r for r in obj.relocations if (kinds is None or r.howto.expr in kinds)
               and symbol in (obj.symbols[r.symbol].name, _section_of(obj, r)))
    sym = obj.symbols[rel.symbol]
    src, dst = obj.section(rel.section).name, obj.section(sym.section).name
    rec = next(t for t in mod.trace if t.section == src and t.offset == rel.offset)
    thumb = int(bool(sym.thumb)) if sym.type != "section" else 0
    site = Site(rel.howto, src, dst, rec.P - mod.layout.by_name(src).address,
                rec.S - mod.layout.by_name(dst).address, rec.A, thumb)
    return mod, site


def _section_of(obj, r):
    sym = obj.symbols[r.symbol]
    return obj.section(sym.section).name if sym.section is not None else None


def edge_values(field, step: int, t: int) -> dict:
    """The four values at the ends of `field`'s range [lo, hi) that a site can
    take (values are t modulo `step`, and a multiple of the field's align)."""
    step = max(step, field.align)

    def down(x):
        return x - ((x - t) % step)

    def up(x):
        return x + ((t - x) % step)

    return {"top-fit": down(field.hi - 1), "top-miss": up(field.hi),
            "bottom-fit": up(field.lo), "bottom-miss": down(field.lo - 1)}


def mapping_for(jit: rig.Jit, mod: rig.Module, site: Site, value: int, granule: int = 1) -> dict:
    """An explicit placement of every section of `mod` that makes the site's
    value (after the field's `prepare`) exactly `value`; the target section
    starts on a multiple of its alignment and of `granule` (code: 2 for Thumb,
    whatever sh_addralign `align 1` gave it)."""
    src_base = middle(jit)
    P = src_base + site.p_off
    align = max(mod.layout.by_name(site.dst).item.align, granule)
    prepare = site.howto.field.prepare or (lambda v: v)
    for k in (0, 1, -1, 2, -2, 3, -3):
        if site.howto.expr is Expr.PAGE_PC:          # Page(S + A) - Page(P)
            S = page_down(P) + value - site.A + abs(k)
        else:                                        # ((S + A) | T) - P
            raw = value - k
            S = raw + P - site.A - site.T
            if prepare(raw) != value:
                continue
        if (S - site.s_off) % align == 0:
            return full_mapping(jit, mod, {site.src: src_base, site.dst: S - site.s_off})
    raise AssertionError(f"no aligned placement gives {site.howto.name} the value {value:#x}")


def full_mapping(jit: rig.Jit, mod: rig.Module, fixed: dict) -> dict:
    """`fixed` plus every other item of `mod`, each on its own page after the
    fixed section it belongs to (.ARM.exidx.X after X), else after the first."""
    items = {p.item.name: p.item for p in mod.layout.placements}
    out = dict(fixed)
    cursor = {n: page_up(a + items[n].size) + PAGE for n, a in fixed.items()}
    first = next(iter(fixed))
    for name, item in items.items():
        if name not in fixed:
            anchor = max((n for n in fixed if name.endswith(n)), key=len, default=first)
            out[name], cursor[anchor] = cursor[anchor], page_up(cursor[anchor] + item.size) + PAGE
    for name, addr in out.items():
        assert jit.space.conflict(addr, addr + max(1, items[name].size)) is None, (name, hex(addr))
    return out


def state_of(jit: rig.Jit, mod: rig.Module, name: str) -> str:
    """The instruction set function `name` is in."""
    if mod.image.symbols[name][1]:
        return "thumb"
    return "arm" if jit.target.interworking else jit.target.default_state


def decode_branch(jit: rig.Jit, mod: rig.Module, state: str, section: str, P: int):
    """(mnemonic, target address) of the instruction holding P, read back from
    the process and disassembled with capstone."""
    place = mod.layout.by_name(section)
    code = jit.read(place.address, place.item.size)
    md = capstone.Cs(jit.target.cs_arch, jit.target.cs_modes[state])
    for insn in md.disasm(code, place.address):
        if insn.address <= P < insn.address + insn.size:
            return insn.mnemonic, int(re.findall(r"0x[0-9a-f]+", insn.op_str)[-1], 16)
    raise AssertionError(f"no instruction at {P:#x}")


def check_branch_edge(jit, ir, caller, callee, edge, arg, want, direct_mnemonics):
    """Place caller/callee so the branch value is at `edge`; check trace, bytes and result."""
    first, site = probe(jit, ir, callee, kinds={Expr.BRANCH})
    fld = site.howto.field
    t = fld.prepare(site.T) & 1 if fld.prepare else site.T      # a B.W drops the Thumb bit
    granule = GRANULE[state_of(jit, first, callee)]
    value = edge_values(fld, granule, t)[edge]
    fits = edge.endswith("fit")
    assert fld.fits(value) is fits
    placement = mapping_for(jit, first, site, value, granule)
    jit.unload(first)
    mod = jit.load(ir, placement=placement)
    rec = next(t for t in mod.trace if t.symbol == callee and t.type == site.howto.name)
    direct = ((rec.S + rec.A) | site.T) - rec.P
    direct = fld.prepare(direct) if fld.prepare else direct
    assert direct == value, (hex(direct), hex(value))
    mnemonic, dest = decode_branch(jit, mod, state_of(jit, mod, caller), rec.section, rec.P)
    if fits:
        assert (rec.via, rec.value) == ("direct", value)
        assert dest == mod.address(callee), (hex(dest), hex(mod.address(callee)))
        assert mnemonic in direct_mnemonics
    else:
        stubs = list(mod.image.stubs.values())
        assert rec.via == "stub" and len(stubs) == 1 and fld.fits(rec.value)
        assert dest == stubs[0] == mod.layout.stub_area(mod.layout.by_name(rec.section).item.key)
    assert mod.call(caller, arg) == want
    return mod


# -- 1. branch edges -----------------------------------------------------------------


@pytest.mark.parametrize("edge", EDGES)
@pytest.mark.parametrize("kind", ["call", "tail"])
@pytest.mark.parametrize("target", TARGETS)
def test_branch_at_range_edge(target, kind, edge):
    """A call (BL/CALL) or tail call (B/JMP) whose S + A - P is the largest or
    smallest value the branch field holds goes direct and decodes to the
    callee; one step beyond goes through a stub right after the caller's
    section; the function returns right every time."""
    jit = rig.Jit(target, seed=1, reloc="pic")
    ir, want, ops = (CALL_IR, 16, {"call", "bl"}) if kind == "call" else (TAIL_IR, 15, {"jmp", "b", "b.w"})
    mod = check_branch_edge(jit, ir, "caller", "callee", edge, 5, want, ops)
    assert {t.type for t in mod.trace if t.symbol == "callee"} == {BRANCH_TYPES[target, kind]}


def test_branch_reach_matches_the_architecture():
    """The fields the edge tests walk are the architectures' real reaches."""
    reach = {"x86_64": 1 << 31, "aarch64": 1 << 27, "arm": 1 << 25, "thumb": 1 << 24}
    for target, r in reach.items():
        jit = rig.Jit(target, reloc="pic")
        mod, site = probe(jit, CALL_IR, "callee", kinds={Expr.BRANCH})
        assert (site.howto.field.lo, site.howto.field.hi) == (-r, r), target


# -- 2. ARM/Thumb interworking ------------------------------------------------------------


@pytest.mark.parametrize("edge", EDGES)
@pytest.mark.parametrize("direction", INTERWORK)
def test_interworking_call_at_range_edge(direction, edge):
    """ARM->Thumb (R_ARM_CALL) and Thumb->ARM (R_ARM_THM_CALL) calls become a
    BLX that lands on the callee right up to the field's edge (including the H
    bit and the Align(PC, 4) rounding), and go through a state-changing stub
    one step past it."""
    caller, callee, rtype, arg, want = INTERWORK[direction]
    jit = rig.Jit("arm", seed=2, reloc="pic")
    mod = check_branch_edge(jit, INTERWORK_IR, caller, callee, edge, arg, want, {"blx"})
    assert next(t for t in mod.trace if t.symbol == callee).type == rtype
    assert state_of(jit, mod, caller) != state_of(jit, mod, callee)


@pytest.mark.parametrize("seed", range(6))
def test_interworking_at_random_placements(seed):
    """Both call directions and a Thumb function pointer stored in data (ABS32
    with the Thumb bit) work at random placements; a direct branch is used
    exactly when its value fits."""
    jit = rig.Jit("arm", seed=seed, reloc="pic")
    mod = jit.load(INTERWORK_IR)
    for caller, callee, rtype, arg, want in INTERWORK.values():
        rec = next(t for t in mod.trace if t.symbol == callee)
        assert rec.type == rtype
        fld = next(r.howto.field for r in mod.object.relocations if r.howto.name == rtype)
        raw = ((rec.S + rec.A) | int(mod.image.symbols[callee][1])) - rec.P
        assert rec.via == ("direct" if fld.fits(fld.prepare(raw) if fld.prepare else raw) else "stub")
        if rec.via == "direct":
            assert decode_branch(jit, mod, state_of(jit, mod, caller), rec.section, rec.P) \
                == ("blx", mod.address(callee))
        assert mod.call(caller, arg) == want
    ptr = next(t for t in mod.trace if t.section == ".data" and t.symbol == "t_callee")
    assert ptr.type == "R_ARM_ABS32"
    word = int.from_bytes(jit.read(mod.address("fp"), 4), "little")
    assert word == mod.address("t_callee") | 1
    assert mod.call("via_ptr", 7) == 21


@pytest.mark.parametrize("seed", range(3))
def test_interworking_tail_call_goes_through_stub(seed):
    """A B (R_ARM_JUMP24, R_ARM_THM_JUMP24) cannot change state: a tail call to
    a function in the other state goes through a stub even when it is near."""
    jit = rig.Jit("arm", seed=seed, reloc="pic")
    mod = jit.load(INTERWORK_TAIL_IR, placement="packed" if seed == 0 else None)
    for caller, callee, rtype, want in (("a_caller", "t_callee", "R_ARM_JUMP24", 15),
                                        ("t_caller", "a_callee", "R_ARM_THM_JUMP24", 25)):
        rec = next(t for t in mod.trace if t.symbol == callee and t.section != ".data")
        assert (rec.type, rec.via) == (rtype, "stub")
        assert mod.call(caller, 5) == want


# -- 3. pc-relative data references ---------------------------------------------------------------

DATA_SITES = {"x86_64": "R_X86_64_PC32", "aarch64": "R_AARCH64_ADR_PREL_PG_HI21"}


@pytest.mark.parametrize("edge", EDGES)
@pytest.mark.parametrize("target", DATA_SITES)
def test_pc_relative_data_at_range_edge(target, edge):
    """x86-64 PC32 (±2 GiB, any byte) and AArch64 ADRP (±4 GiB of pages) to
    .data: the last value that fits loads the global; one step past raises
    RelocationOverflow naming the type, the value and the range, and (4.) the
    same Jit then loads and runs the module at a good placement."""
    jit = rig.Jit(target, seed=3, reloc="pic")
    first, site = probe(jit, DATA_IR, ".data.g", kinds={Expr.PC, Expr.PAGE_PC})
    assert site.howto.name == DATA_SITES[target]
    fld = site.howto.field
    value = edge_values(fld, 1, 0)[edge]
    placement = mapping_for(jit, first, site, value)
    jit.unload(first)
    if edge.endswith("fit"):
        mod = jit.load(DATA_IR, placement=placement)
        assert next(t for t in mod.trace if t.type == site.howto.name).value == value
        assert mod.call("get") == 5
        return
    with pytest.raises(rig.RelocationOverflow) as err:
        jit.load(DATA_IR, placement=placement)
    msg = str(err.value)
    assert site.howto.name in msg and f"value {hex(value)} " in msg, msg
    assert f"[{hex(fld.lo)}, {hex(fld.hi)})" in msg, msg
    assert err.value.value == value and err.value.site == f"{site.src}+{site.p_off:#x}"
    assert jit.modules == [] and all(jit.space.conflict(a, a + 1) is None for a in placement.values())
    with pytest.raises(rig.EmulationFault):          # nothing was mapped for the failed load
        jit.read(placement[site.src], 1)
    good = mapping_for(jit, first, site, edge_values(fld, 1, 0)[edge.replace("miss", "fit")])
    mod = jit.load(DATA_IR, placement=good)
    assert mod.call("get") == 5


@pytest.mark.parametrize("rtype", ["R_ARM_REL32", "R_ARM_GOT_PREL"])
@pytest.mark.parametrize("data_above", [True, False], ids=["data-above", "data-below"])
@pytest.mark.parametrize("target", ["arm", "thumb"])
def test_arm_pc_relative_word_wraps(target, data_above, rtype):
    """ARM/Thumb PIC reaches a global through a 32-bit pc-relative literal word
    (R_ARM_REL32 to a dso_local global, R_ARM_GOT_PREL to the GOT slot of a
    preemptible one) computed modulo 2^32: text and data (or GOT) 3 GiB apart,
    a value outside int32, still load the right global with no overflow raised."""
    jit = rig.Jit(target, seed=4, reloc="pic")
    ir = DATA_IR if rtype == "R_ARM_REL32" else DATA_IR.replace("dso_local ", "")
    first = jit.load(ir, placement="packed")
    rec = next(t for t in first.trace if t.section == ".text" and t.type != "R_ARM_NONE")
    assert rec.type == rtype
    low, high = 0x2000_0000, 0xE000_0000
    text, data = (low, high) if data_above else (high, low)
    far = ".data.g" if rtype == "R_ARM_REL32" else "GOT"
    placement = full_mapping(jit, first, {".text": text, far: data})
    jit.unload(first)
    mod = jit.load(ir, placement=placement)
    rec = next(t for t in mod.trace if t.type == rtype)
    assert not -(1 << 31) <= rec.value < 1 << 31
    assert int.from_bytes(rec.after, "little") == rec.value & 0xFFFF_FFFF
    assert mod.call("get") == 5


# -- 4. the Jit survives an overflow -------------------------------------------------------


def test_jit_keeps_working_after_overflow():
    """After a RelocationOverflow the same Jit keeps its other modules working
    and loads a new one: no pages, symbols or reservations leak from the failure."""
    jit = rig.Jit("aarch64", seed=5, reloc="pic")
    keep = jit.load(CALL_IR)
    first, site = probe(jit, DATA_IR, ".data.g", kinds={Expr.PAGE_PC})
    bad = mapping_for(jit, first, site, 1 << 32)
    jit.unload(first)
    with pytest.raises(rig.RelocationOverflow):
        jit.load(DATA_IR, placement=bad)
    assert jit.modules == [keep] and keep.call("caller", 2) == 7
    mod = jit.load(DATA_IR, placement=mapping_for(jit, first, site, (1 << 32) - PAGE))
    assert mod.call("get") == 5 and keep.call("caller", 3) == 10


def test_random_placement_keeps_thumb_code_on_halfwords():
    """LLVM honours `align 1` exactly on a function with an explicit section,
    so .text.b claims sh_addralign=1; Thumb code must still start on a
    halfword whatever the object says (an odd base makes the call fault)."""
    for seed in range(30):
        jit = rig.Jit("thumb", seed=seed, reloc="pic")
        mod = jit.load(CALL_IR)
        assert mod.object.section_named(".text.b").align == 1
        base = mod.layout.by_name(".text.b")
        assert base.item.align >= 2 and base.address % 2 == 0
        assert mod.call("caller", 5) == 16


@pytest.mark.parametrize("target", ["arm", "thumb"])
def test_trace_records_name_the_symbol_and_the_thumb_bit(target):
    """A pointer to a Thumb function (R_ARM_ABS32 in .data) holds S + A | T: the
    record says T=1 and names the symbol plainly; a pointer to data has T=0."""
    src = """
    @n = dso_local global i32 5
    define i32 @tf() #0 { ret i32 7 }
    @ptrs = dso_local global [2 x ptr] [ptr @tf, ptr @n]
    attributes #0 = { "target-features"="+thumb-mode" }
    """
    jit = rig.Jit(target, seed=3, reloc="static")
    mod = jit.load(src)
    recs = {r.symbol: r for r in mod.trace if r.section == ".data" and r.type == "R_ARM_ABS32"}
    assert set(recs) == {"tf", "n"}
    assert (recs["tf"].T, recs["tf"].value) == (1, recs["tf"].S + recs["tf"].A + 1)
    assert (recs["n"].T, recs["n"].value) == (0, recs["n"].S + recs["n"].A)
    assert recs["tf"].as_dict()["T"] == 1
