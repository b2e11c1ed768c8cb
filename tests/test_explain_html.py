"""`rig.explain.html` in a real browser: Debian's Chromium driven by Playwright.

The demo program on each target is explained, written as a page and opened from a file:
the memory map has every section, the table one row per site, a click opens a site's
details with the Explanation's numbers, the filter hides other symbols, printing expands
everything.  A screenshot of each page is kept in artifacts/explain/<target>.png.

No skip: CI installs chromium (.ci/run); without it this fails.
"""
from __future__ import annotations

import json
import shutil
from importlib import resources
from pathlib import Path

import pytest

from rig import corpus
from rig.explain import Explanation, FieldBits, Region, Route, Site, explain
from rig.explain.html import render_html
from rig.jit import Jit

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts" / "explain"
TARGETS = ["x86_64", "arm", "thumb", "aarch64"]
SEED = 1


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright
    assert Path(CHROMIUM).exists() or shutil.which("chromium"), \
        f"{CHROMIUM} is missing: apt-get install chromium (this test does not skip)"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


def _demo():
    source = resources.files("rig").joinpath("demo/demo.ll").read_bytes()
    return corpus.parse_header(source.decode(), Path("demo.ll"))


def _css(value: str) -> str:
    """A CSS attribute value, quoted."""
    return json.dumps(value)


def _pick(sites, kind):
    """A site with route `kind`, an instruction if there is one (so it has a disassembly)."""
    mine = [s for s in sites if s.route.kind == kind]
    return next((s for s in mine if s.code and s.disasm_after), mine[0] if mine else None)


def _filter_symbol(ex: Explanation):
    """A symbol whose name no other site's type, section, offset or symbol contains."""
    def text(s):
        return " ".join([s.type, s.symbol, s.section, f"{s.offset:#x}", s.id]).lower()
    for sym in sorted({s.symbol for s in ex.sites if s.symbol}, key=lambda x: (-len(x), x)):
        others = [s for s in ex.sites if s.symbol != sym]
        if others and not any(sym.lower() in text(s) for s in others):
            return sym
    return None


