"""The type-directed generator: every row of every relocation table, observed by running code.

A corpus applies the rare relocation types only by luck (issue 14 measured 7
of 24 x86-64 types in compiled code), and a rare type's one site may hold a
value that cannot show a bug.  So each target lists `SiteRecipe`s
(``targets/<arch>_sites.py``): a small assembly file per row whose relocated
field decides what a function ``probe`` returns (a register, a loaded word,
where a branch lands) or whose data word is read back.  Per example this
module draws

* the recipe's parameters (the addend, an absolute symbol's value, ...),
* a placement of the snippet's sections (`placements`: random bases, gaps,
  page straddles, high addresses), and then
* the field's value: a single bit at every position, the range's edges, just
  past them, uniform, or the placement as drawn; the ``.rig.target`` section
  (or else ``.rig.site``) is moved so that the psABI formula gives that value.

`SiteChecker.check` loads the snippet there and holds the result to what the
recipe says by hand from the psABI: the probe's value (or the word), and, for
a value outside the field's range, a `RelocationOverflow` (a branch instead
goes through a stub and must still land).  S, T, P come from where the
module's symbols landed, never from the linker's trace, so a wrong PC bias,
encoder, addend, page mask, range check, stub or GOT slot shows.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Dict, List, Mapping, Optional, Sequence, Tuple

from hypothesis import strategies as st

import targets as _targets
from targets.base import SiteRecipe, SiteValues

from ..errors import PlacementError, RelocationOverflow, RigError
from ..layout import items_of
from ._placements import placements

SITE_SECTION, TARGET_SECTION = ".rig.site", ".rig.target"
#: How the field's value is aimed; "drawn" keeps the placement as `placements` drew it.
#: The edges and just past them come twice: an off-by-one range check shows at one value.
AIMS = ("drawn", "bit", "edge", "past", "uniform", "edge", "past", "misaligned")
_PLACEHOLDER = re.compile(r"\{([A-Z][A-Z0-9_]*)\}")


class SiteMismatch(AssertionError):
    """A relocation site did not do what the psABI says (a finding of the generator)."""


@dataclass(frozen=True)
class SiteCase:
    """One drawn example: a recipe, its parameters and a placement (section -> address)."""

    target: str
    recipe: SiteRecipe
    params: Mapping[str, int]
    placement: Mapping[str, int]
    aim: Optional[int] = None           #: the field value the placement was moved to give
    aim_kind: str = "drawn"

    @property
    def source(self) -> str:
        """The recipe's assembly with the parameters filled in."""
        return fill(self.recipe.asm, self.params)

    def loadable(self):
        """What `Jit.load` is given: the assembly, or (a recipe that renumbers relocation
        types) the object it assembles to, renumbered."""
        return loadable(self.recipe, self.source, self.target)

    def describe(self) -> str:
        """The example in one line, for a report."""
        params = ", ".join(f"{k}={v:#x}" if isinstance(v, int) else f"{k}={v}" for k, v in self.params.items())
        where = ", ".join(f"{k}={v:#x}" for k, v in sorted(self.placement.items(), key=lambda kv: kv[1]))
        return f"{self.recipe.label} on {self.target} ({params or 'no parameters'}) at {{{where}}}"


@dataclass
class SiteResult:
    """What one checked example did: the trace records of the module (type, value)."""

    records: List[Tuple[str, int]] = field(default_factory=list)
    overflow: bool = False                  #: the expected `RelocationOverflow` came
    stub: bool = False                      #: the site went through a stub


def fill(asm: str, params: Mapping[str, int]) -> str:
    """`asm` with each ``{NAME}`` of `params` replaced (register lists like ``{r4, lr}`` stay)."""
    def sub(m):
        name = m.group(1)
        return str(params[name]) if name in params else m.group(0)
    return _PLACEHOLDER.sub(sub, asm)


def loadable(recipe: SiteRecipe, text: str, target: str):
    """`text`, or for a recipe with `retype` its object with the types renumbered."""
    if not recipe.retype:
        return text
    from .. import compile as _compile
    obj = _compile.compile_source(text, _targets.get(target), _compile.Options(recipe.reloc), _name(recipe, text))
    return retyped(obj, recipe.retype)


