"""Hypothesis strategies for layouts that stress relocation logic.

`placements(jit, module)` draws an explicit section -> address mapping for a
loaded module's object: random bases over the target's whole usable space
inside the reach the object needs, random order, gaps from none to far
(stubs), bases at exactly an item's alignment, items straddling a 4 KiB page
(ADRP/lo12), items of other permissions sharing a page (the page gets the
union), sections spread beyond their branches' reach (calls between them go
through stubs, however many sections the object has), addresses with bit 31
set, above 4 GiB, near the top of the 32-bit space, and branches exactly at
their reach (limit - 1, limit, limit + 1).
Every choice shrinks toward a packed, low, in-order layout, so a failure reads
simply.
"""
from __future__ import annotations

from typing import Dict, List

from hypothesis import assume, strategies as st

from targets.base import Expr

from ..layout import (PAGE, AddressSpace, Item, absolute_limit, align_up, external_reach, items_of, page_up,
                      relative_reach)

#: Where a layout starts; the first entry is where shrinking goes.
BASES = ("low", "anywhere", "bit31", "above_4g", "top_of_32bit")
#: How much space goes before an item; "none" is where shrinking goes.
GAPS = ("none", "exact_alignment", "small", "page_straddle", "far", "beyond_branch_reach")


def _window(obj, target, space: AddressSpace, code_model: str, resolve=None) -> tuple:
    """[lo, top) where the module may go and the widest span it may take (in
    reach of the externals it addresses pc-relatively, when `resolve` says where)."""
    window = target.code_models.get(code_model, space.hi - space.lo)
    reach = relative_reach(obj)
    if reach is not None:
        window = min(window, reach)
    lo, top = space.lo, min(space.hi, absolute_limit(obj, space))
    ext_reach, names = external_reach(obj)
    if ext_reach is not None and resolve is not None:
        near = [hit[0] for hit in map(resolve, names) if hit is not None]
        if near:
            lo, top = max(lo, page_up(max(near) - ext_reach)), min(top, min(near) + ext_reach)
    return lo, top, max(0, min(window, top - lo))


def _base(draw, kind: str, lo: int, top: int, span: int, pointer_size: int, space: AddressSpace) -> int:
    if kind == "low":
        # the lowest free pages (the process keeps its host slots and heap low)
        return space.find_free(span + 64 * PAGE, lo) + draw(st.integers(0, 64)) * PAGE
    if kind == "bit31":
        start = (1 << 31) - draw(st.integers(0, 4)) * PAGE - span // 2
    elif kind == "above_4g" and pointer_size == 8:
        start = (1 << 32) + draw(st.integers(0, 1 << 20)) * PAGE
    elif kind == "top_of_32bit":
        start = min(top, 1 << 32) - span - draw(st.integers(1, 64)) * PAGE
    else:
        start = draw(st.integers(lo, max(lo, top - span)))
    return max(lo, min(start, top - span)) & ~(PAGE - 1)


def branch_reach(obj) -> int:
    """The shortest forward reach of the object's branches that may go through a
    stub (0 when it has none): a gap wider than this sends calls to stubs."""
    reach = [r.howto.field.hi for r in obj.relocations
             if r.howto.expr is Expr.BRANCH and r.howto.field is not None and r.howto.field.lo is not None]
    return min(reach, default=0)


def _gap(draw, item: Item, cursor: int, kind: str, budget: int, reach: int = 0) -> int:
    """Where `item` starts, at or after `cursor`."""
    if kind == "beyond_branch_reach" and reach and reach + PAGE <= budget:
        return align_up(cursor + reach + draw(st.integers(0, min(reach, budget - reach))), item.align)
    if kind == "none":
        return align_up(cursor, item.align)
    if kind == "exact_alignment":
        # an odd multiple of the alignment: aligned exactly, never more
        a = align_up(cursor, item.align)
        return a if (a // item.align) % 2 else a + item.align
    if kind == "small":
        return align_up(cursor + draw(st.integers(0, 256)), item.align)
    if kind == "page_straddle" and item.size > 1:
        # the item's middle on a page boundary: ADRP + lo12 pairs inside it cross pages
        start = page_up(cursor + item.size) - item.size // 2
        return align_up(max(start, cursor), item.align)
    if kind == "far":
        return align_up(cursor + draw(st.integers(0, max(0, budget))), item.align)
    return align_up(cursor, item.align)


@st.composite
def placements(draw, jit, module, code_model: str = None) -> Dict[str, int]:
    """An explicit placement (name -> address) for `module`'s object on `jit`."""
    obj, target, space = module.object, jit.target, jit.space
    items, _ = items_of(obj, target)
    lo, top, window = _window(obj, target, space, code_model or module.options.code_model, jit.resolve)
    if jit.window is not None:          # a C runtime's image: the window libc's members share
        lo, top = max(lo, jit.window[0]), min(top, jit.window[1])
        window = max(0, min(window, top - lo))
    order: List[Item] = draw(st.permutations(items))
    need = sum(i.size + i.align for i in items) + 2 * PAGE * len(items)
    assume(need <= window)
    budget = window - need
    kind = draw(st.sampled_from(BASES))
    base = _base(draw, kind, lo, top, need + budget // 4, target.pointer_size, space)
    reach = branch_reach(obj)

    mapping, cursor, prev = {}, base, None
    for item in order:
        gap_kind = draw(st.sampled_from(GAPS))
        if prev is not None and item.perms != prev and not draw(st.booleans()):
            cursor = page_up(cursor)             # other permissions: another page (or share it: the union)
        far_budget = budget // max(1, len(order))
        addr = _gap(draw, item, cursor, gap_kind, far_budget if gap_kind != "beyond_branch_reach" else budget,
                    reach)
        budget -= max(0, addr - cursor)
        mapping[item.name] = addr
        cursor, prev = addr + item.size, item.perms

    if draw(st.booleans()):
        mapping = _branch_at_limit(draw, obj, target, items, mapping) or mapping
    ends = [mapping[i.name] + i.size for i in items]
    assume(max(ends) <= top and min(mapping.values()) >= lo)
    assume(max(ends) - min(mapping.values()) <= window)
    assume(all(space.conflict(mapping[i.name], mapping[i.name] + max(1, i.size)) is None for i in items))
    return mapping


def _branch_at_limit(draw, obj, target, items, mapping):
    """Move one branch's target section so the branch value is its field's limit
    - align, the limit, or the limit + align (direct, then a stub)."""
    names = {i.key: i.name for i in items}
    sites = [r for r in obj.relocations if r.howto.expr is Expr.BRANCH and r.symbol
             and r.howto.field is not None and r.howto.field.lo is not None
             and obj.symbols[r.symbol].section not in (None, r.section)
             and obj.symbols[r.symbol].section in names]
    if not sites:
        return None
    r = draw(st.sampled_from(sites))
    fld = r.howto.field
    sym = obj.symbols[r.symbol]
    delta = draw(st.sampled_from((-fld.align, 0, fld.align)))
    P = mapping[names[r.section]] + r.offset
    value = fld.hi - fld.align + delta if draw(st.booleans()) else fld.lo + delta
    S = P + value - r.addend - int(sym.thumb and r.howto.thumb_bit)
    item = next(i for i in items if i.key == sym.section)
    start = S - sym.value
    if start % item.align:
        return None
    moved = dict(mapping)
    moved[item.name] = start
    # the moved item must not land on another one
    spans = sorted((moved[i.name], moved[i.name] + i.size) for i in items)
    if any(b0 < a1 for (a0, a1), (b0, b1) in zip(spans, spans[1:])):
        return None
    return moved
