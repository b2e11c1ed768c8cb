"""The pages a program maps through the kernel (mmap, brk) and their reservations.

Each mapping is fresh emulator memory (`Process.map_zeroed`), so any page of it
can be unmapped or re-protected on its own, and holds its pages in the
process's `AddressSpace` under an owner string that names it (a fault there
reads "... [memory the program mapped with mmap at ...]").  Memory the rig
itself manages (modules, the stack, the host heap) is never the kernel's to
unmap or re-protect.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import List, Optional, Tuple

from ..errors import PlacementError
from ..layout import PAGE, page_up
from .syscalls import EINVAL, ENOMEM, Errno

BRK_STEP = 64 << 10          #: the least the mapped part of the break grows by


@dataclass
class Mapping:
    """Pages [start, end) the program mapped, with their permissions."""

    start: int
    end: int
    perms: str
    what: str                    #: "mmap" or "brk"
    owner: Optional[str] = None  #: its reservation in the address space (None: brk's, held whole)


class AddressMap:
    """The kernel's side of the address space: mappings sorted by address, a
    byte budget (`limit`), and the program break."""

    def __init__(self, process, *, limit: int, brk_limit: int, max_maps: int = 1024):
        self.process = process
        self.space = process.space
        self.limit = limit
        self.max_maps = max_maps
        self.used = 0
        self.maps: List[Mapping] = []
        self._starts: List[int] = []
        self.brk_limit = brk_limit
        self.brk_base: Optional[int] = None
        self.brk = 0
        self.brk_mapped = 0          #: end of the pages mapped for the break (a step past it)

    # -- queries -------------------------------------------------------------

    def overlapping(self, start: int, end: int) -> List[Mapping]:
        """The mappings that hold any page of [start, end)."""
        i = max(0, bisect.bisect_right(self._starts, start) - 1)
        out = []
        while i < len(self.maps) and self.maps[i].start < end:
            if self.maps[i].end > start:
                out.append(self.maps[i])
            i += 1
        return out

    def covered(self, start: int, end: int) -> bool:
        """True when every page of [start, end) is in a mapping."""
        at = start
        for m in self.overlapping(start, end):
            if m.start > at:
                return False
            at = max(at, m.end)
        return at >= end

    def foreign(self, start: int, end: int) -> Optional[object]:
        """Who else holds pages of [start, end) that no mapping covers (the rig's own
        memory, the brk reserve), or None."""
        at = start
        for m in self.overlapping(start, end) + [Mapping(end, end, "", "")]:
            if m.start > at:
                owner = self.space.conflict(at, m.start)
                if owner is not None:
                    return owner
            at = max(at, m.end)
        return None

    def in_space(self, start: int, end: int) -> bool:
        return self.space.lo <= start < end <= self.space.hi

    def free(self, start: int, end: int) -> bool:
        """True when [start, end) lies in the space and nobody holds any page of it."""
        return self.in_space(start, end) and self.space.conflict(start, end) is None

    def find(self, size: int, hint: int = 0) -> int:
        """A free page-aligned address for `size` bytes: at `hint` when free, else the lowest."""
        if hint and hint % PAGE == 0 and self.free(hint, hint + size):
            return hint
        try:
            return self.space.find_free(size)
        except PlacementError:
            raise Errno(ENOMEM) from None

    # -- changes -------------------------------------------------------------------

    def charge(self, size: int) -> None:
        """Count `size` more bytes against the limit, or -ENOMEM."""
        if size < 0 or self.used + size > self.limit:
            raise Errno(ENOMEM)

    def room(self, more: int) -> None:
        """-ENOMEM unless `more` mappings fit under `max_maps` (Linux's vm.max_map_count:
        Unicorn slows down sharply past about a thousand regions)."""
        if len(self.maps) + more > self.max_maps:
            raise Errno(ENOMEM)

    def map(self, start: int, end: int, perms: str, what: str = "mmap", reserve: bool = True) -> Mapping:
        """Map fresh zeroed pages [start, end) (free, charged by the caller or here)."""
        self.charge(end - start)
        self.room(1)
        self.process.map_zeroed(start, end - start, perms)
        m = Mapping(start, end, perms, what)
        if reserve:
            m.owner = f"memory the program mapped with {what} at [{start:#x}, {end:#x})"
            self.space.reserve(m.owner, start, end)
        self._insert(m)
        self.used += end - start
        return m

    def unmap(self, start: int, end: int) -> None:
        """Unmap whatever mappings hold of [start, end); their other pages stay."""
        held = self.overlapping(start, end)
        self.room(sum(m.start < start and m.end > end for m in held))     # a mapping split in two
        for m in held:
            lo, hi = max(start, m.start), min(end, m.end)
            self.process.unmap(lo, hi - lo)
            self._remove(m)
            self.used -= hi - lo
            for a, b in ((m.start, lo), (hi, m.end)):
                if a < b:
                    self._insert(self._piece(m, a, b, m.perms))

    def protect(self, start: int, end: int, perms: str) -> None:
        """Set the permissions of [start, end) (all of it mapped)."""
        held = self.overlapping(start, end)
        self.room(sum((m.start < start) + (m.end > end) for m in held))   # pieces left on either side
        for m in held:
            lo, hi = max(start, m.start), min(end, m.end)
            self.process.protect(lo, hi - lo, perms)
            self._remove(m)
            for a, b, p in ((m.start, lo, m.perms), (lo, hi, perms), (hi, m.end, m.perms)):
                if a < b:
                    self._insert(self._piece(m, a, b, p))

    def _piece(self, m: Mapping, a: int, b: int, perms: str) -> Mapping:
        piece = Mapping(a, b, perms, m.what)
        if m.owner is not None:
            piece.owner = f"memory the program mapped with {m.what} at [{a:#x}, {b:#x})"
            self.space.reserve(piece.owner, a, b)
        return piece

    def _insert(self, m: Mapping) -> None:
        i = bisect.bisect_left(self._starts, m.start)
        self._starts.insert(i, m.start)
        self.maps.insert(i, m)

    def _remove(self, m: Mapping) -> None:
        i = self.maps.index(m)
        del self.maps[i], self._starts[i]
        if m.owner is not None:
            self.space.release(m.owner)

    # -- the program break ---------------------------------------------------------

    def set_brk(self, address: int) -> int:
        """brk(2): move the break to `address` if it can, and answer the break."""
        if self.brk_base is None:
            try:
                self.brk_base = self.space.find_free(self.brk_limit)
            except PlacementError:
                return 0
            self.space.reserve("the program break (brk)", self.brk_base, self.brk_base + self.brk_limit)
            self.brk = self.brk_mapped = self.brk_base
        top = self.brk_base + self.brk_limit
        if not (self.brk_base <= address <= top):
            return self.brk
        new_end = page_up(address)
        try:
            if new_end > self.brk_mapped:
                # Grow by a step of at least BRK_STEP and half of what is mapped, so a
                # program that moves the break a page at a time makes few regions; the
                # pages of the step past the break are usable (Linux would fault there).
                step = max(new_end - self.brk_mapped, BRK_STEP, (self.brk_mapped - self.brk_base) // 2)
                end = min(page_up(self.brk_mapped + step), top)
                if self.used + (end - self.brk_mapped) > self.limit:
                    end = new_end
                self.map(self.brk_mapped, end, "rw", "brk", reserve=False)
                self.brk_mapped = end
            elif address < self.brk and new_end < self.brk_mapped:      # a shrink gives pages back
                self.unmap(new_end, self.brk_mapped)
                self.brk_mapped = new_end
        except Errno:
            return self.brk          # brk answers failure with the old break
        self.brk = address
        return self.brk

    def clear(self) -> None:
        """Unmap everything the program mapped (mmap and the break), for a new run."""
        for m in list(self.maps):
            self.unmap(m.start, m.end)
        if self.brk_base is not None:
            self.space.release("the program break (brk)")
        self.brk_base, self.brk, self.brk_mapped, self.used = None, 0, 0, 0

    def brk_range(self) -> Tuple[int, int]:
        """[base, break) of the program break (empty before the first brk)."""
        return (self.brk_base or 0, self.brk)


def page_span(address: int, length: int) -> Tuple[int, int]:
    """[start, end) of whole pages for a page-aligned address and a length, or -EINVAL."""
    if address % PAGE:
        raise Errno(EINVAL)
    return address, address + page_up(length)