def _name(recipe: SiteRecipe, text: str) -> str:
    digest = hashlib.sha1(text.encode()).hexdigest()[:10]
    label = re.sub(r"[^A-Za-z0-9_]+", "_", recipe.label)
    return f"site_{label}_{digest}.s"


def retyped(obj: bytes, pairs: Sequence[Tuple[int, int]]) -> bytes:
    """`obj` with every relocation of type `old` renumbered `new`, for each (old, new):
    how a row no assembler spells gets into an object (ELF32: r_info = sym << 8 | type,
    ELF64: sym << 32 | type; REL and RELA)."""
    import io
    from elftools.elf.elffile import ELFFile
    from elftools.elf.relocation import RelocationSection
    elf = ELFFile(io.BytesIO(obj))
    wide = elf.elfclass == 64
    word, bits = (8, 32) if wide else (4, 8)
    mask = (1 << bits) - 1
    out = bytearray(obj)
    renumber = dict(pairs)
    for sec in elf.iter_sections():
        if not isinstance(sec, RelocationSection):
            continue
        for i in range(sec.num_relocations()):
            at = sec["sh_offset"] + i * sec["sh_entsize"] + word        # r_info follows r_offset
            info = int.from_bytes(out[at:at + word], "little")
            new = renumber.get(info & mask)
            if new is not None:
                out[at:at + word] = ((info & ~mask) | new).to_bytes(word, "little")
    return bytes(out)


def _values(recipe: SiteRecipe, params: Mapping[str, int], S: int, T: int, P: int) -> SiteValues:
    return SiteValues(S=S, T=T, P=P, A=params.get("A", 0), params=params)


def _aimed(draw, recipe: SiteRecipe) -> Tuple[str, Optional[int]]:
    """Which field value to aim the placement at (None: keep the placement as drawn)."""
    if recipe.value is None or recipe.lo is None or not recipe.movable:
        return "drawn", None
    kind = draw(st.sampled_from(AIMS), label="aim")
    lo, hi, align = recipe.lo, recipe.hi, recipe.align
    top = hi - hi % align
    if kind == "bit":
        # one bit at each position the field holds, nudged by a few units, either sign
        width = max(abs(lo), hi + 1).bit_length()
        low = max(0, (align - 1).bit_length())
        v = (1 << draw(st.integers(low, max(low, width - 1)), label="bit")) \
            + align * draw(st.integers(-2, 2), label="nudge")
        if lo < 0 and draw(st.booleans(), label="negative"):
            v = -v
        return kind, v
    if kind == "edge":
        return kind, draw(st.sampled_from(sorted({lo, top, lo + align, top - align, 0, align})), label="edge")
    if kind == "past":
        return kind, draw(st.sampled_from((top + align, lo - align, top + 2 * align, lo - 2 * align)), label="past")
    if kind == "misaligned":
        if align == 1:
            return "drawn", None
        return kind, draw(st.sampled_from((align + 1, top - align + 1, lo + align - 1)), label="misaligned")
    if kind == "uniform":
        v = draw(st.integers(lo, top), label="value")
        return kind, v - v % align
    return "drawn", None


