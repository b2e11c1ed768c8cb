"""The x86-64 FPU starts as Linux starts a process: x87 at 64-bit extended
precision (control word 0x037F), SSE exceptions masked (MXCSR 0x1F80).
Unicorn starts both at 0, which makes x87 arithmetic round to 24 bits."""
from __future__ import annotations

import rig

SRC = r"""
// SIG: add_one u64(u64)
unsigned long long add_one(unsigned long long big) {
    volatile long double x = (long double)big;
    x = x + 1.0L;                        /* 2^53 + 1: exact only with a 64-bit mantissa */
    return (unsigned long long)x;
}
// SIG: control_words u32()
unsigned control_words(void) {
    unsigned short cw; unsigned mxcsr;
    __asm__ volatile ("fnstcw %0" : "=m"(cw));
    __asm__ volatile ("stmxcsr %0" : "=m"(mxcsr));
    return ((unsigned)cw << 16) | (mxcsr & 0xffff);
}
"""


def test_long_double_arithmetic_has_64_bit_precision(tmp_path):
    path = tmp_path / "fpu.c"
    path.write_text(SRC.replace("// SIG: add_one u64(u64)\n", "// SIG: add_one u64(u64)\n// SIG: control_words u32()\n", 1))
    mod = rig.Jit("x86_64", seed=1).load(path)
    assert mod.call("add_one", 1 << 53, signature="u64(u64)") == (1 << 53) + 1
    assert mod.call("control_words", signature="u32()") == (0x037F << 16) | 0x1F80
