// The cases capability as a module (core/module.hpp): what it needs from the
// platform and from other modules, handed to its services and routes instead of the whole hall.
#pragma once

#include <memory>

#include "core/module.hpp"

namespace hall::calendar {
class CalendarService;
}
namespace hall::cases {
class WarningService;
}
namespace hall::courtesy {
class CourtesyService;
}
namespace hall::documents {
class DocumentService;
}

namespace hall::cases {

struct Deps {
  const Config& config;                 // settings
  db::Database* db;                     // the database
  http::PushHub& push;                  // live updates (SSE)
  calendar::CalendarService* calendar;  // working days, closures and opening hours (B6.1, B6.3)
  courtesy::CourtesyService* courtesy;  // B1: enforce(tx, caller, text, context) before saving what
                                        // staff write to a student
  documents::DocumentService*
      documents;  // B5: issue_in(tx, caller, spec) inside the caller's transaction
  cases::WarningService* case_warnings;  // B6.3: time-limit warnings
};

std::unique_ptr<Module> make_module();

}  // namespace hall::cases
