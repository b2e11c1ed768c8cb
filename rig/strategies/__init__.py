"""Hypothesis strategies for rig: placements that stress relocation logic, and
random well-defined programs.  This module is the public surface; the
`_`-prefixed modules behind it are not."""
from ._placements import BASES, GAPS, placements

__all__ = ["placements", "BASES", "GAPS"]
