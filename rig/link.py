"""RuntimeDyld's job: resolve symbols and apply every relocation for a layout.

Input: an `ObjectFile`, a `Layout`, a resolver for externals, the `Target`.
Output: an `Image` — the patched bytes of every section (stubs included), the
GOT, the symbol addresses and a trace record per relocation site.  Values
come from the target's table (`Expr` + `Field`); this module has no
architecture in it.  Branches go direct when the field reaches, through a
stub in the caller's section otherwise (or when a B must change state).

Thread-local storage: S of a TLS symbol is its address in the program's TLS
image (`Layout.tls`, which the TLS block's owner fills in), so TP-relative
values (`Expr.TPREL`) and the GOT entries of the dynamic models ("tp",
"gd", "ld", "desc") are plain arithmetic on it; no instruction is rewritten.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Dict, List, Mapping, Optional, Tuple

from targets.base import GOT_ENTRY_OF, GOT_ENTRY_WORDS, TLS_EXPRS, Expr, Target

from .errors import PlacementError, RelocationOverflow, UndefinedSymbol
from ._cache import LRU
from .layout import COMMON, Layout, TlsImage
from .objfile import ObjectFile, Relocation

#: name -> (address, thumb) for symbols the object does not define, or None.
Resolver = Callable[[str], Optional[Tuple[int, bool]]]

THUMB_STATE = "thumb"
GOT_SYMBOL = "_GLOBAL_OFFSET_TABLE_"


@dataclass(frozen=True)
class TraceRecord:
    """What the linker did at one site."""

    section: str
    offset: int
    type: str
    symbol: str               #: the symbol's name; a section symbol's section name; "" for none
    S: int
    A: int
    P: int
    value: int
    via: str                  #: "direct", "stub", "got", "tls" (TP- or DTP-relative) or "none"
    before: bytes
    after: bytes
    stub: Optional[int] = None  #: the stub's address, when the site branches through one
    T: int = 0                  #: the Thumb bit ORed into S + A (ARM interworking), included in `value`

    def as_dict(self) -> dict:
        """Plain data for JSON."""
        return {"section": self.section, "offset": self.offset, "type": self.type, "symbol": self.symbol,
                "S": self.S, "A": self.A, "T": self.T, "P": self.P, "value": self.value, "via": self.via,
                "before": self.before.hex(), "after": self.after.hex(), "stub": self.stub}


@dataclass
class Image:
    """The linked bytes of one object, ready to be written at its layout."""

    sections: Dict[int, bytearray]            #: section index -> bytes (stub area included)
    got: Optional[bytes]
    symbols: Dict[str, Tuple[int, bool]]      #: global/weak definitions: name -> (address, thumb)
    locals: Dict[str, Tuple[int, bool]]       #: every other named definition
    raw_trace: List[tuple]                    #: per site, what `TraceRecord` is made of, unformatted
    stubs: Dict[Tuple[int, int, str, int], int]   #: (section, symbol, state, offset past S) -> stub
    obj: Optional[ObjectFile] = None

    @property
    def trace(self) -> List[TraceRecord]:
        """A record per relocation site, in the object's order.

        Made on first use: a trial that passes never looks at it, and naming
        every site costs more than relocating it.
        """
        made = self.__dict__.get("_trace")
        if made is None:
            made = self.__dict__["_trace"] = [_record(self.obj, *raw) for raw in self.raw_trace]
        return made


def symbol_values(obj: ObjectFile, layout: Layout, resolve: Resolver, preempt: Optional[Resolver] = None,
                  exclude: frozenset = frozenset()) -> Tuple[List[int], List[int]]:
    """Address and Thumb bit of every symbol (externals through `resolve`).

    `preempt(name)` answers for definitions another module may override, as a
    linker would: weak definitions, COMMON symbols, and symbols in the dropped
    sections `exclude` (a COMDAT group another module holds).  None keeps the
    object's own definition (a dropped one must be answered)."""
    n = len(obj.symbols)
    addr, thumb = [0] * n, [0] * n
    needed = _plan(obj)[0]
    tls = layout.tls.sections if layout.tls is not None else {}
    for sym in obj.symbols:
        kind = sym.kind
        if kind == "defined":
            if sym.section in exclude or (preempt is not None and sym.binding == "weak"):
                found = preempt(sym.name) if preempt is not None and sym.binding != "local" else None
                if found is not None:
                    addr[sym.index], thumb[sym.index] = found[0], int(found[1])
                    continue
                if sym.section in exclude:
                    continue       # in a dropped COMDAT member: `link` decides per site (unwind data may)
            if sym.section in tls:       # a thread-local symbol: its address in the TLS image
                addr[sym.index] = tls[sym.section] + sym.value
                continue
            addr[sym.index] = layout.address(sym.section) + sym.value
            thumb[sym.index] = int(sym.thumb)
        elif kind == "abs":
            addr[sym.index] = sym.value
            thumb[sym.index] = int(sym.thumb)
        elif kind == "common":
            found = preempt(sym.name) if preempt is not None else None
            if found is not None:
                addr[sym.index], thumb[sym.index] = found[0], int(found[1])
            else:
                addr[sym.index] = layout.address(COMMON) + obj.commons[sym.index]
        elif kind == "undefined" and sym.name == GOT_SYMBOL and layout.got is not None:
            addr[sym.index] = layout.got          # defined by the linker: the GOT's base
        elif kind == "undefined" and sym.index and sym.index in needed:
            found = resolve(sym.name)
            if found is None:
                if sym.binding == "weak":
                    continue          # an undefined weak symbol is 0
                site = next(r for r in obj.relocations if r.symbol == sym.index)
                raise UndefinedSymbol(
                    f"{obj.name}: undefined symbol {sym.name!r}, referenced by {site.howto.name} at "
                    f"{obj.section(site.section).name}+{site.offset:#x}", symbol=sym.name)
            addr[sym.index], thumb[sym.index] = found[0], int(found[1])
            image = layout.tls
            if sym.type == "tls" and image is not None and not image.dtp <= found[0] < image.dtp + image.size:
                # not in the TLS image: a stand-in for a module not loaded yet (nothing runs until it
                # is); the image's start keeps every TLS field in reach until the relink
                addr[sym.index] = image.dtp
    return addr, thumb


