// rig: C stdio on both streams: fwrite (and its item count), fputs, fprintf, fputc, putc, putchar, puts, fflush between stdout and stderr writes, fprintf(stdout, ...), a status from the number of bytes written
// ARGS: one two
// STATUS: 23
// STDOUT: "fwrite wrote 2 items\n"
// STDERR: "to stderr via fwrite\n"
// STDOUT: "argv[1]=one argv[2]=two\n"
// STDERR: "err: 2 arguments, 7 bytes\n"
// STDOUT: "xyz\n"
// STDERR: "!?\n"
// STDOUT: "puts adds a newline\nfprintf(stdout): 3.50\n"

typedef __SIZE_TYPE__ size_t;
typedef struct FILE FILE;
extern FILE *stdout, *stderr;
int printf(const char *, ...);
int fprintf(FILE *, const char *, ...);
size_t fwrite(const void *, size_t, size_t, FILE *);
int fputs(const char *, FILE *);
int fputc(int, FILE *);
int putc(int, FILE *);
int putchar(int);
int puts(const char *);
int fflush(FILE *);
size_t strlen(const char *);

int main(int argc, char **argv) {
    size_t items = fwrite("fwrite wrote", 6, 2, stdout);
    printf(" %zu items\n", items);
    fflush(stdout);
    const char *msg = "to stderr via fwrite\n";
    fwrite(msg, 1, strlen(msg), stderr);
    int total = 0;
    for (int i = 1; i < argc; i++)
        total += printf("%sargv[%d]=%s", i > 1 ? " " : "", i, argv[i]);
    putchar('\n');
    fflush(stdout);
    fprintf(stderr, "err: %d arguments, %zu bytes\n", argc - 1, strlen(argv[1]) + strlen(argv[2]) + 1);
    putchar('x');
    fputc('y', stdout);
    putc('z', stdout);
    putchar('\n');
    fflush(stdout);
    fputc('!', stderr);
    putc('?', stderr);
    fputs("\n", stderr);
    puts("puts adds a newline");
    fprintf(stdout, "fprintf(stdout): %.2f\n", 3.5);
    return total;      /* printf's counts: 11 + 12 */
}
