"""The one face every relocation engine has, and the built-in rig and lld engines.

An engine is given an ELF relocatable object's bytes, a target name, a
placement {section name: address} and the externals {name: address} (on
interworking targets bit 0 of an external marks Thumb code) and returns an
`EngineResult`: each placed section's relocated bytes, the relocation types it
refused, the command line that reproduces its run, and optionally where it
put stubs and GOT slots of its own.

An engine that makes its own stubs or GOT may also answer `follow(result,
kind, address)`: the address a stub at `address` branches to ("stub"), or the
word its GOT slot at `address` holds ("got"); `rig.engines.compare` uses it to
compare a route by where it lands rather than by bytes.
"""
from __future__ import annotations

import abc
import random
from dataclasses import dataclass, field
from typing import Dict, Optional, Set

import targets as _targets

from ..errors import RigError


@dataclass
class EngineResult:
    """What one engine made of one object at one placement."""

    sections: Dict[str, bytes]                  #: placed section name -> relocated bytes
    unsupported: Set[str] = field(default_factory=set)   #: relocation types refused / not applied
    command: str = ""                           #: a command line that reproduces the run (external engines)
    stubs: Dict[str, int] = field(default_factory=dict)  #: "section:symbol" -> stub address, when known
    got: Dict[str, int] = field(default_factory=dict)    #: symbol -> GOT slot address, when known
    notes: Dict[str, object] = field(default_factory=dict)  #: anything else the engine wants to keep
    #: the placement the engine used, when it chose its own (None: the one requested)
    placement: Optional[Dict[str, int]] = None


class Engine(abc.ABC):
    """A relocation engine: `link` an object at a placement."""

    name: str = "engine"

    @abc.abstractmethod
    def link(self, obj: bytes, target: str, placement: Dict[str, int],
             externals: Dict[str, int]) -> EngineResult:
        """Relocate `obj` with its sections at `placement` and the externals at `externals`."""

    def follow(self, result: EngineResult, kind: str, address: int) -> Optional[int]:
        """Where the engine's own stub at `address` goes ("stub"), or what its GOT slot
        there holds ("got"); None when unknown."""
        return None


def _resolver(target, externals: Dict[str, int]):
    def resolve(name):
        v = externals.get(name)
        if v is None:
            return None
        return target.code_pointer(v) if target.interworking else (v, False)
    return resolve


def rig_link(obj: bytes, target: str, placement: Dict[str, int], externals: Dict[str, int]):
    """The rig's own link: (ObjectFile, Layout, Image) for an explicit placement."""
    from .. import link as _link
    from ..layout import AddressSpace, make_layout
    from ..objfile import parse
    t = _targets.get(target)
    o = parse(obj, t, "obj.o")
    lay = make_layout(o, t, AddressSpace(*t.address_space), "explicit", mapping=placement)
    image = _link.link(o, lay, t, _resolver(t, externals))
    return o, lay, image


class RigEngine(Engine):
    """The rig's linker (`rig.link`) at an explicit layout (what `Jit.load(placement=...)` does,
    without the emulator: the externals are the given addresses, not host functions)."""

    name = "rig"

    def link(self, obj, target, placement, externals) -> EngineResult:
        from ..layout import GOT
        o, lay, image = rig_link(obj, target, placement, externals)
        sections = {o.section(k).name: bytes(v) for k, v in image.sections.items() if isinstance(k, int)}
        if image.got is not None and lay.got is not None:
            sections["GOT"] = bytes(image.got)
        stubs = {f"{o.section(s).name}:{o.symbols[i].name}": a for (s, i, _, _), a in image.stubs.items()}
        return EngineResult(sections, set(), "", stubs, {}, {"image": image, "object": o, "layout": lay})


class LldEngine(Engine):
    """ld.lld (from `ziglang`) through `rig.lld.link`: a linker script puts every section at
    its address, `--defsym` defines the externals; the GOT is lld's, at the rig's GOT address."""

    name = "lld"

    def link(self, obj, target, placement, externals) -> EngineResult:
        from .. import lld as _lld
        from ..layout import AddressSpace, make_layout
        from ..objfile import parse
        t = _targets.get(target)
        o = parse(obj, t, "obj.o")
        lay = make_layout(o, t, AddressSpace(*t.address_space), "explicit", mapping=placement)
        linked = _lld.link(obj, o, lay, dict(externals), None, t)
        sections = dict(linked.sections)
        if linked.got is not None:
            sections["GOT"] = linked.got
        return EngineResult(sections, set(), "ld.lld (rig.lld.link: a linker script at the placement)",
                            notes={"symbols": linked.symbols})


def draw_placement(obj: bytes, target: str, seed: int, policy: str = "random"):
    """A placement {section: address} drawn by the rig's own strategy, and externals
    {name: address} for the object's undefined symbols, in reach of its sections."""
    from ..layout import PAGE, AddressSpace, make_layout
    from ..link import GOT_SYMBOL
    from ..objfile import parse
    t = _targets.get(target)
    o = parse(obj, t, "obj.o")
    rng = random.Random(seed)
    names = sorted({s.name for s in o.symbols if s.kind == "undefined" and s.name and s.name != GOT_SYMBOL})
    space = AddressSpace(*t.address_space)
    lay = make_layout(o, t, space, policy, rng=rng)
    top = max((p.end for p in lay.placements), default=space.lo)
    base = (top + PAGE - 1) // PAGE * PAGE + PAGE
    externals = {}
    for i, n in enumerate(names):
        # on interworking targets an external is in the target's default state (Thumb on
        # "thumb", ARM on "arm"): ld.lld is given externals as absolute symbols, which have no
        # function type, so it never interworks to them (aaelf32 interworks for STT_FUNC only),
        # and a call from the other state is a difference of the references, not judged
        thumb = t.interworking and t.default_state == "thumb"
        externals[n] = (base + 0x100 * i) | int(thumb)
    if base + 0x100 * len(names) >= space.hi:
        raise RigError("no room for the externals above the placement")
    return lay.mapping(), externals
