// Opening hours, seasons, adjusted working days' hours, UTC offset, closures.
#include "fixtures.hpp"

namespace hall::calendar::testing {
namespace {

TEST(CalendarHours, DefaultHoursAreData) {
  OpeningHours h = default_opening_hours();
  auto hm = [](int s) { return std::to_string(s / 3600) + ":" + std::to_string(s / 60 % 60); };
  auto text = [&](const DayHours& d) {
    std::string s;
    for (const auto& r : d) s += hm(r.begin) + "-" + hm(r.end) + " ";
    return s;
  };
  for (unsigned wd = 1; wd <= 5; ++wd) EXPECT_EQ(text(h.regular.on(wd)), "8:0-12:0 14:30-17:30 ");
  EXPECT_TRUE(h.regular.on(6).empty());
  EXPECT_TRUE(h.regular.on(7).empty());
  ASSERT_EQ(h.seasons.size(), 1u);
  EXPECT_EQ(h.seasons[0].name, "夏季作息");
  EXPECT_EQ(text(h.seasons[0].weekly.on(3)), "8:0-12:0 15:0-18:0 ");
  EXPECT_EQ(h.adjusted_workday_as, 1u);
  // Season boundaries are inclusive.
  EXPECT_EQ(&h.weekly_for(Date::parse("2026-04-30")), &h.regular);
  EXPECT_EQ(&h.weekly_for(Date::parse("2026-05-01")), &h.seasons[0].weekly);
  EXPECT_EQ(&h.weekly_for(Date::parse("2026-09-30")), &h.seasons[0].weekly);
  EXPECT_EQ(&h.weekly_for(Date::parse("2026-10-01")), &h.regular);
}

TEST(CalendarHours, SeasonMayWrapTheYearEnd) {
  SeasonalHours winter{"冬季", {11, 1}, {2, 28}, {}};
  EXPECT_TRUE(winter.contains(Date::parse("2026-12-31")));
  EXPECT_TRUE(winter.contains(Date::parse("2026-01-15")));
  EXPECT_TRUE(winter.contains(Date::parse("2026-11-01")));
  EXPECT_FALSE(winter.contains(Date::parse("2026-03-01")));
  EXPECT_FALSE(winter.contains(Date::parse("2026-10-31")));
}

TEST(CalendarHours, ParseErrors) {
  const char* bad_ranges[] = {"8:00-12:00",  "08:00-12:60", "12:00-08:00", "08:00-08:00",
                              "25:00-26:00", "08:00–12:00", "08:00-24:01", ""};
  for (const char* r : bad_ranges) {
    SCOPED_TRACE(r);
    EXPECT_EQ(error_code_of([&] { parse_time_range(r); }), "invalid_hours");
  }
  EXPECT_EQ(parse_time_range("16:00-24:00").end, 86400);
  const char* bad_json[] = {
      "[]",
      R"({"weekly":{"monday":["08:00-12:00"]}})",
      R"({"weekly":{"mon":["08:00-12:00","11:00-13:00"]}})",  // overlap
      R"({"weekly":{"mon":"08:00-12:00"}})",
      R"({"adjusted_workday_as":"xyz"})",
      R"({"seasons":[{"from":"05-01","to":"09-31","weekly":{}}]})",
      R"({"seasons":[{"from":"05-01","weekly":{}}]})",
  };
  for (const char* j : bad_json) {
    SCOPED_TRACE(j);
    EXPECT_EQ(error_code_of([&] { parse_opening_hours_json(j); }), "invalid_hours");
  }
}

TEST(CalendarHours, AdjustedWorkdayHoursAreConfigurable) {
  // Fridays close early; adjusted weekend days follow Friday's hours, except
  // that a Sunday with hours of its own keeps them.
  OpeningHours h = parse_opening_hours_json(R"({
    "adjusted_workday_as": "fri",
    "weekly": {"mon": ["08:00-12:00", "14:30-17:30"], "fri": ["08:00-12:00"],
               "sun": ["09:00-11:00"]}})");
  HallCalendar cal(shipped_holidays(), h);
  // 2026-02-14 Saturday (adjusted): Friday's hours.
  EXPECT_EQ(cal.hours_on(Date::parse("2026-02-14")), (DayHours{{8 * 3600, 12 * 3600}}));
  // 2026-01-04 Sunday (adjusted): its own hours.
  EXPECT_EQ(cal.hours_on(Date::parse("2026-01-04")), (DayHours{{9 * 3600, 11 * 3600}}));
  // An ordinary Sunday is not a working day: no hours, even though Sunday has some.
  EXPECT_TRUE(cal.hours_on(Date::parse("2026-03-01")).empty());
  EXPECT_FALSE(cal.is_open(local(cal, "2026-03-01 10:00")));
  // Tuesday has no hours in this configuration: working, but never open.
  EXPECT_TRUE(cal.is_working_day(Date::parse("2026-03-03")));
  EXPECT_FALSE(cal.closing_time(Date::parse("2026-03-03")).has_value());
  EXPECT_EQ(format_local(cal, cal.next_opening(local(cal, "2026-03-02 18:00"))),
            "2026-03-06 08:00");  // Tuesday to Thursday have no hours
}

TEST(CalendarHours, UtcOffsetIsAParameter) {
  const HallCalendar& sh = national();
  EXPECT_EQ(sh.utc_offset(), std::chrono::hours(8));
  // 2026-03-02 08:00 in Shanghai is 2026-03-02 00:00 UTC.
  Instant open = sh.at(Date::parse("2026-03-02"), 8 * 3600);
  EXPECT_EQ(open, std::chrono::sys_days{std::chrono::year{2026} / 3 / 2});
  EXPECT_EQ(open.time_since_epoch().count(), 1772409600);
  // One second before is 2026-03-01 23:59:59 UTC, still Monday 07:59:59 locally.
  EXPECT_EQ(sh.local_date(open - std::chrono::seconds(1)).to_string(), "2026-03-02");
  EXPECT_FALSE(sh.is_open(open - std::chrono::seconds(1)));
  EXPECT_TRUE(sh.is_open(open));
  // Local midnight of Tuesday is 16:00 UTC on Monday.
  EXPECT_EQ(sh.local_date(sh.at(Date::parse("2026-03-03"), 0)).to_string(), "2026-03-03");
  EXPECT_EQ(
      sh.local_date(sh.at(Date::parse("2026-03-03"), 0) - std::chrono::seconds(1)).to_string(),
      "2026-03-02");

  // The same rules in UTC: the hall opens at 08:00 UTC instead.
  HallCalendar utc(shipped_holidays(), default_opening_hours(), {}, std::chrono::seconds(0));
  EXPECT_FALSE(utc.is_open(open));
  EXPECT_TRUE(utc.is_open(open + std::chrono::hours(8)));
  EXPECT_EQ(utc.next_opening(open), open + std::chrono::hours(8));
  EXPECT_EQ(sh.working_seconds_between(open, open + std::chrono::hours(24)), 25200);
  EXPECT_EQ(utc.working_seconds_between(open, open + std::chrono::hours(24)), 25200);
}

TEST(CalendarHours, Closures) {
  const HallCalendar& cal = hall_with_closures();
  // Closed during 寒假 even on an adjusted Saturday; the instants agree with the days.
  EXPECT_FALSE(cal.is_open(local(cal, "2026-02-14 10:00")));
  EXPECT_EQ(format_local(cal, cal.next_opening(local(cal, "2026-02-06 18:00"))),
            "2026-03-02 08:00");
  EXPECT_EQ(
      cal.working_seconds_between(local(cal, "2026-02-06 17:00"), local(cal, "2026-03-02 09:00")),
      1800 + 3600);
  EXPECT_EQ(cal.working_days_between(Date::parse("2026-02-06"), Date::parse("2026-03-06")), 5);
  EXPECT_EQ(national().working_days_between(Date::parse("2026-02-06"), Date::parse("2026-03-06")),
            5 + 1 + 4 + 1 + 5);  // 02-09..13, 02-14, 02-24..27, 02-28, 03-02..06
  EXPECT_EQ(error_code_of([&] {
              HallCalendar(shipped_holidays(), default_opening_hours(),
                           {{Date::parse("2026-03-01"), Date::parse("2026-02-01"), "倒置"}});
            }),
            "invalid_closure");
}

}  // namespace
}  // namespace hall::calendar::testing
