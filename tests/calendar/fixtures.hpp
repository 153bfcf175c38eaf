// Shared helpers for the calendar tests: the calendars under test, local-time
// parsing and ApiError matching (tables: hall::test::read_tsv).
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "calendar/defaults.hpp"
#include "calendar/model.hpp"
#include "core/config.hpp"
#include "core/error.hpp"
#include "support/test_support.hpp"

namespace hall::calendar::testing {

inline std::filesystem::path source_dir() { return hall::source_dir(); }

using hall::test::read_tsv;
using hall::test::TsvRow;

inline const HolidayCalendar& shipped_holidays() {
  static const HolidayCalendar h = load_holiday_dir(source_dir() / "data" / "holidays");
  return h;
}

// Holidays + default opening hours, no closures.
inline const HallCalendar& national() {
  static const HallCalendar c(shipped_holidays(), default_opening_hours());
  return c;
}

inline std::vector<Closure> test_closures() {
  return {{Date::parse("2026-02-09"), Date::parse("2026-03-01"), "寒假"},
          {Date::parse("2026-06-05"), Date::parse("2026-06-05"), "设备检修"},
          {Date::parse("2026-07-13"), Date::parse("2026-08-30"), "暑假"}};
}

// With the closures of due_dates.tsv / classify.tsv.
inline const HallCalendar& hall_with_closures() {
  static const HallCalendar c(shipped_holidays(), default_opening_hours(), test_closures());
  return c;
}

inline const HallCalendar& calendar_named(const std::string& name) {
  if (name == "national") return national();
  if (name == "hall") return hall_with_closures();
  ADD_FAILURE() << "unknown calendar " << name;
  return national();
}

// "YYYY-MM-DD HH:MM[:SS]" in the calendar's local time.
inline Instant local(const HallCalendar& cal, const std::string& text) {
  Date d = Date::parse(text.substr(0, 10));
  int h = std::stoi(text.substr(11, 2)), m = std::stoi(text.substr(14, 2));
  int s = text.size() > 16 ? std::stoi(text.substr(17, 2)) : 0;
  return cal.at(d, h * 3600 + m * 60 + s);
}

inline std::string format_local(const HallCalendar& cal, Instant t) {
  Date d = cal.local_date(t);
  auto sod = (t - cal.at(d, 0)).count();
  char buf[64];
  if (sod % 60)
    std::snprintf(buf, sizeof buf, " %02lld:%02lld:%02lld", static_cast<long long>(sod / 3600),
                  static_cast<long long>(sod / 60 % 60), static_cast<long long>(sod % 60));
  else
    std::snprintf(buf, sizeof buf, " %02lld:%02lld", static_cast<long long>(sod / 3600),
                  static_cast<long long>(sod / 60 % 60));
  return d.to_string() + buf;
}

// The code of the ApiError `f` throws, or "(no error)" / "(other exception)".
inline std::string error_code_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const ApiError& e) {
    return e.code();
  } catch (...) {
    return "(other exception)";
  }
  return "(no error)";
}

}  // namespace hall::calendar::testing
