"""LLVM's JITLink as an engine, through `llvm-jitlink -noexec` (LLVM 19).

JITLink places sections itself: llvm-jitlink has no per-section placement, only
a slab (`-slab-allocate SIZE -slab-address ADDR -slab-page-size 4096 -noexec`)
in which JITLink lays the sections out, grouped by memory protection.  So the
engine links in a slab at the lowest requested address (page-aligned) and
returns the placement JITLink used (`EngineResult.placement`); `compare` then
links the references at that placement.  How it is driven:

* `-abs NAME=ADDR`: an external's address; the object's global absolute
  symbols (`.set x, 5; .globl x`) are made undefined and given with `-abs`
  too (JITLink 19's ELF reader has no absolute symbols: "Could not find symbol
  at given index");
* `-entry SYM`: a global symbol the object defines (looking it up materializes
  the object);
* `-show-graphs=.`: the link graph after fixups: each section's block address
  (the placement used), the GOT entries (`$__GOT`) and stubs (`$__STUBS`) JITLink
  made, with the edge each holds (where it points);
* `-check=checks.txt`: one `*{N}(section_addr(obj.o, SECTION) + OFF) = WORD`
  per relocation site (WORD the object's own bytes); a false check prints the
  word JITLink wrote (as `llvm-rtdyld -verify`; JITLink's prefix is
  `jitlink-check:`).  `-show-relocated-section-contents` is not used: LLVM 19's
  dumper never ends on a GOT section not 16-byte aligned.

A type JITLink does not implement aborts the link ("Unsupported <arch>
relocation type R_..."): it is made R_*_NONE in a copy and reported in
`unsupported` (remembered per target).  A site whose value JITLink finds out of
range ("... is out of range of <Kind> fixup at ADDR") aborts the link too: that
site is made NONE and listed in `notes["refused_sites"]` {(section, offset):
message}; `compare` counts it as not compared, and the campaign lists it.
A relocation against a local absolute symbol is dropped the same way.
"""
from __future__ import annotations

import re
import shlex
import struct
import subprocess
import tempfile
from pathlib import Path
from typing import Dict, List, Optional, Set, Tuple

import targets as _targets

from ..errors import RigError
from .base import Engine, EngineResult
from .rtdyld import parse_failures, section_headers

JITLINK = "/usr/bin/llvm-jitlink-19"
OBJ = "obj.o"
PAGE = 0x1000
SLAB = 64 << 20
_SKIP = (".eh_frame", ".ARM.exidx", ".ARM.extab")
_UNSUPPORTED = re.compile(r"[Uu]nsupported [^\n]*?relocation[^\n]*?\b(R_\w+)")
_NO_INDEX = re.compile(r"Could not find symbol at given index.*?index: (\d+)")
_RANGE = re.compile(r"is out of range of (\S+) fixup at (0x[0-9a-fA-F]+) "
                    r"\((.*?), (0x[0-9a-fA-F]+) \+ (0x[0-9a-fA-F]+)\)")
_OPCODE = re.compile(r"Invalid opcode (0x[0-9a-fA-F]+) for relocation: \S+")



def _relocs(data: bytes):
    """(entry's file offset, is64, target section index, r_offset, type, symbol index) of every relocation."""
    is64, secs = section_headers(data)
    for h in secs:
        if h[1] not in (4, 9):
            continue
        ent = h[9] or ((24 if h[1] == 4 else 16) if is64 else (12 if h[1] == 4 else 8))
        for at in range(h[4], h[4] + h[5], ent):
            if is64:
                off, info = struct.unpack_from("<QQ", data, at)
                yield at, True, h[7], off, info & 0xFFFFFFFF, info >> 32
            else:
                off, info = struct.unpack_from("<II", data, at)
                yield at, False, h[7], off, info & 0xFF, info >> 8


