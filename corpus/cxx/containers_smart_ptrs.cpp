// rig: libc++ containers and smart pointers: words read from stdin with std::cin into a std::map<std::string, int> (sorted keys) and a std::vector; std::string operations (find, substr, replace, +=, compare, to_string); std::vector growth and erase; std::unique_ptr (ownership moved, released, custom deleter); std::shared_ptr use counts, a shared object destroyed with its last owner, std::weak_ptr expiring
// RUNTIME: musl
// STDIN: "the quick brown fox\njumps over the lazy dog\n"
// STDIN: "the end"
// STATUS: 0
// STDOUT: "11 words, 9 distinct\n"
// STDOUT: "  brown  1\n"
// STDOUT: "  dog    1\n"
// STDOUT: "  end    1\n"
// STDOUT: "  fox    1\n"
// STDOUT: "  jumps  1\n"
// STDOUT: "  lazy   1\n"
// STDOUT: "  over   1\n"
// STDOUT: "  quick  1\n"
// STDOUT: "  the    3\n"
// STDOUT: "longest: quick, last: end\n"
// STDOUT: "s = \"Hello, world! 2024\" (18), find(\"world\") 7, npos? 1\n"
// STDOUT: "replaced: \"Goodbye, world! 2024\", substr(9, 5) \"world\", compare 0\n"
// STDOUT: "vector (8): -1 1 4 36 49 64 81 100\n"
// STDOUT: "unique_ptr:\n"
// STDOUT: "  acquire A\n"
// STDOUT: "  after move: a empty, b owns A\n"
// STDOUT: "  released A\n"
// STDOUT: "  acquire C\n"
// STDOUT: "  release A\n"
// STDOUT: "  Closer called (custom deleter)\n"
// STDOUT: "  release C\n"
// STDOUT: "shared_ptr:\n"
// STDOUT: "  acquire S\n"
// STDOUT: "  use_count 1\n"
// STDOUT: "  use_count 5, weak expired 0\n"
// STDOUT: "  use_count 1, lock gives S\n"
// STDOUT: "  release S\n"
// STDOUT: "  weak expired 1, lock gives null\n"

#include <cstdio>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

struct Resource {
    std::string name;
    explicit Resource(std::string n) : name(std::move(n)) { std::printf("  acquire %s\n", name.c_str()); }
    ~Resource() { std::printf("  release %s\n", name.c_str()); }
};

struct Closer {
    void operator()(std::FILE *) const { std::printf("  Closer called (custom deleter)\n"); }
};

int main() {
    std::map<std::string, int> counts;
    std::vector<std::string> words;
    std::string w;
    while (std::cin >> w) {
        ++counts[w];
        words.push_back(w);
    }
    std::printf("%zu words, %zu distinct\n", words.size(), counts.size());
    for (const auto &[word, n] : counts)
        std::printf("  %-6s %d\n", word.c_str(), n);
    auto longest = words.front();
    for (const auto &x : words)
        if (x.size() > longest.size())
            longest = x;
    std::printf("longest: %s, last: %s\n", longest.c_str(), words.back().c_str());

    std::string s = "Hello, world";
    s += "! " + std::to_string(2024);
    std::printf("s = \"%s\" (%zu), find(\"world\") %zu, npos? %d\n", s.c_str(), s.size(), s.find("world"),
                s.find("xyz") == std::string::npos);
    s.replace(0, 5, "Goodbye");
    std::printf("replaced: \"%s\", substr(9, 5) \"%s\", compare %d\n", s.c_str(), s.substr(9, 5).c_str(),
                s.compare(0, 7, "Goodbye"));

    std::vector<int> v;
    for (int i = 1; i <= 10; i++)
        v.push_back(i * i);
    v.erase(v.begin() + 2, v.begin() + 5);
    v.insert(v.begin(), -1);
    std::printf("vector (%zu):", v.size());
    for (int x : v)
        std::printf(" %d", x);
    std::printf("\n");

    std::printf("unique_ptr:\n");
    {
        std::unique_ptr<Resource> a = std::make_unique<Resource>("A");
        std::unique_ptr<Resource> b = std::move(a);
        std::printf("  after move: a %s, b owns %s\n", a ? "set" : "empty", b->name.c_str());
        Resource *raw = b.release();
        std::printf("  released %s\n", raw->name.c_str());
        std::unique_ptr<Resource> c(raw);
        c.reset(new Resource("C"));
        std::unique_ptr<std::FILE, Closer> f(stdout);
    }
    std::printf("shared_ptr:\n");
    std::weak_ptr<Resource> watch;
    {
        std::shared_ptr<Resource> s1 = std::make_shared<Resource>("S");
        watch = s1;
        std::printf("  use_count %ld\n", s1.use_count());
        {
            std::shared_ptr<Resource> s2 = s1;
            std::vector<std::shared_ptr<Resource>> many(3, s1);
            std::printf("  use_count %ld, weak expired %d\n", s1.use_count(), watch.expired());
        }
        std::printf("  use_count %ld, lock gives %s\n", s1.use_count(), watch.lock()->name.c_str());
    }
    std::printf("  weak expired %d, lock gives %s\n", watch.expired(), watch.lock() ? "an object" : "null");
    return 0;
}
