// rig: abort(): status 134 (128 + SIGABRT); stdout written before an explicit fflush appears, stdout still in stdio's buffer is lost (abort flushes nothing, and stdout is fully buffered when it is not a terminal), unbuffered stderr appears, atexit handlers do not run
// RUNTIME: musl
// STATUS: 134
// STDOUT: "flushed before abort\n"
// STDERR: "stderr is unbuffered: about to abort\n"

#include <stdio.h>
#include <stdlib.h>

static void handler(void) { printf("atexit handler ran\n"); fflush(stdout); }

int main(int argc, char **argv) {
    (void)argc; (void)argv;
    atexit(handler);
    printf("flushed before abort\n");
    fflush(stdout);
    fprintf(stderr, "stderr is unbuffered: about to abort\n");
    printf("still buffered when abort is called: lost\n");
    abort();
}
