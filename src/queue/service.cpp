#include "queue/service.hpp"

#include <fmt/format.h>
#include <qrencode.h>

#include <algorithm>
#include <chrono>
#include <cmath>

#include "auth/audit.hpp"
#include "auth/permissions.hpp"
#include "auth/store.hpp"
#include "calendar/service.hpp"
#include "catalog/model.hpp"
#include "core/random.hpp"
#include "db/optional.hpp"
#include "db/statement.hpp"
#include "queue/module.hpp"
#include "core/config.hpp"
#include "db/database.hpp"
#include "http/push.hpp"

namespace hall::queue {

using store::Bind;
using store::col_i64;
using store::col_str;

namespace {

json::value iso_or_null(const std::optional<Millis>& t) {
  return t ? json::value(iso8601_utc(*t)) : json::value(nullptr);
}
template <typename T>
json::value or_null(const std::optional<T>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}

ApiError ticket_not_found() {
  return not_found("ticket_not_found", {"找不到该号", "Ticket not found"});
}
ApiError window_not_yours() {
  return ApiError(403, "window_not_yours",
                  {"您不能操作该窗口（只能操作本单位的窗口）",
                   "You may not operate this window (only your unit's windows)"});
}
ApiError window_not_open() {
  return conflict("window_not_open", {"该窗口尚未开始服务，请先签到开窗",
                                      "This window is not open; sign in at the window first"});
}

bool is_device_kind(const auth::Caller& c, std::initializer_list<const char*> kinds) {
  if (!c.principal.is_device()) return false;
  for (const char* k : kinds)
    if (c.principal.role == k) return true;
  return false;
}

std::string caller_key(const auth::Caller& c) {
  return c.principal.is_device() ? fmt::format("device:{}", c.principal.device_id)
                                 : fmt::format("user:{}", c.principal.user_id);
}

std::optional<std::int64_t> actor(const auth::Caller& c) {
  if (c.principal.is_user()) return c.principal.user_id;
  return std::nullopt;
}

long long count_of(soci::session& s, const std::string& sql, std::vector<Bind> b) {
  long long n = 0;
  store::query(s, sql, b, [&](const soci::row& r) { n = col_i64(r, 0); });
  return n;
}

}  // namespace

// Events to publish once the transaction committed (never before).
struct QueueService::Publish {
  std::vector<std::int64_t> tickets;                         // ticket ids whose status page changes
  std::vector<std::pair<std::int64_t, json::object>> calls;  // hall, call
  std::set<std::int64_t> windows;                            // consoles to refresh
  std::vector<std::tuple<std::int64_t, std::string, std::string>>
      dirty;  // groups whose positions change
  std::string reason;
};

QueueService::QueueService(Deps& deps) : deps_(deps), pg_(!deps.db->is_sqlite()) {
  writes_ = std::make_unique<WriteQueue>(*deps.db, /*batch=*/!pg_);
  notifier_ = std::thread([this] { notifier_loop(); });
}

QueueService::~QueueService() {
  {
    std::lock_guard lock(live_mu_);
    stopping_ = true;
  }
  live_cv_.notify_all();
  if (notifier_.joinable()) notifier_.join();
}

std::string QueueService::local_date(Millis at) const {
  return hall::local_date(at, deps_.config.utc_offset_minutes);
}

bool QueueService::is_supervisor(const auth::Caller& c) const {
  return c.principal.is_user() && (c.principal.role == "teacher" || c.principal.role == "admin");
}

bool QueueService::may_operate(const auth::Caller& c, const store::WindowInfo& w) const {
  if (is_supervisor(c)) return true;
  return auth::has_permission(c.principal, "queue.operate") && c.principal.unit_id != 0 &&
         w.unit_id && *w.unit_id == c.principal.unit_id;
}

store::WindowInfo QueueService::window_or_404(soci::session& s, std::int64_t id) {
  auto w = store::find_window(s, id);
  if (!w) throw not_found("window_not_found", {"找不到该窗口", "Window not found"});
  return *w;
}

store::Ticket QueueService::ticket_or_404(soci::session& s, std::int64_t id, bool for_update) {
  auto t = store::find_ticket(s, id, for_update);
  if (!t) throw ticket_not_found();
  return *t;
}

std::string QueueService::hall_name(soci::session& s, std::int64_t hall_id) {
  std::string name;
  long long id = hall_id;
  s << "SELECT name FROM halls WHERE id = :id", soci::into(name), soci::use(id);
  return name.empty() ? deps_.config.hall_name : name;
}

// ---------------------------------------------------------------------------
// Wait estimate inputs, cached for a few seconds per group.

QueueService::GroupStats QueueService::group_stats(soci::session& s, std::int64_t hall_id,
                                                   const std::string& group, Millis now) {
  auto key = std::make_pair(hall_id, group);
  {
    std::lock_guard lock(stats_mu_);
    auto it = stats_cache_.find(key);
    if (it != stats_cache_.end() && now - it->second.first < 5000 && now >= it->second.first)
      return it->second.second;
  }
  GroupStats g;
  std::vector<Millis> durations;
  std::vector<Bind> b{static_cast<long long>(hall_id), group,
                      static_cast<long long>(now - 14LL * 86400000)};
  store::query(s,
               "SELECT started_at, finished_at FROM queue_tickets WHERE hall_id = :h AND "
               "queue_group = :g AND "
               "finished_at IS NOT NULL AND started_at IS NOT NULL AND finished_at > :since ORDER "
               "BY finished_at DESC "
               "LIMIT 20",
               b, [&](const soci::row& r) { durations.push_back(col_i64(r, 1) - col_i64(r, 0)); });
  g.mean_minutes = mean_service_minutes(durations);
  g.open_windows =
      static_cast<int>(count_of(s,
                                "SELECT COUNT(DISTINCT ws.window_id) FROM queue_window_sessions ws "
                                "JOIN windows w ON w.id = ws.window_id "
                                "JOIN catalog_version_windows vw ON vw.window_id = w.id JOIN "
                                "catalog_items i ON i.current_version_id = "
                                "vw.version_id JOIN catalog_item_versions v ON v.id = "
                                "i.current_version_id WHERE ws.closed_at IS NULL AND "
                                "ws.paused = 0 AND w.hall_id = :h AND (CASE WHEN v.queue_prefix = "
                                "'' THEN 'Q' ELSE v.queue_prefix END) = :g",
                                {static_cast<long long>(hall_id), group}));
  std::lock_guard lock(stats_mu_);
  stats_cache_[key] = {now, g};
  return g;
}

// ---------------------------------------------------------------------------
// JSON

json::object QueueService::ticket_json(soci::session& s, const store::Ticket& t, View v, Millis now,
                                       const store::ItemInfo* known) {
  std::optional<store::ItemInfo> loaded;
  if (!known || known->id != t.item_id) {
    loaded = store::find_item(s, t.item_id);
    known = loaded ? &*loaded : nullptr;
  }
  store::VersionNames names = known && known->version_id == t.item_version_id
                                  ? store::VersionNames{known->name, known->name_en}
                                  : store::version_names(s, t.item_version_id);
  json::object o;
  o["id"] = t.id;
  o["number"] = t.number;
  o["hall_id"] = t.hall_id;
  o["item_id"] = t.item_id;
  o["item_version_id"] = t.item_version_id;
  o["item_name"] = names.name;
  o["item_name_en"] = names.name_en;
  o["queue_group"] = t.queue_group;
  o["status"] = to_string(t.status);
  o["green_channel"] = t.green;
  json::value reason = nullptr;
  if (t.green) {
    std::string name;
    std::string code = t.green_reason_code.value_or("");
    s << "SELECT name FROM queue_green_reasons WHERE code = :c", soci::into(name), soci::use(code);
    std::string text = t.green_reason_text.value_or("");
    reason = json::value(code == kGreenReasonOther || name.empty()
                             ? (text.empty() ? name : text)
                             : (text.empty() ? name : name + "：" + text));
  }
  o["green_reason"] = reason;
  o["green_reason_code"] = or_null(t.green_reason_code);
  o["appointment_id"] = or_null(t.appointment_id);
  o["slot_start"] = iso_or_null(t.slot_start);
  o["taken_at"] = iso8601_utc(t.taken_at);
  o["called_at"] = iso_or_null(t.called_at);
  o["started_at"] = iso_or_null(t.started_at);
  o["finished_at"] = iso_or_null(t.finished_at);
  o["window_id"] = or_null(t.window_id);
  json::value wnum = nullptr;
  if (t.window_id)
    if (auto w = store::find_window(s, *t.window_id)) wnum = w->number;
  o["window_number"] = wnum;
  json::array windows;
  if (known)
    for (const auto& w : known->windows)
      if (w.hall_id == t.hall_id && (!t.target_window_id || *t.target_window_id == w.id))
        windows.push_back(json::object{
            {"id", w.id}, {"number", w.number}, {"name", w.name}, {"name_en", w.name_en}});
  if (t.target_window_id && windows.empty())
    if (auto w = store::find_window(s, *t.target_window_id))
      windows.push_back(json::object{
          {"id", w->id}, {"number", w->number}, {"name", w->name}, {"name_en", w->name_en}});
  o["windows"] = std::move(windows);
  int ahead = 0, wait = 0;
  if (t.status == Status::waiting) {
    ahead = store::people_ahead(s, t, now);
    auto g = group_stats(s, t.hall_id, t.queue_group, now);
    wait = estimated_wait_minutes(ahead, g.mean_minutes, g.open_windows);
  }
  o["people_ahead"] = ahead;
  o["estimated_wait_minutes"] = wait;
  o["status_token"] = t.status_token;
  o["status_url"] = "/t/" + t.status_token;
  o["outcome"] = or_null(t.outcome);
  o["recalls"] = t.recalls;
  o["rejoined"] = t.rejoined;
  o["channel"] = t.channel;
  o["transferred_at"] = iso_or_null(t.transferred_at);
  o["target_window_id"] = or_null(t.target_window_id);
  if (v.with_student) {
    if (auto st = store::find_student(s, t.student_id))
      o["student"] = json::object{{"id", st->id},
                                  {"name", st->name},
                                  {"student_no", st->student_no},
                                  {"college_name", st->college_name},
                                  {"major", st->major},
                                  {"class_name", st->class_name},
                                  {"phone", st->phone}};
  }
  return o;
}

json::object QueueService::public_json(soci::session& s, const store::Ticket& t, Millis now,
                                       bool english) {
  auto names = store::version_names(s, t.item_version_id);
  int ahead = 0, wait = 0;
  if (t.status == Status::waiting) {
    ahead = store::people_ahead(s, t, now);
    auto g = group_stats(s, t.hall_id, t.queue_group, now);
    wait = estimated_wait_minutes(ahead, g.mean_minutes, g.open_windows);
  }
  std::optional<int> wnum;
  if (t.window_id && (t.status == Status::called || t.status == Status::serving))
    if (auto w = store::find_window(s, *t.window_id)) wnum = w->number;
  Text msg = status_message(t.status, ahead, wait, wnum);
  return json::object{{"number", t.number},
                      {"item_name", english && !names.name_en.empty() ? names.name_en : names.name},
                      {"item_name_en", names.name_en},
                      {"status", to_string(t.status)},
                      {"people_ahead", ahead},
                      {"estimated_wait_minutes", wait},
                      {"window_number", wnum ? json::value(*wnum) : json::value(nullptr)},
                      {"called_at", iso_or_null(t.called_at)},
                      {"hall_name", hall_name(s, t.hall_id)},
                      {"message", msg.in(english)},
                      {"message_en", msg.en},
                      {"taken_at", iso8601_utc(t.taken_at)}};
}

// ---------------------------------------------------------------------------
// Publishing

void QueueService::after_commit(Publish& p) {
  Millis now = Clock::now();
  if (!p.tickets.empty()) {
    std::vector<std::pair<std::string, std::string>> events;
    deps_.db->read([&](soci::session& s) {
      for (auto id : p.tickets)
        if (auto t = store::find_ticket(s, id, false))
          events.emplace_back("ticket:" + t->status_token,
                              json::serialize(public_json(s, *t, now, false)));
    });
    for (auto& [topic, data] : events) deps_.push.publish(topic, "ticket", data);
  }
  for (auto& [hall, call] : p.calls) publish_called(hall, call);
  for (auto w : p.windows)
    deps_.push.publish(fmt::format("window:{}", w), "console",
                      json::serialize(json::object{{"window_id", w}, {"reason", p.reason}}));
  for (auto& [h, d, g] : p.dirty) mark_dirty(h, d, g);
}

void QueueService::publish_called(std::int64_t hall_id, const json::object& call) {
  deps_.push.publish(fmt::format("hall:{}", hall_id), "called", json::serialize(call));
}

void QueueService::notify_windows_of_item(soci::session& s, std::int64_t item_id,
                                          std::int64_t hall_id, std::set<std::int64_t>& windows) {
  if (auto item = store::find_item(s, item_id))
    for (const auto& w : item->windows)
      if (w.hall_id == hall_id) windows.insert(w.id);
}

void QueueService::mark_dirty(std::int64_t hall_id, const std::string& date,
                              const std::string& group) {
  {
    std::lock_guard lock(live_mu_);
    dirty_groups_.emplace(hall_id, date, group);
    dirty_halls_.insert(hall_id);
  }
  live_cv_.notify_one();
}

json::array QueueService::waiting_counts(soci::session& s, std::int64_t hall_id,
                                         const std::string& date) {
  // Every group served in the hall, named after the units whose items queue in it.
  std::map<std::string, std::pair<std::string, std::string>> names;
  std::vector<Bind> b{static_cast<long long>(hall_id)};
  store::query(s,
               "SELECT DISTINCT v.queue_prefix, u.name, u.name_en FROM catalog_items i JOIN "
               "catalog_item_versions v ON "
               "v.id = i.current_version_id JOIN units u ON u.id = v.unit_id JOIN "
               "catalog_version_windows vw ON "
               "vw.version_id = v.id JOIN windows w ON w.id = vw.window_id WHERE w.hall_id = :h "
               "AND w.active = 1 "
               "ORDER BY v.queue_prefix, u.name",
               b, [&](const soci::row& r) {
                 auto& n = names[queue_group(col_str(r, 0))];
                 std::string zh = col_str(r, 1), en = col_str(r, 2);
                 if (n.first.find(zh) == std::string::npos)
                   n.first += (n.first.empty() ? "" : "、") + zh;
                 if (!en.empty() && n.second.find(en) == std::string::npos)
                   n.second += (n.second.empty() ? "" : ", ") + en;
               });
  std::map<std::string, long long> counts;
  std::vector<Bind> b2{static_cast<long long>(hall_id), date};
  store::query(s,
               "SELECT queue_group, COUNT(*) FROM queue_tickets WHERE hall_id = :h AND "
               "service_date = :d AND status = "
               "'waiting' GROUP BY queue_group",
               b2, [&](const soci::row& r) { counts[col_str(r, 0)] = col_i64(r, 1); });
  for (auto& [g, n] : counts) names.try_emplace(g);
  json::array out;
  for (auto& [g, n] : names)
    out.push_back(
        json::object{{"group", g}, {"name", n.first}, {"name_en", n.second}, {"count", counts[g]}});
  return out;
}

void QueueService::flush_live_updates() {
  std::lock_guard flush(flush_mu_);
  std::set<std::tuple<std::int64_t, std::string, std::string>> groups;
  std::set<std::int64_t> halls;
  {
    std::lock_guard lock(live_mu_);
    groups.swap(dirty_groups_);
    halls.swap(dirty_halls_);
  }
  if (groups.empty() && halls.empty()) return;
  Millis now = Clock::now();
  std::string today = local_date(now);
  std::vector<std::tuple<std::string, std::string, std::string>> out;  // topic, type, data
  deps_.db->read([&](soci::session& s) {
    for (auto h : halls) {
      std::string data = json::serialize(json::object{{"waiting", waiting_counts(s, h, today)}});
      std::lock_guard lock(live_mu_);
      if (last_waiting_[h] == data) continue;
      last_waiting_[h] = data;
      out.emplace_back(fmt::format("hall:{}", h), "waiting", data);
    }
    for (auto& [h, date, group] : groups) {
      // The first 500 of the group in call order: their positions and waits. Each lane is read
      // in index order (no sort of the whole queue), then merged by the model's order.
      long long hall = h, n = now, lim = 500;
      const std::string where =
          "WHERE t.status = 'waiting' AND t.hall_id = :h AND t.service_date = :d AND t.queue_group "
          "= :g ";
      auto tickets =
          store::tickets_where(s, where + "AND t.priority = 1 ORDER BY t.sort_key, t.id LIMIT :lim",
                               {hall, date, group, lim});
      auto due = store::tickets_where(
          s,
          where +
              "AND t.priority = 0 AND t.rejoined = 0 AND t.slot_start IS NOT NULL AND "
              "t.slot_start <= :now ORDER BY t.slot_start, t.id LIMIT :lim",
          {hall, date, group, n, lim});
      auto rest =
          store::tickets_where(s, where + "AND t.priority = 0 ORDER BY t.sort_key, t.id LIMIT :lim",
                               {hall, date, group, lim + static_cast<long long>(due.size())});
      std::set<std::int64_t> seen;
      for (auto* part : {&due, &rest})
        for (auto& t : *part)
          if (seen.insert(t.id).second) tickets.push_back(t);
      std::sort(tickets.begin(), tickets.end(),
                [now](const store::Ticket& a, const store::Ticket& b) {
                  return called_before(a.entry(), b.entry(), now);
                });
      if (tickets.size() > 500) tickets.resize(500);
      if (tickets.empty()) continue;
      auto g = group_stats(s, h, group, now);
      std::string hname = hall_name(s, h);
      std::map<std::int64_t, store::VersionNames> names;
      for (std::size_t i = 0; i < tickets.size(); ++i) {
        const auto& t = tickets[i];
        int ahead = static_cast<int>(i);
        int wait = estimated_wait_minutes(ahead, g.mean_minutes, g.open_windows);
        {
          std::lock_guard lock(live_mu_);
          auto& last = last_position_[t.status_token];
          if (last == std::make_pair(ahead, wait)) continue;
          last = {ahead, wait};
        }
        auto it = names.find(t.item_version_id);
        if (it == names.end())
          it = names.emplace(t.item_version_id, store::version_names(s, t.item_version_id)).first;
        Text msg = status_message(Status::waiting, ahead, wait, std::nullopt);
        out.emplace_back("ticket:" + t.status_token, "ticket",
                         json::serialize(json::object{{"number", t.number},
                                                      {"item_name", it->second.name},
                                                      {"item_name_en", it->second.name_en},
                                                      {"status", "waiting"},
                                                      {"people_ahead", ahead},
                                                      {"estimated_wait_minutes", wait},
                                                      {"window_number", nullptr},
                                                      {"called_at", iso_or_null(t.called_at)},
                                                      {"hall_name", hname},
                                                      {"message", msg.zh},
                                                      {"message_en", msg.en},
                                                      {"taken_at", iso8601_utc(t.taken_at)}}));
      }
    }
  });
  for (auto& [topic, type, data] : out) deps_.push.publish(topic, type, data);
  std::lock_guard lock(live_mu_);
  if (last_position_.size() > 100000) last_position_.clear();
}

void QueueService::notifier_loop() {
  auto last_sweep = std::chrono::steady_clock::now();
  for (;;) {
    {
      std::unique_lock lock(live_mu_);
      live_cv_.wait_for(lock, std::chrono::seconds(5), [&] {
        return stopping_ || !dirty_groups_.empty() || !dirty_halls_.empty();
      });
      if (stopping_) return;
    }
    // Let a burst of changes gather: at most ~5 recomputations a second, each well within a second
    // of the change.
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    try {
      flush_live_updates();
      if (std::chrono::steady_clock::now() - last_sweep > std::chrono::seconds(30)) {
        last_sweep = std::chrono::steady_clock::now();
        sweep_no_shows();
      }
    } catch (const std::exception&) {
      // The next change retries; a failed recomputation must not stop the notifier.
    }
  }
}

// ---------------------------------------------------------------------------
// Taking a number

std::int64_t QueueService::insert_ticket(soci::session& s, const NewTicket& n, Millis now) {
  std::string number = format_number(n.group, n.seq), token = random_token();
  long long hall = n.hall_id, item = n.item_id, version = n.item_version_id, student = n.student_id,
            seq = n.seq, key = sort_key_for(now, n.seq), at = now;
  std::optional<long long> appt = n.appointment_id, slot = n.slot_start, by_user = n.by_user,
                           by_device = n.by_device;
  db::Values v{hall,      n.date, number, seq,  n.group, item, version, student,
               n.channel, token,  key,    slot, appt,    at,   by_user, by_device};
  return *db::query_i64(s,
                        "INSERT INTO queue_tickets (hall_id, service_date, number, seq, "
                        "queue_group, item_id, item_version_id, "
                        "student_id, channel, status, status_token, sort_key, slot_start, "
                        "appointment_id, taken_at, taken_by_user, "
                        "taken_by_device) VALUES (:h, :d, :n, :seq, :g, :i, :v, :s, :c, 'waiting', "
                        ":tok, :k, :slot, :appt, :at, :bu, "
                        ":bd) RETURNING id",
                        v);
}

namespace {

struct CalendarState {
  bool working = true, open_now = true, open15 = true;
};

CalendarState calendar_state(calendar::CalendarService& cal_service, std::int64_t hall_id,
                             Millis now) {
  auto cal = cal_service.for_hall(hall_id);
  calendar::Instant t{std::chrono::seconds(now / 1000)};
  CalendarState c;
  c.working = cal->is_working_day(cal->local_date(t));
  c.open_now = c.working && cal->is_open(t);
  c.open15 = c.open_now && cal->is_open(t + std::chrono::minutes(kClosingSoonMinutes));
  return c;
}

std::optional<std::int64_t> idempotent_ticket(soci::session& s, const std::string& caller,
                                              const std::string& key) {
  db::Values v{caller, key};
  return db::query_i64(
      s, "SELECT ticket_id FROM queue_idempotency WHERE caller = :c AND idem_key = :k", v);
}

// The student a request is for: a kiosk names them (学号 or campus card), a student is themself.
std::int64_t resolve_student(soci::session& s, const auth::Caller& c,
                             const std::optional<std::string>& student_no) {
  if (c.principal.is_student()) {
    if (student_no && !student_no->empty()) {
      auto st = store::find_student(s, c.principal.user_id);
      if (!st || (st->student_no != *student_no && st->card_no != *student_no)) throw forbidden();
    }
    return c.principal.user_id;
  }
  if (!student_no || student_no->empty())
    throw bad_request("missing_field",
                      {"请输入学号或校园卡号", "Enter a student number or campus card number"},
                      "student_no");
  // 学号 or campus card number, one lookup.
  std::optional<long long> id;
  bool disabled = false;
  db::Values v{*student_no, *student_no};
  db::query_rows(s,
                 "SELECT u.id, u.disabled FROM students st JOIN users u ON u.id = st.user_id WHERE "
                 "st.student_no = :k "
                 "OR st.card_no = :k2",
                 v, [&](const soci::row& r) {
                   id = col_i64(r, 0);
                   disabled = col_i64(r, 1) != 0;
                 });
  if (!id || disabled)
    throw not_found("student_not_found", {"找不到该学号或校园卡号对应的学生",
                                          "No student with this number or campus card"});
  return *id;
}

}  // namespace

QueueService::Taken QueueService::take(const auth::Caller& c, std::int64_t item_id,
                                       const std::optional<std::string>& student_no,
                                       const std::string& key) {
  if (key.empty())
    throw bad_request("missing_idempotency_key",
                      {"缺少 Idempotency-Key 请求头", "The Idempotency-Key header is required"},
                      "Idempotency-Key");
  if (key.size() < 8 || key.size() > 100 ||
      !std::all_of(key.begin(), key.end(), [](unsigned char ch) { return ch > 32 && ch < 127; }))
    throw bad_request("invalid_idempotency_key",
                      {"Idempotency-Key 应为 8 到 100 个可见 ASCII 字符",
                       "Idempotency-Key must be 8 to 100 visible ASCII characters"},
                      "Idempotency-Key");
  std::string channel;
  if (is_device_kind(c, {"kiosk"}))
    channel = "kiosk";
  else if (c.principal.is_student())
    channel = "mobile";
  else if (c.principal.is_user() && auth::has_permission(c.principal, "queue.operate"))
    channel = "window";  // at the counter
  else
    throw forbidden();

  Millis now = Clock::now();
  std::string today = local_date(now), ck = caller_key(c);

  // What does not change inside the transaction: the item, the student, the calendar.
  struct Pre {
    store::ItemInfo item;
    std::int64_t student_id = 0, hall_id = 0;
    TakeContext ctx;
    std::optional<std::int64_t> existing;
  } pre;
  deps_.db->read([&](soci::session& s) {
    // (A repeated key is answered inside the write below, before any rule is applied.)
    auto item = store::find_item(s, item_id);
    if (!item) throw not_found("item_not_found", {"找不到该服务事项", "Service item not found"});
    pre.item = *item;
    pre.student_id = resolve_student(s, c, student_no);
  });
  std::optional<std::int64_t> ticket_id = pre.existing;
  bool created = false;
  if (!ticket_id) {
    const auto& item = pre.item;
    if (c.principal.is_device())
      pre.hall_id = c.principal.hall_id;
    else if (!item.windows.empty())
      pre.hall_id = item.windows.front().hall_id;
    else
      pre.hall_id = deps_.calendar->resolve_hall(0);
    pre.ctx.suspended = item.suspended;
    pre.ctx.served_on_site =
        item.handling_mode != "online" &&
        std::any_of(item.windows.begin(), item.windows.end(),
                    [&](const store::WindowInfo& w) { return w.hall_id == pre.hall_id; });
    auto cal = calendar_state(*deps_.calendar, pre.hall_id, now);
    pre.ctx.working_day = cal.working;
    pre.ctx.open_now = cal.open_now;
    pre.ctx.open_in_15_minutes = cal.open15;
    pre.ctx.period_open =
        catalog::period_open(catalog::periods_from_json(item.periods_json), today);
    pre.ctx.daily_quota = item.daily_quota;

    std::string group = item.group();
    try {
      writes_->run([&](soci::session& s) {
        ticket_id.reset();
        created = false;
        // A repeated request (same caller, same key) returns the ticket it made — even after the
        // hall closed.
        if ((ticket_id = idempotent_ticket(s, ck, key))) return;
        // The sequence row first: on PostgreSQL its lock serializes every taker of this group,
        // so the quota and "already holding" counts below cannot race.
        std::int64_t seq = store::next_sequence(s, pre.hall_id, today, group);
        TakeContext ctx = pre.ctx;
        long long item_l = item_id, student_l = pre.student_id;
        if (ctx.daily_quota)  // counted only when there is a quota to check
          ctx.taken_today =
              static_cast<int>(count_of(s,
                                        "SELECT COUNT(*) FROM queue_tickets WHERE item_id = :i AND "
                                        "service_date = :d AND status <> 'cancelled'",
                                        {item_l, today}));
        ctx.holding_open_ticket = count_of(s,
                                           "SELECT COUNT(*) FROM queue_tickets WHERE student_id = "
                                           ":s AND item_id = :i AND service_date = :d "
                                           "AND status IN ('waiting', 'called', 'serving')",
                                           {student_l, item_l, today}) > 0;
        if (auto r = take_refusal(ctx)) throw to_error(*r);
        NewTicket n;
        n.hall_id = pre.hall_id;
        n.item_id = item_id;
        n.item_version_id = item.version_id;
        n.student_id = pre.student_id;
        n.group = group;
        n.channel = channel;
        n.date = today;
        n.seq = seq;
        if (c.principal.is_device())
          n.by_device = c.principal.device_id;
        else
          n.by_user = c.principal.user_id;
        std::int64_t id = insert_ticket(s, n, now);
        long long id_l = id, at = now;
        db::Values iv{ck, key, id_l, at};
        db::execute_sql(s,
                        "INSERT INTO queue_idempotency (caller, idem_key, ticket_id, created_at) "
                        "VALUES (:c, :k, :t, :at)",
                        iv);
        store::add_event(s, now, "taken", id, std::nullopt, std::nullopt, actor(c), channel);
        auth::audit(s, c, "queue.ticket.take", "ticket", std::to_string(id),
                    json::object{{"number", format_number(group, seq)},
                                 {"item_id", item_id},
                                 {"student_id", pre.student_id},
                                 {"channel", channel}});
        ticket_id = id;
        created = true;
      });
    } catch (const std::exception& e) {
      // Two requests with one key at the same moment: the loser sees the winner's ticket.
      auto again = deps_.db->read([&](soci::session& s) { return idempotent_ticket(s, ck, key); });
      if (!again) throw;
      ticket_id = again;
      created = false;
    }
  }
  Taken out;
  out.created = created;
  View v{!c.principal.is_device()};
  store::Ticket t;
  deps_.db->read([&](soci::session& s) {
    t = ticket_or_404(s, *ticket_id, false);
    out.ticket = ticket_json(s, t, v, now, &pre.item);
  });
  if (created) {
    // A new ticket's status page is not open yet (its token was just issued): no ticket event;
    // the consoles of the windows serving the item and the board's counts change.
    Publish p;
    p.reason = "taken";
    for (const auto& w : pre.item.windows)
      if (w.hall_id == t.hall_id) p.windows.insert(w.id);
    p.dirty.emplace_back(t.hall_id, t.service_date, t.queue_group);
    after_commit(p);
  }
  return out;
}

json::object QueueService::mine(const auth::Caller& c) {
  if (!c.principal.is_student()) throw forbidden();
  Millis now = Clock::now();
  json::array items;
  deps_.db->read([&](soci::session& s) {
    for (const auto& t : store::tickets_where(
             s, "WHERE t.student_id = :s AND t.service_date = :d ORDER BY t.id DESC",
             {static_cast<long long>(c.principal.user_id), local_date(now)}))
      items.push_back(ticket_json(s, t, View{true}, now));
  });
  return json::object{{"items", items}};
}

json::object QueueService::ticket(const auth::Caller& c, std::int64_t id) {
  Millis now = Clock::now();
  return deps_.db->read([&](soci::session& s) {
    auto t = ticket_or_404(s, id, false);
    bool owner = c.principal.is_student() && t.student_id == c.principal.user_id;
    bool staff = c.principal.is_user() && auth::has_permission(c.principal, "queue.operate");
    if (!owner && !staff) throw forbidden();  // a student sees only their own tickets
    return ticket_json(s, t, View{true}, now);
  });
}

json::object QueueService::cancel(const auth::Caller& c, std::int64_t id) {
  Millis now = Clock::now();
  store::Ticket t;
  writes_->run([&](soci::session& s) {
    t = ticket_or_404(s, id, true);
    if (!(c.principal.is_student() && t.student_id == c.principal.user_id)) throw forbidden();
    check_transition(Action::cancel, t.status);
    long long at = now, tid = id;
    s << "UPDATE queue_tickets SET status = 'cancelled', cancelled_at = :at WHERE id = :id",
        soci::use(at), soci::use(tid);
    store::add_event(s, now, "cancelled", id, std::nullopt, std::nullopt, actor(c), "");
    auth::audit(s, c, "queue.ticket.cancel", "ticket", std::to_string(id),
                json::object{{"number", t.number}});
  });
  return answer_and_publish(t, "cancelled", now);
}

json::object QueueService::list(const auth::Caller& c, const TicketListQuery& q) {
  Millis now = Clock::now();
  std::string where = "WHERE t.service_date = :d";
  std::string date = q.date.empty() ? local_date(now) : q.date;
  std::vector<Bind> b{date};
  if (q.hall_id) {
    where += " AND t.hall_id = :h";
    b.emplace_back(static_cast<long long>(*q.hall_id));
  }
  if (!q.status.empty()) {
    if (!parse_status(q.status))
      throw bad_request("invalid_status", {"状态取值无效", "Unknown status"}, "status");
    where += " AND t.status = :st";
    b.emplace_back(q.status);
  }
  if (q.window_id) {
    where += " AND t.window_id = :w";
    b.emplace_back(static_cast<long long>(*q.window_id));
  }
  json::array items;
  long long total = 0;
  deps_.db->read([&](soci::session& s) {
    auto cb = b;
    store::query(s, "SELECT COUNT(*) FROM queue_tickets t " + where, cb,
                 [&](const soci::row& r) { total = col_i64(r, 0); });
    auto pb = b;
    pb.emplace_back(static_cast<long long>(q.page_size));
    pb.emplace_back(static_cast<long long>((q.page - 1) * q.page_size));
    for (const auto& t :
         store::tickets_where(s, where + " ORDER BY t.id DESC LIMIT :lim OFFSET :off", pb))
      items.push_back(ticket_json(s, t, View{true}, now));
  });
  return json::object{
      {"items", items}, {"total", total}, {"page", q.page}, {"page_size", q.page_size}};
}

json::object QueueService::green_reasons(bool english) {
  json::array items;
  deps_.db->read([&](soci::session& s) {
    std::vector<Bind> b;
    store::query(
        s,
        "SELECT code, name, name_en FROM queue_green_reasons WHERE active = 1 ORDER BY position, "
        "code",
        b, [&](const soci::row& r) {
          std::string en = col_str(r, 2);
          items.push_back(json::object{{"code", col_str(r, 0)},
                                       {"name", english && !en.empty() ? en : col_str(r, 1)}});
        });
  });
  return json::object{{"items", items}};
}

json::object QueueService::mark_green(const auth::Caller& c, std::int64_t id,
                                      const std::string& code, const std::string& text) {
  Millis now = Clock::now();
  bool known = deps_.db->read([&](soci::session& s) {
    return count_of(s, "SELECT COUNT(*) FROM queue_green_reasons WHERE code = :c AND active = 1",
                    {code}) > 0;
  });
  if (!known)
    throw bad_request("invalid_reason_code", {"绿色通道原因无效", "Unknown green-channel reason"},
                      "reason_code");
  if (code == kGreenReasonOther && text.empty())
    throw bad_request("missing_field",
                      {"请填写绿色通道的具体原因", "Describe the reason for the green channel"},
                      "reason_text");
  store::Ticket t;
  writes_->run([&](soci::session& s) {
    t = ticket_or_404(s, id, true);
    check_transition(Action::mark_green, t.status);
    if (t.green)
      throw conflict("already_green",
                     {"该号已在绿色通道中", "This ticket is already in the green channel"});
    long long tid = id, at = now, hall = t.hall_id, by = c.principal.user_id;
    int prio = t.rejoined ? 0 : 1;
    std::optional<std::string> txt;
    if (!text.empty()) txt = text;
    s << "UPDATE queue_tickets SET green = 1, priority = :p, green_reason_code = :c, "
         "green_reason_text = :t WHERE id = :id",
        soci::use(prio), soci::use(code), soci::use(txt), soci::use(tid);
    s << "INSERT INTO queue_green_marks (ticket_id, hall_id, service_date, reason_code, "
         "reason_text, marked_by, "
         "marked_at) VALUES (:t, :h, :d, :c, :x, :by, :at)",
        soci::use(tid), soci::use(hall), soci::use(t.service_date), soci::use(code),
        soci::use(text), soci::use(by), soci::use(at);
    store::add_event(s, now, "green", id, std::nullopt, std::nullopt, actor(c), code);
    // B6.5: every jump of the queue is audited with its reason.
    auth::audit(s, c, "queue.ticket.green_channel", "ticket", std::to_string(id),
                json::object{{"number", t.number}, {"reason_code", code}, {"reason_text", text}});
  });
  return answer_and_publish(t, "green_channel", now);
}

// After a change to one ticket that leaves it in its group's queue (cancelled, marked green,
// rejoined): its status page, the consoles of the windows serving its item and its group's
// positions are told; the answer is the ticket as staff see it.
json::object QueueService::answer_and_publish(const store::Ticket& t, const std::string& reason,
                                              Millis now) {
  Publish p;
  p.reason = reason;
  p.tickets.push_back(t.id);
  json::object out;
  deps_.db->read([&](soci::session& s) {
    notify_windows_of_item(s, t.item_id, t.hall_id, p.windows);
    out = ticket_json(s, ticket_or_404(s, t.id, false), View{true}, now);
  });
  p.dirty.emplace_back(t.hall_id, t.service_date, t.queue_group);
  after_commit(p);
  return out;
}

json::object QueueService::public_status(const std::string& token, bool english) {
  Millis now = Clock::now();
  return deps_.db->read([&](soci::session& s) {
    auto t = store::find_ticket_by_token(s, token);
    if (!t) throw ticket_not_found();
    return public_json(s, *t, now, english);
  });
}

std::string QueueService::status_token_exists(const std::string& token) {
  bool ok = token.size() >= 20 && token.size() <= 100 && deps_.db->read([&](soci::session& s) {
    return count_of(s, "SELECT COUNT(*) FROM queue_tickets WHERE status_token = :t", {token}) > 0;
  });
  if (!ok) throw ticket_not_found();
  return token;
}

// ---------------------------------------------------------------------------
// Windows

void QueueService::check_window_access(const auth::Caller& c, std::int64_t window_id) {
  deps_.db->read([&](soci::session& s) {
    auto w = window_or_404(s, window_id);
    if (!may_operate(c, w)) throw window_not_yours();
  });
}

json::object QueueService::console(const auth::Caller& c, std::int64_t window_id) {
  Millis now = Clock::now();
  std::string today = local_date(now);
  return deps_.db->read([&](soci::session& s) {
    auto w = window_or_404(s, window_id);
    if (!may_operate(c, w)) throw window_not_yours();
    json::object out;
    out["window"] =
        json::object{{"id", w.id},        {"hall_id", w.hall_id}, {"number", w.number},
                     {"name", w.name},    {"name_en", w.name_en}, {"unit_id", or_null(w.unit_id)},
                     {"active", w.active}};
    auto ses = store::open_session(s, window_id, false);
    out["session"] =
        ses ? json::value(json::object{{"id", ses->id},
                                       {"staff_id", ses->staff_id},
                                       {"staff_name", ses->staff_name},
                                       {"opened_at", iso8601_utc(ses->opened_at)},
                                       {"paused", ses->paused},
                                       {"pause_reason", ses->paused ? json::value(ses->pause_reason)
                                                                    : json::value(nullptr)}})
            : json::value(nullptr);
    auto cur = store::tickets_where(
        s,
        "WHERE t.window_id = :w AND t.status IN ('called', 'serving') ORDER BY t.id DESC LIMIT 1",
        {static_cast<long long>(window_id)});
    out["current"] = cur.empty() ? json::value(nullptr)
                                 : json::value(ticket_json(s, cur.front(), View{true}, now));
    json::array queue;
    for (const auto& t : store::window_queue(s, w.hall_id, today, window_id, now, 50))
      queue.push_back(ticket_json(s, t, View{true}, now));
    out["queue"] = std::move(queue);
    std::vector<Millis> durations;
    std::vector<Bind> b{static_cast<long long>(window_id), today};
    long long served = 0;
    store::query(s,
                 "SELECT started_at, finished_at FROM queue_tickets WHERE window_id = :w AND "
                 "service_date = :d AND "
                 "status = 'done' AND started_at IS NOT NULL",
                 b, [&](const soci::row& r) {
                   ++served;
                   durations.push_back(col_i64(r, 1) - col_i64(r, 0));
                 });
    out["served_today"] = served;
    out["avg_service_minutes"] =
        durations.empty() ? 0.0 : std::round(mean_service_minutes(durations) * 10) / 10;
    return out;
  });
}

json::object QueueService::my_windows(const auth::Caller& c, std::optional<std::int64_t> hall_id) {
  Millis now = Clock::now();
  std::string today = local_date(now);
  return deps_.db->read([&](soci::session& s) {
    std::vector<std::int64_t> ids;
    std::vector<Bind> b{static_cast<long long>(hall_id.value_or(0)),
                        static_cast<long long>(hall_id.value_or(0))};
    store::query(s,
                 "SELECT id FROM windows WHERE active = 1 AND (:h = 0 OR hall_id = :h2) ORDER BY "
                 "hall_id, number",
                 b, [&](const soci::row& r) { ids.push_back(col_i64(r, 0)); });
    struct Row {
      store::WindowInfo w;
      std::optional<store::Session> ses;
      std::size_t queue = 0;
      bool mine_now = false, own_unit = false;
    };
    std::vector<Row> rows;
    for (auto id : ids) {
      auto w = store::find_window(s, id);
      if (!w || !may_operate(c, *w)) continue;
      Row r{*w, store::open_session(s, id, false)};
      r.queue = store::window_queue(s, w->hall_id, today, id, now, 200).size();
      r.mine_now = r.ses && r.ses->staff_id == c.principal.user_id;
      r.own_unit = c.principal.unit_id != 0 && w->unit_id && *w->unit_id == c.principal.unit_id;
      rows.push_back(std::move(r));
    }
    std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
      return std::pair(!a.mine_now, !a.own_unit) < std::pair(!b.mine_now, !b.own_unit);
    });
    json::array items;
    for (const auto& r : rows)
      items.push_back(json::object{
          {"id", r.w.id},
          {"hall_id", r.w.hall_id},
          {"number", r.w.number},
          {"name", r.w.name},
          {"name_en", r.w.name_en},
          {"unit_id", or_null(r.w.unit_id)},
          {"mine_now", r.mine_now},
          {"own_unit", r.own_unit},
          {"queue_length", static_cast<std::int64_t>(r.queue)},
          {"session", r.ses ? json::value(json::object{{"staff_name", r.ses->staff_name},
                                                       {"opened_at", iso8601_utc(r.ses->opened_at)},
                                                       {"paused", r.ses->paused}})
                            : json::value(nullptr)}});
    return json::object{{"items", items}};
  });
}

