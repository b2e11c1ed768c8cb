// rig: thread-local storage in the main thread: initialised and zero-initialised __thread / _Thread_local variables (int, int64_t, an array, a struct, a TLS pointer initialised to a global's address, one set to a TLS variable's), a function-local static __thread, addresses taken and written through, the address stable across calls and distinct per variable
// RUNTIME: musl
// STATUS: 0
// STDOUT: "initial: counter 42 zeroed 0 big 0x123456789abcdef0 table 1 2 3 0 rec tls 2.50 hidden 0\n"
// STDOUT: "bump: 43 53 50\n"
// STDOUT: "TLS pointer to a global: 5, self_ptr starts NULL: 1\n"
// STDOUT: "address stable: 1, matches &counter: 1, self_ptr: 1\n"
// STDOUT: "through pointers: counter 1001 zeroed 7 table[5] 55\n"
// STDOUT: "big -1311768467463790336, hidden 1\n"
// STDOUT: "function-local static __thread: 105\n"
// STDOUT: "distinct addresses: 1, int64 aligned: 1\n"
// STDOUT: "table sum 344, plain 6\n"

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>

__thread int counter = 42;
__thread int zeroed;
_Thread_local int64_t big = INT64_C(0x123456789abcdef0);
__thread int table[8] = {1, 2, 3};
__thread struct { char tag[6]; double weight; } rec = {"tls", 2.5};
static __thread unsigned hidden;
int plain = 5;
__thread int *to_plain = &plain;
__thread int *self_ptr;

__attribute__((noinline)) static int bump(int by) {
    counter += by;
    return counter;
}

__attribute__((noinline)) static int *counter_address(void) { return &counter; }

__attribute__((noinline)) static void add_through(int *p, int v) { *p += v; }

__attribute__((noinline)) static unsigned calls(void) {
    static __thread unsigned n = 100;
    return ++n;
}

int main(int argc, char **argv) {
    (void)argc; (void)argv;
    printf("initial: counter %d zeroed %d big %#" PRIx64 " table %d %d %d %d rec %s %.2f hidden %u\n", counter,
           zeroed, big, table[0], table[1], table[2], table[7], rec.tag, rec.weight, hidden);
    int b1 = bump(1);
    int b2 = bump(10);
    int b3 = bump(-3);
    printf("bump: %d %d %d\n", b1, b2, b3);
    printf("TLS pointer to a global: %d, self_ptr starts NULL: %d\n", *to_plain, self_ptr == NULL);
    *to_plain += 1;
    self_ptr = &counter;
    int *p = counter_address();
    printf("address stable: %d, matches &counter: %d, self_ptr: %d\n", p == counter_address(), p == &counter,
           self_ptr == &counter);
    *p = 1000;
    add_through(&zeroed, 7);
    add_through(self_ptr, 1);
    add_through(&table[5], 55);
    printf("through pointers: counter %d zeroed %d table[5] %d\n", counter, zeroed, table[5]);
    big += 0x10;
    big = -big;
    hidden = (unsigned)-1;
    hidden += 2;
    printf("big %" PRId64 ", hidden %u\n", big, hidden);
    unsigned last = 0;
    for (int i = 0; i < 5; i++)
        last = calls();
    printf("function-local static __thread: %u\n", last);
    char *addrs[] = {(char *)&counter, (char *)&zeroed, (char *)&big, (char *)table, (char *)&rec, (char *)&hidden};
    int distinct = 1;
    for (int i = 0; i < 6; i++)
        for (int j = i + 1; j < 6; j++)
            distinct &= addrs[i] != addrs[j];
    printf("distinct addresses: %d, int64 aligned: %d\n", distinct, (int)((uintptr_t)&big % _Alignof(int64_t)) == 0);
    long sum = 0;
    for (int i = 0; i < 8; i++)
        sum += table[i] * (i + 1);
    printf("table sum %ld, plain %d\n", sum, plain);
    return 0;
}
