// rig: catching by a base class: an exception class hierarchy over std::runtime_error, the handler for the most derived class listed first wins, what() through the base; libc++'s own exceptions (vector::at, map::at, std::stoi, string::substr, std::bad_cast) caught as std::logic_error / std::exception; a private base is not matched; a thrown pointer to a derived class caught as a pointer to a base
// RUNTIME: musl
// STATUS: 0
// STDOUT: "raise(0): ConfigError key=port code=2 what=\"bad key: port\"\n"
// STDOUT: "raise(1): AppError code=7 what=\"app failed\"\n"
// STDOUT: "raise(2): std::out_of_range \"vector\"\n"
// STDOUT: "raise(3): std::logic_error \"stoi: no conversion\"\n"
// STDOUT: "raise(4): std::out_of_range \"stoi: out of range\"\n"
// STDOUT: "raise(5): std::out_of_range \"map::at:  key not found\"\n"
// STDOUT: "raise(6): std::out_of_range \"basic_string\"\n"
// STDOUT: "raise(7): std::exception \"Plain::what\"\n"
// STDOUT: "raise(8): std::runtime_error \"overflow!\"\n"
// STDOUT: "raise(9): std::exception \"std::bad_cast\"\n"
// STDOUT: "raise(10): not a std::exception (private base)\n"
// STDOUT: "as std::exception: \"bad key: timeout\", really an AppError: yes, code 2\n"
// STDOUT: "caught a pointer as std::exception *: \"bad key: retries\", same object: yes\n"

#include <cstdio>
#include <map>
#include <stdexcept>
#include <string>
#include <typeinfo>
#include <vector>

class AppError : public std::runtime_error {
public:
    AppError(const std::string &what, int code) : std::runtime_error(what), code_(code) {}
    int code() const { return code_; }

private:
    int code_;
};

class ConfigError : public AppError {
public:
    explicit ConfigError(const std::string &key) : AppError("bad key: " + key, 2), key_(key) {}
    const std::string &key() const { return key_; }

private:
    std::string key_;
};

struct Plain : std::exception {
    const char *what() const noexcept override { return "Plain::what"; }
};

struct Hidden : private std::exception {};   // not catchable as std::exception

static void raise(int which) {
    std::vector<int> v{1, 2, 3};
    std::map<std::string, int> m{{"one", 1}};
    std::string s("abc");
    switch (which) {
    case 0: throw ConfigError("port");
    case 1: throw AppError("app failed", 7);
    case 2: std::printf("  v.at(5) = %d\n", v.at(5)); break;
    case 3: std::printf("  stoi = %d\n", std::stoi("not a number")); break;
    case 4: std::printf("  stoi = %d\n", std::stoi("99999999999999999999")); break;
    case 5: std::printf("  m.at = %d\n", m.at("two")); break;
    case 6: std::printf("  substr = %s\n", s.substr(10).c_str()); break;
    case 7: throw Plain();
    case 8: throw std::overflow_error("overflow!");
    case 9: throw std::bad_cast();
    case 10: throw Hidden();
    }
}

static void classify(int which) {
    std::printf("raise(%d): ", which);
    try {
        raise(which);
        std::printf("nothing\n");
    } catch (const ConfigError &e) {
        std::printf("ConfigError key=%s code=%d what=\"%s\"\n", e.key().c_str(), e.code(), e.what());
    } catch (const AppError &e) {
        std::printf("AppError code=%d what=\"%s\"\n", e.code(), e.what());
    } catch (const std::out_of_range &e) {
        std::printf("std::out_of_range \"%s\"\n", e.what());
    } catch (const std::logic_error &e) {
        std::printf("std::logic_error \"%s\"\n", e.what());
    } catch (const std::runtime_error &e) {
        std::printf("std::runtime_error \"%s\"\n", e.what());
    } catch (const std::exception &e) {
        std::printf("std::exception \"%s\"\n", e.what());
    } catch (...) {
        std::printf("not a std::exception (private base)\n");
    }
}

int main() {
    for (int i = 0; i <= 10; i++)
        classify(i);

    // a base-class handler sees the derived object: virtual what(), dynamic type
    try {
        throw ConfigError("timeout");
    } catch (const std::exception &e) {
        const AppError *app = dynamic_cast<const AppError *>(&e);
        std::printf("as std::exception: \"%s\", really an AppError: %s, code %d\n", e.what(),
                    app ? "yes" : "no", app ? app->code() : -1);
    }
    // pointers: ConfigError * caught as std::exception *, AppError * not caught as int *
    ConfigError *p = new ConfigError("retries");
    try {
        try {
            throw p;
        } catch (int *) {
            std::printf("int * (wrong)\n");
        }
    } catch (std::exception *e) {
        std::printf("caught a pointer as std::exception *: \"%s\", same object: %s\n", e->what(),
                    e == p ? "yes" : "no");
        delete p;
    }
    return 0;
}
