// The hall's working-day calendar: the clock of its promises.
//
//   B6.3 (限时办结制) — a matter promised "within N working days" is due at the
//        close of the N-th working day after the day it was accepted.
//   B6.1 (首问责任制) — a first responder follows up "in principle within one
//        working day".
//
// Pure types and rules: no database, no HTTP, no clock. Everything here is
// immutable once built, so one HallCalendar can be shared by all threads.
//
// Working day rule (State Council schedules, 国务院办公厅关于部分节假日安排的通知):
//   a date is a working day if it is Monday–Friday and not a listed day off
//   (holiday), or if it is a listed adjusted working day (调休补班, a weekend day
//   that works); then the hall's own closures (寒假, 暑假, one-off closures) make
//   otherwise-working days non-working.
// A year whose holiday data was loaded is official. Any other year from 2000 to
// 2100 is PROVISIONAL (the State Council publishes each year's schedule only
// weeks before it starts; the hall must not stop while waiting): weekends off
// and the statutory holidays off — fixed dates and lunar festivals computed as
// the official Chinese calendar computes them (calendar/statutory.hpp,
// calendar/lunar.hpp); only the adjusted working days (调休) and bridge days are
// unknown. Every answer that rests on a provisional day says so
// (DayInfo::provisional, provisional_between), and callers mark what they show.
// Only dates outside both (before 2000, after 2100) are refused: ApiError 422
// `calendar_year_out_of_range`.
#pragma once

#include <array>
#include <chrono>
#include <compare>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace hall::calendar {

// An instant in UTC, to the second.
using Instant = std::chrono::sys_seconds;

// A calendar date (proleptic Gregorian), stored as days since 1970-01-01.
class Date {
 public:
  constexpr Date() = default;  // 1970-01-01
  static Date from_days(std::chrono::sys_days days);
  // Throws errors::invalid_date (field) when y-m-d is not a real date.
  static Date from_ymd(int year, int month, int day, std::string_view field = "date");
  // Strict "YYYY-MM-DD" (exactly 4-2-2 digits, a real date, year 1000–9999).
  // Throws errors::invalid_date (field).
  static Date parse(std::string_view text, std::string_view field = "date");

  std::chrono::sys_days sys_days() const { return std::chrono::sys_days{std::chrono::days{days_}}; }
  std::chrono::year_month_day ymd() const { return std::chrono::year_month_day{sys_days()}; }
  int year() const;
  unsigned month() const;
  unsigned day() const;
  // 1 = Monday … 7 = Sunday (ISO 8601).
  unsigned iso_weekday() const;
  bool is_weekend() const { return iso_weekday() >= 6; }
  Date add_days(int n) const { return Date(days_ + n); }
  // Days since 1970-01-01 (negative before).
  std::int32_t serial() const { return days_; }
  std::string to_string() const;  // "YYYY-MM-DD"

  friend constexpr auto operator<=>(Date, Date) = default;
  friend constexpr bool operator==(Date, Date) = default;
  // b - a in days.
  friend constexpr int operator-(Date b, Date a) { return b.days_ - a.days_; }

 private:
  explicit constexpr Date(std::int32_t days) : days_(days) {}
  std::int32_t days_ = 0;
};

// ---------------------------------------------------------------------------
// Holiday data (national): days off and adjusted working days, plus coverage.

struct HolidayEntry {
  Date date;
  std::string name;  // e.g. "春节", "国庆节、中秋节"
  bool is_off_day;   // true: a day off; false: a weekend day that is worked (补班)
};

// What one source (a holiday-cn JSON file, an .ics file) says.
struct HolidayData {
  std::set<int> years;  // the years this source fully describes
  std::vector<HolidayEntry> days;
};

// Parses one NateScarlet/holiday-cn file:
//   {"year":2026,"papers":[…],"days":[{"name":"春节","date":"2026-02-15","isOffDay":true},…]}
// Coverage is the file's `year` only, even when it lists dates of the previous
// December. Throws errors::invalid_holiday_file (field).
HolidayData load_holiday_cn_json(std::string_view json);

// Parses an iCalendar (RFC 5545) file of all-day events, as published by the
// public Chinese holiday calendars. Convention:
//  - each VEVENT covers DTSTART (VALUE=DATE, "YYYYMMDD") up to DTEND, which is
//    exclusive (RFC 5545); without DTEND, a DURATION "P<n>D" or one day;
//  - an event is an adjusted WORKING day (补班) when, in this order:
//      1. X-HALL-WORKDAY:TRUE  (FALSE forces a day off) — our own extension;
//      2. its SUMMARY contains "班" (补班, 上班, "(班)");
//      3. its CATEGORIES contain "Business Day", "工作日" or a word with "班"
//         (e.g. baranwang/chinese-holidays-calendar tags 补班 days
//         "SUMMARY:春节调休" + "CATEGORIES:调休,Business Day");
//    otherwise it is a day off — except that a SUMMARY saying only "调休"
//    (without 放假/休息/假期/班 or a category) is ambiguous and rejected, since
//    calendars use "调休" for both sides of the swap;
//  - the name is the SUMMARY without trailing markers (放假, 调休, 补班, 上班,
//    假期, 休息, "(休)", "(班)"): "国庆节、中秋节调休" → "国庆节、中秋节";
//  - STATUS:CANCELLED events are skipped; recurring events (RRULE) and
//    date-times in UTC ("…T…Z") are rejected;
//  - coverage: `covered_years` if not empty; else a calendar-level
//    "X-HALL-COVERS:2025,2026"; else every year with a listed date in
//    January–November (December dates may belong to next year's 元旦).
// Throws errors::invalid_ics.
HolidayData parse_ics(std::string_view ics, std::set<int> covered_years = {});

