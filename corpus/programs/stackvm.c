// rig: a tiny stack-machine interpreter: the program text is argv[1] (numbers, + - * / %, dup swap drop over, comparisons, jumps for a loop, print); a second run-time error program in argv[2] ends with status 3 and a message on stderr
// ARGS: "1 [ dup . 1 + dup 6 < ] drop 5 1 [ over * swap 1 - swap over 0 > ] . drop 7 3 % . 2 3 4 * + ." "1 2 + 0 /"
// STATUS: 3
// STDOUT: "1\n2\n3\n4\n5\n120\n1\n14\n"
// STDOUT: "program 1: ok, 108 steps max depth 4\n"
// STDERR: "program 2: division by zero at token 5\n"

typedef __SIZE_TYPE__ size_t;
typedef struct FILE FILE;
extern FILE *stdout, *stderr;
int printf(const char *, ...);
int fprintf(FILE *, const char *, ...);
int fflush(FILE *);

enum { STACK = 32, TOKENS = 128, TOKLEN = 16 };

static long stack[STACK];
static int sp, max_depth;
static char tokens[TOKENS][TOKLEN];
static int ntok;

static int tokenize(const char *s) {
    ntok = 0;
    while (*s) {
        while (*s == ' ')
            s++;
        if (!*s)
            break;
        int n = 0;
        while (*s && *s != ' ') {
            if (n < TOKLEN - 1)
                tokens[ntok][n++] = *s;
            s++;
        }
        tokens[ntok][n] = 0;
        if (++ntok == TOKENS)
            break;
    }
    return ntok;
}

static int is_number(const char *t) {
    if (*t == '-' && t[1])
        t++;
    if (!*t)
        return 0;
    for (; *t; t++)
        if (*t < '0' || *t > '9')
            return 0;
    return 1;
}

static long to_number(const char *t) {
    int neg = *t == '-';
    long v = 0;
    for (t += neg; *t; t++)
        v = v * 10 + (*t - '0');
    return neg ? -v : v;
}

static void push(long v) {
    stack[sp++] = v;
    if (sp > max_depth)
        max_depth = sp;
}

static long pop(void) {
    return stack[--sp];
}

/* "[" opens a loop; "]" pops a flag and jumps back to just after the matching "[" while it is non-zero */
static int run(int which, long *steps) {
    sp = max_depth = 0;
    *steps = 0;
    for (int pc = 0; pc < ntok; pc++) {
        const char *t = tokens[pc];
        ++*steps;
        if (is_number(t)) {
            push(to_number(t));
        } else if (t[1] == 0 && (t[0] == '+' || t[0] == '-' || t[0] == '*' || t[0] == '/' || t[0] == '%'
                                 || t[0] == '<' || t[0] == '>')) {
            long b = pop(), a = pop();
            if ((t[0] == '/' || t[0] == '%') && b == 0) {
                fflush(stdout);
                fprintf(stderr, "program %d: division by zero at token %d\n", which, pc + 1);
                return 3;
            }
            push(t[0] == '+' ? a + b : t[0] == '-' ? a - b : t[0] == '*' ? a * b : t[0] == '/' ? a / b
                 : t[0] == '%' ? a % b : t[0] == '<' ? a < b : a > b);
        } else if (t[0] == '.' && !t[1]) {
            printf("%ld\n", pop());
        } else if (t[0] == 'd' && t[1] == 'u') {            /* dup */
            long a = pop();
            push(a);
            push(a);
        } else if (t[0] == 'd' && t[1] == 'r') {            /* drop */
            pop();
        } else if (t[0] == 's') {                           /* swap */
            long b = pop(), a = pop();
            push(b);
            push(a);
        } else if (t[0] == 'o') {                           /* over */
            long b = pop(), a = pop();
            push(a);
            push(b);
            push(a);
        } else if (t[0] == '[') {
            /* nothing: the loop's start */
        } else if (t[0] == ']') {
            if (pop()) {
                int depth = 1;
                while (depth && --pc >= 0)
                    depth += tokens[pc][0] == ']' ? 1 : tokens[pc][0] == '[' ? -1 : 0;
            }
        } else {
            fflush(stdout);
            fprintf(stderr, "program %d: unknown word %s\n", which, t);
            return 2;
        }
    }
    return 0;
}

int main(int argc, char **argv) {
    int status = 0;
    for (int i = 1; i < argc && status == 0; i++) {
        long steps;
        tokenize(argv[i]);
        status = run(i, &steps);
        if (status == 0)
            printf("program %d: ok, %ld steps max depth %d\n", i, steps, max_depth);
    }
    return status;
}
