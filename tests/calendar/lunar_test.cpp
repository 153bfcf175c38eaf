// The Chinese calendar (calendar/lunar.hpp) against published dates, and the
// provisional calendar (calendar/statutory.hpp) against the State Council's
// schedules of 2023–2026: a year without data must mark off every day the law
// gives off.
#include "calendar/lunar.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <set>

#include "calendar/statutory.hpp"
#include "fixtures.hpp"

namespace hall::calendar {
namespace {

using testing::national;

using testing::read_tsv;
using testing::source_dir;

// "YYYY-MM-DD HH:MM:SS" Beijing time → Unix seconds.
std::int64_t beijing_seconds(const std::string& text) {
  Date d = Date::parse(text.substr(0, 10));
  int h = std::stoi(text.substr(11, 2)), m = std::stoi(text.substr(14, 2)),
      s = std::stoi(text.substr(17, 2));
  return std::int64_t{d.serial()} * 86400 + h * 3600 + m * 60 + s - 8 * 3600;
}

TEST(CalendarLunar, MeeusWorkedExamples) {
  // Example 49.a: the new moon of 1977 February, k = −283: JDE 2443192.65118.
  EXPECT_NEAR(lunar::new_moon_jde(-283), 2443192.65118, 0.00001);
  // Example 10.a-ish sanity: ΔT at 2000.0 is about 64 s (63.86 by the polynomial).
  EXPECT_NEAR(lunar::delta_t_seconds(2000.0), 63.86, 0.01);
  // J2000: the Julian Day of 2000-01-01 0h is 2451544.5.
  EXPECT_DOUBLE_EQ(lunar::julian_day(Date::parse("2000-01-01")), 2451544.5);
  // The new moon of 2027-02-06 falls at 15:56 UTC — 23:56 Beijing: 春节 2027 is 02-06, by four
  // minutes.
  int k = lunar::new_moon_index_near(lunar::julian_day(Date::parse("2027-02-06")));
  EXPECT_NEAR(static_cast<double>(lunar::unix_seconds(lunar::new_moon_jde(k))),
              static_cast<double>(beijing_seconds("2027-02-06 23:56:00")), 60.0);
  EXPECT_EQ(lunar::beijing_date(lunar::new_moon_jde(k)).to_string(), "2027-02-06");
}

TEST(CalendarLunar, SolarTermsWithinAMinuteOfPublishedTimes) {
  auto rows = read_tsv("tests/calendar/solar_terms.tsv", 3);
  ASSERT_GE(rows.size(), 120u);
  for (const auto& r : rows) {
    SCOPED_TRACE("solar_terms.tsv:" + std::to_string(r.line) + " " + r[0] + " " + r[1]);
    int lon = std::stoi(r[1]);
    std::int64_t expected = beijing_seconds(r[2]);
    double guess = lunar::julian_day(Date::parse(r[2].substr(0, 10)));
    std::int64_t got = lunar::unix_seconds(lunar::solar_longitude_jde(lon, guess));
    EXPECT_LE(std::llabs(got - expected), 60) << "off by " << (got - expected) << " s";
    EXPECT_EQ(lunar::solar_term_date(std::stoi(r[0]), lon).to_string(), r[2].substr(0, 10));
  }
}

TEST(CalendarLunar, FestivalsOfPublishedYears) {
  auto rows = read_tsv("tests/calendar/lunar_festivals.tsv", 6);
  ASSERT_GE(rows.size(), 111u);  // 1990–2100
  for (const auto& r : rows) {
    SCOPED_TRACE("lunar_festivals.tsv:" + std::to_string(r.line) + " " + r[0] +
                 (r.cells.size() > 6 ? " " + r.cells[6] : ""));
    auto f = lunar::festivals(std::stoi(r[0]));
    EXPECT_EQ(f.new_years_eve.to_string(), r[1]);
    EXPECT_EQ(f.spring.to_string(), r[2]);
    EXPECT_EQ(f.qingming.to_string(), r[3]);
    EXPECT_EQ(f.dragon_boat.to_string(), r[4]);
    EXPECT_EQ(f.mid_autumn.to_string(), r[5]);
  }
}

TEST(CalendarLunar, LeapMonthsByTheWinterSolsticeRule) {
  // Every leap month of lunar years 1990–2100, found in the cycle that holds it:
  // months 1–10 in the cycle of the same Gregorian year, a leap 11 or 12 in the next.
  std::map<int, std::tuple<int, std::string, int>> expected;
  for (const auto& r : read_tsv("tests/calendar/leap_months.tsv", 4))
    expected[std::stoi(r[0])] = {std::stoi(r[1]), r[2], std::stoi(r[3])};
  ASSERT_GE(expected.size(), 40u);
  std::map<int, std::tuple<int, std::string, int>> found;
  for (int cycle = 1990; cycle <= 2101; ++cycle) {
    auto months = lunar::months_of_cycle(cycle);
    ASSERT_TRUE(months.size() == 12 || months.size() == 13) << cycle;
    EXPECT_EQ(months.front().number, 11) << cycle;
    int leaps = 0;
    for (const auto& m : months) {
      EXPECT_TRUE(m.days == 29 || m.days == 30) << cycle << " " << m.first.to_string();
      if (!m.leap) continue;
      ++leaps;
      int lunar_year = m.number >= 11 ? cycle - 1 : cycle;
      found[lunar_year] = {m.number, m.first.to_string(), m.days};
    }
    EXPECT_EQ(leaps, months.size() == 13 ? 1 : 0) << cycle;
  }
  for (auto it = found.begin(); it != found.end();)
    it = it->first < 1990 || it->first > 2100 ? found.erase(it) : ++it;
  EXPECT_EQ(found, expected);
  // The 2033 problem: the leap month is the 11th, beginning 2033-12-22.
  ASSERT_TRUE(found.contains(2033));
  EXPECT_EQ(std::get<0>(found[2033]), 11);
}

TEST(CalendarLunar, LunarDateRefusesDaysAMonthDoesNotHave) {
  EXPECT_EQ(lunar::lunar_date(2026, 1, 1)->to_string(), "2026-02-17");
  EXPECT_FALSE(lunar::lunar_date(2026, 0, 1).has_value());
  EXPECT_FALSE(lunar::lunar_date(2026, 1, 31).has_value());
  // Some month of 2026 has 29 days: its day 30 does not exist.
  bool some_short = false;
  for (int m = 1; m <= 10; ++m)
    some_short = some_short || !lunar::lunar_date(2026, m, 30).has_value();
  EXPECT_TRUE(some_short);
}

// ---- the provisional calendar against the State Council's schedules

TEST(CalendarProvisional, MarksOffEveryStatutoryHolidayOfTheOfficialYears) {
  // For each shipped year Y: a calendar WITHOUT Y's data must give off every
  // statutory day (by the law in force in Y), and each of those days is a day
  // off in the official schedule — the provisional calendar knows exactly the
  // statutory days; the official file adds bridge days and 调休 on top.
  for (int year = 2023; year <= 2026; ++year) {
    SCOPED_TRACE(year);
    auto official = load_holiday_cn_json(
        test::read_text("data/holidays/" + std::to_string(year) + ".json"));
    std::set<Date> official_off;
    for (const auto& e : official.days)
      if (e.is_off_day) official_off.insert(e.date);
    HallCalendar provisional(HolidayCalendar{}, default_opening_hours());
    const auto& statutory = statutory_holidays(year);
    for (const auto& s : statutory) {
      SCOPED_TRACE(s.date.to_string() + " " + s.name);
      if (!s.date.is_weekend())
        EXPECT_TRUE(official_off.contains(s.date)) << "not off in the official schedule";
      auto d = provisional.classify(s.date);
      EXPECT_FALSE(d.is_working);
      EXPECT_TRUE(d.provisional);
      EXPECT_EQ(d.reason, DayReason::holiday);
    }
    // 13 statutory days from 2025 (春节 4, 劳动节 2), 11 before (春节 3, 劳动节 1) — fewer
    // entries only when 中秋 is also a 国庆 day.
    std::size_t days = year >= 2025 ? 13 : 11;
    EXPECT_EQ(statutory.size(), days);
    // And on ordinary weekdays between holidays the provisional calendar works.
    EXPECT_TRUE(provisional.is_working_day(Date::from_ymd(year, 3, 10)) ||
                Date::from_ymd(year, 3, 10).is_weekend());
  }
}

TEST(CalendarProvisional, Year2027FromTheLawAlone) {
  auto rows = read_tsv("tests/calendar/provisional_2027.tsv", 2);
  ASSERT_EQ(rows.size(), 13u);
  std::map<Date, std::string> expected;
  for (const auto& r : rows) expected[Date::parse(r[0])] = r[1];
  std::map<Date, std::string> got;
  for (const auto& e : statutory_holidays(2027)) got[e.date] = e.name;
  EXPECT_EQ(got, expected);
  // The shipped calendar (data through 2026) answers 2027 provisionally.
  const HallCalendar& cal = national();
  for (Date d = Date::parse("2027-01-01"); d <= Date::parse("2027-12-31"); d = d.add_days(1)) {
    auto info = cal.classify(d);
    ASSERT_TRUE(info.provisional) << d.to_string();
    bool off = expected.contains(d) || d.is_weekend();
    ASSERT_EQ(info.is_working, !off) << d.to_string();
    if (expected.contains(d)) EXPECT_EQ(info.name, expected[d]) << d.to_string();
  }
  EXPECT_FALSE(cal.classify(Date::parse("2026-12-31")).provisional);
  // 254 working days: 261 weekdays less the 7 statutory days that fall on one.
  EXPECT_EQ(cal.working_days_between(Date::parse("2026-12-31"), Date::parse("2027-12-31")), 254);
}

TEST(CalendarProvisional, StatutoryRulesFollowTheLawOfEachYear) {
  auto names_on = [](int year, const std::string& name) {
    std::vector<std::string> out;
    for (const auto& e : statutory_holidays(year))
      if (e.name.find(name) != std::string::npos) out.push_back(e.date.to_string());
    return out;
  };
  // 2008–2013: 春节 = 除夕, 初一, 初二 (2010: 春节 02-14).
  EXPECT_EQ(names_on(2010, "春节"),
            (std::vector<std::string>{"2010-02-13", "2010-02-14", "2010-02-15"}));
  // 2014–2024: 初一–初三, 劳动节 one day.
  EXPECT_EQ(names_on(2024, "春节"),
            (std::vector<std::string>{"2024-02-10", "2024-02-11", "2024-02-12"}));
  EXPECT_EQ(names_on(2024, "劳动节"), (std::vector<std::string>{"2024-05-01"}));
  // 2000–2007: 劳动节 three days, no 清明/端午/中秋.
  EXPECT_EQ(names_on(2005, "劳动节").size(), 3u);
  EXPECT_TRUE(names_on(2005, "中秋").empty());
  // 国庆 and 中秋 on one day (2020-10-01): listed once with both names.
  EXPECT_EQ(names_on(2020, "中秋节"), (std::vector<std::string>{"2020-10-01"}));
  EXPECT_EQ(names_on(2020, "国庆节").size(), 3u);
  EXPECT_TRUE(statutory_holidays(1999).empty());
  EXPECT_TRUE(statutory_holidays(2101).empty());
}

TEST(CalendarProvisional, CoverageStatusAsksForTheImportSixtyDaysAhead) {
  const auto& h = testing::shipped_holidays();
  auto st = coverage_status(h, Date::parse("2026-12-07"));
  ASSERT_TRUE(st.covered_through.has_value());
  EXPECT_EQ(st.covered_through->to_string(), "2026-12-31");
  EXPECT_EQ(st.provisional_from.to_string(), "2027-01-01");
  EXPECT_EQ(st.ask_from.to_string(), "2026-11-01");
  EXPECT_TRUE(st.import_due);
  EXPECT_FALSE(st.today_provisional);
  st = coverage_status(h, Date::parse("2026-10-31"));
  EXPECT_FALSE(st.import_due);
  EXPECT_TRUE(coverage_status(h, Date::parse("2026-11-01")).import_due);
  st = coverage_status(h, Date::parse("2023-05-01"));  // 2023–2026 in one run
  EXPECT_EQ(st.covered_through->to_string(), "2026-12-31");
  EXPECT_FALSE(st.import_due);
  st = coverage_status(h, Date::parse("2027-01-04"));
  EXPECT_FALSE(st.covered_through.has_value());
  EXPECT_TRUE(st.today_provisional);
  EXPECT_TRUE(st.import_due);
  EXPECT_EQ(st.provisional_from.to_string(), "2027-01-04");
}

}  // namespace
}  // namespace hall::calendar
