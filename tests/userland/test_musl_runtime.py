"""The musl runtime: real C programs on musl's libc (from the ziglang package),
linked member by member at random placements, entered through musl's
__libc_start_main, talking to the rig's Linux system-call layer."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

import rig
from rig import corpus
from rig.cli import main
from tests.matrix import rotated

ROOT = Path(__file__).resolve().parent.parent.parent / "corpus"
TARGETS = ("x86_64", "arm", "thumb", "aarch64")
HELLO = r"""
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
static int cmp(const void *a, const void *b) { return *(const int *)a - *(const int *)b; }
int main(int argc, char **argv) {
    int v[5] = {5, 3, 9, 1, 7};
    qsort(v, 5, sizeof v[0], cmp);
    char buf[64];
    snprintf(buf, sizeof buf, "%s|%d|%.4f|%a", argv[argc - 1], v[0] * 10 + v[4], sqrt(2.0), 0.5);
    puts(buf);
    fprintf(stderr, "HOME=%s\n", getenv("HOME") ? getenv("HOME") : "(none)");
    return (int)strlen(buf);
}
"""
WANT = "last|19|1.4142|0x1p-1\n"


@pytest.fixture(scope="module")
def hello(tmp_path_factory):
    path = tmp_path_factory.mktemp("musl") / "hello.c"
    path.write_text(HELLO)
    return path


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("reloc", ["static", "pic"])
def test_a_c_program_runs_on_musl_at_random_placements(hello, target, reloc):
    results, windows = [], set()
    for seed in range(3):
        jit = rig.Jit(target, seed=seed, reloc=reloc, runtime="musl")
        mods = jit.load_all([hello])
        assert any(m.name.startswith("libc.a(") for m in mods)          # musl's own printf, qsort, ...
        assert not jit.host                                              # no Python stand-ins
        r = jit.run(["first", "last"], {"HOME": "/home/rig"})
        results.append((r.status, r.output, r.ended))
        windows.add(jit.window)
        jit.close()
    assert results[0] == (len(WANT) - 1, ((1, WANT.encode()), (2, b"HOME=/home/rig\n")), "exit"), results[0]
    assert len(set(results)) == 1
    assert len(windows) == 3 or target in ("arm", "thumb")      # 32-bit: the window is the whole space


def test_a_call_into_musl_code_from_the_api(hello):
    """Without main: a module's functions call musl's directly."""
    jit = rig.Jit("aarch64", seed=4, runtime="musl")
    src = hello.parent / "lib.c"
    src.write_text("#include <string.h>\n#include <stdlib.h>\n"
                   "long parse(const char *s) { return strtol(s, 0, 0) + (long)strlen(s); }\n")
    mod = jit.load(src)
    p = jit.alloc(16)
    jit.write(p, b"0x40\0")
    assert mod.call("parse", p, signature="i64(ptr)") == 0x40 + 4


def test_rig_run_runtime_musl(hello, capsys):
    assert main(["run", str(hello), "--runtime", "musl", "--target", "all", "--placements", "1",
                 "--env", "HOME=/h", "--", "x", "last"]) == len(WANT) - 1
    captured = capsys.readouterr()
    assert captured.out == WANT
    assert "all 8 runs agree" in captured.err


WHOLE = [p for p in corpus.discover(ROOT / "programs", whole=True)]


@pytest.mark.parametrize("program", WHOLE, ids=lambda p: p.name)
def test_the_mcjit_style_programs_pass_with_musl(program, capsys):
    """corpus/programs (written for the host runtime) give their stated status
    and output on musl too."""
    # static here; PIC is the standard-C corpus's (below)
    argv = ["run", str(program.path), "--runtime", "musl", "--target", "all", "--placements", "1",
            "--reloc", "static", "-q"]
    assert main(argv) == program.run.status, capsys.readouterr().err[-3000:]


LIBC = corpus.discover(ROOT / "libc", whole=True, runtime="musl")
#: Placements of each program per target and relocation model: 3 in CI (1 for the
#: programs that run for seconds in the emulator: tens of thousands of conversions,
#: thousands of mallocs), to keep CI within its time; RIG_MUSL_PLACEMENTS=20 gives
#: every program 20 (about 12 minutes on 2 cores; every program passes there too).
PLACEMENTS = int(os.environ.get("RIG_MUSL_PLACEMENTS", "0")) or None
HEAVY = {"strtod_roundtrip.c", "hash_map.c", "realloc_growth.c", "div64.c", "binary_tree.c"}


def placements_for(program) -> int:
    return PLACEMENTS or (1 if program.name in HEAVY else 3)


def test_the_standard_c_corpus_is_there():
    assert len(LIBC) >= 20


def _mounts(program):
    return {"/" + m: str((program.path.parent / m).resolve()) for m in program.run.mounts}


#: each program on one target in turn (every target still runs); RIG_FULL=1: all (tests/matrix.py)
LIBC_CASES = rotated(LIBC, TARGETS)


@pytest.mark.parametrize("program,target", LIBC_CASES, ids=[f"{p.name}-{t}" for p, t in LIBC_CASES])
def test_the_standard_c_corpus_runs_on_musl(program, target):
    """Each program's stated status and output (the same sources built by zig as
    static executables give them under qemu-user: tests/test_libc_corpus_native.py),
    static and PIC, at `placements_for` placements of the program; libc stays loaded
    (placed at random once per Jit), as a campaign keeps the runtime."""
    run = program.run
    for reloc in ("static", "pic"):
        # the instruction budget bounds a run; the wall clock only guards against a
        # hang (a loaded CI machine runs the heaviest programs for more than 10 s)
        jit = rig.Jit(target, seed=hash((program.name, reloc)) & 0xFFFF, reloc=reloc, runtime="musl",
                      stdin=run.stdin, mounts=_mounts(program), timeout=120)
        layouts = set()
        try:
            for k in range(placements_for(program)):
                mods = jit.load_all([program.path, *run.extra])
                own = [m for m in mods if ".a(" not in m.name]
                layouts.add(tuple(sorted(own[0].layout.mapping().items())))
                result = jit.run(run.args, run.env, program_name=program.name)
                assert (result.status, result.output) == (run.status, run.output), \
                    (reloc, k, result.ended, result.error, own[0].layout.mapping())
                for m in reversed(own):
                    jit.unload(m)
        finally:
            jit.close()
        assert len(layouts) == placements_for(program)    # a new placement every time


def test_libc_members_are_compact_unless_asked_to_spread(hello):
    """compiler-rt's and zig's libc members hold a thousand sections each; placed
    compactly (the default) a hello world maps tens of page runs, not a thousand,
    and runs the same; runtime_placement="random" spreads them too."""
    regions, outputs = {}, set()
    for how in ("compact", "random"):
        jit = rig.Jit("arm", seed=7, runtime="musl", runtime_placement=how)
        mods = jit.load_all([hello])
        outputs.add(jit.run(["a", "last"]).stdout)
        regions[how] = sum(1 for _ in jit.process.uc.mem_regions())
        assert jit.window[1] - jit.window[0] <= jit.target.code_models["small"]
        jit.close()
    assert outputs == {WANT.encode()}
    assert regions["compact"] * 5 < regions["random"], regions
    with pytest.raises(rig.PlacementError, match="runtime placement 'tight'"):
        rig.Jit("arm", runtime="musl", runtime_placement="tight")
