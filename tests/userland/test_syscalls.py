"""The Linux system-call layer: traps on every target, the kernel's answers,
struct layouts against musl's headers, bounds on what a guest can ask for.

The programs are C compiled by the rig itself against musl's headers
(`<arch>-linux-musl`), making raw system calls with inline assembly.
"""
from __future__ import annotations

import os
import time

import pytest

import rig
import targets
from rig.errors import EmulationFault, ProgramExit
from rig.userland.kernel import EPOCH, PID, UPTIME, Kernel, attach
from rig.userland.musl import musl_root
from rig.userland.syscalls import (EACCES, EBADF, EFAULT, EINVAL, ENOENT, ENOMEM, ENOSYS, ENOTTY, EROFS,
                                   ESPIPE, SyscallError, header_numbers, syscall_name)

TARGETS = ("x86_64", "arm", "thumb", "aarch64")

#: a raw system call with six arguments, per target
_SYSCALL = {
    "x86_64": r"""
static long sc(long n, long a, long b, long c, long d, long e, long f) {
    long r;
    register long r10 __asm__("r10") = d, r8 __asm__("r8") = e, r9 __asm__("r9") = f;
    __asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
                     : "rcx", "r11", "memory");
    return r;
}
""",
    # r7 is the Thumb frame pointer: move the number in around the svc, as musl does
    "arm": r"""
static long sc(long n, long a, long b, long c, long d, long e, long f) {
    register long r6 __asm__("r6") = n, r0 __asm__("r0") = a, r1 __asm__("r1") = b, r2 __asm__("r2") = c,
        r3 __asm__("r3") = d, r4 __asm__("r4") = e, r5 __asm__("r5") = f;
    __asm__ volatile("mov ip, r7\n\tmov r7, r6\n\tsvc #0\n\tmov r7, ip"
                     : "+r"(r0) : "r"(r6), "r"(r1), "r"(r2), "r"(r3), "r"(r4), "r"(r5) : "ip", "memory");
    return r0;
}
""",
    "aarch64": r"""
static long sc(long n, long a, long b, long c, long d, long e, long f) {
    register long x8 __asm__("x8") = n, x0 __asm__("x0") = a, x1 __asm__("x1") = b, x2 __asm__("x2") = c,
        x3 __asm__("x3") = d, x4 __asm__("x4") = e, x5 __asm__("x5") = f;
    __asm__ volatile("svc #0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5) : "memory");
    return x0;
}
""",
}
_SYSCALL["thumb"] = _SYSCALL["arm"]

PROGRAM = r"""
#define _GNU_SOURCE
#include <sys/syscall.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <fcntl.h>
#include <time.h>
#include <signal.h>
#include <stddef.h>
#define S0(n) sc(n, 0, 0, 0, 0, 0, 0)
#define S1(n, a) sc(n, (long)(a), 0, 0, 0, 0, 0)
#define S2(n, a, b) sc(n, (long)(a), (long)(b), 0, 0, 0, 0)
#define S3(n, a, b, c) sc(n, (long)(a), (long)(b), (long)(c), 0, 0, 0)
#ifdef SYS_mmap2
#define MMAP(a, len, prot, flags) sc(SYS_mmap2, (long)(a), len, prot, flags, -1, 0)
#else
#define MMAP(a, len, prot, flags) sc(SYS_mmap, (long)(a), len, prot, flags, -1, 0)
#endif
#define FAILED(x) ((unsigned long)(x) > -4096UL)

long sys6(long n, long a, long b, long c, long d, long e, long f) { return sc(n, a, b, c, d, e, f); }

long chatter(void) {
    long a = S3(SYS_write, 1, "one\n", 4);
    long b = S3(SYS_write, 2, "two\n", 4);
    long c = S3(SYS_write, 1, "three\n", 6);
    return a + b + c;
}

long gather(void) {
    struct iovec v[3] = {{"ab", 2}, {"", 0}, {"cdef\n", 5}};
    return S3(SYS_writev, 1, v, 3);
}

long bye(long status) {
    S3(SYS_write, 1, "bye\n", 4);
    S1(SYS_exit_group, status);
    return -1;
}

long bye_thread(long status) {
    S1(SYS_exit, status);
    return -1;
}

long brk_trip(void) {
    long base = S1(SYS_brk, 0);
    if (S1(SYS_brk, base + 10000) != base + 10000) return -1;
    unsigned char *p = (unsigned char *)base;
    long sum = 0;
    for (long i = 0; i < 10000; i++) sum += p[i];          /* fresh pages are zero */
    if (sum) return -2;
    for (long i = 0; i < 10000; i++) p[i] = (unsigned char)(i * 7);
    for (long i = 0; i < 10000; i++) sum += p[i];
    if (S1(SYS_brk, base + 100) != base + 100) return -3;
    if (S1(SYS_brk, base - 4096) != base + 100) return -4;  /* below the start: refused */
    if (S1(SYS_brk, base + 0x7fff0000L) != base + 100) return -5;   /* past the limit: refused */
    return sum;
}

long map_trip(void) {
    unsigned char *p = (unsigned char *)MMAP(0, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
    if (FAILED(p)) return (long)p;
    long sum = 0;
    for (long i = 0; i < 3 * 4096; i++) sum += p[i];
    if (sum) return -1000;
    for (long i = 0; i < 3 * 4096; i++) p[i] = (unsigned char)(i ^ (i >> 8));
    for (long i = 0; i < 3 * 4096; i++) sum += p[i];
    if (S2(SYS_munmap, p + 4096, 4096)) return -1001;
    /* grow the last page to three: in place or moved, its contents follow */
    unsigned char *q = (unsigned char *)sc(SYS_mremap, (long)(p + 8192), 4096, 3 * 4096, MREMAP_MAYMOVE, 0, 0);
    if (FAILED(q)) return (long)q;
    for (long i = 0; i < 4096; i++)
        if (q[i] != (unsigned char)((i + 8192) ^ ((i + 8192) >> 8))) return -1002;
    for (long i = 4096; i < 3 * 4096; i++)
        if (q[i]) return -1003;
    q[3 * 4096 - 1] = 1;
    if (S2(SYS_munmap, p, 4096) || S2(SYS_munmap, q, 3 * 4096)) return -1004;
    return sum;
}

long map_hole(void) {
    char *p = (char *)MMAP(0, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
    if (FAILED(p)) return (long)p;
    p[0] = 1; p[8192] = 3;
    if (S2(SYS_munmap, p + 4096, 4096)) return -1;
    return (long)p;
}

long map_readonly(void) {
    char *p = (char *)MMAP(0, 2 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
    if (FAILED(p)) return (long)p;
    p[4096] = 9;
    if (S3(SYS_mprotect, p + 4096, 4096, PROT_READ)) return -1;
    p[0] = 1;                          /* the first page stays writable */
    return (long)p;
}

long peek(const char *p) { return *(volatile const char *)p; }
void poke(char *p, long v) { *(volatile char *)p = (char)v; }

long clocks(long long *out) {
#ifdef SYS_clock_gettime64
    struct { long long tv_sec, tv_nsec; } a, b;
    long r = S2(SYS_clock_gettime64, CLOCK_REALTIME, &a) | S2(SYS_clock_gettime64, CLOCK_MONOTONIC, &b);
#else
    struct timespec a, b;
    long r = S2(SYS_clock_gettime, CLOCK_REALTIME, &a) | S2(SYS_clock_gettime, CLOCK_MONOTONIC, &b);
#endif
    out[0] = a.tv_sec; out[1] = a.tv_nsec; out[2] = b.tv_sec; out[3] = b.tv_nsec;
    return r;
}

long randoms(unsigned char *buf, long n) { return S3(SYS_getrandom, buf, n, 0); }

long names(struct utsname *u) { return S1(SYS_uname, u); }
"""

