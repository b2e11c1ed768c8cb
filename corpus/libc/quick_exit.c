// rig: quick_exit(5) runs at_quick_exit handlers in reverse order but not atexit handlers, and flushes no stdio buffers: a line left in stdout's buffer is lost (the handlers write to unbuffered stderr); _Exit is not reached
// RUNTIME: musl
// STATUS: 5
// STDOUT: "calling quick_exit(5)\n"
// STDERR: "at_quick_exit 2 (registered second, runs first)\n"
// STDERR: "at_quick_exit 1 (registered first, runs last)\n"

#include <stdio.h>
#include <stdlib.h>

static void normal(void) { printf("atexit handler: must not run\n"); fflush(stdout); }
static void q1(void) { fputs("at_quick_exit 1 (registered first, runs last)\n", stderr); }
static void q2(void) { fputs("at_quick_exit 2 (registered second, runs first)\n", stderr); }

int main(int argc, char **argv) {
    (void)argc; (void)argv;
    atexit(normal);
    at_quick_exit(q1);
    at_quick_exit(q2);
    printf("calling quick_exit(5)\n");
    fflush(stdout);
    printf("buffered and never flushed\n");
    quick_exit(5);
    _Exit(9);
}
