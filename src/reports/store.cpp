#include "reports/store.hpp"

#include "db/row.hpp"
#include "db/statement.hpp"

namespace hall::reports::store {

namespace {

long long ll(std::int64_t v) { return static_cast<long long>(v); }

long long count(soci::session& s, const std::string& sql, std::int64_t hall, Millis from, Millis to) {
  db::Values b{ll(hall), ll(from), ll(to)};
  return db::query_i64(s, sql, b).value_or(0);
}

std::optional<Millis> first(soci::session& s, const std::string& sql, std::int64_t hall) {
  db::Values b{ll(hall)};
  return db::query_i64(s, sql, b);
}

}  // namespace

void served_tickets(soci::session& s, std::int64_t hall, Millis from, Millis to,
                    const std::function<void(const ServedTicket&)>& on_ticket) {
  db::Values b{ll(hall), ll(from), ll(to)};
  db::query_rows(s,
                 "SELECT t.outcome, t.service_date, t.taken_at, t.called_at, t.started_at, t.finished_at, t.is_demo, "
                 "t.item_id, v.name, v.name_en, v.unit_id, u.name, u.name_en FROM queue_tickets t "
                 "JOIN catalog_item_versions v ON v.id = t.item_version_id JOIN units u ON u.id = v.unit_id "
                 "WHERE t.hall_id = :h AND t.status = 'done' AND t.finished_at >= :f AND t.finished_at < :t",
                 b, [&](const soci::row& r) {
                   ServedTicket t;
                   t.outcome = db::col_opt_str(r, 0);
                   t.service_date = db::col_str(r, 1);
                   t.taken = db::col_i64(r, 2);
                   t.called = db::col_opt_i64(r, 3);
                   t.started = db::col_opt_i64(r, 4);
                   t.finished = db::col_i64(r, 5);
                   t.demo = db::col_i64(r, 6) != 0;
                   t.item = db::col_i64(r, 7);
                   t.item_name = db::col_str(r, 8);
                   t.item_name_en = db::col_str(r, 9);
                   t.unit = db::col_i64(r, 10);
                   t.unit_name = db::col_str(r, 11);
                   t.unit_name_en = db::col_str(r, 12);
                   on_ticket(t);
                 });
}

long long no_shows(soci::session& s, std::int64_t hall, Millis from, Millis to) {
  return count(s,
               "SELECT COUNT(*) FROM queue_tickets WHERE hall_id = :h AND status = 'no_show' AND no_show_at >= :f "
               "AND no_show_at < :t",
               hall, from, to);
}

long long cancellations(soci::session& s, std::int64_t hall, Millis from, Millis to) {
  return count(s,
               "SELECT COUNT(*) FROM queue_tickets WHERE hall_id = :h AND status = 'cancelled' AND cancelled_at >= :f "
               "AND cancelled_at < :t",
               hall, from, to);
}

std::optional<Millis> first_ticket_at(soci::session& s, std::int64_t hall) {
  return first(s, "SELECT MIN(taken_at) FROM queue_tickets WHERE hall_id = :h", hall);
}

std::vector<std::pair<std::optional<Millis>, Millis>> completed_cases(soci::session& s, std::int64_t hall, Millis from,
                                                                       Millis to) {
  db::Values b{ll(hall), ll(from), ll(to)};
  std::vector<std::pair<std::optional<Millis>, Millis>> out;
  db::query_rows(s,
                 "SELECT due_at, completed_at FROM cases WHERE hall_id = :h AND status = 'completed' "
                 "AND completed_at >= :f AND completed_at < :t",
                 b, [&](const soci::row& r) { out.emplace_back(db::col_opt_i64(r, 0), db::col_i64(r, 1)); });
  return out;
}

long long overdue_open_cases(soci::session& s, std::int64_t hall, Millis cut) {
  db::Values b{ll(hall), ll(cut), ll(cut)};
  return db::query_i64(s,
                       "SELECT COUNT(*) FROM cases WHERE hall_id = :h AND accepted_at IS NOT NULL AND due_at IS NOT "
                       "NULL AND due_at < :t AND (completed_at IS NULL OR completed_at >= :t2) AND status <> 'refused' "
                       "AND paused_at IS NULL",
                       b)
      .value_or(0);
}

std::optional<Millis> first_case_at(soci::session& s, std::int64_t hall) {
  return first(s, "SELECT MIN(created_at) FROM cases WHERE hall_id = :h", hall);
}

std::pair<long long, long long> documents_issued(soci::session& s, std::int64_t hall, Millis from, Millis to) {
  // Documents belong to the hall of their case, or of the issuer's unit's windows; with one hall, all of them.
  db::Values b{ll(from), ll(to), ll(hall), ll(hall)};
  std::pair<long long, long long> out{0, 0};
  db::query_rows(s,
                 "SELECT d.replaced_by FROM documents d WHERE d.issued_at >= :f AND d.issued_at < :t AND "
                 "((SELECT COUNT(*) FROM halls) = 1 "
                 "OR (d.ref_type = 'case' AND EXISTS (SELECT 1 FROM cases c WHERE c.id = d.ref_id AND c.hall_id = :h)) "
                 "OR (d.ref_type <> 'case' AND EXISTS (SELECT 1 FROM staff st JOIN windows w ON w.unit_id = "
                 "st.unit_id WHERE st.user_id = d.issued_by AND w.hall_id = :h2)))",
                 b, [&](const soci::row& r) {
                   ++out.first;
                   if (db::col_opt_i64(r, 0)) ++out.second;
                 });
  return out;
}

std::map<int, long long> rating_levels(soci::session& s, std::int64_t hall, Millis from, Millis to) {
  // A rating names one ticket or one case, whose hall it counts for; ratings taken
  // out by an upheld appeal do not count, as in the feedback module's own rate.
  db::Values b{ll(hall), ll(from), ll(to)};
  std::map<int, long long> out;
  db::query_rows(s,
                 "SELECT r.level, COUNT(*) FROM feedback_ratings r LEFT JOIN queue_tickets t ON t.id = r.ticket_id "
                 "LEFT JOIN cases k ON k.id = r.case_id WHERE COALESCE(t.hall_id, k.hall_id) = :h "
                 "AND r.created_at >= :f AND r.created_at < :t AND r.excluded = 0 GROUP BY r.level",
                 b, [&](const soci::row& r) { out[static_cast<int>(db::col_i64(r, 0))] = db::col_i64(r, 1); });
  return out;
}

std::pair<std::string, std::string> hall_names(soci::session& s, std::int64_t hall) {
  db::Values b{ll(hall)};
  std::pair<std::string, std::string> out;
  db::query_rows(s, "SELECT name, name_en FROM halls WHERE id = :h", b,
                 [&](const soci::row& r) { out = {db::col_str(r, 0), db::col_str(r, 1)}; });
  return out;
}

std::optional<Millis> hall_created_at(soci::session& s, std::int64_t hall) {
  return first(s, "SELECT created_at FROM halls WHERE id = :h", hall);
}

long long demo_tickets(soci::session& s, std::int64_t hall) {
  db::Values b{ll(hall)};
  return db::query_i64(s, "SELECT COUNT(*) FROM queue_tickets WHERE hall_id = :h AND is_demo = 1", b).value_or(0);
}

long long tickets_taken(soci::session& s, std::int64_t hall, Millis from, Millis to) {
  return count(s, "SELECT COUNT(*) FROM queue_tickets WHERE hall_id = :h AND taken_at >= :f AND taken_at < :t", hall,
               from, to);
}

std::vector<DemoTicket> demo_served(soci::session& s, std::int64_t hall) {
  db::Values b{ll(hall)};
  std::vector<DemoTicket> out;
  db::query_rows(s,
                 "SELECT item_id, item_version_id, window_id, queue_group, started_at, finished_at, student_id "
                 "FROM queue_tickets WHERE hall_id = :h AND is_demo = 1 AND status = 'done' AND window_id IS NOT NULL "
                 "AND started_at IS NOT NULL AND finished_at IS NOT NULL ORDER BY id",
                 b, [&](const soci::row& r) {
                   DemoTicket t;
                   t.item = db::col_i64(r, 0);
                   t.version = db::col_i64(r, 1);
                   t.window = db::col_i64(r, 2);
                   t.group = db::col_str(r, 3);
                   t.started = db::col_i64(r, 4);
                   t.finished = db::col_i64(r, 5);
                   t.student = db::col_i64(r, 6);
                   out.push_back(std::move(t));
                 });
  return out;
}

void insert_demo_ticket(soci::session& s, std::int64_t hall, const NewDemoTicket& t) {
  db::Values b{ll(hall), t.date,    t.number, t.seq,         t.group,       t.item,       t.version,
               t.student, t.token,  t.key,    t.window,      t.outcome,     ll(t.taken),  ll(t.called),
               ll(t.started), ll(t.finished)};
  db::execute_sql(s,
                  "INSERT INTO queue_tickets (hall_id, service_date, number, seq, queue_group, item_id, "
                  "item_version_id, student_id, channel, status, status_token, sort_key, window_id, outcome, taken_at, "
                  "called_at, started_at, finished_at, is_demo) VALUES (:h, :d, :n, :seq, :g, :i, :v, :s, 'kiosk', "
                  "'done', :tok, :k, :w, :o, :ta, :ca, :sa, :fa, 1)",
                  b);
}

void insert_sequence(soci::session& s, std::int64_t hall, const std::string& date, const std::string& group,
                     long long last) {
  db::Values b{ll(hall), date, group, last};
  db::execute_sql(s,
                  "INSERT INTO queue_sequences (hall_id, service_date, queue_group, last_seq) VALUES (:h, :d, :g, :l)",
                  b);
}

std::optional<Snapshot> snapshot(soci::session& s, std::int64_t hall, const std::string& month) {
  db::Values b{ll(hall), month};
  std::optional<Snapshot> out;
  db::query_rows(s, "SELECT figures, computed_at FROM report_month_snapshots WHERE hall_id = :h AND month = :m", b,
                 [&](const soci::row& r) { out = Snapshot{db::col_str(r, 0), db::col_i64(r, 1)}; });
  return out;
}

void insert_snapshot(soci::session& s, std::int64_t hall, const std::string& month, const std::string& figures,
                     Millis at) {
  db::Values b{ll(hall), month, figures, ll(at)};
  db::execute_sql(s,
                  "INSERT INTO report_month_snapshots (hall_id, month, figures, computed_at) VALUES (:h, :m, :f, :a) "
                  "ON CONFLICT (hall_id, month) DO NOTHING",
                  b);
}

std::map<std::string, Millis> snapshot_months(soci::session& s, std::int64_t hall) {
  db::Values b{ll(hall)};
  std::map<std::string, Millis> out;
  db::query_rows(s, "SELECT month, computed_at FROM report_month_snapshots WHERE hall_id = :h", b,
                 [&](const soci::row& r) { out[db::col_str(r, 0)] = db::col_i64(r, 1); });
  return out;
}

}  // namespace hall::reports::store
