"""The bounds on what an input can make the rig spend.

Every buffer and loop a guest or an input file can drive has a limit here; a
`Jit` carries one `Limits` (`rig.Jit(..., limits=Limits(output=1 << 30))`),
and crossing one raises `LimitExceeded`, which names the limit, the value
asked for and how to raise it.  The defaults are sane for tests and fuzzing;
a real program that needs more says so explicitly.
"""
from __future__ import annotations

from dataclasses import dataclass, fields, replace

from .errors import LimitExceeded

__all__ = ["Limits", "DEFAULT", "LimitExceeded", "exceeded"]


@dataclass(frozen=True)
class Limits:
    """Resource limits for one `Jit` (bytes unless said otherwise)."""

    #: an object file (ELF relocatable) read from a file, bytes, an archive member or the compiler
    object_size: int = 256 << 20
    #: all allocatable sections of one object together (a huge .bss or alignment padding)
    allocatable_size: int = 256 << 20
    #: the largest section alignment accepted (a power of two)
    section_align: int = 1 << 16
    #: what one run may write to stdout and stderr together, as captured
    output: int = 64 << 20
    #: the most one host function holds at once: a printf conversion's width or precision, a
    #: string it reads (strlen's scan); memset/memcpy go through longer lengths in chunks no larger
    host_buffer: int = 64 << 20
    #: exit handlers (atexit, destructors) one exit may run
    exit_handlers: int = 100_000
    #: memory of the compile worker (LLVM), and the seconds one compile may take
    compile_memory: int = 2 << 30
    compile_seconds: float = 120.0
    #: objects larger than this are not written to the disk cache
    cache_object_size: int = 32 << 20

    def with_(self, **changes) -> "Limits":
        """A copy with some limits changed (unknown names are a `TypeError`)."""
        return replace(self, **changes)


DEFAULT = Limits()
_NAMES = {f.name for f in fields(Limits)}


def exceeded(limit: str, asked: int, allowed: int, what: str) -> LimitExceeded:
    """The error for `what` asking `asked` where limit `limit` allows `allowed`."""
    if limit not in _NAMES:
        raise ValueError(f"no limit {limit!r}")
    return LimitExceeded(f"{what}: {asked:,} is over the {limit} limit of {allowed:,}; raise it with "
                         f"rig.Jit(..., limits=rig.limits.Limits({limit}=...))", limit=limit, asked=asked,
                         allowed=allowed)
