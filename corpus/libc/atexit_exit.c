// rig: atexit handlers run in reverse order of registration (one registered twice runs twice) when exit(3) is called from a nested function; output they print is flushed at exit with the rest (one handler flushes stdout before writing to stderr, so the order is the same buffered or not); code after exit never runs; the status is 3
// RUNTIME: musl
// STATUS: 3
// STDOUT: "registering: 0 0 0 0\n"
// STDOUT: "calling exit(3) from depth 5\n"
// STDOUT: "handler second (registered 2nd and 4th) runs #1\n"
// STDOUT: "handler third (registered 3rd) runs #2\n"
// STDERR: "third writes to stderr too\n"
// STDOUT: "handler second (registered 2nd and 4th) runs #3\n"
// STDOUT: "handler first (registered 1st) runs #4\n"

#include <stdio.h>
#include <stdlib.h>

static int order;

static void first(void) { printf("handler first (registered 1st) runs #%d\n", ++order); }
static void second(void) { printf("handler second (registered 2nd and 4th) runs #%d\n", ++order); }
static void third(void) {
    printf("handler third (registered 3rd) runs #%d\n", ++order);
    fflush(stdout);
    fprintf(stderr, "third writes to stderr too\n");
}

static void leave(int depth) {
    if (depth == 0) {
        printf("calling exit(3) from depth 5\n");
        exit(3);
    }
    leave(depth - 1);
    printf("never printed\n");
}

int main(int argc, char **argv) {
    (void)argc; (void)argv;
    printf("registering: %d", atexit(first));
    printf(" %d", atexit(second));
    printf(" %d", atexit(third));
    printf(" %d\n", atexit(second));
    fflush(stdout);
    leave(5);
    printf("never printed either\n");
    return 0;
}
