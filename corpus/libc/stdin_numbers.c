// rig: reading stdin: a title line with fgets, a line character by character with getchar (ungetc of one), then a scanf("%d") loop summing numbers, skipping a word that is no number (scanf returns 0, %*s), until EOF (feof set, getchar returns EOF afterwards)
// RUNTIME: musl
// STDIN: "Totals for March\n"
// STDIN: "abc de\n"
// STDIN: "10 20 -5\n"
// STDIN: "  7\n"
// STDIN: "oops 100\n"
// STDIN: "+3 0x10 2000000000\n"
// STATUS: 0
// STDOUT: "title (17 bytes, newline kept 1): Totals for March\n"
// STDOUT: "first char 'a', pushed back: 1\n"
// STDOUT: "second line: 6 chars, 1 spaces\n"
// STDOUT: "  read 10, running sum 10\n"
// STDOUT: "  read 20, running sum 30\n"
// STDOUT: "  read -5, running sum 25\n"
// STDOUT: "  read 7, running sum 32\n"
// STDOUT: "  read 100, running sum 132\n"
// STDOUT: "  read 3, running sum 135\n"
// STDOUT: "  read 0, running sum 135\n"
// STDOUT: "  read 2000000000, running sum 2000000135\n"
// STDOUT: "8 numbers, 2 skipped, sum 2000000135\n"
// STDOUT: "feof 1 ferror 0, getchar after EOF -1\n"

#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
    (void)argc; (void)argv;
    char title[64];
    if (!fgets(title, sizeof title, stdin))
        return 1;
    size_t len = strlen(title);
    printf("title (%zu bytes, newline kept %d): %.*s\n", len, title[len - 1] == '\n', (int)len - 1, title);
    int c, chars = 0, spaces = 0;
    c = getchar();
    printf("first char '%c', pushed back: %d\n", c, ungetc(c, stdin) == c);
    while ((c = getchar()) != EOF && c != '\n') {
        chars++;
        spaces += c == ' ';
    }
    printf("second line: %d chars, %d spaces\n", chars, spaces);
    long long sum = 0;
    int count = 0, skipped = 0, r;
    int v;
    while ((r = scanf("%d", &v)) != EOF) {
        if (r == 0) {
            scanf("%*s");
            skipped++;
            continue;
        }
        sum += v;
        count++;
        printf("  read %d, running sum %lld\n", v, sum);
    }
    printf("%d numbers, %d skipped, sum %lld\n", count, skipped, sum);
    int eof = feof(stdin) != 0, err = ferror(stdin) != 0;
    c = getchar();
    printf("feof %d ferror %d, getchar after EOF %d\n", eof, err, c);
    return 0;
}
