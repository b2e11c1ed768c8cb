"""An `Explanation` as one self-contained HTML page: `render_html(ex) -> str`.

No network at all: the CSS, the SVG memory map and a little plain JavaScript are inline.
The page has a header (program, target, triple, relocation model, seed), the memory map
(each region a box, coloured by kind, with the huge gaps between them cut short and
labelled, and arrows from the sites' sections to where their routes land, one arrow per
pair of regions with a count), and a table of the sites that a text box and a route select
filter; a click on a row opens its details in place (the formula with this placement's
numbers, the field's bits in the word before and after, the instruction before and after,
the route through a stub or a GOT slot).  Printing expands every site and drops the filter.

Every text goes through `html.escape`; the page is formatted from the `Explanation` only.
"""
from __future__ import annotations

import math
from html import escape
from typing import Dict, List, Optional, Tuple

from .model import Explanation, Region, Site

__all__ = ["render_html"]


# -- small formatting ----------------------------------------------------------------------


def _e(value) -> str:
    return escape(str(value), quote=True)


def _hex(v: Optional[int]) -> str:
    if v is None:
        return ""
    return f"-{-v:#x}" if v < 0 else f"{v:#x}"


def _size(n: int) -> str:
    """A size for people: "12 B", "4 KiB", "1.5 MiB", "12 GiB"."""
    if n < 1024:
        return f"{n} B"
    for unit in ("KiB", "MiB", "GiB", "TiB", "PiB", "EiB"):
        n /= 1024
        if n < 1024 or unit == "EiB":
            text = f"{n:.0f}" if n >= 100 or n == int(n) else f"{n:.1f}"
            return f"{text} {unit}"
    return f"{n} B"     # pragma: no cover


def _bytes(hexstr: str) -> str:
    """"540008e3" -> "54 00 08 e3" (memory order)."""
    return " ".join(hexstr[i:i + 2] for i in range(0, len(hexstr), 2))


def _bits_html(word: int, nbits: int, mask: int, changed: int) -> str:
    """The word as bits, most significant first, in groups of 8; the field's bits inside
    `<span class="field">`, the bits that changed also carry the class `chg`."""
    out: List[str] = []
    run_cls, run = None, []

    def flush():
        if run:
            text = "".join(run)
            out.append(f'<span class="{run_cls}">{text}</span>' if run_cls else text)

    for k in range(nbits - 1, -1, -1):
        if k != nbits - 1 and (k + 1) % 8 == 0:
            flush()
            run_cls, run = None, []
            out.append(" ")
        bit = 1 << k
        cls = " ".join(c for c, on in (("field", mask & bit), ("chg", changed & bit)) if on) or None
        if cls != run_cls:
            flush()
            run_cls, run = cls, []
        run.append("1" if word & bit else "0")
    flush()
    return "".join(out)


# -- the memory map --------------------------------------------------------------------------

_KIND_LABEL = {
    "section": "section", "got": "GOT", "stubs": "stubs", "common": "common symbols",
    "host": "host functions", "stack": "stack", "heap": "heap", "data": "process data", "tls": "TLS",
}

#: the map's geometry (px)
_ADDR_X = 122          # addresses end here (right-aligned)
_BOX_X = 130
_BOX_W = 300
_LANE = 200            # room for the arrows right of the boxes
_MIN_H, _MAX_H = 26, 80
_CUT_H = 44            # a huge gap, drawn short


def _region_class(r: Region) -> str:
    if r.kind == "section":
        return "k-code" if "x" in r.perms else "k-rw" if "w" in r.perms else "k-ro"
    return f"k-{r.kind}"


def _box_height(size: int) -> float:
    """Box heights grow with the log of the size: the map spans bytes to megabytes."""
    return max(_MIN_H, min(_MAX_H, _MIN_H + 3.0 * math.log2(max(size, 16) / 16)))


def _gap_height(gap: int) -> float:
    if gap <= 0:
        return 0.0
    return min(24.0, 3.0 + 1.5 * math.log2(gap / 16 + 1))


def _region_of(regions: List[Region], address: Optional[int], module: str = "") -> Optional[int]:
    if address is None:
        return None
    best = None
    for i, r in enumerate(regions):
        if r.start <= address < r.end or (r.start == r.end == address):
            if best is None or (module and r.module == module and regions[best].module != module):
                best = i
    return best


