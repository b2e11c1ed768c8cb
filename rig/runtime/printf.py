"""C `printf` formatting, byte for byte like glibc.

`format_printf` walks a format string, pulls each argument from a `VarArgs`
with the width the C default argument promotions give it, and renders it the
way glibc does (the tests compare against the host's real `snprintf`).
Integers are rendered by hand because C and Python disagree on precision,
``%#o`` and ``%#x`` of 0; finite floats go through Python's %-formatting,
which is correctly rounded like glibc's.
"""
from __future__ import annotations

import math
import re
import struct
from typing import Callable, Optional

from ..errors import HostFunctionError
from ..limits import DEFAULT as DEFAULT_LIMITS, exceeded
from .host import VarArgs

#: One conversion specification.  The conversion character is any character
#: so that unknown ones can be copied through literally, as glibc does.
_SPEC = re.compile(rb"%(?P<pos>\d+\$)?(?P<flags>[-+ #0]*)(?P<width>\*|\d+)?"
                   rb"(?:\.(?P<prec>\*|\d*))?(?P<len>hh|h|ll|l|q|L|j|z|Z|t)?(?P<conv>.)?", re.S)

#: Length modifiers naming a 64-bit integer on every target.
_LEN_64 = {"ll", "q", "L", "j"}
#: Length modifiers naming a pointer-sized integer (long, size_t, ptrdiff_t):
#: pointer-sized on both ILP32 and LP64 Linux.
_LEN_PTR = {"l", "z", "Z", "t"}


def format_printf(fmt: bytes, va: VarArgs, read_cstring: Callable[[int], bytes],
                  pointer_size: int, *, limit: int = DEFAULT_LIMITS.host_buffer,
                  checkpoint: Optional[Callable[[], None]] = None,
                  read_bounded: Optional[Callable[[int, int], bytes]] = None) -> bytes:
    """Render C format `fmt`, taking arguments from `va` in order.

    `read_cstring(address)` returns the NUL-terminated string at `address`
    (for ``%s``; `read_bounded(address, n)` at most `n` bytes of it, for
    ``%.ns``, which C reads no further); `pointer_size` (4 or 8) sets the
    width of ``long``, ``size_t`` and ``ptrdiff_t``.  ``%n`` consumes its
    pointer and writes nothing.  Raises `HostFunctionError` for what cannot
    be done faithfully: positional arguments (``%1$d``), ``%ls``, and
    ``%Lf`` on 64-bit targets (whose long double is not a double).

    Bounds: a width or precision over `limit` bytes, or output growing past
    it, is `LimitExceeded` ("host_buffer") before anything that size is
    built (glibc would write gigabytes for ``%2147483647d``);
    `checkpoint()` is called between conversions (the call's deadline).
    """
    out = bytearray()
    pos = 0
    while True:
        pct = fmt.find(b"%", pos)
        if pct < 0:
            out += fmt[pos:]
            return bytes(out)
        out += fmt[pos:pct]
        m = _SPEC.match(fmt, pct)
        pos = m.end()
        conv = (m["conv"] or b"").decode("latin-1")
        if m["pos"]:
            raise HostFunctionError(f"printf: positional argument in {m[0]!r} is not supported")
        flags = m["flags"].decode()
        width = _width(m["width"], va)
        if width < 0:                     # a negative '*' width means left-justify
            flags += "-"
            width = -width
        prec = _precision(m["prec"], va)
        # A %s precision only caps what is read (C programs pass INT_MAX with "%.*s"); every
        # other precision, and every width, is bytes to build.
        for what, value in (("width", width), ("precision", 0 if conv == "s" else prec or 0)):
            if value > limit:
                raise exceeded("host_buffer", value, limit, f"printf: the {what} of {m[0].decode('latin-1')!r}")
        length = (m["len"] or b"").decode()
        out += _convert(m[0], conv, flags, width, prec, length, va, read_cstring, pointer_size, read_bounded)
        if len(out) > limit:
            raise exceeded("host_buffer", len(out), limit, "printf: the formatted output")
        if checkpoint is not None:
            checkpoint()


def _width(text: Optional[bytes], va: VarArgs) -> int:
    if text is None:
        return 0
    return va.next("i32") if text == b"*" else int(text)


def _precision(text: Optional[bytes], va: VarArgs) -> Optional[int]:
    if text is None:
        return None
    if text == b"*":
        p = va.next("i32")
        return p if p >= 0 else None      # a negative '*' precision is as if omitted
    return int(text or b"0")              # "%.d" means precision 0


def _convert(spec: bytes, conv: str, flags: str, width: int, prec: Optional[int], length: str,
             va: VarArgs, read_cstring: Callable[[int], bytes], pointer_size: int,
             read_bounded: Optional[Callable[[int, int], bytes]] = None) -> bytes:
    """One conversion's output."""
    if conv in ("d", "i", "u", "o", "x", "X"):
        return _format_int(_int_arg(va, conv in "di", length, pointer_size), conv, flags, width, prec)
    if conv in ("f", "F", "e", "E", "g", "G", "a", "A"):
        if length == "L" and pointer_size != 4:
            raise HostFunctionError(f"printf: {spec!r}: long double is not supported on this target")
        return _format_float(va.next("f64"), conv, flags, width, prec)
    if conv == "c":
        value = va.next("i32")
        if length == "l":                 # wint_t: write the character as UTF-8
            if not 0 <= value < 0x110000:
                raise HostFunctionError(f"printf: {spec!r}: {value:#x} is not a character")
            body = chr(value).encode("utf-8", "surrogatepass")
        else:
            body = bytes([value & 0xFF])
        return _pad(b"", body, flags, width, zero_ok=False)
    if conv == "s":
        if length == "l":
            raise HostFunctionError(f"printf: {spec!r}: wide strings are not supported")
        address = va.next("ptr")
        if address == 0:
            # glibc prints "(null)", or nothing if the precision would cut it.
            body = b"(null)" if prec is None or prec >= 6 else b""
        elif prec is not None and read_bounded is not None:
            body = read_bounded(address, prec)     # C reads no further than the precision
        else:
            body = read_cstring(address)
            if prec is not None:
                body = body[:prec]
        return _pad(b"", body, flags, width, zero_ok=False)
    if conv == "p":
        address = va.next("ptr")
        if address == 0:
            return _pad(b"", b"(nil)", flags, width, zero_ok=False)
        # glibc prints a non-null pointer as %#lx, but keeps the '+'/' ' flags.
        return _format_int(address, "x", flags + "#", width, prec, show_sign=True)
    if conv == "n":
        va.next("ptr")                    # the count is not stored back
        return b""
    if conv == "%":
        return b"%"
    return spec                           # unknown conversion: copied through, like glibc