#: thread-pointer programs, per target: each sets the thread pointer to `tp` and reads
#: back the word at `tp + 8` through it the way compiled TLS code does
_TLS = {
    "x86_64": r"""
long tls(long tp) {
    long r = S2(SYS_arch_prctl, 0x1002, tp), v;
    if (r) return r;
    __asm__ volatile("mov %%fs:8, %0" : "=r"(v));
    return v;
}
long fs_base(void) { long v = 0; S2(SYS_arch_prctl, 0x1003, &v); return v; }
long rcx_after(void) {
    long rcx, r11;
    __asm__ volatile("mov $39, %%eax\n\tsyscall\n\t1: lea 1b(%%rip), %%rdx\n\tsub %%rdx, %%rcx"
                     : "=c"(rcx), "=r"(r11) : : "rax", "rdx", "memory");
    return rcx;      /* rcx - the address after the syscall: 0 */
}
""",
    "arm": r"""
#define SYS_set_tls 0xf0005
long tls(long tp) {
    long r = S1(SYS_set_tls, tp), v;
    if (r) return r;
    __asm__ volatile("mrc p15, 0, %0, c13, c0, 3" : "=r"(v));
    return *(long *)(v + 8);
}
typedef long (*get_tls_fn)(void);
typedef int (*cmpxchg_fn)(int, int, volatile int *);
long kuser_tls(void) { return ((get_tls_fn)0xffff0fe0)(); }
long kuser_version(void) { return *(volatile int *)0xffff0ffc; }
long kuser_cas(volatile int *p) {
    int first = ((cmpxchg_fn)0xffff0fc0)(5, 7, p);     /* *p == 5: stores 7, returns 0 */
    int second = ((cmpxchg_fn)0xffff0fc0)(5, 9, p);    /* *p == 7: fails, returns nonzero */
    ((void (*)(void))0xffff0fa0)();                     /* __kuser_memory_barrier */
    return first * 1000 + (second != 0) * 100 + *p;
}
""",
    "aarch64": r"""
long tls(long tp) {
    long v;
    __asm__ volatile("msr tpidr_el0, %0" : : "r"(tp));
    __asm__ volatile("mrs %0, tpidr_el0" : "=r"(v));
    return *(long *)(v + 8);
}
""",
}
_TLS["thumb"] = _TLS["arm"]


def _source(target: str) -> str:
    return _SYSCALL[target] + PROGRAM + _TLS[target]


class Guest:
    """A Jit with the program loaded and a kernel attached."""

    def __init__(self, target: str, **kernel_options):
        self.target = target
        self.jit = rig.Jit(target, seed=3)
        self.mod = self.jit.load(_source(target), name="sys.c")
        self.kernel = attach(self.jit.process, **kernel_options)
        self.ptr = self.jit.target.pointer_size
        self.long = "i64" if self.ptr == 8 else "i32"
        self.nr = dict(header_numbers(self.jit.target.syscalls.musl_arch))

    def fn(self, name: str, params: str = ""):
        return self.mod.function(name, f"{self.long}({params})")

    def sys(self, name: str, *args) -> int:
        """A raw system call by name (numbers from the Linux header)."""
        args = list(args) + [0] * (6 - len(args))
        return self.fn("sys6", ", ".join([self.long] * 7))(self.nr[name], *args)

    def put(self, data: bytes) -> int:
        p = self.jit.alloc(max(len(data), 1))
        self.jit.write(p, data)
        return p

    def cstr(self, text: str) -> int:
        return self.put(text.encode() + b"\0")

    def word(self, address: int, size: int = 0) -> int:
        return int.from_bytes(self.jit.read(address, size or self.ptr), "little")

    def close(self):
        self.kernel.close()
        self.jit.close()


