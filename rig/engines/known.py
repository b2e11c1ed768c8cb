"""Documented differences between an engine and the rig: sites where a well-kept
linker deliberately departs from the psABI the rig follows.  `rig fuzz --engine`
counts them apart (with the reason), never as findings; anything else that differs
is a finding.  Each entry was found by the type-directed generator's snippets
(`rig.strategies.relocation_sites`) and checked against the psABI text."""
from __future__ import annotations

from typing import Optional

#: (engine, relocation type or "*") -> (condition on the trace record, reason)
KNOWN = {
    ("lld", "*"): (
        lambda target, rec: target.interworking and rec.T and rec.A % 2 == 1,
        "an odd addend to a Thumb function: ld.lld adds A to the symbol's value with its Thumb bit, "
        "(S | T) + A; AAELF32 (and the rig) say (S + A) | T"),
    ("lld", "R_AARCH64_MOVW_PREL_G3"): (
        lambda target, rec: rec.value < 0,
        "MOVW_PREL_G3 of a negative value: ld.lld writes a MOVZ; aaelf64 (and the rig, and Linux's "
        "module loader) a MOVN of the inverted bits"),
}


def documented(engine: str, target, rec) -> Optional[str]:
    """The reason a difference of `engine` from the rig at `rec` (a `rig.link.TraceRecord`)
    is a documented one, or None (a finding)."""
    for key in ((engine, rec.type), (engine, "*")):
        hit = KNOWN.get(key)
        if hit is not None and hit[0](target, rec):
            return hit[1]
    return None
