// Oversight and statistics (cases.oversee; a staff member sees their own figures).

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
#include "core/clock.hpp"
#include "core/config.hpp"
#include "core/error.hpp"
#include "db/database.hpp"

namespace hall::cases {

using store::Binds;
using store::col_i64;
using store::col_opt_i64;
using store::col_str;

// ===========================================================================
// Oversight and statistics (B5, B6.2, B6.3, D4)

json::object CaseService::oversight(const auth::Caller& c) const {
  auth::require(c.principal, "cases.oversee");
  long long now = Clock::now();
  return deps_.db->read([&](soci::session& s) {
    json::array at_risk, overdue, breaches, late_followups;
    for (const auto& k : store::list_cases(s,
                                           "WHERE c.accepted_at IS NOT NULL AND c.status NOT IN "
                                           "('completed', 'refused', 'referred')",
                                           {}, "ORDER BY c.green DESC, c.due_at")) {
      auto p = progress_of(deps_, k, now);
      if (!p) continue;
      if (p->overdue)
        overdue.push_back(case_json(deps_, c, k, now));
      else if (p->warning == Warning::eighty || p->warning == Warning::due)
        at_risk.push_back(case_json(deps_, c, k, now));
    }
    // Completed late in the last 30 days, with their reasons (B5: every miss visible).
    json::array completed_late;
    for (const auto& k : store::list_cases(
             s,
             "WHERE c.status = 'completed' AND c.completed_at > c.due_at AND c.completed_at >= ?",
             B({now - 30LL * 86400 * 1000}), "ORDER BY c.completed_at DESC LIMIT 200"))
      completed_late.push_back(case_json(deps_, c, k, now));
    store::query(s,
                 "SELECT n.id, n.case_id, c.case_no, n.notice_no, n.issued_at, n.staff_id, "
                 "n.staff_name, n.breach_detail, c.green "
                 "FROM case_notices n JOIN cases c ON c.id = n.case_id WHERE n.breach = 1 ORDER BY "
                 "c.green DESC, n.issued_at DESC LIMIT 200",
                 {}, [&](const soci::row& r) {
                   breaches.push_back(json::object{
                       {"notice_id", col_i64(r, 0)},
                       {"case_id", col_i64(r, 1)},
                       {"case_no", col_str(r, 2)},
                       {"notice_no", col_str(r, 3)},
                       {"issued_at", iso8601_utc(col_i64(r, 4))},
                       {"staff", json::object{{"id", col_i64(r, 5)}, {"name", col_str(r, 6)}}},
                       {"detail", col_str(r, 7)},
                       {"green", col_i64(r, 8) != 0}});
                 });
    for (const auto& f : store::followups(s, "WHERE f.status = 'open' AND f.due_at < ?", B({now}),
                                          "ORDER BY c.green DESC, f.due_at"))
      late_followups.push_back(followup_json(f, now, false, deps_.config.utc_offset_minutes));
    return json::object{{"at_risk", at_risk},
                        {"overdue", overdue},
                        {"completed_late", completed_late},
                        {"breaches", breaches},
                        {"overdue_followups", late_followups}};
  });
}

json::object CaseService::stats(const auth::Caller& c, const StatsQuery& q) const {
  auth::require(c.principal, "cases.handle");
  if (!oversees(c) && (!q.staff_id || *q.staff_id != c.principal.user_id))
    throw errors::own_figures_only();
  int off = deps_.config.utc_offset_minutes;
  long long now = Clock::now();
  auto day_start = [&](const std::string& d, const char* field) {
    auto date = calendar::Date::parse(d, field);
    return (static_cast<long long>(date.serial()) * 86400 - off * 60LL) * 1000;
  };
  long long from = q.from ? day_start(*q.from, "from") : now - 30LL * 86400 * 1000;
  long long to = q.to ? day_start(*q.to, "to") + 86400LL * 1000 : now + 1;
  if (to <= from) throw errors::invalid_range("to");
  std::optional<long long> staff = q.staff_id;
  return deps_.db->read([&](soci::session& s) {
    auto staff_cond = [&](const char* col) {
      return staff ? std::string(" AND ") + col + " = ?" : std::string();
    };
    auto with_staff = [&](Binds b) {
      if (staff) b.push_back(*staff);
      return b;
    };
    long long opened =
        count_of(s,
                 "SELECT COUNT(*) FROM cases WHERE created_at >= ? AND created_at < ?" +
                     staff_cond("first_responder_id"),
                 with_staff(B({from, to})));
    long long completed = count_of(s,
                                   "SELECT COUNT(*) FROM cases WHERE status = 'completed' AND "
                                   "completed_at >= ? AND completed_at < ?" +
                                       staff_cond("handler_id"),
                                   with_staff(B({from, to})));
    long long late = count_of(s,
                              "SELECT COUNT(*) FROM cases WHERE status = 'completed' AND "
                              "completed_at >= ? AND completed_at < ? "
                              "AND completed_at > due_at" +
                                  staff_cond("handler_id"),
                              with_staff(B({from, to})));
    // Open cases past due now count against the on-time rate too (B5: 100% is the target).
    long long overdue_open = 0;
    json::array late_cases;
    for (const auto& k : store::list_cases(
             s,
             "WHERE c.accepted_at IS NOT NULL AND c.status IN ('processing', 'waiting_materials')" +
                 std::string(staff ? " AND c.handler_id = ?" : ""),
             staff ? B({*staff}) : Binds{}, "ORDER BY c.due_at")) {
      auto p = progress_of(deps_, k, now);
      if (p && p->overdue) {
        ++overdue_open;
        late_cases.push_back(json::object{{"case_id", k.id},
                                          {"case_no", k.case_no},
                                          {"status", k.status},
                                          {"due_at", iso(k.due_at)},
                                          {"reason", k.overdue_reason}});
      }
    }
    store::query(s,
                 "SELECT id, case_no, due_at, completed_at, overdue_reason FROM cases WHERE status "
                 "= 'completed' AND "
                 "completed_at >= ? AND completed_at < ? AND completed_at > due_at" +
                     staff_cond("handler_id") + " ORDER BY completed_at",
                 with_staff(B({from, to})), [&](const soci::row& r) {
                   late_cases.push_back(json::object{{"case_id", col_i64(r, 0)},
                                                     {"case_no", col_str(r, 1)},
                                                     {"status", "completed"},
                                                     {"due_at", iso8601_utc(col_i64(r, 2))},
                                                     {"completed_at", iso8601_utc(col_i64(r, 3))},
                                                     {"reason", col_str(r, 4)}});
                 });
    long long notices =
        count_of(s,
                 "SELECT COUNT(*) FROM case_notices WHERE issued_at >= ? AND issued_at < ?" +
                     staff_cond("staff_id"),
                 with_staff(B({from, to})));
    long long breaches = count_of(
        s,
        "SELECT COUNT(*) FROM case_notices WHERE breach = 1 AND issued_at >= ? AND issued_at < ?" +
            staff_cond("staff_id"),
        with_staff(B({from, to})));
    long long referrals =
        count_of(s,
                 "SELECT COUNT(*) FROM case_referrals WHERE created_at >= ? AND created_at < ?" +
                     staff_cond("created_by"),
                 with_staff(B({from, to})));
    long long fu_total =
        count_of(s,
                 "SELECT COUNT(*) FROM case_followups WHERE reported_at >= ? AND reported_at < ?" +
                     staff_cond("assignee_id"),
                 with_staff(B({from, to})));
    long long fu_late = count_of(
        s,
        "SELECT COUNT(*) FROM case_followups WHERE reported_at >= ? AND reported_at < ? AND "
        "((status = 'open' AND due_at < ?) OR (status = 'done' AND replied_at > due_at))" +
            staff_cond("assignee_id"),
        with_staff(B({from, to, now})));
    long long green =
        count_of(s,
                 "SELECT COUNT(*) FROM cases WHERE green = 1 AND green_at >= ? AND green_at < ?" +
                     staff_cond("green_by"),
                 with_staff(B({from, to})));
    long long judged = completed + overdue_open;
    json::value rate = judged ? json::value(std::round(1000.0 * (completed - late) / judged) / 1000)
                              : json::value(nullptr);
    return json::object{{"from", iso8601_utc(from)},
                        {"to", iso8601_utc(to)},
                        {"staff_id", staff ? json::value(*staff) : json::value(nullptr)},
                        {"opened", opened},
                        {"completed", completed},
                        {"completed_on_time", completed - late},
                        {"completed_late", late},
                        {"overdue_open", overdue_open},
                        {"on_time_rate", rate},
                        {"late_cases", late_cases},
                        {"notices", notices},
                        {"breaches", breaches},
                        {"referrals", referrals},
                        {"followups", fu_total},
                        {"followups_late", fu_late},
                        {"green", green}};
  });
}

}  // namespace hall::cases
