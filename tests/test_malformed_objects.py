"""Malformed objects: a damaged ELF file is refused with a `RigError` naming the place.

Each test builds a good object for the target (sections of every kind, a COMDAT
group, a COMMON symbol, relocations), damages one header, section header,
symbol or relocation field with `struct` (or cuts the file, or fills it with
random bytes), and checks that `Jit.load` raises a `BadObject` / `LimitExceeded`
whose message names the object and the section, symbol or field at fault, and
that the same `Jit` then still loads and calls a good module.  A Hypothesis test
mutates random fields and bytes: only `RigError`s may come out, of the load or of
calling what loaded.
"""
from __future__ import annotations

import functools
import os
import random
import re
import resource
import struct
import tracemalloc

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import rig
import targets
from rig import objfile
from rig.compile import Options, compile_source
from rig.limits import Limits

TARGETS = rig.TARGETS

IR = r"""
$twice = comdat any
@counter = global i32 7
@zeros = global [64 x i32] zeroinitializer
@shared = common global i32 0, align 4
@msg = constant [6 x i8] c"hello\00"
define linkonce_odr i32 @twice(i32 %x) noinline comdat {
  %r = shl i32 %x, 1
  ret i32 %r
}
define i32 @get() {
  %v = load i32, ptr @counter
  %p = getelementptr [64 x i32], ptr @zeros, i32 0, i32 3
  %z = load i32, ptr %p
  %s = load i32, ptr @shared
  %r = add i32 %v, %z
  %q = add i32 %r, %s
  ret i32 %q
}
define i32 @add(i32 %a, i32 %b) {
  %c = add i32 %a, %b
  %d = call i32 @get()
  %t = call i32 @twice(i32 %d)
  %e = add i32 %c, %t
  ret i32 %e
}
define ptr @m() {
  ret ptr @msg
}
"""
FUNCTIONS = (("add", "i32(i32,i32)", (1, 2)), ("get", "i32()", ()), ("twice", "i32(i32)", (4,)), ("m", "ptr()", ()))

#: what the Hypothesis test's Jit allows: small enough that no mutated size costs real memory
SMALL = Limits(object_size=1 << 20, allocatable_size=4 << 20, section_align=1 << 12)


@functools.lru_cache(maxsize=None)
def good(target: str) -> bytes:
    """The undamaged object for `target`."""
    return compile_source(IR, targets.get(target), Options("static"))


def still_works(jit: rig.Jit) -> None:
    """The Jit a damaged object was refused by still loads and runs a good module."""
    mod = jit.load(good(jit.target.name), name="good.o")
    assert mod.call("add", 1, 2, signature="i32(i32,i32)") == 17          # 1 + 2 + 2 * 7
    jit.unload(mod)


# -- where the fields are ---------------------------------------------------------------------

def _layout(names: str, fmt: str) -> dict:
    """field -> (offset, struct code) for a little-endian record ("16s" is one field, other letters one each)."""
    out, at = {}, 0
    codes = re.findall(r"\d*[a-zA-Z]", fmt)
    assert len(codes) == len(names.split())
    for name, code in zip(names.split(), codes):
        out[name] = (at, code)
        at += struct.calcsize("<" + code)
    return out


EHDR = {64: _layout("ident e_type e_machine e_version e_entry e_phoff e_shoff e_flags e_ehsize e_phentsize "
                    "e_phnum e_shentsize e_shnum e_shstrndx", "16sHHIQQQIHHHHHH"),
        32: _layout("ident e_type e_machine e_version e_entry e_phoff e_shoff e_flags e_ehsize e_phentsize "
                    "e_phnum e_shentsize e_shnum e_shstrndx", "16sHHIIIIIHHHHHH")}
SHDR_NAMES = "sh_name sh_type sh_flags sh_addr sh_offset sh_size sh_link sh_info sh_addralign sh_entsize"
SHDR = {64: _layout(SHDR_NAMES, "IIQQQQIIQQ"), 32: _layout(SHDR_NAMES, "IIIIIIIIII")}
SYM = {64: _layout("st_name st_info st_other st_shndx st_value st_size", "IBBHQQ"),
       32: _layout("st_name st_value st_size st_info st_other st_shndx", "IIIBBH")}
REL = {64: _layout("r_offset r_info r_addend", "QQq"), 32: _layout("r_offset r_info r_addend", "IIi")}


