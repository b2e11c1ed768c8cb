// rig: nested try blocks: an inner handler that does not match passes the exception to the outer one; a handler that throws a new exception (the first one is destroyed when its handler is left); catch (...) that rethrows; a function-try-block on a constructor (its handler rethrows implicitly); try in a loop left by continue and break from a handler; a throw from 12 calls deep caught at the top
// RUNTIME: musl
// STATUS: 0
// STDOUT: "1. inner handler does not match:\n"
// STDOUT: "  outer caught \"a string\"\n"
// STDOUT: "2. a handler throws a new exception:\n"
// STDOUT: "  inner caught Token(1), throwing Token(2)\n"
// STDOUT: "    ~Token(1)\n"
// STDOUT: "  outer caught Token(2)\n"
// STDOUT: "    ~Token(2)\n"
// STDOUT: "3. catch (...) rethrows, three levels:\n"
// STDOUT: "  level 3: catch (...), rethrow\n"
// STDOUT: "  level 2: catch (...), rethrow\n"
// STDOUT: "  level 1: double 3.5\n"
// STDOUT: "4. function-try-block:\n"
// STDOUT: "  Whole(1) built\n"
// STDOUT: "  Whole's function-try-block saw: negative part -2\n"
// STDOUT: "  main caught it again: negative part -2\n"
// STDOUT: "5. try in a loop:\n"
// STDOUT: "  i=0 continue from a handler\n"
// STDOUT: "  i=1 no throw\n"
// STDOUT: "  i=2 continue from a handler\n"
// STDOUT: "  i=3 no throw\n"
// STDOUT: "  i=4 break from a handler\n"
// STDOUT: "  loop ended at i=4\n"
// STDOUT: "6. deep:\n"
// STDOUT: "  caught \"bottom reached\" from level 12\n"

#include <cstdio>
#include <stdexcept>
#include <string>

struct Token {
    int id;
    explicit Token(int i) : id(i) {}
    Token(const Token &) = delete;
    ~Token() { std::printf("    ~Token(%d)\n", id); }
};

static int level_reached = 0;

static void deep(int n) {
    level_reached = n;
    if (n == 12)
        throw std::range_error("bottom reached");
    deep(n + 1);
    std::printf("unreachable\n");
}

struct Part {
    explicit Part(int v) {
        if (v < 0)
            throw std::invalid_argument("negative part " + std::to_string(v));
    }
};

struct Whole {
    Part part;
    explicit Whole(int v) try : part(v) {
        std::printf("  Whole(%d) built\n", v);
    } catch (const std::exception &e) {
        std::printf("  Whole's function-try-block saw: %s\n", e.what());
        // leaving this handler rethrows
    }
};

int main() {
    std::printf("1. inner handler does not match:\n");
    try {
        try {
            throw std::string("a string");
        } catch (int) {
            std::printf("  inner int handler (wrong)\n");
        }
        std::printf("  after the inner try (wrong)\n");
    } catch (const std::string &s) {
        std::printf("  outer caught \"%s\"\n", s.c_str());
    }

    std::printf("2. a handler throws a new exception:\n");
    try {
        try {
            throw Token(1);
        } catch (const Token &t) {
            std::printf("  inner caught Token(%d), throwing Token(2)\n", t.id);
            throw Token(2);
        }
    } catch (const Token &t) {
        std::printf("  outer caught Token(%d)\n", t.id);
    }

    std::printf("3. catch (...) rethrows, three levels:\n");
    try {
        try {
            try {
                throw 3.5;
            } catch (...) {
                std::printf("  level 3: catch (...), rethrow\n");
                throw;
            }
        } catch (int) {
            std::printf("  level 2: int (wrong)\n");
        } catch (...) {
            std::printf("  level 2: catch (...), rethrow\n");
            throw;
        }
    } catch (double d) {
        std::printf("  level 1: double %.1f\n", d);
    }

    std::printf("4. function-try-block:\n");
    try {
        Whole ok(1);
        Whole bad(-2);
        std::printf("  unreachable\n");
    } catch (const std::invalid_argument &e) {
        std::printf("  main caught it again: %s\n", e.what());
    }

    std::printf("5. try in a loop:\n");
    int i = 0;
    for (;; i++) {
        try {
            if (i % 2 == 0)
                throw i;
            std::printf("  i=%d no throw\n", i);
        } catch (int v) {
            if (v >= 4) {
                std::printf("  i=%d break from a handler\n", v);
                break;
            }
            std::printf("  i=%d continue from a handler\n", v);
            continue;
        }
    }
    std::printf("  loop ended at i=%d\n", i);

    std::printf("6. deep:\n");
    try {
        deep(0);
    } catch (const std::exception &e) {
        std::printf("  caught \"%s\" from level %d\n", e.what(), level_reached);
    }
    return 0;
}
