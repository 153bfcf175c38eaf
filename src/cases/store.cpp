#include "cases/store.hpp"

#include <stdexcept>

#include "db/optional.hpp"
#include "db/statement.hpp"

namespace hall::cases::store {

// "?" placeholders become :p1, :p2, … (SOCI's PostgreSQL backend knows only named ones).
std::string placeholders(const std::string& sql) {
  std::string out;
  int n = 0;
  for (char c : sql) {
    if (c == '?') out += ":p" + std::to_string(++n);
    else out += c;
  }
  return out;
}

void query(soci::session& s, const std::string& sql, Binds binds, const std::function<void(const soci::row&)>& on_row) {
  db::query_rows(s, placeholders(sql), binds, on_row);
}

long long execute(soci::session& s, const std::string& sql, Binds binds) {
  return db::execute_sql(s, placeholders(sql), binds);
}

std::optional<long long> scalar(soci::session& s, const std::string& sql, Binds binds) {
  std::optional<long long> out;
  query(s, sql, std::move(binds), [&](const soci::row& r) { out = col_opt_i64(r, 0); });
  return out;
}

const char* const kCaseSelect =
    "SELECT c.id, c.hall_id, c.case_no, c.channel, c.ticket_id, c.student_id, c.caller_name, c.caller_phone, "
    "c.caller_student_no, c.summary, c.item_id, c.item_version_id, c.status, c.resume_status, c.first_responder_id, "
    "c.handler_id, c.green, c.green_reason, c.green_by, c.green_at, c.time_limit_days, c.accepted_at, c.due_at, "
    "c.original_due_at, c.paused_at, c.paused_seconds, c.completed_at, c.result_note, c.overdue_reason, "
    "c.one_time_breach, c.created_by, c.created_at, c.updated_at, "
    "su.name, st.student_no, fr.name, hd.name, v.name, v.name_en, ci.code, t.number, c.due_provisional "
    "FROM cases c LEFT JOIN users su ON su.id = c.student_id LEFT JOIN students st ON st.user_id = c.student_id "
    "LEFT JOIN users fr ON fr.id = c.first_responder_id LEFT JOIN users hd ON hd.id = c.handler_id "
    "LEFT JOIN catalog_item_versions v ON v.id = c.item_version_id LEFT JOIN catalog_items ci ON ci.id = c.item_id "
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
  if (for_update && s.get_backend_name() != "sqlite3") {
    long long locked = 0;
    s << "SELECT id FROM cases WHERE id = :id FOR UPDATE", soci::use(id), soci::into(locked);
  }
  query(s, std::string(kCaseSelect) + "WHERE c.id = ?", {id}, [&](const soci::row& r) { out = read_case(r); });
  return out;
}

std::vector<Case> list_cases(soci::session& s, const std::string& where, Binds binds, const std::string& tail) {
  std::vector<Case> out;
  query(s, std::string(kCaseSelect) + where + " " + tail, std::move(binds),
        [&](const soci::row& r) { out.push_back(read_case(r)); });
  return out;
}

