#include "reports/service.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <vector>

#include "calendar/service.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/random.hpp"
#include "db/optional.hpp"
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

long long count(soci::session& s, const std::string& sql, long long hall, long long from, long long to) {
  long long n = 0;
  s << sql, soci::use(hall, "h"), soci::use(from, "f"), soci::use(to, "t"), soci::into(n);
  return n;
}

// B5: ratings given in the month on tickets and cases of this hall (feedback_ratings,
// level 1 = 非常满意 … 5 = 非常不满意; a rating names one ticket or one case, whose
// hall it counts for); ratings taken out by an upheld appeal do not count, as in
// the feedback module's own rate.
std::optional<RatingCounts> rating_counts(soci::session& s, long long hall, long long from, long long to) {
  RatingCounts c;
  int level = 0;
  long long n = 0;
  soci::statement st =
      (s.prepare << "SELECT r.level, COUNT(*) FROM feedback_ratings r "
                    "LEFT JOIN queue_tickets t ON t.id = r.ticket_id "
                    "LEFT JOIN cases k ON k.id = r.case_id "
                    "WHERE COALESCE(t.hall_id, k.hall_id) = :h "
                    "AND r.created_at >= :f AND r.created_at < :t "
                    "AND r.excluded = 0 GROUP BY r.level",
       soci::into(level), soci::into(n), soci::use(hall), soci::use(from), soci::use(to));
  st.execute();
  while (st.fetch()) {
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
  {
    std::string outcome, date, item_name, item_name_en, unit_name, unit_name_en;
    soci::indicator outcome_ind;
    long long taken = 0, finished = 0, item = 0, unit = 0;
    std::optional<long long> called, started;
    int is_demo = 0;
    soci::statement st =
        (s.prepare << "SELECT t.outcome, t.service_date, t.taken_at, t.called_at, t.started_at, t.finished_at, t.is_demo, "
                      "t.item_id, v.name, v.name_en, v.unit_id, u.name, u.name_en FROM queue_tickets t "
                      "JOIN catalog_item_versions v ON v.id = t.item_version_id JOIN units u ON u.id = v.unit_id "
                      "WHERE t.hall_id = :h AND t.status = 'done' AND t.finished_at >= :f AND t.finished_at < :t",
         soci::use(hall, "h"), soci::use(from, "f"), soci::use(to, "t"), soci::into(outcome, outcome_ind),
         soci::into(date), soci::into(taken), soci::into(called), soci::into(started), soci::into(finished),
         soci::into(is_demo), soci::into(item), soci::into(item_name), soci::into(item_name_en), soci::into(unit),
         soci::into(unit_name), soci::into(unit_name_en));
    st.execute();
    while (st.fetch()) {
      ++served;
      if (is_demo) ++demo;
      ++by_outcome[outcome_ind == soci::i_null ? std::string("done") : outcome];
      ++by_day[local_date(finished, off)];
      auto& i = by_item[item];
      i.name = item_name, i.name_en = item_name_en, ++i.count;
      auto& u = by_unit[unit];
      u.name = unit_name, u.name_en = unit_name_en, ++u.count;
      if (called && *called >= taken) wait_sum += *called - taken, ++waits;
      if (started && finished >= *started) service_sum += finished - *started, ++services;
    }
  }
  long long no_show = count(s, "SELECT COUNT(*) FROM queue_tickets WHERE hall_id = :h AND status = 'no_show' AND "
                               "no_show_at >= :f AND no_show_at < :t", hall, from, to);
  long long cancelled = count(s, "SELECT COUNT(*) FROM queue_tickets WHERE hall_id = :h AND status = 'cancelled' AND "
                                 "cancelled_at >= :f AND cancelled_at < :t", hall, from, to);
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
  {
    std::optional<long long> due;
    long long done_at = 0;
    soci::statement st = (s.prepare << "SELECT due_at, completed_at FROM cases WHERE hall_id = :h AND status = 'completed' "
                                       "AND completed_at >= :f AND completed_at < :t",
                          soci::use(hall, "h"), soci::use(from, "f"), soci::use(to, "t"), soci::into(due),
                          soci::into(done_at));
    st.execute();
    while (st.fetch()) {
      ++completed;
      if (!due) {
        ++without_limit;
        continue;
      }
      ++judged_completed;
      if (done_at > *due) ++late;
    }
  }
  // Cases still open at the end of the month (or now, for the current month) past their due instant.
  long long cut = std::min(to, now);
  long long overdue_open = 0;
  s << "SELECT COUNT(*) FROM cases WHERE hall_id = :h AND accepted_at IS NOT NULL AND due_at IS NOT NULL AND "
       "due_at < :t AND (completed_at IS NULL OR completed_at >= :t2) AND status <> 'refused' AND paused_at IS NULL",
      soci::use(hall, "h"), soci::use(cut, "t"), soci::use(cut, "t2"), soci::into(overdue_open);
  long long judged = judged_completed + overdue_open;
  auto on_time_rate = rate(judged_completed - late, judged);

  // --- B5 accuracy: documents issued in the month (for this hall) and how many were corrected ---
  // Documents belong to the hall of their case, or of the issuer's unit's windows; with one hall, all of them.
  documents::AccuracyStats acc;
  {
    std::optional<long long> replaced;
    soci::statement st =
        (s.prepare << "SELECT d.replaced_by FROM documents d WHERE d.issued_at >= :f AND d.issued_at < :t AND "
                      "((SELECT COUNT(*) FROM halls) = 1 "
                      "OR (d.ref_type = 'case' AND EXISTS (SELECT 1 FROM cases c WHERE c.id = d.ref_id AND c.hall_id = :h)) "
                      "OR (d.ref_type <> 'case' AND EXISTS (SELECT 1 FROM staff st JOIN windows w ON w.unit_id = st.unit_id "
                      "WHERE st.user_id = d.issued_by AND w.hall_id = :h2)))",
         soci::use(from, "f"), soci::use(to, "t"), soci::use(hall, "h"), soci::use(hall, "h2"), soci::into(replaced));
    st.execute();
    while (st.fetch()) {
      ++acc.issued;
      if (replaced) ++acc.corrected;
    }
  }
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

  std::string hall_name, hall_name_en;
  s << "SELECT name, name_en FROM halls WHERE id = :h", soci::use(hall, "h"), soci::into(hall_name), soci::into(hall_name_en);

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
  long long demo_tickets = 0, in_prev = 0;
  s << "SELECT COUNT(*) FROM queue_tickets WHERE hall_id = :h AND is_demo = 1", soci::use(hall, "h"), soci::into(demo_tickets);
  s << "SELECT COUNT(*) FROM queue_tickets WHERE hall_id = :h AND taken_at >= :f AND taken_at < :t", soci::use(hall, "h"),
      soci::use(from, "f"), soci::use(to, "t"), soci::into(in_prev);
  if (!demo_tickets || in_prev) return 0;
  // The kinds of service the demo history already has: item, version, group, window, typical length.
  struct Kind {
    long long item, version, window;
    std::string group;
    long long service_ms;
  };
  std::vector<Kind> kinds;
  std::vector<long long> students;
  {
    long long item = 0, version = 0, window = 0, started = 0, finished = 0, student = 0;
    std::string group;
    soci::statement st =
        (s.prepare << "SELECT item_id, item_version_id, window_id, queue_group, started_at, finished_at, student_id "
                      "FROM queue_tickets WHERE hall_id = :h AND is_demo = 1 AND status = 'done' AND window_id IS NOT NULL "
                      "AND started_at IS NOT NULL AND finished_at IS NOT NULL ORDER BY id",
         soci::use(hall, "h"), soci::into(item), soci::into(version), soci::into(window), soci::into(group),
         soci::into(started), soci::into(finished), soci::into(student));
    st.execute();
    while (st.fetch()) {
      if (std::find(students.begin(), students.end(), student) == students.end()) students.push_back(student);
      bool known = false;
      for (auto& k : kinds) known = known || k.item == item;
      if (!known) kinds.push_back(Kind{item, version, window, group, finished - started});
    }
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
        s << "INSERT INTO queue_tickets (hall_id, service_date, number, seq, queue_group, item_id, item_version_id, "
             "student_id, channel, status, status_token, sort_key, window_id, outcome, taken_at, called_at, started_at, "
             "finished_at, is_demo) VALUES (:h, :d, :n, :seq, :g, :i, :v, :s, 'kiosk', 'done', :tok, :k, :w, :o, :ta, "
             ":ca, :sa, :fa, 1)",
            soci::use(hall), soci::use(date), soci::use(number), soci::use(seq), soci::use(k.group), soci::use(k.item),
            soci::use(k.version), soci::use(student), soci::use(token), soci::use(key), soci::use(k.window),
            soci::use(outcome), soci::use(taken), soci::use(called), soci::use(started), soci::use(finished);
        ++made;
      }
    }
    for (auto& [group, last] : seqs)
      s << "INSERT INTO queue_sequences (hall_id, service_date, queue_group, last_seq) VALUES (:h, :d, :g, :l)",
          soci::use(hall), soci::use(date), soci::use(group), soci::use(last);
  }
  return made;
}

