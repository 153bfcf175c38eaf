// The hall's default calendar: the national holiday files shipped in
// data/holidays/ and the opening hours most Chinese university halls keep.
#pragma once

#include <filesystem>
#include <string_view>
#include <vector>

#include "calendar/model.hpp"

namespace hall::calendar {

// The default opening hours as data (JSON, see parse_opening_hours_json):
// Mon–Fri 08:00–12:00 and 14:30–17:30; summer hours (May 1 – Sep 30)
// 08:00–12:00 and 15:00–18:00; adjusted working weekend days keep Monday's hours.
extern const std::string_view kDefaultOpeningHoursJson;
OpeningHours default_opening_hours();

// Loads every "YYYY.json" (NateScarlet/holiday-cn format) in `dir`, e.g.
// "<source or install dir>/data/holidays". Each file's "year" must match its
// name. Throws std::runtime_error when the directory is missing or holds no
// year file (a deployment error, not a user's), and ApiError for a bad file.
HolidayCalendar load_holiday_dir(const std::filesystem::path& dir);

// The hall calendar from `holidays_dir` with the default opening hours,
// the given closures and Asia/Shanghai's offset (UTC+8).
HallCalendar default_calendar(const std::filesystem::path& holidays_dir,
                              std::vector<Closure> closures = {});

}  // namespace hall::calendar
