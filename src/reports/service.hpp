// Monthly statistics of a hall (B5 quality targets, B6.3 time limits, B6.4
// 事务公开): volume served by outcome, item, unit and day; average wait and
// service time; on-time completion of cases; accuracy of documents;
// satisfaction of ratings. Every figure is computed from the data, and is null
// with a reason when there is nothing to compute it from.
//
// Public: a month is published once it has ended in the hall's zone; the first
// request after that freezes its figures (report_month_snapshots) so they never
// change afterwards. Staff with stats.read see any month live (not stored).
#pragma once

#include "reports/module.hpp"

#include <soci/soci.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "core/json.hpp"
#include "reports/model.hpp"

namespace hall::reports {

// The figures of a hall's month from the data as it is now (no permission check, no storing).
json::object compute_month(soci::session& s, std::int64_t hall_id, const Month& m, int utc_offset_minutes);

// Demo databases only: served demo tickets (is_demo) on the working days of the
// previous month when the demo history has none there (the queue's demo seed
// covers the last five weekdays only), so the published previous month shows
// figures computed from demo data. Returns the number of tickets added.
// working_day(date "YYYY-MM-DD"): the hall's calendar (no tickets on holidays and closures); default Mon–Fri.
int seed_demo_history(soci::session& s, std::int64_t hall_id, Millis now, int utc_offset_minutes,
                      const std::function<bool(const std::string&)>& working_day = {});

class ReportService {
 public:
  explicit ReportService(Deps& deps) : deps_(deps) {}

  // GET /api/v1/public/stats/monthly: closed months only (422 month_not_closed), frozen on first request.
  json::object published(std::int64_t hall, const std::string& month);
  // GET /api/v1/public/stats/months: the closed months that can be published, newest first.
  json::object months(std::int64_t hall);
  // GET /api/v1/stats/monthly (stats.read): any month, computed now; default the current month.
  json::object live(std::int64_t hall, const std::optional<std::string>& month);

 private:
  struct HallRef {
    std::int64_t id;
    int offset_minutes;
  };
  HallRef hall_of(std::int64_t hall) const;
  // The first month with anything to report (hall creation, first ticket or case).
  Month first_month(soci::session& s, std::int64_t hall_id, int off) const;
  Deps& deps_;
};

}  // namespace hall::reports
