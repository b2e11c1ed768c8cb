// rig: 64-bit division and remainder (signed and unsigned: compiler-rt's __aeabi_ldivmod / __aeabi_uldivmod on 32-bit ARM, __divdi3 / __udivdi3 family elsewhere when needed) with operands the compiler cannot see: signs, truncation toward zero, divisors above 2^32, powers of two, quotient 0, INT64_MIN / 1, a 100000-step checksum; 32-bit division too; lldiv and imaxdiv
// RUNTIME: musl
// STATUS: 0
// STDOUT: "signed:\n"
// STDOUT: "  0 / -7 = 0, % = 0\n"
// STDOUT: "  0 / 9223372036854775807 = 0, % = 0\n"
// STDOUT: "  0 / 81985529216486895 = 0, % = 0\n"
// STDOUT: "  1 / 1 = 1, % = 0\n"
// STDOUT: "  1 / 100 = 0, % = 1\n"
// STDOUT: "  1 / -9223372036854775808 = 0, % = 1\n"
// STDOUT: "  1 / 3 = 0, % = 1\n"
// STDOUT: "  -1 / -1 = 1, % = 0\n"
// STDOUT: "  -1 / 4294967296 = 0, % = -1\n"
// STDOUT: "  -1 / 1000000000000 = 0, % = -1\n"
// STDOUT: "  7 / 7 = 1, % = 0\n"
// STDOUT: "  7 / -4294967296 = 0, % = 7\n"
// STDOUT: "  7 / -999999999999 = 0, % = 7\n"
// STDOUT: "  -7 / -7 = 1, % = 0\n"
// STDOUT: "  -7 / 9223372036854775807 = 0, % = -7\n"
// STDOUT: "  -7 / 81985529216486895 = 0, % = -7\n"
// STDOUT: "  100 / 1 = 100, % = 0\n"
// STDOUT: "  100 / 100 = 1, % = 0\n"
// STDOUT: "  100 / -9223372036854775808 = 0, % = 100\n"
// STDOUT: "  100 / 3 = 33, % = 1\n"
// STDOUT: "  4294967296 / -1 = -4294967296, % = 0\n"
// STDOUT: "  4294967296 / 4294967296 = 1, % = 0\n"
// STDOUT: "  4294967296 / 1000000000000 = 0, % = 4294967296\n"
// STDOUT: "  -4294967296 / 7 = -613566756, % = -4\n"
// STDOUT: "  -4294967296 / -4294967296 = 1, % = 0\n"
// STDOUT: "  -4294967296 / -999999999999 = 0, % = -4294967296\n"
// STDOUT: "  9223372036854775807 / -7 = -1317624576693539401, % = 0\n"
// STDOUT: "  9223372036854775807 / 9223372036854775807 = 1, % = 0\n"
// STDOUT: "  9223372036854775807 / 81985529216486895 = 112, % = 40992764608243567\n"
// STDOUT: "  -9223372036854775808 / 1 = -9223372036854775808, % = 0\n"
// STDOUT: "  -9223372036854775808 / 100 = -92233720368547758, % = -8\n"
// STDOUT: "  -9223372036854775808 / -9223372036854775808 = 1, % = 0\n"
// STDOUT: "  -9223372036854775808 / 3 = -3074457345618258602, % = -2\n"
// STDOUT: "  1000000000000 / -1 = -1000000000000, % = 0\n"
// STDOUT: "  1000000000000 / 4294967296 = 232, % = 3567587328\n"
// STDOUT: "  1000000000000 / 1000000000000 = 1, % = 0\n"
// STDOUT: "  -999999999999 / 7 = -142857142857, % = 0\n"
// STDOUT: "  -999999999999 / -4294967296 = 232, % = -3567587327\n"
// STDOUT: "  -999999999999 / -999999999999 = 1, % = 0\n"
// STDOUT: "  81985529216486895 / -7 = -11712218459498127, % = 6\n"
// STDOUT: "  81985529216486895 / 9223372036854775807 = 0, % = 81985529216486895\n"
// STDOUT: "  81985529216486895 / 81985529216486895 = 1, % = 0\n"
// STDOUT: "  3 / 1 = 3, % = 0\n"
// STDOUT: "  3 / 100 = 0, % = 3\n"
// STDOUT: "  3 / -9223372036854775808 = 0, % = 3\n"
// STDOUT: "  3 / 3 = 1, % = 0\n"
// STDOUT: "unsigned:\n"
// STDOUT: "  0 / 1 = 0, % = 0\n"
// STDOUT: "  0 / 4294967295 = 0, % = 0\n"
// STDOUT: "  0 / 18446744073709551614 = 0, % = 0\n"
// STDOUT: "  1 / 10 = 0, % = 1\n"
// STDOUT: "  1 / 18446744073709551615 = 0, % = 1\n"
// STDOUT: "  1 / 16045690984503098046 = 0, % = 1\n"
// STDOUT: "  2 / 3 = 0, % = 2\n"
// STDOUT: "  2 / 4294967297 = 0, % = 2\n"
// STDOUT: "  2 / 12345678901234567890 = 0, % = 2\n"
// STDOUT: "  3 / 2 = 1, % = 1\n"
// STDOUT: "  3 / 4294967296 = 0, % = 3\n"
// STDOUT: "  3 / 9223372036854775808 = 0, % = 3\n"
// STDOUT: "  10 / 1 = 10, % = 0\n"
// STDOUT: "  10 / 4294967295 = 0, % = 10\n"
// STDOUT: "  10 / 18446744073709551614 = 0, % = 10\n"
// STDOUT: "  4294967295 / 10 = 429496729, % = 5\n"
// STDOUT: "  4294967295 / 18446744073709551615 = 0, % = 4294967295\n"
// STDOUT: "  4294967295 / 16045690984503098046 = 0, % = 4294967295\n"
// STDOUT: "  4294967296 / 3 = 1431655765, % = 1\n"
// STDOUT: "  4294967296 / 4294967297 = 0, % = 4294967296\n"
// STDOUT: "  4294967296 / 12345678901234567890 = 0, % = 4294967296\n"
// STDOUT: "  4294967297 / 2 = 2147483648, % = 1\n"
// STDOUT: "  4294967297 / 4294967296 = 1, % = 1\n"
// STDOUT: "  4294967297 / 9223372036854775808 = 0, % = 4294967297\n"
// STDOUT: "  18446744073709551615 / 1 = 18446744073709551615, % = 0\n"
// STDOUT: "  18446744073709551615 / 4294967295 = 4294967297, % = 0\n"
// STDOUT: "  18446744073709551615 / 18446744073709551614 = 1, % = 1\n"
// STDOUT: "  18446744073709551614 / 10 = 1844674407370955161, % = 4\n"
// STDOUT: "  18446744073709551614 / 18446744073709551615 = 0, % = 18446744073709551614\n"
// STDOUT: "  18446744073709551614 / 16045690984503098046 = 1, % = 2401053089206453568\n"
// STDOUT: "  9223372036854775808 / 3 = 3074457345618258602, % = 2\n"
// STDOUT: "  9223372036854775808 / 4294967297 = 2147483647, % = 2147483649\n"
// STDOUT: "  9223372036854775808 / 12345678901234567890 = 0, % = 9223372036854775808\n"
// STDOUT: "  12345678901234567890 / 2 = 6172839450617283945, % = 0\n"
// STDOUT: "  12345678901234567890 / 4294967296 = 2874452364, % = 3944680146\n"
// STDOUT: "  12345678901234567890 / 9223372036854775808 = 1, % = 3122306864379792082\n"
// STDOUT: "  16045690984503098046 / 1 = 16045690984503098046, % = 0\n"
// STDOUT: "  16045690984503098046 / 4294967295 = 3735928560, % = 2846652846\n"
// STDOUT: "  16045690984503098046 / 18446744073709551614 = 0, % = 16045690984503098046\n"
// STDOUT: "checksum e20a29cd1ab79d37 8056eca5fee61aeb, identity failures 0\n"
// STDOUT: "32-bit: -306783378 -2 429496729 5\n"
// STDOUT: "lldiv quot -8999999937 rem -442, imaxdiv quot -3074457345618258602 rem 1\n"

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static volatile int64_t sv[] = {
    0, 1, -1, 7, -7, 100, INT64_C(1) << 32, -(INT64_C(1) << 32), INT64_C(0x7fffffffffffffff), INT64_MIN,
    INT64_C(1000000000000), INT64_C(-999999999999), INT64_C(0x123456789abcdef), 3,
};
static volatile uint64_t uv[] = {
    0, 1, 2, 3, 10, 0xffffffffu, UINT64_C(0x100000000), UINT64_C(0x100000001), UINT64_MAX, UINT64_MAX - 1,
    UINT64_C(0x8000000000000000), UINT64_C(12345678901234567890), UINT64_C(0xdeadbeefcafebabe),
};

