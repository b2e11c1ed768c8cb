"""The question the rig exists to ask, as a reusable check: does a module give
the same results at a drawn placement as at a packed reference placement?

`check_placement(jit, source, calls, placement)` loads `source` at the given
explicit placement, runs `calls`, compares with the same calls at a packed
placement on a separate `Jit`, and raises `PlacementMismatch` naming the
program, the target, both placements, both results and, when ld.lld is
available, the relocation sites where the rig's bytes differ from lld's.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple

from . import compile as _compile
from .errors import BudgetExceeded, EmulationFault, PlacementError, ProgramExit, RigError
from .jit import Jit, read_source

Call = Tuple[str, tuple]          #: (function, arguments)


class PlacementMismatch(AssertionError):
    """Relocated code behaved differently at two placements."""


@dataclass
class Outcome:
    """What the calls gave: values and stdout, or the error's kind and text."""

    values: List[object]
    stdout: bytes
    error: Optional[str] = None
    relocations: Optional[Dict[str, int]] = None   #: type -> sites applied (at this placement)
    stubs: int = 0

    def same_as(self, other: "Outcome") -> bool:
        """Equal results (NaN equals NaN: the same bits went through both placements).
        A fault never agrees: wild code that crashes at both placements is still wrong."""
        if (self.error is None) != (other.error is None) or self.stdout != other.stdout:
            return False
        if self.error is not None:
            kind = self.error.split(":")[0]
            return kind == other.error.split(":")[0] and kind != "EmulationFault"
        return all(a == b or (a != a and b != b) for a, b in zip(self.values, other.values))


def run_calls(mod, calls: Sequence[Call], signatures: Dict[str, str]) -> Outcome:
    """Run the calls in order on a loaded module."""
    values, out = [], b""
    try:
        for name, args in calls:
            r = mod.invoke(name, *args, signature=signatures.get(name))
            values.append(r.value)
            out += r.stdout
    except (EmulationFault, BudgetExceeded, ProgramExit) as e:
        return Outcome(values, out + getattr(e, "stdout", b""), f"{type(e).__name__}: {e}")
    return Outcome(values, out)


_references: Dict[tuple, Tuple[Outcome, Dict[str, int]]] = {}


def reference(target: str, source: bytes, name: str, calls, signatures, reloc: str, code_model: str):
    """The outcome and layout at a packed placement (cached per program)."""
    import targets
    key = (target, id(targets.get(target).relocations), source, name, tuple(calls),
           tuple(sorted(signatures.items())), reloc, code_model)
    hit = _references.get(key)
    if hit is None:
        with Jit(target, placement="packed", reloc=reloc, code_model=code_model) as ref:
            mod = ref.load(source, name=name)
            hit = _references[key] = (run_calls(mod, calls, signatures), mod.layout.mapping())
    return hit


def check_placement(jit: Jit, source, calls: Sequence[Call], placement: Dict[str, int], *,
                    name: Optional[str] = None, signatures: Optional[Dict[str, str]] = None,
                    expected: Optional[Sequence[object]] = None) -> Outcome:
    """Run `calls` with `source` at `placement` on `jit` and compare with a packed
    reference (and with `expected` values, when given); `PlacementMismatch` with
    a full report when they differ."""
    data, default_name = read_source(source)
    name = name or default_name
    signatures = signatures or {}
    opts = jit.options
    ref, ref_layout = reference(jit.target.name, data, name, calls, signatures, opts.reloc, opts.code_model)
    try:
        mod = jit.load(data, name=name, placement=placement)
    except PlacementError:
        raise
    except RigError as e:
        raise PlacementMismatch(_report(jit, name, placement, ref_layout, ref, None, f"load failed: {e}")) from None
    try:
        got = run_calls(mod, calls, signatures)
        if expected is not None and (got.error or list(got.values) != list(expected)):
            ref_ok = not ref.error and list(ref.values) == list(expected)
            raise PlacementMismatch(_report(
                jit, name, placement, ref_layout, ref, got,
                f"expected {list(expected)!r}" + ("" if ref_ok else " (the packed reference is wrong too)")
                + "\n  " + _lld_sites(jit, mod, data, name),
                headline="does not give the stated results" if ref_ok or ref.same_as(got) else None))
        if not got.same_as(ref):
            raise PlacementMismatch(_report(jit, name, placement, ref_layout, ref, got, _lld_sites(jit, mod, data, name)))
        counts: Dict[str, int] = {}
        for r in mod.trace:
            counts[r.type] = counts.get(r.type, 0) + 1
        got.relocations, got.stubs = counts, len(mod.image.stubs)
        return got
    finally:
        jit.unload(mod)


