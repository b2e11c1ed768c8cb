// shared by rtti_cross_module.cpp and extra/zoo_impl.cpp
#pragma once
#include <typeinfo>

namespace zoo {
struct Animal {
    virtual ~Animal();                  // key function in extra/zoo_impl.cpp
    virtual const char *sound() const = 0;
};
struct Pet {
    virtual ~Pet();
    virtual const char *owner() const { return "nobody"; }
};
struct Dog : Animal, Pet {              // defined (key function) in the library
    ~Dog() override;
    const char *sound() const override;
    const char *owner() const override;
};
struct Puppy : Dog {                    // defined in main's unit
    const char *sound() const override;
};
struct Fish : Animal {                  // no key function: inline virtuals, a type_info in each unit using it
    const char *sound() const override { return "..."; }
};
}  // namespace zoo

zoo::Animal *lib_make(int which);            // 0 dog, 1 fish, 2 a cat only the library knows
const std::type_info &lib_type_of(const zoo::Animal &a);
const std::type_info &lib_fish_type();
const std::type_info &lib_puppy_type();
bool lib_is_dog(const zoo::Animal *a);        // dynamic_cast in the library
const char *lib_owner_of(zoo::Animal &a);     // cross-cast Animal -> Pet in the library