// The merged national data of several sources.
class HolidayCalendar {
 public:
  HolidayCalendar() = default;
  explicit HolidayCalendar(HolidayData data) { merge(std::move(data)); }
  HolidayCalendar(std::vector<HolidayEntry> days, std::set<int> covered_years)
      : HolidayCalendar(HolidayData{std::move(covered_years), std::move(days)}) {}

  // Adds a source: its years become covered; on a date listed twice the
  // source merged last wins (so a local .ics can correct the national data).
  void merge(HolidayData data);

  bool covers(int year) const { return years_.contains(year); }
  const std::set<int>& covered_years() const { return years_; }
  // The entry for that date, or nullptr for an ordinary day.
  const HolidayEntry* find(Date date) const;
  const std::vector<HolidayEntry>& entries() const { return days_; }  // sorted by date

 private:
  std::vector<HolidayEntry> days_;
  std::set<int> years_;
};

// How far the official data reaches from `today`, and whether it is time to ask
// for next year's schedule: from 60 days before the last covered date, the
// administrator and the teacher are asked to import it (ICS import).
struct CoverageStatus {
  std::optional<Date> covered_through;  // the last day of the official run that holds today
  Date provisional_from;                // the first day from today without official data
  Date ask_from;                        // from this day on, ask for the import
  bool import_due = false;              // today >= ask_from
  bool today_provisional = false;
};
inline constexpr int kImportReminderDays = 60;
CoverageStatus coverage_status(const HolidayCalendar& holidays, Date today);

// ---------------------------------------------------------------------------
// The hall's own rules: closures and opening hours.

// A closure of the hall, first..last inclusive (寒假, 暑假, one-off closure).
struct Closure {
  Date first;
  Date last;
  std::string name;
};

// A period of local time within a day, [begin, end) in seconds since midnight.
struct TimeRange {
  int begin;
  int end;
  friend bool operator==(const TimeRange&, const TimeRange&) = default;
};
using DayHours = std::vector<TimeRange>;  // sorted, disjoint

// Parses "08:00-12:00" (end may be "24:00"). Throws errors::invalid_hours (field).
TimeRange parse_time_range(std::string_view text, std::string_view field = "hours");

struct WeeklyHours {
  std::array<DayHours, 7> days;  // [0] Monday … [6] Sunday
  const DayHours& on(unsigned iso_weekday) const { return days[iso_weekday - 1]; }
  DayHours& on(unsigned iso_weekday) { return days[iso_weekday - 1]; }
};

struct MonthDay {
  unsigned month;
  unsigned day;
  friend constexpr auto operator<=>(const MonthDay&, const MonthDay&) = default;
};

// Hours that replace the regular week every year from `from` to `to`
// (inclusive; may wrap the year end, e.g. 11-01 to 02-28).
struct SeasonalHours {
  std::string name;
  MonthDay from;
  MonthDay to;
  WeeklyHours weekly;
  bool contains(Date date) const;
};

struct OpeningHours {
  WeeklyHours regular;
  std::vector<SeasonalHours> seasons;  // the first season containing a date wins
  // An adjusted working day (a weekend day that works) that has no hours of its
  // own uses the hours of this weekday (1 = Monday).
  unsigned adjusted_workday_as = 1;

  const WeeklyHours& weekly_for(Date date) const;
  // The hours of a date, assuming it is a working day.
  const DayHours& hours_for(Date date, bool adjusted_workday) const;
};

// Parses opening hours from JSON:
//   {"adjusted_workday_as":"mon",
//    "weekly":{"mon":["08:00-12:00","14:30-17:30"],…},      (missing day: closed)
//    "seasons":[{"name":"夏季作息","from":"05-01","to":"09-30","weekly":{…}}]}
// Throws errors::invalid_hours (field).
OpeningHours parse_opening_hours_json(std::string_view json);

// ---------------------------------------------------------------------------
// Classification and arithmetic.

enum class DayReason : std::uint8_t { workday, weekend, holiday, adjusted_workday, closure };
std::string_view to_string(DayReason reason);  // "workday", "weekend", …

struct DayInfo {
  Date date;
  bool is_working;
  DayReason reason;
  std::string name;  // holiday, 调休 or closure name; empty for workday/weekend
  bool provisional = false;  // the year has no official data: computed from the law
};

