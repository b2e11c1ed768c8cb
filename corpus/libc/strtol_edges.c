// rig: strtol, strtoul, strtoll, strtoull, strtoimax: bases 0 2 8 10 16 36, prefixes, signs, leading white space, the end pointer (no digits: the start), overflow saturating with ERANGE (overflowing in the last digit: zig 0.17's strtoll stops its end pointer at the digit that overflows), an invalid base (EINVAL, as musl and glibc do), negated unsigned, atoi/atoll
// RUNTIME: musl
// STATUS: 0
// STDOUT: "strtol(\"12345\", 10) = 12345 end=5 errno=0\n"
// STDOUT: "strtol(\"  \t\n"
// STDOUT: "-42xyz\", 10) = -42 end=7 errno=0\n"
// STDOUT: "strtol(\"+17\", 0) = 17 end=3 errno=0\n"
// STDOUT: "strtol(\"0x1A\", 0) = 26 end=4 errno=0\n"
// STDOUT: "strtol(\"0X1a\", 16) = 26 end=4 errno=0\n"
// STDOUT: "strtol(\"1a\", 16) = 26 end=2 errno=0\n"
// STDOUT: "strtol(\"0777\", 0) = 511 end=4 errno=0\n"
// STDOUT: "strtol(\"0777\", 10) = 777 end=4 errno=0\n"
// STDOUT: "strtol(\"08\", 0) = 0 end=1 errno=0\n"
// STDOUT: "strtol(\"0x\", 0) = 0 end=1 errno=0\n"
// STDOUT: "strtol(\"0xg\", 16) = 0 end=1 errno=0\n"
// STDOUT: "strtol(\"\", 10) = 0 end=0 errno=0\n"
// STDOUT: "strtol(\"   \", 10) = 0 end=0 errno=0\n"
// STDOUT: "strtol(\"-\", 10) = 0 end=0 errno=0\n"
// STDOUT: "strtol(\"+-3\", 10) = 0 end=0 errno=0\n"
// STDOUT: "strtol(\"zz\", 36) = 1295 end=2 errno=0\n"
// STDOUT: "strtol(\"ZZ\", 36) = 1295 end=2 errno=0\n"
// STDOUT: "strtol(\"101101\", 2) = 45 end=6 errno=0\n"
// STDOUT: "strtol(\"2\", 2) = 0 end=0 errno=0\n"
// STDOUT: "strtol(\"0b101\", 0) = 0 end=1 errno=0\n"
// STDOUT: "strtol(\"-2147483648\", 10) = -2147483648 end=11 errno=0\n"
// STDOUT: "strtol(\"2147483647\", 10) = 2147483647 end=10 errno=0\n"
// STDOUT: "strtoll(\"9223372036854775807\", 10) = 9223372036854775807 end=19 errno=0\n"
// STDOUT: "strtoll(\"9223372036854775808\", 10) = 9223372036854775807 end=19 errno=ERANGE\n"
// STDOUT: "strtoll(\"-9223372036854775808\", 10) = -9223372036854775808 end=20 errno=0\n"
// STDOUT: "strtoll(\"-9223372036854775809\", 10) = -9223372036854775808 end=20 errno=ERANGE\n"
// STDOUT: "strtoll(\"9999999999999999999\", 10) = 9223372036854775807 end=19 errno=ERANGE\n"
// STDOUT: "strtoll(\"-9999999999999999999\", 0) = -9223372036854775808 end=20 errno=ERANGE\n"
// STDOUT: "strtoll(\"0x7fffffffffffffff\", 16) = 9223372036854775807 end=18 errno=0\n"
// STDOUT: "strtoll(\"0x8000000000000000\", 16) = 9223372036854775807 end=18 errno=ERANGE\n"
// STDOUT: "strtoll(\"-0x8000000000000000\", 0) = -9223372036854775808 end=19 errno=0\n"
// STDOUT: "strtoll(\"1y2p0ij32e8e7\", 36) = 9223372036854775807 end=13 errno=0\n"
// STDOUT: "strtoll(\"1y2p0ij32e8e8\", 36) = 9223372036854775807 end=13 errno=ERANGE\n"
// STDOUT: "strtoll(\"12\", 1) = 0 errno=EINVAL\n"
// STDOUT: "strtoll(\"12\", 37) = 0 errno=EINVAL\n"
// STDOUT: "strtoull(\"18446744073709551615\", 10) = 18446744073709551615 end=20 errno=0\n"
// STDOUT: "strtoull(\"18446744073709551616\", 10) = 18446744073709551615 end=20 errno=ERANGE\n"
// STDOUT: "strtoull(\"-1\", 10) = 18446744073709551615 end=2 errno=0\n"
// STDOUT: "strtoull(\"-18446744073709551615\", 10) = 1 end=21 errno=0\n"
// STDOUT: "strtoull(\"-18446744073709551616\", 10) = 18446744073709551615 end=21 errno=ERANGE\n"
// STDOUT: "strtoull(\"0xFFFFFFFFFFFFFFFF\", 0) = 18446744073709551615 end=18 errno=0\n"
// STDOUT: "strtoull(\"01777777777777777777777\", 0) = 18446744073709551615 end=23 errno=0\n"
// STDOUT: "strtoull(\"02000000000000000000000\", 0) = 18446744073709551615 end=23 errno=ERANGE\n"
// STDOUT: "strtoull(\"  +0\", 0) = 0 end=4 errno=0\n"
// STDOUT: "strtoull(\"1111111111111111111111111111111111111111111111111111111111111111\", 2) = 18446744073709551615 end=64 errno=0\n"
// STDOUT: "strtoimax = -123 end=\"abc\" errno=0\n"
// STDOUT: "strtoumax = 16 end=\"\"\n"
// STDOUT: "strtoul = 4294967295 end=\"\"\n"
// STDOUT: "atoi: 42 0 0 7\n"
// STDOUT: "atoll: -9223372036854775807 123456789012\n"
// STDOUT: "atol: -2147483647\n"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

