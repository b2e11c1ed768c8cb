// rig: <limits.h>, <stdint.h>, <inttypes.h>, <float.h> values that are the same on ILP32 and LP64 (int, long long, exact-width types, the PRI/SCN macros' output, DBL_*), and div/ldiv/lldiv/imaxdiv, abs/labs/llabs/imaxabs: quotients truncate toward zero, remainders take the dividend's sign
// RUNTIME: musl
// STATUS: 0
// STDOUT: "CHAR_BIT 8 SCHAR_MIN -128 SCHAR_MAX 127 UCHAR_MAX 255\n"
// STDOUT: "SHRT_MIN -32768 SHRT_MAX 32767 USHRT_MAX 65535\n"
// STDOUT: "INT_MIN -2147483648 INT_MAX 2147483647 UINT_MAX 4294967295\n"
// STDOUT: "LLONG_MIN -9223372036854775808 LLONG_MAX 9223372036854775807 ULLONG_MAX 18446744073709551615\n"
// STDOUT: "LONG_MIN <= INT32_MIN 1, LONG_MAX >= INT32_MAX 1\n"
// STDOUT: "INT8 -128..127 UINT8_MAX 255\n"
// STDOUT: "INT16 -32768..32767 UINT16_MAX 65535\n"
// STDOUT: "INT32 -2147483648..2147483647 UINT32_MAX 4294967295 ffffffff FFFFFFFF 37777777777\n"
// STDOUT: "INT64 -9223372036854775808..9223372036854775807 UINT64_MAX 18446744073709551615 ffffffffffffffff\n"
// STDOUT: "INTMAX_MAX 9223372036854775807 UINTMAX_MAX 18446744073709551615\n"
// STDOUT: "INT_LEAST16_MAX 32767 INT_FAST8_MIN -128 UINT_LEAST64_MAX 18446744073709551615\n"
// STDOUT: "INT64_C(1) << 40 = 1099511627776, UINT64_C(0xffffffffffffffff) = 18446744073709551615\n"
// STDOUT: "sizes: char 1 short 2 int 4 long long 8 int64_t 8 float 4 double 8\n"
// STDOUT: "sizeof(void *) == sizeof(long): 1, SIZE_MAX == UINTPTR_MAX: 1\n"
// STDOUT: "DBL_MANT_DIG 53 DBL_DIG 15 DBL_MIN_EXP -1021 DBL_MAX_EXP 1024 DBL_DECIMAL_DIG 17 FLT_RADIX 2\n"
// STDOUT: "DBL_EPSILON 0x1p-52 DBL_MAX 1.7976931348623157e+308 DBL_MIN 2.2250738585072014e-308\n"
// STDOUT: "FLT_MANT_DIG 24 FLT_EPSILON 0x1p-23 FLT_MAX 3.40282347e+38 FLT_MIN 1.17549435e-38\n"
// STDOUT: "div(7, 2) = 3 rem 1\n"
// STDOUT: "div(-7, 2) = -3 rem -1\n"
// STDOUT: "div(7, -2) = -3 rem 1\n"
// STDOUT: "div(-7, -2) = 3 rem -1\n"
// STDOUT: "div(0, 5) = 0 rem 0\n"
// STDOUT: "div(-2147483648, 1) = -2147483648 rem 0\n"
// STDOUT: "ldiv -285714285 rem -5, lldiv 922337203685477580 rem -7, imaxdiv -9223372036854775 rem -808\n"
// STDOUT: "abs 5 2147483647 labs 2147483647 llabs 9223372036854775807 imaxabs 9223372036854775807\n"
// STDOUT: "(-7) / 2 = -3, (-7) % 2 = -1, 7 % -2 = 1\n"