def _lld_sites(jit: Jit, mod, data: bytes, name: str) -> str:
    """The sites where the rig and ld.lld disagree at this placement, if lld is there."""
    from . import lld, toolchain
    if not toolchain.available():
        return "(ld.lld not installed: no site-by-site comparison)"
    try:
        obj = _compile.compile_source(data, jit.target, jit.options, name)
        cmp = lld.compare(obj, mod.object, mod.layout, mod.image, jit.target, jit.resolve)
    except RigError as e:
        return f"(ld.lld could not link it: {e})"
    if not cmp.differences:
        return f"ld.lld writes the same bytes at all {cmp.compared} comparable sites"
    return "sites where the rig and ld.lld differ:\n    " + "\n    ".join(str(d) for d in cmp.differences)


def _report(jit: Jit, name: str, placement, ref_layout, ref: Outcome, got: Optional[Outcome], detail: str,
            headline: Optional[str] = None) -> str:
    def lay(m):
        return ", ".join(f"{k}={v:#x}" for k, v in sorted(m.items(), key=lambda kv: kv[1]))

    def res(o):
        return "-" if o is None else (f"error {o.error}" if o.error else f"{o.values!r} stdout {o.stdout!r}")

    return (f"{name} on {jit.target.name} ({jit.options.reloc}, {jit.options.code_model}) "
            f"{headline or 'behaves differently at two placements'}\n  reference (packed): {lay(ref_layout)}\n    -> {res(ref)}\n"
            f"  drawn placement:    {lay(placement)}\n    -> {res(got)}\n  {detail}")


def check_program(jit: Jit, program, placements: Sequence[Dict[str, int]]):
    """Run a whole corpus program (`corpus.Program` with a `run`) with its
    modules at the given explicit placements (one per module, in load order),
    and raise `PlacementMismatch` unless it gives the status and ordered output
    its header states.  `PlacementError` when the placements cannot be used
    together (they overlap); the modules are unloaded afterwards either way."""
    run = program.run
    sources = [program.path, *run.extra]
    if len(placements) != len(sources):
        raise ValueError(f"{program.name} has {len(sources)} modules, {len(placements)} placements given")
    loaded = []
    try:
        for src, placement in zip(sources, placements):
            loaded.append(jit.load(src, name=src.name, placement=placement, defer_undefined=True))
        layouts = {m.name: m.layout.mapping() for m in loaded}
        try:
            jit.check_resolved()
            result = jit.run(run.args, run.env, program_name=program.name, stdin=run.stdin)
        except RigError as e:
            raise PlacementMismatch(f"{program.name} on {jit.target.name} failed at {_show(layouts)}: {e}") from None
        if (result.status, result.output) != (run.status, run.output):
            raise PlacementMismatch(
                f"{program.name} on {jit.target.name} at {_show(layouts)}: {result.summary()}, output "
                f"{list(result.output)!r}; its header states status {run.status}, output {list(run.output)!r}"
                + (f"; {result.error}" if result.error else ""))
        relocations: Dict[str, int] = {}
        for m in loaded:
            for r in m.trace:
                relocations[r.type] = relocations.get(r.type, 0) + 1
        return result, relocations, sum(len(m.image.stubs) for m in loaded)
    finally:
        for m in reversed(loaded):
            jit.unload(m)
        jit.process.heap.reset()


def _show(layouts: Dict[str, Dict[str, int]]) -> str:
    return "; ".join(f"{m}: " + " ".join(f"{k}={v:#x}" for k, v in lay.items()) for m, lay in layouts.items())
