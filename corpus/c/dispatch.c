// rig: function-pointer tables (const and writable) and a dense switch compiled to a jump table
// SIG: apply i32(i32, i32, i32)
// SIG: classify i32(i32)
// SIG: run i32(i32)
// SIG: calls i32()
// CALL: apply(0, 20, 22) == 42
// CALL: apply(1, 20, 22) == -2
// CALL: apply(2, 6, 7) == 42
// CALL: apply(3, 12, 10) == 6
// CALL: apply(4, -3, -9) == -3
// CALL: apply(11, 3, 4) == 48
// CALL: classify(0) == 4
// CALL: classify(1) == 16
// CALL: classify(2) == 10
// CALL: classify(3) == 17
// CALL: classify(7) == 53
// CALL: classify(12) == 30
// CALL: classify(13) == -1
// CALL: classify(-1) == -1
// CALL: run(10) == 9286
// CALL: run(25) == 58550485
// CALL: calls() == 20
#include <stdint.h>

typedef uint32_t (*binop)(uint32_t, uint32_t);

static uint32_t op_add(uint32_t a, uint32_t b) { return a + b; }
static uint32_t op_sub(uint32_t a, uint32_t b) { return a - b; }
static uint32_t op_mul(uint32_t a, uint32_t b) { return a * b; }
static uint32_t op_xor(uint32_t a, uint32_t b) { return a ^ b; }
static uint32_t op_min(uint32_t a, uint32_t b) { return (int32_t)a < (int32_t)b ? b : a; }   /* signed max */
static uint32_t op_shl(uint32_t a, uint32_t b) { return a << (b & 15); }

/* Code addresses in a constant table (absolute or pc-relative data relocations)... */
static binop const ops[] = { op_add, op_sub, op_mul, op_xor, op_min, op_shl };
/* ...and in a writable one, patched while running. */
static binop slots[4] = { op_add, op_mul, 0, 0 };
static int32_t calls_made;

__attribute__((noinline)) int32_t apply(int32_t op, int32_t a, int32_t b) {
    calls_made++;
    return (int32_t)ops[(uint32_t)op % 6]((uint32_t)a, (uint32_t)b);
}

__attribute__((noinline)) static int32_t weight(int32_t x) { return x * 7 + 1; }

/* Twelve cases that all do different work: a jump table of code labels. */
__attribute__((noinline)) int32_t classify(int32_t x) {
    switch (x) {
    case 0: return weight(x) + 3;
    case 1: return weight(x) * 2;
    case 2: return apply(2, x, 5);
    case 3: return 17;
    case 4: return weight(x) - x;
    case 5: return apply(3, x, 0x55);
    case 6: return x * x * x;
    case 7: return weight(x) + 3;
    case 8: return apply(1, 100, x);
    case 9: return -weight(x);
    case 10: return apply(5, 1, x);
    case 11: return weight(weight(x)) % 1000;
    case 12: return apply(0, x, 18);
    default: return -1;
    }
}

int32_t run(int32_t n) {
    uint32_t acc = 1;
    slots[2] = op_sub;
    slots[3] = ops[(uint32_t)n % 6];
    for (int32_t i = 0; i < n; i++)
        acc = slots[i & 3](acc, (uint32_t)i + 1) + (uint32_t)classify(i % 13);
    return (int32_t)acc;
}

int32_t calls(void) { return calls_made; }
