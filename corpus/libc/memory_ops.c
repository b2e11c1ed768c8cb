// rig: memmove with overlap in both directions and at every offset against a reference, memcpy, memset (value converted to unsigned char), memcmp's sign (bytes compared as unsigned char), memchr, zero lengths
// RUNTIME: musl
// STATUS: 0
// STDOUT: "memmove forward        \"01230123456789ef\"\n"
// STDOUT: "memmove backward       \"456789abcdabcdef\"\n"
// STDOUT: "memmove by one         \"00123456789abcde\"\n"
// STDOUT: "memmove onto itself    \"0123456789abcdef\"\n"
// STDOUT: "memmove sweep: 1083 cases, 0 bad\n"
// STDOUT: "memcpy                 \"xxHELLOxxxxxxxxx\"\n"
// STDOUT: "memcpy returns dest: 1\n"
// STDOUT: "memset 0x141           \"AAAALLOxxxxxxxxx\"\n"
// STDOUT: "memset returns dest: 1, byte 65\n"
// STDOUT: "memset 0               \"________________\"\n"
// STDOUT: "memcmp: -1 1 0 1 -1 0\n"
// STDOUT: "memchr 'n' at 2, 'h' beyond the NUL at 16, 'z' absent, 0 at 15\n"
// STDOUT: "memchr of 200 as int -56: 1\n"

#include <stdio.h>
#include <string.h>

static void show(const char *what, const char *buf, size_t n) {
    printf("%-22s \"", what);
    for (size_t i = 0; i < n; i++)
        putchar(buf[i] ? buf[i] : '_');
    printf("\"\n");
}

static int sign(int v) { return (v > 0) - (v < 0); }

int main(int argc, char **argv) {
    (void)argc; (void)argv;
    char buf[32];
    strcpy(buf, "0123456789abcdef");
    memmove(buf + 4, buf, 10);
    show("memmove forward", buf, 16);
    strcpy(buf, "0123456789abcdef");
    memmove(buf, buf + 4, 10);
    show("memmove backward", buf, 16);
    strcpy(buf, "0123456789abcdef");
    memmove(buf + 1, buf, 15);
    show("memmove by one", buf, 16);
    strcpy(buf, "0123456789abcdef");
    memmove(buf, buf, 16);
    memmove(buf + 3, buf + 3, 0);
    show("memmove onto itself", buf, 16);

    /* every (source, destination, length) inside a 64-byte buffer against a byte-by-byte reference */
    unsigned char a[64], ref[64], tmp[64];
    int bad = 0, cases = 0;
    for (int src = 0; src < 64; src += 3)
        for (int dst = 0; dst < 64; dst += 5)
            for (int len = 0; len + (src > dst ? src : dst) <= 64; len += 7) {
                for (int i = 0; i < 64; i++)
                    a[i] = ref[i] = (unsigned char)(i * 37 + 11);
                for (int i = 0; i < len; i++)
                    tmp[i] = ref[src + i];
                for (int i = 0; i < len; i++)
                    ref[dst + i] = tmp[i];
                memmove(a + dst, a + src, (size_t)len);
                bad += memcmp(a, ref, 64) != 0;
                cases++;
            }
    printf("memmove sweep: %d cases, %d bad\n", cases, bad);

    char dst[16];
    memset(dst, 'x', sizeof dst);
    void *r = memcpy(dst + 2, "HELLO", 5);
    show("memcpy", dst, 16);
    printf("memcpy returns dest: %d\n", r == dst + 2);
    r = memset(dst, 0x141, 4);
    show("memset 0x141", dst, 16);
    printf("memset returns dest: %d, byte %d\n", r == dst, dst[0]);
    memset(dst, 0, sizeof dst);
    show("memset 0", dst, 16);

    unsigned char hi[] = {0x80, 1}, lo[] = {0x7f, 1};
    printf("memcmp: %d %d %d %d %d %d\n", sign(memcmp("abc", "abd", 3)), sign(memcmp("abd", "abc", 3)),
           sign(memcmp("abc", "abd", 2)), sign(memcmp(hi, lo, 2)), sign(memcmp(lo, hi, 2)), memcmp("x", "y", 0));
    const char *text = "find the needle\0hidden";
    const char *p = memchr(text, 'n', 16);
    printf("memchr 'n' at %d, 'h' beyond the NUL at %d, 'z' %s, 0 at %d\n", (int)(p - text),
           (int)((const char *)memchr(text + 16, 'h', 6) - text), memchr(text, 'z', 22) ? "found" : "absent",
           (int)((const char *)memchr(text, 0, 22) - text));
    unsigned char bytes[] = {1, 200, 3};
    printf("memchr of 200 as int -56: %d\n", memchr(bytes, -56, 3) == bytes + 1);
    return 0;
}
