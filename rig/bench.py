"""`rig bench`: what a trial costs, next to what the emulator itself costs.

A benchmark, not a test: it reports numbers and never fails on them.  Per
target: trials per second for a small corpus program and for a generated
object with over 1,000 relocations, relocations applied per second, the floor
(the same maps, writes and call of already-relocated bytes with no rig logic)
and the rig's cost as a multiple of it, the cold cost (compile + parse + first
trial) against a cached load, and peak memory growth over many trials.
`--scaling` prints the cost per trial against the number of relocations and
of sections in generated objects.
"""
from __future__ import annotations

import ctypes
import gc
import mmap
import random
import resource
import statistics
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, List, Optional


from . import corpus
from .errors import RigError
from .jit import Jit
from .layout import GOT
from .process import perms_bits

SMALL = """
@table = global [4 x ptr] [ptr @a, ptr @b, ptr @a, ptr @b]
@counter = global i32 0
define i32 @a(i32 %x) noinline section ".text.a" { %r = add i32 %x, 3
  ret i32 %r }
define i32 @b(i32 %x) noinline section ".text.b" { %r = mul i32 %x, 5
  ret i32 %r }
define i32 @f(i32 %i) {
  %k = and i32 %i, 3
  %p = getelementptr [4 x ptr], ptr @table, i32 0, i32 %k
  %g = load ptr, ptr %p
  %c = load i32, ptr @counter
  %r = call i32 %g(i32 %c)
  store i32 %r, ptr @counter
  ret i32 %r
}
"""


def generated(functions: int, sections: int = 1, calls_per_function: int = 4) -> str:
    """IR with about `functions * (calls_per_function + 2)` relocations in `sections` sections."""
    lines = [f"@g{i} = global i64 {i}" for i in range(functions)]
    for i in range(functions):
        body = [f"  %v0 = load i64, ptr @g{i}"]
        for k in range(calls_per_function):
            callee = (i * 7 + k * 13 + 1) % functions
            if callee <= i:      # call only forward or nothing: no recursion
                body.append(f"  %v{k + 1} = add i64 %v{k}, {callee}")
            else:
                body.append(f"  %v{k + 1} = call i64 @f{callee}(i64 %v{k})")
        body.append(f"  store i64 %v{calls_per_function}, ptr @g{(i + 1) % functions}")
        body.append(f"  ret i64 %v{calls_per_function}")
        sec = f' section ".text.s{i % sections}"' if sections > 1 else ""
        lines.append(f"define i64 @f{i}(i64 %x) noinline{sec} {{\n" + "\n".join(body) + "\n}")
    return "\n".join(lines) + "\n"


def _median_rate(fn: Callable[[], None], n: int, repeats: int = 5) -> float:
    """Median seconds per call of `fn` over `repeats` runs of `n` calls."""
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        for _ in range(n):
            fn()
        times.append((time.perf_counter() - t0) / n)
    return statistics.median(times)


def trial_cost(target: str, source: str, fn: str, args, n: int, executor: str = "inprocess") -> Dict[str, float]:
    """Seconds per trial (load at a new random placement, call, unload), and per relocation,
    with the code run in `executor`."""
    jit = Jit(target, seed=1, executor=executor)
    mod = jit.load(source)
    relocs = len(mod.trace)
    jit.unload(mod)

    def trial():
        m = jit.load(source)
        m.call(fn, *args)
        jit.unload(m)

    per_trial = _median_rate(trial, n)
    link_only = _median_rate(lambda: _relink(jit, source), n)
    jit.close()
    return {"seconds_per_trial": per_trial, "trials_per_second": 1 / per_trial, "relocations": relocs,
            "relocations_per_second": relocs / link_only if link_only else 0.0}


def _relink(jit: Jit, source: str) -> None:
    from . import layout as L, link as K
    mod = jit.modules[0] if jit.modules else jit.load(source)
    lay = L.make_layout(mod.object, jit.target, jit.space, "random", rng=jit.rng, ignore=mod)
    K.link(mod.object, lay, jit.target, jit.resolve, trace=False)


