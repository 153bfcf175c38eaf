// B6.3 time limits (限时办结制): acceptance sets the due instant on the working-day calendar,

#include "cases/errors.hpp"
#include "core/errors.hpp"
// completion past it needs a reason (B5); B6.5 the green channel may bring it forward.
// Warnings: warnings.cpp; recomputation after a calendar import: due_recompute.cpp.
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

json::object CaseService::accept(const auth::Caller& c, std::int64_t id) {
  long long now = Clock::now(), me = c.principal.user_id;
  deps_.db->write([&](soci::session& s) {
    auto k = case_or_404(s, id, true);
    require_actor(s, c, k);
    check_action(Action::accept, k.st());
    require_item(k);
    require_complete(marks_of(store::materials(s, k.id)));
    ensure_first_responder(s, c, k, now);
    auto version = catalog::store::find_version(s, *k.item_version_id);
    long long days = version ? version->content.time_limit_days : 0;
    // B6.3: due from the item's promise with the working-day calendar.
    auto cal = deps_.calendar->for_hall(k.hall_id);
    Instant due_i = due_on_acceptance(*cal, instant(now), static_cast<int>(days));
    long long due = millis(due_i);
    // Recomputed when the year's official schedule is imported (cases/due_recompute.hpp).
    long long provisional = cal->provisional_between(instant(now), due_i);
    store::accept(s, k.id, now, due, days, me, provisional != 0);
    store::add_event(s, k.id, now, "accepted", me, c.principal.name,
                     json::object{{"due_at", iso8601_utc(due)},
                                  {"time_limit_days", days},
                                  {"provisional", provisional != 0}},
                     true);
    auth::audit(s, c, "case.accept", "case", std::to_string(k.id),
                json::object{{"due_at", iso8601_utc(due)}});
  });
  return get(c, id);
}

json::object CaseService::complete(const auth::Caller& c, std::int64_t id,
                                   const CompleteInput& in) {
  const std::string& note = in.result_note;
  const std::string& reason = in.overdue_reason;
  long long now = Clock::now(), me = c.principal.user_id;
  deps_.db->write([&](soci::session& s) {
    auto k = case_or_404(s, id, true);
    require_actor(s, c, k);
    check_action(Action::complete, k.st());
    bool late = k.due_at && now > *k.due_at;
    // B5, B6.3: every miss is visible with its reason.
    if (late && blank(reason))
      throw errors::overdue_reason_required("overdue_reason");
    polite(deps_, s, c, note, "cases.complete", "result_note");
    store::complete(s, k.id, now, note, late ? reason : std::string());
    store::add_event(s, k.id, now, "completed", me, c.principal.name,
                     json::object{{"result_note", note}, {"late", late}}, true);
    auth::audit(s, c, "case.complete", "case", std::to_string(k.id),
                json::object{{"late", late}, {"overdue_reason", reason}});
  });
  return get(c, id);
}

json::object CaseService::green(const auth::Caller& c, std::int64_t id, const GreenInput& in) {
  auth::require(c.principal, "green_channel.mark");
  const std::string& reason = in.reason;
  const auto& due_s = in.due_at;
  if (blank(reason))
    throw errors::green_reason_required("reason");
  std::optional<long long> due_new;
  if (due_s) due_new = parse_iso8601(*due_s, "due_at");
  long long now = Clock::now(), me = c.principal.user_id;
  deps_.db->write([&](soci::session& s) {
    auto k = case_or_404(s, id, true);
    if (!handles(c)) throw forbidden();
    check_action(Action::green, k.st());
    if (due_new) {
      // B6.5: the due instant may be brought forward, never pushed back.
      if (!k.due_at) throw errors::not_accepted("due_at");
      if (*due_new <= now || *due_new >= *k.due_at) throw errors::invalid_due_at("due_at");
    }
    ensure_first_responder(s, c, k, now);
    store::mark_green(s, k.id, reason, me, now);
    if (due_new) store::set_due(s, k.id, *due_new);
    store::add_event(s, k.id, now, "green_channel", me, c.principal.name,
                     json::object{{"reason", reason}, {"due_at", iso(due_new)}}, true);
    auth::audit(
        s, c, "case.green", "case", std::to_string(k.id),
        json::object{
            {"reason", reason}, {"due_at", iso(due_new)}, {"previous_due_at", iso(k.due_at)}});
  });
  return get(c, id);
}

}  // namespace hall::cases
