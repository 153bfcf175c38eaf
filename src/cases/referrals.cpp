// B6.1 first-responder responsibility (首问责任制): a case outside the hall is referred to a

#include "cases/errors.hpp"
// specific office and handler (with a referral slip); a student who could not reach them reports it
// and the first responder follows up within one working day.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "auth/audit.hpp"
#include "auth/permissions.hpp"
#include "calendar/service.hpp"
#include "cases/access.hpp"
#include "cases/documents.hpp"
#include "cases/service.hpp"
#include "cases/store.hpp"
#include "cases/views.hpp"
#include "core/clock.hpp"
#include "core/config.hpp"
#include "core/error.hpp"
#include "db/database.hpp"

namespace hall::cases {

using store::Binds;
using store::col_i64;
using store::col_opt_i64;
using store::col_str;

json::object CaseService::refer(const auth::Caller& c, std::int64_t id, const ReferInput& in) {
  const std::string& source = in.source;
  const auto& handler_user = in.handler_user_id;
  const auto& office = in.office;
  const auto& handler = in.handler;
  const auto& phone = in.phone;
  const auto& location = in.location;
  const std::string& note = in.note;
  if (source != "catalog" && source != "staff" && source != "other")
    throw errors::invalid_source("source");
  if (source == "staff" && !handler_user)
    throw bad_request("missing_field", {"请选择经办人", "Choose the handler"}, "handler_user_id");
  long long now = Clock::now(), me = c.principal.user_id;
  deps_.db->write([&](soci::session& s) {
    auto k = case_or_404(s, id, true);
    require_actor(s, c, k);
    check_action(Action::refer, k.st());
    Referral r;
    if (source == "catalog") {
      // B6.1: the item's referral contact from the catalog (what the request gives overrides it).
      if (!k.item_version_id) throw errors::item_required("item_id");
      store::query(s,
                   "SELECT contact_office, contact_person, contact_phone, contact_location FROM "
                   "catalog_item_versions WHERE id = ?",
                   B({*k.item_version_id}), [&](const soci::row& row) {
                     r.office = col_str(row, 0);
                     r.handler = col_str(row, 1);
                     r.phone = col_str(row, 2);
                     r.location = col_str(row, 3);
                   });
      if (blank(r.office))
        store::query(s,
                     "SELECT u.name, u.location FROM catalog_items i JOIN units u ON u.id = "
                     "i.unit_id WHERE i.id = ?",
                     B({*k.item_id}), [&](const soci::row& row) {
                       r.office = col_str(row, 0);
                       if (blank(r.location)) r.location = col_str(row, 1);
                     });
    } else if (source == "staff") {
      bool found = false;
      store::query(s,
                   "SELECT u.name, COALESCE(st.phone, ''), COALESCE(un.name, ''), "
                   "COALESCE(un.location, ''), u.role, u.disabled "
                   "FROM users u LEFT JOIN staff st ON st.user_id = u.id LEFT JOIN units un ON "
                   "un.id = st.unit_id WHERE u.id = ?",
                   B({*handler_user}), [&](const soci::row& row) {
                     found = col_str(row, 4) != "student" && col_i64(row, 5) == 0;
                     r.handler = col_str(row, 0);
                     r.phone = col_str(row, 1);
                     r.office = col_str(row, 2);
                     r.location = col_str(row, 3);
                   });
      if (!found) throw errors::unknown_handler("handler_user_id");
    }
    if (office) r.office = *office;
    if (handler) r.handler = *handler;
    if (phone) r.phone = *phone;
    if (location) r.location = *location;
    r.note = note;
    check_referral(r);  // B6.1: an office and a specific handler, never "I don't know"
    polite(deps_, s, c, r.note, "cases.referral", "note");
    ensure_first_responder(s, c, k, now);
    long long rid = 0;
    store::query(
        s,
        "INSERT INTO case_referrals (case_id, office, handler, handler_user_id, phone, location, "
        "note, source, "
        "created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        B({k.id, r.office, r.handler,
           source == "staff" ? std::optional<long long>(*handler_user) : std::optional<long long>(),
           r.phone, r.location, r.note, source, me, now}),
        [&](const soci::row& row) { rid = col_i64(row, 0); });
    store::execute(
        s,
        "UPDATE cases SET status = 'referred', resume_status = NULL, updated_at = ? WHERE id = ?",
        B({now, k.id}));
    store::add_event(s, k.id, now, "referred", me, c.principal.name,
                     json::object{{"office", r.office},
                                  {"handler", r.handler},
                                  {"phone", r.phone},
                                  {"location", r.location},
                                  {"note", r.note}},
                     true);
    if (auto doc = issue_referral_document(deps_, s, c, k, rid))
      store::execute(s, "UPDATE case_referrals SET document_id = ? WHERE id = ?", B({*doc, rid}));
    auth::audit(s, c, "case.refer", "case", std::to_string(k.id),
                json::object{{"office", r.office}, {"handler", r.handler}, {"source", source}});
  });
  return get(c, id);
}

