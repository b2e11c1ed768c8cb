"""The C library functions remote code may call, as host functions.

Memory and strings are read and written through the `HostContext`; the
allocator is ``ctx.heap``; output goes to ``ctx.output(stream, data)`` with
stream 1 for stdout and 2 for stderr.

Streams: the process defines the data symbols ``stdin``, ``stdout`` and
``stderr`` (``FILE *`` cells pointing at opaque FILEs); ``ctx.stream_of``
tells which stream a ``FILE *`` is (the bare numbers 1 and 2 are accepted
too, for tests that call the functions directly).  Writing to stdin or to a
``FILE *`` that is none of them is a `HostFunctionError` naming the value.

Output is unbuffered, so ``fflush`` has nothing to do.  `printf` and friends
return the number of bytes written.

Bounds: a length the guest passes (memset, memcpy, memcmp, fwrite, calloc,
realloc, strlen's scan) is worked through in chunks of at most `CHUNK` bytes
(and `Limits.host_buffer`), with the call's deadline checked between them;
a length reaching past mapped memory faults (SIGSEGV) as the C function
would, before any host memory is spent on it.  A string a function must
hold whole (strcpy, puts, printf's format) is bounded by
`Limits.host_buffer`.  `free` or `realloc` of a pointer `malloc` never
returned aborts a whole program as glibc does ("free(): invalid pointer",
status 134); a direct call raises `HostFunctionError`.
"""
from __future__ import annotations

from ..errors import EmulationFault, HostFunctionError
from ..limits import exceeded
from .host import HostContext, VarArgs, check_range, checkpoint, fatal, host, limits_of
from .printf import format_printf

STDOUT = 1
STDERR = 2


def _stream(ctx: HostContext, file: int) -> int:
    """The output stream (1 or 2) a FILE* argument stands for (see the module doc)."""
    stream = ctx.stream_of(file)
    if stream not in (STDOUT, STDERR):
        what = "stdin" if stream == 0 else "not stdout or stderr (the rig has no fopen)"
        raise HostFunctionError(f"cannot write to FILE* {file:#x}: {what}")
    return stream


#: The most bytes a memory function reads or writes at once: host memory stays bounded,
#: and the call's deadline is checked between chunks.
CHUNK = 1 << 20
_PAGE = 4096


def _chunk(ctx: HostContext) -> int:
    return max(1, min(CHUNK, limits_of(ctx).host_buffer))


def _read_bounded(ctx: HostContext, address: int, limit: int) -> bytes:
    """The string at `address` up to its NUL or `limit` bytes, whichever is first.

    Reads in chunks that never cross a 64-byte boundary, so an unterminated
    buffer right below an unmapped page is never read past its end.  More
    than `Limits.host_buffer` bytes without a NUL is `LimitExceeded`."""
    allowed = limits_of(ctx).host_buffer
    out = bytearray()
    while len(out) < limit:
        if len(out) >= allowed:
            raise exceeded("host_buffer", len(out) + 1, allowed, f"the string at {address:#x}")
        chunk = ctx.read(address + len(out), min(64 - (address + len(out)) % 64, limit - len(out)))
        nul = chunk.find(0)
        if nul >= 0:
            return bytes(out + chunk[:nul])
        out += chunk
        if not len(out) % CHUNK:
            checkpoint(ctx)
    return bytes(out)


def _strlen(ctx: HostContext, s: int, limit: int = -1) -> int:
    """The length of the string at `s` (at most `limit` when that is not -1), found a page
    at a time without holding the string: a C loop's reads, and its fault where it ends."""
    n = 0
    while n != limit:
        at = s + n
        want = _PAGE - at % _PAGE
        chunk = ctx.read(at, want if limit < 0 else min(want, limit - n))
        nul = chunk.find(0)
        if nul >= 0:
            return n + nul
        n += len(chunk)
        if not (s + n) % CHUNK:
            checkpoint(ctx)
    return n


def _fill(ctx: HostContext, dest: int, byte: int, n: int) -> None:
    """`n` bytes of `byte` at `dest`, a chunk at a time."""
    step = _chunk(ctx)
    if n > step:
        check_range(ctx, dest, n, "write")
    block = bytes([byte & 0xFF]) * min(n, step)
    done = 0
    while done < n:
        k = min(step, n - done)
        ctx.write(dest + done, block if k == len(block) else block[:k])
        done += k
        if done < n:
            checkpoint(ctx)