def definitions(obj: ObjectFile, layout: Layout, exclude: frozenset = frozenset()
                ) -> Tuple[Dict[str, Tuple[int, bool]], Dict[str, Tuple[int, bool]]]:
    """The object's own named definitions at `layout`: (global and weak ones
    and COMMON symbols, local ones), name -> (address, thumb)."""
    exported, local = {}, {}
    tls = layout.tls.sections if layout.tls is not None else {}
    for name, key, offset, thumb, is_local in _definition_plan(obj, exclude):
        address = offset if key is None else (tls[key] if key in tls else layout.address(key)) + offset
        (local if is_local else exported)[name] = (address, thumb)
    return exported, local


_DEFINITIONS = LRU(512)     # (id(object), excluded) -> (object, [(name, placed item or None, offset, thumb, local)])


def _definition_plan(obj: ObjectFile, exclude: frozenset) -> list:
    hit = _DEFINITIONS.get((id(obj), exclude))
    if hit is not None and hit[0] is obj:
        return hit[1]
    plan = []
    for sym in obj.symbols:
        if not sym.name or sym.type == "section":
            continue
        if sym.kind == "defined" and sym.section not in exclude:
            plan.append((sym.name, sym.section, sym.value, sym.thumb, sym.binding == "local"))
        elif sym.kind == "abs":
            plan.append((sym.name, None, sym.value, sym.thumb, sym.binding == "local"))
        elif sym.kind == "common":
            plan.append((sym.name, COMMON, obj.commons[sym.index], False, sym.binding == "local"))
    _DEFINITIONS[(id(obj), exclude)] = (obj, plan)
    return plan


