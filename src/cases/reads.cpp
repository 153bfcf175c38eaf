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
#include "catalog/store.hpp"
#include "core/clock.hpp"
#include "core/config.hpp"
#include "core/error.hpp"
#include "db/database.hpp"

namespace hall::cases {

using store::col_i64;
using store::col_opt_i64;
using store::col_str;

// ===========================================================================
// Reads

json::object CaseService::list(const auth::Caller& c, const ListQuery& q) const {
  auth::require(c.principal, "cases.handle");
  long long now = Clock::now();
  if (!q.scope.empty() && q.scope != "all" && q.scope != "open" && q.scope != "mine" &&
      q.scope != "unreceived")
    throw errors::invalid_scope.with("scope", "all, mine, open, unreceived");
  if (!q.status.empty() && !parse_status(q.status)) throw errors::invalid_status.with("status", "received、waiting_materials、processing、referred、completed 或 refused", "received, waiting_materials, processing, referred, completed or refused");
  store::CaseFilter f;
  f.scope = q.scope;
  f.status = q.status;
  f.text = q.text;
  f.me = c.principal.user_id;
  // B6.1: unreceived cases are those the caller's unit may receive (require_item_unit).
  if (!oversees(c)) f.unit_id = static_cast<long long>(c.principal.unit_id);
  f.page = q.page;
  f.page_size = q.page_size;
  return deps_.db->read([&](soci::session& s) {
    long long total = 0;
    auto rows = store::search_cases(s, f, &total);
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
    auto rows = store::cases_of_student(s, me);
    json::array items;
    for (const auto& k : rows) {
      json::object o = case_json(deps_, c, k, now);
      auto refs = store::referrals(s, k.id);
      o["referral"] = refs.empty() ? json::value(nullptr) : json::value(referral_json(refs.back()));
      o["notices"] = store::notice_count(s, k.id);
      o["open_followups"] = store::open_followup_count(s, k.id);
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
    for (const auto& f : store::case_followups(s, k.id))
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
      if (auto v = catalog::store::find_version(s, *k.item_version_id)) {
        const auto& ct = v->content.contact;
        o["catalog_contact"] = json::object{{"office", ct.office},
                                            {"handler", ct.person},
                                            {"phone", ct.phone},
                                            {"location", ct.location}};
      }
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
