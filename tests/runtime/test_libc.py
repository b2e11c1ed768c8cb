"""The libc host functions over a fake process."""
from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from rig.errors import HostFunctionError, ProgramExit
from rig.runtime import HostFunction, default_functions

from .conftest import FakeContext


def sign(x: int) -> int:
    return (x > 0) - (x < 0)


def test_memcpy_memmove_memset(ctx):
    src = ctx.put(b"0123456789", nul=False)
    dest = ctx.heap.allocate(16)
    assert ctx.call("memcpy", dest, src, 10) == dest
    assert ctx.read(dest, 10) == b"0123456789"
    assert ctx.call("memmove", dest + 2, dest, 8) == dest + 2      # overlapping
    assert ctx.read(dest, 10) == b"0101234567"
    assert ctx.call("memmove", dest, dest + 3, 7) == dest
    assert ctx.read(dest, 10) == b"1234567567"
    assert ctx.call("memset", dest, 0x141, 4) == dest                # c is cut to a byte
    assert ctx.read(dest, 6) == b"AAAA56"
    assert ctx.call("memset", dest, -1, 1) == dest
    assert ctx.read(dest, 1) == b"\xff"
    assert ctx.call("memcpy", 0, 0, 0) == 0                          # n == 0 touches nothing


def test_memcmp_compares_unsigned_bytes(ctx):
    a, b = ctx.put(b"abc\x80", nul=False), ctx.put(b"abc\x01", nul=False)
    assert ctx.call("memcmp", a, b, 3) == 0
    assert ctx.call("memcmp", a, b, 4) > 0                           # 0x80 > 0x01 as unsigned
    assert ctx.call("memcmp", b, a, 4) < 0
    assert ctx.call("memcmp", a, b, 0) == 0


def test_string_functions(ctx):
    s = ctx.put(b"hello, world")
    assert ctx.call("strlen", s) == 12
    assert ctx.call("strlen", ctx.put(b"")) == 0
    assert ctx.call("strnlen", s, 5) == 5
    assert ctx.call("strnlen", s, 50) == 12
    assert ctx.call("strchr", s, ord("o")) == s + 4
    assert ctx.call("strrchr", s, ord("o")) == s + 8
    assert ctx.call("strchr", s, ord("z")) == 0
    assert ctx.call("strrchr", s, ord("z")) == 0
    assert ctx.call("strchr", s, 0) == s + 12                         # the terminator counts
    assert ctx.call("strchr", s, 0x100 + ord("h")) == s              # c is converted to char


@pytest.mark.parametrize("a,b", [(b"abc", b"abc"), (b"abc", b"abd"), (b"abd", b"abc"),
                                 (b"ab", b"abc"), (b"abc", b"ab"), (b"", b""), (b"", b"a"),
                                 (b"\xff", b"a")])
def test_strcmp_sign_matches_bytes_order(ctx, a, b):
    expected = sign((a > b) - (a < b))
    assert sign(ctx.call("strcmp", ctx.put(a), ctx.put(b))) == expected


def test_strncmp_stops_after_n_even_without_a_terminator(ctx):
    a = ctx.put(b"abcdef")
    b = ctx.put(b"abcxyz")
    assert ctx.call("strncmp", a, b, 3) == 0
    assert ctx.call("strncmp", a, b, 4) < 0
    assert ctx.call("strncmp", a, b, 0) == 0
    assert ctx.call("strncmp", ctx.put(b"ab"), ctx.put(b"abc"), 5) < 0
    # Unterminated data at the very end of memory: must not read past n.
    end = 0x10000 + len(ctx.memory) - 4
    ctx.write(end, b"abcd")
    assert ctx.call("strncmp", end, ctx.put(b"abcd"), 4) == 0


@given(st.binary(max_size=12).map(lambda b: b.replace(b"\0", b"")),
       st.binary(max_size=12).map(lambda b: b.replace(b"\0", b"")),
       st.integers(0, 15))