def link(obj: ObjectFile, layout: Layout, target: Target, resolve: Resolver,
         contents: Optional[Mapping[object, bytes]] = None, trace: bool = True,
         preempt: Optional[Resolver] = None, exclude: frozenset = frozenset()) -> Image:
    """Relocate `obj` for `layout`.  `contents` replaces the object's section
    bytes (a remap keeps what the program wrote); `preempt` and `exclude` as
    for `symbol_values` (sections in `exclude` are neither placed nor patched)."""
    S, T = symbol_values(obj, layout, resolve, preempt, exclude)
    ptr = target.pointer_size
    bufs: Dict[object, bytearray] = {}
    if obj.common_size:
        common = contents.get(COMMON) if contents else None
        bufs[COMMON] = bytearray(common if common is not None else bytes(obj.common_size))
    for s in obj.sections:
        if s.index in exclude:
            continue
        base = contents.get(s.index) if contents else None
        if base is None:
            base = s.data if s.data is not None else bytes(s.size)
        buf = bytearray(base[:s.size])
        if s.index in layout.stub_offsets:
            buf.extend(bytes(layout.stub_offsets[s.index] - s.size
                             + obj.stub_slots[s.index] * target.stub_size))
        bufs[s.index] = buf

    got_base = layout.got
    tls = layout.tls
    if len(obj.got_entries) == len(obj.got_symbols):       # address slots only
        slot = {sym: got_base + i * ptr for i, sym in enumerate(obj.got_symbols)} if got_base is not None else {}
        got = b"".join(((S[sym] | T[sym]) & ((1 << (8 * ptr)) - 1)).to_bytes(ptr, "little")
                       for sym in obj.got_symbols) if got_base is not None else None
        entry = slot
    else:
        got, entry = _tls_got(obj, got_base, ptr, S, T, _need_tls(obj, tls))
        slot = {sym: a for (kind, sym), a in entry.items() if kind == "slot"}

    callable_ = _plan(obj)[1]
    stubs: Dict[Tuple[int, int, str, int], int] = {}
    stub_used: Dict[int, int] = {}
    records: List[TraceRecord] = []
    symbols = obj.symbols
    dropped = _dropped_symbols(obj, exclude, S) if exclude else ()
    base_of = {p.item.key: p.address for p in layout.placements}
    for r in obj.relocations:
        if r.section in exclude:
            continue
        if r.symbol in dropped:
            # lld's rule: unwind tables may describe a discarded function (the entry
            # is dead); any other reference to a discarded section is an error.
            if obj.section(r.section).name.startswith(UNWIND_SECTIONS):
                continue
            sym = obj.symbols[r.symbol]
            raise UndefinedSymbol(
                f"{obj.name}: {r.howto.name} at {obj.section(r.section).name}+{r.offset:#x} refers to "
                f"{_symname(obj, r)} in {obj.section(sym.section).name}, a COMDAT member dropped because "
                f"another module keeps that group, which does not define it", symbol=sym.name)
        howto = r.howto
        fld = howto.field
        if fld is None:
            if trace:
                records.append((r, S[r.symbol], 0, "none", b"", b""))
            continue
        P = base_of[r.section] + r.offset
        s, t, A = S[r.symbol], T[r.symbol], r.addend
        expr = howto.expr
        if expr is _BRANCH and howto.thumb_bit and not callable_[r.symbol]:
            # Not a function: no interworking; the instruction keeps the state it was written for.
            t = int(howto.stub_state == THUMB_STATE)
            if fld.exchanges is not None:
                t ^= fld.exchanges(int.from_bytes(bufs[r.section][r.offset:r.offset + fld.size], "little"))
        via = "direct"
        L = None
        if expr is _ABS or expr is _PC or expr is _BRANCH:
            v = ((s + A) | t) if howto.thumb_bit else s + A
            if expr is not _ABS:
                v -= P
        elif expr is _SIZE:
            v = symbols[r.symbol].size + A
        elif expr is _PAGE_PC:
            v = ((s + A) & ~0xFFF) - (P & ~0xFFF)
        elif expr is _GOT_OFF:
            v = (((s + A) | t) if howto.thumb_bit else s + A) - got_base
        elif expr is _GOT_BASE_PC:
            v = got_base + A - P
        elif expr in TLS_EXPRS:
            if tls is None:
                _need_tls(obj, tls, r)
            if expr is _TPREL:
                v, via = s + A - tls.tp, "tls"
            elif expr is _DTPREL:
                v, via = s + A - tls.dtp, "tls"
            else:
                via = "got"
                kind = GOT_ENTRY_OF[expr]
                G = entry[(kind, 0 if kind == "ld" else r.symbol)]
                if expr in _TLS_PAGE:
                    v = ((G + A) & ~0xFFF) - (P & ~0xFFF)
                elif expr in _TLS_ABS:
                    v = G + A
                else:
                    v = G + A - P
        else:
            via = "got"
            G = slot[r.symbol]
            if expr is _GOT_PC:
                v = G + A - P
            elif expr is _GOT:
                v = G + A
            elif expr is _GOT_REL:
                v = G + A - got_base
            elif expr is _GOT_PAGE_PC:
                v = ((G + A) & ~0xFFF) - (P & ~0xFFF)
            elif expr is _GOT_PAGE_OFF:
                v = G + A - (got_base & ~0xFFF)
            else:  # pragma: no cover - a table row with an Expr this loop does not know
                raise AssertionError(expr)
        if fld.prepare is not None:
            v = fld.prepare(v)
        if expr is _BRANCH:
            caller_t = int(howto.stub_state == THUMB_STATE)
            needs_stub = not fld.fits(v) or (howto.same_state and howto.thumb_bit and t != caller_t)
            # A stub must be code: a branch-type word in data (PLT32 in .data) gets none.
            if needs_stub and r.section in layout.stub_offsets:
                # The stub goes where the branch was going: S + A less the PC bias (a
                # section symbol's addend also holds the function's offset in it).
                extra = A - howto.pc_bias
                key = (r.section, r.symbol, howto.stub_state, extra)
                L = stubs.get(key)
                if L is None:
                    L = _make_stub(bufs, layout, target, r, stub_used, (s + extra) | t, howto.stub_state)
                    stubs[key] = L
                v = (((L + howto.pc_bias) | caller_t) if howto.thumb_bit else L + howto.pc_bias) - P
                if fld.prepare is not None:
                    v = fld.prepare(v)
                via = "stub"
        lo = fld.lo
        # the inline test is the hot path; `fits` has the last word (a mutant's unchecked field)
        if ((lo is not None and not lo <= v < fld.hi) or v % fld.align) and not fld.fits(v):
            route = f" through its stub at {L:#x} (the distance to the stub)" if L is not None else ""
            raise RelocationOverflow(
                f"{obj.name}: {howto.name} at {obj.section(r.section).name}+{r.offset:#x} (P={P:#x}) "
                f"against {_symname(obj, r)}{route}: value {_hex(v)} does not fit {fld.name}: allowed "
                f"{fld.range_text()}", value=v, site=f"{obj.section(r.section).name}+{r.offset:#x}")
        buf = bufs[r.section]
        off, size = r.offset, fld.size
        before = buf[off:off + size]
        after = (fld.encode(int.from_bytes(before, "little"), v) & _MASKS[size]).to_bytes(size, "little")
        buf[off:off + size] = after
        if trace:
            records.append((r, S[r.symbol], v, via, bytes(before), after, P, L,
                            t if howto.thumb_bit else 0))

    exported, local = definitions(obj, layout, exclude)
    return Image(bufs, got, exported, local, records, stubs, obj)


