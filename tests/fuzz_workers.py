"""Set-up functions for `rig fuzz --jobs` workers in tests (`fuzz.parallel_campaign(setup=...)`):
importable by name in a spawned worker, so they live outside the test modules."""
from __future__ import annotations

import os
from pathlib import Path

_kept = []          # the entered swap_row blocks: kept so they never exit (the worker ends instead)


def note_pid(directory: str, k: int) -> None:
    """Worker k writes its pid to DIRECTORY/worker-k."""
    Path(directory, f"worker-{k}").write_text(str(os.getpid()))


def break_aarch64_adrp(k: int) -> None:
    """Every worker runs with AArch64's ADRP row broken (the bug of test_a_failure_is_saved_and_replayed_first)."""
    from rig.mutants import swap_row
    block = swap_row("aarch64", "R_AARCH64_ADR_PREL_PG_HI21", prepare=lambda v: v + 0x1000)
    block.__enter__()
    _kept.append(block)


def die_in_worker_1(k: int) -> None:
    """Worker 1 ends at once with status 3, as a worker killed by a crash would."""
    if k == 1:
        os._exit(3)
