"""A trusted linker as the oracle: link an object with ld.lld at the layout
the rig chose and compare, site by site, the fields both wrote.

lld (from the `ziglang` package) gets a linker script that puts every
allocatable input section in an output section of its own at the rig's
address, `--defsym` for every external at the address the rig's sites reach
it at, and `--no-relax` (no GOT relaxation: lld writes the instruction the
compiler chose, as the rig does; TLS sequences it relaxes all the same, see
below).

What is compared, byte for byte, at the rig's own addresses:

* every relocated field the rig wrote directly (S + A, S + A - P, pages,
  MOVW chunks, sizes, branches that reach their target);
* branches through a rig stub to an external (lld is given the stub's
  address for the symbol);
* GOT-relative fields: slot-relative ones (x86-64 GOT32, GOT64,
  GOTPCREL, GOTPCRELX, REX_GOTPCRELX; Arm GOT_PREL, TARGET2, GOT_BREL;
  AArch64 ADR_GOT_PAGE, LD64_GOT_LO12_NC, LD64_GOTPAGE_LO15) and
  GOT-base-relative ones (GOTPC32, GOTPC64, GOTOFF64, PLTOFF64, BASE_PREL,
  GOTOFF32, and any field against `_GLOBAL_OFFSET_TABLE_`).  For these lld's
  GOT must be the rig's: the same base, the same slots in the same order.
  The base: where it is, is the linker's choice (the psABIs only ask that
  `_GLOBAL_OFFSET_TABLE_` and the GOT-base-relative types agree).  The rig
  uses the start of its GOT; lld uses the start of `.got` on Arm and
  AArch64 but of `.got.plt` on x86-64.  The script puts both output sections
  at the rig's GOT, so every target's base is the rig's; they overlap in
  memory (hence `--no-check-sections`), and `AT()` gives `.got.plt` a
  segment of its own so that its file bytes do not overwrite `.got`'s.
  The order: lld numbers slots in symbol-table order, global symbols first,
  then each file's locals (`postScanRelocations`); the rig in order of first
  reference.  lld therefore links a copy of the object (`symbols_first`)
  whose symbol table lists the GOT's symbols as its first global symbols,
  in the rig's slot order; a local one becomes a hidden global under a new
  name (a section symbol loses its type): same address, and nothing a static
  link could preempt;
* every GOT slot: the rig's holds the address the symbol has (lld's value
  for the object's own, the resolver's for an external), and lld's slot
  the same word.  If the rig's slot is right and lld's is not, lld did not
  number its slots as predicted: a `RigError`, not a difference;
* every stub: it reaches the address lld gives the symbol.

What is not compared is counted in `Comparison.uncompared` (type -> reason
-> sites), never dropped silently:

* markers (R_*_NONE, V4BX): nothing is written;
* unwind tables (.eh_frame, .ARM.exidx, .ARM.extab): lld rebuilds them
  (merges, sorts and deduplicates entries, adds some) instead of patching
  them in place, so they are discarded from its link;
* branches through a stub to a symbol of the object itself: lld makes its
  own thunk (at another address) or, on x86-64, has none; the stub is
  checked instead;
* a site reaching an external in another way than the address lld was given
  for it (a function both called through a far stub and reached directly);
* sites against a GOT slot lld numbers differently: lld gives no slot to a
  symbol that only unwind tables reach through the GOT (it discards them),
  so the rig's later slots are one off in lld's GOT;
* sites in a section the rig did not link (a dropped COMDAT member) or in
  a NOBITS one;
* sites in a section lld moved or grew with range-extension thunks of its
  own (sections far apart), or that such thunks overlap: their bytes are not
  at the rig's offsets in lld's output;
* lld's word in the slot of an external it only knows as a rig stub (lld's
  slot holds the stub): the rig's slot is checked against the resolver
  alone (`Comparison.slots` counts the slots compared with lld's).

Thread-local storage.  lld's PT_TLS is made the rig's TLS image: the
object's TLS sections go at their offsets in the image (`Layout.tls`) from a
base just past the layout (`tls_base`: the offsets are what matter, and lld's
output file spans what it places), and a second object made for the link
(`pad_object`) fills the rest of the image, [0, p_memsz) at the image's
alignment, and defines the TLS symbols of other modules at their offsets
(`rig.lld_tls`).  lld then computes the TP and DTP offsets the rig did
(lld's `getTlsTpOffset` for the same PT_TLS), and:

* local-exec sites (and every TLS site on Arm, where lld relaxes nothing)
  are compared byte for byte; the GOT entries of the dynamic models (the
  TP-offset slot, the GD pair, the LD pair) are compared word for word with
  lld's, which the same reordering puts at the same offsets (lld puts the LD
  pair first, the rig last: its sites then count as shifted);
* in a static link lld relaxes every other TLS sequence on x86-64 and
  AArch64 to local-exec (`--no-relax` does not stop it), rewriting the
  instructions; the rig keeps them and reaches its GOT.  Those sites are
  compared through the TP offset they stand for: the rig's value (its GOT
  entry's, or S + A - DTP translated to the TP) encoded as lld's relaxation
  writes it (`RELAXED`: the immediate of `mov $x, %reg`, of `movz`/`movk`)
  against lld's bytes.  A relaxed sequence that holds no value (x86-64 LD to
  LE, the `add` lld turns into a `nop`) and the call to `__tls_get_addr` lld
  replaces are counted as uncompared (`RELAXED_EMPTY`, `RELAXED_CALL`).

Types ld.lld 22 does not implement (x86-64 GOTPCREL64, GOTPLT64; Arm ABS16,
ABS8, THM_JUMP6) are in corpus files marked NOLLD, which the differential
test does not link with lld at all.
"""
from __future__ import annotations