def test_strcmp_strncmp_agree_with_bytes_order(a, b, n):
    ctx = FakeContext(8)
    pa, pb = ctx.put(a), ctx.put(b)
    assert sign(ctx.call("strcmp", pa, pb)) == sign((a > b) - (a < b))
    assert sign(ctx.call("strncmp", pa, pb, n)) == sign((a[:n] > b[:n]) - (a[:n] < b[:n]))


def test_strcpy_strncpy_strcat(ctx):
    dest = ctx.heap.allocate(32)
    ctx.write(dest, b"\xaa" * 32)
    assert ctx.call("strcpy", dest, ctx.put(b"abc")) == dest
    assert ctx.read(dest, 5) == b"abc\0\xaa"
    assert ctx.call("strcat", dest, ctx.put(b"de")) == dest
    assert ctx.read(dest, 7) == b"abcde\0\xaa"
    assert ctx.call("strncpy", dest, ctx.put(b"xy"), 6) == dest     # pads with NULs
    assert ctx.read(dest, 7) == b"xy\0\0\0\0\xaa"
    assert ctx.call("strncpy", dest, ctx.put(b"longer"), 3) == dest  # no terminator
    assert ctx.read(dest, 4) == b"lon\0"


def test_atoi_abs(ctx):
    for text, value in [(b"42", 42), (b"  -17xyz", -17), (b"+8", 8), (b"abc", 0), (b"", 0),
                        (b"\t\n 2147483647", 2**31 - 1), (b"-2147483648", -2**31)]:
        assert ctx.call("atoi", ctx.put(text)) == value
    assert ctx.call("abs", -5) == 5
    assert ctx.call("abs", -2**31) == -2**31
    assert ctx.call("labs", -2**63) == -2**63
    assert ctx.call("llabs", -7) == 7


def test_malloc_calloc_realloc_free(ctx):
    a = ctx.call("malloc", 10)
    assert a and a % 16 == 0
    ctx.write(a, b"0123456789")
    b = ctx.call("realloc", a, 100)
    assert b != 0 and ctx.read(b, 10) == b"0123456789"
    with pytest.raises(HostFunctionError):
        ctx.call("free", a)                                          # moved by realloc
    c = ctx.call("realloc", b, 4)
    assert ctx.read(c, 4) == b"0123"
    assert ctx.call("realloc", c, 0) == 0                            # frees, like glibc
    with pytest.raises(HostFunctionError):
        ctx.call("free", c)
    d = ctx.call("realloc", 0, 8)                                    # realloc(NULL) is malloc
    assert ctx.heap.size_of(d) == 8
    ctx.call("free", d)
    ctx.call("free", 0)
    ctx.write(0x20000, b"\xff" * 64)                                 # dirty the heap
    e = ctx.call("calloc", 4, 16)
    assert ctx.read(e, 64) == bytes(64)
    assert ctx.call("malloc", 1 << 40) == 0
    assert ctx.call("calloc", 1 << 33, 1 << 33) == 0                 # count * size overflows
    assert ctx.heap.in_use == 64


def test_aligned_allocation(ctx):
    a = ctx.call("aligned_alloc", 256, 10)
    assert a and a % 256 == 0
    assert ctx.call("aligned_alloc", 3, 10) == 0
    out = ctx.heap.allocate(8)
    assert ctx.call("posix_memalign", out, 64, 10) == 0
    p = int.from_bytes(ctx.read(out, 8), "little")
    assert p and p % 64 == 0 and ctx.heap.size_of(p) == 10
    assert ctx.call("posix_memalign", out, 3, 10) == 22


def test_free_of_a_bad_pointer_names_it(ctx):
    with pytest.raises(HostFunctionError, match=r"free\(0x11000\)"):
        ctx.call("free", 0x11000)


