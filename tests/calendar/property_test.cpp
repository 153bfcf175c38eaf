// Cross-checks of the precomputed tables against naive day-by-day and
// second-by-second definitions, and the speed the lists need.
#include <chrono>
#include <random>

#include "fixtures.hpp"

namespace hall::calendar::testing {
namespace {

// The definition, one day at a time.
Date naive_add_working_days(const HallCalendar& cal, Date start, int n) {
  Date d = start;
  while (n > 0) {
    d = d.add_days(1);
    if (cal.classify(d).is_working) --n;
  }
  return d;
}

TEST(CalendarProperties, AddWorkingDaysMatchesTheDefinitionEverywhere) {
  int checked = 0;
  for (const HallCalendar* cal : {&national(), &hall_with_closures()}) {
    for (Date d = Date::parse("2023-01-01"); d <= Date::parse("2026-11-30"); d = d.add_days(1)) {
      for (int n : {0, 1, 2, 3, 5, 10, 15, 20}) {
        ASSERT_EQ(cal->add_working_days(d, n), naive_add_working_days(*cal, d, n))
            << d.to_string() << " + " << n;
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 20000);
}

TEST(CalendarProperties, WorkingDaysPerYear) {
  // Counted by hand from the notices: e.g. 2026 has 261 weekdays, 19 of them
  // holidays, plus 6 adjusted weekend days = 248. (January 1 is a holiday every
  // year, so (Jan 1, Dec 31] counts the whole year.)
  auto per_year = [](int y) {
    EXPECT_FALSE(national().is_working_day(Date::from_ymd(y, 1, 1)));
    return national().working_days_between(Date::from_ymd(y, 1, 1), Date::from_ymd(y, 12, 31));
  };
  EXPECT_EQ(per_year(2023), 249);
  EXPECT_EQ(per_year(2024), 251);
  EXPECT_EQ(per_year(2025), 248);
  EXPECT_EQ(per_year(2026), 248);
}

// Open seconds by brute force, minute by minute (times here are whole minutes).
std::int64_t naive_between(const HallCalendar& cal, Instant a, Instant b) {
  std::int64_t total = 0;
  for (Instant t = a; t < b; t += std::chrono::minutes(1))
    if (cal.is_open(t)) total += 60;
  return total;
}

TEST(CalendarProperties, WorkingSecondsMatchBruteForce) {
  const HallCalendar& cal = hall_with_closures();
  std::mt19937 rng(20260214);
  Instant base = cal.at(Date::parse("2026-01-01"), 0);
  std::uniform_int_distribution<int> minute(0, 364 * 24 * 60);
  std::uniform_int_distribution<int> span(0, 10 * 24 * 60);
  for (int i = 0; i < 300; ++i) {
    Instant a = base + std::chrono::minutes(minute(rng));
    Instant b = a + std::chrono::minutes(span(rng));
    if (cal.local_date(b).year() > 2026) continue;
    SCOPED_TRACE(format_local(cal, a) + " .. " + format_local(cal, b));
    std::int64_t w = cal.working_seconds_between(a, b);
    ASSERT_EQ(w, naive_between(cal, a, b));
    // add_working_seconds inverts it, and returns the earliest such instant.
    Instant u = cal.add_working_seconds(a, w);
    EXPECT_EQ(cal.working_seconds_between(a, u), w);
    EXPECT_LE(u, b);
    if (w > 0) {
      EXPECT_EQ(cal.working_seconds_between(a, u - std::chrono::seconds(1)), w - 1);
      EXPECT_TRUE(cal.is_open(u - std::chrono::seconds(1)));
    }
    // next_opening is open (or a is already open), and nothing is open in between.
    Instant n = cal.next_opening(a);
    EXPECT_TRUE(cal.is_open(n));
    EXPECT_EQ(cal.working_seconds_between(a, n), 0);
  }
}

TEST(CalendarProperties, FastEnoughForEveryList) {
  const HallCalendar& cal = national();
  Date start = Date::parse("2024-01-02");
  auto t0 = std::chrono::steady_clock::now();
  Date sink;
  constexpr int kCalls = 20000;
  for (int i = 0; i < kCalls; ++i) sink = cal.add_working_days(start.add_days(i % 300), 250);
  auto per_call = (std::chrono::steady_clock::now() - t0) / kCalls;
  EXPECT_GT(sink, start);
  // A day-by-day loop takes a few µs; the table search well under one. Generous
  // ceiling so that a loaded CI machine or a debug build still passes.
  EXPECT_LT(per_call, std::chrono::microseconds(20))
      << std::chrono::duration_cast<std::chrono::nanoseconds>(per_call).count() << " ns per call";
  std::printf("add_working_days(n=250): %lld ns per call\n",
              static_cast<long long>(
                  std::chrono::duration_cast<std::chrono::nanoseconds>(per_call).count()));

  Instant a = cal.at(Date::parse("2024-01-02"), 9 * 3600);
  t0 = std::chrono::steady_clock::now();
  std::int64_t acc = 0;
  for (int i = 0; i < kCalls; ++i)
    acc += cal.working_seconds_between(a, a + std::chrono::hours(24 * (i % 700)));
  per_call = (std::chrono::steady_clock::now() - t0) / kCalls;
  EXPECT_GT(acc, 0);
  EXPECT_LT(per_call, std::chrono::microseconds(20));
  std::printf("working_seconds_between: %lld ns per call\n",
              static_cast<long long>(
                  std::chrono::duration_cast<std::chrono::nanoseconds>(per_call).count()));
}

}  // namespace
}  // namespace hall::calendar::testing
