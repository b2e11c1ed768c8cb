"""What the linker did, as data a person can read: the memory map and, per relocation site,
the formula with this placement's numbers, the field's bits, the instruction before and
after, and the route (direct, a stub, a GOT slot).

Everything here is read from a loaded `Module` (its trace, layout and image) and the `Jit`'s
process; nothing is recomputed by a second linker, so what is shown is what was done.  The
renderers (`rig.explain.terminal`, `rig.explain.html`) only format an `Explanation`.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple

from ..layout import COMMON, GOT

#: Page(x) as the psABI writes it (AArch64's ADRP pages are 4 KiB).
_PAGE_MASK = ~0xFFF


@dataclass
class Region:
    """One range of the memory map."""

    name: str
    kind: str            #: "section", "got", "stubs", "common", "host", "stack", "heap", "data", "tls"
    start: int
    end: int
    perms: str
    module: str = ""     #: the module it belongs to ("" for the process's own)


@dataclass
class FieldBits:
    """The field a relocation writes: where in the word, which values fit."""

    name: str
    size: int            #: bytes of the word the field is in
    mask: int            #: the field's bits in that word
    range: str           #: the values allowed ("[-0x8000000, 0x8000000), multiple of 4"; "any" for _NC)
    fits: bool           #: whether this value did (it did, or the link would have failed)


@dataclass
class Route:
    """How the site reaches its symbol."""

    kind: str            #: "direct", "stub", "got", "tls", "none"
    text: str            #: in words
    lands: Optional[int] = None      #: where the reference ends up (the symbol, a stub, a slot)
    stub: Optional[int] = None
    stub_code: str = ""              #: the stub's instructions
    got_slot: Optional[int] = None
    got_value: Optional[int] = None  #: what the slot holds


@dataclass
class Site:
    """One relocation site, explained."""

    id: str              #: "module:section+0xoff"
    module: str
    section: str
    offset: int
    address: int         #: P
    type: str
    symbol: str
    formula: str         #: the psABI formula ("S + A - P")
    numbers: str         #: the formula with this placement's numbers, and its value
    S: int
    A: int
    P: int
    T: int
    value: int
    field: Optional[FieldBits]
    before: str          #: the word before, hex (as in memory, little-endian bytes)
    after: str
    before_word: int
    after_word: int
    changed: int         #: bits that differ between before and after
    code: bool           #: the word is an instruction (else data)
    state: str = ""      #: the instruction set it is decoded in
    disasm_before: str = ""
    disasm_after: str = ""
    route: Route = field(default_factory=lambda: Route("none", ""))

    def bits(self, word: int) -> str:
        """A word as bits, most significant first, in groups of 8."""
        n = 8 * (self.field.size if self.field else len(self.after) // 2)
        text = format(word, f"0{n}b")
        return " ".join(text[i:i + 8] for i in range(0, n, 8))


@dataclass
class Explanation:
    """A program's placement, explained: its memory map and every relocation site."""

    program: str
    target: str
    triple: str
    reloc: str
    seed: Optional[int]
    map: List[Region]
    sites: List[Site]
    notes: List[str] = field(default_factory=list)

    def site(self, where: str) -> Site:
        """The site named "section+0xoff" (or "module:section+0xoff"); `KeyError`-free: a
        `rig.errors.RigError` naming the sites there are."""
        from ..errors import RigError
        want = where.lower()
        for s in self.sites:
            if s.id.lower() == want or f"{s.section}+{s.offset:#x}".lower() == want:
                return s
        near = ", ".join(f"{s.section}+{s.offset:#x}" for s in self.sites[:12])
        raise RigError(f"no relocation site at {where!r}; sites: {near}{' ...' if len(self.sites) > 12 else ''}")

    def select(self, *, site: Optional[str] = None, type: Optional[str] = None,
               symbol: Optional[str] = None) -> List[Site]:
        """The sites a `--site`, `--type` (a name or its suffix) or `--symbol` asks for."""
        if site:
            return [self.site(site)]
        out = self.sites
        if type:
            t = type.upper()
            out = [s for s in out if s.type == t or s.type.endswith("_" + t)]
        if symbol:
            out = [s for s in out if s.symbol == symbol]
        return out

    def as_dict(self) -> dict:
        """Plain data (JSON; what the HTML page is made from)."""
        return asdict(self)


# -- building one ------------------------------------------------------------------------


def explain(jit, modules: Sequence, *, program: str = "", seed: Optional[int] = None) -> Explanation:
    """The `Explanation` of `modules` as loaded in `jit` (their trace, layout and image)."""
    target = jit.target
    sites: List[Site] = []
    regions: List[Region] = []
    for mod in modules:
        regions += _module_regions(mod)
        sites += [_site(jit, mod, r) for r in mod.trace]
    regions += _process_regions(jit)
    regions.sort(key=lambda r: (r.start, r.end))
    return Explanation(program or (modules[0].name if modules else ""), target.name, target.triple,
                       jit.options.reloc, seed, regions, sites)


