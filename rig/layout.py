"""The memory manager: where every section, the GOT and the stubs live.

A `Layout` is what MCJIT's memory manager decides and `mapSectionAddress`
reports: a base address for every allocatable section, for the GOT, and for
each code section's stub area (which follows its section, so stubs are in
reach of their callers).  Policies: `random` (the default), `packed` and
`explicit` (like `llvm-rtdyld -map-section`).  Every layout is checked: bases
aligned, nothing overlapping, everything inside the target's address space,
and nothing on a page another module or the process already owns.
"""
from __future__ import annotations

import bisect

import random as _random
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Callable, Dict, Iterable, List, Mapping, Optional, Tuple

from targets.base import GOT_ENTRY_WORDS, Expr, Target

from ._cache import LRU
from .errors import PlacementError
from .objfile import ObjectFile

PAGE = 0x1000
GOT = "GOT"
COMMON = "COMMON"          #: the block the memory manager allocates for an object's COMMON symbols


def page_down(a: int) -> int:
    """The start of the page holding `a`."""
    return a & ~(PAGE - 1)


def page_up(a: int) -> int:
    """`a` rounded up to a page boundary."""
    return (a + PAGE - 1) & ~(PAGE - 1)


def align_up(a: int, align: int) -> int:
    """`a` rounded up to a multiple of `align`."""
    return -(-a // align) * align


@dataclass(frozen=True)
class Item:
    """Something the memory manager places: a section (with its stub area) or the GOT."""

    name: str
    key: object                   #: section index, or GOT
    size: int                     #: bytes reserved, stubs included
    align: int
    perms: str


@dataclass(frozen=True)
class Placement:
    """An item at an address."""

    item: Item
    address: int

    @property
    def end(self) -> int:
        """One past the last reserved byte."""
        return self.address + self.item.size


@dataclass(frozen=True)
class TlsImage:
    """Where one object's thread-local sections live in the program's TLS image.

    The image is what a static linker makes PT_TLS of (`rig.tls` lays it out
    and owns the thread's block): addresses here are image addresses, which
    is what S is for a TLS symbol.  `tp` is the image address the thread
    pointer stands for (S - tp is a symbol's TP offset, what local-exec code
    adds to the thread pointer), `dtp` the start of the image (S - dtp is the
    offset in the module's TLS block, what __tls_get_addr adds to it).  They
    do not depend on where the object's sections are placed.
    """

    sections: Mapping[int, int]         #: TLS section -> its address in the TLS image
    tp: int
    dtp: int
    module: int = 1                     #: the module id in GD/LD GOT entries (one static image: 1)
    resolver: int = 0                   #: the static TLS descriptor resolver's address (0: none)
    size: int = 0                       #: the image's p_memsz
    align: int = 1                      #: the image's p_align


@dataclass(frozen=True)
class Layout:
    """Where each item of one object lives in the remote address space (and,
    for an object with thread-local storage, in the program's TLS image)."""

    placements: Tuple[Placement, ...]
    policy: str
    stub_offsets: Mapping[int, int]     #: code section -> offset of its stub area from the section
    tls: Optional[TlsImage] = field(default=None, compare=False)   #: set by the TLS block's owner (`rig.tls`)

    def __post_init__(self):
        object.__setattr__(self, "_by_key", {p.item.key: p for p in self.placements})

    def address(self, key) -> int:
        """Base address of a section (by ELF index) or of the GOT."""
        return self._by_key[key].address

    def get(self, key) -> Optional[int]:
        """Like `address`, None when not placed."""
        p = self._by_key.get(key)
        return None if p is None else p.address

    def by_name(self, name: str) -> Placement:
        """The placement of the item called `name`, or `PlacementError`."""
        for p in self.placements:
            if p.item.name == name:
                return p
        raise PlacementError(f"no section named {name!r}; placed: {', '.join(self.names())}")

    def names(self) -> List[str]:
        """Names of everything placed, in address order."""
        return [p.item.name for p in sorted(self.placements, key=lambda p: p.address)]

    @property
    def got(self) -> Optional[int]:
        """The GOT's base, if the object needs one."""
        return self.get(GOT)

    def stub_area(self, section: int) -> int:
        """Address of a code section's stub area."""
        return self.address(section) + self.stub_offsets[section]

    def mapping(self) -> Dict[str, int]:
        """name -> address, e.g. to print or to replay with `explicit`."""
        return {p.item.name: p.address for p in sorted(self.placements, key=lambda p: p.address)}

    def pages(self) -> Dict[int, str]:
        """Every page the layout touches, with the union of its items' permissions."""
        cached = self.__dict__.get("_pages")
        if cached is None:
            cached = {}
            for p in self.placements:
                if p.item.size == 0:
                    continue
                perms = p.item.perms
                for page in range(page_down(p.address), page_up(p.end), PAGE):
                    old = cached.get(page)
                    cached[page] = perms if old is None or old == perms else \
                        "".join(c for c in "rwx" if c in old or c in perms)
            object.__setattr__(self, "_pages", cached)
        return dict(cached)

    def runs(self) -> Tuple[Tuple[int, int, str], ...]:
        """`pages()` as (start, size, permissions) runs of contiguous pages alike."""
        cached = self.__dict__.get("_runs")
        if cached is None:
            cached = page_runs(self.pages())
            object.__setattr__(self, "_runs", cached)
        return cached

    def locate(self, address: int) -> Optional[Tuple[str, int]]:
        """(item name, offset) of the item holding `address`, or None."""
        for p in self.placements:
            if p.address <= address < max(p.end, p.address + 1):
                return p.item.name, address - p.address
        return None


def page_runs(pages: Mapping[int, str]) -> Tuple[Tuple[int, int, str], ...]:
    """(start, size, permissions) for each run of contiguous pages with the same permissions."""
    out, run = [], None
    for page in sorted(pages):
        perms = pages[page]
        if run and run[0] + run[1] == page and run[2] == perms:
            run[1] += PAGE
        else:
            if run:
                out.append(tuple(run))
            run = [page, PAGE, perms]
    if run:
        out.append(tuple(run))
    return tuple(out)


def items_of(obj: ObjectFile, target: Target, exclude: frozenset = frozenset()
             ) -> Tuple[List[Item], Dict[int, int]]:
    """What an object needs placed (less the sections in `exclude`: COMDAT
    groups another module already holds), and where each code section's stubs start."""
    items, stub_offsets = [], {}
    for s in obj.sections:
        if s.index in exclude:
            continue
        size = s.size
        align = s.align
        if s.executable:
            # An object may say `align 1` for code (LLVM does for a function with
            # an explicit section); instructions still need their own alignment.
            align = max(align, target.thumb_code_align if s.thumb_only else target.code_align)
        if obj.stub_slots.get(s.index):
            stub_offsets[s.index] = align_up(size, target.stub_align)
            size = stub_offsets[s.index] + obj.stub_slots[s.index] * target.stub_size
            align = max(align, target.stub_align)
        items.append(Item(s.name, s.index, size, align, s.perms))
    if obj.needs_got:
        words = sum(GOT_ENTRY_WORDS[kind] for kind, _ in obj.got_entries)
        items.append(Item(GOT, GOT, max(1, words) * target.pointer_size, target.pointer_size, "r"))
    if obj.common_size:
        items.append(Item(COMMON, COMMON, obj.common_size, obj.common_align, "rw"))
    return items, stub_offsets


class AddressSpace:
    """The pages of the remote space that are taken, and by whom."""

    def __init__(self, lo: int, hi: int):
        self.lo, self.hi = lo, hi
        self._ranges: Dict[object, List[Tuple[int, int]]] = {}
        self._index: Optional[tuple] = None      # (starts, ends, running max of ends, owners)

    def reserve(self, owner, start: int, end: int) -> None:
        """Take pages [start, end) for `owner` (rounded out to pages)."""
        self._ranges.setdefault(owner, []).append((page_down(start), page_up(end)))
        self._index = None

    def release(self, owner) -> None:
        """Give back everything `owner` holds."""
        if self._ranges.pop(owner, None) is not None:
            self._index = None

    def _sorted(self) -> tuple:
        # Rebuilt after a change, then every lookup is a bisection: a trial asks
        # about each of its items twice, with the stack, heap and other modules held.
        if self._index is None:
            # by range only: owners do not compare (a module's two items may share a page)
            spans = sorted(((a, b, o) for o, rs in self._ranges.items() for a, b in rs), key=lambda t: t[:2])
            run, high = [], 0
            for _, b, _ in spans:
                high = max(high, b)
                run.append(high)
            self._index = ([a for a, _, _ in spans], [b for _, b, _ in spans], run, [o for _, _, o in spans])
        return self._index

    def conflict(self, start: int, end: int, ignore=None) -> Optional[object]:
        """The owner of any page in [start, end), or None."""
        s, e = page_down(start), page_up(end)
        starts, ends, high, owners = self._sorted()
        j = bisect.bisect_left(starts, e) - 1
        while j >= 0 and high[j] > s:      # only spans that start before e and may end after s
            if ends[j] > s and owners[j] is not ignore:
                return owners[j]
            j -= 1
        return None

    def find_free(self, size: int, start: Optional[int] = None) -> int:
        """The lowest page-aligned address >= `start` with `size` free bytes."""
        addr = page_up(start if start is not None else self.lo)
        spans = sorted(r for rs in self._ranges.values() for r in rs)
        for a, b in spans:
            if b <= addr:
                continue
            if a >= addr + page_up(size):
                break
            addr = max(addr, b)
        if addr + size > self.hi:
            raise PlacementError(f"no {size:#x} free bytes left in the address space")
        return addr


# -- policies ---------------------------------------------------------------

def _sequential(items: List[Item], start: int, gap) -> List[Tuple[Item, int]]:
    """Lay items out from `start` in the order given; `gap(item, cursor)` adds
    free space.  Items with other permissions than the one before start on a
    fresh page, so the process can protect each page as its items need.
    (item, offset) pairs: a random trial makes Placements once, at the end."""
    out, cursor, prev_perms = [], start, None
    for item in items:
        base = cursor + gap(item, cursor)
        if prev_perms is not None and item.perms != prev_perms:
            base = max(base, page_up(cursor))
        base = align_up(base, item.align)
        out.append((item, base))
        cursor = base + item.size
        prev_perms = item.perms
    return out


def packed(items: List[Item], space: AddressSpace, start: Optional[int] = None) -> List[Placement]:
    """Items in object order, tightly, at the lowest free addresses."""
    trial = _sequential(items, 0, lambda i, c: 0)
    span = max((off + item.size for item, off in trial), default=0)
    base = space.find_free(span + PAGE, start)
    return [Placement(item, off + base) for item, off in trial]


def absolute_limit(obj: ObjectFile, space: AddressSpace) -> int:
    """The highest end address the object's absolute relocations allow.

    A static small-model x86-64 object writes addresses into 32-bit fields
    (R_X86_64_32S, `mov $sym, %edi`): its sections must lie below 2 GiB, as the
    code model promises.  The fields say so; no architecture is named here.
    """
    limit = space.hi
    for r in obj.relocations:
        fld = r.howto.field
        if not r.symbol or obj.symbols[r.symbol].kind in ("abs", "undefined"):
            continue                   # no symbol, an absolute or an external one: not placed here
        if r.howto.expr is Expr.ABS and fld is not None and fld.lo is not None and fld.hi < limit:
            limit = fld.hi
    return limit if limit == space.hi else limit - _ADDEND_ROOM


_ADDEND_ROOM = 1 << 20

#: Expressions whose value is a distance between two placed things.
_RELATIVE = frozenset({Expr.PC, Expr.PAGE_PC, Expr.GOT_PC, Expr.GOT_PAGE_PC, Expr.GOT_BASE_PC,
                       Expr.GOTTP_PC, Expr.GOTTP_PAGE_PC, Expr.TLSGD_PC, Expr.TLSLD_PC, Expr.TLSDESC_PC,
                       Expr.TLSDESC_PAGE_PC})


def relative_reach(obj: ObjectFile) -> Optional[int]:
    """The largest span the object's pc-relative relocations allow between
    the things they connect, or None when nothing limits it.

    This is the code model's promise read from the object itself: an AArch64
    "large" object compiled as PIC still reaches its GOT with ADRP (±4 GiB), and
    .ARM.exidx reaches its code with PREL31 (±1 GiB).  Branches do not count
    (a stub reaches anything), nor do references inside one section.
    """
    reach = None
    for r in obj.relocations:
        fld = r.howto.field
        if r.howto.expr not in _RELATIVE or fld is None or fld.lo is None:
            continue
        if r.howto.expr is Expr.PC and r.symbol and obj.symbols[r.symbol].section == r.section:
            continue
        if r.howto.expr in (Expr.PC, Expr.PAGE_PC) and (
                not r.symbol or obj.symbols[r.symbol].kind in ("undefined", "abs")):
            continue                   # an external's distance is the resolver's business, not the layout's
        # a forward-only field ([0, hi): CBZ) still bounds the distance by hi
        span = min(-fld.lo, fld.hi) if fld.lo < 0 else fld.hi
        span -= span // 16                      # room for addends and the section's own size
        reach = span if reach is None else min(reach, span)
    return reach


def external_reach(obj: ObjectFile) -> Tuple[Optional[int], Tuple[str, ...]]:
    """How near the object must lie to the externals it reaches pc-relatively
    (not through a GOT or a branch, which a stub extends), and their names.

    A static object reaches `stdout` or another module's data with ADRP or a
    PC32 field, as it would inside one linked image; the memory manager must
    then place it within that field's reach of where the resolver puts them,
    as lli's memory manager keeps JITed code near the process's data.
    """
    reach, names = None, set()
    for r in obj.relocations:
        fld = r.howto.field
        if r.howto.expr not in (Expr.PC, Expr.PAGE_PC) or fld is None or fld.lo is None or not r.symbol:
            continue
        sym = obj.symbols[r.symbol]
        # a weak definition counts too: another module's strong one may win (musl's
        # __stdio_exit reaches its weak __stdout_used, which stdout.o overrides)
        preemptible = sym.kind == "defined" and sym.binding == "weak" and sym.name
        if (sym.kind != "undefined" and not preemptible) or sym.name == "_GLOBAL_OFFSET_TABLE_":
            continue
        span = min(-fld.lo, fld.hi) if fld.lo < 0 else fld.hi
        span -= span // 16
        reach = span if reach is None else min(reach, span)
        names.add(sym.name)
    return reach, tuple(sorted(names))


def random_placement(items: List[Item], space: AddressSpace, window: int, rng: _random.Random,
                     tries: int = 64, limit: Optional[int] = None, floor: Optional[int] = None,
                     compact: bool = False, why: Optional[Callable[[], List[str]]] = None) -> List[Placement]:
    """Random order, random gaps, random bases (multiples of each item's
    alignment, not only of pages), all inside one `window` (the code model's
    reach) that lies in [floor, limit).  `compact`: items of one permission
    together and gaps under a page, as a linker lays out one input file, so a
    module of a thousand sections takes a few page runs, not a thousand (each
    page run is an emulator region, and the emulator's cost of mapping grows
    with the square of their number).  `why()` says where `limit`, `floor` and
    `window` came from, for the message when no placement fits."""
    top = min(space.hi, limit or space.hi)
    lo = max(space.lo, page_up(floor)) if floor is not None else space.lo
    if top - lo < PAGE:
        raise PlacementError(_no_room(lo, top, space, why))
    reach = window
    window = min(window, top - lo)
    need = sum(i.size + i.align for i in items) + 2 * PAGE * len(items)
    if need > window:
        bound = (f"the {window:#x} bytes its code model and pc-relative fields reach" if window == reach else
                 f"the {window:#x} bytes between {lo:#x} and {top:#x}")
        raise PlacementError(f"the object needs about {need:#x} bytes, more than {bound}" + _because(why))
    grain = max([PAGE] + [i.align for i in items])
    for _ in range(tries):
        order = list(items)
        rng.shuffle(order)
        if compact:                 # permission groups in random order, each shuffled
            rank = {p: rng.random() for p in {i.perms for i in order}}
            order.sort(key=lambda i: rank[i.perms])
        slack = window - need
        budget = [slack]

        def gap(item: Item, cursor: int) -> int:
            roll = rng.random()
            if roll < 0.4 or budget[0] <= 0 or compact:
                g = rng.randrange(0, 64) * item.align if item.align < PAGE else 0
            elif roll < 0.75:
                g = rng.randrange(0, 4 * PAGE)
            else:
                g = int(budget[0] ** rng.random()) // max(1, len(order))
            g = min(g, max(0, budget[0]))
            budget[0] -= g
            return g

        # Start inside a random page at a random multiple of the first item's alignment.
        first = rng.randrange(0, PAGE // max(1, min(PAGE, order[0].align))) * order[0].align if order else 0
        rel = _sequential(order, first, gap)
        span = page_up(max((off + item.size for item, off in rel), default=0))
        if span > window:
            continue
        if top - span < lo:
            continue
        base = rng.randrange(lo, top - span + 1) // grain * grain     # keeps every item's alignment
        if base < lo:
            base += grain
        if base + span > top:
            continue
        if all(space.conflict(base + off, base + off + item.size) is None for item, off in rel if item.size):
            return [Placement(item, base + off) for item, off in rel]
    raise PlacementError(f"could not find a free random window of {window:#x} bytes after {tries} tries")


def _because(why: Optional[Callable[[], List[str]]]) -> str:
    reasons = why() if why is not None else []
    return f" ({'; '.join(reasons)})" if reasons else ""


def _no_room(lo: int, top: int, space: AddressSpace, why) -> str:
    """The message for bounds that leave less than a page: each bound with what set it
    (a bound below zero is an absolute field too narrow for any address; say so, not "-0xf0000")."""
    if top <= lo:
        upper = f"end below {top:#x}" if top > 0 else "lie below address 0"
        return f"no address can hold the object: it must start at or above {lo:#x} and {upper}" + _because(why)
    return (f"no room for the object: only {top - lo:#x} bytes between {lo:#x} and {top:#x}, less than a page"
            + _because(why))


def _absolute_bound(obj: ObjectFile, space: AddressSpace) -> str:
    """What set `absolute_limit`: the narrowest absolute field, for a message."""
    best = None
    for r in obj.relocations:
        fld = r.howto.field
        if not r.symbol or obj.symbols[r.symbol].kind in ("abs", "undefined"):
            continue
        if r.howto.expr is Expr.ABS and fld is not None and fld.lo is not None and fld.hi < space.hi \
                and (best is None or fld.hi < best[1].hi):
            best = (r, fld)
    if best is None:
        return ""
    r, fld = best
    section = next((s.name for s in obj.sections if s.index == r.section), f"section {r.section}")
    return (f"{r.howto.name} at {section}+{r.offset:#x} against {obj.symbols[r.symbol].name!r} in {obj.name} is an "
            f"absolute field that holds addresses below {fld.hi:#x}, and the rig keeps {_ADDEND_ROOM:#x} of "
            f"that for addends" + (", which leaves none" if fld.hi <= _ADDEND_ROOM else ""))


def explicit(items: List[Item], space: AddressSpace, mapping: Mapping[str, int]) -> List[Placement]:
    """The named items at the given addresses; the rest packed in the free
    space just after them (so they stay in reach of what was placed)."""
    names = {i.name for i in items}
    for n in mapping:
        if n not in names:
            raise PlacementError(f"explicit placement names {n!r}, which the object does not have; "
                                 f"it has: {', '.join(sorted(names))}")
    fixed = [Placement(i, mapping[i.name]) for i in items if i.name in mapping]
    rest = [i for i in items if i.name not in mapping]
    tmp_owner = object()
    for p in fixed:
        space.reserve(tmp_owner, p.address, max(p.end, p.address + 1))
    try:
        start = page_up(max(p.end for p in fixed)) if fixed else None
        placed = fixed + (packed(rest, space, start) if rest else [])
    finally:
        space.release(tmp_owner)
    return placed


def check(placed: Iterable[Placement], space: AddressSpace, ignore=None) -> None:
    """Raise `PlacementError` for misalignment, overlap or out-of-space items."""
    placed = sorted(placed, key=lambda p: p.address)
    for p in placed:
        if p.address % p.item.align:
            raise PlacementError(f"{p.item.name} at {p.address:#x} is not aligned to {p.item.align}")
        if not (space.lo <= p.address and p.end <= space.hi):
            raise PlacementError(f"{p.item.name} at [{p.address:#x}, {p.end:#x}) lies outside the "
                                 f"address space [{space.lo:#x}, {space.hi:#x})")
        owner = space.conflict(p.address, p.end, ignore=ignore) if p.item.size else None
        if owner is not None:
            raise PlacementError(f"{p.item.name} at [{p.address:#x}, {p.end:#x}) overlaps pages "
                                 f"already used by {owner}")
    for a, b in zip(placed, placed[1:]):
        if b.address < a.end:
            raise PlacementError(f"{a.item.name} [{a.address:#x}, {a.end:#x}) overlaps "
                                 f"{b.item.name} [{b.address:#x}, {b.end:#x})")


_PLANS = LRU(512)   # (id(object), excluded) -> (object, target, items, stub offsets, reach, absolute limit)


def _plan(obj: ObjectFile, target: Target, space: AddressSpace, exclude: frozenset = frozenset()):
    """What placing `obj` needs, worked out once per object (not once per trial)."""
    key = (id(obj), exclude)
    hit = _PLANS.get(key)
    if hit is None or hit[0] is not obj or hit[1] is not target:
        items, stub_offsets = items_of(obj, target, exclude)
        hit = _PLANS[key] = (obj, target, items, stub_offsets, relative_reach(obj),
                             absolute_limit(obj, space), external_reach(obj))
    return hit[2:]


def make_layout(obj: ObjectFile, target: Target, space: AddressSpace, policy: str = "random", *,
                seed=None, rng: Optional[_random.Random] = None, mapping: Optional[Mapping[str, int]] = None,
                code_model: str = "small", ignore=None, exclude: frozenset = frozenset(),
                resolve=None, near: Iterable[Tuple[int, int, int]] = ()) -> Layout:
    """Place `obj` by `policy` ("random", "compact", "packed", "explicit") and check the
    result; the sections in `exclude` are left out (dropped COMDAT members).
    `resolve(name)` says where externals are, so that a random placement stays
    within reach of those the object addresses pc-relatively; `near` holds
    (lo, hi, reach) for loaded modules spanning [lo, hi) that reach this
    object's definitions pc-relatively, so it lands within their reach too."""
    items, stub_offsets, reach, limit, (ext_reach, ext_names) = _plan(obj, target, space, exclude)
    if policy in ("random", "compact"):
        window = target.code_models.get(code_model)
        if window is None:
            raise PlacementError(f"target {target.name} has no code model {code_model!r}; "
                                 f"it has {', '.join(target.code_models)}")
        if reach is not None:
            window = min(window, reach)
        floor = None
        found: List[int] = []
        near = list(near)
        if ext_reach is not None and resolve is not None:
            found = [hit[0] for hit in map(resolve, ext_names) if hit is not None]
            if found:
                floor = max(found) - ext_reach
                limit = min(limit, min(found) + ext_reach)
        for lo, hi, their_reach in near:
            floor = max(floor if floor is not None else 0, hi - their_reach)
            limit = min(limit, lo + their_reach)

        def why() -> List[str]:
            # only when placement fails: each bound with what set it
            out = [_absolute_bound(obj, space)]
            if found:
                out.append(f"it addresses {', '.join(ext_names)} pc-relatively, which lie(s) in "
                           f"[{min(found):#x}, {max(found):#x}], with fields that reach {ext_reach:#x}")
            out += [f"a loaded module at [{lo:#x}, {hi:#x}) reaches its definitions pc-relatively within "
                    f"{their_reach:#x}" for lo, hi, their_reach in near]
            if reach is not None and reach < target.code_models[code_model]:
                out.append(f"its pc-relative fields span at most {reach:#x}")
            out.append(f"the {code_model} code model spans {target.code_models[code_model]:#x}; the address "
                       f"space is [{space.lo:#x}, {space.hi:#x})")
            return [s for s in out if s]

        placed = random_placement(items, space, window, rng or _random.Random(seed), limit=limit, floor=floor,
                                  compact=policy == "compact", why=why)
    elif policy == "packed":
        placed = packed(items, space)
    elif policy == "explicit":
        placed = explicit(items, space, mapping or {})
    else:
        raise PlacementError(f"unknown placement policy {policy!r}; use random, compact, packed or explicit")
    if policy not in ("random", "compact"):
        # A random placement is aligned, inside the space and on free pages by construction.
        check(placed, space, ignore=ignore)
    return Layout(tuple(placed), policy, MappingProxyType(stub_offsets))