def _copy(ctx: HostContext, dest: int, src: int, n: int) -> None:
    """memmove: `n` bytes from `src` to `dest`, a chunk at a time; overlap is fine."""
    step = _chunk(ctx)
    if n <= step:
        ctx.write(dest, ctx.read(src, n))
        return
    check_range(ctx, src, n, "read")
    check_range(ctx, dest, n, "write")
    offsets = range(0, n, step)
    # With dest inside the source, copy from the end so no chunk is overwritten before it is read.
    for off in (reversed(offsets) if src < dest < src + n else offsets):
        ctx.write(dest + off, ctx.read(src + off, min(step, n - off)))
        checkpoint(ctx)


def _readable(ctx: HostContext, address: int, n: int) -> bytes:
    """Up to `n` bytes at `address`: all of them, or those before the first unmapped page."""
    try:
        return ctx.read(address, n)
    except EmulationFault:
        pass
    out = bytearray()
    while len(out) < n:
        at = address + len(out)
        try:
            out += ctx.read(at, min(_PAGE - at % _PAGE, n - len(out)))
        except EmulationFault:
            break
    return bytes(out)


def _format(ctx: HostContext, fmt: int, va: VarArgs) -> bytes:
    return format_printf(ctx.read_cstring(fmt), va, ctx.read_cstring, ctx.pointer_size,
                         limit=limits_of(ctx).host_buffer, checkpoint=lambda: checkpoint(ctx),
                         read_bounded=lambda address, n: _read_bounded(ctx, address, n))


def _signed32(value: int) -> int:
    value &= 0xFFFFFFFF
    return value - (1 << 32) if value >> 31 else value


# --- memory -----------------------------------------------------------------

@host("ptr(ptr, ptr, size)", "memcpy", "memmove")
def memcpy(ctx: HostContext, dest: int, src: int, n: int) -> int:
    """Copy `n` bytes from `src` to `dest`; overlap is fine (each chunk is read before
    it is written, in the order that keeps the source intact), so this is also memmove."""
    if n:
        _copy(ctx, dest, src, n)
    return dest


@host("ptr(ptr, i32, size)")
def memset(ctx: HostContext, dest: int, c: int, n: int) -> int:
    """Fill `n` bytes at `dest` with the byte `c`."""
    if n:
        _fill(ctx, dest, c, n)
    return dest


@host("i32(ptr, ptr, size)")
def memcmp(ctx: HostContext, a: int, b: int, n: int) -> int:
    """Compare `n` bytes as unsigned chars: the difference of the first pair
    that differs, or 0.  Reads stop at the first difference, as C's do: a
    length past the end of one buffer faults only if the buffers agree up to it."""
    step = _chunk(ctx)
    off = 0
    while off < n:
        k = min(step, n - off)
        x, y = _readable(ctx, a + off, k), _readable(ctx, b + off, k)
        common = min(len(x), len(y))
        if x[:common] != y[:common]:
            return _compare(x[:common], y[:common])
        if common < k:                 # they agree up to unmapped memory: fault there
            ctx.read(a + off + common, 1) if len(x) == common else ctx.read(b + off + common, 1)
        off += k
        if off < n:
            checkpoint(ctx)
    return 0


def _compare(x: bytes, y: bytes) -> int:
    """strcmp of two byte strings already cut at their NUL (or limit)."""
    for p, q in zip(x, y):
        if p != q:
            return p - q
    # One is a prefix of the other: the shorter one ends with a NUL (0).
    return (x[len(y)] if len(x) > len(y) else 0) - (y[len(x)] if len(y) > len(x) else 0)


# --- strings ----------------------------------------------------------------

@host("size(ptr)")
def strlen(ctx: HostContext, s: int) -> int:
    """The length of the NUL-terminated string at `s` (however long: it is counted, not held)."""
    return _strlen(ctx, s)


@host("size(ptr, size)")
def strnlen(ctx: HostContext, s: int, n: int) -> int:
    """The length of the string at `s`, at most `n`."""
    return _strlen(ctx, s, n)


