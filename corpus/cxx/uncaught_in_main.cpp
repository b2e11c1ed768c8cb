// rig: an exception nothing catches: std::terminate with libc++abi's message naming the demangled type and what() ("libc++abi: terminating due to uncaught exception of type app::BadInput: line 3: expected a number"), status 134; no handler, so no stack is unwound (main's local destructor does not run: libc++abi terminates in the search phase); stdout flushed by std::endl before appears
// RUNTIME: musl
// STATUS: 134
// STDOUT: "line 1 ok, sum 1\n"
// STDOUT: "line 2 ok, sum 3\n"
// STDERR: "libc++abi: terminating due to uncaught exception of type app::BadInput: line 3: expected a number\n"

#include <cstdio>
#include <iostream>
#include <stdexcept>
#include <string>

namespace app {
class BadInput : public std::runtime_error {
public:
    BadInput(int line, const std::string &msg) : std::runtime_error("line " + std::to_string(line) + ": " + msg) {}
};
}  // namespace app

struct Local {
    ~Local() { std::fprintf(stderr, "~Local (never)\n"); }
};

static int parse_line(int line, const char *text) {
    if (text[0] < '0' || text[0] > '9')
        throw app::BadInput(line, "expected a number");
    return text[0] - '0';
}

int main() {
    Local local;
    const char *lines[] = {"1", "2", "x"};
    int sum = 0;
    for (int i = 0; i < 3; i++) {
        try {
            sum += parse_line(i + 1, lines[i]);
            std::cout << "line " << i + 1 << " ok, sum " << sum << std::endl;
        } catch (const std::logic_error &e) {           // the wrong kind: BadInput is a runtime_error
            std::cout << "logic error (never): " << e.what() << std::endl;
        }
    }
    std::cout << "end of main (never)" << std::endl;
    return 0;
}
