"""`ar` archives (static libraries): members, a symbol index, and which member defines what.

A static linker does not load an archive: it loads the members that define a
symbol the program still needs, and repeats, because a pulled member may need
others (lli's `-extra-archive` does the same for a JIT).  This module is the
reading half: `Archive.read(path or bytes, target)` gives the members and a
symbol index (symbol -> the first member defining it); `pull_order` says
which members a link pulls, and in what order; `Jit.load_archive` loads them.

Formats read:

- GNU/SysV (what `ar`, `llvm-ar` and `zig ar` write on Linux): a `/` symbol
  index (or `/SYM64/`), a `//` long-name table, names ending in `/`;
- BSD/Darwin: `#1/N` names stored before the member's bytes, a `__.SYMDEF`
  index (ignored: the index is built from the members instead);
- a plain `!<arch>` with no index (`ar rcS`, `ar q` without `s`): the index is
  built from the members' ELF symbol tables: every global or weak symbol that
  is defined, absolute or COMMON (what `ar s` records).

A thin archive (`!<thin>`, members left in their own files) is refused.  Every
member must be an ELF relocatable object for the target; anything damaged is
`BadObject` naming the archive, the member and the offset.  An archive is
parsed once per content (and target): `read` caches by content hash.
"""
from __future__ import annotations

import hashlib
import os
import struct
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType
from typing import Callable, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

from targets.base import Target

from ._cache import LRU
from .errors import BadObject, RigError

MAGIC = b"!<arch>\n"
THIN_MAGIC = b"!<thin>\n"
HEADER_SIZE = 60
_FMAG = b"`\n"
_ET_REL = 1
_SHN_UNDEF = 0
_STB_GLOBAL, _STB_WEAK, _STB_GNU_UNIQUE = 1, 2, 10
_STT_SECTION, _STT_FILE = 3, 4
_BSD_INDEXES = ("__.SYMDEF", "__.SYMDEF SORTED", "__.SYMDEF_64", "__.SYMDEF_64 SORTED")

_archives: "LRU" = LRU(64)        # (content hash, target) -> Archive


@dataclass(frozen=True)
class Member:
    """One object in an archive: its name, where its header starts, its bytes."""

    name: str
    offset: int               #: of the member's 60-byte header in the archive
    data: bytes


@dataclass(frozen=True)
class Archive:
    """A parsed archive: its members in order and its symbol index."""

    name: str
    target: str
    members: Tuple[Member, ...]
    index: Mapping[str, int]          #: symbol -> position in `members` of the first member defining it
    index_source: str                 #: "gnu", "gnu64" (the archive's own index) or "members" (built here)

    @classmethod
    def read(cls, source: Union[str, bytes, os.PathLike], target: Target,
             name: Optional[str] = None) -> "Archive":
        """The archive at a path (or in `bytes`), with members for `target`;
        parsed once per content: the same bytes again come from a cache."""
        if isinstance(source, (bytes, bytearray, memoryview)):
            data, default = bytes(source), "<archive>"
        else:
            path = Path(source)
            try:
                data = path.read_bytes()
            except OSError as e:
                raise RigError(f"cannot read {path}: {e.strerror}") from None
            default = path.name
        name = name or default
        key = (hashlib.sha256(data).hexdigest(), target.name)
        hit = _archives.get(key)
        if hit is None:
            hit = _archives[key] = parse(data, target, name)
        return hit if hit.name == name else replace(hit, name=name)   # the same bytes under another name

    def member_for(self, symbol: str) -> Optional[Member]:
        """The member a linker pulls for `symbol`, or None."""
        i = self.index.get(symbol)
        return None if i is None else self.members[i]

    def module_name(self, member: Member) -> str:
        """"libfoo.a(bar.o)": how a loaded member is named."""
        return f"{self.name}({member.name})"

    def __repr__(self) -> str:
        return f"<Archive {self.name}: {len(self.members)} members, {len(self.index)} symbols>"


