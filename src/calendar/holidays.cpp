// The national holiday list (节假日安排, B6.3 counts working days by it): entries by hand,
// years marked complete, iCalendar import. Part of CalendarService (service.hpp).
#include <fmt/format.h>

#include <map>
#include <set>

#include "auth/audit.hpp"
#include "calendar/admin_rules.hpp"
#include "calendar/errors.hpp"
#include "calendar/service.hpp"
#include "calendar/store.hpp"
#include "core/clock.hpp"
#include "core/errors.hpp"
#include "org/errors.hpp"
#include "org/store.hpp"

namespace hall::calendar {

using namespace detail;

HolidayRecord CalendarService::add_holiday(const auth::Caller& c, const json::value& body) {
  require_write(c);
  JsonFields f(body);
  HolidayRecord h;
  h.date = admin_date(f.required_string("date", 10), "date");
  h.name = f.required_string("name", 40);
  h.off_day = f.required_bool("off_day");
  h.source = "admin";
  f.finish();
  check_adjusted_on_weekend(h, "off_day");
  db_.write([&](soci::session& s) {
    if (store::find_holiday(s, h.date))
      throw errors::holiday_exists.with("date", h.date.to_string());
    store::upsert_holiday(s, h, Clock::now());
    auth::audit(s, c, "calendar.holiday_added", "calendar_day", h.date.to_string(), to_json(h));
    notify_national(s, c);
  });
  changed_national();
  return h;
}

HolidayRecord CalendarService::edit_holiday(const auth::Caller& c, const std::string& date,
                                            const json::value& body) {
  require_write(c);
  Date d = admin_date(date, "date");
  JsonFields f(body);
  auto name = f.optional_string("name", 40);
  auto off = f.optional_bool("off_day");
  f.finish();
  HolidayRecord h = db_.write([&](soci::session& s) {
    auto before = store::find_holiday(s, d);
    if (!before) throw errors::holiday_not_found();
    HolidayRecord h = *before;
    if (name) h.name = *name;
    if (off) h.off_day = *off;
    h.source = "admin";
    check_adjusted_on_weekend(h, "off_day");
    store::upsert_holiday(s, h, Clock::now());
    auth::audit(s, c, "calendar.holiday_edited", "calendar_day", d.to_string(),
                json::object{{"before", to_json(*before)}, {"after", to_json(h)}});
    notify_national(s, c);
    return h;
  });
  changed_national();
  return h;
}

void CalendarService::delete_holiday(const auth::Caller& c, const std::string& date) {
  require_write(c);
  Date d = admin_date(date, "date");
  db_.write([&](soci::session& s) {
    auto before = store::find_holiday(s, d);
    if (!before) throw errors::holiday_not_found();
    store::delete_holiday(s, d);
    auth::audit(s, c, "calendar.holiday_deleted", "calendar_day", d.to_string(), to_json(*before));
    notify_national(s, c);
  });
  changed_national();
}

void CalendarService::set_year_covered(const auth::Caller& c, int year, bool covered) {
  require_write(c);
  check_year(year, "year");
  db_.write([&](soci::session& s) {
    if (covered) {
      // Never "weekends only": a year is complete only with its days off listed.
      bool has_off = false;
      for (const auto& h : store::holidays(s, year)) has_off = has_off || h.off_day;
      if (!has_off) throw errors::year_has_no_holidays.with("year", year);
    }
    store::set_year(s, year, covered, "admin", Clock::now());
    auth::audit(s, c, covered ? "calendar.year_covered" : "calendar.year_uncovered",
                "calendar_year", std::to_string(year));
    notify_national(s, c);
  });
  changed_national();
}

json::object CalendarService::import_ics(const auth::Caller& c, const IcsImportRequest& req) {
  require_write(c);
  for (int y : req.years) check_year(y, "years");
  HolidayData data = parse_ics(req.ics, req.years);
  if (data.days.empty())
    throw errors::invalid_ics.with("ics", Text{"文件中没有任何事件", "the file holds no event"});
  for (int y : data.years) check_year(y, "years");
  std::map<Date, HolidayRecord> incoming;
  for (const auto& e : data.days) {
    if (e.date.year() < kMinYear || e.date.year() > kMaxYear)
      throw errors::invalid_ics.with("ics", Text{"日期超出范围：" + e.date.to_string(),
                                                 "date out of range: " + e.date.to_string()});
    incoming[e.date] =
        HolidayRecord{e.date, e.name.empty() ? std::string("节假日") : e.name, e.is_off_day, "ics"};
  }

  auto run = [&](soci::session& s) {
    json::array added, changed, removed, problems;
    int unchanged = 0;
    std::map<Date, HolidayRecord> current;
    for (auto& h : store::holidays(s)) current.emplace(h.date, h);
    std::set<int> covered = store::covered_years(s);
    std::vector<HolidayRecord> to_write;
    std::vector<Date> to_delete;
    for (const auto& [d, h] : current) {
      if (data.years.contains(d.year()) && !incoming.contains(d)) {
        removed.push_back(to_json(h));
        to_delete.push_back(d);
      }
    }
    for (const auto& [d, h] : incoming) {
      if (!h.off_day && !d.is_weekend())
        problems.push_back(json::object{
            {"date", d.to_string()},
            {"message", c.english
                            ? d.to_string() + " is a weekday marked as an adjusted working day (" +
                                  h.name + ")"
                            : d.to_string() + " 是工作日,却被标为调休补班(" + h.name + ")"}});
      auto it = current.find(d);
      if (it == current.end()) {
        added.push_back(to_json(h));
        to_write.push_back(h);
      } else if (it->second.name != h.name || it->second.off_day != h.off_day) {
        json::object o = to_json(h);
        o["before"] = json::object{{"name", it->second.name}, {"off_day", it->second.off_day}};
        changed.push_back(o);
        to_write.push_back(h);
      } else {
        ++unchanged;
      }
    }
    json::array years, newly;
    for (int y : data.years) {
      years.push_back(y);
      if (!covered.contains(y)) newly.push_back(y);
    }
    json::object report{
        {"years", years},       {"newly_covered", newly}, {"added", added},
        {"changed", changed},   {"removed", removed},     {"unchanged", unchanged},
        {"problems", problems}, {"applied", false},       {"recomputed", json::array{}}};
    if (req.apply) {
      if (!problems.empty())
        throw errors::ics_has_problems.with("ics",
                                            std::string(problems[0].at("message").as_string()));
      long long now = Clock::now();
      for (Date d : to_delete) store::delete_holiday(s, d);
      for (const auto& h : to_write) store::upsert_holiday(s, h, now);
      for (int y : data.years) store::set_year(s, y, true, "ics", now);
      auth::audit(s, c, "calendar.ics_imported", "calendar_year", year_list(data.years),
                  json::object{{"added", added.size()},
                               {"changed", changed.size()},
                               {"removed", removed.size()},
                               {"unchanged", unchanged},
                               {"years", years}});
      // Deadlines computed provisionally are recomputed with the new data (cases: one
      // timeline entry per changed case); the report lists the changes.
      report["recomputed"] = notify_national(s, c);
      report["applied"] = true;
    }
    return report;
  };
  if (!req.apply) return db_.read(run);
  json::object report = db_.write(run);
  changed_national();
  return report;
}

}  // namespace hall::calendar
