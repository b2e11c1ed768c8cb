"""One hostile input for a target: which kind, from which seed, mutated how.

Seeds are the corpus: each `.ll` program for the target (its own calls in
corpus/*.ll, whole programs with `main` in corpus/programs/*.ll) as IR text,
as bitcode (llvmlite, with the target's triple and datalayout) and as an
object compiled for the static and the PIC relocation model.  A seed is
valid; the mutation is what makes it hostile, and `Input.how` says both.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Sequence, Tuple

from . import bitcode as _bitcode, elf as _elf, ir as _ir
from ._choice import Choice

#: The kinds of input, in the order Hypothesis shrinks towards.
KINDS = ("elf", "ir", "bitcode", "bytes")
#: How often each kind is drawn (out of 10): objects are the loader's own input.
WEIGHTS = {"elf": 5, "ir": 3, "bitcode": 1, "bytes": 1}
#: Seeds per target, at most (the smallest programs: faster to compile, load and mutate).
MAX_SEEDS = 16
#: File suffixes a saved input gets, by what it looks like.
SUFFIX = {"object": ".o", "bitcode": ".bc", "ir": ".ll"}


@dataclass(frozen=True)
class Input:
    """One hostile input: its bytes, the target it is for, and how it was made."""

    target: str
    kind: str            #: "elf", "ir", "bitcode" or "bytes" (how it was made)
    data: bytes
    how: str             #: the seed and the mutations, e.g. "loops.ll static: e_shoff 0x3a8 -> 0xffffffff"

    def __repr__(self) -> str:
        # The bytes run to kilobytes: a failure report shows their size and start, and `how`.
        return (f"Input(target={self.target!r}, kind={self.kind!r}, data=<{len(self.data):,} bytes: "
                f"{self.data[:24]!r}...>, how={self.how!r})")

    @property
    def looks_like(self) -> str:
        """What the loader will take it for: "object", "bitcode" or "ir" (`rig.compile.source_kind`)."""
        from ..compile import source_kind
        return source_kind(self.data)

    @property
    def reaches_llvm(self) -> bool:
        """True when loading it runs LLVM (IR text or bitcode), which can abort
        the whole process instead of raising (until the compile runs in a worker)."""
        return self.looks_like != "object"

    @property
    def suffix(self) -> str:
        """The file suffix to save it under."""
        return SUFFIX[self.looks_like]


@dataclass(frozen=True)
class Seeds:
    """A target's valid starting points."""

    target: str
    ir: Tuple[Tuple[str, str], ...]              #: (name, IR text)
    bitcode: Tuple[Tuple[str, bytes], ...]       #: (name, bitcode)
    objects: Tuple[Tuple[str, bytes], ...]       #: ("name reloc", object bytes)


_seeds: Dict[tuple, Seeds] = {}
_lock = threading.Lock()


def default_corpus() -> Path:
    """The repository's corpus directory (beside the package), else the packaged demo's."""
    here = Path(__file__).resolve().parent.parent.parent / "corpus"
    return here if here.is_dir() else Path(__file__).resolve().parent.parent / "demo"


def _candidates(corpus_dir: Path, target: str) -> list:
    from ..corpus import CorpusError, load
    chosen = []
    # half functions with stated calls (corpus/*.ll: relocation-rich), half whole programs with main
    for paths in (corpus_dir.glob("*.ll"), (corpus_dir / "programs").glob("*.ll")):
        out = []
        for path in sorted(paths):
            try:
                prog = load(path)
            except CorpusError:
                continue
            if target in prog.targets and not (prog.run and prog.run.extra):
                text = prog.source.decode("utf-8") if isinstance(prog.source, bytes) else prog.source
                out.append((len(text), path.name, text))
        chosen += sorted(out)[:MAX_SEEDS // 2]
    return [(name, text) for _, name, text in chosen]


def seeds(target: str, corpus_dir=None) -> Seeds:
    """The seeds for `target` (computed once per process; the compiles are cached on disk)."""
    corpus_dir = Path(corpus_dir) if corpus_dir is not None else default_corpus()
    key = (target, str(corpus_dir))
    with _lock:
        hit = _seeds.get(key)
        if hit is None:
            hit = _seeds[key] = _make_seeds(target, corpus_dir)
        return hit


def _make_seeds(target: str, corpus_dir: Path) -> Seeds:
    import targets as _targets
    from ..compile import Options, _llvm, compile_source
    from ..errors import RigError
    t = _targets.get(target)
    texts = _candidates(corpus_dir, target)
    if not texts:
        texts = [("tiny.ll", "define i32 @f(i32 %x) {\n  %r = add i32 %x, 1\n  ret i32 %r\n}\n")]
    objects, codes = [], []
    llvm = _llvm()
    layout = str(llvm.Target.from_triple(t.triple).create_target_machine().target_data)
    for name, text in texts:
        for reloc in ("static", "pic"):
            try:
                objects.append((f"{name} {reloc}", compile_source(text, t, Options(reloc), name)))
            except RigError:
                continue           # a seed the target cannot build is no seed
        try:
            module = llvm.parse_assembly(f'target datalayout = "{layout}"\ntarget triple = "{t.triple}"\n'
                                         + _strip(text))
            codes.append((name, module.as_bitcode()))
        except RuntimeError:
            continue
    return Seeds(target, tuple(texts), tuple(codes), tuple(objects))


def _strip(text: str) -> str:
    from ..compile import strip_target
    return strip_target(text)


def generate(target: str, choice: Choice, kinds: Sequence[str] = KINDS, corpus_dir=None) -> Input:
    """One hostile input for `target`, every decision from `choice`."""
    import targets as _targets
    unknown = set(kinds) - set(KINDS)
    if unknown or not kinds:
        raise ValueError(f"unknown input kinds {sorted(unknown)}; choose from {KINDS}")
    s = seeds(target, corpus_dir)
    pool = [k for k in KINDS if k in kinds for _ in range(WEIGHTS[k])]
    kind = choice.pick(pool)
    if kind == "elf" and s.objects:
        name, data = choice.pick(s.objects)
        data, how = _elf.mutate(data, choice)
    elif kind == "bitcode" and s.bitcode:
        name, data = choice.pick(s.bitcode)
        data, how = _bitcode.mutate(data, choice)
    elif kind in ("ir", "elf", "bitcode"):
        kind = "ir"
        name, text = choice.pick(s.ir)
        data, how = _ir.mutate(text, target, choice)
    else:
        name = "noise"
        data, how = _bitcode.random_bytes(_targets.get(target), choice)
    return Input(target, kind, data, f"{name}: {how}")


def inputs(target: str, kinds: Sequence[str] = KINDS, corpus_dir=None):
    """A Hypothesis strategy of hostile `Input`s for `target` (ELF objects, IR
    text, bitcode, random bytes; `kinds` keeps some)."""
    from hypothesis import strategies as st
    from ._choice import DrawChoice

    @st.composite
    def strategy(draw):
        return generate(target, DrawChoice(draw), kinds, corpus_dir)

    seeds(target, corpus_dir)          # compile now, not inside the first example
    return strategy()
