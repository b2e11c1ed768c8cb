// rig: exceptions across modules: the EXTRA unit throws its own std::runtime_error subclass (type_info and vtable in that module only) and an int, main's unit catches them by their class, by std::exception and by int; main's callbacks throw a struct (type_info in both units) and a std::logic_error that the library catches, and one the library rethrows with throw; back to main
// RUNTIME: musl
// EXTRA: extra/cross_module_lib.cpp
// STATUS: 0
// STDOUT: "parsed \"1234\": 1234\n"
// STDOUT: "main caught lib::ParseError: unexpected 'x' at column 2\n"
// STDOUT: "main caught int -2\n"
// STDOUT: "main caught it as std::exception: unexpected '#'\n"
// STDOUT: "lib_call_and_catch: 2\n"
// STDOUT: "lib caught MainError 33 from main's callback\n"
// STDOUT: "lib_call_and_catch: -33\n"
// STDOUT: "lib caught std::exception: logic error number 4\n"
// STDOUT: "lib_call_and_catch: -1000\n"
// STDOUT: "lib saw an exception pass, rethrowing it\n"
// STDOUT: "main caught the rethrown MainError 55 from main's callback\n"
// STDOUT: "lib saw an exception pass, rethrowing it\n"
// STDOUT: "main caught lib::ParseError through both modules: unexpected '?'\n"

#include <cstdio>
#include <stdexcept>
#include "extra/cross_module.hpp"

static void parse(const char *text) {
    try {
        int v = lib_parse(text);
        std::printf("parsed \"%s\": %d\n", text, v);
    } catch (const lib::ParseError &e) {
        std::printf("main caught lib::ParseError: %s at column %d\n", e.what(), e.column());
    } catch (int where) {
        std::printf("main caught int %d\n", where);
    }
}

static int fails_with_main_error(int arg) {
    if (arg > 2)
        throw MainError{arg * 11, "main's callback"};
    return arg;
}

static int fails_with_logic_error(int arg) {
    throw std::logic_error("logic error number " + std::to_string(arg));
}

int main() {
    parse("1234");
    parse("12x4");
    parse("98!");
    try {
        lib_parse("#");
    } catch (const std::exception &e) {
        std::printf("main caught it as std::exception: %s\n", e.what());
    }
    std::printf("lib_call_and_catch: %d\n", lib_call_and_catch(fails_with_main_error, 2));
    std::printf("lib_call_and_catch: %d\n", lib_call_and_catch(fails_with_main_error, 3));
    std::printf("lib_call_and_catch: %d\n", lib_call_and_catch(fails_with_logic_error, 4));
    try {
        lib_rethrow_after_note(fails_with_main_error, 5);
        std::printf("not reached\n");
    } catch (MainError &e) {
        std::printf("main caught the rethrown MainError %d from %s\n", e.code, e.where);
    }
    try {
        lib_rethrow_after_note([](int a) -> int { return lib_parse(a ? "7?" : "7"); }, 1);
    } catch (const lib::ParseError &e) {
        std::printf("main caught lib::ParseError through both modules: %s\n", e.what());
    }
    return 0;
}
