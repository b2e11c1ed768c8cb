"""The C math library (libm) as host functions, with C's edge-case results.

Python's `math` raises where C returns a value (``sqrt(-1)`` is NaN,
``log(0)`` is -inf, an overflowing ``exp`` is +inf), and its floor/ceil/trunc
return ints; each function here returns what C99 Annex F specifies instead.
The ``f``-suffixed variants compute in double and round the result to
float32, as a float function returns it.
"""
from __future__ import annotations

import math
import struct

from .host import host

_INF = math.inf
_NAN = math.nan


def to_f32(x: float) -> float:
    """`x` rounded to the nearest float32 (±inf when it overflows, as a C
    cast does; Python's struct refuses instead)."""
    try:
        return struct.unpack("<f", struct.pack("<f", x))[0]
    except OverflowError:
        return math.copysign(_INF, x)


def _is_odd_integer(y: float) -> bool:
    return math.isfinite(y) and y == math.floor(y) and math.fmod(y, 2.0) != 0.0


def _integral(fn, x: float) -> float:
    """floor/ceil/trunc as a float: inf, nan and ±0 come back unchanged, and
    a zero result keeps the sign of `x` (ceil(-0.5) is -0.0)."""
    if not math.isfinite(x) or x == 0.0:
        return x
    return math.copysign(float(fn(x)), x)


def _c_sqrt(x: float) -> float:
    return _NAN if x < 0 else math.sqrt(x)   # sqrt(-0.0) stays -0.0


def _c_floor(x: float) -> float:
    return _integral(math.floor, x)


def _c_ceil(x: float) -> float:
    return _integral(math.ceil, x)


def _c_trunc(x: float) -> float:
    return _integral(math.trunc, x)


def _c_round(x: float) -> float:
    # C rounds halfway cases away from zero (Python's round() goes to even);
    # x - trunc(x) is exact, so no 0.49999999999999994 + 0.5 trouble.
    if not math.isfinite(x):
        return x
    t = float(math.trunc(x))
    if abs(x - t) >= 0.5:
        t += math.copysign(1.0, x)
    return math.copysign(t, x)


def _c_fmod(x: float, y: float) -> float:
    try:
        return math.fmod(x, y)               # fmod(x, inf) == x already
    except ValueError:                       # y == 0 or x infinite
        return _NAN


def _c_trig(fn):
    def call(x: float) -> float:
        try:
            return fn(x)
        except ValueError:                   # sin/cos/tan of ±inf
            return _NAN
    return call


def _c_exp(x: float) -> float:
    try:
        return math.exp(x)
    except OverflowError:
        return _INF


def _c_exp2(x: float) -> float:
    try:
        return math.pow(2.0, x)
    except OverflowError:
        return _INF


def _c_log(fn):
    def call(x: float) -> float:
        if x == 0.0:
            return -_INF                     # the pole, for +0 and -0
        if x < 0:
            return _NAN
        return fn(x)                         # inf and nan pass through
    return call


def _c_pow(x: float, y: float) -> float:
    try:
        return math.pow(x, y)                # already Annex F for pow(1, nan) etc.
    except ValueError:
        if x == 0.0:                         # pow(±0, negative): a pole
            negative = math.copysign(1.0, x) < 0 and _is_odd_integer(y)
            return -_INF if negative else _INF
        return _NAN                          # negative base, non-integer exponent
    except OverflowError:
        return -_INF if x < 0 and _is_odd_integer(y) else _INF


def _c_fmin(x: float, y: float) -> float:
    # A NaN argument is ignored when the other is a number.
    if math.isnan(x):
        return y
    if math.isnan(y):
        return x
    return min(x, y)


def _c_fmax(x: float, y: float) -> float:
    if math.isnan(x):
        return y
    if math.isnan(y):
        return x
    return max(x, y)


def _c_hypot(x: float, y: float) -> float:
    try:
        return math.hypot(x, y)
    except OverflowError:
        return _INF


#: C name (double version) -> implementation over Python floats.  Each also
#: gets an ``f`` variant over float32.
_UNARY = {
    "sqrt": _c_sqrt, "fabs": math.fabs, "floor": _c_floor, "ceil": _c_ceil,
    "trunc": _c_trunc, "round": _c_round,
    "sin": _c_trig(math.sin), "cos": _c_trig(math.cos), "tan": _c_trig(math.tan),
    "asin": _c_trig(math.asin), "acos": _c_trig(math.acos), "atan": math.atan,
    "exp": _c_exp, "exp2": _c_exp2,
    "log": _c_log(math.log), "log2": _c_log(math.log2), "log10": _c_log(math.log10),
}
_BINARY = {
    "fmod": _c_fmod, "pow": _c_pow, "fmin": _c_fmin, "fmax": _c_fmax,
    "copysign": math.copysign, "atan2": math.atan2, "hypot": _c_hypot,
}


def _define(namespace: dict) -> None:
    """Add a host function for every entry of the tables, double and float."""
    def add(name: str, signature: str, impl, doc: str) -> None:
        impl.__name__ = impl.__qualname__ = name
        impl.__doc__ = doc
        namespace[name] = host(signature, name)(impl)

    for name, fn in _UNARY.items():
        doc = f"C `{name}` with C99 Annex F edge cases."
        add(name, "f64(f64)", lambda ctx, x, fn=fn: fn(x), doc)
        add(name + "f", "f32(f32)", lambda ctx, x, fn=fn: to_f32(fn(x)),
            f"C `{name}f`: `{name}` rounded to float32.")
    for name, fn in _BINARY.items():
        doc = f"C `{name}` with C99 Annex F edge cases."
        add(name, "f64(f64, f64)", lambda ctx, x, y, fn=fn: fn(x, y), doc)
        add(name + "f", "f32(f32, f32)", lambda ctx, x, y, fn=fn: to_f32(fn(x, y)),
            f"C `{name}f`: `{name}` rounded to float32.")


_define(globals())