import hashlib
import struct
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

from targets.base import GOT_ENTRY_OF, GOT_ENTRY_WORDS, TLS_EXPRS, Expr, Target

from ._cache import LRU
from .errors import RigError
from .layout import GOT, Layout
from .link import GOT_SYMBOL, UNWIND_SECTIONS, Image, got_offsets
from .lld_tls import (RELAXED, RELAXED_NO_VALUE, lld_relaxes_tls, lld_tls_sections, pad_object, relaxed_calls,
                      tls_base, tls_value)
from .objfile import ObjectFile
from .toolchain import zig

#: Sections lld rewrites on its own terms (unwind tables: merged, sorted, deduplicated).
SKIPPED = UNWIND_SECTIONS

#: Why a site is not compared (the keys of `Comparison.uncompared[type]`).
MARKER = "writes nothing (a marker)"
UNWIND = "in an unwind table, which lld rebuilds (merged, sorted, entries added) instead of patching"
LOCAL_STUB = "branches through a rig stub to the object's own symbol: lld makes its own thunk, elsewhere"
OTHER_WAY = "reaches an external another way (direct or another stub) than the address lld is given for it"
NOT_LINKED = "not linked by the rig (in a dropped section)"
NOBITS = "in a NOBITS section: no bytes to compare"
THUNKS = ("in a section lld moved or grew with range-extension thunks of its own, or that such thunks "
          "overlap: its bytes are not at the rig's offsets in lld's output")
SHIFTED_SLOT = ("its GOT slot is at another index in lld's GOT: lld has no slot for a symbol only unwind "
                "tables reach through the GOT, and the rig's slots after it are shifted")
RELAXED_EMPTY = ("lld relaxed its TLS sequence to local-exec, and what it wrote there holds no value "
                 "(x86-64 LD's `mov %fs:0, %rax`, AArch64 TLSDESC's `add` turned into a nop)")
RELAXED_CALL = "the call to __tls_get_addr in a TLS sequence lld relaxed to local-exec (lld overwrote it)"

#: The prefix of the names lld sees for local symbols that have a GOT slot.
RENAMED = "__rig_lld_got."


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
    #: relocation type -> why some of its sites were not compared -> how many
    uncompared: Dict[str, Dict[str, int]] = field(default_factory=dict)
    slots: int = 0                        #: GOT slots compared with lld's


