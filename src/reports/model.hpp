// Monthly reports (B5 quality targets, B6.3 time limits, B6.4 openness): pure
// rules — the month of a hall (parsing, bounds in the hall's zone, closed or
// not) and the rates. No I/O; tested as tables.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/clock.hpp"

namespace hall::reports {

// B5 targets, shown beside the figures.
inline constexpr double kOnTimeTarget = 1.0;
inline constexpr double kAccuracyTarget = 1.0;
inline constexpr double kSatisfactionTarget = 0.96;

struct Month {
  int year = 0;
  int month = 0;  // 1..12

  // Strict "YYYY-MM" (year 2000..2999, month 01..12); 400 invalid_month naming `field` otherwise.
  static Month parse(const std::string& text, const std::string& field = "month");
  // The month an instant falls in, at a fixed UTC offset.
  static Month of(Millis at, int utc_offset_minutes);
  std::string to_string() const;
  Month next() const;
  Month prev() const;
  int days() const;
  // First instant of the month in the zone (local midnight of the 1st), UTC ms.
  Millis start(int utc_offset_minutes) const;
  Millis end(int utc_offset_minutes) const { return next().start(utc_offset_minutes); }
  // Closed: the month has ended in the zone (published months only).
  bool closed(Millis now, int utc_offset_minutes) const { return end(utc_offset_minutes) <= now; }
  int index() const { return year * 12 + (month - 1); }
  bool operator==(const Month&) const = default;
};

// part / whole rounded to 4 decimals; nullopt when whole is 0 (no data — never a fake number).
std::optional<double> rate(long long part, long long whole);

// The five levels of the national 好差评 scale; satisfied = the top three (B5, documented in issue 6).
struct RatingCounts {
  long long very_satisfied = 0;   // 非常满意
  long long satisfied = 0;        // 满意
  long long fairly_satisfied = 0; // 基本满意
  long long dissatisfied = 0;     // 不满意
  long long very_dissatisfied = 0;// 非常不满意
  long long total() const {
    return very_satisfied + satisfied + fairly_satisfied + dissatisfied + very_dissatisfied;
  }
  long long satisfied_total() const { return very_satisfied + satisfied + fairly_satisfied; }
  std::optional<double> satisfaction_rate() const { return rate(satisfied_total(), total()); }
};

}  // namespace hall::reports
