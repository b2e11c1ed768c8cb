// rig: the library unit of callback_throw.cpp: calls main's callbacks through a function
// pointer, kept std::function objects and a pointer to member, with objects whose destructors
// print, and no handler of its own

#include <cstdio>
#include <vector>
#include "callback_lib.hpp"

namespace {
struct Frame {
    const char *name;
    int n;
    Frame(const char *name_, int n_) : name(name_), n(n_) {}
    ~Frame() { std::printf("  lib: ~Frame(%s %d)\n", name, n); }
};
std::vector<std::function<int(int)>> kept;
}  // namespace

int lib_sum_over(int (*fn)(int), int n) {
    Frame outer("sum_over", n);
    int sum = 0;
    for (int i = 0; i < n; i++) {
        Frame step("step", i);
        sum += fn(i);
    }
    return sum;
}

void lib_keep(std::function<int(int)> fn) { kept.push_back(std::move(fn)); }

int lib_run_kept(int arg) {
    Frame f("run_kept", static_cast<int>(kept.size()));
    int total = 0;
    for (auto &fn : kept)
        total += fn(arg);
    return total;
}

int lib_apply(Account &account, int (Account::*op)(int), int amount) {
    Frame f("apply", amount);
    return (account.*op)(amount);
}
