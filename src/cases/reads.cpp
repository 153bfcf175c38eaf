// Reading cases: the staff list, a student's own cases, one case with everything on it.

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
#include "cases/errors.hpp"
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

// ===========================================================================
// Reads

json::object CaseService::list(const auth::Caller& c, const ListQuery& q) const {
  auth::require(c.principal, "cases.handle");
  long long now = Clock::now(), me = c.principal.user_id;
  std::string where = "WHERE 1=1";
  Binds b;
  if (q.scope == "mine") {
    where += " AND (c.first_responder_id = ? OR c.handler_id = ?)";
    b.push_back(me);
    b.push_back(me);
  } else if (q.scope == "open" || q.scope.empty() || q.scope == "all") {
    if (q.scope == "open") where += " AND c.status NOT IN ('completed', 'refused')";
  } else if (q.scope == "unreceived") {
    where += " AND c.first_responder_id IS NULL";
    if (!oversees(c)) {  // B6.1: what the caller's unit may receive (require_item_unit)
      where +=
          " AND COALESCE((SELECT v.unit_id FROM catalog_item_versions v WHERE v.id = "
          "c.item_version_id), "
          "(SELECT i.unit_id FROM catalog_items i WHERE i.id = c.item_id)) = ?";
      b.push_back(static_cast<long long>(c.principal.unit_id));
    }
  } else {
    throw errors::invalid_scope.with("scope", "all, mine, open, unreceived");
  }
  if (!q.status.empty()) {
    if (!parse_status(q.status)) throw errors::invalid_status("status");
    where += " AND c.status = ?";
    b.push_back(q.status);
  }
  if (!q.text.empty()) {
    where +=
        " AND (c.case_no LIKE ? OR c.summary LIKE ? OR su.name LIKE ? OR st.student_no LIKE ? OR "
        "c.caller_name LIKE ?)";
    std::string like = "%" + q.text + "%";
    for (int i = 0; i < 5; ++i) b.push_back(like);
  }
  return deps_.db->read([&](soci::session& s) {
    long long total = 0;
    store::query(s,
                 "SELECT COUNT(*) FROM cases c LEFT JOIN users su ON su.id = c.student_id "
                 "LEFT JOIN students st ON st.user_id = c.student_id " +
                     where,
                 b, [&](const soci::row& r) { total = col_i64(r, 0); });
    // B6.5: green-channel cases first in every list; then open before closed, soonest due first.
    auto rows = store::list_cases(
        s, where, b,
        fmt::format(
            "ORDER BY c.green DESC, CASE WHEN c.status IN ('completed', 'refused') THEN 1 ELSE 0 "
            "END, "
            "CASE WHEN c.due_at IS NULL THEN 1 ELSE 0 END, c.due_at, c.id DESC LIMIT {} OFFSET {}",
            q.page_size, static_cast<long long>(q.page - 1) * q.page_size));
    json::array items;
    for (const auto& k : rows) items.push_back(case_json(deps_, c, k, now));
    return json::object{
        {"items", items}, {"total", total}, {"page", q.page}, {"page_size", q.page_size}};
  });
}

json::object CaseService::mine(const auth::Caller& c) const {
  if (!c.principal.is_user()) throw forbidden();
  long long now = Clock::now(), me = c.principal.user_id;
  return deps_.db->read([&](soci::session& s) {
    auto rows = store::list_cases(
        s, "WHERE c.student_id = ?", B({me}),
        "ORDER BY CASE WHEN c.status IN ('completed', 'refused') THEN 1 ELSE 0 END, "
        "c.green DESC, c.id DESC LIMIT 200");
    json::array items;
    for (const auto& k : rows) {
      json::object o = case_json(deps_, c, k, now);
      auto refs = store::referrals(s, k.id);
      o["referral"] = refs.empty() ? json::value(nullptr) : json::value(referral_json(refs.back()));
      o["notices"] = count_of(s, "SELECT COUNT(*) FROM case_notices WHERE case_id = ?", B({k.id}));
      o["open_followups"] =
          count_of(s, "SELECT COUNT(*) FROM case_followups WHERE case_id = ? AND status = 'open'",
                   B({k.id}));
      items.push_back(o);
    }
    return json::object{{"items", items}};
  });
}

json::object CaseService::get(const auth::Caller& c, std::int64_t id) const {
  long long now = Clock::now();
  bool student = c.principal.is_student();
  return deps_.db->read([&](soci::session& s) {
    auto k = case_or_404(s, id);
    require_visible(c, k);
    json::object o = case_json(deps_, c, k, now);
    json::array mats, notices, refs, fus, timeline, docs;
    for (const auto& m : store::materials(s, k.id)) mats.push_back(material_json(m, c.english));
    for (const auto& n : store::notices(s, k.id))
      notices.push_back(notice_json(n, c.english, student));
    for (const auto& r : store::referrals(s, k.id)) refs.push_back(referral_json(r));
    for (const auto& f : store::followups(s, "WHERE f.case_id = ?", B({k.id}), "ORDER BY f.id"))
      fus.push_back(followup_json(f, now, student, deps_.config.utc_offset_minutes));
    for (const auto& e : store::events(s, k.id, student)) timeline.push_back(event_json(e));
    o["materials"] = mats;
    o["notices"] = notices;
    o["referrals"] = refs;
    o["referral"] = refs.empty() ? json::value(nullptr) : refs.back();
    o["followups"] = fus;
    o["timeline"] = timeline;
    o["documents"] = case_documents(deps_, s, k.id);
    if (!student && k.item_version_id) {
      o["application_limit_default"] = application_limit_text(s, *k.item_version_id, c.english);
      // The catalog's referral contact of the item (B6.1), for the referral picker.
      store::query(s,
                   "SELECT contact_office, contact_person, contact_phone, contact_location FROM "
                   "catalog_item_versions WHERE id = ?",
                   B({*k.item_version_id}), [&](const soci::row& r) {
                     o["catalog_contact"] = json::object{{"office", col_str(r, 0)},
                                                         {"handler", col_str(r, 1)},
                                                         {"phone", col_str(r, 2)},
                                                         {"location", col_str(r, 3)}};
                   });
    }
    if (!student) {
      long long me = c.principal.user_id;
      bool may =
          handles(c) && (oversees(c) || !k.first_responder_id || *k.first_responder_id == me ||
                         (k.handler_id && *k.handler_id == me));
      o["may_act"] = may;
    }
    return o;
  });
}

}  // namespace hall::cases