def floor_cost(target: str, source: str, fn: str, args, n: int) -> float:
    """Seconds per trial of the same maps, writes and call on a bare Unicorn, no rig logic.

    The cheapest way to do them: host buffers allocated once, the relocated
    bytes copied in, `mem_map_ptr`, the call, `mem_unmap` — no layout, no
    relocation, no zeroing, no bookkeeping.
    """
    jit = Jit(target, seed=1)
    mod = jit.load(source)
    blobs = [(p.address, bytes(mod.image.got if p.item.key == GOT else mod.image.sections[p.item.key]))
             for p in mod.layout.placements]
    runs = [(start, size, perms_bits(perms)) for start, size, perms in mod.layout.runs()]
    address, thumb = mod._lookup(fn)
    sig = mod.function(fn).signature
    jit.unload(mod)
    proc = jit.process
    uc = proc.uc
    keep = [mmap.mmap(-1, size) for _, size, _ in runs]
    hosts = [ctypes.addressof(ctypes.c_char.from_buffer(b)) for b in keep]
    copies = []
    for addr, data in blobs:
        for (start, size, _), host in zip(runs, hosts):
            if start <= addr < start + size:
                copies.append((host + addr - start, data, len(data)))

    def trial():
        for dst, data, size in copies:
            ctypes.memmove(dst, data, size)
        for (start, size, bits), host in zip(runs, hosts):
            uc.mem_map_ptr(start, size, bits, host)
        proc.call(address, thumb, sig, args, budget=0, timeout=0)
        for start, size, _ in runs:
            uc.mem_unmap(start, size)

    cost = _median_rate(trial, n)
    jit.close()
    del keep
    return cost


def cold_and_cached(target: str, source: str, fn: str, args) -> Dict[str, float]:
    """A never-seen source's compile + parse + first trial, against what loading
    it again costs: the compile and parse stages answered from the in-memory
    cache (a later load in the same process), from the disk cache (a new
    process), and the whole load + call + unload again."""
    from . import compile as _compile, jit as _jit
    src = f"; bench {random.random()}\n" + source     # new bytes: no cache has seen them
    jit = Jit(target, seed=2)
    t0 = time.perf_counter()
    mod = jit.load(src)
    mod.call(fn, *args)
    cold = time.perf_counter() - t0
    jit.unload(mod)
    cached = _median_rate(lambda: jit._prepare(src), 200)

    def from_disk():
        _compile._memory.clear()
        _jit._parsed.clear()
        _jit._sigs.clear()
        jit._prepare(src)
    disk = _median_rate(from_disk, 5)
    trial = _median_rate(lambda: _trial(jit, src, fn, args), 200)
    jit.close()
    return {"cold_seconds": cold, "cached_load_seconds": cached, "cached_fraction": cached / cold,
            "disk_cached_load_seconds": disk, "disk_cached_fraction": disk / cold,
            "cached_trial_seconds": trial}


def _trial(jit: Jit, source, fn: str, args) -> None:
    m = jit.load(source)
    m.call(fn, *args)
    jit.unload(m)


def memory_growth(target: str, source, fn: str, args, trials: int) -> float:
    """MiB of peak RSS growth over `trials` trials on one Jit (`peak_rss_mib()` is the peak itself)."""
    jit = Jit(target, seed=3)
    for _ in range(200):
        _trial(jit, source, fn, args)
    gc.collect()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for _ in range(trials):
        _trial(jit, source, fn, args)
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    jit.close()
    return (after - before) / 1024


def peak_rss_mib() -> float:
    """This process's peak resident set so far, in MiB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class BenchError(RigError):
    """A benchmark cannot be run as asked (names the program and what is missing)."""


@dataclass(frozen=True)
class BenchProgram:
    """What a trial loads and calls: a source (IR text or a path) and one call."""

    label: str
    source: object
    fn: str
    args: tuple
    ir: Optional[str] = None        #: IR text, when the comparison tools can take it

    @staticmethod
    def small() -> "BenchProgram":
        """The default small program: three code sections, a table of function pointers, a counter."""
        return BenchProgram("built-in (3 code sections, data table)", SMALL, "f", (1,), SMALL)

    @staticmethod
    def from_corpus(path) -> "BenchProgram":
        """A corpus program; its first stated CALL is the trial's call."""
        prog = corpus.load(path)
        if not prog.calls:
            raise BenchError(f"{path}: the header states no CALL to time")
        call = prog.calls[0]
        path = Path(path)
        ir = path.read_text() if path.suffix == ".ll" else None
        return BenchProgram(path.name, path, call.name, tuple(call.args), ir)


