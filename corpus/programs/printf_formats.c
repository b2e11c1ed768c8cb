// rig: printf conversions from C, where the compiler picks the widths: %ld %lu %lld %zu %zd %jd %td %hhd %hd, flags (- + space 0 #), width and precision (also *), %f %.3f %e %E %g %G %10.4f, %-8s| %.*s %c %% %x %X %#o %#x
// STATUS: 0
// STDOUT: "[-123456789] [4000000000] [-9223372036854775808] [18446744073709551615]\n"
// STDOUT: "[8] [4] [-3] [42] [-7]\n"
// STDOUT: "[44] [-1] [-25536] [255]\n"
// STDOUT: "[   42] [42   ] [00042] [+42] [ 42] [-042] [  007] [+0042]\n"
// STDOUT: "[3.141593] [3.142] [    2.7183] [-2.7183   ] [+1.50] [0002.50]\n"
// STDOUT: "[1.234568e+04] [1.234568E-05] [-1.00e+00] [0.000000]\n"
// STDOUT: "[0.0001] [1e-05] [1.23457e+08] [100000] [1e+06] [1E+06] [2.5] [0.333333]\n"
// STDOUT: "[abc     |] [     abc|] [ab] [hello] [x] [%] [A]\n"
// STDOUT: "[ff] [FF] [0xff] [0XFF] [0377] [0] [deadbeef] [ffffffffffffffff]\n"
// STDOUT: "[   -17] [-17   ] [12345] [ 3.1416]\n"
// STDOUT: "count 25 (printf returned 8)\n"
// STDOUT: "sprintf: <n=7,s=seven> len 11\n"
// STDOUT: "snprintf: <trunc> wanted 15\n"

int printf(const char *, ...);
int sprintf(char *, const char *, ...);
int snprintf(char *, __SIZE_TYPE__, const char *, ...);
typedef __SIZE_TYPE__ size_t;
typedef __PTRDIFF_TYPE__ ptrdiff_t;
typedef __INTMAX_TYPE__ intmax_t;

static volatile double third = 1.0 / 3.0;

int main(void) {
    long l = -123456789L;
    unsigned long ul = 4000000000UL;
    long long ll = -9223372036854775807LL - 1;
    unsigned long long ull = 18446744073709551615ULL;
    printf("[%ld] [%lu] [%lld] [%llu]\n", l, ul, ll, ull);

    size_t z = sizeof(long long);
    int arr[8];
    ptrdiff_t d = &arr[1] - &arr[4];
    __PTRDIFF_TYPE__ sz = -7;
    intmax_t j = 42;
    printf("[%zu] [%zu] [%td] [%jd] [%zd]\n", z, sizeof(int), d, j, sz);

    printf("[%hhd] [%hhd] [%hd] [%hhu]\n", 300, 255, 40000, 255);

    printf("[%5d] [%-5d] [%05d] [%+d] [% d] [%04d] [%5.3d] [%+05d]\n", 42, 42, 42, 42, 42, -42, 7, 42);

    double pi = 3.14159265358979;
    double e = 2.718281828459045;
    printf("[%f] [%.3f] [%10.4f] [%-10.4f] [%+.2f] [%07.2f]\n", pi, pi, e, -e, 1.5, 2.5);

    printf("[%e] [%E] [%.2e] [%f]\n", 12345.6789, 0.0000123456789, -1.0, 0.0);

    printf("[%g] [%g] [%g] [%g] [%g] [%G] [%g] [%g]\n", 0.0001, 0.00001, 123456789.0, 100000.0, 1000000.0,
           1000000.0, 2.5, third);

    printf("[%-8s|] [%8s|] [%.2s] [%.*s] [%c] [%%] [%c]\n", "abc", "abc", "abc", 5, "hello world", 'x', 65);

    printf("[%x] [%X] [%#x] [%#X] [%#o] [%#x] [%x] [%llx]\n", 255, 255, 255, 255, 255, 0, 0xdeadbeefu,
           0xffffffffffffffffULL);

    printf("[%*d] [%-*d] [%.*d] [%*.*f]\n", 6, -17, 6, -17, 3, 12345, 7, 4, pi);

    int n = printf("count %d", 25);
    printf(" (printf returned %d)\n", n);

    char buf[64];
    int len = sprintf(buf, "n=%d,s=%s", 7, "seven");
    printf("sprintf: <%s> len %d\n", buf, len);

    char small[6];
    int want = snprintf(small, sizeof small, "truncated %d", 12345);
    printf("snprintf: <%s> wanted %d\n", small, want);
    return 0;
}
