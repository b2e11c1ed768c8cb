"""The rig against a trusted linker: ld.lld links the same object at the same
section addresses, and every relocated field, GOT slot and stub must agree.

Per target, 200 placements: every corpus case once (so every relocation type
the corpus applies is compared at least once, whatever Hypothesis draws),
then Hypothesis draws the rest.  The test then asserts what was compared:
every type the corpus applies on the target, GOT-relative types included, at
least one site, and GOT slots; it prints the per-type counts (`pytest -s`).
"""
from __future__ import annotations

import random
from collections import Counter
from pathlib import Path
from typing import Dict

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import rig
import targets
from rig import compile as C
from rig import corpus, lld
from targets.base import GOT_BASE_EXPRS, GOT_SLOT_EXPRS

ROOT = Path(__file__).resolve().parent.parent / "corpus"
TARGETS = ("x86_64", "arm", "thumb", "aarch64")
PLACEMENTS = 200          #: per target: one per corpus case, the rest drawn by Hypothesis
PROGRAMS = [p for p in corpus.discover(ROOT, recursive=True)
            if (p.path.suffix in (".s", ".S", ".c") or p.path.parent == ROOT) and not p.nolld]
CASES = {t: [(p, r) for p in PROGRAMS if t in p.targets for r in
             (p.relocs[:1] if p.path.suffix in (".s", ".S") else p.relocs)] for t in TARGETS}
JITS: dict = {}


def _jit(target: str, reloc: str) -> rig.Jit:
    key = (target, reloc)
    if key not in JITS:
        JITS[key] = rig.Jit(target, seed=0, reloc=reloc)
    return JITS[key]


def check_once(target: str, program, reloc: str, seed: int) -> lld.Comparison:
    jit = _jit(target, reloc)
    mod = jit.load(program.source, name=program.name, seed=seed)
    try:
        obj = C.compile_source(program.source, jit.target, C.Options(reloc), program.name)
        cmp = lld.compare(obj, mod.object, mod.layout, mod.image, jit.target, jit.resolve)
    finally:
        jit.unload(mod)
    assert not cmp.differences, (program.name, reloc, mod.layout.mapping(), [str(d) for d in cmp.differences])
    return cmp


class Tally:
    """What the comparisons of one target's run compared, and what they did not."""

    def __init__(self):
        self.compared: Counter = Counter()                    # type -> sites compared
        self.uncompared: Dict[str, Counter] = {}              # type -> reason -> sites
        self.slots = 0
        self.runs = 0

    def add(self, cmp: lld.Comparison) -> None:
        self.runs += 1
        self.compared.update(cmp.types)
        self.slots += cmp.slots
        for type_, reasons in cmp.uncompared.items():
            self.uncompared.setdefault(type_, Counter()).update(reasons)

    def applied(self) -> set:
        """The types the rig wrote a field for that lld writes too (markers write none; where
        lld relaxes a TLS sequence to local-exec, some sites hold no value)."""
        return set(self.compared) | {t for t, reasons in self.uncompared.items()
                                     if set(reasons) - {lld.MARKER, lld.RELAXED_EMPTY}}

    def report(self, target: str) -> str:
        lines = [f"{target}: {self.runs} placements, {sum(self.compared.values())} sites and "
                 f"{self.slots} GOT slots compared with ld.lld"]
        got = _got_relative(target)
        for type_ in sorted(self.applied() | set(self.uncompared)):
            mark = " (GOT-relative)" if type_ in got else ""
            lines.append(f"  {type_:32} {self.compared.get(type_, 0):6}{mark}")
            for reason, n in sorted(self.uncompared.get(type_, {}).items()):
                lines.append(f"  {'':32} {'':6} not compared: {n} {reason}")
        return "\n".join(lines)


def _got_relative(target: str, exprs=GOT_BASE_EXPRS) -> set:
    """The target's relocation types whose value depends on the GOT."""
    return {h.name for h in targets.get(target).relocations.values() if h.expr in exprs}


