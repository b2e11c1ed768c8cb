"""The helper routines compilers call instead of emitting code inline.

The generic libgcc/compiler-rt names (``__divti3``, ``__udivdi3``,
``__popcountsi2``, ...), mostly for 128-bit arithmetic on 64-bit targets;
the ARM run-time ABI's ``__aeabi_*`` names live in `rig.runtime.aeabi`.

Semantics every caller must know:

* Division truncates toward zero and the remainder has the dividend's sign,
  as in C (Python's ``//`` floors, so it is not used on negative operands).
* Division by zero does not trap: the quotient is 0 and the remainder is the
  dividend -- what an AArch64 ``sdiv``/``msub`` pair yields.
* Results wrap to the type's width (``INT_MIN / -1 == INT_MIN``).
* Float-to-integer conversions saturate out of range and give 0 for NaN
  (AArch64 ``fcvtzs``/``fcvtzu`` behaviour).
"""
from __future__ import annotations

import math
import struct

from .host import HostContext, host
from .libm import to_f32


def _wrap(value: int, bits: int, signed: bool) -> int:
    """`value` reduced to a `bits`-wide integer, read as signed or unsigned."""
    value &= (1 << bits) - 1
    if signed and value >> (bits - 1):
        value -= 1 << bits
    return value


def _divmod(a: int, b: int, bits: int, signed: bool) -> tuple[int, int]:
    """C's truncating (quotient, remainder), wrapped; x / 0 is (0, x)."""
    if b == 0:
        return 0, _wrap(a, bits, signed)
    q = abs(a) // abs(b)
    if (a < 0) != (b < 0):
        q = -q
    return _wrap(q, bits, signed), _wrap(a - q * b, bits, signed)


# --- conversions -------------------------------------------------------------

def _bits_to_f64(bits: int) -> float:
    return struct.unpack("<d", struct.pack("<Q", bits & (1 << 64) - 1))[0]


def _f64_to_bits(x: float) -> int:
    return struct.unpack("<Q", struct.pack("<d", x))[0]


def _bits_to_f32(bits: int) -> float:
    return struct.unpack("<f", struct.pack("<I", bits & 0xFFFFFFFF))[0]


def _f32_to_bits(x: float) -> int:
    return struct.unpack("<I", struct.pack("<f", x))[0]


def _to_int(x: float, bits: int, signed: bool) -> int:
    """Truncate `x` toward zero into the integer type, saturating; NaN is 0."""
    if math.isnan(x):
        return 0
    lo, hi = (-(1 << bits - 1), (1 << bits - 1) - 1) if signed else (0, (1 << bits) - 1)
    if math.isinf(x):
        return hi if x > 0 else lo
    return min(max(math.trunc(x), lo), hi)


def _int_to_f32(n: int) -> float:
    """`n` correctly rounded to float32 (going through a double first could
    round twice)."""
    magnitude = abs(n)
    excess = magnitude.bit_length() - 24
    if excess > 0:                        # keep 24 significant bits, ties to even
        kept, rest = magnitude >> excess, magnitude & ((1 << excess) - 1)
        half = 1 << (excess - 1)
        if rest > half or (rest == half and kept & 1):
            kept += 1
        magnitude = kept << excess        # now exact in a double
    return to_f32(math.copysign(float(magnitude), n))


# The generic names use the target's normal calling convention, floats in
# FP registers.  64-bit ones are for 32-bit targets, 128-bit ones for 64-bit.

@host("i64(f64)", "__fixdfdi")
def fixdfdi(ctx: HostContext, x: float) -> int:
    """double to int64."""
    return _to_int(x, 64, True)


@host("u64(f64)", "__fixunsdfdi")
def fixunsdfdi(ctx: HostContext, x: float) -> int:
    """double to uint64."""
    return _to_int(x, 64, False)


@host("i64(f32)", "__fixsfdi")
def fixsfdi(ctx: HostContext, x: float) -> int:
    """float to int64."""
    return _to_int(x, 64, True)


@host("u64(f32)", "__fixunssfdi")
def fixunssfdi(ctx: HostContext, x: float) -> int:
    """float to uint64."""
    return _to_int(x, 64, False)


@host("i128(f64)", "__fixdfti")
def fixdfti(ctx: HostContext, x: float) -> int:
    """double to int128."""
    return _to_int(x, 128, True)


@host("u128(f64)", "__fixunsdfti")
def fixunsdfti(ctx: HostContext, x: float) -> int:
    """double to uint128."""
    return _to_int(x, 128, False)


@host("i128(f32)", "__fixsfti")
def fixsfti(ctx: HostContext, x: float) -> int:
    """float to int128."""
    return _to_int(x, 128, True)


@host("u128(f32)", "__fixunssfti")
def fixunssfti(ctx: HostContext, x: float) -> int:
    """float to uint128."""
    return _to_int(x, 128, False)


@host("f64(i64)", "__floatdidf")
def floatdidf(ctx: HostContext, n: int) -> float:
    """int64 to double."""
    return float(n)


@host("f64(u64)", "__floatundidf")
def floatundidf(ctx: HostContext, n: int) -> float:
    """uint64 to double."""
    return float(n)


@host("f32(i64)", "__floatdisf")
def floatdisf(ctx: HostContext, n: int) -> float:
    """int64 to float."""
    return _int_to_f32(n)


@host("f32(u64)", "__floatundisf")
def floatundisf(ctx: HostContext, n: int) -> float:
    """uint64 to float."""
    return _int_to_f32(n)


@host("f64(i128)", "__floattidf")
def floattidf(ctx: HostContext, n: int) -> float:
    """int128 to double."""
    return float(n)


@host("f64(u128)", "__floatuntidf")
def floatuntidf(ctx: HostContext, n: int) -> float:
    """uint128 to double."""
    return float(n)


