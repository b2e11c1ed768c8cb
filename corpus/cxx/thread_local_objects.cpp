// rig: thread_local in the main thread: a thread_local object of a class with a constructor and destructor is constructed on its first use (not before main), once, together with the unit's other dynamically initialized thread_locals (clang initializes them all at the first use of any: seed() runs first); thread_local ints (constant-initialized, and dynamically initialized from a function), a thread_local std::string, a function-local static thread_local counter and a thread_local array; at exit the thread_local objects are destroyed (libc++abi's __cxa_thread_atexit runs them for the main thread, before the static objects constructed earlier are destroyed)
// RUNTIME: musl
// STATUS: 0
// STDOUT: "main starts: 0 sessions made, counter 0\n"
// STDOUT: "seed() runs for the thread_local int\n"
// STDOUT: "Session constructed for guest\n"
// STDOUT: "request 1 by alice (id 1)\n"
// STDOUT: "request 2 by alice (id 2)\n"
// STDOUT: "request 3 by alice (id 3)\n"
// STDOUT: "sessions made: 1\n"
// STDOUT: "seeded + 2 = 42\n"
// STDOUT: "after ++seeded: 41\n"
// STDOUT: "calls: 101 102 103\n"
// STDOUT: "tl_name main-thread/renamed, table 1 2 30 4\n"
// STDOUT: "main returns\n"
// STDOUT: "Session destroyed after 3 requests\n"
// STDOUT: "static Global destroyed\n"

#include <cstdio>
#include <string>

static int sessions_made = 0;

struct Session {
    int requests = 0;
    std::string user;
    Session() : user("guest") {
        ++sessions_made;
        std::printf("Session constructed for %s\n", user.c_str());
    }
    ~Session() { std::printf("Session destroyed after %d requests\n", requests); }
};

struct Global {
    ~Global() { std::printf("static Global destroyed\n"); }
};
static Global global;

static int seed() {
    std::printf("seed() runs for the thread_local int\n");
    return 40;
}

thread_local int counter = 0;                // constant initialization: no code
thread_local int seeded = seed();            // dynamic: on first use in the thread
thread_local Session session;
thread_local std::string tl_name = "main-thread";
thread_local int table[4] = {1, 2, 3, 4};

static int next_id() { return ++counter; }

static int calls() {
    static thread_local int n = 100;
    return ++n;
}

static void handle(const char *user) {
    Session &s = session;                    // constructs it on the first call
    if (s.requests == 0)
        s.user = user;
    s.requests++;
    std::printf("request %d by %s (id %d)\n", s.requests, s.user.c_str(), next_id());
}

int main() {
    std::printf("main starts: %d sessions made, counter %d\n", sessions_made, counter);
    handle("alice");
    handle("bob");
    handle("carol");
    std::printf("sessions made: %d\n", sessions_made);
    std::printf("seeded + 2 = %d\n", seeded + 2);
    ++seeded;
    std::printf("after ++seeded: %d\n", seeded);
    int a = calls(), b = calls(), c = calls();
    std::printf("calls: %d %d %d\n", a, b, c);
    tl_name += "/renamed";
    table[2] *= 10;
    std::printf("tl_name %s, table %d %d %d %d\n", tl_name.c_str(), table[0], table[1], table[2], table[3]);
    std::printf("main returns\n");
    return 0;
}
