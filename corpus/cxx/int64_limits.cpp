// rig: 64-bit integer arithmetic on every target (on 32-bit Arm through compiler-rt's helpers: values come from a volatile array so nothing is folded): multiply, divide and remainder with negative operands (truncation toward zero), shifts, unsigned wraparound, overflow checks with __builtin_*_overflow; std::numeric_limits of the fixed-width types, float and double; <bit> (popcount, countl_zero, countr_zero, bit_width, rotl, has_single_bit), std::gcd, std::lcm, std::midpoint; std::to_string, std::stoll, std::to_chars / std::from_chars in base 10 and 36; a constexpr factorial; a thrown std::overflow_error for a factorial that does not fit
// RUNTIME: musl
// STATUS: 0
// STDOUT: "a*c 8641975230861, a/b -1249, a%b 987643194, b/c -141093474, b%c -3\n"
// STDOUT: "c/d -2, c%d 1, d/c 0, d%c -3\n"
// STDOUT: "a<<20 1294538259953614848, b>>7 -7716050 (arithmetic), (uint64)b>>60 15\n"
// STDOUT: "u 18364758544493064720 u/10 1836475854449306472 u%10 0 0-1 18446744073709551615 hex f49f49f49f49f4a0\n"
// STDOUT: "overflow: max+1 1, min-1 1, min*-1 1, 2^31*2^31 0\n"
// STDOUT: "min / -1 is not computed; max / -1 = -9223372036854775807, min % 7 = -1\n"
// STDOUT: "int8     digits  7 digits10  2 signed 1 min -128 max 127\n"
// STDOUT: "uint16   digits 16 digits10  4 signed 0 min 0 max 65535\n"
// STDOUT: "int32    digits 31 digits10  9 signed 1 min -2147483648 max 2147483647\n"
// STDOUT: "int64    digits 63 digits10 18 signed 1 min -9223372036854775808 max 9223372036854775807\n"
// STDOUT: "uint64   digits 64 digits10 19 signed 0 min 0 max 18446744073709551615\n"
// STDOUT: "float  digits 24 epsilon 1.1920929e-07 max 3.40282347e+38 min 1.17549435e-38 denorm_min 1.40129846e-45\n"
// STDOUT: "double digits 53 epsilon 2.2204460492503131e-16 max 1.7976931348623157e+308 lowest -1.7976931348623157e+308\n"
// STDOUT: "double infinity inf, quiet_NaN is NaN 1, max_exponent 1024\n"
// STDOUT: "popcount 32 countl_zero 60 countr_zero 41 bit_width 4 rotl dcba9876543210fe has_single_bit 0\n"
// STDOUT: "gcd 3 lcm 84 midpoint 0\n"
// STDOUT: "stoll -9000000000000000123, base 36 -1wdllqhza58jf, back -9000000000000000123, same 1\n"
// STDOUT: "20! = 2432902008176640000\n"
// STDOUT: "21! does not fit in 64 bits\n"

#include <bit>
#include <charconv>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <string>

volatile std::int64_t values[] = {1234567890123LL, -987654321LL, 7, -3, INT64_MAX, INT64_MIN};
volatile std::uint64_t uvalues[] = {0xFEDCBA9876543210ULL, 10, 0};

constexpr std::uint64_t factorial(int n) { return n <= 1 ? 1 : n * factorial(n - 1); }
static_assert(factorial(20) == 2432902008176640000ULL);

static std::uint64_t checked_factorial(int n) {
    std::uint64_t r = 1;
    for (int i = 2; i <= n; i++)
        if (__builtin_mul_overflow(r, static_cast<std::uint64_t>(i), &r))
            throw std::overflow_error(std::to_string(n) + "! does not fit in 64 bits");
    return r;
}

template <class T> static void limits(const char *name) {
    using L = std::numeric_limits<T>;
    std::printf("%-8s digits %2d digits10 %2d signed %d min %s max %s\n", name, L::digits, L::digits10, L::is_signed,
                std::to_string(L::min()).c_str(), std::to_string(L::max()).c_str());
}

