// Appointments (预约): slots, booking, check-in, no-show sweep.
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
    if (!it) throw errors::item_not_found();
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
  if (!end) throw errors::invalid_slot("slot_start");
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
      throw errors::already_booked();
    long long booked = 0;
    s << "INSERT INTO queue_slot_counts (item_id, slot_start, booked) VALUES (:i, :s, 1) ON "
         "CONFLICT (item_id, "
         "slot_start) DO UPDATE SET booked = queue_slot_counts.booked + 1 RETURNING booked",
        soci::use(item_l), soci::use(st), soci::into(booked);
    if (booked > capacity) throw errors::slot_full();
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
    if (!s.got_data()) throw errors::appointment_not_found();
    if (student != c.principal.user_id) throw forbidden();
    if (status != "booked") throw errors::appointment_not_booked();
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
    if (!s.got_data()) throw errors::appointment_not_found();
    student_id = device ? resolve_student(s, c, student_no) : c.principal.user_id;
  });
  if (student_id != a.student) throw forbidden();  // only one's own appointment
  if (device && c.principal.hall_id != a.hall) throw forbidden();
  if (a.status == "booked" && now > a.end + kNoShowGrace) {
    sweep_no_shows();
    a.status = "no_show";
  }
  if (a.status == "no_show") throw errors::appointment_no_show();
  if (a.status != "booked") throw errors::appointment_not_booked();
  if (local_date(a.slot) != today) throw errors::not_today();
  auto cal = calendar_state(*deps_.calendar, a.hall, now);
  if (!cal.working || !cal.open_now) throw errors::hall_closed_check_in();
  std::string channel = device ? "kiosk" : "mobile";
  std::int64_t ticket_id = 0;
  std::string group;
  writes_->run([&](soci::session& s) {
    std::string status;
    long long aid = id;
    s << "SELECT status FROM queue_appointments WHERE id = :id", soci::into(status), soci::use(aid);
    if (status != "booked") throw errors::appointment_not_booked();
    auto item = store::find_item(s, a.item);
    group = item->group();
    std::int64_t seq = store::next_sequence(s, a.hall, today, group);
    if (count_of(s,
                 "SELECT COUNT(*) FROM queue_tickets WHERE student_id = :s AND item_id = :i AND "
                 "service_date = :d AND "
                 "status IN ('waiting', 'called', 'serving')",
                 {a.student, a.item, today}) > 0)
      throw errors::already_holding_ticket();
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

}  // namespace hall::queue
