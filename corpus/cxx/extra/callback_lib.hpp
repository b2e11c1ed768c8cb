// shared by callback_throw.cpp and extra/callback_lib.cpp
#pragma once
#include <functional>

// calls fn(i) for i = 0 .. n-1 and returns the sum; no handler: what fn throws passes through
int lib_sum_over(int (*fn)(int), int n);
// keeps a std::function for later, then calls every kept one in order
void lib_keep(std::function<int(int)> fn);
int lib_run_kept(int arg);
// calls a member function through a pointer to member
struct Account;
int lib_apply(Account &account, int (Account::*op)(int), int amount);
