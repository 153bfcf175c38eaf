// The feedback capability as a module (core/module.hpp): what it needs from the
// platform and from other modules, handed to its services and routes instead of the whole hall.
#pragma once

#include <memory>

#include "core/module.hpp"

namespace hall::calendar {
class CalendarService;
}
namespace hall::courtesy {
class CourtesyService;
}

namespace hall::feedback {

struct Deps {
  const Config& config;                 // settings
  db::Database* db;                     // the database
  calendar::CalendarService* calendar;  // working days, closures and opening hours (B6.1, B6.3)
  courtesy::CourtesyService* courtesy;  // B1: enforce(tx, caller, text, context) before saving what
                                        // staff write to a student
};

std::unique_ptr<Module> make_module();

}  // namespace hall::feedback
