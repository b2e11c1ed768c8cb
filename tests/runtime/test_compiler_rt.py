"""compiler-rt / ARM RTABI helpers: C division semantics, wrapping, the
RTABI argument orders, and the conversions."""
from __future__ import annotations

import math
import struct

import pytest
from hypothesis import given, strategies as st

from rig.errors import ProgramExit

from .conftest import FakeContext

I32 = st.integers(-2**31, 2**31 - 1)
U32 = st.integers(0, 2**32 - 1)
I64 = st.integers(-2**63, 2**63 - 1)
U64 = st.integers(0, 2**64 - 1)
I128 = st.integers(-2**127, 2**127 - 1)
U128 = st.integers(0, 2**128 - 1)


def c_div(a: int, b: int) -> tuple[int, int]:
    """C's truncating division, exact (no wrapping), b != 0."""
    q = int(abs(a) // abs(b)) * (1 if (a < 0) == (b < 0) else -1)
    return q, a - q * b


@pytest.mark.parametrize("a,b,q,r", [
    (7, 2, 3, 1), (-7, 2, -3, -1), (7, -2, -3, 1), (-7, -2, 3, -1),
    (-2**31, -1, -2**31, 0),                 # wraps
    (-2**31, 1, -2**31, 0), (5, 0, 0, 5), (-5, 0, 0, -5), (0, 0, 0, 0), (1, 3, 0, 1),
])
def test_idivmod_examples(ctx32, a, b, q, r):
    assert ctx32.call("__aeabi_idivmod", a, b) == (q, r)
    assert ctx32.call("__aeabi_idiv", a, b) == q
    assert ctx32.call("__divsi3", a, b) == q
    assert ctx32.call("__modsi3", a, b) == r


@given(I32, I32)
def test_idivmod_properties(a, b):
    q, r = FakeContext(4).call("__aeabi_idivmod", a, b)
    if b == 0:
        assert (q, r) == (0, a)
    elif (a, b) == (-2**31, -1):
        assert (q, r) == (-2**31, 0)
    else:
        assert q * b + r == a and abs(r) < abs(b)
        assert r == 0 or (r < 0) == (a < 0)
        assert (q, r) == c_div(a, b)


@given(U32, U32)
def test_uidivmod(a, b):
    ctx = FakeContext(4)
    expected = (a // b, a % b) if b else (0, a)
    assert ctx.call("__aeabi_uidivmod", a, b) == expected
    assert ctx.call("__aeabi_uidiv", a, b) == expected[0]
    assert ctx.call("__udivsi3", a, b) == expected[0]
    assert ctx.call("__umodsi3", a, b) == expected[1]


@given(I64, I64)
def test_64_bit_signed_division(a, b):
    ctx = FakeContext(4)
    if b == 0:
        expected = (0, a)
    elif (a, b) == (-2**63, -1):
        expected = (-2**63, 0)
    else:
        expected = c_div(a, b)
    assert ctx.call("__aeabi_ldivmod", a, b) == expected
    assert (ctx.call("__divdi3", a, b), ctx.call("__moddi3", a, b)) == expected


@given(U64, U64)
def test_64_bit_unsigned_division(a, b):
    ctx = FakeContext(4)
    expected = (a // b, a % b) if b else (0, a)
    assert ctx.call("__aeabi_uldivmod", a, b) == expected
    assert (ctx.call("__udivdi3", a, b), ctx.call("__umoddi3", a, b)) == expected


@given(I128, I128)
def test_128_bit_signed(a, b):
    ctx = FakeContext(8)
    if b == 0:
        expected = (0, a)
    elif (a, b) == (-2**127, -1):
        expected = (-2**127, 0)
    else:
        expected = c_div(a, b)
    assert (ctx.call("__divti3", a, b), ctx.call("__modti3", a, b)) == expected
    product = (a * b) % 2**128
    assert ctx.call("__multi3", a, b) == (product - 2**128 if product >= 2**127 else product)


@given(U128, U128)
def test_128_bit_unsigned(a, b):
    ctx = FakeContext(8)
    expected = (a // b, a % b) if b else (0, a)
    assert (ctx.call("__udivti3", a, b), ctx.call("__umodti3", a, b)) == expected


def test_128_bit_examples(ctx):
    assert ctx.call("__divti3", -2**127, -1) == -2**127
    assert ctx.call("__modti3", -7, 2) == -1
    assert ctx.call("__udivti3", 2**128 - 1, 2**64) == 2**64 - 1
    assert ctx.call("__multi3", 2**127 - 1, 2) == -2


def test_64_bit_shifts_and_multiply(ctx32):
    assert ctx32.call("__aeabi_llsl", 1, 63) == 2**63
    assert ctx32.call("__aeabi_llsl", 3, 63) == 2**63          # wraps
    assert ctx32.call("__aeabi_llsl", 1, 64) == 0
    assert ctx32.call("__aeabi_llsr", 2**64 - 1, 60) == 15
    assert ctx32.call("__aeabi_llsr", 2**64 - 1, 0) == 2**64 - 1
    assert ctx32.call("__aeabi_lasr", -2**63, 63) == -1
    assert ctx32.call("__aeabi_lasr", -256, 4) == -16
    assert ctx32.call("__aeabi_lasr", -5, 64) == -1
    assert ctx32.call("__aeabi_lasr", 5, 70) == 0
    assert ctx32.call("__aeabi_lmul", 2**62, 4) == 0
    assert ctx32.call("__aeabi_lmul", -3, 2**62) == 2**62       # -3 * 2^62 mod 2^64
    assert ctx32.call("__aeabi_lmul", -3, 5) == -15
    assert ctx32.call("__aeabi_lcmp", -1, 1) == -1
    assert ctx32.call("__aeabi_ulcmp", 2**64 - 1, 1) == 1
    assert ctx32.call("__aeabi_lcmp", 4, 4) == 0


def test_aeabi_memory_helpers_use_rtabi_argument_order(ctx32):
    dest = ctx32.heap.allocate(16)
    ctx32.write(dest, b"\xaa" * 16)
    assert ctx32.call("__aeabi_memset", dest, 4, ord("x")) is None    # (dest, n, c)
    assert ctx32.call("__aeabi_memset8", dest + 4, 2, 0x179) is None
    assert ctx32.read(dest, 7) == b"xxxxyy\xaa"
    ctx32.call("__aeabi_memclr4", dest, 2)
    assert ctx32.read(dest, 4) == b"\0\0xx"
    ctx32.call("__aeabi_memcpy", dest, ctx32.put(b"hello", nul=False), 5)
    ctx32.call("__aeabi_memmove8", dest + 1, dest, 5)
    assert ctx32.read(dest, 7) == b"hhello\xaa"


def test_unwind_personality_routines_abort(ctx32):
    with pytest.raises(ProgramExit):
        ctx32.call("__aeabi_unwind_cpp_pr0")


def d_bits(x: float) -> int:
    return struct.unpack("<Q", struct.pack("<d", x))[0]


def f32(x: float) -> float:
    return struct.unpack("<f", struct.pack("<f", x))[0]


def f_bits(x: float) -> int:
    return struct.unpack("<I", struct.pack("<f", x))[0]


def test_aeabi_conversions_pass_floats_as_bits(ctx32):
    assert ctx32.call("__aeabi_d2lz", d_bits(-3.9)) == -3
    assert ctx32.call("__aeabi_d2lz", d_bits(1e30)) == 2**63 - 1             # saturates
    assert ctx32.call("__aeabi_d2lz", d_bits(-math.inf)) == -2**63
    assert ctx32.call("__aeabi_d2lz", d_bits(math.nan)) == 0
    assert ctx32.call("__aeabi_d2ulz", d_bits(-1.0)) == 0
    assert ctx32.call("__aeabi_d2ulz", d_bits(2.0**64)) == 2**64 - 1
    assert ctx32.call("__aeabi_d2ulz", d_bits(2.0**63 + 2048)) == 2**63 + 2048
    assert ctx32.call("__aeabi_f2lz", f_bits(-2.5)) == -2
    assert ctx32.call("__aeabi_f2ulz", f_bits(1e19)) == int(f32(1e19))
    assert ctx32.call("__aeabi_f2ulz", f_bits(3e19)) == 2**64 - 1
    assert ctx32.call("__aeabi_l2d", -2**63) == d_bits(-2.0**63)
    assert ctx32.call("__aeabi_ul2d", 2**64 - 1) == d_bits(2.0**64)
    assert ctx32.call("__aeabi_l2d", 2**53 + 1) == d_bits(2.0**53)            # ties to even
    assert ctx32.call("__aeabi_l2f", -1) == f_bits(-1.0)
    assert ctx32.call("__aeabi_ul2f", 2**64 - 1) == f_bits(2.0**64)


def test_int_to_float32_rounds_once(ctx32, ctx):
    # Rounding to double first lands exactly halfway between two floats and
    # then ties to even (down); rounding once goes up.
    n = 2**63 + 2**39 + 1
    assert ctx32.call("__aeabi_ul2f", n) == f_bits(2.0**63 + 2**40)
    assert ctx.call("__floatundisf", n) == 2.0**63 + 2**40
    assert ctx.call("__floatdisf", 2**62 + 2**38 + 1) == 2.0**62 + 2**39
    assert ctx.call("__floatuntisf", 2**128 - 1) == math.inf                 # beyond FLT_MAX
    assert ctx.call("__floattisf", -2**127) == -2.0**127


def test_generic_conversions(ctx):
    assert ctx.call("__fixdfti", -1e30) == -1000000000000000019884624838656
    assert ctx.call("__fixdfti", 1e40) == 2**127 - 1
    assert ctx.call("__fixunsdfti", 1e40) == 2**128 - 1
    assert ctx.call("__fixunsdfti", -5.0) == 0
    assert ctx.call("__fixsfti", math.nan) == 0
    assert ctx.call("__fixunssfti", 2.0**100) == 2**100
    assert ctx.call("__fixdfdi", -0.9) == 0
    assert ctx.call("__fixunsdfdi", 1.8e19) == 18000000000000000000
    assert ctx.call("__fixsfdi", -2.0**63) == -2**63
    assert ctx.call("__fixunssfdi", 7.75) == 7
    assert ctx.call("__floattidf", -2**127) == -2.0**127
    assert ctx.call("__floatuntidf", 2**128 - 1) == 2.0**128
    assert ctx.call("__floatdidf", -(2**53 + 1)) == -2.0**53
    assert ctx.call("__floatundidf", 2**64 - 1) == 2.0**64


def test_powi(ctx):
    assert ctx.call("__powidf2", 2.0, 10) == 1024.0
    assert ctx.call("__powidf2", 2.0, -2) == 0.25
    assert ctx.call("__powidf2", 0.0, -1) == math.inf
    assert ctx.call("__powidf2", -0.0, -1) == -math.inf
    assert ctx.call("__powidf2", 10.0, 400) == math.inf
    assert ctx.call("__powidf2", 5.0, 0) == 1.0
    assert ctx.call("__powidf2", 3.0, -2**31) == 0.0
    a = f32(1.1)
    assert ctx.call("__powisf2", a, 3) == f32(a * f32(a * a))          # compiler-rt's order
    assert ctx.call("__powisf2", 2.0, 128) == math.inf


def test_overflow_checking_multiply(ctx):
    flag = ctx.heap.allocate(4)
    assert ctx.call("__mulodi4", 2**62, 2, flag) == -2**63
    assert ctx.read(flag, 4) == b"\1\0\0\0"
    assert ctx.call("__mulodi4", -2**62, 2, flag) == -2**63
    assert ctx.read(flag, 4) == b"\0\0\0\0"
    assert ctx.call("__muloti4", 2**126, -2, flag) == -2**127
    assert ctx.read(flag, 4) == b"\0\0\0\0"
    assert ctx.call("__muloti4", 2**126, 2, flag) == -2**127
    assert ctx.read(flag, 4) == b"\1\0\0\0"


@given(U64)
def test_bit_counts(a):
    ctx = FakeContext(8)
    lo = a & 0xFFFFFFFF
    assert ctx.call("__popcountdi2", a) == bin(a).count("1")
    assert ctx.call("__popcountsi2", lo) == bin(lo).count("1")
    assert ctx.call("__popcountti2", a << 64 | a) == 2 * bin(a).count("1")
    assert ctx.call("__clzdi2", a) == 64 - a.bit_length()
    assert ctx.call("__clzsi2", lo) == 32 - lo.bit_length()
    if a:
        assert (a >> ctx.call("__ctzdi2", a)) & 1 and ctx.call("__ctzdi2", a) < 64
    if lo:
        assert ctx.call("__ctzsi2", lo) == (lo & -lo).bit_length() - 1
