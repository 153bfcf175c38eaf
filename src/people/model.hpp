// People administration: accounts with their student (学号, college, class,
// campus card) or staff (工号, resident unit, A2 work badge) profile, and the
// bulk import of both from CSV / .xlsx. Pure types and rules; the account
// types themselves live in auth/model.hpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "auth/model.hpp"
#include "core/error.hpp"
#include "tabular/model.hpp"

namespace hall::people {

// Limits of the fields people type.
inline constexpr std::size_t kMaxLogin = 64;
inline constexpr std::size_t kMaxName = 50;
inline constexpr std::size_t kMaxNumber = 32;  // 学号, 工号, campus card, badge
inline constexpr std::size_t kMaxText = 100;   // major, class

// A profile as sent: every field optional (a PATCH changes only what is given;
// `*_given` distinguishes "null = clear" from "absent = keep" for nullable ones).
struct StudentInput {
  std::optional<std::string> student_no, major, class_name, phone;
  bool college_given = false;
  std::optional<std::int64_t> college_id;
  bool card_given = false;
  std::optional<std::string> card_no;
};
struct StaffInput {
  std::optional<std::string> staff_no, badge_no, phone;
  bool unit_given = false;
  std::optional<std::int64_t> unit_id;
};

struct NewUser {
  std::string login, name, role, password;
  std::optional<StudentInput> student;
  std::optional<StaffInput> staff;
};

struct UserPatch {
  std::optional<std::string> name;
  std::optional<bool> disabled;
  std::optional<std::string> role;
  std::optional<StudentInput> student;
  std::optional<StaffInput> staff;
};

// Which profile a role carries: "student", "staff", or "" (none).
std::string profile_of_role(const std::string& role);

// Applies a profile input onto a profile after checking the pure rules
// (formats, lengths); field names are qualified ("student.student_no").
// `creating`: the number (学号 / 工号) is required.
void apply_student(const StudentInput& in, auth::StudentProfile& p, bool creating);
void apply_staff(const StaffInput& in, auth::StaffProfile& p, bool creating);

// A password that nobody can sign in with: imported accounts without an
// initial password get it, and sign-in stays impossible until an
// administrator sets one (POST /users/{id}/reset-password). It is not an
// Argon2id string, so verify_password() refuses it without hashing.
inline constexpr const char* kNoPasswordHash = "!no-password:set-by-administrator";

// ---------------------------------------------------------------------------
// Import.

enum class ImportKind { student, staff };

struct RejectedRow {
  int row = 0;
  std::string field;  // the column's key ("student_no"), or "" for the whole row
  Text message;
};

struct ImportReport {
  int imported = 0;
  std::vector<RejectedRow> rejected;
  bool committed = false;
};

// The columns of each import (Chinese headers first, English aliases after).
std::vector<tabular::ColumnSpec> import_columns(ImportKind kind);
// The header row of the downloadable template (required columns marked "*").
tabular::Table import_template(ImportKind kind);

inline constexpr std::size_t kMaxImportRows = 20000;

}  // namespace hall::people