json::object QueueService::open_session(const auth::Caller& c, std::int64_t window_id) {
  if (!c.principal.is_user()) throw forbidden();
  Millis now = Clock::now();
  long long sid = 0;
  writes_->run([&](soci::session& s) {
    auto w = window_or_404(s, window_id);
    if (!w.active) throw conflict("window_inactive", {"该窗口已停用", "This window is not in use"});
    if (!may_operate(c, w)) throw window_not_yours();
    if (store::open_session(s, window_id, true))
      throw conflict("session_exists",
                     {"该窗口已有工作人员签到", "Someone is already signed in at this window"});
    long long staff = c.principal.user_id, at = now, wid = window_id;
    if (count_of(
            s,
            "SELECT COUNT(*) FROM queue_window_sessions WHERE staff_id = :s AND closed_at IS NULL",
            {staff}) > 0)
      throw conflict("session_exists",
                     {"您已在另一个窗口签到，请先签退",
                      "You are signed in at another window; sign out there first"});
    try {
      s << "INSERT INTO queue_window_sessions (window_id, staff_id, opened_at) VALUES (:w, :s, :at) "
           "RETURNING id",
          soci::use(wid), soci::use(staff), soci::use(at), soci::into(sid);
    } catch (const std::exception& e) {
      // Two sign-ins at once on PostgreSQL: neither saw the other's session (no
      // row to lock yet); the UNIQUE index on open sessions decides (burst test).
      if (db::is_unique_violation(e))
        throw conflict("session_exists",
                       {"该窗口已有工作人员签到", "Someone is already signed in at this window"});
      throw;
    }
    store::add_event(s, now, "session_opened", std::nullopt, window_id, sid, actor(c), "");
    auth::audit(s, c, "queue.window.open", "window", std::to_string(window_id),
                json::object{{"session_id", sid}});
  });
  Publish p;
  p.reason = "session_opened";
  p.windows.insert(window_id);
  after_commit(p);
  {
    std::lock_guard lock(stats_mu_);
    stats_cache_.clear();
  }
  return json::object{{"id", sid},
                      {"window_id", window_id},
                      {"staff_id", c.principal.user_id},
                      {"staff_name", c.principal.name},
                      {"opened_at", iso8601_utc(now)},
                      {"paused", false},
                      {"pause_reason", nullptr}};
}