json::object CaseService::unreachable(const auth::Caller& c, std::int64_t id,
                                      const UnreachableInput& in) {
  std::string via = in.via.value_or(c.principal.is_student() ? "portal" : "window");
  const std::string& note = in.note;
  if (c.principal.is_student()) via = "portal";
  if (via != "window" && via != "phone" && via != "portal") throw errors::invalid_via("via");
  long long now = Clock::now(), me = c.principal.user_id;
  deps_.db->write([&](soci::session& s) {
    auto k = case_or_404(s, id, true);
    if (c.principal.is_student())
      require_visible(c, k);
    else if (!handles(c))
      throw forbidden();
    check_action(Action::unreachable, k.st());
    if (count_of(s, "SELECT COUNT(*) FROM case_followups WHERE case_id = ? AND status = 'open'",
                 B({k.id})))
      throw errors::followup_open();
    // B6.1: the first responder follows up, in principle within one working day.
    long long assignee = k.first_responder_id.value_or(k.handler_id.value_or(0));
    if (!assignee)
      store::query(s, "SELECT created_by FROM case_referrals WHERE case_id = ? ORDER BY id DESC",
                   B({k.id}), [&](const soci::row& r) {
                     if (!assignee) assignee = col_i64(r, 0);
                   });
    auto cal = deps_.calendar->for_hall(k.hall_id);
    long long due = millis(cal->deadline_after_working_days(instant(now), 1));
    long long fid = 0;
    store::query(s,
                 "INSERT INTO case_followups (case_id, assignee_id, reported_at, reported_via, "
                 "student_note, due_at, "
                 "status, created_by) VALUES (?, ?, ?, ?, ?, ?, 'open', ?) RETURNING id",
                 B({k.id, assignee, now, via, note, due, me}),
                 [&](const soci::row& r) { fid = col_i64(r, 0); });
    touch(s, k.id, now);
    store::add_event(
        s, k.id, now, "unreachable", me, c.principal.name,
        json::object{
            {"via", via}, {"note", note}, {"due_at", iso8601_utc(due)}, {"followup_id", fid}},
        true);
    auth::audit(s, c, "case.unreachable", "case", std::to_string(k.id),
                json::object{{"followup_id", fid}, {"via", via}});
  });
  return get(c, id);
}

// ===========================================================================
// Follow-ups (B6.1)

json::object CaseService::followups(const auth::Caller& c, const std::string& scope) const {
  auth::require(c.principal, "cases.handle");
  long long now = Clock::now(), me = c.principal.user_id;
  std::string where;
  Binds b;
  if (scope.empty() || scope == "mine") {
    where = "WHERE f.assignee_id = ? AND f.status = 'open'";
    b.push_back(me);
  } else if (scope == "overdue") {
    if (!oversees(c)) throw forbidden();
    where = "WHERE f.status = 'open' AND f.due_at < ?";
    b.push_back(now);
  } else if (scope == "open") {
    if (!oversees(c)) throw forbidden();
    where = "WHERE f.status = 'open'";
  } else {
    throw errors::invalid_scope.with("scope", "mine, open, overdue");
  }
  return deps_.db->read([&](soci::session& s) {
    json::array items;
    for (const auto& f :
         store::followups(s, where, b, "ORDER BY c.green DESC, f.due_at, f.id LIMIT 500"))
      items.push_back(followup_json(f, now, false, deps_.config.utc_offset_minutes));
    return json::object{{"items", items}};
  });
}

