"""LLVM's RuntimeDyld as an engine, through `llvm-rtdyld -verify` (LLVM 19).

How llvm-rtdyld is driven (its options are hidden: `llvm-rtdyld --help-hidden`):

* `-triple=T -verify -check=checks.txt obj.o`: load and link the object in
  memory, then evaluate every `# rtdyld-check: LHS = RHS` line of the check file
  (all of them: a failing one does not stop the others) and print, for each
  false one, `... expression 'LHS = RHS' is false: 0xLHS != 0xRHS`;
* `-map-section obj.o,SECTION=ADDR`: the target address of a section (its
  stubs follow its bytes; sections not mapped, RuntimeDyld's own GOT among
  them, get phony addresses);
* `-dummy-extern NAME=ADDR`: an external symbol's address (the rig's
  `_GLOBAL_OFFSET_TABLE_` included: RuntimeDyld does not define it).

The relocated bytes are read back word by word: one check per relocation site,
`*{N}(section_addr(obj.o, SECTION) + OFF) = <the word the object holds there>`;
a false one tells the word RuntimeDyld wrote.  RuntimeDyld puts its stubs right
after a section's bytes: a branch that lands past them is followed by reading the
stub's words the same way (`follow_stubs`; `stub_addr(obj.o/SECTION, SYMBOL)`
names a stub too, but only for a symbol it knows by name).  GOT entries it makes
in a section of its own, at an address the command does not choose: sites
through them are counted as not compared.

A relocation type RuntimeDyld does not implement aborts the whole link ("LLVM
ERROR: Relocation type not implemented yet!").  The engine then finds the types
that abort it (linking a copy of the object that keeps one type at a time, the
others made R_*_NONE), remembers them per target, and links a copy with those
types made NONE: they are reported in `unsupported`, and their sites are not
compared.
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

RTDYLD = "/usr/lib/llvm-19/bin/llvm-rtdyld"
OBJ = "obj.o"
_FALSE = re.compile(r"expression '(.*)' is false: (0x[0-9a-fA-F]+) != (0x[0-9a-fA-F]+)", re.I)
_SKIP = (".eh_frame", ".ARM.exidx", ".ARM.extab")


def section_headers(data: bytes):
    """(is64, [section header tuples]) of an ELF object, read with `struct` (the engines
    rewrite objects in place: a header's fields are (name, type, flags, addr, offset,
    size, link, info, addralign, entsize))."""
    is64 = data[4] == 2
    if is64:
        shoff, = struct.unpack_from("<Q", data, 0x28)
        shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
        fmt = "<IIQQQQIIQQ"
    else:
        shoff, = struct.unpack_from("<I", data, 0x20)
        shentsize, shnum = struct.unpack_from("<HH", data, 0x2E)
        fmt = "<IIIIIIIIII"
    return is64, [struct.unpack_from(fmt, data, shoff + i * shentsize) for i in range(shnum)]


def _rel_sections(data: bytes):
    """(offset, size, entry size, is64) of every REL/RELA section of an ELF object."""
    is64, headers = section_headers(data)
    for h in headers:
        if h[1] in (4, 9):
            yield h[4], h[5], h[9] or ((24 if h[1] == 4 else 16) if is64 else (12 if h[1] == 4 else 8)), is64


def neutralize(data: bytes, types: Set[int]) -> bytes:
    """A copy of the object with every relocation of a type in `types` made type 0 (NONE)."""
    out = bytearray(data)
    for off, size, ent, is64 in _rel_sections(data):
        for at in range(off, off + size, ent):
            if is64:
                info, = struct.unpack_from("<Q", out, at + 8)
                if info & 0xFFFFFFFF in types:
                    struct.pack_into("<Q", out, at + 8, info & ~0xFFFFFFFF)
            else:
                info, = struct.unpack_from("<I", out, at + 4)
                if info & 0xFF in types:
                    struct.pack_into("<I", out, at + 4, info & ~0xFF)
    return bytes(out)


def types_in(data: bytes) -> Set[int]:
    out = set()
    for off, size, ent, is64 in _rel_sections(data):
        for at in range(off, off + size, ent):
            if is64:
                out.add(struct.unpack_from("<Q", data, at + 8)[0] & 0xFFFFFFFF)
            else:
                out.add(struct.unpack_from("<I", data, at + 4)[0] & 0xFF)
    out.discard(0)
    return out


def command(triple: str, placement: Dict[str, int], externals: Dict[str, int], check: str = "checks.txt",
            obj: str = OBJ, tool: str = RTDYLD) -> List[str]:
    args = [tool, f"-triple={triple}", "-verify", f"-check={check}"]
    for name, addr in placement.items():
        args.append(f"-map-section={obj},{name}={addr:#x}")
    for name, addr in externals.items():
        args.append(f"-dummy-extern={name}={addr:#x}")
    args.append(obj)
    return args


def parse_failures(text: str) -> Dict[str, int]:
    """{check expression's LHS: the value RuntimeDyld's memory holds} for every false check."""
    out = {}
    for m in _FALSE.finditer(text):
        lhs = m.group(1).rsplit(" = ", 1)[0]
        out[lhs.strip()] = int(m.group(2), 16)
    return out


class RtdyldEngine(Engine):
    """RuntimeDyld (LLVM 19) through `llvm-rtdyld -verify`."""

    name = "rtdyld"
    refused: Dict[str, Set[int]] = {}        #: target -> type numbers that abort RuntimeDyld
    #: target -> type number -> how: "not implemented (LLVM ERROR)" or "crashes (signal N)"
    reasons: Dict[str, Dict[int, str]] = {}

    def __init__(self, tool: str = RTDYLD):
        self.tool = tool

    def _run(self, d: Path, obj: bytes, triple: str, placement, externals, checks: List[str]):
        (d / OBJ).write_bytes(obj)
        # a check file with no rule fails verification: one that always holds
        checks = list(checks) or ["0x0 = 0x0"]
        (d / "checks.txt").write_text("".join(f"# rtdyld-check: {c}\n" for c in checks))
        args = command(triple, placement, externals, tool=self.tool)
        p = subprocess.run(args, cwd=d, capture_output=True, text=True, timeout=60)
        return p.returncode, p.stdout + p.stderr, args

    def _aborts(self, p_rc: int, out: str) -> bool:
        return p_rc < 0 or p_rc >= 128 or "LLVM ERROR" in out

    def link(self, obj, target, placement, externals) -> EngineResult:
        from ..link import GOT_SYMBOL
        from ..objfile import parse
        t = _targets.get(target)
        o = parse(obj, t, OBJ)
        names = {s.name for s in o.sections}
        mapped = {n: a for n, a in placement.items() if n in names}
        ext = dict(externals)
        if GOT_SYMBOL not in ext and any(s.name == GOT_SYMBOL for s in o.symbols):
            ext[GOT_SYMBOL] = placement.get("GOT", max(placement.values()) + 0x100000)
        # one check per site: the word the object holds there (a false check reads RuntimeDyld's)
        sites: List[Tuple[str, int, int, str]] = []
        for r in o.relocations:
            sec = o.section(r.section)
            if r.howto.field is None or sec.name not in mapped or sec.nobits or sec.name.startswith(_SKIP):
                continue
            size = r.howto.field.size
            expr = f"*{{{size}}}(section_addr({OBJ}, {sec.name}) + {r.offset:#x})"
            word = int.from_bytes(sec.data[r.offset:r.offset + size], "little")
            sites.append((sec.name, r.offset, size, expr, word))
        checks = [f"{e} = {w:#x}" for _, _, _, e, w in sites]
        refused = set(self.refused.get(target, set()))
        unsupported_names = set()
        with tempfile.TemporaryDirectory(prefix="rig-rtdyld-") as tmp:
            d = Path(tmp)
            linked = neutralize(obj, refused) if refused else obj
            rc, out, args = self._run(d, linked, t.triple, mapped, ext, checks)
            if self._aborts(rc, out):
                # find the types that abort RuntimeDyld: one type at a time
                present = types_in(obj) - refused
                for ty in sorted(present):
                    rc1, out1, _ = self._run(d, neutralize(obj, (present | refused) - {ty}), t.triple, mapped, ext, [])
                    if self._aborts(rc1, out1):
                        refused.add(ty)
                        # a type RuntimeDyld has no case for reaches llvm_unreachable, which a
                        # release build (Debian's LLVM 19) does not trap: it runs on and crashes
                        how = (f"crashes llvm-rtdyld (signal {-rc1 if rc1 < 0 else rc1 - 128}): no case for it, "
                               f"likely (llvm_unreachable in a release build)"
                               if "LLVM ERROR" not in out1 else "not implemented (LLVM ERROR: "
                               + out1.split("LLVM ERROR:", 1)[1].splitlines()[0].strip() + ")")
                        self.reasons.setdefault(target, {})[ty] = how
                self.refused.setdefault(target, set()).update(refused)
                linked = neutralize(obj, refused)
                rc, out, args = self._run(d, linked, t.triple, mapped, ext, checks)
                if self._aborts(rc, out):
                    raise RigError(f"llvm-rtdyld aborts on {obj!r:.0} this object even with "
                                   f"{sorted(refused)} made NONE:\n{out[-2000:]}")
            if rc != 0 and "is false" not in out:
                raise RigError(f"llvm-rtdyld failed ({rc}):\n{out[-2000:]}")
        present = types_in(obj)
        why = {}
        for ty in refused & present:
            h = t.howto(ty)
            unsupported_names.add(h.name if h is not None else str(ty))
            why[h.name if h is not None else str(ty)] = self.reasons.get(target, {}).get(ty, "")
        got_values = parse_failures(out)
        sections = {n: bytearray(o.section_named(n).data) if not o.section_named(n).nobits else bytearray()
                    for n in mapped}
        for name, off, size, expr, word in sites:
            value = got_values.get(expr, word)
            if sections[name]:
                sections[name][off:off + size] = value.to_bytes(size, "little")
        cmd = " ".join(shlex.quote(a) for a in args)
        return EngineResult({n: bytes(b) for n, b in sections.items()}, unsupported_names, cmd,
                            notes={"checks": checks, "object": linked, "triple": t.triple, "placement": mapped,
                                   "externals": ext, "target": target, "refused": sorted(refused),
                                   "unsupported_why": why})

    def read(self, result: EngineResult, exprs: List[str]) -> Dict[str, Optional[int]]:
        """Evaluate check expressions in RuntimeDyld's memory after the same link (None: it
        could not be evaluated, e.g. no such stub)."""
        n = result.notes
        checks = [f"{e} = 0x0" for e in exprs]
        with tempfile.TemporaryDirectory(prefix="rig-rtdyld-") as tmp:
            rc, out, _ = self._run(Path(tmp), n["object"], n["triple"], n["placement"], n["externals"], checks)
        vals = parse_failures(out)
        answer: Dict[str, Optional[int]] = {}
        for e in exprs:
            if e in vals:
                answer[e] = vals[e]
            elif f"'{e} = 0x0'" in out or "error" in out.lower() and e in out:
                answer[e] = None
            else:
                answer[e] = 0
        return answer

    def follow_stubs(self, result: EngineResult, wanted) -> Dict[Tuple[str, int], Optional[tuple]]:
        """{(section, offset): (address, where the stub there branches (Thumb bit included) or None,
        the stub's instruction set or None)} for stubs RuntimeDyld put past a section's bytes,
        read from its memory in one run (`*{4}(section_addr(obj.o, SECTION) + OFFSET)`)."""
        t = _targets.get(result.notes["target"])
        wanted = sorted(set(wanted))
        exprs = []
        for section, off in wanted:
            exprs += [f"*{{4}}(section_addr({OBJ}, {section}) + {off + k:#x})" for k in range(0, 20, 4)]
        vals = self.read(result, exprs) if exprs else {}
        out = {}
        for section, off in wanted:
            words = [vals.get(f"*{{4}}(section_addr({OBJ}, {section}) + {off + k:#x})") for k in range(0, 20, 4)]
            out[(section, off)] = _decode_stub(t.name, result.notes["placement"][section] + off, words)
        return out


def _decode_stub(arch: str, addr: int, w: List[Optional[int]]) -> tuple:
    """(address, where RuntimeDyld's stub at `addr` (words `w`) branches, its instruction set)."""
    if any(x is None for x in w):
        return addr, None, None
    if arch in ("arm", "thumb"):
        if w[0] == 0xE51FF004:                     # ldr pc, [pc, #-4]; .word target (ARM code)
            return addr, w[1], "arm"
        if w[0] & 0xFFFF == 0xF8DF:                # thumb ldr.w pc, [pc, #0]; .word target
            return addr, w[1], "thumb"
        return addr, None, None
    if arch == "aarch64":                          # movz/movk x16 (4x), br x16
        v = 0
        for i in range(4):
            if (w[i] & 0x1F) != 16:
                return addr, None, None
            v |= ((w[i] >> 5) & 0xFFFF) << (16 * ((w[i] >> 21) & 3))
        return addr, v, None
    return addr, None, None