def pull_order(libs: Sequence[Archive], wanted: Iterable[str], defined: Callable[[str], bool],
               needs: Callable[[Archive, Member], Iterable[str]], pulled: set) -> List[Tuple[Archive, Member]]:
    """The members a static linker pulls from `libs` (one group: a name is looked
    up in each archive in turn) for the `wanted` names nothing `defined` yet, and
    for what those members `need` in turn; each member comes after the members it
    refers to, so that it is placed knowing where the data it addresses
    pc-relatively lives.  `pulled` holds (archive position, member offset) of
    members pulled before (they are not pulled again) and gains the new ones."""
    def provider(name):
        if defined(name):
            return None
        for i, lib in enumerate(libs):
            member = lib.member_for(name)
            if member is not None and (i, member.offset) not in pulled:
                return i, lib, member
        return None

    order: List[Tuple[Archive, Member]] = []
    seen: set = set()
    for name in wanted:
        root = provider(name)
        if root is None or (root[0], root[2].offset) in seen:
            continue
        seen.add((root[0], root[2].offset))
        stack = [(root, None)]               # depth first: a member after what it needs
        while stack:
            (i, lib, member), todo = stack.pop()
            if todo is None:
                todo = iter(list(needs(lib, member)))
            for n in todo:
                dep = provider(n)
                if dep is not None and (dep[0], dep[2].offset) not in seen:
                    seen.add((dep[0], dep[2].offset))
                    stack.append(((i, lib, member), todo))
                    stack.append((dep, None))
                    break
            else:
                order.append((lib, member))
    pulled.update(seen)
    return order


def is_archive(data: bytes) -> bool:
    """True when `data` starts like an `ar` archive (thin ones included)."""
    return data.startswith((MAGIC, THIN_MAGIC))


def parse(data: bytes, target: Target, name: str = "<archive>") -> Archive:
    """Parse archive bytes for `target`, or `BadObject` naming the archive,
    the member and the offset of what is wrong."""
    try:
        return _parse(data, target, name)
    except BadObject:
        raise
    except (struct.error, ValueError, IndexError, UnicodeDecodeError) as e:     # a guard missed: still named
        raise BadObject(f"{name}: malformed archive ({type(e).__name__}: {e})") from None


def _parse(data: bytes, target: Target, name: str) -> Archive:
    if data.startswith(THIN_MAGIC):
        raise BadObject(f"{name}: a thin archive (its members stay in their own files); the rig reads only "
                        f"archives that hold their members: rebuild it without --thin (ar rcs)")
    if not data.startswith(MAGIC):
        raise BadObject(f"{name}: not an ar archive at offset 0x0 (starts with {data[:8]!r}, "
                        f"expected {MAGIC!r})")
    machine = _machine_number(target)
    members = []
    symtab = None            # (kind, offset, body) of the GNU symbol index
    longnames = None         # (offset, body) of the // table
    pos = len(MAGIC)
    while pos < len(data):
        if data[pos:] == b"\n":          # the padding byte after an odd-sized last member
            break
        header = data[pos:pos + HEADER_SIZE]
        if len(header) < HEADER_SIZE:
            raise BadObject(f"{name}: truncated member header at offset {pos:#x} ({len(header)} of "
                            f"{HEADER_SIZE} bytes)")
        raw_name = header[:16].decode("latin-1").rstrip(" ")
        shown = _shown_name(raw_name, longnames)
        if header[58:60] != _FMAG:
            raise BadObject(f"{name}: member header at offset {pos:#x} ({shown!r}) is damaged: its end "
                            f"marker is {header[58:60]!r}, not {_FMAG!r}")
        size_text = header[48:58].decode("latin-1").strip()
        if not _digits(size_text):
            raise BadObject(f"{name}: member header at offset {pos:#x} ({shown!r}) has a bad size "
                            f"field {size_text!r}")
        size = int(size_text)
        start, end = pos + HEADER_SIZE, pos + HEADER_SIZE + size
        if end > len(data):
            raise BadObject(f"{name}: member {shown!r} at offset {pos:#x} is {size} bytes, past the end of "
                            f"the archive ({len(data) - start} bytes left)")
        body = data[start:end]
        where = f"{name}: member {shown!r} at offset {pos:#x}"
        if raw_name == "/" or raw_name == "/SYM64/":
            if symtab is None:
                symtab = ("gnu" if raw_name == "/" else "gnu64", pos, body)
        elif raw_name == "//":
            longnames = (pos, body)
        else:
            member_name, body = _member_name(raw_name, body, longnames, where)
            if member_name not in _BSD_INDEXES:
                member_where = f"{name}: member {member_name!r} at offset {pos:#x}"
                _check_elf(body, target, machine, member_where)
                members.append(Member(member_name, pos, body))
        pos = end + (size & 1)           # members start at even offsets
    members = tuple(members)
    if symtab is not None:
        index = _read_index(symtab, members, name)
        source = symtab[0]
    else:
        index, source = {}, "members"
        for i, m in enumerate(members):
            for sym in _defined_symbols(m.data, target, f"{name}: member {m.name!r} at offset {m.offset:#x}"):
                index.setdefault(sym, i)
    return Archive(name, target.name, members, MappingProxyType(index), source)