class SiteChecker:
    """Draws and checks `SiteRecipe` examples for one target, keeping a `Jit` per
    relocation model and the probe module of each distinct snippet."""

    def __init__(self, target: str, executor: str = "inprocess"):
        self.target = _targets.get(target).name
        self.executor = executor
        self.recipes: Sequence[SiteRecipe] = _targets.get(target).site_recipes()
        self._jits: Dict[str, object] = {}
        self._probes: Dict[tuple, tuple] = {}

    # -- the Jits and what each snippet looks like at a packed placement -------------------

    def jit(self, reloc: str):
        """The `Jit` for `reloc`, made on first use."""
        from ..jit import Jit
        if reloc not in self._jits:
            self._jits[reloc] = Jit(self.target, seed=0, reloc=reloc, executor=self.executor)
        return self._jits[reloc]

    def close(self) -> None:
        """Close the Jits."""
        for j in self._jits.values():
            j.close()
        self._jits.clear()
        self._probes.clear()

    def _probe(self, recipe: SiteRecipe, text: str):
        """(module, offsets) of a snippet loaded once and unloaded: its object for
        `placements`, and where `target` and `site` sit in their sections."""
        name = _name(recipe, text)
        # keyed by the table too: a swapped row (rig.mutants) may change what the object
        # needs placed (a GOT, a TLS entry), so a probe made with another table is stale
        key = (name, id(_targets.get(self.target).relocations))
        hit = self._probes.get(key)
        if hit is None:
            jit = self.jit(recipe.reloc)
            mod = jit.load(loadable(recipe, text, self.target), name=name, placement="packed")
            try:
                lay = mod.layout
                site = mod.address("site") + recipe.field_offset
                offsets = {"site": (SITE_SECTION, site - lay.by_name(SITE_SECTION).address)}
                addr, thumb = jit.resolve("target") or (mod.address("target"), False)
                if recipe.movable:
                    offsets["target"] = (TARGET_SECTION, addr - lay.by_name(TARGET_SECTION).address)
                offsets["thumb"] = int(bool(thumb))
            finally:
                jit.unload(mod)
            hit = self._probes[key] = (mod, offsets)
            if len(self._probes) > 512:
                self._probes.pop(next(iter(self._probes)))
        return hit

    # -- drawing ---------------------------------------------------------------------------

    def cases(self, recipe: SiteRecipe):
        """A strategy of `SiteCase`s for `recipe`."""
        @st.composite
        def draw_case(draw) -> SiteCase:
            params = {k: draw(st.sampled_from(tuple(v)), label=k) for k, v in recipe.params.items()}
            text = fill(recipe.asm, params)
            jit = self.jit(recipe.reloc)
            mod, offsets = self._probe(recipe, text)
            mapping = dict(draw(placements(jit, mod), label="placement"))
            kind, aim = _aimed(draw, recipe)
            if aim is not None:
                moved = self._move(jit, mod, recipe, params, offsets, mapping, aim)
                if moved is None:
                    kind, aim = "drawn", None
                else:
                    mapping = moved
            return SiteCase(self.target, recipe, params, mapping, aim, kind)
        return draw_case()

    def _sv(self, recipe, params, offsets, mapping, S_abs: Optional[int] = None) -> SiteValues:
        sec, off = offsets["site"]
        P = mapping[sec] + off
        if S_abs is None:
            tsec, toff = offsets["target"]
            S_abs = mapping[tsec] + toff
        return _values(recipe, params, S_abs, offsets["thumb"], P)

    def _move(self, jit, mod, recipe, params, offsets, mapping, aim: int) -> Optional[Dict[str, int]]:
        """`mapping` with `.rig.target` (or else `.rig.site`) moved so the field's value
        is `aim`, or None when no free, aligned place gives it."""
        items = {i.name: i for i in items_of(mod.object, jit.target)[0]}
        space = jit.space
        now = recipe.value(self._sv(recipe, params, offsets, mapping))
        delta = aim - now
        for section, sign in ((TARGET_SECTION, 1), (SITE_SECTION, -1)):
            item = items[section]
            addr = mapping[section] + sign * delta
            addr -= addr % item.align
            moved = {**mapping, section: addr}
            if not (space.lo <= addr and addr + item.size <= space.hi):
                continue
            spans = sorted((moved[i.name], moved[i.name] + max(1, i.size)) for i in items.values())
            if any(b0 < a1 for (_, a1), (b0, _) in zip(spans, spans[1:])):
                continue
            if space.conflict(addr, addr + max(1, item.size)) is not None:
                continue
            return moved
        return None

    def boundaries(self, recipe: SiteRecipe, rng) -> List[SiteCase]:
        """Cases at the field's range, exactly: its two ends and one step past each
        (an off-by-one range check shows at one value only, which random aims hit
        now and then; `sweep` checks these first, every time).  Empty for a recipe
        with no range or a target it may not move."""
        if recipe.value is None or recipe.lo is None or not recipe.movable:
            return []
        top = recipe.hi - recipe.hi % recipe.align
        out = []
        for v in (recipe.lo, top, recipe.lo - recipe.align, top + recipe.align):
            case = self.random_case(recipe, rng, value=v)
            if case is not None:
                out.append(case)
        return out

    def random_case(self, recipe: SiteRecipe, rng, aims: Sequence[str] = ("bit", "edge", "past", "uniform"),
                    value: Optional[int] = None) -> Optional[SiteCase]:
        """A case drawn with `rng` (a `random.Random`) instead of Hypothesis, for
        campaigns that are not Hypothesis tests (`rig fuzz --engine`): random
        parameters, the rig's random placement, and a field value aimed as
        `cases` aims it (bit, edge, just past, uniform), or at `value` exactly.
        None when the snippet cannot be placed so."""
        params = {k: rng.choice(tuple(v)) for k, v in recipe.params.items()}
        text = fill(recipe.asm, params)
        jit = self.jit(recipe.reloc)
        mod, offsets = self._probe(recipe, text)
        try:
            placed = jit.load(loadable(recipe, text, self.target), name=_name(recipe, text),
                              seed=rng.randrange(1 << 30))
        except RigError:
            return None
        mapping = placed.layout.mapping()
        jit.unload(placed)
        kind, aim = "drawn", None
        if recipe.value is not None and recipe.lo is not None and recipe.movable:
            lo, hi, align = recipe.lo, recipe.hi, recipe.align
            top = hi - hi % align
            kind = "boundary" if value is not None else rng.choice(tuple(aims))
            if kind == "boundary":
                aim = value
            elif kind == "bit":
                width = max(abs(lo), hi + 1).bit_length()
                low = max(0, (align - 1).bit_length())
                aim = (1 << rng.randint(low, max(low, width - 1))) + align * rng.randint(-2, 2)
                aim = -aim if lo < 0 and rng.random() < 0.5 else aim
            elif kind == "edge":
                aim = rng.choice(sorted({lo, top, lo + align, top - align, 0, align}))
            elif kind == "past":
                aim = rng.choice([top + align, lo - align])
            else:
                aim = rng.randint(lo, top)
                aim -= aim % align
            moved = self._move(jit, mod, recipe, params, offsets, mapping, aim)
            if moved is None:
                if value is not None:
                    return None
                kind, aim = "drawn", None
            else:
                mapping = moved
        elif value is not None:
            return None
        return SiteCase(self.target, recipe, params, mapping, aim, kind)

    # -- checking --------------------------------------------------------------------------

    def check(self, case: SiteCase) -> SiteResult:
        """Load the snippet at the case's placement and hold it to the recipe (a
        `SiteMismatch` naming the row, the numbers and what the rig did, when it differs)."""
        recipe, params = case.recipe, case.params
        jit = self.jit(recipe.reloc)
        text = case.source
        probe_mod, offsets = self._probe(recipe, text)
        planned = self._sv(recipe, params, offsets, case.placement) if recipe.movable else None
        result = SiteResult()
        try:
            mod = jit.load(case.loadable(), name=_name(recipe, text), placement=dict(case.placement))
        except RelocationOverflow as e:
            if planned is not None and recipe.value is not None:
                v = recipe.value(planned)
                if not recipe.fits(v) and not recipe.branch:
                    result.overflow = True
                    return result
                raise SiteMismatch(f"{case.describe()}: RelocationOverflow, but the psABI value "
                                   f"{_hex(v)} ({planned}) fits [{_hex(recipe.lo)}, {_hex(recipe.hi)}] "
                                   f"aligned {recipe.align}" + (" (or a stub)" if recipe.branch else "")
                                   + f": {e}") from None
            raise SiteMismatch(f"{case.describe()}: RelocationOverflow where the recipe has no range: {e}") from None
        except PlacementError:
            raise
        except RigError as e:
            raise SiteMismatch(f"{case.describe()}: loading failed: {type(e).__name__}: {e}") from None
        try:
            site = mod.address("site") + recipe.field_offset
            hit = jit.resolve("target")
            S, thumb = hit if hit is not None else (mod.address("target"), False)
            v = _values(recipe, params, S, int(bool(thumb)), site)
            where = [r for r in mod.trace if r.section == SITE_SECTION]
            result.records = [(r.type, r.value) for r in mod.trace]
            result.stub = any(r.via == "stub" for r in where)
            if not any(r.type == recipe.row for r in where):
                # the assembler resolved or relaxed it: the recipe tests another row than it says
                raise SiteMismatch(f"{case.describe()}: the snippet applies no {recipe.row} in {SITE_SECTION} "
                                   f"(it has: {', '.join(sorted({r.type for r in where})) or 'none'}); "
                                   f"fix the recipe")
            did = "; ".join(f"{r.type} at {r.section}+{r.offset:#x}: value {_hex(r.value)} via {r.via}, "
                            f"{r.before.hex()} -> {r.after.hex()}" for r in where) or "no relocation at .rig.site"
            if recipe.value is not None:
                value = recipe.value(v)
                if not recipe.fits(value) and not recipe.branch:
                    raise SiteMismatch(f"{case.describe()}: the psABI value {_hex(value)} ({v}) is outside "
                                       f"[{_hex(recipe.lo)}, {_hex(recipe.hi)}] aligned {recipe.align}, yet the "
                                       f"rig linked it without RelocationOverflow; the rig did: {did}")
            mask = (1 << (8 * recipe.size)) - 1
            want = recipe.expect(v) & mask
            try:
                if recipe.observe == "word":
                    got = int.from_bytes(jit.read(site, recipe.size), "little")
                else:
                    got = mod.call("probe", signature=recipe.signature)
            except RigError as e:
                raise SiteMismatch(f"{case.describe()}: {v}: expected {_hex(want)}, but the probe failed: "
                                   f"{type(e).__name__}: {e}; the rig did: {did}") from None
            if got is None or (int(got) & mask) != want:
                raise SiteMismatch(f"{case.describe()}: {v}: expected {_hex(want)} by the psABI, got "
                                   f"{_hex(int(got) & mask) if got is not None else got}; the rig did: {did}")
            return result
        finally:
            jit.unload(mod)


