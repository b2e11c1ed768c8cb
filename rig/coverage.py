"""Which relocation types a set of programs makes each target apply.

`rig relocs` reports it next to the tables, and the tests hold the corpus to
exercising every row.  A program counts for a target when its header lists
the target; IR and C are built with each relocation model they state.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Dict, Iterable

import targets as _targets

from . import compile as _compile
from .corpus import Program, discover
from .objfile import parse


def types_in(program: Program, target: str) -> Counter:
    """Relocation type names in `program`'s object(s) for `target`, with counts."""
    t = _targets.get(target)
    counts: Counter = Counter()
    relocs = program.relocs if not program.name.endswith((".s", ".S")) else program.relocs[:1]
    for reloc in relocs:
        data = _compile.compile_source(program.source, t, _compile.Options(reloc), program.name)
        for r in parse(data, t, program.name).relocations:
            counts[r.howto.name] += 1
    return counts


def corpus_coverage(directory, target_names: Iterable[str] = _targets.NAMES) -> Dict[str, Counter]:
    """target -> Counter of relocation types over every program under `directory`."""
    programs = discover(Path(directory), recursive=True)
    out = {}
    for name in target_names:
        total: Counter = Counter()
        for p in programs:
            if name in p.targets:
                total.update(types_in(p, name))
        out[name] = total
    return out
