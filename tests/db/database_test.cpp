// Storage on SQLite and PostgreSQL: migrations (fresh, repeated, refused when
// the schema is newer), the append-only audit log, transactions that roll back,
// and the `hall` subcommands that touch the database, run as a subprocess:
// migrate, user add --password-stdin, user passwd, backup while writes happen.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include "auth/password.hpp"
#include "core/clock.hpp"
#include "db/database.hpp"
#include "db/migrations.hpp"
#include "support/test_support.hpp"

namespace hall::test {
namespace {

namespace fs = std::filesystem;

// build/hall beside this test binary (build/test_db).
std::string hall_binary() {
  fs::path self = fs::read_symlink("/proc/self/exe");
  fs::path bin = self.parent_path() / "hall";
  if (!fs::exists(bin)) throw std::runtime_error("hall binary not found at " + bin.string() + " (build it first)");
  return bin.string();
}

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

struct Run {
  int exit_code = -1;
  std::string output;  // stdout and stderr
};

// Runs `hall ARGS` with `input` on standard input (killed after 60 s, so a
// command that wrongly keeps running fails the test instead of hanging it).
Run run_hall(const std::vector<std::string>& args, const std::string& input = "") {
  fs::path in = fs::temp_directory_path() / ("hall-stdin-" + std::to_string(getpid()) + "-" + std::to_string(rand()));
  std::ofstream(in) << input;
  std::string cmd = "timeout 60 " + shell_quote(hall_binary());
  for (const auto& a : args) cmd += " " + shell_quote(a);
  cmd += " <" + shell_quote(in.string()) + " 2>&1";
  Run r;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) throw std::runtime_error("popen failed");
  char buf[4096];
  std::size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.output.append(buf, n);
  int status = pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  fs::remove(in);
  return r;
}

class DbStorage : public testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    use_fast_password_hashing();
    url = fresh_db_url(GetParam());
  }
  void TearDown() override {
    db.reset();
    if (url.rfind("sqlite:", 0) == 0)
      for (const char* ext : {"", "-wal", "-shm"}) fs::remove(url.substr(7) + ext);
  }
  db::Database& open() {
    if (!db) db = db::Database::open(url, 2);
    return *db;
  }
  long long count(const std::string& sql) {
    return open().read([&](soci::session& s) {
      long long n = 0;
      s << sql, soci::into(n);
      return n;
    });
  }
  std::string url;
  std::unique_ptr<db::Database> db;
};
INSTANTIATE_TEST_SUITE_P(Backends, DbStorage, testing::ValuesIn(backends()), backend_name);

TEST_P(DbStorage, FreshDatabaseGetsTheLatestSchema) {
  auto& d = open();
  EXPECT_EQ(db::current_schema_version(d), 0);
  auto r = db::migrate(d);
  EXPECT_EQ(r.from_version, 0);
  EXPECT_EQ(r.to_version, db::latest_schema_version());
  EXPECT_FALSE(r.applied.empty());
  EXPECT_EQ(db::current_schema_version(d), db::latest_schema_version());
  EXPECT_GE(db::latest_schema_version(), 1);
  for (const char* table : {"users", "sessions", "audit_log", "halls", "windows", "units", "colleges", "devices"})
    EXPECT_EQ(count(std::string("SELECT COUNT(*) FROM ") + table), 0) << table;
  EXPECT_EQ(count("SELECT COUNT(*) FROM schema_migrations"), static_cast<long long>(r.applied.size()));
}

TEST_P(DbStorage, MigrateTwiceIsANoOp) {
  auto first = db::migrate(open());
  auto second = db::migrate(open());
  EXPECT_TRUE(second.applied.empty());
  EXPECT_EQ(second.from_version, first.to_version);
  EXPECT_EQ(second.to_version, first.to_version);
  db.reset();
  // The CLI, twice: the second run applies nothing.
  auto a = run_hall({"migrate", "--db", url});
  EXPECT_EQ(a.exit_code, 0) << a.output;
  EXPECT_EQ(a.output.find("applied"), std::string::npos) << a.output;
  EXPECT_NE(a.output.find("schema version " + std::to_string(db::latest_schema_version())), std::string::npos);
  auto b = run_hall({"migrate", "--db", url});
  EXPECT_EQ(b.exit_code, 0) << b.output;
  EXPECT_EQ(b.output, a.output);
}

TEST_P(DbStorage, CliMigrateCreatesTheSchema) {
  auto r = run_hall({"migrate", "--db", url});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("applied 0001"), std::string::npos) << r.output;
  EXPECT_EQ(db::current_schema_version(open()), db::latest_schema_version());
}

