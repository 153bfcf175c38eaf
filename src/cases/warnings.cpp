#include "cases/warnings.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cmath>
#include <set>
#include <string>
#include <vector>

#include "auth/audit.hpp"
#include "auth/permissions.hpp"
#include "calendar/service.hpp"
#include "cases/errors.hpp"
#include "cases/model.hpp"
#include "cases/module.hpp"
#include "cases/store.hpp"
#include "core/config.hpp"
#include "core/error.hpp"
#include "courtesy/service.hpp"
#include "db/database.hpp"
#include "db/statement.hpp"
#include "documents/service.hpp"
#include "http/push.hpp"

namespace hall::cases {

using db::col_i64;
using db::col_opt_i64;
using db::col_opt_str;
using db::col_str;

namespace {

// A warning the caller may see: of a case they handle, or — for those who
// oversee cases (the responsible teacher) — any `due` warning (B6.3).
const char* const kVisible = "(w.handler_id = :me OR (:oversee = 1 AND w.level = 'due'))";

const char* const kWarningSelect =
    "SELECT w.id, w.case_id, c.case_no, c.summary, w.level, w.due_at, w.fraction_permille, "
    "w.created_at, "
    "w.handler_id, COALESCE(u.name, ''), c.green, r.read_at, c.status "
    "FROM case_warnings w JOIN cases c ON c.id = w.case_id LEFT JOIN users u ON u.id = "
    "w.handler_id "
    "LEFT JOIN case_warning_reads r ON r.warning_id = w.id AND r.user_id = :reader ";

Text level_text(std::string_view level) {
  if (level == "50") return {"已用时限过半", "Half of the time limit used"};
  if (level == "80") return {"已用时限 80%", "80% of the time limit used"};
  return {"已到办结时限", "The time limit is reached"};
}

json::object warning_json(const soci::row& r, bool english) {
  std::string level = col_str(r, 4);
  std::string case_no = col_str(r, 2);
  auto handler = col_opt_i64(r, 8);
  auto read_at = col_opt_i64(r, 11);
  Text t = level_text(level);
  return json::object{
      {"id", col_i64(r, 0)},
      {"case_id", col_i64(r, 1)},
      {"case_no", case_no},
      {"summary", col_str(r, 3)},
      {"level", level},
      {"due_at", iso8601_utc(col_i64(r, 5))},
      {"fraction", static_cast<double>(col_i64(r, 6)) / 1000.0},
      {"created_at", iso8601_utc(col_i64(r, 7))},
      {"handler", handler ? json::value(json::object{{"id", *handler}, {"name", col_str(r, 9)}})
                          : json::value(nullptr)},
      {"green", col_i64(r, 10) != 0},
      {"case_status", col_str(r, 12)},
      {"read", read_at.has_value()},
      {"read_at", read_at ? json::value(iso8601_utc(*read_at)) : json::value(nullptr)},
      {"message", fmt::format("{} {}", case_no, t.in(english))},
  };
}

long long oversee_flag(const auth::Caller& c) {
  return auth::has_permission(c.principal, "cases.oversee") ? 1 : 0;
}

long long unread_count(soci::session& s, const auth::Caller& c) {
  db::Values b{static_cast<long long>(c.principal.user_id),
               static_cast<long long>(c.principal.user_id), oversee_flag(c)};
  return db::query_i64(
             s,
             std::string(
                 "SELECT COUNT(*) FROM case_warnings w LEFT JOIN case_warning_reads r ON "
                 "r.warning_id = w.id AND r.user_id = :reader WHERE r.read_at IS NULL AND ") +
                 kVisible,
             b)
      .value_or(0);
}

}  // namespace

std::string WarningService::topic_of(std::int64_t user_id) {
  return fmt::format("user:{}", user_id);
}

WarningService::~WarningService() { stop(); }

void WarningService::start(int interval_seconds) {
  if (interval_seconds <= 0) return;
  std::lock_guard lock(mu_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this, interval_seconds] { loop(interval_seconds); });
}

void WarningService::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void WarningService::loop(int interval_seconds) {
  for (;;) {
    try {
      sweep_once(Clock::now());
    } catch (const std::exception& e) {
      // The next round retries; a failed sweep must not stop the sweeper.
      spdlog::warn("case warning sweep failed: {}", e.what());
    }
    std::unique_lock lock(mu_);
    if (cv_.wait_for(lock, std::chrono::seconds(interval_seconds), [&] { return stopping_; }))
      return;
  }
}

