#include "documents/store.hpp"

#include "db/filter.hpp"
#include "db/row.hpp"
#include "db/statement.hpp"

namespace hall::documents::store {

namespace {

const char* kSelect =
    "SELECT d.id, d.type, d.number, d.verify_code, d.student_id, u.name, st.student_no, d.issued_by, d.issuer_name, "
    "d.issuer_unit, d.issued_at, d.content, d.status, d.revoked_at, d.revoked_reason, rb.name, d.replaced_by, "
    "d.replaces, d.ref_type, d.ref_id FROM documents d JOIN users u ON u.id = d.student_id "
    "LEFT JOIN students st ON st.user_id = d.student_id LEFT JOIN users rb ON rb.id = d.revoked_by";

Document from_row(const soci::row& r) {
  Document d;
  d.id = db::col_i64(r, 0);
  d.type = db::col_str(r, 1);
  d.number = db::col_str(r, 2);
  d.code = db::col_str(r, 3);
  d.student_id = db::col_i64(r, 4);
  d.student_name = db::col_str(r, 5);
  d.student_no = db::col_str(r, 6);
  d.issued_by = db::col_opt_i64(r, 7);
  d.issuer_name = db::col_str(r, 8);
  d.issuer_unit = db::col_str(r, 9);
  d.issued_at = db::col_i64(r, 10);
  boost::system::error_code ec;
  json::value v = json::parse(db::col_str(r, 11), ec);
  if (!ec && v.is_object()) d.content = v.as_object();
  d.status = db::col_str(r, 12);
  d.revoked_at = db::col_opt_i64(r, 13);
  d.revoked_reason = db::col_str(r, 14);
  d.revoked_by_name = db::col_str(r, 15);
  d.replaced_by = db::col_opt_i64(r, 16);
  d.replaces = db::col_opt_i64(r, 17);
  d.ref_type = db::col_str(r, 18);
  d.ref_id = db::col_opt_i64(r, 19);
  return d;
}

std::optional<Document> find_where(soci::session& s, const std::string& where, db::Values binds) {
  std::optional<Document> out;
  db::query_rows(s, std::string(kSelect) + where, binds, [&](const soci::row& r) {
    if (!out) out = from_row(r);
  });
  return out;
}

}  // namespace

std::optional<Document> find(soci::session& s, std::int64_t id) {
  return find_where(s, " WHERE d.id = :v", {static_cast<long long>(id)});
}

std::optional<Document> find_by_code(soci::session& s, const std::string& verify_code) {
  return find_where(s, " WHERE d.verify_code = :v", {verify_code});
}

Page list(soci::session& s, const ListQuery& q) {
  std::string text = "%" + q.text + "%";
  db::Filter f;
  f.add(q.student_id.has_value(), "d.student_id = :student", {static_cast<long long>(q.student_id.value_or(0))})
      .add(!q.student_no.empty(), "st.student_no = :no", {q.student_no})
      .add(!q.type.empty(), "d.type = :type", {q.type})
      .add(!q.status.empty(), "d.status = :status", {q.status})
      .add(!q.text.empty(), "d.number LIKE :t1 OR u.name LIKE :t2 OR st.student_no LIKE :t3", {text, text, text})
      .add(q.from_ms.has_value(), "d.issued_at >= :from", {static_cast<long long>(q.from_ms.value_or(0))})
      .add(q.to_ms.has_value(), "d.issued_at < :to", {static_cast<long long>(q.to_ms.value_or(0))});
  Page page;
  page.total = f.count(s,
                       "FROM documents d JOIN users u ON u.id = d.student_id "
                       "LEFT JOIN students st ON st.user_id = d.student_id");
  f.page(s, kSelect, "d.issued_at DESC, d.id DESC", q.page, q.page_size,
         [&](const soci::row& r) { page.items.push_back(from_row(r)); });
  return page;
}

long long next_sequence(soci::session& s, const std::string& prefix, int year) {
  db::Values b{prefix, static_cast<long long>(year)};
  db::execute_sql(s,
                  "INSERT INTO document_sequences (prefix, year, last_value) VALUES (:p, :y, 0) "
                  "ON CONFLICT (prefix, year) DO NOTHING",
                  b);
  db::execute_sql(s, "UPDATE document_sequences SET last_value = last_value + 1 WHERE prefix = :p AND year = :y", b);
  return db::query_i64(s, "SELECT last_value FROM document_sequences WHERE prefix = :p AND year = :y", b).value_or(0);
}

std::int64_t insert(soci::session& s, const NewDocument& d) {
  db::Values b{d.type,
               d.number,
               d.code,
               static_cast<long long>(d.student_id),
               d.issued_by,
               d.issuer_name,
               d.issuer_unit,
               static_cast<long long>(d.issued_at),
               d.content,
               d.replaces,
               d.ref_type,
               d.ref_id,
               static_cast<long long>(d.demo ? 1 : 0)};
  return db::query_i64(s,
                       "INSERT INTO documents (type, number, verify_code, student_id, issued_by, issuer_name, "
                       "issuer_unit, issued_at, content, status, replaces, ref_type, ref_id, is_demo) VALUES (:type, "
                       ":number, :code, :student, :by, :iname, :iunit, :at, :content, 'valid', :replaces, :rtype, "
                       ":rid, :demo) RETURNING id",
                       b)
      .value_or(0);
}

bool revoke(soci::session& s, std::int64_t id, std::int64_t replaced_by, std::optional<long long> by,
            const std::string& reason, Millis at) {
  db::Values b{static_cast<long long>(at), by, reason, static_cast<long long>(replaced_by), static_cast<long long>(id)};
  return db::execute_sql(s,
                         "UPDATE documents SET status = 'revoked', revoked_at = :at, revoked_by = :by, "
                         "revoked_reason = :reason, replaced_by = :new WHERE id = :id AND status = 'valid'",
                         b) == 1;
}

std::vector<TypeCount> counts_by_type(soci::session& s, Millis from, Millis to) {
  db::Values b{static_cast<long long>(from), static_cast<long long>(to)};
  std::vector<TypeCount> out;
  db::query_rows(s,
                 "SELECT type, COUNT(*), SUM(CASE WHEN replaced_by IS NULL THEN 0 ELSE 1 END) FROM documents "
                 "WHERE issued_at >= :f AND issued_at < :t GROUP BY type ORDER BY type",
                 b, [&](const soci::row& r) {
                   out.push_back(TypeCount{db::col_str(r, 0), db::col_i64(r, 1), db::col_i64(r, 2)});
                 });
  return out;
}

std::vector<Correction> corrections(soci::session& s, Millis from, Millis to) {
  db::Values b{static_cast<long long>(from), static_cast<long long>(to)};
  std::vector<Correction> out;
  db::query_rows(s,
                 "SELECT d.number, n.number, d.revoked_reason, rb.name, d.revoked_at, d.type FROM documents d "
                 "JOIN documents n ON n.id = d.replaced_by LEFT JOIN users rb ON rb.id = d.revoked_by "
                 "WHERE d.issued_at >= :f AND d.issued_at < :t ORDER BY d.revoked_at DESC LIMIT 100",
                 b, [&](const soci::row& r) {
                   Correction c;
                   c.number = db::col_str(r, 0);
                   c.new_number = db::col_str(r, 1);
                   c.reason = db::col_str(r, 2);
                   c.by = db::col_opt_str(r, 3);
                   c.at = db::col_i64(r, 4);
                   c.type = db::col_str(r, 5);
                   out.push_back(std::move(c));
                 });
  return out;
}

std::optional<std::string> first_hall_name(soci::session& s) {
  db::Values b;
  std::optional<std::string> out;
  bool first = true;
  db::query_rows(s, "SELECT name FROM halls ORDER BY id LIMIT 1", b, [&](const soci::row& r) {
    if (first) out = db::col_opt_str(r, 0);
    first = false;
  });
  return out;
}

std::optional<std::string> staff_unit_name(soci::session& s, std::int64_t user_id) {
  db::Values b{static_cast<long long>(user_id)};
  std::optional<std::string> out;
  db::query_rows(s, "SELECT un.name FROM staff s JOIN units un ON un.id = s.unit_id WHERE s.user_id = :u", b,
                 [&](const soci::row& r) {
                   if (!out) out = db::col_opt_str(r, 0);
                 });
  return out;
}

std::optional<std::int64_t> staff_unit_id(soci::session& s, std::int64_t user_id) {
  db::Values b{static_cast<long long>(user_id)};
  return db::query_i64(s, "SELECT unit_id FROM staff WHERE user_id = :u", b);
}

std::optional<std::int64_t> student_id_by_no(soci::session& s, const std::string& student_no) {
  db::Values b{student_no};
  return db::query_i64(s, "SELECT user_id FROM students WHERE student_no = :n", b);
}

std::optional<StudentRow> student(soci::session& s, std::int64_t user_id) {
  db::Values b{static_cast<long long>(user_id)};
  std::optional<StudentRow> out;
  db::query_rows(s,
                 "SELECT u.id, u.name, u.disabled, st.student_no, c.name, st.major, st.class_name FROM users u "
                 "JOIN students st ON st.user_id = u.id LEFT JOIN colleges c ON c.id = st.college_id "
                 "WHERE u.id = :id AND u.role = 'student'",
                 b, [&](const soci::row& r) {
                   StudentRow x;
                   x.id = db::col_i64(r, 0);
                   x.name = db::col_str(r, 1);
                   x.disabled = db::col_i64(r, 2) != 0;
                   x.student_no = db::col_str(r, 3);
                   x.college = db::col_str(r, 4);
                   x.major = db::col_str(r, 5);
                   x.class_name = db::col_str(r, 6);
                   out = std::move(x);
                 });
  return out;
}

std::optional<CatalogItemRow> active_item_by_name(soci::session& s, const std::string& name) {
  db::Values b{name};
  std::optional<CatalogItemRow> out;
  db::query_rows(s,
                 "SELECT v.id, v.name, v.fee_fen, v.fee_text, v.time_limit_days, v.contact_location, "
                 "v.contact_phone FROM catalog_items i JOIN catalog_item_versions v ON v.id = i.current_version_id "
                 "WHERE v.name = :n AND i.suspended = 0 ORDER BY i.id LIMIT 1",
                 b, [&](const soci::row& r) {
                   CatalogItemRow it;
                   it.version_id = db::col_i64(r, 0);
                   it.name = db::col_str(r, 1);
                   it.fee_fen = db::col_i64(r, 2);
                   it.fee_text = db::col_str(r, 3);
                   it.days = static_cast<int>(db::col_i64(r, 4));
                   it.location = db::col_str(r, 5);
                   it.phone = db::col_str(r, 6);
                   out = it;
                 });
  return out;
}

}  // namespace hall::documents::store
