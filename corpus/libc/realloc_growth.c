// rig: realloc: a dynamic array doubling from 1 to 65536 elements keeps its contents, realloc(NULL, n) acts as malloc, shrinking keeps the prefix, a string builder appending 3000 pieces, calloc zeroes, a size overflow check by hand, malloc(0) and free(NULL)
// RUNTIME: musl
// STATUS: 0
// STDOUT: "grown to 65536 (capacity 65536), 0 bad\n"
// STDOUT: "shrunk to 10, 0 bad, v[9] = 2415085369\n"
// STDOUT: "builder: 22537 bytes, strlen 22537, hash ceeaab2a, tail \"8988004,8994001,\"\n"
// STDOUT: "calloc: 0 nonzero bytes\n"
// STDOUT: "after growing: the first 4000 still zero: 1, last byte 0xab\n"
// STDOUT: "n * size overflows: 1\n"
// STDOUT: "malloc(0) and free(NULL) return\n"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
    (void)argc; (void)argv;
    size_t cap = 1, len = 0;
    uint32_t *v = realloc(NULL, cap * sizeof *v);
    for (uint32_t i = 0; i < 65536; i++) {
        if (len == cap) {
            cap *= 2;
            v = realloc(v, cap * sizeof *v);
            if (!v) {
                printf("realloc failed\n");
                return 1;
            }
        }
        v[len++] = i * 2654435761u;
    }
    int bad = 0;
    for (uint32_t i = 0; i < len; i++)
        bad += v[i] != i * 2654435761u;
    printf("grown to %zu (capacity %zu), %d bad\n", len, cap, bad);
    v = realloc(v, 10 * sizeof *v);
    bad = 0;
    for (uint32_t i = 0; i < 10; i++)
        bad += v[i] != i * 2654435761u;
    printf("shrunk to 10, %d bad, v[9] = %u\n", bad, v[9]);
    free(v);

    char *sb = NULL;
    size_t used = 0, room = 0;
    for (int i = 0; i < 3000; i++) {
        char piece[24];
        int n = snprintf(piece, sizeof piece, "%d,", i * i);
        if (used + (size_t)n + 1 > room) {
            room = room ? room + room / 2 : 16;
            if (room < used + (size_t)n + 1)
                room = used + (size_t)n + 1;
            sb = realloc(sb, room);
        }
        memcpy(sb + used, piece, (size_t)n + 1);
        used += (size_t)n;
    }
    uint32_t h = 0;
    for (size_t i = 0; i < used; i++)
        h = h * 31 + (unsigned char)sb[i];
    printf("builder: %zu bytes, strlen %zu, hash %08x, tail \"%s\"\n", used, strlen(sb), h, sb + used - 16);
    free(sb);

    unsigned char *z = calloc(1000, 4);
    size_t nonzero = 0;
    for (size_t i = 0; i < 4000; i++)
        nonzero += z[i] != 0;
    printf("calloc: %zu nonzero bytes\n", nonzero);
    z = realloc(z, 8000);
    memset(z + 4000, 0xab, 4000);
    nonzero = 0;
    for (size_t i = 0; i < 4000; i++)
        nonzero += z[i] != 0;
    printf("after growing: the first 4000 still zero: %d, last byte %#x\n", nonzero == 0, z[7999]);
    free(z);

    size_t n = SIZE_MAX / 2, size = 4;
    printf("n * size overflows: %d\n", size != 0 && n > SIZE_MAX / size);
    void *p = malloc(0);
    free(p);
    free(NULL);
    printf("malloc(0) and free(NULL) return\n");
    return 0;
}
