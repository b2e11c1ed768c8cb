"""`rig fuzz`: the placement-invariance properties as a campaign.

For each target, Hypothesis draws a program (from the corpus, with its stated
results; a whole program from `corpus/programs`, with its stated status and
output, each module at its own placement; or a random well-defined one from
`rig.strategies.programs`, whose result the host CPU computes) and a placement
(`rig.strategies.placements`),
runs the program's calls there and checks them against those results and a
packed reference placement.  Failing examples are saved in Hypothesis's example database and
replayed first next time; per target the campaign counts which relocation
types were applied, how often, and which never were.  `parallel_campaign` runs
it over several workers (`rig fuzz --jobs N`), merging their reports.
"""
from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Tuple

from hypothesis import HealthCheck, Phase, given, seed as hyp_seed, settings, strategies as st
from hypothesis.database import DirectoryBasedExampleDatabase, ExampleDatabase

import targets as _targets

from .corpus import Program, discover
from .errors import PlacementError
from .jit import Jit
from .properties import PlacementMismatch, check_placement, check_program
from .strategies import placements


@dataclass
class TargetReport:
    """One target's campaign."""

    target: str
    examples: int = 0
    failures: List[str] = field(default_factory=list)
    relocations: Counter = field(default_factory=Counter)
    stubs: int = 0
    never: List[str] = field(default_factory=list)
    #: the type-directed generator's share: type -> sites its examples applied, and the
    #: distinct values written there; recipes run; RelocationOverflows it expected and got
    sites: Counter = field(default_factory=Counter)
    values: Dict[str, set] = field(default_factory=dict)
    recipes: int = 0
    overflows: int = 0

    def add_sweep(self, sweep) -> None:
        """Count a `rig.strategies.sweep` of this target into the report."""
        self.examples += sweep.examples
        self.failures.extend(sweep.failures)
        self.relocations.update(sweep.sites)
        self.sites.update(sweep.sites)
        for name, seen in sweep.values.items():
            self.values.setdefault(name, set()).update(seen)
        self.stubs += sweep.stubs
        self.recipes += sweep.recipes
        self.overflows += sum(sweep.overflows.values())

    def types(self) -> Dict[str, dict]:
        """Per relocation type of the target's table: sites applied in all, sites the
        generator applied and the distinct values it wrote there."""
        names = sorted({h.name for h in _targets.get(self.target).relocations.values()} | set(self.relocations))
        return {n: {"applied": self.relocations.get(n, 0), "generator_sites": self.sites.get(n, 0),
                    "distinct_values": len(self.values.get(n, ()))} for n in names}

    def as_dict(self) -> dict:
        """Plain data for JSON."""
        return {"target": self.target, "examples": self.examples, "failures": self.failures,
                "relocations": dict(self.relocations), "stubs": self.stubs, "never_applied": self.never,
                "site_recipes": self.recipes, "expected_overflows": self.overflows, "types": self.types()}


_DISCOVERED: Dict[tuple, List[Program]] = {}


def _discover(directory, whole: bool, runtime: Optional[str]) -> List[Program]:
    """`discover`, read once per process while the corpus's files stay as they are
    (every target, and every share a `--jobs` worker runs, reads the same corpus)."""
    directory = Path(directory)
    files = tuple(sorted((str(f), f.stat().st_mtime_ns, f.stat().st_size) for f in directory.rglob("*")
                         if f.is_file()))
    key = (str(directory.resolve()), whole, runtime, files)
    if key not in _DISCOVERED:
        if len(_DISCOVERED) > 16:
            _DISCOVERED.clear()
        _DISCOVERED[key] = discover(directory, recursive=True, whole=whole, runtime=runtime)
    return _DISCOVERED[key]


def corpus_programs(directory, target: str, runtime: Optional[str] = "host") -> List[Program]:
    """The corpus programs that state calls with results for `target` (and need `runtime`)."""
    return [p for p in _discover(directory, False, runtime) if target in p.targets
            and p.calls and all(c.expected is not None for c in p.calls)]


