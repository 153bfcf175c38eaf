#include "announcements/store.hpp"

#include <fmt/format.h>

#include "db/row.hpp"
#include "db/statement.hpp"

namespace hall::announcements::store {

namespace {

const char* kSelect =
    "SELECT a.id, a.hall_id, h.name, a.title, a.body, a.format, a.published, a.publish_from, a.publish_until, "
    "a.pinned, a.author_id, u.name, a.created_at, a.updated_at FROM announcements a "
    "LEFT JOIN halls h ON h.id = a.hall_id LEFT JOIN users u ON u.id = a.author_id";

// The statuses as SQL conditions (bound :now values are named per use).
std::string status_condition(const std::string& status) {
  if (status == "draft") return " AND a.published = 0";
  if (status == "scheduled") return " AND a.published = 1 AND a.publish_from > :now1";
  if (status == "expired") return " AND a.published = 1 AND a.publish_until IS NOT NULL AND a.publish_until <= :now1";
  if (status == "published")
    return " AND a.published = 1 AND a.publish_from <= :now1 AND (a.publish_until IS NULL OR a.publish_until > :now2)";
  return "";
}

Announcement from_row(const soci::row& r) {
  Announcement a;
  a.id = db::col_i64(r, 0);
  a.hall_id = db::col_opt_i64(r, 1);
  a.hall_name = db::col_str(r, 2);
  a.title = db::col_str(r, 3);
  a.body = db::col_str(r, 4);
  a.format = db::col_str(r, 5);
  a.published = db::col_i64(r, 6) != 0;
  a.publish_from = db::col_opt_i64(r, 7);
  a.publish_until = db::col_opt_i64(r, 8);
  a.pinned = db::col_i64(r, 9) != 0;
  a.author_id = db::col_opt_i64(r, 10);
  a.author_name = db::col_str(r, 11);
  a.created_at = db::col_i64(r, 12);
  a.updated_at = db::col_i64(r, 13);
  return a;
}

using Opt = std::optional<long long>;
Opt opt(const std::optional<Millis>& v) { return v ? Opt(*v) : std::nullopt; }
Opt opt(const std::optional<std::int64_t>& v, int) { return v ? Opt(*v) : std::nullopt; }

}  // namespace

Page list(soci::session& s, const ListQuery& q, bool public_only, Millis now) {
  std::string where = " WHERE 1=1";
  where += status_condition(public_only ? std::string("published") : q.status);
  db::Values binds;
  // Placeholders are bound in the order they appear.
  if (where.find(":now1") != std::string::npos) binds.emplace_back(static_cast<long long>(now));
  if (where.find(":now2") != std::string::npos) binds.emplace_back(static_cast<long long>(now));
  if (q.hall_id) {
    where += public_only ? " AND (a.hall_id IS NULL OR a.hall_id = :hall)" : " AND a.hall_id = :hall";
    binds.emplace_back(static_cast<long long>(*q.hall_id));
  }
  if (!q.text.empty()) {
    where += " AND (a.title LIKE :text OR a.body LIKE :text2)";
    binds.emplace_back("%" + q.text + "%");
    binds.emplace_back("%" + q.text + "%");
  }
  Page page;
  page.total = db::query_i64(s, "SELECT COUNT(*) FROM announcements a" + where, binds).value_or(0);
  std::string order = public_only ? " ORDER BY a.pinned DESC, a.publish_from DESC, a.id DESC"
                                  : " ORDER BY a.pinned DESC, a.updated_at DESC, a.id DESC";
  binds.emplace_back(static_cast<long long>(q.page_size));
  binds.emplace_back(static_cast<long long>(q.page - 1) * q.page_size);
  db::query_rows(s, std::string(kSelect) + where + order + " LIMIT :limit OFFSET :offset", binds,
                 [&](const soci::row& r) { page.items.push_back(from_row(r)); });
  return page;
}

std::optional<Announcement> find(soci::session& s, std::int64_t id) {
  db::Values binds{static_cast<long long>(id)};
  std::optional<Announcement> out;
  db::query_rows(s, std::string(kSelect) + " WHERE a.id = :id", binds,
                 [&](const soci::row& r) { out = from_row(r); });
  return out;
}

bool hall_exists(soci::session& s, std::int64_t hall_id) {
  db::Values binds{static_cast<long long>(hall_id)};
  return db::query_i64(s, "SELECT COUNT(*) FROM halls WHERE id = :h", binds).value_or(0) > 0;
}

std::int64_t insert(soci::session& s, const Announcement& a, Millis now) {
  db::Values binds{opt(a.hall_id, 0),
                   a.title,
                   a.body,
                   a.format,
                   static_cast<long long>(a.published ? 1 : 0),
                   opt(a.publish_from),
                   opt(a.publish_until),
                   static_cast<long long>(a.pinned ? 1 : 0),
                   opt(a.author_id, 0),
                   static_cast<long long>(now),
                   static_cast<long long>(now)};
  return db::query_i64(s,
                       "INSERT INTO announcements (hall_id, title, body, format, published, publish_from, "
                       "publish_until, pinned, author_id, created_at, updated_at) VALUES (:h, :t, :b, :f, :p, :pf, "
                       ":pu, :pin, :a, :c, :u) RETURNING id",
                       binds)
      .value_or(0);
}

void update(soci::session& s, const Announcement& a, Millis now) {
  db::Values binds{opt(a.hall_id, 0),
                   a.title,
                   a.body,
                   a.format,
                   static_cast<long long>(a.published ? 1 : 0),
                   opt(a.publish_from),
                   opt(a.publish_until),
                   static_cast<long long>(a.pinned ? 1 : 0),
                   static_cast<long long>(now),
                   static_cast<long long>(a.id)};
  db::execute_sql(s,
                  "UPDATE announcements SET hall_id = :h, title = :t, body = :b, format = :f, published = :p, "
                  "publish_from = :pf, publish_until = :pu, pinned = :pin, updated_at = :u WHERE id = :id",
                  binds);
}

void remove(soci::session& s, std::int64_t id) {
  db::Values binds{static_cast<long long>(id)};
  db::execute_sql(s, "DELETE FROM announcements WHERE id = :id", binds);
}

std::vector<Title> published_titles(soci::session& s, std::int64_t hall_id, Millis now, int limit) {
  db::Values binds{static_cast<long long>(hall_id), static_cast<long long>(now), static_cast<long long>(now),
                   static_cast<long long>(limit)};
  std::vector<Title> out;
  db::query_rows(s,
                 "SELECT id, title FROM announcements WHERE published = 1 AND (hall_id IS NULL OR hall_id = :h) "
                 "AND (publish_from IS NULL OR publish_from <= :n) AND (publish_until IS NULL OR publish_until > :n2) "
                 "ORDER BY pinned DESC, COALESCE(publish_from, created_at) DESC LIMIT :limit",
                 binds, [&](const soci::row& r) { out.push_back(Title{db::col_i64(r, 0), db::col_str(r, 1)}); });
  return out;
}

}  // namespace hall::announcements::store