int WarningService::sweep_once(Millis now) {
  struct Candidate {
    long long id = 0, hall_id = 0, accepted = 0, due = 0, paused_seconds = 0;
    std::optional<long long> handler;
    std::set<std::string> recorded;
  };
  // B6.3: open, accepted, running cases (paused ones — waiting for materials — do not advance).
  std::vector<Candidate> cands = deps_.db->read([&](soci::session& s) {
    std::vector<Candidate> out;
    db::Values b;
    db::query_rows(
        s,
        "SELECT c.id, c.hall_id, c.accepted_at, c.due_at, c.paused_seconds, "
        "COALESCE(c.handler_id, c.first_responder_id) FROM cases c "
        "WHERE c.accepted_at IS NOT NULL AND c.due_at IS NOT NULL AND c.paused_at IS NULL "
        "AND c.completed_at IS NULL AND c.status NOT IN ('completed', 'refused', 'referred', "
        "'waiting_materials') "
        "AND (SELECT COUNT(*) FROM case_warnings w WHERE w.case_id = c.id) < 3 ORDER BY c.id",
        b, [&](const soci::row& r) {
          Candidate k;
          k.id = col_i64(r, 0);
          k.hall_id = col_i64(r, 1);
          k.accepted = col_i64(r, 2);
          k.due = col_i64(r, 3);
          k.paused_seconds = col_i64(r, 4);
          k.handler = col_opt_i64(r, 5);
          out.push_back(std::move(k));
        });
    for (auto& k : out) {
      db::Values wb{k.id};
      db::query_rows(s, "SELECT level FROM case_warnings WHERE case_id = :c", wb,
                     [&](const soci::row& r) { k.recorded.insert(col_str(r, 0)); });
    }
    return out;
  });

  struct Due {
    Candidate* k;
    Warning level;
    std::int64_t permille;
  };
  std::vector<Due> todo;
  for (auto& k : cands) {
    auto cal = deps_.calendar->for_hall(k.hall_id);
    Progress p = progress(*cal, instant(k.accepted), instant(k.due), k.paused_seconds, std::nullopt,
                          std::nullopt, instant(now));
    auto permille = static_cast<std::int64_t>(std::llround(std::min(p.fraction, 9.999) * 1000));
    for (Warning l : levels_reached(p.warning))
      if (!k.recorded.count(std::string(to_string(l)))) todo.push_back({&k, l, permille});
  }
  if (todo.empty()) return 0;

  struct Published {
    long long warning_id, case_id;
    std::string level;
    std::optional<long long> handler;
  };
  std::vector<Published> published;
  std::vector<long long> overseers;
  deps_.db->write([&](soci::session& s) {
    published.clear();  // a retried transaction starts over
    overseers.clear();
    for (const auto& d : todo) {
      std::string level(to_string(d.level));
      db::Values b{level,
                   std::optional<long long>(d.k->handler),
                   d.k->due,
                   static_cast<long long>(d.permille),
                   static_cast<long long>(now),
                   d.k->id,
                   d.k->due};
      // Exactly once (B6.3): the UNIQUE (case_id, level) key decides between sweepers. The case is
      // checked again inside this transaction (still open, running, the same due instant), so a
      // case completed or paused since it was read is not warned.
      auto id = db::query_i64(
          s,
          "INSERT INTO case_warnings (case_id, level, handler_id, due_at, fraction_permille, "
          "created_at) "
          "SELECT c.id, CAST(:l AS TEXT), CAST(:h AS BIGINT), CAST(:d AS BIGINT), CAST(:f AS "
          "INTEGER), "
          "CAST(:t AS BIGINT) FROM cases c WHERE c.id = :c AND c.due_at = :d2 AND c.paused_at IS "
          "NULL "
          "AND c.completed_at IS NULL AND c.status NOT IN ('completed', 'refused', 'referred', "
          "'waiting_materials') ON CONFLICT (case_id, level) DO NOTHING RETURNING id",
          b);
      if (!id) continue;
      published.push_back({*id, d.k->id, level, d.k->handler});
      store::add_event(s, d.k->id, now, "warning", std::nullopt, "", json::object{{"level", level}},
                       false);
    }
    if (published.empty()) return;
    for (const auto& [user, role] : store::staff_roles(s))
      if (auth::role_has(role, "cases.oversee")) overseers.push_back(user);
    auth::Caller system;
    system.principal.login = "system";
    auth::audit(s, system, "case.warnings", "case", "", json::object{{"count", published.size()}});
  });

  // After the commit: each warning to its handler; `due` also to whoever oversees cases.
  for (const auto& p : published) {
    std::set<long long> to;
    if (p.handler) to.insert(*p.handler);
    if (p.level == "due") to.insert(overseers.begin(), overseers.end());
    for (long long user : to) {
      json::object item = deps_.db->read([&](soci::session& s) {
        db::Values b{user, p.warning_id};
        json::object o;
        db::query_rows(s, std::string(kWarningSelect) + "WHERE w.id = :id", b,
                       [&](const soci::row& r) { o = warning_json(r, false); });
        return o;
      });
      deps_.push.publish(topic_of(user), "case_warning", json::serialize(item));
    }
  }
  return static_cast<int>(published.size());
}

