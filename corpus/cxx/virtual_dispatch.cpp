// rig: virtual calls across modules: a pure virtual base whose vtable is in the EXTRA unit, derived classes defined in either unit called from the other (the library's non-virtual describe() calls main's overrides; main calls the library's classes through unique_ptr<Shape>); multiple inheritance (Widget: Named, Printable) with calls and a delete through the second base (this-adjusting thunks), main's own subclass of the library's Widget overriding one of the two bases' functions; a diamond through virtual bases reached from both units
// RUNTIME: musl
// EXTRA: extra/shapes_impl.cpp
// STATUS: 0
// STDOUT: "  lib: circle with 0 corners, area 7.07\n"
// STDOUT: "  lib: triangle with 3 corners, area 6.00\n"
// STDOUT: "  lib: rectangle with 4 corners, area 10.00\n"
// STDOUT: "  lib: square with 4 corners, area 9.00\n"
// STDOUT: "total area 32.069\n"
// STDOUT: "main: circle has 0 corners\n"
// STDOUT: "main: triangle has 3 corners\n"
// STDOUT: "main: rectangle has 4 corners\n"
// STDOUT: "main: square has 4 corners\n"
// STDOUT: "labels through Named: widget #1, widget #2\n"
// STDOUT: "  Widget::print: widget #1\n"
// STDOUT: "  Widget::print: widget #1\n"
// STDOUT: "  Gadget::print: widget #2, made in main\n"
// STDOUT: "  Gadget::print: widget #2, made in main\n"
// STDOUT: "  Widget::print: widget #3\n"
// STDOUT: "  ~Widget(3)\n"
// STDOUT: "  Gadget::print: widget #4, made in main\n"
// STDOUT: "  ~Gadget(4)\n"
// STDOUT: "  ~Widget(4)\n"
// STDOUT: "diamond: weight through Node 70, through Left 70, extra through Right 12\n"
// STDOUT: "destroying:\n"
// STDOUT: "  ~Gadget(2)\n"
// STDOUT: "  ~Widget(2)\n"
// STDOUT: "  ~Widget(1)\n"
// STDOUT: "  ~Rect\n"
// STDOUT: "  ~Rect\n"
// STDOUT: "  ~Triangle\n"
// STDOUT: "  ~Circle(1.5)\n"

#include <cstdio>
#include <memory>
#include <string>
#include <vector>
#include "extra/shapes.hpp"

class Triangle : public Shape {
public:
    Triangle(double base, double height) : b_(base), h_(height) {}
    ~Triangle() override { std::printf("  ~Triangle\n"); }
    double area() const override { return b_ * h_ / 2; }
    std::string name() const override { return "triangle"; }
    int corners() const override { return 3; }

private:
    double b_, h_;
};

class Gadget final : public Widget {
public:
    explicit Gadget(int id) : Widget(id) {}
    ~Gadget() override { std::printf("  ~Gadget(%d)\n", id_); }
    void print() const override { std::printf("  Gadget::print: %s, made in main\n", label().c_str()); }
};

int main() {
    std::vector<std::unique_ptr<Shape>> shapes;
    shapes.push_back(make_circle(1.5));
    shapes.push_back(std::make_unique<Triangle>(3, 4));
    shapes.push_back(make_rect(2, 5));
    shapes.push_back(make_rect(3, 3));
    std::vector<const Shape *> raw;
    for (auto &s : shapes)
        raw.push_back(s.get());
    std::printf("total area %.3f\n", total_area(raw.data(), static_cast<int>(raw.size())));
    for (auto &s : shapes)
        std::printf("main: %s has %d corners\n", s->name().c_str(), s->corners());

    Widget w(1);
    Gadget g(2);
    const Named &n1 = w, &n2 = g;
    std::printf("labels through Named: %s, %s\n", n1.label().c_str(), n2.label().c_str());
    print_twice(w);
    print_twice(g);
    Printable *p = new_widget(3);
    p->print();
    delete p;                        // Widget's destructor, through Printable's vtable
    Printable *q = new Gadget(4);
    q->print();
    delete q;

    Joined j(7);
    std::printf("diamond: weight through Node %d, through Left %d, extra through Right %d\n",
                weight_of(j), static_cast<Left &>(j).weight(), extra_of(j));
    std::printf("destroying:\n");
    return 0;
}
