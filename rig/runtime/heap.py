"""The allocator behind `malloc` and friends: bookkeeping over an address range.

`Heap` never touches memory; it only decides which addresses are handed out.
The caller (the runtime's `calloc`, `realloc`) reads and writes the bytes
through the `HostContext`.  Allocation is first-fit over a sorted free list,
and freed blocks are coalesced with their neighbours, which is plenty for
test programs.
"""
from __future__ import annotations

import bisect

from ..errors import HostFunctionError

#: Every block is a multiple of this, so malloc(0) still gets a unique address
#: and neighbouring blocks never share a 16-byte line (glibc's granularity).
GRANULE = 16


def _align_up(value: int, align: int) -> int:
    return (value + align - 1) & -align


class Heap:
    """First-fit allocator over ``[base, base + size)``.

    Implements the runtime's `Heap` protocol: `allocate`, `release`,
    `size_of`, plus `reset` and `in_use`.
    """

    def __init__(self, base: int, size: int):
        """Manage the `size` bytes starting at `base` (nothing is allocated yet)."""
        if base < 0 or size < 0:
            raise ValueError(f"heap range must be non-negative, got base={base:#x} size={size:#x}")
        self.base = base
        self.size = size
        self.reset()

    def reset(self) -> None:
        """Forget every allocation: the whole range is free again."""
        # Free blocks as parallel sorted lists of starts and sizes, so the
        # neighbours of a freed block are found by bisection.
        self._free_starts: list[int] = [self.base] if self.size else []
        self._free_sizes: list[int] = [self.size] if self.size else []
        # address -> (block size, requested size)
        self._blocks: dict[int, tuple[int, int]] = {}

    @property
    def in_use(self) -> int:
        """Bytes currently allocated, as requested by the callers."""
        return sum(req for _, req in self._blocks.values())

    def allocate(self, size: int, align: int = GRANULE) -> int:
        """The address of a fresh block of at least `size` bytes aligned to
        `align` (a power of two), or 0 when no free block is big enough."""
        if align <= 0 or align & (align - 1):
            raise HostFunctionError(f"allocation alignment {align} is not a power of two")
        align = max(align, GRANULE)
        need = _align_up(max(size, 1), GRANULE)
        for i, (start, length) in enumerate(zip(self._free_starts, self._free_sizes)):
            # Address 0 is NULL, so a heap based at 0 must never return it.
            address = _align_up(max(start, 1), align)
            end = start + length
            if address + need > end:
                continue
            del self._free_starts[i], self._free_sizes[i]
            # Give back the alignment padding in front and the tail behind.
            if address > start:
                self._insert_free(start, address - start)
            if end > address + need:
                self._insert_free(address + need, end - address - need)
            self._blocks[address] = (need, size)
            return address
        return 0

    def release(self, address: int) -> None:
        """Return the block at `address` to the free pool; 0 is a no-op.

        Raises `HostFunctionError` for an address that is not currently
        allocated (never returned by `allocate`, or already released)."""
        if address == 0:
            return
        block = self._blocks.pop(address, None)
        if block is None:
            raise HostFunctionError(
                f"free({address:#x}): not a pointer malloc returned (or already freed)")
        self._insert_free(address, block[0])

    def size_of(self, address: int) -> int:
        """The size that was requested for the block at `address`."""
        block = self._blocks.get(address)
        if block is None:
            raise HostFunctionError(f"{address:#x} is not a pointer malloc returned")
        return block[1]

    def _insert_free(self, start: int, length: int) -> None:
        """Add a free block, merging it with adjacent free blocks."""
        i = bisect.bisect_left(self._free_starts, start)
        # Merge with the following block.
        if i < len(self._free_starts) and start + length == self._free_starts[i]:
            length += self._free_sizes[i]
            del self._free_starts[i], self._free_sizes[i]
        # Merge with the preceding block.
        if i > 0 and self._free_starts[i - 1] + self._free_sizes[i - 1] == start:
            self._free_sizes[i - 1] += length
            return
        self._free_starts.insert(i, start)
        self._free_sizes.insert(i, length)

    def __repr__(self) -> str:
        return (f"Heap({self.base:#x}, {self.size:#x}: {len(self._blocks)} blocks, "
                f"{self.in_use} bytes in use)")
