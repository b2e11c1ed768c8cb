// rig: a struct array with pointers between its records, globals, recursion (quicksort, a tree walk, Ackermann)
// SIG: fib i32(i32)
// SIG: ackermann i32(i32, i32)
// SIG: sort_by_score i32()
// SIG: tree_sum i32(i32)
// SIG: best_name i32()
// SIG: bump i32(i32)
// SIG: visits i32()
// CALL: fib(20) == 6765
// CALL: ackermann(2, 3) == 9
// CALL: ackermann(3, 3) == 61
// CALL: tree_sum(0) == 1093
// CALL: tree_sum(2) == 1087
// CALL: sort_by_score() == 16606992
// STDOUT: "elm box pine oak lime fir bay ash yew\n"
// CALL: best_name() == 30
// STDOUT: "best elm (72, north, flags 1)\n"
// CALL: bump(5) == 6008
// CALL: bump(-2) == 4206
// CALL: tree_sum(0) == 2098
// CALL: visits() == 21
#include <stddef.h>
#include <stdint.h>

int printf(const char *, ...);

struct rec {
    char name[8];
    int32_t score;
    int16_t weight;
    uint8_t flags;
    struct rec *left, *right;          /* a binary tree over the same array */
    const char *tag;
};

static const char tag_a[] = "north", tag_b[] = "south";

/* Initialised pointers into the array itself and to strings: data relocations everywhere. */
static struct rec table[9] = {
    { "oak", 40, 3, 1, &table[1], &table[2], tag_a },
    { "ash", 15, -2, 0, &table[3], &table[4], tag_b },
    { "elm", 72, 7, 1, &table[5], NULL, tag_a },
    { "yew", 8, 1, 0, NULL, NULL, tag_b },
    { "fir", 23, -5, 1, &table[6], &table[7], tag_a },
    { "box", 61, 4, 0, NULL, &table[8], tag_b },
    { "bay", 19, 2, 1, NULL, NULL, tag_a },
    { "lime", 33, -1, 0, NULL, NULL, tag_b },
    { "pine", 55, 6, 1, NULL, NULL, tag_a },
};
#define N (sizeof table / sizeof table[0])
static struct rec *order[N];
static int32_t visited;
int32_t bias = 3;                        /* a global the code reads and writes */

int32_t fib(int32_t n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

int32_t ackermann(int32_t m, int32_t n) {
    if (m == 0)
        return n + 1;
    if (n == 0)
        return ackermann(m - 1, 1);
    return ackermann(m - 1, ackermann(m, n - 1));
}

/* Recursive: score * weight + bias over the subtree, counting visits. */
static int32_t walk(const struct rec *r) {
    if (!r)
        return 0;
    visited++;
    return r->score * r->weight + bias + walk(r->left) + walk(r->right);
}

int32_t tree_sum(int32_t root) { return walk(&table[(uint32_t)root % N]); }

static void quicksort(struct rec **a, int32_t lo, int32_t hi) {
    if (lo >= hi)
        return;
    int32_t p = a[(lo + hi) / 2]->score, i = lo, j = hi;
    while (i <= j) {
        while (a[i]->score > p)
            i++;
        while (a[j]->score < p)
            j--;
        if (i <= j) {
            struct rec *t = a[i];
            a[i++] = a[j];
            a[j--] = t;
        }
    }
    quicksort(a, lo, j);
    quicksort(a, i, hi);
}

/* Sorts pointers to the records by descending score; prints names; returns a checksum of positions. */
int32_t sort_by_score(void) {
    for (size_t i = 0; i < N; i++)
        order[i] = &table[i];
    quicksort(order, 0, (int32_t)N - 1);
    int32_t check = 0;
    for (size_t i = 0; i < N; i++) {
        printf("%s%c", order[i]->name, i + 1 < N ? ' ' : '\n');
        check = check * 7 + (int32_t)(order[i] - table);
    }
    return check;
}

int32_t best_name(void) {
    const struct rec *b = order[0];
    return printf("best %s (%d, %s, flags %u)\n", b->name, b->score, b->tag, b->flags);
}

/* Changes every weight and the bias; later walks see it. */
int32_t bump(int32_t by) {
    int32_t s = 0;
    for (size_t i = 0; i < N; i++) {
        table[i].weight = (int16_t)(table[i].weight + by);
        s += table[i].weight;
    }
    bias += by;
    return s * 100 + bias;
}

int32_t visits(void) { return visited; }
