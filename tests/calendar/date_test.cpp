#include "fixtures.hpp"
#include <fstream>

namespace hall::calendar::testing {
namespace {

TEST(CalendarDate, ParseFormatAndWeekday) {
  struct Case {
    const char* text;
    int y;
    unsigned m, d, iso_weekday;
  } cases[] = {
      {"2026-02-17", 2026, 2, 17, 2},   // Tuesday, 春节 初一
      {"2024-02-29", 2024, 2, 29, 4},   // leap day, Thursday
      {"2000-02-29", 2000, 2, 29, 2},   // leap (divisible by 400)
      {"1970-01-01", 1970, 1, 1, 4},    // epoch, Thursday
      {"2026-10-10", 2026, 10, 10, 6},  // Saturday
      {"2026-03-01", 2026, 3, 1, 7},    // Sunday
      {"9999-12-31", 9999, 12, 31, 5},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    Date d = Date::parse(c.text);
    EXPECT_EQ(d.year(), c.y);
    EXPECT_EQ(d.month(), c.m);
    EXPECT_EQ(d.day(), c.d);
    EXPECT_EQ(d.iso_weekday(), c.iso_weekday);
    EXPECT_EQ(d.is_weekend(), c.iso_weekday >= 6);
    EXPECT_EQ(d.to_string(), c.text);
    EXPECT_EQ(Date::from_ymd(c.y, c.m, c.d), d);
  }
  EXPECT_EQ(Date::parse("1970-01-01").serial(), 0);
  EXPECT_EQ(Date().to_string(), "1970-01-01");
}

TEST(CalendarDate, ArithmeticAndOrder) {
  EXPECT_EQ(Date::parse("2024-02-28").add_days(1).to_string(), "2024-02-29");
  EXPECT_EQ(Date::parse("2025-02-28").add_days(1).to_string(), "2025-03-01");
  EXPECT_EQ(Date::parse("2025-12-31").add_days(1).to_string(), "2026-01-01");
  EXPECT_EQ(Date::parse("2026-01-01").add_days(-1).to_string(), "2025-12-31");
  EXPECT_EQ(Date::parse("2026-01-01") - Date::parse("2025-01-01"), 365);
  EXPECT_EQ(Date::parse("2025-01-01") - Date::parse("2024-01-01"), 366);
  EXPECT_LT(Date::parse("2025-12-31"), Date::parse("2026-01-01"));
  EXPECT_GT(Date::parse("2026-02-01"), Date::parse("2026-01-31"));
  EXPECT_EQ(Date::parse("2026-02-01"), Date::parse("2026-01-31").add_days(1));
  EXPECT_NE(Date::parse("2026-02-01"), Date::parse("2026-02-02"));
}

TEST(CalendarDate, FromYmdRejectsImpossibleDatesWithField) {
  for (auto [y, m, d] : {std::tuple{2026, 2, 29},
                         {2026, 13, 1},
                         {2026, 0, 1},
                         {2026, 4, 31},
                         {2026, 1, 0},
                         {2026, -1, 5}}) {
    try {
      Date::from_ymd(y, m, d, "due_date");
      ADD_FAILURE() << y << "-" << m << "-" << d << " accepted";
    } catch (const ApiError& e) {
      EXPECT_EQ(e.code(), "invalid_date");
      EXPECT_EQ(e.field(), "due_date");
    }
  }
  try {
    Date::parse("2026-2-3", "start");
    ADD_FAILURE();
  } catch (const ApiError& e) {
    EXPECT_EQ(e.field(), "start");
  }
}

// ---- holiday-cn JSON and coverage

TEST(CalendarHolidayData, ShippedFilesCoverTheirOwnYearsOnly) {
  const auto& h = shipped_holidays();
  EXPECT_EQ(h.covered_years(), (std::set<int>{2023, 2024, 2025, 2026}));
  // 2023.json lists 2022-12-31 (元旦), but 2022 is not covered: 2022 is provisional,
  // and the official entry for that date is still used.
  ASSERT_NE(h.find(Date::parse("2022-12-31")), nullptr);
  EXPECT_FALSE(h.covers(2022));
  auto d = national().classify(Date::parse("2022-12-31"));
  EXPECT_TRUE(d.provisional);
  EXPECT_EQ(d.reason, DayReason::holiday);
  EXPECT_EQ(d.name, "元旦");
  EXPECT_FALSE(national().classify(Date::parse("2023-01-03")).provisional);
  // Entries are sorted and unique by date.
  const auto& e = h.entries();
  for (std::size_t i = 1; i < e.size(); ++i) EXPECT_LT(e[i - 1].date, e[i].date);
  EXPECT_GT(e.size(), 120u);
}

TEST(CalendarHolidayData, LoadsOneFile) {
  auto data = load_holiday_cn_json(R"({"year":2026,"papers":[],"days":[
      {"name":"春节","date":"2026-02-15","isOffDay":true},
      {"name":"春节","date":"2026-02-14","isOffDay":false}]})");
  EXPECT_EQ(data.years, std::set<int>{2026});
  ASSERT_EQ(data.days.size(), 2u);
  EXPECT_EQ(data.days[1].date.to_string(), "2026-02-14");
  EXPECT_FALSE(data.days[1].is_off_day);
  EXPECT_EQ(data.days[0].name, "春节");
}

