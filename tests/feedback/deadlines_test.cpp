// C3 deadlines of complaints, as tables: the due instants on the working-day calendar
// (the hall's closing time of the working day, whatever the hour of filing) and which of
// the two deadlines is missed at a given moment (issue #11, item 7).
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "calendar/defaults.hpp"
#include "core/clock.hpp"
#include "feedback/model.hpp"
#include "support/test_support.hpp"

namespace hall::feedback {
namespace {

using calendar::Instant;

const calendar::HallCalendar& cal() {
  static const calendar::HallCalendar c(
      calendar::load_holiday_dir(test::source_path("data/holidays")),
      calendar::default_opening_hours());
  return c;
}

Millis local_ms(std::string t) {
  t[10] = 'T';
  return parse_iso8601(t + ":00+08:00", "t");
}
Instant local(const std::string& t) { return Instant{std::chrono::seconds(local_ms(t) / 1000)}; }
std::string show(Instant t) {
  std::string iso =
      iso8601_utc(static_cast<Millis>(t.time_since_epoch().count()) * 1000 + 8LL * 3600 * 1000);
  return iso.substr(0, 10) + " " + iso.substr(11, 5);
}

TEST(FeedbackDeadlines, EndAtTheHallsClosingTimeOfTheWorkingDay) {
  for (const auto& r : test::read_tsv("tests/feedback/deadlines.tsv", 4, 4)) {
    SCOPED_TRACE(r.where() + " " + r.cells[3]);
    Instant created = local(r.cells[0]);
    EXPECT_EQ(show(cal().deadline_after_working_days(created, kAckWorkingDays)), r.cells[1]);
    EXPECT_EQ(show(cal().deadline_after_working_days(created, kFeedbackWorkingDays)), r.cells[2]);
  }
}

TEST(FeedbackDeadlines, SayWhichOneIsMissed) {
  const Millis ack = local_ms("2026-12-08 17:30"), answer = local_ms("2026-12-14 17:30");
  for (const auto& r : test::read_tsv("tests/feedback/missed.tsv", 5, 5)) {
    SCOPED_TRACE(r.where());
    Millis now = local_ms(r.cells[0]);
    auto m = missed_deadlines(r.cells[1], now, ack, answer);
    EXPECT_EQ(m.ack, r.cells[2] == "yes");
    EXPECT_EQ(m.feedback, r.cells[3] == "yes");
    EXPECT_EQ(deadline_state(r.cells[1], now, ack, answer), r.cells[4]);
  }
}

}  // namespace
}  // namespace hall::feedback
