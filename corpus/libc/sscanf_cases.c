// rig: sscanf: %d %i (0x and 0 prefixes) %u %x %o %c %s %[set] %[^set] %n %% %f %lf %e %g, field widths, assignment suppression %*, length modifiers hh h l ll j z, the count returned (0 on a mismatch, EOF on empty input), white space in the format; "2.5e" is no floating number (a matching failure: 0, as musl gives; glibc gives 1)
// RUNTIME: musl
// STATUS: 0
// STDOUT: "r=3 12 -34 56\n"
// STDOUT: "r=4 31 15 99 -16\n"
// STDOUT: "r=3 255 511 4294967295\n"
// STDOUT: "r=3 12 345 6\n"
// STDOUT: "r=3 [hello] [world] [again]\n"
// STDOUT: "r=2 [abc] [de]\n"
// STDOUT: "r=2 [ xy]\n"
// STDOUT: "r=2 [key] [value] n=10\n"
// STDOUT: "r=2 [aaabbb] [ccc]\n"
// STDOUT: "r=2 12 7\n"
// STDOUT: "r=1 100\n"
// STDOUT: "mismatch r=0 a=-1\n"
// STDOUT: "empty r=-1 (EOF is -1)\n"
// STDOUT: "blank r=-1\n"
// STDOUT: "partial r=1 5 -1\n"
// STDOUT: "r=4 3.25 -1000 3 inf\n"
// STDOUT: "r=1 150 n=6\n"
// STDOUT: "r=0\n"
// STDOUT: "r=6 -5 -300 123456 -9000000000 77 42\n"
// STDOUT: "r=2 18446744073709551615 -9223372036854775808\n"
// STDOUT: "r=2 (3,-4)\n"
// STDOUT: "r=3 12-34-56 n=8\n"

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
    (void)argc; (void)argv;
    int a = -1, b = -1, c = -1, n = -1;
    unsigned u = 0;
    int r = sscanf("  12 -34\t+56", "%d%d%d", &a, &b, &c);
    printf("r=%d %d %d %d\n", r, a, b, c);
    r = sscanf("0x1f 017 99 -0x10", "%i %i %i %i", &a, &b, &c, &n);
    printf("r=%d %d %d %d %d\n", r, a, b, c, n);
    r = sscanf("ff 777 4294967295", "%x %o %u", &a, &b, &u);
    printf("r=%d %d %d %u\n", r, a, b, u);
    r = sscanf("123456", "%2d%3d%d", &a, &b, &c);
    printf("r=%d %d %d %d\n", r, a, b, c);
    char s1[16] = "", s2[16] = "", s3[16] = "";
    r = sscanf("hello world  again", "%s %5s %s", s1, s2, s3);
    printf("r=%d [%s] [%s] [%s]\n", r, s1, s2, s3);
    r = sscanf("abcdefgh", "%3s%2s", s1, s2);
    printf("r=%d [%s] [%s]\n", r, s1, s2);
    char ch[4] = {'.', '.', '.', 0};
    r = sscanf(" xyz", "%c%2c", &ch[0], &ch[1]);
    printf("r=%d [%s]\n", r, ch);
    r = sscanf("key=value;rest", "%[^=]=%[a-z];%n", s1, s2, &n);
    printf("r=%d [%s] [%s] n=%d\n", r, s1, s2, n);
    r = sscanf("aaabbbccc", "%[ab]%[]c]", s1, s2);
    printf("r=%d [%s] [%s]\n", r, s1, s2);
    r = sscanf("12 apples and 7", "%d %*s %*s %d", &a, &b);
    printf("r=%d %d %d\n", r, a, b);
    r = sscanf("100%", "%d%%", &a);
    printf("r=%d %d\n", r, a);
    a = b = -1;
    r = sscanf("abc", "%d", &a);
    printf("mismatch r=%d a=%d\n", r, a);
    r = sscanf("", "%d", &a);
    printf("empty r=%d (EOF is %d)\n", r, EOF);
    r = sscanf("   ", "%d", &a);
    printf("blank r=%d\n", r);
    r = sscanf("5 x", "%d %d", &a, &b);
    printf("partial r=%d %d %d\n", r, a, b);
    float f = 0;
    double d1 = 0, d2 = 0, d3 = 0;
    r = sscanf("3.25 -1e3 0x1.8p1 inf", "%f %lf %lf %lf", &f, &d1, &d2, &d3);
    printf("r=%d %g %g %g %g\n", r, f, d1, d2, d3);
    r = sscanf("1.5e+2xyz", "%lf%n", &d1, &n);
    printf("r=%d %g n=%d\n", r, d1, n);
    r = sscanf("2.5e", "%lg%n", &d1, &n);
    printf("r=%d\n", r);
    signed char hh = 0;
    short h = 0;
    long l = 0;
    long long ll = 0;
    intmax_t j = 0;
    size_t z = 0;
    r = sscanf("-5 -300 123456 -9000000000 77 42", "%hhd %hd %ld %lld %jd %zu", &hh, &h, &l, &ll, &j, &z);
    printf("r=%d %d %d %ld %lld %jd %zu\n", r, hh, h, l, ll, j, z);
    uint64_t u64 = 0;
    int64_t i64 = 0;
    r = sscanf("18446744073709551615 -9223372036854775808", "%" SCNu64 " %" SCNd64, &u64, &i64);
    printf("r=%d %" PRIu64 " %" PRId64 "\n", r, u64, i64);
    int x = 0, y = 0;
    r = sscanf("(3,  -4)", " ( %d , %d )", &x, &y);
    printf("r=%d (%d,%d)\n", r, x, y);
    r = sscanf("12:34:56", "%d:%d:%d%n", &a, &b, &c, &n);
    printf("r=%d %02d-%02d-%02d n=%d\n", r, a, b, c, n);
    return 0;
}