std::vector<MaterialRow> materials(soci::session& s, long long case_id) {
  std::vector<MaterialRow> out;
  query(s,
        "SELECT material_id, name, required, mark, correction, position, condition_text, marked_at, changed_at "
        "FROM case_materials WHERE case_id = ? ORDER BY position, material_id",
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
  execute(s,
          "INSERT INTO case_materials (case_id, material_id, position, name, required, condition_text) "
          "SELECT ?, id, position, name, required, condition_text FROM catalog_materials WHERE version_id = ?",
          {case_id, version_id});
}

void clear_materials(soci::session& s, long long case_id) {
  execute(s, "DELETE FROM case_materials WHERE case_id = ?", {case_id});
}

std::vector<Notice> notices(soci::session& s, long long case_id, bool with_materials) {
  std::vector<Notice> out;
  query(s,
        "SELECT id, case_id, seq, notice_no, issued_at, staff_id, staff_name, item_name, outside_remit, "
        "application_limit, refusal_reason, remarks, breach, breach_detail, document_id FROM case_notices "
        "WHERE case_id = ? ORDER BY seq",
        {case_id}, [&](const soci::row& r) {
          Notice n;
          n.id = col_i64(r, 0);
          n.case_id = col_i64(r, 1);
          n.seq = static_cast<int>(col_i64(r, 2));
          n.notice_no = col_str(r, 3);
          n.issued_at = col_i64(r, 4);
          n.staff_id = col_i64(r, 5);
          n.staff_name = col_str(r, 6);
          n.item_name = col_str(r, 7);
          n.outside_remit = col_i64(r, 8) != 0;
          n.application_limit = col_str(r, 9);
          n.refusal_reason = col_str(r, 10);
          n.remarks = col_str(r, 11);
          n.breach = col_i64(r, 12) != 0;
          n.breach_detail = col_str(r, 13);
          n.document_id = col_opt_i64(r, 14);
          out.push_back(std::move(n));
        });
  if (with_materials)
    for (auto& n : out)
      query(s,
            "SELECT material_id, name, mark, correction FROM case_notice_materials WHERE notice_id = ? "
            "ORDER BY position, material_id",
            {n.id}, [&](const soci::row& r) {
              NoticeMaterial m;
              m.material_id = col_i64(r, 0);
              m.name = col_str(r, 1);
              m.mark = parse_mark(col_str(r, 2)).value_or(Mark::provided);
              m.correction = col_str(r, 3);
              n.materials.push_back(std::move(m));
            });
  return out;
}

std::vector<ReferralRow> referrals(soci::session& s, long long case_id) {
  std::vector<ReferralRow> out;
  query(s,
        "SELECT r.id, r.case_id, r.office, r.handler, r.handler_user_id, r.phone, r.location, r.note, r.source, "
        "r.document_id, r.created_by, r.created_at, u.name FROM case_referrals r LEFT JOIN users u ON u.id = r.created_by "
        "WHERE r.case_id = ? ORDER BY r.id",
        {case_id}, [&](const soci::row& r) {
          ReferralRow x;
          x.id = col_i64(r, 0);
          x.case_id = col_i64(r, 1);
          x.r.office = col_str(r, 2);
          x.r.handler = col_str(r, 3);
          x.handler_user_id = col_opt_i64(r, 4);
          x.r.phone = col_str(r, 5);
          x.r.location = col_str(r, 6);
          x.r.note = col_str(r, 7);
          x.source = col_str(r, 8);
          x.document_id = col_opt_i64(r, 9);
          x.created_by = col_i64(r, 10);
          x.created_at = col_i64(r, 11);
          x.created_by_name = col_str(r, 12);
          out.push_back(std::move(x));
        });
  return out;
}

const char* const kFollowupSelect =
    "SELECT f.id, f.case_id, f.assignee_id, au.name, f.reported_at, f.reported_via, f.student_note, f.due_at, "
    "f.status, f.agreed, f.reply, f.replied_at, f.replied_by, c.case_no, c.summary, su.name, c.green "
    "FROM case_followups f JOIN cases c ON c.id = f.case_id LEFT JOIN users au ON au.id = f.assignee_id "
    "LEFT JOIN users su ON su.id = c.student_id ";

Followup read_followup(const soci::row& r) {
  Followup f;
  std::size_t i = 0;
  f.id = col_i64(r, i++);
  f.case_id = col_i64(r, i++);
  f.assignee_id = col_i64(r, i++);
  f.assignee_name = col_str(r, i++);
  f.reported_at = col_i64(r, i++);
  f.reported_via = col_str(r, i++);
  f.student_note = col_str(r, i++);
  f.due_at = col_i64(r, i++);
  f.status = col_str(r, i++);
  f.agreed = col_str(r, i++);
  f.reply = col_str(r, i++);
  f.replied_at = col_opt_i64(r, i++);
  f.replied_by = col_opt_i64(r, i++);
  f.case_no = col_str(r, i++);
  f.summary = col_str(r, i++);
  f.student_name = col_str(r, i++);
  f.green = col_i64(r, i++) != 0;
  return f;
}

std::vector<Followup> followups(soci::session& s, const std::string& where, Binds binds, const std::string& tail) {
  std::vector<Followup> out;
  query(s, std::string(kFollowupSelect) + where + " " + tail, std::move(binds),
        [&](const soci::row& r) { out.push_back(read_followup(r)); });
  return out;
}

std::vector<Event> events(soci::session& s, long long case_id, bool public_only) {
  std::vector<Event> out;
  query(s,
        std::string("SELECT id, at, kind, actor_id, actor_name, detail, public FROM case_events WHERE case_id = ?") +
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
               std::optional<long long> actor_id, const std::string& actor_name, const json::value& detail,
               bool is_public) {
  execute(s,
          "INSERT INTO case_events (case_id, at, kind, actor_id, actor_name, detail, public) VALUES (?, ?, ?, ?, ?, ?, ?)",
          {case_id, at, kind, actor_id, actor_name, json::serialize(detail), static_cast<long long>(is_public ? 1 : 0)});
}

std::string user_name(soci::session& s, long long user_id) {
  std::string name;
  query(s, "SELECT name FROM users WHERE id = ?", {user_id}, [&](const soci::row& r) { name = col_str(r, 0); });
  return name;
}

}  // namespace hall::cases::store
