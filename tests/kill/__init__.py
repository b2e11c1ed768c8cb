"""The kill matrix: relocation bugs injected into copies of the tables
(`rig.mutants.Bug`), one list per architecture (`bugs_<arch>.py`), which the
default `rig fuzz` campaign must catch on every seed (tests/test_kill_matrix.py)."""
from __future__ import annotations

import importlib
import pkgutil
from typing import List

from rig.mutants import Bug


def all_bugs() -> List[Bug]:
    """Every bug of every `bugs_*` module here, in module order."""
    out: List[Bug] = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        if info.name.startswith("bugs_"):
            out.extend(importlib.import_module(f"{__name__}.{info.name}").BUGS)
    return out
