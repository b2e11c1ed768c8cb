"""The allocator: placement, alignment, coalescing and misuse."""
from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from rig.errors import HostFunctionError
from rig.runtime import Heap


def test_allocations_are_distinct_aligned_and_inside_the_range():
    heap = Heap(0x1000, 0x1000)
    blocks = [(heap.allocate(n), n) for n in (1, 7, 16, 33, 100)]
    for address, n in blocks:
        assert address % 16 == 0 and 0x1000 <= address and address + n <= 0x2000
        assert heap.size_of(address) == n
    spans = sorted((a, a + n) for a, n in blocks)
    assert all(end <= start for (_, end), (start, _) in zip(spans, spans[1:]))
    assert heap.in_use == 1 + 7 + 16 + 33 + 100


def test_malloc_zero_gives_unique_non_null_pointers():
    heap = Heap(0, 0x100)
    a, b = heap.allocate(0), heap.allocate(0)
    assert a and b and a != b          # a heap based at 0 still never returns NULL
    assert heap.size_of(a) == 0


def test_exhaustion_returns_zero_and_free_makes_room():
    heap = Heap(0x1000, 0x100)
    a = heap.allocate(0x80)
    b = heap.allocate(0x80)
    assert a and b
    assert heap.allocate(1) == 0
    assert heap.allocate(1 << 70) == 0
    heap.release(a)
    assert heap.allocate(0x80) == a


def test_free_blocks_coalesce():
    heap = Heap(0x1000, 0x300)
    a, b, c = (heap.allocate(0x100) for _ in range(3))
    assert heap.allocate(0x200) == 0
    heap.release(a)
    heap.release(c)
    assert heap.allocate(0x200) == 0   # two separate holes
    heap.release(b)                    # joins both neighbours
    assert heap.allocate(0x300) == 0x1000


def test_alignment_request():
    heap = Heap(0x1010, 0x1000)
    a = heap.allocate(8, align=256)
    assert a % 256 == 0
    b = heap.allocate(8)               # the padding before `a` is still usable
    assert b == 0x1010
    with pytest.raises(HostFunctionError):
        heap.allocate(8, align=24)


def test_free_of_foreign_pointer_and_double_free_raise():
    heap = Heap(0x1000, 0x1000)
    heap.release(0)                    # free(NULL) is fine
    with pytest.raises(HostFunctionError, match=r"free\(0x1234\): not a pointer malloc returned"):
        heap.release(0x1234)
    a = heap.allocate(10)
    with pytest.raises(HostFunctionError):
        heap.release(a + 16)           # interior pointer
    heap.release(a)
    with pytest.raises(HostFunctionError, match=hex(a)):
        heap.release(a)
    with pytest.raises(HostFunctionError):
        heap.size_of(a)


def test_reset_forgets_everything():
    heap = Heap(0x1000, 0x100)
    a = heap.allocate(0x100)
    heap.reset()
    assert heap.in_use == 0
    with pytest.raises(HostFunctionError):
        heap.release(a)
    assert heap.allocate(0x100) == 0x1000


@settings(max_examples=60)
@given(st.lists(st.tuples(st.booleans(), st.integers(0, 300)), max_size=60))
def test_random_sequences_never_overlap_and_full_release_restores_all(ops):
    heap = Heap(0x4000, 0x4000)
    live: dict[int, int] = {}
    for do_alloc, n in ops:
        if do_alloc or not live:
            a = heap.allocate(n)
            if a:
                assert a not in live
                live[a] = n
        else:
            a = sorted(live)[n % len(live)]
            heap.release(a)
            del live[a]
        spans = sorted((a, a + max(n, 1)) for a, n in live.items())
        assert all(end <= start for (_, end), (start, _) in zip(spans, spans[1:]))
        assert all(0x4000 <= s and e <= 0x8000 for s, e in spans)
        assert heap.in_use == sum(live.values())
    for a in live:
        heap.release(a)
    assert heap.allocate(0x4000) == 0x4000