def _hex(x) -> str:
    return f"{x:#x}" if isinstance(x, int) and x >= 0 else (f"-{-x:#x}" if isinstance(x, int) else str(x))


_CHECKERS: Dict[Tuple[str, str], SiteChecker] = {}


def checker(target: str, executor: str = "inprocess") -> SiteChecker:
    """The process's `SiteChecker` for `target` (made once)."""
    key = (_targets.get(target).name, executor)
    if key not in _CHECKERS:
        _CHECKERS[key] = SiteChecker(*key)
    return _CHECKERS[key]


def relocation_sites(target: str, rows: Optional[Sequence[str]] = None):
    """A Hypothesis strategy of `SiteCase`s over every `SiteRecipe` of `target`
    (or those of `rows`), drawn uniformly by recipe; check one with
    ``checker(target).check(case)``::

        @given(relocation_sites("aarch64"))
        def test_every_row(case):
            checker("aarch64").check(case)
    """
    c = checker(target)
    recipes = [r for r in c.recipes if rows is None or r.row in rows]
    if not recipes:
        raise LookupError(f"target {target} has no site recipes" + (f" for {', '.join(rows)}" if rows else ""))
    return st.sampled_from(recipes).flatmap(c.cases)


@dataclass
class SweepReport:
    """One sweep over a target's recipes: per relocation type, the sites the
    generator's examples applied and the distinct values written there."""

    target: str
    examples: int = 0
    failures: List[str] = field(default_factory=list)
    sites: Dict[str, int] = field(default_factory=dict)            #: type -> sites applied
    values: Dict[str, set] = field(default_factory=dict)           #: type -> distinct values
    overflows: Dict[str, int] = field(default_factory=dict)        #: recipe -> RelocationOverflows seen (expected)
    stubs: int = 0
    recipes: int = 0

    def record(self, recipe: SiteRecipe, result: SiteResult) -> None:
        """Count one passed example."""
        self.examples += 1
        if result.overflow:
            self.overflows[recipe.label] = self.overflows.get(recipe.label, 0) + 1
        self.stubs += result.stub
        for name, value in result.records:
            self.sites[name] = self.sites.get(name, 0) + 1
            self.values.setdefault(name, set()).add(value)