def test_output_functions(ctx):
    assert ctx.call("putchar", 0x141) == 0x41
    assert ctx.call("puts", ctx.put(b"line")) == 5
    assert ctx.call("fputs", ctx.put(b"err"), 2) == 3
    assert ctx.call("fputc", ord("!"), 2) == ord("!")
    assert ctx.call("putc", ord("?"), 1) == ord("?")
    with pytest.raises(HostFunctionError, match=r"FILE\* 0x5555: not stdout or stderr"):
        ctx.call("putc", ord("?"), 0x5555)
    data = ctx.put(b"abcdef", nul=False)
    assert ctx.call("fwrite", data, 2, 3, 1) == 3
    assert ctx.call("fwrite", data, 0, 3, 1) == 0
    assert ctx.call("printf", ctx.put(b"%d %s|"), -3, ctx.put(b"x")) == 5
    assert ctx.call("fprintf", 2, ctx.put(b"<%5.1f>"), 2.25) == 7
    assert ctx.call("fflush", 0) == 0
    assert ctx.stdout == b"Aline\n?abcdef-3 x|"
    assert ctx.stderr == b"err!<  2.2>"


def test_exit_and_abort(ctx):
    ctx.call("puts", ctx.put(b"bye"))
    for name in ("exit", "_exit", "_Exit"):
        with pytest.raises(ProgramExit) as info:
            ctx.call(name, 3)
        assert info.value.status == 3 and info.value.stdout == b"bye\n"
        assert info.value.kind == ("exit" if name == "exit" else "_exit")
    with pytest.raises(ProgramExit) as info:
        ctx.call("abort")
    assert info.value.status == 134


def test_atexit_and_cxa_atexit_register_in_one_order(ctx):
    assert ctx.call("atexit", 0x1000) == 0
    assert ctx.call("__cxa_atexit", 0x2000, 0x3000, 0) == 0
    assert ctx.exit_handlers == [(0x1000, 0, False), (0x2000, 0x3000, True)]


def test_getenv_walks_environ(ctx):
    entries = [ctx.put(b"HOME=/home/rig"), ctx.put(b"HOMER=simpson"), ctx.put(b"EMPTY=")]
    env = ctx.heap.allocate(8 * 4)
    ctx.write(env, b"".join(e.to_bytes(8, "little") for e in entries) + bytes(8))
    ctx.environ = env
    assert ctx.read_cstring(ctx.call("getenv", ctx.put(b"HOMER"))) == b"simpson"
    assert ctx.read_cstring(ctx.call("getenv", ctx.put(b"HOME"))) == b"/home/rig"
    assert ctx.read_cstring(ctx.call("getenv", ctx.put(b"EMPTY"))) == b""
    assert ctx.call("getenv", ctx.put(b"HOM")) == 0
    ctx.environ = 0
    assert ctx.call("getenv", ctx.put(b"HOME")) == 0


@pytest.mark.parametrize("text,base,value,used", [
    (b"42", 10, 42, 2), (b"  -17xyz", 10, -17, 5), (b"0x1F", 0, 31, 4), (b"0x1F", 16, 31, 4),
    (b"017", 0, 15, 3), (b"zz", 36, 35 * 36 + 35, 2), (b"+9", 10, 9, 2), (b"abc", 10, 0, 0),
    (b"-", 10, 0, 0), (b"0x", 16, 0, 1), (b"99999999999999999999", 10, 2**63 - 1, 20),
    (b"-99999999999999999999", 10, -2**63, 21)])
def test_strtol_as_c_does(ctx, text, base, value, used):
    s = ctx.put(text)
    end = ctx.heap.allocate(8)
    assert ctx.call("strtol", s, end, base) == value
    assert int.from_bytes(ctx.read(end, 8), "little") == s + used


def test_default_functions_is_a_fresh_name_to_function_map():
    functions = default_functions()
    assert functions is not default_functions()
    for name, fn in functions.items():
        assert isinstance(fn, HostFunction) and fn.name == name and fn.doc
    assert str(functions["memset"].signature) == "ptr(ptr, i32, size)"
    assert str(functions["snprintf"].signature) == "i32(ptr, size, ptr, ...)"
    assert str(functions["__aeabi_memset"].signature) == "void(ptr, size, i32)"
    assert str(functions["__aeabi_idivmod"].signature) == "{i32,i32}(i32, i32)"
