"""Where each argument and result of a C call lives, for any target.

One algorithm, parametrised by the target's `CallingConvention`: the SysV
x86-64, AAPCS64 and AAPCS-VFP (hard-float) rules differ only in the register
lists, slot sizes, register-pair alignment, VFP back-filling and where
variadic floating-point values go.  This module computes locations and
converts values to and from raw bits; it never touches Unicorn.
"""
from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import List, Tuple

from targets.base import CallingConvention

from .signature import CType, coerce_int, from_bits, ctype
from .errors import SignatureError


@dataclass(frozen=True)
class Loc:
    """One piece of a value: in register `reg`, or at `offset` of the stack
    argument area (`reg` None).  `size` bytes; pieces of a wide integer come
    low part first."""

    reg: str | None
    offset: int
    size: int


class ArgAllocator:
    """Hands out argument locations in order, as the caller's compiler would."""

    def __init__(self, cc: CallingConvention, pointer_size: int):
        self.cc = cc
        self.ptr = pointer_size
        self.ngrn = 0
        self.nfp = 0
        self.vfp_free = [True] * (2 * len(cc.float_args)) if cc.vfp_backfill else None
        self.stack = 0

    def _stack(self, size: int, align: int) -> List[Loc]:
        slot = max(size, self.cc.stack_slot)
        align = min(max(align, self.cc.stack_slot), self.cc.stack_arg_align_cap)
        self.stack = -(-self.stack // align) * align
        loc = Loc(None, self.stack, size)
        self.stack += -(-slot // self.cc.stack_slot) * self.cc.stack_slot
        return [loc]

    def _ints(self, size: int) -> List[Loc]:
        regs = self.cc.int_args
        n = max(1, -(-size // self.ptr))
        if n > 1 and self.cc.pair_align:
            # AAPCS (64-bit values) and AAPCS64 (128-bit values) start a
            # register pair at an even register; SysV does not.
            self.ngrn += self.ngrn & 1
        if self.ngrn + n <= len(regs):
            locs = [Loc(regs[self.ngrn + i], 0, min(self.ptr, size - i * self.ptr)) for i in range(n)]
            self.ngrn += n
            return locs
        self.ngrn = len(regs)
        return self._stack(size, size)

    def _float(self, size: int) -> List[Loc]:
        if self.vfp_free is not None:
            units = size // 4
            for i in range(0, len(self.vfp_free), units):
                if all(self.vfp_free[i:i + units]):
                    for j in range(i, i + units):
                        self.vfp_free[j] = False
                    return [Loc(f"s{i}" if units == 1 else f"d{i // 2}", 0, size)]
            # Once a VFP argument goes to the stack, no later one back-fills.
            self.vfp_free = [False] * len(self.vfp_free)
            return self._stack(size, size)
        if self.nfp < len(self.cc.float_args):
            self.nfp += 1
            return [Loc(self.cc.float_args[self.nfp - 1], 0, size)]
        return self._stack(size, size)

    def next(self, t: CType, variadic: bool = False) -> List[Loc]:
        """The locations of the next argument of type `t`."""
        size = t.byte_size(self.ptr)
        if t.kind == "float":
            if variadic:
                size = 8                      # C promotes float to double
                if self.cc.variadic_floats_in_int:
                    return self._ints(8)
            return self._float(size)
        return self._ints(size)


def result_locations(cc: CallingConvention, types: Tuple[CType, ...], pointer_size: int) -> List[List[Loc]]:
    """Where a function's result(s) are returned: one list of pieces per value."""
    out, ngrn = [], 0
    for t in types:
        size = t.byte_size(pointer_size)
        if t.kind == "float":
            reg = cc.float_ret if size == 8 or not cc.vfp_backfill else "s0"
            out.append([Loc(reg, 0, size)])
            continue
        n = max(1, -(-size // pointer_size))
        if n > 1 and cc.pair_align:
            ngrn += ngrn & 1
        if ngrn + n > len(cc.int_ret):
            raise SignatureError(f"result {t.name} does not fit the result registers")
        out.append([Loc(cc.int_ret[ngrn + i], 0, min(pointer_size, size - i * pointer_size)) for i in range(n)])
        ngrn += n
    return out


def to_bits(value, t: CType, pointer_size: int) -> int:
    """The raw little-endian bits of `value` as C type `t`."""
    if t.kind == "float":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise SignatureError(f"expected a number for {t.name}, got {value!r}")
        fmt = "<f" if t.byte_size(pointer_size) == 4 else "<d"
        try:
            return int.from_bytes(struct.pack(fmt, value), "little")
        except OverflowError:
            raise SignatureError(f"{value!r} does not fit {t.name}") from None
    return coerce_int(value, t, pointer_size)


def from_raw(bits: int, t: CType, pointer_size: int):
    """The Python value of raw bits as C type `t`."""
    if t.kind == "float":
        if t.byte_size(pointer_size) == 4:
            return struct.unpack("<f", (bits & 0xFFFFFFFF).to_bytes(4, "little"))[0]
        return struct.unpack("<d", (bits & (2**64 - 1)).to_bytes(8, "little"))[0]
    return from_bits(bits, t, pointer_size)


def split(bits: int, locs: List[Loc]) -> List[Tuple[Loc, int]]:
    """Cut a value's bits into its pieces, low part first."""
    out, shift = [], 0
    for loc in locs:
        out.append((loc, (bits >> shift) & ((1 << (8 * loc.size)) - 1)))
        shift += 8 * loc.size
    return out


def join(pieces: List[int], locs: List[Loc]) -> int:
    """Reassemble a value from its pieces' raw bits."""
    value, shift = 0, 0
    for loc, piece in zip(locs, pieces):
        value |= (piece & ((1 << (8 * loc.size)) - 1)) << shift
        shift += 8 * loc.size
    return value


VARARG_TYPES = {name: ctype(name) for name in ("i32", "u32", "i64", "u64", "ptr", "size", "ssize", "f64")}


class CallPlan:
    """A signature's argument and result locations, worked out once.

    A host function is called thousands of times from a loop (ARM's
    `__aeabi_uidivmod`); computing locations per call cost more than the call.
    `arg_regs` lists the argument registers to read, in order.
    """

    def __init__(self, cc: CallingConvention, params: Tuple[CType, ...], results: Tuple[CType, ...],
                 pointer_size: int, variadic: bool = False):
        self.ptr = pointer_size
        self.variadic = variadic
        alloc = ArgAllocator(cc, pointer_size)
        self.arg_regs: List[str] = []
        self.params = []              # per param: (type, [(register index | None, stack offset, size)])
        for t in params:
            pieces = []
            for loc in alloc.next(t):
                if loc.reg is not None:
                    pieces.append((len(self.arg_regs), 0, loc.size))
                    self.arg_regs.append(loc.reg)
                else:
                    pieces.append((None, loc.offset, loc.size))
            self.params.append((t, pieces))
        self._after_fixed = alloc
        self.results = list(zip(results, result_locations(cc, results, pointer_size)))

    def varargs_allocator(self) -> ArgAllocator:
        """A fresh allocator positioned after the fixed parameters."""
        a = self._after_fixed
        b = ArgAllocator(a.cc, a.ptr)
        b.ngrn, b.nfp, b.stack = a.ngrn, a.nfp, a.stack
        b.vfp_free = list(a.vfp_free) if a.vfp_free is not None else None
        return b

    def decode(self, reg_values, read_stack) -> list:
        """Argument values from the batch-read registers and `read_stack(offset, size) -> int`."""
        out = []
        for t, pieces in self.params:
            bits, shift = 0, 0
            for index, offset, size in pieces:
                raw = reg_values[index] if index is not None else read_stack(offset, size)
                bits |= (raw & ((1 << (8 * size)) - 1)) << shift
                shift += 8 * size
            out.append(from_raw(bits, t, self.ptr))
        return out

    def encode_results(self, values) -> List[Tuple[str, int]]:
        """(register, raw value) pairs that return `values` (one per result type)."""
        writes = []
        for (t, locs), v in zip(self.results, values):
            if t.kind == "int" and isinstance(v, int) and not isinstance(v, bool):
                v &= (1 << (8 * t.byte_size(self.ptr))) - 1
            for loc, piece in split(to_bits(v, t, self.ptr), locs):
                writes.append((loc.reg, piece))
        return writes