def got_offsets(obj: ObjectFile, ptr: int) -> Dict[Tuple[str, int], int]:
    """Each GOT entry's byte offset in the object's GOT."""
    out, at = {}, 0
    for e in obj.got_entries:
        out[e] = at
        at += GOT_ENTRY_WORDS[e[0]] * ptr
    return out


def _tls_got(obj: ObjectFile, got_base: int, ptr: int, S: List[int], T: List[int], tls: TlsImage
             ) -> Tuple[bytes, Dict[Tuple[str, int], int]]:
    """The GOT's bytes and each entry's address, for an object with TLS entries: "slot"
    holds S | T, "tp" S - TP, "gd" (module, S - DTP), "ld" (module, 0), "desc" (resolver, S - TP)
    -- what a TLS runtime's dynamic relocations would put there (DTPMOD, DTPOFF, TPOFF,
    TLSDESC), resolved now since the one image is static."""
    mask = (1 << (8 * ptr)) - 1
    words: List[int] = []
    entry: Dict[Tuple[str, int], int] = {}
    for kind, sym in obj.got_entries:
        entry[(kind, sym)] = got_base + len(words) * ptr
        if kind == "slot":
            words.append(S[sym] | T[sym])
        elif kind == "tp":
            words.append(S[sym] - tls.tp)
        elif kind == "gd":
            words += [tls.module, S[sym] - tls.dtp]
        elif kind == "ld":
            words += [tls.module, 0]
        else:    # "desc"
            words += [tls.resolver, S[sym] - tls.tp]
    return b"".join((w & mask).to_bytes(ptr, "little") for w in words), entry


