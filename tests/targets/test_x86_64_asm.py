"""x86-64 relocations from real assembly (clang from the ziglang package).

* the corpus program `corpus/asm/x86_64.s`: its stated calls at random placements, every
  relocation type in its trace, and ld.lld's bytes at the same layout (field by field, and
  what each GOT-relative site designates);
* per type, a small snippet at EXPLICIT placements chosen so that the field holds exactly
  the last value that fits and then the first that does not: the bytes are checked against
  encodings computed by hand, the code is run, and the overflow (or, for PLT32, the stub) is
  checked;
* special cases: the types ld.lld does not know (GOTPCREL64, GOTPLT64), the compiler's
  `_GLOBAL_OFFSET_TABLE_` forms, and tests for the rig bugs they found (now fixed).

Addresses: code at T0 = 0x3000_0000_0000 (the middle of the 47-bit space); the 32-bit
absolute forms need data near 2 and 4 GiB.  Every explicit address is checked free with
`jit.space.conflict` before loading.
"""
from __future__ import annotations

import io
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Optional, Union

import pytest

import rig
from rig import compile as C
from rig import corpus, lld, runner
from rig import toolchain
from targets.base import TLS_EXPRS, Expr
from targets.x86_64_relocs import RELOCATIONS


ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus" / "asm" / "x86_64.s"
#: Thread-local types are left to tests/test_tls.py (their values come from the TLS image, not
#: from where the sections land).
ALL_TYPES = {h.name for h in RELOCATIONS.values() if h.expr not in TLS_EXPRS and "_TLS" not in h.name}
#: ld.lld (LLVM 20/21 in ziglang) answers "unknown relocation (28)" / "(30)" for these two, so
#: the corpus (which rig.lld.compare links) leaves them out; `test_gotpcrel64_and_gotplt64...` runs them.
NOT_IN_LLD = {"R_X86_64_GOTPCREL64", "R_X86_64_GOTPLT64"}
#: What rig.lld.compare compares byte for byte (it skips GOT-relative sites and NONE).
COMPARED_DIRECTLY = {"R_X86_64_64", "R_X86_64_32", "R_X86_64_32S", "R_X86_64_16", "R_X86_64_8",
                     "R_X86_64_PC64", "R_X86_64_PC32", "R_X86_64_PC16", "R_X86_64_PC8",
                     "R_X86_64_PLT32", "R_X86_64_SIZE32", "R_X86_64_SIZE64"}
GOT_TYPES = {"R_X86_64_GOT32", "R_X86_64_GOTPCREL", "R_X86_64_GOTPCRELX", "R_X86_64_REX_GOTPCRELX",
             "R_X86_64_GOTPC32", "R_X86_64_GOTPC64", "R_X86_64_GOTOFF64", "R_X86_64_GOT64",
             "R_X86_64_PLTOFF64"}

T0 = 0x3000_0000_0000        # code, mid-space
G31 = 1 << 31


def test_the_partition_of_types_is_complete():
    assert COMPARED_DIRECTLY | GOT_TYPES | NOT_IN_LLD | {"R_X86_64_NONE"} == ALL_TYPES
    assert len(ALL_TYPES) == 24


# ---------------------------------------------------------------------------- the corpus program

def _corpus():
    return corpus.load(CORPUS)


def test_corpus_calls_hold_at_20_random_placements():
    prog = _corpus()
    assert prog.targets == ("x86_64",) and len(prog.calls) == 16
    trials = runner.run_trials(prog, "x86_64", placements=20, seed=11)
    bad = [(t.layout, t.error, [(str(o.call), o.shown()) for o in t.outcomes if not o.ok])
           for t in trials if not t.ok]
    assert not bad
    assert not runner.disagreements(trials)
    assert len({tuple(sorted(t.layout.items())) for t in trials}) == 20


def test_corpus_produces_every_type_lld_can_link():
    jit = rig.Jit("x86_64", seed=5)
    mod = jit.load(CORPUS)
    assert {r.type for r in mod.trace} == ALL_TYPES - NOT_IN_LLD
    # sections land at independent addresses; R_X86_64_32/32S keep them below 2 GiB
    assert len(mod.layout.mapping()) >= 6
    assert max(p.end for p in mod.layout.placements) < G31


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 4])
def test_corpus_matches_lld(seed):
    jit = rig.Jit("x86_64", seed=seed)
    src = CORPUS.read_bytes()
    mod = jit.load(src, name="x86_64.s")
    obj = C.compile_source(src, jit.target, C.Options("static"), "x86_64.s")
    cmp = lld.compare(obj, mod.object, mod.layout, mod.image, jit.target, jit.resolve)
    assert not cmp.differences, [str(d) for d in cmp.differences]
    assert set(cmp.types) == COMPARED_DIRECTLY | GOT_TYPES        # GOT-relative fields are compared too


