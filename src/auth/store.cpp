#include "auth/store.hpp"

#include "core/clock.hpp"
#include "db/optional.hpp"
#include "db/row.hpp"
#include "db/statement.hpp"

namespace hall::auth {

json::object to_json(const User& u) {
  json::object o{{"id", u.id},         {"login", u.login},      {"name", u.name},
                 {"role", u.role},     {"disabled", u.disabled}, {"is_demo", u.is_demo},
                 {"student", nullptr}, {"staff", nullptr}};
  if (u.student) {
    const auto& st = *u.student;
    o["student"] = json::object{
        {"student_no", st.student_no},
        {"college_id", st.college_id ? json::value(*st.college_id) : json::value(nullptr)},
        {"college_name", st.college_name},
        {"major", st.major},
        {"class_name", st.class_name},
        {"phone", st.phone},
        {"card_no", st.card_no ? json::value(*st.card_no) : json::value(nullptr)}};
  }
  if (u.staff) {
    const auto& sf = *u.staff;
    o["staff"] = json::object{{"staff_no", sf.staff_no},
                              {"unit_id", sf.unit_id ? json::value(*sf.unit_id) : json::value(nullptr)},
                              {"unit_name", sf.unit_name},
                              {"badge_no", sf.badge_no},
                              {"phone", sf.phone}};
  }
  return o;
}

namespace store {

std::optional<Credentials> find_credentials(soci::session& s, const std::string& login) {
  Credentials c;
  int disabled = 0;
  std::optional<long long> unit;
  long long id = 0;
  s << "SELECT u.id, u.login, u.name, u.role, u.password_hash, u.disabled, st.unit_id FROM users u "
       "LEFT JOIN staff st ON st.user_id = u.id WHERE u.login = :login",
      soci::into(id), soci::into(c.login), soci::into(c.name), soci::into(c.role), soci::into(c.password_hash),
      soci::into(disabled), soci::into(unit), soci::use(login);
  if (!s.got_data()) return std::nullopt;
  c.id = id;
  c.disabled = disabled != 0;
  c.unit_id = unit.value_or(0);
  return c;
}

std::optional<std::int64_t> find_user_id_by_login(soci::session& s, const std::string& login) {
  long long id = 0;
  s << "SELECT id FROM users WHERE login = :l", soci::into(id), soci::use(login);
  if (!s.got_data()) return std::nullopt;
  return id;
}

std::optional<std::int64_t> find_student_user(soci::session& s, const std::string& key) {
  long long id = 0;
  s << "SELECT user_id FROM students WHERE student_no = :k OR card_no = :k2", soci::into(id), soci::use(key),
      soci::use(key);
  if (!s.got_data()) return std::nullopt;
  return id;
}

std::optional<User> find_user(soci::session& s, std::int64_t user_id) {
  User u;
  long long id = user_id, created = 0;
  int disabled = 0, demo = 0;
  s << "SELECT login, name, role, disabled, is_demo, created_at FROM users WHERE id = :id", soci::into(u.login),
      soci::into(u.name), soci::into(u.role), soci::into(disabled), soci::into(demo), soci::into(created),
      soci::use(id);
  if (!s.got_data()) return std::nullopt;
  u.id = user_id;
  u.disabled = disabled != 0;
  u.is_demo = demo != 0;
  u.created_at = created;
  {
    StudentProfile p;
    std::optional<long long> college;
    std::optional<std::string> college_name, card;
    s << "SELECT st.student_no, st.college_id, c.name, st.major, st.class_name, st.phone, st.card_no FROM students st "
         "LEFT JOIN colleges c ON c.id = st.college_id WHERE st.user_id = :id",
        soci::into(p.student_no), soci::into(college), soci::into(college_name), soci::into(p.major),
        soci::into(p.class_name), soci::into(p.phone), soci::into(card), soci::use(id);
    if (s.got_data()) {
      if (college) p.college_id = *college;
      p.college_name = college_name.value_or("");
      p.card_no = card;
      u.student = p;
    }
  }
  {
    StaffProfile p;
    std::optional<long long> unit;
    std::optional<std::string> unit_name;
    s << "SELECT st.staff_no, st.unit_id, un.name, st.badge_no, st.phone FROM staff st "
         "LEFT JOIN units un ON un.id = st.unit_id WHERE st.user_id = :id",
        soci::into(p.staff_no), soci::into(unit), soci::into(unit_name), soci::into(p.badge_no), soci::into(p.phone),
        soci::use(id);
    if (s.got_data()) {
      if (unit) p.unit_id = *unit;
      p.unit_name = unit_name.value_or("");
      u.staff = p;
    }
  }
  return u;
}

std::int64_t insert_user(soci::session& s, const User& u, const std::string& password_hash) {
  long long now = Clock::now(), id = 0;
  int demo = u.is_demo ? 1 : 0, disabled = u.disabled ? 1 : 0;
  s << "INSERT INTO users (login, name, role, password_hash, disabled, is_demo, created_at, updated_at, "
       "password_changed_at) VALUES (:l, :n, :r, :h, :d, :demo, :c, :u, :p) RETURNING id",
      soci::use(u.login), soci::use(u.name), soci::use(u.role), soci::use(password_hash), soci::use(disabled),
      soci::use(demo), soci::use(now), soci::use(now), soci::use(now), soci::into(id);
  if (u.student) {
    const auto& p = *u.student;
    std::optional<long long> college;
    if (p.college_id) college = *p.college_id;
    s << "INSERT INTO students (user_id, student_no, college_id, major, class_name, phone, card_no) "
         "VALUES (:id, :no, :c, :m, :k, :p, :card)",
        soci::use(id), soci::use(p.student_no), soci::use(college), soci::use(p.major), soci::use(p.class_name),
        soci::use(p.phone), soci::use(p.card_no);
  }
  if (u.staff) {
    const auto& p = *u.staff;
    std::optional<long long> unit;
    if (p.unit_id) unit = *p.unit_id;
    s << "INSERT INTO staff (user_id, staff_no, unit_id, badge_no, phone) VALUES (:id, :no, :u, :b, :p)",
        soci::use(id), soci::use(p.staff_no), soci::use(unit), soci::use(p.badge_no), soci::use(p.phone);
  }
  return id;
}

void update_password(soci::session& s, std::int64_t user_id, const std::string& hash) {
  long long now = Clock::now(), id = user_id;
  s << "UPDATE users SET password_hash = :h, password_changed_at = :t, updated_at = :t2 WHERE id = :id",
      soci::use(hash), soci::use(now), soci::use(now), soci::use(id);
}

std::int64_t insert_session(soci::session& s, const std::string& digest, std::int64_t user_id, const std::string& csrf,
                            std::int64_t expires_at, const std::string& address, const std::string& user_agent) {
  long long now = Clock::now(), uid = user_id, exp = expires_at, id = 0;
  std::string ua = user_agent.substr(0, 300);
  s << "INSERT INTO sessions (token_digest, user_id, csrf_token, created_at, expires_at, address, user_agent) "
       "VALUES (:d, :u, :c, :n, :e, :a, :ua) RETURNING id",
      soci::use(digest), soci::use(uid), soci::use(csrf), soci::use(now), soci::use(exp), soci::use(address),
      soci::use(ua), soci::into(id);
  return id;
}

std::optional<std::pair<Principal, std::int64_t>> principal_for_token(soci::session& s, const std::string& digest,
                                                                      std::int64_t now) {
  Principal p;
  {
    long long sid = 0, uid = 0, expires = 0;
    std::optional<long long> revoked, unit;
    int disabled = 0;
    s << "SELECT se.id, se.user_id, se.csrf_token, se.expires_at, se.revoked_at, u.login, u.name, u.role, u.disabled, "
         "st.unit_id FROM sessions se JOIN users u ON u.id = se.user_id LEFT JOIN staff st ON st.user_id = u.id "
         "WHERE se.token_digest = :d",
        soci::into(sid), soci::into(uid), soci::into(p.csrf_token), soci::into(expires), soci::into(revoked),
        soci::into(p.login), soci::into(p.name), soci::into(p.role), soci::into(disabled), soci::into(unit),
        soci::use(digest);
    if (s.got_data()) {
      if (revoked || expires <= now || disabled) return std::nullopt;
      p.kind = PrincipalKind::user;
      p.user_id = uid;
      p.session_id = sid;
      p.unit_id = unit.value_or(0);
      return std::make_pair(p, static_cast<std::int64_t>(expires));
    }
  }
  long long did = 0, hall = 0;
  std::optional<long long> window;
  int disabled = 0;
  std::string name, kind;
  s << "SELECT id, hall_id, window_id, kind, name, disabled FROM devices WHERE token_digest = :d", soci::into(did),
      soci::into(hall), soci::into(window), soci::into(kind), soci::into(name), soci::into(disabled), soci::use(digest);
  if (!s.got_data() || disabled) return std::nullopt;
  p.kind = PrincipalKind::device;
  p.device_id = did;
  p.hall_id = hall;
  p.window_id = window.value_or(0);
  p.role = kind;
  p.name = name;
  p.login = "device:" + std::to_string(did);
  // Device tokens do not expire by time; they are rotated or disabled by an administrator.
  return std::make_pair(p, now + 24LL * 3600 * 1000);
}

void revoke_session(soci::session& s, std::int64_t session_id) {
  long long now = Clock::now(), id = session_id;
  s << "UPDATE sessions SET revoked_at = :n WHERE id = :id AND revoked_at IS NULL", soci::use(now), soci::use(id);
}

int revoke_user_sessions(soci::session& s, std::int64_t user_id, std::int64_t keep) {
  long long now = Clock::now(), uid = user_id, k = keep;
  soci::statement st = (s.prepare << "UPDATE sessions SET revoked_at = :n WHERE user_id = :u AND id <> :k AND "
                                     "revoked_at IS NULL",
                        soci::use(now), soci::use(uid), soci::use(k));
  st.execute(true);
  return static_cast<int>(st.get_affected_rows());
}

json::object search_users(soci::session& s, const UserQuery& q) {
  std::string where = " WHERE 1=1";
  std::string like = "%" + q.text + "%", role = q.role;
  if (!q.text.empty())
    where += " AND (u.login LIKE :t1 OR u.name LIKE :t2 OR st.student_no LIKE :t3 OR sf.staff_no LIKE :t4)";
  if (!role.empty()) where += " AND u.role = :role";
  std::string from = " FROM users u LEFT JOIN students st ON st.user_id = u.id LEFT JOIN staff sf ON sf.user_id = u.id";
  auto bind = [&](soci::statement& st) {
    if (!q.text.empty())
      for (const char* n : {"t1", "t2", "t3", "t4"}) st.exchange(soci::use(like, n));
    if (!role.empty()) st.exchange(soci::use(role, "role"));
  };
  long long total = 0;
  {
    soci::statement st(s);
    st.exchange(soci::into(total));
    bind(st);
    st.alloc();
    st.prepare("SELECT COUNT(*)" + from + where);
    st.define_and_bind();
    st.execute(true);
  }
  std::vector<long long> ids;
  {
    long long id = 0;
    soci::statement st(s);
    st.exchange(soci::into(id));
    bind(st);
    st.alloc();
    st.prepare("SELECT u.id" + from + where + " ORDER BY u.id LIMIT " + std::to_string(q.page_size) + " OFFSET " +
               std::to_string((q.page - 1) * q.page_size));
    st.define_and_bind();
    if (st.execute(true)) do
        ids.push_back(id);
      while (st.fetch());
  }
  json::array items;
  for (long long id : ids)
    if (auto u = find_user(s, id)) items.push_back(to_json(*u));
  return json::object{{"items", items}, {"total", total}};
}

std::optional<FirstHall> first_hall(soci::session& s) {
  std::optional<FirstHall> out;
  db::Values none;
  db::query_rows(s, "SELECT id, name, name_en FROM halls ORDER BY id LIMIT 1", none,
                 [&](const soci::row& r) {
                   out = FirstHall{db::col_i64(r, 0), db::col_str(r, 1), db::col_str(r, 2)};
                 });
  return out;
}

void note_device_seen(soci::session& s, std::int64_t device_id, std::int64_t at) {
  db::Values b{static_cast<long long>(at), static_cast<long long>(device_id),
               static_cast<long long>(at)};
  db::execute_sql(
      s,
      "UPDATE devices SET last_seen_at = :t WHERE id = :id AND (last_seen_at IS NULL OR "
      "last_seen_at < :t2)",
      b);
}

}  // namespace store
}  // namespace hall::auth
