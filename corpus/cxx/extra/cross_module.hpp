// shared by cross_module_throw.cpp and extra/cross_module_lib.cpp
#pragma once
#include <stdexcept>
#include <string>

namespace lib {
// key function (the destructor) defined in extra/cross_module_lib.cpp: its vtable and
// type_info live in that module only
class ParseError : public std::runtime_error {
public:
    ParseError(const std::string &text, int column);
    ~ParseError() override;
    int column() const { return column_; }

private:
    int column_;
};
}  // namespace lib

// thrown by main's unit, caught in the library; no key function: every unit that uses its
// type_info has its own (weak, merged) copy
struct MainError {
    int code;
    const char *where;
};

// the library's entry points
int lib_parse(const char *text);                       // throws lib::ParseError or int
int lib_call_and_catch(int (*callback)(int), int arg); // catches what callback throws
int lib_rethrow_after_note(int (*callback)(int), int arg);