# -- what each GOT-relative site designates, in the rig's image and in lld's -------------------

def _lld_memory(obj_bytes: bytes, mapping: Dict[str, int], externals: Dict[str, int]) -> Dict[int, bytes]:
    """ld.lld's output with each named section at its address ("GOT": lld's .got and .got.plt
    there): {address: bytes} of every allocated section with contents."""
    from elftools.elf.elffile import ELFFile
    lines = ["SECTIONS {"]
    for name, addr in mapping.items():
        if name == "GOT":
            lines.append(f"  .got {addr:#x} : {{ *(.got) *(.got.plt) }}")
        else:
            lines.append(f"  {name} {addr:#x} : {{ *({name}) }}")
    lines += ["  /DISCARD/ : { *(.eh_frame*) }", "}"]
    with tempfile.TemporaryDirectory(prefix="rig-test-lld-") as tmp:
        (Path(tmp) / "in.o").write_bytes(obj_bytes)
        (Path(tmp) / "link.ld").write_text("\n".join(lines) + "\n")
        toolchain.zig(["ld.lld", "-static", "-nostdlib", "--no-relax", "-O0", "-z", "norelro", "-e", "0",
                       "-T", "link.ld", "-o", "out", "in.o", *(f"--defsym={n}={a:#x}" for n, a in externals.items())],
                      tmp, "ld.lld")
        elf = ELFFile(io.BytesIO((Path(tmp) / "out").read_bytes()))
        return {s["sh_addr"]: s.data() for s in elf.iter_sections()
                if s["sh_flags"] & 2 and s["sh_type"] != "SHT_NOBITS"}


def _read(memory: Dict[int, bytes], address: int, size: int) -> bytes:
    for base, data in memory.items():
        if base <= address and address + size <= base + len(data):
            return data[address - base:address - base + size]
    raise AssertionError(f"{address:#x} is in no section")


def _signed(b: bytes) -> int:
    return int.from_bytes(b, "little", signed=True)


def _designated(memory, base: Optional[int], expr: Expr, v: int, A: int, P: int) -> int:
    """The address a GOT-relative site leads the code to (psABI formulas read backwards)."""
    if expr is Expr.GOT_PC:                       # v = G + A - P: the slot, then its content
        return int.from_bytes(_read(memory, v - A + P, 8), "little")
    if expr is Expr.GOT_REL:                      # v = G + A - GOT
        return int.from_bytes(_read(memory, base + v - A, 8), "little")
    if expr is Expr.GOT_OFF:                      # v = S + A - GOT
        return base + v - A
    if expr is Expr.GOT_BASE_PC:                  # v = GOT + A - P
        return v - A + P
    raise AssertionError(expr)


@pytest.mark.parametrize("seed", [0, 7])
def test_corpus_got_sites_designate_what_lld_designates(seed):
    """rig.lld.compare leaves GOT-relative sites out (the two GOTs differ); here each site is
    decoded in both images: the slot it reads, the symbol it reaches, the base it computes."""
    jit = rig.Jit("x86_64", seed=seed)
    src = CORPUS.read_bytes()
    mod = jit.load(src, name="x86_64.s")
    ext = {s.name: jit.resolve(s.name)[0] for s in mod.object.symbols
           if s.kind == "undefined" and s.name and s.name != "_GLOBAL_OFFSET_TABLE_"}
    theirs = _lld_memory(C.compile_source(src, jit.target, C.Options("static"), "x86_64.s"),
                         mod.layout.mapping(), ext)
    mine = {mod.layout.address(s.index): bytes(mod.image.sections[s.index]) for s in mod.object.sections}
    mine[mod.layout.got] = mod.image.got
    sites = [(r, RELOCATIONS[r.type].expr) for r in mod.object.relocations if r.howto.name in GOT_TYPES]
    recs = {(r.section, r.offset): r for r in mod.trace}

    def base_of(memory):     # each linker's GOT base, from its own GOTPC32/GOTPC64 sites
        bases = set()
        for r, expr in sites:
            if expr is Expr.GOT_BASE_PC:
                P = mod.layout.address(r.section) + r.offset
                bases.add(_designated(memory, None, expr, _signed(_read(memory, P, r.howto.field.size)),
                                      r.addend, P))
        assert len(bases) == 1, bases
        return bases.pop()

    base_rig, base_lld = base_of(mine), base_of(theirs)
    assert base_rig == mod.layout.got
    seen = set()
    for r, expr in sites:
        P = mod.layout.address(r.section) + r.offset
        size = r.howto.field.size
        ours = _designated(mine, base_rig, expr, _signed(_read(mine, P, size)), r.addend, P)
        lld_ = _designated(theirs, base_lld, expr, _signed(_read(theirs, P, size)), r.addend, P)
        rec = recs[(mod.object.section(r.section).name, r.offset)]
        if expr is not Expr.GOT_BASE_PC:
            assert ours == lld_ == rec.S, (r.howto.name, hex(P), hex(ours), hex(lld_), hex(rec.S))
        seen.add(r.howto.name)
    assert seen == GOT_TYPES


