"""Hostile ELF objects: a valid relocatable object with its fields mutated.

`shape(data)` finds every field worth lying about in a (valid, little-endian)
object: the ELF header, each section header, each symbol, each relocation
(offset, type, symbol and addend separately) and the string tables.  It is
read with `struct` rather than pyelftools, so the mutator never shares a bug
with the parser it attacks.  `mutate(data, choice)` applies one to four
mutations and says what it did.
"""
from __future__ import annotations

import struct
from dataclasses import dataclass, field
from typing import List, Tuple

from ._choice import Choice

SHT_SYMTAB, SHT_STRTAB, SHT_RELA, SHT_REL, SHT_NOBITS, SHT_GROUP = 2, 3, 4, 9, 8, 17


@dataclass(frozen=True)
class Field:
    """`size` little-endian bytes at `offset`, holding a `kind` of value."""

    offset: int
    size: int
    name: str          #: "e_shoff", "[3] .text sh_offset", "symbol 4 (main) st_value"...
    kind: str          #: offset, size, align, index, count, type, flags, value, addend, info, ident


@dataclass
class Shape:
    """Where the fields of one object are."""

    bits: int                                     #: 32 or 64
    header: List[Field] = field(default_factory=list)
    sections: List[Field] = field(default_factory=list)
    symbols: List[Field] = field(default_factory=list)
    relocations: List[Field] = field(default_factory=list)
    strtabs: List[Tuple[int, int, str]] = field(default_factory=list)   #: (offset, size, name)
    code: List[Tuple[int, int, str]] = field(default_factory=list)      #: executable sections' bytes
    section_table: Tuple[int, int, int] = (0, 0, 0)                     #: (offset, entry size, count)
    symbol_table: Tuple[int, int, int] = (0, 0, 0)

    def all_fields(self) -> List[Field]:
        """Every field, header first."""
        return self.header + self.sections + self.symbols + self.relocations


def _cstr(data: bytes, at: int) -> str:
    end = data.find(b"\0", at)
    return data[at:end if end >= 0 else len(data)].decode("latin-1")


