#include "queue/views.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>

#include "auth/audit.hpp"
#include "auth/permissions.hpp"
#include "auth/store.hpp"
#include "calendar/service.hpp"
#include "catalog/model.hpp"
#include "core/config.hpp"
#include "core/random.hpp"
#include "db/database.hpp"
#include "db/optional.hpp"
#include "db/statement.hpp"
#include "http/push.hpp"
#include "queue/module.hpp"
#include "queue/service_internal.hpp"

namespace hall::queue {

using namespace detail;

// ---------------------------------------------------------------------------
// Wait estimate inputs, cached for a few seconds per group.

GroupStats Views::group_stats(soci::session& s, std::int64_t hall_id, const std::string& group,
                              Millis now) {
  auto key = std::make_pair(hall_id, group);
  {
    std::lock_guard lock(stats_mu_);
    auto it = stats_cache_.find(key);
    if (it != stats_cache_.end() && now - it->second.first < 5000 && now >= it->second.first)
      return it->second.second;
  }
  GroupStats g;
  g.mean_minutes = mean_service_minutes(
      store::recent_service_durations(s, hall_id, group, now - 14LL * 86400000, 20));
  g.open_windows = store::open_windows_for_group(s, hall_id, group);
  std::lock_guard lock(stats_mu_);
  stats_cache_[key] = {now, g};
  return g;
}

void Views::forget_stats(std::int64_t hall_id, const std::string& group) {
  std::lock_guard lock(stats_mu_);
  stats_cache_.erase({hall_id, group});
}

void Views::forget_stats() {
  std::lock_guard lock(stats_mu_);
  stats_cache_.clear();
}

std::string Views::hall_name(soci::session& s, std::int64_t hall_id) {
  std::string name = store::hall_name(s, hall_id);
  return name.empty() ? deps_.config.hall_name : name;
}

// ---------------------------------------------------------------------------
// JSON

json::object Views::ticket_json(soci::session& s, const store::Ticket& t, View v, Millis now,
                                const store::ItemInfo* known) {
  std::optional<store::ItemInfo> loaded;
  if (!known || known->id != t.item_id) {
    loaded = store::find_item(s, t.item_id);
    known = loaded ? &*loaded : nullptr;
  }
  store::VersionNames names = known && known->version_id == t.item_version_id
                                  ? store::VersionNames{known->name, known->name_en}
                                  : store::version_names(s, t.item_version_id);
  json::object o;
  o["id"] = t.id;
  o["number"] = t.number;
  o["hall_id"] = t.hall_id;
  o["item_id"] = t.item_id;
  o["item_version_id"] = t.item_version_id;
  o["item_name"] = names.name;
  o["item_name_en"] = names.name_en;
  o["queue_group"] = t.queue_group;
  o["status"] = to_string(t.status);
  o["green_channel"] = t.green;
  json::value reason = nullptr;
  if (t.green) {
    std::string code = t.green_reason_code.value_or("");
    std::string name = store::green_reason_name(s, code);
    std::string text = t.green_reason_text.value_or("");
    reason = json::value(code == kGreenReasonOther || name.empty()
                             ? (text.empty() ? name : text)
                             : (text.empty() ? name : name + "：" + text));
  }
  o["green_reason"] = reason;
  o["green_reason_code"] = or_null(t.green_reason_code);
  o["appointment_id"] = or_null(t.appointment_id);
  o["slot_start"] = iso_or_null(t.slot_start);
  o["taken_at"] = iso8601_utc(t.taken_at);
  o["called_at"] = iso_or_null(t.called_at);
  o["started_at"] = iso_or_null(t.started_at);
  o["finished_at"] = iso_or_null(t.finished_at);
  o["window_id"] = or_null(t.window_id);
  json::value wnum = nullptr;
  if (t.window_id)
    if (auto w = store::find_window(s, *t.window_id)) wnum = w->number;
  o["window_number"] = wnum;
  json::array windows;
  if (known)
    for (const auto& w : known->windows)
      if (w.hall_id == t.hall_id && (!t.target_window_id || *t.target_window_id == w.id))
        windows.push_back(json::object{
            {"id", w.id}, {"number", w.number}, {"name", w.name}, {"name_en", w.name_en}});
  if (t.target_window_id && windows.empty())
    if (auto w = store::find_window(s, *t.target_window_id))
      windows.push_back(json::object{
          {"id", w->id}, {"number", w->number}, {"name", w->name}, {"name_en", w->name_en}});
  o["windows"] = std::move(windows);
  int ahead = 0, wait = 0;
  if (t.status == Status::waiting) {
    ahead = store::people_ahead(s, t, now);
    auto g = group_stats(s, t.hall_id, t.queue_group, now);
    wait = estimated_wait_minutes(ahead, g.mean_minutes, g.open_windows);
  }
  o["people_ahead"] = ahead;
  o["estimated_wait_minutes"] = wait;
  o["status_token"] = t.status_token;
  o["status_url"] = "/t/" + t.status_token;
  o["outcome"] = or_null(t.outcome);
  o["recalls"] = t.recalls;
  o["rejoined"] = t.rejoined;
  o["channel"] = t.channel;
  o["transferred_at"] = iso_or_null(t.transferred_at);
  o["target_window_id"] = or_null(t.target_window_id);
  if (v.with_student) {
    if (auto st = store::find_student(s, t.student_id))
      o["student"] = json::object{{"id", st->id},
                                  {"name", st->name},
                                  {"student_no", st->student_no},
                                  {"college_name", st->college_name},
                                  {"major", st->major},
                                  {"class_name", st->class_name},
                                  {"phone", st->phone}};
  }
  return o;
}

json::object Views::public_json(soci::session& s, const store::Ticket& t, Millis now,
                                bool english) {
  auto names = store::version_names(s, t.item_version_id);
  int ahead = 0, wait = 0;
  if (t.status == Status::waiting) {
    ahead = store::people_ahead(s, t, now);
    auto g = group_stats(s, t.hall_id, t.queue_group, now);
    wait = estimated_wait_minutes(ahead, g.mean_minutes, g.open_windows);
  }
  std::optional<int> wnum;
  if (t.window_id && (t.status == Status::called || t.status == Status::serving))
    if (auto w = store::find_window(s, *t.window_id)) wnum = w->number;
  Text msg = status_message(t.status, ahead, wait, wnum);
  return json::object{{"number", t.number},
                      {"item_name", english && !names.name_en.empty() ? names.name_en : names.name},
                      {"item_name_en", names.name_en},
                      {"status", to_string(t.status)},
                      {"people_ahead", ahead},
                      {"estimated_wait_minutes", wait},
                      {"window_number", wnum ? json::value(*wnum) : json::value(nullptr)},
                      {"called_at", iso_or_null(t.called_at)},
                      {"hall_name", hall_name(s, t.hall_id)},
                      {"message", msg.in(english)},
                      {"message_en", msg.en},
                      {"taken_at", iso8601_utc(t.taken_at)}};
}

json::array Views::waiting_counts(soci::session& s, std::int64_t hall_id, const std::string& date) {
  // Every group served in the hall, named after the units whose items queue in it.
  std::map<std::string, std::pair<std::string, std::string>> names;
  for (const auto& u : store::group_units(s, hall_id)) {
    auto& n = names[queue_group(u.queue_prefix)];
    if (n.first.find(u.name) == std::string::npos)
      n.first += (n.first.empty() ? "" : "、") + u.name;
    if (!u.name_en.empty() && n.second.find(u.name_en) == std::string::npos)
      n.second += (n.second.empty() ? "" : ", ") + u.name_en;
  }
  auto counts = store::waiting_per_group(s, hall_id, date);
  for (auto& [g, n] : counts) names.try_emplace(g);
  json::array out;
  for (auto& [g, n] : names)
    out.push_back(
        json::object{{"group", g}, {"name", n.first}, {"name_en", n.second}, {"count", counts[g]}});
  return out;
}

json::object Views::waiting_json(const store::Ticket& t, const store::VersionNames& names,
                                 int ahead, int wait, const std::string& hall_name) {
  Text msg = status_message(Status::waiting, ahead, wait, std::nullopt);
  return json::object{{"number", t.number},
                      {"item_name", names.name},
                      {"item_name_en", names.name_en},
                      {"status", "waiting"},
                      {"people_ahead", ahead},
                      {"estimated_wait_minutes", wait},
                      {"window_number", nullptr},
                      {"called_at", iso_or_null(t.called_at)},
                      {"hall_name", hall_name},
                      {"message", msg.zh},
                      {"message_en", msg.en},
                      {"taken_at", iso8601_utc(t.taken_at)}};
}

}  // namespace hall::queue
