"""The ARM run-time ABI helpers (RTABI, ``__aeabi_*``) a compiler calls on
32-bit Arm: division without a hardware divider, 64-bit shifts and compares,
memcpy/memset/memclr variants, and soft conversions.

The semantics (truncating division, no trap on division by zero, wrapping,
saturating conversions) are those of `rig.runtime.compiler_rt`, which this
module shares its arithmetic with.  The conversion helpers use the *base*
(soft-float) procedure call standard even on hard-float targets, so their
float arguments and results are raw bit patterns in integer registers
(``u64`` for a double in r0:r1, ``u32`` for a float in r0).
"""
from __future__ import annotations

from . import libc
from .compiler_rt import (_bits_to_f32, _bits_to_f64, _divmod, _f32_to_bits, _f64_to_bits, _int_to_f32,
                          _to_int, _wrap)
from .host import HostContext, host

# --- ARM EABI integer helpers ------------------------------------------------

@host("i32(i32, i32)", "__aeabi_idiv", "__divsi3")
def aeabi_idiv(ctx: HostContext, a: int, b: int) -> int:
    """Signed 32-bit a / b, truncating; b == 0 gives 0."""
    return _divmod(a, b, 32, True)[0]


@host("u32(u32, u32)", "__aeabi_uidiv", "__udivsi3")
def aeabi_uidiv(ctx: HostContext, a: int, b: int) -> int:
    """Unsigned 32-bit a / b; b == 0 gives 0."""
    return _divmod(a, b, 32, False)[0]


@host("i32(i32, i32)", "__modsi3")
def modsi3(ctx: HostContext, a: int, b: int) -> int:
    """Signed 32-bit a % b (sign of a); b == 0 gives a."""
    return _divmod(a, b, 32, True)[1]


@host("u32(u32, u32)", "__umodsi3")
def umodsi3(ctx: HostContext, a: int, b: int) -> int:
    """Unsigned 32-bit a % b; b == 0 gives a."""
    return _divmod(a, b, 32, False)[1]


@host("{i32,i32}(i32, i32)", "__aeabi_idivmod")
def aeabi_idivmod(ctx: HostContext, a: int, b: int) -> tuple[int, int]:
    """Signed 32-bit (quotient in r0, remainder in r1)."""
    return _divmod(a, b, 32, True)


@host("{u32,u32}(u32, u32)", "__aeabi_uidivmod")
def aeabi_uidivmod(ctx: HostContext, a: int, b: int) -> tuple[int, int]:
    """Unsigned 32-bit (quotient in r0, remainder in r1)."""
    return _divmod(a, b, 32, False)


@host("{i64,i64}(i64, i64)", "__aeabi_ldivmod")
def aeabi_ldivmod(ctx: HostContext, a: int, b: int) -> tuple[int, int]:
    """Signed 64-bit (quotient in r0:r1, remainder in r2:r3)."""
    return _divmod(a, b, 64, True)


@host("{u64,u64}(u64, u64)", "__aeabi_uldivmod")
def aeabi_uldivmod(ctx: HostContext, a: int, b: int) -> tuple[int, int]:
    """Unsigned 64-bit (quotient in r0:r1, remainder in r2:r3)."""
    return _divmod(a, b, 64, False)


@host("u64(u64, i32)", "__aeabi_llsl", "__ashldi3")
def aeabi_llsl(ctx: HostContext, a: int, n: int) -> int:
    """64-bit a << n; counts outside 0..63 (undefined in C) give 0."""
    return _wrap(a << n, 64, False) if 0 <= n < 64 else 0


@host("u64(u64, i32)", "__aeabi_llsr", "__lshrdi3")
def aeabi_llsr(ctx: HostContext, a: int, n: int) -> int:
    """64-bit logical a >> n; counts outside 0..63 (undefined in C) give 0."""
    return a >> n if 0 <= n < 64 else 0


@host("i64(i64, i32)", "__aeabi_lasr", "__ashrdi3")
def aeabi_lasr(ctx: HostContext, a: int, n: int) -> int:
    """64-bit arithmetic a >> n; counts outside 0..63 (undefined in C) give
    the sign fill, 0 or -1."""
    return a >> n if 0 <= n < 64 else a >> 63


