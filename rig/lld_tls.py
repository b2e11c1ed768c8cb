"""Thread-local storage in the ld.lld differential (`rig.lld`): lld's PT_TLS made the
rig's TLS image, and what lld's TLS relaxations write, as data.

lld is told to put the object's TLS sections at their offsets in the image
from a base just past the layout (`tls_base`), and links a second object
(`pad_object`) whose TLS sections fill the rest of the image, [0, p_memsz),
at its alignment, and define the other modules' TLS symbols at their
offsets: lld's `getTlsTpOffset` then gives every symbol the TP offset the
rig gave it.  In a static link lld relaxes the dynamic TLS models to
local-exec on every target but Arm, whatever `--no-relax` says
(Relocations.cpp, handleTlsRelocation); `RELAXED` says, per type, where the
relaxed instruction keeps the TP offset and how, so a site is compared
through the TP offset the rig's site stands for (`tls_value`).
"""
from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Dict, Optional, Tuple

from targets.base import GOT_ENTRY_OF, Expr, Target, sign_extend

from ._cache import LRU
from .layout import PAGE, Layout, align_up, page_down, page_up
from .link import Image
from .objfile import ObjectFile
from .toolchain import zig

_M32, _M64 = (1 << 32) - 1, (1 << 64) - 1
#: lld's TLS relaxations to local-exec in a static link (X86_64.cpp relaxTlsGdToLe / relaxTlsIeToLe /
#: the R_DTPREL case, AArch64.cpp relaxTlsGdToLe / relaxTlsIeToLe): type -> (byte offset from the
#: site, size, lld's bytes there as a function of v = TP offset + A and the instruction word as
#: the object has it).  lld relaxes nothing on Arm (Relocations.cpp: execOptimize excludes EM_ARM).
RELAXED = {
    "R_X86_64_GOTTPOFF": (0, 4, lambda v, w: (v + 4) & _M32),           # mov $x@tpoff, %reg / lea
    "R_X86_64_TLSGD": (8, 4, lambda v, w: (v + 4) & _M32),              # mov %fs:0, %rax; lea x@tpoff(%rax)
    "R_X86_64_GOTPC32_TLSDESC": (0, 4, lambda v, w: (v + 4) & _M32),    # mov $x@tpoff, %reg
    "R_X86_64_DTPOFF32": (0, 4, lambda v, w: v & _M32),                 # x@tpoff after LD -> LE
    "R_X86_64_DTPOFF64": (0, 8, lambda v, w: v & _M64),
    "R_AARCH64_TLSDESC_ADR_PAGE21": (0, 4, lambda v, w: 0xD2A00000 | (((v >> 16) & 0xFFFF) << 5)),  # movz x0
    "R_AARCH64_TLSDESC_LD64_LO12": (0, 4, lambda v, w: 0xF2800000 | ((v & 0xFFFF) << 5)),           # movk x0
    "R_AARCH64_TLSIE_ADR_GOTTPREL_PAGE21": (0, 4, lambda v, w: 0xD2A00000 | (w & 0x1F) | (((v >> 16) & 0xFFFF) << 5)),
    "R_AARCH64_TLSIE_LD64_GOTTPREL_LO12_NC": (0, 4, lambda v, w: 0xF2800000 | (w & 0x1F) | ((v & 0xFFFF) << 5)),
}
#: Relaxed sequences with no value where the site was.
RELAXED_NO_VALUE = frozenset({"R_X86_64_TLSLD", "R_AARCH64_TLSDESC_ADD_LO12"})
#: Types whose relaxation also rewrites the next relocation's site (lld's getTlsGdRelaxSkip: the call).
RELAXED_WITH_CALL = frozenset({"R_X86_64_TLSGD", "R_X86_64_TLSLD"})


def lld_relaxes_tls(target: Target) -> bool:
    """lld relaxes the dynamic TLS models to local-exec in a static link on every target
    but Arm (Relocations.cpp, handleTlsRelocation: execOptimize)."""
    return target.elf_machine != "EM_ARM"