def _digits(text: str) -> bool:
    return text.isascii() and text.isdigit()


def _shown_name(raw: str, longnames) -> str:
    """The member's name as far as the header alone tells it (for messages)."""
    if raw.startswith("/") and _digits(raw[1:]) and longnames is not None:
        table, off = longnames[1], int(raw[1:])
        if off < len(table):
            stop = table.find(b"\n", off)
            return table[off:stop if stop >= 0 else len(table)].rstrip(b"/").decode("utf-8", "replace")
    if raw.endswith("/") and raw not in ("/", "//"):
        return raw[:-1]
    return raw


def _member_name(raw: str, body: bytes, longnames, where: str) -> Tuple[str, bytes]:
    """(the member's name, its bytes) from the header's name field."""
    if raw.startswith("#1/"):                        # BSD: the name is the first N bytes of the body
        n = raw[3:]
        if not _digits(n) or int(n) > len(body):
            raise BadObject(f"{where}: BSD long name of {n!r} bytes does not fit the member "
                            f"({len(body)} bytes)")
        return body[:int(n)].rstrip(b"\0").decode("utf-8", "replace"), body[int(n):]
    if raw.startswith("/") and _digits(raw[1:]):    # GNU: an offset into the // table
        off = int(raw[1:])
        if longnames is None:
            raise BadObject(f"{where}: names long-name table offset {off}, but the archive has no // table "
                            f"before it")
        table_at, table = longnames
        if off >= len(table):
            raise BadObject(f"{where}: long-name offset {off} lies past the end of the // table at offset "
                            f"{table_at:#x} ({len(table)} bytes)")
    return _shown_name(raw, longnames), body


def _read_index(symtab, members: Tuple[Member, ...], name: str) -> dict:
    """The GNU `/` (4-byte) or `/SYM64/` (8-byte) index: big-endian count, member
    header offsets, then the symbol names, NUL-terminated."""
    kind, at, body = symtab
    word = 4 if kind == "gnu" else 8
    where = f"{name}: symbol index ({'/' if kind == 'gnu' else '/SYM64/'}) at offset {at:#x}"
    if len(body) < word:
        raise BadObject(f"{where} is truncated ({len(body)} bytes)")
    count = int.from_bytes(body[:word], "big")
    if word + count * word > len(body):
        raise BadObject(f"{where} claims {count} symbols, more than its {len(body)} bytes hold")
    offsets = [int.from_bytes(body[word + i * word:word * (i + 2)], "big") for i in range(count)]
    names = body[word + count * word:].split(b"\0")
    if len(names) - 1 < count:
        raise BadObject(f"{where} claims {count} symbols but names only {max(0, len(names) - 1)}")
    at_offset = {m.offset: i for i, m in enumerate(members)}
    index: dict = {}
    for sym, off in zip(names, offsets):
        sym = sym.decode("utf-8", "replace")
        i = at_offset.get(off)
        if i is None:
            raise BadObject(f"{where}: symbol {sym!r} points at offset {off:#x}, where no object member starts")
        index.setdefault(sym, i)
    return index


def _machine_number(target: Target) -> int:
    from elftools.elf.enums import ENUM_E_MACHINE
    return ENUM_E_MACHINE[target.elf_machine]


def _check_elf(body: bytes, target: Target, machine: int, where: str) -> None:
    """`BadObject` unless `body` starts like an ELF relocatable object for `target`."""
    if not body.startswith(b"\x7fELF"):
        what = "LLVM bitcode" if body[:4] in (b"BC\xc0\xde", b"\xde\xc0\x17\x0b") else f"starts with {body[:4]!r}"
        raise BadObject(f"{where}: not an ELF object ({what}); archive members must be ELF relocatable objects")
    bits, order = body[4:5], body[5:6]
    bits, order = (bits[0] if bits else 0), (order[0] if order else 0)
    if bits not in (1, 2) or len(body) < (64 if bits == 2 else 52):
        raise BadObject(f"{where}: truncated or damaged ELF header ({len(body)} bytes, EI_CLASS {bits})")
    if order != 1:
        raise BadObject(f"{where}: not a little-endian ELF object (EI_DATA {order})")
    e_type, e_machine = struct.unpack_from("<HH", body, 16)
    if e_machine != machine or bits * 32 != target.elf_class:
        from elftools.elf.enums import ENUM_E_MACHINE
        found = next((k for k, v in ENUM_E_MACHINE.items() if v == e_machine and k.startswith("EM_")),
                     f"machine {e_machine}")
        raise BadObject(f"{where}: object is for {found} ELFCLASS{bits * 32}, "
                        f"not for target {target.name} ({target.elf_machine} ELFCLASS{target.elf_class})")
    if e_type != _ET_REL:
        raise BadObject(f"{where}: not a relocatable object (e_type {e_type}, expected ET_REL)")


