// What the rating use cases share (B4, B5): the ticket and case rows a rating
// is about and their views. Split out of ratings.cpp (issue #12 §4).
#pragma once

#include <fmt/format.h>
#include <sodium.h>

#include <algorithm>
#include <chrono>

#include "auth/audit.hpp"
#include "auth/permissions.hpp"
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
#include "feedback/ratings.hpp"

namespace hall::feedback::rating_rows {

using db::col_i64;
using db::col_opt_i64;
using db::col_str;
using db::Value;

inline const char* kTicketCols =
    "t.id, t.number, t.student_id, t.window_id, t.item_id, t.finished_at, t.status, ci.name, "
    "ws.staff_id, w.unit_id, "
    "su.name, w.number";
inline const char* kTicketFrom =
    " FROM queue_tickets t LEFT JOIN catalog_item_versions ci ON ci.id = t.item_version_id LEFT "
    "JOIN queue_window_sessions ws ON ws.id = "
    "t.session_id LEFT JOIN windows w ON w.id = t.window_id LEFT JOIN users su ON su.id = "
    "ws.staff_id";

struct Ticket {
  long long id = 0, student_id = 0, finished_at = 0;
  std::string number, status, item_name, staff_name;
  std::optional<long long> window_id, item_id, staff_id, unit_id, window_no;
};
inline Ticket read_ticket(const soci::row& r) {
  Ticket t;
  t.id = col_i64(r, 0);
  t.number = col_str(r, 1);
  t.student_id = col_i64(r, 2);
  t.window_id = col_opt_i64(r, 3);
  t.item_id = col_opt_i64(r, 4);
  t.finished_at = col_i64(r, 5);
  t.status = col_str(r, 6);
  t.item_name = col_str(r, 7);
  t.staff_id = col_opt_i64(r, 8);
  t.unit_id = col_opt_i64(r, 9);
  t.staff_name = col_str(r, 10);
  t.window_no = col_opt_i64(r, 11);
  return t;
}
inline json::object ticket_json_base(const Ticket& t) {
  return json::object{
      {"ticket_id", t.id},
      {"number", t.number},
      {"item_name", t.item_name},
      {"staff_name", t.staff_name},
      {"window_number", t.window_no ? json::value(*t.window_no) : json::value(nullptr)},
      {"finished_at", iso8601_utc(t.finished_at)}};
}
inline json::object ticket_json(const Ticket& t) {
  json::object o = ticket_json_base(t);
  o["target"] = "ticket";
  return o;
}
inline bool rated(soci::session& s, const char* column, long long id) {
  long long n = 0;
  s << std::string("SELECT COUNT(*) FROM feedback_ratings WHERE ") + column + " = :t",
      soci::use(id), soci::into(n);
  return n > 0;
}

// A case as rated (B5): its student, status and completion; the staff member is its
// handler (or, when none was assigned, its first responder), the unit that of the
// item version it was handled under (else the item's, else the handler's), the
// window that of the ticket it was opened from, if any.
inline const char* kCaseCols =
    "c.id, c.case_no, c.student_id, c.status, c.completed_at, c.item_id, "
    "COALESCE(c.handler_id, c.first_responder_id), t.window_id, "
    "COALESCE(v.unit_id, ci.unit_id, sf.unit_id), COALESCE(v.name, c.summary), hu.name, w.number";
inline const char* kCaseFrom =
    " FROM cases c LEFT JOIN queue_tickets t ON t.id = c.ticket_id"
    " LEFT JOIN windows w ON w.id = t.window_id"
    " LEFT JOIN catalog_item_versions v ON v.id = c.item_version_id"
    " LEFT JOIN catalog_items ci ON ci.id = c.item_id"
    " LEFT JOIN users hu ON hu.id = COALESCE(c.handler_id, c.first_responder_id)"
    " LEFT JOIN staff sf ON sf.user_id = COALESCE(c.handler_id, c.first_responder_id)";

struct Case {
  long long id = 0;
  std::string case_no, status, item_name, staff_name;
  std::optional<long long> student_id, completed_at, item_id, staff_id, window_id, unit_id,
      window_no;
};
inline Case read_case(const soci::row& r) {
  Case k;
  k.id = col_i64(r, 0);
  k.case_no = col_str(r, 1);
  k.student_id = col_opt_i64(r, 2);
  k.status = col_str(r, 3);
  k.completed_at = col_opt_i64(r, 4);
  k.item_id = col_opt_i64(r, 5);
  k.staff_id = col_opt_i64(r, 6);
  k.window_id = col_opt_i64(r, 7);
  k.unit_id = col_opt_i64(r, 8);
  k.item_name = col_str(r, 9);
  k.staff_name = col_str(r, 10);
  k.window_no = col_opt_i64(r, 11);
  return k;
}
inline json::object case_json(const Case& k) {
  return json::object{
      {"target", "case"},
      {"case_id", k.id},
      {"case_no", k.case_no},
      {"number", k.case_no},
      {"item_name", k.item_name},
      {"staff_name", k.staff_name},
      {"window_number", k.window_no ? json::value(*k.window_no) : json::value(nullptr)},
      {"finished_at",
       k.completed_at ? json::value(iso8601_utc(*k.completed_at)) : json::value(nullptr)}};
}
inline ApiError case_not_found() { return errors::case_not_found(); }
inline bool is_oversee(const auth::Principal& p) {
  return auth::has_permission(p, "feedback.oversee");
}

}  // namespace hall::feedback::rating_rows