def _int_arg(va: VarArgs, signed: bool, length: str, pointer_size: int) -> int:
    """The next integer argument as the C type the length modifier names."""
    bits = 64 if length in _LEN_64 else 8 * pointer_size if length in _LEN_PTR else 32
    value = va.next(("i" if signed else "u") + str(bits))
    # char and short arrive promoted to int; narrow them back.
    narrow = {"hh": 8, "h": 16}.get(length)
    if narrow:
        value &= (1 << narrow) - 1
        if signed and value >> (narrow - 1):
            value -= 1 << narrow
    return value


def _format_int(value: int, conv: str, flags: str, width: int, prec: Optional[int],
                show_sign: bool = False) -> bytes:
    """An integer conversion (d i u o x X) with C's rules for flags and precision;
    the '+' and ' ' flags apply to d and i, or any conversion with `show_sign`."""
    magnitude = abs(value)
    radix = {"o": "o", "x": "x", "X": "X"}.get(conv, "d")
    # A zero precision prints no digits for zero.
    digits = "" if prec == 0 and magnitude == 0 else format(magnitude, radix)
    if prec is not None:
        digits = digits.rjust(prec, "0")
    head = ""
    if show_sign or conv in "di":
        head = "-" if value < 0 else "+" if "+" in flags else " " if " " in flags else ""
    if "#" in flags:
        if conv == "o" and not digits.startswith("0"):
            digits = "0" + digits         # '#' makes the first octal digit a zero
        elif conv in "xX" and magnitude:
            head += "0" + conv            # 0x/0X, but never for zero
    # With a precision, '0' is ignored for integers.
    return _pad(head.encode(), digits.encode(), flags, width, zero_ok=prec is None)


def _format_float(value: float, conv: str, flags: str, width: int, prec: Optional[int]) -> bytes:
    """A floating conversion (f F e E g G a A)."""
    negative = math.copysign(1.0, value) < 0
    sign = "-" if negative else "+" if "+" in flags else " " if " " in flags else ""
    if not math.isfinite(value):
        # glibc writes inf/nan (with the sign, also for nan) and never zero-pads them.
        text = "inf" if math.isinf(value) else "nan"
        return _pad(sign.encode(), (text.upper() if conv.isupper() else text).encode(),
                    flags, width, zero_ok=False)
    if conv in "aA":
        head, body = _hex_float(abs(value), prec, "#" in flags)
        if conv == "A":
            head, body = head.upper(), body.upper()
        return _pad((sign + head).encode(), body.encode(), flags, width, zero_ok=True)
    spec = "%" + flags + (str(width) if width else "") + ("" if prec is None else f".{prec}") + conv
    return (spec % value).encode()


def _hex_float(value: float, prec: Optional[int], alt: bool) -> tuple[str, str]:
    """``%a`` of a non-negative finite double as ("0x", "1.8p+1"), like glibc:
    trailing zeros dropped without a precision, round-half-even with one."""
    bits = struct.unpack("<Q", struct.pack("<d", value))[0]
    biased, fraction = bits >> 52, bits & ((1 << 52) - 1)
    if biased == 0:                       # zero or subnormal: leading digit 0
        mantissa, exponent = fraction, (-1022 if fraction else 0)
    else:
        mantissa, exponent = (1 << 52) | fraction, biased - 1023
    if prec is None:
        frac_digits = f"{mantissa & ((1 << 52) - 1):013x}".rstrip("0")
        lead = mantissa >> 52
    elif prec < 13:
        drop = 4 * (13 - prec)
        kept, rest = mantissa >> drop, mantissa & ((1 << drop) - 1)
        half = 1 << (drop - 1)
        if rest > half or (rest == half and kept & 1):
            kept += 1                     # may carry into the leading digit: 0x2.0p+0
        lead = kept >> (4 * prec)
        frac_digits = f"{kept & ((1 << 4 * prec) - 1):0{prec}x}" if prec else ""
    else:
        frac_digits = f"{mantissa & ((1 << 52) - 1):013x}" + "0" * (prec - 13)
        lead = mantissa >> 52
    point = "." if frac_digits or alt else ""
    return "0x", f"{lead:x}{point}{frac_digits}p{exponent:+d}"


def _pad(head: bytes, body: bytes, flags: str, width: int, zero_ok: bool) -> bytes:
    """`head` (sign, 0x) and `body` padded to `width`: left-justified with
    '-', zero-filled between head and body with '0' when allowed, else
    right-justified with spaces."""
    fill = width - len(head) - len(body)
    if fill <= 0:
        return head + body
    if "-" in flags:
        return head + body + b" " * fill
    if "0" in flags and zero_ok:
        return head + b"0" * fill + body
    return b" " * fill + head + body