namespace {
// The open session at a window that the caller may act in: the holder, or a teacher /
// administrator.
store::Session held_session(soci::session& s, std::int64_t window_id, const auth::Caller& c,
                            bool supervisor, bool for_update) {
  auto ses = store::open_session(s, window_id, for_update);
  if (!ses) throw window_not_open();
  if (!supervisor && ses->staff_id != c.principal.user_id) throw window_not_yours();
  return *ses;
}
}  // namespace

void QueueService::close_session(const auth::Caller& c, std::int64_t window_id) {
  Millis now = Clock::now();
  bool sup = is_supervisor(c);
  writes_->run([&](soci::session& s) {
    auto w = window_or_404(s, window_id);
    if (!may_operate(c, w)) throw window_not_yours();
    auto ses = held_session(s, window_id, c, sup, true);
    if (count_of(s,
                 "SELECT COUNT(*) FROM queue_tickets WHERE window_id = :w AND status IN ('called', "
                 "'serving')",
                 {static_cast<long long>(window_id)}) > 0)
      throw conflict("ticket_in_progress", {"请先办结当前的号", "Finish the current ticket first"});
    long long at = now, id = ses.id;
    s << "UPDATE queue_window_sessions SET closed_at = :at WHERE id = :id", soci::use(at),
        soci::use(id);
    store::add_event(s, now, "session_closed", std::nullopt, window_id, ses.id, actor(c), "");
    auth::audit(s, c, "queue.window.close", "window", std::to_string(window_id),
                json::object{{"session_id", ses.id}});
  });
  {
    std::lock_guard lock(stats_mu_);
    stats_cache_.clear();
  }
  Publish p;
  p.reason = "session_closed";
  p.windows.insert(window_id);
  after_commit(p);
}