json::object CaseService::reply_followup(const auth::Caller& c, std::int64_t followup_id,
                                         const FollowupReplyInput& in) {
  auth::require(c.principal, "cases.handle");
  const std::string& agreed = in.agreed;
  const std::string& reply = in.reply;
  if (blank(agreed))
    throw bad_request("missing_field",
                      {"请记录与经办处室商定的结果", "Record what was agreed with the office"},
                      "agreed");
  if (blank(reply))
    throw bad_request("missing_field", {"请填写给学生的答复", "Write the reply to the student"},
                      "reply");
  long long now = Clock::now(), me = c.principal.user_id;
  long long case_id = deps_.db->write([&](soci::session& s) {
    auto list = store::followups(s, "WHERE f.id = ?", B({followup_id}), "");
    if (list.empty()) throw errors::followup_not_found();
    const auto& fu = list.front();
    if (fu.assignee_id != me && !oversees(c)) throw errors::followup_not_yours();
    if (fu.status != "open") throw errors::followup_done();
    polite(deps_, s, c, agreed, "cases.followup", "agreed");
    polite(deps_, s, c, reply, "cases.followup", "reply");
    store::execute(s,
                   "UPDATE case_followups SET status = 'done', agreed = ?, reply = ?, replied_at = "
                   "?, replied_by = ? "
                   "WHERE id = ? AND status = 'open'",
                   B({agreed, reply, now, me, followup_id}));
    store::add_event(s, fu.case_id, now, "followup_reply", me, c.principal.name,
                     json::object{{"followup_id", fu.id},
                                  {"agreed", agreed},
                                  {"reply", reply},
                                  {"late", now > fu.due_at}},
                     true);
    touch(s, fu.case_id, now);
    auth::audit(s, c, "case.followup_reply", "case", std::to_string(fu.case_id),
                json::object{{"followup_id", fu.id}, {"late", now > fu.due_at}});
    return fu.case_id;
  });
  return get(c, case_id);
}

json::object CaseService::contacts(const auth::Caller& c, const std::string& text) const {
  auth::require(c.principal, "cases.handle");
  std::string like = "%" + text + "%";
  return deps_.db->read([&](soci::session& s) {
    json::array catalog, staff;
    // B6.1: the referral contacts the catalog names (current versions), one row per contact.
    std::map<std::tuple<std::string, std::string, std::string, std::string>, json::array> seen;
    store::query(s,
                 "SELECT v.contact_office, v.contact_person, v.contact_phone, v.contact_location, "
                 "v.name FROM catalog_items i "
                 "JOIN catalog_item_versions v ON v.id = i.current_version_id WHERE "
                 "v.contact_person <> '' AND "
                 "(v.contact_office LIKE ? OR v.contact_person LIKE ? OR v.name LIKE ?) ORDER BY "
                 "v.contact_office, v.contact_person",
                 B({like, like, like}), [&](const soci::row& r) {
                   seen[{col_str(r, 0), col_str(r, 1), col_str(r, 2), col_str(r, 3)}].push_back(
                       json::value(col_str(r, 4)));
                 });
    for (auto& [k, items] : seen)
      catalog.push_back(json::object{{"office", std::get<0>(k)},
                                     {"handler", std::get<1>(k)},
                                     {"phone", std::get<2>(k)},
                                     {"location", std::get<3>(k)},
                                     {"items", items}});
    store::query(
        s,
        "SELECT u.id, u.name, COALESCE(st.phone, ''), COALESCE(un.name, ''), COALESCE(un.location, "
        "''), u.role "
        "FROM users u JOIN staff st ON st.user_id = u.id LEFT JOIN units un ON un.id = st.unit_id "
        "WHERE u.disabled = 0 AND u.role <> 'student' AND (u.name LIKE ? OR un.name LIKE ?) ORDER "
        "BY un.name, u.name LIMIT 200",
        B({like, like}), [&](const soci::row& r) {
          staff.push_back(json::object{{"id", col_i64(r, 0)},
                                       {"name", col_str(r, 1)},
                                       {"phone", col_str(r, 2)},
                                       {"office", col_str(r, 3)},
                                       {"location", col_str(r, 4)},
                                       {"role", col_str(r, 5)}});
        });
    return json::object{{"catalog", catalog}, {"staff", staff}};
  });
}

}  // namespace hall::cases