@dataclass(frozen=True)
class Linked:
    """What lld made of the object."""

    sections: Dict[str, bytes]            #: placed section name -> bytes
    symbols: Dict[str, int]               #: unique names of the object -> value (Thumb bit included)
    got: Optional[bytes]                  #: the .got section's bytes (None: lld made no .got)
    bases: Dict[str, int]                 #: ".got" / ".got.plt" -> address, where lld made them
    spans: Dict[str, Tuple[int, int]] = field(default_factory=dict)   #: placed section -> (address, size)


def script(obj: ObjectFile, layout: Layout, pads: Sequence[Tuple[str, int]] = (),
           tls: Optional[Dict[int, int]] = None) -> str:
    """The linker script that reproduces `layout`, with the TLS sections at `tls` (section ->
    address), and `pads` ((section name, address) of `pad_object`'s sections) around them.
    A NOBITS TLS section gets no address: lld puts it where the TLS sections before it end,
    at its alignment (it ignores an address there), which is where the image has it."""
    lines = ["SECTIONS {"]
    tls = tls or {}
    nobits = {s.index for s in obj.sections if s.nobits}
    where = [(tls.get(p.item.key, p.address), p) for p in layout.placements] + [(a, n) for n, a in pads]
    for address, p in sorted(where, key=lambda w: w[0]):
        if isinstance(p, str):
            at = "" if p.startswith(".tbss") else f" {address:#x}"
            lines.append(f"  {p}{at} : {{ *({p}) }}")
            continue
        if p.item.name.startswith(SKIPPED):
            continue
        if p.item.key in tls:
            at = "" if p.item.key in nobits else f" {address:#x}"
            lines.append(f"  {p.item.name}{at} : {{ *({p.item.name}) }}")
            continue
        if p.item.key == GOT:
            # lld's GOT where the rig's is, and .got.plt (x86-64 lld's GOT base) at the same
            # address: GOT-relative values then agree on every target.  AT() puts .got.plt in
            # a segment of its own: its file bytes then do not overwrite those of .got.
            lines.append(f"  .got {p.address:#x} : {{ *(.got) }}")
            lines.append(f"  .got.plt {p.address:#x} : AT({p.address:#x}) {{ *(.got.plt) }}")
            continue
        lines.append(f"  {p.item.name} {p.address:#x} : {{ *({p.item.name}) }}")
    lines.append("  /DISCARD/ : { " + " ".join(f"*({s}*)" for s in SKIPPED) + " }")
    lines.append("}")
    return "\n".join(lines) + "\n"


def lld_got_entries(obj: ObjectFile, target: Optional[Target] = None) -> Tuple[Tuple[str, int], ...]:
    """The GOT entries lld makes, in its order: those a GOT relocation reaches from a
    section lld keeps (it discards unwind tables), TLS ones only where lld does not relax
    them, the LD pair first (postScanRelocations), the rest in the rig's order (which
    `symbols_first` makes lld's: one symbol's entries together, symbols in the order given)."""
    relaxed = target is not None and lld_relaxes_tls(target)
    kept = set()
    for r in obj.relocations:
        kind = GOT_ENTRY_OF.get(r.howto.expr)
        if kind is not None and not obj.section(r.section).name.startswith(SKIPPED) \
                and (kind == "slot" or not relaxed):
            kept.add((kind, 0 if kind == "ld" else r.symbol))
    entries = [e for e in obj.got_entries if e in kept]
    return tuple([e for e in entries if e[0] == "ld"] + [e for e in entries if e[0] != "ld"])


def lld_got_symbols(obj: ObjectFile, target: Optional[Target] = None) -> Tuple[int, ...]:
    """The symbols of lld's GOT entries, in its order (the order `symbols_first` gives them)."""
    return tuple(dict.fromkeys(s for kind, s in lld_got_entries(obj, target) if kind != "ld"))


_REORDERED = LRU(64)     # (object digest, symbols first) -> (bytes, renamed)


