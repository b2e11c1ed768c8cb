// rig: RTTI across modules: typeid(x).name() gives the mangled names (libc++ does not demangle), typeid of an object made in the other unit, type_info equality between the units' typeid results (classes whose type_info is in one unit, and a class with inline virtuals whose type_info each unit has a copy of); dynamic_cast of pointers (down-cast, cross-cast to a second base, failure: nullptr) and of references (failure: std::bad_cast, what() "std::bad_cast"); typeid of a null pointer's object: std::bad_typeid
// RUNTIME: musl
// EXTRA: extra/zoo_impl.cpp
// STATUS: 0
// STDOUT: "N3zoo3DogE                 sound woof  same type_info in lib: yes  Dog: yes/yes  Puppy: no  owner: alice\n"
// STDOUT: "N3zoo4FishE                sound ...   same type_info in lib: yes  Dog: no/no  Puppy: no  owner: (not a pet)\n"
// STDOUT: "N3zoo12_GLOBAL__N_13CatE   sound meow  same type_info in lib: yes  Dog: no/no  Puppy: no  owner: (not a pet)\n"
// STDOUT: "N3zoo5PuppyE               sound yip   same type_info in lib: yes  Dog: yes/yes  Puppy: yes  owner: alice\n"
// STDOUT: "N3zoo4FishE                sound ...   same type_info in lib: yes  Dog: no/no  Puppy: no  owner: (not a pet)\n"
// STDOUT: "static types: i PKc PN3zoo6AnimalE y A3_d\n"
// STDOUT: "Fish here == Fish in lib: yes, Puppy here == Puppy in lib: yes, Dog == Puppy: no\n"
// STDOUT: "typeid through a base reference of a Puppy is Puppy: yes\n"
// STDOUT: "Dog as Pet: owner alice, back to Animal: same object yes\n"
// STDOUT: "reference cast to Dog: std::bad_cast \"std::bad_cast\"\n"
// STDOUT: "reference cast to Dog: ok, yip\n"
// STDOUT: "typeid(*null): std::bad_typeid \"std::bad_typeid\"\n"

#include <cstdio>
#include <initializer_list>
#include <typeinfo>
#include "extra/zoo.hpp"

const char *zoo::Puppy::sound() const { return "yip"; }

static const char *yes(bool b) { return b ? "yes" : "no"; }

int main() {
    zoo::Animal *animals[] = {lib_make(0), lib_make(1), lib_make(2), new zoo::Puppy, new zoo::Fish};
    for (zoo::Animal *a : animals) {
        const std::type_info &here = typeid(*a);
        std::printf("%-26s sound %-4s  same type_info in lib: %s  Dog: %s/%s  Puppy: %s  owner: %s\n",
                    here.name(), a->sound(), yes(here == lib_type_of(*a)),
                    yes(dynamic_cast<zoo::Dog *>(a) != nullptr), yes(lib_is_dog(a)),
                    yes(dynamic_cast<zoo::Puppy *>(a) != nullptr), lib_owner_of(*a));
    }
    std::printf("static types: %s %s %s %s %s\n", typeid(int).name(), typeid(const char *).name(),
                typeid(zoo::Animal *).name(), typeid(unsigned long long).name(), typeid(double[3]).name());
    std::printf("Fish here == Fish in lib: %s, Puppy here == Puppy in lib: %s, Dog == Puppy: %s\n",
                yes(typeid(zoo::Fish) == lib_fish_type()), yes(typeid(zoo::Puppy) == lib_puppy_type()),
                yes(typeid(zoo::Dog) == typeid(zoo::Puppy)));
    std::printf("typeid through a base reference of a Puppy is Puppy: %s\n",
                yes(typeid(static_cast<zoo::Pet &>(*static_cast<zoo::Dog *>(animals[3]))) == typeid(zoo::Puppy)));

    // cross-cast from the second base back to Animal, and Pet's own view of the object
    zoo::Pet *pet = dynamic_cast<zoo::Pet *>(animals[0]);
    zoo::Animal *back = dynamic_cast<zoo::Animal *>(pet);
    std::printf("Dog as Pet: owner %s, back to Animal: same object %s\n", pet->owner(), yes(back == animals[0]));

    for (zoo::Animal *a : {animals[1], animals[3]}) {
        try {
            zoo::Dog &d = dynamic_cast<zoo::Dog &>(*a);
            std::printf("reference cast to Dog: ok, %s\n", d.sound());
        } catch (const std::bad_cast &e) {
            std::printf("reference cast to Dog: std::bad_cast \"%s\"\n", e.what());
        }
    }
    zoo::Animal *none = nullptr;
    try {
        std::printf("typeid(*null): %s\n", typeid(*none).name());
    } catch (const std::bad_typeid &e) {
        std::printf("typeid(*null): std::bad_typeid \"%s\"\n", e.what());
    }
    for (zoo::Animal *a : animals)
        delete a;
    return 0;
}
