#include "calendar/model.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <charconv>
#include <map>

#include "calendar/errors.hpp"
#include "calendar/statutory.hpp"
#include "calendar/text_util.hpp"
#include "core/error.hpp"

namespace hall::calendar {

namespace json = boost::json;
using namespace std::chrono;

namespace {

using detail::all_digits;
using detail::to_int;

constexpr int kMaxWorkingDays = 3650;
constexpr std::int64_t kDay = 86400;

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

ApiError invalid_date(std::string_view text, std::string_view field) {
  std::string t(text.substr(0, 40));
  return errors::invalid_date.with(std::string(field), t, errors::date_format);
}

}  // namespace

// ---------------------------------------------------------------------------
// Date

Date Date::from_days(std::chrono::sys_days d) {
  return Date(static_cast<std::int32_t>(d.time_since_epoch().count()));
}

Date Date::from_ymd(int y, int m, int d, std::string_view field) {
  std::chrono::year_month_day ymd{std::chrono::year{y},
                                  std::chrono::month{static_cast<unsigned>(m)},
                                  std::chrono::day{static_cast<unsigned>(d)}};
  if (m < 1 || m > 12 || d < 1 || d > 31 || !ymd.ok()) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
    throw invalid_date(buf, field);
  }
  return from_days(std::chrono::sys_days{ymd});
}

Date Date::parse(std::string_view text, std::string_view field) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !all_digits(text.substr(0, 4)) ||
      !all_digits(text.substr(5, 2)) || !all_digits(text.substr(8, 2)) || text[0] == '0')
    throw invalid_date(text, field);
  int y = to_int(text.substr(0, 4)), m = to_int(text.substr(5, 2)), d = to_int(text.substr(8, 2));
  std::chrono::year_month_day ymd{std::chrono::year{y},
                                  std::chrono::month{static_cast<unsigned>(m)},
                                  std::chrono::day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) throw invalid_date(text, field);
  return from_days(std::chrono::sys_days{ymd});
}

int Date::year() const { return static_cast<int>(ymd().year()); }
unsigned Date::month() const { return static_cast<unsigned>(ymd().month()); }
unsigned Date::day() const { return static_cast<unsigned>(ymd().day()); }
unsigned Date::iso_weekday() const { return std::chrono::weekday{sys_days()}.iso_encoding(); }

std::string Date::to_string() const {
  auto ymd = this->ymd();
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buf;
}

// ---------------------------------------------------------------------------
// HolidayCalendar

void HolidayCalendar::merge(HolidayData data) {
  std::map<Date, HolidayEntry> by_date;
  for (auto& e : days_) by_date.insert_or_assign(e.date, std::move(e));
  for (auto& e : data.days) by_date.insert_or_assign(e.date, std::move(e));
  days_.clear();
  days_.reserve(by_date.size());
  for (auto& [d, e] : by_date) days_.push_back(std::move(e));
  years_.merge(data.years);
}

const HolidayEntry* HolidayCalendar::find(Date date) const {
  auto it = std::lower_bound(days_.begin(), days_.end(), date,
                             [](const HolidayEntry& e, Date d) { return e.date < d; });
  return it != days_.end() && it->date == date ? &*it : nullptr;
}

CoverageStatus coverage_status(const HolidayCalendar& holidays, Date today) {
  CoverageStatus st;
  int y = today.year();
  while (holidays.covers(y)) ++y;
  if (y > today.year()) st.covered_through = Date::from_ymd(y - 1, 12, 31);
  st.provisional_from = st.covered_through ? st.covered_through->add_days(1) : today;
  st.today_provisional = !st.covered_through;
  st.ask_from = st.covered_through ? st.covered_through->add_days(-kImportReminderDays) : today;
  st.import_due = today >= st.ask_from;
  return st;
}

// ---------------------------------------------------------------------------
// Opening hours

