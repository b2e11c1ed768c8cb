// rig: returning from main is exit(main's value): the system keeps the low 8 bits (return 300 gives status 44); the atexit handler runs and buffered output is flushed after main returns
// RUNTIME: musl
// STATUS: 44
// STDOUT: "main returns 300\n"
// STDOUT: "bye from atexit, after main returned\n"

#include <stdio.h>
#include <stdlib.h>

static void bye(void) { printf("bye from atexit, after main returned\n"); }

int main(int argc, char **argv) {
    (void)argc; (void)argv;
    atexit(bye);
    printf("main returns 300\n");
    return 300;
}