def drop(data: bytes, types: Set[int], symbols: Set[int], sites: Set[Tuple[int, int]]) -> bytes:
    """A copy without the relocations of a type in `types`, against a symbol in `symbols` or at a
    (section index, offset) in `sites`: the entries left are moved up and the section shortened
    (JITLink refuses R_*_NONE on AArch64, so they cannot be made NONE)."""
    if not (types or symbols or sites):
        return data
    is64, secs = section_headers(data)
    out = bytearray(data)
    shoff = struct.unpack_from("<Q" if is64 else "<I", data, 0x28 if is64 else 0x20)[0]
    shentsize = struct.unpack_from("<H", data, 0x3A if is64 else 0x2E)[0]
    kept: Dict[int, List[bytes]] = {i: [] for i, h in enumerate(secs) if h[1] in (4, 9)}
    for at, _, sec, off, ty, sym in _relocs(data):
        i = next(k for k in kept if secs[k][4] <= at < secs[k][4] + secs[k][5])
        ent = secs[i][9] or ((24 if secs[i][1] == 4 else 16) if is64 else (12 if secs[i][1] == 4 else 8))
        if not (ty in types or sym in symbols or (sec, off) in sites):
            kept[i].append(data[at:at + ent])
    for i, rows in kept.items():
        h = secs[i]
        body = b"".join(rows)
        out[h[4]:h[4] + h[5]] = body + bytes(h[5] - len(body))
        struct.pack_into("<Q" if is64 else "<I", out, shoff + i * shentsize + (0x20 if is64 else 0x14), len(body))
    return bytes(out)


def absolute_to_undefined(data: bytes) -> Tuple[bytes, Dict[str, int]]:
    """A copy with every global absolute symbol made undefined, and {name: value} of them."""
    is64, secs = section_headers(data)
    out, found = bytearray(data), {}
    for h in secs:
        if h[1] != 2:
            continue
        strtab = secs[h[6]][4]
        ent = h[9] or (24 if is64 else 16)
        for at in range(h[4], h[4] + h[5], ent):
            if is64:
                name, info, _, shndx, value, _ = struct.unpack_from("<IBBHQQ", data, at)
                sh_at = at + 6
            else:
                name, value, _, info, _, shndx = struct.unpack_from("<IIIBBH", data, at)
                sh_at = at + 14
            if shndx == 0xFFF1 and info >> 4 in (1, 2) and name:
                found[data[strtab + name:data.index(b"\0", strtab + name)].decode()] = value
                struct.pack_into("<H", out, sh_at, 0)
    return bytes(out), found


def widen(data: bytes, wanted: Dict[int, Tuple[int, int]]) -> bytes:
    """A copy whose section `i` is at least `wanted[i]` = (size, alignment): a section made
    bigger has its bytes moved to the end of the file and zeros after them."""
    is64, secs = section_headers(data)
    out = bytearray(data)
    shoff = struct.unpack_from("<Q" if is64 else "<I", data, 0x28 if is64 else 0x20)[0]
    shentsize = struct.unpack_from("<H", data, 0x3A if is64 else 0x2E)[0]
    for i, (size, align) in sorted(wanted.items()):
        h = secs[i]
        at = shoff + i * shentsize
        # (name, type, flags, addr, offset, size, link, info, addralign, entsize)
        if align > h[8]:
            struct.pack_into("<Q" if is64 else "<I", out, at + (0x30 if is64 else 0x20), align)
        if size > h[5]:
            if h[1] != 8:                     # not NOBITS: the bytes move to the end, zeros follow
                while len(out) % 16:
                    out.append(0)
                new = len(out)
                out += data[h[4]:h[4] + h[5]] + bytes(size - h[5])
                struct.pack_into("<Q" if is64 else "<I", out, at + (0x18 if is64 else 0x10), new)
            struct.pack_into("<Q" if is64 else "<I", out, at + (0x20 if is64 else 0x14), size)
    return bytes(out)


_SECTION = re.compile(r"^section (.*):$")
_BLOCK = re.compile(r"^\s+block (0x[0-9a-f]+) size = (0x[0-9a-f]+)")
_EDGE = re.compile(r"^\s+(0x[0-9a-f]+) \(block \+ (0x[0-9a-f]+)\), addend = ([+-]0x[0-9a-f]+), kind = (\S+), "
                   r"target = (.*)$")


