// rig: unit a of static_objects.cpp: objects with init_priority 101 and 300, default-priority
// objects noting their order in a log, a dynamically initialized int, a function-local static

#include <cstring>
#include "static_objects.hpp"

namespace {
char log_a[64];                   // zero-initialized before any constructor runs

struct Noted {
    const char *name;
    explicit Noted(const char *n) : name(n) {
        std::strcat(log_a, log_a[0] ? " " : "");
        std::strcat(log_a, name);
    }
};

Noted a1("a1");
int compute() {
    Noted n("a2(temporary)");
    return static_cast<int>(std::strlen(log_a));
}
int a_value = compute();          // runs between a1 and a3: declaration order
Noted a3("a3");

Tracer first __attribute__((init_priority(101))) {"a: init_priority 101"};
Tracer late __attribute__((init_priority(300))) {"a: init_priority 300"};
}  // namespace

const char *static_a_log() { return log_a; }
int static_a_value() { return a_value; }

Tracer &static_a_local() {
    static Tracer local("a: function-local static");
    return local;
}
