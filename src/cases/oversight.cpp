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
    for (const auto& k : store::running_cases(s)) {
      auto p = progress_of(deps_, k, now);
      if (!p) continue;
      if (p->overdue)
        overdue.push_back(case_json(deps_, c, k, now));
      else if (p->warning == Warning::eighty || p->warning == Warning::due)
        at_risk.push_back(case_json(deps_, c, k, now));
    }
    // Completed late in the last 30 days, with their reasons (B5: every miss visible).
    json::array completed_late;
    for (const auto& k : store::completed_late_since(s, now - 30LL * 86400 * 1000))
      completed_late.push_back(case_json(deps_, c, k, now));
    for (const auto& b : store::breaches(s))
      breaches.push_back(
          json::object{{"notice_id", b.notice_id},
                       {"case_id", b.case_id},
                       {"case_no", b.case_no},
                       {"notice_no", b.notice_no},
                       {"issued_at", iso8601_utc(b.issued_at)},
                       {"staff", json::object{{"id", b.staff_id}, {"name", b.staff_name}}},
                       {"detail", b.detail},
                       {"green", b.green}});
    for (const auto& f : store::open_followups(s, now, 0))
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
    store::Figures fig = store::figures(s, from, to, staff, now);
    long long completed = fig.completed, late = fig.completed_late;
    // Open cases past due now count against the on-time rate too (B5: 100% is the target).
    long long overdue_open = 0;
    json::array late_cases;
    for (const auto& k : store::open_accepted_cases(s, staff)) {
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
    for (const auto& l : store::completed_late(s, from, to, staff))
      late_cases.push_back(json::object{{"case_id", l.id},
                                        {"case_no", l.case_no},
                                        {"status", "completed"},
                                        {"due_at", iso8601_utc(l.due_at)},
                                        {"completed_at", iso8601_utc(l.completed_at)},
                                        {"reason", l.reason}});
    long long judged = completed + overdue_open;
    json::value rate = judged ? json::value(std::round(1000.0 * (completed - late) / judged) / 1000)
                              : json::value(nullptr);
    return json::object{{"from", iso8601_utc(from)},
                        {"to", iso8601_utc(to)},
                        {"staff_id", staff ? json::value(*staff) : json::value(nullptr)},
                        {"opened", fig.opened},
                        {"completed", completed},
                        {"completed_on_time", completed - late},
                        {"completed_late", late},
                        {"overdue_open", overdue_open},
                        {"on_time_rate", rate},
                        {"late_cases", late_cases},
                        {"notices", fig.notices},
                        {"breaches", fig.breaches},
                        {"referrals", fig.referrals},
                        {"followups", fig.followups},
                        {"followups_late", fig.followups_late},
                        {"green", fig.green}};
  });
}

}  // namespace hall::cases
