// shared by virtual_dispatch.cpp and extra/shapes_impl.cpp
#pragma once
#include <memory>
#include <string>

// a pure virtual base; its key function (the destructor) is in extra/shapes_impl.cpp, so its
// vtable and type_info are that module's
class Shape {
public:
    virtual ~Shape();
    virtual double area() const = 0;
    virtual std::string name() const = 0;
    virtual int corners() const { return 0; }
    std::string describe() const;              // not virtual: the library's, calls the virtuals
};

// two polymorphic bases and a class with both, all defined in the library
class Named {
public:
    virtual ~Named();
    virtual std::string label() const = 0;
};

class Printable {
public:
    virtual ~Printable();
    virtual void print() const = 0;
};

class Widget : public Named, public Printable {
public:
    explicit Widget(int id);
    ~Widget() override;
    std::string label() const override;
    void print() const override;

protected:
    int id_;
};

// a diamond through virtual bases
struct Node {
    virtual ~Node();
    int value = 0;
    virtual int weight() const { return value; }
};
struct Left : virtual Node {
    int weight() const override;
};
struct Right : virtual Node {
    int extra = 5;
};
struct Joined : Left, Right {
    explicit Joined(int v);
};

std::unique_ptr<Shape> make_circle(double r);
std::unique_ptr<Shape> make_rect(double w, double h);
double total_area(const Shape *const *shapes, int n);
void print_twice(const Printable &p);
Printable *new_widget(int id);
int weight_of(const Node &n);
int extra_of(const Right &r);