@pytest.fixture(params=TARGETS)
def guest(request):
    g = Guest(request.param)
    yield g
    g.close()


# -- the tables -----------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["x86_64", "arm", "aarch64"])
def test_numbers_match_the_linux_header(name):
    abi = targets.get(name).syscalls
    header = header_numbers(abi.musl_arch)
    assert header, "zig's Linux header for the target is missing"
    for call, number in abi.numbers.items():
        assert header.get(call) == number, call
    assert syscall_name(abi, header["socket"] if "socket" in header else 198) == "socket"


@pytest.mark.parametrize("name", TARGETS)
def test_every_listed_call_has_a_handler(name):
    jit = rig.Jit(name)
    kernel = Kernel(jit.process)
    assert set(kernel.implemented()) == set(jit.target.syscalls.numbers)
    jit.close()


# -- output, exit ----------------------------------------------------------------------------

def test_write_goes_to_stdout_and_stderr_in_order(guest):
    result = guest.fn("chatter").invoke()
    assert result.value == 14
    assert result.output == ((1, b"one\n"), (2, b"two\n"), (1, b"three\n"))
    assert result.stdout == b"one\nthree\n" and result.stderr == b"two\n"
    assert [c.name for c in guest.kernel.log] == ["write"] * 3
    assert guest.kernel.counts["write"] == 3


def test_writev_gathers(guest):
    result = guest.fn("gather").invoke()
    assert result.value == 7
    assert result.stdout == b"abcdef\n"


@pytest.mark.parametrize("entry", ["bye", "bye_thread"])
def test_exit_ends_the_program_with_its_status(guest, entry):
    with pytest.raises(ProgramExit) as e:
        guest.fn(entry, guest.long)(300)
    assert e.value.status == 300 & 0xFF
    assert e.value.kind == "_exit"
    if entry == "bye":
        assert e.value.output == ((1, b"bye\n"),)
    assert str(guest.kernel.log[-1]).endswith("= (did not return)")


# -- memory --------------------------------------------------------------------------------------

def test_brk_round_trip(guest):
    expected = sum(i * 7 & 0xFF for i in range(10000))
    assert guest.fn("brk_trip")() == expected
    base, brk = guest.kernel.memory.brk_range()
    assert brk == base + 100


def test_mmap_munmap_mremap_round_trip(guest):
    expected = sum((i ^ (i >> 8)) & 0xFF for i in range(3 * 4096))
    assert guest.fn("map_trip")() == expected
    assert guest.kernel.memory.maps == []          # everything unmapped again
    assert guest.kernel.memory.used == 0


def test_munmap_leaves_a_hole_that_faults(guest):
    p = guest.fn("map_hole")() & ((1 << (8 * guest.ptr)) - 1)
    peek = guest.fn("peek", "ptr")
    assert peek(p) == 1 and peek(p + 8192) == 3
    with pytest.raises(EmulationFault) as e:
        peek(p + 4096)
    assert "unmapped" in str(e.value)


def test_mprotect_makes_a_page_read_only(guest):
    p = guest.fn("map_readonly")() & ((1 << (8 * guest.ptr)) - 1)
    peek, poke = guest.fn("peek", "ptr"), guest.mod.function("poke", f"void(ptr, {guest.long})")
    assert peek(p + 4096) == 9
    poke(p + 8, 1)
    with pytest.raises(EmulationFault) as e:
        poke(p + 4096, 1)
    assert "read-only" in str(e.value)
    assert "memory the program mapped with mmap" in str(e.value)


def test_mmap_fixed_and_its_limits(guest):
    g = guest
    flags = 0x2 | 0x20
    p = g.sys("mmap2" if "mmap2" in g.nr else "mmap", 0, 8192, 3, flags, -1, 0) & ((1 << (8 * g.ptr)) - 1)
    mmap = "mmap2" if "mmap2" in g.nr else "mmap"
    # MAP_FIXED over the program's own mapping replaces it, with fresh zeros
    g.jit.write(p, b"x")
    assert g.sys(mmap, p, 4096, 3, flags | 0x10, -1, 0) & ((1 << (8 * g.ptr)) - 1) == p
    assert g.jit.read(p, 1) == b"\0"
    # ... but never over memory the rig manages (the module's code): refused
    code = g.mod.address("sys6") & ~0xFFF
    assert g.sys(mmap, code, 4096, 3, flags | 0x10, -1, 0) == -ENOMEM
    assert g.sys("munmap", code, 4096) == -EINVAL
    assert g.sys("mprotect", code, 4096, 7) == -EACCES
    assert any("refused" in n for n in g.kernel.notes)
    # MAP_FIXED_NOREPLACE on a taken range
    assert g.sys(mmap, p, 4096, 3, flags | 0x100000, -1, 0) == -17
    # a misaligned fixed address, a zero length, no sharing type
    assert g.sys(mmap, p + 1, 4096, 3, flags | 0x10, -1, 0) == -EINVAL
    assert g.sys(mmap, 0, 0, 3, flags, -1, 0) == -EINVAL
    assert g.sys(mmap, 0, 4096, 3, 0x20, -1, 0) == -EINVAL
    # madvise(MADV_DONTNEED) reads back zeros
    g.jit.write(p + 4096, b"y")
    assert g.sys("madvise", p, 8192, 4) == 0
    assert g.jit.read(p + 4096, 1) == b"\0"


