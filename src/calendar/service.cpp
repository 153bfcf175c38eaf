#include "calendar/service.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "auth/audit.hpp"
#include "auth/permissions.hpp"
#include "calendar/admin_rules.hpp"
#include "calendar/defaults.hpp"
#include "calendar/errors.hpp"
#include "calendar/store.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/errors.hpp"
#include "org/errors.hpp"
#include "org/store.hpp"

namespace hall::calendar {

using namespace detail;

namespace {

constexpr std::string_view kWeekdayKeys[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
const char* kShippedKey = "calendar.shipped_years";

ApiError hall_not_found() { return org::errors::hall_not_found(); }

std::string hhmm(int seconds) { return fmt::format("{:02d}:{:02d}", seconds / 3600, seconds / 60 % 60); }

json::object weekly_json(const WeeklyHours& w) {
  json::object o;
  for (unsigned d = 1; d <= 7; ++d) o[kWeekdayKeys[d - 1]] = day_hours_json(w.on(d));
  return o;
}

std::string md(MonthDay m) { return fmt::format("{:02d}-{:02d}", m.month, m.day); }

std::set<int> parse_year_list(const std::string& s) {
  std::set<int> out;
  std::stringstream in(s);
  std::string part;
  while (std::getline(in, part, ','))
    if (!part.empty()) out.insert(std::stoi(part));
  return out;
}

}  // namespace

namespace detail {

// A date administrators may write: strict YYYY-MM-DD within 2000–2100.
Date admin_date(const std::string& text, const std::string& field) {
  Date d = Date::parse(text, field);
  if (d.year() < kMinYear || d.year() > kMaxYear)
    throw errors::invalid_date.with(field, text, errors::date_years);
  return d;
}

void check_year(std::int64_t year, const std::string& field) {
  if (year < kMinYear || year > kMaxYear) throw errors::invalid_year(field);
}

// Adjusted working days (调休补班) are weekend days that work: a weekday is a
// working day anyway, so listing it as one is a data error.
void check_adjusted_on_weekend(const HolidayRecord& h, const std::string& field) {
  if (!h.off_day && !h.date.is_weekend())
    throw errors::adjusted_workday_not_weekend.with(field, h.date.to_string());
}

std::string year_list(const std::set<int>& years) {
  std::string out;
  for (int y : years) out += (out.empty() ? "" : ",") + std::to_string(y);
  return out;
}

void require_write(const auth::Caller& c) { auth::require(c.principal, "calendar.write"); }

}  // namespace detail

// ---------------------------------------------------------------------------
// JSON

json::array day_hours_json(const DayHours& h) {
  json::array a;
  for (const auto& r : h) a.push_back(json::string(hhmm(r.begin) + "-" + hhmm(r.end)));
  return a;
}

json::object hours_to_json(const OpeningHours& h) {
  json::array seasons;
  for (const auto& s : h.seasons)
    seasons.push_back(
        json::object{{"name", s.name}, {"from", md(s.from)}, {"to", md(s.to)}, {"weekly", weekly_json(s.weekly)}});
  return json::object{{"adjusted_workday_as", kWeekdayKeys[h.adjusted_workday_as - 1]},
                      {"weekly", weekly_json(h.regular)},
                      {"seasons", seasons}};
}

json::object to_json(const ClosureRecord& c) {
  return json::object{{"id", c.id},
                      {"hall_id", c.hall_id},
                      {"first", c.first.to_string()},
                      {"last", c.last.to_string()},
                      {"days", (c.last - c.first) + 1},
                      {"name", c.name},
                      {"kind", c.kind},
                      {"note", c.note},
                      {"updated_at", iso8601_utc(c.updated_at)}};
}

json::object to_json(const HolidayRecord& h) {
  return json::object{{"date", h.date.to_string()},
                      {"name", h.name},
                      {"off_day", h.off_day},
                      {"weekday", h.date.iso_weekday()},
                      {"source", h.source}};
}

std::string validate_hours_document(const json::value& body) {
  const json::object* obj = body.if_object();
  if (!obj) throw hall::errors::invalid_body();
  auto unknown = [](const std::string& f) { return hall::errors::unknown_field.with(f, f); };
  for (const auto& kv : *obj) {
    std::string k(kv.key());
    if (k != "adjusted_workday_as" && k != "weekly" && k != "seasons") throw unknown(k);
  }
  if (!obj->contains("weekly")) throw hall::errors::missing_field.with("weekly", "weekly");
  if (const auto* seasons = obj->if_contains("seasons"); seasons && seasons->is_array()) {
    std::size_t i = 0;
    for (const auto& s : seasons->as_array()) {
      std::string f = "seasons[" + std::to_string(i++) + "]";
      if (const auto* so = s.if_object()) {
        for (const auto& kv : *so) {
          std::string k(kv.key());
          if (k != "name" && k != "from" && k != "to" && k != "weekly") throw unknown(f + "." + k);
        }
        const auto* name = so->if_contains("name");
        if (!name || !name->is_string())
          throw hall::errors::missing_field.with(f + ".name", f + ".name");
        check_text(std::string_view(name->as_string().data(), name->as_string().size()), f + ".name", 40);
      }
    }
  }
  OpeningHours h = parse_opening_hours_json(json::serialize(body));

  auto week_has_hours = [](const WeeklyHours& w) {
    return std::any_of(w.days.begin(), w.days.end(), [](const DayHours& d) { return !d.empty(); });
  };
  auto empty_week = [](const std::string& f) { return errors::hours_empty.with(f, f); };
  if (!week_has_hours(h.regular)) throw empty_week("weekly");
  if (h.regular.on(h.adjusted_workday_as).empty())
    throw errors::invalid_hours.with(
        "adjusted_workday_as",
        Text{
            "调休补班日按其作息的那一天（adjusted_workday_as）没有开放时段",
            "the weekday adjusted working days follow (adjusted_workday_as) has no opening hours"});
  // Seasons must not overlap: a date belongs to one season at most.
  std::array<std::array<int, 32>, 13> owner{};
  for (std::size_t i = 0; i < h.seasons.size(); ++i) {
    const auto& s = h.seasons[i];
    std::string f = "seasons[" + std::to_string(i) + "]";
    if (!week_has_hours(s.weekly)) throw empty_week(f + ".weekly");
    if (s.weekly.on(h.adjusted_workday_as).empty())
      throw errors::invalid_hours.with(
          f + ".weekly",
          Text{f + " 中调休补班日按其作息的那一天没有开放时段",
               f + ": the weekday adjusted working days follow has no opening hours"});
    for (unsigned m = 1; m <= 12; ++m) {
      for (unsigned d = 1; d <= 31; ++d) {
        if (!std::chrono::month_day{std::chrono::month{m}, std::chrono::day{d}}.ok()) continue;
        MonthDay x{m, d};
        bool in = s.from <= s.to ? (s.from <= x && x <= s.to) : (x >= s.from || x <= s.to);
        if (!in) continue;
        if (owner[m][d]) throw errors::seasons_overlap.with(f + ".from", f, owner[m][d] - 1, m, d);
        owner[m][d] = static_cast<int>(i) + 1;
      }
    }
  }
  return json::serialize(hours_to_json(h));
}

// ---------------------------------------------------------------------------
// Construction, seeding, caching

CalendarService::CalendarService(db::Database& db, std::filesystem::path holidays_dir, std::chrono::seconds utc_offset)
    : db_(db), offset_(utc_offset) {
  seed_shipped(holidays_dir);
}

void CalendarService::seed_shipped(const std::filesystem::path& dir) {
  namespace fs = std::filesystem;
  if (!fs::is_directory(dir)) {
    spdlog::warn("holiday data directory {} not found: working days are known only for years entered by hand",
                 dir.string());
    return;
  }
  std::map<int, HolidayData> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const auto& p = entry.path();
    std::string stem = p.stem().string();
    if (!entry.is_regular_file() || p.extension() != ".json" || stem.size() != 4 ||
        !std::all_of(stem.begin(), stem.end(), [](char c) { return c >= '0' && c <= '9'; }))
      continue;
    std::ifstream in(p, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    HolidayData data = load_holiday_cn_json(text.str());
    if (data.years != std::set<int>{std::stoi(stem)})
      throw std::runtime_error(p.string() + ": its \"year\" does not match the file name");
    files.emplace(std::stoi(stem), std::move(data));
  }
  db_.write([&](soci::session& s) {
    std::set<int> seeded = parse_year_list(store::setting(s, kShippedKey).value_or(""));
    std::set<int> covered = store::covered_years(s);
    long long now = Clock::now();
    bool any = false;
    for (const auto& [year, data] : files) {
      if (seeded.contains(year)) continue;
      // A year an administrator already entered or imported keeps its data.
      if (!covered.contains(year)) {
        for (const auto& e : data.days)
          if (!store::find_holiday(s, e.date))
            store::upsert_holiday(s, {e.date, e.name, e.is_off_day, "shipped"}, now);
        store::set_year(s, year, true, "shipped", now);
      }
      seeded.insert(year);
      any = true;
    }
    if (any) store::set_setting(s, kShippedKey, year_list(seeded));
  });
}

void CalendarService::invalidate() const {
  std::lock_guard lock(mu_);
  ++generation_;
  national_.reset();
  halls_.clear();
  default_hall_ = 0;
}

void CalendarService::changed_national() const { invalidate(); }

void CalendarService::changed_hall(std::int64_t hall_id) const {
  std::lock_guard lock(mu_);
  ++generation_;
  halls_.erase(hall_id);
}

std::int64_t CalendarService::resolve_hall(std::int64_t hall_id) const {
  if (hall_id < 0) throw hall_not_found();
  {
    std::lock_guard lock(mu_);
    if (hall_id == 0 && default_hall_) return default_hall_;
    if (hall_id && halls_.contains(hall_id)) return hall_id;
  }
  return db_.read([&](soci::session& s) -> std::int64_t {
    if (hall_id == 0) return org::store::first_hall(s);
    if (!org::store::exists(s, "halls", hall_id)) throw hall_not_found();
    return hall_id;
  });
}

std::shared_ptr<const HolidayCalendar> CalendarService::national(soci::session& s) const {
  {
    std::lock_guard lock(mu_);
    if (national_) return national_;
  }
  std::vector<HolidayEntry> days;
  for (auto& h : store::holidays(s)) days.push_back({h.date, std::move(h.name), h.off_day});
  return std::make_shared<const HolidayCalendar>(std::move(days), store::covered_years(s));
}

std::shared_ptr<const HallCalendar> CalendarService::build(soci::session& s, std::int64_t hall_id) const {
  std::vector<HolidayEntry> days;
  for (auto& h : store::holidays(s)) days.push_back({h.date, std::move(h.name), h.off_day});
  HolidayCalendar nat(std::move(days), store::covered_years(s));
  OpeningHours hours = default_opening_hours();
  std::vector<Closure> closures;
  if (hall_id) {
    if (auto doc = store::hours(s, hall_id)) hours = parse_opening_hours_json(*doc);
    for (auto& c : store::closures(s, hall_id)) closures.push_back({c.first, c.last, std::move(c.name)});
  }
  return std::make_shared<const HallCalendar>(std::move(nat), std::move(hours), std::move(closures), offset_);
}

json::array CalendarService::notify_national(soci::session& s, const auth::Caller& c) const {
  json::array out;
  for (const auto& l : listeners_)
    for (auto& v : l(s, c, *this)) out.push_back(std::move(v));
  return out;
}

std::shared_ptr<const HallCalendar> CalendarService::for_hall(std::int64_t hall_id) const {
  if (hall_id < 0) throw hall_not_found();
  std::int64_t id = hall_id;
  if (id == 0) {
    std::lock_guard lock(mu_);
    id = default_hall_;
  }
  if (id == 0) id = db_.read([](soci::session& s) { return org::store::first_hall(s); });
  std::uint64_t gen;
  {
    std::lock_guard lock(mu_);
    if (hall_id == 0 && id) default_hall_ = id;
    if (id) {
      auto it = halls_.find(id);
      if (it != halls_.end()) return it->second;
    }
    gen = generation_;
  }
  // Not cached: build it from the database (a few hundred rows; about a millisecond).
  std::shared_ptr<const HolidayCalendar> nat;
  auto cal = db_.read([&](soci::session& s) {
    if (hall_id && !org::store::exists(s, "halls", hall_id)) throw hall_not_found();
    nat = national(s);
    OpeningHours hours = default_opening_hours();
    std::vector<Closure> closures;
    if (id) {
      if (auto doc = store::hours(s, id)) hours = parse_opening_hours_json(*doc);
      for (auto& c : store::closures(s, id))
        closures.push_back({c.first, c.last, std::move(c.name)});
    }
    return std::make_shared<const HallCalendar>(*nat, std::move(hours), std::move(closures), offset_);
  });
  std::lock_guard lock(mu_);
  if (gen == generation_) {  // nothing changed while we read: keep it
    national_ = nat;
    if (id) {
      auto [it, inserted] = halls_.emplace(id, cal);
      if (!inserted) return it->second;  // another reader built the same one first
    }
  }
  return cal;
}

// ---------------------------------------------------------------------------
// Reads

std::vector<HolidayRecord> CalendarService::holidays(std::optional<int> year) const {
  return db_.read([&](soci::session& s) { return store::holidays(s, year); });
}

std::set<int> CalendarService::covered_years() const {
  return db_.read([&](soci::session& s) { return store::covered_years(s); });
}

std::vector<ClosureRecord> CalendarService::closures(std::int64_t hall_id) const {
  return db_.read([&](soci::session& s) {
    if (!org::store::exists(s, "halls", hall_id)) throw hall_not_found();
    return store::closures(s, hall_id);
  });
}

std::optional<std::string> CalendarService::stored_hours(std::int64_t hall_id) const {
  return db_.read([&](soci::session& s) { return store::hours(s, hall_id); });
}

// ---------------------------------------------------------------------------
// Opening hours

void CalendarService::set_hours(const auth::Caller& c, std::int64_t hall_id, const json::value& body) {
  require_write(c);
  std::string doc = validate_hours_document(body);
  db_.write([&](soci::session& s) {
    if (!org::store::exists(s, "halls", hall_id)) throw hall_not_found();
    auto before = store::hours(s, hall_id);
    store::set_hours(s, hall_id, doc, Clock::now());
    auth::audit(s, c, "calendar.hours_set", "hall", std::to_string(hall_id),
                json::object{{"before", before ? json::parse(*before) : json::value(nullptr)}, {"after", json::parse(doc)}});
  });
  changed_hall(hall_id);
}

void CalendarService::reset_hours(const auth::Caller& c, std::int64_t hall_id) {
  require_write(c);
  db_.write([&](soci::session& s) {
    if (!org::store::exists(s, "halls", hall_id)) throw hall_not_found();
    auto before = store::hours(s, hall_id);
    store::set_hours(s, hall_id, std::nullopt, Clock::now());
    auth::audit(s, c, "calendar.hours_reset", "hall", std::to_string(hall_id),
                json::object{{"before", before ? json::parse(*before) : json::value(nullptr)}});
  });
  changed_hall(hall_id);
}

}  // namespace hall::calendar