// A hall's calendar: national holidays + its closures + its opening hours,
// precomputed into one row per day of the covered years with running totals,
// so every query is a table lookup or a binary search (no day-by-day loops).
class HallCalendar {
 public:
  HallCalendar(HolidayCalendar holidays, OpeningHours hours, std::vector<Closure> closures = {},
               std::chrono::seconds utc_offset = std::chrono::hours(8));  // Asia/Shanghai

  // --- days. All throw ApiError 422 "calendar_year_out_of_range" (with
  // `field`) for a date outside the table (no data, and not 2000–2100).
  DayInfo classify(Date date, std::string_view field = "date") const;
  bool is_working_day(Date date, std::string_view field = "date") const;
  // B6.3: the n-th working day after `start`; `start` itself never counts, so a
  // matter accepted on a holiday with n = 1 is due on the first working day.
  // n = 0 returns `start` itself (even if it is not a working day).
  // n < 0 or n > 3650 → errors::invalid_working_days ("n").
  // Running past the table → calendar_year_out_of_range.
  Date add_working_days(Date start, int n, std::string_view field = "date") const;
  // Whether the date's year has no official data (its answers are provisional).
  bool is_provisional(Date date, std::string_view field = "date") const;
  // Whether any day in [from, to] (either order) is provisional: an answer
  // computed over that span (a due date, a working time) is provisional.
  bool provisional_between(Date from, Date to) const;
  bool provisional_between(Instant from, Instant to) const {
    return provisional_between(local_date(from), local_date(to));
  }
  // Working days in (from, to]; negative when to < from.
  int working_days_between(Date from, Date to, std::string_view field = "date") const;

  // --- hours (local time of the hall)
  // The opening hours of a date; empty on a non-working day.
  const DayHours& hours_on(Date date, std::string_view field = "date") const;
  // The first opening / last closing instant of the date; nullopt if the hall is
  // not open that day. closing_time is "before the hall closes that day".
  std::optional<Instant> opening_time(Date date, std::string_view field = "date") const;
  std::optional<Instant> closing_time(Date date, std::string_view field = "date") const;

  // --- instants
  std::chrono::seconds utc_offset() const { return offset_; }
  Date local_date(Instant t) const;
  // The instant of a local wall-clock time (seconds since local midnight; 86400 allowed).
  Instant at(Date date, int seconds_of_day) const;
  bool is_open(Instant t, std::string_view field = "time") const;
  // The next instant the hall is open: t itself if open now.
  Instant next_opening(Instant t, std::string_view field = "time") const;
  // Open time (seconds within opening hours of working days) in [a, b);
  // negative when b < a.
  std::int64_t working_seconds_between(Instant a, Instant b, std::string_view field = "time") const;
  // The earliest instant u >= t with working_seconds_between(t, u) == seconds
  // (so a total that ends exactly at 12:00 gives 12:00, not 14:30).
  // seconds < 0 → errors::invalid_working_seconds.
  Instant add_working_seconds(Instant t, std::int64_t seconds,
                              std::string_view field = "time") const;
  // B6.3 due instant: the closing time of the n-th working day after the local
  // date of `start`. With n = 0: the close of that day if it is a working day,
  // otherwise of the next working day. A working day without opening hours
  // closes at local midnight.
  Instant deadline_after_working_days(Instant start, int n, std::string_view field = "time") const;

  const HolidayCalendar& holidays() const { return holidays_; }
  const OpeningHours& opening_hours() const { return hours_; }
  const std::vector<Closure>& closures() const { return closures_; }

 private:
  struct Row {
    bool covered = false;      // known: official data or provisional
    bool provisional = false;  // known from the law only (no official data for the year)
    bool working = false;
    DayReason reason = DayReason::workday;
    std::uint16_t name = 0;   // index into names_
    std::uint16_t hours = 0;  // index into day_hours_
  };

  std::int64_t index_of(Date date, std::string_view field) const;  // throws when not covered
  std::int64_t open_before(std::int64_t row, int seconds_of_day) const;
  void require_covered_between(std::int64_t from_row, std::int64_t to_row,
                               std::string_view field) const;  // rows (from, to]
  [[noreturn]] void throw_unknown_year(int year, std::string_view field) const;
  [[noreturn]] void throw_past_coverage(std::int64_t from_row, std::string_view field) const;

  HolidayCalendar holidays_;
  OpeningHours hours_;
  std::vector<Closure> closures_;
  std::chrono::seconds offset_;

  Date first_;             // the first day of the table (Jan 1 of the first covered year)
  std::vector<Row> rows_;  // one per day
  std::vector<std::int32_t> cum_work_;  // working days in rows [0, i)
  std::vector<std::int32_t> cum_gap_;   // uncovered days in rows [0, i)
  std::vector<std::int32_t> cum_prov_;  // provisional days in rows [0, i)
  std::vector<std::int64_t> cum_open_;  // open seconds in rows [0, i)
  std::vector<std::string> names_;
  std::vector<DayHours> day_hours_;  // [0] is "closed"
};

}  // namespace hall::calendar