def _site_legs(ex: Explanation, s: Site) -> Optional[List[Tuple[int, int, bool]]]:
    """The arrows one site contributes: (from region, to region, second leg); None when its
    route lands outside every region.  A stub route goes section -> stubs, then (dashed)
    stubs -> the target; a GOT route section -> the slot, then (dashed) the slot -> what it
    holds."""
    r = s.route
    if r.lands is None or r.kind in ("none", "tls"):
        return []
    src = _region_of(ex.map, s.address, s.module)
    dst = _region_of(ex.map, r.lands)
    if src is None or dst is None:
        return None
    via = _region_of(ex.map, r.stub) if r.kind == "stub" else None
    if via is not None:
        return [(src, via, False), (via, dst, True)]
    if r.kind == "got" and r.got_slot is not None and r.got_value is not None:
        held = _region_of(ex.map, r.got_value)
        return [(src, dst, False)] + ([(dst, held, True)] if held is not None else [])
    return [(src, dst, False)]


def _legs(ex: Explanation) -> Tuple[Dict[Tuple[int, int, str, bool], int], int]:
    """Arrows, aggregated: (from region, to region, route kind, second leg) -> count; and how
    many routed sites land outside every region."""
    legs: Dict[Tuple[int, int, str, bool], int] = {}
    outside = 0
    for s in ex.sites:
        mine = _site_legs(ex, s)
        if mine is None:
            outside += 1
            continue
        for a, b, second in mine:
            key = (a, b, s.route.kind, second)
            legs[key] = legs.get(key, 0) + 1
    return legs, outside


def _svg_map(ex: Explanation) -> str:
    regions = ex.map
    if not regions:
        return '<p class="muted">No regions.</p>'
    total = sum(max(r.end - r.start, 0) for r in regions)
    parts: List[str] = []
    ys: List[Tuple[float, float]] = []        # per region: top, height
    y = 14.0
    prev_end = None
    for i, r in enumerate(regions):
        if prev_end is not None:
            gap = r.start - prev_end
            if gap > total:
                # a huge gap: cut short, with a break mark and its size
                top = y + 4
                parts.append(
                    f'<g class="cut"><path d="M{_BOX_X},{top + 8} l10,-6 l10,6 l10,-6 l10,6 M{_BOX_X},{top + 16} '
                    f'l10,-6 l10,6 l10,-6 l10,6" />'
                    f'<text x="{_BOX_X + 50}" y="{top + 15}">≈ {_e(_size(gap))} gap</text></g>')
                y += _CUT_H
            elif gap > 0:
                h = _gap_height(gap)
                if h >= 12:
                    parts.append(f'<text class="gap" x="{_BOX_X + 8}" y="{y + h / 2 + 3.5:.1f}">'
                                 f'{_e(_size(gap))} unmapped</text>')
                y += h
        h = _box_height(r.end - r.start)
        ys.append((y, h))
        size = r.end - r.start
        title = (f"{r.name} ({_KIND_LABEL.get(r.kind, r.kind)}{', ' + r.module if r.module else ''})\n"
                 f"{r.start:#x} .. {r.end:#x}\n{size} bytes ({_size(size)}), perms {r.perms or '---'}")
        mid = y + h / 2 + 4
        parts.append(
            f'<g class="region {_region_class(r)}" data-region="{_e(r.name)}" data-module="{_e(r.module)}" '
            f'data-kind="{_e(r.kind)}" data-index="{i}"><title>{_e(title)}</title>'
            f'<rect x="{_BOX_X}" y="{y:.1f}" width="{_BOX_W}" height="{h:.1f}" rx="3" />'
            f'<text class="addr" x="{_ADDR_X}" y="{mid:.1f}">{_e(f"{r.start:#x}")}</text>'
            f'<text class="name" x="{_BOX_X + 8}" y="{mid:.1f}">{_e(_clip(r.name, 26))}</text>'
            f'<text class="meta" x="{_BOX_X + _BOX_W - 8}" y="{mid:.1f}">{_e(_size(size))} · {_e(r.perms or "---")}'
            f'</text></g>')
        y += h
        prev_end = max(r.end, prev_end or r.end)
    height = y + 14

    legs, outside = _legs(ex)
    arrows: List[str] = []
    right = _BOX_X + _BOX_W
    # longer arrows further out, so they nest rather than cross
    order = sorted(legs.items(), key=lambda kv: abs(_mid(ys[kv[0][1]]) - _mid(ys[kv[0][0]])), reverse=True)
    for n, ((a, b, kind, second), count) in enumerate(order):
        y1, y2 = _mid(ys[a]), _mid(ys[b])
        cls = f"arrow r-{_e(kind)}{' second' if second else ''}"
        label = f"{count} site{'s' if count != 1 else ''}: {regions[a].name} → {regions[b].name} ({kind})"
        if a == b:
            d = f"M{right},{y1 - 6:.1f} C{right + 46},{y1 - 22:.1f} {right + 46},{y1 + 22:.1f} {right + 2},{y1 + 6:.1f}"
            lx, ly = right + 40, y1 + 4
        else:
            reach = min(_LANE - 36, 26 + 0.32 * abs(y2 - y1))
            # arrows into a region land a little above or below its middle, by direction
            y2 += -5 if y2 > y1 else 5
            y1 += 5 if y2 > y1 else -5
            d = f"M{right},{y1:.1f} C{right + reach:.1f},{y1:.1f} {right + reach:.1f},{y2:.1f} {right + 2},{y2:.1f}"
            lx, ly = right + 0.75 * reach, (y1 + y2) / 2 + 4
        arrows.append(
            f'<g class="{cls}" data-from="{a}" data-to="{b}" data-count="{count}"><title>{_e(label)}</title>'
            f'<path d="{d}" marker-end="url(#head-{_e(kind)})" />'
            f'<text x="{lx:.1f}" y="{ly:.1f}">×{count}</text></g>')
    markers = "".join(
        f'<marker id="head-{k}" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" '
        f'orient="auto-start-reverse"><path class="head r-{k}" d="M0,0 L8,4 L0,8 z" /></marker>'
        for k in ("direct", "stub", "got", "tls", "none"))
    width = right + _LANE
    note = (f'<p class="muted">{outside} site{"s" if outside != 1 else ""} land outside every region '
            f'(no arrow).</p>') if outside else ""
    return (f'<svg class="map" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height:.0f}" '
            f'viewBox="0 0 {width} {height:.0f}" role="img" aria-label="memory map">'
            f'<defs>{markers}<pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
            f'patternTransform="rotate(45)"><rect width="6" height="6" class="hatch-bg"/>'
            f'<line x1="0" y1="0" x2="0" y2="6" class="hatch-line"/></pattern></defs>'
            f'<text class="axis" x="{_ADDR_X}" y="10">address ↓</text>'
            f'{"".join(parts)}<g class="arrows">{"".join(arrows)}</g></svg>{note}')


