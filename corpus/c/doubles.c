// rig: doubles: Newton's square root, Horner, a trapezoid integral, int<->double conversions, libm, printf %f
// SIG: newton_sqrt f64(f64)
// SIG: horner f64(f64)
// SIG: integrate f64(i32)
// SIG: to_int i64(f64)
// SIG: from_int f64(i64)
// SIG: table_mean f64()
// SIG: hypot_sum f64(i32)
// SIG: show i32(f64)
// CALL: newton_sqrt(2.0) ~= 1.4142135623730951
// CALL: newton_sqrt(1e10) ~= 100000.0
// CALL: horner(0.5) == -7.0
// CALL: horner(-2.0) == -39.5
// CALL: integrate(1000) ~= 0.3333335
// CALL: to_int(-12345.9) == -12345
// CALL: to_int(9007199254740993.0) == 9007199254740992
// CALL: from_int(-9007199254740993) == -9007199254740992.0
// CALL: from_int(123456789012) == 123456789012.0
// CALL: table_mean() == 2.265625
// CALL: hypot_sum(10) ~= 71.39990206219684
// CALL: show(3.14159) == 55
// STDOUT: "3.142   314.16 -3.1    | 3.141590e-03 3.14159 0.333333\n"
#include <stdint.h>

/* No fused multiply-add: every target (and the host oracle) rounds each operation. */
#pragma STDC FP_CONTRACT OFF

int printf(const char *, ...);
double sqrt(double);

double newton_sqrt(double x) {
    double r = x > 1.0 ? x / 2.0 : 1.0;
    for (int i = 0; i < 60; i++)
        r = 0.5 * (r + x / r);
    return r;
}

/* 3x^3 - 2x^2 + x/4 - 7, exact in binary for these arguments. */
static const double coeff[] = { 3.0, -2.0, 0.25, -7.0 };

double horner(double x) {
    double r = 0.0;
    for (unsigned i = 0; i < sizeof coeff / sizeof coeff[0]; i++)
        r = r * x + coeff[i];
    return r;
}

/* The integral of x^2 over [0, 1], trapezoids. */
double integrate(int32_t n) {
    double h = 1.0 / n, s = 0.0;
    for (int32_t i = 1; i < n; i++) {
        double x = i * h;
        s += x * x;
    }
    return h * (s + 0.5);
}

__attribute__((noinline)) int64_t to_int(double d) { return (int64_t)d; }
__attribute__((noinline)) double from_int(int64_t v) { return (double)v; }

static double samples[8] = { 1.5, -2.25, 3.125, 4.0, 0.5, -0.75, 10.0, 2.0 };
static double *const first = &samples[0];

double table_mean(void) {
    double s = 0.0;
    for (int i = 0; i < 8; i++)
        s += first[i];
    return s / 8.0;
}

/* Sum of sqrt(i^2 + (i+1)^2): the host's sqrt. */
double hypot_sum(int32_t n) {
    double s = 0.0;
    for (int32_t i = 0; i < n; i++)
        s += sqrt((double)i * i + (double)(i + 1) * (i + 1));
    return s;
}

int32_t show(double x) {
    return printf("%.3f %8.2f %-8.1f| %e %g %g\n", x, x * 100.0, -x, x / 1000.0, x, 1.0 / 3.0);
}
