// rig: snprintf: the return value is the length the whole output would have, the buffer holds size-1 bytes and a NUL; size 0 writes nothing (NULL buffer allowed); sprintf and %n count; vsnprintf through a variadic wrapper
// RUNTIME: musl
// STATUS: 0
// STDOUT: "size 8     r=12 len= 7 buf=\"hello, \" tail=#######\n"
// STDOUT: "size 1     r= 5 len= 0 buf=\"\" tail=##############\n"
// STDOUT: "size 0     r=5 buf[0]=#\n"
// STDOUT: "NULL,0     r=13\n"
// STDOUT: "exact fit  r= 5 len= 5 buf=\"00042\" tail=#########\n"
// STDOUT: "one short  r= 5 len= 4 buf=\"0004\" tail=##########\n"
// STDOUT: "%n trunc   r= 9 len= 3 buf=\"abc\" tail=###########\n"
// STDOUT: "           n=6\n"
// STDOUT: "vsnprintf  r=16 len= 9 buf=\"abcdef|AB\" tail=#####\n"
// STDOUT: "sprintf    r=11 \"load= 99.4%\"\n"
// STDOUT: "embedded NUL r=3 strlen=1 97 0 98\n"
// STDOUT: "empty      r=0 \"\"\n"
// STDOUT: "float trunc r=12 \"1.\"\n"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void show(const char *what, int r, const char *buf, size_t size) {
    printf("%-10s r=%2d len=%2zu buf=\"%s\"", what, r, strlen(buf), buf);
    printf(" tail=");
    for (size_t i = strlen(buf) + 1; i + 1 < size; i++)
        putchar(buf[i]);
    putchar('\n');
}

static int wrap(char *buf, size_t size, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int r = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return r;
}

int main(int argc, char **argv) {
    (void)argc; (void)argv;
    char buf[16];
    memset(buf, '#', sizeof buf);
    buf[15] = 0;
    int r = snprintf(buf, 8, "%s", "hello, world");
    show("size 8", r, buf, 16);

    memset(buf, '#', sizeof buf);
    buf[15] = 0;
    r = snprintf(buf, 1, "%d", 12345);
    show("size 1", r, buf, 16);

    memset(buf, '#', sizeof buf);
    buf[15] = 0;
    r = snprintf(buf, 0, "%d", 12345);
    printf("size 0     r=%d buf[0]=%c\n", r, buf[0]);
    r = snprintf(NULL, 0, "%s-%d-%.3f", "abc", -77, 2.5);
    printf("NULL,0     r=%d\n", r);

    memset(buf, '#', sizeof buf);
    buf[15] = 0;
    r = snprintf(buf, 6, "%05d", 42);
    show("exact fit", r, buf, 16);
    memset(buf, '#', sizeof buf);
    buf[15] = 0;
    r = snprintf(buf, 5, "%05d", 42);
    show("one short", r, buf, 16);

    memset(buf, '#', sizeof buf);
    buf[15] = 0;
    int n = -1;
    r = snprintf(buf, 4, "abcdef%nghi", &n);
    show("%n trunc", r, buf, 16);
    printf("           n=%d\n", n);

    memset(buf, '#', sizeof buf);
    buf[15] = 0;
    r = wrap(buf, 10, "%x|%X|%o", 0xabcdefu, 0xabcdefu, 8u);
    show("vsnprintf", r, buf, 16);

    char big[64];
    r = sprintf(big, "%s=%5.1f%%", "load", 99.44);
    printf("sprintf    r=%d \"%s\"\n", r, big);
    r = snprintf(big, sizeof big, "%c%c%c", 'a', 0, 'b');
    printf("embedded NUL r=%d strlen=%zu %d %d %d\n", r, strlen(big), big[0], big[1], big[2]);
    r = snprintf(big, sizeof big, "%.0s%s", "hidden", "");
    printf("empty      r=%d \"%s\"\n", r, big);
    r = snprintf(big, 3, "%e", 1.0);
    printf("float trunc r=%d \"%s\"\n", r, big);
    return 0;
}