def link(obj_bytes: bytes, obj: ObjectFile, layout: Layout, externals: Dict[str, int],
         entry: Optional[str] = None, target: Optional[Target] = None,
         tls_externals: Optional[Dict[str, int]] = None) -> Linked:
    """lld's bytes of every placed section and of its GOT, linked at `layout`
    with the GOT's slots in the rig's order, and its symbol values (Thumb bit
    included) for names that are unique in the object.  With `target`, an
    object with TLS links with `pad_object` (`tls_externals`: other modules'
    TLS symbols -> image offsets), so that lld's PT_TLS is the rig's image."""
    from elftools.elf.elffile import ELFFile
    names = [s.name for s in obj.sections]
    if len(set(names)) != len(names):
        raise RigError(f"{obj.name}: sections with the same name cannot be placed one by one in a linker script")
    pad, pads = pad_object(obj, layout, target, tls_externals or {}) if target is not None else (None, ())
    tls_at = lld_tls_sections(layout, target.address_space) if target is not None else {}
    if pads:
        base = tls_base(layout, target.address_space)
        pads = tuple((name, base + off) for name, off in pads)
    first = lld_got_symbols(obj, target)
    renamed: Dict[str, int] = {}
    if first:
        key = (hashlib.sha1(obj_bytes).digest(), first)
        hit = _REORDERED.get(key)
        if hit is None:
            hit = _REORDERED[key] = symbols_first(obj_bytes, first)
        obj_bytes, renamed = hit
    with tempfile.TemporaryDirectory(prefix="rig-lld-") as tmp:
        d = Path(tmp)
        (d / "in.o").write_bytes(obj_bytes)
        (d / "link.ld").write_text(script(obj, layout, pads, tls_at))
        inputs = ["in.o"]
        if pad is not None:
            (d / "pad.o").write_bytes(pad)
            inputs.append("pad.o")
        args = ["ld.lld", "-static", "-nostdlib", "--no-relax", "-T", "link.ld", "-o", "out", *inputs,
                "-z", "norelro", "--no-warn-mismatch",
                "--no-check-sections",    # .got and .got.plt share the rig's GOT address
                "-O0",                    # no merging of SHF_MERGE constants: offsets stay the object's
                "-e", entry or "0"]
        args += [f"--defsym={n}={a:#x}" for n, a in sorted(externals.items())]
        zig(args, tmp, f"linking {obj.name} with ld.lld")
        # lld's file is as long as the layout's span (sparse on disk): read only the sections.
        with open(d / "out", "rb") as stream:
            elf = ELFFile(stream)
            sections, got, bases, spans = {}, None, {}, {}
            for s in elf.iter_sections():
                if s.name in (".got", ".got.plt"):
                    bases[s.name] = s["sh_addr"]
                    if s.name == ".got":
                        got = s.data()
                elif s.name in names:
                    sections[s.name] = s.data()
                    spans[s.name] = (s["sh_addr"], s["sh_size"])
            symbols = _symbols(elf, obj, renamed)
        return Linked(sections, symbols, got, bases, spans)


def _displaced(obj: ObjectFile, layout: Layout, lld: Linked, tls: Dict[int, int]) -> frozenset:
    """Sections whose bytes lld did not keep at the rig's offsets: lld placed
    range-extension thunks in them (so they moved or grew; `--no-check-sections`,
    which the shared GOT address needs, lets them overlap what follows), and the
    sections those grown ones overlap.  (TLS sections are where lld was told: `tls`.)"""
    out, grown = set(), []
    for sec in obj.sections:
        span = lld.spans.get(sec.name)
        if span is None or sec.nobits or layout.get(sec.index) is None:
            continue
        base = tls.get(sec.index, layout.address(sec.index))
        if span[0] != base:              # thunks before it: its bytes moved
            out.add(sec.name)
        if span != (base, sec.size):     # what lld added may lie on top of other sections
            grown.append((sec.name, span[0], span[0] + span[1], base, base + sec.size))
    for sec in obj.sections:
        base = layout.get(sec.index) if sec.size else None
        if base is None:
            continue
        base = tls.get(sec.index, base)
        for name, lo, hi, own_lo, own_hi in grown:
            if name != sec.name and lo < base + sec.size and base < hi and not (own_lo < base + sec.size
                                                                             and base < own_hi):
                out.add(sec.name)
    return frozenset(out)