def _module_regions(mod) -> List[Region]:
    out = []
    for p in sorted(mod.layout.placements, key=lambda p: p.address):
        item = p.item
        kind = "got" if item.key == GOT else "common" if item.key == COMMON else "section"
        end = p.address + item.size
        stubs = mod.layout.stub_offsets.get(item.key)
        if stubs is not None and stubs < item.size:
            # the section's own bytes, then the stub area the linker appended
            out.append(Region(item.name, kind, p.address, p.address + stubs, item.perms, mod.name))
            out.append(Region(f"stubs of {item.name}", "stubs", p.address + stubs, end, item.perms, mod.name))
        else:
            out.append(Region(item.name, kind, p.address, end, item.perms, mod.name))
    return out


def _process_regions(jit) -> List[Region]:
    return [Region(name, kind, start, end, perms) for name, kind, start, end, perms in jit.process.own_regions()]


def _howtos(target) -> Dict[str, object]:
    table = target.__dict__.get("_explain_howtos")
    if table is None:
        table = {h.name: h for h in target.relocations.values()}
        object.__setattr__(target, "_explain_howtos", table)
    return table


def _site(jit, mod, r) -> Site:
    target = jit.target
    howto = _howtos(target).get(r.type)
    fld = howto.field if howto is not None else None
    size = fld.size if fld is not None else len(r.after)
    before_word = int.from_bytes(r.before[:size], "little")
    after_word = int.from_bytes(r.after[:size], "little")
    perms = _perms_of(mod, r.section)
    state = _state_at(target, mod.object, r.section, r.offset) if "x" in perms else ""
    code = bool(state)
    site = Site(
        id=f"{mod.name}:{r.section}+{r.offset:#x}", module=mod.name, section=r.section, offset=r.offset,
        address=r.P, type=r.type, symbol=r.symbol, formula=howto.expr.value if howto is not None else "",
        numbers="", S=r.S, A=r.A, P=r.P, T=r.T, value=r.value, field=None,
        before=r.before.hex(), after=r.after.hex(), before_word=before_word, after_word=after_word,
        changed=before_word ^ after_word, code=code, state=state)
    got = mod.layout.got
    site.route = _route(jit, mod, r, got)
    site.numbers = _numbers(site, howto, got, target)
    if fld is not None:
        value = fld.prepare(r.value) if fld.prepare is not None else r.value
        site.field = FieldBits(fld.name, fld.size, _mask(fld, before_word),
                               "any" if fld.lo is None else fld.range_text(),
                               fld.fits(value))
    if code:
        site.disasm_before, site.disasm_after = _instruction_at(jit, mod, r.section, r.offset, r.P, state)
    return site


def _instruction_at(jit, mod, section: str, offset: int, address: int, state: str) -> Tuple[str, str]:
    """The instruction that holds the site, as the object had it and as linked.  Decoded from
    the nearest symbol before it (a function's start, a mapping symbol): the field may sit
    inside an instruction (x86-64's displacement after its opcode)."""
    obj, target = mod.object, jit.target
    sec = next((s for s in obj.sections if s.name == section), None)
    if sec is None:
        return "", ""
    original = bytes(sec.data or b"")
    linked = bytes(mod.image.sections.get(sec.index, original))
    start = max((sym.value for sym in obj.symbols
                 if sym.section == sec.index and sym.value <= offset and sym.type != "section"), default=0)
    at = _covering(target, state, linked, start, offset)
    delta = offset - at
    return (_disasm(target, state, original[at:at + 16], address - delta),
            _disasm(target, state, linked[at:at + 16], address - delta))


def _covering(target, state: str, code: bytes, start: int, offset: int) -> int:
    """The offset of the instruction that covers `offset`, sweeping from `start`; `offset`
    itself when the sweep does not land on it (data in code, an undecodable byte)."""
    at = start
    for insn in _cs(target, state).disasm(code[start:offset + 16], start):
        if insn.address <= offset < insn.address + insn.size:
            return insn.address
        if insn.address > offset:
            break
        at = insn.address + insn.size
    return offset


def _perms_of(mod, section: str) -> str:
    for p in mod.layout.placements:
        if p.item.name == section:
            return p.item.perms
    return ""


def _state_at(target, obj, section: str, offset: int) -> str:
    """The instruction set at `section`+`offset`: from the ELF mapping symbols where the
    target has them ($a / $t / $x code, $d data), else the target's default."""
    states = target.mapping_states
    if not states:
        return target.default_state
    index = next((s.index for s in obj.sections if s.name == section), None)
    best, state = -1, target.default_state
    for sym in obj.symbols:
        if sym.section == index and target.is_mapping_symbol(sym.name) and best <= sym.value <= offset:
            best, state = sym.value, states.get(sym.name.split(".")[0], "")
    return state


