// The queue store's reads for views and live updates (store.hpp).
#include <algorithm>
#include <set>

#include "db/statement.hpp"
#include "queue/store.hpp"

namespace hall::queue::store {

std::vector<Ticket> group_call_order(soci::session& s, std::int64_t hall_id,
                                     const std::string& date, const std::string& group, Millis now,
                                     int limit) {
  long long hall = hall_id, n = now, lim = limit;
  const std::string where =
      "WHERE t.status = 'waiting' AND t.hall_id = :h AND t.service_date = :d AND t.queue_group "
      "= :g ";
  auto tickets = tickets_where(s, where + "AND t.priority = 1 ORDER BY t.sort_key, t.id LIMIT :lim",
                               {hall, date, group, lim});
  auto due =
      tickets_where(s,
                    where +
                        "AND t.priority = 0 AND t.rejoined = 0 AND t.slot_start IS NOT NULL AND "
                        "t.slot_start <= :now ORDER BY t.slot_start, t.id LIMIT :lim",
                    {hall, date, group, n, lim});
  auto rest = tickets_where(s, where + "AND t.priority = 0 ORDER BY t.sort_key, t.id LIMIT :lim",
                            {hall, date, group, lim + static_cast<long long>(due.size())});
  std::set<std::int64_t> seen;
  for (auto* part : {&due, &rest})
    for (auto& t : *part)
      if (seen.insert(t.id).second) tickets.push_back(t);
  std::sort(tickets.begin(), tickets.end(), [now](const Ticket& a, const Ticket& b) {
    return called_before(a.entry(), b.entry(), now);
  });
  if (tickets.size() > static_cast<std::size_t>(limit)) tickets.resize(limit);
  return tickets;
}

std::vector<Millis> recent_service_durations(soci::session& s, std::int64_t hall_id,
                                             const std::string& group, Millis since, int limit) {
  std::vector<Millis> out;
  db::Values v{static_cast<long long>(hall_id), group, static_cast<long long>(since),
               static_cast<long long>(limit)};
  db::query_rows(s,
                 "SELECT started_at, finished_at FROM queue_tickets WHERE hall_id = :h AND "
                 "queue_group = :g AND finished_at IS NOT NULL AND started_at IS NOT NULL AND "
                 "finished_at > :since ORDER BY finished_at DESC LIMIT :lim",
                 v, [&](const soci::row& r) { out.push_back(col_i64(r, 1) - col_i64(r, 0)); });
  return out;
}

int open_windows_for_group(soci::session& s, std::int64_t hall_id, const std::string& group) {
  // Joins the catalog's tables (catalog module owns catalog_items, catalog_item_versions,
  // catalog_version_windows) and the platform's windows: read on every ticket view, kept in one
  // query here for speed.
  db::Values v{static_cast<long long>(hall_id), group};
  return static_cast<int>(
      db::query_i64(
          s,
          "SELECT COUNT(DISTINCT ws.window_id) FROM queue_window_sessions ws "
          "JOIN windows w ON w.id = ws.window_id "
          "JOIN catalog_version_windows vw ON vw.window_id = w.id JOIN catalog_items i ON "
          "i.current_version_id = vw.version_id JOIN catalog_item_versions v ON v.id = "
          "i.current_version_id WHERE ws.closed_at IS NULL AND ws.paused = 0 AND "
          "w.hall_id = :h AND (CASE WHEN v.queue_prefix = '' THEN 'Q' ELSE v.queue_prefix "
          "END) = :g",
          v)
          .value_or(0));
}

std::string hall_name(soci::session& s, std::int64_t hall_id) {
  // halls is the platform's table (db/migrations/0001_foundation.sql), read by every module.
  std::string name;
  db::Values v{static_cast<long long>(hall_id)};
  db::query_rows(s, "SELECT name FROM halls WHERE id = :id", v,
                 [&](const soci::row& r) { name = col_str(r, 0); });
  return name;
}

std::string green_reason_name(soci::session& s, const std::string& code) {
  std::string name;
  db::Values v{code};
  db::query_rows(s, "SELECT name FROM queue_green_reasons WHERE code = :c", v,
                 [&](const soci::row& r) { name = col_str(r, 0); });
  return name;
}

std::vector<GroupUnit> group_units(soci::session& s, std::int64_t hall_id) {
  // Joins the catalog's tables with units and windows (the platform's) in one query: read on
  // every live update of the board's waiting counts.
  std::vector<GroupUnit> out;
  db::Values v{static_cast<long long>(hall_id)};
  db::query_rows(s,
                 "SELECT DISTINCT v.queue_prefix, u.name, u.name_en FROM catalog_items i JOIN "
                 "catalog_item_versions v ON v.id = i.current_version_id JOIN units u ON u.id = "
                 "v.unit_id JOIN catalog_version_windows vw ON vw.version_id = v.id JOIN windows w "
                 "ON w.id = vw.window_id WHERE w.hall_id = :h AND w.active = 1 "
                 "ORDER BY v.queue_prefix, u.name",
                 v, [&](const soci::row& r) {
                   out.push_back(GroupUnit{col_str(r, 0), col_str(r, 1), col_str(r, 2)});
                 });
  return out;
}

std::map<std::string, long long> waiting_per_group(soci::session& s, std::int64_t hall_id,
                                                   const std::string& date) {
  std::map<std::string, long long> counts;
  db::Values v{static_cast<long long>(hall_id), date};
  db::query_rows(s,
                 "SELECT queue_group, COUNT(*) FROM queue_tickets WHERE hall_id = :h AND "
                 "service_date = :d AND status = 'waiting' GROUP BY queue_group",
                 v, [&](const soci::row& r) { counts[col_str(r, 0)] = col_i64(r, 1); });
  return counts;
}

}  // namespace hall::queue::store