int main() {
    std::int64_t a = values[0], b = values[1], c = values[2], d = values[3];
    std::printf("a*c %" PRId64 ", a/b %" PRId64 ", a%%b %" PRId64 ", b/c %" PRId64 ", b%%c %" PRId64 "\n", a * c, a / b,
                a % b, b / c, b % c);
    std::printf("c/d %" PRId64 ", c%%d %" PRId64 ", d/c %" PRId64 ", d%%c %" PRId64 "\n", c / d, c % d, d / c, d % c);
    std::printf("a<<20 %" PRId64 ", b>>7 %" PRId64 " (arithmetic), (uint64)b>>60 %" PRIu64 "\n", a << 20, b >> 7,
                static_cast<std::uint64_t>(b) >> 60);
    std::uint64_t u = uvalues[0], ten = uvalues[1], zero = uvalues[2];
    std::printf("u %" PRIu64 " u/10 %" PRIu64 " u%%10 %" PRIu64 " 0-1 %" PRIu64 " hex %" PRIx64 "\n", u, u / ten,
                u % ten, zero - 1, u * ten);
    std::int64_t big = values[4], small = values[5], out;
    std::printf("overflow: max+1 %d, min-1 %d, min*-1 %d, 2^31*2^31 %d\n", __builtin_add_overflow(big, 1, &out),
                __builtin_sub_overflow(small, 1, &out), __builtin_mul_overflow(small, -1, &out),
                __builtin_mul_overflow(std::int64_t{1} << 31, std::int64_t{1} << 31, &out));
    std::printf("min / -1 is not computed; max / -1 = %" PRId64 ", min %% 7 = %" PRId64 "\n", big / -1, small % 7);

    limits<std::int8_t>("int8");
    limits<std::uint16_t>("uint16");
    limits<std::int32_t>("int32");
    limits<std::int64_t>("int64");
    limits<std::uint64_t>("uint64");
    using F = std::numeric_limits<float>;
    using D = std::numeric_limits<double>;
    std::printf("float  digits %d epsilon %.9g max %.9g min %.9g denorm_min %.9g\n", F::digits, F::epsilon(), F::max(),
                F::min(), F::denorm_min());
    std::printf("double digits %d epsilon %.17g max %.17g lowest %.17g\n", D::digits, D::epsilon(), D::max(),
                D::lowest());
    std::printf("double infinity %f, quiet_NaN is NaN %d, max_exponent %d\n", D::infinity(),
                D::quiet_NaN() != D::quiet_NaN(), D::max_exponent);

    std::printf("popcount %d countl_zero %d countr_zero %d bit_width %d rotl %" PRIx64 " has_single_bit %d\n",
                std::popcount(u), std::countl_zero(ten), std::countr_zero(ten << 40), std::bit_width(ten),
                std::rotl(u, 8), std::has_single_bit(ten << 3));
    std::printf("gcd %" PRId64 " lcm %" PRId64 " midpoint %" PRId64 "\n", std::gcd(a, b), std::lcm(c * 6, d * 4),
                std::midpoint(big, small));

    std::int64_t parsed = std::stoll("-9000000000000000123");
    char buf[80];
    auto end = std::to_chars(buf, buf + sizeof buf, parsed, 36).ptr;
    *end = 0;
    std::int64_t back = 0;
    std::from_chars(buf, end, back, 36);
    std::printf("stoll %s, base 36 %s, back %" PRId64 ", same %d\n", std::to_string(parsed).c_str(), buf, back,
                back == parsed);
    for (int n : {20, 21}) {
        try {
            std::printf("%d! = %" PRIu64 "\n", n, checked_factorial(n));
        } catch (const std::overflow_error &e) {
            std::printf("%s\n", e.what());
        }
    }
    return 0;
}
