"""`rig fuzz --engine E`: the corpus at drawn placements, linked by E and by the references.

Per target: every corpus object (root .ll files, C files and corpus/asm/*.s for the
target, compiled for their first relocation model) at placements drawn by the rig's
own random strategy (`draw_placement`, seeded), compared site by site
(`rig.engines.compare_full`).  A disagreement is reported once per (target, type,
kind) with a reproducer directory `<out>/<target>-<type>-<n>/`: the object the engine
linked (`obj.o`), the placement and externals (JSON), and for RuntimeDyld a
`checks.txt` holding the one failing check and `run.sh`, the exact llvm-rtdyld
command that shows the difference with llvm-rtdyld alone.
"""
from __future__ import annotations

import json
import os
import random
import shlex
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Tuple

import targets as _targets

from ..errors import RigError
from . import Disagreement, compare_full, draw_placement, load_engine
from .jitlink import JitLinkEngine
from .rtdyld import OBJ, RtdyldEngine, command as rtdyld_command

TARGETS = ("x86_64", "arm", "thumb", "aarch64")


@dataclass
class Finding:
    disagreement: Disagreement
    program: str
    seed: int
    count: int = 1
    reproducer: Optional[str] = None
    behaviour: Optional[str] = None       #: what the engine's word does to the program's stated calls

    def as_dict(self) -> dict:
        d = self.disagreement
        return {"target": d.target, "type": d.type, "kind": d.kind, "program": self.program, "seed": self.seed,
                "site": f"{d.section}+{d.offset:#x}", "symbol": d.symbol, "engine": hex(d.engine),
                "reference": hex(d.reference), "bits": hex(d.bits), "sites": self.count,
                "reproducer": self.reproducer,
                "behaviour": self.behaviour}


@dataclass
class EngineReport:
    engine: str
    findings: Dict[Tuple[str, str, str], Finding] = field(default_factory=dict)
    unsupported: Dict[str, set] = field(default_factory=dict)      #: target -> types refused
    why: Dict[str, str] = field(default_factory=dict)              #: type -> how the engine refused it
    links: int = 0
    sites: int = 0
    references_disagree: int = 0
    documented: Dict[str, int] = field(default_factory=dict)       #: reason -> sites (rig.engines.known)
    errors: List[str] = field(default_factory=list)
    seconds: float = 0.0
    own_placement: int = 0          #: links where the engine chose the placement (the references linked there)
    #: (target, type) -> [sites, the engine's message]: sites the engine refused to link (not compared)
    refused_sites: Dict[Tuple[str, str], list] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"engine": self.engine, "links": self.links, "sites": self.sites, "seconds": round(self.seconds, 1),
                "references_disagree": self.references_disagree, "documented": self.documented,
                "findings": [f.as_dict() for f in self.findings.values()],
                "unsupported": {t: sorted(v) for t, v in self.unsupported.items()}, "why": self.why,
                "own_placement": self.own_placement,
                "refused_sites": [{"target": t, "type": ty, "sites": n, "message": m}
                                  for (t, ty), (n, m) in sorted(self.refused_sites.items())],
                "errors": self.errors}


def corpus_objects(corpus_dir, target: str, lld: bool = True, programs: bool = False) -> List[tuple]:
    """(name, object bytes) of the corpus's programs for `target` (with `lld`: not those marked
    NOLLD, which ld.lld cannot link); objects with thread-local storage are left out (the
    engine face has no TLS image)."""
    from .. import compile as C
    from ..corpus import discover
    root = Path(corpus_dir)
    t = _targets.get(target)
    out = []
    for p in discover(root, recursive=True):
        if target not in p.targets or p.nolld and lld:
            continue
        if not (p.path.parent == root and p.path.suffix == ".ll" or p.path.suffix == ".c"
                or p.path.parent == root / "asm" and p.path.suffix in (".s", ".S")):
            continue
        try:
            obj = C.compile_source(p.source, t, C.Options(p.relocs[0]), p.name)
        except Exception:        # a program the rig cannot compile here is no engine's business
            continue
        from ..objfile import parse
        if any(s.tls for s in parse(obj, t, p.name).sections):
            continue
        out.append((str(p.path.relative_to(root)), obj) + ((p,) if programs else ()))
    return out