def shape(data: bytes) -> Shape:
    """The fields of a valid ELF relocatable object (`ValueError` if it is not one)."""
    if not data.startswith(b"\x7fELF") or data[5] != 1 or data[4] not in (1, 2):
        raise ValueError("not a little-endian ELF object")
    bits = 32 * data[4]
    w = bits // 8
    s = Shape(bits)
    h = s.header
    for i, name in ((4, "EI_CLASS"), (5, "EI_DATA"), (6, "EI_VERSION"), (7, "EI_OSABI"), (8, "EI_ABIVERSION"),
                    (9, "EI_PAD")):
        h.append(Field(i, 1, name, "ident"))
    at = 16
    for name, size, kind in (("e_type", 2, "type"), ("e_machine", 2, "type"), ("e_version", 4, "value"),
                             ("e_entry", w, "value"), ("e_phoff", w, "offset"), ("e_shoff", w, "offset"),
                             ("e_flags", 4, "flags"), ("e_ehsize", 2, "size"), ("e_phentsize", 2, "size"),
                             ("e_phnum", 2, "count"), ("e_shentsize", 2, "size"), ("e_shnum", 2, "count"),
                             ("e_shstrndx", 2, "index")):
        h.append(Field(at, size, name, kind))
        at += size
    fmt = "<IIQQQQIIQQ" if bits == 64 else "<IIIIIIIIII"
    shoff = int.from_bytes(data[24 + w + w:24 + 3 * w], "little")
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 24 + 3 * w + 4 + 2 + 2 + 2)
    s.section_table = (shoff, shentsize, shnum)
    headers = [struct.unpack_from(fmt, data, shoff + i * shentsize) for i in range(shnum)]
    strtab_off = headers[shstrndx][4] if shstrndx < shnum else 0
    layout = (("sh_name", 4, "index"), ("sh_type", 4, "type"), ("sh_flags", w, "flags"),
              ("sh_addr", w, "value"), ("sh_offset", w, "offset"), ("sh_size", w, "size"),
              ("sh_link", 4, "index"), ("sh_info", 4, "index"), ("sh_addralign", w, "align"),
              ("sh_entsize", w, "size"))
    for i, hdr in enumerate(headers):
        name = _cstr(data, strtab_off + hdr[0]) if strtab_off else ""
        base = shoff + i * shentsize
        for fname, size, kind in layout:
            s.sections.append(Field(base, size, f"[{i}] {name or '(null)'} {fname}", kind))
            base += size
        typ, flags, off, size = hdr[1], hdr[2], hdr[4], hdr[5]
        if typ == SHT_STRTAB:
            s.strtabs.append((off, size, name))
        if typ != SHT_NOBITS and flags & 0x4 and size:
            s.code.append((off, size, name))
    sym_names: List[str] = []
    for i, hdr in enumerate(headers):
        if hdr[1] != SHT_SYMTAB or not hdr[9]:
            continue
        off, size, link, ent = hdr[4], hdr[5], hdr[6], hdr[9]
        names_at = headers[link][4] if link < shnum else 0
        s.symbol_table = (off, ent, size // ent)
        for k in range(size // ent):
            base = off + k * ent
            st_name = struct.unpack_from("<I", data, base)[0]
            sname = _cstr(data, names_at + st_name) or "(none)"
            sym_names.append(sname)
            if bits == 64:
                parts = (("st_name", 0, 4, "index"), ("st_info", 4, 1, "info"), ("st_other", 5, 1, "info"),
                         ("st_shndx", 6, 2, "index"), ("st_value", 8, 8, "value"), ("st_size", 16, 8, "size"))
            else:
                parts = (("st_name", 0, 4, "index"), ("st_value", 4, 4, "value"), ("st_size", 8, 4, "size"),
                         ("st_info", 12, 1, "info"), ("st_other", 13, 1, "info"), ("st_shndx", 14, 2, "index"))
            for fname, rel, size_, kind in parts:
                s.symbols.append(Field(base + rel, size_, f"symbol {k} ({sname}) {fname}", kind))
    for i, hdr in enumerate(headers):
        if hdr[1] not in (SHT_RELA, SHT_REL) or not hdr[9]:
            continue
        rela = hdr[1] == SHT_RELA
        off, size, ent = hdr[4], hdr[5], hdr[9]
        rname = _cstr(data, strtab_off + hdr[0]) if strtab_off else f"[{i}]"
        for k in range(size // ent):
            base = off + k * ent
            where = f"relocation {k} of {rname}"
            s.relocations.append(Field(base, w, f"{where} r_offset", "offset"))
            if bits == 64:       # r_info: type in the low word, symbol in the high word
                s.relocations.append(Field(base + 8, 4, f"{where} type", "type"))
                s.relocations.append(Field(base + 12, 4, f"{where} symbol", "index"))
            else:                # r_info: type in the low byte, symbol in the three above
                s.relocations.append(Field(base + 4, 1, f"{where} type", "type"))
                s.relocations.append(Field(base + 5, 3, f"{where} symbol", "index"))
            if rela:
                s.relocations.append(Field(base + 2 * w, w, f"{where} r_addend", "addend"))
    return s


#: Values every field is tried with (masked to its width); "the huge sizes" are here.
HUGE = (1 << 31, (1 << 31) - 1, 1 << 32, (1 << 32) - 1, 1 << 63, (1 << 63) - 1, (1 << 64) - 1)
COMMON = (0, 1, 2, 3, 4, 7, 8, 0x7F, 0x80, 0xFF, 0x100, 0x7FFF, 0x8000, 0xFFFF, 0x10000) + HUGE
#: Alignments: non-powers of two, and powers too big for anything.
ALIGNS = (0, 3, 6, 12, 24, 100, 1 << 17, 1 << 20, 1 << 31, 1 << 32, 1 << 40, 1 << 63, (1 << 64) - 1, 0x10001)
#: Section indices with a meaning (SHN_LORESERVE.., ABS, COMMON, XINDEX).
SPECIAL_INDICES = (0xFF00, 0xFFF1, 0xFFF2, 0xFFFF)


def interesting(f: Field, old: int, data: bytes, s: Shape, choice: Choice) -> int:
    """A value to lie with in field `f` (which holds `old`)."""
    mask = (1 << (8 * f.size)) - 1
    n = len(data)
    shnum = s.section_table[2]
    nsyms = s.symbol_table[2]
    pools = {
        "offset": (n, n - 1, n + 1, old + 1, old - 1, old + n),
        "size": (n, n + 1, old + 1, old - 1, old * 2),
        "align": ALIGNS,
        "index": (shnum, shnum + 1, shnum - 1, nsyms, nsyms + 1) + SPECIAL_INDICES,
        "count": (0, 1, shnum + 1, 0xFFFF, 0x7FFF),
        "type": tuple(range(0, 20)) + (0x6FFFFFF0, 0x70000001, 0x70000003, 0xFF, 0xFE),
        "flags": (0x1, 0x2, 0x4, 0x3, 0x7, 0x400, 0x200, 0x10, 0xF0000000, 0x0FF00000),
        "addend": ((1 << 63) - 1, 1 << 63, (1 << 31), -(1 << 31), old + (1 << 32), -1),
        "info": (0x00, 0x10, 0x11, 0x12, 0x16, 0x1A, 0x20, 0x22, 0x26, 0xF0, 0xFF, 0x03, 0x04),
        "ident": (0, 3, 0xFF, 2, 1),
        "value": (n, old + 1, old - 1),
    }.get(f.kind, ())
    how = choice.integer(0, 3)
    if how == 0 and pools:
        value = choice.pick(pools)
    elif how == 1:
        value = choice.pick(COMMON)
    elif how == 2:
        value = old ^ (1 << choice.integer(0, 8 * f.size - 1))
    else:
        value = choice.integer(0, mask)
    return value & mask


def _read(data: bytearray, f: Field) -> int:
    return int.from_bytes(data[f.offset:f.offset + f.size], "little")


def _write(data: bytearray, f: Field, value: int) -> None:
    data[f.offset:f.offset + f.size] = (value & ((1 << (8 * f.size)) - 1)).to_bytes(f.size, "little")


def _set_field(data: bytearray, s: Shape, choice: Choice, group: str) -> str:
    fields = getattr(s, group) if group != "any" else s.all_fields()
    if not fields:
        fields = s.header
    f = choice.pick(fields)
    old = _read(data, f)
    value = interesting(f, old, bytes(data), s, choice)
    _write(data, f, value)
    return f"{f.name} {old:#x} -> {value:#x}"


def _strtab(data: bytearray, s: Shape, choice: Choice) -> str:
    if not s.strtabs:
        return _set_field(data, s, choice, "header")
    off, size, name = choice.pick(s.strtabs)
    if size == 0:
        return f"string table {name} is empty"
    how = choice.pick(("no terminator", "non-UTF-8", "byte", "empty"))
    if how == "no terminator":          # the last name runs off the table's end
        data[off + size - 1] = ord("A")
    elif how == "non-UTF-8":
        at = off + choice.integer(0, size - 1)
        data[at] = choice.pick((0xA2, 0xFF, 0xC0, 0x80, 0xED))
    elif how == "byte":
        at = off + choice.integer(0, size - 1)
        data[at] = choice.integer(0, 255)
    else:                               # every name becomes "" (all NULs)
        data[off:off + size] = bytes(size)
    return f"string table {name}: {how}"


def _truncate(data: bytearray, s: Shape, choice: Choice) -> str:
    shoff, ent, num = s.section_table
    marks = [1, 4, 16, 40, 52, 63, 64, shoff + 1, shoff + ent * num - 1, len(data) - 1]
    if s.symbol_table[2]:
        marks.append(s.symbol_table[0] + s.symbol_table[1] * s.symbol_table[2] // 2)
    at = choice.pick([m for m in marks if 0 < m < len(data)] or [1]) if choice.boolean() else \
        choice.integer(0, max(0, len(data) - 1))
    del data[at:]
    return f"truncated to {at} bytes"


def _flip(data: bytearray, s: Shape, choice: Choice) -> str:
    flips = choice.integer(1, 8)
    for _ in range(flips):
        at = choice.integer(0, len(data) - 1)
        data[at] ^= 1 << choice.integer(0, 7)
    return f"{flips} bit flips"


def _code(data: bytearray, s: Shape, choice: Choice) -> str:
    """Garbage instructions in a code section (the emulator must fault, not the rig)."""
    if not s.code:
        return _flip(data, s, choice)
    off, size, name = choice.pick(s.code)
    n = choice.integer(1, min(size, 64))
    at = off + choice.integer(0, size - n)
    data[at:at + n] = choice.data(n)
    return f"{n} random bytes in {name} at +{at - off:#x}"


def _swap_sections(data: bytearray, s: Shape, choice: Choice) -> str:
    shoff, ent, num = s.section_table
    if num < 3:
        return _flip(data, s, choice)
    a, b = choice.integer(1, num - 1), choice.integer(1, num - 1)
    how = choice.pick(("swap", "copy"))
    pa, pb = shoff + a * ent, shoff + b * ent
    ha, hb = bytes(data[pa:pa + ent]), bytes(data[pb:pb + ent])
    data[pa:pa + ent] = hb
    if how == "swap":
        data[pb:pb + ent] = ha
    return f"section headers {a} and {b}: {how}"


def _extend(data: bytearray, s: Shape, choice: Choice) -> str:
    n = choice.pick((1, 7, 64, 4096))
    data += choice.data(n) if choice.boolean() else bytes(n)
    return f"{n} bytes appended"


#: (name, mutation) pairs; the first are the simplest (Hypothesis shrinks to them).
MUTATIONS = (
    ("header field", lambda d, s, c: _set_field(d, s, c, "header")),
    ("section header field", lambda d, s, c: _set_field(d, s, c, "sections")),
    ("symbol field", lambda d, s, c: _set_field(d, s, c, "symbols")),
    ("relocation field", lambda d, s, c: _set_field(d, s, c, "relocations")),
    ("any field", lambda d, s, c: _set_field(d, s, c, "any")),
    ("string table", _strtab),
    ("truncation", _truncate),
    ("bit flips", _flip),
    ("garbage code", _code),
    ("section headers swapped", _swap_sections),
    ("extension", _extend),
)


def mutate(data: bytes, choice: Choice) -> Tuple[bytes, str]:
    """`data` (a valid object) with one to four mutations, and what they were."""
    s = shape(data)
    out = bytearray(data)
    said = []
    for _ in range(choice.pick((1, 1, 2, 3, 4))):
        if len(out) < 64:                  # truncated below the header: nothing left to aim at
            break
        name, fn = choice.pick(MUTATIONS)
        said.append(fn(out, s, choice))
        if name == "truncation":           # the shape's offsets no longer hold
            break
    return bytes(out), "; ".join(said)
