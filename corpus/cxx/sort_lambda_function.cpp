// rig: algorithms with lambdas: std::sort of argv's words with a comparator lambda (by length, then alphabetically; the direction from the environment's ORDER), std::stable_sort keeping equal keys in order, std::sort of structs, a lambda capturing by reference counting comparisons; std::function holding a free function, a capturing lambda, a function object and a bound member, stored in a std::map and called by name; an empty std::function throws std::bad_function_call; std::accumulate, std::transform, std::count_if, std::find_if
// RUNTIME: musl
// ARGS: pear fig "passion fruit" apple kiwi banana date plum
// ENV: ORDER=descending LANG=C
// STATUS: 0
// STDOUT: "descending by length: [passion fruit] [banana] [apple] [date] [kiwi] [pear] [plum] [fig]\n"
// STDOUT: "some comparisons counted: yes\n"
// STDOUT: "stable by price: bread:3 rice:3 tea:4 jam:4 milk:4 cake:7 eggs:7\n"
// STDOUT: "by name: bread cake eggs jam milk rice tea\n"
// STDOUT: "total 32, 5 cheap, first 5-letter name bread\n"
// STDOUT: "prices in cents: 300 .. 400\n"
// STDOUT: "add7(21) = 28\n"
// STDOUT: "offset(21) = 2021\n"
// STDOUT: "scale(21) = -42\n"
// STDOUT: "square(21) = 441\n"
// STDOUT: "triple(21) = 63\n"
// STDOUT: "triple(add7(1)) = 24\n"
// STDOUT: "empty function is empty\n"
// STDOUT: "calling it: std::bad_function_call \"std::bad_function_call\"\n"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <numeric>
#include <string>
#include <vector>

struct Item {
    std::string name;
    int price;
};

static int triple(int x) { return 3 * x; }

struct AddN {
    int n;
    int operator()(int x) const { return x + n; }
};

struct Scaler {
    int factor;
    int scale(int x) const { return x * factor; }
};

int main(int argc, char **argv) {
    std::vector<std::string> words(argv + 1, argv + argc);
    const char *order = std::getenv("ORDER");
    bool descending = order && std::strcmp(order, "descending") == 0;
    int comparisons = 0;
    std::sort(words.begin(), words.end(), [&comparisons, descending](const std::string &a, const std::string &b) {
        ++comparisons;
        if (a.size() != b.size())
            return descending ? a.size() > b.size() : a.size() < b.size();
        return a < b;
    });
    std::printf("%s by length:", descending ? "descending" : "ascending");
    for (const auto &w : words)
        std::printf(" [%s]", w.c_str());
    std::printf("\nsome comparisons counted: %s\n", comparisons > 0 ? "yes" : "no");

    std::vector<Item> items = {{"tea", 4}, {"cake", 7}, {"jam", 4}, {"bread", 3},
                               {"milk", 4}, {"eggs", 7}, {"rice", 3}};
    std::stable_sort(items.begin(), items.end(), [](const Item &a, const Item &b) { return a.price < b.price; });
    std::printf("stable by price:");
    for (const auto &it : items)
        std::printf(" %s:%d", it.name.c_str(), it.price);
    std::printf("\n");
    std::sort(items.begin(), items.end(), [](const Item &a, const Item &b) { return a.name < b.name; });
    std::printf("by name:");
    for (const auto &it : items)
        std::printf(" %s", it.name.c_str());
    std::printf("\n");

    int total = std::accumulate(items.begin(), items.end(), 0, [](int s, const Item &it) { return s + it.price; });
    auto cheap = std::count_if(items.begin(), items.end(), [](const Item &it) { return it.price < 5; });
    auto found = std::find_if(items.begin(), items.end(), [](const Item &it) { return it.name.size() == 5; });
    std::printf("total %d, %d cheap, first 5-letter name %s\n", total, static_cast<int>(cheap), found->name.c_str());
    std::vector<int> prices(items.size());
    std::transform(items.begin(), items.end(), prices.begin(), [](const Item &it) { return it.price * 100; });
    std::printf("prices in cents: %d .. %d\n", prices.front(), prices.back());

    int offset = 1000;
    Scaler scaler{-2};
    std::map<std::string, std::function<int(int)>> ops;
    ops["triple"] = triple;
    ops["offset"] = [&offset](int x) { return x + offset; };
    ops["add7"] = AddN{7};
    ops["scale"] = std::bind(&Scaler::scale, &scaler, std::placeholders::_1);
    ops["square"] = [](int x) { return x * x; };
    offset = 2000;                        // the lambda holds a reference: sees the change
    for (const auto &[name, fn] : ops)
        std::printf("%s(21) = %d\n", name.c_str(), fn(21));
    std::function<int(int)> composed = [f = ops["add7"], g = ops["triple"]](int x) { return g(f(x)); };
    std::printf("triple(add7(1)) = %d\n", composed(1));

    std::function<int(int)> empty;
    std::printf("empty function is %s\n", empty ? "callable" : "empty");
    try {
        empty(1);
    } catch (const std::bad_function_call &e) {
        std::printf("calling it: std::bad_function_call \"%s\"\n", e.what());
    }
    return 0;
}