# ---------------------------------------------------------------------------- snippets

def snippet(body: str) -> str:
    """`f` in .text.e; `d` (size 16) in .data.e; `g` (returns 42) in .text.g.  Each section
    has alignment 1, so a placement can move a value by exactly one."""
    return (".section .text.e,\"ax\",@progbits\n.globl f\n.type f,@function\nf:\n" + body + "\n"
            ".section .data.e,\"aw\",@progbits\n.globl d\n.type d,@object\n.size d, 16\nd: .byte 1\n"
            ".section .text.g,\"ax\",@progbits\n.globl g\n.type g,@function\ng: movl $42, %eax\n ret\n")


def load(jit: rig.Jit, body: str, placement: Dict[str, int]):
    for name, addr in placement.items():
        assert jit.space.conflict(addr, addr + 64) is None, (name, hex(addr))
    return jit.load(snippet(body).encode(), name="x.s", placement=placement)


def site(mod, type_: str):
    (rec,) = [r for r in mod.trace if r.type == type_]
    return rec


def text(mod, offset: int, size: int, section: str = ".text.e") -> bytes:
    sec = mod.object.section_named(section).index
    return bytes(mod.image.sections[sec][offset:offset + size])


@dataclass
class Edge:
    """One end of a field's range: `inside` gives `value` (the last that fits), `outside`
    (or the same placement with `over_body`) gives `over` (the first that does not)."""

    type: str
    body: str
    inside: Dict[str, int]
    value: int
    code: str                  #: hand-encoded instruction or data bytes at `at` in .text.e
    at: int
    result: Union[int, str]    #: what f() returns with `inside`; a str names a symbol (or "GOT")
    over: int
    outside: Optional[Dict[str, int]] = None
    over_body: Optional[str] = None
    sig: str = "i64()"
    id: str = ""

    def __str__(self) -> str:
        return self.id


def E(type_, end, body, inside, value, code, at, result, over, outside=None, over_body=None, sig="i64()"):
    return Edge(type_, body, inside, value, code, at, result, over, outside, over_body, sig,
                f"{type_[9:]}-{end}")


PC16 = "leaq w(%rip), %rcx\nmovswq (%rcx), %rax\naddq %rcx, %rax\nret\nw: .word d - ."   # w at 15
PC8 = "leaq w(%rip), %rcx\nmovsbq (%rcx), %rax\naddq %rcx, %rax\nret\nw: .byte d - ."    # w at 15
CALL_G = "pushq %rax\ncall g@PLT\npopq %rcx\nret"           # e8 at 1, field at 2: v = g - T - 6
GOT_CALL_G = "pushq %rax\ncall *g@GOTPCREL(%rip)\npopq %rcx\nret"   # ff 15 at 1, field at 3

