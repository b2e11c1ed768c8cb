"""Hostile inputs for every target, and a campaign that runs them.

    import rig.malformed
    report = rig.malformed.campaign(["x86_64", "aarch64"], count=2000, seed=1)
    report.ok, report.targets[0].rig_errors

    from hypothesis import given
    @given(rig.malformed.inputs("arm"))
    def test_only_rig_errors(inp):
        assert rig.malformed.check(inp).ok

The inputs (`inputs(target)`, a Hypothesis strategy; `generate(target,
choice)` for any source of decisions) are the corpus's programs made
hostile: ELF objects with every header, section, symbol, relocation and
string-table field lied about, truncated or padded, with huge sizes and
non-power-of-two alignments; IR text with tokens swapped, numbers made
huge and odd attributes, foreign intrinsics, inline assembly and non-UTF-8
names; bitcode with bytes flipped; and random bytes behind each format's
magic.  The rule they test: loading or running one raises nothing but a
`rig.RigError`, and the `Jit` runs a good module afterwards.

`check(input)` tries one in this process; `Sandbox` in a child process
behind a watchdog (an input that reaches LLVM can abort the process);
`campaign(...)` runs many through sandboxes and returns a `Report`
(`rig fuzz --malformed` prints it).
"""
from __future__ import annotations

from ._choice import Choice, DrawChoice, RandomChoice
from .campaign import DEFAULT_SAVE, Finding, Report, TargetReport, campaign, input_for
from .check import GOOD_IR, Checker, Outcome, check
from .generate import KINDS, Input, Seeds, generate, inputs, seeds
from .sandbox import Sandbox

__all__ = ["Choice", "DrawChoice", "RandomChoice", "DEFAULT_SAVE", "Finding", "Report", "TargetReport",
           "campaign", "input_for", "GOOD_IR", "Checker", "Outcome", "check", "KINDS", "Input", "Seeds",
           "generate", "inputs", "seeds", "Sandbox"]