TimeRange parse_time_range(std::string_view text, std::string_view field) {
  auto fail = [&] {
    std::string t(text.substr(0, 40));
    return errors::invalid_hours.with(
        std::string(field),
        Text{"“" + t + "”应为 HH:MM-HH:MM", "\"" + t + "\": expected HH:MM-HH:MM"});
  };
  auto hhmm = [&](std::string_view s) {
    if (s.size() != 5 || s[2] != ':' || !all_digits(s.substr(0, 2)) || !all_digits(s.substr(3, 2)))
      throw fail();
    int h = to_int(s.substr(0, 2)), m = to_int(s.substr(3, 2));
    if (m > 59 || h > 24 || (h == 24 && m != 0)) throw fail();
    return h * 3600 + m * 60;
  };
  if (text.size() != 11 || text[5] != '-') throw fail();
  TimeRange r{hhmm(text.substr(0, 5)), hhmm(text.substr(6, 5))};
  if (r.begin >= r.end) throw fail();
  return r;
}

bool SeasonalHours::contains(Date date) const {
  MonthDay md{date.month(), date.day()};
  return from <= to ? (from <= md && md <= to) : (md >= from || md <= to);
}

const WeeklyHours& OpeningHours::weekly_for(Date date) const {
  for (const auto& s : seasons)
    if (s.contains(date)) return s.weekly;
  return regular;
}

const DayHours& OpeningHours::hours_for(Date date, bool adjusted_workday) const {
  const WeeklyHours& w = weekly_for(date);
  const DayHours& own = w.on(date.iso_weekday());
  if (adjusted_workday && own.empty()) return w.on(adjusted_workday_as);
  return own;
}

