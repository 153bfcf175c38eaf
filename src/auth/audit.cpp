#include "auth/audit.hpp"

#include <map>

#include "core/clock.hpp"
#include "db/filter.hpp"
#include "db/optional.hpp"
#include "db/row.hpp"
#include "db/statement.hpp"

namespace hall::auth {

void audit(soci::session& tx, const Caller& caller, const std::string& action,
           const std::string& target_type, const std::string& target_id,
           const json::value& summary) {
  const Principal& p = caller.principal;
  long long at = Clock::now();
  std::optional<long long> actor;
  if (p.is_user()) actor = p.user_id;
  std::string login = p.login, role = p.role,
              text = summary.is_null() ? std::string() : json::serialize(summary);
  db::Values v{at, actor, login, role, action, target_type, target_id, text, caller.address};
  db::execute_sql(tx,
                  "INSERT INTO audit_log (at, actor_id, actor_login, actor_role, action, "
                  "target_type, target_id, "
                  "summary, address) VALUES (:at, :actor, :login, :role, :action, :tt, :tid, "
                  ":summary, :address)",
                  v);
}

namespace {

// The name a reader knows a record by, per target type (issue #11: "ticket#141" means nothing
// to the teacher; "A012" does). A record deleted since has no name: the id stays.
struct TargetName {
  const char* type;
  const char* sql;  // one row, one text column, :id bound to the numeric target id
};
constexpr TargetName kTargetNames[] = {
    {"user", "SELECT name FROM users WHERE id = :id"},
    {"ticket", "SELECT number FROM queue_tickets WHERE id = :id"},
    {"window", "SELECT CAST(number AS TEXT) FROM windows WHERE id = :id"},
    {"hall", "SELECT name FROM halls WHERE id = :id"},
    {"unit", "SELECT name FROM units WHERE id = :id"},
    {"college", "SELECT name FROM colleges WHERE id = :id"},
    {"device", "SELECT name FROM devices WHERE id = :id"},
    {"case", "SELECT case_no FROM cases WHERE id = :id"},
    {"feedback", "SELECT tracking_no FROM feedback_items WHERE id = :id"},
    {"document", "SELECT number FROM documents WHERE id = :id"},
    {"announcement", "SELECT title FROM announcements WHERE id = :id"},
    {"closure", "SELECT name FROM calendar_closures WHERE id = :id"},
    {"courtesy_phrase", "SELECT label FROM courtesy_phrases WHERE id = :id"},
    {"catalog_item",
     "SELECT v.name FROM catalog_items i JOIN catalog_item_versions v ON v.id = "
     "i.current_version_id WHERE i.id = "
     ":id"},
};

json::value target_name(soci::session& s, const std::string& type, const std::string& id,
                        std::map<std::string, json::value>& cache) {
  if (id.empty() || id.size() > 18 || id.find_first_not_of("0123456789") != std::string::npos)
    return nullptr;
  const TargetName* t = nullptr;
  for (const auto& n : kTargetNames)
    if (type == n.type) t = &n;
  if (!t) return nullptr;
  std::string key = type + "#" + id;
  if (auto it = cache.find(key); it != cache.end()) return it->second;
  long long num = std::stoll(id);
  std::string name;
  soci::indicator ind = soci::i_null;
  s << t->sql, soci::use(num), soci::into(name, ind);
  json::value out = s.got_data() && ind == soci::i_ok ? json::value(name) : json::value(nullptr);
  cache[key] = out;
  return out;
}

}  // namespace

json::object search_audit(soci::session& s, const AuditQuery& q) {
  std::string text = "%" + q.text + "%";
  db::Filter f;
  f.add(q.actor_id.has_value(), "actor_id = :actor",
        {static_cast<long long>(q.actor_id.value_or(0))})
      .add(!q.actor_login.empty(), "actor_login = :login", {q.actor_login})
      .add(!q.action.empty(), "action = :action", {q.action})
      .add(!q.target_type.empty(), "target_type = :tt", {q.target_type})
      .add(!q.target_id.empty(), "target_id = :tid", {q.target_id})
      .add(!q.text.empty(), "summary LIKE :text OR action LIKE :text2 OR actor_login LIKE :text3",
           {text, text, text})
      .add(q.from_ms.has_value(), "at >= :from", {static_cast<long long>(q.from_ms.value_or(0))})
      .add(q.to_ms.has_value(), "at < :to", {static_cast<long long>(q.to_ms.value_or(0))});
  long long total = f.count(s, "FROM audit_log");
  json::array items;
  std::map<std::string, json::value> names;
  f.page(s,
         "SELECT id, at, actor_id, actor_login, actor_role, action, target_type, target_id, "
         "summary, address "
         "FROM audit_log",
         "id DESC", q.page, q.page_size, [&](const soci::row& r) {
           std::string text_summary = db::col_str(r, 8);
           json::value summary = json::string(text_summary);
           boost::system::error_code ec;
           if (!text_summary.empty()) {
             json::value parsed = json::parse(text_summary, ec);
             if (!ec) summary = parsed;
           }
           auto actor = db::col_opt_i64(r, 2);
           items.push_back(
               json::object{{"id", db::col_i64(r, 0)},
                            {"at", iso8601_utc(db::col_i64(r, 1))},
                            {"actor_id", actor ? json::value(*actor) : json::value(nullptr)},
                            {"actor_login", db::col_str(r, 3)},
                            {"actor_role", db::col_str(r, 4)},
                            {"action", db::col_str(r, 5)},
                            {"target_type", db::col_str(r, 6)},
                            {"target_id", db::col_str(r, 7)},
                            {"target_name", nullptr},
                            {"summary", summary},
                            {"address", db::col_str(r, 9)}});
         });
  // Names after the page is read (one statement at a time on the session).
  for (auto& v : items) {
    auto& o = v.as_object();
    o["target_name"] = target_name(s, std::string(o.at("target_type").as_string()),
                                   std::string(o.at("target_id").as_string()), names);
  }
  return json::object{{"items", items}, {"total", total}};
}

}  // namespace hall::auth
