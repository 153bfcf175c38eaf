#include "auth/audit.hpp"

#include "core/clock.hpp"
#include "db/optional.hpp"
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

json::object search_audit(soci::session& s, const AuditQuery& q) {
  std::string where = " WHERE 1=1";
  // Values are bound, never spliced into the SQL.
  long long actor = q.actor_id.value_or(0), from = q.from_ms.value_or(0), to = q.to_ms.value_or(0);
  std::string login = q.actor_login, action = q.action, tt = q.target_type, tid = q.target_id,
              text = "%" + q.text + "%";
  if (q.actor_id) where += " AND actor_id = :actor";
  if (!login.empty()) where += " AND actor_login = :login";
  if (!action.empty()) where += " AND action = :action";
  if (!tt.empty()) where += " AND target_type = :tt";
  if (!tid.empty()) where += " AND target_id = :tid";
  if (!q.text.empty())
    where += " AND (summary LIKE :text OR action LIKE :text2 OR actor_login LIKE :text3)";
  if (q.from_ms) where += " AND at >= :from";
  if (q.to_ms) where += " AND at < :to";
  auto bind = [&](soci::statement& st) {
    if (q.actor_id) st.exchange(soci::use(actor, "actor"));
    if (!login.empty()) st.exchange(soci::use(login, "login"));
    if (!action.empty()) st.exchange(soci::use(action, "action"));
    if (!tt.empty()) st.exchange(soci::use(tt, "tt"));
    if (!tid.empty()) st.exchange(soci::use(tid, "tid"));
    if (!q.text.empty()) {
      st.exchange(soci::use(text, "text"));
      st.exchange(soci::use(text, "text2"));
      st.exchange(soci::use(text, "text3"));
    }
    if (q.from_ms) st.exchange(soci::use(from, "from"));
    if (q.to_ms) st.exchange(soci::use(to, "to"));
  };
  long long total = 0;
  {
    soci::statement st(s);
    st.exchange(soci::into(total));
    bind(st);
    st.alloc();
    st.prepare("SELECT COUNT(*) FROM audit_log" + where);
    st.define_and_bind();
    st.execute(true);
  }
  json::array items;
  {
    long long id = 0, at = 0;
    soci::indicator actor_ind;
    long long actor_id = 0;
    std::string a_login, a_role, a_action, a_tt, a_tid, a_summary, a_address;
    soci::statement st(s);
    st.exchange(soci::into(id));
    st.exchange(soci::into(at));
    st.exchange(soci::into(actor_id, actor_ind));
    st.exchange(soci::into(a_login));
    st.exchange(soci::into(a_role));
    st.exchange(soci::into(a_action));
    st.exchange(soci::into(a_tt));
    st.exchange(soci::into(a_tid));
    st.exchange(soci::into(a_summary));
    st.exchange(soci::into(a_address));
    bind(st);
    st.alloc();
    st.prepare(
        "SELECT id, at, actor_id, actor_login, actor_role, action, target_type, target_id, "
        "summary, address "
        "FROM audit_log" +
        where + " ORDER BY id DESC LIMIT " + std::to_string(q.page_size) + " OFFSET " +
        std::to_string((q.page - 1) * q.page_size));
    st.define_and_bind();
    if (st.execute(true)) {
      do {
        json::value summary = json::string(a_summary);
        boost::system::error_code ec;
        if (!a_summary.empty()) {
          json::value parsed = json::parse(a_summary, ec);
          if (!ec) summary = parsed;
        }
        items.push_back(json::object{
            {"id", id},
            {"at", iso8601_utc(at)},
            {"actor_id", actor_ind == soci::i_null ? json::value(nullptr) : json::value(actor_id)},
            {"actor_login", a_login},
            {"actor_role", a_role},
            {"action", a_action},
            {"target_type", a_tt},
            {"target_id", a_tid},
            {"summary", summary},
            {"address", a_address}});
      } while (st.fetch());
    }
  }
  return json::object{{"items", items}, {"total", total}};
}

}  // namespace hall::auth
