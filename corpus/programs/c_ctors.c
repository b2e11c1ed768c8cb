// rig: C constructor/destructor attributes with priorities (.init_array/.fini_array from the C compiler): constructors ascending, an atexit handler registered in main before the destructors, destructors descending; main returns 4
// STATUS: 4
// STDOUT: "ctor 120\nctor 150\nctor default\nmain: table = 120 150 65535, registering handler\nhandler\ndtor default\ndtor 150\ndtor 120\n"

int printf(const char *, ...);
int puts(const char *);
int atexit(void (*)(void));

static int table[3];
static int filled;

__attribute__((constructor(150))) static void ctor150(void) {
    table[filled++] = 150;
    puts("ctor 150");
}

__attribute__((constructor)) static void ctor_default(void) {
    table[filled++] = 65535;
    puts("ctor default");
}

__attribute__((constructor(120))) static void ctor120(void) {
    table[filled++] = 120;
    puts("ctor 120");
}

__attribute__((destructor(120))) static void dtor120(void) {
    puts("dtor 120");
}

__attribute__((destructor)) static void dtor_default(void) {
    puts("dtor default");
}

__attribute__((destructor(150))) static void dtor150(void) {
    puts("dtor 150");
}

static void handler(void) {
    puts("handler");
}

int main(void) {
    printf("main: table = %d %d %d, registering handler\n", table[0], table[1], table[2]);
    atexit(handler);
    return 4;
}
