"""Deliberate relocation bugs, injected through a target's table.

To know that a property catches relocation bugs, put one in and watch it
fail.  `swap_row` replaces one `Howto` row of a target's relocation table by
a modified copy for the length of a ``with`` block, so every `rig.Jit` (and
the packed reference of `rig.properties.check_placement`) links with the
wrong row; on exit the original table is back::

    from targets import aarch64_relocs as a64
    from targets.base import Expr
    from rig.mutants import swap_row

    # the lo12 of a 64-bit load written unscaled: LDST8's encoder on LDST64
    with swap_row("aarch64", "R_AARCH64_LDST64_ABS_LO12_NC", encode=a64.LDST8.encode):
        ...   # a placement property here should fail

    # ADRP from the unaligned place: Page(S + A - P) instead of Page(S + A) - Page(P)
    with swap_row("aarch64", "R_AARCH64_ADR_PREL_PG_HI21", expr=Expr.PC, prepare=lambda v: v & ~0xFFF):
        ...

Keywords naming a `Howto` attribute (`expr`, `field`, `thumb_bit`,
`stub_state`, `same_state`, `doc`) change the row; keywords naming a `Field`
attribute (`encode`, `addend`, `lo`, `hi`, `align`, `prepare`, `exchanges`,
`size`) change a copy of the row's field.  `unchecked(field)` is a field whose
range check is gone (a branch then never goes through a stub).

How the swap stays honest with rig's caches: `Target` is a frozen dataclass
shared by every `Jit`, so the table is replaced with `object.__setattr__`;
each swap installs a NEW dict, and rig keys its parsed objects
(`rig.jit._parsed`) and packed reference outcomes (`rig.properties._references`)
by the table's `id()`, so nothing parsed with another table is reused.  The
swapped dicts are kept alive for the life of the process: a freed dict's
`id()` could be reused by a later one and revive stale cache entries.  The
"arm" and "thumb" targets share one table object; a swap replaces it in every
target that holds it.  Swaps nest (the innermost is undone first).  They are
process-wide: do not run other tests of the same target concurrently in the
same process (pytest-xdist workers are separate processes, which is fine).
"""
from __future__ import annotations

import contextlib
import dataclasses
from typing import Iterator, List, Mapping, Union

import targets as _targets
from targets.base import Field, Howto

__all__ = ["swap_row", "mutate", "unchecked", "UncheckedField", "find_row", "Bug", "BUG_KINDS"]

_HOWTO_KEYS = frozenset(f.name for f in dataclasses.fields(Howto)) - {"name", "type"}
_FIELD_KEYS = frozenset(f.name for f in dataclasses.fields(Field)) - {"name"}
#: Every table a swap installed: never freed, so no later table gets its id().
_KEEP_ALIVE: List[Mapping[int, Howto]] = []


@dataclasses.dataclass(frozen=True)
class UncheckedField(Field):
    """A `Field` with its range check removed: any value fits that is a multiple
    of `align`.  `lo` and `hi` are kept as the field's declared reach, so the
    placement strategies can still aim a branch at its limit; the linker,
    asking `fits`, writes every value directly and the encoder wraps it."""

    def fits(self, value: int) -> bool:
        return value % self.align == 0

    def range_text(self) -> str:
        return f"any (range check removed; declared {super().range_text()})"


def unchecked(field: Field) -> UncheckedField:
    """`field` without its range check (see `UncheckedField`)."""
    values = {f.name: getattr(field, f.name) for f in dataclasses.fields(Field)}
    values["name"] = f"{field.name} (unchecked)"
    return UncheckedField(**values)


def find_row(target: Union[str, "_targets.Target"], reloc: Union[str, int]) -> Howto:
    """The row of `target`'s table for a relocation name ("R_X86_64_PC32") or type number."""
    t = _targets.get(target) if isinstance(target, str) else target
    if isinstance(reloc, int):
        row = t.relocations.get(reloc)
    else:
        row = next((h for h in t.relocations.values() if h.name == reloc), None)
    if row is None:
        raise LookupError(f"target {t.name} has no relocation {reloc!r}")
    return row


def mutate(row: Howto, **changes) -> Howto:
    """A copy of `row` with `changes` applied (Howto keys to the row, Field keys to its field)."""
    unknown = set(changes) - _HOWTO_KEYS - _FIELD_KEYS
    if unknown:
        raise TypeError(f"unknown row or field attribute(s): {', '.join(sorted(unknown))}; "
                        f"a row has {', '.join(sorted(_HOWTO_KEYS))}, a field {', '.join(sorted(_FIELD_KEYS))}")
    row_changes = {k: v for k, v in changes.items() if k in _HOWTO_KEYS}
    field_changes = {k: v for k, v in changes.items() if k in _FIELD_KEYS}
    fld = row_changes.get("field", row.field)
    if field_changes:
        if fld is None:
            raise TypeError(f"{row.name} has no field to change ({', '.join(sorted(field_changes))})")
        fld = dataclasses.replace(fld, **field_changes)
    if fld is not row.field:
        if fld is not None and not fld.name.endswith("(mutant)"):
            fld = dataclasses.replace(fld, name=f"{fld.name} (mutant)")
        row_changes["field"] = fld
    doc = row_changes.pop("doc", None) or f"MUTANT of {row.name}: {', '.join(sorted(changes))} changed"
    return dataclasses.replace(row, doc=doc, **row_changes)


class MutatedTable(dict):
    """A relocation table with a swapped row: rig's disk caches never hold
    what was parsed through one (a REL addend is read through the row)."""

    mutated = True


@contextlib.contextmanager
def swap_row(target: str, reloc: Union[str, int], **changes) -> Iterator[Howto]:
    """Within the block, `target`'s row for `reloc` is a modified copy (see `mutate`);
    the block receives the new row.  Every target sharing the table sees the swap."""
    t = _targets.get(target)
    old_table = t.relocations
    old_row = find_row(t, reloc)
    new_row = mutate(old_row, **changes)
    new_table = MutatedTable(old_table)       # a new object: a new id() for rig's caches
    new_table[old_row.type] = new_row
    _KEEP_ALIVE.append(new_table)
    holders = [x for x in _targets.all_targets().values() if x.relocations is old_table]
    for x in holders:
        object.__setattr__(x, "relocations", new_table)
    try:
        yield new_row
    finally:
        for x in holders:
            if x.relocations is new_table:
                object.__setattr__(x, "relocations", old_table)


#: The kinds of relocation bug a kill matrix covers (issue 14).
BUG_KINDS = ("encoder", "pc-bias", "addend", "range", "got", "stub", "thumb-bit", "page", "scale", "expr")


@dataclasses.dataclass(frozen=True)
class Bug:
    """One injected relocation bug: `swap_row(target, row, **changes)`.  `kind` is
    one of `BUG_KINDS`; `name` is short and unique in its matrix."""

    name: str
    kind: str
    target: str
    row: str
    changes: Mapping[str, object]
    doc: str = ""

    def __post_init__(self):
        if self.kind not in BUG_KINDS:
            raise ValueError(f"bug {self.name}: kind {self.kind!r} is not one of {', '.join(BUG_KINDS)}")

    def inject(self):
        """The context manager that installs the bug (`swap_row`)."""
        return swap_row(self.target, self.row, **self.changes)
