// Accounts over the real server, on SQLite and PostgreSQL: sign-in, sessions
// (expiry, logout, password change), CSRF on cookie writes, login throttling,
// SQL metacharacters in every text field, and the permission gate on every
// registered route for every role.
#include <gtest/gtest.h>

#include <regex>

#include "auth/password.hpp"
#include "auth/permissions.hpp"
#include "support/clock.hpp"
#include "core/random.hpp"
#include "demo/seed.hpp"
#include "support/test_support.hpp"

namespace hall::test {
namespace {

class AuthApi : public testing::TestWithParam<std::string> {
 protected:
  void SetUp() override { hall = std::make_unique<TestHall>(GetParam()); }
  HttpResponse login_raw(const std::string& login, const std::string& password,
                         std::vector<std::pair<std::string, std::string>> headers = {}) {
    return hall->send("POST", "/api/v1/auth/login", json::serialize(json::object{{"login", login}, {"password", password}}),
                      nullptr, std::move(headers));
  }
  HttpResponse me(const Session& s) { return hall->get("/api/v1/auth/me", &s); }
  HttpResponse change_password(const Session& s, const std::string& old_pw, const std::string& new_pw) {
    return hall->post("/api/v1/auth/password", json::object{{"old_password", old_pw}, {"new_password", new_pw}}, &s);
  }
  std::string admin_hash() {
    return hall->app().db->read([](soci::session& s) {
      std::string h;
      s << "SELECT password_hash FROM users WHERE login = 'admin'", soci::into(h);
      return h;
    });
  }
  std::unique_ptr<TestHall> hall;
};
INSTANTIATE_TEST_SUITE_P(Backends, AuthApi, testing::ValuesIn(backends()), backend_name);


TEST_P(AuthApi, LoginSetsCookieAndReturnsToken) {
  auto r = login_raw("admin", "admin123");
  ASSERT_EQ(r.status, 200) << r.body;
  auto v = r.json();
  std::string token(v.at("token").as_string());
  EXPECT_GE(token.size(), 40u);
  EXPECT_EQ(std::string(v.at("user").at("login").as_string()), "admin");
  EXPECT_EQ(v.at("user").as_object().count("password_hash"), 0u);
  std::string cookie = r.header("set-cookie");
  EXPECT_EQ(cookie.rfind("hall_session=" + token + ";", 0), 0u) << cookie;
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Lax"), std::string::npos);
  EXPECT_EQ(cookie.find("Secure"), std::string::npos);  // plain HTTP in tests; secure_cookies turns it on
  EXPECT_EQ(r.header("cache-control"), "no-store");

  Session bearer{token, "", false};
  auto m = me(bearer);
  ASSERT_EQ(m.status, 200);
  EXPECT_TRUE(m.json().at("csrf_token").is_null());  // bearer clients need no CSRF token
  Session cookie_session{token, "", true};
  auto mc = me(cookie_session);
  ASSERT_EQ(mc.status, 200);
  EXPECT_EQ(std::string(mc.json().at("csrf_token").as_string()), std::string(v.at("csrf_token").as_string()));
  // The token is stored only as a digest.
  EXPECT_EQ(hall->count("SELECT COUNT(*) FROM sessions WHERE token_digest = '" + token_digest(token) + "'"), 1);
  EXPECT_EQ(hall->count("SELECT COUNT(*) FROM sessions WHERE token_digest = '" + token + "'"), 0);
}

TEST_P(AuthApi, WrongPasswordAndUnknownLoginAre401AndAudited) {
  long long audit_before = hall->count("SELECT COUNT(*) FROM audit_log WHERE action = 'auth.login_failed'");
  auto wrong = login_raw("admin", "admin124");
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(wrong.error_code(), "invalid_credentials");
  auto unknown = login_raw("no-such-person", "admin123");
  EXPECT_EQ(unknown.status, 401);
  EXPECT_EQ(unknown.error_code(), "invalid_credentials");
  EXPECT_EQ(wrong.body, unknown.body);  // nothing tells which logins exist
  EXPECT_TRUE(wrong.header("set-cookie").empty());
  EXPECT_EQ(hall->count("SELECT COUNT(*) FROM audit_log WHERE action = 'auth.login_failed'"), audit_before + 2);
  auto en = login_raw("admin", "admin124", {{"Accept-Language", "en"}});
  EXPECT_EQ(std::string(en.json().at("error").at("message").as_string()), "Wrong login or password");
  EXPECT_EQ(std::string(wrong.json().at("error").at("message").as_string()), "登录名或密码错误");
}

TEST_P(AuthApi, DisabledAccountIs403) {
  hall->app().db->write([](soci::session& s) { s << "UPDATE users SET disabled = 1 WHERE login = 'staff02'"; });
  auto r = login_raw("staff02", "staff123");
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.error_code(), "account_disabled");
  auto wrong = login_raw("staff02", "wrong-password");
  EXPECT_EQ(wrong.status, 401);  // the disabled state is told only to who knows the password
  EXPECT_EQ(login_raw("staff03", "staff123").status, 200);
}

TEST_P(AuthApi, ExpiredSessionIs401SessionExpired) {
  Session s = hall->login("teacher", "teacher123");
  ASSERT_EQ(me(s).status, 200);  // also fills the session cache
  {
    PinnedClock later(Clock::now() + (12LL * 3600 + 60) * 1000);  // session_hours = 12
    auto r = me(s);
    EXPECT_EQ(r.status, 401);
    EXPECT_EQ(r.error_code(), "session_expired");
  }
  // A session row that expired a second ago, never seen by the cache.
  std::string token = random_token();
  hall->app().db->write([&](soci::session& tx) {
    long long now = Clock::now(), past = now - 1000;
    std::string digest = token_digest(token);  // SOCI binds by reference: no temporaries
    tx << "INSERT INTO sessions (token_digest, user_id, csrf_token, created_at, expires_at) "
          "SELECT :d, id, 'csrf', :c, :e FROM users WHERE login = 'admin'",
        soci::use(digest), soci::use(now), soci::use(past);
  });
  auto r = me(Session{token, "", false});
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.error_code(), "session_expired");
  EXPECT_EQ(me(Session{"never-issued-token-000000000000000", "", false}).error_code(), "session_expired");
  EXPECT_EQ(hall->get("/api/v1/auth/me").error_code(), "unauthenticated");
}

