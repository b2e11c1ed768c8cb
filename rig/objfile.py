"""ELF relocatable object -> `ObjectFile`: parsed once, immutable, plain Python.

This is the only module that calls pyelftools.  Everything later (layout,
link, process) works on the tuples made here, so relocating for a new
placement never parses again.  REL addends are read from their fields here,
once, through the target's field readers.
"""
from __future__ import annotations

import io
import pickle
import struct
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Mapping, Optional, Tuple

from targets.base import GOT_BASE_EXPRS, GOT_ENTRY_OF, TLS_EXPRS, Expr, Howto, Target, sign_extend

from .errors import BadObject, UnsupportedRelocation

SHF_WRITE, SHF_ALLOC, SHF_EXECINSTR, SHF_TLS = 0x1, 0x2, 0x4, 0x400
SHN_UNDEF, SHN_ABS, SHN_COMMON = 0, 0xFFF1, 0xFFF2


@dataclass(frozen=True)
class Section:
    """An allocatable section: its bytes (None for NOBITS), size, alignment, permissions."""

    index: int
    name: str
    size: int
    align: int
    data: Optional[bytes]
    perms: str                    #: "r", "rw", "rx" or "rwx"
    thumb_only: bool = False      #: code whose functions are all Thumb (needs halfwords, not words)
    tls: bool = False             #: SHF_TLS (.tdata, .tbss): the initial image of thread-local variables

    @property
    def executable(self) -> bool:
        """True for code."""
        return "x" in self.perms

    @property
    def nobits(self) -> bool:
        """True for .bss-like sections, which occupy memory but no file bytes."""
        return self.data is None


@dataclass(frozen=True)
class Symbol:
    """A symbol table entry.  `section` is a section index, or None for
    undefined, absolute ("abs") and common ("common") symbols, which `kind` tells.
    `value` has the Thumb bit stripped; `thumb` keeps it."""

    index: int
    name: str
    binding: str                  #: "local", "global", "weak"
    type: str                     #: "func", "object", "section", "notype", "file", ...
    section: Optional[int]
    kind: str                     #: "defined", "undefined", "abs", "common"
    value: int
    size: int
    thumb: bool = False


@dataclass(frozen=True)
class Relocation:
    """One relocation site: patch `section` at `offset` with `howto`, for
    symbol `symbol` (an index; 0 means none) and addend `addend`."""

    section: int
    offset: int
    type: int
    symbol: int
    addend: int
    howto: Howto


@dataclass(frozen=True)
class Group:
    """A COMDAT section group: a linker keeps one group per signature across
    every object it links and drops the others' member sections."""

    signature: str
    sections: Tuple[int, ...]            #: the allocatable member sections


@dataclass(frozen=True)
class ObjectFile:
    """A parsed object: what the memory manager and the linker need, nothing more."""

    name: str
    target: str
    sections: Tuple[Section, ...]                 #: the allocatable ones
    symbols: Tuple[Symbol, ...]                   #: the whole table, index = position
    relocations: Tuple[Relocation, ...]
    got_symbols: Tuple[int, ...]                  #: symbols that need a GOT slot, in slot order
    needs_got: bool
    stub_slots: Mapping[int, int]                 #: code section -> most stubs its branches may need
    by_name: Mapping[str, int] = field(default_factory=dict)   #: global/weak definitions
    groups: Tuple[Group, ...] = ()
    commons: Mapping[int, int] = field(default_factory=dict)   #: COMMON symbol -> offset in the COMMON block
    common_size: int = 0                  #: bytes the memory manager allocates for COMMON symbols
    common_align: int = 1
    #: the GOT, entry by entry: (kind, symbol) with kind "slot" (the symbol's address), "tp"
    #: (its TP offset), "gd" / "desc" (two words) or "ld" (two words, symbol 0), in GOT order:
    #: the address slots first (in order of first reference; `got_symbols` lists them), then
    #: each TLS symbol's entries (in order of first reference: "desc", "gd", "tp", the order lld
    #: gives one symbol's entries), then the "ld" pair
    got_entries: Tuple[Tuple[str, int], ...] = ()
    needs_tls: bool = False               #: TLS sections or TLS relocations: the program's TLS image is needed

    def __post_init__(self):
        object.__setattr__(self, "_by_index", {s.index: s for s in self.sections})

    def section(self, index: int) -> Section:
        """The allocatable section with ELF index `index`."""
        try:
            return self._by_index[index]
        except KeyError:
            raise BadObject(f"{self.name}: no allocatable section with index {index}") from None

    def section_named(self, name: str) -> Optional[Section]:
        """The allocatable section called `name`, or None."""
        for s in self.sections:
            if s.name == name:
                return s
        return None


