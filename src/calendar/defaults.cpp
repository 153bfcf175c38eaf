#include "calendar/defaults.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace hall::calendar {

const std::string_view kDefaultOpeningHoursJson = R"json({
  "adjusted_workday_as": "mon",
  "weekly": {
    "mon": ["08:00-12:00", "14:30-17:30"],
    "tue": ["08:00-12:00", "14:30-17:30"],
    "wed": ["08:00-12:00", "14:30-17:30"],
    "thu": ["08:00-12:00", "14:30-17:30"],
    "fri": ["08:00-12:00", "14:30-17:30"]
  },
  "seasons": [
    {
      "name": "夏季作息",
      "from": "05-01",
      "to": "09-30",
      "weekly": {
        "mon": ["08:00-12:00", "15:00-18:00"],
        "tue": ["08:00-12:00", "15:00-18:00"],
        "wed": ["08:00-12:00", "15:00-18:00"],
        "thu": ["08:00-12:00", "15:00-18:00"],
        "fri": ["08:00-12:00", "15:00-18:00"]
      }
    }
  ]
})json";

OpeningHours default_opening_hours() { return parse_opening_hours_json(kDefaultOpeningHoursJson); }

HolidayCalendar load_holiday_dir(const std::filesystem::path& dir) {
  namespace fs = std::filesystem;
  if (!fs::is_directory(dir))
    throw std::runtime_error("holiday data directory not found: " + dir.string());
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const auto& p = entry.path();
    std::string stem = p.stem().string();
    if (entry.is_regular_file() && p.extension() == ".json" && stem.size() == 4 &&
        std::all_of(stem.begin(), stem.end(), [](char c) { return c >= '0' && c <= '9'; }))
      files.push_back(p);
  }
  if (files.empty()) throw std::runtime_error("no YYYY.json holiday file in " + dir.string());
  std::sort(files.begin(), files.end());  // later years win on a shared date
  HolidayCalendar cal;
  for (const auto& p : files) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    if (!in) throw std::runtime_error("cannot read " + p.string());
    HolidayData data = load_holiday_cn_json(text.str());
    if (data.years != std::set<int>{std::stoi(p.stem().string())})
      throw std::runtime_error(p.string() + ": its \"year\" does not match the file name");
    cal.merge(std::move(data));
  }
  return cal;
}

HallCalendar default_calendar(const std::filesystem::path& holidays_dir,
                              std::vector<Closure> closures) {
  return HallCalendar(load_holiday_dir(holidays_dir), default_opening_hours(), std::move(closures));
}

}  // namespace hall::calendar