def _symbols(elf, obj: ObjectFile, renamed: Dict[str, int]) -> Dict[str, int]:
    """lld's value for every symbol name that is unique in the object."""
    counts: Dict[str, int] = {}
    for sym in obj.symbols:
        counts[sym.name] = counts.get(sym.name, 0) + 1
    symbols = {}
    tab = elf.get_section_by_name(".symtab")
    for sym in (tab.iter_symbols() if tab is not None else ()):
        name = sym.name
        if name in renamed:
            name = obj.symbols[renamed[name]].name
        if name and counts.get(name) == 1 and sym["st_shndx"] != "SHN_UNDEF":
            symbols[name] = sym["st_value"]
    return symbols


_SHT_SYMTAB, _SHT_RELA, _SHT_REL, _SHT_GROUP, _SHT_SYMTAB_SHNDX = 2, 4, 9, 17, 18
_STB_GLOBAL, _STT_NOTYPE, _STT_SECTION, _STT_TLS, _STV_HIDDEN, _SHF_TLS = 1, 0, 3, 6, 2, 0x400


def symbols_first(data: bytes, first: Sequence[int]) -> Tuple[bytes, Dict[str, int]]:
    """A copy of the ELF relocatable object `data` whose symbol table lists
    the symbols `first` (indices) as its first global symbols, in that order,
    and {new name: index in `data`} of those that were local.

    A local one becomes a hidden global named `RENAMED<index>` (a section
    symbol loses its type: a global cannot be one).  Relocations, group
    signatures and SHT_SYMTAB_SHNDX follow the new indices; the longer string
    table is moved to the end of the file."""
    out = bytearray(data)
    if data[5] != 1:
        raise RigError("reordering the symbols of a big-endian object is not supported")
    is64 = data[4] == 2
    if is64:
        shoff, = struct.unpack_from("<Q", data, 0x28)
        shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
        shfmt, symfmt, symsize, info_at, other_at, shndx_at = "<IIQQQQIIQQ", "<IBBHQQ", 24, 1, 2, 3
    else:
        shoff, = struct.unpack_from("<I", data, 0x20)
        shentsize, shnum = struct.unpack_from("<HH", data, 0x2E)
        shfmt, symfmt, symsize, info_at, other_at, shndx_at = "<IIIIIIIIII", "<IIIBBH", 16, 3, 4, 5
    # a header: [name, type, flags, addr, offset, size, link, info, addralign, entsize]
    headers = [list(struct.unpack_from(shfmt, data, shoff + i * shentsize)) for i in range(shnum)]
    symtab = next(i for i, h in enumerate(headers) if h[1] == _SHT_SYMTAB)
    sh = headers[symtab]
    n, first_global = sh[5] // symsize, sh[7]
    syms = [list(struct.unpack_from(symfmt, data, sh[4] + i * symsize)) for i in range(n)]
    strtab = headers[sh[6]]
    strings = bytearray(data[strtab[4]:strtab[4] + strtab[5]])
    renamed: Dict[str, int] = {}
    front = set(first)
    for i in first:
        if i < first_global:
            name = f"{RENAMED}{i}"
            renamed[name] = i
            syms[i][0] = len(strings)
            strings += name.encode() + b"\0"
            typ = syms[i][info_at] & 0xF
            if typ == _STT_SECTION:     # a TLS section's symbol stays thread-local
                shndx = syms[i][shndx_at]
                typ = _STT_TLS if shndx < len(headers) and headers[shndx][2] & _SHF_TLS else _STT_NOTYPE
            syms[i][info_at] = (_STB_GLOBAL << 4) | typ
            syms[i][other_at] = (syms[i][other_at] & ~3) | _STV_HIDDEN
    order = ([i for i in range(first_global) if i not in front] + list(first)
             + [i for i in range(first_global, n) if i not in front])
    new = {old: k for k, old in enumerate(order)}
    for k, old in enumerate(order):
        struct.pack_into(symfmt, out, sh[4] + k * symsize, *syms[old])
    sh[7] = first_global - len(renamed)
    for h in headers:
        if h[6] != symtab:
            continue
        if h[1] in (_SHT_REL, _SHT_RELA):
            size = (16 if is64 else 8) + ((8 if is64 else 4) if h[1] == _SHT_RELA else 0)
            for off in range(h[4], h[4] + h[5], size):
                if is64:
                    info, = struct.unpack_from("<Q", out, off + 8)
                    struct.pack_into("<Q", out, off + 8, (new[info >> 32] << 32) | (info & 0xFFFFFFFF))
                else:
                    info, = struct.unpack_from("<I", out, off + 4)
                    struct.pack_into("<I", out, off + 4, (new[info >> 8] << 8) | (info & 0xFF))
        elif h[1] == _SHT_GROUP:
            h[7] = new[h[7]]
        elif h[1] == _SHT_SYMTAB_SHNDX:
            old = [bytes(data[h[4] + 4 * j:h[4] + 4 * j + 4]) for j in range(n)]
            out[h[4]:h[4] + 4 * n] = b"".join(old[o] for o in order)
    strtab[4], strtab[5] = len(out), len(strings)
    out += strings
    for i, h in enumerate(headers):
        struct.pack_into(shfmt, out, shoff + i * shentsize, *h)
    return bytes(out), renamed


