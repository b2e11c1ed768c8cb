// rig: the library unit of cross_module_throw.cpp: throws its own exception class and an int
// into main's unit, catches what main's callbacks throw

#include <cstdio>
#include "cross_module.hpp"

namespace lib {
ParseError::ParseError(const std::string &text, int column)
    : std::runtime_error("unexpected '" + text + "'"), column_(column) {}
ParseError::~ParseError() {}
}  // namespace lib

int lib_parse(const char *text) {
    int value = 0;
    for (int i = 0; text[i]; i++) {
        char c = text[i];
        if (c == '!')
            throw -i;                           // an int across the module boundary
        if (c < '0' || c > '9')
            throw lib::ParseError(std::string(1, c), i);
        value = value * 10 + (c - '0');
    }
    return value;
}

int lib_call_and_catch(int (*callback)(int), int arg) {
    try {
        return callback(arg);
    } catch (const MainError &e) {
        std::printf("lib caught MainError %d from %s\n", e.code, e.where);
        return -e.code;
    } catch (const std::exception &e) {
        std::printf("lib caught std::exception: %s\n", e.what());
        return -1000;
    }
}

int lib_rethrow_after_note(int (*callback)(int), int arg) {
    try {
        return callback(arg);
    } catch (...) {
        std::printf("lib saw an exception pass, rethrowing it\n");
        throw;
    }
}
