#include "courtesy/store.hpp"

#include "db/filter.hpp"
#include "db/row.hpp"
#include "db/statement.hpp"

namespace hall::courtesy::store {

namespace {

const char* kPhraseSelect =
    "SELECT p.id, p.label, p.pattern, p.suggestion, p.clause, p.note, p.active, p.created_at, p.updated_at, u.name "
    "FROM courtesy_phrases p LEFT JOIN users u ON u.id = p.updated_by";

PhraseRow phrase_of(const soci::row& r) {
  PhraseRow p;
  p.id = db::col_i64(r, 0);
  p.label = db::col_str(r, 1);
  p.pattern = db::col_str(r, 2);
  p.suggestion = db::col_str(r, 3);
  p.clause = db::col_str(r, 4);
  p.note = db::col_str(r, 5);
  p.active = static_cast<int>(db::col_i64(r, 6));
  p.created = db::col_i64(r, 7);
  p.updated = db::col_i64(r, 8);
  p.updated_by = db::col_opt_str(r, 9);
  return p;
}

}  // namespace

bool seeded(soci::session& s) {
  db::Values b;
  return db::query_i64(s, "SELECT COUNT(*) FROM settings WHERE key = 'courtesy.seeded'", b).value_or(0) > 0;
}

void mark_seeded(soci::session& s, const std::string& at) {
  db::Values b{at};
  db::execute_sql(s, "INSERT INTO settings (key, value) VALUES ('courtesy.seeded', :v)", b);
}

bool pattern_exists(soci::session& s, const std::string& pattern) {
  db::Values b{pattern};
  return db::query_i64(s, "SELECT COUNT(*) FROM courtesy_phrases WHERE pattern = :p", b).value_or(0) > 0;
}

void insert_builtin(soci::session& s, const Phrase& p, const std::string& clause, const std::string& note, Millis now) {
  db::Values b{p.label, p.pattern, p.suggestion, clause, note, static_cast<long long>(now), static_cast<long long>(now)};
  db::execute_sql(s,
                  "INSERT INTO courtesy_phrases (label, pattern, suggestion, clause, note, active, created_at, "
                  "updated_at) VALUES (:l, :p, :s, :c, :n, 1, :t, :t2)",
                  b);
}

std::vector<Phrase> active_phrases(soci::session& s) {
  db::Values b;
  std::vector<Phrase> out;
  db::query_rows(s, "SELECT id, label, pattern, suggestion FROM courtesy_phrases WHERE active = 1 ORDER BY id", b,
                 [&](const soci::row& r) {
                   out.push_back(Phrase{db::col_i64(r, 0), db::col_str(r, 1), db::col_str(r, 2), db::col_str(r, 3)});
                 });
  return out;
}

std::vector<PhraseRow> phrases(soci::session& s, const std::string& text, std::optional<bool> active) {
  std::string where = " WHERE 1=1";
  db::Values b;
  if (!text.empty()) {
    where += " AND (p.label LIKE :t1 OR p.pattern LIKE :t2 OR p.suggestion LIKE :t3)";
    std::string like = "%" + text + "%";
    b.insert(b.end(), {like, like, like});
  }
  if (active) {
    where += " AND p.active = :active";
    b.emplace_back(static_cast<long long>(*active ? 1 : 0));
  }
  std::vector<PhraseRow> out;
  db::query_rows(s, std::string(kPhraseSelect) + where + " ORDER BY p.id", b,
                 [&](const soci::row& r) { out.push_back(phrase_of(r)); });
  return out;
}

std::optional<PhraseRow> find_phrase(soci::session& s, long long id) {
  db::Values b{id};
  std::optional<PhraseRow> out;
  db::query_rows(s, std::string(kPhraseSelect) + " WHERE p.id = :id", b,
                 [&](const soci::row& r) { out = phrase_of(r); });
  return out;
}

long long insert_phrase(soci::session& s, const PhraseRow& r, long long by, Millis now) {
  db::Values b{r.label, r.pattern, r.suggestion, r.clause, r.note, static_cast<long long>(r.active), by, by,
               static_cast<long long>(now), static_cast<long long>(now)};
  return db::query_i64(s,
                       "INSERT INTO courtesy_phrases (label, pattern, suggestion, clause, note, active, created_by, "
                       "updated_by, created_at, updated_at) VALUES (:l, :p, :s, :c, :n, :a, :cb, :ub, :t, :t2) "
                       "RETURNING id",
                       b)
      .value_or(0);
}

void update_phrase(soci::session& s, const PhraseRow& r, long long by, Millis now) {
  db::Values b{r.label, r.pattern, r.suggestion, r.clause, r.note, static_cast<long long>(r.active), by,
               static_cast<long long>(now), r.id};
  db::execute_sql(s,
                  "UPDATE courtesy_phrases SET label = :l, pattern = :p, suggestion = :s, clause = :c, note = :n, "
                  "active = :a, updated_by = :ub, updated_at = :t WHERE id = :id",
                  b);
}

void delete_phrase(soci::session& s, long long id) {
  db::Values b{id};
  db::execute_sql(s, "DELETE FROM courtesy_phrases WHERE id = :id", b);
}

void insert_attempt(soci::session& s, const AttemptRow& a) {
  db::Values b{static_cast<long long>(a.at), a.user_id, a.login, a.name, a.role, a.source, a.context, a.text,
               a.matches, a.address};
  db::execute_sql(s,
                  "INSERT INTO courtesy_attempts (at, user_id, login, name, role, source, context, text, matches, "
                  "address) VALUES (:at, :u, :l, :n, :r, :s, :c, :t, :m, :a)",
                  b);
}

std::vector<AttemptRow> attempts(soci::session& s, const AttemptFilter& q, long long& total) {
  std::string text = "%" + q.text + "%";
  db::Filter f;
  f.add(q.user_id.has_value(), "user_id = :user", {static_cast<long long>(q.user_id.value_or(0))})
      .add(!q.login.empty(), "login = :login", {q.login})
      .add(!q.context.empty(), "context = :context", {q.context})
      .add(!q.source.empty(), "source = :source", {q.source})
      .add(!q.text.empty(), "text LIKE :t1 OR matches LIKE :t2 OR name LIKE :t3", {text, text, text})
      .add(q.from_ms.has_value(), "at >= :from", {static_cast<long long>(q.from_ms.value_or(0))})
      .add(q.to_ms.has_value(), "at < :to", {static_cast<long long>(q.to_ms.value_or(0))});
  total = f.count(s, "FROM courtesy_attempts");
  std::vector<AttemptRow> out;
  f.page(s, "SELECT id, at, user_id, login, name, role, source, context, text, matches, address FROM courtesy_attempts",
         "at DESC, id DESC", q.page, q.page_size, [&](const soci::row& r) {
           AttemptRow a;
           a.id = db::col_i64(r, 0);
           a.at = db::col_i64(r, 1);
           a.user_id = db::col_opt_i64(r, 2);
           a.login = db::col_str(r, 3);
           a.name = db::col_str(r, 4);
           a.role = db::col_str(r, 5);
           a.source = db::col_str(r, 6);
           a.context = db::col_str(r, 7);
           a.text = db::col_str(r, 8);
           a.matches = db::col_str(r, 9);
           a.address = db::col_str(r, 10);
           out.push_back(std::move(a));
         });
  return out;
}

}  // namespace hall::courtesy::store
