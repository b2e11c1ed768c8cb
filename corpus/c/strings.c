// rig: strings (a table of string pointers, copying, reversing, comparing) and printf conversions
// SIG: shout i32(i32)
// SIG: sort_words i32()
// SIG: report i32(i32)
// SIG: count_char i32(i32)
// CALL: shout(0) == -1455009334
// STDOUT: "NOLISPE:7:N\n"
// CALL: shout(2) == 62253118
// STDOUT: "AHPLA:5:A\n"
// CALL: sort_words() == 40
// STDOUT: "alpha,beta,delta,epsilon,eta,gamma,zeta\n"
// CALL: shout(2) == 62606552
// STDOUT: "ATLED:5:A\n"
// CALL: report(37) == 22
// STDOUT: "x=37 u=37 hex=0x25 oct=45 neg=-37 [ab    ] [    cd] %\nbig=37000000259 f=4.625 e=4.57e+04 g=12.3333 c=F\n   37|37   |00037|a r\n"
// CALL: report(-8) == 22
// STDOUT: "x=-8 u=4294967288 hex=0xfffffff8 oct=37777777770 neg=+8 [ab    ] [    cd] %\nbig=-8000000056 f=-1.000 e=-9.88e+03 g=-2.66667 c=I\n   -8|-8   |-0008|a r\n"
// CALL: count_char(97) == 6060
// CALL: count_char(101) == 13060
#include <stddef.h>
#include <stdint.h>

int printf(const char *, ...);
int strcmp(const char *, const char *);

/* Pointers to string literals: data relocations against .rodata.str (merged strings). */
static const char *words[] = { "epsilon", "beta", "alpha", "delta", "gamma", "zeta", "eta" };
#define NWORDS (sizeof words / sizeof words[0])
static char buf[64];
static const char sentence[] = "a relocated text, placed anywhere, reads the same everywhere";

static size_t length(const char *s) {
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

static void reverse(char *s, size_t n) {
    for (size_t i = 0, j = n ? n - 1 : 0; i < j; i++, j--) {
        char t = s[i];
        s[i] = s[j];
        s[j] = t;
    }
}

/* Upper-case copy of words[i], reversed; prints it and returns a checksum of its bytes. */
int32_t shout(int32_t i) {
    const char *w = words[(uint32_t)i % NWORDS];
    size_t n = length(w);
    for (size_t k = 0; k < n; k++)
        buf[k] = (char)(w[k] - 'a' + 'A');
    buf[n] = 0;
    reverse(buf, n);
    printf("%s:%u:%c\n", buf, (unsigned)n, buf[0]);
    int32_t sum = 0;
    for (size_t k = 0; k < n; k++)
        sum = sum * 31 + (unsigned char)buf[k];
    return sum;
}

/* Insertion sort of the pointer table with strcmp (a host function); prints the order. */
int32_t sort_words(void) {
    for (size_t i = 1; i < NWORDS; i++) {
        const char *w = words[i];
        size_t j = i;
        while (j > 0 && strcmp(words[j - 1], w) > 0) {
            words[j] = words[j - 1];
            j--;
        }
        words[j] = w;
    }
    int32_t n = 0;
    for (size_t i = 0; i < NWORDS; i++)
        n += printf(i + 1 < NWORDS ? "%s," : "%s\n", words[i]);
    return n;
}

int32_t report(int32_t x) {
    printf("x=%d u=%u hex=%#x oct=%o neg=%+d [%-6s] [%6s] %%\n", x, (unsigned)x, (unsigned)x, (unsigned)x, -x,
           "ab", "cd");
    printf("big=%lld f=%.3f e=%.2e g=%g c=%c\n", (long long)x * 1000000007LL, x / 8.0, x * 1234.5, x / 3.0,
           'A' + (x & 15));
    return printf("%5d|%-5d|%05d|%.3s\n", x, x, x, sentence);
}

int32_t count_char(int32_t c) {
    int32_t n = 0;
    for (const char *p = sentence; *p; p++)
        n += *p == (char)c;
    return n * 1000 + (int32_t)length(sentence);
}
