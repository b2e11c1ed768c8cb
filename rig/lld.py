"""A trusted linker as the oracle: link an object with ld.lld at the layout
the rig chose and compare, site by site, the fields both wrote.

lld (from the `ziglang` package) gets a linker script that puts every
allocatable input section in an output section of its own at the rig's
address, `--defsym` for every external at the address the rig resolved it
to, and `--no-relax`.  Sites the rig sent through a GOT slot or a stub are
not compared byte for byte (the two linkers lay those out differently); for
them the caller checks the slot or the stub instead.
"""
from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from targets.base import GOT_BASE_EXPRS, Target

from .errors import RigError
from .layout import GOT, Layout
from .link import GOT_SYMBOL, UNWIND_SECTIONS, Image
from .objfile import ObjectFile
from .toolchain import zig

#: Sections lld rewrites on its own terms (unwind tables: merged, sorted, deduplicated).
SKIPPED = UNWIND_SECTIONS


@dataclass(frozen=True)
class SiteDifference:
    """A relocation site where the rig and lld wrote different bytes."""

    section: str
    offset: int
    type: str
    symbol: str
    rig: bytes
    lld: bytes

    def __str__(self) -> str:
        return (f"{self.type} at {self.section}+{self.offset:#x} against {self.symbol}: rig wrote "
                f"{self.rig.hex()}, lld wrote {self.lld.hex()}")


@dataclass
class Comparison:
    """What comparing one linked object with lld's output found."""

    compared: int
    skipped: int
    differences: List[SiteDifference]
    types: Dict[str, int]                 #: relocation type -> sites compared


def script(obj: ObjectFile, layout: Layout) -> str:
    """The linker script that reproduces `layout`."""
    lines = ["SECTIONS {"]
    for p in sorted(layout.placements, key=lambda p: p.address):
        if p.item.name.startswith(SKIPPED):
            continue
        if p.item.key == GOT:
            # lld's GOT where the rig's is: GOT-base-relative values then agree, and
            # lld does not put it on top of another section.
            lines.append(f"  .got {p.address:#x} : {{ *(.got) *(.got.plt) }}")
            continue
        lines.append(f"  {p.item.name} {p.address:#x} : {{ *({p.item.name}) }}")
    lines.append("  /DISCARD/ : { " + " ".join(f"*({s}*)" for s in SKIPPED) + " }")
    lines.append("}")
    return "\n".join(lines) + "\n"


def link(obj_bytes: bytes, obj: ObjectFile, layout: Layout, externals: Dict[str, int],
         entry: Optional[str] = None) -> Tuple[Dict[str, bytes], Dict[str, int]]:
    """lld's bytes of every placed section, linked at `layout`, and its symbol
    values (Thumb bit included) for names that are unique in the object."""
    from elftools.elf.elffile import ELFFile
    names = [s.name for s in obj.sections]
    if len(set(names)) != len(names):
        raise RigError(f"{obj.name}: sections with the same name cannot be placed one by one in a linker script")
    with tempfile.TemporaryDirectory(prefix="rig-lld-") as tmp:
        d = Path(tmp)
        (d / "in.o").write_bytes(obj_bytes)
        (d / "link.ld").write_text(script(obj, layout))
        args = ["ld.lld", "-static", "-nostdlib", "--no-relax", "-T", "link.ld", "-o", "out", "in.o",
                "-z", "norelro", "--no-warn-mismatch",
                "-O0",                    # no merging of SHF_MERGE constants: offsets stay the object's
                "-e", entry or "0"]
        args += [f"--defsym={n}={a:#x}" for n, a in sorted(externals.items())]
        zig(args, tmp, f"linking {obj.name} with ld.lld")
        # lld's file is as long as the layout's span (sparse on disk): read only the sections.
        with open(d / "out", "rb") as stream:
            elf = ELFFile(stream)
            sections = {s.name: s.data() for s in elf.iter_sections() if s.name in names}
            symbols = _symbols(elf, obj)
        return sections, symbols


def _symbols(elf, obj: ObjectFile) -> Dict[str, int]:
    """lld's value for every symbol name that is unique in the object."""
    counts: Dict[str, int] = {}
    for sym in obj.symbols:
        counts[sym.name] = counts.get(sym.name, 0) + 1
    symbols = {}
    tab = elf.get_section_by_name(".symtab")
    for sym in (tab.iter_symbols() if tab is not None else ()):
        if sym.name and counts.get(sym.name) == 1 and sym["st_shndx"] != "SHN_UNDEF":
            symbols[sym.name] = sym["st_value"]
    return symbols