// Issue #11 item 14: anonymous pages ask GET /auth/session, which answers 200
// (no 401 logged by the browser); /auth/me keeps its 401 for other callers.
TEST_P(AuthApi, SessionAnswersSignedOutWithoutA401) {
  auto anon = hall->get("/api/v1/auth/session");
  ASSERT_EQ(anon.status, 200) << anon.body;
  EXPECT_EQ(anon.json().at("signed_in"), false);
  EXPECT_TRUE(anon.json().at("user").is_null());
  EXPECT_TRUE(anon.json().at("permissions").as_array().empty());
  EXPECT_TRUE(anon.json().at("hall").is_object());
  // An unknown or expired token: signed out, still 200.
  Session never{"never-issued-token-000000000000000", "", false};
  auto stale = hall->get("/api/v1/auth/session", &never);
  EXPECT_EQ(stale.status, 200);
  EXPECT_EQ(stale.json().at("signed_in"), false);
  EXPECT_EQ(hall->get("/api/v1/auth/me").status, 401);

  Session s = hall->login("teacher", "teacher123");
  auto in = hall->get("/api/v1/auth/session", &s);
  ASSERT_EQ(in.status, 200) << in.body;
  EXPECT_EQ(in.json().at("signed_in"), true);
  EXPECT_EQ(in.json().at("user").at("login").as_string(), "teacher");
  EXPECT_FALSE(in.json().at("permissions").as_array().empty());
  EXPECT_EQ(me(s).json().at("signed_in"), true);
}