def whole_programs(directory, target: str, runtime: Optional[str] = "host") -> List[Program]:
    """The corpus's whole programs (status and output stated) for `target` that
    need `runtime` ("host", "musl", or None for both)."""
    return [p for p in _discover(directory, True, runtime) if target in p.targets]


class Examples:
    """One target's examples: draw a program and a placement, run, check.

    `example(data)` is one example for any Hypothesis test (`rig fuzz` wraps it,
    and `tests/test_fuzz.py::test_placement_invariance` is the same property as
    a plain pytest test, for pytest-xdist and HypoFuzz).
    """

    def __init__(self, target: str, programs: Sequence[Program], report: Optional[TargetReport] = None,
                 tick: Callable[[], None] = lambda: None, generated: bool = True,
                 whole: Sequence[Program] = (), executor: str = "inprocess", compare: Optional[str] = None):
        self.target, self.generated = target, generated
        #: where the examples run, and where each is run again to compare (`rig.executor`)
        self.executor, self.compare = executor, compare
        self.twins: Dict[int, Jit] = {}         # id(jit) -> the same Jit's twin in `compare`
        self.by_name = {str(p.path): p for p in programs}
        self.whole = {str(p.path): p for p in whole}
        self.report = report or TargetReport(target)
        self.tick = tick
        self.jits: Dict[tuple, Jit] = {}
        self.probes: Dict[tuple, object] = {}

    def _jit(self, reloc: str, runtime: str = "host", code_model: Optional[str] = None,
             mounts: Optional[Dict[str, str]] = None) -> Jit:
        """One Jit per relocation model, runtime, code model and mounted directories,
        kept across examples (a musl one keeps libc loaded: each example places
        only the program)."""
        key = (reloc, runtime, code_model, tuple(sorted((mounts or {}).items())))
        if key not in self.jits:
            self.jits[key] = Jit(self.target, seed=0, reloc=reloc, runtime=runtime, code_model=code_model,
                                 mounts=mounts, executor=self.executor)
            if self.compare is not None:
                self.twins[id(self.jits[key])] = Jit(self.target, seed=0, reloc=reloc, runtime=runtime,
                                                     code_model=code_model, mounts=mounts, executor=self.compare)
        return self.jits[key]

    def _discard(self, jit: Jit) -> None:
        """Forget a Jit an example failed in: the next example starts from a fresh one
        (a failure must not leave modules behind that make every later example fail)."""
        for key, j in list(self.jits.items()):
            if j is jit:
                del self.jits[key]
        for key in [k for k in self.probes if k[3] == id(jit)]:
            del self.probes[key]        # keyed by id(jit): a new Jit may get the same id
        twin = self.twins.pop(id(jit), None)
        if twin is not None:
            twin.close()
        jit.close()

    def close(self) -> None:
        """Close the Jits kept across examples."""
        for jit in list(self.jits.values()):
            self._discard(jit)

    def _probe(self, jit: Jit, source, name: str, reloc: str):
        key = (name, reloc, hash(source), id(jit))
        if key not in self.probes:
            mod = jit.load(source, name=name, defer_undefined=True)     # a module of several may wait
            jit.unload(mod)
            self.probes[key] = mod
        return self.probes[key]

    def example(self, data) -> None:
        """Draw and check one example (a `PlacementMismatch` when the rig is wrong)."""
        if not self.by_name:                # a corpus of whole programs only (musl's)
            return self._whole(data)
        if self.generated and data.draw(st.integers(0, 3), label="generated program?") == 3:
            return self._generated(data)
        if self.whole and data.draw(st.booleans(), label="whole program?"):
            return self._whole(data)
        program = self.by_name[data.draw(st.sampled_from(sorted(self.by_name)), label="program")]
        reloc = data.draw(st.sampled_from(program.relocs), label="relocation model")
        jit = self._jit(reloc)
        placement = data.draw(placements(jit, self._probe(jit, program.source, program.name, reloc)),
                              label="placement")
        calls = [(c.name, c.args) for c in program.calls]
        expected = [c.expected for c in program.calls] if all(c.op == "==" for c in program.calls) else None
        self._check(jit, program.source, program.name, calls, placement, dict(program.signatures), expected)

    def _generated(self, data) -> None:
        """A random well-defined program; the host CPU (llvmlite MCJIT) is the oracle."""
        from .oracles import host_run
        from .strategies import programs as gen
        p = data.draw(gen(thumb_mix=self.target in ("arm", "thumb")), label="generated program")
        x = data.draw(st.integers(-(1 << 63), (1 << 63) - 1), label="argument")
        reloc = data.draw(st.sampled_from(("static", "pic")), label="relocation model")
        jit = self._jit(reloc)
        placement = data.draw(placements(jit, self._probe(jit, p.ir, "generated.ll", reloc)), label="placement")
        want = host_run(p.portable_ir, p.entry, [x], p.signature)
        self._check(jit, p.ir, "generated.ll", [(p.entry, (x,))], placement, {p.entry: p.signature}, [want])

    def _whole(self, data) -> None:
        """A whole program (main, constructors, exit; maybe several modules), each
        module at its own drawn placement; its header's status and output are the oracle."""
        program = self.whole[data.draw(st.sampled_from(sorted(self.whole)), label="whole program")]
        reloc = data.draw(st.sampled_from(program.relocs), label="relocation model")
        jit = self._jit(reloc, program.runtime, program.code_model, program.mounts)
        drawn = [data.draw(placements(jit, self._probe(jit, src, src.name, reloc)), label=f"placement of {src.name}")
                 for src in [program.path, *program.run.extra]]
        try:
            result, relocations, stubs = check_program(jit, program, drawn)
            twin = self.twins.get(id(jit))
            if twin is not None:
                other = check_program(twin, program, drawn)[0]
                self._agree(program.name, drawn, (result.status, result.output), (other.status, other.output))
        except PlacementError:
            return                         # the modules' drawn layouts overlap: not a finding
        except BaseException:
            self._discard(jit)
            raise
        self._count(relocations, stubs)

    def _count(self, relocations, stubs: int) -> None:
        self.report.examples += 1
        self.report.relocations.update(relocations or {})
        self.report.stubs += stubs
        self.tick()

    def _agree(self, name: str, placement, got, other) -> None:
        """The example's outcome in `compare` must be the one in `executor`, exactly."""
        if got != other:
            raise PlacementMismatch(f"{name} on {self.target} at {placement}: the {self.executor} executor gave "
                                    f"{got!r}, the {self.compare} executor {other!r}")

    def _check(self, jit, source, name, calls, placement, signatures, expected) -> None:
        try:
            out = check_placement(jit, source, calls, placement, name=name, signatures=signatures,
                                  expected=expected)
            twin = self.twins.get(id(jit))
            if twin is not None:
                again = check_placement(twin, source, calls, placement, name=name, signatures=signatures,
                                        expected=expected)
                self._agree(name, placement, (out.values, out.stdout, out.error),
                            (again.values, again.stdout, again.error))
        except PlacementError:
            return                         # the strategy drew an impossible layout: not a finding
        except BaseException:
            self._discard(jit)
            raise
        self._count(out.relocations, out.stubs)


