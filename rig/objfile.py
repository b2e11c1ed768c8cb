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

from .errors import BadObject, LimitExceeded, UnsupportedRelocation
from .limits import DEFAULT, Limits, exceeded

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
    file_size: int = 0                    #: bytes of the ELF file it was parsed from (`Limits.object_size`)

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


def parse(data: bytes, target: Target, name: str = "<object>", limits: Limits = DEFAULT) -> ObjectFile:
    """Parse ELF relocatable bytes for `target`, or raise `BadObject` /
    `UnsupportedRelocation` naming what is wrong and where (and the object's
    `name`), or `LimitExceeded` when the object asks for more than `limits`
    allow (its size, its sections' alignment or their total size).

    Every field is checked before it is used (indices in range, offsets and
    sizes inside the file, entry sizes, alignments), so a damaged object is
    refused here rather than placed misaligned or run into a fault."""
    from elftools.common.exceptions import ELFError
    where = _Where()
    try:
        return _parse(data, target, name, limits, where)
    except (BadObject, UnsupportedRelocation, LimitExceeded):
        raise
    # A check above missed something: still a BadObject, naming the object and how far parsing got.
    except (ELFError, struct.error, ArithmeticError, ValueError, KeyError, IndexError, TypeError,
            AttributeError, UnicodeError, AssertionError) as e:
        at = f" at {where.at}" if where.at else ""
        raise BadObject(f"{name}: malformed or truncated ELF object{at} ({type(e).__name__}: {e})") from None


class _Where:
    """How far `_parse` got, for the message of an error no check foresaw."""

    at = ""


@dataclass(frozen=True)
class _Shdr:
    """One section header, as read from the file (checked by `_headers`)."""

    index: int
    name: str
    type: int
    flags: int
    offset: int
    size: int
    link: int
    info: int
    align: int
    entsize: int

    @property
    def where(self) -> str:
        """How messages name the section."""
        return f"section {self.name or '(unnamed)'} (index {self.index})"


SHT_SYMTAB, SHT_STRTAB, SHT_RELA, SHT_NOBITS, SHT_REL, SHT_GROUP = 2, 3, 4, 8, 9, 17
SHF_COMPRESSED = 0x800
SHN_LORESERVE, SHN_XINDEX = 0xFF00, 0xFFFF
ET_REL = 1
_EHDR = {64: ("<16sHHIQQQIHHHHHH", 64), 32: ("<16sHHIIIIIHHHHHH", 52)}
_SHDR = {64: ("<IIQQQQIIQQ", 64), 32: ("<IIIIIIIIII", 40)}
_SYM_SIZE = {64: 24, 32: 16}
_REL_SIZE = {(64, SHT_RELA): 24, (64, SHT_REL): 16, (32, SHT_RELA): 12, (32, SHT_REL): 8}


def _enum_name(enum: dict, value: int, default: str) -> str:
    return next((k for k, v in enum.items() if v == value and not k.startswith("_")), default)


