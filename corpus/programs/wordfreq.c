// rig: word frequencies over the arguments: words split on spaces and punctuation, lower-cased, counted in a malloc'd linked list, insertion-sorted by count then alphabetically, printed with %-10s and %zu; the list freed
// ARGS: "the quick brown fox" "jumps over the lazy dog," "The dog barks; the fox runs." "" "quick, quick!"
// STATUS: 0
// STDOUT: "10 distinct words, 17 in all\nthe        4\nquick      3\ndog        2\nfox        2\nbarks      1\nbrown      1\njumps      1\nlazy       1\nover       1\nruns       1\n"
// STDOUT: "longest word: 5 letters\n"

typedef __SIZE_TYPE__ size_t;
int printf(const char *, ...);
void *malloc(size_t);
void free(void *);
size_t strlen(const char *);
int strcmp(const char *, const char *);
void *memcpy(void *, const void *, size_t);

struct entry {
    char *word;
    size_t count;
    struct entry *next;
};

static struct entry *words;
static size_t distinct, total, longest;

static int is_letter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static void add(const char *start, size_t len) {
    char *w = malloc(len + 1);
    for (size_t i = 0; i < len; i++) {
        char c = start[i];
        w[i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
    }
    w[len] = 0;
    total++;
    if (len > longest)
        longest = len;
    for (struct entry *e = words; e; e = e->next) {
        if (strcmp(e->word, w) == 0) {
            e->count++;
            free(w);
            return;
        }
    }
    struct entry *e = malloc(sizeof *e);
    e->word = w;
    e->count = 1;
    e->next = words;
    words = e;
    distinct++;
}

static void split(const char *s) {
    while (*s) {
        while (*s && !is_letter(*s))
            s++;
        const char *start = s;
        while (is_letter(*s))
            s++;
        if (s > start)
            add(start, (size_t)(s - start));
    }
}

/* a before b: higher count first, then alphabetical */
static int before(const struct entry *a, const struct entry *b) {
    if (a->count != b->count)
        return a->count > b->count;
    return strcmp(a->word, b->word) < 0;
}

static struct entry *sort(struct entry *list) {
    struct entry *sorted = 0;
    while (list) {
        struct entry *e = list;
        list = list->next;
        struct entry **at = &sorted;
        while (*at && !before(e, *at))
            at = &(*at)->next;
        e->next = *at;
        *at = e;
    }
    return sorted;
}

int main(int argc, char **argv) {
    for (int i = 1; i < argc; i++)
        split(argv[i]);
    words = sort(words);
    printf("%zu distinct words, %zu in all\n", distinct, total);
    int shown = 0;
    for (struct entry *e = words; e && shown < 10; e = e->next, shown++)
        printf("%-10s %zu\n", e->word, e->count);
    printf("longest word: %zu letters\n", longest);
    while (words) {
        struct entry *next = words->next;
        free(words->word);
        free(words);
        words = next;
    }
    return 0;
}
