// Window work (A6): sessions, calling, recalling, serving, no-shows, transfers.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>

#include "auth/audit.hpp"
#include "auth/permissions.hpp"
#include "auth/store.hpp"
#include "calendar/service.hpp"
#include "catalog/model.hpp"
#include "core/config.hpp"
#include "core/random.hpp"
#include "db/database.hpp"
#include "db/optional.hpp"
#include "db/statement.hpp"
#include "http/push.hpp"
#include "queue/module.hpp"
#include "queue/service.hpp"
#include "queue/service_internal.hpp"

namespace hall::queue {

using namespace detail;

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
    if (!w.active) throw errors::window_inactive();
    if (!may_operate(c, w)) throw window_not_yours();
    if (store::open_session(s, window_id, true)) throw errors::session_exists();
    long long staff = c.principal.user_id, at = now, wid = window_id;
    if (count_of(
            s,
            "SELECT COUNT(*) FROM queue_window_sessions WHERE staff_id = :s AND closed_at IS NULL",
            {staff}) > 0)
      throw errors::signed_in_elsewhere();
    try {
      s << "INSERT INTO queue_window_sessions (window_id, staff_id, opened_at) VALUES (:w, :s, "
           ":at) "
           "RETURNING id",
          soci::use(wid), soci::use(staff), soci::use(at), soci::into(sid);
    } catch (const std::exception& e) {
      // Two sign-ins at once on PostgreSQL: neither saw the other's session (no
      // row to lock yet); the UNIQUE index on open sessions decides (burst test).
      if (db::is_unique_violation(e)) throw errors::session_exists();
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
  views_.forget_stats();
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
      throw errors::ticket_in_progress();
    long long at = now, id = ses.id;
    s << "UPDATE queue_window_sessions SET closed_at = :at WHERE id = :id", soci::use(at),
        soci::use(id);
    store::add_event(s, now, "session_closed", std::nullopt, window_id, ses.id, actor(c), "");
    auth::audit(s, c, "queue.window.close", "window", std::to_string(window_id),
                json::object{{"session_id", ses.id}});
  });
  views_.forget_stats();
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
  views_.forget_stats();
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
  views_.forget_stats();
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
    if (ses.paused) throw errors::window_paused();
    if (count_of(s,
                 "SELECT COUNT(*) FROM queue_tickets WHERE window_id = :w AND status IN ('called', "
                 "'serving')",
                 {static_cast<long long>(window_id)}) > 0)
      throw errors::ticket_in_progress();
    // A6: pick per the call order and take it only if it is still waiting; another window
    // may have taken it in between (PostgreSQL), then pick again.
    for (int attempt = 0;; ++attempt) {
      std::int64_t id = store::pick_next(s, w.hall_id, today, window_id, now, true);
      if (!id) throw errors::queue_empty();
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
    if (cur.empty()) throw errors::no_current_ticket();
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
  if (a == Action::finish) views_.forget_stats(before.hall_id, before.queue_group);
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
  if (!parse_outcome(outcome)) throw errors::invalid_outcome("outcome");
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
  if (!window_id && !item_id) throw errors::missing_field.with("window_id", "window_id");
  return window_ticket_action(
      c, ticket_id, Action::transfer,
      [&](soci::session& s, store::Ticket& t, Millis now) {
        long long id = t.id, at = now, item = t.item_id, version = t.item_version_id;
        std::string group = t.queue_group;
        std::optional<long long> target;
        if (item_id) {
          auto it = store::find_item(s, *item_id);
          if (!it) throw errors::item_not_found();
          bool here =
              std::any_of(it->windows.begin(), it->windows.end(),
                          [&](const store::WindowInfo& w) { return w.hall_id == t.hall_id; });
          if (!here || it->handling_mode == "online")
            throw errors::transfer_item_not_here("item_id");
          item = it->id;
          version = it->version_id;
          group = it->group();
        }
        if (window_id) {
          auto w = store::find_window(s, *window_id);
          if (!w || w->hall_id != t.hall_id) throw errors::window_not_found();
          if (!w->active) throw errors::window_inactive();
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

}  // namespace hall::queue
