"""`rig explain` in the terminal: an `Explanation` printed with rich."""
from __future__ import annotations

import math
from typing import Iterable, List, Optional, Sequence

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from .model import Explanation, Site

_KIND_STYLE = {"section": "cyan", "got": "magenta", "stubs": "yellow", "common": "cyan", "host": "green",
               "stack": "blue", "heap": "blue", "data": "blue", "tls": "cyan"}
_ROUTE_STYLE = {"direct": "green", "stub": "yellow", "got": "magenta", "tls": "cyan", "none": "dim"}


def memory_map(ex: Explanation) -> Table:
    """The memory map: every region in address order, its size with a bar (log scale: a page
    and a gigabyte both show) and the gap before it."""
    modules = {r.module for r in ex.map if r.module}
    table = Table(title=f"{ex.program} on {ex.target} ({ex.reloc}): the memory map", title_justify="left")
    table.add_column("start", justify="right", no_wrap=True)
    table.add_column("size", justify="right", no_wrap=True)
    table.add_column("perms", no_wrap=True)
    table.add_column("what", min_width=18, ratio=1)
    table.add_column("gap before", justify="right", no_wrap=True, style="dim")
    table.add_column("", no_wrap=True)
    last = None
    for r in ex.map:
        size = r.end - r.start
        bar = "█" * max(1, min(10, int(math.log2(max(size, 1))) // 3)) if size else ""
        gap = _size(r.start - last) if last is not None and r.start > last else ""
        name = r.name + (f" ({r.module})" if r.module and len(modules) > 1 else "")
        table.add_row(f"{r.start:#x}", _size(size), r.perms or "---", Text(name, style=_KIND_STYLE.get(r.kind, "")),
                      gap, Text(bar, style=_KIND_STYLE.get(r.kind, "")))
        last = max(last or 0, r.end)
    return table


def _size(n: int) -> str:
    for unit, k in (("GiB", 30), ("MiB", 20), ("KiB", 10)):
        if n >= 1 << k:
            return f"{n / (1 << k):.1f} {unit}"
    return f"{n} B"


def site_table(sites: Sequence[Site], title: str) -> Table:
    """One line per site."""
    table = Table(title=title, title_justify="left")
    for col in ("site", "address", "type", "symbol", "route", "value"):
        table.add_column(col, justify="right" if col in ("address", "value") else "left")
    for s in sites:
        table.add_row(Text(f"{s.section}+{s.offset:#x}"), f"{s.address:#x}", s.type, Text(s.symbol),
                      Text(s.route.kind, style=_ROUTE_STYLE.get(s.route.kind, "")), _hex(s.value))
    return table


def _hex(v: int) -> str:
    return f"-{-v:#x}" if v < 0 else f"{v:#x}"


def bits(site: Site, word: int, mark_changed: bool) -> Text:
    """A word in bits, most significant first: the field's bits underlined, and (after)
    the bits the relocation changed in bold."""
    n = 8 * (site.field.size if site.field else len(site.after) // 2)
    mask = site.field.mask if site.field else 0
    out = Text()
    for i in range(n - 1, -1, -1):
        bit = (word >> i) & 1
        style = ""
        if mask >> i & 1:
            style = "underline cyan"
        if mark_changed and site.changed >> i & 1:
            style += " bold yellow"
        out.append(str(bit), style=style.strip())
        if i % 8 == 0 and i:
            out.append(" ")
    return out


def site_panel(site: Site) -> Panel:
    """Everything about one site: formula, numbers, field, the word and the instruction
    before and after, the route."""
    rows = Table.grid(padding=(0, 2))
    rows.add_column(style="bold", no_wrap=True)
    rows.add_column()
    # Every shown value is a Text: capstone's "[x8]" and a range's "[-0x10, 0x10)" are not markup.
    rows.add_row("formula", Text(site.formula or "-"))
    rows.add_row("numbers", Text(site.numbers))
    if site.field:
        f = site.field
        rows.add_row("field", Text(f"{f.name}: bits {f.mask:#0{2 + 2 * f.size}x} of a {8 * f.size}-bit word; "
                                   f"range {f.range}; " + ("fits" if f.fits else "DOES NOT FIT")))
    width = site.field.size if site.field else len(site.after) // 2
    rows.add_row("before", Text.assemble(f"{site.before_word:#0{2 + 2 * width}x}  ",
                                         bits(site, site.before_word, False)))
    rows.add_row("after", Text.assemble(f"{site.after_word:#0{2 + 2 * width}x}  ",
                                        bits(site, site.after_word, True)))
    if site.code:
        rows.add_row("instruction", Text.assemble((site.disasm_before, "dim"), "  →  ", (site.disasm_after, "bold")))
    else:
        rows.add_row("data", Text("a data word (not an instruction)"))
    rows.add_row("route", Text(site.route.text, style=_ROUTE_STYLE.get(site.route.kind, "")))
    if site.route.stub_code:
        rows.add_row("stub", Text(site.route.stub_code))
    title = Text.assemble((site.type, "bold"), f" at {site.section}+{site.offset:#x} ({site.address:#x})",
                          (f" → {site.symbol}" if site.symbol else ""))
    return Panel(rows, title=title, title_align="left", expand=False)


def guided(ex: Explanation) -> List[Site]:
    """The sites to show in detail when none was asked for: the first of each route and type,
    so that a class sees every kind once."""
    seen, out = set(), []
    for s in ex.sites:
        key = (s.route.kind, s.type)
        if key not in seen:
            seen.add(key)
            out.append(s)
    return out


def render(ex: Explanation, console: Console, sites: Optional[Iterable[Site]] = None, *,
           show_map: bool = True, show_table: bool = True) -> None:
    """Print the map, the table of sites, and the detail of `sites` (default: `guided`)."""
    if show_map:
        console.print(memory_map(ex))
    if show_table:
        console.print(site_table(ex.sites, f"{len(ex.sites)} relocation sites"))
    for site in (guided(ex) if sites is None else sites):
        console.print(site_panel(site))
    for note in ex.notes:
        console.print(note)


def diff_table(a: Explanation, b: Explanation, seeds: Sequence[int]) -> Group:
    """What changed between two placements of one program: per site, whether its bytes differ
    and why (the place moved, the symbol moved, both: their difference decides)."""
    others = {s.id: s for s in b.sites}
    table = Table(title=f"{a.program} on {a.target}: seed {seeds[0]} against seed {seeds[1]}", title_justify="left")
    for col in ("site", "type", "symbol", "P moved by", "S moved by", "value", "bytes"):
        table.add_column(col, justify="right" if "moved" in col else "left")
    same = differ = 0
    for s in a.sites:
        o = others.get(s.id)
        if o is None:
            continue
        dp, ds = o.P - s.P, o.S - s.S
        changed = s.after != o.after
        differ += changed
        same += not changed
        why = ("same: S and P moved together" if not changed and (dp or ds) else
               "same" if not changed else f"{_hex(s.value)} → {_hex(o.value)}")
        table.add_row(Text(f"{s.section}+{s.offset:#x}"), s.type, Text(s.symbol), _hex(dp), _hex(ds), Text(why),
                      Text("differ", style="yellow") if changed else Text("same", style="green"))
    summary = Text(f"{differ} sites hold other bytes at the second placement, {same} the same bytes: "
                   f"a position-independent reference (S and P in one section, moved together) keeps its "
                   f"bytes; an absolute one, or one between sections placed apart, changes. The program "
                   f"must behave the same either way: that is placement invariance.")
    return Group(table, summary)