def parse(data: bytes, target: Target, name: str = "<object>") -> ObjectFile:
    """Parse ELF relocatable bytes for `target`, or raise `BadObject` /
    `UnsupportedRelocation` naming what is wrong and where."""
    from elftools.common.exceptions import ELFError
    try:
        return _parse(data, target, name)
    except (BadObject, UnsupportedRelocation):
        raise
    except (ELFError, struct.error, ValueError, KeyError, IndexError, TypeError, AttributeError,
            UnicodeDecodeError, AssertionError) as e:
        raise BadObject(f"{name}: malformed or truncated ELF object ({type(e).__name__}: {e})") from None


def _parse(data: bytes, target: Target, name: str) -> ObjectFile:
    from elftools.elf.elffile import ELFFile
    from elftools.elf.relocation import RelocationSection
    from elftools.elf.sections import SymbolTableSection

    if not data.startswith(b"\x7fELF"):
        raise BadObject(f"{name}: not an ELF file (starts with {data[:4]!r})")
    elf = ELFFile(io.BytesIO(data))
    if elf.header["e_machine"] != target.elf_machine or elf.elfclass != target.elf_class:
        raise BadObject(f"{name}: object is for {elf.header['e_machine']} ELFCLASS{elf.elfclass}, "
                        f"not for target {target.name} ({target.elf_machine} ELFCLASS{target.elf_class})")
    if not elf.little_endian:
        raise BadObject(f"{name}: big-endian objects are not supported")
    if elf.header["e_type"] != "ET_REL":
        raise BadObject(f"{name}: expected a relocatable object (ET_REL), got {elf.header['e_type']}")
    if len(data) < elf.header["e_shoff"] + elf.header["e_shnum"] * elf.header["e_shentsize"]:
        raise BadObject(f"{name}: truncated: the section header table ends past the file's "
                        f"{len(data)} bytes")

    sections = []
    raw = {}
    for index, sec in enumerate(elf.iter_sections()):
        if not sec["sh_flags"] & SHF_ALLOC:
            continue
        nobits = sec["sh_type"] == "SHT_NOBITS"
        size = sec["sh_size"]
        body = None if nobits else sec.data()
        if body is not None and len(body) != size:
            raise BadObject(f"{name}: section {sec.name} is truncated ({len(body)} of {size} bytes)")
        flags = sec["sh_flags"]
        perms = "r" + ("w" if flags & SHF_WRITE else "") + ("x" if flags & SHF_EXECINSTR else "")
        sections.append(Section(index, sec.name, size, max(1, sec["sh_addralign"]), body, perms,
                                tls=bool(flags & SHF_TLS)))
        raw[index] = body
    alloc = {s.index for s in sections}

    symtab = next((s for s in elf.iter_sections() if isinstance(s, SymbolTableSection)), None)
    symbols = []
    if symtab is not None:
        for i, sym in enumerate(symtab.iter_symbols()):
            symbols.append(_symbol(i, sym, target, alloc))
    funcs: dict = {}
    for sym in symbols:
        if sym.type == "func" and sym.section is not None:
            funcs.setdefault(sym.section, []).append(sym.thumb)
    sections = [Section(s.index, s.name, s.size, s.align, s.data, s.perms,
                        bool(funcs.get(s.index)) and all(funcs[s.index]), s.tls) for s in sections]
    by_name = {s.name: s.index for s in symbols
               if s.binding in ("global", "weak") and s.kind != "undefined" and s.name}

    relocations = []
    for rsec in elf.iter_sections():
        if not isinstance(rsec, RelocationSection):
            continue
        patched = rsec["sh_info"]
        if patched not in alloc:
            continue                     # debug info and the like are never loaded
        body = raw[patched]
        is_rela = rsec.is_RELA()
        for rel in rsec.iter_relocations():
            relocations.append(_relocation(rel, is_rela, patched, body, elf, target, symbols, name,
                                           _section_name(elf, patched)))

    needs_got = False
    needs_tls = any(s.tls for s in sections)
    wanted: dict = {}                    # GOT entry -> None, in order of first reference
    stubs: dict = {}
    stub_keys = set()
    for r in relocations:
        expr = r.howto.expr
        if expr in GOT_BASE_EXPRS or (r.symbol and symbols[r.symbol].name == "_GLOBAL_OFFSET_TABLE_"):
            needs_got = True
        kind = GOT_ENTRY_OF.get(expr)
        if kind is not None:
            wanted.setdefault((kind, 0 if kind == "ld" else r.symbol))
        if expr in TLS_EXPRS:
            needs_tls = True
            _check_tls_symbol(r, symbols, sections, name)
        key = (r.section, r.symbol, r.howto.stub_state, r.addend - r.howto.pc_bias)
        if expr is Expr.BRANCH and key not in stub_keys \
                and "x" in next(s.perms for s in sections if s.index == r.section):
            stub_keys.add(key)
            stubs[r.section] = stubs.get(r.section, 0) + 1
    # COMMON symbols (st_value is their alignment): one zeroed block, each at its alignment.
    commons, common_size, common_align = {}, 0, 1
    for sym in symbols:
        if sym.kind == "common":
            align = max(1, sym.value)
            if align & (align - 1):
                raise BadObject(f"{name}: COMMON symbol {sym.name!r} has alignment {align}, not a power of two")
            common_size = -(-common_size // align) * align
            commons[sym.index] = common_size
            common_size += max(1, sym.size)
            common_align = max(common_align, align)
    entries = got_order(wanted)
    got = tuple(s for kind, s in entries if kind == "slot")
    return ObjectFile(name, target.name, tuple(sections), tuple(symbols), tuple(relocations),
                      got, needs_got or bool(entries), MappingProxyType(stubs), MappingProxyType(by_name),
                      _groups(elf, symtab, alloc, name), MappingProxyType(commons), common_size, common_align,
                      entries, needs_tls)


def got_order(wanted) -> Tuple[Tuple[str, int], ...]:
    """The GOT's entries in the rig's order, from (kind, symbol) pairs in order of first
    reference: address slots first, then each TLS symbol's entries together ("desc", "gd",
    "tp": lld's order for one symbol), then the "ld" pair.  A static link relaxes every TLS
    entry away on x86-64 and AArch64 (lld does), so the address slots keep the indices they
    would have there; on Arm (no relaxation) the order is lld's but for the "ld" pair, which
    lld puts first."""
    slots = [e for e in wanted if e[0] == "slot"]
    symbols = list(dict.fromkeys(s for kind, s in wanted if kind not in ("slot", "ld")))
    tls = [(kind, s) for s in symbols for kind in ("desc", "gd", "tp") if (kind, s) in wanted]
    return tuple(slots + tls + [e for e in wanted if e[0] == "ld"])


def _check_tls_symbol(r: Relocation, symbols, sections, name: str) -> None:
    """A TLS relocation must name a TLS symbol (STT_TLS, or a TLS section's symbol): its
    value is an offset in the TLS image, which no other symbol has."""
    sym = symbols[r.symbol] if r.symbol else None
    tls_sections = {s.index for s in sections if s.tls}
    if sym is not None and (sym.type == "tls" or (sym.type == "section" and sym.section in tls_sections)
                            or (sym.kind == "undefined" and sym.type == "notype")):
        return
    what = "no symbol" if sym is None else f"{sym.type} symbol {sym.name!r}"
    raise BadObject(f"{name}: {r.howto.name} at {next((s.name for s in sections if s.index == r.section), '?')}"
                    f"+{r.offset:#x} refers to {what}, which is not thread-local")


GRP_COMDAT = 1


def _groups(elf, symtab, alloc: set, name: str) -> Tuple[Group, ...]:
    out = []
    for sec in elf.iter_sections():
        if sec["sh_type"] != "SHT_GROUP":
            continue
        words = struct.unpack(f"<{len(sec.data()) // 4}I", sec.data())
        if not words or not words[0] & GRP_COMDAT:
            continue
        if symtab is None or sec["sh_info"] >= symtab.num_symbols():
            raise BadObject(f"{name}: section group {sec.name} names symbol {sec['sh_info']}, "
                            f"which the symbol table does not have")
        signature = symtab.get_symbol(sec["sh_info"]).name
        out.append(Group(signature, tuple(i for i in words[1:] if i in alloc)))
    return tuple(out)


def _section_name(elf, index: int) -> str:
    return elf.get_section(index).name


_BIND = {"STB_LOCAL": "local", "STB_GLOBAL": "global", "STB_WEAK": "weak"}


def _symbol(i: int, sym, target: Target, alloc: set) -> Symbol:
    shndx = sym["st_shndx"]
    typ = sym["st_info"]["type"].replace("STT_", "").lower()
    value = sym["st_value"]
    thumb = False
    if target.interworking and typ == "func" and value & 1:
        thumb, value = True, value & ~1
    if shndx == "SHN_UNDEF":
        kind, section = "undefined", None
    elif shndx == "SHN_ABS":
        # `.set neg, -5` is stored as 2**64 - 5: an absolute value, read as the
        # signed number it is (lld's 64-bit arithmetic wraps the same way).
        kind, section = "abs", None
        value = sign_extend(value, target.elf_class)
    elif shndx == "SHN_COMMON":
        kind, section = "common", None
    elif isinstance(shndx, int):
        kind, section = "defined", shndx
    else:
        raise BadObject(f"symbol {sym.name!r} has an unsupported section index {shndx}")
    if kind == "defined" and section not in alloc:
        # A symbol in a non-allocated section (debug info) is never reached by loaded code.
        section = None
        kind = "unloaded"
    return Symbol(i, sym.name, _BIND.get(sym["st_info"]["bind"], "global"), typ, section, kind,
                  value, sym["st_size"], thumb)


def _relocation(rel, is_rela, patched, body, elf, target, symbols, name, secname) -> Relocation:
    from elftools.elf.descriptions import describe_reloc_type
    type_ = rel["r_info_type"]
    offset = rel["r_offset"]
    sym = rel["r_info_sym"]
    if sym >= len(symbols) and sym:
        raise BadObject(f"{name}: relocation at {secname}+{offset:#x} names symbol #{sym}, "
                        f"but the symbol table has {len(symbols)}")
    howto = target.howto(type_)
    symname = symbols[sym].name if sym else "(none)"
    if howto is None:
        tname = describe_reloc_type(type_, elf)
        if tname.startswith("R_") is False or tname.isdigit():
            tname = f"type {type_}"
        raise UnsupportedRelocation(
            f"{name}: unsupported relocation {tname} (type {type_}) for target {target.name} at "
            f"{secname}+{offset:#x} against symbol {symname!r}", type_=type_, name=tname)
    fld = howto.field
    if fld is not None and (body is not None and offset + fld.size > len(body)):
        raise BadObject(f"{name}: relocation {howto.name} at {secname}+{offset:#x} lies outside the "
                        f"section ({len(body)} bytes)")
    if is_rela:
        addend = rel["r_addend"]
    elif fld is not None and fld.addend is not None and body is not None:
        addend = fld.addend(int.from_bytes(body[offset:offset + fld.size], "little"))
    else:
        addend = 0
    return Relocation(patched, offset, type_, sym, addend, howto)


def dumps(obj: ObjectFile) -> bytes:
    """`obj` as bytes for a disk cache: plain tuples, relocations by type number
    (their table rows hold functions; `loads` takes them from the target again)."""
    relocs = tuple((r.section, r.offset, r.type, r.symbol, r.addend) for r in obj.relocations)
    return pickle.dumps((_PICKLE_VERSION, obj.target, obj.sections, obj.symbols, relocs, obj.got_symbols,
                         obj.needs_got, dict(obj.stub_slots), dict(obj.by_name), obj.groups, dict(obj.commons),
                         obj.common_size, obj.common_align, obj.got_entries, obj.needs_tls),
                        protocol=pickle.HIGHEST_PROTOCOL)


def loads(data: bytes, target: Target, name: str) -> Optional[ObjectFile]:
    """The `ObjectFile` `dumps` made, with `target`'s table rows; None when the
    bytes are from another version or target, or a row is missing."""
    try:
        (version, tname, sections, symbols, relocs, got, needs_got, stubs, by_name, groups, commons,
         common_size, common_align, got_entries, needs_tls) = pickle.loads(data)
    except Exception:              # a truncated or foreign cache file is a miss, never an error
        return None
    if version != _PICKLE_VERSION or tname != target.name:
        return None
    rows = []
    for section, offset, type_, symbol, addend in relocs:
        howto = target.howto(type_)
        if howto is None:
            return None
        rows.append(Relocation(section, offset, type_, symbol, addend, howto))
    return ObjectFile(name, tname, sections, symbols, tuple(rows), got, needs_got, MappingProxyType(stubs),
                      MappingProxyType(by_name), groups, MappingProxyType(commons), common_size, common_align,
                      got_entries, needs_tls)


_PICKLE_VERSION = 2
