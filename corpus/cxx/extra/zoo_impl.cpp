// rig: the library unit of rtti_cross_module.cpp: the type_info of Animal, Pet and Dog, a class
// main's unit never sees, and typeid / dynamic_cast on objects from either unit

#include "zoo.hpp"

namespace zoo {
Animal::~Animal() {}
Pet::~Pet() {}
Dog::~Dog() {}
const char *Dog::sound() const { return "woof"; }
const char *Dog::owner() const { return "alice"; }

namespace {
struct Cat : Animal {
    const char *sound() const override { return "meow"; }
};
}  // namespace
}  // namespace zoo

zoo::Animal *lib_make(int which) {
    switch (which) {
    case 0: return new zoo::Dog;
    case 1: return new zoo::Fish;
    default: return new zoo::Cat;
    }
}

const std::type_info &lib_type_of(const zoo::Animal &a) { return typeid(a); }
const std::type_info &lib_fish_type() { return typeid(zoo::Fish); }
const std::type_info &lib_puppy_type() { return typeid(zoo::Puppy); }
bool lib_is_dog(const zoo::Animal *a) { return dynamic_cast<const zoo::Dog *>(a) != nullptr; }

const char *lib_owner_of(zoo::Animal &a) {
    zoo::Pet *p = dynamic_cast<zoo::Pet *>(&a);
    return p ? p->owner() : "(not a pet)";
}
