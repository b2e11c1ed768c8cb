// rig: _Exit(3) from C: output flushed before it is kept, atexit handlers and destructors (C attributes) do not run, the code after it is unreachable
// STATUS: 3
// STDOUT: "constructed\nmain: leaving with _Exit(3)\n"
// STDERR: "on stderr\n"

typedef struct FILE FILE;
extern FILE *stdout, *stderr;
int printf(const char *, ...);
int fputs(const char *, FILE *);
int fflush(FILE *);
int puts(const char *);
int atexit(void (*)(void));
void _Exit(int);

__attribute__((constructor)) static void ctor(void) {
    puts("constructed");
}

__attribute__((destructor)) static void dtor(void) {
    puts("destructor ran (wrong)");
}

static void handler(void) {
    puts("handler ran (wrong)");
}

static volatile int code = 3;

int main(void) {
    atexit(handler);
    printf("main: leaving with _Exit(%d)\n", code);
    fflush(stdout);           /* _Exit flushes nothing */
    fputs("on stderr\n", stderr);
    _Exit(code);
    puts("after _Exit (wrong)");
    return 0;
}
