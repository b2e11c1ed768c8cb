// rig: string and heap functions on the arguments: a realloc-grown buffer joining argv with strcat, calloc'd reversed copies with memmove/strncpy, strchr/strrchr/strncmp/memcmp/strnlen, memset; everything freed
// ARGS: red green blue "light gray" violet
// STATUS: 0
// STDOUT: "joined: red+green+blue+light gray+violet (32 bytes, buffer grew 3 times)\n"
// STDOUT: "reversed: der neerg eulb yarg thgil teloiv\n"
// STDOUT: "first 'e' at 2 in green, last 'e' at 3, no 'z': 1\n"
// STDOUT: "strncmp(green, gray, 2) = 0, memcmp sign = 1, strnlen = 4\n"
// STDOUT: "prefix: <ligh> memset: <#####.....>\n"

typedef __SIZE_TYPE__ size_t;
int printf(const char *, ...);
void *malloc(size_t);
void *calloc(size_t, size_t);
void *realloc(void *, size_t);
void free(void *);
size_t strlen(const char *);
size_t strnlen(const char *, size_t);
char *strcat(char *, const char *);
char *strcpy(char *, const char *);
char *strncpy(char *, const char *, size_t);
char *strchr(const char *, int);
char *strrchr(const char *, int);
int strncmp(const char *, const char *, size_t);
int memcmp(const void *, const void *, size_t);
void *memmove(void *, const void *, size_t);
void *memset(void *, int, size_t);

int main(int argc, char **argv) {
    size_t cap = 8, grew = 0;
    char *buf = malloc(cap);
    buf[0] = 0;
    for (int i = 1; i < argc; i++) {
        size_t need = strlen(buf) + strlen(argv[i]) + 2;
        if (need > cap) {
            while (cap < need)
                cap *= 2;
            buf = realloc(buf, cap);
            grew++;
        }
        if (i > 1)
            strcat(buf, "+");
        strcat(buf, argv[i]);
    }
    printf("joined: %s (%zu bytes, buffer grew %zu times)\n", buf, strlen(buf), grew);

    printf("reversed:");
    for (int i = 1; i < argc; i++) {
        size_t n = strlen(argv[i]);
        char *r = calloc(n + 1, 1);
        strncpy(r, argv[i], n);
        for (size_t a = 0, b = n ? n - 1 : 0; a < b; a++, b--) {
            char t = r[a];
            memmove(r + a, r + b, 1);
            r[b] = t;
        }
        printf(" %s", r);
        free(r);
    }
    printf("\n");

    const char *g = argv[2];
    printf("first 'e' at %d in %s, last 'e' at %d, no 'z': %d\n", (int)(strchr(g, 'e') - g), g,
           (int)(strrchr(g, 'e') - g), strchr(g, 'z') == 0);
    int m = memcmp("green", "gray", 3);
    printf("strncmp(green, gray, 2) = %d, memcmp sign = %d, strnlen = %zu\n", strncmp(g, "gray", 2),
           (m > 0) - (m < 0), strnlen("blue", 10));

    char prefix[8];
    strncpy(prefix, argv[4], 4);
    prefix[4] = 0;
    char pad[11];
    memset(pad, '.', 10);
    memset(pad, '#', 5);
    pad[10] = 0;
    printf("prefix: <%s> memset: <%s>\n", prefix, pad);
    free(buf);
    return 0;
}
