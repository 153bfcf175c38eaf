// The calendar capability as a module (core/module.hpp): what it needs from the
// platform and from other modules, handed to its services and routes instead of the whole hall.
#pragma once

#include <memory>

#include "core/module.hpp"

namespace hall::calendar {
class CalendarService;
}

namespace hall::calendar {

struct Deps {
  db::Database* db;                     // the database
  calendar::CalendarService* calendar;  // working days, closures and opening hours (B6.1, B6.3)
};

std::unique_ptr<Module> make_module();

}  // namespace hall::calendar
