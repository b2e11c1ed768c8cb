// rig: rethrowing: throw; rethrows the same exception object (a by-reference change is seen outside), throw e; throws a sliced copy; std::exception_ptr from std::current_exception and std::make_exception_ptr, kept past the handler and rethrown with std::rethrow_exception (twice: the same object); std::throw_with_nested and std::rethrow_if_nested walk a chain of causes; std::uncaught_exceptions in a destructor during unwinding
// RUNTIME: musl
// STATUS: 0
// STDOUT: "relay: \"from the bottom\" after 4 hops\n"
// STDOUT: "slice: a plain std::exception now, what() = \"std::exception\"\n"
// STDOUT: "empty exception_ptr: null\n"
// STDOUT: "captured: a set, b set, a == b no, copy of a == a yes\n"
// STDOUT: "  rethrown: std::exception \"captured out_of_range\"\n"
// STDOUT: "  rethrown: int 1234\n"
// STDOUT: "rethrown twice: the same object: yes\n"
// STDOUT: "make_exception_ptr: \"made, not thrown\"\n"
// STDOUT: "nested chain:\n"
// STDOUT: "  cannot load\n"
// STDOUT: "    cannot open config\n"
// STDOUT: "      file not found\n"
// STDOUT: "uncaught_exceptions outside: 0\n"
// STDOUT: "  ~Watcher: 1 uncaught exception(s)\n"
// STDOUT: "  caught; now 0 uncaught\n"

#include <cstdio>
#include <exception>
#include <stdexcept>
#include <string>

struct Tagged : std::runtime_error {
    int hops = 0;
    explicit Tagged(const char *what) : std::runtime_error(what) {}
};

static void relay(int depth) {
    try {
        if (depth == 0)
            throw Tagged("from the bottom");
        relay(depth - 1);
    } catch (Tagged &t) {
        t.hops++;
        throw;          // the same object goes on
    }
}

static void slice() {
    try {
        throw Tagged("tagged");
    } catch (std::exception &e) {
        throw e;        // copies the std::exception part only
    }
}

static std::exception_ptr capture(int which) {
    try {
        if (which == 0)
            throw std::out_of_range("captured out_of_range");
        throw 1234;
    } catch (...) {
        return std::current_exception();
    }
}

static void describe(const std::exception_ptr &p) {
    try {
        std::rethrow_exception(p);
    } catch (const std::exception &e) {
        std::printf("  rethrown: std::exception \"%s\"\n", e.what());
    } catch (int i) {
        std::printf("  rethrown: int %d\n", i);
    }
}

static void open_config() {
    try {
        throw std::runtime_error("file not found");
    } catch (...) {
        std::throw_with_nested(std::runtime_error("cannot open config"));
    }
}

static void load() {
    try {
        open_config();
    } catch (...) {
        std::throw_with_nested(std::logic_error("cannot load"));
    }
}

static void print_chain(const std::exception &e, int level) {
    std::printf("  %*s%s\n", 2 * level, "", e.what());
    try {
        std::rethrow_if_nested(e);
    } catch (const std::exception &inner) {
        print_chain(inner, level + 1);
    }
}

struct Watcher {
    ~Watcher() { std::printf("  ~Watcher: %d uncaught exception(s)\n", std::uncaught_exceptions()); }
};

int main() {
    try {
        relay(3);
    } catch (const Tagged &t) {
        std::printf("relay: \"%s\" after %d hops\n", t.what(), t.hops);
    }
    try {
        slice();
    } catch (const Tagged &) {
        std::printf("slice: still a Tagged (wrong)\n");
    } catch (const std::exception &e) {
        std::printf("slice: a plain std::exception now, what() = \"%s\"\n", e.what());
    }

    std::exception_ptr none;
    std::printf("empty exception_ptr: %s\n", none ? "non-null" : "null");
    std::exception_ptr a = capture(0), b = capture(1);
    std::exception_ptr c = std::make_exception_ptr(std::string("made, not thrown"));
    std::printf("captured: a %s, b %s, a == b %s, copy of a == a %s\n", a ? "set" : "null", b ? "set" : "null",
                a == b ? "yes" : "no", std::exception_ptr(a) == a ? "yes" : "no");
    describe(a);
    describe(b);
    const std::exception *first = nullptr;
    for (int i = 0; i < 2; i++) {
        try {
            std::rethrow_exception(a);
        } catch (const std::exception &e) {
            if (!first)
                first = &e;
            else
                std::printf("rethrown twice: the same object: %s\n", first == &e ? "yes" : "no");
        }
    }
    try {
        std::rethrow_exception(c);
    } catch (const std::string &s) {
        std::printf("make_exception_ptr: \"%s\"\n", s.c_str());
    }

    std::printf("nested chain:\n");
    try {
        load();
    } catch (const std::exception &e) {
        print_chain(e, 0);
    }

    std::printf("uncaught_exceptions outside: %d\n", std::uncaught_exceptions());
    try {
        Watcher w;
        throw 5;
    } catch (int) {
        std::printf("  caught; now %d uncaught\n", std::uncaught_exceptions());
    }
    return 0;
}
