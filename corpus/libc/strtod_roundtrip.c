// rig: strtod round trips: tricky decimals (halfway cases, the 2.2250738585072011e-308 boundary, long inputs) parsed to their exact bits; 2000 pseudo-random doubles through %.17g, %a and %.13e and back (strtod and sscanf %lf), with a checksum of the printed text
// RUNTIME: musl
// STATUS: 0
// STDOUT: "0.1 -> 3fb999999999999a 0.10000000000000001\n"
// STDOUT: "0.2 -> 3fc999999999999a 0.20000000000000001\n"
// STDOUT: "0.3 -> 3fd3333333333333 0.29999999999999999\n"
// STDOUT: "9007199254740993 -> 4340000000000000 9007199254740992\n"
// STDOUT: "9007199254740995 -> 4340000000000002 9007199254740996\n"
// STDOUT: "2.2250738585072011e-308 -> 000fffffffffffff 2.2250738585072009e-308\n"
// STDOUT: "2.2250738585072012e-308 -> 0010000000000000 2.2250738585072014e-308\n"
// STDOUT: "1.7976931348623157e308 -> 7fefffffffffffff 1.7976931348623157e+308\n"
// STDOUT: "1.7976931348623158e308 -> 7fefffffffffffff 1.7976931348623157e+308\n"
// STDOUT: "1.00000000000000011102230246251565404236316680908203125 -> 3ff0000000000000 1\n"
// STDOUT: "1.00000000000000011102230246251565404236316680908203124 -> 3ff0000000000000 1\n"
// STDOUT: "1.00000000000000011102230246251565404236316680908203126 -> 3ff0000000000001 1.0000000000000002\n"
// STDOUT: "0.500000000000000166533453693773481063544750213623046875 -> 3fe0000000000002 0.50000000000000022\n"
// STDOUT: "3.14159265358979323846264338327950288419716939937510582097494459 -> 400921fb54442d18 3.1415926535897931\n"
// STDOUT: "123456789e-20 -> 3d75b7ffde890274 1.23456789e-12\n"
// STDOUT: "7.3177701707893310e+15 -> 4339ff792393edd3 7317770170789331\n"
// STDOUT: "5e-324 -> 0000000000000001 4.9406564584124654e-324\n"
// STDOUT: "8.98846567431158e307 -> 7fe0000000000000 8.9884656743115795e+307\n"
// STDOUT: "1e23 -> 44b52d02c7e14af6 9.9999999999999992e+22\n"
// STDOUT: "4.35e-40 -> 37c2f2697e1e95ad 4.3499999999999998e-40\n"
// STDOUT: "tested 1999 (subnormal 55): %.17g 0 bad, sscanf 0 bad, %a 0 bad, %.13e 0 bad\n"
// STDOUT: "crc of the printed text 199ea5b1\n"

#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t state = 0x9e3779b97f4a7c15ull;

static uint64_t next(void) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
}

static uint64_t bits_of(double v) {
    uint64_t b;
    memcpy(&b, &v, sizeof b);
    return b;
}

static double from_bits(uint64_t b) {
    double v;
    memcpy(&v, &b, sizeof v);
    return v;
}

static uint32_t crc;

static void crc_text(const char *s) {
    for (; *s; s++) {
        crc ^= (unsigned char)*s;
        for (int k = 0; k < 8; k++)
            crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1)));
    }
}

static const char *const tricky[] = {
    "0.1", "0.2", "0.3", "9007199254740993", "9007199254740995", "2.2250738585072011e-308",
    "2.2250738585072012e-308", "1.7976931348623157e308", "1.7976931348623158e308",
    "1.00000000000000011102230246251565404236316680908203125",
    "1.00000000000000011102230246251565404236316680908203124",
    "1.00000000000000011102230246251565404236316680908203126",
    "0.500000000000000166533453693773481063544750213623046875",
    "3.14159265358979323846264338327950288419716939937510582097494459",
    "123456789e-20", "7.3177701707893310e+15", "5e-324", "8.98846567431158e307", "1e23", "4.35e-40",
};

int main(int argc, char **argv) {
    (void)argc; (void)argv;
    for (size_t i = 0; i < sizeof tricky / sizeof *tricky; i++) {
        double v = strtod(tricky[i], NULL);
        printf("%s -> %016" PRIx64 " %.17g\n", tricky[i], bits_of(v), v);
    }
    int bad17 = 0, bada = 0, bade = 0, badscan = 0, tested = 0, subnormal = 0;
    char buf[64];
    for (int i = 0; i < 2000; i++) {
        uint64_t b = next();
        if (i % 4 == 1)
            b &= 0x800fffffffffffffull | ((uint64_t)(1000 + (int)(next() % 48)) << 52);   /* near 1.0 */
        if (i % 97 == 0)
            b &= 0x800fffffffffffffull;                                                 /* subnormal */
        double v = from_bits(b);
        if (isnan(v) || isinf(v))
            continue;
        tested++;
        subnormal += fpclassify(v) == FP_SUBNORMAL;
        snprintf(buf, sizeof buf, "%.17g", v);
        crc_text(buf);
        bad17 += bits_of(strtod(buf, NULL)) != b;
        double s = 0;
        badscan += sscanf(buf, "%lf", &s) != 1 || bits_of(s) != b;
        if (fpclassify(v) != FP_SUBNORMAL) {
            snprintf(buf, sizeof buf, "%a", v);
            crc_text(buf);
            bada += bits_of(strtod(buf, NULL)) != b;
        }
        snprintf(buf, sizeof buf, "%.13e", v);
        crc_text(buf);
        bade += fabs(strtod(buf, NULL) - v) > fabs(v) * 1e-13;
    }
    printf("tested %d (subnormal %d): %%.17g %d bad, sscanf %d bad, %%a %d bad, %%.13e %d bad\n", tested, subnormal,
           bad17, badscan, bada, bade);
    printf("crc of the printed text %08" PRIx32 "\n", crc);
    return 0;
}
