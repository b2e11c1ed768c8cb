// rig: outer(0) returns normally (both destructors print); then an exception escaping a noexcept function calls std::terminate: libc++abi's default handler writes "libc++abi: terminating due to uncaught exception of type int" to stderr and aborts (status 134); the caller's catch (...) is never reached; the frames between the throw and the noexcept function are unwound first (their destructors run: clang gives a noexcept function a catch-all landing pad that calls std::terminate), the noexcept function's own locals are not destroyed; stdout written before an explicit flush appears, stdout still in stdio's buffer is lost (abort flushes nothing), atexit handlers and static destructors do not run
// RUNTIME: musl
// STATUS: 134
// STDERR: "~Noisy(inner)\n"
// STDERR: "~Noisy(outer)\n"
// STDOUT: "outer(0) = 1\n"
// STDERR: "~Noisy(inner)\n"
// STDERR: "libc++abi: terminating due to uncaught exception of type int\n"

#include <cstdio>
#include <cstdlib>

struct Noisy {
    const char *name;
    ~Noisy() { std::fprintf(stderr, "~Noisy(%s)\n", name); }
};

static Noisy global{"global: never destroyed"};

__attribute__((noinline)) static int inner(int v) {
    Noisy n{"inner"};
    if (v > 0)
        throw v;
    return v;
}

__attribute__((noinline)) static int outer(int v) noexcept {
    Noisy n{"outer"};
    return inner(v) + 1;
}

int main(int argc, char **argv) {
    (void)argv;
    std::atexit([] { std::printf("atexit handler (never runs)\n"); });
    std::printf("outer(0) = %d\n", outer(0));
    std::fflush(stdout);
    std::printf("buffered when std::terminate is called: lost\n");
    try {
        outer(argc + 6);
    } catch (...) {
        std::printf("caught in main (never)\n");
    }
    std::printf("after the call (never)\n");
    return 0;
}
