// rig: stdio buffering made explicit with setvbuf: stdout line buffered (a write goes out up to its last newline), stderr fully buffered in a 256-byte array (out at fflush(stderr), fflush(NULL), when a write does not fit, and at exit); the order of the writes is stated; the return values of fputs, puts, putchar, fputc, fwrite, printf, fprintf
// RUNTIME: musl
// STATUS: 0
// STDOUT: "out 1: setvbuf returned 0 0\n"
// STDOUT: "out 2: no newline yet, then the newline\n"
// STDERR: "err 1: stderr is fully buffered\n"
// STDOUT: "out 3: a second line in the same printf, and a partial end\n"
// STDOUT: "x\n"
// STDERR: "err 2: pending until fflush(NULL)\n"
// STDOUT: "out 4: fputs\n"
// STDOUT: "out 5: puts adds the newline\n"
// STDOUT: "yabc\n"
// STDOUT: "0123456789\n"
// STDOUT: "returns: putchar 120 10, fputs nonnegative 1, puts nonnegative 1, fputc 121, fwrite 4 2, printf 1\n"
// STDERR: "err 3: short, ==========================================================================================================================================================================================================================================================================================================\n"
// STDOUT: "out 6: after a stderr write too big for its buffer (fprintf returned 14)\n"
// STDERR: "err 4: left in the buffer, written at exit\n"

#include <stdio.h>
#include <string.h>

static char errbuf[256];

int main(int argc, char **argv) {
    (void)argc; (void)argv;
    int r1 = setvbuf(stdout, NULL, _IOLBF, 0);
    int r2 = setvbuf(stderr, errbuf, _IOFBF, sizeof errbuf);
    printf("out 1: setvbuf returned %d %d\n", r1, r2);
    printf("out 2: no newline yet, ");
    fputs("err 1: stderr is fully buffered\n", stderr);
    printf("then the newline\nout 3: a second line in the same printf, and a partial ");
    fflush(stderr);
    printf("end\n");
    int p1 = putchar('x');
    int p2 = putchar('\n');
    fputs("err 2: pending until fflush(NULL)\n", stderr);
    fflush(NULL);
    int f1 = fputs("out 4: fputs\n", stdout);
    int f2 = puts("out 5: puts adds the newline");
    int f3 = fputc('y', stdout);
    size_t w1 = fwrite("abc\n", 1, 4, stdout);
    size_t w2 = fwrite("0123456789", 5, 2, stdout);
    int f4 = printf("\n");
    printf("returns: putchar %d %d, fputs nonnegative %d, puts nonnegative %d, fputc %d, fwrite %zu %zu, printf %d\n",
           p1, p2, f1 >= 0, f2 >= 0, f3, w1, w2, f4);
    int e1 = fprintf(stderr, "err 3: short, ");
    char big[300];
    memset(big, '=', sizeof big - 2);
    big[sizeof big - 2] = '\n';
    big[sizeof big - 1] = 0;
    fputs(big, stderr);
    printf("out 6: after a stderr write too big for its buffer (fprintf returned %d)\n", e1);
    fputs("err 4: left in the buffer, written at exit\n", stderr);
    return 0;
}
