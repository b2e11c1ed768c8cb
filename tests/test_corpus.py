"""Every corpus program gives its stated results on every target at 20 random
placements, static and PIC, and all placements agree."""
from __future__ import annotations

import zlib
from pathlib import Path

import pytest

from rig import corpus, runner

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
PROGRAMS = corpus.discover(CORPUS, recursive=True)        # IR, C and assembly
PLACEMENTS = 20
CASES = [pytest.param(p, t, id=f"{p.path.relative_to(CORPUS)}-{t}") for p in PROGRAMS for t in p.targets]


def test_corpus_is_big_enough():
    assert len([p for p in PROGRAMS if p.path.suffix == ".ll"]) >= 20
    assert all(p.calls for p in PROGRAMS), [p.name for p in PROGRAMS if not p.calls]


@pytest.mark.parametrize("program, target", CASES)
def test_program_on_target(program, target):
    trials = []
    for reloc in program.relocs:
        trials += runner.run_trials(program, target, placements=PLACEMENTS, seed=zlib.crc32(program.name.encode()),
                                    reloc=reloc)
    failures = [t for t in trials if not t.ok]
    detail = [(t.reloc, t.index, t.error, [(str(o.call), o.shown(), o.stdout) for o in t.outcomes if not o.ok],
               {k: hex(v) for k, v in t.layout.items()}) for t in failures[:3]]
    assert not failures, detail
    assert not runner.disagreements(trials)
    # the random placements really differ
    for reloc in program.relocs:
        layouts = {tuple(sorted(t.layout.items())) for t in trials if t.reloc == reloc}
        assert len(layouts) == PLACEMENTS
