// rig: strtol in bases 0, 2, 10, 16 and 36 with end pointers, signs and leading spaces, atoi, abs/labs/llabs, and the arguments summed with strtol(..., 0)
// ARGS: 12 -7 0x10 010 " +3"
// STATUS: 0
// STDOUT: "strtol(\"  -42xyz\", 10) = -42, rest \"xyz\"\n"
// STDOUT: "strtol(\"0x1F\", 16) = 31, rest \"\"\n"
// STDOUT: "strtol(\"0x1F\", 0) = 31, rest \"\"\n"
// STDOUT: "strtol(\"0755\", 0) = 493, rest \"\"\n"
// STDOUT: "strtol(\"101102\", 2) = 22, rest \"2\"\n"
// STDOUT: "strtol(\"zz!\", 36) = 1295, rest \"!\"\n"
// STDOUT: "strtol(\"+17 \", 10) = 17, rest \" \"\n"
// STDOUT: "strtol(\"abc\", 10) = 0, rest \"abc\"\n"
// STDOUT: "strtol(\"  12 34\", 10) = 12, rest \" 34\"\n"
// STDOUT: "strtol(\"-0\", 10) = 0, rest \"\"\n"
// STDOUT: "atoi: -123 0 77\n"
// STDOUT: "abs: 5 7 9000000000\n"
// STDOUT: "sum of 5 arguments = 32\n"

typedef __SIZE_TYPE__ size_t;
int printf(const char *, ...);
long strtol(const char *, char **, int);
int atoi(const char *);
int abs(int);
long labs(long);
long long llabs(long long);

static void show(const char *s, int base) {
    char *end;
    long v = strtol(s, &end, base);
    printf("strtol(\"%s\", %d) = %ld, rest \"%s\"\n", s, base, v, end);
}

int main(int argc, char **argv) {
    show("  -42xyz", 10);
    show("0x1F", 16);
    show("0x1F", 0);
    show("0755", 0);
    show("101102", 2);
    show("zz!", 36);
    show("+17 ", 10);
    show("abc", 10);
    show("  12 34", 10);
    show("-0", 10);
    printf("atoi: %d %d %d\n", atoi("  -123abc"), atoi("x1"), atoi("077"));
    printf("abs: %d %ld %lld\n", abs(-5), labs(-7L), llabs(-9000000000LL));
    long sum = 0;
    for (int i = 1; i < argc; i++)
        sum += strtol(argv[i], 0, 0);
    printf("sum of %d arguments = %ld\n", argc - 1, sum);
    return 0;
}
