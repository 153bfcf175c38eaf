// Demo data: a hall like the one in the regulations (shared/seed): 10 windows
// (window 10 for complaints, C2), the usual resident units, staff, a
// responsible teacher, an administrator and a few hundred students.
// Deterministic (same data every time) and marked as demo (users.is_demo,
// settings.demo_seeded). Filled only into an empty database.
#pragma once

#include <string>
#include <vector>

#include "db/database.hpp"

namespace hall::demo {

struct DemoLogin {
  std::string role, login, password, note;
};
struct DemoDevice {
  std::string kind, name, token;
};

bool database_is_empty(db::Database& db);
// Throws std::runtime_error when the database already holds people.
void seed(db::Database& db);
const std::vector<DemoLogin>& demo_logins();
const std::vector<DemoDevice>& demo_devices();

}  // namespace hall::demo