def test_mremap_moves_when_it_cannot_grow(guest):
    g = guest
    mmap = "mmap2" if "mmap2" in g.nr else "mmap"
    mask = (1 << (8 * g.ptr)) - 1
    p = g.sys(mmap, 0, 8192, 3, 0x22, -1, 0) & mask
    assert g.sys(mmap, p + 8192, 4096, 1, 0x32, -1, 0) & mask == p + 8192    # a neighbour blocks it
    g.jit.write(p, b"moved")
    assert g.sys("mremap", p, 8192, 16384, 0) == -ENOMEM                      # no MREMAP_MAYMOVE
    q = g.sys("mremap", p, 8192, 16384, 1) & mask
    assert q != p and g.jit.read(q, 5) == b"moved"
    assert [(m.start, m.end, m.perms) for m in g.kernel.memory.maps] == [(p + 8192, p + 12288, "r"),
                                                                          (q, q + 16384, "rw")]
    assert g.sys("mremap", q, 16384, 4096, 0) & mask == q                    # shrinks in place
    assert g.sys("mremap", p, 4096, 8192, 1) == -EFAULT                      # not mapped any more
    assert g.kernel.memory.used == 8192


def test_splitting_a_large_mapping_is_cheap():
    g = Guest("aarch64")
    try:
        size = g.kernel.memory.limit - (1 << 20)
        p = g.sys("mmap", 0, size, 3, 0x22, -1, 0)
        assert p > 0
        start = time.perf_counter()
        assert g.sys("munmap", p + (100 << 20), 4096) == 0
        assert g.sys("mprotect", p + (200 << 20), 4096, 1) == 0
        assert time.perf_counter() - start < 2.0        # Unicorn's own split took 10 s here
        assert g.sys("munmap", p, size) == 0 and g.kernel.memory.used == 0
    finally:
        g.close()


def test_hostile_sizes_are_bounded(guest):
    g = guest
    mmap = "mmap2" if "mmap2" in g.nr else "mmap"
    huge = (1 << 40) if g.ptr == 8 else 0xFFFF_F000
    assert g.sys(mmap, 0, huge, 3, 0x22, -1, 0) == -ENOMEM
    assert g.sys(mmap, 0, -1, 3, 0x22, -1, 0) == -ENOMEM
    assert g.sys("mremap", 0x10000, 4096, huge, 1) in (-ENOMEM, -14)
    assert g.sys("munmap", 0x10000, -1) == -EINVAL
    buf = g.put(b"z" * 64)
    # a write of 2^31 bytes from a 64-byte buffer: at most max_io bytes are looked at
    n = g.sys("write", 1, buf, 1 << 31)
    assert n in (-EFAULT, g.kernel.max_io)
    assert len(g.kernel.process.partial_output()) <= 1
    # a read into a huge length: bounded by the data there is
    g.kernel.stdin = b"abc"
    assert g.sys("read", 0, buf, 0x7FFF_FFFF) == 3
    assert g.sys("read", 0, buf, 0x7FFF_FFFF) == 0
    # getrandom of 2^31 bytes: a short count (Linux may return fewer than asked)
    big = g.jit.alloc(g.kernel.max_io)
    assert g.sys("getrandom", big, 1 << 31, 0) == g.kernel.max_io
    # iovec arrays: negative or past IOV_MAX counts
    assert g.sys("writev", 1, buf, -1) == -EINVAL
    assert g.sys("writev", 1, buf, 1 << 20) == -EINVAL
    # a writev whose lengths overflow ssize_t
    top = 1 << (8 * g.ptr - 1)
    vec = g.put((buf.to_bytes(g.ptr, "little") + (top - 1).to_bytes(g.ptr, "little")) * 2)
    assert g.sys("writev", 1, vec, 2) == -EINVAL
    # a path with no NUL in 4096 bytes
    long_path = g.put(b"/" * 5000)
    assert g.sys("openat", -100, long_path, 0, 0) == -36
    # pointers to nowhere
    assert g.sys("write", 1, 8, 4) == -EFAULT
    assert g.sys("uname", 8) == -EFAULT
    # the memory budget: many mappings stop at the limit with -ENOMEM
    small = Guest(g.target, memory_limit=1 << 20)
    try:
        got = [small.sys(mmap, 0, 256 << 10, 3, 0x22, -1, 0) for _ in range(5)]
        assert got[-1] == -ENOMEM and all(v > 0 or v < -4096 for v in got[:4])
    finally:
        small.close()


def test_output_limit():
    g = Guest("aarch64", max_output=10, max_io=4)
    try:
        buf = g.put(b"0123456789abcdef")
        assert g.sys("write", 1, buf, 16) == 4          # a short write
        assert g.sys("write", 1, buf, 6) == 4
        assert g.sys("write", 1, buf, 4) == -28         # ENOSPC past max_output
    finally:
        g.close()


# -- clock, randomness, identity -------------------------------------------------------------------

def _clocks(target: str, **options):
    g = Guest(target, **options)
    try:
        out = g.jit.alloc(32)
        assert g.fn("clocks", "ptr")(out) == 0
        first = [int.from_bytes(g.jit.read(out + 8 * i, 8), "little", signed=True) for i in range(4)]
        assert g.fn("clocks", "ptr")(out) == 0
        second = [int.from_bytes(g.jit.read(out + 8 * i, 8), "little", signed=True) for i in range(4)]
        return first, second
    finally:
        g.close()


