// rig: printf floating conversions: %e %E %f %F %g %G %a %A with widths, precisions and flags, rounding of exact ties, -0.0, infinities and NaN, subnormals (%e, %g: %a of a subnormal has an unspecified leading digit), large and small magnitudes
// RUNTIME: musl
// STATUS: 0
// STDOUT: "[3.141593] [3.141593e+00] [3.141593E+00] [3.14159] [3.14159] [3.141593]\n"
// STDOUT: "[3] [3.1] [3.1415926536] [      3.1416] [3.1416      ] [0000003.1416] [+3.14] [ 3.14]\n"
// STDOUT: "[3e+00] [3.142e+00] [    3.14e+00] [3.14E+00    ] [+3.141593e+00] [3.e+00] [3.] [3]\n"
// STDOUT: "[100000] [1e+06] [0.0001] [1e-05] [1.23457e+08] [1e-10] [0.5]\n"
// STDOUT: "[1.23e+03] [0.3333333333] [1.00000] [2.00] [1e+100] [1E-100] [2e+01] [2.e+01]\n"
// STDOUT: "[0] [2] [2] [-0] [0.2] [2.67] [1.00] [0.1]\n"
// STDOUT: "[-0.000000] [-0.000000e+00] [-0] [-0x0p+0] [+0.000000] [0.000e+00]\n"
// STDOUT: "[inf] [INF] [-inf] [-INF] [inf] [-INF] [inf] [-INF] [     inf] [inf     |] [+inf] [    -inf]\n"
// STDOUT: "[nan] [NAN] [nan] [NAN] [nan] [NAN] [   nan] [nan   |] [+nan]\n"
// STDOUT: "[0x1p+0] [0X1.4P+3] [0x1.999999999999ap-4] [-0x1.4p+1] [0x1.5555555555555p-2] [0x1.fffffffffffffp+1023] [0x1p-1022] [0X1.FFP+7]\n"
// STDOUT: "[0x2p+0] [0x2.0p+0] [0x1.55p-2] [0x1.99ap-4] [              0x1p+0] [0x1p+0              |] [+0x1p+0] [0x1.p+0] [0x00001p+0]\n"
// STDOUT: "[0x1.20p+0] [0x2p+0] [0x1.2p+0] [0x1p-1000] [0x1.ffffffffffffep+1000]\n"
// STDOUT: "[99999999999999991611392.000000] [10000000000000000000000] [123456789012345680.000000]\n"
// STDOUT: "[0.10000000000000000555] [1.0000000000000000555111512e-01] [0.10000000000000001] [0.33333333333333331] [0.3]\n"
// STDOUT: "[1.797693e+308] [2.22507e-308] [4.9406564584124654e-324] [4.940656e-324]\n"
// STDOUT: "[0.000000000931322574615478515625] [1180591620717411303424] [-0.750]\n"
// STDOUT: "[0.001] [0.002] [0.003] [1.12e+10] [1.14e+10]\n"
// STDOUT: "[      2.50] [2.5e+00     |] [2.5]\n"
// STDOUT: "[1.100000] [1.10000002] [0x1.19999ap+0] [1.1000000238418579]\n"
// STDOUT: "[1e+15] [1e+16] [123456] [1.23457e+06] [0.000123456]\n"

#include <float.h>
#include <math.h>
#include <stdio.h>

int main(int argc, char **argv) {
    (void)argc; (void)argv;
    double v = 3.14159265358979;
    printf("[%f] [%e] [%E] [%g] [%G] [%F]\n", v, v, v, v, v, v);
    printf("[%.0f] [%.1f] [%.10f] [%12.4f] [%-12.4f] [%012.4f] [%+.2f] [% .2f]\n", v, v, v, v, v, v, v, v);
    printf("[%.0e] [%.3e] [%12.2e] [%-12.2E] [%+e] [%#.0e] [%#.0f] [%.0f]\n", v, v, v, v, v, v, v, v);
    printf("[%g] [%g] [%g] [%g] [%g] [%g] [%g]\n", 100000.0, 1000000.0, 0.0001, 0.00001, 123456789.0, 1e-10, 0.5);
    printf("[%.3g] [%.10g] [%#g] [%#.3g] [%g] [%G] [%.0g] [%#.0g]\n", 1234.5678, 1.0 / 3, 1.0, 2.0, 1e100, 1e-100,
           25.0, 25.0);
    printf("[%.0f] [%.0f] [%.0f] [%.0f] [%.1f] [%.2f] [%.2f] [%.1f]\n", 0.5, 1.5, 2.5, -0.5, 0.25, 2.675, 1.005, 0.05);
    printf("[%f] [%e] [%g] [%a] [%+f] [%.3e]\n", -0.0, -0.0, -0.0, -0.0, 0.0, 0.0);
    printf("[%f] [%F] [%e] [%E] [%g] [%G] [%a] [%A] [%8f] [%-8f|] [%+f] [%08f]\n", INFINITY, INFINITY, -INFINITY,
           -INFINITY, INFINITY, -INFINITY, INFINITY, -INFINITY, INFINITY, INFINITY, INFINITY, -INFINITY);
    printf("[%f] [%F] [%e] [%G] [%a] [%A] [%6f] [%-6f|] [%+f]\n", NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN);
    printf("[%a] [%A] [%a] [%a] [%a] [%a] [%a] [%A]\n", 1.0, 10.0, 0.1, -2.5, 1.0 / 3, DBL_MAX, DBL_MIN, 255.5);
    printf("[%.0a] [%.1a] [%.2a] [%.3a] [%20a] [%-20a|] [%+a] [%#.0a] [%010a]\n", 1.5, 1.96875, 1.0 / 3, 0.1, 1.0,
           1.0, 1.0, 1.0, 1.0);
    printf("[%.2a] [%.0a] [%.1a] [%a] [%a]\n", 0x1.1f8p+0, 0x1.8p+0, 0x1.28p+0, 0x1p-1000, 0x1.ffffffffffffep+1000);
    printf("[%f] [%.0f] [%f]\n", 1e23, 1e22, 123456789012345678.0);
    printf("[%.20f] [%.25e] [%.17g] [%.17g] [%.16g]\n", 0.1, 0.1, 0.1, 1.0 / 3, 0.3);
    printf("[%e] [%g] [%.17g] [%e]\n", DBL_MAX, DBL_MIN, DBL_TRUE_MIN, 5e-324);
    printf("[%.30f] [%.0f] [%.3f]\n", 0x1p-30, 0x1p+70, -0x1.8p-1);
    printf("[%.3f] [%.3f] [%.3f] [%.2e] [%.2e]\n", 0.0005, 0.0015, 0.0025, 1.125e10, 1.135e10);
    printf("[%*.*f] [%-*.*e|] [%.*g]\n", 10, 2, 2.5, 12, 1, 2.5, 4, 2.5);
    float f = 1.1f;
    printf("[%f] [%.9g] [%a] [%.17g]\n", f, f, f, (double)f);
    printf("[%g] [%g] [%g] [%g] [%g]\n", 1e15, 1e16, 123456.0, 1234567.0, 0.000123456);
    return 0;
}
