// Demo data: a hall like the one in the regulations (shared/seed): 10 windows
// (window 10 for complaints, C2), the usual resident units, staff, a
// responsible teacher, an administrator and a few hundred students.
// Deterministic (same data every time) and marked as demo (users.is_demo,
// settings.demo_seeded). Filled only into an empty database.
#pragma once

#include <string>
#include <vector>

#include "db/database.hpp"

namespace hall {
struct App;
}

namespace hall::demo {

struct DemoLogin {
  std::string role, login, password, note;
};
struct DemoDevice {
  std::string kind, name, token;
};

bool database_is_empty(db::Database& db);
// Throws std::runtime_error when the database already holds people.
// People, halls, windows, units, devices, calendar, catalog, documents, queue history.
void seed(db::Database& db);
// All of the above, then, in a second transaction, what the running services
// produce over time: cases (received, accepted, completed on the working-day
// calendar), complaints and suggestions in every workflow state, and ratings of
// completed cases. When the calendar does not cover today (the national data
// has no file for this year yet) that second part is left out with a warning.
void seed(App& app);
// At every start of a demo server (`hall serve --demo`), seeded now or earlier:
// when the month has rolled over since the demo data was made, the previous
// month gets served demo tickets, so its published statistics (B6.4) show
// figures from demo data (reports::seed_demo_history).
void refresh(App& app);
const std::vector<DemoLogin>& demo_logins();
const std::vector<DemoDevice>& demo_devices();

}  // namespace hall::demo