def _mid(top_h: Tuple[float, float]) -> float:
    return top_h[0] + top_h[1] / 2


def _clip(text: str, n: int) -> str:
    return text if len(text) <= n else text[:n - 1] + "…"


def _legend() -> str:
    kinds = [("k-code", "code section"), ("k-ro", "read-only section"), ("k-rw", "writable section"),
             ("k-stubs", "stubs"), ("k-got", "GOT"), ("k-common", "common"), ("k-host", "host functions"),
             ("k-heap", "heap"), ("k-data", "process data"), ("k-stack", "stack")]
    boxes = "".join(
        f'<span class="key"><svg width="14" height="12" xmlns="http://www.w3.org/2000/svg">'
        f'<g class="{c}"><rect x="0.5" y="0.5" width="13" height="11" rx="2"/></g></svg>{_e(t)}</span>'
        for c, t in kinds)
    routes = "".join(f'<span class="key"><span class="swatch r-{k}"></span>{k}</span>'
                     for k in ("direct", "stub", "got"))
    return (f'<div class="legend">{boxes}</div><div class="legend">arrows: {routes} '
            f'<span class="muted">(dashed: the stub or slot on to its target)</span></div>')


# -- the sites ---------------------------------------------------------------------------------


def _site_row(s: Site, legs: Optional[List[Tuple[int, int, bool]]]) -> str:
    where = f"{s.section}+{s.offset:#x}"
    search = " ".join([s.id, where, s.type, s.symbol, s.route.kind, _hex(s.value), _hex(s.address)]).lower()
    return (f'<tr class="site" data-site="{_e(s.id)}" data-route="{_e(s.route.kind)}" data-search="{_e(search)}" '
            f'data-legs="{" ".join(f"{a}-{b}" for a, b, _ in legs or [])}" '
            f'tabindex="0" aria-expanded="false">'
            f'<td class="mono where"><span class="tri">▸</span>{_e(where)}</td>'
            f'<td class="mono">{_e(s.type)}</td><td class="mono">{_e(s.symbol or "—")}</td>'
            f'<td><span class="pill r-{_e(s.route.kind)}">{_e(s.route.kind)}</span></td>'
            f'<td class="mono num">{_e(_hex(s.value))}</td></tr>')


