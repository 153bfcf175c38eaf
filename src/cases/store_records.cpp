// Notices (B6.2), referrals and follow-ups (B6.1).
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

std::vector<Notice> notices(soci::session& s, long long case_id, bool with_materials) {
  std::vector<Notice> out;
  rows(s,
       "SELECT id, case_id, seq, notice_no, issued_at, staff_id, staff_name, item_name, "
       "outside_remit, "
       "application_limit, refusal_reason, remarks, breach, breach_detail, document_id FROM "
       "case_notices "
       "WHERE case_id = :c ORDER BY seq",
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
      rows(s,
           "SELECT material_id, name, mark, correction FROM case_notice_materials WHERE notice_id "
           "= :n "
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
  rows(s,
       "SELECT r.id, r.case_id, r.office, r.handler, r.handler_user_id, r.phone, r.location, "
       "r.note, r.source, "
       "r.document_id, r.created_by, r.created_at, u.name FROM case_referrals r LEFT JOIN users u "
       "ON u.id = r.created_by "
       "WHERE r.case_id = :c ORDER BY r.id",
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

namespace {

const char* const kFollowupSelect =
    "SELECT f.id, f.case_id, f.assignee_id, au.name, f.reported_at, f.reported_via, "
    "f.student_note, f.due_at, "
    "f.status, f.agreed, f.reply, f.replied_at, f.replied_by, c.case_no, c.summary, su.name, "
    "c.green "
    "FROM case_followups f JOIN cases c ON c.id = f.case_id LEFT JOIN users au ON au.id = "
    "f.assignee_id "
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

}  // namespace

namespace {

std::vector<Followup> followups_where(soci::session& s, const std::string& where_order, V b) {
  std::vector<Followup> out;
  rows(s, std::string(kFollowupSelect) + where_order, std::move(b),
       [&](const soci::row& r) { out.push_back(read_followup(r)); });
  return out;
}

}  // namespace

std::optional<Followup> find_followup(soci::session& s, long long id) {
  auto v = followups_where(s, "WHERE f.id = :id", {id});
  if (v.empty()) return std::nullopt;
  return v.front();
}

std::vector<Followup> case_followups(soci::session& s, long long case_id) {
  return followups_where(s, "WHERE f.case_id = :c ORDER BY f.id", {case_id});
}

std::vector<Followup> open_followups_of(soci::session& s, long long assignee_id) {
  return followups_where(s,
                         "WHERE f.assignee_id = :me AND f.status = 'open' ORDER BY c.green DESC, "
                         "f.due_at, f.id LIMIT 500",
                         {assignee_id});
}

std::vector<Followup> open_followups(soci::session& s, std::optional<long long> due_before,
                                     int limit) {
  std::string lim = limit > 0 ? " LIMIT " + std::to_string(limit) : "";
  if (due_before)
    return followups_where(
        s,
        "WHERE f.status = 'open' AND f.due_at < :now ORDER BY c.green DESC, f.due_at, f.id" + lim,
        {*due_before});
  return followups_where(s, "WHERE f.status = 'open' ORDER BY c.green DESC, f.due_at, f.id" + lim,
                         {});
}

long long open_followup_count(soci::session& s, long long case_id) {
  return count(s, "SELECT COUNT(*) FROM case_followups WHERE case_id = :c AND status = 'open'",
               {case_id});
}

long long insert_followup(soci::session& s, long long case_id, long long assignee_id, long long now,
                          const std::string& via, const std::string& note, long long due,
                          long long by) {
  V b{case_id, assignee_id, now, via, note, due, by};
  return db::query_i64(s,
                       "INSERT INTO case_followups (case_id, assignee_id, reported_at, "
                       "reported_via, student_note, "
                       "due_at, status, created_by) VALUES (:c, :a, :t, :via, :note, :due, 'open', "
                       ":by) RETURNING id",
                       b)
      .value_or(0);
}

void reply_followup(soci::session& s, long long id, const std::string& agreed,
                    const std::string& reply, long long now, long long by) {
  exec(s,
       "UPDATE case_followups SET status = 'done', agreed = :agreed, reply = :reply, replied_at = "
       ":t, "
       "replied_by = :by WHERE id = :id AND status = 'open'",
       {agreed, reply, now, by, id});
}


// ---------------------------------------------------------------------------
// Notices and referrals

long long notice_count(soci::session& s, long long case_id) {
  return count(s, "SELECT COUNT(*) FROM case_notices WHERE case_id = :c", {case_id});
}

long long insert_notice(soci::session& s, const Notice& n,
                        const std::vector<std::pair<MaterialMark, int>>& materials) {
  V b{n.case_id,           static_cast<long long>(n.seq),
      n.notice_no,         n.issued_at,
      n.staff_id,          n.staff_name,
      n.item_name,         static_cast<long long>(n.outside_remit ? 1 : 0),
      n.application_limit, n.refusal_reason,
      n.remarks,           static_cast<long long>(n.breach ? 1 : 0),
      n.breach_detail};
  long long id =
      db::query_i64(
          s,
          "INSERT INTO case_notices (case_id, seq, notice_no, issued_at, staff_id, staff_name, "
          "item_name, outside_remit, application_limit, refusal_reason, remarks, breach, "
          "breach_detail) VALUES (:c, :seq, :no, :t, :staff, :sname, :item, :outside, :limit, "
          ":refusal, :remarks, :breach, :detail) RETURNING id",
          b)
          .value_or(0);
  for (const auto& [m, position] : materials)
    exec(s,
         "INSERT INTO case_notice_materials (notice_id, material_id, position, name, required, "
         "mark, correction) "
         "VALUES (:n, :mid, :pos, :name, :req, :mark, :corr)",
         {id, m.material_id, static_cast<long long>(position), m.name,
          static_cast<long long>(m.required ? 1 : 0), std::string(to_string(*m.mark)),
          m.correction});
  return id;
}

void set_notice_document(soci::session& s, long long notice_id, long long document_id) {
  exec(s, "UPDATE case_notices SET document_id = :d WHERE id = :id", {document_id, notice_id});
}

long long insert_referral(soci::session& s, long long case_id, const Referral& r,
                          std::optional<long long> handler_user_id, const std::string& source,
                          long long by, long long now) {
  V b{case_id, r.office, r.handler, handler_user_id, r.phone, r.location, r.note, source, by, now};
  return db::query_i64(
             s,
             "INSERT INTO case_referrals (case_id, office, handler, handler_user_id, phone, "
             "location, "
             "note, source, created_by, created_at) VALUES (:c, :office, :handler, :hu, :phone, "
             ":location, :note, :source, :by, :t) RETURNING id",
             b)
      .value_or(0);
}

void set_referral_document(soci::session& s, long long referral_id, long long document_id) {
  exec(s, "UPDATE case_referrals SET document_id = :d WHERE id = :id", {document_id, referral_id});
}

long long last_referrer(soci::session& s, long long case_id) {
  return count(s,
               "SELECT created_by FROM case_referrals WHERE case_id = :c ORDER BY id DESC LIMIT 1",
               {case_id});
}


}  // namespace hall::cases::store
