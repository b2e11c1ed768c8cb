// rig: a binary search tree of malloc'd nodes: 5000 pseudo-random inserts (duplicates counted), in-order walk checked sorted, height, deletion of every third key (two-child case included), range counts, freeing the whole tree; live-node bookkeeping reaches zero
// RUNTIME: musl
// STATUS: 0
// STDOUT: "built: nodes 4412 (live 4412), height 27, order errors 0, weighted 16562\n"
// STDOUT: "in [-100, 100]: 42, in [0, 9999]: 2485, root key 7077\n"
// STDOUT: "removed 1460 keys, 5207 were absent\n"
// STDOUT: "after removal: nodes 2952 (live 2952), height 26, order errors 0, weighted 20100\n"
// STDOUT: "after destroy: live 0\n"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

struct node {
    int key;
    int dup;
    struct node *left, *right;
};

static long live;

static struct node *insert(struct node *t, int key) {
    if (!t) {
        struct node *n = malloc(sizeof *n);
        n->key = key;
        n->dup = 1;
        n->left = n->right = NULL;
        live++;
        return n;
    }
    if (key < t->key)
        t->left = insert(t->left, key);
    else if (key > t->key)
        t->right = insert(t->right, key);
    else
        t->dup++;
    return t;
}

static struct node *remove_key(struct node *t, int key, int *found) {
    if (!t)
        return NULL;
    if (key < t->key)
        t->left = remove_key(t->left, key, found);
    else if (key > t->key)
        t->right = remove_key(t->right, key, found);
    else {
        *found = 1;
        if (t->left && t->right) {
            struct node *m = t->right;
            while (m->left)
                m = m->left;
            t->key = m->key;
            t->dup = m->dup;
            int dummy = 0;
            t->right = remove_key(t->right, m->key, &dummy);
        } else {
            struct node *child = t->left ? t->left : t->right;
            free(t);
            live--;
            return child;
        }
    }
    return t;
}

static int height(const struct node *t) {
    if (!t)
        return 0;
    int l = height(t->left), r = height(t->right);
    return 1 + (l > r ? l : r);
}

static int prev_key;
static long walked, order_errors, weighted;

static void walk(const struct node *t) {
    if (!t)
        return;
    walk(t->left);
    if (walked && t->key <= prev_key)
        order_errors++;
    prev_key = t->key;
    weighted += (long)t->key % 1000 * t->dup;
    walked++;
    walk(t->right);
}

static long range(const struct node *t, int lo, int hi) {
    if (!t)
        return 0;
    if (t->key < lo)
        return range(t->right, lo, hi);
    if (t->key > hi)
        return range(t->left, lo, hi);
    return t->dup + range(t->left, lo, hi) + range(t->right, lo, hi);
}

static void destroy(struct node *t) {
    if (!t)
        return;
    destroy(t->left);
    destroy(t->right);
    free(t);
    live--;
}

static void report(const char *what, const struct node *t) {
    walked = order_errors = weighted = 0;
    walk(t);
    printf("%s: nodes %ld (live %ld), height %d, order errors %ld, weighted %ld\n", what, walked, live, height(t),
           order_errors, weighted);
}

int main(int argc, char **argv) {
    (void)argc; (void)argv;
    struct node *root = NULL;
    uint32_t s = 7;
    for (int i = 0; i < 5000; i++) {
        s = s * 1103515245u + 12345u;
        root = insert(root, (int)((s >> 8) % 20000) - 10000);
    }
    report("built", root);
    printf("in [-100, 100]: %ld, in [0, 9999]: %ld, root key %d\n", range(root, -100, 100), range(root, 0, 9999),
           root->key);
    int removed = 0, missing = 0;
    for (int k = -10000; k < 10000; k += 3) {
        int found = 0;
        root = remove_key(root, k, &found);
        removed += found;
        missing += !found;
    }
    printf("removed %d keys, %d were absent\n", removed, missing);
    report("after removal", root);
    destroy(root);
    printf("after destroy: live %ld\n", live);
    return 0;
}
