// rig: the library unit of virtual_dispatch.cpp: the vtables of Shape, Named, Printable, Widget
// and the Node diamond, two Shape classes only this unit knows, and functions that call virtual
// functions of objects from either unit

#include <cstdio>
#include "shapes.hpp"

Shape::~Shape() {}

std::string Shape::describe() const {
    char buf[96];
    std::snprintf(buf, sizeof buf, "%s with %d corners, area %.2f", name().c_str(), corners(), area());
    return buf;
}

namespace {
class Circle final : public Shape {
public:
    explicit Circle(double r) : r_(r) {}
    ~Circle() override { std::printf("  ~Circle(%.1f)\n", r_); }
    double area() const override { return 3.14159265358979 * r_ * r_; }
    std::string name() const override { return "circle"; }

private:
    double r_;
};

class Rect : public Shape {
public:
    Rect(double w, double h) : w_(w), h_(h) {}
    ~Rect() override { std::printf("  ~Rect\n"); }
    double area() const override { return w_ * h_; }
    std::string name() const override { return w_ == h_ ? "square" : "rectangle"; }
    int corners() const override { return 4; }

private:
    double w_, h_;
};
}  // namespace

std::unique_ptr<Shape> make_circle(double r) { return std::make_unique<Circle>(r); }
std::unique_ptr<Shape> make_rect(double w, double h) { return std::make_unique<Rect>(w, h); }

double total_area(const Shape *const *shapes, int n) {
    double sum = 0;
    for (int i = 0; i < n; i++) {
        std::printf("  lib: %s\n", shapes[i]->describe().c_str());
        sum += shapes[i]->area();
    }
    return sum;
}

Named::~Named() {}
Printable::~Printable() {}

Widget::Widget(int id) : id_(id) {}
Widget::~Widget() { std::printf("  ~Widget(%d)\n", id_); }
std::string Widget::label() const { return "widget #" + std::to_string(id_); }
void Widget::print() const { std::printf("  Widget::print: %s\n", label().c_str()); }

void print_twice(const Printable &p) {
    p.print();
    p.print();
}

Printable *new_widget(int id) { return new Widget(id); }

Node::~Node() {}
int Left::weight() const { return value * 10; }
Joined::Joined(int v) { value = v; }

int weight_of(const Node &n) { return n.weight(); }
int extra_of(const Right &r) { return r.extra + r.value; }
