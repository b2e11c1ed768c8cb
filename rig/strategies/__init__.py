"""Hypothesis strategies for rig: placements that stress relocation logic, and
random well-defined programs.  This module is the public surface; the
`_`-prefixed modules behind it are not."""
from ._placements import BASES, GAPS, placements
from ._programs import Program, build_program, programs, programs_for_arm_mix

__all__ = ["placements", "programs", "programs_for_arm_mix", "build_program", "Program", "BASES", "GAPS"]
