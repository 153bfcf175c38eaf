// What every feedback use case shares (C2, C3): the item as read from
// feedback_items with its targets, the views of it for the student and for staff,
// who an item concerns (anti-retaliation) and the throttling constants. Split out
// of service.cpp when the service was divided by use case (issue #12 §4).
#pragma once

#include <fmt/format.h>
#include <sodium.h>

#include <chrono>

#include "auth/audit.hpp"
#include "auth/permissions.hpp"
#include "auth/service.hpp"
#include "calendar/service.hpp"
#include "core/clock.hpp"
#include "core/config.hpp"
#include "core/error.hpp"
#include "core/random.hpp"
#include "courtesy/service.hpp"
#include "db/database.hpp"
#include "db/row.hpp"
#include "db/statement.hpp"
#include "feedback/errors.hpp"
#include "feedback/model.hpp"
#include "feedback/module.hpp"
#include "feedback/service.hpp"
#include "feedback/wechat.hpp"

namespace hall::feedback::detail {

using db::col_i64;
using db::col_opt_i64;
using db::col_opt_str;
using db::col_str;
using db::Value;

inline ApiError item_not_found() { return errors::feedback_not_found(); }

inline json::value opt_time(const std::optional<long long>& t) {
  if (!t) return nullptr;
  return json::value(iso8601_utc(*t));
}
inline json::value opt_int(const std::optional<long long>& v) {
  if (!v) return nullptr;
  return json::value(*v);
}

// Phone numbers compare by their digits only.
inline std::string digits(std::string_view s) {
  std::string d;
  for (char c : s)
    if (c >= '0' && c <= '9') d += c;
  return d;
}

// The columns every reader needs; identity columns are never among them.
inline const char* kCols =
    "f.id, f.tracking_no, f.kind, f.category, f.channel, f.status, f.content, f.target_unit_id, "
    "u.name, "
    "f.target_college_id, co.name, f.target_window_id, w.number, f.target_staff_id, su.name, "
    "f.handler_id, hu.name, "
    "f.escalated, f.disputed, f.dispute_reason, f.upheld, f.findings, f.handling, f.created_at, "
    "f.acknowledged_at, "
    "f.answered_at, f.closed_at, f.ack_due_at, f.feedback_due_at, f.student_id, w.unit_id, "
    "ts.unit_id";
inline const char* kFrom =
    " FROM feedback_items f LEFT JOIN units u ON u.id = f.target_unit_id LEFT JOIN colleges co ON "
    "co.id = "
    "f.target_college_id LEFT JOIN windows w ON w.id = f.target_window_id LEFT JOIN users su ON "
    "su.id = "
    "f.target_staff_id LEFT JOIN staff ts ON ts.user_id = f.target_staff_id LEFT JOIN users hu ON "
    "hu.id = f.handler_id";

struct Item {
  long long id = 0;
  std::string tracking_no, kind, category, channel, status, content;
  std::optional<long long> unit_id, college_id, window_id, window_no, staff_id, handler_id;
  std::string unit_name, college_name, staff_name, handler_name;
  bool escalated = false, disputed = false;
  std::optional<std::string> dispute_reason, findings, handling;
  std::optional<long long> upheld;
  long long created_at = 0, ack_due = 0, feedback_due = 0;
  std::optional<long long> acknowledged_at, answered_at, closed_at, student_id;
  // The units the item is about: the window's (it staffs that window) and the staff member's.
  std::optional<long long> window_unit_id, staff_unit_id;
};

inline Item read_item(const soci::row& r) {
  Item it;
  std::size_t i = 0;
  it.id = col_i64(r, i++);
  it.tracking_no = col_str(r, i++);
  it.kind = col_str(r, i++);
  it.category = col_str(r, i++);
  it.channel = col_str(r, i++);
  it.status = col_str(r, i++);
  it.content = col_str(r, i++);
  it.unit_id = col_opt_i64(r, i++);
  it.unit_name = col_str(r, i++);
  it.college_id = col_opt_i64(r, i++);
  it.college_name = col_str(r, i++);
  it.window_id = col_opt_i64(r, i++);
  it.window_no = col_opt_i64(r, i++);
  it.staff_id = col_opt_i64(r, i++);
  it.staff_name = col_str(r, i++);
  it.handler_id = col_opt_i64(r, i++);
  it.handler_name = col_str(r, i++);
  it.escalated = col_i64(r, i++) != 0;
  it.disputed = col_i64(r, i++) != 0;
  it.dispute_reason = col_opt_str(r, i++);
  it.upheld = col_opt_i64(r, i++);
  it.findings = col_opt_str(r, i++);
  it.handling = col_opt_str(r, i++);
  it.created_at = col_i64(r, i++);
  it.acknowledged_at = col_opt_i64(r, i++);
  it.answered_at = col_opt_i64(r, i++);
  it.closed_at = col_opt_i64(r, i++);
  it.ack_due = col_i64(r, i++);
  it.feedback_due = col_i64(r, i++);
  it.student_id = col_opt_i64(r, i++);
  it.window_unit_id = col_opt_i64(r, i++);
  it.staff_unit_id = col_opt_i64(r, i++);
  return it;
}

inline std::optional<Item> load(soci::session& s, const std::string& where, db::Values b) {
  std::optional<Item> out;
  db::query_rows(s, std::string("SELECT ") + kCols + kFrom + " WHERE " + where, b,
                 [&](const soci::row& r) { out = read_item(r); });
  return out;
}
inline Item load_by_id(soci::session& s, long long id) {
  auto it = load(s, "f.id = :id", {id});
  if (!it) throw item_not_found();
  return *it;
}

inline json::array events_json(soci::session& s, long long id) {
  json::array out;
  db::Values b{id};
  db::query_rows(s, "SELECT at, action, note FROM feedback_events WHERE item_id = :id ORDER BY id",
                 b, [&](const soci::row& r) {
                   out.push_back(json::object{{"at", iso8601_utc(col_i64(r, 0))},
                                              {"action", col_str(r, 1)},
                                              {"note", col_str(r, 2)}});
                 });
  return out;
}

inline void add_event(soci::session& s, long long id, const auth::Caller& c,
                      const std::string& action, const std::string& note, long long now) {
  std::optional<long long> actor;
  if (c.principal.is_user()) actor = c.principal.user_id;
  s << "INSERT INTO feedback_events (item_id, at, actor_id, action, note) VALUES (:i, :a, :u, :c, "
       ":n)",
      soci::use(id), soci::use(now), soci::use(actor), soci::use(action), soci::use(note);
}

// What the student (and the public tracking page) sees: no handler names, no targets' identities
// beyond the names given.
inline json::object student_json(soci::session& s, const Item& it) {
  return json::object{{"id", it.id},
                      {"tracking_no", it.tracking_no},
                      {"kind", it.kind},
                      {"category", it.category},
                      {"channel", it.channel},
                      {"status", it.status},
                      {"content", it.content},
                      {"findings", it.findings ? json::value(*it.findings) : json::value(nullptr)},
                      {"handling", it.handling ? json::value(*it.handling) : json::value(nullptr)},
                      {"created_at", iso8601_utc(it.created_at)},
                      {"answered_at", opt_time(it.answered_at)},
                      {"closed_at", opt_time(it.closed_at)},
                      {"feedback_due_at", iso8601_utc(it.feedback_due)},
                      {"disputed", it.disputed},
                      {"can_accept", it.status == "answered"},
                      {"can_dispute", it.status == "answered" && !it.disputed},
                      {"events", events_json(s, it.id)}};
}

inline json::object staff_json(soci::session& s, const Item& it, bool with_history) {
  json::object target{
      {"unit_id", opt_int(it.unit_id)},       {"unit_name", it.unit_name},
      {"college_id", opt_int(it.college_id)}, {"college_name", it.college_name},
      {"window_id", opt_int(it.window_id)},   {"window_number", opt_int(it.window_no)},
      {"staff_id", opt_int(it.staff_id)},     {"staff_name", it.staff_name}};
  long long now = Clock::now();
  MissedDeadlines missed = missed_deadlines(it.status, now, it.ack_due, it.feedback_due);
  json::object o{
      {"id", it.id},
      {"tracking_no", it.tracking_no},
      {"kind", it.kind},
      {"category", it.category},
      {"channel", it.channel},
      {"status", it.status},
      {"content", it.content},
      {"target", target},
      {"handler_id", opt_int(it.handler_id)},
      {"handler_name", it.handler_name},
      {"escalated", it.escalated},
      {"disputed", it.disputed},
      {"dispute_reason",
       it.dispute_reason ? json::value(*it.dispute_reason) : json::value(nullptr)},
      {"upheld", it.upheld ? json::value(*it.upheld != 0) : json::value(nullptr)},
      {"findings", it.findings ? json::value(*it.findings) : json::value(nullptr)},
      {"handling", it.handling ? json::value(*it.handling) : json::value(nullptr)},
      {"created_at", iso8601_utc(it.created_at)},
      {"acknowledged_at", opt_time(it.acknowledged_at)},
      {"answered_at", opt_time(it.answered_at)},
      {"closed_at", opt_time(it.closed_at)},
      {"ack_due_at", iso8601_utc(it.ack_due)},
      {"feedback_due_at", iso8601_utc(it.feedback_due)},
      {"deadline_state", deadline_state(it.status, now, it.ack_due, it.feedback_due)},
      // C3: which deadline is missed (the acknowledgement's, 1 working day; the answer's, 5).
      {"ack_overdue", missed.ack},
      {"feedback_overdue", missed.feedback}};
  if (with_history) {
    o["events"] = events_json(s, it.id);
    json::array atts;
    db::Values b{it.id};
    db::query_rows(s,
                   "SELECT id, file_name, content_type, size FROM feedback_attachments WHERE "
                   "item_id = :i ORDER BY id",
                   b, [&](const soci::row& r) {
                     atts.push_back(json::object{{"id", col_i64(r, 0)},
                                                 {"file_name", col_str(r, 1)},
                                                 {"content_type", col_str(r, 2)},
                                                 {"size", col_i64(r, 3)}});
                   });
    o["attachments"] = atts;
  }
  return o;
}

inline bool is_teacher(const auth::Principal& p) {
  return p.is_user() && (p.role == "teacher" || p.role == "admin");
}

// Anti-retaliation (C3): whether the item is about the caller or the caller's
// unit — the unit named, the unit that staffs the window named, or the unit of
// the staff member named. Such an item is never handled by the caller nor shown
// to them with the complainant's identity; it goes to the responsible teacher
// (who stands outside the units and always may).
inline bool concerns(const auth::Principal& p, const Item& it) {
  if (it.staff_id && *it.staff_id == p.user_id) return true;
  if (is_teacher(p) || p.unit_id == 0) return false;
  for (const auto& unit : {it.unit_id, it.window_unit_id, it.staff_unit_id})
    if (unit && *unit == p.unit_id) return true;
  return false;
}
inline bool may_see_identity(const auth::Principal& p, const Item& it) { return !concerns(p, it); }
inline ApiError about_you() { return errors::about_you(); }

inline void check_content(const std::string& v, const char* field, std::size_t max) {
  check_text(v, field, max);
}

inline long long random_below(unsigned n) {
  ensure_sodium();
  return randombytes_uniform(n);
}
inline std::uint64_t random_bits50() {
  ensure_sodium();
  std::uint64_t v = 0;
  randombytes_buf(&v, sizeof v);
  return v >> 14;
}

// Throttling of guesses at what the public holds (C2 tracking without login,
// WeChat binding): failures per phone number and per address, per WeChat account.
constexpr long long kHourMs = 3600LL * 1000;
constexpr int kTrackFailuresPerPhone = 10;    // per hour
constexpr int kTrackFailuresPerAddress = 30;  // per hour
constexpr int kBindFailuresPerOpenid = 5;     // per 15 minutes
constexpr long long kBindCodeLifetimeMs = 5LL * 60 * 1000;

inline auth::TooManyAttempts too_many_lookups(std::int64_t wait_ms) {
  std::int64_t secs = auth::TooManyAttempts::seconds(wait_ms);
  return auth::TooManyAttempts(
      secs, {"查询失败次数过多，请 " + std::to_string(secs) + " 秒后再试",
             "Too many failed look-ups; try again in " + std::to_string(secs) + " seconds"});
}

// The phone on a student's record (people's students table), as digits.
inline std::string student_phone(soci::session& s, long long student) {
  std::string phone;
  soci::indicator ind;
  s << "SELECT phone FROM students WHERE user_id = :u", soci::use(student), soci::into(phone, ind);
  return ind == soci::i_ok ? digits(phone) : std::string();
}

}  // namespace hall::feedback::detail