def _boundaries_pass(c: SiteChecker, recipe: SiteRecipe, report: SweepReport, rng, tick) -> bool:
    """Check `recipe` at its field's range ends and one step past them; False (and a
    failure in `report`) when one of them is wrong."""
    try:
        cases = c.boundaries(recipe, rng)
    except PlacementError:
        cases = []
    except Exception as e:                  # noqa: BLE001 - the snippet itself no longer loads
        report.failures.append(f"{recipe.label} on {c.target}: the snippet does not load at the rig's own "
                               f"placements: {type(e).__name__}: {e}")
        return False
    for case in cases:
        try:
            result = c.check(case)
        except PlacementError:
            continue
        except SiteMismatch as e:
            report.failures.append(f"{e} [a boundary of the field's range, {_hex(case.aim)}, checked first]")
            return False
        except Exception as e:              # noqa: BLE001 - a crash of the example is a finding too
            report.failures.append(f"{case.describe()} [a boundary of the field's range, {_hex(case.aim)}]: "
                                   f"{type(e).__name__}: {e}")
            return False
        report.record(recipe, result)
        tick()
    return True


def _site_property(c: SiteChecker, recipe: SiteRecipe, report: SweepReport, tick):
    from hypothesis import given, reject

    @given(case=c.cases(recipe))
    def prop(case):
        try:
            result = c.check(case)
        except PlacementError:
            # a drawn layout that cannot be: not a finding, and not an example either
            # (Hypothesis draws another; a recipe none of whose layouts can be placed
            # ends Unsatisfiable, a failure: it would otherwise pass having run nothing)
            reject()
        report.record(recipe, result)
        tick()
    return prop


