#include "calendar/service.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "auth/audit.hpp"
#include "auth/permissions.hpp"
#include "calendar/defaults.hpp"
#include "calendar/store.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"

namespace hall::calendar {

namespace {

constexpr int kMinYear = 2000, kMaxYear = 2100;
constexpr std::string_view kWeekdayKeys[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
const char* kShippedKey = "calendar.shipped_years";

ApiError hall_not_found() { return not_found("hall_not_found", {"找不到该大厅", "No such hall"}); }

// A date administrators may write: strict YYYY-MM-DD within 2000–2100.
Date admin_date(const std::string& text, const std::string& field) {
  Date d = Date::parse(text, field);
  if (d.year() < kMinYear || d.year() > kMaxYear)
    throw bad_request("invalid_date",
                      {fmt::format("字段 {} 的年份应在 {}–{} 之间", field, kMinYear, kMaxYear),
                       fmt::format("Field {} must be a date in {}–{}", field, kMinYear, kMaxYear)},
                      field);
  return d;
}

void check_year(std::int64_t year, const std::string& field) {
  if (year < kMinYear || year > kMaxYear)
    throw bad_request("invalid_year",
                      {fmt::format("年份应在 {}–{} 之间", kMinYear, kMaxYear),
                       fmt::format("The year must be in {}–{}", kMinYear, kMaxYear)},
                      field);
}

// Adjusted working days (调休补班) are weekend days that work: a weekday is a
// working day anyway, so listing it as one is a data error.
void check_adjusted_on_weekend(const HolidayRecord& h, const std::string& field) {
  if (!h.off_day && !h.date.is_weekend())
    throw bad_request("adjusted_workday_not_weekend",
                      {h.date.to_string() + " 是工作日(周一至周五),不能设为调休补班日;补班日只能是周六或周日",
                       h.date.to_string() + " is a weekday; only a Saturday or Sunday can be an adjusted working day"},
                      field);
}

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

std::string year_list(const std::set<int>& years) {
  std::string out;
  for (int y : years) out += (out.empty() ? "" : ",") + std::to_string(y);
  return out;
}

void require_write(const auth::Caller& c) { auth::require(c.principal, "calendar.write"); }

}  // namespace

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
  if (!obj) throw bad_request("invalid_body", {"请求内容应为 JSON 对象", "The request body must be a JSON object"});
  auto unknown = [](const std::string& f) {
    return bad_request("unknown_field", {"不认识的字段 " + f, "Unknown field " + f}, f);
  };
  for (const auto& kv : *obj) {
    std::string k(kv.key());
    if (k != "adjusted_workday_as" && k != "weekly" && k != "seasons") throw unknown(k);
  }
  if (!obj->contains("weekly"))
    throw bad_request("missing_field", {"缺少必填字段 weekly", "Missing required field weekly"}, "weekly");
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
          throw bad_request("missing_field", {"缺少必填字段 " + f + ".name", "Missing required field " + f + ".name"},
                            f + ".name");
        check_text(std::string_view(name->as_string().data(), name->as_string().size()), f + ".name", 40);
      }
    }
  }
  OpeningHours h = parse_opening_hours_json(json::serialize(body));

  auto week_has_hours = [](const WeeklyHours& w) {
    return std::any_of(w.days.begin(), w.days.end(), [](const DayHours& d) { return !d.empty(); });
  };
  auto empty_week = [](const std::string& f) {
    return bad_request("hours_empty",
                       {f + " 没有任何开放时段;整段时间不开放请用闭馆日(寒暑假)登记",
                        f + " has no opening period; record a closure for a period without opening"},
                       f);
  };
  if (!week_has_hours(h.regular)) throw empty_week("weekly");
  if (h.regular.on(h.adjusted_workday_as).empty())
    throw bad_request("invalid_hours",
                      {"调休补班日按其作息的那一天(adjusted_workday_as)没有开放时段",
                       "The weekday adjusted working days follow (adjusted_workday_as) has no opening hours"},
                      "adjusted_workday_as");
  // Seasons must not overlap: a date belongs to one season at most.
  std::array<std::array<int, 32>, 13> owner{};
  for (std::size_t i = 0; i < h.seasons.size(); ++i) {
    const auto& s = h.seasons[i];
    std::string f = "seasons[" + std::to_string(i) + "]";
    if (!week_has_hours(s.weekly)) throw empty_week(f + ".weekly");
    if (s.weekly.on(h.adjusted_workday_as).empty())
      throw bad_request("invalid_hours",
                        {f + " 中调休补班日按其作息的那一天没有开放时段",
                         f + ": the weekday adjusted working days follow has no opening hours"},
                        f + ".weekly");
    for (unsigned m = 1; m <= 12; ++m) {
      for (unsigned d = 1; d <= 31; ++d) {
        if (!std::chrono::month_day{std::chrono::month{m}, std::chrono::day{d}}.ok()) continue;
        MonthDay x{m, d};
        bool in = s.from <= s.to ? (s.from <= x && x <= s.to) : (x >= s.from || x <= s.to);
        if (!in) continue;
        if (owner[m][d])
          throw bad_request("seasons_overlap",
                            {fmt::format("{} 与 seasons[{}] 的日期重叠({:02d}-{:02d})", f, owner[m][d] - 1, m, d),
                             fmt::format("{} overlaps seasons[{}] (on {:02d}-{:02d})", f, owner[m][d] - 1, m, d)},
                            f + ".from");
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
    if (hall_id == 0) return store::first_hall(s);
    if (!store::hall_exists(s, hall_id)) throw hall_not_found();
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
  if (id == 0) id = db_.read([](soci::session& s) { return store::first_hall(s); });
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
    if (hall_id && !store::hall_exists(s, hall_id)) throw hall_not_found();
    nat = national(s);
    OpeningHours hours = default_opening_hours();
    std::vector<Closure> closures;
    if (id) {
      if (auto doc = store::hours(s, id)) hours = parse_opening_hours_json(*doc);
      for (auto& c : store::closures(s, id)) closures.push_back({c.first, c.last, std::move(c.name)});
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
    if (!store::hall_exists(s, hall_id)) throw hall_not_found();
    return store::closures(s, hall_id);
  });
}

std::optional<std::string> CalendarService::stored_hours(std::int64_t hall_id) const {
  return db_.read([&](soci::session& s) { return store::hours(s, hall_id); });
}

// ---------------------------------------------------------------------------
// Holidays

HolidayRecord CalendarService::add_holiday(const auth::Caller& c, const json::value& body) {
  require_write(c);
  JsonFields f(body);
  HolidayRecord h;
  h.date = admin_date(f.required_string("date", 10), "date");
  h.name = f.required_string("name", 40);
  h.off_day = f.required_bool("off_day");
  h.source = "admin";
  f.finish();
  check_adjusted_on_weekend(h, "off_day");
  db_.write([&](soci::session& s) {
    if (store::find_holiday(s, h.date))
      throw conflict("holiday_exists",
                     {h.date.to_string() + " 已有节假日记录,请直接修改", h.date.to_string() + " is already listed; edit it"},
                     "date");
    store::upsert_holiday(s, h, Clock::now());
    auth::audit(s, c, "calendar.holiday_added", "calendar_day", h.date.to_string(), to_json(h));
    notify_national(s, c);
  });
  changed_national();
  return h;
}

HolidayRecord CalendarService::edit_holiday(const auth::Caller& c, const std::string& date, const json::value& body) {
  require_write(c);
  Date d = admin_date(date, "date");
  JsonFields f(body);
  auto name = f.optional_string("name", 40);
  auto off = f.optional_bool("off_day");
  f.finish();
  HolidayRecord h = db_.write([&](soci::session& s) {
    auto before = store::find_holiday(s, d);
    if (!before) throw not_found("holiday_not_found", {"该日期没有节假日记录", "No holiday entry on that date"});
    HolidayRecord h = *before;
    if (name) h.name = *name;
    if (off) h.off_day = *off;
    h.source = "admin";
    check_adjusted_on_weekend(h, "off_day");
    store::upsert_holiday(s, h, Clock::now());
    auth::audit(s, c, "calendar.holiday_edited", "calendar_day", d.to_string(),
                json::object{{"before", to_json(*before)}, {"after", to_json(h)}});
    notify_national(s, c);
    return h;
  });
  changed_national();
  return h;
}

void CalendarService::delete_holiday(const auth::Caller& c, const std::string& date) {
  require_write(c);
  Date d = admin_date(date, "date");
  db_.write([&](soci::session& s) {
    auto before = store::find_holiday(s, d);
    if (!before) throw not_found("holiday_not_found", {"该日期没有节假日记录", "No holiday entry on that date"});
    store::delete_holiday(s, d);
    auth::audit(s, c, "calendar.holiday_deleted", "calendar_day", d.to_string(), to_json(*before));
    notify_national(s, c);
  });
  changed_national();
}

void CalendarService::set_year_covered(const auth::Caller& c, int year, bool covered) {
  require_write(c);
  check_year(year, "year");
  db_.write([&](soci::session& s) {
    if (covered) {
      // Never "weekends only": a year is complete only with its days off listed.
      bool has_off = false;
      for (const auto& h : store::holidays(s, year)) has_off = has_off || h.off_day;
      if (!has_off)
        throw bad_request("year_has_no_holidays",
                          {fmt::format("{} 年还没有任何放假日,请先录入或导入该年的节假日安排", year),
                           fmt::format("Year {} lists no day off yet; enter or import its schedule first", year)},
                          "year");
    }
    store::set_year(s, year, covered, "admin", Clock::now());
    auth::audit(s, c, covered ? "calendar.year_covered" : "calendar.year_uncovered", "calendar_year",
                std::to_string(year));
    notify_national(s, c);
  });
  changed_national();
}

json::object CalendarService::import_ics(const auth::Caller& c, const IcsImportRequest& req) {
  require_write(c);
  for (int y : req.years) check_year(y, "years");
  HolidayData data = parse_ics(req.ics, req.years);
  if (data.days.empty())
    throw bad_request("invalid_ics", {"日历文件中没有任何事件", "The calendar file holds no event"}, "ics");
  for (int y : data.years) check_year(y, "years");
  std::map<Date, HolidayRecord> incoming;
  for (const auto& e : data.days) {
    if (e.date.year() < kMinYear || e.date.year() > kMaxYear)
      throw bad_request("invalid_ics", {"日期超出范围:" + e.date.to_string(), "Date out of range: " + e.date.to_string()},
                        "ics");
    incoming[e.date] = HolidayRecord{e.date, e.name.empty() ? std::string("节假日") : e.name, e.is_off_day, "ics"};
  }

  auto run = [&](soci::session& s) {
    json::array added, changed, removed, problems;
    int unchanged = 0;
    std::map<Date, HolidayRecord> current;
    for (auto& h : store::holidays(s)) current.emplace(h.date, h);
    std::set<int> covered = store::covered_years(s);
    std::vector<HolidayRecord> to_write;
    std::vector<Date> to_delete;
    for (const auto& [d, h] : current) {
      if (data.years.contains(d.year()) && !incoming.contains(d)) {
        removed.push_back(to_json(h));
        to_delete.push_back(d);
      }
    }
    for (const auto& [d, h] : incoming) {
      if (!h.off_day && !d.is_weekend())
        problems.push_back(json::object{
            {"date", d.to_string()},
            {"message", c.english ? d.to_string() + " is a weekday marked as an adjusted working day (" + h.name + ")"
                                  : d.to_string() + " 是工作日,却被标为调休补班(" + h.name + ")"}});
      auto it = current.find(d);
      if (it == current.end()) {
        added.push_back(to_json(h));
        to_write.push_back(h);
      } else if (it->second.name != h.name || it->second.off_day != h.off_day) {
        json::object o = to_json(h);
        o["before"] = json::object{{"name", it->second.name}, {"off_day", it->second.off_day}};
        changed.push_back(o);
        to_write.push_back(h);
      } else {
        ++unchanged;
      }
    }
    json::array years, newly;
    for (int y : data.years) {
      years.push_back(y);
      if (!covered.contains(y)) newly.push_back(y);
    }
    json::object report{{"years", years},   {"newly_covered", newly}, {"added", added},
                        {"changed", changed}, {"removed", removed},    {"unchanged", unchanged},
                        {"problems", problems}, {"applied", false}, {"recomputed", json::array{}}};
    if (req.apply) {
      if (!problems.empty())
        throw bad_request("ics_has_problems",
                          {"日历文件有问题,未导入:" + std::string(problems[0].at("message").as_string()),
                           "The calendar file has problems; nothing was imported: " +
                               std::string(problems[0].at("message").as_string())},
                          "ics");
      long long now = Clock::now();
      for (Date d : to_delete) store::delete_holiday(s, d);
      for (const auto& h : to_write) store::upsert_holiday(s, h, now);
      for (int y : data.years) store::set_year(s, y, true, "ics", now);
      auth::audit(s, c, "calendar.ics_imported", "calendar_year", year_list(data.years),
                  json::object{{"added", added.size()},
                               {"changed", changed.size()},
                               {"removed", removed.size()},
                               {"unchanged", unchanged},
                               {"years", years}});
      // Deadlines computed provisionally are recomputed with the new data (cases: one
      // timeline entry per changed case); the report lists the changes.
      report["recomputed"] = notify_national(s, c);
      report["applied"] = true;
    }
    return report;
  };
  if (!req.apply) return db_.read(run);
  json::object report = db_.write(run);
  changed_national();
  return report;
}

// ---------------------------------------------------------------------------
// Closures

namespace {

const std::set<std::string> kKinds = {"winter", "summer", "other"};

// Reads a closure body: `partial` for PATCH (every field optional, hall fixed).
ClosureInput read_closure(const json::value& body, bool partial) {
  // "note" may be empty (to clear it), which JsonFields refuses: take it out first.
  json::value copy = body;
  ClosureInput in;
  if (auto* o = copy.if_object()) {
    if (auto* n = o->if_contains("note"); n && n->is_string()) {
      std::string note(n->as_string());
      check_text(note, "note", 200, true);
      in.note = note;
      o->erase("note");
    }
  }
  JsonFields f(copy);
  if (!partial) in.hall_id = f.required_int("hall_id", 1, INT64_MAX);
  auto first = partial ? f.optional_string("first", 10) : std::optional(f.required_string("first", 10));
  auto last = partial ? f.optional_string("last", 10) : std::optional(f.required_string("last", 10));
  in.name = partial ? f.optional_string("name", 40) : std::optional(f.required_string("name", 40));
  in.kind = f.optional_string("kind", 10);
  f.finish();
  if (first) in.first = admin_date(*first, "first");
  if (last) in.last = admin_date(*last, "last");
  if (in.kind && !kKinds.contains(*in.kind))
    throw bad_request("invalid_kind", {"kind 应为 winter、summer 或 other", "kind must be winter, summer or other"},
                      "kind");
  return in;
}

void check_closure(soci::session& s, const ClosureRecord& c) {
  if (c.last < c.first)
    throw bad_request("closure_ends_before_start",
                      {"结束日期早于开始日期", "The last day is before the first day"}, "last");
  if (c.last - c.first > 366)
    throw bad_request("closure_too_long", {"一次闭馆最长一年", "A closure lasts at most one year"}, "last");
  for (const auto& o : store::closures(s, c.hall_id)) {
    if (o.id == c.id || o.last < c.first || c.last < o.first) continue;
    throw bad_request("closure_overlaps",
                      {fmt::format("与已有闭馆“{}”({}至{})重叠", o.name, o.first.to_string(), o.last.to_string()),
                       fmt::format("Overlaps the closure \"{}\" ({} to {})", o.name, o.first.to_string(),
                                   o.last.to_string())},
                      "first");
  }
}

}  // namespace

ClosureRecord CalendarService::add_closure(const auth::Caller& c, const json::value& body) {
  require_write(c);
  ClosureInput in = read_closure(body, false);
  ClosureRecord r{0, *in.hall_id, *in.first, *in.last, *in.name, in.kind.value_or("other"), in.note.value_or(""), 0};
  r = db_.write([&](soci::session& s) {
    if (!store::hall_exists(s, r.hall_id))
      throw bad_request("unknown_hall", {"找不到该大厅", "No such hall"}, "hall_id");
    check_closure(s, r);
    long long now = Clock::now();
    r.id = store::insert_closure(s, r, now);
    r.updated_at = now;
    auth::audit(s, c, "calendar.closure_added", "closure", std::to_string(r.id), to_json(r));
    return r;
  });
  changed_hall(r.hall_id);
  return r;
}

ClosureRecord CalendarService::edit_closure(const auth::Caller& c, std::int64_t id, const json::value& body) {
  require_write(c);
  ClosureInput in = read_closure(body, true);
  ClosureRecord r = db_.write([&](soci::session& s) {
    auto before = store::find_closure(s, id);
    if (!before) throw not_found("closure_not_found", {"找不到该闭馆安排", "No such closure"});
    ClosureRecord r = *before;
    if (in.first) r.first = *in.first;
    if (in.last) r.last = *in.last;
    if (in.name) r.name = *in.name;
    if (in.kind) r.kind = *in.kind;
    if (in.note) r.note = *in.note;
    check_closure(s, r);
    long long now = Clock::now();
    store::update_closure(s, r, now);
    r.updated_at = now;
    auth::audit(s, c, "calendar.closure_edited", "closure", std::to_string(id),
                json::object{{"before", to_json(*before)}, {"after", to_json(r)}});
    return r;
  });
  changed_hall(r.hall_id);
  return r;
}

void CalendarService::delete_closure(const auth::Caller& c, std::int64_t id) {
  require_write(c);
  std::int64_t hall = db_.write([&](soci::session& s) {
    auto before = store::find_closure(s, id);
    if (!before) throw not_found("closure_not_found", {"找不到该闭馆安排", "No such closure"});
    store::delete_closure(s, id);
    auth::audit(s, c, "calendar.closure_deleted", "closure", std::to_string(id), to_json(*before));
    return before->hall_id;
  });
  changed_hall(hall);
}

// ---------------------------------------------------------------------------
// Opening hours

void CalendarService::set_hours(const auth::Caller& c, std::int64_t hall_id, const json::value& body) {
  require_write(c);
  std::string doc = validate_hours_document(body);
  db_.write([&](soci::session& s) {
    if (!store::hall_exists(s, hall_id)) throw hall_not_found();
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
    if (!store::hall_exists(s, hall_id)) throw hall_not_found();
    auto before = store::hours(s, hall_id);
    store::set_hours(s, hall_id, std::nullopt, Clock::now());
    auth::audit(s, c, "calendar.hours_reset", "hall", std::to_string(hall_id),
                json::object{{"before", before ? json::parse(*before) : json::value(nullptr)}});
  });
  changed_hall(hall_id);
}

}  // namespace hall::calendar
