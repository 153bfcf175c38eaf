// SQL of the queue. Every function runs inside the caller's transaction;
// values are always bound, never spliced. Catalog and organisation tables are
// only read here (catalog_items, catalog_item_versions, catalog_version_windows,
// windows, halls, users, students).
#pragma once

#include <soci/soci.h>

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/clock.hpp"
#include "db/row.hpp"
#include "queue/model.hpp"

namespace hall::queue::store {

// Reading columns whatever integer type each backend reports.
using db::col_i64;
using db::col_opt_i64;
using db::col_opt_str;
using db::col_str;

// A query with binds chosen at run time.
using Bind = std::variant<long long, std::string>;
void query(soci::session& s, const std::string& sql, std::vector<Bind>& binds,
           const std::function<void(const soci::row&)>& on_row);
// Rows changed by a statement with binds chosen at run time.
long long execute(soci::session& s, const std::string& sql, std::vector<Bind>& binds);

struct Ticket {
  std::int64_t id = 0, hall_id = 0;
  std::string service_date, number;
  std::int64_t seq = 0;
  std::string queue_group;
  std::int64_t item_id = 0, item_version_id = 0, student_id = 0;
  std::string channel;
  Status status = Status::waiting;
  std::string status_token;
  bool priority = false, green = false;
  std::optional<std::string> green_reason_code, green_reason_text;
  std::int64_t sort_key = 0;
  std::optional<Millis> slot_start;
  std::optional<std::int64_t> appointment_id;
  bool rejoined = false;
  int recalls = 0;
  std::optional<std::int64_t> window_id, session_id, target_window_id;
  std::optional<std::string> outcome, outcome_note;
  Millis taken_at = 0;
  std::optional<Millis> called_at, started_at, finished_at, no_show_at, transferred_at,
      cancelled_at;

  QueueEntry entry() const { return {id, green, rejoined, slot_start, sort_key}; }
};

// "SELECT <columns> FROM queue_tickets t" prefix for ticket queries.
extern const char* const kTicketSelect;
Ticket read_ticket(const soci::row& r);
// for_update: lock the row (PostgreSQL; SQLite's write transaction already excludes other writers).
std::optional<Ticket> find_ticket(soci::session& s, std::int64_t id, bool for_update);
std::optional<Ticket> find_ticket_by_token(soci::session& s, const std::string& token);
std::vector<Ticket> tickets_where(soci::session& s, const std::string& where_order_limit,
                                  std::vector<Bind> binds);

struct WindowInfo {
  std::int64_t id = 0, hall_id = 0;
  int number = 0;
  std::string name, name_en;
  std::optional<std::int64_t> unit_id;
  bool active = true;
};
std::optional<WindowInfo> find_window(soci::session& s, std::int64_t id);

struct ItemInfo {
  std::int64_t id = 0, version_id = 0, unit_id = 0;
  std::string code, name, name_en, prefix, handling_mode, periods_json;
  std::optional<int> daily_quota;
  bool suspended = false;
  std::vector<WindowInfo> windows;  // active windows of the current version
  std::string group() const { return queue_group(prefix); }
};
std::optional<ItemInfo> find_item(soci::session& s, std::int64_t item_id);
// Name and windows of a stored version (what a ticket shows).
struct VersionNames {
  std::string name, name_en;
};
VersionNames version_names(soci::session& s, std::int64_t version_id);

struct Session {
  std::int64_t id = 0, window_id = 0, staff_id = 0;
  std::string staff_name;
  Millis opened_at = 0;
  bool paused = false;
  std::string pause_reason;
};
std::optional<Session> open_session(soci::session& s, std::int64_t window_id, bool for_update);

struct StudentInfo {
  std::int64_t id = 0;
  std::string name, student_no, college_name, major, class_name, phone;
  std::optional<std::string> card_no;
  bool disabled = false;
};
std::optional<StudentInfo> find_student(soci::session& s, std::int64_t user_id);

// The next daily sequence number of a hall's group (upsert … RETURNING: the row lock serializes).
std::int64_t next_sequence(soci::session& s, std::int64_t hall_id, const std::string& date,
                           const std::string& group);

// The waiting tickets window `window_id` may call: transferred to it, or of an item it serves.
extern const char* const kWindowFilter;  // binds :w, :w2
// The ticket the window calls next per the model's order (green, due appointments, oldest), or 0.
// for_update: FOR UPDATE SKIP LOCKED (PostgreSQL) — a ticket another window is taking is skipped.
std::int64_t pick_next(soci::session& s, std::int64_t hall_id, const std::string& date,
                       std::int64_t window_id, Millis now, bool for_update);
// The first `limit` of the same, in call order (console).
std::vector<Ticket> window_queue(soci::session& s, std::int64_t hall_id, const std::string& date,
                                 std::int64_t window_id, Millis now, int limit);

// People ahead of a waiting ticket in its group, per the model's order.
int people_ahead(soci::session& s, const Ticket& t, Millis now);
// The group's waiting tickets as queue entries (call order not applied).
std::vector<QueueEntry> group_waiting(soci::session& s, std::int64_t hall_id,
                                      const std::string& date, const std::string& group,
                                      std::int64_t except_id);

// --- reads for views and live updates (store_views.cpp) ---------------------
// The first `limit` waiting tickets of a group in call order (each lane read in index order,
// then merged by the model's order: no sort of the whole queue).
std::vector<Ticket> group_call_order(soci::session& s, std::int64_t hall_id,
                                     const std::string& date, const std::string& group, Millis now,
                                     int limit);
// Service durations (finished − started) of the group's latest finished tickets since `since`.
std::vector<Millis> recent_service_durations(soci::session& s, std::int64_t hall_id,
                                             const std::string& group, Millis since, int limit);
// Windows of the hall open now (not paused) that serve an item of the group.
int open_windows_for_group(soci::session& s, std::int64_t hall_id, const std::string& group);
// The hall's name ("" when none).
std::string hall_name(soci::session& s, std::int64_t hall_id);
// The name of a green-channel reason ("" when unknown).
std::string green_reason_name(soci::session& s, const std::string& code);
// For each queue prefix of the items served at the hall's active windows, the units they belong to.
struct GroupUnit {
  std::string queue_prefix, name, name_en;
};
std::vector<GroupUnit> group_units(soci::session& s, std::int64_t hall_id);
// Waiting tickets per group of a hall's day.
std::map<std::string, long long> waiting_per_group(soci::session& s, std::int64_t hall_id,
                                                   const std::string& date);

void add_event(soci::session& s, Millis at, const std::string& kind,
               std::optional<std::int64_t> ticket_id, std::optional<std::int64_t> window_id,
               std::optional<std::int64_t> session_id, std::optional<std::int64_t> actor_id,
               const std::string& detail);

}  // namespace hall::queue::store
