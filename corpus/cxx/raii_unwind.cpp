// rig: destructors run during unwinding: objects of every frame between the throw and the handler are destroyed innermost first, each frame's in reverse order of construction (arrays and vectors elementwise, temporaries, unique_ptr-owned objects, a member's destructor after its owner's); objects constructed after the throw point never exist; a destructor may itself use try/catch while unwinding; objects of the handler's own frame survive until their scope ends
// RUNTIME: musl
// STATUS: 0
// STDOUT: "without a throw:\n"
// STDOUT: "  + vec0\n"
// STDOUT: "  + vec1\n"
// STDOUT: "  + l1.b\n"
// STDOUT: "  + member\n"
// STDOUT: "  + holder\n"
// STDOUT: "  + owned\n"
// STDOUT: "  + temp\n"
// STDOUT: "  temp first letter t\n"
// STDOUT: "  - temp\n"
// STDOUT: "  + l3.a\n"
// STDOUT: "  + arr0\n"
// STDOUT: "  + arr1\n"
// STDOUT: "  + arr2\n"
// STDOUT: "  + after\n"
// STDOUT: "  - after\n"
// STDOUT: "  - arr2\n"
// STDOUT: "  - arr1\n"
// STDOUT: "  - arr0\n"
// STDOUT: "  - l3.a\n"
// STDOUT: "  level2 end\n"
// STDOUT: "  - careful (caught its own exception during unwinding)\n"
// STDOUT: "  - owned\n"
// STDOUT: "  - holder\n"
// STDOUT: "  - member\n"
// STDOUT: "  - l1.b\n"
// STDOUT: "  - vec1\n"
// STDOUT: "  - vec0\n"
// STDOUT: "with a throw:\n"
// STDOUT: "  + outer\n"
// STDOUT: "  + in_try\n"
// STDOUT: "  + vec0\n"
// STDOUT: "  + vec1\n"
// STDOUT: "  + l1.b\n"
// STDOUT: "  + member\n"
// STDOUT: "  + holder\n"
// STDOUT: "  + owned\n"
// STDOUT: "  + temp\n"
// STDOUT: "  temp first letter t\n"
// STDOUT: "  - temp\n"
// STDOUT: "  + l3.a\n"
// STDOUT: "  + arr0\n"
// STDOUT: "  + arr1\n"
// STDOUT: "  + arr2\n"
// STDOUT: "  - arr2\n"
// STDOUT: "  - arr1\n"
// STDOUT: "  - arr0\n"
// STDOUT: "  - l3.a\n"
// STDOUT: "  - careful (caught its own exception during unwinding)\n"
// STDOUT: "  - owned\n"
// STDOUT: "  - holder\n"
// STDOUT: "  - member\n"
// STDOUT: "  - l1.b\n"
// STDOUT: "  - vec1\n"
// STDOUT: "  - vec0\n"
// STDOUT: "  - in_try\n"
// STDOUT: "  caught: thrown in level3\n"
// STDOUT: "end of main\n"
// STDOUT: "  - outer\n"

#include <cstdio>
#include <memory>
#include <stdexcept>
#include <vector>

struct Noisy {
    char name[12];
    explicit Noisy(const char *n) {
        std::snprintf(name, sizeof name, "%s", n);
        std::printf("  + %s\n", name);
    }
    Noisy(const Noisy &o) {
        std::snprintf(name, sizeof name, "%s'", o.name);
        std::printf("  + %s (copy)\n", name);
    }
    ~Noisy() { std::printf("  - %s\n", name); }
};

struct Holder {
    Noisy member{"member"};
    Holder() { std::printf("  + holder\n"); }
    ~Holder() { std::printf("  - holder\n"); }
};

struct Careful {
    ~Careful() {
        try {
            throw 1;   // caught inside the destructor: allowed while unwinding
        } catch (int) {
            std::printf("  - careful (caught its own exception during unwinding)\n");
        }
    }
};

static int use(const Noisy &n) { return n.name[0]; }

static void level3(int fail) {
    Noisy c1("l3.a");
    Noisy arr[3] = {Noisy("arr0"), Noisy("arr1"), Noisy("arr2")};
    if (fail)
        throw std::runtime_error("thrown in level3");
    Noisy after("after");
}

static void level2(int fail) {
    Holder h;
    auto owned = std::make_unique<Noisy>("owned");
    Careful careful;
    std::printf("  temp first letter %c\n", use(Noisy("temp")));
    level3(fail);
    std::printf("  level2 end\n");
}

static void level1(int fail) {
    std::vector<Noisy> v;
    v.reserve(2);
    v.emplace_back("vec0");
    v.emplace_back("vec1");
    Noisy b("l1.b");
    level2(fail);
}

int main() {
    std::printf("without a throw:\n");
    level1(0);
    std::printf("with a throw:\n");
    Noisy outer("outer");
    try {
        Noisy in_try("in_try");
        level1(1);
    } catch (const std::exception &e) {
        std::printf("  caught: %s\n", e.what());
    }
    std::printf("end of main\n");
    return 0;
}