@pytest.mark.parametrize("target", TARGETS)
def test_virtual_clock_is_reproducible(target):
    first, second = _clocks(target)
    assert first[0] == EPOCH and 0 < first[1] < 10**6
    assert first[2] == UPTIME
    assert (second[0], second[1]) > (first[0], first[1])
    assert (second[2], second[3]) > (first[2], first[3])
    assert _clocks(target) == (first, second)


def test_time_calls_share_the_clock():
    g = Guest("x86_64")
    try:
        assert g.sys("time", 0) == EPOCH
        tv = g.jit.alloc(16)
        assert g.sys("gettimeofday", tv, 0) == 0
        assert g.word(tv) == EPOCH and 0 < g.word(tv + 8) < 1000
        ts = g.put(((0).to_bytes(8, "little") + (5000).to_bytes(8, "little")))
        before = g.kernel.clock_ns
        assert g.sys("nanosleep", ts, 0) == 0
        assert g.kernel.clock_ns == before + 5000
        assert g.sys("clock_gettime", 99, tv) == -EINVAL
    finally:
        g.close()


def test_arm_32_bit_time_calls():
    g = Guest("arm")
    try:
        ts = g.jit.alloc(16)
        assert g.sys("clock_gettime32", 0, ts) == 0
        assert g.word(ts, 4) == EPOCH and 0 < g.word(ts + 4, 4) < 10**6
        assert g.sys("gettimeofday_time32", ts, 0) == 0
        assert g.word(ts, 4) == EPOCH
    finally:
        g.close()


@pytest.mark.parametrize("target", TARGETS)
def test_getrandom_is_seeded(target):
    def draw(seed):
        g = Guest(target, seed=seed)
        try:
            buf = g.jit.alloc(32)
            assert g.fn("randoms", f"ptr, {g.long}")(buf, 32) == 32
            return g.jit.read(buf, 32)
        finally:
            g.close()
    assert draw(1) == draw(1) != draw(2)


def test_uname_and_identity(guest):
    g = guest
    u = g.jit.alloc(6 * 65)
    assert g.fn("names", "ptr")(u) == 0
    fields = [g.jit.read(u + 65 * i, 65).split(b"\0")[0] for i in range(6)]
    assert fields[0] == b"Linux"
    assert fields[4] == g.jit.target.syscalls.machine.encode()
    assert g.sys("getpid") == PID and g.sys("gettid") == PID
    assert g.sys("set_tid_address", 0) == PID
    assert g.sys("getuid32" if "getuid32" in g.nr else "getuid") == 1000
    assert g.sys("sched_yield") == 0
    assert g.sys("ioctl", 1, 0x5413, g.jit.alloc(8)) == -ENOTTY      # TIOCGWINSZ: not a terminal
    assert g.sys("ioctl", 7, 0x5413, 0) == -EBADF


# -- unknown calls, the default kernel ---------------------------------------------------------------

def test_unknown_call_is_enosys_and_recorded(guest):
    g = guest
    assert g.sys("socket", 2, 1, 0) == -ENOSYS
    assert g.fn("sys6", ", ".join([g.long] * 7))(4000, 0, 0, 0, 0, 0, 0) == -ENOSYS
    assert g.kernel.unknown == [("socket", g.nr["socket"]), ("syscall 4000", 4000)]
    assert str(g.kernel.log[-1]) == "syscall 4000(0x0, 0x0, 0x0, 0x0, 0x0, 0x0) = -ENOSYS"


@pytest.mark.parametrize("target", TARGETS)
def test_without_a_kernel_every_call_is_enosys(target):
    jit = rig.Jit(target)
    mod = jit.load(_source(target), name="sys.c")
    long_ = "i64" if jit.target.pointer_size == 8 else "i32"
    result = mod.function("chatter", f"{long_}()").invoke()
    assert result.value == -3 * ENOSYS and result.output == ()
    assert [name for name, _ in jit.process.kernel.unknown] == ["write"] * 3
    jit.close()


# -- the thread pointer ---------------------------------------------------------------------------------

def test_thread_pointer(guest):
    g = guest
    block = g.put(bytes(8) + (0x5EED).to_bytes(g.ptr, "little"))
    assert g.fn("tls", g.long)(block) == 0x5EED
    reg = g.jit.target.syscalls.thread_pointer
    assert g.jit.process.read_register(reg) == block


def test_x86_64_fs_base_and_syscall_clobbers():
    g = Guest("x86_64")
    try:
        block = g.put(bytes(16))
        g.fn("tls", "i64")(block)
        assert g.fn("fs_base")() == block
        assert g.sys("arch_prctl", 0x1001, 0) == -EINVAL       # ARCH_SET_GS: not offered
        assert g.fn("rcx_after")() == 0                          # rcx = the address after `syscall`
    finally:
        g.close()


@pytest.mark.parametrize("target", ["arm", "thumb"])
def test_arm_kuser_helpers(target):
    g = Guest(target)
    try:
        block = g.put(bytes(16))
        g.fn("tls", "i32")(block)
        assert g.fn("kuser_tls")() == block
        assert g.word(0xFFFF0FF0, 4) == block            # the page's software TLS word too
        assert g.fn("kuser_version")() == 5
        cell = g.put((5).to_bytes(4, "little"))
        assert g.fn("kuser_cas", "ptr")(cell) == 0 * 1000 + 100 + 7
        # the page is read+exec for the program
        with pytest.raises(EmulationFault):
            g.mod.function("poke", "void(ptr, i32)")(0xFFFF0FF0, 1)
        # a second kernel on the same process reuses the page
        attach(g.jit.process)
        assert g.fn("kuser_version")() == 5
    finally:
        g.close()


