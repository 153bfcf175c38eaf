// SQL for people administration beyond auth/store (which reads and inserts
// accounts): uniqueness checks, profile updates, and the lookups of an import.
#pragma once

#include <soci/soci.h>

#include <map>
#include <optional>
#include <string>
#include <unordered_set>

#include "auth/model.hpp"

namespace hall::people::store {

// Another user already holds the value (except_user: the user being edited, 0 = none).
bool login_taken(soci::session& s, const std::string& login, std::int64_t except_user);
bool student_no_taken(soci::session& s, const std::string& no, std::int64_t except_user);
bool card_no_taken(soci::session& s, const std::string& card, std::int64_t except_user);
bool staff_no_taken(soci::session& s, const std::string& no, std::int64_t except_user);

void update_account(soci::session& s, std::int64_t id, const std::string& name, const std::string& role, bool disabled);
// Inserts or replaces the profile row.
void save_student(soci::session& s, std::int64_t id, const auth::StudentProfile& p, bool exists);
void save_staff(soci::session& s, std::int64_t id, const auth::StaffProfile& p, bool exists);
void delete_student(soci::session& s, std::int64_t id);
void delete_staff(soci::session& s, std::int64_t id);
// Enabled administrators other than `except_user`.
long long enabled_admins_except(soci::session& s, std::int64_t except_user);

// What an import checks its rows against, read once.
struct Existing {
  std::unordered_set<std::string> logins, student_nos, card_nos, staff_nos;
  std::map<std::string, std::int64_t> colleges;  // by name and by code
  std::map<std::string, std::int64_t> units;     // by name and by code
};
Existing load_existing(soci::session& s);

}  // namespace hall::people::store
