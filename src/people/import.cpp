// Bulk import of students and staff from CSV / .xlsx: every row is checked
// first (formats, duplicates inside the file and against the database, unknown
// college or unit); then either nothing is written (a bad row without
// skip_bad_rows) or the good rows are written in one transaction with one
// audit entry. Passwords are hashed before the transaction opens (Argon2id is
// slow); a row without an initial password gets an account nobody can sign in
// to until an administrator sets a password (kNoPasswordHash).
#include <fmt/format.h>

#include <map>
#include <set>

#include "auth/audit.hpp"
#include "auth/password.hpp"
#include "auth/permissions.hpp"
#include "auth/service.hpp"
#include "auth/store.hpp"
#include "core/config.hpp"
#include "db/database.hpp"
#include "org/model.hpp"
#include "people/errors.hpp"
#include "people/module.hpp"
#include "people/service.hpp"
#include "people/store.hpp"
#include "tabular/errors.hpp"

namespace hall::people {

namespace {

struct Candidate {
  int row = 0;
  auth::User user;
  std::string password;  // empty: no initial password
};

// The first problem of a text cell, if any.
std::optional<Text> text_problem(std::string_view v, std::size_t max) {
  for (unsigned char ch : v)
    if ((ch < 0x20 && ch != '\t') || ch == 0x7F) return Text{"含有不允许的控制字符", "contains control characters"};
  if (utf8_length(v) > max) return Text{fmt::format("最多 {} 个字符", max), fmt::format("at most {} characters", max)};
  return std::nullopt;
}

// Resolves a role cell: a code ("staff") or a role's name in either language ("窗口工作人员").
std::optional<std::string> staff_role(std::string_view cell) {
  if (cell.empty()) return std::string("staff");
  for (const auto& r : auth::roles()) {
    if (r.role != cell && r.name.zh != cell && r.name.en != cell) continue;
    // Administrators are made one by one, not by file.
    if (r.role == "staff" || r.role == "teacher" || r.role == "unit_head") return r.role;
    return std::nullopt;
  }
  return std::nullopt;
}

class RowChecker {
 public:
  RowChecker(const tabular::HeaderMap& hm, const store::Existing& existing) : hm_(hm), db_(existing) {}

  std::vector<RejectedRow> rejected;

  // Records a problem of the cell; returns false so callers can `return fail(...)`.
  bool fail(const tabular::Row& row, std::string_view key, std::string code, const Text& problem) {
    ApiError e = hm_.cell_error(row, key, std::move(code), problem);
    rejected.push_back(RejectedRow{row.source_row, std::string(key), e.message()});
    return false;
  }

  std::string cell(const tabular::Row& row, std::string_view key) { return std::string(hm_.get(row, key)); }

  // A required or optional identifier (学号, 工号, login, card), unique in the file and the database.
  bool identifier(const tabular::Row& row, std::string_view key, const std::string& value, bool required,
                  std::map<std::string, int>& seen, const std::unordered_set<std::string>& in_db, const Text& what) {
    if (value.empty()) {
      if (!required) return true;
      return fail(row, key, "missing_value", {"不能为空", "must not be empty"});
    }
    const std::size_t max = key == "login" ? kMaxLogin : kMaxNumber;
    if (!org::is_valid_identifier(value, max))
      return fail(row, key, "invalid_identifier",
                  {fmt::format("只能由英文字母、数字或 . _ - @ 组成，且不超过 {} 个字符", max),
                   fmt::format("only letters, digits and . _ - @, at most {} characters", max)});
    auto [it, fresh] = seen.emplace(value, row.source_row);
    if (!fresh)
      return fail(row, key, "duplicate_in_file",
                  {fmt::format("{}“{}”与第 {} 行重复", what.zh, value, it->second),
                   fmt::format("{} \"{}\" repeats row {}", what.en, value, it->second)});
    if (in_db.count(value))
      return fail(row, key, "already_exists",
                  {fmt::format("{}“{}”已存在", what.zh, value), fmt::format("{} \"{}\" already exists", what.en, value)});
    return true;
  }

  bool text(const tabular::Row& row, std::string_view key, const std::string& value, std::size_t max, bool required) {
    if (value.empty() && required) return fail(row, key, "missing_value", {"不能为空", "must not be empty"});
    if (auto p = text_problem(value, max)) return fail(row, key, "invalid_text", *p);
    return true;
  }

  bool phone(const tabular::Row& row, std::string_view key, const std::string& value) {
    if (org::is_valid_phone(value)) return true;
    return fail(row, key, "invalid_phone",
                {"不是有效的电话号码（只能包含数字、空格、+、- 和括号）",
                 "is not a valid telephone number (digits, spaces, +, - and parentheses only)"});
  }

  bool password(const tabular::Row& row, const std::string& value, const std::string& login) {
    if (value.empty()) return true;
    try {
      auth::check_password_policy(value, login, "password");
      return true;
    } catch (const ApiError& e) {
      return fail(row, "password", e.code(), e.message());
    }
  }

  std::map<std::string, int> logins, numbers, cards;

