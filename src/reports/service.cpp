#include "reports/errors.hpp"
#include "reports/service.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>
#include <vector>

#include "calendar/service.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/random.hpp"
#include "reports/store.hpp"
#include "documents/model.hpp"
#include "queue/model.hpp"
#include "reports/module.hpp"
#include "db/database.hpp"

namespace hall::reports {

namespace {

json::value num_or_null(const std::optional<double>& v) { return v ? json::value(*v) : json::value(nullptr); }

// Why a figure is null: a code and the message in both languages (a snapshot is language-neutral).
json::value reason(const char* code, const char* zh, const char* en) {
  return json::object{{"code", code}, {"message", zh}, {"message_en", en}};
}

// B5: ratings given in the month on tickets and cases of this hall (level 1 = 非常满意 … 5 = 非常不满意).
std::optional<RatingCounts> rating_counts(soci::session& s, long long hall, long long from, long long to) {
  RatingCounts c;
  for (const auto& [level, n] : store::rating_levels(s, hall, from, to)) {
    switch (level) {
      case 1: c.very_satisfied = n; break;
      case 2: c.satisfied = n; break;
      case 3: c.fairly_satisfied = n; break;
      case 4: c.dissatisfied = n; break;
      case 5: c.very_dissatisfied = n; break;
      default: break;
    }
  }
  return c;
}

}  // namespace

json::object compute_month(soci::session& s, std::int64_t hall_id, const Month& m, int off) {
  long long hall = hall_id, from = m.start(off), to = m.end(off);
  long long now = Clock::now();

  // --- volume served (queue tickets finished in the month) and times --------
  std::map<std::string, long long> by_outcome;
  struct Named {
    std::string name, name_en;
    long long count = 0;
  };
  std::map<long long, Named> by_item, by_unit;
  std::map<std::string, long long> by_day;
  long long served = 0, demo = 0, waits = 0, services = 0;
  long double wait_sum = 0, service_sum = 0;
  store::served_tickets(s, hall, from, to, [&](const store::ServedTicket& t) {
    ++served;
    if (t.demo) ++demo;
    ++by_outcome[t.outcome.value_or("done")];
    ++by_day[local_date(t.finished, off)];
    auto& i = by_item[t.item];
    i.name = t.item_name, i.name_en = t.item_name_en, ++i.count;
    auto& u = by_unit[t.unit];
    u.name = t.unit_name, u.name_en = t.unit_name_en, ++u.count;
    if (t.called && *t.called >= t.taken) wait_sum += *t.called - t.taken, ++waits;
    if (t.started && t.finished >= *t.started) service_sum += t.finished - *t.started, ++services;
  });
  long long no_show = store::no_shows(s, hall, from, to);
  long long cancelled = store::cancellations(s, hall, from, to);
  json::array outcomes, items, units, days;
  for (auto& [o, n] : by_outcome) outcomes.push_back(json::object{{"outcome", o}, {"count", n}});
  auto named = [](std::map<long long, Named>& src, const char* key) {
    std::vector<std::pair<long long, Named>> v(src.begin(), src.end());
    std::stable_sort(v.begin(), v.end(), [](auto& a, auto& b) { return a.second.count > b.second.count; });
    json::array out;
    for (auto& [id, n] : v) out.push_back(json::object{{key, id}, {"name", n.name}, {"name_en", n.name_en}, {"count", n.count}});
    return out;
  };
  items = named(by_item, "item_id");
  units = named(by_unit, "unit_id");
  for (int d = 1; d <= m.days(); ++d) {
    std::string date = fmt::format("{}-{:02}", m.to_string(), d);
    auto it = by_day.find(date);
    days.push_back(json::object{{"date", date}, {"count", it == by_day.end() ? 0LL : it->second}});
  }
  auto minutes = [](long double sum, long long n) -> json::value {
    if (!n) return nullptr;
    return std::round(static_cast<double>(sum / n) / 6000.0) / 10.0;  // ms → minutes, one decimal
  };
  json::value no_tickets = served ? json::value(nullptr)
                                  : reason("no_tickets", "本月没有办结的取号记录", "No ticket was finished in this month");

  // --- B6.3 on-time completion of cases completed in the month ----------------
  long long completed = 0, judged_completed = 0, late = 0, without_limit = 0;
  for (const auto& [due, done_at] : store::completed_cases(s, hall, from, to)) {
    ++completed;
    if (!due) {
      ++without_limit;
      continue;
    }
    ++judged_completed;
    if (done_at > *due) ++late;
  }
  // Cases still open at the end of the month (or now, for the current month) past their due instant.
  long long overdue_open = store::overdue_open_cases(s, hall, std::min(to, now));
  long long judged = judged_completed + overdue_open;
  auto on_time_rate = rate(judged_completed - late, judged);

  // --- B5 accuracy: documents issued in the month (for this hall) and how many were corrected ---
  // Documents belong to the hall of their case, or of the issuer's unit's windows; with one hall, all of them.
  documents::AccuracyStats acc;
  std::tie(acc.issued, acc.corrected) = store::documents_issued(s, hall, from, to);
  auto accuracy_rate = acc.accuracy_rate();

  // --- B5 satisfaction -----------------------------------------------------------
  auto ratings = rating_counts(s, hall, from, to);
  json::object satisfaction{{"target", kSatisfactionTarget}};
  if (!ratings) {
    satisfaction["rate"] = nullptr;
    satisfaction["ratings"] = nullptr;
    satisfaction["satisfied"] = nullptr;
    satisfaction["reason"] = reason("ratings_not_available", "评价（好差评）数据尚未接入，暂无满意率",
                                    "Ratings are not recorded yet, so there is no satisfaction rate");
  } else {
    auto r = ratings->satisfaction_rate();
    satisfaction["rate"] = num_or_null(r);
    satisfaction["ratings"] = ratings->total();
    satisfaction["satisfied"] = ratings->satisfied_total();
    satisfaction["levels"] = json::object{{"very_satisfied", ratings->very_satisfied},
                                          {"satisfied", ratings->satisfied},
                                          {"fairly_satisfied", ratings->fairly_satisfied},
                                          {"dissatisfied", ratings->dissatisfied},
                                          {"very_dissatisfied", ratings->very_dissatisfied}};
    satisfaction["reason"] = r ? json::value(nullptr)
                               : reason("no_ratings", "本月没有评价", "No rating was given in this month");
  }

  auto [hall_name, hall_name_en] = store::hall_names(s, hall);

  return json::object{
      {"hall", json::object{{"id", hall}, {"name", hall_name}, {"name_en", hall_name_en}}},
      {"month", m.to_string()},
      {"from", iso8601_utc(from)},
      {"to", iso8601_utc(to)},
      {"utc_offset_minutes", off},
      {"closed", m.closed(now, off)},
      {"includes_demo_data", demo > 0},
      {"volume",
       json::object{{"served", served},
                    {"no_show", no_show},
                    {"cancelled", cancelled},
                    {"by_outcome", outcomes},
                    {"by_item", items},
                    {"by_unit", units},
                    {"by_day", days}}},
      {"times",
       json::object{{"average_wait_minutes", minutes(wait_sum, waits)},
                    {"average_service_minutes", minutes(service_sum, services)},
                    {"reason", no_tickets}}},
      {"on_time",
       json::object{{"rate", num_or_null(on_time_rate)},
                    {"target", kOnTimeTarget},
                    {"completed", completed},
                    {"completed_on_time", judged_completed - late},
                    {"completed_late", late},
                    {"completed_without_time_limit", without_limit},
                    {"overdue_open", overdue_open},
                    {"overdue", late + overdue_open},
                    {"reason", on_time_rate ? json::value(nullptr)
                                            : reason("no_cases", "本月没有限时办结的办件",
                                                     "No case with a time limit was completed or overdue in this month")}}},
      {"accuracy",
       json::object{{"rate", num_or_null(accuracy_rate)},
                    {"target", kAccuracyTarget},
                    {"issued", acc.issued},
                    {"corrected", acc.corrected},
                    {"reason", accuracy_rate ? json::value(nullptr)
                                             : reason("no_documents", "本月没有出具文书", "No document was issued in this month")}}},
      {"satisfaction", satisfaction}};
}

int seed_demo_history(soci::session& s, std::int64_t hall_id, Millis now, int off,
                      const std::function<bool(const std::string&)>& working_day) {
  long long hall = hall_id;
  Month prev = Month::of(now, off).prev();
  long long from = prev.start(off), to = prev.end(off);
  if (!store::demo_tickets(s, hall) || store::tickets_taken(s, hall, from, to)) return 0;
  // The kinds of service the demo history already has: item, version, group, window, typical length.
  struct Kind {
    long long item, version, window;
    std::string group;
    long long service_ms;
  };
  std::vector<Kind> kinds;
  std::vector<long long> students;
  for (const auto& t : store::demo_served(s, hall)) {
    if (std::find(students.begin(), students.end(), t.student) == students.end()) students.push_back(t.student);
    bool known = false;
    for (auto& k : kinds) known = known || k.item == t.item;
    if (!known) kinds.push_back(Kind{t.item, t.version, t.window, t.group, t.finished - t.started});
  }
  if (kinds.empty() || students.empty()) return 0;
  int made = 0;
  for (int d = 1; d <= prev.days(); ++d) {
    long long day_start = prev.start(off) + (d - 1) * 86400000LL;
    int weekday = static_cast<int>(((day_start + off * 60000LL) / 86400000LL + 3) % 7);  // 0 = Monday
    std::string date = fmt::format("{}-{:02}", prev.to_string(), d);
    if (working_day ? !working_day(date) : weekday >= 5) continue;
    std::map<std::string, long long> seqs;
    for (std::size_t ki = 0; ki < kinds.size(); ++ki) {
      const auto& k = kinds[ki];
      int per_day = 2 + static_cast<int>((d + ki) % 4);
      for (int n = 0; n < per_day; ++n) {
        long long seq = ++seqs[k.group];
        Millis taken = day_start + 9 * 3600000LL + ((n * 41 + made * 7) % 180) * 60000LL;
        Millis called = taken + (2 + (made * 13) % 14) * 60000LL;
        Millis started = called + 60000;
        Millis finished = started + std::max<long long>(k.service_ms + ((made % 5) - 2) * 60000LL, 60000);
        long long student = students[static_cast<std::size_t>(made) % students.size()];
        std::string number = queue::format_number(k.group, seq), token = random_token(), outcome =
                                                                                    made % 11 == 0 ? "needs_materials" : "done";
        long long key = queue::sort_key_for(taken, seq);
        store::insert_demo_ticket(s, hall,
                                  store::NewDemoTicket{date, number, k.group, token, outcome, seq, k.item, k.version,
                                                       student, key, k.window, taken, called, started, finished});
        ++made;
      }
    }
    for (auto& [group, last] : seqs)
      store::insert_sequence(s, hall, date, group, last);
  }
  return made;
}

// --- ReportService ---------------------------------------------------------------

ReportService::HallRef ReportService::hall_of(std::int64_t hall) const {
  auto cal = deps_.calendar->for_hall(hall);  // 404 hall_not_found for an unknown hall
  std::int64_t id = deps_.calendar->resolve_hall(hall);
  if (!id) throw errors::hall_not_found();
  return HallRef{id, static_cast<int>(cal->utc_offset().count() / 60)};
}

Month ReportService::first_month(soci::session& s, std::int64_t hall_id, int off) const {
  Millis first = store::hall_created_at(s, hall_id).value_or(Clock::now());
  auto first_ticket = store::first_ticket_at(s, hall_id), first_case = store::first_case_at(s, hall_id);
  if (first_ticket) first = std::min(first, *first_ticket);
  if (first_case) first = std::min(first, *first_case);
  return Month::of(first, off);
}

json::object ReportService::published(std::int64_t hall_in, const std::string& month) {
  Month m = Month::parse(month);
  HallRef h = hall_of(hall_in);
  Millis now = Clock::now();
  if (!m.closed(now, h.offset_minutes))
    throw errors::month_not_closed("month");
  long long hall = h.id;
  std::string key = m.to_string();
  auto stored = [&](soci::session& s) -> std::optional<json::object> {
    auto snap = store::snapshot(s, hall, key);
    if (!snap) return std::nullopt;
    json::object o = json::parse(snap->figures).as_object();
    o["computed_at"] = iso8601_utc(snap->computed_at);
    o["published"] = true;
    return o;
  };
  if (auto o = deps_.db->read(stored)) return *o;
  return deps_.db->write([&](soci::session& s) {
    if (m.index() < first_month(s, hall, h.offset_minutes).index())
      throw errors::month_not_available();
    json::object figures = compute_month(s, hall, m, h.offset_minutes);
    figures.erase("closed");
    std::string text = json::serialize(figures);
    // Two first requests at once: the first snapshot wins, the other reads it.
    store::insert_snapshot(s, hall, key, text, Clock::now());
    return *stored(s);
  });
}

json::object ReportService::months(std::int64_t hall_in) {
  HallRef h = hall_of(hall_in);
  Millis now = Clock::now();
  return deps_.db->read([&](soci::session& s) {
    long long hall = h.id;
    std::map<std::string, Millis> snapshots = store::snapshot_months(s, hall);
    json::array items;
    Month last = Month::of(now, h.offset_minutes).prev(), first = first_month(s, hall, h.offset_minutes);
    for (Month m = last; m.index() >= first.index() && items.size() < 120; m = m.prev()) {
      auto it = snapshots.find(m.to_string());
      items.push_back(json::object{{"month", m.to_string()},
                                   {"published", it != snapshots.end()},
                                   {"computed_at", it != snapshots.end() ? json::value(iso8601_utc(it->second))
                                                                         : json::value(nullptr)}});
    }
    return json::object{{"hall_id", hall},
                        {"current_month", Month::of(now, h.offset_minutes).to_string()},
                        {"items", items}};
  });
}

json::object ReportService::live(std::int64_t hall_in, const std::optional<std::string>& month) {
  HallRef h = hall_of(hall_in);
  Month m = month ? Month::parse(*month) : Month::of(Clock::now(), h.offset_minutes);
  return deps_.db->read([&](soci::session& s) {
    json::object o = compute_month(s, h.id, m, h.offset_minutes);
    o["live"] = true;
    o["computed_at"] = iso8601_utc(Clock::now());
    return o;
  });
}

}  // namespace hall::reports