# -- signals ----------------------------------------------------------------------------------------------

def test_signals(guest):
    g = guest
    sa_size = 3 * g.ptr + 8
    act = g.put((1).to_bytes(g.ptr, "little") + bytes(sa_size - g.ptr))      # SIG_IGN
    old = g.jit.alloc(sa_size)
    assert g.sys("rt_sigaction", 10, act, old, 8) == 0
    assert g.jit.read(old, sa_size) == bytes(sa_size)
    assert g.sys("rt_sigaction", 10, 0, old, 8) == 0
    assert g.word(old) == 1
    assert g.sys("rt_sigaction", 9, act, 0, 8) == -EINVAL                    # SIGKILL
    assert g.sys("rt_sigaction", 10, act, 0, 4) == -EINVAL                   # sigsetsize
    assert g.sys("tkill", PID, 10) == 0                                      # ignored
    assert g.sys("kill", PID, 17) == 0                                       # SIGCHLD: ignored by default
    assert g.sys("kill", 4242, 15) == -3                                     # ESRCH
    # SIGABRT while blocked waits; unblocking it ends the program as abort() does
    mask = g.put((1 << 5).to_bytes(8, "little"))
    assert g.sys("rt_sigprocmask", 0, mask, 0, 8) == 0
    assert g.sys("tkill", PID, 6) == 0
    oldmask = g.jit.alloc(8)
    assert g.sys("rt_sigprocmask", 0, 0, oldmask, 8) == 0 and g.word(oldmask, 8) == 1 << 5
    with pytest.raises(ProgramExit) as e:
        g.sys("rt_sigprocmask", 1, mask, 0, 8)
    assert e.value.kind == "abort" and e.value.status == 134
    with pytest.raises(ProgramExit) as e:
        g.sys("tgkill", PID, PID, 15)
    assert e.value.kind == "signal" and e.value.status == 128 + 15 and e.value.signal == 15
    handler = g.put((0x1234).to_bytes(g.ptr, "little") + bytes(sa_size - g.ptr))
    assert g.sys("rt_sigaction", 12, handler, 0, 8) == 0
    with pytest.raises(SyscallError, match="SIGUSR2 has a handler at 0x1234"):
        g.sys("kill", 0, 12)


# -- files ---------------------------------------------------------------------------------------------------

@pytest.fixture
def tree(tmp_path):
    data = tmp_path / "data"
    (data / "sub").mkdir(parents=True)
    (data / "hello.txt").write_bytes(b"hello, world\n")
    (data / "sub" / "n.bin").write_bytes(bytes(range(200)))
    (tmp_path / "secret.txt").write_bytes(b"secret\n")
    os.symlink(tmp_path / "secret.txt", data / "escape")
    os.symlink("hello.txt", data / "alias")
    return data


@pytest.mark.parametrize("target", TARGETS)
def test_files_under_a_mount(target, tree):
    g = Guest(target, mounts={"/data": tree})
    try:
        AT = -100
        fd = g.sys("openat", AT, g.cstr("/data/hello.txt"), 0, 0)
        assert fd == 3
        buf = g.jit.alloc(64)
        assert g.sys("read", fd, buf, 5) == 5 and g.jit.read(buf, 5) == b"hello"
        assert g.sys("read", fd, buf, 64) == 8 and g.jit.read(buf, 8) == b", world\n"
        assert g.sys("read", fd, buf, 64) == 0
        # seeking
        if "_llseek" in g.nr:
            res = g.jit.alloc(8)
            assert g.sys("_llseek", fd, 0, 7, res, 0) == 0 and g.word(res, 8) == 7
        else:
            assert g.sys("lseek", fd, 7, 0) == 7
        assert g.sys("read", fd, buf, 5) == 5 and g.jit.read(buf, 5) == b"world"
        assert g.sys("lseek", fd, -3, 2) == 10
        assert g.sys("lseek", fd, -30, 2) == -EINVAL
        assert g.sys("lseek", 1, 0, 1) == -ESPIPE
        # pread64: the 64-bit offset in a register pair on ARM (r4:r5, after r3 padding)
        if g.ptr == 4:
            assert g.sys("pread64", fd, buf, 4, 0, 1, 0) == 4
        else:
            assert g.sys("pread64", fd, buf, 4, 1) == 4
        assert g.jit.read(buf, 4) == b"ello"
        assert g.sys("close", fd) == 0 and g.sys("close", fd) == -EBADF
        assert g.sys("close", 0) == 0                                       # the lowest free number next
        assert g.sys("openat", AT, g.cstr("/data/hello.txt"), 0, 0) == 0
        assert g.sys("read", 0, buf, 5) == 5 and g.jit.read(buf, 5) == b"hello"
        # relative to a directory descriptor, and through a link inside the mount
        d = g.sys("openat", AT, g.cstr("/data/sub"), 0, 0)
        f = g.sys("openat", d, g.cstr("n.bin"), 0, 0)
        assert g.sys("read", f, buf, 3) == 3 and g.jit.read(buf, 3) == b"\0\1\2"
        assert g.sys("read", d, buf, 3) == -21                               # EISDIR
        a = g.sys("openat", AT, g.cstr("/data/alias"), 0, 0)
        assert a > 0 and g.sys("read", a, buf, 5) == 5 and g.jit.read(buf, 5) == b"hello"
        # refusals: out of the mount by "..", by a link, unmounted paths, writing
        assert g.sys("openat", AT, g.cstr("/data/../secret.txt"), 0, 0) == -ENOENT
        assert g.sys("openat", d, g.cstr("../../secret.txt"), 0, 0) == -ENOENT
        assert g.sys("openat", AT, g.cstr("/data/escape"), 0, 0) == -EACCES
        assert g.sys("openat", AT, g.cstr("/etc/passwd"), 0, 0) == -ENOENT
        assert g.sys("openat", AT, g.cstr(str(tree / "hello.txt")), 0, 0) == -ENOENT
        assert g.sys("openat", AT, g.cstr("/data/hello.txt"), 1, 0) == -EROFS    # O_WRONLY
        assert g.sys("openat", AT, g.cstr("/data/new"), 0o101, 0o644) == -EROFS  # O_CREAT
        assert g.sys("openat", AT, g.cstr("/data/missing"), 0, 0) == -ENOENT
        assert g.sys("faccessat", AT, g.cstr("/data/hello.txt"), 4, 0) == 0
        assert g.sys("faccessat", AT, g.cstr("/data/hello.txt"), 2, 0) == -EROFS
        assert g.sys("write", f, buf, 1) == -EBADF
        # a private file mapping holds the file's bytes
        mmap = "mmap2" if "mmap2" in g.nr else "mmap"
        p = g.sys(mmap, 0, 4096, 1, 2, f, 0) & ((1 << (8 * g.ptr)) - 1)
        assert g.jit.read(p, 200) == bytes(range(200)) and g.jit.read(p + 200, 8) == bytes(8)
    finally:
        g.close()


