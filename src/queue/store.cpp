#include "queue/store.hpp"

#include <fmt/format.h>

#include "db/optional.hpp"
#include "db/statement.hpp"

namespace hall::queue::store {

void query(soci::session& s, const std::string& sql, std::vector<Bind>& binds,
           const std::function<void(const soci::row&)>& on_row) {
  db::query_rows(s, sql, binds, on_row);
}

long long execute(soci::session& s, const std::string& sql, std::vector<Bind>& binds) {
  return db::execute_sql(s, sql, binds);
}

const char* const kTicketSelect =
    "SELECT t.id, t.hall_id, t.service_date, t.number, t.seq, t.queue_group, t.item_id, "
    "t.item_version_id, "
    "t.student_id, t.channel, t.status, t.status_token, t.priority, t.green, t.green_reason_code, "
    "t.green_reason_text, t.sort_key, t.slot_start, t.appointment_id, t.rejoined, t.recalls, "
    "t.window_id, "
    "t.session_id, t.target_window_id, t.outcome, t.outcome_note, t.taken_at, t.called_at, "
    "t.started_at, "
    "t.finished_at, t.no_show_at, t.transferred_at, t.cancelled_at FROM queue_tickets t ";

Ticket read_ticket(const soci::row& r) {
  Ticket t;
  std::size_t i = 0;
  t.id = col_i64(r, i++);
  t.hall_id = col_i64(r, i++);
  t.service_date = col_str(r, i++);
  t.number = col_str(r, i++);
  t.seq = col_i64(r, i++);
  t.queue_group = col_str(r, i++);
  t.item_id = col_i64(r, i++);
  t.item_version_id = col_i64(r, i++);
  t.student_id = col_i64(r, i++);
  t.channel = col_str(r, i++);
  t.status = parse_status(col_str(r, i++)).value_or(Status::waiting);
  t.status_token = col_str(r, i++);
  t.priority = col_i64(r, i++) != 0;
  t.green = col_i64(r, i++) != 0;
  t.green_reason_code = col_opt_str(r, i++);
  t.green_reason_text = col_opt_str(r, i++);
  t.sort_key = col_i64(r, i++);
  t.slot_start = col_opt_i64(r, i++);
  t.appointment_id = col_opt_i64(r, i++);
  t.rejoined = col_i64(r, i++) != 0;
  t.recalls = static_cast<int>(col_i64(r, i++));
  t.window_id = col_opt_i64(r, i++);
  t.session_id = col_opt_i64(r, i++);
  t.target_window_id = col_opt_i64(r, i++);
  t.outcome = col_opt_str(r, i++);
  t.outcome_note = col_opt_str(r, i++);
  t.taken_at = col_i64(r, i++);
  t.called_at = col_opt_i64(r, i++);
  t.started_at = col_opt_i64(r, i++);
  t.finished_at = col_opt_i64(r, i++);
  t.no_show_at = col_opt_i64(r, i++);
  t.transferred_at = col_opt_i64(r, i++);
  t.cancelled_at = col_opt_i64(r, i++);
  return t;
}

std::vector<Ticket> tickets_where(soci::session& s, const std::string& where_order_limit,
                                  std::vector<Bind> binds) {
  std::vector<Ticket> out;
  query(s, std::string(kTicketSelect) + where_order_limit, binds,
        [&](const soci::row& r) { out.push_back(read_ticket(r)); });
  return out;
}

static bool is_pg(soci::session& s) { return s.get_backend_name() == "postgresql"; }

std::optional<Ticket> find_ticket(soci::session& s, std::int64_t id, bool for_update) {
  auto v = tickets_where(
      s, std::string("WHERE t.id = :id") + (for_update && is_pg(s) ? " FOR UPDATE" : ""),
      {static_cast<long long>(id)});
  if (v.empty()) return std::nullopt;
  return v.front();
}

std::optional<Ticket> find_ticket_by_token(soci::session& s, const std::string& token) {
  auto v = tickets_where(s, "WHERE t.status_token = :t", {token});
  if (v.empty()) return std::nullopt;
  return v.front();
}

std::optional<WindowInfo> find_window(soci::session& s, std::int64_t id) {
  std::optional<WindowInfo> out;
  std::vector<Bind> b{static_cast<long long>(id)};
  query(s, "SELECT id, hall_id, number, name, name_en, unit_id, active FROM windows WHERE id = :id",
        b, [&](const soci::row& r) {
          WindowInfo w;
          w.id = col_i64(r, 0);
          w.hall_id = col_i64(r, 1);
          w.number = static_cast<int>(col_i64(r, 2));
          w.name = col_str(r, 3);
          w.name_en = col_str(r, 4);
          w.unit_id = col_opt_i64(r, 5);
          w.active = col_i64(r, 6) != 0;
          out = w;
        });
  return out;
}

std::optional<ItemInfo> find_item(soci::session& s, std::int64_t item_id) {
  std::optional<ItemInfo> out;
  std::vector<Bind> b{static_cast<long long>(item_id)};
  query(s,
        "SELECT i.id, v.id, v.unit_id, i.code, v.name, v.name_en, v.queue_prefix, v.handling_mode, "
        "v.periods_json, "
        "v.daily_quota, i.suspended FROM catalog_items i JOIN catalog_item_versions v ON v.id = "
        "i.current_version_id "
        "WHERE i.id = :id",
        b, [&](const soci::row& r) {
          ItemInfo it;
          it.id = col_i64(r, 0);
          it.version_id = col_i64(r, 1);
          it.unit_id = col_i64(r, 2);
          it.code = col_str(r, 3);
          it.name = col_str(r, 4);
          it.name_en = col_str(r, 5);
          it.prefix = col_str(r, 6);
          it.handling_mode = col_str(r, 7);
          it.periods_json = col_str(r, 8);
          if (auto q = col_opt_i64(r, 9)) it.daily_quota = static_cast<int>(*q);
          it.suspended = col_i64(r, 10) != 0;
          out = it;
        });
  if (!out) return out;
  std::vector<Bind> b2{static_cast<long long>(out->version_id)};
  query(s,
        "SELECT w.id, w.hall_id, w.number, w.name, w.name_en, w.unit_id, w.active FROM "
        "catalog_version_windows vw "
        "JOIN windows w ON w.id = vw.window_id WHERE vw.version_id = :v AND w.active = 1 ORDER BY "
        "w.hall_id, w.number",
        b2, [&](const soci::row& r) {
          WindowInfo w;
          w.id = col_i64(r, 0);
          w.hall_id = col_i64(r, 1);
          w.number = static_cast<int>(col_i64(r, 2));
          w.name = col_str(r, 3);
          w.name_en = col_str(r, 4);
          w.unit_id = col_opt_i64(r, 5);
          w.active = true;
          out->windows.push_back(w);
        });
  return out;
}

VersionNames version_names(soci::session& s, std::int64_t version_id) {
  VersionNames n;
  long long id = version_id;
  s << "SELECT name, name_en FROM catalog_item_versions WHERE id = :id", soci::into(n.name),
      soci::into(n.name_en), soci::use(id);
  return n;
}

std::optional<Session> open_session(soci::session& s, std::int64_t window_id, bool for_update) {
  std::optional<Session> out;
  std::vector<Bind> b{static_cast<long long>(window_id)};
  // FOR UPDATE: two call-next requests at one window are serialized on its session row
  // (PostgreSQL).
  std::string sql =
      "SELECT ws.id, ws.window_id, ws.staff_id, ws.opened_at, ws.paused, ws.pause_reason, u.name "
      "FROM "
      "queue_window_sessions ws JOIN users u ON u.id = ws.staff_id WHERE ws.window_id = :w AND "
      "ws.closed_at IS NULL";
  if (for_update && is_pg(s)) sql += " FOR UPDATE OF ws";
  query(s, sql, b, [&](const soci::row& r) {
    Session x;
    x.id = col_i64(r, 0);
    x.window_id = col_i64(r, 1);
    x.staff_id = col_i64(r, 2);
    x.opened_at = col_i64(r, 3);
    x.paused = col_i64(r, 4) != 0;
    x.pause_reason = col_str(r, 5);
    x.staff_name = col_str(r, 6);
    out = x;
  });
  return out;
}

std::optional<StudentInfo> find_student(soci::session& s, std::int64_t user_id) {
  std::optional<StudentInfo> out;
  std::vector<Bind> b{static_cast<long long>(user_id)};
  query(s,
        "SELECT u.id, u.name, st.student_no, COALESCE(c.name, ''), st.major, st.class_name, "
        "st.phone, st.card_no, "
        "u.disabled FROM users u JOIN students st ON st.user_id = u.id LEFT JOIN colleges c ON "
        "c.id = st.college_id "
        "WHERE u.id = :id",
        b, [&](const soci::row& r) {
          StudentInfo x;
          x.id = col_i64(r, 0);
          x.name = col_str(r, 1);
          x.student_no = col_str(r, 2);
          x.college_name = col_str(r, 3);
          x.major = col_str(r, 4);
          x.class_name = col_str(r, 5);
          x.phone = col_str(r, 6);
          x.card_no = col_opt_str(r, 7);
          x.disabled = col_i64(r, 8) != 0;
          out = x;
        });
  return out;
}

std::int64_t next_sequence(soci::session& s, std::int64_t hall_id, const std::string& date,
                           const std::string& group) {
  db::Values v{static_cast<long long>(hall_id), date, group};
  return *db::query_i64(
      s,
      "INSERT INTO queue_sequences (hall_id, service_date, queue_group, last_seq) VALUES (:h, :d, "
      ":g, "
      "1) ON CONFLICT (hall_id, service_date, queue_group) DO UPDATE SET last_seq = "
      "queue_sequences.last_seq + 1 RETURNING last_seq",
      v);
}

const char* const kWindowFilter =
    "(t.target_window_id = :w OR (t.target_window_id IS NULL AND t.item_id IN (SELECT ci.id FROM "
    "catalog_items ci "
    "JOIN catalog_version_windows cvw ON cvw.version_id = ci.current_version_id WHERE "
    "cvw.window_id = :w2)))";

std::int64_t pick_next(soci::session& s, std::int64_t hall_id, const std::string& date,
                       std::int64_t window_id, Millis now, bool for_update) {
  std::string lock = for_update && is_pg(s) ? " FOR UPDATE OF t SKIP LOCKED" : "";
  std::string base =
      std::string(
          "SELECT t.id FROM queue_tickets t WHERE t.status = 'waiting' AND t.hall_id = :h AND "
          "t.service_date = :d AND ") +
      kWindowFilter;
  long long hall = hall_id, w = window_id, n = now;
  auto first = [&](const std::string& sql, bool with_now) -> long long {
    std::vector<Bind> b{hall, date, w, w};
    if (with_now) b.emplace_back(n);
    long long id = 0;
    query(s, sql, b, [&](const soci::row& r) { id = col_i64(r, 0); });
    return id;
  };
  // 1. Green channel (B6.5), oldest first.
  if (long long id =
          first(base + " AND t.priority = 1 ORDER BY t.sort_key, t.id LIMIT 1" + lock, false))
    return id;
  // 2. Appointments whose slot has started, by slot start.
  if (long long id = first(base +
                               " AND t.priority = 0 AND t.rejoined = 0 AND t.slot_start IS NOT "
                               "NULL AND t.slot_start "
                               "<= :now ORDER BY t.slot_start, t.sort_key, t.id LIMIT 1" +
                               lock,
                           true))
    return id;
  // 3. The oldest waiting ticket (rejoined no-shows at their rejoin position).
  return first(base + " AND t.priority = 0 ORDER BY t.sort_key, t.id LIMIT 1" + lock, false);
}

std::vector<Ticket> window_queue(soci::session& s, std::int64_t hall_id, const std::string& date,
                                 std::int64_t window_id, Millis now, int limit) {
  long long hall = hall_id, w = window_id, n = now, lim = limit;
  return tickets_where(
      s,
      std::string("WHERE t.status = 'waiting' AND t.hall_id = :h AND t.service_date = :d AND ") +
          kWindowFilter +
          " ORDER BY CASE WHEN t.priority = 1 THEN 0 WHEN t.rejoined = 0 AND t.slot_start IS NOT "
          "NULL AND "
          "t.slot_start <= :now THEN 1 ELSE 2 END, CASE WHEN t.priority = 0 AND t.rejoined = 0 AND "
          "t.slot_start IS "
          "NOT NULL AND t.slot_start <= :now2 THEN t.slot_start ELSE 0 END, t.sort_key, t.id LIMIT "
          ":lim",
      {hall, date, w, w, n, n, lim});
}

int people_ahead(soci::session& s, const Ticket& t, Millis now) {
  if (t.status != Status::waiting) return 0;
  // Tickets x called before t (queue/model.hpp called_before), counted as a sum of
  // disjoint parts, each a range of queue_tickets_group_lane (status, hall_id,
  // service_date, queue_group, priority, sort_key, …) so that no part evaluates an OR
  // over the whole group. The lanes: green = priority 1; due appointment = priority 0,
  // not rejoined, slot started; ordinary = the rest.
  long long hall = t.hall_id, id = t.id, key = t.sort_key, n = now;
  int part = 0;
  std::string sql = "SELECT 0";
  std::vector<Bind> b;
  // One part: COUNT(*) of the group's other waiting tickets with `priority` and `extra`;
  // `extra` names its placeholders with {0} (made unique per part) and binds them.
  auto add = [&](int priority, const std::string& extra, std::vector<Bind> extra_binds) {
    std::string p = std::to_string(part++);
    sql += fmt::format(
        " + (SELECT COUNT(*) FROM queue_tickets x WHERE x.status = 'waiting' AND x.hall_id = :h{0} "
        "AND "
        "x.service_date = :d{0} AND x.queue_group = :g{0} AND x.priority = {1} AND x.id <> :id{0}",
        p, priority);
    b.insert(b.end(), {hall, t.service_date, t.queue_group, id});
    if (!extra.empty()) sql += " AND " + fmt::format(fmt::runtime(extra), p);
    sql += ")";
    b.insert(b.end(), extra_binds.begin(), extra_binds.end());
  };
  const std::string due = "x.rejoined = 0 AND x.slot_start IS NOT NULL AND x.slot_start <= :now{0}";
  // Before t by key: sort_key ≤ k (the index range) and not a later id at the same key.
  const std::string before_key = "x.sort_key <= :k{0} AND (x.sort_key < :ka{0} OR x.id < :ida{0})";
  switch (lane_of(t.entry(), now)) {
    case Lane::green:  // green tickets before it by key
      add(1, before_key, {key, key, id});
      break;
    case Lane::appointment: {  // every green ticket, and due appointments with an earlier slot
                               // (then by key)
      long long slot = *t.slot_start;
      add(1, "", {});
      add(0,
          due +
              " AND (x.slot_start < :s{0} OR (x.slot_start = :sa{0} AND (x.sort_key < :k{0} OR "
              "(x.sort_key = :ka{0} AND x.id < :ida{0}))))",
          {n, slot, slot, key, key, id});
      break;
    }
    case Lane::ordinary:  // every green ticket, every ordinary-priority ticket before it by key,
                          // and the due appointments that are not before it by key (the others are
                          // counted already)
      add(1, "", {});
      add(0, before_key, {key, key, id});
      add(0, "x.sort_key >= :k{0} AND NOT (x.sort_key = :ka{0} AND x.id < :ida{0}) AND " + due,
          {key, key, id, n});
      break;
  }
  return static_cast<int>(db::query_i64(s, sql, b).value_or(0));
}

std::vector<QueueEntry> group_waiting(soci::session& s, std::int64_t hall_id,
                                      const std::string& date, const std::string& group,
                                      std::int64_t except_id) {
  std::vector<QueueEntry> out;
  std::vector<Bind> b{static_cast<long long>(hall_id), date, group,
                      static_cast<long long>(except_id)};
  query(s,
        "SELECT id, green, rejoined, slot_start, sort_key FROM queue_tickets WHERE hall_id = :h "
        "AND service_date = :d "
        "AND queue_group = :g AND status = 'waiting' AND id <> :id",
        b, [&](const soci::row& r) {
          QueueEntry e;
          e.id = col_i64(r, 0);
          e.green = col_i64(r, 1) != 0;
          e.rejoined = col_i64(r, 2) != 0;
          e.slot_start = col_opt_i64(r, 3);
          e.sort_key = col_i64(r, 4);
          out.push_back(e);
        });
  return out;
}

void add_event(soci::session& s, Millis at, const std::string& kind,
               std::optional<std::int64_t> ticket_id, std::optional<std::int64_t> window_id,
               std::optional<std::int64_t> session_id, std::optional<std::int64_t> actor_id,
               const std::string& detail) {
  auto opt = [](std::optional<std::int64_t> x) -> std::optional<long long> { return x; };
  db::Values v{static_cast<long long>(at),
               kind,
               opt(ticket_id),
               opt(window_id),
               opt(session_id),
               opt(actor_id),
               detail};
  db::execute_sql(s,
                  "INSERT INTO queue_events (at, kind, ticket_id, window_id, session_id, actor_id, "
                  "detail) VALUES "
                  "(:at, :k, :t, :w, :s, :a, :d)",
                  v);
}

}  // namespace hall::queue::store
