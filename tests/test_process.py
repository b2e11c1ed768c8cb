"""The remote process: permissions, calling conventions, host functions, memory."""
from __future__ import annotations

import struct

import pytest
from hypothesis import given, settings, strategies as st

import rig

TARGETS = ("x86_64", "arm", "thumb", "aarch64")

SRC = r"""
@counter = global i32 0
@zeros = global [64 x i32] zeroinitializer
@ro = constant i32 7

define i32 @sum10(i32 %a, i32 %b, i32 %c, i32 %d, i32 %e, i32 %f, i32 %g, i32 %h, i32 %i, i32 %j) {
  %1 = add i32 %a, %b
  %2 = add i32 %1, %c
  %3 = add i32 %2, %d
  %4 = add i32 %3, %e
  %5 = add i32 %4, %f
  %6 = add i32 %5, %g
  %7 = add i32 %6, %h
  %8 = mul i32 %i, 1000
  %9 = add i32 %7, %8
  %10 = mul i32 %j, 100000
  %11 = add i32 %9, %10
  ret i32 %11
}

; floats and doubles interleaved, more than the FP registers, so AAPCS back-fills
; single-precision registers and the last ones go on the stack
define double @mixed(float %a, double %b, float %c, double %d, float %e, double %f, float %g,
                     double %h, float %i, double %j, float %k, double %l, i64 %m, i32 %n, i64 %o) {
  %a1 = fpext float %a to double
  %c1 = fpext float %c to double
  %e1 = fpext float %e to double
  %g1 = fpext float %g to double
  %i1 = fpext float %i to double
  %k1 = fpext float %k to double
  %s1 = fadd double %a1, %b
  %s2 = fmul double %c1, 10.0
  %s3 = fadd double %s1, %s2
  %s4 = fmul double %d, 100.0
  %s5 = fadd double %s3, %s4
  %s6 = fmul double %e1, 1000.0
  %s7 = fadd double %s5, %s6
  %s8 = fadd double %f, %g1
  %s9 = fadd double %s7, %s8
  %t1 = fadd double %h, %i1
  %t2 = fadd double %j, %k1
  %t3 = fadd double %t1, %t2
  %t4 = fmul double %l, 3.0
  %t5 = fadd double %t3, %t4
  %u = fadd double %s9, %t5
  %mm = sitofp i64 %m to double
  %nn = sitofp i32 %n to double
  %oo = sitofp i64 %o to double
  %v1 = fadd double %u, %mm
  %v2 = fmul double %nn, %oo
  %v3 = fadd double %v1, %v2
  ret double %v3
}

define float @fscale(float %x, i32 %k) {
  %kf = sitofp i32 %k to float
  %r = fmul float %x, %kf
  ret float %r
}

define i64 @wide(i32 %a, i64 %b, i32 %c, i64 %d, i64 %e) {
  %a1 = sext i32 %a to i64
  %c1 = sext i32 %c to i64
  %1 = mul i64 %b, %a1
  %2 = add i64 %1, %c1
  %3 = xor i64 %2, %d
  %4 = sub i64 %3, %e
  ret i64 %4
}

define i32 @bss_sum() {
entry:
  br label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %i1, %loop ]
  %acc = phi i32 [ 0, %entry ], [ %acc1, %loop ]
  %p = getelementptr [64 x i32], ptr @zeros, i32 0, i32 %i
  %v = load volatile i32, ptr %p
  %acc1 = add i32 %acc, %v
  %i1 = add i32 %i, 1
  %done = icmp eq i32 %i1, 64
  br i1 %done, label %out, label %loop
out:
  ret i32 %acc1
}

define void @poke_text() {
  store volatile i32 0, ptr @sum10
  ret void
}

declare i64 @host_mix(i32, double, ptr, i64)
define i64 @use_host(i32 %a, double %b, ptr %p) {
  %r = call i64 @host_mix(i32 %a, double %b, ptr %p, i64 -5)
  %s = add i64 %r, 1
  ret i64 %s
}
declare i32 @sum_bytes(ptr, i32)
define i32 @sum_through_host(ptr %p, i32 %n) {
  %r = call i32 @sum_bytes(ptr %p, i32 %n)
  ret i32 %r
}
"""


@pytest.fixture(scope="module", params=TARGETS)
def mod(request):
    jit = rig.Jit(request.param, seed=9)
    seen = []

    def host_mix(ctx, a, b, p, d):
        seen.append((a, b, d))
        return a * 1000 + int(b * 10) + d + ctx.read(p, 1)[0]

    jit.add_host_function("host_mix", host_mix, "i64(i32, f64, ptr, i64)")
    jit.add_host_function("sum_bytes", lambda ctx, p, n: sum(ctx.read(p, n)), "i32(ptr, i32)")
    m = jit.load(SRC)
    m.seen = seen
    yield m
    jit.close()


def test_stack_arguments(mod):
    assert mod.call("sum10", 1, 2, 3, 4, 5, 6, 7, 8, 9, 10) == 36 + 9000 + 1000000


def test_float_double_and_integer_mix(mod):
    args = (1.5, 2.0, 3.25, 4.0, 5.5, 6.0, 7.75, 8.0, 9.5, 10.0, 11.25, 12.0, -(1 << 40), -3, 1 << 33)
    a, b, c, d, e, f, g, h, i, j, k, l, m, n, o = args
    want = (a + b + c * 10 + d * 100 + e * 1000 + (f + g)) + ((h + i) + (j + k) + l * 3.0) + m + n * o
    assert mod.call("mixed", *args) == want


def test_float_result(mod):
    assert mod.call("fscale", 1.25, 3) == 3.75
    assert mod.call("fscale", 0.1, 3) == struct.unpack("<f", struct.pack("<f", struct.unpack(
        "<f", struct.pack("<f", 0.1))[0] * 3))[0]


@given(a=st.integers(-2**31, 2**31 - 1), b=st.integers(-2**63, 2**63 - 1), c=st.integers(-2**31, 2**31 - 1),
       d=st.integers(-2**63, 2**63 - 1), e=st.integers(-2**63, 2**63 - 1))
@settings(max_examples=40, deadline=None)
def test_64_bit_values_in_register_pairs(mod, a, b, c, d, e):
    want = (((b * a + c) & (2**64 - 1)) ^ (d & (2**64 - 1))) - (e & (2**64 - 1))
    want &= 2**64 - 1
    want = want - 2**64 if want >> 63 else want
    assert mod.call("wide", a, b, c, d, e) == want


def test_bss_is_zeroed_and_text_is_not_writable(mod):
    assert mod.call("bss_sum") == 0
    with pytest.raises(rig.EmulationFault, match="read-only"):
        mod.call("poke_text")
    assert mod.call("sum10", *range(10)) == 45 - 8 - 9 + 8000 + 900000


def test_host_function_sees_arguments_and_memory(mod):
    jit = mod.jit
    p = jit.alloc(16)
    jit.write(p, b"\x07abc")
    assert jit.read(p, 4) == b"\x07abc"
    assert mod.call("use_host", 12, 3.5, p) == 12 * 1000 + 35 - 5 + 7 + 1
    assert mod.seen[-1] == (12, 3.5, -5)
    jit.write(p, bytes(range(1, 11)))
    assert mod.call("sum_through_host", p, 10) == 55
    jit.free(p)


def test_section_permissions(mod):
    pages = mod.layout.pages()
    for p in mod.layout.placements:
        if p.item.size:
            perms = pages[p.address & ~0xFFF]
            assert set(p.item.perms) <= set(perms)
            if p.item.name == ".text":
                assert perms == "rx"
            if p.item.name == ".data":
                assert "x" not in perms