@pytest.mark.parametrize("target", TARGETS)
def test_rig_and_lld_write_the_same_bytes(target):
    tally = Tally()
    rng = random.Random(f"lld differential {target}")
    for program, reloc in CASES[target]:
        tally.add(check_once(target, program, reloc, rng.getrandbits(64)))

    names = sorted(f"{p.path.relative_to(ROOT)} {r}" for p, r in CASES[target])

    @settings(max_examples=max(1, PLACEMENTS - len(CASES[target])), deadline=None, derandomize=True,
              database=None, suppress_health_check=[HealthCheck.too_slow])
    @given(data=st.data())
    def drawn(data):
        name = data.draw(st.sampled_from(names), label="program")
        program, reloc = next((p, r) for p, r in CASES[target] if f"{p.path.relative_to(ROOT)} {r}" == name)
        seed = data.draw(st.integers(0, 2**64 - 1), label="placement seed")
        tally.add(check_once(target, program, reloc, seed))

    drawn()
    report = tally.report(target)
    print("\n" + report)
    # every type the corpus makes the rig write is compared somewhere, GOT-relative ones included
    missing = tally.applied() - set(tally.compared)
    assert not missing, f"never compared with ld.lld: {sorted(missing)}\n{report}"
    got_compared = set(tally.compared) & _got_relative(target)
    assert got_compared & _got_relative(target, GOT_SLOT_EXPRS), report
    assert tally.slots > 0, report
    # nothing is left out for a reason the comparison does not state
    reasons = {r for rs in tally.uncompared.values() for r in rs}
    assert reasons <= {lld.MARKER, lld.UNWIND, lld.LOCAL_STUB, lld.OTHER_WAY, lld.NOT_LINKED, lld.NOBITS, lld.THUNKS,
                       lld.SHIFTED_SLOT, lld.RELAXED_EMPTY, lld.RELAXED_CALL}, reasons


def test_the_oracle_sees_a_wrong_field():
    """Corrupt one relocated field and one GOT slot: the comparison must say so."""
    src = b"""
    @g = dso_local global i32 5
    @h = global i32 6
    define i32 @f() { %a = load i32, ptr @g
      %b = load i32, ptr @h
      %c = add i32 %a, %b
      ret i32 %c }
    """
    jit = rig.Jit("aarch64", seed=1)
    mod = jit.load(src)
    obj = C.compile_source(src, jit.target, C.Options("static"))
    assert not lld.compare(obj, mod.object, mod.layout, mod.image, jit.target, jit.resolve).differences
    rec = next(r for r in mod.trace if r.type == "R_AARCH64_ADR_PREL_PG_HI21")
    sec = mod.object.section_named(rec.section).index
    mod.image.sections[sec][rec.offset] ^= 0x20          # one bit of ADRP's immediate
    mod.image.got = bytes(8) + mod.image.got[8:]
    diffs = lld.compare(obj, mod.object, mod.layout, mod.image, jit.target, jit.resolve).differences
    assert {d.type for d in diffs} == {"R_AARCH64_ADR_PREL_PG_HI21", "GOT slot"}


@pytest.mark.parametrize("target, source, type_, byte, bit", [
    ("aarch64", "asm/aarch64.s", "R_AARCH64_ADR_GOT_PAGE", 0, 0x20),         # ADRP immhi bit 0
    ("aarch64", "asm/aarch64.s", "R_AARCH64_LD64_GOT_LO12_NC", 1, 0x04),     # LDR imm12 bit 0
    ("aarch64", "asm/aarch64.s", "R_AARCH64_LD64_GOTPAGE_LO15", 1, 0x08),    # LDR imm12 bit 1
    ("x86_64", "asm/x86_64.s", "R_X86_64_REX_GOTPCRELX", 0, 0x08),           # disp32: the next slot
    ("x86_64", "asm/x86_64.s", "R_X86_64_GOTOFF64", 0, 0x10),
    ("x86_64", "asm/x86_64.s", "R_X86_64_GOTPC32", 1, 0x01),
    ("arm", "asm/arm.s", "R_ARM_GOT_PREL", 0, 0x04),
    ("arm", "asm/arm.s", "R_ARM_GOT_BREL", 0, 0x04),
    ("arm", "asm/arm.s", "R_ARM_BASE_PREL", 2, 0x01),
])
def test_the_oracle_sees_a_wrong_got_relative_field(target, source, type_, byte, bit):
    """Corrupt one GOT-relative field: the comparison must name that site, and only it."""
    program = next(p for p in PROGRAMS if p.path == ROOT / source)
    jit = rig.Jit(target, seed=3)
    mod = jit.load(program.source, name=program.name)
    obj = C.compile_source(program.source, jit.target, C.Options("static"), program.name)
    cmp = lld.compare(obj, mod.object, mod.layout, mod.image, jit.target, jit.resolve)
    assert not cmp.differences and cmp.types.get(type_), (cmp.differences, cmp.types)
    rec = next(r for r in mod.trace if r.type == type_)
    sec = mod.object.section_named(rec.section).index
    mod.image.sections[sec][rec.offset + byte] ^= bit
    diffs = lld.compare(obj, mod.object, mod.layout, mod.image, jit.target, jit.resolve).differences
    assert [(d.type, d.section, d.offset) for d in diffs] == [(type_, rec.section, rec.offset)], diffs


