"""A fake remote process for runtime tests: bytearray memory, captured output,
and a `call` helper that invokes a host function the way the process does."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

# Make `rig` importable when pytest is run without the project on sys.path.
_ROOT = str(Path(__file__).resolve().parents[2])
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

from rig.errors import ProgramExit  # noqa: E402
from rig.runtime import Heap, default_functions  # noqa: E402
from rig.signature import coerce_int, ctype, from_bits  # noqa: E402

MEMORY_BASE = 0x10000
MEMORY_SIZE = 0x20000
HEAP_BASE = 0x20000          # the upper half of memory is the heap
SCRATCH = 0x11000            # where `put` places test data

FUNCTIONS = default_functions()


class FakeVarArgs:
    """Variadic arguments given as raw values, read like register slots:
    each `next(type)` reinterprets the next value's bits as that type."""

    def __init__(self, values, pointer_size: int):
        self.values = list(values)
        self.pointer_size = pointer_size
        self.types: list[str] = []          # what the callee asked for, in order

    def next(self, type_name: str):
        self.types.append(type_name)
        value = self.values.pop(0)
        if type_name == "f64":
            return float(value)
        return from_bits(value, ctype(type_name), self.pointer_size)


class FakeContext:
    """A `HostContext` over a bytearray at MEMORY_BASE."""

    def __init__(self, pointer_size: int = 8):
        self.pointer_size = pointer_size
        self.memory = bytearray(MEMORY_SIZE)
        self.heap = Heap(HEAP_BASE, MEMORY_BASE + MEMORY_SIZE - HEAP_BASE)
        self.streams = {1: bytearray(), 2: bytearray()}
        self._scratch = SCRATCH

    def _span(self, address: int, size: int) -> slice:
        start = address - MEMORY_BASE
        if start < 0 or start + size > MEMORY_SIZE:
            raise AssertionError(f"access outside memory: {address:#x}+{size}")
        return slice(start, start + size)

    def read(self, address: int, size: int) -> bytes:
        return bytes(self.memory[self._span(address, size)])

    def write(self, address: int, data: bytes) -> None:
        self.memory[self._span(address, len(data))] = data

    def read_cstring(self, address: int, limit: int = 1 << 20) -> bytes:
        start = self._span(address, 0).start
        stop = min(start + limit, MEMORY_SIZE)
        end = self.memory.find(0, start, stop)
        return bytes(self.memory[start:end if end >= 0 else stop])

    def output(self, stream: int, data: bytes) -> None:
        self.streams[stream] += data

    def exit(self, status: int, kind: str = "exit"):
        raise ProgramExit(f"{kind}({status})", status=status, stdout=bytes(self.streams[1]),
                          stderr=bytes(self.streams[2]), kind=kind)

    environ = 0
    exit_handlers: list = []

    def stream_of(self, file: int):
        return file if file in (1, 2) else None

    def at_exit(self, function: int, argument: int = 0, with_argument: bool = False) -> None:
        self.exit_handlers = self.exit_handlers + [(function, argument, with_argument)]

    def abort(self):
        raise ProgramExit("abort()", status=128 + 6, stdout=bytes(self.streams[1]),
                          stderr=bytes(self.streams[2]))

    # --- test conveniences ---

    @property
    def stdout(self) -> bytes:
        return bytes(self.streams[1])

    @property
    def stderr(self) -> bytes:
        return bytes(self.streams[2])

    def put(self, data: bytes, nul: bool = True) -> int:
        """Place `data` (NUL-terminated unless told) in scratch memory."""
        address = self._scratch
        self.write(address, data + (b"\0" if nul else b""))
        self._scratch += (len(data) + 1 + 15) & -16
        assert self._scratch < HEAP_BASE
        return address

    def call(self, name: str, *args):
        """Call host function `name` as the process would: fixed arguments
        checked against the signature, the rest passed as `FakeVarArgs`, and
        the result reduced to its type (a tuple for a register group)."""
        fn = FUNCTIONS[name]
        sig = fn.signature
        fixed, extra = args[:len(sig.params)], args[len(sig.params):]
        assert len(fixed) == len(sig.params), f"{name} takes {len(sig.params)} arguments"
        assert sig.variadic or not extra, f"{name} is not variadic"
        decoded = [a if t.kind == "float" else from_bits(coerce_int(a, t, self.pointer_size),
                                                        t, self.pointer_size)
                   for a, t in zip(fixed, sig.params)]
        if sig.variadic:
            decoded.append(FakeVarArgs(extra, self.pointer_size))
        result = fn.impl(self, *decoded)
        if not sig.result:
            assert result is None
            return None
        values = result if len(sig.result) > 1 else (result,)
        assert len(values) == len(sig.result)
        out = tuple(v if t.kind == "float" else from_bits(coerce_int(v, t, self.pointer_size),
                                                          t, self.pointer_size)
                    for v, t in zip(values, sig.result))
        return out if len(out) > 1 else out[0]


@pytest.fixture
def ctx() -> FakeContext:
    """A 64-bit (LP64) fake process."""
    return FakeContext(8)


@pytest.fixture
def ctx32() -> FakeContext:
    """A 32-bit (ILP32) fake process."""
    return FakeContext(4)
