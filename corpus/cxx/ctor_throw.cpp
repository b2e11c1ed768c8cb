// rig: exceptions thrown from constructors: the members and base already constructed are destroyed (reverse order), the object's own destructor does not run, later members are never built; new T frees its memory through the class's operator delete; new T[n] and a local array destroy the elements already built; a delegating constructor's object is complete once the target constructor returns, so its destructor does run; a vector's emplace_back that throws leaves the vector as it was
// RUNTIME: musl
// STATUS: 0
// STDOUT: "Machine m, Piece 12 throws:\n"
// STDOUT: "  Piece(10)\n"
// STDOUT: "  Base()\n"
// STDOUT: "  Piece(11)\n"
// STDOUT: "  Piece(12) throws\n"
// STDOUT: "  ~Piece(11)\n"
// STDOUT: "  ~Base()\n"
// STDOUT: "  ~Piece(10)\n"
// STDOUT: "  caught \"piece 12\", 0 live\n"
// STDOUT: "Machine m, Piece 10 throws:\n"
// STDOUT: "  Piece(10) throws\n"
// STDOUT: "  caught \"piece 10\", 0 live\n"
// STDOUT: "new Machine, Piece 13 throws:\n"
// STDOUT: "  Piece(10)\n"
// STDOUT: "  Base()\n"
// STDOUT: "  Piece(11)\n"
// STDOUT: "  Piece(12)\n"
// STDOUT: "  Piece(13) throws\n"
// STDOUT: "  ~Piece(12)\n"
// STDOUT: "  ~Piece(11)\n"
// STDOUT: "  ~Base()\n"
// STDOUT: "  ~Piece(10)\n"
// STDOUT: "  caught \"piece 13\", 0 live\n"
// STDOUT: "new Piece(5), Piece 5 throws:\n"
// STDOUT: "  Piece::operator new\n"
// STDOUT: "  Piece(5) throws\n"
// STDOUT: "  Piece::operator delete\n"
// STDOUT: "  caught \"piece 5\", 0 live\n"
// STDOUT: "new Piece(5), Piece 6 throws:\n"
// STDOUT: "  Piece::operator new\n"
// STDOUT: "  Piece(5)\n"
// STDOUT: "  ~Piece(5)\n"
// STDOUT: "  Piece::operator delete\n"
// STDOUT: "  no exception\n"
// STDOUT: "delegating Machine, Piece -1 throws:\n"
// STDOUT: "  Piece(10)\n"
// STDOUT: "  Base()\n"
// STDOUT: "  Piece(11)\n"
// STDOUT: "  Piece(12)\n"
// STDOUT: "  Piece(13)\n"
// STDOUT: "  Machine() body\n"
// STDOUT: "  ~Machine()\n"
// STDOUT: "  ~Piece(13)\n"
// STDOUT: "  ~Piece(12)\n"
// STDOUT: "  ~Piece(11)\n"
// STDOUT: "  ~Base()\n"
// STDOUT: "  ~Piece(10)\n"
// STDOUT: "  caught \"delegating body\", 0 live\n"
// STDOUT: "new Piece[3], Piece 2 throws:\n"
// STDOUT: "  Piece::operator new[]\n"
// STDOUT: "  Piece(0)\n"
// STDOUT: "  Piece(1)\n"
// STDOUT: "  Piece(2) throws\n"
// STDOUT: "  ~Piece(1)\n"
// STDOUT: "  ~Piece(0)\n"
// STDOUT: "  Piece::operator delete[]\n"
// STDOUT: "  caught \"piece 2\", 0 live\n"
// STDOUT: "Piece local[4], Piece 3 throws:\n"
// STDOUT: "  Piece(0)\n"
// STDOUT: "  Piece(1)\n"
// STDOUT: "  Piece(2)\n"
// STDOUT: "  Piece(3) throws\n"
// STDOUT: "  ~Piece(2)\n"
// STDOUT: "  ~Piece(1)\n"
// STDOUT: "  ~Piece(0)\n"
// STDOUT: "  caught \"piece 3\", 0 live\n"
// STDOUT: "  Piece(20)\n"
// STDOUT: "  Piece(21)\n"
// STDOUT: "v.emplace_back, Piece 22 throws:\n"
// STDOUT: "  Piece(22) throws\n"
// STDOUT: "  caught \"piece 22\", 2 live\n"
// STDOUT: "vector still has 2: 20 21\n"
// STDOUT: "  ~Piece(21)\n"
// STDOUT: "  ~Piece(20)\n"

#include <cstdio>
#include <cstdlib>
#include <new>
#include <stdexcept>
#include <string>
#include <vector>

static int fail_on = -1;     // the constructor with this id throws
static int live = 0;

struct Piece {
    int id;
    explicit Piece(int i) : id(i) {
        if (i == fail_on) {
            std::printf("  Piece(%d) throws\n", i);
            throw std::runtime_error("piece " + std::to_string(i));
        }
        ++live;
        std::printf("  Piece(%d)\n", i);
    }
    Piece(Piece &&o) noexcept : id(o.id) { ++live; }
    ~Piece() { --live; std::printf("  ~Piece(%d)\n", id); }
    static void *operator new(std::size_t n) {
        std::printf("  Piece::operator new\n");
        return std::malloc(n);
    }
    static void operator delete(void *p) {
        std::printf("  Piece::operator delete\n");
        std::free(p);
    }
    static void *operator new[](std::size_t n) {
        std::printf("  Piece::operator new[]\n");
        return std::malloc(n);
    }
    static void operator delete[](void *p) {
        std::printf("  Piece::operator delete[]\n");
        std::free(p);
    }
};

struct Base {
    Piece base_piece{10};
    Base() { std::printf("  Base()\n"); }
    ~Base() { std::printf("  ~Base()\n"); }
};

struct Machine : Base {
    Piece a{11}, b{12}, c{13};
    Machine() { std::printf("  Machine() body\n"); }
    explicit Machine(bool fail_in_body) : Machine() {
        if (fail_in_body)
            throw std::logic_error("delegating body");
    }
    ~Machine() { std::printf("  ~Machine()\n"); }
};

template <class F> static void attempt(const char *what, int fail, F f) {
    std::printf("%s, Piece %d throws:\n", what, fail);
    fail_on = fail;
    try {
        f();
        std::printf("  no exception\n");
    } catch (const std::exception &e) {
        std::printf("  caught \"%s\", %d live\n", e.what(), live);
    }
}

int main() {
    attempt("Machine m", 12, [] { Machine m; });
    attempt("Machine m", 10, [] { Machine m; });
    attempt("new Machine", 13, [] { delete new Machine; });
    attempt("new Piece(5)", 5, [] { delete new Piece(5); });
    attempt("new Piece(5)", 6, [] { delete new Piece(5); });
    attempt("delegating Machine", -1, [] { Machine m(true); });
    attempt("new Piece[3]", 2, [] {
        Piece *p = new Piece[3]{Piece(0), Piece(1), Piece(2)};
        delete[] p;
    });
    attempt("Piece local[4]", 3, [] { Piece local[4] = {Piece(0), Piece(1), Piece(2), Piece(3)}; });
    std::vector<Piece> v;
    v.reserve(4);
    v.emplace_back(20);
    v.emplace_back(21);
    attempt("v.emplace_back", 22, [&v] { v.emplace_back(22); });
    std::printf("vector still has %zu: %d %d\n", v.size(), v[0].id, v[1].id);
    return 0;
}