#: The musl-runtime trial: hello world through musl's printf (stdio, vfprintf, write).
MUSL_HELLO = '#include <stdio.h>\nint main(void) { printf("hello, %s %d\\n", "world", 42); return 0; }\n'
#: The C++ trial: one exception thrown and caught (libc++abi, libunwind, the unwind tables found).
CXX_THROW = ('#include <cstdio>\n__attribute__((noinline)) int f(int x) { if (x) throw x; return 0; }\n'
             'int main(int argc, char **) { try { f(argc + 41); } catch (int v) { std::printf("caught %d\\n", v); }'
             ' return 0; }\n')


def musl_trial(target: str, n: int) -> Dict[str, float]:
    """The musl runtime's costs: cold (a new Jit: libc's archives read, the members
    hello world needs pulled, placed and linked, then run; the libraries themselves
    are built once per machine and cached, not counted), and warm (libc kept
    loaded, the program placed anew, linked and run through __libc_start_main)."""
    return _runtime_trial(target, n, "hello.c", MUSL_HELLO, b"hello, world 42\n")


def cxx_trial(target: str, n: int) -> Dict[str, float]:
    """The same for C++: a program that throws an int and catches it, on musl with
    libc++abi and libunwind (the frames registered, or the exidx table built, at
    each process start)."""
    return _runtime_trial(target, n, "throw.cpp", CXX_THROW, b"caught 42\n")


