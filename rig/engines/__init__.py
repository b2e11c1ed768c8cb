"""Pluggable relocation engines, compared site by site with the rig and ld.lld.

    from rig.engines import load_engine, compare, draw_placement
    eng = load_engine("rtdyld")                 # or "rig", "lld", "jitlink", "mymodule:MyEngine",
                                                # or a command template (see CommandEngine)
    placement, externals = draw_placement(obj, "aarch64", seed=1)
    for d in compare(obj, "aarch64", placement, externals, eng):
        print(d)

`compare` walks the rig's trace (section, offset, type, symbol) and compares
the engine's word with the references' (the rig's and lld's by default), the
field's bits only (the bits the Howto's Field encoder can change).  A
disagreement is reported only where the references agree with each other and
the engine differs.  Where the engine branches to a stub of its own, the route
is compared by where the stub lands (engines that can say so: `RtdyldEngine`);
a site the engine reaches through its own GOT, or a stub it cannot follow, is
counted as not compared, never reported.

An engine that places the sections itself (`JitLinkEngine`: JITLink lays them out
in a slab) returns the placement it used in `EngineResult.placement`; the
references are then linked at that placement, and `Comparison.placement` holds it.
"""
from __future__ import annotations

import importlib
import shlex
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Sequence

import targets as _targets
from targets.base import GOT_ENTRY_OF, Expr

from ..errors import RigError
from .base import Engine, EngineResult, LldEngine, RigEngine, draw_placement, rig_link
from .known import documented
from .jitlink import JitLinkEngine
from .rtdyld import RtdyldEngine

__all__ = ["Engine", "EngineResult", "RigEngine", "LldEngine", "RtdyldEngine", "JitLinkEngine", "CommandEngine",
           "load_engine", "compare", "Disagreement", "Comparison", "draw_placement", "field_mask"]


class CommandEngine(Engine):
    """An external linker given as a command template, run in a fresh directory.

    Placeholders: `{object}` (the input, `obj.o`), `{output}` (`out.json`, which the
    command must write), `{target}`, `{triple}`; and two that repeat the word they are in
    once per item: `{section}`/`{address}` (every placed section), `{name}`/`{value}`
    (every external); a flag that goes with each is written in the same word
    (`--map={section}={address}`).  Addresses are written in hex; the placement holds
    "GOT" too (where the rig puts its GOT; an engine may ignore it).  The command writes
    `{output}`: a JSON object {"sections": {name: hex bytes}, "unsupported": [type names]}.

        CommandEngine("mylinker --map={section}={address} --sym={name}={value} -o {output} {object}")
    """

    def __init__(self, template: str, name: str = "command"):
        self.template, self.name = template, name

    def render(self, target: str, placement: Dict[str, int], externals: Dict[str, int]) -> List[str]:
        t = _targets.get(target)
        out: List[str] = []
        for word in shlex.split(self.template):
            if "{section}" in word or "{address}" in word:
                out += [word.replace("{section}", s).replace("{address}", f"{a:#x}") for s, a in placement.items()]
            elif "{name}" in word or "{value}" in word:
                out += [word.replace("{name}", n).replace("{value}", f"{v:#x}") for n, v in externals.items()]
            else:
                out.append(word.replace("{object}", "obj.o").replace("{output}", "out.json")
                           .replace("{target}", target).replace("{triple}", t.triple))
        return out

    def link(self, obj, target, placement, externals) -> EngineResult:
        import json
        args = self.render(target, placement, externals)
        with tempfile.TemporaryDirectory(prefix="rig-engine-") as tmp:
            d = Path(tmp)
            (d / "obj.o").write_bytes(obj)
            p = subprocess.run(args, cwd=d, capture_output=True, text=True, timeout=120)
            if p.returncode != 0 or not (d / "out.json").exists():
                raise RigError(f"{' '.join(args)} failed ({p.returncode}): {p.stderr[-2000:]}")
            data = json.loads((d / "out.json").read_text())
        return EngineResult({k: bytes.fromhex(v) for k, v in data.get("sections", {}).items()},
                            set(data.get("unsupported", ())), " ".join(shlex.quote(a) for a in args))


