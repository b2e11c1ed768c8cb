// rig: std::set_terminate: an uncaught exception calls the program's own terminate handler (not libc++abi's message), which finds the exception with std::current_exception, rethrows it to read what(), and ends the program with std::exit(3): unlike abort, exit runs the atexit handlers and the static destructors and flushes stdout's buffer (the lines after the explicit fflush come out after the handler's stderr line); std::get_terminate returns the handler; main's locals are not destroyed (no unwinding without a handler)
// RUNTIME: musl
// STATUS: 3
// STDOUT: "previous handler set: yes, get_terminate is ours: yes\n"
// STDERR: "terminate handler: uncaught std::exception \"value 3 out of domain\"\n"
// STDOUT: "check(1) ok\n"
// STDOUT: "check(2) ok\n"
// STDOUT: "atexit handler runs\n"
// STDOUT: "~Named(static object)\n"

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <stdexcept>
#include <string>

struct Named {
    const char *name;
    ~Named() { std::printf("~Named(%s)\n", name); }
};

static Named global{"static object"};

[[noreturn]] static void on_terminate() {
    std::fprintf(stderr, "terminate handler: ");
    if (std::exception_ptr p = std::current_exception()) {
        try {
            std::rethrow_exception(p);
        } catch (const std::exception &e) {
            std::fprintf(stderr, "uncaught std::exception \"%s\"\n", e.what());
        } catch (...) {
            std::fprintf(stderr, "uncaught, not a std::exception\n");
        }
    } else {
        std::fprintf(stderr, "no current exception\n");
    }
    std::exit(3);
}

static void check(int v) {
    if (v > 2)
        throw std::domain_error("value " + std::to_string(v) + " out of domain");
    std::printf("check(%d) ok\n", v);
}

int main() {
    std::terminate_handler previous = std::set_terminate(on_terminate);
    std::printf("previous handler set: %s, get_terminate is ours: %s\n", previous ? "yes" : "no",
                std::get_terminate() == on_terminate ? "yes" : "no");
    std::fflush(stdout);
    std::atexit([] { std::printf("atexit handler runs\n"); });
    Named local{"main's local"};
    for (int i = 1; i <= 4; i++)
        check(i);
    std::printf("never\n");
    return 0;
}