def test_files_without_mounts_are_missing():
    g = Guest("aarch64")
    try:
        assert g.sys("openat", -100, g.cstr("/etc/passwd"), 0, 0) == -ENOENT
        assert g.sys("openat", -100, g.cstr("/"), 0, 0) == -ENOENT
        assert g.sys("read", 5, g.jit.alloc(4), 4) == -EBADF
    finally:
        g.close()


# -- struct layouts against musl's own definitions ----------------------------------------------------------

def _kstat_program(target: str) -> str:
    arch = targets.get(target).syscalls.musl_arch
    kstat = musl_root() / "arch" / arch / "kstat.h"
    return _SYSCALL[target] + f'#include <sys/types.h>\n#include "{kstat}"\n' + r"""
#include <sys/syscall.h>
#include <fcntl.h>
#ifdef SYS_fstatat64
#define FSTATAT SYS_fstatat64
#define FSTAT SYS_fstat64
#else
#define FSTATAT SYS_newfstatat
#define FSTAT SYS_fstat
#endif
struct statx_ {
    unsigned stx_mask, stx_blksize; unsigned long long stx_attributes;
    unsigned stx_nlink, stx_uid, stx_gid; unsigned short stx_mode, pad1;
    unsigned long long stx_ino, stx_size, stx_blocks, stx_attributes_mask;
    struct { long long tv_sec; unsigned tv_nsec; int pad; } stx_atime, stx_btime, stx_ctime, stx_mtime;
    unsigned stx_rdev_major, stx_rdev_minor, stx_dev_major, stx_dev_minor;
    unsigned long long spare[14];
};
long long facts(const char *path, long long *out) {
    struct kstat st;
    struct statx_ sx;
    long r = sc(FSTATAT, AT_FDCWD, (long)path, (long)&st, 0, 0, 0);
    if (r) return r;
    out[0] = st.st_size; out[1] = st.st_mode; out[2] = st.st_uid; out[3] = st.st_ino;
    out[4] = st.st_mtime_sec; out[5] = st.st_blksize; out[6] = st.st_nlink; out[7] = st.st_dev;
    long fd = sc(SYS_openat, AT_FDCWD, (long)path, O_RDONLY, 0, 0, 0);
    r = sc(FSTAT, fd, (long)&st, 0, 0, 0, 0);
    if (r) return r;
    out[8] = st.st_size;
    r = sc(FSTAT, 1, (long)&st, 0, 0, 0, 0);
    out[9] = st.st_mode;
    r |= sc(SYS_statx, AT_FDCWD, (long)path, 0, 0x7ff, (long)&sx, 0);
    out[10] = sx.stx_size; out[11] = sx.stx_mode; out[12] = sx.stx_ino; out[13] = sx.stx_mtime.tv_sec;
    out[14] = sx.stx_uid;
    r |= sc(SYS_statx, fd, (long)"", AT_EMPTY_PATH, 0x7ff, (long)&sx, 0);
    out[15] = sx.stx_size;
    return r;
}
"""


@pytest.mark.parametrize("target", TARGETS)
def test_stat_layouts_match_musl(target, tree):
    jit = rig.Jit(target)
    mod = jit.load(_kstat_program(target), name="kstat.c")
    attach(jit.process, mounts={"/data": tree})
    path = jit.alloc(64)
    jit.write(path, b"/data/sub/n.bin\0")
    out = jit.alloc(16 * 8)
    assert mod.function("facts", "i64(ptr, ptr)")(path, out) == 0
    v = [int.from_bytes(jit.read(out + 8 * i, 8), "little", signed=True) for i in range(16)]
    host = os.stat(tree / "sub" / "n.bin")
    assert v[0] == 200 and v[8] == 200 and v[10] == 200 and v[15] == 200
    assert v[1] == 0o100444 & ~0o222 | (host.st_mode & 0o555) and v[11] == v[1]
    assert v[2] == 1000 and v[14] == 1000
    assert v[3] == v[12] != 0
    assert v[4] == v[13] == int(host.st_mtime)
    assert v[5] == 4096 and v[6] == 1 and v[7] == 0x800
    assert v[9] & 0o170000 == 0o010000                       # stdout is a pipe
    jit.close()