def _headers(data: bytes, target: Target, name: str, limits: Limits) -> Tuple[_Shdr, ...]:
    """The section headers, each checked against the file and the limits before
    anything reads through them (pyelftools trusts every field)."""
    if len(data) > limits.object_size:
        raise exceeded("object_size", len(data), limits.object_size, f"{name}: the object file's size")
    if not data.startswith(b"\x7fELF"):
        raise BadObject(f"{name}: not an ELF file (starts with {data[:4]!r})")
    ei_class = data[4] if len(data) > 4 else 0
    if ei_class not in (1, 2):
        raise BadObject(f"{name}: damaged ELF header: EI_CLASS is {ei_class}, neither ELFCLASS32 (1) nor "
                        f"ELFCLASS64 (2)")
    bits = 32 * ei_class
    ehdr, ehsize = _EHDR[bits]
    if len(data) < ehsize:
        raise BadObject(f"{name}: truncated: the ELF header needs {ehsize} bytes, the file has {len(data)}")
    (ident, e_type, e_machine, _, _, _, e_shoff, _, _, _, _, e_shentsize, e_shnum,
     e_shstrndx) = struct.unpack_from(ehdr, data)
    from elftools.elf.enums import ENUM_E_MACHINE, ENUM_E_TYPE
    if e_machine != ENUM_E_MACHINE.get(target.elf_machine) or bits != target.elf_class:
        raise BadObject(f"{name}: object is for {_enum_name(ENUM_E_MACHINE, e_machine, f'machine {e_machine}')} "
                        f"ELFCLASS{bits}, not for target {target.name} ({target.elf_machine} "
                        f"ELFCLASS{target.elf_class})")
    if ident[5] != 1:
        raise BadObject(f"{name}: big-endian objects are not supported" if ident[5] == 2 else
                        f"{name}: damaged ELF header: EI_DATA is {ident[5]}, neither little- (1) nor big-endian (2)")
    if e_type != ET_REL:
        raise BadObject(f"{name}: expected a relocatable object (ET_REL), got "
                        f"{_enum_name(ENUM_E_TYPE, e_type, f'e_type {e_type}')}")
    shdr, entsize = _SHDR[bits]
    if e_shoff == 0:
        raise BadObject(f"{name}: the ELF header names no section header table (e_shoff 0): "
                        f"a relocatable object has one")
    if e_shentsize != entsize:
        raise BadObject(f"{name}: the ELF header says section headers are {e_shentsize} bytes "
                        f"(e_shentsize), ELFCLASS{bits} ones are {entsize}")
    if e_shoff < ehsize or e_shoff % (bits // 8):
        raise BadObject(f"{name}: the section header table's offset e_shoff {e_shoff:#x} "
                        + ("lies inside the ELF header" if e_shoff < ehsize else
                           f"is not a multiple of {bits // 8}"))
    room = (len(data) - e_shoff) // entsize if e_shoff < len(data) else 0
    if room < 1:
        raise BadObject(f"{name}: truncated: the section header table at e_shoff {e_shoff:#x} lies past "
                        f"the file's {len(data)} bytes")
    first = struct.unpack_from(shdr, data, e_shoff)
    shnum = e_shnum or first[5]          # extended numbering: section 0's sh_size holds the count
    if shnum > room:
        raise BadObject(f"{name}: truncated: the section header table ({shnum} headers of {entsize} bytes "
                        f"at {e_shoff:#x}) ends past the file's {len(data)} bytes")
    shstrndx = first[6] if e_shstrndx == SHN_XINDEX else e_shstrndx
    raw = [struct.unpack_from(shdr, data, e_shoff + i * entsize) for i in range(shnum)]
    if not 0 < shstrndx < shnum or raw[shstrndx][1] != SHT_STRTAB:
        raise BadObject(f"{name}: the section name table e_shstrndx {shstrndx} is "
                        + (f"not a string table (its type is {raw[shstrndx][1]})" if 0 < shstrndx < shnum else
                           f"not a section (the object has {shnum})"))
    names = _strtab(data, raw[shstrndx][4], raw[shstrndx][5],
                    f"{name}: the section name table (section index {shstrndx})")

    out = []
    for i, (sh_name, sh_type, flags, _, offset, size, link, info, align, sh_entsize) in enumerate(raw):
        if sh_name >= len(names):
            raise BadObject(f"{name}: section index {i}'s name offset {sh_name:#x} lies past the end of the "
                            f"section name table ({len(names)} bytes)")
        s = _Shdr(i, _cstring(names, sh_name), sh_type, flags, offset, size, link, info, align, sh_entsize)
        if i == 0:
            out.append(s)                # the null section: its fields extend the header's, nothing else
            continue
        if sh_type != SHT_NOBITS and offset + size > len(data):
            raise BadObject(f"{name}: {s.where} lies outside the file: offset {offset:#x} + size {size:#x} "
                            f"ends past its {len(data)} bytes")
        if align & (align - 1):
            raise BadObject(f"{name}: {s.where} has alignment {align:#x} (sh_addralign), not a power of two")
        if flags & SHF_ALLOC:
            if align > limits.section_align:
                raise exceeded("section_align", align, limits.section_align,
                               f"{name}: {s.where}'s alignment (sh_addralign)")
            if flags & SHF_COMPRESSED:
                raise BadObject(f"{name}: {s.where} is both allocatable and compressed (SHF_COMPRESSED)")
        out.append(s)
    out = tuple(out)
    for s in out[1:]:
        _check_links(s, out, bits, name)
    symtabs = [s for s in out if s.type == SHT_SYMTAB]
    if len(symtabs) > 1:
        raise BadObject(f"{name}: {len(symtabs)} symbol tables ({', '.join(s.where for s in symtabs)}); "
                        f"a relocatable object has one")
    # Sections are placed in order, each at its alignment: the sum with padding is what the memory manager
    # will reserve (and link.py builds as bytes), so a 1 GiB .bss fails here, before any of that.
    total, biggest = 0, None
    for s in out:
        if s.flags & SHF_ALLOC:
            total = -(-total // max(1, s.align)) * max(1, s.align) + s.size
            biggest = s if biggest is None or s.size > biggest.size else biggest
            if total > limits.allocatable_size:
                also = "" if biggest is s else f"; the largest is {biggest.where} of {biggest.size:,} bytes"
                raise exceeded("allocatable_size", total, limits.allocatable_size,
                               f"{name}: the allocatable sections with their alignment padding, up to "
                               f"{s.where} of {s.size:,} bytes{also}")
    return out


def _check_links(s: _Shdr, shdrs: Tuple[_Shdr, ...], bits: int, name: str) -> None:
    """`BadObject` unless the section's sh_link / sh_info / sh_entsize are what its type needs."""
    def section(index: int, field: str, want: Optional[int], what: str) -> _Shdr:
        if not 0 < index < len(shdrs):
            raise BadObject(f"{name}: {s.where}'s {field} {index} names no section (the object has "
                            f"{len(shdrs)})")
        other = shdrs[index]
        if want is not None and other.type != want:
            raise BadObject(f"{name}: {s.where}'s {field} {index} names {other.where}, which is not {what}")
        return other

    def entries(size: int) -> None:
        if s.entsize != size or s.size % size:
            raise BadObject(f"{name}: {s.where} has sh_entsize {s.entsize} and size {s.size:#x}; its entries "
                            f"are {size} bytes each in ELFCLASS{bits}, and its size a multiple of that")

    if s.type == SHT_SYMTAB:
        entries(_SYM_SIZE[bits])
        section(s.link, "sh_link", SHT_STRTAB, "a string table")
    elif s.type in (SHT_REL, SHT_RELA):
        entries(_REL_SIZE[bits, s.type])
        section(s.link, "sh_link", SHT_SYMTAB, "the symbol table")
        patched = section(s.info, "sh_info", None, "")
        if patched.flags & SHF_ALLOC and patched.type == SHT_NOBITS and s.size:
            raise BadObject(f"{name}: {s.where} relocates {patched.where}, which has no bytes (SHT_NOBITS)")
        if patched.type in (SHT_REL, SHT_RELA):
            raise BadObject(f"{name}: {s.where} relocates {patched.where}, another relocation section")
    elif s.type == SHT_GROUP:
        entries(4)
        if not s.size:
            raise BadObject(f"{name}: section group {s.where} is empty (it has no flag word)")
        section(s.link, "sh_link", SHT_SYMTAB, "the symbol table")


def _strtab(data: bytes, offset: int, size: int, what: str) -> bytes:
    """A string table's bytes, checked to lie in the file and to end its last string."""
    if offset + size > len(data):
        raise BadObject(f"{what} lies outside the file: offset {offset:#x} + size {size:#x} ends past its "
                        f"{len(data)} bytes")
    body = data[offset:offset + size]
    if not body or body[-1] != 0:
        raise BadObject(f"{what} does not end with a NUL byte (its last string runs past its end)")
    return body


def _cstring(table: bytes, offset: int) -> str:
    # pyelftools decodes names the same way: what a symbol is called must not depend on who read it
    return table[offset:table.index(b"\0", offset)].decode("utf-8", "replace")


def _parse(data: bytes, target: Target, name: str, limits: Limits, where: _Where) -> ObjectFile:
    from elftools.elf.elffile import ELFFile

    data = bytes(data)
    shdrs = _headers(data, target, name, limits)
    # pyelftools reads only what the checks above vouched for: the symbol table and the relocations.
    elf = ELFFile(io.BytesIO(data))

    sections = []
    raw = {}
    for s in shdrs:
        if not s.flags & SHF_ALLOC:
            continue
        where.at = s.where
        nobits = s.type == SHT_NOBITS
        body = None if nobits else data[s.offset:s.offset + s.size]
        perms = "r" + ("w" if s.flags & SHF_WRITE else "") + ("x" if s.flags & SHF_EXECINSTR else "")
        sections.append(Section(s.index, s.name, s.size, max(1, s.align), body, perms,
                                tls=bool(s.flags & SHF_TLS)))
        raw[s.index] = body
    alloc = {s.index for s in sections}
    by_index = {s.index: s for s in sections}

    symshdr = next((s for s in shdrs if s.type == SHT_SYMTAB), None)
    symtab = elf.get_section(symshdr.index) if symshdr is not None else None
    symbols = []
    if symtab is not None:
        strings = shdrs[symshdr.link]
        strtab_len = len(_strtab(data, strings.offset, strings.size,
                                 f"{name}: the symbol string table ({strings.where})"))
        for i, sym in enumerate(symtab.iter_symbols()):
            where.at = f"symbol index {i} in {symshdr.where}"
            symbols.append(_symbol(i, sym, target, by_index, len(shdrs), strtab_len, name))
    funcs: dict = {}
    for sym in symbols:
        if sym.type == "func" and sym.section is not None:
            funcs.setdefault(sym.section, []).append(sym.thumb)
    sections = [Section(s.index, s.name, s.size, s.align, s.data, s.perms,
                        bool(funcs.get(s.index)) and all(funcs[s.index]), s.tls) for s in sections]
    by_name = {s.name: s.index for s in symbols
               if s.binding in ("global", "weak") and s.kind != "undefined" and s.name}

    relocations = []
    for rshdr in shdrs:
        if rshdr.type not in (SHT_REL, SHT_RELA):
            continue
        patched = rshdr.info
        if patched not in alloc:
            continue                     # debug info and the like are never loaded
        where.at = rshdr.where
        rsec = elf.get_section(rshdr.index)
        body = raw[patched]
        is_rela = rshdr.type == SHT_RELA
        secname = shdrs[patched].name or f"(section index {patched})"
        for k, rel in enumerate(rsec.iter_relocations()):
            where.at = f"relocation {k} of {rshdr.where}"
            relocations.append(_relocation(rel, is_rela, patched, body, elf, target, symbols, name, secname))

    where.at = ""
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
                raise BadObject(f"{name}: COMMON symbol {sym.name!r} (index {sym.index}) has alignment "
                                f"{align:#x}, not a power of two")
            if align > limits.section_align:
                raise exceeded("section_align", align, limits.section_align,
                               f"{name}: COMMON symbol {sym.name!r} (index {sym.index})'s alignment")
            common_size = -(-common_size // align) * align
            commons[sym.index] = common_size
            common_size += max(1, sym.size)
            common_align = max(common_align, align)
            if common_size > limits.allocatable_size:
                raise exceeded("allocatable_size", common_size, limits.allocatable_size,
                               f"{name}: the COMMON block up to symbol {sym.name!r} (index {sym.index}, "
                               f"{sym.size:,} bytes)")
    entries = got_order(wanted)
    got = tuple(s for kind, s in entries if kind == "slot")
    obj = ObjectFile(name, target.name, tuple(sections), tuple(symbols), tuple(relocations),
                     got, needs_got or bool(entries), MappingProxyType(stubs), MappingProxyType(by_name),
                     _groups(data, shdrs, symbols, alloc, name), MappingProxyType(commons), common_size,
                     common_align, entries, needs_tls, len(data))
    check_limits(obj, limits)
    return obj


def allocatable_size(obj: ObjectFile) -> int:
    """What the memory manager reserves for `obj` at least: its allocatable
    sections in order, each at its alignment, then the COMMON block."""
    total = 0
    for s in obj.sections:
        total = -(-total // s.align) * s.align + s.size
    if obj.common_size:
        total = -(-total // obj.common_align) * obj.common_align + obj.common_size
    return total


def check_limits(obj: ObjectFile, limits: Limits = DEFAULT) -> None:
    """`LimitExceeded` when `obj` (however it was obtained: parsed, or from a cache
    filled under other limits) asks for more than `limits` allow: its file's
    size, a section's alignment, or its allocatable size."""
    if obj.file_size > limits.object_size:
        raise exceeded("object_size", obj.file_size, limits.object_size, f"{obj.name}: the object file's size")
    for s in obj.sections:
        if s.align > limits.section_align:
            raise exceeded("section_align", s.align, limits.section_align,
                           f"{obj.name}: section {s.name} (index {s.index})'s alignment (sh_addralign)")
    if obj.common_align > limits.section_align:
        raise exceeded("section_align", obj.common_align, limits.section_align,
                       f"{obj.name}: the COMMON block's alignment")
    total = allocatable_size(obj)
    if total > limits.allocatable_size:
        raise exceeded("allocatable_size", total, limits.allocatable_size,
                       f"{obj.name}: the allocatable sections and COMMON symbols together")


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


def _groups(data: bytes, shdrs: Tuple[_Shdr, ...], symbols, alloc: set, name: str) -> Tuple[Group, ...]:
    out = []
    for s in shdrs:
        if s.type != SHT_GROUP:
            continue
        words = struct.unpack(f"<{s.size // 4}I", data[s.offset:s.offset + s.size])
        if not words[0] & GRP_COMDAT:
            continue
        if s.info >= len(symbols):
            raise BadObject(f"{name}: section group {s.name} (index {s.index}) names symbol {s.info}, "
                            f"which the symbol table does not have")
        for member in words[1:]:
            if not 0 < member < len(shdrs) or member == s.index:
                raise BadObject(f"{name}: section group {s.name} (index {s.index}) lists section index "
                                f"{member}, which is not a section it can hold (the object has {len(shdrs)})")
        out.append(Group(symbols[s.info].name, tuple(i for i in words[1:] if i in alloc)))
    return tuple(out)


_BIND = {"STB_LOCAL": "local", "STB_GLOBAL": "global", "STB_WEAK": "weak"}


def _symbol(i: int, sym, target: Target, alloc: Mapping[int, Section], shnum: int, strtab_len: int,
            name: str) -> Symbol:
    if sym["st_name"] >= strtab_len:
        raise BadObject(f"{name}: symbol index {i}'s name offset {sym['st_name']:#x} lies past the end of "
                        f"its string table ({strtab_len} bytes)")
    shndx = sym["st_shndx"]
    typ = sym["st_info"]["type"]
    # pyelftools names the types it knows ("STT_FUNC"); the others stay numbers
    typ = typ.replace("STT_", "").lower() if isinstance(typ, str) else f"stt_{typ}"
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
    elif isinstance(shndx, int) and shndx < SHN_LORESERVE:
        if shndx >= shnum:
            raise BadObject(f"{name}: symbol {sym.name!r} (index {i}) is defined in section index {shndx}, "
                            f"which does not exist (the object has {shnum} sections)")
        kind, section = "defined", shndx
    else:
        raise BadObject(f"{name}: symbol {sym.name!r} (index {i}) has an unsupported section index "
                        f"{shndx if isinstance(shndx, str) else hex(shndx)}")
    if kind == "defined" and section not in alloc:
        # A symbol in a non-allocated section (debug info) is never reached by loaded code.
        section = None
        kind = "unloaded"
    elif kind == "defined" and value > alloc[section].size:
        # st_value is an offset in the section (its end included: end labels); past it, the
        # symbol's address would be anywhere, up to past the top of the address space.
        s = alloc[section]
        raise BadObject(f"{name}: symbol {sym.name!r} (index {i}) lies at offset {value:#x} in section {s.name} "
                        f"(index {s.index}), past its end ({s.size:#x} bytes)")
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
        shown = f"{tname} (type {type_})" if tname.startswith("R_") else tname
        raise UnsupportedRelocation(
            f"{name}: unsupported relocation {shown} for target {target.name} at "
            f"{secname}+{offset:#x} against symbol {symname!r}", type_=type_, name=tname)
    fld = howto.field
    if body is not None and offset + (fld.size if fld is not None else 0) > len(body):
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
                         obj.common_size, obj.common_align, obj.got_entries, obj.needs_tls, obj.file_size),
                        protocol=pickle.HIGHEST_PROTOCOL)


def loads(data: bytes, target: Target, name: str, limits: Limits = DEFAULT) -> Optional[ObjectFile]:
    """The `ObjectFile` `dumps` made, with `target`'s table rows; None when the
    bytes are from another version or target, or a row is missing.  The
    cache may have been filled under larger limits: `LimitExceeded` when the
    object asks for more than `limits` allow, as `parse` would have said."""
    try:
        (version, tname, sections, symbols, relocs, got, needs_got, stubs, by_name, groups, commons,
         common_size, common_align, got_entries, needs_tls, file_size) = pickle.loads(data)
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
    obj = ObjectFile(name, tname, sections, symbols, tuple(rows), got, needs_got, MappingProxyType(stubs),
                     MappingProxyType(by_name), groups, MappingProxyType(commons), common_size, common_align,
                     got_entries, needs_tls, file_size)
    check_limits(obj, limits)
    return obj


#: 3: the file's size is kept, and objects the checks now refuse must not come back from older caches
_PICKLE_VERSION = 3
