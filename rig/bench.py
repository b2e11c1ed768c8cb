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
from typing import Callable, Dict, List, Optional


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


def trial_cost(target: str, source: str, fn: str, args, n: int) -> Dict[str, float]:
    """Seconds per trial (load at a new random placement, call, unload), and per relocation."""
    jit = Jit(target, seed=1)
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


def cold_and_cached(target: str) -> Dict[str, float]:
    """Compile + parse + first trial of a never-seen source, against loading it again."""
    salt = f"; bench {random.random()}\n"
    src = salt + SMALL
    jit = Jit(target, seed=2)
    t0 = time.perf_counter()
    mod = jit.load(src)
    mod.call("f", 1)
    cold = time.perf_counter() - t0
    jit.unload(mod)
    cached = _median_rate(lambda: jit.unload(jit.load(src)), 50)
    jit.close()
    return {"cold_seconds": cold, "cached_load_seconds": cached, "cached_fraction": cached / cold}


def memory_growth(target: str, trials: int) -> float:
    """MiB of peak RSS growth over `trials` trials on one Jit."""
    jit = Jit(target, seed=3)
    for _ in range(100):
        jit.unload(jit.load(SMALL))
    gc.collect()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for _ in range(trials):
        m = jit.load(SMALL)
        m.call("f", 1)
        jit.unload(m)
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    jit.close()
    return (after - before) / 1024


def run(targets: List[str], *, quick: bool = False, large_functions: int = 220,
        progress: Optional[Callable[[str], None]] = None) -> Dict[str, dict]:
    """Every measurement for every target."""
    n = 50 if quick else 1000
    big = generated(large_functions)
    out = {}
    for t in targets:
        (progress or (lambda s: None))(t)
        small = trial_cost(t, SMALL, "f", (1,), n)
        floor = floor_cost(t, SMALL, "f", (1,), n)
        large = trial_cost(t, big, "f0", (1,), max(5, n // 20))
        out[t] = {"small": small, "floor_seconds_per_trial": floor,
                  "times_floor": small["seconds_per_trial"] / floor, "large": large,
                  **cold_and_cached(t),
                  "memory_growth_mib": memory_growth(t, 500 if quick else 100_000),
                  "memory_trials": 500 if quick else 100_000}
    return out


def scaling(target: str, quick: bool = False) -> Dict[str, List[dict]]:
    """Cost per trial against relocations (10..10,000) and sections (1..100)."""
    rows_r, rows_s = [], []
    sizes = (10, 100, 1000) if quick else (10, 100, 1000, 10_000)
    for relocs in sizes:
        funcs = max(2, relocs // 6)
        c = trial_cost(target, generated(funcs), "f0", (1,), 3 if relocs >= 1000 else 20)
        rows_r.append({"relocations": c["relocations"], "seconds_per_trial": c["seconds_per_trial"]})
    for sections in (1, 10) if quick else (1, 10, 100):
        c = trial_cost(target, generated(200, sections), "f0", (1,), 5)
        rows_s.append({"sections": sections, "seconds_per_trial": c["seconds_per_trial"]})
    return {"relocations": rows_r, "sections": rows_s}