def compare(obj_bytes: bytes, obj: ObjectFile, layout: Layout, image: Image, target: Target,
            resolve) -> Comparison:
    """Link with lld at the rig's layout and compare every field both wrote.

    Externals are defined for lld where the rig's sites reach them: at the
    symbol, or at the one stub all of a symbol's far sites share (lld would
    refuse a branch out of range to an absolute symbol).  A symbol reached
    several ways is defined at one of the rig's stubs, and only the sites
    aimed there are compared (and sites through its GOT slot: where a slot
    is, not what it holds, is in their fields).
    """
    by_site = {(r.section, r.offset): r for r in image.trace}
    reached: Dict[str, Dict[int, bool]] = {}        # external -> {address its sites branch or point to: is a stub}
    for rel in obj.relocations:
        sym = obj.symbols[rel.symbol] if rel.symbol else None
        rec = by_site.get((obj.section(rel.section).name, rel.offset))
        if sym is not None and sym.kind == "undefined" and rec is not None and rec.via in ("direct", "stub"):
            where = reached.setdefault(sym.name, {})
            where[rec.stub if rec.via == "stub" else rec.S] = rec.via == "stub"
    # Other modules' thread-local symbols are defined for lld by the padding of the TLS image.
    tls_symbols = {r.symbol for r in obj.relocations if r.howto.expr in TLS_EXPRS}
    tls_externals: Dict[str, int] = {}
    externals = {}
    for sym in obj.symbols:
        if sym.kind == "undefined" and sym.index in tls_symbols and layout.tls is not None:
            found = resolve(sym.name)
            if found is not None:
                tls_externals[sym.name] = found[0] - layout.tls.dtp
            continue
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
    lld = link(obj_bytes, obj, layout, externals, entry, target, tls_externals)
    _check_got_base(obj, layout, lld)
    # An entry's offset in the rig's GOT and in lld's (the same unless lld has no entry
    # before it: a symbol only unwind tables reach, a TLS entry lld relaxed away, its LD pair).
    ptr = target.pointer_size
    rig_off = got_offsets(obj, ptr)
    lld_off, at = {}, 0
    for e in lld_got_entries(obj, target):
        lld_off[e] = at
        at += GOT_ENTRY_WORDS[e[0]] * ptr
    same_entry = {e for e, off in lld_off.items() if rig_off.get(e) == off}
    relaxes = lld_relaxes_tls(target)
    rewritten = relaxed_calls(obj) if relaxes else frozenset()
    displaced = _displaced(obj, layout, lld, lld_tls_sections(layout, target.address_space))
    diffs, types, compared = [], {}, 0
    uncompared: Dict[str, Dict[str, int]] = {}
    for rel in obj.relocations:
        sec = obj.section(rel.section)
        rec = by_site.get((sec.name, rel.offset))
        fld = rel.howto.field
        sym = obj.symbols[rel.symbol] if rel.symbol else None
        expr = rel.howto.expr
        # _GLOBAL_OFFSET_TABLE_ is no external: both linkers define it, at the GOT's base; nor is
        # another module's TLS symbol: the padding defines it, at its place in the image
        external = sym is not None and sym.kind == "undefined" and sym.name != GOT_SYMBOL \
            and rel.symbol not in tls_symbols
        relaxed = relaxes and expr in TLS_EXPRS and expr is not Expr.TPREL
        kind = GOT_ENTRY_OF.get(expr)
        why = None
        if fld is None:
            why = MARKER
        elif sec.name.startswith(SKIPPED):
            why = UNWIND
        elif rec is None:
            why = NOT_LINKED
        elif sec.nobits:
            why = NOBITS
        elif sec.name in displaced:
            why = THUNKS
        elif (rel.section, rel.offset) in rewritten:
            why = RELAXED_CALL
        elif relaxed:
            if rel.howto.name in RELAXED_NO_VALUE:
                why = RELAXED_EMPTY
            elif rel.howto.name not in RELAXED:
                raise RigError(f"{obj.name}: lld relaxes {rel.howto.name} in a static link, and rig.lld has no "
                               f"rule for what it writes there")
        elif rec.via == "got":
            if (kind, 0 if kind == "ld" else rel.symbol) not in same_entry:
                why = SHIFTED_SLOT
        elif rec.via == "stub" and not external:
            why = LOCAL_STUB
        elif external and externals.get(sym.name) != (rec.stub if rec.via == "stub" else rec.S):
            why = OTHER_WAY
        if why is not None:
            reasons = uncompared.setdefault(rel.howto.name, {})
            reasons[why] = reasons.get(why, 0) + 1
            continue
        if relaxed:
            # what lld's relaxation writes, from the TP offset the rig's site reaches
            delta, size, rule = RELAXED[rel.howto.name]
            value = tls_value(rel, rec, image, layout, rig_off, ptr)
            mine = (rule(value, int.from_bytes(rec.before, "little")) & ((1 << (8 * size)) - 1)).to_bytes(
                size, "little")
            start = rel.offset + delta
        else:
            size, start = fld.size, rel.offset
            mine = bytes(image.sections[rel.section][start:start + size])
        lld_bytes = lld.sections[sec.name][start:start + size]
        compared += 1
        types[rel.howto.name] = types.get(rel.howto.name, 0) + 1
        if mine != lld_bytes:
            diffs.append(SiteDifference(sec.name, start, rel.howto.name, rec.symbol, mine, lld_bytes))
    slot_diffs, slots = _check_slots(obj, layout, image, target, lld, lld_off, rig_off, externals, resolve)
    diffs += slot_diffs + _check_stubs(obj, layout, image, target, lld.symbols, resolve)
    skipped = sum(n for reasons in uncompared.values() for n in reasons.values())
    return Comparison(compared, skipped, diffs, types, uncompared, slots)


