// rig: <math.h> on doubles printed with %.17g (exact): sqrt pow exp exp2 expm1 log log2 log10 log1p sin cos tan asin acos atan atan2 sinh cosh tanh fmod remainder floor ceil round trunc rint nearbyint lround frexp ldexp scalbn modf hypot cbrt fabs copysign nextafter fmin fmax fma; special cases chosen where zig's libm and glibc's agree (they differ in the last bit for exp(1), cbrt(27), cbrt(-2)): (pow(0,0), log(0), atan2 of signed zeros, NaN results reported by isnan only: their sign differs between CPUs)
// RUNTIME: musl
// STATUS: 0
// STDOUT: "sqrt(2)              1.4142135623730951\n"
// STDOUT: "sqrt(1e300)          9.9999999999999998e+149\n"
// STDOUT: "pow(2, 0.5)          1.4142135623730951\n"
// STDOUT: "pow(3, 40)           1.2157665459056929e+19\n"
// STDOUT: "pow(2, -1074)        4.9406564584124654e-324\n"
// STDOUT: "pow(0.1, 3)          0.0010000000000000002\n"
// STDOUT: "pow(-2, 3)           -8\n"
// STDOUT: "pow(-8, 1/3)         nan\n"
// STDOUT: "pow(0, 0)            1\n"
// STDOUT: "pow(1, nan)          1\n"
// STDOUT: "pow(-1, inf)         1\n"
// STDOUT: "exp(2)               7.3890560989306504\n"
// STDOUT: "exp(-0.1)            0.90483741803595952\n"
// STDOUT: "exp(710)             inf\n"
// STDOUT: "exp2(0.5)            1.4142135623730951\n"
// STDOUT: "expm1(1e-10)         1.00000000005e-10\n"
// STDOUT: "log(2)               0.69314718055994529\n"
// STDOUT: "log(0.1)             -2.3025850929940455\n"
// STDOUT: "log(0)               -inf\n"
// STDOUT: "log(-1)              nan\n"
// STDOUT: "log2(3)              1.5849625007211561\n"
// STDOUT: "log10(1e300)         300\n"
// STDOUT: "log10(0.1)           -1\n"
// STDOUT: "log1p(1e-10)         9.9999999995000007e-11\n"
// STDOUT: "sin(0.5)             0.47942553860420301\n"
// STDOUT: "sin(3)               0.14112000805986721\n"
// STDOUT: "sin(1e-300)          1e-300\n"
// STDOUT: "cos(0.5)             0.87758256189037276\n"
// STDOUT: "cos(3)               -0.98999249660044542\n"
// STDOUT: "tan(0.5)             0.54630248984379048\n"
// STDOUT: "sin(100)             -0.50636564110975879\n"
// STDOUT: "asin(0.5)            0.52359877559829893\n"
// STDOUT: "acos(0.1)            1.4706289056333368\n"
// STDOUT: "acos(2)              nan\n"
// STDOUT: "atan(3)              1.2490457723982544\n"
// STDOUT: "atan2(1, -1)         2.3561944901923448\n"
// STDOUT: "atan2(-0, -1)        -3.1415926535897931\n"
// STDOUT: "atan2(0, -0)         3.1415926535897931\n"
// STDOUT: "atan2(-0, 0)         -0\n"
// STDOUT: "sinh(0.5)            0.52109530549374738\n"
// STDOUT: "cosh(3)              10.067661995777765\n"
// STDOUT: "tanh(0.5)            0.46211715726000974\n"
// STDOUT: "tanh(30)             1\n"
// STDOUT: "fmod(7.5, 2)         1.5\n"
// STDOUT: "fmod(-7, 3)          -1\n"
// STDOUT: "fmod(1e300, 3)       0\n"
// STDOUT: "fmod(1, 0)           nan\n"
// STDOUT: "remainder(7, 2)      -1\n"
// STDOUT: "remainder(5, 2)      1\n"
// STDOUT: "floor(-2.5)          -3\n"
// STDOUT: "ceil(-2.5)           -2\n"
// STDOUT: "round(2.5)           3\n"
// STDOUT: "round(-2.5)          -3\n"
// STDOUT: "round(0.49999999999999994) 0\n"
// STDOUT: "trunc(-2.7)          -2\n"
// STDOUT: "rint(2.5)            2\n"
// STDOUT: "rint(3.5)            4\n"
// STDOUT: "nearbyint(-0.5)      -0\n"
// STDOUT: "lround 2.5 -2.5 1e15 3 -3 1000000000000000\n"
// STDOUT: "frexp(48)            0.75 6\n"
// STDOUT: "frexp(-1/128)        -0.5 -6\n"
// STDOUT: "frexp(min subnormal) 0.5 -1073\n"
// STDOUT: "frexp(0)             0 0\n"
// STDOUT: "ldexp(0.75, 10)      768\n"
// STDOUT: "ldexp(1, -1074)      4.9406564584124654e-324\n"
// STDOUT: "ldexp(1, 1024)       inf\n"
// STDOUT: "scalbn(3, -2)        0.75\n"
// STDOUT: "modf(-3.75)          -0.75 -3\n"
// STDOUT: "hypot(3, 4)          5\n"
// STDOUT: "hypot(1e300, 1e300)  1.4142135623730952e+300\n"
// STDOUT: "hypot(inf, nan)      inf\n"
// STDOUT: "cbrt(-8)             -2\n"
// STDOUT: "cbrt(3)              1.4422495703074083\n"
// STDOUT: "cbrt(0.001)          0.10000000000000001\n"
// STDOUT: "fabs(-0)             0\n"
// STDOUT: "copysign(3, -0)      -3\n"
// STDOUT: "nextafter(1, 2)      1.0000000000000002\n"
// STDOUT: "nextafter(0, -1)     -4.9406564584124654e-324\n"
// STDOUT: "fmin(nan, 1)         1\n"
// STDOUT: "fmax(-1, nan)        -1\n"
// STDOUT: "fma(0.1, 10, -1)     5.5511151231257827e-17\n"
// STDOUT: "0.1 * 10 - 1         0\n"
// STDOUT: "classify: 1 1 1 1 1\n"
// STDOUT: "signbit: 1 0 1 0, isinf(-inf) 1, isfinite(1e308) 1\n"
// STDOUT: "series               5945.6776602657292\n"