@host("i32(ptr, ptr)")
def strcmp(ctx: HostContext, a: int, b: int) -> int:
    """Compare two strings as unsigned chars."""
    return _compare(ctx.read_cstring(a), ctx.read_cstring(b))


@host("i32(ptr, ptr, size)")
def strncmp(ctx: HostContext, a: int, b: int, n: int) -> int:
    """Compare at most `n` characters of two strings."""
    return _compare(_read_bounded(ctx, a, n), _read_bounded(ctx, b, n))


@host("ptr(ptr, ptr)")
def strcpy(ctx: HostContext, dest: int, src: int) -> int:
    """Copy the string at `src` with its NUL to `dest`."""
    ctx.write(dest, ctx.read_cstring(src) + b"\0")
    return dest


@host("ptr(ptr, ptr, size)")
def strncpy(ctx: HostContext, dest: int, src: int, n: int) -> int:
    """Copy at most `n` bytes of `src` to `dest`, padding with NULs up to `n`
    (and, as in C, not terminating when `src` is `n` bytes or longer)."""
    if n:
        text = _read_bounded(ctx, src, n)
        ctx.write(dest, text)
        _fill(ctx, dest + len(text), 0, n - len(text))      # the padding, however long, in chunks
    return dest


@host("ptr(ptr, ptr)")
def strcat(ctx: HostContext, dest: int, src: int) -> int:
    """Append the string at `src` to the one at `dest`."""
    ctx.write(dest + len(ctx.read_cstring(dest)), ctx.read_cstring(src) + b"\0")
    return dest


@host("ptr(ptr, i32)")
def strchr(ctx: HostContext, s: int, c: int) -> int:
    """The first occurrence of the byte `c` in the string at `s` (the NUL
    itself counts, so strchr(s, 0) finds the end), or NULL."""
    text = ctx.read_cstring(s) + b"\0"
    i = text.find(c & 0xFF)
    return s + i if i >= 0 else 0


@host("ptr(ptr, i32)")
def strrchr(ctx: HostContext, s: int, c: int) -> int:
    """The last occurrence of the byte `c` in the string at `s`, or NULL."""
    text = ctx.read_cstring(s) + b"\0"
    i = text.rfind(c & 0xFF)
    return s + i if i >= 0 else 0


@host("i32(ptr)")
def atoi(ctx: HostContext, s: int) -> int:
    """The decimal integer at the start of the string at `s` (after blanks,
    with an optional sign), 0 if none; wraps to 32 bits on overflow."""
    text = ctx.read_cstring(s).lstrip(b" \t\n\v\f\r")
    sign = -1 if text[:1] == b"-" else 1
    if text[:1] in (b"-", b"+"):
        text = text[1:]
    digits = len(text) - len(text.lstrip(b"0123456789"))
    return _signed32(sign * int(text[:digits] or b"0"))


@host("i32(i32)", "abs")
def abs_int(ctx: HostContext, x: int) -> int:
    """|x|; abs(INT_MIN) wraps to INT_MIN as on real hardware."""
    return _signed32(x if x >= 0 else -x)


@host("ssize(ssize)")
def labs(ctx: HostContext, x: int) -> int:
    """|x| for a long; the most negative long wraps to itself."""
    bits = 8 * ctx.pointer_size
    value = (x if x >= 0 else -x) & ((1 << bits) - 1)
    return value - (1 << bits) if value >> (bits - 1) else value


@host("i64(i64)")
def llabs(ctx: HostContext, x: int) -> int:
    """|x| for a long long; INT64_MIN wraps to itself."""
    return x if x >= 0 or x == -(1 << 63) else -x


# --- allocation -------------------------------------------------------------

@host("ptr(size)")
def malloc(ctx: HostContext, size: int) -> int:
    """A new block of `size` bytes (contents unspecified), or NULL."""
    return ctx.heap.allocate(size)


@host("ptr(size, size)")
def calloc(ctx: HostContext, count: int, size: int) -> int:
    """A zeroed block of `count * size` bytes, or NULL (also on overflow)."""
    total = count * size
    if total >> (8 * ctx.pointer_size):
        return 0
    address = ctx.heap.allocate(total)
    if address and total:
        _fill(ctx, address, 0, total)
    return address