@host("i64(i64, i64)", "__aeabi_lmul", "__muldi3")
def aeabi_lmul(ctx: HostContext, a: int, b: int) -> int:
    """64-bit a * b, wrapped."""
    return _wrap(a * b, 64, True)


@host("i32(i64, i64)", "__aeabi_lcmp")
def aeabi_lcmp(ctx: HostContext, a: int, b: int) -> int:
    """Signed 64-bit comparison: -1, 0 or 1."""
    return (a > b) - (a < b)


@host("i32(u64, u64)", "__aeabi_ulcmp")
def aeabi_ulcmp(ctx: HostContext, a: int, b: int) -> int:
    """Unsigned 64-bit comparison: -1, 0 or 1."""
    return (a > b) - (a < b)


# --- ARM EABI memory helpers -------------------------------------------------

@host("void(ptr, ptr, size)", "__aeabi_memcpy", "__aeabi_memcpy4", "__aeabi_memcpy8",
      "__aeabi_memmove", "__aeabi_memmove4", "__aeabi_memmove8")
def aeabi_memcpy(ctx: HostContext, dest: int, src: int, n: int) -> None:
    """memcpy/memmove without a result (the 4/8 variants only promise alignment)."""
    libc.memcpy(ctx, dest, src, n)


@host("void(ptr, size, i32)", "__aeabi_memset", "__aeabi_memset4", "__aeabi_memset8")
def aeabi_memset(ctx: HostContext, dest: int, n: int, c: int) -> None:
    """memset with the RTABI argument order: (dest, n, c), not C's (dest, c, n)."""
    libc.memset(ctx, dest, c, n)


@host("void(ptr, size)", "__aeabi_memclr", "__aeabi_memclr4", "__aeabi_memclr8")
def aeabi_memclr(ctx: HostContext, dest: int, n: int) -> None:
    """Zero `n` bytes at `dest`."""
    libc.memset(ctx, dest, 0, n)


@host("void()", "__aeabi_unwind_cpp_pr0", "__aeabi_unwind_cpp_pr1", "__aeabi_unwind_cpp_pr2")
def aeabi_unwind_cpp_pr(ctx: HostContext) -> None:
    """EHABI personality routines: referenced by every ARM object with unwind
    tables, called only while unwinding an exception, which the rig does not
    support -- so a call aborts the program."""
    ctx.abort()


# --- ARM EABI conversions ----------------------------------------------------

@host("i64(u64)", "__aeabi_d2lz")
def aeabi_d2lz(ctx: HostContext, bits: int) -> int:
    """double (bits in r0:r1) to int64."""
    return _to_int(_bits_to_f64(bits), 64, True)


@host("u64(u64)", "__aeabi_d2ulz")
def aeabi_d2ulz(ctx: HostContext, bits: int) -> int:
    """double (bits in r0:r1) to uint64."""
    return _to_int(_bits_to_f64(bits), 64, False)


@host("i64(u32)", "__aeabi_f2lz")
def aeabi_f2lz(ctx: HostContext, bits: int) -> int:
    """float (bits in r0) to int64."""
    return _to_int(_bits_to_f32(bits), 64, True)


@host("u64(u32)", "__aeabi_f2ulz")
def aeabi_f2ulz(ctx: HostContext, bits: int) -> int:
    """float (bits in r0) to uint64."""
    return _to_int(_bits_to_f32(bits), 64, False)


@host("u64(i64)", "__aeabi_l2d")
def aeabi_l2d(ctx: HostContext, n: int) -> int:
    """int64 to double (bits in r0:r1)."""
    return _f64_to_bits(float(n))         # Python's int -> float rounds correctly


@host("u64(u64)", "__aeabi_ul2d")
def aeabi_ul2d(ctx: HostContext, n: int) -> int:
    """uint64 to double (bits in r0:r1)."""
    return _f64_to_bits(float(n))


@host("u32(i64)", "__aeabi_l2f")
def aeabi_l2f(ctx: HostContext, n: int) -> int:
    """int64 to float (bits in r0)."""
    return _f32_to_bits(_int_to_f32(n))


@host("u32(u64)", "__aeabi_ul2f")
def aeabi_ul2f(ctx: HostContext, n: int) -> int:
    """uint64 to float (bits in r0)."""
    return _f32_to_bits(_int_to_f32(n))
