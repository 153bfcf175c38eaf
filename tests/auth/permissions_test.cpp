// Pure rules of accounts: the permission matrix (pinned to docs/permissions.md,
// which must render src/auth/permissions.cpp exactly), the login rate limiter
// as a table of events, the password policy, and Argon2id hashing.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "auth/password.hpp"
#include "auth/permissions.hpp"
#include "auth/rate_limit.hpp"
#include "support/test_support.hpp"

namespace hall::auth {
namespace {

std::vector<std::string> split_row(const std::string& line) {
  std::vector<std::string> cells;
  std::string cur;
  std::istringstream in(line.substr(1));  // skip the leading '|'
  while (std::getline(in, cur, '|')) {
    cur.erase(0, cur.find_first_not_of(' '));
    while (!cur.empty() && cur.back() == ' ') cur.pop_back();
    cells.push_back(cur);
  }
  return cells;
}

// docs/permissions.md: | permission | role… | meaning |, ✓ where granted.
struct DocMatrix {
  std::vector<std::string> roles;
  std::map<std::string, std::set<std::string>> granted;  // permission → roles
  std::vector<std::string> permissions;
};

DocMatrix read_doc() {
  std::ifstream f(test::source_path("docs/permissions.md"));
  EXPECT_TRUE(f) << "docs/permissions.md is missing";
  DocMatrix m;
  std::string line;
  bool in_table = false;
  while (std::getline(f, line)) {
    if (line.rfind("| permission |", 0) == 0) {
      auto cells = split_row(line);
      m.roles.assign(cells.begin() + 1, cells.end() - 1);
      in_table = true;
      continue;
    }
    if (!in_table) continue;
    if (line.rfind("|---", 0) == 0) continue;
    if (line.rfind("|", 0) != 0) break;
    auto cells = split_row(line);
    EXPECT_EQ(cells.size(), m.roles.size() + 2) << line;
    if (cells.size() != m.roles.size() + 2) continue;
    m.permissions.push_back(cells[0]);
    auto& g = m.granted[cells[0]];
    for (std::size_t i = 0; i < m.roles.size(); ++i) {
      EXPECT_TRUE(cells[i + 1].empty() || cells[i + 1] == "✓") << line;
      if (cells[i + 1] == "✓") g.insert(m.roles[i]);
    }
  }
  return m;
}

// The table as docs/permissions.md should have it (printed when they differ, to paste in).
std::string render_table() {
  std::string out = "| permission |";
  for (const auto& r : roles()) out += " " + r.role + " |";
  out += " meaning |\n|---|";
  for (std::size_t i = 0; i < roles().size(); ++i) out += "---|";
  out += "---|\n";
  for (const auto& [p, text] : permission_catalog()) {
    out += "| " + p + " |";
    for (const auto& r : roles()) out += role_has(r.role, p) ? " ✓ |" : "  |";
    out += " " + text.en + " (" + text.zh + ") |\n";
  }
  return out;
}

TEST(AuthPermissions, MatrixMatchesDocsPermissionsMd) {
  DocMatrix doc = read_doc();
  bool same = true;
  std::vector<std::string> code_roles;
  for (const auto& r : roles()) code_roles.push_back(r.role);
  EXPECT_EQ(doc.roles, code_roles) << "the role columns of docs/permissions.md";
  std::vector<std::string> code_perms;
  for (const auto& [p, text] : permission_catalog()) code_perms.push_back(p);
  EXPECT_EQ(doc.permissions, code_perms) << "the permission rows of docs/permissions.md";
  // Every role × permission cell, both ways.
  for (const auto& role : code_roles)
    for (const auto& perm : code_perms) {
      SCOPED_TRACE(role + " × " + perm);
      EXPECT_EQ(role_has(role, perm), doc.granted[perm].count(role) == 1);
      same = same && role_has(role, perm) == (doc.granted[perm].count(role) == 1);
    }
  same = same && doc.roles == code_roles && doc.permissions == code_perms;
  EXPECT_TRUE(same) << "docs/permissions.md differs from the modules' declarations (src/*/module.cpp); its table should read:\n"
                    << render_table();
  // Roles grant only permissions that exist.
  std::set<std::string> known(code_perms.begin(), code_perms.end());
  for (const auto& r : roles())
    for (const auto& p : r.permissions) EXPECT_TRUE(known.count(p)) << r.role << " grants unknown " << p;
}

TEST(AuthPermissions, PrincipalsAndRoleKinds) {
  Principal anon;
  Principal admin;
  admin.kind = PrincipalKind::user;
  admin.role = "admin";
  Principal kiosk;
  kiosk.kind = PrincipalKind::device;
  kiosk.role = "kiosk";
  Principal forged;  // a role name nobody has
  forged.kind = PrincipalKind::user;
  forged.role = "root";
  for (const auto& [p, text] : permission_catalog()) {
    SCOPED_TRACE(p);
    EXPECT_FALSE(has_permission(anon, p));
    EXPECT_TRUE(has_permission(admin, p));  // the administrator holds every permission
    EXPECT_FALSE(has_permission(kiosk, p));
    EXPECT_FALSE(has_permission(forged, p));
    EXPECT_THROW(require(anon, p), ApiError);
    EXPECT_NO_THROW(require(admin, p));
  }
  const std::pair<const char*, int> kinds[] = {{"student", 1}, {"staff", 1}, {"unit_head", 1}, {"teacher", 1},
                                              {"admin", 1},   {"kiosk", 2}, {"board", 2},     {"rating_pad", 2},
                                              {"checkin", 2}, {"root", 0},  {"", 0},          {"Admin", 0}};
  for (const auto& [role, kind] : kinds) {
    SCOPED_TRACE(role);
    EXPECT_EQ(is_person_role(role), kind == 1);
    EXPECT_EQ(is_device_role(role), kind == 2);
  }
  // A5: only staff reach the work area; students hold only their own records.
  EXPECT_EQ(find_role("student")->permissions, (std::vector<std::string>{"self.read", "self.write"}));
  try {
    require(anon, "users.write");
  } catch (const ApiError& e) {
    EXPECT_EQ(e.status(), 403);
    EXPECT_EQ(e.code(), "forbidden");
  }
}

// The sign-in limiter as a table of events; policy: 3 failures per (account,
// address) then back-off 100 ms doubling up to 400 ms, 5 per address, 1000 ms window.
TEST(AuthRateLimit, EventTable) {
  struct Event {
    std::int64_t t;
    char op;  // f: failure, s: success, ?: ask (expect wait)
    const char* account;
    const char* address;
    std::int64_t expect_wait;
  };
  const Event events[] = {
      {0, '?', "alice", "10.0.0.1", 0},
      {0, 'f', "alice", "10.0.0.1", 0},
      {100, 'f', "alice", "10.0.0.1", 0},
      {200, '?', "alice", "10.0.0.1", 0},  // 2 of 3
      {200, 'f', "alice", "10.0.0.1", 0},
      {250, '?', "alice", "10.0.0.1", 50},  // back-off: 100 ms after the last failure
      {250, '?', "alice", "10.0.0.9", 0},   // the owner elsewhere is not locked out
      {250, '?', "bob", "10.0.0.1", 0},     // the address has 3 of 5
      {300, '?', "alice", "10.0.0.1", 0},
      {300, 'f', "alice", "10.0.0.1", 0},
      {300, '?', "alice", "10.0.0.1", 200},  // doubled
      {500, 'f', "alice", "10.0.0.1", 0},    // 5 from 10.0.0.1: the address limit too
      {500, '?', "alice", "10.0.0.1",
       500},  // address: until t=0 leaves the window (1000); pair: 400, the cap
      {500, '?', "bob", "10.0.0.1", 500},
      {500, '?', "alice", "10.0.0.2", 0},
      {999, '?', "bob", "10.0.0.1", 1},
      {1000, '?', "bob", "10.0.0.1", 0},  // t=0 left the window
      {1100, '?', "alice", "10.0.0.1",
       0},  // 3 failures left in the window (200, 300, 500): back-off from 500 has passed
      {1100, 'f', "alice", "10.0.0.1", 0},
      {1100, '?', "alice", "10.0.0.1", 200},  // 4 in the window: one past the limit, 100·2
      {1200, 's', "alice", "10.0.0.1", 0},    // a success clears the pair
      {1200, '?', "alice", "10.0.0.1", 0},
      {1200, 'f', "carol", "10.0.0.3", 0},
      {1200, 'f', "dave", "10.0.0.3", 0},
      {1200, 'f', "erin", "10.0.0.3", 0},
      {1200, 'f', "frank", "10.0.0.3", 0},
      {1200, 'f', "grace", "10.0.0.3", 0},
      {1200, '?', "heidi", "10.0.0.3",
       1000},  // per address: 5 failures from 10.0.0.3, whatever the accounts
      {1200, '?', "heidi", "10.0.0.4", 0},
      {2200, '?', "heidi", "10.0.0.3", 0},
  };
  LoginRateLimiter limiter({3, 5, 1000, 100, 400});
  for (const auto& e : events) {
    SCOPED_TRACE(std::to_string(e.t) + " " + e.op + " " + e.account + "@" + e.address);
    if (e.op == 'f') limiter.record_failure(e.account, e.address, e.t);
    else if (e.op == 's')
      limiter.record_success(e.account, e.address);
    else EXPECT_EQ(limiter.retry_after_ms(e.account, e.address, e.t), e.expect_wait);
  }
}

// A plain sliding window (tracking look-ups, verification codes): past the limit,
// wait until the oldest counted failure leaves the window.
TEST(AuthRateLimit, SlidingWindowTable) {
  AttemptLimiter l(2, 1000);
  EXPECT_EQ(l.retry_after_ms("k", 0), 0);
  l.record_failure("k", 0);
  l.record_failure("k", 400);
  EXPECT_EQ(l.retry_after_ms("k", 500), 500);
  EXPECT_EQ(l.retry_after_ms("other", 500), 0);
  EXPECT_EQ(l.retry_after_ms("k", 999), 1);
  EXPECT_EQ(l.retry_after_ms("k", 1000), 0);  // t=0 left the window
  l.record_failure("k", 1000);
  EXPECT_EQ(l.retry_after_ms("k", 1000), 400);  // now until t=400 leaves
  EXPECT_EQ(l.retry_after_ms("k", 1400), 0);
  l.record_failure("k", 1400);
  EXPECT_EQ(l.retry_after_ms("k", 1400), 600);
  l.clear("k");
  EXPECT_EQ(l.retry_after_ms("k", 1400), 0);
}

TEST(AuthPasswordPolicy, Table) {
  struct Case {
    const char* password;
    const char* login;
    bool ok;
  };
  const Case cases[] = {
      {"admin123", "admin", true},
      {"short7!", "x", false},                    // 7 characters
      {"12345678", "x", true},
      {"aaaaaaaa", "x", false},                   // one character repeated
      {"2023001001", "2023001001", false},        // the login itself
      {"密码是八个汉字啊", "x", true},             // 8 characters, 24 bytes
      {"密码七个汉字啊", "x", false},
      {"' OR '1'='1", "x", true},                 // quotes are just characters
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.password);
    if (c.ok) {
      EXPECT_NO_THROW(check_password_policy(c.password, c.login, "password"));
    } else {
      try {
        check_password_policy(c.password, c.login, "new_password");
        ADD_FAILURE() << "accepted";
      } catch (const ApiError& e) {
        EXPECT_EQ(e.code(), "weak_password");
        EXPECT_EQ(e.field(), "new_password");
      }
    }
  }
  EXPECT_THROW(check_password_policy(std::string(129, 'a') + "b", "x", "p"), ApiError);
  EXPECT_NO_THROW(check_password_policy(std::string(127, 'a') + "b", "x", "p"));
}

TEST(AuthPasswordHash, Argon2id) {
  test::use_fast_password_hashing();
  std::string h1 = hash_password("correct horse");
  std::string h2 = hash_password("correct horse");
  EXPECT_EQ(h1.rfind("$argon2id$", 0), 0u) << h1;
  EXPECT_NE(h1, h2);  // salted
  EXPECT_TRUE(verify_password("correct horse", h1));
  EXPECT_FALSE(verify_password("correct horsE", h1));
  EXPECT_FALSE(verify_password("", h1));
  EXPECT_FALSE(verify_password("correct horse", "not a hash"));
  EXPECT_FALSE(verify_password("correct horse", ""));
}

}  // namespace
}  // namespace hall::auth
