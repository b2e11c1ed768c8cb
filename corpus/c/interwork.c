// rig: ARM and Thumb functions in one object calling each other directly, by tail call and through pointers
// TARGETS: arm thumb
// SIG: t_square i32(i32)
// SIG: a_inc i32(i32)
// SIG: t_calls_a i32(i32)
// SIG: a_calls_t i32(i32)
// SIG: t_tail i32(i32)
// SIG: a_tail i32(i32)
// SIG: a_dispatch i32(i32, i32)
// SIG: t_dispatch i32(i32, i32)
// SIG: chain i32(i32)
// SIG: hops i32()
// CALL: t_square(12) == 144
// CALL: a_inc(41) == 42
// CALL: t_calls_a(4) == 15
// CALL: a_calls_t(5) == 27
// CALL: t_tail(9) == 10
// CALL: a_tail(-3) == 9
// CALL: a_dispatch(0, 7) == 49
// CALL: a_dispatch(1, 7) == 8
// CALL: a_dispatch(2, 7) == 24
// CALL: a_dispatch(3, 7) == 51
// CALL: t_dispatch(0, 6) == 36
// CALL: t_dispatch(5, 6) == 7
// CALL: t_dispatch(6, 6) == 21
// CALL: t_dispatch(7, 6) == 38
// CALL: chain(3) == 1107
// CALL: hops() == 20
#include <stdint.h>

#define THUMB __attribute__((target("thumb"), noinline))
#define ARM __attribute__((target("arm"), noinline))

typedef int32_t (*fn)(int32_t);
static int32_t hop_count;

THUMB int32_t t_square(int32_t x) { hop_count++; return x * x; }
ARM int32_t a_inc(int32_t x) { hop_count++; return x + 1; }
THUMB int32_t t_calls_a(int32_t x) { return a_inc(x) * 3; }          /* Thumb BL -> ARM: BLX */
ARM int32_t a_calls_t(int32_t x) { return t_square(x) + 2; }         /* ARM BL -> Thumb: BLX */
THUMB int32_t t_tail(int32_t x) { return a_inc(x); }                 /* a tail call: B cannot switch state */
ARM int32_t a_tail(int32_t x) { return t_square(x); }

/* Function pointers carry the Thumb bit; BLX reg switches state both ways. */
static fn const table[] = { t_square, a_inc, t_calls_a, a_calls_t };
static fn volatile current = t_square;

ARM int32_t a_dispatch(int32_t i, int32_t x) { return table[i & 3](x); }
THUMB int32_t t_dispatch(int32_t i, int32_t x) { return table[i & 3](x); }

/* Alternating states through a writable pointer. */
THUMB int32_t chain(int32_t n) {
    int32_t v = n;
    for (int32_t i = 0; i < n; i++) {
        current = table[(uint32_t)(i + v) % 4];
        v = current(v) % 1000;
        v = (i & 1) ? a_dispatch(i, v) : t_dispatch(i, v);
    }
    return v;
}

int32_t hops(void) { return hop_count; }
