"""`rig explain`: what the linker did at every site, for a person.

One face: `explain(jit, modules)` gives an `Explanation` (the memory map, and per relocation
site the formula with this placement's numbers, the field's bits, the instruction before
and after, the route through a stub or a GOT slot); `rig.explain.terminal` prints one with
rich, `rig.explain.html` writes it as one self-contained page.
"""
from .model import Explanation, FieldBits, Region, Route, Site, explain

__all__ = ["Explanation", "FieldBits", "Region", "Route", "Site", "explain"]
