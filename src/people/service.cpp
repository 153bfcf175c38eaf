#include "people/service.hpp"

#include <fmt/format.h>

#include "auth/audit.hpp"
#include "auth/errors.hpp"
#include "auth/password.hpp"
#include "auth/permissions.hpp"
#include "auth/service.hpp"
#include "auth/store.hpp"
#include "core/config.hpp"
#include "core/errors.hpp"
#include "db/database.hpp"
#include "org/errors.hpp"
#include "org/model.hpp"
#include "org/store.hpp"
#include "people/errors.hpp"
#include "people/module.hpp"
#include "people/store.hpp"

namespace hall::people {

namespace {

ApiError user_not_found() { return auth::errors::user_not_found(); }

// field: login, student.student_no, student.card_no or staff.staff_no.
ApiError taken(const std::string& field) {
  if (field == "student.student_no") return errors::student_no_taken(field);
  if (field == "student.card_no") return errors::card_no_taken(field);
  if (field == "staff.staff_no") return errors::staff_no_taken(field);
  return errors::login_taken(field);
}

void check_role(const std::string& role) {
  if (!auth::is_person_role(role)) throw errors::invalid_role("role");
}

ApiError profile_mismatch(const std::string& field, const std::string& role) {
  return errors::profile_mismatch.with(
      field, role, field == "student" ? Text{"学生", "student"} : Text{"工作人员", "staff"});
}

std::string checked_name(const std::string& v) {
  std::string name = org::trim(v);
  check_text(name, "name", kMaxName);
  return name;
}

// Checks the uniqueness and references of a user's profiles against the database.
void check_against_db(soci::session& s, const auth::User& u, std::int64_t self) {
  if (people::store::login_taken(s, u.login, self)) throw taken("login");
  if (u.student) {
    const auto& p = *u.student;
    if (people::store::student_no_taken(s, p.student_no, self)) throw taken("student.student_no");
    if (p.card_no && people::store::card_no_taken(s, *p.card_no, self))
      throw taken("student.card_no");
    if (p.college_id && !org::store::exists(s, "colleges", *p.college_id))
      throw errors::unknown_college("student.college_id");
  }
  if (u.staff) {
    const auto& p = *u.staff;
    if (people::store::staff_no_taken(s, p.staff_no, self)) throw taken("staff.staff_no");
    if (p.unit_id && !org::store::exists(s, "units", *p.unit_id))
      throw org::errors::unknown_unit("staff.unit_id");
  }
}

// A UNIQUE violation that slipped past the checks (a concurrent write) is still a 409.
template <typename F>
auto guarded_write(Deps& deps, F&& fn) {
  try {
    return deps.db->write(std::forward<F>(fn));
  } catch (const ApiError&) {
    throw;
  } catch (const std::exception& e) {
    if (!db::is_unique_violation(e)) throw;
    std::string f = org::unique_violation_field(e, {"login", "student_no", "card_no", "staff_no"});
    if (f == "student_no" || f == "card_no") f = "student." + f;
    if (f == "staff_no") f = "staff." + f;
    throw taken(f.empty() ? "login" : f);
  }
}

json::object summary_of(const auth::User& u) { return auth::to_json(u); }

}  // namespace

json::object search(Deps& deps, const auth::Caller& c, const std::string& text, const std::string& role, int page,
                    int page_size) {
  auth::require(c.principal, "users.read");
  if (!role.empty()) check_role(role);
  check_text(text, "q", 100, true);
  auth::store::UserQuery q{org::trim(text), role, page, page_size};
  json::object out = deps.db->read([&](soci::session& s) { return auth::store::search_users(s, q); });
  out["page"] = page;
  out["page_size"] = page_size;
  return out;
}

auth::User get(Deps& deps, const auth::Caller& c, std::int64_t id) {
  const auto& p = c.principal;
  // Record-level rule: without users.read, a person reads only their own account.
  if (!auth::has_permission(p, "users.read") && !(p.is_user() && p.user_id == id)) throw forbidden();
  auto u = deps.db->read([&](soci::session& s) { return auth::store::find_user(s, id); });
  if (!u) throw user_not_found();
  return *u;
}

auth::User create(Deps& deps, const auth::Caller& c, const NewUser& in) {
  auth::require(c.principal, "users.write");
  auth::User u;
  u.login = org::trim(in.login);
  org::check_identifier(u.login, "login", kMaxLogin);
  u.name = checked_name(in.name);
  u.role = in.role;
  check_role(u.role);
  std::string kind = profile_of_role(u.role);
  if (in.student && kind != "student") throw profile_mismatch("student", u.role);
  if (in.staff && kind != "staff") throw profile_mismatch("staff", u.role);
  if (kind == "student") {
    if (!in.student) throw hall::errors::missing_field.with("student", errors::student_profile);
    u.student.emplace();
    apply_student(*in.student, *u.student, true);
  }
  if (kind == "staff") {
    if (!in.staff) throw hall::errors::missing_field.with("staff", errors::staff_profile);
    u.staff.emplace();
    apply_staff(*in.staff, *u.staff, true);
  }
  auth::check_password_policy(in.password, u.login, "password");
  std::string hash = auth::hash_password(in.password);  // slow: outside the transaction
  return guarded_write(deps, [&](soci::session& s) {
    check_against_db(s, u, 0);
    std::int64_t id = auth::store::insert_user(s, u, hash);
    auth::User saved = *auth::store::find_user(s, id);
    auth::audit(s, c, "user.created", "user", std::to_string(id), json::object{{"after", summary_of(saved)}});
    return saved;
  });
}

auth::User update(Deps& deps, const auth::Caller& c, std::int64_t id, const UserPatch& in) {
  auth::require(c.principal, "users.write");
  std::optional<std::string> name;
  if (in.name) name = checked_name(*in.name);
  if (in.role) check_role(*in.role);
  bool revoke = false;
  auth::User after = guarded_write(deps, [&](soci::session& s) {
    auto before = auth::store::find_user(s, id);
    if (!before) throw user_not_found();
    auth::User u = *before;
    if (name) u.name = *name;
    if (in.role) u.role = *in.role;
    if (in.disabled) u.disabled = *in.disabled;
    bool self = c.principal.is_user() && c.principal.user_id == id;
    if (self && u.disabled && !before->disabled) throw errors::cannot_disable_self("disabled");
    if (self && u.role != before->role) throw errors::cannot_change_own_role("role");
    bool was_admin = before->role == "admin" && !before->disabled;
    bool is_admin = u.role == "admin" && !u.disabled;
    if (was_admin && !is_admin && people::store::enabled_admins_except(s, id) == 0)
      throw errors::last_admin(in.disabled ? "disabled" : "role");

    // The profile must fit the (new) role; the one that no longer applies is removed.
    std::string kind = profile_of_role(u.role);
    if (in.student && kind != "student") throw profile_mismatch("student", u.role);
    if (in.staff && kind != "staff") throw profile_mismatch("staff", u.role);
    if (kind == "student") {
      if (!u.student && !in.student)
        throw hall::errors::missing_field.with("student", errors::student_profile);
      if (!u.student) u.student.emplace();
      if (in.student) apply_student(*in.student, *u.student, !before->student);
    } else {
      u.student.reset();
    }
    if (kind == "staff") {
      if (!u.staff && !in.staff)
        throw hall::errors::missing_field.with("staff", errors::staff_profile);
      if (!u.staff) u.staff.emplace();
      if (in.staff) apply_staff(*in.staff, *u.staff, !before->staff);
    } else {
      u.staff.reset();
    }
    check_against_db(s, u, id);

    people::store::update_account(s, id, u.name, u.role, u.disabled);
    if (u.student) people::store::save_student(s, id, *u.student, before->student.has_value());
    else if (before->student) people::store::delete_student(s, id);
    if (u.staff) people::store::save_staff(s, id, *u.staff, before->staff.has_value());
    else if (before->staff) people::store::delete_staff(s, id);

    // Disabling or a new role takes effect at once: every session ends.
    revoke = (u.disabled && !before->disabled) || u.role != before->role;
    int revoked = revoke ? auth::store::revoke_user_sessions(s, id, 0) : 0;
    auth::User saved = *auth::store::find_user(s, id);
    auth::audit(s, c, u.disabled && !before->disabled ? "user.disabled" : "user.updated", "user", std::to_string(id),
                json::object{{"before", summary_of(*before)}, {"after", summary_of(saved)}, {"sessions_revoked", revoked}});
    return saved;
  });
  if (revoke) deps.auth->forget_user(id);
  return after;
}

void reset_password(Deps& deps, const auth::Caller& c, std::int64_t id, const std::string& password) {
  auth::require(c.principal, "users.write");
  deps.auth->reset_password(c, id, password);
}

}  // namespace hall::people