// --- ReportService ---------------------------------------------------------------

ReportService::HallRef ReportService::hall_of(std::int64_t hall) const {
  auto cal = deps_.calendar->for_hall(hall);  // 404 hall_not_found for an unknown hall
  std::int64_t id = deps_.calendar->resolve_hall(hall);
  if (!id) throw not_found("hall_not_found", {"服务大厅不存在", "No such hall"});
  return HallRef{id, static_cast<int>(cal->utc_offset().count() / 60)};
}

Month ReportService::first_month(soci::session& s, std::int64_t hall_id, int off) const {
  long long hall = hall_id, created = Clock::now();
  std::optional<long long> first_ticket, first_case;
  s << "SELECT created_at FROM halls WHERE id = :h", soci::use(hall, "h"), soci::into(created);
  s << "SELECT MIN(taken_at) FROM queue_tickets WHERE hall_id = :h", soci::use(hall, "h"), soci::into(first_ticket);
  s << "SELECT MIN(created_at) FROM cases WHERE hall_id = :h", soci::use(hall, "h"), soci::into(first_case);
  long long first = created;
  if (first_ticket) first = std::min(first, *first_ticket);
  if (first_case) first = std::min(first, *first_case);
  return Month::of(first, off);
}

json::object ReportService::published(std::int64_t hall_in, const std::string& month) {
  Month m = Month::parse(month);
  HallRef h = hall_of(hall_in);
  Millis now = Clock::now();
  if (!m.closed(now, h.offset_minutes))
    throw unprocessable("month_not_closed",
                        {"该月尚未结束，统计数据在月末之后公布", "This month has not ended yet; its figures are published after it closes"},
                        "month");
  long long hall = h.id;
  std::string key = m.to_string();
  auto stored = [&](soci::session& s) -> std::optional<json::object> {
    std::string figures;
    long long computed_at = 0;
    s << "SELECT figures, computed_at FROM report_month_snapshots WHERE hall_id = :h AND month = :m", soci::use(hall, "h"),
        soci::use(key, "m"), soci::into(figures), soci::into(computed_at);
    if (!s.got_data()) return std::nullopt;
    json::object o = json::parse(figures).as_object();
    o["computed_at"] = iso8601_utc(computed_at);
    o["published"] = true;
    return o;
  };
  if (auto o = deps_.db->read(stored)) return *o;
  return deps_.db->write([&](soci::session& s) {
    if (m.index() < first_month(s, hall, h.offset_minutes).index())
      throw not_found("month_not_available", {"该月没有可公布的统计数据", "There are no figures for this month"});
    json::object figures = compute_month(s, hall, m, h.offset_minutes);
    figures.erase("closed");
    std::string text = json::serialize(figures);
    long long at = Clock::now();
    // Two first requests at once: the first snapshot wins, the other reads it.
    s << "INSERT INTO report_month_snapshots (hall_id, month, figures, computed_at) VALUES (:h, :m, :f, :a) "
         "ON CONFLICT (hall_id, month) DO NOTHING",
        soci::use(hall, "h"), soci::use(key, "m"), soci::use(text, "f"), soci::use(at, "a");
    return *stored(s);
  });
}

json::object ReportService::months(std::int64_t hall_in) {
  HallRef h = hall_of(hall_in);
  Millis now = Clock::now();
  return deps_.db->read([&](soci::session& s) {
    long long hall = h.id;
    std::map<std::string, long long> snapshots;
    {
      std::string month;
      long long at = 0;
      soci::statement st = (s.prepare << "SELECT month, computed_at FROM report_month_snapshots WHERE hall_id = :h",
                            soci::use(hall, "h"), soci::into(month), soci::into(at));
      st.execute();
      while (st.fetch()) snapshots[month] = at;
    }
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
