// rig: static objects with constructors and destructors in three units: init_priority objects first, across the units in priority order (101, 150, 200, 300), then each unit's default-priority objects in declaration order (the units' relative order is unspecified, so only main's unit prints them; the others note their order in logs main prints), an inline variable shared by the units constructed once; function-local statics constructed on first call; at exit everything is destroyed in the reverse order of construction, interleaved with an atexit handler by registration time
// RUNTIME: musl
// EXTRA: extra/static_a.cpp
// EXTRA: extra/static_b.cpp
// STATUS: 0
// STDOUT: "construct a: init_priority 101\n"
// STDOUT: "construct b: init_priority 150\n"
// STDOUT: "construct main: init_priority 200\n"
// STDOUT: "construct a: init_priority 300\n"
// STDOUT: "construct inline variable shared by the units\n"
// STDOUT: "construct main: first\n"
// STDOUT: "construct main: second\n"
// STDOUT: "main starts: main_value 10, a's log \"a1 a2(temporary) a3\" (a_value 16), b's log \"b1 b2\"\n"
// STDOUT: "shared_inline is inline variable shared by the units\n"
// STDOUT: "construct a: function-local static\n"
// STDOUT: "construct b: function-local static\n"
// STDOUT: "construct main: function-local static\n"
// STDOUT: "main returns\n"
// STDOUT: "destroy main: function-local static\n"
// STDOUT: "destroy b: function-local static\n"
// STDOUT: "atexit handler\n"
// STDOUT: "destroy a: function-local static\n"
// STDOUT: "destroy main: second\n"
// STDOUT: "destroy main: first\n"
// STDOUT: "destroy inline variable shared by the units\n"
// STDOUT: "destroy a: init_priority 300\n"
// STDOUT: "destroy main: init_priority 200\n"
// STDOUT: "destroy b: init_priority 150\n"
// STDOUT: "destroy a: init_priority 101\n"

#include <cstdlib>
#include "extra/static_objects.hpp"

Tracer main_prio __attribute__((init_priority(200))) {"main: init_priority 200"};
Tracer main_first{"main: first"};
static Tracer main_second{"main: second"};

static int calls = 0;
static int counted() { return ++calls; }
static int main_value = counted() * 10;       // dynamic initialization, before main

static Tracer &main_local() {
    static Tracer local("main: function-local static");
    return local;
}

int main() {
    std::printf("main starts: main_value %d, a's log \"%s\" (a_value %d), b's log \"%s\"\n", main_value,
                static_a_log(), static_a_value(), static_b_log());
    std::printf("shared_inline is %s\n", shared_inline.name);
    static_a_local();
    std::atexit([] { std::printf("atexit handler\n"); });
    static_b_local();
    main_local();
    static_a_local();                          // already constructed: nothing printed
    std::printf("main returns\n");
    return 0;
}