def _kv(key: str, value_html: str, cls: str = "") -> str:
    return f'<dt>{_e(key)}</dt><dd class="{cls}">{value_html}</dd>'


def _site_details(s: Site) -> str:
    rows: List[str] = []
    rows.append(_kv("site", f'<span class="mono">{_e(s.id)}</span> at <span class="mono">{_e(_hex(s.address))}</span>'
                            f' <span class="muted">(P)</span>'))
    rows.append(_kv("formula", f'<code>{_e(s.formula or "—")}</code>', "formula"))
    rows.append(_kv("numbers", f'<code>{_e(s.numbers)}</code>', "numbers"))
    rows.append(_kv("operands", " ".join(
        f'<span class="op"><span class="muted">{k}</span> <code>{_e(_hex(v))}</code></span>'
        for k, v in (("S", s.S), ("A", s.A), ("P", s.P), ("T", s.T), ("value", s.value)))))
    f = s.field
    if f is not None:
        fits = '<span class="ok">fits</span>' if f.fits else '<span class="bad">does not fit</span>'
        rows.append(_kv("field", f'{_e(f.name)} · mask <code>{_e(f"{f.mask:#0{2 + 2 * f.size}x}")}</code> · '
                                 f'range <code>{_e(f.range)}</code> · {fits}', "field-info"))
    nbits = 8 * (f.size if f is not None else max(len(s.after) // 2, 1))
    mask = f.mask if f is not None else 0
    hexw = 2 + nbits // 4
    word = (f'<table class="word"><tr><th></th><th>bytes (memory order)</th><th>word</th><th>bits (msb first)</th></tr>'
            f'<tr><th>before</th><td class="mono before-hex">{_e(_bytes(s.before))}</td>'
            f'<td class="mono">{_e(f"{s.before_word:#0{hexw}x}")}</td>'
            f'<td class="mono bits bits-before">{_bits_html(s.before_word, nbits, mask, 0)}</td></tr>'
            f'<tr><th>after</th><td class="mono after-hex">{_e(_bytes(s.after))}</td>'
            f'<td class="mono">{_e(f"{s.after_word:#0{hexw}x}")}</td>'
            f'<td class="mono bits bits-after">{_bits_html(s.after_word, nbits, mask, s.changed)}</td></tr>'
            f'</table><div class="muted small">after hex: <span class="mono after-raw">{_e(s.after)}</span> · '
            f'<span class="field">field bits</span> · <span class="chg">changed bits</span> '
            f'({bin(s.changed).count("1")} changed)</div>')
    rows.append(_kv("word", word))
    if s.code:
        rows.append(_kv(f"instruction ({s.state})" if s.state else "instruction",
                        f'<table class="insn"><tr><th>before</th><td><code class="disasm-before">'
                        f'{_e(s.disasm_before)}</code></td></tr><tr><th>after</th><td><code class="disasm-after">'
                        f'{_e(s.disasm_after)}</code></td></tr></table>'))
    else:
        rows.append(_kv("instruction", '<span class="muted">data, not an instruction</span>'))
    r = s.route
    rows.append(_kv("route", f'<span class="pill r-{_e(r.kind)}">{_e(r.kind)}</span> {_e(r.text)}', "route-text"))
    if r.lands is not None:
        rows.append(_kv("lands", f'<code>{_e(_hex(r.lands))}</code>'))
    if r.stub is not None:
        rows.append(_kv("stub", f'at <code>{_e(_hex(r.stub))}</code>: <code class="stub-code">{_e(r.stub_code or "—")}'
                                f'</code>'))
    if r.got_slot is not None:
        rows.append(_kv("GOT slot", f'<code class="got-slot">{_e(_hex(r.got_slot))}</code> holds '
                                    f'<code class="got-value">{_e(_hex(r.got_value))}</code>'))
    return (f'<tr class="details" data-details="{_e(s.id)}" hidden><td colspan="5">'
            f'<dl>{"".join(rows)}</dl></td></tr>')


# -- the page ------------------------------------------------------------------------------------

_CSS = """
:root { --mono: ui-monospace, "DejaVu Sans Mono", "Liberation Mono", Menlo, Consolas, monospace;
  --sans: system-ui, -apple-system, "Segoe UI", "DejaVu Sans", "Liberation Sans", Arial, sans-serif;
  --fg: #1d2330; --muted: #687083; --line: #d9dde6; --bg: #fff; --soft: #f5f7fa;
  --direct: #2f62c7; --stub: #d9730d; --got: #a07c00; --tls: #8a44b8; --none: #8a8f99; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 var(--sans); color: var(--fg); background: var(--bg); }
header { padding: 14px 22px 10px; border-bottom: 1px solid var(--line); background: var(--soft); }
h1 { font-size: 19px; margin: 0 0 6px; font-weight: 600; }
h2 { font-size: 15px; margin: 0 0 8px; font-weight: 600; }
.facts { display: flex; flex-wrap: wrap; gap: 4px 22px; margin: 0; }
.facts div { display: flex; gap: 6px; } .facts dt { color: var(--muted); } .facts dd { margin: 0; font-family: var(--mono); }
.mono, code { font-family: var(--mono); font-size: 12.5px; }
.muted { color: var(--muted); } .small { font-size: 12px; }
main { display: grid; grid-template-columns: minmax(0, 660px) minmax(0, 1fr); gap: 22px; padding: 16px 22px; }
@media (max-width: 1100px) { main { grid-template-columns: minmax(0, 1fr); } }
section.mapcol { align-self: start; padding-bottom: 8px; }
svg.map { max-width: 100%; height: auto; display: block; }
svg.map text { font-family: var(--mono); font-size: 11.5px; fill: var(--fg); }
svg.map text.addr { text-anchor: end; fill: #3b4252; }
svg.map text.name { font-weight: 600; }
svg.map text.meta { text-anchor: end; fill: #3b4252; }
svg.map text.gap { fill: var(--muted); font-size: 10.5px; }
svg.map text.axis { text-anchor: end; fill: var(--muted); font-size: 10.5px; }
svg.map .cut path { fill: none; stroke: var(--muted); stroke-width: 1.2; }
svg.map .cut text { fill: var(--muted); font-style: italic; }
.region rect, .legend rect { stroke: #5b6475; stroke-width: 1; }
.region.hl rect { stroke: #111; stroke-width: 2.5; }
.k-code rect { fill: #cfe0ff; } .k-ro rect { fill: #e7e2f6; } .k-rw rect { fill: #d3f1d9; }
.k-stubs rect { fill: url(#hatch); stroke: var(--stub); stroke-width: 1.6; }
.k-got rect { fill: #fff1a6; stroke: var(--got); stroke-width: 1.6; stroke-dasharray: 4 2; }
.k-common rect { fill: #d6f3ef; } .k-host rect { fill: #e4e6ea; } .k-heap rect { fill: #eef4e4; }
.k-data rect { fill: #f1ece4; } .k-stack rect { fill: #f7dfe6; } .k-tls rect { fill: #eadcf5; }
.hatch-bg { fill: #ffe6c7; } .hatch-line { stroke: #f2b26b; stroke-width: 2.5; }
.arrow path { fill: none; stroke-width: 1.6; opacity: .85; }
.arrow.second path { stroke-dasharray: 5 3; }
.arrow text { font-size: 10.5px !important; font-weight: 600; }
.arrow.r-direct path { stroke: var(--direct); } .arrow.r-direct text { fill: var(--direct); }
.arrow.r-stub path { stroke: var(--stub); } .arrow.r-stub text { fill: var(--stub); }
.arrow.r-got path { stroke: var(--got); } .arrow.r-got text { fill: var(--got); }
.head.r-direct { fill: var(--direct); } .head.r-stub { fill: var(--stub); } .head.r-got { fill: var(--got); }
.head.r-tls { fill: var(--tls); } .head.r-none { fill: var(--none); }
.arrows.dim .arrow { opacity: .15; } .arrows.dim .arrow.hl { opacity: 1; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 14px; font-size: 12px; margin: 6px 0 0; color: var(--muted); }
.key { display: inline-flex; align-items: center; gap: 5px; }
.swatch { display: inline-block; width: 18px; height: 3px; border-radius: 2px; }
.swatch.r-direct { background: var(--direct); } .swatch.r-stub { background: var(--stub); } .swatch.r-got { background: var(--got); }
.controls { display: flex; gap: 10px; align-items: center; margin: 0 0 10px; flex-wrap: wrap; }
.controls input { font: 13px var(--mono); padding: 5px 8px; width: 260px; border: 1px solid #b8bfcc; border-radius: 4px; }
.controls select, .controls button { font: 13px var(--sans); padding: 4px 8px; border: 1px solid #b8bfcc; border-radius: 4px; background: #fff; }
table.sites { border-collapse: collapse; width: 100%; }
table.sites th { text-align: left; font-weight: 600; font-size: 12px; color: var(--muted); border-bottom: 2px solid var(--line); padding: 4px 8px; }
tr.site td { padding: 4px 8px; border-bottom: 1px solid var(--line); white-space: nowrap; }
tr.site { cursor: pointer; } tr.site:hover { background: #f2f6ff; } tr.site:focus { outline: 2px solid #9db8ef; outline-offset: -2px; }
tr.site.open { background: #eaf0fc; }
td.num { text-align: right; }
.tri { display: inline-block; width: 14px; color: var(--muted); transition: transform .1s; }
tr.site.open .tri { transform: rotate(90deg); }
.pill { display: inline-block; padding: 0 7px; border-radius: 9px; font-size: 12px; color: #fff; background: var(--none); }
.pill.r-direct { background: var(--direct); } .pill.r-stub { background: var(--stub); } .pill.r-got { background: var(--got); }
.pill.r-tls { background: var(--tls); }
tr.details > td { background: #fafbfd; border-bottom: 2px solid var(--line); padding: 8px 10px 10px 26px; }
tr.details dl { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 5px 14px; margin: 0; }
tr.details dt { color: var(--muted); font-size: 12.5px; padding-top: 1px; }
tr.details dd { margin: 0; overflow-wrap: anywhere; }
dd.numbers code { background: #eef3ff; padding: 1px 5px; border-radius: 3px; }
table.word, table.insn { border-collapse: collapse; }
table.word th, table.insn th { white-space: nowrap; font-weight: normal; color: var(--muted); font-size: 12px; text-align: left; padding: 1px 10px 1px 0; }
table.word td, table.insn td { padding: 1px 14px 1px 0; white-space: nowrap; }
.bits { letter-spacing: .5px; }
span.field { background: #fff0b3; border-radius: 2px; }
span.chg { color: #c01e1e; font-weight: 700; text-decoration: underline; }
.ok { color: #17813a; } .bad { color: #c01e1e; font-weight: 600; }
.op { margin-right: 12px; white-space: nowrap; }
.count { color: var(--muted); font-size: 12.5px; }
tr.site.filtered, tr.details.filtered { display: none; }
@media print {
  @page { margin: 12mm; }
  body { font-size: 11px; } header { background: none; padding: 0 0 8px; }
  .mono, code { font-size: 10px; } tr.details dt, .pill, table.word th, table.insn th { font-size: 10px; }
  main { display: block; padding: 8px 0; }
  section.mapcol { margin-bottom: 14px; }
  .controls { display: none !important; }
  tr.site.filtered { display: table-row !important; }
  tr.details, tr.details[hidden], tr.details.filtered { display: table-row !important; }
  tr.details { break-inside: avoid; }
  .tri { display: none; }
  .pill, span.field, .hatch-bg { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  svg.map { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""

_JS = """
(function () {
  var q = document.getElementById('filter'), kind = document.getElementById('route');
  var rows = Array.prototype.slice.call(document.querySelectorAll('tr.site'));
  var count = document.getElementById('shown');
  function det(row) { return row.nextElementSibling; }
  function apply() {
    var words = q.value.toLowerCase().split(/\\s+/).filter(Boolean), k = kind.value, n = 0;
    rows.forEach(function (row) {
      var text = row.getAttribute('data-search');
      var ok = (!k || row.getAttribute('data-route') === k) &&
               words.every(function (w) { return text.indexOf(w) >= 0; });
      row.classList.toggle('filtered', !ok); det(row).classList.toggle('filtered', !ok);
      if (ok) n++;
    });
    count.textContent = n + ' of ' + rows.length + ' sites';
  }
  function mark() {
    var regions = {}, legs = {}, any = false;
    rows.forEach(function (row) {
      if (!row.classList.contains('open')) return;
      (row.getAttribute('data-legs') || '').split(' ').filter(Boolean).forEach(function (leg) {
        var ab = leg.split('-'); legs[leg] = 1; regions[ab[0]] = 1; regions[ab[1]] = 1; any = true;
      });
    });
    document.querySelectorAll('svg.map g.region').forEach(function (g) {
      g.classList.toggle('hl', !!regions[g.getAttribute('data-index')]);
    });
    document.querySelectorAll('g.arrow').forEach(function (g) {
      g.classList.toggle('hl', !!legs[g.getAttribute('data-from') + '-' + g.getAttribute('data-to')]);
    });
    var box = document.querySelector('g.arrows');
    if (box) box.classList.toggle('dim', any);
  }
  function toggle(row, open) {
    if (open === undefined) open = !row.classList.contains('open');
    row.classList.toggle('open', open); row.setAttribute('aria-expanded', open ? 'true' : 'false');
    det(row).hidden = !open;
  }
  rows.forEach(function (row) {
    row.addEventListener('click', function () { toggle(row); mark(); });
    row.addEventListener('keydown', function (e) {
      if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); toggle(row); mark(); }
    });
  });
  document.getElementById('expand').addEventListener('click', function () {
    var open = rows.some(function (r) { return !r.classList.contains('open') && !r.classList.contains('filtered'); });
    rows.forEach(function (r) { if (!r.classList.contains('filtered')) toggle(r, open); });
    mark();
  });
  q.addEventListener('input', apply); kind.addEventListener('change', apply);
  apply();
})();
"""


def render_html(ex: Explanation) -> str:
    """The whole page, as a string (UTF-8 when written)."""
    kinds = [k for k in ("direct", "stub", "got", "tls", "none") if any(s.route.kind == k for s in ex.sites)]
    kinds += sorted({s.route.kind for s in ex.sites} - set(kinds))
    by_kind = {k: sum(1 for s in ex.sites if s.route.kind == k) for k in kinds}
    facts = [("program", ex.program), ("target", ex.target), ("triple", ex.triple),
             ("relocation model", ex.reloc), ("seed", "—" if ex.seed is None else ex.seed),
             ("sites", f"{len(ex.sites)} (" + ", ".join(f"{k} {n}" for k, n in by_kind.items()) + ")")]
    head = "".join(f"<div><dt>{_e(k)}</dt><dd>{_e(v)}</dd></div>" for k, v in facts)
    notes = "".join(f"<li>{_e(n)}</li>" for n in ex.notes)
    options = '<option value="">every route</option>' + "".join(
        f'<option value="{_e(k)}">{_e(k)} ({by_kind[k]})</option>' for k in kinds)
    body_rows = "".join(_site_row(s, _site_legs(ex, s)) + _site_details(s) for s in ex.sites)
    title = f"rig explain: {ex.program} on {ex.target}"
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(title)}</title>
<style>{_CSS}</style></head>
<body>
<header><h1>{_e(title)}</h1><dl class="facts">{head}</dl>{f'<ul class="notes">{notes}</ul>' if notes else ''}</header>
<main>
<section class="mapcol" aria-label="memory map"><h2>Memory map</h2>
<p class="muted small">Low addresses at the top. Box heights grow with the log of the size; huge gaps are cut
short (≈). Arrows go from a site's section to where its route lands, one per pair of regions, with a count.</p>
{_svg_map(ex)}
{_legend()}
</section>
<section class="sitescol" aria-label="relocation sites"><h2>Relocation sites</h2>
<div class="controls"><input id="filter" type="search" placeholder="filter: type, symbol, section, offset…"
 aria-label="filter sites"><select id="route" aria-label="route kind">{options}</select>
<button id="expand" type="button">expand / collapse all</button><span class="count" id="shown"></span></div>
<table class="sites"><thead><tr><th>site</th><th>type</th><th>symbol</th><th>route</th><th class="num">value</th></tr>
</thead><tbody>{body_rows}</tbody></table>
</section>
</main>
<script>{_JS}</script>
</body></html>
"""