class Elf:
    """A good object and where its fields lie, read with `struct` (not with the
    parser under test); each setter returns damaged bytes, the object untouched."""

    def __init__(self, target: str):
        self.target = target
        self.data = good(target)
        self.bits = targets.get(target).elf_class
        d, bits = self.data, self.bits
        self.shoff = self._get(EHDR[bits], 0, "e_shoff")
        self.shentsize = self._get(EHDR[bits], 0, "e_shentsize")
        shnum = self._get(EHDR[bits], 0, "e_shnum")
        headers = [self.shoff + i * self.shentsize for i in range(shnum)]
        strtab = headers[self._get(EHDR[bits], 0, "e_shstrndx")]
        names = d[self._get(SHDR[bits], strtab, "sh_offset"):]
        self.sections = {}                    # name -> (index, header offset)
        for i, at in enumerate(headers):
            n = self._get(SHDR[bits], at, "sh_name")
            self.sections[names[n:names.index(b"\0", n)].decode()] = (i, at)
        self.rel_text = ".rela.text" if ".rela.text" in self.sections else ".rel.text"
        symtab = self.sections[".symtab"][1]
        sym_off, sym_size = self.shdr_field(".symtab", "sh_offset"), self.shdr_field(".symtab", "sh_entsize")
        strings = d[self._get(SHDR[bits], headers[self.shdr_field(".symtab", "sh_link")], "sh_offset"):]
        self.symbols = {}                     # name -> (index, entry offset)
        for k in range(self.shdr_field(".symtab", "sh_size") // sym_size):
            at = sym_off + k * sym_size
            n = self._get(SYM[bits], at, "st_name")
            self.symbols.setdefault(strings[n:strings.index(b"\0", n)].decode(), (k, at))
        del symtab
        self.headers = headers

    def _get(self, layout: dict, at: int, field: str) -> int:
        off, code = layout[field]
        return struct.unpack_from("<" + code, self.data, at + off)[0]

    def _set(self, layout: dict, at: int, field: str, value: int, data: bytes = None) -> bytes:
        off, code = layout[field]
        b = bytearray(self.data if data is None else data)
        size = struct.calcsize("<" + code)
        b[at + off:at + off + size] = (value & ((1 << 8 * size) - 1)).to_bytes(size, "little")
        return bytes(b)

    def index(self, section: str) -> int:
        """The ELF index of `section`."""
        return self.sections[section][0]

    def shdr_field(self, section: str, field: str) -> int:
        """A field of `section`'s header."""
        return self._get(SHDR[self.bits], self.sections[section][1], field)

    def ehdr(self, field: str, value: int) -> bytes:
        """The object with an ELF header field set."""
        return self._set(EHDR[self.bits], 0, field, value)

    def shdr(self, section: str, field: str, value: int, data: bytes = None) -> bytes:
        """The object with a field of `section`'s header set."""
        return self._set(SHDR[self.bits], self.sections[section][1], field, value, data)

    def sym(self, name: str, field: str, value: int, data: bytes = None) -> bytes:
        """The object with a field of symbol `name` set."""
        return self._set(SYM[self.bits], self.symbols[name][1], field, value, data)

    def rel(self, k: int, field: str, value: int, section: str = None) -> bytes:
        """The object with a field of relocation `k` of `section` (default: the .text one) set."""
        section = section or self.rel_text
        entry = self.shdr_field(section, "sh_entsize")
        return self._set(REL[self.bits], self.shdr_field(section, "sh_offset") + k * entry, field, value)

    def rel_symbol(self, k: int, symbol: int) -> bytes:
        """The object with relocation `k` of .text naming symbol index `symbol`."""
        section = self.rel_text
        at = self.shdr_field(section, "sh_offset") + k * self.shdr_field(section, "sh_entsize")
        info = self._get(REL[self.bits], at, "r_info")
        info = (symbol << 32 | info & 0xFFFFFFFF) if self.bits == 64 else (symbol << 8 | info & 0xFF)
        return self._set(REL[self.bits], at, "r_info", info)

    def fields(self, addends: bool = True):
        """(offset, size) of every header, section header, symbol and relocation field
        (less the RELA addends unless `addends`)."""
        bits, out = self.bits, []
        for name, (off, code) in EHDR[bits].items():
            if name != "ident":
                out.append((off, struct.calcsize("<" + code)))
        out += [(4, 1), (5, 1), (6, 1)]                       # EI_CLASS, EI_DATA, EI_VERSION
        for at in self.headers:
            out += [(at + off, struct.calcsize("<" + code)) for off, code in SHDR[bits].values()]
        for _, at in self.symbols.values():
            out += [(at + off, struct.calcsize("<" + code)) for off, code in SYM[bits].values()]
        for name in self.sections:
            if name.startswith(".rel"):
                entry = self.shdr_field(name, "sh_entsize")
                base = self.shdr_field(name, "sh_offset")
                layout = [(o, c) for f, (o, c) in REL[bits].items()
                          if f != "r_addend" or (addends and name.startswith(".rela"))]
                for k in range(self.shdr_field(name, "sh_size") // entry):
                    out += [(base + k * entry + off, struct.calcsize("<" + code)) for off, code in layout]
        return out


@functools.lru_cache(maxsize=None)
def elf(target: str) -> Elf:
    """The good object's field map (once per target)."""
    return Elf(target)


@pytest.fixture(params=TARGETS)
def jit(request):
    """A Jit per target, with a small budget: a damaged object that loads may run anywhere."""
    j = rig.Jit(request.param, seed=5, budget=200_000, timeout=5.0)
    yield j
    j.close()


def refused(jit: rig.Jit, data: bytes, error=rig.BadObject, match: str = "") -> rig.RigError:
    """Load `data` as "bad.o": `error`, its message naming the object and matching `match`;
    then the Jit still works."""
    with pytest.raises(error) as e:
        jit.load(data, name="bad.o")
    assert str(e.value).startswith("bad.o: "), e.value
    assert re.search(match, str(e.value)), (match, str(e.value))
    still_works(jit)
    return e.value


def huge(e: Elf) -> int:
    """An offset or size far past any file: 2**63 for ELF64 (pyelftools overflowed a C ssize_t), 2**32 - 1 for ELF32."""
    return 1 << 63 if e.bits == 64 else 0xFFFF_FFFF


# -- section headers: offsets, sizes, alignments --------------------------------------------------

@pytest.mark.parametrize("field", ["sh_size", "sh_offset"])
@pytest.mark.parametrize("section", [".text", "rel", ".symtab", ".data"])
def test_an_offset_or_size_past_the_file_names_the_section(jit, section, field):
    """sh_offset / sh_size at 2**63 raised OverflowError inside pyelftools: now a BadObject naming the section."""
    e = elf(jit.target.name)
    section = e.rel_text if section == "rel" else section
    for value in (huge(e), (1 << 8 * (e.bits // 8)) - 1, len(e.data)):
        refused(jit, e.shdr(section, field, value),
                match=rf"section {re.escape(section)} \(index {e.index(section)}\) lies outside the file")


def test_a_string_table_past_the_file_is_refused(jit):
    """The string table's offset at 2**63 (OverflowError before), or its last name cut off."""
    e = elf(jit.target.name)
    # LLVM keeps section and symbol names in one .strtab: it names the sections, so it is found first
    refused(jit, e.shdr(".strtab", "sh_offset", huge(e)),
            match=rf"the section name table \(section index {e.index('.strtab')}\) lies outside the file")
    refused(jit, e.shdr(".strtab", "sh_size", 3), match="does not end with a NUL byte")


@pytest.mark.parametrize("section", [".data", ".text", ".bss", ".rodata", ".symtab"])
@pytest.mark.parametrize("align", [0x3001, 3, 0x7FFF_FFFF])
def test_an_alignment_not_a_power_of_two_is_refused_naming_the_section(jit, section, align):
    """sh_addralign 0x3001 was accepted and misplaced other sections: refused, with the value."""
    e = elf(jit.target.name)
    refused(jit, e.shdr(section, "sh_addralign", align),
            match=rf"section {re.escape(section)} \(index {e.index(section)}\) has alignment {align:#x} "
                  rf"\(sh_addralign\), not a power of two")


@pytest.mark.parametrize("section", [".data", ".text", ".bss"])
def test_an_alignment_over_the_limit_is_limit_exceeded(jit, section):
    """An alignment above `Limits.section_align` is LimitExceeded naming the section."""
    e = elf(jit.target.name)
    align = 1 << 20
    err = refused(jit, e.shdr(section, "sh_addralign", align), rig.LimitExceeded,
                  match=rf"section {re.escape(section)} \(index {e.index(section)}\)'s alignment")
    assert (err.limit, err.asked, err.allowed) == ("section_align", align, Limits().section_align)


def test_an_allocatable_compressed_section_is_refused(jit):
    """SHF_COMPRESSED on loaded bytes (pyelftools would inflate them, to any size)."""
    e = elf(jit.target.name)
    flags = e.shdr_field(".text", "sh_flags")
    refused(jit, e.shdr(".text", "sh_flags", flags | 0x800), match=r"section \.text .*compressed")


# -- the ELF header ---------------------------------------------------------------------------

def test_a_section_header_table_inside_the_elf_header_is_refused(jit):
    """e_shoff = 1 loaded as an empty module: the table overlaps the ELF header."""
    e = elf(jit.target.name)
    refused(jit, e.ehdr("e_shoff", 1), match=r"e_shoff 0x1 lies inside the ELF header")
    refused(jit, e.ehdr("e_shoff", e.shoff + 2), match=rf"e_shoff {e.shoff + 2:#x} is not a multiple")
    refused(jit, e.ehdr("e_shoff", 0), match=r"no section header table \(e_shoff 0\)")


@pytest.mark.parametrize("field, value, match", [
    ("e_shnum", 200, r"truncated: the section header table \(200 headers"),
    ("e_shnum", 0xFFFF, r"truncated: the section header table"),
    ("e_shoff", "end", r"truncated: the section header table at e_shoff"),
    ("e_shoff", "huge", r"truncated: the section header table at e_shoff"),
    ("e_shentsize", 0, r"section headers are 0 bytes \(e_shentsize\)"),
    ("e_shentsize", 1, r"section headers are 1 bytes"),
    ("e_shentsize", "more", r"e_shentsize"),
    ("e_shstrndx", 0xFFF0, r"e_shstrndx 65520 is not a section"),
    ("e_shstrndx", 0, r"e_shstrndx 0 is not a section"),
    ("e_shstrndx", "text", r"e_shstrndx \d+ is not a string table"),
    ("e_type", 2, r"expected a relocatable object \(ET_REL\), got ET_EXEC"),
    ("e_machine", 0x1234, r"object is for machine 4660 ELFCLASS\d+, not for target"),
])
def test_a_header_inconsistent_with_the_file_is_refused(jit, field, value, match):
    """e_shnum / e_shentsize / e_shoff / e_shstrndx that do not fit the file, and the wrong type or machine."""
    e = elf(jit.target.name)
    value = {"end": len(e.data) - 8, "huge": huge(e) & ~7, "more": e.shentsize + 8,
             "text": e.index(".text")}.get(value, value)
    refused(jit, e.ehdr(field, value), match=match)


@pytest.mark.parametrize("at, byte, match", [(4, 3, "EI_CLASS is 3"), (4, 0, "EI_CLASS is 0"),
                                             (5, 2, "big-endian"), (5, 7, "EI_DATA is 7")])
def test_a_damaged_identification_is_refused(jit, at, byte, match):
    """EI_CLASS and EI_DATA that are neither value ELF allows, or big-endian."""
    data = bytearray(good(jit.target.name))
    data[at] = byte
    refused(jit, bytes(data), match=match)


def test_the_other_class_is_refused_naming_both(jit):
    """An ELFCLASS the target does not use: the message names the object's and the target's."""
    data = bytearray(good(jit.target.name))
    data[4] = 3 - data[4]               # ELFCLASS32 <-> ELFCLASS64
    refused(jit, bytes(data), match=rf"not for target {jit.target.name}")


# -- links between sections -------------------------------------------------------------------

def test_section_links_out_of_range_name_the_section(jit):
    """sh_link / sh_info of the symbol and relocation tables: in range, and of the right kind."""
    e = elf(jit.target.name)
    rel = e.rel_text
    refused(jit, e.shdr(".symtab", "sh_link", 999), match=r"section \.symtab \(index \d+\)'s sh_link 999 names no section")
    refused(jit, e.shdr(".symtab", "sh_link", e.index(".text")),
            match=r"section \.symtab .*sh_link \d+ names section \.text \(index \d+\), which is not a string table")
    refused(jit, e.shdr(rel, "sh_info", 999), match=rf"section {re.escape(rel)} \(index \d+\)'s sh_info 999 names no section")
    refused(jit, e.shdr(rel, "sh_info", 0), match=rf"section {re.escape(rel)} .*sh_info 0 names no section")
    refused(jit, e.shdr(rel, "sh_link", 999), match=rf"section {re.escape(rel)} .*sh_link 999 names no section")
    refused(jit, e.shdr(rel, "sh_link", e.index(".text")), match=r"which is not the symbol table")
    refused(jit, e.shdr(rel, "sh_info", e.index(".bss")),
            match=rf"section {re.escape(rel)} .*relocates section \.bss .*SHT_NOBITS")
    refused(jit, e.shdr(rel, "sh_info", e.index(rel)), match=r"another relocation section")


@pytest.mark.parametrize("entsize", [0, 1, 7, 1 << 40])
def test_a_table_with_a_bad_entry_size_is_refused(jit, entsize):
    """sh_entsize of the symbol and relocation tables must be their ELF class's entry size."""
    e = elf(jit.target.name)
    refused(jit, e.shdr(".symtab", "sh_entsize", entsize),
            match=rf"section \.symtab \(index \d+\) has sh_entsize {entsize & ((1 << e.bits) - 1)}")
    refused(jit, e.shdr(e.rel_text, "sh_entsize", entsize),
            match=rf"section {re.escape(e.rel_text)} \(index \d+\) has sh_entsize")


def test_a_table_size_not_a_multiple_of_its_entries_is_refused(jit):
    """A symbol table whose size ends in the middle of an entry."""
    e = elf(jit.target.name)
    size = e.shdr_field(".symtab", "sh_size")
    refused(jit, e.shdr(".symtab", "sh_size", size - 1), match=r"section \.symtab .*a multiple")


def test_a_section_name_past_the_name_table_is_refused(jit):
    """sh_name past the section name table (pyelftools read names from anywhere in the file)."""
    e = elf(jit.target.name)
    refused(jit, e.shdr(".data", "sh_name", 0xFFFF),
            match=rf"section index {e.index('.data')}'s name offset 0xffff lies past the end")


def test_a_damaged_section_group_is_refused(jit):
    """A COMDAT group naming a symbol or a member section that does not exist, or empty."""
    e = elf(jit.target.name)
    refused(jit, e.shdr(".group", "sh_info", 9999), match=r"section group \.group .*names symbol 9999")
    members = bytearray(e.data)
    at = e.shdr_field(".group", "sh_offset") + 4
    members[at:at + 4] = (4444).to_bytes(4, "little")
    refused(jit, bytes(members), match=r"section group \.group .*lists section index 4444")
    refused(jit, e.shdr(".group", "sh_size", 0), match=r"section group .* is empty")


# -- symbols and relocations ------------------------------------------------------------------

def test_symbols_with_bad_indices_name_the_symbol(jit):
    """st_shndx out of range or reserved, st_name past the string table: named by symbol."""
    e = elf(jit.target.name)
    index = e.symbols["get"][0]
    refused(jit, e.sym("get", "st_shndx", 200),
            match=rf"symbol 'get' \(index {index}\) is defined in section index 200, which does not exist")
    refused(jit, e.sym("get", "st_shndx", 0xFF10), match=rf"symbol 'get' \(index {index}\) has an unsupported "
                                                           r"section index 0xff10")
    refused(jit, e.sym("get", "st_name", 0xFFFFFF),
            match=rf"symbol index {index}'s name offset 0xffffff lies past the end of its string table")


def test_a_symbol_past_the_end_of_its_section_is_refused(jit):
    """st_value is an offset in the section: past its end (2**64 - 2 overflowed a stub's address)."""
    e = elf(jit.target.name)
    index, top = e.symbols["get"][0], (1 << e.bits) - 2
    for value in (0x100000, top):
        refused(jit, e.sym("get", "st_value", value),
                match=rf"symbol 'get' \(index {index}\) lies at offset {value:#x} in section \.text "
                      rf"\(index {e.index('.text')}\), past its end")
    size = e.shdr_field(".text", "sh_size")
    mod = jit.load(e.sym("get", "st_value", size), name="end.o")     # an end label is an offset in it
    assert mod.address("get") == mod.layout.address(e.index(".text")) + size
    jit.unload(mod)


def test_relocations_with_bad_fields_name_the_site(jit):
    """A relocation naming a symbol the table lacks, or patching past its section's end."""
    e = elf(jit.target.name)
    refused(jit, e.rel_symbol(0, 0xFFFFFF), match=r"relocation at \.text\+0x[0-9a-f]+ names symbol #16777215")
    refused(jit, e.rel(0, "r_offset", 1 << 30), match=r"relocation \w+ at \.text\+0x40000000 lies outside the section")
    refused(jit, e.rel(0, "r_offset", huge(e)), match=r"lies outside the section")


def test_common_symbols_are_checked(jit):
    """A COMMON symbol's alignment (st_value) and size count like a section's."""
    e = elf(jit.target.name)
    refused(jit, e.sym("shared", "st_value", 3), match=r"COMMON symbol 'shared' \(index \d+\) has alignment 0x3, "
                                                       r"not a power of two")
    err = refused(jit, e.sym("shared", "st_value", 1 << 20), rig.LimitExceeded,
                  match=r"COMMON symbol 'shared' \(index \d+\)'s alignment")
    assert err.limit == "section_align"
    err = refused(jit, e.sym("shared", "st_size", 1 << 40 if e.bits == 64 else 0xFFFF_FFF0), rig.LimitExceeded,
                  match=r"the COMMON block up to symbol 'shared'")
    assert err.limit == "allocatable_size"


# -- allocatable size and memory --------------------------------------------------------------

@pytest.mark.parametrize("size", [1 << 30, "max"])
def test_a_huge_bss_fails_before_it_costs_memory(jit, size):
    """A 1 GiB .bss (or 2**64 - 1 bytes) is LimitExceeded at parse, before link.py builds its zeros."""
    e = elf(jit.target.name)
    size = (1 << e.bits) - 1 if size == "max" else size
    data = e.shdr(".bss", "sh_size", size)
    tracemalloc.start()
    try:
        with pytest.raises(rig.LimitExceeded) as err:
            jit.load(data, name="bad.o")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 16 << 20, f"refusing a {size:#x}-byte .bss took {peak:,} bytes"
    assert err.value.limit == "allocatable_size" and err.value.asked > size
    assert re.search(rf"bad\.o: the allocatable sections .*up to section \.bss \(index {e.index('.bss')}\)",
                     str(err.value)), err.value
    still_works(jit)


def test_the_limits_bound_the_parse():
    """`objfile.parse(..., limits)`: the file's size, alignments, the allocatable total; and an
    object from a cache filled under larger limits is held to the smaller ones."""
    t = targets.get("x86_64")
    data = good("x86_64")
    with pytest.raises(rig.LimitExceeded, match=r"x\.o: the object file's size: [\d,]+ is over the object_size"):
        objfile.parse(data, t, "x.o", Limits(object_size=len(data) - 1))
    with pytest.raises(rig.LimitExceeded, match=r"x\.o: section \.\w+ \(index \d+\)'s alignment") as e:
        objfile.parse(data, t, "x.o", Limits(section_align=2))
    assert e.value.limit == "section_align"
    with pytest.raises(rig.LimitExceeded, match=r"x\.o: the allocatable sections") as e:
        objfile.parse(data, t, "x.o", Limits(allocatable_size=64))
    obj = objfile.parse(data, t, "x.o")
    assert obj.file_size == len(data) and objfile.allocatable_size(obj) > 256
    cached = objfile.dumps(obj)
    assert objfile.loads(cached, t, "x.o").file_size == len(data)
    with pytest.raises(rig.LimitExceeded, match="allocatable_size"):
        objfile.loads(cached, t, "x.o", Limits(allocatable_size=64))
    with pytest.raises(rig.LimitExceeded, match="object_size"):
        objfile.check_limits(obj, Limits(object_size=100))


@pytest.mark.parametrize("limits, limit", [(Limits(section_align=2), "section_align"),
                                           (Limits(allocatable_size=64), "allocatable_size"),
                                           (Limits(object_size=100), "object_size")])
def test_the_jits_limits_hold_for_every_load(limits, limit):
    """A Jit's limits hold for an object another Jit (default limits) parsed and cached first."""
    data = good("arm")
    first = rig.Jit("arm")
    first.load(data, name="shared.o")
    first.close()
    small = rig.Jit("arm", limits=limits)
    try:
        for _ in range(2):                          # the parse cache, then the prepared-source cache
            with pytest.raises(rig.LimitExceeded) as e:
                small.load(data, name="shared.o")
            assert e.value.limit == limit
    finally:
        small.close()


# -- truncation and noise ---------------------------------------------------------------------

def test_truncation_anywhere_is_refused(jit):
    """The object cut inside the ELF header, the section header table, a section, the symbols."""
    e = elf(jit.target.name)
    data = e.data
    ehsize = 64 if e.bits == 64 else 52
    cuts = {1, 4, 5, 16, 20, ehsize - 1, ehsize, ehsize + 1, e.shoff, e.shoff + 1, e.shoff + e.shentsize,
            e.shdr_field(".text", "sh_offset") + 3, e.shdr_field(".symtab", "sh_offset") + 5, len(data) // 2,
            len(data) - e.shentsize, len(data) - 1}
    for cut in sorted(cuts):
        with pytest.raises(rig.BadObject) as err:
            jit.load(data[:cut], name="bad.o")
        assert str(err.value).startswith("bad.o: "), (cut, err.value)
    still_works(jit)


def test_random_bytes_are_refused(jit):
    """Noise after the ELF magic, after a good ELF header, or instead of it."""
    rng = random.Random(jit.target.name)
    data = good(jit.target.name)
    for n in (0, 1, 7, 60, 64, 500, 5000):
        noise = bytes(rng.randrange(256) for _ in range(n))
        with pytest.raises(rig.BadObject, match=r"^bad\.o: "):
            jit.load(b"\x7fELF" + noise, name="bad.o")
        with pytest.raises(rig.BadObject, match=r"^bad\.o: "):     # a good ELF header, noise after it
            jit.load(data[:64] + noise, name="bad.o")
        with pytest.raises(rig.RigError):                          # not even ELF: IR that does not parse
            jit.load(b"\x00" + noise, name="bad.o")
    still_works(jit)


# -- names that are not UTF-8 ---------------------------------------------------------------------

def test_a_function_name_that_is_not_utf8_loads(jit):
    """`@"\\A2"` (byte 0xA2): named U+FFFD, as the object's symbol is, with its signature."""
    mod = jit.load('define i32 @"\\A2"() { ret i32 0 }\n'
                   'define i32 @"\\A2\\FFx"(i32 %a) { %b = add i32 %a, 1\n ret i32 %b }\n', name="names.ll")
    assert mod.call("\ufffd") == 0
    assert mod.call("\ufffd\ufffdx", 41) == 42
    jit.unload(mod)
    still_works(jit)


# -- placement messages -----------------------------------------------------------------------

ABS_SMALL = {"x86_64": (".text\n.globl f\nf: ret\n.data\np: .short f\n", "R_X86_64_16"),
             "arm": (".text\n.globl f\nf: bx lr\n.data\np: .byte f\n", "R_ARM_ABS8"),
             "thumb": (".text\n.thumb\n.globl f\n.thumb_func\nf: bx lr\n.data\np: .short f\n", "R_ARM_ABS16"),
             "aarch64": (".text\n.globl f\nf: ret\n.data\np: .hword f\n", "R_AARCH64_ABS16")}


def test_a_placement_no_address_allows_says_which_field_forbids_it(jit, tmp_path):
    """An absolute field narrower than the space below the address space's start: the message
    names the relocation and states its bound, without negative addresses."""
    source, reloc = ABS_SMALL[jit.target.name]
    path = tmp_path / "narrow.s"
    path.write_text(source)
    with pytest.raises(rig.PlacementError) as err:
        jit.load(path)
    message = str(err.value)
    assert "-0x" not in message, message
    assert re.search(rf"no address can hold the object: .*{reloc} at \.data\+0x0 against 'f' in narrow\.s is an "
                     rf"absolute field", message), message
    still_works(jit)


# -- branch addends --------------------------------------------------------------------------

@pytest.mark.parametrize("target", ["x86_64", "aarch64"])          # the RELA targets: the addend is a field
@pytest.mark.parametrize("addend", [-(1 << 62), -(1 << 63), (1 << 63) - 1])
def test_a_branch_addend_past_the_address_space_is_a_rig_error(target, addend, request):
    """A branch's RELA addend that puts S + A outside [0, 2**64): it loads or is a RelocationOverflow, never a raw
    exception out of the stub writer."""
    e = elf(target)
    jit = rig.Jit(target, seed=2, budget=20_000, timeout=1.0)
    try:
        for k in range(e.shdr_field(e.rel_text, "sh_size") // e.shdr_field(e.rel_text, "sh_entsize")):
            try:
                mod = jit.load(e.rel(k, "r_addend", addend), name="bad.o")
            except rig.RelocationOverflow as err:
                assert str(err).startswith("bad.o: "), err
                continue
            for name, signature, args in FUNCTIONS:
                try:
                    mod.call(name, *args, signature=signature)
                except rig.RigError:
                    pass
            jit.unload(mod)
        still_works(jit)
    finally:
        jit.close()


# -- random damage ----------------------------------------------------------------------------

_CI = bool(os.environ.get("CI"))


def _values(size: int):
    top = (1 << 8 * size) - 1
    return st.one_of(st.sampled_from(sorted({0, 1, 2, 3, 4, 7, 8, 16, 0x3001, 0xFF, 0x100, 0xFFFF & top, 0xFF00 & top,
                                             0xFFF1 & top, 0xFFF2 & top, top, top >> 1, (top >> 1) + 1})),
                     st.integers(0, top), st.integers(0, 64), st.integers(0, 8 * size - 1).map(lambda b: 1 << b))


def _damage(e: Elf):
    fields = e.fields(addends=True)
    field = st.sampled_from(fields).flatmap(lambda f: st.tuples(st.just(f), _values(f[1])))
    byte = st.tuples(st.integers(0, len(e.data) - 1), st.integers(0, 255))
    return st.tuples(st.lists(st.one_of(field.map(lambda x: ("field",) + x), byte.map(lambda x: ("byte",) + x)),
                              min_size=1, max_size=4),
                     st.one_of(st.none(), st.none(), st.integers(0, len(e.data))))


def _apply(e: Elf, changes, cut) -> bytes:
    b = bytearray(e.data)
    for change in changes:
        if change[0] == "field":
            (at, size), value = change[1], change[2]
            b[at:at + size] = (value & ((1 << 8 * size) - 1)).to_bytes(size, "little")
        else:
            b[change[1]] = change[2]
    return bytes(b if cut is None else b[:cut])


@pytest.mark.parametrize("target", TARGETS)
def test_random_damage_gives_only_rig_errors(target):
    """Random fields and bytes of a good object changed: the load raises a `RigError` or
    succeeds, and calling what loaded returns or raises a `RigError` (a fault, the budget)."""
    e = elf(target)
    jit = rig.Jit(target, seed=1, budget=20_000, timeout=1.0, limits=SMALL)
    outcomes: dict = {}
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss         # KiB on Linux

    @settings(max_examples=500, deadline=None, database=None, derandomize=_CI, print_blob=True,
              suppress_health_check=list(HealthCheck))
    @given(_damage(e))
    def damaged(case):
        data = _apply(e, *case)
        try:
            mod = jit.load(data, name="fuzz.o")
        except rig.RigError as err:
            if isinstance(err, (rig.BadObject, rig.LimitExceeded, rig.UnsupportedRelocation, rig.RelocationOverflow)):
                assert str(err).startswith("fuzz.o: "), err          # the object's own faults name it
            outcomes[type(err).__name__] = outcomes.get(type(err).__name__, 0) + 1
            return
        try:
            for name, signature, args in FUNCTIONS:
                try:
                    mod.call(name, *args, signature=signature)
                except rig.RigError as err:
                    outcomes[type(err).__name__] = outcomes.get(type(err).__name__, 0) + 1
            outcomes["loaded"] = outcomes.get("loaded", 0) + 1
        finally:
            jit.unload(mod)

    try:
        damaged()
        assert outcomes.get("BadObject"), outcomes       # the damage did reach the checks
        # No damaged size may cost memory past the limits: with the default ones a mutated .bss
        # may still take up to 256 MiB (twice, as bytes and in the emulator); none takes gigabytes.
        grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss
        assert grown < 1 << 20, f"the peak RSS grew by {grown:,} KiB"
        still_works(jit)
    finally:
        jit.close()
