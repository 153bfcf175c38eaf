#include "cases/access.hpp"

#include <fmt/format.h>

#include "auth/permissions.hpp"
#include "calendar/service.hpp"
#include "cases/errors.hpp"
#include "catalog/model.hpp"
#include "core/clock.hpp"
#include "core/config.hpp"
#include "core/error.hpp"
#include "courtesy/service.hpp"

namespace hall::cases {

using store::Binds;
using store::col_i64;
using store::col_opt_i64;
using store::col_str;

// ---------------------------------------------------------------------------
// Small helpers

bool blank(const std::string& s) { return s.find_first_not_of(" \t\r\n") == std::string::npos; }

bool oversees(const auth::Caller& c) { return auth::has_permission(c.principal, "cases.oversee"); }
bool handles(const auth::Caller& c) { return auth::has_permission(c.principal, "cases.handle"); }

store::Case case_or_404(soci::session& s, long long id, bool for_update) {
  auto c = store::find_case(s, id, for_update);
  if (!c) throw errors::case_not_found();
  return *c;
}

// Reading: a student sees only their own cases (another's does not exist for them: 404).
void require_visible(const auth::Caller& c, const store::Case& k) {
  if (c.principal.is_student()) {
    if (!k.student_id || *k.student_id != c.principal.user_id) throw errors::case_not_found();
    return;
  }
  if (!handles(c)) throw forbidden();
}

Binds B(std::initializer_list<store::Bind> l) { return Binds(l); }

// B6.1 with resident units: a case nobody has received yet (an online
// application names its item) is received by the unit that handles the item —
// its staff and head — or by the responsible teacher, never by another unit's
// staff who happens to open it first.
void require_item_unit(soci::session& s, const auth::Caller& c, const store::Case& k) {
  if (oversees(c) || k.first_responder_id || !k.item_id) return;
  std::optional<long long> unit;
  std::string name, name_en;
  store::query(s,
               "SELECT COALESCE(v.unit_id, i.unit_id), u.name, u.name_en FROM catalog_items i "
               "LEFT JOIN catalog_item_versions v ON v.id = ? "
               "LEFT JOIN units u ON u.id = COALESCE(v.unit_id, i.unit_id) WHERE i.id = ?",
               B({k.item_version_id.value_or(0), *k.item_id}), [&](const soci::row& r) {
                 unit = col_opt_i64(r, 0);
                 name = col_str(r, 1);
                 name_en = col_str(r, 2);
               });
  if (!unit || *unit == c.principal.unit_id) return;
  throw errors::localized(errors::other_units_case, "",
                          Text{name, name_en.empty() ? name : name_en});
}

// Acting (B6.1): the first responder, the handler they assigned, or the responsible teacher.
void require_actor(soci::session& s, const auth::Caller& c, const store::Case& k) {
  if (!handles(c)) throw forbidden();
  if (oversees(c)) return;
  long long me = c.principal.user_id;
  if (!k.first_responder_id) {
    // Nobody received it yet: the item's unit acts first and so becomes its first responder.
    require_item_unit(s, c, k);
    return;
  }
  if (*k.first_responder_id == me || (k.handler_id && *k.handler_id == me)) return;
  throw errors::not_your_case();
}

void touch(soci::session& s, long long id, long long now) {
  store::execute(s, "UPDATE cases SET updated_at = ? WHERE id = ?", B({now, id}));
}

// B6.1: the first staff member to receive a case becomes its first responder, once.
void ensure_first_responder(soci::session& s, const auth::Caller& c, store::Case& k,
                            long long now) {
  if (k.first_responder_id || c.principal.is_student()) return;
  require_item_unit(s, c, k);
  long long me = c.principal.user_id;
  store::execute(
      s,
      "UPDATE cases SET first_responder_id = ?, handler_id = COALESCE(handler_id, ?) WHERE id = ?",
      B({me, me, k.id}));
  k.first_responder_id = me;
  if (!k.handler_id) k.handler_id = me;
  store::add_event(s, k.id, now, "received", me, c.principal.name, json::object{}, true);
}

// B1: every text staff write to a student passes the courtesy check.
void polite(Deps& deps, soci::session& s, const auth::Caller& c, const std::string& text,
            const char* context, const std::string& field) {
  if (blank(text) || c.principal.is_student()) return;
  deps.courtesy->enforce(s, c, text, context, field);
}

// B6.2 (3): the application period of the item as text, from the catalog.
std::string application_limit_text(soci::session& s, long long version_id, bool en) {
  std::string periods;
  store::query(s, "SELECT periods_json FROM catalog_item_versions WHERE id = ?", B({version_id}),
               [&](const soci::row& r) { periods = col_str(r, 0); });
  auto list = catalog::periods_from_json(periods.empty() ? "[]" : periods);
  if (list.empty()) return en ? "Any time (no application period)" : "随时可申请（无申请期限）";
  std::string out;
  for (const auto& p : list) {
    if (!out.empty()) out += en ? "; " : "；";
    out += p.from + (en ? " to " : " 至 ") + p.to;
    if (!p.note.empty()) out += (en ? " (" : "（") + p.note + (en ? ")" : "）");
  }
  return out;
}

std::vector<MaterialMark> marks_of(const std::vector<store::MaterialRow>& rows) {
  std::vector<MaterialMark> out;
  for (const auto& r : rows) out.push_back(r.m);
  return out;
}

long long count_of(soci::session& s, const std::string& sql, Binds b) {
  return store::scalar(s, sql, std::move(b)).value_or(0);
}

void require_item(const store::Case& k) {
  if (!k.item_version_id) throw errors::item_required("item_id");
}

long long resolve_student_no(soci::session& s, const std::string& no, const char* field) {
  auto id = store::scalar(s, "SELECT user_id FROM students WHERE student_no = ?", B({no}));
  if (!id) throw errors::unknown_student(field);
  return *id;
}

// The current version of an item (404-style 400 naming the field when unknown).
std::pair<long long, long long> item_version(soci::session& s, long long item_id) {
  std::optional<long long> version;
  bool found = false;
  store::query(s, "SELECT current_version_id FROM catalog_items WHERE id = ?", B({item_id}),
               [&](const soci::row& r) {
                 found = true;
                 version = col_opt_i64(r, 0);
               });
  if (!found || !version) throw errors::unknown_item("item_id");
  return {item_id, *version};
}

// Inserts the case row and its number; returns the id.
long long insert_case(Deps& deps, soci::session& s, long long hall_id, Channel ch,
                      std::optional<long long> ticket_id, std::optional<long long> student_id,
                      const std::string& caller_name, const std::string& caller_phone,
                      const std::string& caller_no, const std::string& summary,
                      std::optional<long long> item_id, std::optional<long long> version_id,
                      std::optional<long long> first_responder, std::optional<long long> created_by,
                      long long now) {
  std::string tmp = "tmp-" + std::to_string(now) + "-" + std::to_string(created_by.value_or(0)) +
                    "-" + std::to_string(student_id.value_or(0)) + "-" + caller_phone;
  long long id = 0;
  std::string channel(to_string(ch)), status(to_string(Status::received));
  store::query(s,
               "INSERT INTO cases (case_no, hall_id, channel, ticket_id, student_id, caller_name, "
               "caller_phone, "
               "caller_student_no, summary, item_id, item_version_id, status, first_responder_id, "
               "handler_id, "
               "created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
               "?, ?, ?, ?) RETURNING id",
               B({tmp, hall_id, channel, ticket_id, student_id, caller_name, caller_phone,
                  caller_no, summary, item_id, version_id, status, first_responder, first_responder,
                  created_by, now, now}),
               [&](const soci::row& r) { id = col_i64(r, 0); });
  std::string no = case_number(local_date(now, deps.config.utc_offset_minutes), id);
  store::execute(s, "UPDATE cases SET case_no = ? WHERE id = ?", B({no, id}));
  if (version_id) store::copy_materials(s, id, *version_id);
  return id;
}

long long default_hall(Deps& deps) {
  long long h = deps.calendar->resolve_hall(0);
  if (!h) throw errors::no_hall();
  return h;
}

}  // namespace hall::cases