namespace {

constexpr std::string_view kWeekdays[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

ApiError invalid_hours(const std::string& zh, const std::string& en, std::string field) {
  return errors::invalid_hours.with(std::move(field), Text{zh, en});
}

unsigned weekday_of(const json::value& v, const std::string& field) {
  if (v.is_string()) {
    for (unsigned i = 0; i < 7; ++i)
      if (v.as_string() == kWeekdays[i]) return i + 1;
  }
  throw invalid_hours("应为 mon…sun", "expected mon…sun", field);
}

WeeklyHours weekly_of(const json::value& v, const std::string& field) {
  const auto* obj = v.if_object();
  if (!obj) throw invalid_hours(field + " 应为对象", field + " must be an object", field);
  WeeklyHours w;
  for (const auto& [key, ranges] : *obj) {
    unsigned wd = weekday_of(json::value(key), field + "." + std::string(key));
    std::string f = field + "." + std::string(key);
    if (!ranges.is_array()) throw invalid_hours(f + " 应为数组", f + " must be an array", f);
    DayHours& day = w.on(wd);
    for (const auto& r : ranges.as_array()) {
      if (!r.is_string()) throw invalid_hours(f + " 应为字符串数组", f + " must hold strings", f);
      const auto& s = r.as_string();
      day.push_back(parse_time_range(std::string_view(s.data(), s.size()), f));
    }
    std::sort(day.begin(), day.end(), [](auto& a, auto& b) { return a.begin < b.begin; });
    for (std::size_t i = 1; i < day.size(); ++i)
      if (day[i].begin < day[i - 1].end)
        throw invalid_hours(f + " 时间段重叠", f + " has overlapping periods", f);
  }
  return w;
}

MonthDay month_day_of(const json::value& v, const std::string& field) {
  if (v.is_string()) {
    std::string_view s(v.as_string().data(), v.as_string().size());
    if (s.size() == 5 && s[2] == '-' && all_digits(s.substr(0, 2)) && all_digits(s.substr(3, 2))) {
      MonthDay md{static_cast<unsigned>(to_int(s.substr(0, 2))),
                  static_cast<unsigned>(to_int(s.substr(3, 2)))};
      if (std::chrono::month_day{month{md.month}, day{md.day}}.ok()) return md;
    }
  }
  throw invalid_hours(field + " 应为 MM-DD", field + " must be MM-DD", field);
}

}  // namespace

OpeningHours parse_opening_hours_json(std::string_view text) {
  boost::system::error_code ec;
  json::value root = json::parse(json::string_view(text.data(), text.size()), ec);
  if (ec || !root.is_object()) throw invalid_hours("不是 JSON 对象", "not a JSON object", {});
  const auto& obj = root.as_object();
  OpeningHours h;
  if (const auto* w = obj.if_contains("weekly")) h.regular = weekly_of(*w, "weekly");
  if (const auto* a = obj.if_contains("adjusted_workday_as"))
    h.adjusted_workday_as = weekday_of(*a, "adjusted_workday_as");
  if (const auto* seasons = obj.if_contains("seasons")) {
    if (!seasons->is_array())
      throw invalid_hours("seasons 应为数组", "seasons must be an array", "seasons");
    std::size_t i = 0;
    for (const auto& s : seasons->as_array()) {
      std::string f = "seasons[" + std::to_string(i++) + "]";
      const auto* so = s.if_object();
      if (!so || !so->contains("from") || !so->contains("to") || !so->contains("weekly"))
        throw invalid_hours(f + " 应含 from、to、weekly", f + " needs from, to and weekly", f);
      SeasonalHours sh;
      if (const auto* n = so->if_contains("name"); n && n->is_string()) sh.name = n->as_string();
      sh.from = month_day_of(so->at("from"), f + ".from");
      sh.to = month_day_of(so->at("to"), f + ".to");
      sh.weekly = weekly_of(so->at("weekly"), f + ".weekly");
      h.seasons.push_back(std::move(sh));
    }
  }
  return h;
}

// ---------------------------------------------------------------------------
// HallCalendar

std::string_view to_string(DayReason r) {
  switch (r) {
    case DayReason::workday:
      return "workday";
    case DayReason::weekend:
      return "weekend";
    case DayReason::holiday:
      return "holiday";
    case DayReason::adjusted_workday:
      return "adjusted_workday";
    case DayReason::closure:
      return "closure";
  }
  return "unknown";
}

HallCalendar::HallCalendar(HolidayCalendar holidays, OpeningHours hours,
                           std::vector<Closure> closures, std::chrono::seconds utc_offset)
    : holidays_(std::move(holidays)),
      hours_(std::move(hours)),
      closures_(std::move(closures)),
      offset_(utc_offset) {
  for (const auto& c : closures_)
    if (c.last < c.first) throw errors::invalid_closure.with("closures", c.name);
  names_.emplace_back();
  day_hours_.emplace_back();
  auto intern_name = [&](const std::string& n) {
    auto it = std::find(names_.begin(), names_.end(), n);
    if (it != names_.end()) return static_cast<std::uint16_t>(it - names_.begin());
    names_.push_back(n);
    return static_cast<std::uint16_t>(names_.size() - 1);
  };
  auto intern_hours = [&](const DayHours& h) {
    auto it = std::find(day_hours_.begin(), day_hours_.end(), h);
    if (it != day_hours_.end()) return static_cast<std::uint16_t>(it - day_hours_.begin());
    day_hours_.push_back(h);
    return static_cast<std::uint16_t>(day_hours_.size() - 1);
  };

  // The table: every year with data, and every year a provisional calendar is
  // computed for (statutory.hpp), whichever reaches further.
  const auto& years = holidays_.covered_years();
  int first_year = kProvisionalFirstYear, last_year = kProvisionalLastYear;
  if (!years.empty()) {
    first_year = std::min(first_year, *years.begin());
    last_year = std::max(last_year, *years.rbegin());
  }
  first_ = Date::from_ymd(first_year, 1, 1);
  rows_.resize(static_cast<std::size_t>(Date::from_ymd(last_year + 1, 1, 1) - first_));
  int statutory_year = 0;
  const std::vector<HolidayEntry>* statutory = nullptr;
  for (std::size_t i = 0; i < rows_.size(); ++i) {
    Date d = first_.add_days(static_cast<int>(i));
    Row& r = rows_[i];
    const int y = d.year();
    r.covered = holidays_.covers(y);
    const HolidayEntry* e = holidays_.find(d);  // official, also a listed date of a provisional year
    if (!r.covered && y >= kProvisionalFirstYear && y <= kProvisionalLastYear) {
      r.covered = r.provisional = true;
      if (statutory_year != y) {
        statutory_year = y;
        statutory = &statutory_holidays(y);
      }
      if (!e) {
        auto it = std::lower_bound(statutory->begin(), statutory->end(), d,
                                   [](const HolidayEntry& h, Date x) { return h.date < x; });
        if (it != statutory->end() && it->date == d) e = &*it;
      }
    }
    if (!r.covered) continue;
    if (e) {
      r.working = !e->is_off_day;
      r.reason = e->is_off_day ? DayReason::holiday : DayReason::adjusted_workday;
      r.name = intern_name(e->name);
    } else {
      r.working = !d.is_weekend();
      r.reason = r.working ? DayReason::workday : DayReason::weekend;
    }
    if (r.working) {
      for (const auto& c : closures_) {
        if (c.first <= d && d <= c.last) {
          r.working = false;
          r.reason = DayReason::closure;
          r.name = intern_name(c.name);
          break;
        }
      }
    }
    if (r.working) r.hours = intern_hours(hours_.hours_for(d, r.reason == DayReason::adjusted_workday));
  }
  cum_work_.assign(rows_.size() + 1, 0);
  cum_gap_.assign(rows_.size() + 1, 0);
  cum_prov_.assign(rows_.size() + 1, 0);
  cum_open_.assign(rows_.size() + 1, 0);
  for (std::size_t i = 0; i < rows_.size(); ++i) {
    std::int64_t open = 0;
    for (const auto& t : day_hours_[rows_[i].hours]) open += t.end - t.begin;
    cum_work_[i + 1] = cum_work_[i] + (rows_[i].working ? 1 : 0);
    cum_gap_[i + 1] = cum_gap_[i] + (rows_[i].covered ? 0 : 1);
    cum_prov_[i + 1] = cum_prov_[i] + (rows_[i].provisional ? 1 : 0);
    cum_open_[i + 1] = cum_open_[i] + open;
  }
}

void HallCalendar::throw_unknown_year(int year, std::string_view field) const {
  throw errors::calendar_year_out_of_range.with(std::string(field), year);
}

void HallCalendar::throw_past_coverage(std::int64_t from_row, std::string_view field) const {
  // The first uncovered day after from_row, or the year after the table.
  auto target = cum_gap_[from_row + 1] + 1;
  auto it = std::lower_bound(cum_gap_.begin(), cum_gap_.end(), target);
  if (it == cum_gap_.end())
    throw_unknown_year(first_.add_days(static_cast<int>(rows_.size())).year(), field);
  throw_unknown_year(first_.add_days(static_cast<int>(it - cum_gap_.begin()) - 1).year(), field);
}

std::int64_t HallCalendar::index_of(Date date, std::string_view field) const {
  std::int64_t i = date - first_;
  if (i < 0 || i >= static_cast<std::int64_t>(rows_.size()) || !rows_[i].covered)
    throw_unknown_year(date.year(), field);
  return i;
}

void HallCalendar::require_covered_between(std::int64_t from_row, std::int64_t to_row,
                                           std::string_view field) const {
  if (cum_gap_[to_row + 1] != cum_gap_[from_row + 1]) throw_past_coverage(from_row, field);
}

DayInfo HallCalendar::classify(Date date, std::string_view field) const {
  const Row& r = rows_[index_of(date, field)];
  return {date, r.working, r.reason, names_[r.name], r.provisional};
}

bool HallCalendar::is_provisional(Date date, std::string_view field) const {
  return rows_[index_of(date, field)].provisional;
}

bool HallCalendar::provisional_between(Date from, Date to) const {
  if (to < from) std::swap(from, to);
  auto clamp = [&](Date d) {
    return std::clamp<std::int64_t>(d - first_, 0, static_cast<std::int64_t>(rows_.size()));
  };
  return cum_prov_[clamp(to.add_days(1))] != cum_prov_[clamp(from)];
}

bool HallCalendar::is_working_day(Date date, std::string_view field) const {
  return rows_[index_of(date, field)].working;
}

Date HallCalendar::add_working_days(Date start, int n, std::string_view field) const {
  if (n < 0 || n > kMaxWorkingDays) throw errors::invalid_working_days("n");
  std::int64_t s = index_of(start, field);
  if (n == 0) return start;
  auto target = cum_work_[s + 1] + n;
  auto it = std::lower_bound(cum_work_.begin() + s + 1, cum_work_.end(), target);
  if (it == cum_work_.end()) throw_past_coverage(s, field);
  std::int64_t j = (it - cum_work_.begin()) - 1;
  require_covered_between(s, j, field);
  return first_.add_days(static_cast<int>(j));
}

int HallCalendar::working_days_between(Date from, Date to, std::string_view field) const {
  if (to < from) return -working_days_between(to, from, field);
  std::int64_t a = index_of(from, field), b = index_of(to, field);
  require_covered_between(a, b, field);
  return cum_work_[b + 1] - cum_work_[a + 1];
}

const DayHours& HallCalendar::hours_on(Date date, std::string_view field) const {
  return day_hours_[rows_[index_of(date, field)].hours];
}

std::optional<Instant> HallCalendar::opening_time(Date date, std::string_view field) const {
  const DayHours& h = hours_on(date, field);
  if (h.empty()) return std::nullopt;
  return at(date, h.front().begin);
}

std::optional<Instant> HallCalendar::closing_time(Date date, std::string_view field) const {
  const DayHours& h = hours_on(date, field);
  if (h.empty()) return std::nullopt;
  return at(date, h.back().end);
}

Date HallCalendar::local_date(Instant t) const {
  auto local = (t.time_since_epoch() + offset_).count();
  return Date::from_days(sys_days{days{floor_div(local, kDay)}});
}

Instant HallCalendar::at(Date date, int seconds_of_day) const {
  return Instant{seconds{std::int64_t{date.serial()} * kDay + seconds_of_day} - offset_};
}

std::int64_t HallCalendar::open_before(std::int64_t row, int sod) const {
  std::int64_t total = cum_open_[row];
  for (const auto& t : day_hours_[rows_[row].hours]) {
    if (sod <= t.begin) break;
    total += std::min(sod, t.end) - t.begin;
  }
  return total;
}

bool HallCalendar::is_open(Instant t, std::string_view field) const {
  Date d = local_date(t);
  int sod = static_cast<int>((t - at(d, 0)).count());
  for (const auto& r : day_hours_[rows_[index_of(d, field)].hours])
    if (r.begin <= sod && sod < r.end) return true;
  return false;
}

Instant HallCalendar::next_opening(Instant t, std::string_view field) const {
  Date d = local_date(t);
  int sod = static_cast<int>((t - at(d, 0)).count());
  std::int64_t i = index_of(d, field);
  for (const auto& r : day_hours_[rows_[i].hours]) {
    if (sod < r.begin) return at(d, r.begin);
    if (sod < r.end) return t;
  }
  // The first later day with any opening hours.
  auto it = std::upper_bound(cum_open_.begin() + i + 1, cum_open_.end(), cum_open_[i + 1]);
  if (it == cum_open_.end()) throw_past_coverage(i, field);
  std::int64_t j = (it - cum_open_.begin()) - 1;
  require_covered_between(i, j, field);
  return at(first_.add_days(static_cast<int>(j)), day_hours_[rows_[j].hours].front().begin);
}

std::int64_t HallCalendar::working_seconds_between(Instant a, Instant b,
                                                   std::string_view field) const {
  if (b < a) return -working_seconds_between(b, a, field);
  Date da = local_date(a), db = local_date(b);
  std::int64_t ia = index_of(da, field), ib = index_of(db, field);
  require_covered_between(ia, ib, field);
  return open_before(ib, static_cast<int>((b - at(db, 0)).count())) -
         open_before(ia, static_cast<int>((a - at(da, 0)).count()));
}

Instant HallCalendar::add_working_seconds(Instant t, std::int64_t secs,
                                          std::string_view field) const {
  if (secs < 0) throw errors::invalid_working_seconds("seconds");
  Date d = local_date(t);
  std::int64_t i = index_of(d, field);
  if (secs == 0) return t;
  std::int64_t target = open_before(i, static_cast<int>((t - at(d, 0)).count())) + secs;
  auto it = std::lower_bound(cum_open_.begin() + i + 1, cum_open_.end(), target);
  if (it == cum_open_.end()) throw_past_coverage(i, field);
  std::int64_t j = (it - cum_open_.begin()) - 1;
  require_covered_between(i, j, field);
  std::int64_t remaining = target - cum_open_[j];
  Date dj = first_.add_days(static_cast<int>(j));
  for (const auto& r : day_hours_[rows_[j].hours]) {
    if (remaining <= r.end - r.begin) return at(dj, r.begin + static_cast<int>(remaining));
    remaining -= r.end - r.begin;
  }
  return at(dj, day_hours_[rows_[j].hours].back().end);  // unreachable: cum_open_[j + 1] >= target
}

Instant HallCalendar::deadline_after_working_days(Instant start, int n,
                                                  std::string_view field) const {
  Date d = add_working_days(local_date(start), n, field);
  if (!is_working_day(d, field)) d = add_working_days(d, 1, field);
  if (auto close = closing_time(d, field)) return *close;
  return at(d, static_cast<int>(kDay));
}

}  // namespace hall::calendar
