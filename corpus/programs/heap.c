// rig: the heap: malloc'd blocks distinct and writable, calloc zeroed, realloc growing and shrinking keeps the contents, aligned_alloc and posix_memalign alignment (64, 32, 4096), free(NULL), a 1000-node list built and freed twice
// STATUS: 0
// STDOUT: "distinct: 1, writable: 1\ncalloc zero: 1\nrealloc keeps: 1 1\naligned_alloc 64: 1\nposix_memalign 32: rc 0, aligned 1\nposix_memalign 4096: rc 0, aligned 1\nlist sum: 499500 499500\n"

typedef __SIZE_TYPE__ size_t;
typedef __UINTPTR_TYPE__ uintptr_t;
int printf(const char *, ...);
void *malloc(size_t);
void *calloc(size_t, size_t);
void *realloc(void *, size_t);
void *aligned_alloc(size_t, size_t);
int posix_memalign(void **, size_t, size_t);
void free(void *);
void *memset(void *, int, size_t);

struct node {
    struct node *next;
    long value;
};

static long list_round(int n) {
    struct node *head = 0;
    for (int i = 0; i < n; i++) {
        struct node *e = malloc(sizeof *e);
        e->value = i;
        e->next = head;
        head = e;
    }
    long sum = 0;
    while (head) {
        struct node *next = head->next;
        sum += head->value;
        free(head);
        head = next;
    }
    return sum;
}

int main(void) {
    char *a = malloc(100), *b = malloc(100);
    memset(a, 'a', 100);
    memset(b, 'b', 100);
    printf("distinct: %d, writable: %d\n", a != b && (a + 100 <= b || b + 100 <= a), a[99] == 'a' && b[0] == 'b');

    unsigned char *z = calloc(50, 4);
    int zero = 1;
    for (int i = 0; i < 200; i++)
        zero &= z[i] == 0;
    printf("calloc zero: %d\n", zero);

    for (int i = 0; i < 100; i++)
        a[i] = (char)i;
    a = realloc(a, 5000);
    int kept = 1;
    for (int i = 0; i < 100; i++)
        kept &= a[i] == (char)i;
    a[4999] = 1;
    a = realloc(a, 10);
    int kept2 = 1;
    for (int i = 0; i < 10; i++)
        kept2 &= a[i] == (char)i;
    printf("realloc keeps: %d %d\n", kept, kept2);

    void *al = aligned_alloc(64, 256);
    printf("aligned_alloc 64: %d\n", al != 0 && ((uintptr_t)al & 63) == 0);
    void *p = 0, *q = 0;
    int rc = posix_memalign(&p, 32, 100);
    printf("posix_memalign 32: rc %d, aligned %d\n", rc, p != 0 && ((uintptr_t)p & 31) == 0);
    rc = posix_memalign(&q, 4096, 10);
    printf("posix_memalign 4096: rc %d, aligned %d\n", rc, q != 0 && ((uintptr_t)q & 4095) == 0);

    long s1 = list_round(1000), s2 = list_round(1000);
    printf("list sum: %ld %ld\n", s1, s2);
    free(0);
    free(a);
    free(b);
    free(z);
    free(al);
    free(p);
    free(q);
    return 0;
}