TEST_P(DbStorage, NewerSchemaIsRefused) {
  db::migrate(open());
  int newer = db::latest_schema_version() + 1;
  open().write([&](soci::session& s) {
    long long now = Clock::now();
    s << "INSERT INTO schema_migrations (version, name, applied_at) VALUES (:v, 'from_the_future', :t)", soci::use(newer),
        soci::use(now);
  });
  try {
    db::migrate(open());
    ADD_FAILURE() << "a newer schema was accepted";
  } catch (const std::exception& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find("version " + std::to_string(newer)), std::string::npos) << msg;
    EXPECT_NE(msg.find("newer than this hall binary"), std::string::npos) << msg;
  }
  db.reset();
  auto r = run_hall({"migrate", "--db", url});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.output.find("newer than this hall binary"), std::string::npos) << r.output;
  auto serve = run_hall({"serve", "--db", url, "--listen", "127.0.0.1:0"});
  EXPECT_NE(serve.exit_code, 0);  // the server refuses to start on it too
  EXPECT_NE(serve.output.find("newer than this hall binary"), std::string::npos) << serve.output;
}

TEST_P(DbStorage, AuditLogIsAppendOnly) {
  auto& d = open();
  db::migrate(d);
  d.write([](soci::session& s) {
    s << "INSERT INTO audit_log (at, actor_login, action, target_type, target_id, summary) "
         "VALUES (1, 'admin', 'test.written', 'user', '1', '{}')";
  });
  EXPECT_THROW(d.write([](soci::session& s) { s << "UPDATE audit_log SET actor_login = 'someone else'"; }), std::exception);
  EXPECT_THROW(d.write([](soci::session& s) { s << "DELETE FROM audit_log"; }), std::exception);
  EXPECT_THROW(d.write([](soci::session& s) { s << "UPDATE audit_log SET at = 2 WHERE action = 'test.written'"; }),
               std::exception);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE actor_login = 'admin' AND at = 1"), 1);
  // Appending still works after the refusals (the connections are healthy).
  d.write([](soci::session& s) { s << "INSERT INTO audit_log (at, action) VALUES (3, 'test.more')"; });
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log"), 2);
}

TEST_P(DbStorage, WriteRollsBackOnError) {
  auto& d = open();
  db::migrate(d);
  EXPECT_THROW(d.write([](soci::session& s) {
    s << "INSERT INTO audit_log (at, action) VALUES (1, 'test.half')";
    s << "INSERT INTO no_such_table VALUES (1)";
  }),
               std::exception);
  EXPECT_THROW(d.write([](soci::session& s) {
    s << "INSERT INTO audit_log (at, action) VALUES (1, 'test.half')";
    throw std::runtime_error("a rule refused the write");
  }),
               std::runtime_error);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log"), 0);
}