json::object QueueService::pause(const auth::Caller& c, std::int64_t window_id,
                                 const std::string& reason) {
  Millis now = Clock::now();
  bool sup = is_supervisor(c);
  writes_->run([&](soci::session& s) {
    auto w = window_or_404(s, window_id);
    if (!may_operate(c, w)) throw window_not_yours();
    auto ses = held_session(s, window_id, c, sup, true);
    long long at = now, id = ses.id;
    s << "UPDATE queue_window_sessions SET paused = 1, pause_reason = :r, paused_at = :at WHERE id "
         "= :id",
        soci::use(reason), soci::use(at), soci::use(id);
    store::add_event(s, now, "paused", std::nullopt, window_id, ses.id, actor(c), reason);
    auth::audit(s, c, "queue.window.pause", "window", std::to_string(window_id),
                json::object{{"reason", reason}});
  });
  {
    std::lock_guard lock(stats_mu_);
    stats_cache_.clear();
  }
  Publish p;
  p.reason = "paused";
  p.windows.insert(window_id);
  after_commit(p);
  return console(c, window_id);
}

json::object QueueService::resume(const auth::Caller& c, std::int64_t window_id) {
  Millis now = Clock::now();
  bool sup = is_supervisor(c);
  writes_->run([&](soci::session& s) {
    auto w = window_or_404(s, window_id);
    if (!may_operate(c, w)) throw window_not_yours();
    auto ses = held_session(s, window_id, c, sup, true);
    long long id = ses.id;
    s << "UPDATE queue_window_sessions SET paused = 0, pause_reason = '', paused_at = NULL WHERE "
         "id = :id",
        soci::use(id);
    store::add_event(s, now, "resumed", std::nullopt, window_id, ses.id, actor(c), "");
    auth::audit(s, c, "queue.window.resume", "window", std::to_string(window_id));
  });
  {
    std::lock_guard lock(stats_mu_);
    stats_cache_.clear();
  }
  Publish p;
  p.reason = "resumed";
  p.windows.insert(window_id);
  after_commit(p);
  return console(c, window_id);
}