#: Why a branch to an external in the other instruction set is not compared when ld.lld links.
LLD_NO_INTERWORK = ("a branch to an external in the other instruction set: ld.lld gets externals as absolute "
                    "symbols (--defsym), not functions, and interworks to functions only")

BUILTIN = {"rig": RigEngine, "lld": LldEngine, "rtdyld": RtdyldEngine, "jitlink": JitLinkEngine}


def load_engine(spec) -> Engine:
    """An engine by name ("rig", "lld", "rtdyld", "jitlink"), by Python path ("module:Class", the class
    made with no arguments), or a command template (anything with a space and a `{`)."""
    if isinstance(spec, Engine):
        return spec
    if spec in BUILTIN:
        return BUILTIN[spec]()
    if ":" in spec and " " not in spec:
        mod, _, cls = spec.partition(":")
        try:
            try:
                module = importlib.import_module(mod)
            except ImportError:
                # the `rig` console script does not put the working directory on sys.path
                import os
                import sys
                if os.getcwd() in sys.path:
                    raise
                sys.path.insert(0, os.getcwd())
                module = importlib.import_module(mod)
            obj = getattr(module, cls)
        except (ImportError, AttributeError) as e:
            raise RigError(f"no engine {spec!r}: {e}") from None
        eng = obj() if isinstance(obj, type) else obj
        if not isinstance(eng, Engine) and not hasattr(eng, "link"):
            raise RigError(f"{spec} is not an engine (no link method)")
        if not getattr(eng, "name", None):
            eng.name = cls
        return eng
    if "{" in spec and " " in spec:
        return CommandEngine(spec)
    raise RigError(f"unknown engine {spec!r}: rig, lld, rtdyld, jitlink, module:Class or a command template")


def field_mask(fld, word: int) -> int:
    """The bits of `word` the field's encoder can change (the BL/BLX bit of a Thumb or ARM
    call included: the encoder picks it from the value's Thumb bit)."""
    full = (1 << (8 * fld.size)) - 1
    mask = 0
    for w in (word, 0, full):
        try:
            base = fld.encode(w, 0) & full
        except Exception:
            continue
        mask |= base ^ w
        for k in range(8 * fld.size + 2):
            for x in (1 << k, -(1 << k), (1 << k) | 1, -(1 << k) | 1):
                try:
                    mask |= (fld.encode(w, x) & full) ^ base
                except Exception:
                    pass
    return mask & full


@dataclass(frozen=True)
class Disagreement:
    """The engine wrote a field the references agree on differently."""

    target: str
    type: str
    kind: str                 #: "field" (the word at the site), "stub" (where its stub lands)
    section: str
    offset: int
    symbol: str
    engine: int               #: the engine's word (or landing address)
    reference: int            #: the references' word (or landing address)
    bits: int                 #: the differing bits (within the field)
    size: int
    command: str              #: the engine's reproducer command
    stub_offset: Optional[int] = None   #: "stub": where the engine's stub is, from the section's start

    def __str__(self) -> str:
        w = 2 * self.size
        return (f"{self.target} {self.type} at {self.section}+{self.offset:#x} against {self.symbol or '-'}: "
                f"engine {self.kind} {self.engine:#0{w + 2}x}, references {self.reference:#0{w + 2}x}, "
                f"bits differing {self.bits:#0{w + 2}x}")


@dataclass
class Comparison:
    disagreements: List[Disagreement] = field(default_factory=list)
    compared: int = 0
    references_disagree: int = 0
    uncompared: Dict[str, int] = field(default_factory=dict)   #: reason -> sites
    unsupported: set = field(default_factory=set)
    types: Dict[str, int] = field(default_factory=dict)
    why: Dict[str, str] = field(default_factory=dict)          #: unsupported type -> how the engine refused it
    #: the placement the engine chose itself (and the references were linked at), or None: the one requested
    placement: Optional[Dict[str, int]] = None
    #: (section, offset) -> (type, the engine's message): sites the engine refused to link (not compared)
    refused_sites: Dict[tuple, tuple] = field(default_factory=dict)
    #: reason -> sites: differences `rig.engines.known` documents (not findings)
    documented: Dict[str, int] = field(default_factory=dict)