def compare(obj_bytes: bytes, obj: ObjectFile, layout: Layout, image: Image, target: Target,
            resolve) -> Comparison:
    """Link with lld at the rig's layout and compare every directly written field.

    Externals are defined for lld where the rig's sites reach them: at the
    symbol, or at the one stub all of a symbol's far sites share (lld would
    refuse a branch out of range to an absolute symbol).  A symbol reached
    several ways is defined at one of the rig's stubs, and only the sites
    aimed there are compared.
    """
    by_site = {(r.section, r.offset): r for r in image.trace}
    reached: Dict[str, Dict[int, bool]] = {}        # external -> {address its sites branch or point to: is a stub}
    for rel in obj.relocations:
        sym = obj.symbols[rel.symbol] if rel.symbol else None
        rec = by_site.get((obj.section(rel.section).name, rel.offset))
        if sym is not None and sym.kind == "undefined" and rec is not None and rec.via in ("direct", "stub"):
            where = reached.setdefault(sym.name, {})
            where[rec.stub if rec.via == "stub" else rec.S] = rec.via == "stub"
    externals = {}
    for sym in obj.symbols:
        if sym.kind == "undefined" and sym.name and sym.name not in externals and sym.name != GOT_SYMBOL:
            where = reached.get(sym.name, {})
            stubs = sorted(a for a, is_stub in where.items() if is_stub)
            if len(where) == 1:
                externals[sym.name] = next(iter(where))
            elif stubs:
                # lld cannot reach a far absolute symbol from a branch (and makes no
                # x86-64 thunks): give it one of the rig's stubs; sites aimed elsewhere
                # are left out below.
                externals[sym.name] = stubs[0]
            else:
                found = resolve(sym.name)
                if found is not None:
                    externals[sym.name] = found[0] | int(found[1])
    entry = next((n for n in image.symbols), None)
    theirs, lld_symbols = link(obj_bytes, obj, layout, externals, entry)
    diffs, types, compared, skipped = [], {}, 0, 0
    for rel in obj.relocations:
        sec = obj.section(rel.section)
        rec = by_site.get((sec.name, rel.offset))
        fld = rel.howto.field
        sym = obj.symbols[rel.symbol] if rel.symbol else None
        external = sym is not None and sym.kind == "undefined"
        aimed = rec is not None and (rec.stub if rec.via == "stub" else rec.S)
        if (fld is None or rec is None or rec.via not in ("direct", "stub")
                or (rec.via == "stub" and not external)
                or (external and externals.get(sym.name) != aimed)
                or sec.name.startswith(SKIPPED) or rel.howto.expr in GOT_BASE_EXPRS or sec.nobits):
            skipped += 1
            continue
        mine = bytes(image.sections[rel.section][rel.offset:rel.offset + fld.size])
        lld_bytes = theirs[sec.name][rel.offset:rel.offset + fld.size]
        compared += 1
        types[rel.howto.name] = types.get(rel.howto.name, 0) + 1
        if mine != lld_bytes:
            diffs.append(SiteDifference(sec.name, rel.offset, rel.howto.name, rec.symbol, mine, lld_bytes))
    diffs += _check_slots_and_stubs(obj, layout, image, target, lld_symbols, resolve)
    return Comparison(compared, skipped, diffs, types)


def _check_slots_and_stubs(obj, layout, image, target, lld_symbols, resolve) -> List[SiteDifference]:
    """Each GOT slot must hold, and each stub reach, the address lld gives the symbol
    (an external's: the resolver's)."""
    def expected(index: int) -> Optional[int]:
        sym = obj.symbols[index]
        if sym.kind == "undefined":
            found = resolve(sym.name)
            return None if found is None else found[0] | int(found[1])
        if sym.type == "section" and sym.section is not None:
            return layout.address(sym.section)
        return lld_symbols.get(sym.name)

    out = []
    ptr = target.pointer_size
    for i, index in enumerate(obj.got_symbols):
        want = expected(index)
        got = int.from_bytes(image.got[i * ptr:(i + 1) * ptr], "little") if image.got else None
        if want is not None and got != want:
            out.append(SiteDifference("GOT", i * ptr, "GOT slot", obj.symbols[index].name,
                                      (got or 0).to_bytes(ptr, "little"), want.to_bytes(ptr, "little")))
    for (section, index, state, extra), L in image.stubs.items():
        want = expected(index)
        want = None if want is None else ((want & ~1) + extra) | (want & 1)
        off = L - layout.address(section)
        reached = target.stub_target(bytes(image.sections[section][off:off + target.stub_size]))
        if want is not None and reached != want:
            out.append(SiteDifference(obj.section(section).name, off, f"stub ({state})", obj.symbols[index].name,
                                      reached.to_bytes(ptr, "little"), want.to_bytes(ptr, "little")))
    return out
