// rig: time without real-time output: clock_gettime(CLOCK_MONOTONIC) twice (non-decreasing, nanoseconds in range), CLOCK_REALTIME after 2020, time(NULL) > 0 and time(&t) agreeing, clock() not failing, difftime; gmtime and strftime of fixed instants (time_t is 64-bit in musl everywhere)
// RUNTIME: musl
// STATUS: 0
// STDOUT: "monotonic: rc 0 0, difference >= 0: 1, nsec in range: 1\n"
// STDOUT: "realtime: rc 0, after 2020: 1\n"
// STDOUT: "time: positive 1, time(&t) stores its result 1, non-decreasing 1\n"
// STDOUT: "clock() != -1: 1\n"
// STDOUT: "sizeof(time_t) == 8: 1\n"
// STDOUT: "difftime(1000, 250) = 750.0\n"
// STDOUT: "0: 1970-01-01 00:00:00 Thu Thursday Jan January 001 4 4 70 AM % yday 0 wday 4\n"
// STDOUT: "951782400: 2000-02-29 00:00:00 Tue Tuesday Feb February 060 2 2 00 AM % yday 59 wday 2\n"
// STDOUT: "1700000000: 2023-11-14 22:13:20 Tue Tuesday Nov November 318 2 2 23 PM % yday 317 wday 2\n"
// STDOUT: "4102444799: 2099-12-31 23:59:59 Thu Thursday Dec December 365 4 4 99 PM % yday 364 wday 4\n"
// STDOUT: "-86400: 1969-12-31 00:00:00 Wed Wednesday Dec December 365 3 3 69 AM % yday 364 wday 3\n"
// STDOUT: "strftime: 52 \"02/29/24 13:05:09 01:05 PM 29|20|\n"
// STDOUT: "\t|2024-02-29 13:05\"\n"
// STDOUT: "too small: 0\n"

#include <stdint.h>
#include <stdio.h>
#include <time.h>

int main(int argc, char **argv) {
    (void)argc; (void)argv;
    struct timespec a, b;
    int ra = clock_gettime(CLOCK_MONOTONIC, &a);
    volatile double x = 1;
    for (int i = 0; i < 100000; i++)
        x = x * 1.0000001;
    int rb = clock_gettime(CLOCK_MONOTONIC, &b);
    int64_t diff = (int64_t)(b.tv_sec - a.tv_sec) * 1000000000 + (b.tv_nsec - a.tv_nsec);
    printf("monotonic: rc %d %d, difference >= 0: %d, nsec in range: %d\n", ra, rb, diff >= 0,
           a.tv_nsec >= 0 && a.tv_nsec < 1000000000 && b.tv_nsec >= 0 && b.tv_nsec < 1000000000);
    struct timespec rt;
    int rr = clock_gettime(CLOCK_REALTIME, &rt);
    printf("realtime: rc %d, after 2020: %d\n", rr, rt.tv_sec > 1577836800);
    time_t t1;
    time_t t0 = time(NULL);
    time_t t2 = time(&t1);
    printf("time: positive %d, time(&t) stores its result %d, non-decreasing %d\n", t0 > 0, t1 == t2, t2 >= t0);
    printf("clock() != -1: %d\n", clock() != (clock_t)-1);
    printf("sizeof(time_t) == 8: %d\n", (int)sizeof(time_t) == 8);
    printf("difftime(1000, 250) = %.1f\n", difftime((time_t)1000, (time_t)250));

    time_t instants[] = {0, 951782400, 1700000000, 4102444799, -86400};
    char buf[128];
    for (size_t i = 0; i < sizeof instants / sizeof *instants; i++) {
        struct tm *tm = gmtime(&instants[i]);
        strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S %a %A %b %B %j %u %w %y %p %%", tm);
        printf("%lld: %s yday %d wday %d\n", (long long)instants[i], buf, tm->tm_yday, tm->tm_wday);
    }
    struct tm fixed = {.tm_year = 124, .tm_mon = 1, .tm_mday = 29, .tm_hour = 13, .tm_min = 5, .tm_sec = 9,
                       .tm_wday = 4, .tm_yday = 59};
    size_t n = strftime(buf, sizeof buf, "%D %T %I:%M %p %e|%C|%n%t|%F %R", &fixed);
    printf("strftime: %zu \"%s\"\n", n, buf);
    printf("too small: %zu\n", strftime(buf, 5, "%Y-%m-%d", &fixed));
    return 0;
}