def site_objects(target: str, rng: random.Random, per_recipe: int) -> List[tuple]:
    """(name, object bytes, placement) of the type-directed generator's snippets for
    `target` (`rig.strategies.sweep`'s recipes: every row of the table), each at
    `per_recipe` placements aimed inside its field's range; thread-local ones are left out."""
    from .. import compile as C
    from ..objfile import parse
    from ..strategies import checker
    t = _targets.get(target)
    c = checker(target)
    out = []
    for recipe in c.recipes:
        for _ in range(per_recipe):
            case = c.random_case(recipe, rng, aims=("bit", "edge", "uniform"))
            if case is None:
                continue
            try:
                obj = C.compile_source(case.source, t, C.Options(recipe.reloc), f"{recipe.label}.s")
            except RigError:
                continue
            if any(s.tls for s in parse(obj, t, recipe.label).sections):
                break
            out.append((f"site recipe {recipe.label}", obj, dict(case.placement)))
    return out


def reproducer(out_dir: Path, engine, d: Disagreement, obj: bytes, placement: Dict[str, int],
               externals: Dict[str, int], result) -> Path:
    """Save what shows `d` again: the object, the placement, and for RuntimeDyld the check and command."""
    base = f"{d.target}-{d.type}"
    n = 1
    while (out_dir / f"{base}-{n}").exists():
        n += 1
    where = out_dir / f"{base}-{n}"
    where.mkdir(parents=True)
    (where / "original.o").write_bytes(obj)
    (where / "placement.json").write_text(json.dumps({k: hex(v) for k, v in placement.items()}, indent=1) + "\n")
    (where / "externals.json").write_text(json.dumps({k: hex(v) for k, v in externals.items()}, indent=1) + "\n")
    (where / "finding.txt").write_text(str(d) + "\n")
    if isinstance(engine, RtdyldEngine) and "object" in result.notes:
        n_ = result.notes
        (where / OBJ).write_bytes(n_["object"])
        if d.kind == "stub":
            stub = d.stub_offset if d.stub_offset is not None else 0
            lhs = f"*{{4}}(section_addr({OBJ}, {d.section}) + {stub + 4:#x})"
            rule = f"{lhs} = {d.reference:#x}"
            why = (f"RuntimeDyld's stub for {d.symbol} (ldr pc, [pc, #-4]; .word X) must branch to "
                   f"{d.reference:#x} (the Thumb bit marks Thumb code)")
        else:
            size = d.size
            lhs = f"*{{{size}}}(section_addr({OBJ}, {d.section}) + {d.offset:#x})"
            mask = (1 << (8 * size)) - 1
            # a "state" finding: the instruction itself (BL vs BLX: the top byte) is what differs
            m = d.bits if d.kind == "field" else (0xFF000000 if size == 4 else mask)
            rule = (f"{lhs} = {d.reference:#x}\n# the field's differing bits alone:\n"
                    f"# rtdyld-check: ({lhs}) & {m:#x} = {d.reference & m:#x}")
            why = (f"{d.type} at {d.section}+{d.offset:#x} against {d.symbol}: the rig and ld.lld write "
                   f"{d.reference:#x} there" + (" (RuntimeDyld branches in the wrong instruction set to its "
                                               "stub)" if d.kind == "state" else ""))
        (where / "checks.txt").write_text(f"# {why}\n# rtdyld-check: {rule}\n")
        args = rtdyld_command(n_["triple"], n_["placement"], n_["externals"], tool=engine.tool)
        cmd = " ".join(shlex.quote(a) for a in args)
        refused = n_.get("refused") or []
        note = (f"# obj.o is original.o with relocation types {refused} made R_*_NONE (RuntimeDyld "
                f"aborts on them)\n" if refused else "")
        (where / "run.sh").write_text(f"#!/bin/sh\n# expected: the check fails, showing RuntimeDyld's value\n"
                                      f"{note}cd \"$(dirname \"$0\")\"\n{cmd}\n")
        os.chmod(where / "run.sh", 0o755)
        _shrink(where, d, n_["object"])
    elif isinstance(engine, JitLinkEngine) and "object" in result.notes:
        n_ = result.notes
        (where / OBJ).write_bytes(n_["object"])
        lhs = f"*{{{d.size}}}(section_addr({OBJ}, {d.section}) + {d.offset:#x})"
        if d.kind == "field":
            rule = f"# jitlink-check: {lhs} = {d.reference:#x}\n"
        else:
            # the site's word is the engine's route (to its stub or GOT entry): the check shows it;
            # where that leads is in the graph run.sh prints (-show-graphs)
            word = int.from_bytes(result.sections[d.section][d.offset:d.offset + d.size], "little")
            rule = (f"# the {d.kind} this site reaches holds {d.engine:#x}, the references' {d.reference:#x} "
                    f"(see the graph)\n# jitlink-check: {lhs} = {word ^ 1:#x}\n")
        (where / "checks.txt").write_text(f"# {d}\n{rule}")
        cmd = " ".join(shlex.quote(a) for a in n_["args"])
        dropped = n_.get("refused_sites") or {}
        note = ("# obj.o is original.o with its global absolute symbols made undefined (given with -abs), each "
                "section as big and aligned as the rig's, and the relocations JITLink refuses removed"
                + (f" ({len(dropped)} sites)" if dropped else "") + "\n")
        (where / "run.sh").write_text(f"#!/bin/sh\n# expected: the check fails, showing JITLink's value\n{note}"
                                      f"# placement (JITLink's own, in its slab): "
                                      f"{json.dumps({k: hex(v) for k, v in placement.items()})}\n"
                                      f"cd \"$(dirname \"$0\")\"\n{cmd}\n")
        os.chmod(where / "run.sh", 0o755)
    else:
        (where / OBJ).write_bytes(obj)
        (where / "run.sh").write_text(f"#!/bin/sh\n# engine {getattr(engine, 'name', engine)}\n"
                                      f"{result.command or '# (a Python engine: rig.engines.compare)'}\n")
    return where