#pragma STDC FP_CONTRACT OFF

#include <math.h>
#include <stdio.h>

static volatile double one = 1.0, two = 2.0, half = 0.5, three = 3.0, tenth = 0.1, big = 1e300, tiny = 1e-300;

static void p(const char *what, double v) {
    if (isnan(v))
        printf("%-20s nan\n", what);
    else
        printf("%-20s %.17g\n", what, v);
}

int main(int argc, char **argv) {
    (void)argc; (void)argv;
    p("sqrt(2)", sqrt(two));
    p("sqrt(1e300)", sqrt(big));
    p("pow(2, 0.5)", pow(two, half));
    p("pow(3, 40)", pow(three, 40));
    p("pow(2, -1074)", pow(two, -1074));
    p("pow(0.1, 3)", pow(tenth, 3));
    p("pow(-2, 3)", pow(-two, 3));
    p("pow(-8, 1/3)", pow(-8 * 1.0, 1 / three));
    p("pow(0, 0)", pow(0 * two, 0));
    p("pow(1, nan)", pow(1.0, NAN));
    p("pow(-1, inf)", pow(-1.0, INFINITY));
    p("exp(2)", exp(two));
    p("exp(-0.1)", exp(-tenth));
    p("exp(710)", exp(710 * half * two));
    p("exp2(0.5)", exp2(half));
    p("expm1(1e-10)", expm1(1e-10 * half * two));
    p("log(2)", log(two));
    p("log(0.1)", log(tenth));
    p("log(0)", log(0 * two));
    p("log(-1)", log(-half));
    p("log2(3)", log2(three));
    p("log10(1e300)", log10(big));
    p("log10(0.1)", log10(tenth));
    p("log1p(1e-10)", log1p(1e-10 * half * two));
    p("sin(0.5)", sin(half));
    p("sin(3)", sin(three));
    p("sin(1e-300)", sin(tiny));
    p("cos(0.5)", cos(half));
    p("cos(3)", cos(three));
    p("tan(0.5)", tan(half));
    p("sin(100)", sin(100 * half * two));
    p("asin(0.5)", asin(half));
    p("acos(0.1)", acos(tenth));
    p("acos(2)", acos(two));
    p("atan(3)", atan(three));
    p("atan2(1, -1)", atan2(half * two, -half * two));
    p("atan2(-0, -1)", atan2(-0.0 * two, -half));
    p("atan2(0, -0)", atan2(0.0 * two, -0.0 * two));
    p("atan2(-0, 0)", atan2(-0.0 * two, 0.0 * two));
    p("sinh(0.5)", sinh(half));
    p("cosh(3)", cosh(three));
    p("tanh(0.5)", tanh(half));
    p("tanh(30)", tanh(30 * half * two));
    p("fmod(7.5, 2)", fmod(7.5 * half * two, two));
    p("fmod(-7, 3)", fmod(-7 * half * two, three));
    p("fmod(1e300, 3)", fmod(big, three));
    p("fmod(1, 0)", fmod(half * two, 0 * two));
    p("remainder(7, 2)", remainder(7 * half * two, two));
    p("remainder(5, 2)", remainder(5 * half * two, two));
    p("floor(-2.5)", floor(-2.5 * half * two));
    p("ceil(-2.5)", ceil(-2.5 * half * two));
    p("round(2.5)", round(2.5 * half * two));
    p("round(-2.5)", round(-2.5 * half * two));
    p("round(0.49999999999999994)", round(0.49999999999999994 * half * two));
    p("trunc(-2.7)", trunc(-2.7 * half * two));
    p("rint(2.5)", rint(2.5 * half * two));
    p("rint(3.5)", rint(3.5 * half * two));
    p("nearbyint(-0.5)", nearbyint(-half));
    printf("%-20s %ld %ld %lld\n", "lround 2.5 -2.5 1e15", lround(2.5 * half * two), lround(-2.5 * half * two),
           llround(1e15 * half * two));
    int e;
    double m = frexp(48 * half * two, &e);
    printf("%-20s %.17g %d\n", "frexp(48)", m, e);
    m = frexp(-0.0078125 * half * two, &e);
    printf("%-20s %.17g %d\n", "frexp(-1/128)", m, e);
    m = frexp(4.9406564584124654e-324 * one, &e);
    printf("%-20s %.17g %d\n", "frexp(min subnormal)", m, e);
    m = frexp(0 * two, &e);
    printf("%-20s %.17g %d\n", "frexp(0)", m, e);
    p("ldexp(0.75, 10)", ldexp(0.75 * half * two, 10));
    p("ldexp(1, -1074)", ldexp(half * two, -1074));
    p("ldexp(1, 1024)", ldexp(half * two, 1024));
    p("scalbn(3, -2)", scalbn(three, -2));
    double ip;
    double fp = modf(-3.75 * half * two, &ip);
    printf("%-20s %.17g %.17g\n", "modf(-3.75)", fp, ip);
    p("hypot(3, 4)", hypot(three, 4 * half * two));
    p("hypot(1e300, 1e300)", hypot(big, big));
    p("hypot(inf, nan)", hypot(INFINITY, NAN));
    p("cbrt(-8)", cbrt(-8 * one));
    p("cbrt(3)", cbrt(three));
    p("cbrt(0.001)", cbrt(0.001 * half * two));
    p("fabs(-0)", fabs(-0.0 * two));
    p("copysign(3, -0)", copysign(three, -0.0 * two));
    p("nextafter(1, 2)", nextafter(half * two, two));
    p("nextafter(0, -1)", nextafter(0 * two, -half));
    p("fmin(nan, 1)", fmin(NAN, half * two));
    p("fmax(-1, nan)", fmax(-one, NAN));
    p("fma(0.1, 10, -1)", fma(tenth, 10 * half * two, -half * two));
    p("0.1 * 10 - 1", tenth * (10 * half * two) - half * two);
    printf("classify: %d %d %d %d %d\n", fpclassify(half) == FP_NORMAL, fpclassify(tiny * tiny) == FP_ZERO,
           fpclassify(4.9406564584124654e-324 * one) == FP_SUBNORMAL, fpclassify(big * big) == FP_INFINITE,
           fpclassify(log(-half)) == FP_NAN);
    printf("signbit: %d %d %d %d, isinf(-inf) %d, isfinite(1e308) %d\n", signbit(-0.0 * two) != 0,
           signbit(0.0 * two) != 0, signbit(-half) != 0, signbit(INFINITY) != 0, isinf(-INFINITY) != 0,
           isfinite(big * 1e8) != 0);
    double sum = 0;
    for (int i = 1; i <= 1000; i++)
        sum += sin(i * tenth) * exp(-i * 0.001 * half * two) + sqrt(i * three) / log(i + two);
    p("series", sum);
    return 0;
}