@host("ptr(ptr, size)")
def realloc(ctx: HostContext, address: int, size: int) -> int:
    """Resize the block at `address`, moving it if need be.

    realloc(NULL, n) is malloc(n); realloc(p, 0) frees p and returns NULL
    (glibc's behaviour); on failure the old block stays valid and NULL is
    returned."""
    if address == 0:
        return ctx.heap.allocate(size)
    try:
        old = ctx.heap.size_of(address)
    except HostFunctionError as e:
        fatal(ctx, "realloc(): invalid pointer", e)
    if size == 0:
        ctx.heap.release(address)
        return 0
    new = ctx.heap.allocate(size)
    if new == 0:
        return 0
    keep = min(old, size)
    if keep:
        _copy(ctx, new, address, keep)
    ctx.heap.release(address)
    return new


@host("ptr(size, size)")
def aligned_alloc(ctx: HostContext, align: int, size: int) -> int:
    """A block of `size` bytes aligned to `align` (a power of two), or NULL."""
    if align == 0 or align & (align - 1):
        return 0
    return ctx.heap.allocate(size, align)


@host("i32(ptr, size, size)")
def posix_memalign(ctx: HostContext, out: int, align: int, size: int) -> int:
    """Store a block of `size` bytes aligned to `align` at `*out`: 0 on
    success, EINVAL (22) for a bad alignment, ENOMEM (12) when out of memory."""
    if align < ctx.pointer_size or align & (align - 1):
        return 22
    address = ctx.heap.allocate(size, align)
    if not address:
        return 12
    ctx.write(out, address.to_bytes(ctx.pointer_size, "little"))
    return 0


@host("void(ptr)")
def free(ctx: HostContext, address: int) -> None:
    """Release a block; free(NULL) does nothing.  Anything else that is not a live
    block aborts a whole program as glibc does ("free(): invalid pointer" on stderr,
    status 134); a direct call raises `rig.errors.HostFunctionError`."""
    try:
        ctx.heap.release(address)
    except HostFunctionError as e:
        fatal(ctx, "free(): invalid pointer", e)


# --- output -----------------------------------------------------------------

@host("i32(i32)")
def putchar(ctx: HostContext, c: int) -> int:
    """Write the byte `c` to stdout; returns it as an unsigned char."""
    ctx.output(STDOUT, bytes([c & 0xFF]))
    return c & 0xFF


@host("i32(i32, ptr)", "fputc", "putc")
def fputc(ctx: HostContext, c: int, stream: int) -> int:
    """Write the byte `c` to `stream`; returns it as an unsigned char."""
    ctx.output(_stream(ctx, stream), bytes([c & 0xFF]))
    return c & 0xFF


@host("i32(ptr)")
def puts(ctx: HostContext, s: int) -> int:
    """Write the string at `s` and a newline to stdout; returns the byte count."""
    data = ctx.read_cstring(s) + b"\n"
    ctx.output(STDOUT, data)
    return len(data)


@host("i32(ptr, ptr)")
def fputs(ctx: HostContext, s: int, stream: int) -> int:
    """Write the string at `s` (no newline) to `stream`; returns the byte count."""
    data = ctx.read_cstring(s)
    ctx.output(_stream(ctx, stream), data)
    return len(data)


@host("size(ptr, size, size, ptr)")
def fwrite(ctx: HostContext, data: int, size: int, count: int, stream: int) -> int:
    """Write `count` items of `size` bytes to `stream`; returns `count`."""
    if not (size and count):
        return 0
    out, total = _stream(ctx, stream), size * count
    step = _chunk(ctx)
    if total > step:
        check_range(ctx, data, total, "read")
    for off in range(0, total, step):
        ctx.output(out, ctx.read(data + off, min(step, total - off)))
        checkpoint(ctx)
    return count


@host("i32(ptr)")
def fflush(ctx: HostContext, stream: int) -> int:
    """Nothing to do: output is unbuffered (fflush(NULL) flushes all: also nothing).  Returns 0."""
    if stream:
        _stream(ctx, stream)
    return 0


@host("i32(ptr, ...)")
def printf(ctx: HostContext, fmt: int, va: VarArgs) -> int:
    """Formatted output to stdout; returns the number of bytes written."""
    data = _format(ctx, fmt, va)
    ctx.output(STDOUT, data)
    return len(data)