TEST_P(AuthApi, LogoutRevokesOnlyThatSession) {
  Session a = hall->login("staff01", "staff123");
  Session b = hall->login("staff01", "staff123");
  ASSERT_EQ(me(a).status, 200);
  auto out = hall->send("POST", "/api/v1/auth/logout", "", &a, {}, "");
  EXPECT_EQ(out.status, 204);
  EXPECT_NE(out.header("set-cookie").find("Max-Age=0"), std::string::npos);
  auto r = me(a);
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.error_code(), "session_expired");
  EXPECT_EQ(me(b).status, 200);
  EXPECT_EQ(hall->count("SELECT COUNT(*) FROM audit_log WHERE action = 'auth.logout'"), 1);
}

TEST_P(AuthApi, PasswordChangeRevokesOtherSessionsAndKeepsCurrent) {
  Session current = hall->login("2023001002", "student123");
  Session other = hall->login("2023001002", "student123");
  Session other_cookie = hall->login("2023001002", "student123", true);
  Session someone_else = hall->login("2023001003", "student123");
  for (const Session* s : {&current, &other, &other_cookie}) ASSERT_EQ(me(*s).status, 200);

  auto bad = change_password(current, "not-my-password", "brand-new-pass");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.error_code(), "wrong_password");
  EXPECT_EQ(bad.error_field(), "old_password");
  auto weak = change_password(current, "student123", "short");
  EXPECT_EQ(weak.error_code(), "weak_password");
  EXPECT_EQ(weak.error_field(), "new_password");
  EXPECT_EQ(me(other).status, 200);  // refused changes revoke nothing

  auto ok = change_password(current, "student123", "brand-new-pass");
  ASSERT_EQ(ok.status, 204) << ok.body;
  EXPECT_EQ(me(current).status, 200);
  EXPECT_EQ(me(other).error_code(), "session_expired");
  EXPECT_EQ(me(other_cookie).error_code(), "session_expired");
  EXPECT_EQ(me(someone_else).status, 200);
  EXPECT_EQ(login_raw("2023001002", "student123").status, 401);
  EXPECT_EQ(login_raw("2023001002", "brand-new-pass").status, 200);
}

TEST_P(AuthApi, CsrfRequiredForCookieWritesOnly) {
  Session cookie = hall->login("teacher", "teacher123", true);
  Session no_csrf{cookie.token, "", true};
  Session wrong_csrf{cookie.token, random_token(), true};
  auto before = hall->table_counts();
  std::string body = R"({"old_password":"wrong-one","new_password":"whatever-123"})";
  for (const Session* s : {&no_csrf, &wrong_csrf}) {
    auto r = hall->send("POST", "/api/v1/auth/password", body, s);
    EXPECT_EQ(r.status, 403);
    EXPECT_EQ(r.error_code(), "csrf_failed");
    auto out = hall->send("POST", "/api/v1/auth/logout", "", s, {}, "");
    EXPECT_EQ(out.status, 403);
    EXPECT_EQ(out.error_code(), "csrf_failed");
  }
  EXPECT_EQ(hall->table_counts(), before);
  EXPECT_EQ(me(cookie).status, 200);  // the refused logout did not sign out
  // With the right token the request reaches the handler (which refuses the wrong old password).
  EXPECT_EQ(hall->send("POST", "/api/v1/auth/password", body, &cookie).error_code(), "wrong_password");
  // Bearer clients send no CSRF token.
  Session bearer{cookie.token, "", false};
  EXPECT_EQ(hall->send("POST", "/api/v1/auth/password", body, &bearer).error_code(), "wrong_password");
}

TEST_P(AuthApi, LoginRateLimitPerAccount) {
  for (int i = 0; i < 5; ++i) ASSERT_EQ(login_raw("teacher", "wrong-" + std::to_string(i)).status, 401);
  auto r =
      login_raw("teacher", "teacher123");  // even the right password now waits (from this address)
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.error_code(), "too_many_attempts");
  int retry = std::atoi(r.header("retry-after").c_str());
  EXPECT_GT(retry, 0);
  EXPECT_LE(retry, 15 * 60);
  EXPECT_EQ(login_raw("admin", "admin123").status, 200);  // other accounts from the same address are fine
  {
    PinnedClock later(Clock::now() + 15 * 60 * 1000 + 1000);  // the window has passed
    EXPECT_EQ(login_raw("teacher", "teacher123").status, 200);
  }
}

