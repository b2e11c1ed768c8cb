"""A small bounded LRU map: the compile, parse and signature caches must not
grow without end when a fuzz campaign feeds thousands of distinct programs."""
from __future__ import annotations

from collections import OrderedDict


class LRU(OrderedDict):
    """An `OrderedDict` that forgets its least recently used entries beyond `size`."""

    def __init__(self, size: int = 256):
        super().__init__()
        self.size = size

    def get(self, key, default=None):
        """The value for `key` (now most recently used), or `default`."""
        if key in self:
            self.move_to_end(key)
            return self[key]
        return default

    def __setitem__(self, key, value):
        super().__setitem__(key, value)
        self.move_to_end(key)
        while len(self) > self.size:
            self.popitem(last=False)
