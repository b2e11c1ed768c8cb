"""Where a generator's decisions come from: a seeded `random.Random` (the
campaign, reproducible from its seed and an input's index) or a Hypothesis
`draw` (the strategies, which shrink).  The generators are written once,
against `Choice`, and serve both."""
from __future__ import annotations

import random
from typing import Callable, Sequence, TypeVar

T = TypeVar("T")


class Choice:
    """The decisions a generator may ask for.  Lists passed to `pick` put the
    simplest answer first: Hypothesis shrinks towards it."""

    def integer(self, lo: int, hi: int) -> int:
        """An integer in [lo, hi]."""
        raise NotImplementedError

    def pick(self, options: Sequence[T]) -> T:
        """One of `options`."""
        raise NotImplementedError

    def data(self, size: int) -> bytes:
        """`size` arbitrary bytes."""
        raise NotImplementedError

    def boolean(self) -> bool:
        """True or False."""
        return bool(self.integer(0, 1))


class RandomChoice(Choice):
    """Decisions from a `random.Random`."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def integer(self, lo: int, hi: int) -> int:
        """An integer in [lo, hi]."""
        return self.rng.randint(lo, hi)

    def pick(self, options: Sequence[T]) -> T:
        """One of `options`, uniformly."""
        return options[self.rng.randrange(len(options))]

    def data(self, size: int) -> bytes:
        """`size` random bytes."""
        return self.rng.randbytes(size)


class DrawChoice(Choice):
    """Decisions drawn from Hypothesis (inside `st.composite`)."""

    def __init__(self, draw: Callable):
        from hypothesis import strategies as st
        self.draw, self.st = draw, st

    def integer(self, lo: int, hi: int) -> int:
        """An integer in [lo, hi] (shrinks towards lo)."""
        return self.draw(self.st.integers(lo, hi))

    def pick(self, options: Sequence[T]) -> T:
        """One of `options` (shrinks towards the first)."""
        return self.draw(self.st.sampled_from(list(options)))

    def data(self, size: int) -> bytes:
        """`size` drawn bytes (shrink towards zeros)."""
        return self.draw(self.st.binary(min_size=size, max_size=size))