#include <float.h>
#include <inttypes.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    (void)argc; (void)argv;
    printf("CHAR_BIT %d SCHAR_MIN %d SCHAR_MAX %d UCHAR_MAX %d\n", CHAR_BIT, SCHAR_MIN, SCHAR_MAX, UCHAR_MAX);
    printf("SHRT_MIN %d SHRT_MAX %d USHRT_MAX %d\n", SHRT_MIN, SHRT_MAX, USHRT_MAX);
    printf("INT_MIN %d INT_MAX %d UINT_MAX %u\n", INT_MIN, INT_MAX, UINT_MAX);
    printf("LLONG_MIN %lld LLONG_MAX %lld ULLONG_MAX %llu\n", LLONG_MIN, LLONG_MAX, ULLONG_MAX);
    printf("LONG_MIN <= INT32_MIN %d, LONG_MAX >= INT32_MAX %d\n", LONG_MIN <= INT32_MIN, LONG_MAX >= INT32_MAX);
    printf("INT8 %" PRId8 "..%" PRId8 " UINT8_MAX %" PRIu8 "\n", INT8_MIN, INT8_MAX, UINT8_MAX);
    printf("INT16 %" PRId16 "..%" PRId16 " UINT16_MAX %" PRIu16 "\n", INT16_MIN, INT16_MAX, UINT16_MAX);
    printf("INT32 %" PRId32 "..%" PRId32 " UINT32_MAX %" PRIu32 " %" PRIx32 " %" PRIX32 " %" PRIo32 "\n", INT32_MIN,
           INT32_MAX, UINT32_MAX, UINT32_MAX, UINT32_MAX, UINT32_MAX);
    printf("INT64 %" PRId64 "..%" PRId64 " UINT64_MAX %" PRIu64 " %" PRIx64 "\n", INT64_MIN, INT64_MAX, UINT64_MAX,
           UINT64_MAX);
    printf("INTMAX_MAX %jd UINTMAX_MAX %ju\n", INTMAX_MAX, UINTMAX_MAX);
    printf("INT_LEAST16_MAX %d INT_FAST8_MIN %d UINT_LEAST64_MAX %" PRIuLEAST64 "\n", (int)INT_LEAST16_MAX,
           (int)INT_FAST8_MIN, UINT_LEAST64_MAX);
    printf("INT64_C(1) << 40 = %" PRId64 ", UINT64_C(0xffffffffffffffff) = %" PRIu64 "\n", INT64_C(1) << 40,
           UINT64_C(0xffffffffffffffff));
    printf("sizes: char %d short %d int %d long long %d int64_t %d float %d double %d\n", (int)sizeof(char),
           (int)sizeof(short), (int)sizeof(int), (int)sizeof(long long), (int)sizeof(int64_t), (int)sizeof(float),
           (int)sizeof(double));
    printf("sizeof(void *) == sizeof(long): %d, SIZE_MAX == UINTPTR_MAX: %d\n", sizeof(void *) == sizeof(long),
           SIZE_MAX == UINTPTR_MAX);
    printf("DBL_MANT_DIG %d DBL_DIG %d DBL_MIN_EXP %d DBL_MAX_EXP %d DBL_DECIMAL_DIG %d FLT_RADIX %d\n", DBL_MANT_DIG,
           DBL_DIG, DBL_MIN_EXP, DBL_MAX_EXP, DBL_DECIMAL_DIG, FLT_RADIX);
    printf("DBL_EPSILON %a DBL_MAX %.17g DBL_MIN %.17g\n", DBL_EPSILON, DBL_MAX, DBL_MIN);
    printf("FLT_MANT_DIG %d FLT_EPSILON %a FLT_MAX %.9g FLT_MIN %.9g\n", FLT_MANT_DIG, (double)FLT_EPSILON,
           (double)FLT_MAX, (double)FLT_MIN);
    int num[] = {7, -7, 7, -7, 0, INT_MIN};
    int den[] = {2, 2, -2, -2, 5, 1};
    for (int i = 0; i < 6; i++) {
        div_t d = div(num[i], den[i]);
        printf("div(%d, %d) = %d rem %d\n", num[i], den[i], d.quot, d.rem);
    }
    ldiv_t l = ldiv(-2000000000L, 7L);
    lldiv_t ll = lldiv(LLONG_MIN + 1, -10LL);
    imaxdiv_t im = imaxdiv(INTMAX_MIN, 1000);
    printf("ldiv %ld rem %ld, lldiv %lld rem %lld, imaxdiv %jd rem %jd\n", l.quot, l.rem, ll.quot, ll.rem, im.quot,
           im.rem);
    printf("abs %d %d labs %ld llabs %lld imaxabs %jd\n", abs(-5), abs(INT_MAX), labs(-2147483647L),
           llabs(LLONG_MIN + 1), imaxabs(-INTMAX_MAX));
    printf("(-7) / 2 = %d, (-7) %% 2 = %d, 7 %% -2 = %d\n", -7 / 2, -7 % 2, 7 % -2);
    return 0;
}