json::object QueueService::call_next(const auth::Caller& c, std::int64_t window_id) {
  Millis now = Clock::now();
  std::string today = local_date(now);
  bool sup = is_supervisor(c);
  store::Ticket t;
  store::WindowInfo w;
  writes_->run([&](soci::session& s) {
    w = window_or_404(s, window_id);
    if (!may_operate(c, w)) throw window_not_yours();
    // The session row lock (PostgreSQL) serializes two calls at the same window.
    auto ses = held_session(s, window_id, c, sup, true);
    if (ses.paused)
      throw conflict("window_paused",
                     {"窗口已暂停服务，请先恢复", "The window is paused; resume it first"});
    if (count_of(s,
                 "SELECT COUNT(*) FROM queue_tickets WHERE window_id = :w AND status IN ('called', "
                 "'serving')",
                 {static_cast<long long>(window_id)}) > 0)
      throw conflict("ticket_in_progress", {"请先办结当前的号", "Finish the current ticket first"});
    // A6: pick per the call order and take it only if it is still waiting; another window
    // may have taken it in between (PostgreSQL), then pick again.
    for (int attempt = 0;; ++attempt) {
      std::int64_t id = store::pick_next(s, w.hall_id, today, window_id, now, true);
      if (!id)
        throw not_found("queue_empty", {"当前没有等候的号", "Nobody is waiting for this window"});
      std::vector<Bind> b{static_cast<long long>(now), static_cast<long long>(window_id),
                          static_cast<long long>(ses.id), static_cast<long long>(id)};
      if (store::execute(s,
                         "UPDATE queue_tickets SET status = 'called', called_at = :at, window_id = "
                         ":w, session_id = "
                         ":s, target_window_id = NULL WHERE id = :id AND status = 'waiting'",
                         b) == 1) {
        t = ticket_or_404(s, id, false);
        break;
      }
      if (attempt > 50)
        throw std::runtime_error("call-next: could not take a ticket after 50 attempts");
    }
    long long hall = w.hall_id, tid = t.id, wid = window_id, at = now;
    int wnum = w.number;
    s << "INSERT INTO queue_calls (hall_id, service_date, ticket_id, ticket_number, window_id, "
         "window_number, "
         "called_at, recall) VALUES (:h, :d, :t, :n, :w, :wn, :at, 0)",
        soci::use(hall), soci::use(today), soci::use(tid), soci::use(t.number), soci::use(wid),
        soci::use(wnum), soci::use(at);
    store::add_event(s, now, "called", t.id, window_id, ses.id, actor(c), "");
    auth::audit(s, c, "queue.ticket.call", "ticket", std::to_string(t.id),
                json::object{{"number", t.number}, {"window_id", window_id}});
  });
  Publish p;
  p.reason = "called";
  p.tickets.push_back(t.id);
  p.calls.emplace_back(w.hall_id, json::object{{"ticket_number", t.number},
                                               {"window_number", w.number},
                                               {"called_at", iso8601_utc(now)},
                                               {"spoken", spoken_call(t.number, w.number)},
                                               {"recall", false}});
  json::object out;
  deps_.db->read([&](soci::session& s) {
    notify_windows_of_item(s, t.item_id, t.hall_id, p.windows);
    out = ticket_json(s, t, View{true}, now);
  });
  p.windows.insert(window_id);
  p.dirty.emplace_back(t.hall_id, t.service_date, t.queue_group);
  after_commit(p);
  return out;
}