// Behind the hall's reverse proxy (a trusted proxy: X-Forwarded-For names the
// client). Nobody can lock anybody else out: five wrong passwords from one
// address make that address wait, with back-off, while the owner signs in from
// another; the per-address limit still stops one address guessing many accounts.
class AuthBehindProxy : public AuthApi {
 protected:
  void SetUp() override {
    hall = std::make_unique<TestHall>(GetParam(), true, [](Config& c) {
      c.trusted_proxies = {"127.0.0.1", "::1"};
    });
  }
  HttpResponse login_from(const std::string& address, const std::string& login,
                          const std::string& password) {
    return login_raw(login, password, {{"X-Forwarded-For", address}});
  }
};
INSTANTIATE_TEST_SUITE_P(Backends, AuthBehindProxy, testing::ValuesIn(backends()), backend_name);

TEST_P(AuthBehindProxy, WrongPasswordsLockOnlyTheirAddressWithBackOff) {
  Millis t0 = Clock::now();
  PinnedClock at(t0);
  for (int i = 0; i < 5; ++i)
    ASSERT_EQ(login_from("203.0.113.7", "teacher", "wrong-" + std::to_string(i)).status, 401);
  auto locked = login_from("203.0.113.7", "teacher", "teacher123");
  EXPECT_EQ(locked.status, 429);
  EXPECT_EQ(locked.header("retry-after"), "30");  // back-off starts at 30 s
  // The owner, from anywhere else, is not locked out (nor would a sign-in through CAS be).
  auto owner = login_from("198.51.100.20", "teacher", "teacher123");
  ASSERT_EQ(owner.status, 200) << owner.body;
  // The back-off doubles with every further failure from the attacker's address.
  Clock::pin(t0 + 31 * 1000);
  EXPECT_EQ(login_from("203.0.113.7", "teacher", "wrong-5").status, 401);
  EXPECT_EQ(login_from("203.0.113.7", "teacher", "teacher123").header("retry-after"), "60");
  Clock::pin(t0 + 92 * 1000);
  EXPECT_EQ(login_from("203.0.113.7", "teacher", "wrong-6").status, 401);
  EXPECT_EQ(login_from("203.0.113.7", "teacher", "teacher123").header("retry-after"), "120");
  // The address named by an untrusted hop is not believed: only the proxy's header counts.
  EXPECT_EQ(login_from("203.0.113.7, 198.51.100.20", "teacher", "teacher123").status, 200);
  EXPECT_EQ(login_from("198.51.100.20, 203.0.113.7", "teacher", "teacher123").status, 429);
  Clock::unpin();
}

TEST_P(AuthBehindProxy, OneAddressGuessingManyAccountsIsStoppedOthersAreNot) {
  for (int i = 0; i < 20; ++i)
    ASSERT_EQ(login_from("192.0.2.50", "guess" + std::to_string(i), "password-guess").status, 401);
  auto r = login_from("192.0.2.50", "admin", "admin123");
  EXPECT_EQ(r.status, 429);
  EXPECT_FALSE(r.header("retry-after").empty());
  // The rest of the campus behind the same proxy signs in as usual.
  EXPECT_EQ(login_from("192.0.2.51", "admin", "admin123").status, 200);
  EXPECT_EQ(login_raw("teacher", "teacher123").status, 200);  // the proxy itself (no header)
}

// Without trusted proxies X-Forwarded-For is anybody's invention and ignored:
// changing it does not escape the limit.
TEST_P(AuthApi, ForwardedForIsIgnoredUnlessFromATrustedProxy) {
  for (int i = 0; i < 5; ++i)
    ASSERT_EQ(login_raw("teacher", "wrong-" + std::to_string(i),
                        {{"X-Forwarded-For", "10.9.9." + std::to_string(i)}})
                  .status,
              401);
  EXPECT_EQ(login_raw("teacher", "teacher123", {{"X-Forwarded-For", "10.9.9.99"}}).status, 429);
}

