// Lists, oversight and statistics over the cases tables, and the few reads of
// other modules' tables cases needs (each marked with its owner).
#include "cases/store.hpp"
#include "db/statement.hpp"

namespace hall::cases::store {

namespace {

using V = db::Values;

void rows(soci::session& s, const std::string& sql, V b,
          const std::function<void(const soci::row&)>& on_row) {
  db::query_rows(s, sql, b, on_row);
}
long long count(soci::session& s, const std::string& sql, V b) {
  return db::query_i64(s, sql, b).value_or(0);
}

std::vector<Case> cases_where(soci::session& s, const std::string& where_order, V b) {
  std::vector<Case> out;
  rows(s, std::string(kCaseSelect) + where_order, std::move(b),
       [&](const soci::row& r) { out.push_back(read_case(r)); });
  return out;
}

}  // namespace

std::vector<Case> search_cases(soci::session& s, const CaseFilter& f, long long* total) {
  std::string where = "WHERE 1=1";
  V b;
  if (f.scope == "mine") {
    where += " AND (c.first_responder_id = :me OR c.handler_id = :me2)";
    b.push_back(f.me);
    b.push_back(f.me);
  } else if (f.scope == "open") {
    where += " AND c.status NOT IN ('completed', 'refused')";
  } else if (f.scope == "unreceived") {
    where += " AND c.first_responder_id IS NULL";
    if (f.unit_id) {  // B6.1: what the caller's unit may receive
      where +=
          " AND COALESCE((SELECT v.unit_id FROM catalog_item_versions v WHERE v.id = "
          "c.item_version_id), "
          "(SELECT i.unit_id FROM catalog_items i WHERE i.id = c.item_id)) = :unit";
      b.push_back(*f.unit_id);
    }
  }
  if (!f.status.empty()) {
    where += " AND c.status = :status";
    b.push_back(f.status);
  }
  if (!f.text.empty()) {
    where +=
        " AND (c.case_no LIKE :t1 OR c.summary LIKE :t2 OR su.name LIKE :t3 OR st.student_no LIKE "
        ":t4 OR "
        "c.caller_name LIKE :t5)";
    std::string like = "%" + f.text + "%";
    for (int i = 0; i < 5; ++i) b.push_back(like);
  }
  if (total)
    *total = count(s,
                   "SELECT COUNT(*) FROM cases c LEFT JOIN users su ON su.id = c.student_id "
                   "LEFT JOIN students st ON st.user_id = c.student_id " +
                       where,
                   b);
  // B6.5: green-channel cases first in every list; then open before closed, soonest due first.
  b.push_back(static_cast<long long>(f.page_size));
  b.push_back(static_cast<long long>(f.page - 1) * f.page_size);
  return cases_where(s,
                     where +
                         " ORDER BY c.green DESC, CASE WHEN c.status IN ('completed', 'refused') "
                         "THEN 1 ELSE 0 END, "
                         "CASE WHEN c.due_at IS NULL THEN 1 ELSE 0 END, c.due_at, c.id DESC LIMIT "
                         ":lim OFFSET :off",
                     std::move(b));
}

std::vector<Case> cases_of_student(soci::session& s, long long student_id) {
  return cases_where(s,
                     "WHERE c.student_id = :me ORDER BY CASE WHEN c.status IN ('completed', "
                     "'refused') THEN 1 ELSE 0 "
                     "END, c.green DESC, c.id DESC LIMIT 200",
                     {student_id});
}

std::vector<Case> running_cases(soci::session& s) {
  return cases_where(
      s,
      "WHERE c.accepted_at IS NOT NULL AND c.status NOT IN ('completed', 'refused', 'referred') "
      "ORDER BY c.green DESC, c.due_at",
      {});
}

std::vector<Case> open_accepted_cases(soci::session& s, std::optional<long long> handler) {
  std::string where =
      "WHERE c.accepted_at IS NOT NULL AND c.status IN ('processing', 'waiting_materials')";
  if (handler)
    return cases_where(s, where + " AND c.handler_id = :h ORDER BY c.due_at", {*handler});
  return cases_where(s, where + " ORDER BY c.due_at", {});
}

std::vector<Case> completed_late_since(soci::session& s, long long since) {
  return cases_where(
      s,
      "WHERE c.status = 'completed' AND c.completed_at > c.due_at AND c.completed_at >= :since "
      "ORDER BY c.completed_at DESC LIMIT 200",
      {since});
}

std::vector<BreachRow> breaches(soci::session& s) {
  std::vector<BreachRow> out;
  rows(s,
       "SELECT n.id, n.case_id, c.case_no, n.notice_no, n.issued_at, n.staff_id, n.staff_name, "
       "n.breach_detail, "
       "c.green FROM case_notices n JOIN cases c ON c.id = n.case_id WHERE n.breach = 1 "
       "ORDER BY c.green DESC, n.issued_at DESC LIMIT 200",
       {}, [&](const soci::row& r) {
         out.push_back({col_i64(r, 0), col_i64(r, 1), col_i64(r, 4), col_i64(r, 5), col_str(r, 2),
                        col_str(r, 3), col_str(r, 6), col_str(r, 7), col_i64(r, 8) != 0});
       });
  return out;
}

Figures figures(soci::session& s, long long from, long long to, std::optional<long long> staff,
                long long now) {
  // The staff member's part: received (first responder), completed (handler), notices, referrals, …
  auto cond = [&](const char* col) {
    return staff ? std::string(" AND ") + col + " = :staff" : std::string();
  };
  auto span = [&](V b) {
    if (staff) b.push_back(*staff);
    return b;
  };
  Figures f;
  f.opened = count(s,
                   "SELECT COUNT(*) FROM cases WHERE created_at >= :f AND created_at < :t" +
                       cond("first_responder_id"),
                   span({from, to}));
  f.completed =
      count(s,
            "SELECT COUNT(*) FROM cases WHERE status = 'completed' AND completed_at >= :f AND "
            "completed_at < :t" +
                cond("handler_id"),
            span({from, to}));
  f.completed_late =
      count(s,
            "SELECT COUNT(*) FROM cases WHERE status = 'completed' AND completed_at >= :f AND "
            "completed_at < :t AND completed_at > due_at" +
                cond("handler_id"),
            span({from, to}));
  f.notices = count(s,
                    "SELECT COUNT(*) FROM case_notices WHERE issued_at >= :f AND issued_at < :t" +
                        cond("staff_id"),
                    span({from, to}));
  f.breaches = count(
      s,
      "SELECT COUNT(*) FROM case_notices WHERE breach = 1 AND issued_at >= :f AND issued_at < :t" +
          cond("staff_id"),
      span({from, to}));
  f.referrals =
      count(s,
            "SELECT COUNT(*) FROM case_referrals WHERE created_at >= :f AND created_at < :t" +
                cond("created_by"),
            span({from, to}));
  f.followups =
      count(s,
            "SELECT COUNT(*) FROM case_followups WHERE reported_at >= :f AND reported_at < :t" +
                cond("assignee_id"),
            span({from, to}));
  f.followups_late =
      count(s,
            "SELECT COUNT(*) FROM case_followups WHERE reported_at >= :f AND reported_at < :t AND "
            "((status = 'open' AND due_at < :now) OR (status = 'done' AND replied_at > due_at))" +
                cond("assignee_id"),
            span({from, to, now}));
  f.green =
      count(s,
            "SELECT COUNT(*) FROM cases WHERE green = 1 AND green_at >= :f AND green_at < :t" +
                cond("green_by"),
            span({from, to}));
  return f;
}

std::vector<LateCase> completed_late(soci::session& s, long long from, long long to,
                                     std::optional<long long> staff) {
  std::vector<LateCase> out;
  V b{from, to};
  if (staff) b.push_back(*staff);
  rows(s,
       std::string("SELECT id, case_no, due_at, completed_at, overdue_reason FROM cases WHERE "
                   "status = 'completed' "
                   "AND completed_at >= :f AND completed_at < :t AND completed_at > due_at") +
           (staff ? " AND handler_id = :staff" : "") + " ORDER BY completed_at",
       std::move(b), [&](const soci::row& r) {
         out.push_back({col_i64(r, 0), col_i64(r, 2), col_i64(r, 3), col_str(r, 1), col_str(r, 4)});
       });
  return out;
}

std::vector<DueChange> due_changes(soci::session& s) {
  std::vector<DueChange> out;
  rows(s,
       "SELECT e.case_id, c.case_no, c.summary, c.status, COALESCE(hd.name, ''), e.at, "
       "e.actor_name, e.detail "
       "FROM case_events e JOIN cases c ON c.id = e.case_id LEFT JOIN users hd ON hd.id = "
       "c.handler_id "
       "WHERE e.kind = 'due_recomputed' ORDER BY e.at DESC, e.id DESC LIMIT 500",
       {}, [&](const soci::row& r) {
         out.push_back({col_i64(r, 0), col_i64(r, 5), col_str(r, 1), col_str(r, 2), col_str(r, 3),
                        col_str(r, 4), col_str(r, 6), col_str(r, 7)});
       });
  return out;
}

std::vector<ProvisionalDue> provisional_dues(soci::session& s) {
  std::vector<ProvisionalDue> out;
  rows(s,
       "SELECT id, hall_id, accepted_at, time_limit_days, due_at, case_no, summary FROM cases "
       "WHERE due_provisional = 1 AND accepted_at IS NOT NULL AND due_at IS NOT NULL "
       "AND status NOT IN ('completed', 'refused') ORDER BY id",
       {}, [&](const soci::row& r) {
         out.push_back({col_i64(r, 0), col_i64(r, 1), col_i64(r, 2), col_opt_i64(r, 3).value_or(0),
                        col_i64(r, 4), col_str(r, 5), col_str(r, 6)});
       });
  return out;
}

std::vector<std::tuple<long long, long long, long long>> ended_pauses(soci::session& s,
                                                                      long long case_id) {
  std::vector<std::tuple<long long, long long, long long>> out;
  rows(s,
       "SELECT id, started_at, ended_at FROM case_pauses WHERE case_id = :c AND ended_at IS NOT "
       "NULL "
       "ORDER BY ended_at, id",
       {case_id},
       [&](const soci::row& r) { out.emplace_back(col_i64(r, 0), col_i64(r, 1), col_i64(r, 2)); });
  return out;
}

std::vector<std::pair<long long, std::string>> green_events(soci::session& s, long long case_id) {
  std::vector<std::pair<long long, std::string>> out;
  rows(s,
       "SELECT at, detail FROM case_events WHERE case_id = :c AND kind = 'green_channel' ORDER BY "
       "id",
       {case_id}, [&](const soci::row& r) { out.emplace_back(col_i64(r, 0), col_str(r, 1)); });
  return out;
}

void set_pause_seconds(soci::session& s, long long pause_id, long long seconds) {
  V b{seconds, pause_id};
  db::execute_sql(s, "UPDATE case_pauses SET working_seconds = :ws WHERE id = :id", b);
}

void set_recomputed_due(soci::session& s, long long id, long long due, long long original,
                        long long paused_seconds, bool provisional) {
  V b{due, original, paused_seconds, static_cast<long long>(provisional ? 1 : 0), id};
  db::execute_sql(s,
                  "UPDATE cases SET due_at = :due, original_due_at = :orig, paused_seconds = :ps, "
                  "due_provisional = :p WHERE id = :id",
                  b);
}

// ---------------------------------------------------------------------------
// Other modules' tables

ItemUnit item_unit(soci::session& s, std::optional<long long> version_id, long long item_id) {
  // Owner: catalog (catalog_items, catalog_item_versions), org (units).
  ItemUnit out;
  rows(s,
       "SELECT COALESCE(v.unit_id, i.unit_id), u.name, u.name_en FROM catalog_items i "
       "LEFT JOIN catalog_item_versions v ON v.id = :v LEFT JOIN units u ON u.id = "
       "COALESCE(v.unit_id, i.unit_id) "
       "WHERE i.id = :i",
       {version_id.value_or(0), item_id}, [&](const soci::row& r) {
         out.unit_id = col_opt_i64(r, 0);
         out.name = col_str(r, 1);
         out.name_en = col_str(r, 2);
       });
  return out;
}

std::optional<std::pair<std::string, std::string>> unit_name_location(soci::session& s,
                                                                      long long unit_id) {
  // Owner: org (units).
  std::optional<std::pair<std::string, std::string>> out;
  rows(s, "SELECT name, location FROM units WHERE id = :id", {unit_id},
       [&](const soci::row& r) { out.emplace(col_str(r, 0), col_str(r, 1)); });
  return out;
}

std::optional<long long> student_by_no(soci::session& s, const std::string& student_no) {
  // Owner: people (students).
  V b{student_no};
  return db::query_i64(s, "SELECT user_id FROM students WHERE student_no = :no", b);
}

std::optional<Referral> staff_contact(soci::session& s, long long user_id) {
  // Owner: auth (users), people (staff), org (units).
  std::optional<Referral> out;
  rows(s,
       "SELECT u.name, COALESCE(st.phone, ''), COALESCE(un.name, ''), COALESCE(un.location, ''), "
       "u.role, u.disabled "
       "FROM users u LEFT JOIN staff st ON st.user_id = u.id LEFT JOIN units un ON un.id = "
       "st.unit_id "
       "WHERE u.id = :id",
       {user_id}, [&](const soci::row& r) {
         if (col_str(r, 4) == "student" || col_i64(r, 5) != 0) return;
         Referral x;
         x.handler = col_str(r, 0);
         x.phone = col_str(r, 1);
         x.office = col_str(r, 2);
         x.location = col_str(r, 3);
         out = x;
       });
  return out;
}

std::vector<CatalogContact> catalog_contacts(soci::session& s, const std::string& text) {
  // Owner: catalog (catalog_items, catalog_item_versions).
  std::string like = "%" + text + "%";
  std::vector<CatalogContact> out;
  rows(s,
       "SELECT v.contact_office, v.contact_person, v.contact_phone, v.contact_location, v.name "
       "FROM catalog_items i "
       "JOIN catalog_item_versions v ON v.id = i.current_version_id WHERE v.contact_person <> '' "
       "AND "
       "(v.contact_office LIKE :a OR v.contact_person LIKE :b OR v.name LIKE :c) "
       "ORDER BY v.contact_office, v.contact_person",
       {like, like, like}, [&](const soci::row& r) {
         out.push_back({col_str(r, 0), col_str(r, 1), col_str(r, 2), col_str(r, 3), col_str(r, 4)});
       });
  return out;
}

std::vector<StaffContact> staff_contacts(soci::session& s, const std::string& text) {
  // Owner: auth (users), people (staff), org (units).
  std::string like = "%" + text + "%";
  std::vector<StaffContact> out;
  rows(s,
       "SELECT u.id, u.name, COALESCE(st.phone, ''), COALESCE(un.name, ''), COALESCE(un.location, "
       "''), u.role "
       "FROM users u JOIN staff st ON st.user_id = u.id LEFT JOIN units un ON un.id = st.unit_id "
       "WHERE u.disabled = 0 AND u.role <> 'student' AND (u.name LIKE :a OR un.name LIKE :b) "
       "ORDER BY un.name, u.name LIMIT 200",
       {like, like}, [&](const soci::row& r) {
         out.push_back({col_i64(r, 0), col_str(r, 1), col_str(r, 2), col_str(r, 3), col_str(r, 4),
                        col_str(r, 5)});
       });
  return out;
}

std::vector<std::pair<long long, std::string>> staff_roles(soci::session& s) {
  // Owner: auth (users).
  std::vector<std::pair<long long, std::string>> out;
  rows(s, "SELECT id, role FROM users WHERE disabled = 0 AND role <> 'student' ORDER BY id", {},
       [&](const soci::row& r) { out.emplace_back(col_i64(r, 0), col_str(r, 1)); });
  return out;
}

std::vector<CaseDocument> case_documents(soci::session& s, long long case_id) {
  // Owner: documents (documents); its store offers no lookup by reference.
  std::vector<CaseDocument> out;
  rows(s,
       "SELECT id, type, number, status, issued_at FROM documents WHERE ref_type = 'case' AND "
       "ref_id = :c "
       "ORDER BY id",
       {case_id}, [&](const soci::row& r) {
         out.push_back({col_i64(r, 0), col_i64(r, 4), col_str(r, 1), col_str(r, 2), col_str(r, 3)});
       });
  return out;
}

std::optional<std::pair<long long, long long>> demo_ticket(soci::session& s, long long item_id,
                                                           long long before) {
  // Owner: queue (queue_tickets), people (students); demo data only.
  std::optional<std::pair<long long, long long>> out;
  rows(s,
       "SELECT t.id, t.student_id FROM queue_tickets t JOIN students st ON st.user_id = "
       "t.student_id WHERE "
       "t.is_demo = 1 AND t.status = 'done' AND t.item_id = :i AND t.finished_at < :a AND "
       "st.student_no > '2023001010' ORDER BY t.finished_at DESC LIMIT 1",
       {item_id, before}, [&](const soci::row& r) { out.emplace(col_i64(r, 0), col_i64(r, 1)); });
  return out;
}

}  // namespace hall::cases::store