def parse_graph(text: str) -> Dict[str, List[dict]]:
    """{section: [{"address", "size", "edges": [(address, addend, kind, target)]}]} from -show-graphs."""
    out: Dict[str, List[dict]] = {}
    cur: Optional[List[dict]] = None
    for line in text.splitlines():
        m = _SECTION.match(line)
        if m:
            cur = out.setdefault(m.group(1), [])
            continue
        if line and not line.startswith(" "):
            cur = None
            continue
        if cur is None:
            continue
        m = _BLOCK.match(line)
        if m:
            cur.append({"address": int(m.group(1), 16), "size": int(m.group(2), 16), "edges": []})
            continue
        m = _EDGE.match(line)
        if m and cur:
            cur[-1]["edges"].append((int(m.group(1), 16), int(m.group(3), 16), m.group(4), m.group(5).strip()))
    return out


class JitLinkEngine(Engine):
    """JITLink (LLVM 19) through `llvm-jitlink -noexec`, in a slab at the lowest requested address."""

    name = "jitlink"
    refused: Dict[str, Dict[int, str]] = {}      #: target -> type number -> JITLink's message

    def __init__(self, tool: str = JITLINK):
        self.tool = tool

    def command(self, slab: int, entry: str, externals: Dict[str, int], checks: Optional[str]) -> List[str]:
        args = [self.tool, "-noexec", f"-slab-allocate={SLAB >> 20}Mb", f"-slab-address={slab:#x}",
                f"-slab-page-size={PAGE}",
                f"-entry={entry}", "-show-graphs=."]
        if checks:
            args.append(f"-check={checks}")
        args += [f"-abs={n}={v:#x}" for n, v in externals.items()]
        return args + [OBJ]

    def _run(self, d: Path, obj: bytes, args: List[str]):
        (d / OBJ).write_bytes(obj)
        try:
            p = subprocess.run(args, cwd=d, capture_output=True, text=True, timeout=60)
        except subprocess.TimeoutExpired:
            raise RigError(f"llvm-jitlink did not finish in 60 s: {' '.join(args)}") from None
        return p.returncode, p.stdout + p.stderr

    def link(self, obj, target, placement, externals) -> EngineResult:
        from ..link import GOT_SYMBOL
        from ..objfile import parse
        t = _targets.get(target)
        o = parse(obj, t, OBJ)
        numbers = {h.name: n for n, h in t.relocations.items()}
        names = {s.name for s in o.sections}
        requested = [a for n, a in placement.items() if n in names]
        if not requested:
            raise RigError("nothing to place")
        slab = min(requested) // PAGE * PAGE
        data, absolutes = absolute_to_undefined(obj)
        # each section as big and as aligned as the rig's item for it (its stubs follow its
        # bytes, code is aligned): the references can then be linked where JITLink put them
        from ..layout import items_of
        items, _ = items_of(o, t)
        data = widen(data, {i.key: (i.size, i.align) for i in items if isinstance(i.key, int)
                            and not o.section(i.key).name.startswith(_SKIP)
                            and (i.size > o.section(i.key).size or i.align > o.section(i.key).align)})
        ext = {n: v for n, v in externals.items() if n != GOT_SYMBOL}
        ext.update(absolutes)
        entry = next((s.name for s in o.symbols if s.kind == "defined" and s.binding in ("global", "weak")
                      and s.name and s.section is not None), None)
        if entry is None:
            raise RigError("llvm-jitlink needs an entry: the object defines no global symbol")
        types = set(self.refused.get(target, {}))
        symbols: Set[int] = set()
        sites: Dict[Tuple[int, int], str] = {}
        by_index = {r.section: o.section(r.section).name for r in o.relocations}
        layout: Optional[Dict[str, int]] = None
        got_at: Optional[int] = None
        with tempfile.TemporaryDirectory(prefix="rig-jitlink-") as tmp:
            d = Path(tmp)
            for _ in range(200):
                linked = drop(data, types, symbols, set(sites))
                args = self.command(slab, entry, ext, None)
                rc, out = self._run(d, linked, args)
                if rc == 0:
                    break
                m = _UNSUPPORTED.search(out)
                if m and m.group(1) in numbers and numbers[m.group(1)] not in types:
                    types.add(numbers[m.group(1)])
                    self.refused.setdefault(target, {})[numbers[m.group(1)]] = m.group(0)
                    continue
                if GOT_SYMBOL not in ext and re.search(r"Symbols not found: \[[^]]*\b_GLOBAL_OFFSET_TABLE_\b", out):
                    # JITLink defines it on x86-64 only: elsewhere it is the rig's GOT, past the slab
                    ext[GOT_SYMBOL] = got_at = slab + SLAB
                    continue
                m = _NO_INDEX.search(out)
                if m and int(m.group(1)) not in symbols:
                    symbols.add(int(m.group(1)))
                    continue
                m = _OPCODE.search(out)
                if m:       # JITLink refuses the instruction at a site (e.g. a conditional B for JUMP24)
                    word = int(m.group(1), 16)
                    swapped = (word >> 16 | word << 16) & 0xFFFFFFFF
                    words = (word.to_bytes(4, "little"), swapped.to_bytes(4, "little"))
                    bad = {(r.section, r.offset) for r in o.relocations
                           if o.section(r.section).data[r.offset:r.offset + 4] in words} - set(sites)
                    if bad:
                        for b in bad:
                            sites[b] = m.group(0)
                        continue
                m = _RANGE.search(out)
                site = None
                if m:       # "fixup at ADDR (SYMBOL, SYMBOL'S ADDRESS + OFFSET)": a symbol of the object?
                    sym = next((s for s in o.symbols if s.name == m.group(3) and s.kind == "defined"
                                and s.section is not None), None)
                    if sym is not None:
                        site = (sym.section, sym.value + int(m.group(5), 16))
                if m and site is None:
                    # an anonymous block: where JITLink puts each section, from a link with no
                    # relocations (a guess: with none, it may dead-strip sections and move the others)
                    if layout is None:
                        everything = {ty for *_, ty, _ in _relocs(data)}
                        _, out0 = self._run(d, drop(data, everything, set(), set()), args)
                        layout = {s: b[0]["address"] for s, b in parse_graph(out0).items() if b}
                    at = int(m.group(2), 16)
                    site = next(((k, at - layout[n]) for k, n in by_index.items() if n in layout
                                 and 0 <= at - layout[n] < o.section(k).size), None)
                if m:
                    if site is not None and site not in sites:
                        line = next(ln for ln in out.splitlines() if "out of range" in ln)
                        sites[site] = line.split("error: ", 1)[-1].strip()
                        continue
                raise RigError(f"llvm-jitlink failed ({rc}): {' '.join(args)}\n{out[-2000:]}")
            else:
                raise RigError("llvm-jitlink: too many sites dropped")
            used = {s: b[0]["address"] for s, b in parse_graph(out).items() if b and s in names}
            # one check per site in a section JITLink placed
            checks: List[Tuple[str, int, int, str, int]] = []
            for r in o.relocations:
                sec = o.section(r.section)
                if r.howto.field is None or sec.name not in used or sec.nobits or sec.name.startswith(_SKIP):
                    continue
                size = r.howto.field.size
                expr = f"*{{{size}}}(section_addr({OBJ}, {sec.name}) + {r.offset:#x})"
                checks.append((sec.name, r.offset, size, expr, int.from_bytes(sec.data[r.offset:r.offset + size],
                                                                               "little")))
            (d / "checks.txt").write_text("".join(f"# jitlink-check: {e} = {w:#x}\n" for *_, e, w in checks)
                                          or "# jitlink-check: 0x0 = 0x0\n")
            args = self.command(slab, entry, ext, "checks.txt")
            rc, out = self._run(d, linked, args)
            if rc != 0 and "is false" not in out:
                raise RigError(f"llvm-jitlink failed ({rc}): {' '.join(args)}\n{out[-2000:]}")
            # the graph of this run (the order of JITLink's GOT entries and stubs can change from run to run)
            graph, symbols_at = parse_graph(out), parse_symbols(out)
            if {s: b[0]["address"] for s, b in graph.items() if b and s in names} != used:
                raise RigError(f"llvm-jitlink placed the sections differently in two runs: {' '.join(args)}")
        values = parse_failures(out)
        sections = {n: bytearray(o.section_named(n).data) for n in used if not o.section_named(n).nobits}
        for name, off, size, expr, word in checks:
            sections[name][off:off + size] = values.get(expr, word).to_bytes(size, "little")
        for n in used:
            if o.section_named(n).nobits:
                sections[n] = bytearray()
        # the placement used: JITLink's; what it did not place (empty or dead-stripped sections,
        # the rig's GOT) the rig's explicit layout packs after it
        placement_used = dict(used)
        if got_at is not None and "GOT" in placement:
            placement_used["GOT"] = got_at
        got, stubs = {}, {}
        for s, blocks in graph.items():
            if "GOT" in s.upper() and s.startswith(("$__", "__llvm_jitlink")) or "STUBS" in s.upper():
                for b in blocks:
                    if b["edges"]:
                        _, addend, kind, tgt = b["edges"][0]
                        (stubs if "STUBS" in s.upper() else got)[b["address"]] = (tgt, addend, kind)
        unsupported = {t.relocations[ty].name for ty in types if ty in t.relocations and
                       ty in {x for *_, x, _ in _relocs(data)}}
        why = {t.relocations[ty].name: self.refused.get(target, {}).get(ty, "") for ty in types
               if t.relocations[ty].name in unsupported}
        refused_sites = {(o.section(k).name, off): (next((r.howto.name for r in o.relocations
                                                    if r.section == k and r.offset == off), "?"), msg)
                         for (k, off), msg in sites.items()}
        # the instruction set of an Arm stub: from its first edge (Arm_MovwAbsNC or Thumb_MovwAbsNC)
        stub_states = {a: ("thumb" if k.startswith("Thumb_") else "arm")
                       for a, (_, _, k) in stubs.items() if k.startswith(("Thumb_", "Arm_"))}
        cmd = " ".join(shlex.quote(a) for a in args)
        return EngineResult({n: bytes(b) for n, b in sections.items()}, unsupported, cmd,
                            stubs={f"{a:#x}": a for a in stubs}, got={f"{a:#x}": a for a in got},
                            notes={"checks": [f"{e} = {w:#x}" for *_, e, w in checks], "object": linked,
                                   "args": args, "graph": graph, "got_entries": got, "stub_entries": stubs,
                                   "externals": ext, "symbols": symbols_at, "target": target,
                                   "thumb": sorted({x.name for x in o.symbols if x.thumb and x.name}),
                                   "unsupported_why": why, "refused_sites": refused_sites,
                                   "stub_states": stub_states, "got_base": symbols_at.get(GOT_SYMBOL, got_at),
                                   "dropped_symbols": sorted(symbols)},
                            placement=placement_used)

    def follow(self, result: EngineResult, kind: str, address: int) -> Optional[int]:
        """Where JITLink's stub at `address` goes, or what its GOT entry there holds: the edge
        the entry's block holds, resolved against the graph's symbols and the externals."""
        if kind == "stub":
            entry = result.notes.get("stub_entries", {}).get(address)
            if entry is None:
                return None
            # x86-64 and AArch64: the stub's edge is to its GOT entry (jmp *slot(%rip); adrp/ldr/br);
            # Arm: to the callee itself (movw/movt ip; bx ip)
            there = _resolve(result, entry[0], entry[1])
            if there is not None and there in result.notes.get("got_entries", {}):
                return self.follow(result, "got", there)
            return there
        entry = result.notes.get("got_entries" if kind == "got" else "stub_entries", {}).get(address)
        if entry is None:
            return None
        tgt, addend, _ = entry
        return _resolve(result, tgt, addend)


def _resolve(result: EngineResult, tgt: str, addend: int) -> Optional[int]:
    m = re.match(r"addressable@(0x[0-9a-f]+)\+(0x[0-9a-f]+)", tgt)
    if m:
        return int(m.group(1), 16) + int(m.group(2), 16) + addend
    if tgt in result.notes.get("externals", {}):
        return result.notes["externals"][tgt] + addend
    if tgt in result.notes.get("symbols", {}):
        return (result.notes["symbols"][tgt] + addend) | (tgt in result.notes.get("thumb", ()))
    return None


_SYMBOL = re.compile(r"^\s+(0x[0-9a-f]+) \(block \+ 0x[0-9a-f]+\): size: .* -\s+(\S+)$")


def parse_symbols(text: str) -> Dict[str, int]:
    """{name: address} of the named symbols in -show-graphs's blocks."""
    out = {}
    for line in text.splitlines():
        m = _SYMBOL.match(line)
        if m and not m.group(2).startswith("<"):
            out.setdefault(m.group(2), int(m.group(1), 16))
    return out