json::object QueueService::recall(const auth::Caller& c, std::int64_t window_id) {
  Millis now = Clock::now();
  std::string today = local_date(now);
  bool sup = is_supervisor(c);
  store::Ticket t;
  store::WindowInfo w;
  writes_->run([&](soci::session& s) {
    w = window_or_404(s, window_id);
    if (!may_operate(c, w)) throw window_not_yours();
    auto ses = held_session(s, window_id, c, sup, true);
    auto cur = store::tickets_where(
        s,
        "WHERE t.window_id = :w AND t.status IN ('called', 'serving') ORDER BY t.id DESC LIMIT 1",
        {static_cast<long long>(window_id)});
    if (cur.empty())
      throw conflict("no_current_ticket",
                     {"当前没有已叫的号", "No ticket has been called at this window"});
    t = cur.front();
    check_transition(Action::recall, t.status);
    long long tid = t.id, hall = w.hall_id, wid = window_id, at = now;
    int wnum = w.number;
    s << "UPDATE queue_tickets SET recalls = recalls + 1 WHERE id = :id", soci::use(tid);
    s << "INSERT INTO queue_calls (hall_id, service_date, ticket_id, ticket_number, window_id, "
         "window_number, "
         "called_at, recall) VALUES (:h, :d, :t, :n, :w, :wn, :at, 1)",
        soci::use(hall), soci::use(today), soci::use(tid), soci::use(t.number), soci::use(wid),
        soci::use(wnum), soci::use(at);
    store::add_event(s, now, "recalled", t.id, window_id, ses.id, actor(c), "");
    auth::audit(s, c, "queue.ticket.recall", "ticket", std::to_string(t.id),
                json::object{{"number", t.number}});
  });
  Publish p;
  p.reason = "recalled";
  p.tickets.push_back(t.id);
  p.calls.emplace_back(w.hall_id, json::object{{"ticket_number", t.number},
                                               {"window_number", w.number},
                                               {"called_at", iso8601_utc(now)},
                                               {"spoken", spoken_call(t.number, w.number)},
                                               {"recall", true}});
  p.windows.insert(window_id);
  json::object out;
  deps_.db->read([&](soci::session& s) {
    out = ticket_json(s, ticket_or_404(s, t.id, false), View{true}, now);
  });
  after_commit(p);
  return out;
}

json::object QueueService::window_ticket_action(
    const auth::Caller& c, std::int64_t ticket_id, Action a,
    const std::function<void(soci::session&, store::Ticket&, Millis)>& apply,
    const std::string& audit_action, const json::object& audit_extra) {
  Millis now = Clock::now();
  bool sup = is_supervisor(c);
  store::Ticket before;
  writes_->run([&](soci::session& s) {
    before = ticket_or_404(s, ticket_id, true);
    if (!before.window_id) throw window_not_yours();
    auto w = window_or_404(s, *before.window_id);
    if (!may_operate(c, w)) throw window_not_yours();
    check_transition(a, before.status, before.rejoined);
    auto ses = store::open_session(s, w.id, false);
    if (!sup && (!ses || ses->staff_id != c.principal.user_id)) throw window_not_yours();
    store::Ticket t = before;
    apply(s, t, now);
    json::object summary = audit_extra;
    summary["number"] = before.number;
    summary["from"] = to_string(before.status);
    store::add_event(s, now, std::string(to_string(a)), ticket_id, w.id,
                     ses ? std::optional<std::int64_t>(ses->id) : std::nullopt, actor(c),
                     json::serialize(audit_extra));
    auth::audit(s, c, audit_action, "ticket", std::to_string(ticket_id), summary);
  });
  Publish p;
  p.reason = std::string(to_string(a));
  p.tickets.push_back(ticket_id);
  p.windows.insert(*before.window_id);
  json::object out;
  store::Ticket after_t;
  deps_.db->read([&](soci::session& s) {
    after_t = ticket_or_404(s, ticket_id, false);
    out = ticket_json(s, after_t, View{true}, now);
    if (after_t.status == Status::waiting) {
      notify_windows_of_item(s, after_t.item_id, after_t.hall_id, p.windows);
      if (after_t.target_window_id) p.windows.insert(*after_t.target_window_id);
    }
  });
  p.dirty.emplace_back(before.hall_id, before.service_date, before.queue_group);
  if (after_t.queue_group != before.queue_group)
    p.dirty.emplace_back(after_t.hall_id, after_t.service_date, after_t.queue_group);
  if (a == Action::finish) {
    std::lock_guard lock(stats_mu_);
    stats_cache_.erase({before.hall_id, before.queue_group});
  }
  after_commit(p);
  return out;
}

json::object QueueService::start(const auth::Caller& c, std::int64_t ticket_id) {
  return window_ticket_action(
      c, ticket_id, Action::start,
      [](soci::session& s, store::Ticket& t, Millis now) {
        long long at = now, id = t.id;
        s << "UPDATE queue_tickets SET status = 'serving', started_at = :at WHERE id = :id",
            soci::use(at), soci::use(id);
      },
      "queue.ticket.start", {});
}

json::object QueueService::finish(const auth::Caller& c, std::int64_t ticket_id,
                                  const std::string& outcome, const std::string& note) {
  if (!parse_outcome(outcome))
    throw bad_request("invalid_outcome",
                      {"办理结果应为 done、needs_materials、referred 或 cannot_handle",
                       "outcome must be done, needs_materials, referred or cannot_handle"},
                      "outcome");
  return window_ticket_action(
      c, ticket_id, Action::finish,
      [&](soci::session& s, store::Ticket& t, Millis now) {
        long long at = now, id = t.id;
        std::optional<std::string> n;
        if (!note.empty()) n = note;
        s << "UPDATE queue_tickets SET status = 'done', finished_at = :at, outcome = :o, "
             "outcome_note = :n WHERE id = :id",
            soci::use(at), soci::use(outcome), soci::use(n), soci::use(id);
      },
      "queue.ticket.finish", json::object{{"outcome", outcome}});
}

json::object QueueService::no_show(const auth::Caller& c, std::int64_t ticket_id) {
  return window_ticket_action(
      c, ticket_id, Action::no_show,
      [](soci::session& s, store::Ticket& t, Millis now) {
        long long at = now, id = t.id;
        s << "UPDATE queue_tickets SET status = 'no_show', no_show_at = :at WHERE id = :id",
            soci::use(at), soci::use(id);
      },
      "queue.ticket.no_show", {});
}

json::object QueueService::transfer(const auth::Caller& c, std::int64_t ticket_id,
                                    std::optional<std::int64_t> window_id,
                                    std::optional<std::int64_t> item_id) {
  if (!window_id && !item_id)
    throw bad_request("missing_field",
                      {"请选择转往的窗口或事项", "Choose the window or service to transfer to"},
                      "window_id");
  return window_ticket_action(
      c, ticket_id, Action::transfer,
      [&](soci::session& s, store::Ticket& t, Millis now) {
        long long id = t.id, at = now, item = t.item_id, version = t.item_version_id;
        std::string group = t.queue_group;
        std::optional<long long> target;
        if (item_id) {
          auto it = store::find_item(s, *item_id);
          if (!it)
            throw not_found("item_not_found", {"找不到该服务事项", "Service item not found"});
          bool here =
              std::any_of(it->windows.begin(), it->windows.end(),
                          [&](const store::WindowInfo& w) { return w.hall_id == t.hall_id; });
          if (!here || it->handling_mode == "online")
            throw unprocessable(
                "item_not_served_today",
                {"该事项不在本大厅窗口办理", "This service is not handled at this hall's windows"},
                "item_id");
          item = it->id;
          version = it->version_id;
          group = it->group();
        }
        if (window_id) {
          auto w = store::find_window(s, *window_id);
          if (!w || w->hall_id != t.hall_id)
            throw not_found("window_not_found", {"找不到该窗口", "Window not found"});
          if (!w->active)
            throw conflict("window_inactive", {"该窗口已停用", "This window is not in use"});
          target = *window_id;
        }
        // The ticket keeps its number and its original take time (sort_key): it goes back to
        // waiting.
        s << "UPDATE queue_tickets SET status = 'waiting', window_id = NULL, session_id = NULL, "
             "target_window_id = :tw, "
             "item_id = :i, item_version_id = :v, queue_group = :g, transferred_at = :at, "
             "called_at = NULL, "
             "started_at = NULL WHERE id = :id",
            soci::use(target), soci::use(item), soci::use(version), soci::use(group), soci::use(at),
            soci::use(id);
      },
      "queue.ticket.transfer",
      json::object{{"window_id", or_null(window_id)}, {"item_id", or_null(item_id)}});
}

