// The hall's modules, in dependency order: a module may need services of the
// modules above it (core/module.hpp). Adding a capability adds one line here.
#include "announcements/module.hpp"
#include "auth/module.hpp"
#include "calendar/module.hpp"
#include "cases/module.hpp"
#include "catalog/module.hpp"
#include "courtesy/module.hpp"
#include "documents/module.hpp"
#include "feedback/module.hpp"
#include "org/module.hpp"
#include "people/module.hpp"
#include "queue/module.hpp"
#include "reports/module.hpp"

namespace hall {

std::vector<std::unique_ptr<Module>> make_modules() {
  std::vector<std::unique_ptr<Module>> all;
  all.push_back(auth::make_module());           // sign-in, sessions, roles, audit
  all.push_back(org::make_module());            // halls, windows, resident units, colleges, devices
  all.push_back(people::make_module());         // students and staff, imports
  all.push_back(catalog::make_module());        // the service catalog (事项清单), B6.4
  all.push_back(calendar::make_module());       // working days, closures, opening hours (B6.3)
  all.push_back(announcements::make_module());  // public notices (B6.4)
  all.push_back(queue::make_module());      // numbers, windows, boards, appointments (A5, A6, B6.5)
  all.push_back(courtesy::make_module());   // courteous language (B1)
  all.push_back(documents::make_module());  // certificates and receipts (B5)
  all.push_back(cases::make_module());  // cases, one-time notice, time limits (B6.1–B6.3, B6.5)
  all.push_back(feedback::make_module());  // complaints, suggestions, ratings, WeChat (B5, C1–C3)
  all.push_back(reports::make_module());   // published monthly statistics (B6.4)
  return all;
}

}  // namespace hall
