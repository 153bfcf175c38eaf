#include "cases/due_recompute.hpp"

#include <map>

#include "auth/permissions.hpp"
#include "cases/model.hpp"
#include "cases/store.hpp"
#include "core/clock.hpp"
#include "cases/module.hpp"
#include "core/config.hpp"
#include "db/database.hpp"
#include "http/push.hpp"
#include "calendar/service.hpp"
#include "courtesy/service.hpp"
#include "documents/service.hpp"
#include "cases/warnings.hpp"

namespace hall::cases {

using store::col_i64;
using store::col_opt_i64;
using store::col_str;

namespace {


struct Open {
  long long id = 0, hall_id = 0, accepted_at = 0, days = 0, due_at = 0;
  std::string case_no, summary;
};

}  // namespace

json::array recompute_provisional_dues(soci::session& s, const auth::Caller& c,
                                       const calendar::CalendarService& cal) {
  std::vector<Open> open;
  store::query(
      s,
      "SELECT id, hall_id, accepted_at, time_limit_days, due_at, case_no, summary FROM cases "
      "WHERE due_provisional = 1 AND accepted_at IS NOT NULL AND due_at IS NOT NULL "
      "AND status NOT IN ('completed', 'refused') ORDER BY id",
      {}, [&](const soci::row& r) {
        open.push_back({col_i64(r, 0), col_i64(r, 1), col_i64(r, 2), col_opt_i64(r, 3).value_or(0),
                        col_i64(r, 4), col_str(r, 5), col_str(r, 6)});
      });
  json::array changed;
  if (open.empty()) return changed;
  long long now = Clock::now();
  std::map<long long, std::shared_ptr<const calendar::HallCalendar>>
      calendars;  // per hall, with the new data
  for (const Open& k : open) {
    auto& hall_cal = calendars[k.hall_id];
    if (!hall_cal) hall_cal = cal.build(s, k.hall_id);

    DueFacts facts{instant(k.accepted_at), static_cast<int>(k.days), {}, {}};
    std::vector<long long> pause_ids;
    store::query(s,
                 "SELECT id, started_at, ended_at FROM case_pauses WHERE case_id = ? AND ended_at "
                 "IS NOT NULL "
                 "ORDER BY ended_at, id",
                 {k.id}, [&](const soci::row& r) {
                   pause_ids.push_back(col_i64(r, 0));
                   facts.pauses.emplace_back(instant(col_i64(r, 1)), instant(col_i64(r, 2)));
                 });
    // B6.5: a due instant brought forward by hand stays what the person set.
    store::query(s,
                 "SELECT at, detail FROM case_events WHERE case_id = ? AND kind = 'green_channel' "
                 "ORDER BY id",
                 {k.id}, [&](const soci::row& r) {
                   json::value d = json::parse(col_str(r, 1));
                   if (const auto* due = d.as_object().if_contains("due_at");
                       due && due->is_string())
                     facts.manual.emplace_back(
                         instant(col_i64(r, 0)),
                         instant(parse_iso8601(std::string(due->as_string()), "due_at")));
                 });

    ReplayedDue next = replay_due(*hall_cal, facts);
    long long due = millis(next.due), provisional = next.provisional ? 1 : 0;
    for (std::size_t i = 0; i < pause_ids.size() && i < next.pause_seconds.size(); ++i)
      store::execute(s, "UPDATE case_pauses SET working_seconds = ? WHERE id = ?",
                     {static_cast<long long>(next.pause_seconds[i]), pause_ids[i]});
    store::execute(
        s,
        "UPDATE cases SET due_at = ?, original_due_at = ?, paused_seconds = ?, due_provisional = ? "
        "WHERE id = ?",
        {due, millis(next.original), static_cast<long long>(next.paused_seconds), provisional,
         k.id});
    if (due == k.due_at) continue;
    json::object detail{{"previous_due_at", iso8601_utc(k.due_at)},
                        {"due_at", iso8601_utc(due)},
                        {"provisional", next.provisional},
                        {"reason", "calendar_import"}};
    store::add_event(s, k.id, now, "due_recomputed", c.principal.user_id, c.principal.name, detail,
                     true);
    store::execute(s, "UPDATE cases SET updated_at = ? WHERE id = ?", {now, k.id});
    json::object item = detail;
    item["case_id"] = k.id;
    item["case_no"] = k.case_no;
    item["summary"] = k.summary;
    changed.push_back(std::move(item));
  }
  return changed;
}

json::object due_changes(Deps& deps, const auth::Caller& c) {
  auth::require(c.principal, "cases.oversee");
  json::array items;
  deps.db->read([&](soci::session& s) {
    store::query(s,
                 "SELECT e.case_id, c.case_no, c.summary, c.status, COALESCE(hd.name, ''), e.at, "
                 "e.actor_name, "
                 "e.detail FROM case_events e JOIN cases c ON c.id = e.case_id "
                 "LEFT JOIN users hd ON hd.id = c.handler_id "
                 "WHERE e.kind = 'due_recomputed' ORDER BY e.at DESC, e.id DESC LIMIT 500",
                 {}, [&](const soci::row& r) {
                   json::value d = json::parse(col_str(r, 7));
                   const auto& o = d.as_object();
                   items.push_back(json::object{
                       {"case_id", col_i64(r, 0)},
                       {"case_no", col_str(r, 1)},
                       {"summary", col_str(r, 2)},
                       {"status", col_str(r, 3)},
                       {"handler", col_str(r, 4)},
                       {"at", iso8601_utc(col_i64(r, 5))},
                       {"by", col_str(r, 6)},
                       {"previous_due_at",
                        o.contains("previous_due_at") ? o.at("previous_due_at") : nullptr},
                       {"due_at", o.contains("due_at") ? o.at("due_at") : nullptr},
                       {"provisional", o.contains("provisional") ? o.at("provisional") : false}});
                 });
  });
  return json::object{{"items", items}};
}

}  // namespace hall::cases