#: GOT slots for locals before and after globals, an external, and a section symbol
#: (local ones become hidden globals in the copy of the object lld links).
GOT_ORDER = {
    "x86_64": b"""
    .text
    .globl f
f:  movq lvar@GOTPCREL(%rip), %rax
    movq gvar@GOTPCREL(%rip), %rcx
    .reloc ., R_X86_64_GOTPCREL, .rodata+4
    movq 0(%rip), %rdx
    movq ext@GOTPCREL(%rip), %rsi
    movq lvar2@GOT, %rdi
    ret
    .section .rodata
    .long 1, 2
    .data
lvar: .quad 1
lvar2: .quad 3
    .globl gvar
gvar: .quad 2
""", "arm": b"""
    .text
    .globl f
    .type f, %function
f:  bx lr
    .data
    .word lvar(GOT_PREL)
    .word gvar(GOT_PREL)
    .reloc ., R_ARM_GOT_PREL, .rodata
    .word 0
    .word ext(GOT_PREL)
    .word lvar2(GOT)
lvar: .word 1
lvar2: .word 3
    .globl gvar
gvar: .word 2
    .section .rodata
    .word 1, 2
""", "aarch64": b"""
    .text
    .globl f
f:  adrp x0, :got:lvar
    ldr x0, [x0, :got_lo12:lvar]
    adrp x1, :got:gvar
    ldr x1, [x1, :got_lo12:gvar]
    .reloc ., R_AARCH64_ADR_GOT_PAGE, .rodata+8
    adrp x2, 0
    adrp x3, :got:ext
    ldr x3, [x3, :got_lo12:ext]
    adrp x4, :got:lvar2
    ldr x4, [x4, :got_lo12:lvar2]
    ret
    .data
lvar: .quad 1
lvar2: .quad 3
    .globl gvar
gvar: .quad 2
    .section .rodata
    .quad 1, 2
"""}


@pytest.mark.parametrize("target", sorted(GOT_ORDER))
def test_lld_lays_out_its_got_as_the_rig_does(target):
    """lld's slots in the rig's order whatever the symbols' bindings: every GOT site and slot compared."""
    jit = rig.Jit(target, seed=2)
    jit.add_host_function("ext", lambda ctx: 0, "i32()")
    obj = C.compile_source(GOT_ORDER[target], jit.target, C.Options("static"), "got_order.s")
    for seed in range(3):
        mod = jit.load(GOT_ORDER[target], name="got_order.s", seed=seed)
        kinds = {(mod.object.symbols[i].binding, mod.object.symbols[i].type) for i in mod.object.got_symbols}
        assert {("local", "section"), ("local", "notype"), ("global", "notype")} <= kinds, kinds
        cmp = lld.compare(obj, mod.object, mod.layout, mod.image, jit.target, jit.resolve)
        assert not cmp.differences and not cmp.uncompared, (cmp.differences, cmp.uncompared)
        assert cmp.slots == len(mod.object.got_symbols) == 5
        assert cmp.compared == sum(1 for r in mod.object.relocations if r.howto.field is not None)
        jit.unload(mod)


def test_a_slot_lld_does_not_make_is_stated():
    """A symbol only an unwind table reaches through the GOT has a rig slot and no lld one:
    the sites of the slots after it are left out, with the reason, not compared wrongly."""
    src = b"""
    .section .ARM.extab,"a",%progbits
    .word uvar(GOT_PREL)
    .text
    .globl f
    .type f, %function
f:  bx lr
    .data
    .word gvar(GOT_PREL)
    .word vvar(GOT_PREL)
    .globl gvar, uvar
uvar: .word 1
gvar: .word 2
vvar: .word 3
"""
    jit = rig.Jit("arm", seed=2)
    mod = jit.load(src, name="extab_got.s")
    obj = C.compile_source(src, jit.target, C.Options("static"), "extab_got.s")
    cmp = lld.compare(obj, mod.object, mod.layout, mod.image, jit.target, jit.resolve)
    assert not cmp.differences and cmp.slots == 2
    assert cmp.uncompared == {"R_ARM_GOT_PREL": {lld.UNWIND: 1, lld.SHIFTED_SLOT: 2}}
