// The pure rules of monthly reports (reports/model.hpp), without a database:
// months parsed and bounded in the hall's zone, closed or not, and the rates
// beside the B5 targets.
#include <gtest/gtest.h>

#include "core/error.hpp"
#include "reports/model.hpp"
#include "support/clock.hpp"

namespace hall::test {
namespace {

using reports::Month;

TEST(ReportsModel, MonthParsing) {
  EXPECT_EQ(Month::parse("2026-10").to_string(), "2026-10");
  EXPECT_EQ(Month::parse("2030-02").days(), 28);
  EXPECT_EQ(Month::parse("2028-02").days(), 29);
  EXPECT_EQ(Month::parse("2026-12").next().to_string(), "2027-01");
  EXPECT_EQ(Month::parse("2027-01").prev().to_string(), "2026-12");
  for (const char* bad : {"", "2026-1", "2026-13", "2026-00", "26-10", "2026/10", "2026-10-01", "abcd-ef", "1999-12", "２０２６-10"}) {
    try {
      Month::parse(bad);
      ADD_FAILURE() << bad;
    } catch (const ApiError& e) {
      EXPECT_EQ(e.status(), 400) << bad;
      EXPECT_EQ(e.code(), "invalid_month") << bad;
    }
  }
}

TEST(ReportsModel, MonthBoundsInTheHallsZone) {
  Month feb = Month::parse("2030-02");
  EXPECT_EQ(iso8601_utc(feb.start(480)), "2030-01-31T16:00:00.000Z");
  EXPECT_EQ(iso8601_utc(feb.end(480)), "2030-02-28T16:00:00.000Z");
  EXPECT_EQ(Month::of(at("2030-03-01T00:10:00"), 480).to_string(), "2030-03");
  EXPECT_EQ(Month::of(at("2030-02-28T23:59:59"), 480).to_string(), "2030-02");
  EXPECT_EQ(Month::of(at("2030-03-01T00:10:00"), 0).to_string(), "2030-02");
  EXPECT_FALSE(feb.closed(at("2030-02-28T23:59:59"), 480));
  EXPECT_TRUE(feb.closed(at("2030-03-01T00:00:00"), 480));
}

TEST(ReportsModel, RatesAndSatisfaction) {
  EXPECT_FALSE(reports::rate(0, 0).has_value());
  EXPECT_DOUBLE_EQ(*reports::rate(2, 3), 0.6667);
  EXPECT_DOUBLE_EQ(*reports::rate(5, 5), 1.0);
  reports::RatingCounts r{50, 30, 16, 3, 1};
  EXPECT_EQ(r.total(), 100);
  EXPECT_EQ(r.satisfied_total(), 96);
  EXPECT_DOUBLE_EQ(*r.satisfaction_rate(), 0.96);
  EXPECT_FALSE(reports::RatingCounts{}.satisfaction_rate().has_value());
}

}  // namespace
}  // namespace hall::test