def _shows(where: Path, value: int) -> bool:
    """run.sh's first check fails with RuntimeDyld's `value` (the word, or where the stub goes)."""
    import subprocess
    from .rtdyld import parse_failures
    p = subprocess.run(["sh", str(where / "run.sh")], capture_output=True, text=True, timeout=60)
    failed = parse_failures(p.stdout + p.stderr)
    return bool(failed) and next(iter(failed.values())) == value


def _shrink(where: Path, d: Disagreement, linked: bytes) -> None:
    """Make obj.o the smallest object that still shows the difference: every relocation
    of another type made R_*_NONE (kept when the check then no longer fails)."""
    from .rtdyld import neutralize, types_in
    t = _targets.get(d.target)
    number = next((n for n, h in t.relocations.items() if h.name == d.type), None)
    if number is None or not _shows(where, d.engine):
        return
    small = neutralize(linked, types_in(linked) - {number})
    (where / OBJ).write_bytes(small)
    if _shows(where, d.engine):
        (where / "run.sh").write_text((where / "run.sh").read_text().replace(
            "# expected:", f"# obj.o keeps only its {d.type} relocations (the others made R_*_NONE)\n# expected:", 1))
    else:
        (where / OBJ).write_bytes(linked)


def run(engine_spec: str, target_names: Sequence[str] = TARGETS, corpus_dir="corpus", placements: int = 3,
        seed: int = 0, references: Sequence[str] = ("rig", "lld"), out_dir: Optional[str] = ".rig-engines",
        tick: Callable[[str], None] = lambda t: None, minutes: Optional[float] = None,
        emulate: bool = True, sites: bool = True) -> EngineReport:
    """Link every corpus object of every target at `placements` drawn placements with the
    engine and the references, and (`sites`) every site recipe of the type-directed
    generator at as many placements aimed across its field, so every row of every table
    is linked; one finding per (target, type, kind)."""
    engine = load_engine(engine_spec)
    report = EngineReport(getattr(engine, "name", engine_spec))
    start = time.time()
    out = Path(out_dir) if out_dir else None
    for target in target_names:
        rng = random.Random(f"engines {seed} {target}")
        work = [(name, obj, program, None) for name, obj, program in
                corpus_objects(corpus_dir, target, "lld" in references or report.engine == "lld", programs=True)]
        if sites:
            work += [(name, obj, None, placement) for name, obj, placement in site_objects(target, rng, placements)]
        for name, obj, program, fixed in work:
            for _ in range(placements if fixed is None else 1):
                if minutes is not None and time.time() - start > 60 * minutes:
                    break
                s = rng.getrandbits(32)
                try:
                    if fixed is None:
                        placement, externals = draw_placement(obj, target, s)
                    else:
                        placement, externals = fixed, {}
                    cmp = compare_full(obj, target, placement, externals, engine, references)
                except RigError as e:
                    lines = str(e).splitlines() or [""]
                    # a tool's own "error:" line says more than the wrapper's first line
                    line = next((x.strip() for x in lines if "error:" in x), lines[0])
                    report.errors.append(f"{target} {name} seed {s}: {line[:240]}")
                    continue
                except Exception as e:          # noqa: BLE001 - an engine's failure is reported, not fatal
                    report.errors.append(f"{target} {name} seed {s}: {type(e).__name__}: {str(e)[:200]}")
                    continue
                report.links += 1
                report.sites += cmp.compared
                report.references_disagree += cmp.references_disagree
                for why, n in cmp.documented.items():
                    report.documented[why] = report.documented.get(why, 0) + n
                report.unsupported.setdefault(target, set()).update(cmp.unsupported)
                report.why.update(cmp.why)
                if cmp.placement is not None:
                    # the engine placed the sections itself: the references were linked there,
                    # and the reproducer and the emulator use that placement
                    report.own_placement += 1
                    placement = cmp.placement
                for (_, _), (ty, msg) in cmp.refused_sites.items():
                    entry = report.refused_sites.setdefault((target, ty), [0, msg])
                    entry[0] += 1
                for d in cmp.disagreements:
                    key = (d.target, d.type, d.kind)
                    f = report.findings.get(key)
                    if f is not None:
                        f.count += 1
                        if emulate and f.count <= 4 and (f.behaviour or "").startswith("(not shown"):
                            # the first placement could not be loaded for the emulator: try this one
                            from .behaviour import demonstrate
                            shown = demonstrate(program, target, obj, placement, d)
                            if shown and not shown.startswith("(not shown"):
                                f.behaviour = shown
                                if f.reproducer:
                                    (Path(f.reproducer) / "behaviour.txt").write_text(
                                        f"{shown}\n(at {name} seed {s}, another placement than the reproducer's)\n")
                        continue
                    f = report.findings[key] = Finding(d, name, s)
                    if out is not None:
                        res = engine.link(obj, target, placement, externals)
                        f.reproducer = str(reproducer(out, engine, d, obj, placement, externals, res))
                    if emulate:
                        from .behaviour import demonstrate
                        f.behaviour = demonstrate(program, target, obj, placement, d)
                        if f.behaviour and f.reproducer:
                            (Path(f.reproducer) / "behaviour.txt").write_text(f.behaviour + "\n")
                tick(target)
    report.seconds = time.time() - start
    return report
