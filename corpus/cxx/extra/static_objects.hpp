// shared by static_objects.cpp, extra/static_a.cpp and extra/static_b.cpp
#pragma once
#include <cstdio>

struct Tracer {
    const char *name;
    explicit Tracer(const char *n) : name(n) { std::printf("construct %s\n", name); }
    ~Tracer() { std::printf("destroy %s\n", name); }
};

// one object for all three units (an inline variable): constructed once, by whichever unit's
// initialization comes first, and in every unit before the objects defined after this line
inline Tracer shared_inline{"inline variable shared by the units"};

// a unit's default-priority objects do not print (the order of the units is unspecified): they
// note their construction in the unit's log, which main prints
const char *static_a_log();
const char *static_b_log();
int static_a_value();
Tracer &static_a_local();
Tracer &static_b_local();
