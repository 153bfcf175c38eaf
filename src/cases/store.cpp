#include "cases/store.hpp"

#include <stdexcept>

#include "db/dialect.hpp"
#include "db/optional.hpp"
#include "db/statement.hpp"

namespace hall::cases::store {

namespace {

using V = db::Values;

void rows(soci::session& s, const std::string& sql, V b,
          const std::function<void(const soci::row&)>& on_row) {
  db::query_rows(s, sql, b, on_row);
}
long long exec(soci::session& s, const std::string& sql, V b) { return db::execute_sql(s, sql, b); }
long long count(soci::session& s, const std::string& sql, V b) {
  return db::query_i64(s, sql, b).value_or(0);
}

}  // namespace

const char* const kCaseSelect =
    "SELECT c.id, c.hall_id, c.case_no, c.channel, c.ticket_id, c.student_id, c.caller_name, "
    "c.caller_phone, "
    "c.caller_student_no, c.summary, c.item_id, c.item_version_id, c.status, c.resume_status, "
    "c.first_responder_id, "
    "c.handler_id, c.green, c.green_reason, c.green_by, c.green_at, c.time_limit_days, "
    "c.accepted_at, c.due_at, "
    "c.original_due_at, c.paused_at, c.paused_seconds, c.completed_at, c.result_note, "
    "c.overdue_reason, "
    "c.one_time_breach, c.created_by, c.created_at, c.updated_at, "
    "su.name, st.student_no, fr.name, hd.name, v.name, v.name_en, ci.code, t.number, "
    "c.due_provisional "
    "FROM cases c LEFT JOIN users su ON su.id = c.student_id LEFT JOIN students st ON st.user_id = "
    "c.student_id "
    "LEFT JOIN users fr ON fr.id = c.first_responder_id LEFT JOIN users hd ON hd.id = c.handler_id "
    "LEFT JOIN catalog_item_versions v ON v.id = c.item_version_id LEFT JOIN catalog_items ci ON "
    "ci.id = c.item_id "
    "LEFT JOIN queue_tickets t ON t.id = c.ticket_id ";

Case read_case(const soci::row& r) {
  Case c;
  std::size_t i = 0;
  c.id = col_i64(r, i++);
  c.hall_id = col_i64(r, i++);
  c.case_no = col_str(r, i++);
  c.channel = col_str(r, i++);
  c.ticket_id = col_opt_i64(r, i++);
  c.student_id = col_opt_i64(r, i++);
  c.caller_name = col_str(r, i++);
  c.caller_phone = col_str(r, i++);
  c.caller_student_no = col_str(r, i++);
  c.summary = col_str(r, i++);
  c.item_id = col_opt_i64(r, i++);
  c.item_version_id = col_opt_i64(r, i++);
  c.status = col_str(r, i++);
  c.resume_status = col_opt_str(r, i++);
  c.first_responder_id = col_opt_i64(r, i++);
  c.handler_id = col_opt_i64(r, i++);
  c.green = col_i64(r, i++) != 0;
  c.green_reason = col_str(r, i++);
  c.green_by = col_opt_i64(r, i++);
  c.green_at = col_opt_i64(r, i++);
  c.time_limit_days = col_opt_i64(r, i++);
  c.accepted_at = col_opt_i64(r, i++);
  c.due_at = col_opt_i64(r, i++);
  c.original_due_at = col_opt_i64(r, i++);
  c.paused_at = col_opt_i64(r, i++);
  c.paused_seconds = col_i64(r, i++);
  c.completed_at = col_opt_i64(r, i++);
  c.result_note = col_str(r, i++);
  c.overdue_reason = col_str(r, i++);
  c.one_time_breach = col_i64(r, i++) != 0;
  c.created_by = col_opt_i64(r, i++);
  c.created_at = col_i64(r, i++);
  c.updated_at = col_i64(r, i++);
  c.student_name = col_str(r, i++);
  c.student_no = col_str(r, i++);
  c.first_responder_name = col_str(r, i++);
  c.handler_name = col_str(r, i++);
  c.item_name = col_str(r, i++);
  c.item_name_en = col_str(r, i++);
  c.item_code = col_str(r, i++);
  c.ticket_number = col_str(r, i++);
  c.due_provisional = col_i64(r, i++) != 0;
  return c;
}

std::optional<Case> find_case(soci::session& s, long long id, bool for_update) {
  std::optional<Case> out;
  if (for_update)  // PostgreSQL: lock the case row itself (the select below joins others' tables)
  {
    V lock{id};
    db::query_i64(s, "SELECT id FROM cases WHERE id = :id" + db::dialect(s).for_update(), lock);
  }
  rows(s, std::string(kCaseSelect) + "WHERE c.id = :id", {id},
       [&](const soci::row& r) { out = read_case(r); });
  return out;
}

std::vector<MaterialRow> materials(soci::session& s, long long case_id) {
  std::vector<MaterialRow> out;
  rows(s,
       "SELECT material_id, name, required, mark, correction, position, condition_text, marked_at, "
       "changed_at "
       "FROM case_materials WHERE case_id = :c ORDER BY position, material_id",
       {case_id}, [&](const soci::row& r) {
         MaterialRow m;
         m.m.material_id = col_i64(r, 0);
         m.m.name = col_str(r, 1);
         m.m.required = col_i64(r, 2) != 0;
         if (auto mk = col_opt_str(r, 3)) m.m.mark = parse_mark(*mk);
         m.m.correction = col_str(r, 4);
         m.position = static_cast<int>(col_i64(r, 5));
         m.condition = col_str(r, 6);
         m.marked_at = col_opt_i64(r, 7);
         m.changed_at = col_opt_i64(r, 8);
         out.push_back(std::move(m));
       });
  return out;
}

void copy_materials(soci::session& s, long long case_id, long long version_id) {
  exec(
      s,
      "INSERT INTO case_materials (case_id, material_id, position, name, required, condition_text) "
      "SELECT :c, id, position, name, required, condition_text FROM catalog_materials WHERE "
      "version_id = :v",
      {case_id, version_id});
}

void clear_materials(soci::session& s, long long case_id) {
  exec(s, "DELETE FROM case_materials WHERE case_id = :c", {case_id});
}

std::vector<Event> events(soci::session& s, long long case_id, bool public_only) {
  std::vector<Event> out;
  rows(s,
       std::string("SELECT id, at, kind, actor_id, actor_name, detail, public FROM case_events "
                   "WHERE case_id = :c") +
           (public_only ? " AND public = 1" : "") + " ORDER BY id",
       {case_id}, [&](const soci::row& r) {
         Event e;
         e.id = col_i64(r, 0);
         e.at = col_i64(r, 1);
         e.kind = col_str(r, 2);
         e.actor_id = col_opt_i64(r, 3);
         e.actor_name = col_str(r, 4);
         e.detail = col_str(r, 5);
         e.is_public = col_i64(r, 6) != 0;
         out.push_back(std::move(e));
       });
  return out;
}

void add_event(soci::session& s, long long case_id, long long at, const std::string& kind,
               std::optional<long long> actor_id, const std::string& actor_name,
               const json::value& detail, bool is_public) {
  exec(s,
       "INSERT INTO case_events (case_id, at, kind, actor_id, actor_name, detail, public) VALUES "
       "(:c, :at, :k, :a, :n, :d, :p)",
       {case_id, at, kind, actor_id, actor_name, json::serialize(detail),
        static_cast<long long>(is_public ? 1 : 0)});
}

std::string user_name(soci::session& s, long long user_id) {
  std::string name;
  rows(s, "SELECT name FROM users WHERE id = :id", {user_id},
       [&](const soci::row& r) { name = col_str(r, 0); });
  return name;
}

// ---------------------------------------------------------------------------
// Writing a case

long long insert_case(soci::session& s, const NewCase& c) {
  V b{c.case_no,
      c.hall_id,
      c.channel,
      c.ticket_id,
      c.student_id,
      c.caller_name,
      c.caller_phone,
      c.caller_student_no,
      c.summary,
      c.item_id,
      c.item_version_id,
      c.status,
      c.first_responder_id,
      c.first_responder_id,
      c.created_by,
      c.now,
      c.now};
  return db::query_i64(
             s,
             "INSERT INTO cases (case_no, hall_id, channel, ticket_id, student_id, caller_name, "
             "caller_phone, caller_student_no, summary, item_id, item_version_id, status, "
             "first_responder_id, handler_id, created_by, created_at, updated_at) VALUES (:no, "
             ":hall, "
             ":ch, :ticket, :student, :cname, :cphone, :cno, :summary, :item, :version, :status, "
             ":fr, "
             ":handler, :by, :created, :updated) RETURNING id",
             b)
      .value_or(0);
}

void set_case_no(soci::session& s, long long id, const std::string& no) {
  exec(s, "UPDATE cases SET case_no = :no WHERE id = :id", {no, id});
}

void touch(soci::session& s, long long id, long long now) {
  exec(s, "UPDATE cases SET updated_at = :t WHERE id = :id", {now, id});
}

void set_first_responder(soci::session& s, long long id, long long user_id) {
  exec(s,
       "UPDATE cases SET first_responder_id = :me, handler_id = COALESCE(handler_id, :me2) WHERE "
       "id = :id",
       {user_id, user_id, id});
}

void set_item(soci::session& s, long long id, long long item_id, long long version_id) {
  exec(s, "UPDATE cases SET item_id = :i, item_version_id = :v WHERE id = :id",
       {item_id, version_id, id});
}

void set_summary(soci::session& s, long long id, const std::string& summary) {
  exec(s, "UPDATE cases SET summary = :s WHERE id = :id", {summary, id});
}

void set_handler(soci::session& s, long long id, long long handler_id, long long now) {
  exec(s, "UPDATE cases SET handler_id = :h, updated_at = :t WHERE id = :id",
       {handler_id, now, id});
}

bool ticket_has_case(soci::session& s, long long ticket_id) {
  return count(s, "SELECT COUNT(*) FROM cases WHERE ticket_id = :t", {ticket_id}) > 0;
}

void accept(soci::session& s, long long id, long long now, long long due, long long days,
            long long handler_id, bool provisional) {
  exec(s,
       "UPDATE cases SET status = 'processing', accepted_at = :t, due_at = :due, original_due_at = "
       ":due2, "
       "time_limit_days = :days, handler_id = COALESCE(handler_id, :h), updated_at = :t2, "
       "due_provisional = :p "
       "WHERE id = :id",
       {now, due, due, days, handler_id, now, static_cast<long long>(provisional ? 1 : 0), id});
}

void complete(soci::session& s, long long id, long long now, const std::string& note,
              const std::string& overdue_reason) {
  exec(s,
       "UPDATE cases SET status = 'completed', completed_at = :t, result_note = :note, "
       "overdue_reason = :reason, "
       "updated_at = :t2 WHERE id = :id",
       {now, note, overdue_reason, now, id});
}

void mark_green(soci::session& s, long long id, const std::string& reason, long long by,
                long long now) {
  exec(s,
       "UPDATE cases SET green = 1, green_reason = :r, green_by = :by, green_at = :t, updated_at = "
       ":t2 WHERE id = :id",
       {reason, by, now, now, id});
}

void set_due(soci::session& s, long long id, long long due) {
  exec(s, "UPDATE cases SET due_at = :due WHERE id = :id", {due, id});
}

void refuse(soci::session& s, long long id, long long now) {
  exec(s,
       "UPDATE cases SET status = 'refused', resume_status = NULL, paused_at = NULL WHERE id = :id",
       {id});
  exec(s, "UPDATE case_pauses SET ended_at = :t WHERE case_id = :c AND ended_at IS NULL",
       {now, id});
}

void wait_for_materials(soci::session& s, long long id, const std::string& resume_status) {
  exec(s, "UPDATE cases SET status = 'waiting_materials', resume_status = :r WHERE id = :id",
       {resume_status, id});
}

void pause_clock(soci::session& s, long long id, long long now) {
  exec(s, "UPDATE cases SET paused_at = :t WHERE id = :id", {now, id});
  exec(s, "INSERT INTO case_pauses (case_id, started_at) VALUES (:c, :t)", {id, now});
}

void resume_status(soci::session& s, long long id, const std::string& status) {
  exec(s, "UPDATE cases SET status = :st, resume_status = NULL WHERE id = :id", {status, id});
}

void resume_clock(soci::session& s, long long id, long long now, long long due,
                  long long paused_seconds, bool provisional) {
  exec(s,
       "UPDATE cases SET due_at = :due, paused_at = NULL, paused_seconds = paused_seconds + :ps, "
       "due_provisional = :p WHERE id = :id",
       {due, paused_seconds, static_cast<long long>(provisional ? 1 : 0), id});
  exec(s,
       "UPDATE case_pauses SET ended_at = :t, working_seconds = :ws WHERE case_id = :c AND "
       "ended_at IS NULL",
       {now, paused_seconds, id});
}

void set_one_time_breach(soci::session& s, long long id) {
  exec(s, "UPDATE cases SET one_time_breach = 1 WHERE id = :id", {id});
}

void set_referred(soci::session& s, long long id, long long now) {
  exec(s,
       "UPDATE cases SET status = 'referred', resume_status = NULL, updated_at = :t WHERE id = :id",
       {now, id});
}

void mark_material(soci::session& s, long long case_id, long long material_id,
                   const std::string& mark, const std::string& correction, long long by,
                   long long now) {
  exec(s,
       "UPDATE case_materials SET mark = :m, correction = :corr, marked_by = :by, marked_at = :t "
       "WHERE case_id = :c AND material_id = :mid",
       {mark, correction, by, now, case_id, material_id});
}

void material_brought(soci::session& s, long long case_id, long long material_id, long long now) {
  exec(s,
       "UPDATE case_materials SET changed_at = :t, mark = NULL, correction = '' WHERE case_id = :c "
       "AND "
       "material_id = :mid",
       {now, case_id, material_id});
}

// ---------------------------------------------------------------------------
// Demo data

long long insert_demo_case(soci::session& s, const DemoCase& c) {
  V b{c.case_no,     c.hall_id,    c.channel,    c.ticket_id,
      c.student_id,  c.summary,    c.item_id,    c.version_id,
      c.status,      c.handler_id, c.handler_id, c.days,
      c.accepted_at, c.due_at,     c.due_at,     c.completed_at,
      c.result_note, c.handler_id, c.created_at, c.completed_at.value_or(c.accepted_at)};
  return db::query_i64(
             s,
             "INSERT INTO cases (case_no, hall_id, channel, ticket_id, student_id, summary, "
             "item_id, "
             "item_version_id, status, first_responder_id, handler_id, time_limit_days, "
             "accepted_at, "
             "due_at, original_due_at, completed_at, result_note, created_by, created_at, "
             "updated_at, "
             "is_demo) VALUES (:no, :hall, :ch, :ticket, :student, :summary, :item, :version, "
             ":status, "
             ":fr, :handler, :days, :acc, :due, :due2, :done, :result, :by, :created, :updated, 1) "
             "RETURNING id",
             b)
      .value_or(0);
}

void mark_all_provided(soci::session& s, long long case_id, long long by, long long at) {
  exec(s,
       "UPDATE case_materials SET mark = 'provided', marked_by = :by, marked_at = :t WHERE case_id "
       "= :c",
       {by, at, case_id});
}

}  // namespace hall::cases::store