// A wrong current password is a password guess: throttled as sign-ins are, and a
// refused change changes nothing.
TEST_P(AuthApi, PasswordChangeThrottlesWrongCurrentPasswords) {
  Session s = hall->login("2023001004", "student123");
  std::string hash_before = hall->app().db->read([](soci::session& db) {
    std::string h;
    db << "SELECT password_hash FROM users WHERE login = '2023001004'", soci::into(h);
    return h;
  });
  for (int i = 0; i < 5; ++i)
    ASSERT_EQ(change_password(s, "guess-" + std::to_string(i), "Brand-new-pass-1").error_code(),
              "wrong_password");
  auto before = hall->table_counts();
  auto r = change_password(s, "student123", "Brand-new-pass-1");  // even the right one waits now
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.error_code(), "too_many_attempts");
  int retry = std::atoi(r.header("retry-after").c_str());  // 30 s after the last failure
  EXPECT_GT(retry, 0);
  EXPECT_LE(retry, 30);
  auto en = hall->send(
      "POST", "/api/v1/auth/password",
      json::serialize(json::object{{"old_password", "x"}, {"new_password", "Brand-new-pass-1"}}),
      &s, {{"Accept-Language", "en"}});
  EXPECT_NE(std::string(en.json().at("error").at("message").as_string())
                .find("Too many wrong current passwords"),
            std::string::npos)
      << en.body;
  EXPECT_EQ(hall->table_counts(), before);
  EXPECT_EQ(hall->app().db->read([](soci::session& db) {
    std::string h;
    db << "SELECT password_hash FROM users WHERE login = '2023001004'", soci::into(h);
    return h;
  }),
            hash_before);
  EXPECT_EQ(me(s).status, 200);
  // After the back-off the right password goes through.
  PinnedClock later(Clock::now() + 31 * 1000);
  EXPECT_EQ(change_password(s, "student123", "Brand-new-pass-1").status, 204);
}

TEST_P(AuthApi, LoginRateLimitPerAddress) {
  for (int i = 0; i < 20; ++i) ASSERT_EQ(login_raw("guess" + std::to_string(i), "password-guess").status, 401);
  auto r = login_raw("admin", "admin123");
  EXPECT_EQ(r.status, 429);
  EXPECT_FALSE(r.header("retry-after").empty());
  auto en = login_raw("admin", "admin123", {{"Accept-Language", "en-GB"}});
  EXPECT_NE(std::string(en.json().at("error").at("message").as_string()).find("Too many sign-in attempts"),
            std::string::npos);
}

