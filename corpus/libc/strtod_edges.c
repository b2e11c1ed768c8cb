// rig: strtod and strtof: decimal and hexadecimal forms, inf/infinity/nan in any case, leading white space, signs, the end pointer (no conversion: the start; "1e", "0x", "1.e+"), overflow to HUGE_VAL with ERANGE, -0.0, subnormals and underflow (errno not stated: implementation-defined); values printed as raw bits and %.17g
// RUNTIME: musl
// STATUS: 0
// STDOUT: "strtod(\"0\") = 0000000000000000 = 0 end=1\n"
// STDOUT: "strtod(\"-0\") = 8000000000000000 = -0 end=2\n"
// STDOUT: "strtod(\"1.5\") = 3ff8000000000000 = 1.5 end=3\n"
// STDOUT: "strtod(\"  \t+2.25e3xyz\") = 40a1940000000000 = 2250 end=10\n"
// STDOUT: "strtod(\".5\") = 3fe0000000000000 = 0.5 end=2\n"
// STDOUT: "strtod(\"5.\") = 4014000000000000 = 5 end=2\n"
// STDOUT: "strtod(\"1e\") = 3ff0000000000000 = 1 end=1\n"
// STDOUT: "strtod(\"1e+\") = 3ff0000000000000 = 1 end=1\n"
// STDOUT: "strtod(\"1.e+x\") = 3ff0000000000000 = 1 end=2\n"
// STDOUT: "strtod(\"-.e1\") = 0000000000000000 = 0 end=0\n"
// STDOUT: "strtod(\"\") = 0000000000000000 = 0 end=0\n"
// STDOUT: "strtod(\"abc\") = 0000000000000000 = 0 end=0\n"
// STDOUT: "strtod(\"0x1p3\") = 4020000000000000 = 8 end=5\n"
// STDOUT: "strtod(\"0x1.8p-1\") = 3fe8000000000000 = 0.75 end=8\n"
// STDOUT: "strtod(\"0X.8P1\") = 3ff0000000000000 = 1 end=6\n"
// STDOUT: "strtod(\"0xA\") = 4024000000000000 = 10 end=3\n"
// STDOUT: "strtod(\"0x\") = 0000000000000000 = 0 end=1\n"
// STDOUT: "strtod(\"0x.p1\") = 0000000000000000 = 0 end=1\n"
// STDOUT: "strtod(\"-0x1.fffffffffffffp1023\") = ffefffffffffffff = -1.7976931348623157e+308 end=23\n"
// STDOUT: "strtod(\"0x1p-1074\") = 0000000000000001 = 4.9406564584124654e-324 end=9\n"
// STDOUT: "strtod(\"inf\") = 7ff0000000000000 = inf end=3\n"
// STDOUT: "strtod(\"-Infinity\") = fff0000000000000 = -inf end=9\n"
// STDOUT: "strtod(\"INFINITE\") = 7ff0000000000000 = inf end=3\n"
// STDOUT: "strtod(\"infin\") = 7ff0000000000000 = inf end=3\n"
// STDOUT: "strtod(\"nan\") = nan end=3\n"
// STDOUT: "strtod(\"-NaN\") = nan end=4\n"
// STDOUT: "strtod(\"nan(123)x\") = nan end=8\n"
// STDOUT: "strtod(\"1e308\") = 7fe1ccf385ebc8a0 = 1e+308 end=5\n"
// STDOUT: "strtod(\"1e309\") = 7ff0000000000000 = inf end=5 ERANGE\n"
// STDOUT: "strtod(\"-1e400\") = fff0000000000000 = -inf end=6 ERANGE\n"
// STDOUT: "strtod(\"2.2250738585072014e-308\") = 0010000000000000 = 2.2250738585072014e-308 end=23\n"
// STDOUT: "strtod(\"4.9406564584124654e-324\") = 0000000000000001 = 4.9406564584124654e-324 end=23\n"
// STDOUT: "strtod(\"2.4703282292062328e-324\") = 0000000000000001 = 4.9406564584124654e-324 end=23\n"
// STDOUT: "strtod(\"2.4703282292062327e-324\") = 0000000000000000 = 0 end=23\n"
// STDOUT: "strtod(\"-1e-320\") = 80000000000007e8 = -9.9998886718268301e-321 end=7\n"
// STDOUT: "strtod(\"1e-400\") = 0000000000000000 = 0 end=6\n"
// STDOUT: "strtod(\"123456789012345678901234567890\") = 45f8ee90ff6c373e = 1.2345678901234568e+29 end=30\n"
// STDOUT: "strtod(\"0.000001\") = 3eb0c6f7a0b5ed8d = 9.9999999999999995e-07 end=8\n"
// STDOUT: "strtod(\"1000000000000000000000000e-30\") = 3eb0c6f7a0b5ed8d = 9.9999999999999995e-07 end=29\n"
// STDOUT: "strtod(\"000000000000000000000000000000001.5\") = 3ff8000000000000 = 1.5 end=35\n"
// STDOUT: "strtod(\"1_000\") = 3ff0000000000000 = 1 end=1\n"
// STDOUT: "strtof = 0x1.fffffep+127 3.40282347e+38\n"
// STDOUT: "strtof overflow = inf errno=ERANGE\n"
// STDOUT: "strtof(0.1) = 0x1.99999ap-4 = 0.100000001\n"
// STDOUT: "strtof(just over half ulp) = 0x1.000002p+0\n"
// STDOUT: "strtof(exact half ulp) = 0x1p+0\n"
// STDOUT: "atof = -1.25\n"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void show(const char *s, int underflows) {
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    int e = errno;
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    if (isnan(v))
        printf("strtod(\"%s\") = nan end=%d", s, (int)(end - s));
    else
        printf("strtod(\"%s\") = %016" PRIx64 " = %.17g end=%d", s, bits, v, (int)(end - s));
    /* whether an underflow sets ERANGE is implementation-defined; no conversion may set EINVAL */
    if (!underflows)
        printf(e == ERANGE ? " ERANGE" : "");
    putchar('\n');
}

