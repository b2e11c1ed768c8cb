// rig: printf integer conversions: %d %i %u %x %X %o %c %%, widths, precisions, the flags - + space # 0, * width and precision (a negative * width left-justifies), length modifiers hh h l ll j z t, %n
// RUNTIME: musl
// STATUS: 0
// STDOUT: "[-42] [42] [42] [ff] [FF] [10] [A] [%]\n"
// STDOUT: "[   42] [42   ] [00042] [+42] [ 42] [  +42] [+42  ] [+0042]\n"
// STDOUT: "[007] [     007] [-007    ] [     007] [] [] [     ] [+]\n"
// STDOUT: "[0xff] [0XFF] [010] [0] [0] [010] [0x0000ff] [0xff    ]\n"
// STDOUT: "[     1] [2     ] [3     ] [0005] [    006] [9]\n"
// STDOUT: "[2147483647] [-2147483648] [4294967295] [ffffffff] [37777777777]\n"
// STDOUT: "[-56] [200] [ff] [-25536] [4464] [ffff]\n"
// STDOUT: "[-123456789] [123456789] [-9223372036854775808] [18446744073709551615] [123456789abcdef] [1777777777777777777777]\n"
// STDOUT: "[-9223372036854775808] [18446744073709551615] [8] [-5] [2]\n"
// STDOUT: "[-128] [65535] [-2147483648] [ffffffffffffffff] [-9223372036854775808] [10]\n"
// STDOUT: "[xyz] [  q] [q  ] [text] [te] [   abc] [abc   ] [    ab] [abc] []\n"
// STDOUT: "abcdef n=3 12345|\n"
// STDOUT: "hh=6 h=6 l=6 ll=6 j=6 z=6 t=6\n"
// STDOUT: "   ab|cd   |-0012\n"
// STDOUT: "printf returned 18\n"
// STDOUT: "[deadbeef] [DEADBEEF] [0xcafe] [777] [0]\n"
// STDOUT: "[+0] [-1] [    3] [ 3   ] [+4]\n"

#include <inttypes.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

int main(int argc, char **argv) {
    (void)argc; (void)argv;
    int n = 0;
    printf("[%d] [%i] [%u] [%x] [%X] [%o] [%c] [%%]\n", -42, 42, 42u, 255u, 255u, 8u, 'A');
    printf("[%5d] [%-5d] [%05d] [%+d] [% d] [%+5d] [%-+5d] [%+05d]\n", 42, 42, 42, 42, 42, 42, 42, 42);
    printf("[%.3d] [%8.3d] [%-8.3d] [%08.3d] [%.0d] [%.0x] [%5.0d] [%+.0d]\n", 7, 7, -7, 7, 0, 0u, 0, 0);
    printf("[%#x] [%#X] [%#o] [%#o] [%#x] [%#.3o] [%#08x] [%#-8x]\n", 255u, 255u, 8u, 0u, 0u, 8u, 255u, 255u);
    printf("[%*d] [%-*d] [%*d] [%.*d] [%*.*d] [%.*d]\n", 6, 1, 6, 2, -6, 3, 4, 5, 7, 3, 6, -1, 9);
    printf("[%d] [%d] [%u] [%x] [%o]\n", INT_MAX, INT_MIN, UINT_MAX, UINT_MAX, UINT_MAX);
    printf("[%hhd] [%hhu] [%hhx] [%hd] [%hu] [%hx]\n", 200, 200, 0x1ff, 40000, 70000, -1);
    printf("[%ld] [%lu] [%lld] [%llu] [%llx] [%llo]\n", -123456789L, 123456789UL, LLONG_MIN, ULLONG_MAX,
           0x0123456789abcdefULL, 01777777777777777777777ULL);
    printf("[%jd] [%ju] [%zu] [%zd] [%td]\n", INTMAX_MIN, UINTMAX_MAX, sizeof(int64_t), (ptrdiff_t)-5,
           (ptrdiff_t)(&argv[3] - &argv[1]));
    printf("[%" PRId8 "] [%" PRIu16 "] [%" PRId32 "] [%" PRIx64 "] [%" PRIi64 "] [%" PRIo32 "]\n",
           (int8_t)-128, (uint16_t)65535, (int32_t)-2147483647 - 1, UINT64_MAX, INT64_MIN, (uint32_t)8);
    printf("[%c%c%c] [%3c] [%-3c] [%s] [%.2s] [%6s] [%-6s] [%6.2s] [%.*s] [%s]\n", 'x', 'y', 'z', 'q', 'q',
           "text", "text", "abc", "abc", "abcdef", 3, "abcdef", "");
    printf("abc%ndef", &n);
    printf(" n=%d", n);
    signed char hh = 0; short h = 0; long l = 0; long long ll = 0; intmax_t j = 0; size_t z = 0; ptrdiff_t t = 0;
    printf(" %s%hhn%hn%ln%lln%jn%zn%tn|\n", "12345", &hh, &h, &l, &ll, &j, (ssize_t *)&z, &t);
    printf("hh=%d h=%d l=%ld ll=%lld j=%jd z=%zu t=%td\n", hh, h, l, ll, j, z, t);
    int r = printf("%5s|%-5s|%05d\n", "ab", "cd", -12);
    printf("printf returned %d\n", r);
    printf("[%x] [%X] [%#x] [%o] [%u]\n", 0xdeadbeefu, 0xdeadbeefu, 0xcafeu, 0777u, 0u);
    printf("[%+d] [% d] [% 5d] [%- 5d] [%+ d]\n", 0, -1, 3, 3, 4);
    return 0;
}
