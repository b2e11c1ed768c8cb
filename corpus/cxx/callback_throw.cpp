// rig: throwing through function pointers: a table of functions called through pointers in main's unit; a callback passed into the EXTRA unit throws and the exception passes through that module's frames (its destructors run, innermost first) back to main's handler; the same through std::function objects the other module kept, and through a pointer to member function
// RUNTIME: musl
// EXTRA: extra/callback_lib.cpp
// STATUS: 0
// STDOUT: "table[0](2) = 4\n"
// STDOUT: "table[1](2) = 4\n"
// STDOUT: "table[2](2) threw 200\n"
// STDOUT: "  lib: ~Frame(step 0)\n"
// STDOUT: "  lib: ~Frame(step 1)\n"
// STDOUT: "  lib: ~Frame(step 2)\n"
// STDOUT: "  lib: ~Frame(step 3)\n"
// STDOUT: "  lib: ~Frame(sum_over 4)\n"
// STDOUT: "sum over twice: 12\n"
// STDOUT: "  lib: ~Frame(step 0)\n"
// STDOUT: "  lib: ~Frame(step 1)\n"
// STDOUT: "  lib: ~Frame(step 2)\n"
// STDOUT: "  lib: ~Frame(sum_over 4)\n"
// STDOUT: "main caught 200 from the callback, through lib_sum_over\n"
// STDOUT: "  lib: ~Frame(run_kept 2)\n"
// STDOUT: "run kept: 1012\n"
// STDOUT: "  lib: ~Frame(run_kept 3)\n"
// STDOUT: "main caught \"kept lambda failed on 4\"\n"
// STDOUT: "  lib: ~Frame(apply 25)\n"
// STDOUT: "deposit: 75\n"
// STDOUT: "  lib: ~Frame(apply 70)\n"
// STDOUT: "withdraw: 5\n"
// STDOUT: "  lib: ~Frame(apply 10)\n"
// STDOUT: "main caught: insufficient funds: 5 < 10 (balance still 5)\n"

#include <cstdio>
#include <stdexcept>
#include <string>
#include "extra/callback_lib.hpp"

struct Account {
    int balance;
    int deposit(int amount) { return balance += amount; }
    int withdraw(int amount) {
        if (amount > balance)
            throw std::runtime_error("insufficient funds: " + std::to_string(balance) + " < " + std::to_string(amount));
        return balance -= amount;
    }
};

static int twice(int x) { return 2 * x; }
static int square(int x) { return x * x; }
static int fail_at_2(int x) {
    if (x == 2)
        throw x * 100;
    return x;
}

static int (*const table[])(int) = {twice, square, fail_at_2};

int main() {
    // through a table of function pointers, in this unit
    for (int i = 0; i < 3; i++) {
        try {
            std::printf("table[%d](2) = %d\n", i, table[i](2));
        } catch (int e) {
            std::printf("table[%d](2) threw %d\n", i, e);
        }
    }
    // a callback passed into the other module
    std::printf("sum over twice: %d\n", lib_sum_over(twice, 4));
    try {
        std::printf("sum over fail_at_2: %d\n", lib_sum_over(fail_at_2, 4));
    } catch (int e) {
        std::printf("main caught %d from the callback, through lib_sum_over\n", e);
    }
    // std::function objects kept by the other module: a lambda with a capture, then one that throws
    int base = 1000;
    lib_keep([base](int x) { return base + x; });
    lib_keep(square);
    std::printf("run kept: %d\n", lib_run_kept(3));
    lib_keep([](int x) -> int { throw std::string("kept lambda failed on " + std::to_string(x)); });
    try {
        lib_run_kept(4);
    } catch (const std::string &s) {
        std::printf("main caught \"%s\"\n", s.c_str());
    }
    // a pointer to member function, called by the other module
    Account account{50};
    std::printf("deposit: %d\n", lib_apply(account, &Account::deposit, 25));
    std::printf("withdraw: %d\n", lib_apply(account, &Account::withdraw, 70));
    try {
        lib_apply(account, &Account::withdraw, 10);
    } catch (const std::exception &e) {
        std::printf("main caught: %s (balance still %d)\n", e.what(), account.balance);
    }
    return 0;
}
