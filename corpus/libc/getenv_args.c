// rig: main's argc/argv (argv[0] is the program's file name, an empty argument, spaces and quotes kept, argv[argc] NULL) and the environment exactly as the ENV line states: getenv of set, empty, missing and prefix names, environ (sorted: qemu-user reverses its order), a numeric variable through strtol
// RUNTIME: musl
// ARGS: first "second arg" "" 'quoted "x"' -n=5
// ENV: HOME=/home/rig "GREETING=hello world" EMPTY= RIG_COUNT=42 PATHLIKE=/a:/b:/c
// STATUS: 0
// STDOUT: "argc 6\n"
// STDOUT: "argv[0] = \"getenv_args.c\"\n"
// STDOUT: "argv[1] = \"first\"\n"
// STDOUT: "argv[2] = \"second arg\"\n"
// STDOUT: "argv[3] = \"\"\n"
// STDOUT: "argv[4] = \"quoted \"x\"\"\n"
// STDOUT: "argv[5] = \"-n=5\"\n"
// STDOUT: "argv[argc] is NULL: 1\n"
// STDOUT: "getenv(\"HOME\") = \"/home/rig\" (9)\n"
// STDOUT: "getenv(\"GREETING\") = \"hello world\" (11)\n"
// STDOUT: "getenv(\"EMPTY\") = \"\" (0)\n"
// STDOUT: "getenv(\"MISSING\") = NULL\n"
// STDOUT: "getenv(\"HOM\") = NULL\n"
// STDOUT: "getenv(\"HOME=\") = NULL\n"
// STDOUT: "getenv(\"RIG_COUNT\") = \"42\" (2)\n"
// STDOUT: "RIG_COUNT + 1 = 43, rest \"\"\n"
// STDOUT: "environ sorted 0: \"EMPTY=\"\n"
// STDOUT: "environ sorted 1: \"GREETING=hello world\"\n"
// STDOUT: "environ sorted 2: \"HOME=/home/rig\"\n"
// STDOUT: "environ sorted 3: \"PATHLIKE=/a:/b:/c\"\n"
// STDOUT: "environ sorted 4: \"RIG_COUNT=42\"\n"
// STDOUT: "5 variables\n"
// STDOUT: "PATHLIKE has 3 parts\n"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;

static void show(const char *name) {
    const char *v = getenv(name);
    if (v)
        printf("getenv(\"%s\") = \"%s\" (%zu)\n", name, v, strlen(v));
    else
        printf("getenv(\"%s\") = NULL\n", name);
}

static int by_text(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int main(int argc, char **argv) {
    printf("argc %d\n", argc);
    for (int i = 0; i < argc; i++)
        printf("argv[%d] = \"%s\"\n", i, argv[i]);
    printf("argv[argc] is NULL: %d\n", argv[argc] == NULL);
    show("HOME");
    show("GREETING");
    show("EMPTY");
    show("MISSING");
    show("HOM");
    show("HOME=");
    show("RIG_COUNT");
    const char *count_text = getenv("RIG_COUNT"), *pathlike = getenv("PATHLIKE");
    if (!count_text || !pathlike)
        return 2;
    char *end;
    long n = strtol(count_text, &end, 10);
    printf("RIG_COUNT + 1 = %ld, rest \"%s\"\n", n + 1, end);
    /* environ's order is not the ENV line's under every loader (qemu-user reverses it): sorted */
    size_t count = 0;
    while (environ[count])
        count++;
    char **sorted = malloc((count + 1) * sizeof *sorted);
    memcpy(sorted, environ, (count + 1) * sizeof *sorted);
    qsort(sorted, count, sizeof *sorted, by_text);
    for (size_t i = 0; i < count; i++)
        printf("environ sorted %zu: \"%s\"\n", i, sorted[i]);
    printf("%zu variables\n", count);
    free(sorted);
    char copy[32];
    strcpy(copy, pathlike);
    int parts = 0;
    for (char *p = strtok(copy, ":"); p; p = strtok(NULL, ":"))
        parts++;
    printf("PATHLIKE has %d parts\n", parts);
    return argc == 6 ? 0 : 1;
}