static void ll(const char *s, int base) {
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, base);
    int e = errno;
    printf("strtoll(\"%s\", %d) = %lld end=%d errno=%s\n", s, base, v, (int)(end - s),
           e == ERANGE ? "ERANGE" : e == EINVAL ? "EINVAL" : e ? "other" : "0");
}

static void ull(const char *s, int base) {
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, base);
    int e = errno;
    printf("strtoull(\"%s\", %d) = %llu end=%d errno=%s\n", s, base, v, (int)(end - s),
           e == ERANGE ? "ERANGE" : e == EINVAL ? "EINVAL" : e ? "other" : "0");
}

static void l32(const char *s, int base) {
    char *end;
    errno = 0;
    long v = strtol(s, &end, base);
    int e = errno;
    printf("strtol(\"%s\", %d) = %ld end=%d errno=%d\n", s, base, v, (int)(end - s), e);
}

int main(int argc, char **argv) {
    (void)argc; (void)argv;
    l32("12345", 10);
    l32("  \t\n-42xyz", 10);
    l32("+17", 0);
    l32("0x1A", 0);
    l32("0X1a", 16);
    l32("1a", 16);
    l32("0777", 0);
    l32("0777", 10);
    l32("08", 0);
    l32("0x", 0);
    l32("0xg", 16);
    l32("", 10);
    l32("   ", 10);
    l32("-", 10);
    l32("+-3", 10);
    l32("zz", 36);
    l32("ZZ", 36);
    l32("101101", 2);
    l32("2", 2);
    l32("0b101", 0);
    l32("-2147483648", 10);
    l32("2147483647", 10);
    ll("9223372036854775807", 10);
    ll("9223372036854775808", 10);
    ll("-9223372036854775808", 10);
    ll("-9223372036854775809", 10);
    ll("9999999999999999999", 10);
    ll("-9999999999999999999", 0);
    ll("0x7fffffffffffffff", 16);
    ll("0x8000000000000000", 16);
    ll("-0x8000000000000000", 0);
    ll("1y2p0ij32e8e7", 36);
    ll("1y2p0ij32e8e8", 36);
    errno = 0;
    long long bad = strtoll("12", 0, 1);
    printf("strtoll(\"12\", 1) = %lld errno=%s\n", bad, errno == EINVAL ? "EINVAL" : "other");
    errno = 0;
    bad = strtoll("12", 0, 37);
    printf("strtoll(\"12\", 37) = %lld errno=%s\n", bad, errno == EINVAL ? "EINVAL" : "other");
    ull("18446744073709551615", 10);
    ull("18446744073709551616", 10);
    ull("-1", 10);
    ull("-18446744073709551615", 10);
    ull("-18446744073709551616", 10);
    ull("0xFFFFFFFFFFFFFFFF", 0);
    ull("01777777777777777777777", 0);
    ull("02000000000000000000000", 0);
    ull("  +0", 0);
    ull("1111111111111111111111111111111111111111111111111111111111111111", 2);
    char *end;
    errno = 0;
    intmax_t im = strtoimax(" -123abc", &end, 10);
    printf("strtoimax = %jd end=\"%s\" errno=%d\n", im, end, errno);
    uintmax_t um = strtoumax("0x10", &end, 0);
    printf("strtoumax = %ju end=\"%s\"\n", um, end);
    unsigned long ul = strtoul("4294967295", &end, 10);
    printf("strtoul = %lu end=\"%s\"\n", ul, end);
    printf("atoi: %d %d %d %d\n", atoi("  42abc"), atoi("-0"), atoi("x1"), atoi("+7"));
    printf("atoll: %lld %lld\n", atoll("-9223372036854775807"), atoll("  123456789012"));
    printf("atol: %ld\n", atol("-2147483647"));
    return 0;
}