static void d(const char *s) { show(s, 0); }
static void du(const char *s) { show(s, 1); }

int main(int argc, char **argv) {
    (void)argc; (void)argv;
    d("0");
    d("-0");
    d("1.5");
    d("  \t+2.25e3xyz");
    d(".5");
    d("5.");
    d("1e");
    d("1e+");
    d("1.e+x");
    d("-.e1");
    d("");
    d("abc");
    d("0x1p3");
    d("0x1.8p-1");
    d("0X.8P1");
    d("0xA");
    d("0x");
    d("0x.p1");
    d("-0x1.fffffffffffffp1023");
    du("0x1p-1074");
    d("inf");
    d("-Infinity");
    d("INFINITE");
    d("infin");
    d("nan");
    d("-NaN");
    d("nan(123)x");
    d("1e308");
    d("1e309");
    d("-1e400");
    d("2.2250738585072014e-308");
    du("4.9406564584124654e-324");
    du("2.4703282292062328e-324");
    du("2.4703282292062327e-324");
    du("-1e-320");
    du("1e-400");
    d("123456789012345678901234567890");
    d("0.000001");
    d("1000000000000000000000000e-30");
    d("000000000000000000000000000000001.5");
    d("1_000");
    char *end;
    float f = strtof("3.4028235e38", &end);
    printf("strtof = %a %.9g\n", f, f);
    errno = 0;
    f = strtof("3.5e38", &end);
    printf("strtof overflow = %f errno=%s\n", f, errno == ERANGE ? "ERANGE" : "0");
    f = strtof("0.1", &end);
    printf("strtof(0.1) = %a = %.9g\n", f, f);
    f = strtof("1.00000005960464477539062500001", &end);
    printf("strtof(just over half ulp) = %a\n", f);
    f = strtof("1.000000059604644775390625", &end);
    printf("strtof(exact half ulp) = %a\n", f);
    printf("atof = %.17g\n", atof(" -12.5e-1"));
    return 0;
}