@pytest.mark.parametrize("target", TARGETS)
def test_explain_page_in_chromium(browser, target, tmp_path):
    prog = _demo()
    jit = Jit(target, seed=SEED)
    try:
        mod = jit.load(prog.source, name="demo.ll")
        ex = explain(jit, [mod], program="demo.ll", seed=SEED)
        sections = list(mod.layout.mapping())
    finally:
        jit.close()
    page_text = render_html(ex)
    assert len(page_text.encode()) < 1_000_000
    out = tmp_path / f"{target}.html"
    out.write_text(page_text, encoding="utf-8")

    page = browser.new_page(viewport={"width": 1440, "height": 900})
    errors, requests = [], []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("request", lambda r: requests.append(r.url) if not r.url.startswith(("file:", "data:")) else None)
    try:
        page.goto(out.as_uri())

        # the header
        header = page.locator("header").inner_text()
        for fact in (ex.program, ex.target, ex.triple, ex.reloc, str(SEED)):
            assert fact in header

        # the memory map: every section of the layout, and the process's own regions
        for name in sections:
            g = page.locator(f'svg.map [data-region={_css(name)}][data-module={_css(mod.name)}]')
            assert g.count() == 1, name
            assert name[:20] in g.text_content()
        assert page.locator("svg.map g.region").count() == len(ex.map)
        kinds = {r.kind for r in ex.map}
        for kind in ("stubs", "got"):
            if kind in kinds:
                assert page.locator(f'svg.map g.region[data-kind="{kind}"]').count() >= 1
        arrows = page.locator("svg.map g.arrow")
        assert arrows.count() >= 1
        routed = sum(1 for s in ex.sites if s.route.kind not in ("none", "tls") and s.route.lands is not None)
        first_legs = sum(int(a.get_attribute("data-count")) for a in arrows.all()
                         if "second" not in (a.get_attribute("class") or ""))
        assert first_legs <= routed and first_legs >= 1
        assert "≈" in page.locator("svg.map").text_content()        # the huge gaps are cut short

        # the table: one row per site
        rows = page.locator("tr.site")
        assert rows.count() == len(ex.sites)
        assert [r.get_attribute("data-site") for r in rows.all()] == [s.id for s in ex.sites]
        assert page.locator("tr.details:visible").count() == 0

        # a site of each route kind: its details, with the Explanation's values
        present = {s.route.kind for s in ex.sites}
        assert present - {"direct"}, f"{target}: the demo should go through a stub or the GOT somewhere"
        for kind in ("direct", "stub", "got"):
            site = _pick(ex.sites, kind)
            if site is None:
                continue
            details = page.locator(f"[data-details={_css(site.id)}]")
            assert not details.is_visible()
            page.locator(f"tr.site[data-site={_css(site.id)}]").click()
            assert details.is_visible(), site.id
            text = details.inner_text()
            assert site.numbers and site.numbers in text
            assert site.formula.split(" (or ")[0] in text or site.formula in text
            assert details.locator(".after-raw").inner_text() == site.after
            nbytes = site.field.size if site.field else len(site.after) // 2
            assert f"{site.after_word:#0{2 + 2 * nbytes}x}" in text
            if site.code:
                assert details.locator(".disasm-after").inner_text() == site.disasm_after
                assert details.locator(".disasm-before").inner_text() == site.disasm_before
            if site.field is not None:
                assert f"{site.field.mask:#0{2 + 2 * site.field.size}x}" in text
                assert details.locator(".bits-after span.field").count() >= 1
                if site.changed:
                    assert details.locator(".bits-after span.chg").count() >= 1
            assert site.route.text in " ".join(text.split())
            if kind == "stub":
                assert site.route.stub_code and site.route.stub_code in text
                assert f"{site.route.stub:#x}" in text
            if kind == "got" and site.route.got_slot is not None:
                assert details.locator(".got-slot").inner_text() == f"{site.route.got_slot:#x}"
                assert details.locator(".got-value").inner_text() == f"{site.route.got_value:#x}"
            # the map marks where it goes
            assert page.locator("svg.map g.region.hl").count() >= 1

        # the route select
        page.select_option("#route", "direct")
        assert page.locator("tr.site:visible").count() == sum(1 for s in ex.sites if s.route.kind == "direct")
        page.select_option("#route", "")

        # the filter: a symbol hides the rows of every other symbol
        sym = _filter_symbol(ex)
        assert sym, "no symbol to filter by"
        page.fill("#filter", sym)
        shown = {r.get_attribute("data-site") for r in page.locator("tr.site:visible").all()}
        assert shown == {s.id for s in ex.sites if s.symbol == sym}
        assert page.locator("tr.details.filtered:visible").count() == 0
        page.fill("#filter", "")
        assert page.locator("tr.site:visible").count() == len(ex.sites)

        # printing: every site expanded, no filter box
        page.emulate_media(media="print")
        assert page.locator("tr.details:visible").count() == len(ex.sites)
        assert not page.locator("#filter").is_visible()
        page.emulate_media(media="screen")

        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{target}.png"), full_page=True)
    finally:
        page.close()
    assert not errors, errors
    assert not requests, f"the page asked the network for {requests}"


def test_html_escapes_every_text():
    nasty = '<script>alert("x")</script>&'
    field = FieldBits(nasty, 4, 0xFF, nasty, True)
    site = Site(id=f"m:{nasty}+0x0", module=nasty, section=nasty, offset=0, address=0x1000, type=nasty,
                symbol=nasty, formula=nasty, numbers=nasty, S=1, A=0, P=0x1000, T=0, value=1, field=field,
                before="00000000", after="01000000", before_word=0, after_word=1, changed=1, code=True,
                state=nasty, disasm_before=nasty, disasm_after=nasty,
                route=Route("stub", nasty, lands=0x1000, stub=0x1000, stub_code=nasty))
    ex = Explanation(nasty, nasty, nasty, nasty, None,
                     [Region(nasty, "section", 0x1000, 0x1010, nasty, nasty)], [site], notes=[nasty])
    page = render_html(ex)
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;" in page
    assert page.count("<script>") == 1            # the page's own
    assert "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in page