// Every text field of login and password change, with SQL metacharacters: each
// is refused as a wrong login or password, and nothing in the database changes
// except the audit log, which records each failed sign-in (one row per attempt).
TEST_P(AuthApi, SqlMetacharactersChangeNothing) {
  Session admin = hall->login("admin", "admin123");
  const std::vector<std::string> payloads = {
      "' OR '1'='1",
      "admin'--",
      "admin' /*",
      "admin'; DROP TABLE users; --",
      "\"; DELETE FROM sessions; --",
      "' UNION SELECT password_hash FROM users --",
      "1; UPDATE users SET role='admin'",
      "%_\\' OR 1=1 #",
      "$1$$; SELECT pg_sleep(0); $$",
  };
  auto before = hall->table_counts();
  std::string hash_before = admin_hash();
  long long revoked_before = hall->count("SELECT COUNT(*) FROM sessions WHERE revoked_at IS NOT NULL");
  int failed_logins = 0;
  // Wrong current passwords are throttled (two per payload here): each payload comes after
  // the throttle's window, so that every one of them reaches the password check.
  Millis t0 = Clock::now();
  int round = 0;
  for (const auto& p : payloads) {
    SCOPED_TRACE(p);
    Clock::pin(t0 + (round++) * 16LL * 60 * 1000);
    auto as_login = login_raw(p, "admin123");
    EXPECT_EQ(as_login.status, 401) << as_login.body;
    EXPECT_EQ(as_login.error_code(), "invalid_credentials");
    std::string account = "staff0" + std::to_string(failed_logins / 2 + 1);  // 5 failures would lock one account
    auto as_password = login_raw(account, p);
    EXPECT_EQ(as_password.status, 401) << as_password.body;
    EXPECT_EQ(as_password.error_code(), "invalid_credentials");
    failed_logins += 2;
    auto as_old = change_password(admin, p, "A-new-password-1");
    EXPECT_EQ(as_old.error_code(), "wrong_password");
    auto as_new = change_password(admin, "not-the-password", p);
    EXPECT_EQ(as_new.error_code(), "wrong_password");
  }
  Clock::pin(t0 + round * 16LL * 60 * 1000);  // past the last round's window, never back in time
  auto after = hall->table_counts();
  EXPECT_EQ(after["audit_log"], before["audit_log"] + failed_logins) << "one audit row per failed sign-in";
  after.erase("audit_log");
  before.erase("audit_log");
  EXPECT_EQ(after, before);
  EXPECT_EQ(admin_hash(), hash_before);
  EXPECT_EQ(hall->count("SELECT COUNT(*) FROM sessions WHERE revoked_at IS NOT NULL"), revoked_before);
  EXPECT_EQ(hall->count("SELECT COUNT(*) FROM users WHERE role = 'admin'"), 1);
  EXPECT_EQ(me(admin).status, 200);
  // And as real data: a password made of metacharacters is stored and checked as text.
  const std::string odd = "x'); DROP TABLE users; --";
  ASSERT_EQ(change_password(admin, "admin123", odd).status, 204);
  EXPECT_EQ(login_raw("admin", odd).status, 200);
  EXPECT_EQ(login_raw("admin", "admin123").status, 401);
  Clock::unpin();
}

// The gate on every route that needs a permission: each demo role without that
// permission is refused with 403 before the handler runs (the database stays
// unchanged), devices too; without a session every non-public route is 401.
TEST_P(AuthApi, PermissionGateOnEveryRouteForEveryRole) {
  http::Router router;
  register_all_routes(router, hall->app());
  std::map<std::string, Session> sessions;
  for (const auto& l : demo::demo_logins()) sessions[l.role] = hall->login(l.login, l.password);
  for (const auto& r : auth::roles())
    if (!r.device) ASSERT_TRUE(sessions.count(r.role)) << "no demo login for role " << r.role;
  std::map<std::string, Session> devices;
  for (const auto& d : demo::demo_devices()) devices[d.kind] = Session{d.token, "", false};
  auto before = hall->table_counts();
  int checked = 0;
  for (const auto& route : router.routes()) {
    std::string path = std::regex_replace(route.pattern, std::regex("\\{[^}]+\\}"), "1");
    SCOPED_TRACE(route.method + " " + route.pattern);
    if (route.access.kind == http::Access::everyone) continue;
    auto anon = hall->send(route.method, path, "{}", nullptr);
    EXPECT_EQ(anon.status, 401) << anon.body;
    if (route.access.kind != http::Access::permission) continue;
    for (const auto& [role, session] : sessions) {
      // Roles holding the permission pass the gate; what the service then allows
      // (record-level rules) is each capability's own tests' business.
      if (auth::role_has(role, route.access.name)) continue;
      auto r = hall->send(route.method, path, "{}", &session);
      EXPECT_EQ(r.status, 403) << role << ": " << r.body;
      EXPECT_EQ(r.error_code(), "forbidden") << role;
      ++checked;
    }
    for (const auto& [kind, session] : devices) {
      if (auth::role_has(kind, route.access.name)) continue;
      auto r = hall->send(route.method, path, "{}", &session);
      EXPECT_EQ(r.status, 403) << kind << ": " << r.body;
    }
  }
  EXPECT_GT(checked, 0);
  // Refused requests write nothing.
  auto after = hall->table_counts();
  EXPECT_EQ(after, before);
}

