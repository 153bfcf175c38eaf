#include "cases/access.hpp"

#include <fmt/format.h>

#include "auth/permissions.hpp"
#include "calendar/service.hpp"
#include "cases/errors.hpp"
#include "catalog/model.hpp"
#include "catalog/store.hpp"
#include "core/clock.hpp"
#include "core/config.hpp"
#include "core/error.hpp"
#include "courtesy/service.hpp"

namespace hall::cases {

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

// B6.1 with resident units: a case nobody has received yet (an online
// application names its item) is received by the unit that handles the item —
// its staff and head — or by the responsible teacher, never by another unit's
// staff who happens to open it first.
void require_item_unit(soci::session& s, const auth::Caller& c, const store::Case& k) {
  if (oversees(c) || k.first_responder_id || !k.item_id) return;
  auto unit = store::item_unit(s, k.item_version_id, *k.item_id);
  if (!unit.unit_id || *unit.unit_id == c.principal.unit_id) return;
  throw errors::localized(errors::other_units_case, "",
                          Text{unit.name, unit.name_en.empty() ? unit.name : unit.name_en});
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

void touch(soci::session& s, long long id, long long now) { store::touch(s, id, now); }

// B6.1: the first staff member to receive a case becomes its first responder, once.
void ensure_first_responder(soci::session& s, const auth::Caller& c, store::Case& k,
                            long long now) {
  if (k.first_responder_id || c.principal.is_student()) return;
  require_item_unit(s, c, k);
  long long me = c.principal.user_id;
  store::set_first_responder(s, k.id, me);
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
  auto v = catalog::store::find_version(s, version_id);
  const std::vector<catalog::Period> none;
  const auto& list = v ? v->content.periods : none;
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

void require_item(const store::Case& k) {
  if (!k.item_version_id) throw errors::item_required("item_id");
}

long long resolve_student_no(soci::session& s, const std::string& no, const char* field) {
  auto id = store::student_by_no(s, no);
  if (!id) throw errors::unknown_student(field);
  return *id;
}

// The current version of an item (404-style 400 naming the field when unknown).
std::pair<long long, long long> item_version(soci::session& s, long long item_id) {
  auto item = catalog::store::find_item(s, item_id);
  if (!item || !item->current_version_id) throw errors::unknown_item("item_id");
  return {item_id, item->current_version_id};
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
  store::NewCase row;
  row.case_no = tmp;
  row.hall_id = hall_id;
  row.channel = std::string(to_string(ch));
  row.status = std::string(to_string(Status::received));
  row.ticket_id = ticket_id;
  row.student_id = student_id;
  row.caller_name = caller_name;
  row.caller_phone = caller_phone;
  row.caller_student_no = caller_no;
  row.summary = summary;
  row.item_id = item_id;
  row.item_version_id = version_id;
  row.first_responder_id = first_responder;
  row.created_by = created_by;
  row.now = now;
  long long id = store::insert_case(s, row);
  std::string no = case_number(local_date(now, deps.config.utc_offset_minutes), id);
  store::set_case_no(s, id, no);
  if (version_id) store::copy_materials(s, id, *version_id);
  return id;
}

long long default_hall(Deps& deps) {
  long long h = deps.calendar->resolve_hall(0);
  if (!h) throw errors::no_hall();
  return h;
}

std::string version_name(soci::session& s, long long version_id) {
  auto v = catalog::store::find_version(s, version_id);
  return v ? v->content.name : std::string();
}

}  // namespace hall::cases