def _property(target: str, programs: Sequence[Program], report: TargetReport, tick: Callable[[], None],
              generated: bool = True, whole: Sequence[Program] = (), executor: str = "inprocess",
              compare: Optional[str] = None, examples: Optional[Examples] = None):
    examples = examples or Examples(target, programs, report, tick, generated, whole, executor, compare)

    @given(data=st.data())
    def prop(data):
        examples.example(data)

    # distinct database keys per target (the function is the same code for each)
    prop.hypothesis.inner_test._hypothesis_internal_add_digest = f"rig-fuzz-{target}".encode()
    return prop


def _failures(e: BaseException) -> List[str]:
    """One message per distinct failure (Hypothesis groups several)."""
    if hasattr(e, "exceptions"):
        return [m for sub in e.exceptions for m in _failures(sub)]
    return [str(e) if isinstance(e, AssertionError) else f"{type(e).__name__}: {e}"]


def example_database(spec):
    """An example database from a directory path, a ``redis://host:port/db`` URL
    (shared by several machines: Hypothesis's RedisExampleDatabase), an
    `ExampleDatabase`, or None."""
    if spec is None or isinstance(spec, ExampleDatabase):
        return spec
    if str(spec).startswith("redis://"):
        import redis
        from hypothesis.extra.redis import RedisExampleDatabase
        return RedisExampleDatabase(redis.Redis.from_url(str(spec)))
    return DirectoryBasedExampleDatabase(str(spec))


