// rig: setjmp/longjmp (setjmp only where C allows it: a controlling expression): setjmp returns 0 then the longjmp value, longjmp(env, 0) makes setjmp return 1, volatile locals keep their last stored values, unwinding out of 1000 frames of recursion, nested jump buffers, a buffer reused in a loop, an array of buffers
// RUNTIME: musl
// STATUS: 0
// STDOUT: "setjmp returned 0, counter 0\n"
// STDOUT: "setjmp returned 42, counter 10\n"
// STDOUT: "setjmp returned 1 after longjmp(env, 0), counter 20\n"
// STDOUT: "after: counter 20 rounds 1\n"
// STDOUT: "from recursion: depth 1000\n"
// STDOUT: "loop: loops 5 acc 121.5\n"
// STDOUT: "  level2: inner set, jumping to outer\n"
// STDOUT: "outer got control back\n"
// STDOUT: "landed in slot 2\n"
// STDOUT: "landed in slot 1\n"
// STDOUT: "landed in slot 0\n"
// STDOUT: "done: landed 3 counter 20\n"

#include <setjmp.h>
#include <stdio.h>

static jmp_buf env, outer, inner;
static int depth_reached;
static volatile int got, landed, i;
static jmp_buf slots[3];

static void land(int k) {
    landed++;
    printf("landed in slot %d\n", k);
    if (k > 0)
        longjmp(slots[k - 1], k);
}

static void recurse(int depth) {
    depth_reached = depth;
    if (depth == 1000)
        longjmp(env, depth);
    recurse(depth + 1);
    printf("never printed\n");
}

static void thrower(int v) {
    got = v;
    longjmp(env, v);
}

static void level2(void) {
    if (setjmp(inner) == 0) {
        printf("  level2: inner set, jumping to outer\n");
        longjmp(outer, 7);
    }
    printf("  never: inner resumed\n");
}

int main(int argc, char **argv) {
    (void)argc; (void)argv;
    volatile int counter = 0, rounds = 0;
    switch (setjmp(env)) {
    case 0:
        printf("setjmp returned 0, counter %d\n", counter);
        counter = 10;
        thrower(42);
        break;
    case 42:
        printf("setjmp returned 42, counter %d\n", counter);
        counter = 20;
        thrower(0);
        break;
    case 1:
        printf("setjmp returned 1 after longjmp(env, %d), counter %d\n", got, counter);
        break;
    default:
        printf("unexpected\n");
    }
    rounds++;
    printf("after: counter %d rounds %d\n", counter, rounds);

    if (setjmp(env) == 0)
        recurse(0);
    else
        printf("from recursion: depth %d\n", depth_reached);

    volatile int loops = 0;
    volatile double acc = 0.5;
    if (setjmp(env) < 5) {
        loops++;
        acc *= 3;
        longjmp(env, loops);
    }
    printf("loop: loops %d acc %g\n", loops, acc);

    if (!setjmp(outer))
        level2();
    else
        printf("outer got control back\n");

    for (i = 0; i < 3; i++) {
        switch (setjmp(slots[i])) {
        case 0:
            break;
        case 1:
            land(0);
            goto out;
        case 2:
            land(1);
            break;
        case 3:
            land(2);
            break;
        }
    }
    if (landed == 0)
        longjmp(slots[2], 3);
out:
    printf("done: landed %d counter %d\n", landed, counter);
    return 0;
}
