// rig: thread-local storage: initialised and zeroed __thread variables, a static array, pointers to them
// SIG: bump i32()
// SIG: total i32(i32)
// SIG: through_pointer i32(i32)
// SIG: counter_address_is_stable i32()
//
// The values persist between calls (one thread, one static TLS block).
// CALL: bump() == 6
// CALL: bump() == 8
// CALL: bump() == 10
// hist = {1, 2, 3, 4} + 3 each: 4 + 5 + 6 + 7
// CALL: total(3) == 22
// counter is 8: through_pointer(7) adds 7 to it through a pointer, then reads it twice
// CALL: through_pointer(7) == 30
// zeroed is 3: through_pointer(2) adds 2 to it
// CALL: through_pointer(2) == 20
// CALL: counter_address_is_stable() == 1

__thread int counter = 5;
__thread int zeroed;
static __thread long hist[4] = {1, 2, 3, 4};
static __thread int *last;

int bump(void) { return ++counter + zeroed++; }

int total(int n) {
    long s = 0;
    for (int i = 0; i < 4; i++) {
        hist[i] += n;
        s += hist[i];
    }
    return (int)s;
}

static int *slot(int i) { return i ? &counter : &zeroed; }

int through_pointer(int v) {
    int *p = slot(v & 1);
    *p += v;
    last = p;
    return *last + counter;
}

int counter_address_is_stable(void) { return last == &zeroed && slot(1) == &counter; }