def campaign(target_names: Sequence[str], *, examples: Optional[int] = 200, minutes: Optional[float] = None,
             seed: Optional[int] = None, corpus_dir="corpus", database=".rig-fuzz",
             tick: Callable[[str], None] = lambda t: None, generated: bool = True,
             runtime: Optional[str] = "host", executor: str = "inprocess",
             compare: Optional[str] = None,
             watch: Optional[Callable[[TargetReport, Optional[float]], None]] = None,
             keep: Optional[Dict[str, "Examples"]] = None, site_examples: int = 5,
             site_part: Tuple[int, int] = (0, 1), first_failure: bool = False) -> List[TargetReport]:
    """Run the properties for each target; one report per target.  `runtime`
    chooses the corpus's programs by the C runtime they need ("host", "musl"
    or None for all): musl's (the standard-C and C++ corpora) are whole
    programs run at drawn placements with libc kept loaded.  The examples run in
    `executor`; with `compare`, each is run there too and must give exactly the same
    values, output and errors (`--executor native --compare inprocess`: the emulator
    checked against the CPU).  `watch(report, deadline)` is called after each example
    and after a failure (`deadline`: the target's end in `time.time()` with `minutes`)
    for live progress.  With `keep` (a dict), each target's `Examples` (its Jits) is
    kept there for the next campaign in this process instead of closed.

    Each target starts with the type-directed generator (`rig.strategies.sweep`):
    `site_examples` examples of every `SiteRecipe` of the target (share
    ``site_part = (k, n)``: recipes k, k+n, ...), so every row of its table is
    applied in every campaign, at values aimed across its field.  A target whose
    sweep fails stops there, as after any failure.  With `first_failure`, the
    sweep stops at its first failing recipe and nothing is shrunk (the kill
    matrix asks only whether each injected bug is caught)."""
    reports = []
    db = example_database(database or None)
    for name in target_names:
        target = _targets.get(name)
        report = TargetReport(name)
        reports.append(report)
        if site_examples:
            from .strategies import sweep
            report.add_sweep(sweep(name, per_recipe=site_examples, seed=seed, database=db, executor=executor,
                                   part=site_part, tick=lambda name=name: tick(name),
                                   failfast=first_failure, shrink=not first_failure))
            if watch is not None:
                watch(report, None)
            if report.failures:
                applied = set(report.relocations)
                report.never = sorted(h.name for h in target.relocations.values() if h.name not in applied)
                continue
        programs = corpus_programs(corpus_dir, name, runtime)
        whole = whole_programs(corpus_dir, name, runtime)
        if not programs and not whole:
            report.failures.append(f"no corpus programs with stated results for {name} in {corpus_dir}"
                                   + (f" that need the {runtime} runtime" if runtime else ""))
            continue
        deadline = time.monotonic() + 60 * minutes if minutes else None
        wall_deadline = time.time() + 60 * minutes if minutes else None

        def ticked(name=name, report=report, wall_deadline=wall_deadline):
            tick(name)
            if watch is not None:
                watch(report, wall_deadline)
        # a time budget runs in small batches so the deadline is checked often
        batch = 20 if minutes else (examples or 200)
        # one Examples for all the batches: its Jits (and their probes) are kept
        kept = keep.get(name) if keep is not None else None
        if kept is None or (kept.executor, kept.compare, kept.generated) != (executor, compare, generated) \
                or set(kept.by_name) != {str(p.path) for p in programs} \
                or set(kept.whole) != {str(p.path) for p in whole}:
            if kept is not None:
                kept.close()
            kept = Examples(name, programs, report, ticked, generated, whole, executor, compare)
        kept.report, kept.tick = report, ticked
        if keep is not None:
            keep[name] = kept
        while True:
            # a fresh property per batch: Hypothesis refuses a second settings() on one function
            prop = _property(name, programs, report, ticked, generated, whole, executor, compare, kept)
            # no explain phase: it re-runs a failure dozens of times, each with an lld link for the report
            runner = settings(max_examples=batch, deadline=None, database=db, print_blob=True,
                              suppress_health_check=list(HealthCheck),
                              phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target]
                              + [Phase.shrink] * (not first_failure))(prop)
            if seed is not None:
                runner = hyp_seed(seed + report.examples)(runner)
            try:
                runner()
            except Exception as e:          # a mismatch, or several (an ExceptionGroup), or a crash
                report.failures.extend(_failures(e))
                if watch is not None:
                    watch(report, wall_deadline)
                break
            if deadline is None or time.monotonic() >= deadline:
                break
        if keep is None:
            kept.close()
        applied = set(report.relocations)
        report.never = sorted(h.name for h in target.relocations.values() if h.name not in applied)
    return reports


