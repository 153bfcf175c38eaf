// The courtesy capability as a module (core/module.hpp): what it needs from the
// platform and from other modules, handed to its services and routes instead of the whole hall.
#pragma once

#include <memory>

#include "core/module.hpp"

namespace hall::courtesy {
class CourtesyService;
}

namespace hall::courtesy {

struct Deps {
  courtesy::CourtesyService* courtesy;  // B1: enforce(tx, caller, text, context) before saving what
                                        // staff write to a student
};

std::unique_ptr<Module> make_module();

}  // namespace hall::courtesy