def _mask(fld, word: int) -> int:
    """The bits of `word` the field's encoder changes: encode values that fit its alignment
    (so no BL becomes a BLX on the way) and see which bits move."""
    full = (1 << (8 * fld.size)) - 1
    base = fld.encode(word, 0) & full
    mask = base ^ word
    for k in range(8 * fld.size + 2):
        v = 1 << k
        if v % max(fld.align, 1):
            continue
        for x in (v, -v):
            try:
                mask |= (fld.encode(word, x) & full) ^ base
            except Exception:       # an encoder may refuse what no link would give it
                pass
    return mask & full


def _hex(v: int) -> str:
    return f"-{-v:#x}" if v < 0 else f"{v:#x}"


def _numbers(site: Site, howto, got: Optional[int], target) -> str:
    """The formula with this site's numbers: "S + A - P = 0x10 + 0x4 - 0x8 = 0xc"."""
    if howto is None or not site.formula or site.formula == "none":
        return f"value = {_hex(site.value)}"
    values = {"S": site.S, "A": site.A, "P": site.P, "T": site.T}
    if got is not None:
        values["GOT"] = got
    if site.route.got_slot is not None:
        values["G(S)"] = site.route.got_slot
    if site.route.stub is not None:
        values["L"] = site.route.stub
    formula = site.formula.split(" (or ")[0]
    if site.route.kind == "stub" and "(or L" in site.formula:
        formula = formula.replace("S", "L", 1)

    def sub(m):
        name = m.group(0)
        return _hex(values[name]) if name in values else name
    filled = re.sub(r"G\(S\)|GOT|\bS\b|\bA\b|\bP\b|\bL\b", sub, formula).replace("+ -0x", "- 0x")
    thumb = " | T" if howto.thumb_bit and site.T else ""
    shown = f"{formula}{thumb} = {filled}{(' | ' + _hex(site.T)) if thumb else ''}"
    # A negative value is shown as the field sees it (two's complement is the encoder's job).
    return f"{shown} = {_hex(site.value)}"


def _route(jit, mod, r, got: Optional[int]) -> Route:
    if r.via == "stub" and r.stub is not None:
        code = _stub_code(jit, mod, r.stub)
        return Route("stub", f"through the stub at {r.stub:#x}, which jumps to {r.symbol or 'the target'} at "
                             f"{r.S | r.T:#x}", lands=r.S, stub=r.stub, stub_code=code)
    if r.via == "got":
        slot, held = _got_slot(jit, mod, r, got)
        if slot is None:
            return Route("got", f"through a GOT slot holding {r.S | r.T:#x} ({r.symbol})", lands=r.S)
        return Route("got", f"through the GOT slot at {slot:#x}, which holds {held:#x} ({r.symbol})",
                     lands=slot, got_slot=slot, got_value=held)
    if r.via == "tls":
        return Route("tls", f"a thread-local offset: {r.symbol} at {_hex(r.value)} from the thread pointer "
                            f"or the module's TLS block", lands=None)
    if r.via == "none":
        return Route("none", "nothing written (R_*_NONE, or a marker for the linker)")
    plus = f" {'+' if r.A >= 0 else '-'} {abs(r.A):#x}" if r.A else ""
    return Route("direct", f"direct: {r.symbol or 'the target'} at {r.S | r.T:#x}{plus}", lands=r.S)


def _got_slot(jit, mod, r, got: Optional[int]) -> Tuple[Optional[int], Optional[int]]:
    """The module's GOT slot that holds the symbol's address (S | T), and that value."""
    data = mod.image.got
    if got is None or not data:
        return None, None
    ptr = jit.target.pointer_size
    want = r.S | r.T
    for k in range(0, len(data) - ptr + 1, ptr):
        if int.from_bytes(data[k:k + ptr], "little") == want:
            return got + k, want
    return None, None


def _stub_code(jit, mod, address: int) -> str:
    target = jit.target
    try:
        code = jit.process.read(address, target.stub_size)
    except Exception:           # an unloaded module's stub: nothing to show
        return ""
    # the instruction set the stub was made for (a stub key's third part)
    state = next((key[2] for key, at in mod.image.stubs.items() if at == address), target.default_state)
    shown = []
    for insn in _cs(target, state if state in target.cs_modes else target.default_state).disasm(code, address):
        shown.append(f"{insn.mnemonic} {insn.op_str}".strip())
        if insn.mnemonic.startswith(("b", "j")) or insn.op_str.startswith("pc,"):
            break           # the jump; what follows is the literal holding the target
    try:
        shown.append(f"(target {target.stub_target(code):#x})")
    except Exception:       # a stub kind the target cannot read back
        pass
    return "; ".join(shown)


_CS: Dict[tuple, object] = {}


def _cs(target, state: str):
    import capstone
    key = (target.cs_arch, target.cs_modes.get(state, target.cs_mode))
    cs = _CS.get(key)
    if cs is None:
        cs = _CS[key] = capstone.Cs(*key)
    return cs


def _disasm(target, state: str, code: bytes, address: int) -> str:
    """The instruction `code` holds at `address`, as capstone prints it."""
    for insn in _cs(target, state).disasm(bytes(code), address, 1):
        return f"{insn.mnemonic} {insn.op_str}".strip()
    return "(not an instruction)"
