#include "cases/due_recompute.hpp"

#include <map>

#include "auth/permissions.hpp"
#include "calendar/service.hpp"
#include "cases/model.hpp"
#include "cases/module.hpp"
#include "cases/store.hpp"
#include "cases/warnings.hpp"
#include "core/clock.hpp"
#include "core/config.hpp"
#include "courtesy/service.hpp"
#include "db/database.hpp"
#include "documents/service.hpp"
#include "http/push.hpp"

namespace hall::cases {

using store::col_i64;
using store::col_opt_i64;
using store::col_str;

namespace {}  // namespace

json::array recompute_provisional_dues(soci::session& s, const auth::Caller& c,
                                       const calendar::CalendarService& cal) {
  std::vector<store::ProvisionalDue> open = store::provisional_dues(s);
  json::array changed;
  if (open.empty()) return changed;
  long long now = Clock::now();
  std::map<long long, std::shared_ptr<const calendar::HallCalendar>>
      calendars;  // per hall, with the new data
  for (const store::ProvisionalDue& k : open) {
    auto& hall_cal = calendars[k.hall_id];
    if (!hall_cal) hall_cal = cal.build(s, k.hall_id);

    DueFacts facts{instant(k.accepted_at), static_cast<int>(k.days), {}, {}};
    std::vector<long long> pause_ids;
    for (const auto& [pid, started, ended] : store::ended_pauses(s, k.id)) {
      pause_ids.push_back(pid);
      facts.pauses.emplace_back(instant(started), instant(ended));
    }
    // B6.5: a due instant brought forward by hand stays what the person set.
    for (const auto& [at, detail] : store::green_events(s, k.id)) {
      json::value d = json::parse(detail);
      if (const auto* due = d.as_object().if_contains("due_at"); due && due->is_string())
        facts.manual.emplace_back(instant(at),
                                  instant(parse_iso8601(std::string(due->as_string()), "due_at")));
    }

    ReplayedDue next = replay_due(*hall_cal, facts);
    long long due = millis(next.due);
    for (std::size_t i = 0; i < pause_ids.size() && i < next.pause_seconds.size(); ++i)
      store::set_pause_seconds(s, pause_ids[i], static_cast<long long>(next.pause_seconds[i]));
    store::set_recomputed_due(s, k.id, due, millis(next.original),
                              static_cast<long long>(next.paused_seconds), next.provisional);
    if (due == k.due_at) continue;
    json::object detail{{"previous_due_at", iso8601_utc(k.due_at)},
                        {"due_at", iso8601_utc(due)},
                        {"provisional", next.provisional},
                        {"reason", "calendar_import"}};
    store::add_event(s, k.id, now, "due_recomputed", c.principal.user_id, c.principal.name, detail,
                     true);
    store::touch(s, k.id, now);
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
    for (const auto& ch : store::due_changes(s)) {
      json::value d = json::parse(ch.detail);
      const auto& o = d.as_object();
      items.push_back(json::object{
          {"case_id", ch.case_id},
          {"case_no", ch.case_no},
          {"summary", ch.summary},
          {"status", ch.status},
          {"handler", ch.handler},
          {"at", iso8601_utc(ch.at)},
          {"by", ch.by},
          {"previous_due_at", o.contains("previous_due_at") ? o.at("previous_due_at") : nullptr},
          {"due_at", o.contains("due_at") ? o.at("due_at") : nullptr},
          {"provisional", o.contains("provisional") ? o.at("provisional") : false}});
    }
  });
  return json::object{{"items", items}};
}

}  // namespace hall::cases