int main(int argc, char **argv) {
    (void)argc; (void)argv;
    int ns = (int)(sizeof sv / sizeof sv[0]), nu = (int)(sizeof uv / sizeof uv[0]);
    printf("signed:\n");
    for (int i = 0; i < ns; i++)
        for (int j = 0; j < ns; j++) {
            int64_t a = sv[i], b = sv[j];
            if (b == 0 || (a == INT64_MIN && b == -1))
                continue;
            if ((i * 7 + j) % 4 == 0)
                printf("  %" PRId64 " / %" PRId64 " = %" PRId64 ", %% = %" PRId64 "\n", a, b, a / b, a % b);
        }
    printf("unsigned:\n");
    for (int i = 0; i < nu; i++)
        for (int j = 0; j < nu; j++) {
            uint64_t a = uv[i], b = uv[j];
            if (b == 0)
                continue;
            if ((i * 5 + j) % 4 == 1)
                printf("  %" PRIu64 " / %" PRIu64 " = %" PRIu64 ", %% = %" PRIu64 "\n", a, b, a / b, a % b);
        }
    uint64_t x = UINT64_C(0x9e3779b97f4a7c15), acc = 0;
    int64_t sacc = 0;
    int identity_fail = 0;
    for (int i = 0; i < 100000; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        uint64_t d = (x >> (i % 61)) | 1;
        uint64_t n = x * UINT64_C(0x2545f4914f6cdd1d);
        uint64_t q = n / d, r = n % d;
        identity_fail += q * d + r != n || r >= d;
        acc += q ^ r;
        int64_t sn = (int64_t)n, sd = (int64_t)(d >> (i % 3)) * ((i & 1) ? -1 : 1);
        if (sd == 0 || (sn == INT64_MIN && sd == -1))
            continue;
        int64_t sq = sn / sd, sr = sn % sd;
        identity_fail += sq * sd + sr != sn || (sr != 0 && (sr < 0) != (sn < 0));
        sacc += sq ^ sr;
    }
    printf("checksum %016" PRIx64 " %016" PRIx64 ", identity failures %d\n", acc, (uint64_t)sacc, identity_fail);
    volatile int32_t a32 = -2147483647 - 1, b32 = 7;
    volatile uint32_t ua = 4294967295u, ub = 10;
    printf("32-bit: %" PRId32 " %" PRId32 " %" PRIu32 " %" PRIu32 "\n", a32 / b32, a32 % b32, ua / ub, ua % ub);
    lldiv_t l = lldiv(-INT64_C(9000000000000000001), 1000000007);
    imaxdiv_t m = imaxdiv(INTMAX_MAX, -3);
    printf("lldiv quot %lld rem %lld, imaxdiv quot %jd rem %jd\n", l.quot, l.rem, m.quot, m.rem);
    return 0;
}
