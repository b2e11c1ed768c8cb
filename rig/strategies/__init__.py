"""Hypothesis strategies for rig: placements that stress relocation logic, and
random well-defined programs, and the type-directed generator (every row of
every relocation table, observed by running code).  This module is the public surface; the
`_`-prefixed modules behind it are not."""
from ._placements import BASES, GAPS, placements
from ._programs import Program, build_program, programs, programs_for_arm_mix
from ._sites import SiteCase, SiteChecker, SiteMismatch, SweepReport, checker, relocation_sites, sweep

__all__ = ["placements", "programs", "programs_for_arm_mix", "build_program", "Program", "BASES", "GAPS",
           "relocation_sites", "checker", "sweep", "SiteCase", "SiteChecker", "SiteMismatch", "SweepReport"]