TEST_P(AuthApi, DeviceTokenIsNarrow) {
  const auto& kiosk = demo::demo_devices().front();
  Session s{kiosk.token, "", false};
  auto r = me(s);
  ASSERT_EQ(r.status, 200) << r.body;
  auto v = r.json();
  EXPECT_TRUE(v.at("user").is_null());
  EXPECT_EQ(std::string(v.at("device").at("kind").as_string()), kiosk.kind);
  EXPECT_TRUE(v.at("permissions").as_array().empty());
  EXPECT_EQ(hall->get("/api/v1/audit", &s).status, 403);
  EXPECT_EQ(hall->send("POST", "/api/v1/auth/password", R"({"old_password":"a","new_password":"b"})", &s).status, 403);
}

TEST_P(AuthApi, AuditLogIsSearchableByAdministrators) {
  login_raw("admin", "bad-password-x");
  Session admin = hall->login("admin", "admin123");
  auto r = hall->get("/api/v1/audit?action=auth.login_failed", &admin);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("auth.login_failed"), std::string::npos);
  Session staff = hall->login("staff01", "staff123");
  EXPECT_EQ(hall->get("/api/v1/audit", &staff).status, 403);
  Session teacher = hall->login("teacher", "teacher123");
  EXPECT_EQ(hall->get("/api/v1/audit?q=admin", &teacher).status, 200);
  EXPECT_EQ(hall->get("/api/v1/audit?page_size=1000", &admin).error_code(), "out_of_range");
}

// Each row names its record as people know it (issue #11, item 2): a person by name, a window by
// its number, a complaint by its tracking number — not "user#1"; a record type without names has
// none.
TEST_P(AuthApi, AuditRowsNameTheirRecords) {
  Session admin = hall->login("admin", "admin123");
  Session teacher = hall->login("teacher", "teacher123");
  long long w3 = hall->count("SELECT id FROM windows WHERE hall_id = 1 AND number = 3");
  ASSERT_EQ(
      hall->post("/api/v1/windows/" + std::to_string(w3) + "/session", json::object{}, &teacher)
          .status,
      201);
  auto fb = hall->post("/api/v1/public/feedback", json::object{{"kind", "suggestion"},
                                                               {"category", "hall"},
                                                               {"content", "多放几把椅子"},
                                                               {"contact_phone", "13900004444"}});
  ASSERT_EQ(fb.status, 201) << fb.body;
  auto name_of = [&](const std::string& query) {
    auto r = hall->get("/api/v1/audit?" + query + "&page_size=1", &admin);
    EXPECT_EQ(r.status, 200) << r.body;
    auto items = r.json().at("items").as_array();
    EXPECT_EQ(items.size(), 1u) << query;
    return items.empty() ? json::value() : items[0].at("target_name");
  };
  std::string admin_name;
  hall->app().db->read([&](soci::session& s) {
    s << "SELECT name FROM users WHERE login = 'admin'", soci::into(admin_name);
  });
  EXPECT_EQ(name_of("action=auth.login&actor=admin"), json::value(admin_name));
  EXPECT_EQ(name_of("action=queue.window.open"), json::value("3"));
  EXPECT_EQ(name_of("action=feedback.create"), fb.json().at("tracking_no"));
  // A closure deleted since keeps its id only; a record type without names (a year) has none.
  auto c = hall->post(
      "/api/v1/calendar/closures",
      json::object{
          {"hall_id", 1}, {"first", "2026-03-03"}, {"last", "2026-03-03"}, {"name", "校运会"}},
      &admin);
  ASSERT_EQ(c.status, 201) << c.body;
  EXPECT_EQ(name_of("action=calendar.closure_added"), json::value("校运会"));
  ASSERT_EQ(hall->send("DELETE",
                       "/api/v1/calendar/closures/" + std::to_string(c.json().at("id").as_int64()),
                       "", &admin)
                .status,
            204);
  EXPECT_TRUE(name_of("action=calendar.closure_added").is_null());
}

}  // namespace
}  // namespace hall::test