def _runtime_trial(target: str, n: int, name: str, text: str, want: bytes) -> Dict[str, float]:
    import tempfile
    from pathlib import Path
    with tempfile.TemporaryDirectory(prefix="rig-bench-") as tmp:
        src = Path(tmp) / name
        src.write_text(text)
        from .userland.libc import libc, libcxx
        from targets import get
        libc(get(target))                           # built (once per machine) before the clock starts
        if name.endswith(".cpp"):
            libcxx(get(target))
        t0 = time.perf_counter()
        jit = Jit(target, seed=1, runtime="musl")
        mods = jit.load_all([src])
        first = jit.run()
        cold = time.perf_counter() - t0
        if first.stdout != want:
            raise BenchError(f"{target}: {name} on musl printed {first.stdout!r}, not {want!r}")
        jit.unload(mods[0])

        def trial():
            m = jit.load(src)
            r = jit.run()
            jit.unload(m)
            if r.stdout != want:
                raise BenchError(f"{target}: {name} on musl printed {r.stdout!r}, not {want!r}")
        warm = _median_rate(trial, max(3, n // 20))
        jit.close()
    return {"cold_seconds": cold, "warm_seconds_per_trial": warm, "trials_per_second": 1 / warm,
            "members": len(mods) - 1}


def run(targets: List[str], *, program: Optional[BenchProgram] = None, quick: bool = False,
        large_functions: int = 320, memory_trials: Optional[int] = None, compare: bool = True,
        progress: Optional[Callable[[str], None]] = None, musl: bool = True) -> Dict[str, dict]:
    """Every measurement for every target: trials/s (small and large), the
    floor, relocations/s, cold and cached loads, memory growth, and the same
    program through ld.lld + qemu-user and lli when they are installed."""
    from . import comparisons
    prog = program or BenchProgram.small()
    n = 50 if quick else 2000
    big = generated(large_functions)
    mem_trials = memory_trials if memory_trials is not None else (500 if quick else 100_000)
    say = progress or (lambda s: None)
    out: Dict[str, dict] = {}
    for t in targets:
        say(f"{t}: trials")
        small = trial_cost(t, prog.source, prog.fn, prog.args, n)
        floor = floor_cost(t, prog.source, prog.fn, prog.args, n)
        large = trial_cost(t, big, "f0", (1,), max(5, n // 20))
        if large["relocations"] < 1000:
            raise BenchError(f"{t}: the large object has only {large['relocations']} relocations; "
                             f"raise large_functions (now {large_functions})")
        say(f"{t}: cold and cached loads")
        cold = (cold_and_cached(t, prog.ir, prog.fn, prog.args) if prog.ir is not None
                else cold_and_cached(t, SMALL, "f", (1,)))
        row = {"program": prog.label, "small": small, "floor_seconds_per_trial": floor,
               "times_floor": small["seconds_per_trial"] / floor, "large": large, **cold}
        if compare and prog.ir is not None:
            say(f"{t}: ld.lld + qemu-user")
            # The rig's own answer is the status the tools' runs must give (low 8 bits).
            with Jit(t, seed=4) as jit:
                expected = int(jit.load(prog.ir).call(prog.fn, *prog.args)) & 0xFF
            lq = comparisons.lld_qemu_cost(t, prog.ir, prog.fn, prog.args, 5 if quick else 20,
                                           expected=expected)
            row["lld_qemu"] = lq
            if lq:
                row["lld_qemu_ratio"] = lq["seconds_per_trial"] / small["seconds_per_trial"]
            if t == "x86_64":          # lli's remote mode runs host code only; None elsewhere
                say(f"{t}: lli -remote-mcjit")
                li = comparisons.lli_remote_cost(prog.ir, prog.fn, prog.args, 5 if quick else 20,
                                                 expected=expected)
                row["lli_remote"] = li
                if li:
                    row["lli_remote_ratio"] = li["seconds_per_trial"] / small["seconds_per_trial"]
        if musl:
            say(f"{t}: musl runtime (hello world through printf)")
            row["musl"] = musl_trial(t, n)
            say(f"{t}: C++ runtime (throw and catch once)")
            row["cxx"] = cxx_trial(t, n)
        say(f"{t}: memory over {mem_trials} trials")
        row["memory_growth_mib"] = memory_growth(t, prog.source, prog.fn, prog.args, mem_trials)
        row["memory_trials"] = mem_trials
        row["peak_rss_mib"] = peak_rss_mib()
        out[t] = row
    return out


def executors(targets: List[str], executor: str, *, program: Optional[BenchProgram] = None,
              quick: bool = False, compare: bool = True) -> Dict[str, dict]:
    """Per target: trials/s with the code run in `executor` and in-process (their ratio), and
    the same program's trial through `lli -remote-mcjit` (x86_64, when lli is installed),
    which also runs the JIT's code in another process."""
    from . import comparisons
    prog = program or BenchProgram.small()
    n = 100 if quick else 1000
    out: Dict[str, dict] = {}
    for t in targets:
        here = trial_cost(t, prog.source, prog.fn, prog.args, n)
        there = trial_cost(t, prog.source, prog.fn, prog.args, n, executor=executor)
        row = {"program": prog.label, "executor_name": executor, "inprocess": here, "executor": there,
               "ratio": there["trials_per_second"] / here["trials_per_second"]}
        if compare and prog.ir is not None and t == "x86_64":   # lli's remote mode runs host code only
            with Jit(t, seed=4) as jit:
                expected = int(jit.load(prog.ir).call(prog.fn, *prog.args)) & 0xFF
            li = comparisons.lli_remote_cost(prog.ir, prog.fn, prog.args, 5 if quick else 20, expected=expected)
            row["lli_remote"] = li
            if li:
                row["ahead_of_lli"] = li["seconds_per_trial"] / there["seconds_per_trial"]
        out[t] = row
    return out


def scaling(target: str, quick: bool = False) -> Dict[str, List[dict]]:
    """Cost per trial against relocations (10..10,000) and sections (1..100).

    The call is to a leaf function, so the rows measure loading, not running.
    Each row after the first carries `step`: how much more a trial cost than the
    row before, divided by how much more work (relocations or sections) it had.
    About 1 or less is linear (fixed costs amortise); a quadratic step shows as
    a `step` near the growth factor itself (10).
    """
    rows_r, rows_s = [], []
    sizes = (10, 100, 1000) if quick else (10, 100, 1000, 10_000)
    for relocs in sizes:
        funcs = max(2, relocs // 6)
        c = trial_cost(target, generated(funcs), f"f{funcs - 1}", (1,), 3 if relocs >= 1000 else 20)
        rows_r.append({"relocations": c["relocations"], "seconds_per_trial": c["seconds_per_trial"],
                       "microseconds_per_relocation": 1e6 * c["seconds_per_trial"] / c["relocations"]})
    for sections in (1, 10) if quick else (1, 10, 100):
        c = trial_cost(target, generated(200, sections), "f199", (1,), 5)
        rows_s.append({"sections": sections, "relocations": c["relocations"],
                       "seconds_per_trial": c["seconds_per_trial"]})
    for rows, key in ((rows_r, "relocations"), (rows_s, "sections")):
        for prev, row in zip(rows, rows[1:]):
            row["step"] = (row["seconds_per_trial"] / prev["seconds_per_trial"]) / (row[key] / prev[key])
    return {"relocations": rows_r, "sections": rows_s}


def profile(target: str, program: Optional[BenchProgram] = None, trials: int = 5000) -> str:
    """A pyinstrument call tree of `trials` trials of `program` on `target`:
    where a trial's time goes (the rig's Python against Unicorn's map, unmap and run)."""
    try:
        from pyinstrument import Profiler
    except ImportError:
        raise BenchError("rig bench --profile needs pyinstrument: pip install 'rig[bench]'") from None
    prog = program or BenchProgram.small()
    jit = Jit(target, seed=5)
    _trial(jit, prog.source, prog.fn, prog.args)       # compile and parse outside the profile
    profiler = Profiler(interval=0.0001)
    profiler.start()
    for _ in range(trials):
        _trial(jit, prog.source, prog.fn, prog.args)
    profiler.stop()
    jit.close()
    return profiler.output_text(unicode=True, color=False, show_all=False)


def compile_overhead(targets: Optional[List[str]] = None, directory="corpus", repeats: int = 3) -> Dict[str, object]:
    """What compiling in the worker process (`rig.worker`) costs next to compiling
    in this process, as `rig.compile` did before the worker.

    One round compiles every ``directory/*.ll`` for every target in `targets`
    (default: all four) through `rig.compile.compile_source`, with cold caches:
    a new empty ``RIG_CACHE_DIR`` and the in-memory cache cleared.  A worker
    round starts with no worker, so its start-up is counted.  `repeats` rounds
    of each way, alternated; the result holds the median seconds
    ("in_process_seconds", "worker_seconds"), ``worker / in-process - 1``
    ("overhead"), the compiles per round and those that failed ("compiles",
    "failures"), and the workers started.  Not part of `run`'s table.
    """
    import os
    import tempfile
    from . import TARGETS, compile as _compile, worker as _worker
    from targets import get
    names = list(targets) if targets else list(TARGETS)
    sources = [(p.name, p.read_bytes()) for p in sorted(Path(directory).glob("*.ll"))]
    if not sources:
        raise BenchError(f"{directory}: no .ll files to compile")

    def one_round(in_process: bool) -> tuple:
        saved_env, saved_flag = os.environ.get("RIG_CACHE_DIR"), _compile._IN_PROCESS
        failures = 0
        with tempfile.TemporaryDirectory(prefix="rig-bench-cache-") as tmp:
            os.environ["RIG_CACHE_DIR"] = tmp
            _compile._memory.clear()
            _compile._IN_PROCESS = in_process
            if not in_process:
                _worker.shutdown()             # cold: the worker's start-up is part of the cost
            try:
                t0 = time.perf_counter()
                for t in names:
                    target = get(t)
                    for name, data in sources:
                        try:
                            _compile.compile_source(data, target, _compile.Options(), name)
                        except RigError:
                            failures += 1
                elapsed = time.perf_counter() - t0
            finally:
                _compile._IN_PROCESS = saved_flag
                _compile._memory.clear()
                if saved_env is None:
                    os.environ.pop("RIG_CACHE_DIR", None)
                else:
                    os.environ["RIG_CACHE_DIR"] = saved_env
        return elapsed, failures

    inside, outside, failures = [], [], 0
    started = 0
    for _ in range(max(1, repeats)):
        seconds, failed = one_round(True)
        inside.append(seconds)
        seconds, failed_w = one_round(False)
        outside.append(seconds)
        started += _worker.pool().started
        failures = max(failures, failed, failed_w)
    a, b = statistics.median(inside), statistics.median(outside)
    return {"targets": names, "files": len(sources), "compiles": len(sources) * len(names),
            "failures": failures, "in_process_seconds": a, "worker_seconds": b, "overhead": b / a - 1,
            "in_process_rounds": inside, "worker_rounds": outside, "workers_started": started}
