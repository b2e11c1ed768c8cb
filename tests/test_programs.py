"""Every whole program in corpus/programs gives its stated exit status and
output, in order, on all four targets at 20 random placements (static and
PIC), through the runner and through `rig run`."""
from __future__ import annotations

import json
import zlib
from pathlib import Path

import pytest

from rig import corpus, runner
from rig.cli import main

PROGRAMS_DIR = Path(__file__).resolve().parent.parent / "corpus" / "programs"
#: the team's equivalents of LLVM's llvm/test/ExecutionEngine/MCJIT/remote tests
REMOTE_DIR = PROGRAMS_DIR.parent / "remote"
PROGRAMS = corpus.discover(PROGRAMS_DIR, whole=True)
REMOTE = corpus.discover(REMOTE_DIR, whole=True)
PLACEMENTS = 20


def _id(p) -> str:
    return p.name if p.path.parent == PROGRAMS_DIR else f"{p.path.parent.name}/{p.name}"


CASES = [pytest.param(p, t, id=f"{_id(p)}-{t}") for p in PROGRAMS + REMOTE for t in p.targets]


def test_program_corpus_covers_the_issue():
    assert len(PROGRAMS) >= 15
    text = {p.name: p.source.decode() for p in PROGRAMS}
    joined = "\n".join(text.values())
    for needle in ("llvm.global_ctors", "llvm.global_dtors", "atexit", "__cxa_atexit", "common global",
                   "extern_weak", "comdat", "@exit(", "@abort(", "_exit", "@stderr", "target triple"):
        assert needle in joined, needle
    assert any(p.run.extra for p in PROGRAMS)                  # several modules
    assert any(p.run.args for p in PROGRAMS) and any(p.run.env for p in PROGRAMS)
    assert {p.run.status for p in PROGRAMS} >= {0, 134}


#: llvm/test/ExecutionEngine/MCJIT/remote/*.ll (eh.ll's equivalent is corpus/eh/eh_remote.ll)
LLVM_REMOTE_TESTS = ("cross-module-a", "multi-module-a", "simpletest-remote", "stubs-remote", "stubs-sm-pic",
                     "test-common-symbols-remote", "test-data-align-remote", "test-fp-no-external-funcs-remote",
                     "test-global-init-nonzero-remote", "test-global-init-nonzero-sm-pic", "test-ptr-reloc-remote",
                     "test-ptr-reloc-sm-pic")


def test_remote_corpus_stands_for_llvm_remote_tests():
    """Each of LLVM's MCJIT remote tests is named by a corpus/remote program; the
    -sm-pic ones by a program that also runs PIC (small code model: the default)."""
    for test in LLVM_REMOTE_TESTS:
        named = [p for p in REMOTE if test in p.description]
        assert named, f"no corpus/remote program stands for {test}"
        if test.endswith("-sm-pic"):
            assert all("pic" in p.relocs and p.code_model in (None, "small") for p in named), test
    assert not {p.name for p in REMOTE} & {p.name for p in PROGRAMS}      # ids and LLI_DEVIATIONS by name


@pytest.mark.parametrize("program, target", CASES)
def test_program_on_target(program, target):
    run = program.run
    sources = [program.path, *run.extra]
    trials = []
    for reloc in program.relocs:
        trials += runner.run_program(sources, target, args=run.args, env=run.env, placements=PLACEMENTS,
                                     seed=zlib.crc32(program.name.encode()), reloc=reloc, expected=run,
                                     program_name=program.name)
    bad = [(t.reloc, t.index, t.error, t.result and t.result.summary(), t.result and t.result.output,
            t.result and t.result.error) for t in trials if not t.ok]
    assert not bad, (run.status, run.output, bad[:2])
    assert not runner.program_disagreements(trials)
    for reloc in program.relocs:        # the placements really were different
        layouts = {json.dumps(t.layouts, sort_keys=True) for t in trials if t.reloc == reloc}
        assert len(layouts) == PLACEMENTS


@pytest.mark.parametrize("program", PROGRAMS + REMOTE, ids=_id)
def test_rig_run_exits_with_the_program_status(program, capsys):
    status = main(["run", str(program.path), "--target", "all", "--placements", str(PLACEMENTS),
                   "--reloc", "static", "--json"])
    report = json.loads(capsys.readouterr().out)
    assert report["ok"], report["disagreements"] or [t for t in report["trials"] if not t["ok"]][:1]
    assert status == program.run.status == report["status"]
    assert len(report["trials"]) == PLACEMENTS * len(program.targets)