TEST(CalendarHolidayData, RejectsBadFiles) {
  struct Case {
    const char* json;
    const char* field;
  } cases[] = {
      {"not json", ""},
      {"[]", ""},
      {R"({"days":[]})", "year"},
      {R"({"year":"2026","days":[]})", "year"},
      {R"({"year":2026})", "days"},
      {R"({"year":2026,"days":[{"name":"春节","date":"2026-2-15","isOffDay":true}]})",
       "days[0].date"},
      {R"({"year":2026,"days":[{"name":"春节","date":"2026-02-15"}]})", "days[0]"},
      {R"({"year":2026,"days":[{"name":"春节","date":"2026-02-15","isOffDay":"yes"}]})", "days[0]"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.json);
    try {
      load_holiday_cn_json(c.json);
      ADD_FAILURE() << "accepted";
    } catch (const ApiError& e) {
      EXPECT_EQ(e.status(), 400);
      EXPECT_TRUE(e.code() == "invalid_holiday_file" || e.code() == "invalid_date") << e.code();
      EXPECT_EQ(e.field(), c.field);
    }
  }
}

TEST(CalendarHolidayData, GapInCoverageIsProvisionalNotRefused) {
  // 2024 and 2026 loaded, 2025 missing: 2025 is answered from the law alone
  // (weekends and statutory holidays), and every answer over it says so.
  HolidayCalendar h;
  h.merge(load_holiday_cn_json(test::read_text("data/holidays/2024.json")));
  h.merge(load_holiday_cn_json(test::read_text("data/holidays/2026.json")));
  HallCalendar cal(h, default_opening_hours());
  EXPECT_EQ(cal.add_working_days(Date::parse("2024-12-30"), 1).to_string(), "2024-12-31");
  EXPECT_FALSE(cal.provisional_between(Date::parse("2024-12-30"), Date::parse("2024-12-31")));
  // 2025-01-01 (元旦, Wednesday) is a statutory holiday.
  Date due = cal.add_working_days(Date::parse("2024-12-31"), 1, "accepted_on");
  EXPECT_EQ(due.to_string(), "2025-01-02");
  EXPECT_TRUE(cal.provisional_between(Date::parse("2024-12-31"), due));
  auto d = cal.classify(Date::parse("2025-01-28"));  // 除夕: a statutory holiday since 2025
  EXPECT_TRUE(d.provisional);
  EXPECT_EQ(d.reason, DayReason::holiday);
  EXPECT_EQ(d.name, "春节");
  // The official 2025 schedule made Sunday 2025-01-26 a working day; a provisional
  // calendar cannot know that (调休 are announced by the State Council).
  EXPECT_EQ(cal.classify(Date::parse("2025-01-26")).reason, DayReason::weekend);
  EXPECT_TRUE(cal.classify(Date::parse("2025-06-02")).provisional);
  EXPECT_EQ(cal.working_seconds_between(cal.at(Date::parse("2024-12-31"), 36000),
                                        cal.at(Date::parse("2025-01-02"), 36000)),
            7 * 3600);
  EXPECT_EQ(cal.classify(Date::parse("2026-02-14")).reason, DayReason::adjusted_workday);
  EXPECT_FALSE(cal.classify(Date::parse("2026-02-14")).provisional);
}

TEST(CalendarHolidayData, WithoutAnyDataEveryYearInRangeIsProvisional) {
  HallCalendar cal(HolidayCalendar{}, default_opening_hours());
  auto d = cal.classify(Date::parse("2026-03-02"));
  EXPECT_TRUE(d.provisional);
  EXPECT_TRUE(d.is_working);
  EXPECT_EQ(cal.add_working_days(Date::parse("2026-03-02"), 1).to_string(), "2026-03-03");
  EXPECT_TRUE(cal.is_open(cal.at(Date::parse("2026-03-02"), 36000)));
  // Absurd input stays refused, with a precise error.
  for (const char* bad : {"1999-12-31", "2101-01-03", "1800-06-01"}) {
    EXPECT_EQ(error_code_of([&] { cal.classify(Date::parse(bad)); }), "calendar_year_out_of_range") << bad;
  }
  EXPECT_EQ(error_code_of([&] { cal.add_working_days(Date::parse("2100-12-30"), 5); }),
            "calendar_year_out_of_range");
}

TEST(CalendarHolidayData, LoadHolidayDirFailsLoudlyOnDeploymentErrors) {
  EXPECT_THROW(load_holiday_dir(source_dir() / "no-such-dir"), std::runtime_error);
  auto tmp = std::filesystem::temp_directory_path() / "hall_calendar_test_dir";
  std::filesystem::remove_all(tmp);
  std::filesystem::create_directories(tmp);
  EXPECT_THROW(load_holiday_dir(tmp), std::runtime_error);  // no YYYY.json
  { std::ofstream(tmp / "2025.json") << R"({"year":2026,"days":[]})"; }
  EXPECT_THROW(load_holiday_dir(tmp), std::runtime_error);  // year does not match its name
  std::filesystem::remove_all(tmp);
}

}  // namespace
}  // namespace hall::calendar::testing
