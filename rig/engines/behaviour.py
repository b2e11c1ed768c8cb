"""Run an engine's word in the emulator: what a disagreement does to the program.

The corpus program is loaded by the rig at the finding's placement (its externals are
the rig's host functions: only sites against the object's own symbols are shown), its
stated calls run, then the engine's word is written at the site and the calls run again.
Only "field" findings are shown: a stub or a state finding needs the engine's own stub,
which is not in the rig's memory.
"""
from __future__ import annotations

from typing import Dict, Optional

from ..objfile import parse


def demonstrate(program, target: str, obj: bytes, placement: Dict[str, int], d) -> Optional[str]:
    """"name(args): rig -> X, engine's word -> Y" for the calls whose outcome changes, or
    None when it cannot be shown (no stated calls, an external, a stub finding)."""
    import targets as _targets
    from ..jit import Jit
    from ..properties import run_calls
    if d.kind != "field" or not getattr(program, "calls", None):
        return None
    o = parse(obj, _targets.get(target), "obj.o")
    if any(s.name == d.symbol and s.kind == "undefined" for s in o.symbols):
        return None
    calls = [(c.name, c.args) for c in program.calls]
    sigs = dict(program.signatures)
    try:
        with Jit(target, seed=0, reloc=program.relocs[0]) as jit:
            mod = jit.load(program.source, name=program.name, placement=dict(placement))
            before = run_calls(mod, calls, sigs)
            address = mod.layout.mapping()[d.section] + d.offset
            jit.write(address, d.engine.to_bytes(d.size, "little"))
            after = run_calls(mod, calls, sigs)
    except Exception as e:           # noqa: BLE001 - a demonstration is best effort
        return f"(not shown: {type(e).__name__}: {str(e).splitlines()[0][:120]})"
    lines = []
    for i, (name, args) in enumerate(calls):
        a = before.values[i] if i < len(before.values) else str(before.error).splitlines()[0]
        b = after.values[i] if i < len(after.values) else str(after.error).splitlines()[0]
        if a != b:
            lines.append(f"{name}{tuple(args)}: rig -> {a}, with the engine's word -> {b}")
            if i >= len(after.values):
                break
    return "; ".join(lines) or "no stated call changes"