def _defined_symbols(body: bytes, target: Target, where: str):
    """The names an ELF object defines for other objects: global, weak or
    GNU-unique symbols that are defined, absolute or COMMON (what `ar s` indexes)."""
    is64 = target.elf_class == 64
    if is64:
        shoff, = struct.unpack_from("<Q", body, 0x28)
        shentsize, shnum = struct.unpack_from("<HH", body, 0x3A)
        shdr, sym_size = "<IIQQQQIIQQ", 24
    else:
        shoff, = struct.unpack_from("<I", body, 0x20)
        shentsize, shnum = struct.unpack_from("<HH", body, 0x2E)
        shdr, sym_size = "<IIIIIIIIII", 16
    if shoff == 0:
        return
    if shentsize != struct.calcsize(shdr):
        raise BadObject(f"{where}: section header entry size {shentsize}, expected {struct.calcsize(shdr)}")

    def section(i):
        at = shoff + i * shentsize
        if at + shentsize > len(body):
            raise BadObject(f"{where}: truncated: section header {i} at {at:#x} lies past the object's "
                            f"{len(body)} bytes")
        _, sh_type, _, _, off, size, link, _, _, entsize = struct.unpack_from(shdr, body, at)
        return sh_type, off, size, link, entsize

    if shnum == 0:                    # extended numbering: the count is section 0's size
        shnum = section(0)[2]
    SHT_SYMTAB = 2
    for i in range(shnum):
        sh_type, off, size, link, entsize = section(i)
        if sh_type != SHT_SYMTAB:
            continue
        if off + size > len(body) or link >= shnum:
            raise BadObject(f"{where}: the symbol table (section {i}) lies past the object's end or names "
                            f"no string table")
        _, str_off, str_size, _, _ = section(link)
        if str_off + str_size > len(body):
            raise BadObject(f"{where}: the symbol string table (section {link}) lies past the object's end")
        strings = body[str_off:str_off + str_size]
        for at in range(off + sym_size, off + size - sym_size + 1, sym_size):   # entry 0 is the null symbol
            if is64:
                st_name, st_info, _, st_shndx = struct.unpack_from("<IBBH", body, at)
            else:
                st_name, = struct.unpack_from("<I", body, at)
                st_info, _, st_shndx = struct.unpack_from("<BBH", body, at + 12)
            bind, typ = st_info >> 4, st_info & 0xF
            if bind not in (_STB_GLOBAL, _STB_WEAK, _STB_GNU_UNIQUE) or st_shndx == _SHN_UNDEF \
                    or typ in (_STT_SECTION, _STT_FILE):
                continue
            if st_name >= len(strings):
                raise BadObject(f"{where}: a symbol's name offset {st_name} lies past its string table "
                                f"({len(strings)} bytes)")
            stop = strings.find(b"\0", st_name)
            sym = strings[st_name:stop if stop >= 0 else len(strings)].decode("utf-8", "replace")
            if sym:
                yield sym
        return


def machine_header(data: bytes) -> bytes:
    """The first 20 bytes of the archive's first ELF member (enough to tell its
    machine and class), or b"" when there is none or the archive is damaged."""
    pos = len(MAGIC)
    if not data.startswith(MAGIC):
        return b""
    while pos + HEADER_SIZE <= len(data):
        header = data[pos:pos + HEADER_SIZE]
        size_text = header[48:58].decode("latin-1").strip()
        if not _digits(size_text):
            return b""
        size = int(size_text)
        body = data[pos + HEADER_SIZE:pos + HEADER_SIZE + size]
        raw = header[:16].decode("latin-1").rstrip(" ")
        if raw.startswith("#1/") and _digits(raw[3:]):
            body = body[int(raw[3:]):]
        if body.startswith(b"\x7fELF"):
            return body[:20]
        pos += HEADER_SIZE + size + (size & 1)
    return b""