json::object QueueService::rejoin(const auth::Caller& c, std::int64_t ticket_id) {
  Millis now = Clock::now();
  store::Ticket t;
  writes_->run([&](soci::session& s) {
    t = ticket_or_404(s, ticket_id, true);
    check_transition(Action::rejoin, t.status, t.rejoined);
    if (t.window_id) {
      auto w = window_or_404(s, *t.window_id);
      if (!may_operate(c, w)) throw window_not_yours();
    } else if (!is_supervisor(c)) {
      throw window_not_yours();
    }
    check_transition(Action::rejoin, t.status, t.rejoined);
    // After the next 3 waiting tickets of its group (queue/model.hpp).
    auto waiting = store::group_waiting(s, t.hall_id, t.service_date, t.queue_group, t.id);
    long long key = rejoin_sort_key(waiting, now, sort_key_for(now, t.seq)), id = t.id;
    s << "UPDATE queue_tickets SET status = 'waiting', rejoined = 1, priority = 0, sort_key = :k, "
         "window_id = NULL, "
         "session_id = NULL, target_window_id = NULL WHERE id = :id",
        soci::use(key), soci::use(id);
    store::add_event(s, now, "rejoined", t.id, t.window_id, std::nullopt, actor(c), "");
    auth::audit(s, c, "queue.ticket.rejoin", "ticket", std::to_string(t.id),
                json::object{{"number", t.number}});
  });
  return answer_and_publish(t, "rejoined", now);
}

// ---------------------------------------------------------------------------
// Boards

void QueueService::check_board_access(const auth::Caller& c, std::int64_t hall_id) {
  if (c.principal.is_device()) {
    // A board device shows only its own hall.
    if (c.principal.role != "board" || c.principal.hall_id != hall_id) throw forbidden();
    return;
  }
  if (!auth::has_permission(c.principal, "queue.board")) throw forbidden();
}

json::object QueueService::board(const auth::Caller& c, std::int64_t hall_id) {
  check_board_access(c, hall_id);
  Millis now = Clock::now();
  std::string today = local_date(now);
  return deps_.db->read([&](soci::session& s) {
    json::object hall;
    std::vector<Bind> hb{static_cast<long long>(hall_id)};
    store::query(s, "SELECT id, code, name, name_en FROM halls WHERE id = :id", hb,
                 [&](const soci::row& r) {
                   hall = json::object{{"id", col_i64(r, 0)},
                                       {"code", col_str(r, 1)},
                                       {"name", col_str(r, 2)},
                                       {"name_en", col_str(r, 3)}};
                 });
    if (hall.empty()) throw not_found("hall_not_found", {"找不到该大厅", "Hall not found"});
    json::array calls;
    std::vector<Bind> cb{static_cast<long long>(hall_id), today};
    store::query(s,
                 "SELECT ticket_number, window_number, called_at, recall FROM queue_calls WHERE "
                 "hall_id = :h AND "
                 "service_date = :d ORDER BY id DESC LIMIT 10",
                 cb, [&](const soci::row& r) {
                   std::string number = col_str(r, 0);
                   int wnum = static_cast<int>(col_i64(r, 1));
                   calls.push_back(json::object{{"ticket_number", number},
                                                {"window_number", wnum},
                                                {"called_at", iso8601_utc(col_i64(r, 2))},
                                                {"spoken", spoken_call(number, wnum)},
                                                {"recall", col_i64(r, 3) != 0}});
                 });
    json::array announcements;
    std::vector<Bind> ab{static_cast<long long>(hall_id), static_cast<long long>(now),
                         static_cast<long long>(now)};
    store::query(
        s,
        "SELECT id, title FROM announcements WHERE published = 1 AND (hall_id IS NULL OR hall_id = "
        ":h) AND "
        "(publish_from IS NULL OR publish_from <= :n) AND (publish_until IS NULL OR publish_until "
        "> :n2) "
        "ORDER BY pinned DESC, COALESCE(publish_from, created_at) DESC LIMIT 10",
        ab, [&](const soci::row& r) {
          announcements.push_back(json::object{{"id", col_i64(r, 0)}, {"title", col_str(r, 1)}});
        });
    return json::object{{"hall", hall},
                        {"calls", calls},
                        {"waiting", waiting_counts(s, hall_id, today)},
                        {"announcements", announcements},
                        {"now", iso8601_utc(now)}};
  });
}

// ---------------------------------------------------------------------------
// Appointments (预约)

namespace {

struct SlotConfig {
  int minutes = 30, capacity = 4;
  bool enabled = true;
};

SlotConfig slot_config(soci::session& s, std::int64_t item_id) {
  SlotConfig c;
  std::vector<Bind> b{static_cast<long long>(item_id)};
  store::query(s,
               "SELECT slot_minutes, capacity, enabled FROM queue_slot_config WHERE item_id = :i",
               b, [&](const soci::row& r) {
                 c.minutes = static_cast<int>(col_i64(r, 0));
                 c.capacity = static_cast<int>(col_i64(r, 1));
                 c.enabled = col_i64(r, 2) != 0;
               });
  return c;
}

json::object appointment_json(soci::session& s, const soci::row& r) {
  // id, item_id, item_version_id, slot_start, slot_end, status, ticket_id, created_at
  auto names = store::version_names(s, col_i64(r, 2));
  return json::object{
      {"id", col_i64(r, 0)},
      {"item_id", col_i64(r, 1)},
      {"item_name", names.name},
      {"item_name_en", names.name_en},
      {"slot_start", iso8601_utc(col_i64(r, 3))},
      {"slot_end", iso8601_utc(col_i64(r, 4))},
      {"status", col_str(r, 5)},
      {"ticket_id", store::col_opt_i64(r, 6) ? json::value(col_i64(r, 6)) : json::value(nullptr)},
      {"created_at", iso8601_utc(col_i64(r, 7))}};
}

const char* const kAppointmentSelect =
    "SELECT id, item_id, item_version_id, slot_start, slot_end, status, ticket_id, created_at, "
    "student_id, hall_id "
    "FROM queue_appointments ";

constexpr Millis kNoShowGrace = 15 * 60 * 1000;  // slot end + 15 min

}  // namespace

json::object QueueService::slots(std::int64_t item_id, const std::string& date_text) {
  auto date = calendar::Date::parse(date_text, "date");
  Millis now = Clock::now();
  store::ItemInfo item;
  SlotConfig cfg;
  std::map<long long, long long> booked;
  deps_.db->read([&](soci::session& s) {
    auto it = store::find_item(s, item_id);
    if (!it) throw not_found("item_not_found", {"找不到该服务事项", "Service item not found"});
    item = *it;
    cfg = slot_config(s, item_id);
    std::vector<Bind> b{static_cast<long long>(item_id)};
    store::query(s, "SELECT slot_start, booked FROM queue_slot_counts WHERE item_id = :i", b,
                 [&](const soci::row& r) { booked[col_i64(r, 0)] = col_i64(r, 1); });
  });
  json::array items;
  if (cfg.enabled && !item.suspended && item.handling_mode != "online" && !item.windows.empty()) {
    auto cal = deps_.calendar->for_hall(item.windows.front().hall_id);
    if (cal->is_working_day(date)) {
      for (const auto& range : cal->hours_on(date)) {
        for (int t = range.begin; t + cfg.minutes * 60 <= range.end; t += cfg.minutes * 60) {
          Millis start = cal->at(date, t).time_since_epoch().count() * 1000LL;
          Millis end = start + cfg.minutes * 60000LL;
          if (end <= now) continue;
          long long b = booked.count(start) ? booked[start] : 0;
          items.push_back(json::object{{"start", iso8601_utc(start)},
                                       {"end", iso8601_utc(end)},
                                       {"capacity", cfg.capacity},
                                       {"booked", b},
                                       {"available", std::max<long long>(0, cfg.capacity - b)}});
        }
      }
    }
  }
  return json::object{{"item_id", item_id},
                      {"date", date.to_string()},
                      {"slot_minutes", cfg.minutes},
                      {"items", items}};
}

json::object QueueService::book(const auth::Caller& c, std::int64_t item_id,
                                const std::string& slot_text) {
  if (!c.principal.is_student()) throw forbidden();
  Millis start = parse_iso8601(slot_text, "slot_start");
  Millis now = Clock::now();
  std::string date = local_date(start);
  // The slot must be one that slots() offers (within opening hours of a working day, not over).
  auto offered = slots(item_id, date);
  std::optional<Millis> end;
  int capacity = 0;
  for (const auto& v : offered.at("items").as_array()) {
    if (parse_iso8601(std::string(v.at("start").as_string()), "slot_start") == start) {
      end = parse_iso8601(std::string(v.at("end").as_string()), "slot_start");
      capacity = static_cast<int>(v.at("capacity").as_int64());
    }
  }
  if (!end)
    throw unprocessable("invalid_slot", {"该时段不可预约", "This time slot cannot be booked"},
                        "slot_start");
  long long id = 0;
  writes_->run([&](soci::session& s) {
    auto item = store::find_item(s, item_id);
    long long student = c.principal.user_id, item_l = item_id, st = start, en = *end, at = now;
    long long day_start = st - ((st + deps_.config.utc_offset_minutes * 60000LL) % 86400000LL);
    if (count_of(s,
                 "SELECT COUNT(*) FROM queue_appointments WHERE student_id = :s AND item_id = :i "
                 "AND status = 'booked' "
                 "AND slot_start >= :a AND slot_start < :b",
                 {student, item_l, day_start, day_start + 86400000LL}) > 0)
      throw conflict("already_booked",
                     {"您当天已预约该事项", "You already booked this service on that day"});
    long long booked = 0;
    s << "INSERT INTO queue_slot_counts (item_id, slot_start, booked) VALUES (:i, :s, 1) ON "
         "CONFLICT (item_id, "
         "slot_start) DO UPDATE SET booked = queue_slot_counts.booked + 1 RETURNING booked",
        soci::use(item_l), soci::use(st), soci::into(booked);
    if (booked > capacity)
      throw conflict("slot_full",
                     {"该时段已约满，请选择其他时段", "This slot is full; choose another"});
    long long hall = item->windows.front().hall_id, version = item->version_id;
    s << "INSERT INTO queue_appointments (hall_id, item_id, item_version_id, student_id, "
         "slot_start, slot_end, status, "
         "created_at) VALUES (:h, :i, :v, :s, :st, :en, 'booked', :at) RETURNING id",
        soci::use(hall), soci::use(item_l), soci::use(version), soci::use(student), soci::use(st),
        soci::use(en), soci::use(at), soci::into(id);
    auth::audit(s, c, "queue.appointment.book", "appointment", std::to_string(id),
                json::object{{"item_id", item_id}, {"slot_start", iso8601_utc(start)}});
  });
  return deps_.db->read([&](soci::session& s) {
    json::object out;
    std::vector<Bind> b{id};
    store::query(s, std::string(kAppointmentSelect) + "WHERE id = :id", b,
                 [&](const soci::row& r) { out = appointment_json(s, r); });
    return out;
  });
}

