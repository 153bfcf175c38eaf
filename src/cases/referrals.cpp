// B6.1 first-responder responsibility (首问责任制): a case outside the hall is referred to a

#include "cases/errors.hpp"
#include "core/errors.hpp"
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
#include "catalog/store.hpp"
#include "core/clock.hpp"
#include "core/config.hpp"
#include "core/error.hpp"
#include "db/database.hpp"

namespace hall::cases {

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
    throw errors::invalid_source.with("source", "catalog、staff 或 other", "catalog, staff or other");
  if (source == "staff" && !handler_user)
    throw errors::handler_required("handler_user_id");
  long long now = Clock::now(), me = c.principal.user_id;
  deps_.db->write([&](soci::session& s) {
    auto k = case_or_404(s, id, true);
    require_actor(s, c, k);
    check_action(Action::refer, k.st());
    Referral r;
    if (source == "catalog") {
      // B6.1: the item's referral contact from the catalog (what the request gives overrides it).
      if (!k.item_version_id) throw errors::item_required("item_id");
      if (auto v = catalog::store::find_version(s, *k.item_version_id)) {
        r.office = v->content.contact.office;
        r.handler = v->content.contact.person;
        r.phone = v->content.contact.phone;
        r.location = v->content.contact.location;
      }
      if (blank(r.office))
        if (auto item = catalog::store::find_item(s, *k.item_id))
          if (auto unit = store::unit_name_location(s, item->unit_id)) {
            r.office = unit->first;
            if (blank(r.location)) r.location = unit->second;
          }
    } else if (source == "staff") {
      auto staff = store::staff_contact(s, *handler_user);
      if (!staff) throw errors::unknown_handler("handler_user_id");
      r = *staff;
    }
    if (office) r.office = *office;
    if (handler) r.handler = *handler;
    if (phone) r.phone = *phone;
    if (location) r.location = *location;
    r.note = note;
    check_referral(r);  // B6.1: an office and a specific handler, never "I don't know"
    polite(deps_, s, c, r.note, "cases.referral", "note");
    ensure_first_responder(s, c, k, now);
    long long rid = store::insert_referral(
        s, k.id, r,
        source == "staff" ? std::optional<long long>(*handler_user) : std::optional<long long>(),
        source, me, now);
    store::set_referred(s, k.id, now);
    store::add_event(s, k.id, now, "referred", me, c.principal.name,
                     json::object{{"office", r.office},
                                  {"handler", r.handler},
                                  {"phone", r.phone},
                                  {"location", r.location},
                                  {"note", r.note}},
                     true);
    if (auto doc = issue_referral_document(deps_, s, c, k, rid))
      store::set_referral_document(s, rid, *doc);
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
    if (store::open_followup_count(s, k.id)) throw errors::followup_open();
    // B6.1: the first responder follows up, in principle within one working day.
    long long assignee = k.first_responder_id.value_or(k.handler_id.value_or(0));
    if (!assignee) assignee = store::last_referrer(s, k.id);
    auto cal = deps_.calendar->for_hall(k.hall_id);
    long long due = millis(cal->deadline_after_working_days(instant(now), 1));
    long long fid = store::insert_followup(s, k.id, assignee, now, via, note, due, me);
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
  bool mine = scope.empty() || scope == "mine";
  if (!mine && scope != "overdue" && scope != "open")
    throw errors::invalid_scope.with("scope", "mine, open, overdue");
  if (!mine && !oversees(c)) throw forbidden();
  return deps_.db->read([&](soci::session& s) {
    json::array items;
    auto list =
        mine ? store::open_followups_of(s, me)
             : store::open_followups(
                   s, scope == "overdue" ? std::optional<long long>(now) : std::nullopt, 500);
    for (const auto& f : list)
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
    throw errors::agreed_required("agreed");
  if (blank(reply))
    throw errors::reply_required("reply");
  long long now = Clock::now(), me = c.principal.user_id;
  long long case_id = deps_.db->write([&](soci::session& s) {
    auto found = store::find_followup(s, followup_id);
    if (!found) throw errors::followup_not_found();
    const auto& fu = *found;
    if (fu.assignee_id != me && !oversees(c)) throw errors::followup_not_yours();
    if (fu.status != "open") throw errors::followup_done();
    polite(deps_, s, c, agreed, "cases.followup", "agreed");
    polite(deps_, s, c, reply, "cases.followup", "reply");
    store::reply_followup(s, followup_id, agreed, reply, now, me);
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
    for (const auto& ct : store::catalog_contacts(s, text))
      seen[{ct.office, ct.person, ct.phone, ct.location}].push_back(json::value(ct.item_name));
    for (auto& [k, items] : seen)
      catalog.push_back(json::object{{"office", std::get<0>(k)},
                                     {"handler", std::get<1>(k)},
                                     {"phone", std::get<2>(k)},
                                     {"location", std::get<3>(k)},
                                     {"items", items}});
    for (const auto& st : store::staff_contacts(s, text))
      staff.push_back(json::object{{"id", st.id},
                                   {"name", st.name},
                                   {"phone", st.phone},
                                   {"office", st.office},
                                   {"location", st.location},
                                   {"role", st.role}});
    return json::object{{"catalog", catalog}, {"staff", staff}};
  });
}

}  // namespace hall::cases
