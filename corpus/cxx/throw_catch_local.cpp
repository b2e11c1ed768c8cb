// rig: throw and catch in one function: an int, a const char *, a std::string, a struct, a double and a char (no int handler takes a char: catch (...) does); handlers are tried in order; a handler by value gets a copy of the exception object, one by reference the object itself, which lives until its last handler ends
// RUNTIME: musl
// STATUS: 0
// STDOUT: "case 0: int 42\n"
// STDOUT: "case 1: const char * \"a C string\"\n"
// STDOUT: "case 2: std::string \"a std::string\" (13 chars)\n"
// STDOUT: "case 3: Point {3, -4}\n"
// STDOUT: "case 4: double 2.5\n"
// STDOUT: "case 5: something else\n"
// STDOUT: "case 6: nothing thrown\n"
// STDOUT: "sum of handler results: 14\n"
// STDOUT: "by value:\n"
// STDOUT: "  Counted(1) made\n"
// STDOUT: "  Counted(101) copied from 1\n"
// STDOUT: "  handler has Counted(101), 2 live\n"
// STDOUT: "  ~Counted(101), 1 live\n"
// STDOUT: "  ~Counted(1), 0 live\n"
// STDOUT: "by reference:\n"
// STDOUT: "  Counted(2) made\n"
// STDOUT: "  handler has Counted(22), 1 live\n"
// STDOUT: "  ~Counted(22), 0 live\n"
// STDOUT: "after both: 0 live\n"
// STDOUT: "first_match: 15 -1\n"

#include <cstdio>
#include <string>

struct Point {
    int x, y;
};

struct Counted {
    static int live;
    int id;
    explicit Counted(int i) : id(i) { ++live; std::printf("  Counted(%d) made\n", id); }
    Counted(const Counted &o) : id(o.id + 100) { ++live; std::printf("  Counted(%d) copied from %d\n", id, o.id); }
    ~Counted() { --live; std::printf("  ~Counted(%d), %d live\n", id, live); }
};
int Counted::live = 0;

static int classify(int which) {
    try {
        switch (which) {
        case 0: throw 42;
        case 1: throw "a C string";
        case 2: throw std::string("a std::string");
        case 3: throw Point{3, -4};
        case 4: throw 2.5;
        case 5: throw 'c';
        default: break;
        }
        std::printf("case %d: nothing thrown\n", which);
        return -1;
    } catch (int v) {
        std::printf("case %d: int %d\n", which, v);
        return 0;
    } catch (const char *s) {
        std::printf("case %d: const char * \"%s\"\n", which, s);
        return 1;
    } catch (const std::string &s) {
        std::printf("case %d: std::string \"%s\" (%zu chars)\n", which, s.c_str(), s.size());
        return 2;
    } catch (Point p) {
        std::printf("case %d: Point {%d, %d}\n", which, p.x, p.y);
        return 3;
    } catch (double d) {
        std::printf("case %d: double %g\n", which, d);
        return 4;
    } catch (...) {
        std::printf("case %d: something else\n", which);
        return 5;
    }
}

static void by_value_and_reference() {
    std::printf("by value:\n");
    try {
        throw Counted(1);
    } catch (Counted c) {
        std::printf("  handler has Counted(%d), %d live\n", c.id, Counted::live);
    }
    std::printf("by reference:\n");
    try {
        throw Counted(2);
    } catch (Counted &c) {
        c.id = 22;
        std::printf("  handler has Counted(%d), %d live\n", c.id, Counted::live);
    }
    std::printf("after both: %d live\n", Counted::live);
}

static int first_match(int v) {
    int handled = 0;
    try {
        if (v > 0)
            throw v;
        handled = -1;
    } catch (unsigned) {        // never: an int is not converted to match
        handled = 1;
    } catch (long) {            // never: no integral promotion or conversion either
        handled = 2;
    } catch (int i) {
        handled = 10 + i;
    } catch (...) {
        handled = 3;
    }
    return handled;
}

int main() {
    int sum = 0;
    for (int i = 0; i <= 6; i++)
        sum += classify(i);
    std::printf("sum of handler results: %d\n", sum);
    by_value_and_reference();
    std::printf("first_match: %d %d\n", first_match(5), first_match(0));
    return 0;
}
