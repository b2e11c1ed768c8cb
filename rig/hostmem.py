"""Host memory behind the remote pages: reused buffers, not fresh allocations.

Every trial maps a module's pages at new addresses and unmaps them after.
`Uc.mem_map` makes QEMU allocate (and the kernel fault in and zero) fresh
host memory each time; `Uc.mem_map_ptr` over a buffer we keep costs about
half as much (15 us against 33 us a page run here), and a reused buffer is
already resident.  The pool hands out page-aligned anonymous mappings by
size, zeroed on reuse (a freshly mapped page must read as zero: .bss relies
on it), and keeps a bounded number of free buffers per size.
"""
from __future__ import annotations

import ctypes
import mmap
from typing import Dict, List, Tuple


class HostPages:
    """A pool of zeroed, page-aligned host buffers, keyed by size."""

    def __init__(self, keep_per_size: int = 64):
        self._free: Dict[int, List[Tuple[mmap.mmap, int]]] = {}
        self._keep = keep_per_size

    def take(self, size: int) -> Tuple[mmap.mmap, int]:
        """A zeroed buffer of `size` bytes and its host address."""
        free = self._free.get(size)
        if free:
            buf, address = free.pop()
            ctypes.memset(address, 0, size)
            return buf, address
        buf = mmap.mmap(-1, size)        # anonymous: page-aligned and zero
        return buf, ctypes.addressof(ctypes.c_char.from_buffer(buf))

    def give(self, size: int, buf: Tuple[mmap.mmap, int]) -> None:
        """Return a buffer taken with `take` (it is zeroed when taken again)."""
        free = self._free.setdefault(size, [])
        if len(free) < self._keep:
            free.append(buf)

    def clear(self) -> None:
        """Drop every free buffer."""
        self._free.clear()