json::object WarningService::list(const auth::Caller& c, const WarningQuery& q) const {
  auth::require(c.principal, "cases.handle");
  long long me = c.principal.user_id;
  return deps_.db->read([&](soci::session& s) {
    std::string where =
        std::string("WHERE ") + kVisible + (q.unread_only ? " AND r.read_at IS NULL" : "");
    db::Values cb{me, me, oversee_flag(c)};
    long long total =
        db::query_i64(
            s,
            std::string("SELECT COUNT(*) FROM case_warnings w LEFT JOIN case_warning_reads r "
                        "ON r.warning_id = w.id AND r.user_id = :reader ") +
                where,
            cb)
            .value_or(0);
    json::array items;
    db::Values b{me, me, oversee_flag(c), static_cast<long long>(q.page_size),
                 static_cast<long long>((q.page - 1) * static_cast<long long>(q.page_size))};
    db::query_rows(
        s,
        std::string(kWarningSelect) + where +
            " ORDER BY CASE WHEN r.read_at IS NULL THEN 0 ELSE 1 END, w.created_at DESC, w.id DESC "
            "LIMIT :n OFFSET :o",
        b, [&](const soci::row& r) { items.push_back(warning_json(r, c.english)); });
    return json::object{{"items", items},
                        {"total", total},
                        {"unread", unread_count(s, c)},
                        {"page", q.page},
                        {"page_size", q.page_size}};
  });
}

json::object WarningService::snapshot(const auth::Caller& c) const {
  auth::require(c.principal, "cases.handle");
  return deps_.db->read([&](soci::session& s) {
    return json::object{{"unread", unread_count(s, c)}};
  });
}

json::object WarningService::mark_read(const auth::Caller& c, const MarkReadInput& in) {
  auth::require(c.principal, "cases.handle");
  const std::vector<long long>& ids = in.ids;
  long long me = c.principal.user_id;
  Millis now = Clock::now();
  long long marked = 0, unread = 0;
  deps_.db->write([&](soci::session& s) {
    marked = 0;
    if (in.all) {
      db::Values b{me, static_cast<long long>(now), me, me, oversee_flag(c)};
      marked = db::execute_sql(
          s,
          std::string(
              "INSERT INTO case_warning_reads (warning_id, user_id, read_at) "
              "SELECT w.id, :u, :t FROM case_warnings w LEFT JOIN case_warning_reads r "
              "ON r.warning_id = w.id AND r.user_id = :reader WHERE r.read_at IS NULL AND ") +
              kVisible + " ORDER BY w.id ON CONFLICT (warning_id, user_id) DO NOTHING",
          b);
    }
    for (long long id : ids) {
      db::Values vb{id, me, oversee_flag(c)};
      // Another person's warning does not exist for the caller (404), and nothing is marked.
      if (db::query_i64(
              s,
              std::string("SELECT COUNT(*) FROM case_warnings w WHERE w.id = :id AND ") + kVisible,
              vb)
              .value_or(0) == 0)
        throw errors::notification_not_found();
      db::Values ib{id, me, static_cast<long long>(now)};
      marked += db::execute_sql(
          s,
          "INSERT INTO case_warning_reads (warning_id, user_id, read_at) VALUES (:w, :u, :t) "
          "ON CONFLICT (warning_id, user_id) DO NOTHING",
          ib);
    }
    unread = unread_count(s, c);
  });
  // The person's other tabs follow.
  if (marked)
    deps_.push.publish(topic_of(me), "read", json::serialize(json::object{{"unread", unread}}));
  return json::object{{"marked", marked}, {"unread", unread}};
}

}  // namespace hall::cases