TEST_P(DbStorage, CliUserAddAndPasswd) {
  auto add = run_hall({"user", "add", "--db", url, "--login", "newstaff", "--name", "新同事", "--role", "staff",
                       "--password-stdin"},
                      "first-Passw0rd\n");
  ASSERT_EQ(add.exit_code, 0) << add.output;
  EXPECT_NE(add.output.find("added newstaff"), std::string::npos) << add.output;
  auto hash_of = [&](const std::string& login) {
    return open().read([&](soci::session& s) {
      std::string h, role, name;
      s << "SELECT password_hash, role, name FROM users WHERE login = :l", soci::into(h), soci::into(role),
          soci::into(name), soci::use(login);
      EXPECT_EQ(role, "staff");
      EXPECT_EQ(name, "新同事");
      return h;
    });
  };
  std::string h1 = hash_of("newstaff");
  EXPECT_TRUE(auth::verify_password("first-Passw0rd", h1));
  EXPECT_EQ(count("SELECT COUNT(*) FROM staff s JOIN users u ON u.id = s.user_id WHERE u.login = 'newstaff' "
                  "AND s.staff_no = 'newstaff'"),
            1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'users.created'"), 1);

  // A live session, to see `user passwd` sign it out.
  open().write([](soci::session& s) {
    s << "INSERT INTO sessions (token_digest, user_id, csrf_token, created_at, expires_at) "
         "SELECT 'digest-1', id, 'c', 1, 99999999999999 FROM users WHERE login = 'newstaff'";
  });
  db.reset();
  auto passwd = run_hall({"user", "passwd", "--db", url, "--login", "newstaff", "--password-stdin"}, "second-Passw0rd\n");
  ASSERT_EQ(passwd.exit_code, 0) << passwd.output;
  std::string h2 = hash_of("newstaff");
  EXPECT_TRUE(auth::verify_password("second-Passw0rd", h2));
  EXPECT_FALSE(auth::verify_password("first-Passw0rd", h2));
  EXPECT_EQ(count("SELECT COUNT(*) FROM sessions WHERE token_digest = 'digest-1' AND revoked_at IS NOT NULL"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'users.password_reset'"), 1);
  db.reset();

  // Refusals: each exits non-zero with a reason and changes nothing.
  struct Refusal {
    std::vector<std::string> args;
    std::string input;
    const char* reason;
  };
  const Refusal refusals[] = {
      {{"user", "add", "--db", url, "--login", "x1", "--name", "X", "--role", "root", "--password-stdin"}, "long-enough-1\n",
       "unknown role"},
      {{"user", "add", "--db", url, "--login", "x2", "--name", "X", "--role", "staff", "--password-stdin"}, "short\n",
       "8 to 128"},
      {{"user", "add", "--db", url, "--login", "newstaff", "--name", "X", "--role", "staff", "--password-stdin"},
       "long-enough-1\n", ""},  // the login exists
      {{"user", "passwd", "--db", url, "--login", "nobody", "--password-stdin"}, "long-enough-1\n", "no person"},
      {{"user", "passwd", "--db", url, "--login", "newstaff", "--password-stdin"}, "\n", "8 to 128"},
      {{"user", "add", "--db", url, "--login", "x3", "--name", "X", "--role", "staff"}, "long-enough-1\n",
       "--password-stdin"},
  };
  for (const auto& f : refusals) {
    SCOPED_TRACE(f.args[1] + " " + f.args[5]);
    auto r = run_hall(f.args, f.input);
    EXPECT_NE(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find(f.reason), std::string::npos) << r.output;
  }
  EXPECT_EQ(count("SELECT COUNT(*) FROM users"), 1);
  EXPECT_EQ(hash_of("newstaff"), h2);
}

TEST_P(DbStorage, CliHelpDescribesEverySubcommand) {
  auto top = run_hall({"--help"});
  EXPECT_EQ(top.exit_code, 0);
  for (const char* sub : {"serve", "migrate", "seed-demo", "user", "backup"})
    EXPECT_NE(top.output.find(sub), std::string::npos) << sub;
  for (std::vector<std::string> args : std::vector<std::vector<std::string>>{
           {"serve", "--help"}, {"migrate", "--help"}, {"user", "add", "--help"}, {"user", "passwd", "--help"},
           {"backup", "--help"}, {"seed-demo", "--help"}}) {
    auto r = run_hall(args);
    EXPECT_EQ(r.exit_code, 0) << args[0];
    EXPECT_NE(r.output.find("--db"), std::string::npos) << args[0] << ": " << r.output;
  }
}

// `hall backup` copies a SQLite database that is being written to; the copy is
// one consistent snapshot: it opens, has every table, and each transaction is
// in it whole or not at all (pairs of rows written together stay paired).
TEST(DbBackup, ConsistentCopyWhileWriting) {
  use_fast_password_hashing();
  std::string url = fresh_db_url("sqlite");
  std::string path = url.substr(7);
  std::string copy = path + ".backup";
  auto d = db::Database::open(url, 4);
  db::migrate(*d);
  std::atomic<bool> stop{false};
  std::atomic<int> written{0};
  auto write_pair = [&](int i) {
    d->write([&](soci::session& s) {
      std::string id = std::to_string(i);
      s << "INSERT INTO audit_log (at, action, target_id) VALUES (1, 'test.first', :i)", soci::use(id);
      s << "INSERT INTO audit_log (at, action, target_id) VALUES (1, 'test.second', :i)", soci::use(id);
    });
  };
  for (int i = 0; i < 200; ++i) write_pair(i);  // something to copy before the writer starts
  written = 200;
  std::thread writer([&] {
    while (!stop) write_pair(written++);
  });
  while (written < 300) std::this_thread::yield();  // the writer is running
  auto r = run_hall({"backup", "--db", url, "--to", copy});
  int during = written;
  stop = true;
  writer.join();
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("backup written"), std::string::npos);
  EXPECT_GE(during, 300);  // writes were going on when the backup ran
  ASSERT_TRUE(fs::exists(copy));
  EXPECT_FALSE(fs::exists(copy + "-wal"));
  {
    auto c = db::Database::open("sqlite:" + copy, 1);
    EXPECT_EQ(db::current_schema_version(*c), db::latest_schema_version());
    auto q = [&](const std::string& sql) { return test::count(*c, sql); };
    long long first = q("SELECT COUNT(*) FROM audit_log WHERE action = 'test.first'");
    long long second = q("SELECT COUNT(*) FROM audit_log WHERE action = 'test.second'");
    EXPECT_EQ(first, second) << "a transaction was copied in half";
    EXPECT_GE(first, 200);
    EXPECT_LE(first, written.load());
    for (const char* t : {"users", "sessions", "halls", "windows", "schema_migrations"})
      EXPECT_NO_THROW(q(std::string("SELECT COUNT(*) FROM ") + t)) << t;
    std::string integrity = c->read([](soci::session& s) {
      std::string v;
      s << "PRAGMA integrity_check", soci::into(v);
      return v;
    });
    EXPECT_EQ(integrity, "ok");
  }
  // A PostgreSQL URL is refused with a pointer to pg_dump; a missing file is an error.
  auto pg = run_hall({"backup", "--db", "postgresql://nobody@127.0.0.1:1/none", "--to", copy + "2"});
  EXPECT_NE(pg.exit_code, 0);
  EXPECT_NE(pg.output.find("pg_dump"), std::string::npos) << pg.output;
  auto missing = run_hall({"backup", "--db", "sqlite:/nonexistent/hall.db", "--to", copy + "3"});
  EXPECT_NE(missing.exit_code, 0);
  EXPECT_NE(missing.output.find("no database"), std::string::npos) << missing.output;
  d.reset();
  for (const std::string& f : {path, path + "-wal", path + "-shm", copy}) fs::remove(f);
}

}  // namespace
}  // namespace hall::test