EDGES = [
    # R_X86_64_32: S + A must zero-extend, [0, 2^32)
    E("R_X86_64_32", "hi", "movl $d, %eax\nret", {".text.e": T0, ".data.e": 0xFFFF_FFFF},
      0xFFFF_FFFF, "b8ffffffff", 0, 0xFFFF_FFFF, 1 << 32, {".text.e": T0, ".data.e": 1 << 32}, sig="u64()"),
    E("R_X86_64_32", "lo", "movl $d - 0x20000000, %eax\nret", {".text.e": T0, ".data.e": 0x2000_0000},
      0, "b800000000", 0, 0, -1, {".text.e": T0, ".data.e": 0x1FFF_FFFF}),
    # R_X86_64_32S: must sign-extend, [-2^31, 2^31)
    E("R_X86_64_32S", "hi", "movq $d, %rax\nret", {".text.e": T0, ".data.e": 0x7FFF_FFFF},
      G31 - 1, "48c7c0ffffff7f", 0, G31 - 1, G31, {".text.e": T0, ".data.e": G31}),
    E("R_X86_64_32S", "lo", "movq $d - 0xC0000000, %rax\nret", {".text.e": T0, ".data.e": 0x4000_0000},
      -G31, "48c7c000000080", 0, -G31, -G31 - 1, {".text.e": T0, ".data.e": 0x3FFF_FFFF}),
    # R_X86_64_16 / 8: a data word, signed or unsigned: [-2^15, 2^16), [-2^7, 2^8)
    E("R_X86_64_16", "hi", "xorl %eax, %eax\nmovw $d - 0x1FFF0001, %ax\nret",
      {".text.e": T0, ".data.e": 0x2000_0000}, 0xFFFF, "66b8ffff", 2, 0xFFFF, 0x10000,
      {".text.e": T0, ".data.e": 0x2000_0001}),
    E("R_X86_64_16", "lo", "xorl %eax, %eax\nmovw $d - 0x20008000, %ax\nret",
      {".text.e": T0, ".data.e": 0x2000_0000}, -0x8000, "66b80080", 2, 0x8000, -0x8001,
      {".text.e": T0, ".data.e": 0x1FFF_FFFF}),
    E("R_X86_64_8", "hi", "xorl %eax, %eax\nmovb $d - 0x1FFFFF01, %al\nret",
      {".text.e": T0, ".data.e": 0x2000_0000}, 0xFF, "b0ff", 2, 0xFF, 0x100,
      {".text.e": T0, ".data.e": 0x2000_0001}),
    E("R_X86_64_8", "lo", "xorl %eax, %eax\nmovb $d - 0x20000080, %al\nret",
      {".text.e": T0, ".data.e": 0x2000_0000}, -0x80, "b080", 2, 0x80, -0x81,
      {".text.e": T0, ".data.e": 0x1FFF_FFFF}),
    # R_X86_64_PC32: lea d(%rip): P = T + 3, A = -4, v = d - T - 7
    E("R_X86_64_PC32", "hi", "leaq d(%rip), %rax\nret", {".text.e": T0, ".data.e": T0 + G31 + 6},
      G31 - 1, "488d05ffffff7f", 0, "d", G31, {".text.e": T0, ".data.e": T0 + G31 + 7}),
    E("R_X86_64_PC32", "lo", "leaq d(%rip), %rax\nret", {".text.e": T0, ".data.e": T0 + 7 - G31},
      -G31, "488d0500000080", 0, "d", -G31 - 1, {".text.e": T0, ".data.e": T0 + 6 - G31}),
    # R_X86_64_PC16 / PC8: the word at .text.e+15 holds d - P; f returns P + word = d
    E("R_X86_64_PC16", "hi", PC16, {".text.e": T0, ".data.e": T0 + 15 + 0x7FFF},
      0x7FFF, "ff7f", 15, "d", 0x8000, {".text.e": T0, ".data.e": T0 + 15 + 0x8000}),
    E("R_X86_64_PC16", "lo", PC16, {".text.e": T0, ".data.e": T0 + 15 - 0x8000},
      -0x8000, "0080", 15, "d", -0x8001, {".text.e": T0, ".data.e": T0 + 14 - 0x8000}),
    E("R_X86_64_PC8", "hi", PC8, {".text.e": T0, ".data.e": T0 + 15 + 127},
      127, "7f", 15, "d", 128, {".text.e": T0, ".data.e": T0 + 15 + 128}),
    E("R_X86_64_PC8", "lo", PC8, {".text.e": T0, ".data.e": T0 + 15 - 128},
      -128, "80", 15, "d", -129, {".text.e": T0, ".data.e": T0 + 14 - 128}),
    # R_X86_64_PLT32: direct at the edge, through a stub one byte further (see test_plt32_...)
    E("R_X86_64_PLT32", "hi", CALL_G, {".text.e": T0, ".text.g": T0 + G31 + 5},
      G31 - 1, "e8ffffff7f", 1, 42, G31, {".text.e": T0, ".text.g": T0 + G31 + 6}),
    E("R_X86_64_PLT32", "lo", CALL_G, {".text.e": T0, ".text.g": T0 + 6 - G31},
      -G31, "e800000080", 1, 42, -G31 - 1, {".text.e": T0, ".text.g": T0 + 5 - G31}),
    # GOT slot, pc-relative: v = G + A - P with the GOT (8-aligned) placed far; the code moves by one
    # pushq d@GOTPCREL(%rip): ff 35, P = T + 2, v = G - T - 6
    E("R_X86_64_GOTPCREL", "hi", "pushq d@GOTPCREL(%rip)\npopq %rax\nret",
      {".text.e": T0 + 3, "GOT": T0 + G31 + 8}, G31 - 1, "ff35ffffff7f", 0, "d", G31,
      {".text.e": T0 + 2, "GOT": T0 + G31 + 8}),
    E("R_X86_64_GOTPCREL", "lo", "pushq d@GOTPCREL(%rip)\npopq %rax\nret",
      {".text.e": T0 + 2, "GOT": T0 + 8 - G31}, -G31, "ff3500000080", 0, "d", -G31 - 1,
      {".text.e": T0 + 3, "GOT": T0 + 8 - G31}),
    # movq d@GOTPCREL(%rip), %rax: 48 8b 05, P = T + 3, v = G - T - 7
    E("R_X86_64_REX_GOTPCRELX", "hi", "movq d@GOTPCREL(%rip), %rax\nret",
      {".text.e": T0 + 2, "GOT": T0 + G31 + 8}, G31 - 1, "488b05ffffff7f", 0, "d", G31,
      {".text.e": T0 + 1, "GOT": T0 + G31 + 8}),
    E("R_X86_64_REX_GOTPCRELX", "lo", "movq d@GOTPCREL(%rip), %rax\nret",
      {".text.e": T0 + 1, "GOT": T0 + 8 - G31}, -G31, "488b0500000080", 0, "d", -G31 - 1,
      {".text.e": T0 + 2, "GOT": T0 + 8 - G31}),
    # call *g@GOTPCREL(%rip): ff 15 at 1, P = T + 3, v = G - T - 7
    E("R_X86_64_GOTPCRELX", "hi", GOT_CALL_G, {".text.e": T0 + 2, "GOT": T0 + G31 + 8},
      G31 - 1, "ff15ffffff7f", 1, 42, G31, {".text.e": T0 + 1, "GOT": T0 + G31 + 8}),
    E("R_X86_64_GOTPCRELX", "lo", GOT_CALL_G, {".text.e": T0 + 1, "GOT": T0 + 8 - G31},
      -G31, "ff1500000080", 1, 42, -G31 - 1, {".text.e": T0 + 2, "GOT": T0 + 8 - G31}),
    # leaq _GLOBAL_OFFSET_TABLE_(%rip), %rax: v = GOT - T - 7
    E("R_X86_64_GOTPC32", "hi", "leaq _GLOBAL_OFFSET_TABLE_(%rip), %rax\nret",
      {".text.e": T0 + 2, "GOT": T0 + G31 + 8}, G31 - 1, "488d05ffffff7f", 0, "GOT", G31,
      {".text.e": T0 + 1, "GOT": T0 + G31 + 8}),
    E("R_X86_64_GOTPC32", "lo", "leaq _GLOBAL_OFFSET_TABLE_(%rip), %rax\nret",
      {".text.e": T0 + 1, "GOT": T0 + 8 - G31}, -G31, "488d0500000080", 0, "GOT", -G31 - 1,
      {".text.e": T0 + 2, "GOT": T0 + 8 - G31}),
    # R_X86_64_GOT32: G + A - GOT = slot 0 + A, whatever the placement: the addend reaches the edge
    E("R_X86_64_GOT32", "hi", "movl $d@GOT + 0xffffffff, %eax\nret", {".text.e": T0, "GOT": T0 + 0x1000},
      0xFFFF_FFFF, "b8ffffffff", 0, 0xFFFF_FFFF, 1 << 32,
      over_body="movl $d@GOT + 0x100000000, %eax\nret", sig="u64()"),
    E("R_X86_64_GOT32", "lo", "movl $d@GOT - 0x80000000, %eax\nret", {".text.e": T0, "GOT": T0 + 0x1000},
      -G31, "b800000080", 0, G31, -G31 - 1, over_body="movl $d@GOT - 0x80000001, %eax\nret", sig="u64()"),
    # R_X86_64_SIZE32: Z + A, Z = 16, must zero-extend
    E("R_X86_64_SIZE32", "hi", "movl $d@SIZE + 0xffffffef, %eax\nret", {".text.e": T0},
      0xFFFF_FFFF, "b8ffffffff", 0, 0xFFFF_FFFF, 1 << 32,
      over_body="movl $d@SIZE + 0xfffffff0, %eax\nret", sig="u64()"),
    E("R_X86_64_SIZE32", "lo", "movl $d@SIZE - 16, %eax\nret", {".text.e": T0},
      0, "b800000000", 0, 0, -1, over_body="movl $d@SIZE - 17, %eax\nret"),
]


