"""Symbol resolution across the modules of one process, as a static linker does it.

MCJIT resolves each module against every module added to it and the host;
lli's `-extra-module` relies on it.  The rules here are the ELF linker's:

- a strong (global) definition beats COMMON symbols, which beat weak
  definitions (lld's order); two strong definitions of one name are an error
  naming both modules;
- among COMMON symbols the largest wins (then the most aligned), as a linker
  merges them to the largest size; among weak definitions the first loaded;
- a COMDAT group is kept once: the first module that brings a signature keeps
  its member sections, later modules drop theirs and use the kept ones;
- an undefined weak reference nobody defines is 0 (in `link.symbol_values`).

The table answers two questions for the linker: `resolve` (an undefined
symbol) and `preempt` (one of the object's own weak, COMMON or dropped
definitions that another module overrides).  It knows modules only through
their object and their own definitions; it never touches memory.
"""
from __future__ import annotations

from typing import Dict, List, Optional, Tuple

from ._cache import LRU
from .errors import DuplicateSymbol
from .objfile import ObjectFile

STRONG, COMMON, WEAK = 3, 2, 1
_RANKS = LRU(512)     # id(object) -> (object, ranks)


def ranks(obj: ObjectFile) -> Dict[str, tuple]:
    """name -> (STRONG, COMMON or WEAK, size, alignment) for every global
    definition of `obj`; the largest tuple wins (size and alignment count for
    COMMON symbols only)."""
    hit = _RANKS.get(id(obj))
    if hit is not None and hit[0] is obj:
        return hit[1]
    out = {}
    for sym in obj.symbols:
        if sym.name and sym.binding != "local" and sym.kind in ("defined", "abs", "common") \
                and sym.type != "section":
            if sym.kind == "common":
                out[sym.name] = (COMMON, sym.size, sym.value)
            else:
                out[sym.name] = (STRONG if sym.binding == "global" else WEAK, 0, 0)
    _RANKS[id(obj)] = (obj, out)
    return out