def _decode(fld, word: int, mask: int) -> Optional[int]:
    """The value a (bit-scatter) field holds: found bit by bit from the encoder."""
    if fld.addend is not None:
        try:
            return fld.addend(word)
        except Exception:
            pass
    full = (1 << (8 * fld.size)) - 1
    base = fld.encode(word, 0) & full
    v, top = 0, 0
    for k in range(8 * fld.size + 2):
        if (1 << k) % max(fld.align, 1):
            continue
        try:
            pos = (fld.encode(word, 1 << k) & full) ^ base
        except Exception:
            continue
        if pos and pos & (pos - 1) == 0:
            top = k
            if word & pos != base & pos:
                v |= 1 << k
    if fld.lo is not None and fld.lo < 0 and v >> top & 1:
        v -= 1 << (top + 1)
    return v if fld.encode(word, v) & full == word else None


def compare_full(obj: bytes, target: str, placement: Dict[str, int], externals: Dict[str, int], engine: Engine,
                 references: Sequence[str] = ("rig", "lld")) -> Comparison:
    """`compare`, with what was compared and what was not."""
    t = _targets.get(target)
    res = engine.link(obj, target, placement, externals)
    own = getattr(res, "placement", None)
    if own is not None:
        # the engine chose its own placement: the references link at that one
        placement = dict(own)
    o, lay, image = rig_link(obj, target, placement, externals)
    refs: Dict[str, Dict[str, bytes]] = {}
    for r in references:
        if r == "rig":
            refs[r] = {o.section(k).name: bytes(v) for k, v in image.sections.items() if isinstance(k, int)}
        else:
            refs[r] = load_engine(r).link(obj, target, placement, externals).sections
    lld_in = "lld" in references or getattr(engine, "name", "") == "lld"
    cmp = Comparison(unsupported=set(res.unsupported), why=dict(res.notes.get("unsupported_why", {})),
                     placement=dict(own) if own is not None else None)
    refused_sites = res.notes.get("refused_sites", {})
    cmp.refused_sites = dict(refused_sites)
    by_site = {(rec.section, rec.offset): rec for rec in image.trace}

    def skip(why):
        cmp.uncompared[why] = cmp.uncompared.get(why, 0) + 1

    pending_stubs = []
    last = {(rel.section, rel.offset): i for i, rel in enumerate(o.relocations)}
    for i, rel in enumerate(o.relocations):
        sec = o.section(rel.section)
        fld, name = rel.howto.field, rel.howto.name
        rec = by_site.get((sec.name, rel.offset))
        if last[(rel.section, rel.offset)] != i:
            skip("several relocations at one site: the last one's field is compared")
            continue
        if fld is None or rec is None or sec.nobits:
            skip("marker, unlinked or NOBITS")
            continue
        if sec.name.startswith((".eh_frame", ".ARM.exidx", ".ARM.extab")):
            skip("unwind table")
            continue
        if name in res.unsupported:
            skip("type the engine does not support")
            continue
        if (sec.name, rel.offset) in refused_sites:
            skip("the engine refused the site (out of range for it, or against a symbol it cannot read)")
            continue
        if lld_in and t.interworking and rel.howto.expr is Expr.BRANCH and rel.symbol:
            sym = o.symbols[rel.symbol]
            caller_thumb = rel.howto.stub_state == "thumb"
            if sym.kind == "undefined" and sym.name in externals and bool(externals[sym.name] & 1) != caller_thumb:
                # ld.lld is given externals as absolute symbols (--defsym), which are not STT_FUNC:
                # aaelf32 interworks for functions only, so lld keeps BL/BLX as written
                skip(LLD_NO_INTERWORK)
                continue
        off, size = rel.offset, fld.size
        words = {}
        for r, secs in refs.items():
            data = secs.get(sec.name)
            if data is None or len(data) < off + size:
                break
            words[r] = int.from_bytes(data[off:off + size], "little")
        edata = res.sections.get(sec.name)
        if len(words) != len(refs) or edata is None or len(edata) < off + size:
            skip("a reference or the engine has no bytes there")
            continue
        ref = next(iter(words.values()))
        mask = field_mask(fld, ref)
        if any((w ^ ref) & mask for w in words.values()):
            cmp.references_disagree += 1
            continue
        mine = int.from_bytes(edata[off:off + size], "little")
        cmp.compared += 1
        cmp.types[name] = cmp.types.get(name, 0) + 1
        own_got = res.notes.get("got_base")
        if rel.howto.expr in (Expr.GOT_BASE_PC, Expr.GOT_OFF) and own_got is not None and lay.got is not None:
            # relative to the GOT's base, and the engine has a GOT of its own (JITLink defines
            # _GLOBAL_OFFSET_TABLE_ itself): the references' value moved by the distance between them
            moved = (own_got - lay.got) * (1 if rel.howto.expr is Expr.GOT_BASE_PC else -1)
            try:
                ref = fld.encode(ref, rec.value + moved) & ((1 << (8 * size)) - 1)
            except Exception:     # the moved value does not fit the field: the engine's word cannot be right
                pass
        if not (mine ^ ref) & mask:
            continue
        follow = getattr(engine, "follow", None)
        if rel.howto.expr in (Expr.GOT_PC, Expr.GOT, Expr.GOT_REL) and res.got and follow is not None:
            # through the engine's own GOT: compare what its slot holds
            value = _decode(fld, mine, mask)
            base_of = {Expr.GOT_PC: rec.P, Expr.GOT: 0, Expr.GOT_REL: own_got}[rel.howto.expr]
            slot = None if value is None or base_of is None else value - rec.A + base_of
            held = None if slot is None else follow(res, "got", slot)
            full = (1 << (8 * size)) - 1
            if held is None and value is not None and (slot == rec.S or mine & full == rec.S & full):
                continue        # the engine relaxed the GOT load: straight to the symbol (pc-relative or absolute)
            if held is not None:
                # a GOT slot holds the symbol's address with its Thumb bit (the site's own value,
                # G(S) + A - P, has none: the trace's T is 0 there), so T is the symbol's
                thumb = bool(rel.symbol and getattr(o.symbols[rel.symbol], "thumb", False))
                want = rec.S | int(thumb) if t.interworking else rec.S
                if held != want:
                    cmp.disagreements.append(Disagreement(target, name, "got", sec.name, off, rec.symbol, held,
                                                          want, held ^ want, t.pointer_size, res.command))
                continue
        if GOT_ENTRY_OF.get(rel.howto.expr) is not None:
            skip("reaches the engine's own GOT (not followed)")
            cmp.compared -= 1
            continue
        if rel.howto.expr is Expr.BRANCH:
            pending_stubs.append((rel, rec, sec.name, mine, ref, mask, size))
            continue
        known = documented(getattr(engine, "name", ""), t, rec)
        if known is not None:
            cmp.documented[known] = cmp.documented.get(known, 0) + 1
            continue
        cmp.disagreements.append(Disagreement(target, name, "field", sec.name, off, rec.symbol, mine, ref,
                                              (mine ^ ref) & mask, size, res.command))
    # a branch the engine sent elsewhere: through a stub of its own?  Compare where it lands.
    # a branch the engine sent elsewhere: to a stub of its own, past the section's bytes?
    # Compare where the stub lands (and the instruction set it is entered in).
    # an engine that keeps its stubs apart (JITLink's) and can follow them: its stubs are known by
    # address, not guessed from a branch past the section's bytes
    own_stubs = set(res.stubs.values()) if type(engine).follow is not Engine.follow else None
    routes = []
    for rel, rec, secname, mine, ref, mask, size in pending_stubs:
        fld = rel.howto.field
        base = lay.address(rel.section)
        value = _decode(fld, mine, mask)
        dest = None if value is None else value + base + rel.offset - rel.howto.pc_bias
        off = None if dest is None else (dest & ~1 if t.interworking else dest) - base
        stub_off = (off if own_stubs is None and off is not None and o.section(rel.section).size <= off < (1 << 20)
                    else None)
        routes.append((rel, rec, secname, mine, ref, mask, size, dest, stub_off))
    many = getattr(engine, "follow_stubs", None)
    wanted = [(r[2], r[8]) for r in routes if r[8] is not None]
    stubs = many(res, wanted) if many is not None and wanted else {}
    for rel, rec, secname, mine, ref, mask, size, dest, stub_off in routes:
        fld, name = rel.howto.field, rel.howto.name
        want = rec.S + rec.A - rel.howto.pc_bias            # where the branch must land
        if t.interworking:
            want = (want & ~1) | rec.T
        if own_stubs and dest is not None and (dest & ~1 if t.interworking else dest) in own_stubs:
            at = dest & ~1 if t.interworking else dest
            goes = engine.follow(res, "stub", at)
            stub_state = res.notes.get("stub_states", {}).get(at)
            caller = rel.howto.stub_state
            if goes is None:
                skip("branches to the engine's own stub, which it cannot follow")
                cmp.compared -= 1
            elif fld.exchanges is not None and caller is not None and stub_state is not None and \
                    (("thumb" if caller == "arm" else "arm") if fld.exchanges(mine) else caller) != stub_state:
                cmp.disagreements.append(Disagreement(target, name, "state", secname, rel.offset, rec.symbol, mine,
                                                      ref, (mine ^ ref) & mask, size, res.command))
            elif (goes & ~1) != (want & ~1) or (t.interworking and (goes & 1) != (want & 1)):
                cmp.disagreements.append(Disagreement(target, name, "stub", secname, rel.offset, rec.symbol,
                                                      goes, want, goes ^ want, t.pointer_size, res.command))
            continue
        if stub_off is not None:
            landing = stubs.get((secname, stub_off))
            if landing is None or landing[1] is None:
                skip("branches to the engine's own stub, which it cannot follow")
                cmp.compared -= 1
                continue
            goes, stub_state = landing[1], landing[2]
            caller = rel.howto.stub_state
            if fld.exchanges is not None and caller is not None and stub_state is not None:
                other = "thumb" if caller == "arm" else "arm"
                enters = other if fld.exchanges(mine) else caller
                if enters != stub_state:
                    cmp.disagreements.append(Disagreement(
                        target, name, "state", secname, rel.offset, rec.symbol, mine, ref, (mine ^ ref) & mask,
                        size, res.command))
                    continue
            if (goes & ~1) != (want & ~1) or (t.interworking and (goes & 1) != (want & 1)):
                cmp.disagreements.append(Disagreement(target, name, "stub", secname, rel.offset, rec.symbol,
                                                      goes, want, goes ^ want, t.pointer_size, res.command,
                                                      stub_off))
            continue
        if rec.via == "stub" and dest is not None and (dest | 1) == (want | 1):
            continue             # the rig went through its stub, the engine straight there
        if rec.via == "stub":
            # the references' word is the route through the rig's stub; the engine took a route of
            # its own (a thunk elsewhere) that it cannot follow for us
            skip("the rig branches through its stub, the engine through a route of its own, not followed")
            cmp.compared -= 1
            continue
        cmp.disagreements.append(Disagreement(target, name, "field", secname, rel.offset, rec.symbol, mine, ref,
                                              (mine ^ ref) & mask, size, res.command))
    return cmp


def compare(obj: bytes, target: str, placement: Dict[str, int], externals: Dict[str, int], engine,
            references: Sequence[str] = ("rig", "lld")) -> List[Disagreement]:
    """Site by site over the rig's trace: where the references agree and `engine` differs."""
    return compare_full(obj, target, placement, externals, load_engine(engine), references).disagreements
