// Table-driven tests: each .tsv row is one case; SCOPED_TRACE names its line.
#include "fixtures.hpp"

namespace hall::calendar::testing {
namespace {

// "tests/calendar/due_dates.tsv:12 <the row's note>"
std::string where(const TsvRow& row) { return row.where() + " " + row.cells.back(); }

// B6.3: time limits in N working days.
TEST(CalendarTables, DueDates) {
  auto rows = read_tsv("tests/calendar/due_dates.tsv", 4);
  EXPECT_GE(rows.size(), 60u);
  for (const auto& r : rows) {
    SCOPED_TRACE(where(r));
    const HallCalendar& cal = calendar_named(r[0]);
    Date start = Date::parse(r[1]);
    int n = std::stoi(r[2]);
    EXPECT_EQ(cal.add_working_days(start, n).to_string(), r[3]);
    // The count in (start, due] is exactly n, and the due day itself works (n > 0).
    if (n > 0) {
      Date due = Date::parse(r[3]);
      EXPECT_EQ(cal.working_days_between(start, due), n);
      EXPECT_TRUE(cal.is_working_day(due));
      EXPECT_EQ(cal.working_days_between(start, due.add_days(-1)), n - 1);
    }
  }
}

TEST(CalendarTables, Classify) {
  auto rows = read_tsv("tests/calendar/classify.tsv", 5);
  EXPECT_GE(rows.size(), 50u);
  for (const auto& r : rows) {
    SCOPED_TRACE(where(r));
    DayInfo info = calendar_named(r[0]).classify(Date::parse(r[1]));
    EXPECT_EQ(info.date.to_string(), r[1]);
    EXPECT_EQ(info.is_working, r[2] == "1");
    EXPECT_EQ(to_string(info.reason), r[3]);
    EXPECT_EQ(info.name, r[4]);
    EXPECT_EQ(calendar_named(r[0]).is_working_day(Date::parse(r[1])), r[2] == "1");
  }
}

TEST(CalendarTables, BadInput) {
  auto rows = read_tsv("tests/calendar/errors.tsv", 7);
  EXPECT_GE(rows.size(), 25u);
  for (const auto& r : rows) {
    SCOPED_TRACE(where(r));
    std::string input = r[1] == "<empty>" ? "" : r[1];
    const HallCalendar& cal = national();
    try {
      if (r[0] == "parse_date") {
        Date::parse(input);
      } else if (r[0] == "add_working_days") {
        cal.add_working_days(Date::parse(input), std::stoi(r[2]));
      } else if (r[0] == "classify") {
        cal.classify(Date::parse(input));
      } else {
        FAIL() << "unknown op " << r[0];
      }
      ADD_FAILURE() << "no error thrown";
    } catch (const ApiError& e) {
      EXPECT_EQ(e.code(), r[3]);
      EXPECT_EQ(e.status(), std::stoi(r[4]));
      EXPECT_EQ(e.field(), r[5]);
      EXPECT_FALSE(e.message().zh.empty());
      EXPECT_FALSE(e.message().en.empty());
      if (r[6] != "-") {
        EXPECT_NE(e.message().zh.find(r[6]), std::string::npos) << e.message().zh;
        EXPECT_NE(e.message().en.find(r[6]), std::string::npos) << e.message().en;
      }
    }
  }
}

TEST(CalendarTables, WorkingTime) {
  auto rows = read_tsv("tests/calendar/working_time.tsv", 4);
  EXPECT_GE(rows.size(), 60u);
  const HallCalendar& cal = national();
  for (const auto& r : rows) {
    SCOPED_TRACE(where(r));
    const std::string& op = r[0];
    std::string got;
    auto run = [&] {
      if (op == "between") {
        got = std::to_string(cal.working_seconds_between(local(cal, r[1]), local(cal, r[2])));
      } else if (op == "next_opening") {
        got = format_local(cal, cal.next_opening(local(cal, r[1])));
      } else if (op == "add_seconds") {
        got = format_local(cal, cal.add_working_seconds(local(cal, r[1]), std::stoll(r[2])));
      } else if (op == "is_open") {
        got = cal.is_open(local(cal, r[1])) ? "1" : "0";
      } else if (op == "closing") {
        auto c = cal.closing_time(Date::parse(r[1]));
        got = c ? format_local(cal, *c) : "none";
      } else if (op == "deadline") {
        got = format_local(cal, cal.deadline_after_working_days(local(cal, r[1]), std::stoi(r[2])));
      } else {
        ADD_FAILURE() << "unknown op " << op;
      }
    };
    if (r[3].starts_with("!")) {
      EXPECT_EQ(error_code_of(run), r[3].substr(1));
      continue;
    }
    run();
    EXPECT_EQ(got, r[3]);
    // Consistency: add_working_seconds inverts working_seconds_between.
    if (op == "add_seconds") {
      Instant from = local(cal, r[1]);
      EXPECT_EQ(cal.working_seconds_between(from, local(cal, r[3])), std::stoll(r[2]));
    }
  }
}

}  // namespace
}  // namespace hall::calendar::testing
