"""The malformed-input campaign: many hostile inputs per target, each in a
sandboxed child, counted by what came out.

Input `i` for target `t` is generated from `random.Random(f"{seed}:{t}:{i}")`,
so a campaign is reproducible from its seed, whatever `jobs` is.  Every input
that is a finding (a non-RigError exception, a Jit left unusable, a hang, a
crash) is saved under `save` with a `.txt` beside it saying what it is and
how to replay it.  A hang or a crash is run again alone in a fresh child:
when it does not happen again, the inputs the child had run before it are
saved too (`<name>.history/`), since one of them may have set it up.
"""
from __future__ import annotations

import random
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, List, Optional, Sequence

from ._choice import RandomChoice
from .check import Outcome
from .generate import KINDS, Input, generate, seeds
from .sandbox import BATCH, MEMORY, TIMEOUT, Sandbox

#: Where findings go unless told otherwise.
DEFAULT_SAVE = ".rig-malformed"


@dataclass
class Finding:
    """One input that broke the rule, and where it was saved."""

    target: str
    index: int
    kind: str
    how: str
    status: str                    #: exception, unusable, hang, crash
    exception: str
    message: str
    traceback: str = ""
    saved: str = ""                #: the input's file ("" when not saved)
    alone: Optional[bool] = None   #: for a hang or crash: did it happen again in a fresh child?

    def as_dict(self) -> dict:
        """Plain data for JSON."""
        return dict(self.__dict__)


@dataclass
class TargetReport:
    """One target's share of the campaign."""

    target: str
    inputs: int = 0
    kinds: Counter = field(default_factory=Counter)          #: inputs by how they were made
    loaded: int = 0                                          #: inputs that loaded (and were run)
    rejected: int = 0                                        #: inputs a RigError refused
    rig_errors: Counter = field(default_factory=Counter)     #: every RigError raised, by class
    exceptions: Counter = field(default_factory=Counter)     #: non-RigErrors, by class
    hangs: int = 0
    crashes: int = 0
    unusable: int = 0                                        #: inputs after which good code no longer ran
    worker_crashes: int = 0       #: LLVM died in the compile worker (a CompileError: by the rule, fine)
    findings: List[Finding] = field(default_factory=list)
    peak_rss: int = 0                                        #: bytes, the largest of any child's
    seconds: float = 0.0                                     #: summed over the inputs

    @property
    def failures(self) -> int:
        """Inputs that broke the rule (only RigErrors, the Jit still usable, no hang, no crash)."""
        return sum(self.exceptions.values()) + self.hangs + self.crashes + self.unusable

    def add(self, inp: Input, out: Outcome) -> None:
        """Count one input's outcome."""
        self.inputs += 1
        self.kinds[inp.kind] += 1
        self.rig_errors.update(out.errors)
        self.peak_rss = max(self.peak_rss, out.rss)
        self.seconds += out.seconds
        self.worker_crashes += out.worker_crashed
        if out.status == "loaded":
            self.loaded += 1
        elif out.status == "rejected":
            self.rejected += 1
        elif out.status == "exception":
            self.exceptions[out.exception] += 1
        elif out.status == "hang":
            self.hangs += 1
        elif out.status == "crash":
            self.crashes += 1
        elif out.status == "unusable":
            self.unusable += 1

    def as_dict(self) -> dict:
        """Plain data for JSON."""
        return {"target": self.target, "inputs": self.inputs, "kinds": dict(self.kinds), "loaded": self.loaded,
                "rejected": self.rejected, "rig_errors": dict(self.rig_errors),
                "exceptions": dict(self.exceptions), "hangs": self.hangs, "crashes": self.crashes,
                "unusable": self.unusable, "worker_crashes": self.worker_crashes, "failures": self.failures,
                "peak_rss": self.peak_rss,
                "seconds": round(self.seconds, 3), "findings": [f.as_dict() for f in self.findings]}


@dataclass
class Report:
    """The whole campaign: one `TargetReport` per target."""

    seed: int
    targets: List[TargetReport]
    save: Optional[str] = None
    seconds: float = 0.0
    children: int = 0                 #: child processes started (one per batch, crash or hang)

    @property
    def ok(self) -> bool:
        """No target had a failure."""
        return not any(t.failures for t in self.targets)

    @property
    def inputs(self) -> int:
        """Inputs tried, over every target."""
        return sum(t.inputs for t in self.targets)

    def as_dict(self) -> dict:
        """Plain data for JSON."""
        return {"ok": self.ok, "seed": self.seed, "inputs": self.inputs, "save": self.save,
                "seconds": round(self.seconds, 3), "children": self.children,
                "targets": [t.as_dict() for t in self.targets]}


