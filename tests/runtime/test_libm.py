"""libm host functions: C's edge cases, float32 rounding, and agreement with
the host's glibc libm for the exactly-specified functions."""
from __future__ import annotations

import ctypes
import ctypes.util
import math
import struct

import pytest
from hypothesis import given, strategies as st

from rig.runtime import default_functions

F = default_functions()
inf, nan = math.inf, math.nan


def m(name, *args):
    """Call a libm host function (it needs no context)."""
    return F[name].impl(None, *args)


def same(a: float, b: float) -> bool:
    """Equal as IEEE values: NaN matches NaN, and the sign of zero matters."""
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return a == b and math.copysign(1, a) == math.copysign(1, b)


def f32(x: float) -> float:
    return struct.unpack("<f", struct.pack("<f", x))[0]


@pytest.mark.parametrize("name,args,expected", [
    ("sqrt", (-1.0,), nan), ("sqrt", (-0.0,), -0.0), ("sqrt", (inf,), inf), ("sqrt", (4.0,), 2.0),
    ("log", (0.0,), -inf), ("log", (-0.0,), -inf), ("log", (-1.0,), nan), ("log", (inf,), inf),
    ("log2", (0.0,), -inf), ("log2", (8.0,), 3.0), ("log10", (0.0,), -inf), ("log10", (1e5,), 5.0),
    ("exp", (1000.0,), inf), ("exp", (-inf,), 0.0), ("exp", (nan,), nan), ("exp2", (10.0,), 1024.0),
    ("exp2", (2000.0,), inf),
    ("pow", (10.0, 400.0), inf), ("pow", (-10.0, 401.0), -inf), ("pow", (-10.0, 400.0), inf),
    ("pow", (0.0, -1.0), inf), ("pow", (-0.0, -1.0), -inf), ("pow", (-0.0, -2.0), inf),
    ("pow", (-8.0, 1 / 3), nan), ("pow", (1.0, nan), 1.0), ("pow", (nan, 0.0), 1.0),
    ("pow", (2.0, -1075.0), 0.0), ("pow", (-1.0, inf), 1.0),
    ("fmod", (5.5, 0.0), nan), ("fmod", (inf, 2.0), nan), ("fmod", (5.5, inf), 5.5),
    ("fmod", (-7.0, 3.0), -1.0), ("fmod", (7.0, -3.0), 1.0), ("fmod", (-0.0, 3.0), -0.0),
    ("sin", (inf,), nan), ("cos", (-inf,), nan), ("tan", (inf,), nan), ("sin", (-0.0,), -0.0),
    ("floor", (-0.5,), -1.0), ("floor", (0.5,), 0.0), ("floor", (-0.0,), -0.0), ("floor", (inf,), inf),
    ("floor", (nan,), nan), ("floor", (1e300,), 1e300),
    ("ceil", (-0.5,), -0.0), ("ceil", (0.2,), 1.0), ("ceil", (-inf,), -inf),
    ("trunc", (-1.7,), -1.0), ("trunc", (-0.7,), -0.0), ("trunc", (nan,), nan),
    ("round", (0.5,), 1.0), ("round", (1.5,), 2.0), ("round", (2.5,), 3.0), ("round", (-2.5,), -3.0),
    ("round", (-0.4,), -0.0), ("round", (0.49999999999999994,), 0.0), ("round", (inf,), inf),
    ("round", (4503599627370497.0,), 4503599627370497.0),
    ("fmin", (nan, 1.0), 1.0), ("fmin", (1.0, nan), 1.0), ("fmax", (nan, -1.0), -1.0),
    ("fmin", (2.0, -3.0), -3.0), ("fmax", (2.0, -3.0), 2.0), ("fmax", (nan, nan), nan),
    ("copysign", (3.0, -0.0), -3.0), ("copysign", (-3.0, nan), 3.0), ("fabs", (-0.0,), 0.0),
    ("hypot", (1.5e308, 1.5e308), inf), ("asin", (2.0,), nan), ("atan2", (0.0, -1.0), math.pi),
    ("sqrtf", (-1.0,), nan), ("logf", (0.0,), -inf), ("expf", (100.0,), inf),
    ("expf", (-200.0,), 0.0), ("powf", (2.0, 128.0), inf), ("powf", (2.0, 127.0), 2.0 ** 127),
    ("floorf", (-0.5,), -1.0), ("roundf", (2.5,), 3.0), ("fmodf", (1.0, 0.0), nan),
])
def test_c_edge_cases(name, args, expected):
    assert same(m(name, *args), expected)


def test_float_variants_round_to_float32():
    assert m("sqrtf", 2.0) == f32(math.sqrt(2.0)) != math.sqrt(2.0)
    assert m("sinf", 1.0) == f32(math.sin(1.0))
    assert m("expf", 1.0) == f32(math.e)
    assert m("powf", 10.0, 0.5) == f32(math.sqrt(10.0))
    assert m("fmodf", f32(5.3), 2.0) == f32(f32(5.3) - 4.0)
    # Near FLT_MAX: rounding down stays finite, rounding up overflows to inf.
    flt_max = f32(3.4028234663852886e38)
    assert m("fabsf", -flt_max) == flt_max


_libm = ctypes.CDLL(ctypes.util.find_library("m"))
for _name in ("sqrt", "floor", "ceil", "trunc", "round", "fmod", "fmin", "fmax", "copysign"):
    getattr(_libm, _name).restype = ctypes.c_double
    getattr(_libm, _name).argtypes = ([ctypes.c_double, ctypes.c_double]
                                      if _name in ("fmod", "fmin", "fmax", "copysign")
                                      else [ctypes.c_double])
for _name in ("sqrtf", "floorf", "roundf", "fmodf"):
    getattr(_libm, _name).restype = ctypes.c_float
    getattr(_libm, _name).argtypes = [ctypes.c_float] * (2 if _name == "fmodf" else 1)

doubles = st.floats(allow_nan=True, allow_infinity=True) | st.sampled_from(
    [0.5, -0.5, 1.5, 2.5, -2.5, 0.49999999999999994, -0.0, 4503599627370495.5])
floats = st.floats(width=32, allow_nan=True, allow_infinity=True)


@given(doubles, doubles)
def test_exact_functions_agree_with_glibc(x, y):
    for name in ("sqrt", "floor", "ceil", "trunc", "round"):
        assert same(m(name, x), getattr(_libm, name)(x)), (name, x)
    for name in ("fmod", "copysign"):
        assert same(m(name, x, y), getattr(_libm, name)(x, y)), (name, x, y)
    for name in ("fmin", "fmax"):
        if not (x == y == 0):                 # the sign of a zero result is unspecified
            assert same(m(name, x, y), getattr(_libm, name)(x, y)), (name, x, y)


@given(floats, floats)
def test_exact_float_functions_agree_with_glibc(x, y):
    for name in ("sqrtf", "floorf", "roundf"):
        assert same(m(name, x), getattr(_libm, name)(x)), (name, x)
    assert same(m("fmodf", x, y), _libm.fmodf(x, y)), ("fmodf", x, y)