@host("i32(ptr, ptr, ...)")
def fprintf(ctx: HostContext, stream: int, fmt: int, va: VarArgs) -> int:
    """Formatted output to `stream`; returns the number of bytes written."""
    data = _format(ctx, fmt, va)
    ctx.output(_stream(ctx, stream), data)
    return len(data)


@host("i32(ptr, ptr, ...)")
def sprintf(ctx: HostContext, dest: int, fmt: int, va: VarArgs) -> int:
    """Formatted output into `dest`, NUL-terminated; returns its length."""
    data = _format(ctx, fmt, va)
    ctx.write(dest, data + b"\0")
    return len(data)


@host("i32(ptr, size, ptr, ...)")
def snprintf(ctx: HostContext, dest: int, n: int, fmt: int, va: VarArgs) -> int:
    """Formatted output into `dest`, at most `n` bytes including the NUL;
    returns the length the whole output would have had."""
    data = _format(ctx, fmt, va)
    if n:
        ctx.write(dest, data[:n - 1] + b"\0")
    return len(data)


# --- process ----------------------------------------------------------------

@host("void(i32)")
def exit(ctx: HostContext, status: int) -> None:
    """End the program with `status`: exit handlers and destructors still run
    (the program runner runs them after the call unwinds)."""
    ctx.exit(status)


@host("void(i32)", "_exit", "_Exit")
def exit_now(ctx: HostContext, status: int) -> None:
    """End the program with `status` at once: no exit handlers, no destructors."""
    ctx.exit(status, "_exit")


@host("void()")
def abort(ctx: HostContext) -> None:
    """End the program as killed by SIGABRT (via the context)."""
    ctx.abort()


@host("i32(ptr)")
def atexit(ctx: HostContext, function: int) -> int:
    """Register `function` to run at exit (last registered, first run).  Returns 0."""
    ctx.at_exit(function)
    return 0


@host("i32(ptr, ptr, ptr)")
def __cxa_atexit(ctx: HostContext, function: int, argument: int, dso: int) -> int:
    """Register `function(argument)` to run at exit, in one order with `atexit`.  Returns 0."""
    ctx.at_exit(function, argument, True)
    return 0


@host("ptr(ptr)")
def getenv(ctx: HostContext, name: int) -> int:
    """The value of environment variable `name` (a pointer into the environment), or NULL."""
    key = ctx.read_cstring(name) + b"="
    env = ctx.environ
    ptr = ctx.pointer_size
    seen = 0
    while env:
        entry = int.from_bytes(ctx.read(env, ptr), "little")
        if not entry:
            break
        if _read_bounded(ctx, entry, len(key)) == key:
            return entry + len(key)
        env += ptr
        seen += 1
        if not seen % 4096:             # an environment without its NULL runs on until a fault
            checkpoint(ctx)
    return 0


@host("ssize(ptr, ptr, i32)")
def strtol(ctx: HostContext, s: int, end: int, base: int) -> int:
    """The integer at the start of `s` in `base` (0: by prefix), as C's strtol,
    saturating at LONG_MIN/LONG_MAX; `*end` is set past the digits used."""
    text = ctx.read_cstring(s, 4096)
    i = 0
    while i < len(text) and text[i] in b" \t\n\v\f\r":
        i += 1
    sign = 1
    if i < len(text) and text[i] in b"+-":
        sign = -1 if text[i] == ord("-") else 1
        i += 1
    if base in (0, 16) and text[i:i + 2].lower() == b"0x" and i + 2 < len(text) \
            and chr(text[i + 2]).lower() in "0123456789abcdef":
        i += 2
        base = 16
    elif base == 0:
        base = 8 if text[i:i + 1] == b"0" else 10
    start, value = i, 0
    while i < len(text):
        c = chr(text[i]).lower()
        digit = int(c, 36) if c.isalnum() else 99
        if not 2 <= base <= 36 or digit >= base:
            break
        value = value * base + digit
        i += 1
    if end:
        used = i if i > start else 0
        ctx.write(end, (s + used).to_bytes(ctx.pointer_size, "little"))
    bits = 8 * ctx.pointer_size - 1
    return max(-(1 << bits), min((1 << bits) - 1, sign * value))