def _expected_result(mod, result):
    if result == "GOT":
        return mod.layout.got
    return mod.address(result) if isinstance(result, str) else result


@pytest.mark.parametrize("edge", EDGES, ids=str)
def test_field_edge(edge: Edge):
    jit = rig.Jit("x86_64")
    mod = load(jit, edge.body, edge.inside)
    for name, addr in edge.inside.items():
        assert mod.layout.mapping()[name] == addr
    rec = site(mod, edge.type)
    assert rec.value == edge.value and rec.via in ("direct", "got")
    assert text(mod, edge.at, len(edge.code) // 2) == bytes.fromhex(edge.code)
    assert mod.call("f", signature=edge.sig) == _expected_result(mod, edge.result)
    jit.unload(mod)
    if edge.type == "R_X86_64_PLT32":
        return                                   # the far side is test_plt32_beyond_reach_goes_through_a_stub
    with pytest.raises(rig.RelocationOverflow, match=edge.type + " ") as e:
        load(jit, edge.over_body or edge.body, edge.outside or edge.inside)
    assert e.value.value == edge.over
    assert e.value.site.startswith(".text.e+")
    assert not jit.modules                       # a failed load leaves nothing behind


@pytest.mark.parametrize("edge", [e for e in EDGES if e.type == "R_X86_64_PLT32"], ids=str)
def test_plt32_beyond_reach_goes_through_a_stub(edge: Edge):
    jit = rig.Jit("x86_64")
    mod = load(jit, edge.body, edge.outside)
    g = edge.outside[".text.g"]
    rec = site(mod, "R_X86_64_PLT32")
    # .text.e is 8 bytes: its stub area starts at align_up(8, 16) = 16
    assert rec.via == "stub" and rec.stub == T0 + 16
    assert rec.value == 16 - 4 - 2 == 10
    assert text(mod, 1, 5) == bytes.fromhex("e80a000000")
    # jmp *0(%rip); .quad g
    assert text(mod, 16, 14) == bytes.fromhex("ff2500000000") + g.to_bytes(8, "little")
    assert mod.call("f", signature="i64()") == 42


# -- 64-bit fields: no range; hand-computed encodings, negative values included -------------------

@dataclass
class Wide:
    type: str
    body: str
    placement: Dict[str, int]
    value: int
    code: str
    at: int
    result: Union[int, str]
    id: str = field(default="")


WIDE = [
    Wide("R_X86_64_64", "movabsq $d - 0x300000001001, %rax\nret", {".text.e": T0, ".data.e": T0 + 0x1000},
         -1, "48b8ffffffffffffffff", 0, -1, "wraps-to-minus-1"),
    Wide("R_X86_64_64", "movabsq $d + 0x10, %rax\nret", {".text.e": T0, ".data.e": 0x7FFF_0000_0000},
         0x7FFF_0000_0010, "48b810000000ff7f0000", 0, 0x7FFF_0000_0010, "high"),
    # PC64: w at .text.e+14 = d - P, d below: 0x10000000 - (T0 + 14) = -0x2fffefffffff... two's complement
    Wide("R_X86_64_PC64", "leaq w(%rip), %rcx\nmovq (%rcx), %rax\naddq %rcx, %rax\nret\nw: .quad d - .",
         {".text.e": T0, ".data.e": 0x1000_0000}, 0x1000_0000 - T0 - 14, "f2ffff0f00d0ffff", 14, "d",
         "negative"),
    # GOTPC64: movabs at .text.e+7, A = 9: GOT + 9 - (T + 9) = GOT - T = -0x10000000
    Wide("R_X86_64_GOTPC64", ".Lgp: leaq .Lgp(%rip), %r11\nmovabsq $_GLOBAL_OFFSET_TABLE_ - .Lgp, %rax\n"
         "addq %r11, %rax\nret", {".text.e": T0, "GOT": T0 - 0x1000_0000}, -0x1000_0000,
         "48b8000000f0ffffffff", 7, "GOT", "negative"),
    # GOTOFF64: d - GOT = (T + 0x2000) - (T + 0x3000)
    Wide("R_X86_64_GOTOFF64", "movabsq $d@GOTOFF, %rax\nret",
         {".text.e": T0, ".data.e": T0 + 0x2000, "GOT": T0 + 0x3000}, -0x1000, "48b800f0ffffffffffff", 0,
         -0x1000, "negative"),
    # GOT64: g takes slot 0 (the REX_GOTPCRELX before), d slot 1: v = 8; lea 7 + movq 7 -> movabs at 14
    Wide("R_X86_64_GOT64", "leaq _GLOBAL_OFFSET_TABLE_(%rip), %rcx\nmovq g@GOTPCREL(%rip), %rdx\n"
         "movabsq $d@GOT, %rax\nmovq (%rcx,%rax), %rax\nret", {".text.e": T0, "GOT": T0 + 0x1000},
         8, "48b80800000000000000", 14, "d", "slot-1"),
    # GOTPLT64 (as GOT64): d slot 0, g slot 1; lea 7 + movq 7 + push 1 -> movabs at 15; calls g
    Wide("R_X86_64_GOTPLT64", "leaq _GLOBAL_OFFSET_TABLE_(%rip), %rcx\nmovq d@GOTPCREL(%rip), %rdx\n"
         "pushq %rax\n.reloc . + 2, R_X86_64_GOTPLT64, g\nmovabsq $0, %rax\ncall *(%rcx,%rax)\npopq %rcx\nret",
         {".text.e": T0, "GOT": T0 + 0x1000}, 8, "48b80800000000000000", 15, 42, "slot-1"),
    # GOTPCREL64: G + 2 - (T + 2) = G - T with the GOT 32 TiB below
    Wide("R_X86_64_GOTPCREL64", ".reloc . + 2, R_X86_64_GOTPCREL64, d + 2\nmovabsq $0, %rax\n"
         "leaq f(%rip), %rcx\nmovq (%rcx,%rax), %rax\nret", {".text.e": T0, "GOT": T0 - 0x2000_0000_0000},
         -0x2000_0000_0000, "48b80000000000e0ffff", 0, "d", "far-below"),
    # PLTOFF64: g - GOT = 0x4000; f jumps to GOT + v
    Wide("R_X86_64_PLTOFF64", "leaq _GLOBAL_OFFSET_TABLE_(%rip), %rcx\nmovabsq $g@PLTOFF, %rax\n"
         "addq %rcx, %rax\njmp *%rax", {".text.e": T0, ".text.g": T0 + 0x5000, "GOT": T0 + 0x1000},
         0x4000, "48b80040000000000000", 7, 42, "call"),
    Wide("R_X86_64_SIZE64", "movabsq $d@SIZE - 17, %rax\nret", {".text.e": T0},
         -1, "48b8ffffffffffffffff", 0, -1, "minus-1"),
]


@pytest.mark.parametrize("w", WIDE, ids=lambda w: f"{w.type[9:]}-{w.id}")
def test_64_bit_field(w: Wide):
    jit = rig.Jit("x86_64")
    mod = load(jit, w.body, w.placement)
    rec = site(mod, w.type)
    assert rec.value == w.value
    assert text(mod, w.at, len(w.code) // 2) == bytes.fromhex(w.code)
    assert mod.call("f", signature="i64()") == _expected_result(mod, w.result)


def test_none_writes_nothing():
    jit = rig.Jit("x86_64")
    mod = load(jit, ".reloc ., R_X86_64_NONE, d\nmovl $7, %eax\nret", {".text.e": T0})
    rec = site(mod, "R_X86_64_NONE")
    assert (rec.via, rec.value, rec.before, rec.after) == ("none", 0, b"", b"")
    assert text(mod, 0, 6) == mod.object.section_named(".text.e").data == bytes.fromhex("b807000000c3")
    assert mod.call("f", signature="i64()") == 7


def test_absolute_32_keeps_random_placements_below_4_gib():
    jit = rig.Jit("x86_64", seed=2)
    for _ in range(20):
        mod = jit.load(snippet("movl $d, %eax\nret").encode(), name="x.s")
        assert mod.layout.address(mod.object.section_named(".data.e").index) < 1 << 32
        assert mod.call("f", signature="u64()") == mod.address("d")
        jit.unload(mod)


# ---------------------------------------------------------------------------- special cases

LARGE = snippet("""pushq %rbx
leaq _GLOBAL_OFFSET_TABLE_(%rip), %rbx
.Lgp: leaq .Lgp(%rip), %r11
movabsq $_GLOBAL_OFFSET_TABLE_ - .Lgp, %rax
addq %r11, %rax
subq %rbx, %rax
jnz 1f
.Lq: .reloc . + 2, R_X86_64_GOTPCREL64, d + 2
movabsq $0, %rax
leaq .Lq(%rip), %rcx
movq (%rcx,%rax), %rax
movzbl (%rax), %eax
.reloc . + 2, R_X86_64_GOTPLT64, g
movabsq $0, %rcx
addq (%rbx,%rcx), %rax
subq $1, %rax
1: popq %rbx
ret
""")


def test_gotpcrel64_gotplt64_and_the_got_symbol_run_at_random_placements():
    """The types lld cannot link, and the compiler's `_GLOBAL_OFFSET_TABLE_` forms: f returns 0 when
    GOTPC32 and GOTPC64 agree on the GOT, the GOTPCREL64 slot leads to d (holding 1) and the GOTPLT64
    slot holds g (its address, minus 1 + 1)."""
    jit = rig.Jit("x86_64", seed=9)
    types = set()
    for _ in range(20):
        mod = jit.load(LARGE.encode(), name="large.s")
        types |= {r.type for r in mod.trace}
        assert mod.call("f", signature="u64()") == mod.address("g")
        jit.unload(mod)
    assert types >= NOT_IN_LLD | {"R_X86_64_GOTPC32", "R_X86_64_GOTPC64"}


@pytest.mark.parametrize("type_, number", [("R_X86_64_GOTPCREL64", 28), ("R_X86_64_GOTPLT64", 30)])
def test_lld_does_not_know_two_types(type_, number):
    """Why the corpus leaves them out: ld.lld refuses the object."""
    jit = rig.Jit("x86_64", seed=1)
    body = f".reloc . + 2, {type_}, d\nmovabsq $0, %rax\nret"
    src = snippet(body).encode()
    mod = jit.load(src, name="x.s")
    obj = C.compile_source(src, jit.target, C.Options("static"), "x.s")
    with pytest.raises(rig.CompileError, match=rf"unknown relocation \({number}\)"):
        lld.compare(obj, mod.object, mod.layout, mod.image, jit.target, jit.resolve)


def test_lld_compare_accepts_the_got_symbol():
    jit = rig.Jit("x86_64", seed=1)
    body = "leaq _GLOBAL_OFFSET_TABLE_(%rip), %rax\nmovq d@GOTPCREL(%rip), %rcx\nret"
    src = snippet(body).encode()
    mod = jit.load(src, name="x.s")
    obj = C.compile_source(src, jit.target, C.Options("static"), "x.s")
    cmp = lld.compare(obj, mod.object, mod.layout, mod.image, jit.target, jit.resolve)
    assert not cmp.differences


def test_lld_accepts_a_negative_absolute_symbol_in_8_and_16_bits():
    """The oracle for the test below: lld writes -5 as fb / fbff."""
    src = b".set neg, -5\n.globl neg\n.section .data.e,\"aw\",@progbits\n.byte neg@ABS8\n.word neg@ABS8\n"
    obj = C.compile_source(src, rig.Jit("x86_64").target, C.Options("static"), "n.s")
    assert _lld_memory(obj, {".data.e": 0x2000_0000}, {})[0x2000_0000] == bytes.fromhex("fbfbff")


def test_negative_absolute_symbol():
    jit = rig.Jit("x86_64")
    mod = jit.load(b".set neg, -5\n.globl neg\n.section .text.e,\"ax\",@progbits\n.globl f\n"
                   b"f: pushq $neg@ABS8\npopq %rax\nret\n", name="n.s", placement={".text.e": T0})
    assert mod.call("f", signature="i64()") == -5


def test_symbolless_absolute_relocation_at_a_random_placement():
    jit = rig.Jit("x86_64", seed=1)
    mod = jit.load(snippet("movzwl w(%rip), %eax\nret\nw: .reloc ., R_X86_64_16, 0x1234\n.word 0").encode(),
                   name="x.s")
    assert mod.call("f", signature="i64()") == 0x1234


@pytest.mark.parametrize("body, type_, result", [
    ("movq strlen@GOTPCREL(%rip), %rax", "R_X86_64_REX_GOTPCRELX", "strlen"),   # the slot's content
    ("leaq _GLOBAL_OFFSET_TABLE_(%rip), %rax", "R_X86_64_GOTPC32", "GOT"),      # the GOT's address
])
def test_large_model_random_placement_keeps_the_got_in_reach(body, type_, result):
    """The large code model lets a random placement use the whole 47-bit space, but these
    sites reach the GOT with a signed 32-bit pc-relative field: the memory manager must keep
    the GOT within ±2 GiB of the code wherever it puts the module, and the code must then
    read what the GOT holds."""
    jit = rig.Jit("x86_64", seed=1, code_model="large")
    texts = []
    for _ in range(20):
        mod = jit.load(f".text\n.globl f\nf: {body}\nret\n".encode(), name="x.s")
        text_at, got = mod.layout.mapping()[".text"], mod.layout.got
        texts.append(text_at)
        assert abs(got - text_at) < G31, (hex(text_at), hex(got))
        rec = site(mod, type_)
        assert -G31 <= rec.value < G31
        expected = got if result == "GOT" else jit.resolve(result)[0]
        assert mod.call("f", signature="u64()") == expected
        jit.unload(mod)
    # the large model is in force: modules land over far more than the 2 GiB a small one gets
    assert max(texts) - min(texts) > 1 << 40
