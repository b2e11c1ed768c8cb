// rig: errno: zero at start, set by strtoll overflow (ERANGE) and fopen of a missing file (ENOENT), kept by successful calls that may set it, settable by the program; strerror and perror texts are musl's (glibc's texts for ERANGE, EDOM and 0 differ)
// RUNTIME: musl
// STATUS: 0
// STDOUT: "errno at start: 0\n"
// STDOUT: "strtoll overflow: errno == ERANGE: 1\n"
// STDOUT: "after a successful strtoll errno is still ERANGE: 1\n"
// STDOUT: "fopen(\"no/such/file.txt\"): NULL 1, errno == ENOENT: 1\n"
// STDOUT: "ENOENT: No such file or directory\n"
// STDOUT: "ERANGE: Result not representable\n"
// STDOUT: "EDOM: Domain error\n"
// STDOUT: "EINVAL: Invalid argument\n"
// STDOUT: "0: No error information\n"
// STDOUT: "distinct codes: 1\n"
// STDERR: "open data: No such file or directory\n"
// STDERR: "No such file or directory\n"
// STDOUT: "errno set by hand: 1234\n"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
    (void)argc; (void)argv;
    printf("errno at start: %d\n", errno);
    errno = 0;
    strtoll("123456789012345678901", NULL, 10);
    printf("strtoll overflow: errno == ERANGE: %d\n", errno == ERANGE);
    strtoll("5", NULL, 10);
    printf("after a successful strtoll errno is still ERANGE: %d\n", errno == ERANGE);
    errno = 0;
    FILE *f = fopen("no/such/file.txt", "r");
    int e = errno;
    printf("fopen(\"no/such/file.txt\"): NULL %d, errno == ENOENT: %d\n", f == NULL, e == ENOENT);
    printf("ENOENT: %s\n", strerror(ENOENT));
    printf("ERANGE: %s\n", strerror(ERANGE));
    printf("EDOM: %s\n", strerror(EDOM));
    printf("EINVAL: %s\n", strerror(EINVAL));
    printf("0: %s\n", strerror(0));
    printf("distinct codes: %d\n", ENOENT != ERANGE && ERANGE != EDOM && EDOM != EINVAL && EINVAL != ENOENT);
    fflush(stdout);
    errno = ENOENT;
    perror("open data");
    errno = ENOENT;
    perror("");
    errno = 1234;
    printf("errno set by hand: %d\n", errno);
    return 0;
}
