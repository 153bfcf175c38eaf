// People as Hall knows them: a user account (login, role) with a student or
// staff profile. Pure types; storage in store.cpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/json.hpp"

namespace hall::auth {

struct StudentProfile {
  std::string student_no;  // 学号
  std::optional<std::int64_t> college_id;
  std::string college_name;  // read only
  std::string major, class_name, phone;
  std::optional<std::string> card_no;  // campus card number (kiosk identification)
};

struct StaffProfile {
  std::string staff_no;  // 工号
  std::optional<std::int64_t> unit_id;
  std::string unit_name;  // read only
  std::string badge_no;   // A2: work badge
  std::string phone;
};

struct User {
  std::int64_t id = 0;
  std::string login, name, role;
  bool disabled = false;
  bool is_demo = false;
  std::int64_t created_at = 0;
  std::optional<StudentProfile> student;
  std::optional<StaffProfile> staff;
};

json::object to_json(const User& u);

// Roles that carry a staff profile (工号, unit, badge).
inline bool role_has_staff_profile(const std::string& role) {
  return role == "staff" || role == "teacher" || role == "unit_head" || role == "admin";
}

}  // namespace hall::auth