def tls_base(layout: Layout, space: Tuple[int, int]) -> int:
    """Where lld's PT_TLS starts: just past the layout (or, when that is the top of the
    address space, just below it), at a page boundary.  TP and DTP offsets do not depend on
    it, and lld's output file spans the layout and its TLS (so not the rig's TLS area)."""
    size = page_up(layout.tls.size)
    top = page_up(max(p.end for p in layout.placements)) + PAGE
    if top + size <= space[1]:
        return top
    return page_down(min(p.address for p in layout.placements)) - size - PAGE


def lld_tls_sections(layout: Layout, space: Tuple[int, int]) -> Dict[int, int]:
    """Where lld is told to put the object's TLS sections: at their offsets in the image from
    `tls_base`."""
    if layout.tls is None:
        return {}
    base = tls_base(layout, space)
    return {sec: base + a - layout.tls.dtp for sec, a in layout.tls.sections.items()}


_PADS = LRU(64)       # (target, assembly) -> object bytes


def pad_object(obj: ObjectFile, layout: Layout, target: Target, externals: Dict[str, int]
               ) -> Tuple[Optional[bytes], Tuple[Tuple[str, int], ...]]:
    """(bytes, ((section, image offset), ...)) of an object whose TLS sections fill the
    rig's TLS image around `obj`'s own: a PROGBITS one from the image's start to the
    object's first TLS section, a NOBITS one from the object's end (at the image's
    alignment) to p_memsz.  They carry the image's alignment, and define `externals`
    (name -> image offset: other modules' TLS symbols) at their offsets.  lld's PT_TLS is
    then the rig's image (None: the object has no TLS)."""
    tls = layout.tls
    if tls is None:
        return None, ()
    own = sorted((a - tls.dtp, a - tls.dtp + obj.section(s).size) for s, a in tls.sections.items())
    lead_end = own[0][0] if own else 0
    tail_start = align_up(own[-1][1], tls.align) if own else 0
    lines, pads = [], []
    for name, start, end, kind in ((".tdata.rig_lead", 0, lead_end, "progbits"),
                                   (".tbss.rig_tail", tail_start, tls.size, "nobits")):
        if end <= start:
            continue
        lines += [f'.section {name},"awT",%{kind}', f".p2align {tls.align.bit_length() - 1}"]
        at = start
        for sym, off in sorted(((n, o) for n, o in externals.items() if start <= o < end), key=lambda x: x[1]):
            lines += [f".zero {off - at}", f'.globl "{sym}"', f'.type "{sym}", %tls_object', f'"{sym}":']
            at = off
        lines.append(f".zero {end - at}")
        pads.append((name, start))
    text = "\n".join(lines) + "\n"
    key = (target.name, text)
    data = _PADS.get(key)
    if data is None:
        with tempfile.TemporaryDirectory(prefix="rig-lld-pad-") as tmp:
            (Path(tmp) / "pad.s").write_text(text)
            zig(["cc", *target.clang_args, "-c", "pad.s", "-o", "pad.o"], tmp, "assembling the TLS image's padding")
            data = _PADS[key] = (Path(tmp) / "pad.o").read_bytes()
    return data, tuple(pads)


def relaxed_calls(obj: ObjectFile) -> frozenset:
    """(section, offset) of the relocations lld's TLS relaxation consumes with the one
    before them (the call to __tls_get_addr after a GD or LD `lea`)."""
    out = set()
    for a, b in zip(obj.relocations, obj.relocations[1:]):
        if a.howto.name in RELAXED_WITH_CALL and b.section == a.section:
            out.add((b.section, b.offset))
    return frozenset(out)


def tls_value(rel, rec, image: Image, layout: Layout, rig_off, ptr: int) -> int:
    """The TP offset (+ A) a TLS site of the rig stands for: what its GOT entry holds (a
    GD pair's DTP offset, an S + A - DTP value, moved to the thread pointer)."""
    tls = layout.tls
    expr = rel.howto.expr
    if expr is Expr.DTPREL:
        return rec.value + tls.dtp - tls.tp
    kind = GOT_ENTRY_OF[expr]
    at = rig_off[(kind, rel.symbol)] + (ptr if kind in ("gd", "desc") else 0)
    word = sign_extend(int.from_bytes(image.got[at:at + ptr], "little"), 8 * ptr)
    return word + rel.addend + (tls.dtp - tls.tp if kind == "gd" else 0)