@host("f32(i128)", "__floattisf")
def floattisf(ctx: HostContext, n: int) -> float:
    """int128 to float."""
    return _int_to_f32(n)


@host("f32(u128)", "__floatuntisf")
def floatuntisf(ctx: HostContext, n: int) -> float:
    """uint128 to float."""
    return _int_to_f32(n)


@host("f64(f64, i32)", "__powidf2")
def powidf2(ctx: HostContext, x: float, n: int) -> float:
    """x ** n for an integer n, by repeated squaring like compiler-rt."""
    return _powi(x, n)


@host("f32(f32, i32)", "__powisf2")
def powisf2(ctx: HostContext, x: float, n: int) -> float:
    """x ** n for a float x and integer n, by repeated squaring in float32."""
    return _powi(x, n, to_f32)


def _powi(x: float, n: int, rnd=float) -> float:
    # compiler-rt's algorithm, so the rounding matches: square-and-multiply,
    # then one reciprocal for a negative exponent.
    r, base, k = 1.0, x, abs(n)
    while True:
        if k & 1:
            r = rnd(r * base)
        k >>= 1
        if not k:
            break
        base = rnd(base * base)
    if n >= 0:
        return r
    return rnd(1.0 / r) if r else math.copysign(math.inf, r)   # IEEE 1/±0 is ±inf


# --- 64- and 128-bit integer arithmetic --------------------------------------

@host("i64(i64, i64)", "__divdi3")
def divdi3(ctx: HostContext, a: int, b: int) -> int:
    """Signed 64-bit a / b."""
    return _divmod(a, b, 64, True)[0]


@host("u64(u64, u64)", "__udivdi3")
def udivdi3(ctx: HostContext, a: int, b: int) -> int:
    """Unsigned 64-bit a / b."""
    return _divmod(a, b, 64, False)[0]


@host("i64(i64, i64)", "__moddi3")
def moddi3(ctx: HostContext, a: int, b: int) -> int:
    """Signed 64-bit a % b."""
    return _divmod(a, b, 64, True)[1]


@host("u64(u64, u64)", "__umoddi3")
def umoddi3(ctx: HostContext, a: int, b: int) -> int:
    """Unsigned 64-bit a % b."""
    return _divmod(a, b, 64, False)[1]


@host("i128(i128, i128)", "__divti3")
def divti3(ctx: HostContext, a: int, b: int) -> int:
    """Signed 128-bit a / b."""
    return _divmod(a, b, 128, True)[0]


@host("u128(u128, u128)", "__udivti3")
def udivti3(ctx: HostContext, a: int, b: int) -> int:
    """Unsigned 128-bit a / b."""
    return _divmod(a, b, 128, False)[0]


@host("i128(i128, i128)", "__modti3")
def modti3(ctx: HostContext, a: int, b: int) -> int:
    """Signed 128-bit a % b."""
    return _divmod(a, b, 128, True)[1]


@host("u128(u128, u128)", "__umodti3")
def umodti3(ctx: HostContext, a: int, b: int) -> int:
    """Unsigned 128-bit a % b."""
    return _divmod(a, b, 128, False)[1]


@host("i128(i128, i128)", "__multi3")
def multi3(ctx: HostContext, a: int, b: int) -> int:
    """128-bit a * b, wrapped."""
    return _wrap(a * b, 128, True)


@host("i64(i64, i64, ptr)", "__mulodi4")
def mulodi4(ctx: HostContext, a: int, b: int, overflow: int) -> int:
    """64-bit a * b, wrapped; stores 1 in the int at `overflow` if it
    overflowed, else 0."""
    return _mulo(ctx, a, b, 64, overflow)


@host("i128(i128, i128, ptr)", "__muloti4")
def muloti4(ctx: HostContext, a: int, b: int, overflow: int) -> int:
    """128-bit a * b, wrapped; stores 1 in the int at `overflow` if it
    overflowed, else 0."""
    return _mulo(ctx, a, b, 128, overflow)


def _mulo(ctx: HostContext, a: int, b: int, bits: int, overflow: int) -> int:
    product = _wrap(a * b, bits, True)
    ctx.write(overflow, (int(product != a * b)).to_bytes(4, "little"))
    return product


# --- bit counting --------------------------------------------------------------

@host("i32(u32)", "__popcountsi2")
def popcountsi2(ctx: HostContext, a: int) -> int:
    """Number of set bits in a 32-bit value."""
    return bin(a).count("1")


@host("i32(u64)", "__popcountdi2")
def popcountdi2(ctx: HostContext, a: int) -> int:
    """Number of set bits in a 64-bit value."""
    return bin(a).count("1")


@host("i32(u128)", "__popcountti2")
def popcountti2(ctx: HostContext, a: int) -> int:
    """Number of set bits in a 128-bit value."""
    return bin(a).count("1")


@host("i32(u32)", "__clzsi2")
def clzsi2(ctx: HostContext, a: int) -> int:
    """Leading zero bits of a 32-bit value (32 for 0, where C leaves it undefined)."""
    return 32 - a.bit_length()


@host("i32(u64)", "__clzdi2")
def clzdi2(ctx: HostContext, a: int) -> int:
    """Leading zero bits of a 64-bit value (64 for 0)."""
    return 64 - a.bit_length()


@host("i32(u32)", "__ctzsi2")
def ctzsi2(ctx: HostContext, a: int) -> int:
    """Trailing zero bits of a 32-bit value (32 for 0)."""
    return (a & -a).bit_length() - 1 if a else 32


@host("i32(u64)", "__ctzdi2")
def ctzdi2(ctx: HostContext, a: int) -> int:
    """Trailing zero bits of a 64-bit value (64 for 0)."""
    return (a & -a).bit_length() - 1 if a else 64