int QueueService::sweep_no_shows() {
  Millis now = Clock::now();
  long long cutoff = now - kNoShowGrace;
  bool any = deps_.db->read([&](soci::session& s) {
    return count_of(
               s,
               "SELECT COUNT(*) FROM queue_appointments WHERE status = 'booked' AND slot_end < :c",
               {cutoff}) > 0;
  });
  if (!any) return 0;
  int n = 0;
  writes_->run([&](soci::session& s) {
    std::vector<Bind> b{static_cast<long long>(now), cutoff};
    n = static_cast<int>(
        store::execute(s,
                       "UPDATE queue_appointments SET status = 'no_show', no_show_at = :at WHERE "
                       "status = 'booked' AND slot_end < :c",
                       b));
    if (n) {
      auth::Caller system;
      system.principal.login = "system";
      auth::audit(s, system, "queue.appointment.no_show", "appointment", "",
                  json::object{{"count", n}});
    }
  });
  return n;
}

json::object QueueService::my_appointments(const auth::Caller& c) {
  if (!c.principal.is_student()) throw forbidden();
  sweep_no_shows();
  Millis now = Clock::now();
  json::array items;
  deps_.db->read([&](soci::session& s) {
    std::vector<Bind> b{static_cast<long long>(c.principal.user_id),
                        static_cast<long long>(now - 30LL * 86400000)};
    store::query(s,
                 std::string(kAppointmentSelect) +
                     "WHERE student_id = :s AND slot_start >= :since ORDER BY slot_start DESC",
                 b, [&](const soci::row& r) { items.push_back(appointment_json(s, r)); });
  });
  return json::object{{"items", items}};
}

json::object QueueService::cancel_appointment(const auth::Caller& c, std::int64_t id) {
  if (!c.principal.is_student()) throw forbidden();
  Millis now = Clock::now();
  writes_->run([&](soci::session& s) {
    long long aid = id, student = 0, item = 0, slot = 0;
    std::string status;
    s << "SELECT student_id, item_id, slot_start, status FROM queue_appointments WHERE id = :id",
        soci::into(student), soci::into(item), soci::into(slot), soci::into(status), soci::use(aid);
    if (!s.got_data())
      throw not_found("appointment_not_found", {"找不到该预约", "Appointment not found"});
    if (student != c.principal.user_id) throw forbidden();
    if (status != "booked")
      throw conflict("invalid_transition",
                     {"该预约已不能取消", "This appointment can no longer be cancelled"});
    long long at = now;
    s << "UPDATE queue_appointments SET status = 'cancelled', cancelled_at = :at WHERE id = :id",
        soci::use(at), soci::use(aid);
    s << "UPDATE queue_slot_counts SET booked = booked - 1 WHERE item_id = :i AND slot_start = :s",
        soci::use(item), soci::use(slot);
    auth::audit(s, c, "queue.appointment.cancel", "appointment", std::to_string(id));
  });
  return deps_.db->read([&](soci::session& s) {
    json::object out;
    std::vector<Bind> b{static_cast<long long>(id)};
    store::query(s, std::string(kAppointmentSelect) + "WHERE id = :id", b,
                 [&](const soci::row& r) { out = appointment_json(s, r); });
    return out;
  });
}

json::object QueueService::check_in(const auth::Caller& c, std::int64_t id,
                                    const std::optional<std::string>& student_no) {
  bool device = is_device_kind(c, {"checkin", "kiosk"});
  if (!device && !c.principal.is_student()) throw forbidden();
  Millis now = Clock::now();
  std::string today = local_date(now);
  struct Appt {
    long long student = 0, item = 0, slot = 0, end = 0, hall = 0, version = 0;
    std::string status;
  } a;
  std::int64_t student_id = 0;
  deps_.db->read([&](soci::session& s) {
    long long aid = id;
    s << "SELECT student_id, item_id, slot_start, slot_end, hall_id, item_version_id, status FROM "
         "queue_appointments "
         "WHERE id = :id",
        soci::into(a.student), soci::into(a.item), soci::into(a.slot), soci::into(a.end),
        soci::into(a.hall), soci::into(a.version), soci::into(a.status), soci::use(aid);
    if (!s.got_data())
      throw not_found("appointment_not_found", {"找不到该预约", "Appointment not found"});
    student_id = device ? resolve_student(s, c, student_no) : c.principal.user_id;
  });
  if (student_id != a.student) throw forbidden();  // only one's own appointment
  if (device && c.principal.hall_id != a.hall) throw forbidden();
  if (a.status == "booked" && now > a.end + kNoShowGrace) {
    sweep_no_shows();
    a.status = "no_show";
  }
  if (a.status == "no_show")
    throw conflict("appointment_no_show",
                   {"预约时段已过，已记为爽约",
                    "The slot is over; the appointment was recorded as a no-show"});
  if (a.status != "booked")
    throw conflict("invalid_transition",
                   {"该预约不能签到", "This appointment cannot be checked in"});
  if (local_date(a.slot) != today)
    throw conflict("not_today", {"只能在预约当天签到", "Check in on the day of the appointment"});
  auto cal = calendar_state(*deps_.calendar, a.hall, now);
  if (!cal.working || !cal.open_now)
    throw conflict("hall_closed", {"大厅现在不办公，请在开放时间签到",
                                   "The hall is closed now; check in during opening hours"});
  std::string channel = device ? "kiosk" : "mobile";
  std::int64_t ticket_id = 0;
  std::string group;
  writes_->run([&](soci::session& s) {
    std::string status;
    long long aid = id;
    s << "SELECT status FROM queue_appointments WHERE id = :id", soci::into(status), soci::use(aid);
    if (status != "booked")
      throw conflict("invalid_transition",
                     {"该预约不能签到", "This appointment cannot be checked in"});
    auto item = store::find_item(s, a.item);
    group = item->group();
    std::int64_t seq = store::next_sequence(s, a.hall, today, group);
    if (count_of(s,
                 "SELECT COUNT(*) FROM queue_tickets WHERE student_id = :s AND item_id = :i AND "
                 "service_date = :d AND "
                 "status IN ('waiting', 'called', 'serving')",
                 {a.student, a.item, today}) > 0)
      throw conflict("already_holding_ticket", {"您已取得该事项的号，请勿重复取号",
                                                "You already hold a number for this service"});
    NewTicket n;
    n.hall_id = a.hall;
    n.item_id = a.item;
    n.item_version_id = a.version;  // the version the appointment was booked under
    n.student_id = a.student;
    n.group = group;
    n.channel = channel;
    n.date = today;
    n.seq = seq;
    n.appointment_id = id;
    n.slot_start = a.slot;
    if (device)
      n.by_device = c.principal.device_id;
    else
      n.by_user = c.principal.user_id;
    ticket_id = insert_ticket(s, n, now);
    long long tid = ticket_id, at = now;
    s << "UPDATE queue_appointments SET status = 'checked_in', checked_in_at = :at, ticket_id = :t "
         "WHERE id = :id",
        soci::use(at), soci::use(tid), soci::use(aid);
    store::add_event(s, now, "taken", ticket_id, std::nullopt, std::nullopt, actor(c),
                     "appointment");
    auth::audit(s, c, "queue.appointment.check_in", "appointment", std::to_string(id),
                json::object{{"ticket_id", ticket_id}});
  });
  Publish p;
  p.reason = "taken";
  p.tickets.push_back(ticket_id);
  json::object out;
  deps_.db->read([&](soci::session& s) {
    notify_windows_of_item(s, a.item, a.hall, p.windows);
    out = ticket_json(s, ticket_or_404(s, ticket_id, false), View{!device}, now);
  });
  p.dirty.emplace_back(a.hall, today, group);
  after_commit(p);
  return out;
}

// ---------------------------------------------------------------------------
// QR code (libqrencode) as SVG

std::string qr_svg(const std::string& text) {
  QRcode* code = QRcode_encodeString(text.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  if (!code) throw std::runtime_error("QR encoding failed");
  int w = code->width, margin = 4, size = w + 2 * margin;
  std::string path;
  path.reserve(static_cast<std::size_t>(w) * w * 4);
  for (int y = 0; y < w; ++y)
    for (int x = 0; x < w; ++x)
      if (code->data[y * w + x] & 1) path += fmt::format("M{} {}h1v1h-1z", x + margin, y + margin);
  QRcode_free(code);
  return fmt::format(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" "
      "viewBox=\"0 0 {0} {0}\" "
      "width=\"{1}\" height=\"{1}\" shape-rendering=\"crispEdges\"><rect width=\"{0}\" "
      "height=\"{0}\" fill=\"#fff\"/>"
      "<path fill=\"#000\" d=\"{2}\"/></svg>\n",
      size, size * 4, path);
}

}  // namespace hall::queue