def _check_got_base(obj: ObjectFile, layout: Layout, lld: Linked) -> None:
    """lld's GOT sections must be where the script put them, at the rig's GOT."""
    bases = dict(lld.bases)
    if GOT_SYMBOL in lld.symbols:
        bases[GOT_SYMBOL] = lld.symbols[GOT_SYMBOL]
    for name, address in bases.items():
        if address != layout.got:
            raise RigError(f"{obj.name}: lld put {name} at {address:#x}, not at the rig's GOT "
                           f"{layout.got if layout.got is None else hex(layout.got)}")


def _expected(obj: ObjectFile, layout: Layout, lld_symbols: Dict[str, int], resolve, index: int) -> Optional[int]:
    """The address (Thumb bit included) a symbol has: lld's for the object's own
    ones, the resolver's for an external."""
    sym = obj.symbols[index]
    if sym.kind == "undefined":
        found = resolve(sym.name)
        return None if found is None else found[0] | int(found[1])
    if sym.type == "section" and sym.section is not None:
        return layout.address(sym.section)
    return lld_symbols.get(sym.name)


def _check_slots(obj, layout, image, target, lld: Linked, lld_off: Dict[tuple, int], rig_off: Dict[tuple, int],
                 externals, resolve) -> Tuple[List[SiteDifference], int]:
    """Each GOT slot must hold the address lld gives the symbol (an external's:
    the resolver's), and the word lld's slot for the symbol holds; each TLS
    entry lld has too (on Arm: TP offsets, GD and LD pairs), lld's words.

    lld's slot holds what it was told: for an external lld knows only as a
    stub of the rig's, not the resolver's address; that slot is only checked
    against the resolver.  A slot where the rig holds the right address and
    lld another means lld's slots are not in the predicted order: a
    `RigError`, since every GOT-relative site compared would be meaningless."""
    out: List[SiteDifference] = []
    ptr = target.pointer_size
    mask = (1 << (8 * ptr)) - 1
    slots = 0
    for e in obj.got_entries:
        kind, index = e
        i, j = rig_off[e], lld_off.get(e)
        sym = obj.symbols[index]
        if kind != "slot":
            if j is None:
                continue               # relaxed away by lld: its sites compare the value
            n = GOT_ENTRY_WORDS[kind] * ptr
            mine = image.got[i:i + n] if image.got else b""
            theirs = lld.got[j:j + n] if lld.got is not None else b""
            slots += 1
            if theirs != mine:
                out.append(SiteDifference("GOT", i, f"GOT {kind} entry", sym.name, mine, theirs))
            continue
        if sym.type == "tls":
            continue                   # an address slot for a TLS symbol: an image address, which lld has not
        want = _expected(obj, layout, lld.symbols, resolve, index)
        mine = image.got[i:i + ptr] if image.got else b""
        right = None if want is None else (want & mask).to_bytes(ptr, "little")
        if right is not None and mine != right:
            out.append(SiteDifference("GOT", i, "GOT slot", sym.name, mine, right))
            continue
        if j is None or (sym.kind == "undefined" and want is not None and externals.get(sym.name) != want):
            continue
        theirs = lld.got[j:j + ptr] if lld.got is not None else b""
        slots += 1
        if theirs != mine:
            if want is not None:
                raise RigError(f"{obj.name}: lld's GOT slot at {j:#x} holds {theirs.hex() or 'nothing'}, not the "
                               f"address of {sym.name or 'symbol %d' % index} the rig's slot at {i:#x} holds "
                               f"({mine.hex()}): lld did not lay its GOT out in the predicted order")
            out.append(SiteDifference("GOT", i, "GOT slot", sym.name, mine, theirs))
    return out, slots


def _check_stubs(obj, layout, image, target, lld_symbols, resolve) -> List[SiteDifference]:
    """Each stub must reach the address lld gives the symbol (an external's: the resolver's)."""
    out = []
    ptr = target.pointer_size
    for (section, index, state, extra), L in image.stubs.items():
        want = _expected(obj, layout, lld_symbols, resolve, index)
        want = None if want is None else ((want & ~1) + extra) | (want & 1)
        off = L - layout.address(section)
        reached = target.stub_target(bytes(image.sections[section][off:off + target.stub_size]))
        if want is not None and reached != want:
            out.append(SiteDifference(obj.section(section).name, off, f"stub ({state})", obj.symbols[index].name,
                                      reached.to_bytes(ptr, "little"), want.to_bytes(ptr, "little")))
    return out