def sweep(target: str, *, per_recipe: int = 5, seed: Optional[int] = None, database=None,
          executor: str = "inprocess", part: Tuple[int, int] = (0, 1), tick=lambda: None,
          report: Optional[SweepReport] = None, failfast: bool = False, shrink: bool = True) -> SweepReport:
    """Every recipe of `target` (or share ``part = (k, n)``: recipes k, k+n, ...),
    `per_recipe` Hypothesis examples each; a failing recipe is a failure
    message, and the sweep goes on to the next recipe (with `failfast`, it ends there).
    Without `shrink`, a failure is reported as found (a kill matrix asks only whether
    a bug is caught; shrinking each one would take most of its time)."""
    import random
    from hypothesis import HealthCheck, Phase, seed as hyp_seed, settings
    c = checker(target, executor)
    report = report or SweepReport(c.target)
    k, n = part
    for index, recipe in enumerate(c.recipes):
        if index % n != k:
            continue
        report.recipes += 1
        if not _boundaries_pass(c, recipe, report, random.Random(f"{seed} {index} {recipe.label}"), tick):
            if failfast:
                break
            continue

        prop = _site_property(c, recipe, report, tick)
        prop.hypothesis.inner_test._hypothesis_internal_add_digest = \
            f"rig-sites-{c.target}-{recipe.label}-{index}".encode()
        runner = settings(max_examples=per_recipe, deadline=None, database=database, print_blob=True,
                          suppress_health_check=list(HealthCheck),
                          phases=[Phase.explicit, Phase.reuse, Phase.generate] + [Phase.shrink] * shrink)(prop)
        if seed is not None:
            runner = hyp_seed(seed * 1000 + index)(runner)
        try:
            runner()
        except Exception as e:              # a SiteMismatch (or several) or a crash of the example
            subs = getattr(e, "exceptions", None) or [e]
            for sub in subs:
                report.failures.append(str(sub) if isinstance(sub, AssertionError)
                                       else f"{recipe.label} on {c.target}: {type(sub).__name__}: {sub}")
            if failfast:
                break
    return report
