#include "people/store.hpp"

#include "core/clock.hpp"
#include "db/optional.hpp"

namespace hall::people::store {

namespace {
bool taken(soci::session& s, const char* sql, const std::string& value, std::int64_t except_user) {
  long long n = 0, except = except_user;
  s << sql, soci::into(n), soci::use(value), soci::use(except);
  return n > 0;
}

void strings(soci::session& s, const char* sql, std::unordered_set<std::string>& out) {
  std::string v;
  soci::statement st = (s.prepare << sql, soci::into(v));
  st.execute();
  while (st.fetch()) out.insert(v);
}

void lookup(soci::session& s, const std::string& table, std::map<std::string, std::int64_t>& out) {
  long long id = 0;
  std::string code, name;
  soci::statement st = (s.prepare << "SELECT id, code, name FROM " + table, soci::into(id), soci::into(code),
                        soci::into(name));
  st.execute();
  while (st.fetch()) {
    out[name] = id;
    out.emplace(code, id);  // a name wins over another record's equal code
  }
}
}  // namespace

bool login_taken(soci::session& s, const std::string& login, std::int64_t except_user) {
  return taken(s, "SELECT COUNT(*) FROM users WHERE login = :v AND id <> :id", login, except_user);
}
bool student_no_taken(soci::session& s, const std::string& no, std::int64_t except_user) {
  return taken(s, "SELECT COUNT(*) FROM students WHERE student_no = :v AND user_id <> :id", no, except_user);
}
bool card_no_taken(soci::session& s, const std::string& card, std::int64_t except_user) {
  return taken(s, "SELECT COUNT(*) FROM students WHERE card_no = :v AND user_id <> :id", card, except_user);
}
bool staff_no_taken(soci::session& s, const std::string& no, std::int64_t except_user) {
  return taken(s, "SELECT COUNT(*) FROM staff WHERE staff_no = :v AND user_id <> :id", no, except_user);
}

void update_account(soci::session& s, std::int64_t id, const std::string& name, const std::string& role, bool disabled) {
  long long key = id, now = Clock::now();
  int d = disabled ? 1 : 0;
  s << "UPDATE users SET name = :n, role = :r, disabled = :d, updated_at = :t WHERE id = :id", soci::use(name),
      soci::use(role), soci::use(d), soci::use(now), soci::use(key);
}

void save_student(soci::session& s, std::int64_t id, const auth::StudentProfile& p, bool exists) {
  long long key = id;
  std::optional<long long> college;
  if (p.college_id) college = *p.college_id;
  if (exists)
    s << "UPDATE students SET student_no = :no, college_id = :c, major = :m, class_name = :k, phone = :p, "
         "card_no = :card WHERE user_id = :id",
        soci::use(p.student_no), soci::use(college), soci::use(p.major), soci::use(p.class_name), soci::use(p.phone),
        soci::use(p.card_no), soci::use(key);
  else
    s << "INSERT INTO students (user_id, student_no, college_id, major, class_name, phone, card_no) "
         "VALUES (:id, :no, :c, :m, :k, :p, :card)",
        soci::use(key), soci::use(p.student_no), soci::use(college), soci::use(p.major), soci::use(p.class_name),
        soci::use(p.phone), soci::use(p.card_no);
}

void save_staff(soci::session& s, std::int64_t id, const auth::StaffProfile& p, bool exists) {
  long long key = id;
  std::optional<long long> unit;
  if (p.unit_id) unit = *p.unit_id;
  if (exists)
    s << "UPDATE staff SET staff_no = :no, unit_id = :u, badge_no = :b, phone = :p WHERE user_id = :id",
        soci::use(p.staff_no), soci::use(unit), soci::use(p.badge_no), soci::use(p.phone), soci::use(key);
  else
    s << "INSERT INTO staff (user_id, staff_no, unit_id, badge_no, phone) VALUES (:id, :no, :u, :b, :p)",
        soci::use(key), soci::use(p.staff_no), soci::use(unit), soci::use(p.badge_no), soci::use(p.phone);
}

void delete_student(soci::session& s, std::int64_t id) {
  long long key = id;
  s << "DELETE FROM students WHERE user_id = :id", soci::use(key);
}
void delete_staff(soci::session& s, std::int64_t id) {
  long long key = id;
  s << "DELETE FROM staff WHERE user_id = :id", soci::use(key);
}

long long enabled_admins_except(soci::session& s, std::int64_t except_user) {
  long long n = 0, except = except_user;
  s << "SELECT COUNT(*) FROM users WHERE role = 'admin' AND disabled = 0 AND id <> :id", soci::into(n),
      soci::use(except);
  return n;
}

Existing load_existing(soci::session& s) {
  Existing e;
  strings(s, "SELECT login FROM users", e.logins);
  strings(s, "SELECT student_no FROM students", e.student_nos);
  strings(s, "SELECT card_no FROM students WHERE card_no IS NOT NULL", e.card_nos);
  strings(s, "SELECT staff_no FROM staff", e.staff_nos);
  lookup(s, "colleges", e.colleges);
  lookup(s, "units", e.units);
  return e;
}

}  // namespace hall::people::store
