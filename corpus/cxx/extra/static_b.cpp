// rig: unit b of static_objects.cpp: an object with init_priority 150, default-priority objects
// noting their order in a log, a function-local static

#include <cstring>
#include <string>
#include "static_objects.hpp"

namespace {
char log_b[64];

struct Noted {
    explicit Noted(const char *n) {
        std::strcat(log_b, log_b[0] ? " " : "");
        std::strcat(log_b, n);
    }
};

Noted b1("b1");
std::string b_text = std::string("b") + "2";
Noted b2(b_text.c_str());         // uses b_text: declared after it, so constructed after it

Tracer early __attribute__((init_priority(150))) {"b: init_priority 150"};
}  // namespace

const char *static_b_log() { return log_b; }

Tracer &static_b_local() {
    static Tracer local("b: function-local static");
    return local;
}
