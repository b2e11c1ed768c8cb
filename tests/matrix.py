"""How much of a program x target matrix the suite runs.

The full matrices (every program of the C and C++ corpora on every target, the C++
corpus's native oracle built for every target) take the suite past CI's 15 minutes
on two cores, most of it zig building libc++ for each target from a cold cache.  So
by default a matrix runs each program on ONE target, rotating through the targets
in program order (every program and every target still run), and the native C++
oracle builds for the host's own target only; ``RIG_FULL=1`` runs everything.
"""
from __future__ import annotations

import os
from typing import Callable, List, Sequence, Tuple, TypeVar

P = TypeVar("P")

#: the whole matrix (``RIG_FULL=1``), or the rotation
FULL = os.environ.get("RIG_FULL", "") not in ("", "0")


def rotated(programs: Sequence[P], targets: Sequence[str],
            allowed: Callable[[P, str], bool] = lambda p, t: True) -> List[Tuple[P, str]]:
    """(program, target) cases: all of them with `FULL`, else each program once, on
    the next target (in turn) that `allowed` lets it run on."""
    cases = [(p, t) for p in programs for t in targets if allowed(p, t)]
    if FULL:
        return cases
    out, turn = [], 0
    for p in programs:
        mine = [t for t in targets if allowed(p, t)]
        if mine:
            out.append((p, mine[turn % len(mine)]))
            turn += 1
    return out

#: the targets the native oracles build for by default: the CPU's own, and AArch64 under
#: qemu-user (ARM and Thumb with RIG_FULL=1: each target first makes zig build its
#: compiler-rt, musl and libc++ from a cold cache, about a minute each)
NATIVE_TARGETS = ("x86_64", "aarch64")
