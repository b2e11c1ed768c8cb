// rig: <string.h>: strlen, strcpy/strncpy (padding with NULs, no terminator when the source is long), strcat/strncat, strcmp/strncmp signs (unsigned char), strchr/strrchr (also for the NUL), strstr (empty needle), strspn/strcspn/strpbrk, strtok with changing delimiters, strcoll in the C locale, strxfrm
// RUNTIME: musl
// STATUS: 0
// STDOUT: "strlen: 0 3 2\n"
// STDOUT: "strncpy pad      \"abc_____##\"\n"
// STDOUT: "strncpy cut      \"abcde#####\"\n"
// STDOUT: "strcpy           \"xy_##\"\n"
// STDOUT: "strcpy returns dest: 1\n"
// STDOUT: "strcat/strncat   \"xyzw123_#\"\n"
// STDOUT: "strcmp: -1 0 -1 1 -1\n"
// STDOUT: "strncmp: 0 -1 0\n"
// STDOUT: "strchr: 4 8 12 NULL\n"
// STDOUT: "strrchr of NUL: 12\n"
// STDOUT: "strstr: 7 0 NULL 1\n"
// STDOUT: "strspn: 3 0 0 strcspn: 5 3 2\n"
// STDOUT: "strpbrk: =value;x NULL\n"
// STDOUT: "tok0=<alpha> tok1=<beta> tok2=<gamma> tok3=<delta>\n"
// STDOUT: "strtok nested: <usr> <local> <bin>\n"
// STDOUT: "strtok only delimiters: NULL\n"
// STDOUT: "strcoll (C locale): -1 -1\n"
// STDOUT: "strxfrm: 5 <hello> 6\n"
// STDOUT: "strcmp upper before lower: -1\n"

#include <stdio.h>
#include <string.h>

static int sign(int v) { return (v > 0) - (v < 0); }

static void show(const char *what, const char *buf, size_t n) {
    printf("%-16s \"", what);
    for (size_t i = 0; i < n; i++)
        putchar(buf[i] ? buf[i] : '_');
    printf("\"\n");
}

int main(int argc, char **argv) {
    (void)argc; (void)argv;
    printf("strlen: %zu %zu %zu\n", strlen(""), strlen("abc"), strlen("ab\0cd"));
    char buf[16];
    memset(buf, '#', sizeof buf);
    strncpy(buf, "abc", 8);
    show("strncpy pad", buf, 10);
    memset(buf, '#', sizeof buf);
    strncpy(buf, "abcdefgh", 5);
    show("strncpy cut", buf, 10);
    memset(buf, '#', sizeof buf);
    char *r = strcpy(buf, "xy");
    show("strcpy", buf, 5);
    printf("strcpy returns dest: %d\n", r == buf);
    strcat(buf, "zw");
    strncat(buf, "12345", 3);
    strncat(buf, "", 3);
    show("strcat/strncat", buf, 9);

    printf("strcmp: %d %d %d %d %d\n", sign(strcmp("abc", "abd")), sign(strcmp("abc", "abc")),
           sign(strcmp("ab", "abc")), sign(strcmp("\x80", "\x7f")), sign(strcmp("", "a")));
    printf("strncmp: %d %d %d\n", sign(strncmp("abcX", "abcY", 3)), sign(strncmp("abcX", "abcY", 4)),
           sign(strncmp("a", "b", 0)));
    const char *s = "hello, world";
    printf("strchr: %d %d %d %s\n", (int)(strchr(s, 'o') - s), (int)(strrchr(s, 'o') - s), (int)(strchr(s, 0) - s),
           strchr(s, 'z') ? "found" : "NULL");
    printf("strrchr of NUL: %d\n", (int)(strrchr(s, 0) - s));
    printf("strstr: %d %d %s %d\n", (int)(strstr(s, "world") - s), (int)(strstr(s, "") - s),
           strstr(s, "worlds") ? "found" : "NULL", (int)(strstr("aaab", "aab") - "aaab" + 0));
    printf("strspn: %zu %zu %zu strcspn: %zu %zu %zu\n", strspn("123abc", "0123456789"), strspn("abc", ""),
           strspn("", "abc"), strcspn("hello, world", ",;"), strcspn("abc", ""), strcspn("abc", "c"));
    printf("strpbrk: %s %s\n", strpbrk("key=value;x", "=;"), strpbrk("abc", "xyz") ? "found" : "NULL");

    char line[] = "  alpha, beta;;gamma ,delta  ";
    int n = 0;
    for (char *tok = strtok(line, " ,;"); tok; tok = strtok(NULL, " ,;"))
        printf("%stok%d=<%s>", n ? " " : "", n, tok), n++;
    printf("\n");
    char path[] = "/usr//local/bin:/opt/x";
    char *first = strtok(path, ":");
    char *seg = strtok(first, "/");
    printf("strtok nested: <%s>", seg);
    while ((seg = strtok(NULL, "/")))
        printf(" <%s>", seg);
    printf("\n");
    char empty[] = ";;;";
    printf("strtok only delimiters: %s\n", strtok(empty, ";") ? "token" : "NULL");

    printf("strcoll (C locale): %d %d\n", sign(strcoll("abc", "abd")), sign(strcoll("B", "a")));
    char x[16];
    size_t len = strxfrm(x, "hello", sizeof x);
    printf("strxfrm: %zu <%s> %zu\n", len, x, strxfrm(NULL, "abcdef", 0));
    printf("strcmp upper before lower: %d\n", sign(strcmp("Zebra", "apple")));
    return 0;
}
