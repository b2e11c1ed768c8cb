// rig: qsort and bsearch: ints (with duplicates, already sorted, reversed, 0 and 1 elements), strings through strcmp, structs by two keys; results checked for order and as permutations (no stability assumed), bsearch hits and misses at both ends
// RUNTIME: musl
// STATUS: 0
// STDOUT: "random 5000: sorted 1, same elements 1, min -500 max 499 median 5\n"
// STDOUT: "again: sorted 1\n"
// STDOUT: "descending: first 499 last -500\n"
// STDOUT: "from reversed: sorted 1\n"
// STDOUT: "one element 7, zero elements ok\n"
// STDOUT: "bsearch -500: found value -500\n"
// STDOUT: "bsearch -1: found value -1\n"
// STDOUT: "bsearch 0: found value 0\n"
// STDOUT: "bsearch 250: found value 250\n"
// STDOUT: "bsearch 499: found value 499\n"
// STDOUT: "bsearch 500: absent\n"
// STDOUT: "bsearch -501: absent\n"
// STDOUT: "bsearch 1000: absent\n"
// STDOUT: "small: found sum 1536, misses 7\n"
// STDOUT: ",Zebra,apple,apple,applesauce,banana,cherry,date,fig,pear\n"
// STDOUT: "bsearch cherry at 6\n"
// STDOUT: "0/76/r08 0/88/r04 0/100/r00 1/67/r11 1/79/r07 1/91/r03 2/70/r10 2/82/r06 2/94/r02 3/73/r09 3/85/r05 3/97/r01\n"
// STDOUT: "bsearch 2/82: r06\n"
// STDOUT: "bsearch 2/73: absent\n"
// STDOUT: "bsearch 0/76: r08\n"
// STDOUT: "bsearch 3/97: r01\n"
// STDOUT: "bsearch 4/0: absent\n"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_int(const void *a, const void *b) {
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static int cmp_int_desc(const void *a, const void *b) { return cmp_int(b, a); }

static int cmp_str(const void *a, const void *b) { return strcmp(*(const char *const *)a, *(const char *const *)b); }

struct rec {
    int group;
    int id;
    char name[8];
};

static int cmp_rec(const void *a, const void *b) {
    const struct rec *x = a, *y = b;
    if (x->group != y->group)
        return x->group < y->group ? -1 : 1;
    return (x->id > y->id) - (x->id < y->id);
}

static uint32_t seed = 12345;
static int rnd(int n) {
    seed = seed * 1103515245u + 12345u;
    return (int)((seed >> 16) % (unsigned)n);
}

static int sorted(const int *v, int n) {
    for (int i = 1; i < n; i++)
        if (v[i - 1] > v[i])
            return 0;
    return 1;
}

static long long sum(const int *v, int n) {
    long long s = 0;
    for (int i = 0; i < n; i++)
        s += (long long)v[i] * v[i] + v[i];
    return s;
}

int main(int argc, char **argv) {
    (void)argc; (void)argv;
    enum { N = 5000 };
    static int v[N];
    for (int i = 0; i < N; i++)
        v[i] = rnd(1000) - 500;
    long long before = sum(v, N);
    qsort(v, N, sizeof v[0], cmp_int);
    printf("random %d: sorted %d, same elements %d, min %d max %d median %d\n", N, sorted(v, N), sum(v, N) == before,
           v[0], v[N - 1], v[N / 2]);
    qsort(v, N, sizeof v[0], cmp_int);
    printf("again: sorted %d\n", sorted(v, N));
    qsort(v, N, sizeof v[0], cmp_int_desc);
    printf("descending: first %d last %d\n", v[0], v[N - 1]);
    qsort(v, N, sizeof v[0], cmp_int);
    printf("from reversed: sorted %d\n", sorted(v, N));
    int one = 7;
    qsort(&one, 1, sizeof one, cmp_int);
    qsort(NULL, 0, sizeof one, cmp_int);
    printf("one element %d, zero elements ok\n", one);

    int keys[] = {-500, -1, 0, 250, 499, 500, -501, 1000};
    for (size_t k = 0; k < sizeof keys / sizeof *keys; k++) {
        int *hit = bsearch(&keys[k], v, N, sizeof v[0], cmp_int);
        printf("bsearch %d: %s", keys[k], hit ? "found" : "absent");
        if (hit)
            printf(" value %d", *hit);
        putchar('\n');
    }
    int small[] = {1, 3, 5, 7, 9, 11};
    int miss = 0, found = 0;
    for (int k = 0; k <= 12; k++) {
        int *p = bsearch(&k, small, 6, sizeof small[0], cmp_int);
        if (p)
            found += (int)(p - small) * 100 + *p;
        else
            miss++;
    }
    printf("small: found sum %d, misses %d\n", found, miss);

    const char *words[] = {"pear", "apple", "fig", "banana", "cherry", "apple", "date", "Zebra", "", "applesauce"};
    size_t nw = sizeof words / sizeof *words;
    qsort(words, nw, sizeof *words, cmp_str);
    for (size_t i = 0; i < nw; i++)
        printf("%s%s", i ? "," : "", words[i]);
    putchar('\n');
    const char *key = "cherry";
    const char **w = bsearch(&key, words, nw, sizeof *words, cmp_str);
    printf("bsearch cherry at %d\n", w ? (int)(w - words) : -1);

    struct rec recs[12];
    for (int i = 0; i < 12; i++) {
        recs[i].group = (i * 7) % 4;
        recs[i].id = 100 - i * 3;
        snprintf(recs[i].name, sizeof recs[i].name, "r%02d", i);
    }
    qsort(recs, 12, sizeof recs[0], cmp_rec);
    for (int i = 0; i < 12; i++)
        printf("%d/%d/%s%s", recs[i].group, recs[i].id, recs[i].name, i == 11 ? "\n" : " ");
    struct rec probes[] = {{2, 82, ""}, {2, 73, ""}, {0, 76, ""}, {3, 97, ""}, {4, 0, ""}};
    for (int i = 0; i < 5; i++) {
        struct rec *hit = bsearch(&probes[i], recs, 12, sizeof recs[0], cmp_rec);
        printf("bsearch %d/%d: %s\n", probes[i].group, probes[i].id, hit ? hit->name : "absent");
    }
    return 0;
}