 private:
  const tabular::HeaderMap& hm_;
  const store::Existing& db_;
};

}  // namespace

ImportReport import_file(Deps& deps, const auth::Caller& c, ImportKind kind, std::string_view bytes,
                         std::string_view content_type, bool skip_bad_rows) {
  auth::require(c.principal, "users.write");
  tabular::Table table = tabular::read_any(bytes, content_type);  // 400 invalid_utf8 / invalid_csv / invalid_xlsx …
  if (table.rows.size() > kMaxImportRows)
    throw tabular::errors::too_many_rows.with("", kMaxImportRows);
  tabular::HeaderMap hm(table, import_columns(kind));
  store::Existing existing = deps.db->read([](soci::session& s) { return store::load_existing(s); });

  RowChecker check(hm, existing);
  std::vector<Candidate> good;
  for (const auto& row : table.rows) {
    std::size_t problems_before = check.rejected.size();
    if (auto extra = hm.extra_cells_error(row)) {
      check.rejected.push_back(RejectedRow{row.source_row, "", extra->message()});
      continue;
    }
    Candidate cand;
    cand.row = row.source_row;
    auth::User& u = cand.user;
    u.name = check.cell(row, "name");
    check.text(row, "name", u.name, kMaxName, true);
    std::string login = check.cell(row, "login"), password = check.cell(row, "password");
    const bool login_given = !login.empty();
    bool number_ok = false;
    if (kind == ImportKind::student) {
      auth::StudentProfile p;
      p.student_no = check.cell(row, "student_no");
      number_ok = check.identifier(row, "student_no", p.student_no, true, check.numbers, existing.student_nos,
                                   {"学号", "Student number"});
      std::string college = check.cell(row, "college");
      if (college.empty()) check.fail(row, "college", "missing_value", {"不能为空", "must not be empty"});
      else if (auto it = existing.colleges.find(college); it != existing.colleges.end()) p.college_id = it->second;
      else
        check.fail(row, "college", "unknown_college",
                   {fmt::format("找不到名称或编码为“{}”的学院", college), fmt::format("no college is named or coded \"{}\"", college)});
      p.major = check.cell(row, "major");
      check.text(row, "major", p.major, kMaxText, false);
      p.class_name = check.cell(row, "class_name");
      check.text(row, "class_name", p.class_name, kMaxText, false);
      p.phone = check.cell(row, "phone");
      check.phone(row, "phone", p.phone);
      std::string card = check.cell(row, "card_no");
      if (check.identifier(row, "card_no", card, false, check.cards, existing.card_nos, {"校园卡号", "Campus card"}) &&
          !card.empty())
        p.card_no = card;
      u.role = "student";
      if (login.empty()) login = p.student_no;
      u.student = p;
    } else {
      auth::StaffProfile p;
      p.staff_no = check.cell(row, "staff_no");
      number_ok = check.identifier(row, "staff_no", p.staff_no, true, check.numbers, existing.staff_nos,
                                   {"工号", "Staff number"});
      std::string role = check.cell(row, "role");
      if (auto r = staff_role(role)) u.role = *r;
      else
        check.fail(row, "role", "invalid_role",
                   {"角色应为 staff（窗口工作人员）、teacher（大厅负责老师）或 unit_head（入驻单位负责人）",
                    "role must be staff, teacher or unit_head"});
      std::string unit = check.cell(row, "unit");
      if (!unit.empty()) {
        if (auto it = existing.units.find(unit); it != existing.units.end()) p.unit_id = it->second;
        else
          check.fail(row, "unit", "unknown_unit",
                     {fmt::format("找不到名称或编码为“{}”的入驻单位", unit), fmt::format("no unit is named or coded \"{}\"", unit)});
      }
      p.badge_no = check.cell(row, "badge_no");
      check.text(row, "badge_no", p.badge_no, kMaxNumber, false);
      p.phone = check.cell(row, "phone");
      check.phone(row, "phone", p.phone);
      if (login.empty()) login = p.staff_no;
      u.staff = p;
    }
    // The default login is the 学号 / 工号: when that number is already refused, say so once.
    if (login_given || number_ok) {
      if (check.identifier(row, "login", login, true, check.logins, existing.logins, {"登录名", "Login"})) u.login = login;
    }
    check.password(row, password, login);
    cand.password = password;
    if (check.rejected.size() == problems_before) good.push_back(std::move(cand));
  }

  ImportReport report;
  report.rejected = std::move(check.rejected);
  if (!report.rejected.empty() && !skip_bad_rows) return report;  // nothing written

  std::set<int> rejected_rows;
  for (const auto& r : report.rejected) rejected_rows.insert(r.row);

  // Hash before the transaction: Argon2id is slow by design. Rows with the same
  // initial password share its hash (the salt is per hash, not per row).
  std::map<std::string, std::string> hashes;
  for (const auto& cand : good)
    if (!cand.password.empty() && !hashes.count(cand.password))
      hashes.emplace(cand.password, auth::hash_password(cand.password));

  try {
    deps.db->write([&](soci::session& s) {
      for (const auto& cand : good)
        auth::store::insert_user(s, cand.user, cand.password.empty() ? kNoPasswordHash : hashes.at(cand.password));
      auth::audit(s, c, "users.imported", "user", "",
                  json::object{{"kind", kind == ImportKind::student ? "student" : "staff"},
                               {"rows", table.rows.size()},
                               {"imported", good.size()},
                               {"rejected_rows", static_cast<std::int64_t>(rejected_rows.size())},
                               {"skip_bad_rows", skip_bad_rows}});
    });
  } catch (const ApiError&) {
    throw;
  } catch (const std::exception& e) {
    // Someone added the same 学号 / login while the file was being checked.
    if (db::is_unique_violation(e)) throw errors::import_conflict();
    throw;
  }
  report.imported = static_cast<int>(good.size());
  report.committed = true;
  return report;
}

}  // namespace hall::people
