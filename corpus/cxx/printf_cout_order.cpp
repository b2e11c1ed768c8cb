// rig: printf and std::cout in one program: libc++'s std::cout is synchronized with stdio (the default), so its writes go into stdout's own FILE buffer in program order, even within one line; stdout is fully buffered when it is not a terminal, so those lines come out at an explicit fflush, at std::endl / std::flush, or at exit; fprintf(stderr) and std::clog go to unbuffered stderr at once (before stdout lines written earlier but still buffered), std::cerr too, but it is tied to std::cout, which it flushes first; iostream formatting: hex, showbase, setw, setfill, left, fixed, scientific, setprecision, boolalpha, 64-bit extremes
// RUNTIME: musl
// STATUS: 0
// STDOUT: "1 printf, then an explicit fflush\n"
// STDERR: "E1 fprintf(stderr): at once, before the buffered lines 2 and 3\n"
// STDOUT: "2 cout, into the same buffer\n"
// STDOUT: "3 printf, and cout continuing that line\n"
// STDERR: "E2 cerr: tied to cout, so lines 2 and 3 were flushed just before this\n"
// STDERR: "E3 clog: not tied, unbuffered, before line 4\n"
// STDOUT: "4 puts, buffered\n"
// STDOUT: "5 cout with std::endl flushes 4 and 5\n"
// STDERR: "E4 fputs(stderr), before line 6\n"
// STDOUT: "6 cout, buffered\n"
// STDOUT: "7 std::flush sends 6 and 7"
// STDERR: "E5 fputs(stderr) after the flush of a partial line\n"
// STDOUT: " (the rest of line 7)\n"
// STDOUT: "ties: cerr to cout yes, clog not tied, cin to cout yes\n"
// STDOUT: "hex ff 0xff 0XBEEF, dec 255\n"
// STDOUT: "[****42] [42****] [  -7]\n"
// STDOUT: "3.142 1.235e+04 0.3 1e+21\n"
// STDOUT: "true false 1\n"
// STDOUT: "-9223372036854775808 18446744073709551615 -128\n"
// STDOUT: "8 printf after cout's formatting: 99 still in order\n"
// STDOUT: "9 last line, flushed at exit\n"

#include <cstdint>
#include <cstdio>
#include <iomanip>
#include <iostream>
#include <limits>

int main() {
    std::printf("1 printf, then an explicit fflush\n");
    std::fflush(stdout);
    std::cout << "2 cout, into the same buffer\n";
    std::printf("3 printf, ");
    std::cout << "and cout continuing that line\n";
    std::fprintf(stderr, "E1 fprintf(stderr): at once, before the buffered lines 2 and 3\n");
    std::cerr << "E2 cerr: tied to cout, so lines 2 and 3 were flushed just before this\n";
    std::puts("4 puts, buffered");
    std::clog << "E3 clog: not tied, unbuffered, before line 4\n";
    std::cout << "5 cout with std::endl flushes 4 and 5" << std::endl;
    std::cout << "6 cout, buffered\n";
    std::fputs("E4 fputs(stderr), before line 6\n", stderr);
    std::cout << "7 std::flush sends 6 and 7" << std::flush;
    std::fputs("E5 fputs(stderr) after the flush of a partial line\n", stderr);
    std::cout << " (the rest of line 7)\n";
    std::printf("ties: cerr to cout %s, clog %s, cin to cout %s\n", std::cerr.tie() == &std::cout ? "yes" : "no",
                std::clog.tie() ? "tied" : "not tied", std::cin.tie() == &std::cout ? "yes" : "no");
    std::cout << "hex " << std::hex << 255 << ' ' << std::showbase << 255 << ' ' << std::uppercase << 48879
              << std::nouppercase << std::noshowbase << std::dec << ", dec " << 255 << '\n';
    std::cout << '[' << std::setw(6) << std::setfill('*') << 42 << "] [" << std::left << std::setw(6) << 42
              << std::right << std::setfill(' ') << "] [" << std::setw(4) << -7 << "]\n";
    std::cout << std::fixed << std::setprecision(3) << 3.14159265 << ' ' << std::scientific << 12345.678
              << ' ' << std::defaultfloat << std::setprecision(6) << 0.1 + 0.2 << ' ' << 1e21 << '\n';
    std::cout << std::boolalpha << true << ' ' << (1 > 2) << std::noboolalpha << ' ' << true << '\n';
    std::cout << std::numeric_limits<std::int64_t>::min() << ' ' << std::numeric_limits<std::uint64_t>::max()
              << ' ' << static_cast<int>(std::numeric_limits<signed char>::min()) << '\n';
    std::printf("%s %d %s\n", "8 printf after cout's formatting:", 99, "still in order");
    std::cout << "9 last line, flushed at exit\n";
    return 0;
}