# --- `rig fuzz --jobs N`: the campaign over worker processes ----------------------------------------


@dataclass
class Share:
    """A share of one target's campaign, run by one worker: `examples` of them (or
    `minutes` of them) with its own Hypothesis `seed` (None: a random one)."""

    index: int
    target: str
    part: int                   # which share of the target (0 when the target is not split)
    examples: Optional[int]
    seed: Optional[int]
    parts: int = 1              # how many shares the target has (each runs part of the site sweep)


def _split(count: int, n: int) -> List[int]:
    return [count // n + (1 if k < count % n else 0) for k in range(n)]


def shares(target_names: Sequence[str], jobs: int, examples: Optional[int], seed: Optional[int],
           minutes: Optional[float] = None) -> List[Share]:
    """The work of `jobs` workers: each target's examples split into shares, share k
    with seed + k (`--jobs 1`: one share with `seed`, today's campaign).  With
    `examples`, 2 x `jobs` shares a target (small enough to even out the workers' ends);
    with `minutes`, `jobs` shares a target, each running that long."""
    per = 1 if jobs == 1 else jobs if minutes or examples is None else 2 * jobs
    out: List[Share] = []
    for name in target_names:
        counts = [None] * per if minutes or examples is None else [c for c in _split(examples, per) if c] or [0]
        for part, count in enumerate(counts):
            out.append(Share(len(out), name, part, count, None if seed is None else seed + part, len(counts)))
    return out


def _worker(number: int, tasks, messages, options: dict, setup) -> None:
    """One worker process: run the shares the parent sends on `tasks` until a None,
    reporting progress, each share's report, or its error through `messages`.  The
    worker keeps each target's Jits from share to share (the parent sends it more of
    the same target while there are any)."""
    import os
    import traceback
    if setup is not None:
        setup(number)
    keep: Dict[str, Examples] = {}
    while True:
        share = tasks.get()
        if share is None:
            break
        messages.put(("start", number, share.index, os.getpid()))
        last = [0.0]

        def watch(report: TargetReport, deadline: Optional[float], share=share) -> None:
            now = time.monotonic()
            if now - last[0] >= 0.2 or report.failures:      # a few messages a second are enough
                last[0] = now
                messages.put(("tick", number, share.index, report.examples, sorted(report.relocations),
                              len(report.failures), deadline))
        try:
            report = campaign([share.target], examples=share.examples, seed=share.seed, watch=watch, keep=keep,
                              site_part=(share.part, share.parts), **options)[0]
            if report.failures and share.target in keep:    # start the target afresh after a failure
                keep.pop(share.target).close()
            messages.put(("done", number, share.index, report))
        except BaseException:   # noqa: BLE001 - a bug of the campaign itself: the parent reports it
            keep.pop(share.target, None)
            messages.put(("error", number, share.index, traceback.format_exc()))
    for examples in keep.values():
        examples.close()
    messages.put(("exit", number, None))


def _next(remaining: List[Share], current: Optional[str], busy: Sequence[str]) -> Optional[Share]:
    """The share for a worker last on target `current`, while others are on `busy`:
    more of its own target, else a target nobody is on, else the one with most left."""
    if not remaining:
        return None
    same = [s for s in remaining if s.target == current]
    if same:
        return same[0]
    left = Counter(s.target for s in remaining)
    target = max(left, key=lambda t: (t not in busy, left[t], -min(s.index for s in remaining if s.target == t)))
    return next(s for s in remaining if s.target == target)


def parallel_campaign(target_names: Sequence[str], jobs: int, *, examples: Optional[int] = 200,
                      minutes: Optional[float] = None, seed: Optional[int] = None, corpus_dir="corpus",
                      database=".rig-fuzz", generated: bool = True, runtime: Optional[str] = "host",
                      executor: str = "inprocess", compare: Optional[str] = None,
                      watch: Optional[Callable[..., None]] = None, setup: Optional[Callable[[int], None]] = None,
                      site_examples: int = 5) -> List[TargetReport]:
    """`campaign` over `jobs` worker processes ("spawn": the rig holds threads and
    Unicorn, so nothing is forked), one report per target merged from its shares.
    The workers share one example database, so `database` is a directory or a
    ``redis://`` URL (not an in-memory database).  `watch(share, target, examples,
    types, failures, deadline)` is called in this process as workers report
    (`share` an index, `types` the relocation types applied so far).  `setup(k)`, a
    picklable function, runs first in worker k (tests inject bugs with it).  A
    worker that dies is a failure of the target it was running, naming it."""
    import multiprocessing
    import queue as _queue
    if jobs < 1:
        raise ValueError(f"jobs must be at least 1, not {jobs}")
    if database is not None and not isinstance(database, (str, Path)):
        raise ValueError("workers share the example database by its directory or redis:// URL, "
                         f"not a {type(database).__name__}")
    for name in target_names:
        _targets.get(name)                  # an unknown name fails now, not in a worker
    work = shares(target_names, jobs, examples, seed, minutes)
    by_index = {s.index: s for s in work}
    ctx = multiprocessing.get_context("spawn")
    messages = ctx.Queue()
    options = dict(minutes=minutes, corpus_dir=str(corpus_dir), database=str(database) if database else None,
                   generated=generated, runtime=runtime, executor=executor, compare=compare,
                   site_examples=site_examples)
    workers = min(jobs, len(work))
    remaining = list(work)
    # worker 0 is a thread of this process (already started, rig imported: a process
    # fewer to start), unless a `setup` is to run in it or the code runs elsewhere
    local = setup is None and executor == "inprocess" and compare in (None, "inprocess") and workers > 1
    queues = [_queue.Queue() if local and k == 0 else ctx.Queue() for k in range(workers)]
    procs = {k: ctx.Process(target=_worker, args=(k, queues[k], messages, options, setup),
                            name=f"rig-fuzz-{k}", daemon=True) for k in range(1 if local else 0, workers)}
    thread = None
    if local:
        import threading
        thread = threading.Thread(target=_worker, args=(0, queues[0], messages, options, None),
                                  name="rig-fuzz-0", daemon=True)
    results: Dict[int, TargetReport] = {}
    assigned: Dict[int, Share] = {}         # worker -> the share sent to it
    current: Dict[int, str] = {}            # worker -> its last target
    exited = set()
    pids = {}

    def send(k: int) -> None:
        share = _next(remaining, current.get(k), [s.target for j, s in assigned.items() if j != k])
        if share is None:
            assigned.pop(k, None)
            queues[k].put(None)
            return
        remaining.remove(share)
        assigned[k], current[k] = share, share.target
        queues[k].put(share)

    def died(k: int, why: str) -> None:
        exited.add(k)
        s = assigned.pop(k, None)
        if s is not None:
            results[s.index] = TargetReport(s.target, failures=[
                f"worker {k} (pid {pids.get(k, procs[k].pid if k in procs else '?')}) {why} while running {s.target} "
                f"(share {s.part}, seed {s.seed})"])

    def handle(msg) -> None:
        kind, k, index = msg[:3]
        if kind == "start":
            pids[k] = msg[3]
            if watch is not None:
                s = by_index[index]
                watch(index, s.target, 0, [], 0, time.time() + 60 * minutes if minutes else None)
        elif kind == "tick":
            if watch is not None:
                watch(index, by_index[index].target, *msg[3:])
        elif kind in ("done", "error"):
            assigned.pop(k, None)
            s = by_index[index]
            if kind == "done":
                results[index] = msg[3]
            else:
                results[index] = TargetReport(s.target, failures=[
                    f"worker {k} failed running {s.target} (share {s.part}, seed {s.seed}):\n{msg[3]}"])
            if watch is not None:
                r = results[index]
                watch(index, s.target, r.examples, sorted(r.relocations), len(r.failures), None)
            send(k)
        elif kind == "exit":
            exited.add(k)

    try:
        for k, p in procs.items():
            p.start()
            send(k)
        if thread is not None:
            thread.start()
            send(0)
        while len(results) < len(work):
            try:
                handle(messages.get(timeout=0.2))
                continue
            except _queue.Empty:
                pass
            for k, p in procs.items():
                if k in exited or p.exitcode is None:
                    continue
                try:                        # what it said before it ended
                    while True:
                        handle(messages.get(timeout=0.1))
                except _queue.Empty:
                    pass
                if k not in exited:
                    code = p.exitcode
                    died(k, f"died (exit status {code})" if code >= 0 else f"was killed by signal {-code}")
            if thread is not None and not thread.is_alive() and 0 not in exited:
                died(0, "ended")          # cannot happen: the worker catches what a share raises
            if len(exited) == workers:
                for s in work:              # nobody left to take them
                    if s.index not in results:
                        results[s.index] = TargetReport(s.target, failures=[
                            f"{s.target} (share {s.part}) was not run: every worker had ended"])
    finally:
        if thread is not None and thread.is_alive():
            queues[0].put(None)             # (interrupted) this process's worker ends after its share
            thread.join()                   # not at interpreter exit, with Jits open
        for p in procs.values():
            if p.pid is None:               # never started
                continue
            p.join(timeout=5)
            if p.is_alive():
                p.kill()
                p.join()
    return merge(target_names, work, results)


def merge(target_names: Sequence[str], work: Sequence[Share], results: Dict[int, TargetReport]
          ) -> List[TargetReport]:
    """One report per target from its shares' reports: examples, relocations and
    stubs summed, failures in share order, never-applied recomputed from the sum."""
    merged = []
    for name in target_names:
        report = TargetReport(name)
        parts = [s for s in work if s.target == name]
        for s in parts:
            r = results[s.index]
            report.examples += r.examples
            report.relocations.update(r.relocations)
            report.stubs += r.stubs
            report.sites.update(r.sites)
            for n, seen in r.values.items():
                report.values.setdefault(n, set()).update(seen)
            report.recipes += r.recipes
            report.overflows += r.overflows
            for f in r.failures:
                if any(seen.endswith(f) for seen in report.failures):
                    continue                # the same failure in another share (no corpus, say)
                if len(parts) > 1 and not f.startswith("worker "):
                    f = f"share {s.part} (seed {s.seed}): {f}"
                report.failures.append(f)
        applied = set(report.relocations)
        report.never = sorted(h.name for h in _targets.get(name).relocations.values() if h.name not in applied)
        merged.append(report)
    return merged