def input_for(target: str, seed: int, index: int, kinds: Sequence[str] = KINDS, corpus_dir=None) -> Input:
    """Input `index` of a campaign with `seed` on `target` (what the campaign ran, again)."""
    return generate(target, RandomChoice(random.Random(f"{seed}:{target}:{index}")), kinds, corpus_dir)


def _split(count: int, n: int) -> List[int]:
    return [count // n + (1 if k < count % n else 0) for k in range(n)]


def campaign(targets: Sequence[str], count: int, seed: Optional[int] = None, *,
             save: Optional[str] = DEFAULT_SAVE, jobs: int = 1, timeout: float = TIMEOUT, batch: int = BATCH,
             memory: int = MEMORY, kinds: Sequence[str] = KINDS, corpus_dir=None,
             tick: Callable[[str], None] = lambda t: None) -> Report:
    """Run `count` hostile inputs in all, split evenly over `targets`, through
    `jobs` sandboxed children; see the module's docstring.  `seed` None draws one
    (the report says which).  `save` None keeps findings in the report only."""
    import targets as _targets
    for t in targets:
        _targets.get(t)                        # an unknown name fails now, not in a child
    if seed is None:
        seed = random.SystemRandom().randrange(1 << 32)
    t0 = time.perf_counter()
    reports = {t: TargetReport(t) for t in targets}
    for t in targets:
        seeds(t, corpus_dir)                   # compile the seeds once, here, not in each thread
    work = [(t, i) for t, n in zip(targets, _split(count, len(targets))) for i in range(n)]
    lock = threading.Lock()
    position = iter(work)
    saved_dir = Path(save) if save else None
    sandboxes: List[Sandbox] = []

    broken: List[BaseException] = []

    def worker() -> None:
        box = Sandbox(timeout=timeout, batch=batch, memory=memory)
        with lock:
            sandboxes.append(box)
        try:
            while not broken:
                with lock:
                    item = next(position, None)
                if item is None:
                    return
                target, index = item
                inp = input_for(target, seed, index, kinds, corpus_dir)
                out = box.run(inp)
                finding = None
                if not out.ok:
                    finding = Finding(target, index, inp.kind, inp.how, out.status, out.exception, out.message,
                                      out.traceback)
                    if out.status in ("hang", "crash"):
                        history = list(box.history[:-1])
                        again = box.run(inp, fresh=True)
                        finding.alone = again.status == out.status
                        if not finding.alone and saved_dir is not None:
                            _save_history(saved_dir, seed, target, index, history)
                    if saved_dir is not None:
                        finding.saved = _save(saved_dir, seed, inp, index, finding)
                with lock:
                    reports[target].add(inp, out)
                    if finding is not None:
                        reports[target].findings.append(finding)
                tick(target)
        except BaseException as e:  # noqa: BLE001 - a bug of the campaign itself: stop every thread, re-raise
            broken.append(e)
        finally:
            box.stop()

    threads = [threading.Thread(target=worker, name=f"rig-malformed-{k}", daemon=True)
               for k in range(max(1, min(jobs, len(work) or 1)))]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    if broken:
        raise broken[0]
    return Report(seed, [reports[t] for t in targets], str(saved_dir) if saved_dir else None,
                  time.perf_counter() - t0, sum(b.started for b in sandboxes))


def _stem(seed: int, target: str, index: int) -> str:
    return f"{target}-{seed}-{index}"


def _save(directory: Path, seed: int, inp: Input, index: int, finding: Finding) -> str:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / (_stem(seed, inp.target, index) + inp.suffix)
    path.write_bytes(inp.data)
    note = [f"target: {inp.target}", f"made: {inp.kind}: {inp.how}", f"status: {finding.status}",
            f"exception: {finding.exception}", f"message: {finding.message}",
            f"replay: python -m rig.malformed replay {path} --target {inp.target}"]
    if finding.alone is not None:
        note.append("alone in a fresh process: " + ("happens again" if finding.alone else
                                                   "does not happen; see the .history directory"))
    if finding.traceback:
        note += ["", finding.traceback]
    path.with_name(path.name + ".txt").write_text("\n".join(note) + "\n")
    return str(path)


def _save_history(directory: Path, seed: int, target: str, index: int, history: List[Input]) -> None:
    where = directory / (_stem(seed, target, index) + ".history")
    where.mkdir(parents=True, exist_ok=True)
    for k, inp in enumerate(history):
        (where / f"{k:04d}-{inp.target}{inp.suffix}").write_bytes(inp.data)