def test_non_syscall_traps_still_fault():
    # An interrupt hook is installed for svc: brk and bkpt must still end the call.
    for target, src in (("aarch64", 'void f(void) { __asm__ volatile("brk #0"); }'),
                        ("aarch64", 'void f(void) { __asm__ volatile("udf #0"); }'),
                        ("arm", 'void f(void) { __asm__ volatile("bkpt #0"); }')):
        jit = rig.Jit(target)
        mod = jit.load(src, name="t.c")
        with pytest.raises(EmulationFault) as e:
            mod.function("f", "void()")()
        assert "CPU exception" in str(e.value) and "interrupt" in str(e.value)
        jit.close()


@pytest.mark.parametrize("target", ["arm", "aarch64"])
def test_mapping_changes_against_a_model(target):
    """Random MAP_FIXED maps, unmaps and protections over a window of pages: what
    stays mapped keeps its bytes, what was unmapped faults, the accounting holds."""
    import random
    g = Guest(target)
    try:
        mmap = "mmap2" if "mmap2" in g.nr else "mmap"
        mask = (1 << (8 * g.ptr)) - 1
        pages = 48
        base = g.sys(mmap, 0, pages * 4096, 3, 0x22, -1, 0) & mask
        assert g.sys("munmap", base, pages * 4096) == 0
        model = {}                                   # page index -> marker byte
        rng = random.Random(7)
        for step in range(300):
            a = rng.randrange(pages)
            b = min(pages, a + rng.randrange(1, 9))
            op = rng.random()
            if op < 0.4:
                assert g.sys(mmap, base + a * 4096, (b - a) * 4096, 3, 0x32, -1, 0) & mask == base + a * 4096
                for i in range(a, b):
                    model[i] = 0
            elif op < 0.7:
                assert g.sys("munmap", base + a * 4096, (b - a) * 4096) == 0
                for i in range(a, b):
                    model.pop(i, None)
            elif op < 0.85:
                want = 0 if all(i in model for i in range(a, b)) else -ENOMEM
                assert g.sys("mprotect", base + a * 4096, (b - a) * 4096, rng.choice((1, 3, 5))) == want
            else:
                for i in range(a, b):
                    if i in model:
                        model[i] = rng.randrange(1, 256)
                        g.jit.write(base + i * 4096 + 17, bytes([model[i]]))
            for i in range(pages):
                if i in model:
                    assert g.jit.read(base + i * 4096 + 17, 1) == bytes([model[i]]), (step, i)
                else:
                    with pytest.raises(EmulationFault):
                        g.jit.read(base + i * 4096, 1)
            assert g.kernel.memory.used == 4096 * len(model)
        assert len(g.jit.process._zeroed) <= len(g.kernel.memory.maps)
    finally:
        g.close()


def test_mapping_count_and_brk_steps_are_bounded():
    g = Guest("aarch64", max_maps=8)
    try:
        got = [g.sys("mmap", 0, 4096, 3, 0x22, -1, 0) for _ in range(9)]
        assert got[-1] == -ENOMEM and all(p > 0 for p in got[:8])
        assert g.sys("munmap", got[0], 4096) == 0           # freeing needs no room
    finally:
        g.close()
    # a program moving the break a page at a time makes few regions (64 KiB steps, then
    # half of what is mapped)
    g = Guest("aarch64")
    try:
        base = g.sys("brk", 0)
        for i in range(1, 4000):
            assert g.sys("brk", base + 4096 * i) == base + 4096 * i
        assert sum(m.what == "brk" for m in g.kernel.memory.maps) <= 20
        assert len(list(g.jit.process.uc.mem_regions())) < 40
    finally:
        g.close()


MUSL_PROGRAM = r"""
#include <unistd.h>
#include <sys/mman.h>
#include <string.h>
long go(void) {
    char *p = mmap(0, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return -1;
    strcpy(p, "from musl\n");
    write(1, p, strlen(p));
    if (munmap(p, 8192)) return -2;
    return getpid();
}
"""


@pytest.mark.parametrize("target", ["x86_64", "arm", "aarch64"])
def test_musl_system_call_wrappers_reach_the_kernel(target):
    """musl's own mmap, write, munmap, getpid (from libc.a) through the kernel."""
    from rig.userland import libc
    jit = rig.Jit(target)
    try:
        archives = list(libc.libc(jit.target).archives)      # built through the ziglang package
        kernel = attach(jit.process)
        mod = jit.load_all([MUSL_PROGRAM.encode()], name="musl.c", archives=archives)[0]
        result = mod.function("go", "i64()" if jit.target.pointer_size == 8 else "i32()").invoke()
        assert result.value == PID
        assert result.output == ((1, b"from musl\n"),)
        assert [c.name for c in kernel.log] == ["mmap2" if target == "arm" else "mmap", "write", "munmap",
                                                "getpid"]
    finally:
        jit.close()


def test_a_kernel_that_fails_is_named():
    class Broken:
        def syscall(self, number, args):
            if args[0] == 1:
                return None
            if args[0] == 2:
                return 1 // 0
            return self.missing
    g = Guest("x86_64")
    try:
        g.jit.process.kernel = Broken()
        with pytest.raises(rig.errors.HostFunctionError, match="with None, not an integer"):
            g.sys("getpid", 1)
        with pytest.raises(rig.errors.HostFunctionError, match="raised ZeroDivisionError"):
            g.sys("getpid", 2)
        with pytest.raises(rig.errors.HostFunctionError, match=r"system call 39 \(returning to .*sys6\+"):
            g.sys("getpid", 3)
        g.jit.process.kernel = g.kernel
        assert g.sys("getpid") == PID          # the process still works
    finally:
        g.close()