class SymbolTable:
    """The definitions of every loaded module, in load order."""

    def __init__(self):
        self._order: List[object] = []                     # modules, in load order
        self._defs: Dict[str, List[Tuple[object, tuple]]] = {}   # name -> [(module, rank)] in load order
        self._groups: Dict[str, object] = {}                # COMDAT signature -> module keeping it
        self._addresses: Dict[object, Dict[str, Tuple[int, bool]]] = {}
        self._names: Dict[object, List[str]] = {}             # module -> the names it entered

    def dropped(self, obj: ObjectFile) -> frozenset:
        """Sections of `obj` to leave out: members of COMDAT groups a loaded module keeps."""
        out = [i for g in obj.groups if g.signature in self._groups for i in g.sections]
        return frozenset(out)

    def check(self, module_name: str, obj: ObjectFile, exclude: frozenset = frozenset()) -> None:
        """`DuplicateSymbol` if `obj` strongly defines a name a loaded module strongly defines."""
        for name, rank in ranks(obj).items():
            if rank[0] != STRONG or name not in self._defs or (exclude and self._in_dropped(obj, name, exclude)):
                continue
            for mod, r in self._defs[name]:
                if r[0] == STRONG:
                    raise DuplicateSymbol(f"duplicate symbol {name!r}: defined in {_name(mod)} and in "
                                          f"{module_name}")

    @staticmethod
    def _in_dropped(obj: ObjectFile, name: str, exclude: frozenset) -> bool:
        index = obj.by_name.get(name)
        return index is not None and obj.symbols[index].section in exclude

    def add(self, module, obj: ObjectFile, addresses: Dict[str, Tuple[int, bool]],
            exclude: frozenset = frozenset()) -> None:
        """Enter a module's definitions (`addresses`: its own, name -> (address, thumb))."""
        self._order.append(module)
        self._addresses[module] = addresses
        names = self._names[module] = []
        for name, rank in ranks(obj).items():
            if not exclude or not self._in_dropped(obj, name, exclude):
                self._defs.setdefault(name, []).append((module, rank))
                names.append(name)
        for g in obj.groups:
            self._groups.setdefault(g.signature, module)

    def adopt(self, module, obj: ObjectFile, addresses: Dict[str, Tuple[int, bool]], exclude: frozenset,
              signatures) -> None:
        """`module` keeps the COMDAT groups `signatures` from now on (their keeper
        was unloaded): the names its own copies define are entered where its load
        order puts them, and it now lives at `addresses`."""
        self._addresses[module] = addresses
        at = self._order.index(module)
        names = self._names.setdefault(module, [])
        for name, rank in ranks(obj).items():
            if name in names or (exclude and self._in_dropped(obj, name, exclude)):
                continue
            defs = self._defs.setdefault(name, [])
            pos = sum(1 for m, _ in defs if self._order.index(m) < at)
            defs.insert(pos, (module, rank))
            names.append(name)
        for sig in signatures:
            self._groups[sig] = module

    def update(self, module, addresses: Dict[str, Tuple[int, bool]]) -> None:
        """A module moved (remap): its definitions now live at `addresses`."""
        self._addresses[module] = addresses

    def remove(self, module) -> None:
        """Forget a module's definitions and the COMDAT groups it kept."""
        self._order.remove(module)
        self._addresses.pop(module, None)
        for name in self._names.pop(module, ()):
            left = [(m, r) for m, r in self._defs[name] if m is not module]
            if left:
                self._defs[name] = left
            else:
                del self._defs[name]
        for sig in [s for s, m in self._groups.items() if m is module]:
            del self._groups[sig]

    def snapshot(self) -> tuple:
        """The table's state, for `restore` (an unload that fails is undone exactly,
        load order included: it decides between weak definitions and COMDAT groups)."""
        return (list(self._order), {n: list(d) for n, d in self._defs.items()}, dict(self._groups),
                dict(self._addresses), dict(self._names))

    def restore(self, state: tuple) -> None:
        """Go back to a `snapshot`."""
        order, defs, groups, addresses, names = state
        self._order, self._defs, self._groups = list(order), {n: list(d) for n, d in defs.items()}, dict(groups)
        self._addresses, self._names = dict(addresses), dict(names)

    def holders(self, module) -> List[str]:
        """COMDAT signatures `module` keeps."""
        return [s for s, m in self._groups.items() if m is module]

    def winner(self, name: str, candidate=None, rank: tuple = (0, 0, 0)) -> Optional[object]:
        """The module whose definition of `name` counts, with `candidate` (not
        loaded yet, defining it with `rank`) considered last in load order."""
        best, best_rank = None, (0, 0, 0)
        for mod, r in self._defs.get(name, ()):
            if r > best_rank:
                best, best_rank = mod, r
        if candidate is not None and rank > best_rank:
            best = candidate
        return best

    def address(self, module, name: str) -> Optional[Tuple[int, bool]]:
        """Where `module` defines `name`."""
        return self._addresses.get(module, {}).get(name)

    def resolve(self, name: str) -> Optional[Tuple[int, bool]]:
        """The winning definition of an undefined symbol, or None."""
        mod = self.winner(name)
        return None if mod is None else self.address(mod, name)

    def preempt(self, module, obj: ObjectFile, name: str, exclude: frozenset = frozenset()
                ) -> Optional[Tuple[int, bool]]:
        """Another module's definition that overrides `module`'s own weak, COMMON
        or dropped one, or None to keep its own."""
        own = (0, 0, 0)
        if module not in self._addresses and not self._in_dropped(obj, name, exclude):
            own = ranks(obj).get(name, own)
        mod = self.winner(name, module, own)
        if mod is None or mod is module:
            return None
        return self.address(mod, name)


def _name(module) -> str:
    return getattr(module, "name", str(module))
