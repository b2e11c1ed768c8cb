// rig: 64-bit division and remainder (ARM: __aeabi_ldivmod / __aeabi_uldivmod calls), 32-bit too
// SIG: udiv64 u64(u64, u64)
// SIG: umod64 u64(u64, u64)
// SIG: sdiv64 i64(i64, i64)
// SIG: smod64 i64(i64, i64)
// SIG: gcd64 u64(u64, u64)
// SIG: digit_sum i32(i64, i32)
// SIG: to_text i32(u64)
// SIG: div32 i32(i32, i32)
// CALL: udiv64(18446744073709551615, 10) == 1844674407370955161
// CALL: umod64(18446744073709551615, 10) == 5
// CALL: udiv64(1000000000000, 4294967296) == 232
// CALL: sdiv64(-9223372036854775807, 1000) == -9223372036854775
// CALL: smod64(-9223372036854775807, 1000) == -807
// CALL: sdiv64(7, -2) == -3
// CALL: smod64(7, -2) == 1
// CALL: gcd64(1071509904, 462063) == 3
// CALL: gcd64(600851475143, 6857) == 6857
// CALL: digit_sum(-9876543210123, 10) == 51
// CALL: digit_sum(255, 16) == 30
// CALL: to_text(12345678901234567890) == 20
// STDOUT: "12345678901234567890 12345678901234567890 ab54a98ceb1f0ad2\n"
// CALL: div32(-2147483647, 7) == -83378001
// CALL: div32(1000000007, -1009) == -91079713
#include <stdint.h>

int printf(const char *, ...);

/* noinline with the divisor an argument: the division cannot become a multiplication. */
__attribute__((noinline)) uint64_t udiv64(uint64_t a, uint64_t b) { return a / b; }
__attribute__((noinline)) uint64_t umod64(uint64_t a, uint64_t b) { return a % b; }
__attribute__((noinline)) int64_t sdiv64(int64_t a, int64_t b) { return a / b; }
__attribute__((noinline)) int64_t smod64(int64_t a, int64_t b) { return a % b; }

uint64_t gcd64(uint64_t a, uint64_t b) {
    while (b) {
        uint64_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

/* The digits of |x| in base `base`, summed (base from the caller: a real division). */
int32_t digit_sum(int64_t x, int32_t base) {
    uint64_t u = x < 0 ? 0 - (uint64_t)x : (uint64_t)x;
    int32_t s = 0;
    while (u) {
        s += (int32_t)(u % (uint64_t)base);
        u /= (uint64_t)base;
    }
    return s;
}

static volatile uint64_t ten = 10;
static char text[24];

/* Decimal conversion by repeated 64-bit division; printed with %s and compared with %llu. */
int32_t to_text(uint64_t v) {
    char *p = text + sizeof text - 1;
    *p = 0;
    uint64_t w = v;
    do {
        *--p = (char)('0' + w % ten);
        w /= ten;
    } while (w);
    printf("%s %llu %llx\n", p, (unsigned long long)v, (unsigned long long)v);
    return (int32_t)(text + sizeof text - 1 - p);
}

__attribute__((noinline)) int32_t div32(int32_t a, int32_t b) {
    return a / b % 100000 * 1000 + a % b;
}