def _need_tls(obj: ObjectFile, tls: Optional[TlsImage], r: Optional[Relocation] = None) -> TlsImage:
    """`tls`, or the error that says a TLS site has no TLS image to be relative to."""
    if tls is not None:
        return tls
    r = r or next(r for r in obj.relocations if r.howto.expr in TLS_EXPRS)
    raise PlacementError(f"{obj.name}: {r.howto.name} at {obj.section(r.section).name}+{r.offset:#x} needs the "
                         f"program's thread-local storage image, and this layout has none (a Jit lays it out "
                         f"when it loads the object: it owns the thread's static TLS block)")


_MASKS = {n: (1 << (8 * n)) - 1 for n in range(1, 17)}
_TPREL, _DTPREL = Expr.TPREL, Expr.DTPREL
_TLS_PAGE = frozenset({Expr.GOTTP_PAGE_PC, Expr.TLSDESC_PAGE_PC})
_TLS_ABS = frozenset({Expr.GOTTP, Expr.TLSDESC})
# The link loop compares every site's expression: module constants, not enum attribute lookups.
(_ABS, _PC, _BRANCH, _SIZE, _PAGE_PC, _GOT_OFF, _GOT_BASE_PC, _GOT_PC, _GOT, _GOT_REL, _GOT_PAGE_PC,
 _GOT_PAGE_OFF) = (Expr.ABS, Expr.PC, Expr.BRANCH, Expr.SIZE, Expr.PAGE_PC, Expr.GOT_OFF, Expr.GOT_BASE_PC,
                   Expr.GOT_PC, Expr.GOT, Expr.GOT_REL, Expr.GOT_PAGE_PC, Expr.GOT_PAGE_OFF)

#: Sections that may keep an entry for a function whose COMDAT member was dropped.
UNWIND_SECTIONS = (".eh_frame", ".ARM.exidx", ".ARM.extab")


def _dropped_symbols(obj: ObjectFile, exclude: frozenset, S: List[int]) -> frozenset:
    """Symbols defined in dropped sections that no other module answered for."""
    return frozenset(sym.index for sym in obj.symbols
                     if sym.kind == "defined" and sym.section in exclude and not S[sym.index])


_PLANS = LRU(512)     # id(object) -> (object, symbols relocations name, callable flags)


def _plan(obj: ObjectFile) -> tuple:
    """What every link of `obj` needs and no placement changes, worked out once."""
    hit = _PLANS.get(id(obj))
    if hit is None or hit[0] is not obj:
        # Interworking applies to function symbols (and externals, which resolve to functions).
        hit = _PLANS[id(obj)] = (obj, frozenset(r.symbol for r in obj.relocations),
                                 [sym.type == "func" or sym.kind == "undefined" for sym in obj.symbols])
    return hit[1:]


def _make_stub(bufs, layout: Layout, target: Target, r: Relocation, used: Dict[int, int], dest: int,
               state: str) -> int:
    n = used.get(r.section, 0)
    used[r.section] = n + 1
    off = layout.stub_offsets[r.section] + n * target.stub_size
    L = layout.address(r.section) + off
    code = target.write_stub(state, L, dest)
    bufs[r.section][off:off + len(code)] = code
    return L


def _symname(obj: ObjectFile, r: Relocation) -> str:
    if not r.symbol:
        return "no symbol"
    sym = obj.symbols[r.symbol]
    if sym.type == "section" and sym.section is not None:
        return f"section {obj.section(sym.section).name}"
    return repr(sym.name)


def _hex(v: int) -> str:
    return f"-{-v:#x}" if v < 0 else f"{v:#x}"


def _record(obj, r, s, v, via, before, after, P=0, L=None, t=0) -> TraceRecord:
    sym = obj.symbols[r.symbol] if r.symbol else None
    if sym is None:
        name = ""
    elif sym.type == "section" and sym.section is not None:
        name = obj.section(sym.section).name
    else:
        name = sym.name
    return TraceRecord(obj.section(r.section).name, r.offset, r.howto.name, name,
                       s, r.addend, P, v, via, before, after, L, t)
