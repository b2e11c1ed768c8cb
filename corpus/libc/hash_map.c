// rig: a malloc-heavy hash map (separate chaining, string keys strdup'ed, growing by rehashing at load 3/4): word counts over a generated text, lookups, deletions, every node and key freed; counts printed in key order via qsort
// RUNTIME: musl
// STATUS: 0
// STDOUT: "words 20000, distinct 584, slots 1024, rehashes 8\n"
// STDOUT: "count(\"ka\") = 325\n"
// STDOUT: "count(\"kaka\") = 45\n"
// STDOUT: "count(\"popopo\") = 36\n"
// STDOUT: "count(\"xyz\") = -1\n"
// STDOUT: "count(\"mine\") = 38\n"
// STDOUT: "count(\"\") = -1\n"
// STDOUT: "removed 270 rare words, 314 left, del of a missing key 0\n"
// STDOUT: "left total 13194; first ka=325, last tatata=30\n"
// STDOUT: "ka=325 kaka=45 kakami=37 kakane=30 kakasu=32 kalo=36 kaloka=34 kalolo=32\n"
// STDOUT: "size 0; allocations 1178, frees 1178\n"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct entry {
    char *key;
    long count;
    struct entry *next;
};

struct map {
    struct entry **slots;
    size_t nslots, size;
    size_t allocations, frees, rehashes;
};

static uint32_t hash(const char *s) {
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static void *xmalloc(struct map *m, size_t n) {
    void *p = malloc(n);
    if (!p) {
        printf("out of memory\n");
        exit(1);
    }
    m->allocations++;
    return p;
}

static void rehash(struct map *m, size_t nslots) {
    struct entry **slots = calloc(nslots, sizeof *slots);
    m->allocations++;
    for (size_t i = 0; i < m->nslots; i++)
        for (struct entry *e = m->slots[i], *next; e; e = next) {
            next = e->next;
            size_t k = hash(e->key) & (nslots - 1);
            e->next = slots[k];
            slots[k] = e;
        }
    free(m->slots);
    m->frees++;
    m->slots = slots;
    m->nslots = nslots;
    m->rehashes++;
}

static struct entry *find(struct map *m, const char *key) {
    for (struct entry *e = m->slots[hash(key) & (m->nslots - 1)]; e; e = e->next)
        if (strcmp(e->key, key) == 0)
            return e;
    return NULL;
}

static void add(struct map *m, const char *key, long n) {
    struct entry *e = find(m, key);
    if (e) {
        e->count += n;
        return;
    }
    if (4 * (m->size + 1) > 3 * m->nslots)
        rehash(m, m->nslots * 2);
    e = xmalloc(m, sizeof *e);
    size_t len = strlen(key);
    e->key = xmalloc(m, len + 1);
    memcpy(e->key, key, len + 1);
    e->count = n;
    size_t k = hash(key) & (m->nslots - 1);
    e->next = m->slots[k];
    m->slots[k] = e;
    m->size++;
}

static int del(struct map *m, const char *key) {
    struct entry **pp = &m->slots[hash(key) & (m->nslots - 1)];
    for (; *pp; pp = &(*pp)->next)
        if (strcmp((*pp)->key, key) == 0) {
            struct entry *e = *pp;
            *pp = e->next;
            free(e->key);
            free(e);
            m->frees += 2;
            m->size--;
            return 1;
        }
    return 0;
}

static int by_key(const void *a, const void *b) {
    return strcmp((*(struct entry *const *)a)->key, (*(struct entry *const *)b)->key);
}

int main(int argc, char **argv) {
    (void)argc; (void)argv;
    static const char *const syllables[] = {"ka", "lo", "mi", "ne", "su", "ta", "ri", "po"};
    struct map m = {0};
    m.nslots = 4;
    m.slots = calloc(m.nslots, sizeof *m.slots);
    m.allocations++;
    uint32_t seed = 2024;
    long words = 0;
    char word[16];
    for (int i = 0; i < 20000; i++) {
        seed = seed * 1664525u + 1013904223u;
        int len = 1 + (int)(seed >> 29);
        word[0] = 0;
        for (int k = 0; k < len && k < 3; k++) {
            seed = seed * 1664525u + 1013904223u;
            strcat(word, syllables[seed >> 29]);
        }
        add(&m, word, 1);
        words++;
    }
    printf("words %ld, distinct %zu, slots %zu, rehashes %zu\n", words, m.size, m.nslots, m.rehashes);
    const char *probe[] = {"ka", "kaka", "popopo", "xyz", "mine", ""};
    for (size_t i = 0; i < sizeof probe / sizeof *probe; i++) {
        struct entry *e = find(&m, probe[i]);
        printf("count(\"%s\") = %ld\n", probe[i], e ? e->count : -1L);
    }
    size_t removed = 0;
    for (size_t i = 0; i < m.nslots; i++)
        for (struct entry *e = m.slots[i], *next; e; e = next) {
            next = e->next;
            if (e->count < 30)
                removed += del(&m, e->key);
        }
    printf("removed %zu rare words, %zu left, del of a missing key %d\n", removed, m.size, del(&m, "nothing"));

    struct entry **all = malloc(m.size * sizeof *all);
    m.allocations++;
    size_t n = 0;
    long total = 0;
    for (size_t i = 0; i < m.nslots; i++)
        for (struct entry *e = m.slots[i]; e; e = e->next)
            all[n++] = e, total += e->count;
    qsort(all, n, sizeof *all, by_key);
    printf("left total %ld; first %s=%ld, last %s=%ld\n", total, all[0]->key, all[0]->count, all[n - 1]->key,
           all[n - 1]->count);
    for (size_t i = 0; i < n && i < 8; i++)
        printf("%s%s=%ld", i ? " " : "", all[i]->key, all[i]->count);
    printf("\n");
    free(all);
    m.frees++;
    for (size_t i = 0; i < m.nslots; i++)
        while (m.slots[i])
            del(&m, m.slots[i]->key);
    free(m.slots);
    m.frees++;
    printf("size %zu; allocations %zu, frees %zu\n", m.size, m.allocations, m.frees);
    return 0;
}
