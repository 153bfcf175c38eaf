// Taking a number (A5), the student's own tickets, cancelling, the green channel (B6.5), public
// status.
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

namespace detail {

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
    throw errors::missing_field.with("student_no", "student_no");
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
  if (!id || disabled) throw errors::student_not_found();
  return *id;
}

}  // namespace detail

QueueService::Taken QueueService::take(const auth::Caller& c, std::int64_t item_id,
                                       const std::optional<std::string>& student_no,
                                       const std::string& key) {
  if (key.empty()) throw errors::missing_idempotency_key("Idempotency-Key");
  if (key.size() < 8 || key.size() > 100 ||
      !std::all_of(key.begin(), key.end(), [](unsigned char ch) { return ch > 32 && ch < 127; }))
    throw errors::invalid_idempotency_key("Idempotency-Key");
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
    if (!item) throw errors::item_not_found();
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
    if (!parse_status(q.status)) throw errors::invalid_status.with("status", "waiting、called、serving、done、no_show 或 cancelled", "waiting, called, serving, done, no_show or cancelled");
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
  if (!known) throw errors::invalid_reason_code("reason_code");
  if (code == kGreenReasonOther && text.empty())
    throw errors::missing_field.with("reason_text", "reason_text");
  store::Ticket t;
  writes_->run([&](soci::session& s) {
    t = ticket_or_404(s, id, true);
    check_transition(Action::mark_green, t.status);
    if (t.green) throw errors::already_green();
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

}  // namespace hall::queue
