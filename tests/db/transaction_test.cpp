// One thread, one session (issue #10, part 1): a nested write()/read() joins
// the caller's transaction instead of leasing a second pooled session; SQLite's
// writers take turns without holding a session; every wait for the database is
// bounded and ends in 503 server_busy. On the old code the nested cases below
// waited 30 s for a session that never came free (pool of one) and failed.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <future>
#include <thread>

#include "db/database.hpp"
#include "db/statement.hpp"
#include "support/test_support.hpp"

namespace hall::test {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

class DbTransactions : public testing::TestWithParam<std::string> {
 protected:
  void SetUp() override { url = fresh_db_url(GetParam()); }
  void TearDown() override {
    dbs.clear();
    if (url.rfind("sqlite:", 0) == 0)
      for (const char* ext : {"", "-wal", "-shm"}) fs::remove(url.substr(7) + ext);
  }
  db::Database& open(std::size_t pool, db::Limits limits = {}) {
    dbs.push_back(db::Database::open(url, pool, limits));
    auto& d = *dbs.back();
    d.write([](soci::session& s) {
      s << "CREATE TABLE IF NOT EXISTS t (v INTEGER NOT NULL)";
      // What /healthz?deep=1 reads (Database::probe).
      s << "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
           "applied_at BIGINT NOT NULL)";
    });
    return d;
  }
  static long long rows(soci::session& s) {
    long long n = 0;
    s << "SELECT COUNT(*) FROM t", soci::into(n);
    return n;
  }
  std::string url;
  std::vector<std::unique_ptr<db::Database>> dbs;
};
INSTANTIATE_TEST_SUITE_P(Backends, DbTransactions, testing::ValuesIn(backends()), backend_name);

TEST_P(DbTransactions, ReadInsideWriteJoinsTheWriteAndSeesItsRows) {
  auto& d = open(1, {.lease_wait = 500ms, .writer_wait = 500ms});  // one session: a second lease could never succeed
  long long seen = -1;
  std::size_t in_use = 0;
  d.write([&](soci::session& s) {
    s << "INSERT INTO t (v) VALUES (1)";
    EXPECT_TRUE(d.in_transaction());
    seen = d.read([&](soci::session& inner) {
      EXPECT_EQ(&inner, &s);  // the same session: the caller's transaction
      return rows(inner);
    });
    in_use = d.stats().in_use;
  });
  EXPECT_EQ(seen, 1);  // the uncommitted row is visible to the nested read
  EXPECT_EQ(in_use, 1u);
  EXPECT_FALSE(d.in_transaction());
  EXPECT_EQ(d.stats().timeouts, 0u);
}

TEST_P(DbTransactions, NestedWriteIsASavepointThatRollsBackAlone) {
  auto& d = open(1, {.lease_wait = 500ms, .writer_wait = 500ms});
  d.write([&](soci::session& s) {
    s << "INSERT INTO t (v) VALUES (1)";
    d.write([](soci::session& inner) { inner << "INSERT INTO t (v) VALUES (2)"; });  // kept
    try {
      d.write([](soci::session& inner) {
        inner << "INSERT INTO t (v) VALUES (3)";
        throw std::runtime_error("refused");
      });
      ADD_FAILURE() << "the nested write should have thrown";
    } catch (const std::runtime_error&) {
    }
    s << "INSERT INTO t (v) VALUES (4)";  // the outer transaction goes on (also on PostgreSQL)
  });
  long long sum = d.read([](soci::session& s) {
    long long v = 0;
    s << "SELECT SUM(v) FROM t", soci::into(v);
    return v;
  });
  EXPECT_EQ(sum, 1 + 2 + 4);
}

TEST_P(DbTransactions, AnErrorInTheOuterWriteRollsBackTheNestedWritesToo) {
  auto& d = open(2);
  EXPECT_THROW(d.write([&](soci::session&) {
    d.write([](soci::session& inner) { inner << "INSERT INTO t (v) VALUES (1)"; });
    throw std::runtime_error("outer fails");
  }),
               std::runtime_error);
  EXPECT_EQ(d.read([](soci::session& s) { return rows(s); }), 0);
}

TEST_P(DbTransactions, WriteInsideReadFailsLoudly) {
  auto& d = open(2);
  EXPECT_THROW(d.read([&](soci::session&) { d.write([](soci::session& s) { s << "INSERT INTO t (v) VALUES (1)"; }); }),
               std::logic_error);
  EXPECT_EQ(d.read([](soci::session& s) { return rows(s); }), 0);
}

// Two Database objects are two pools (a second server process in miniature):
// a transaction of one does not join the other's.
TEST_P(DbTransactions, ATransactionOfAnotherDatabaseIsNotJoined) {
  auto& a = open(1);
  auto& b = open(1);
  a.read([&](soci::session&) {
    EXPECT_TRUE(a.in_transaction());
    EXPECT_FALSE(b.in_transaction());
    EXPECT_EQ(b.read([](soci::session& s) { return rows(s); }), 0);
  });
}

TEST_P(DbTransactions, AnExhaustedPoolAnswersServerBusyAfterABoundedWait) {
  auto& d = open(2, {.lease_wait = 200ms, .writer_wait = 200ms});
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<int> holding{0};
  std::vector<std::thread> holders;
  for (int i = 0; i < 2; ++i)
    holders.emplace_back([&] {
      d.read([&](soci::session&) {
        ++holding;
        released.wait();
      });
    });
  while (holding < 2) std::this_thread::yield();
  auto started = std::chrono::steady_clock::now();
  try {
    d.read([](soci::session& s) { return rows(s); });
    ADD_FAILURE() << "a third lease of a pool of two should have been refused";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.status(), 503);
    EXPECT_EQ(e.code(), "server_busy");
  }
  // Bounded: refused after about lease_wait, not after 30 s (generous upper bound for a loaded machine).
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
  EXPECT_EQ(d.stats().timeouts, 1u);
  EXPECT_FALSE(d.probe(50ms, 10s).has_value());  // /healthz?deep=1 reports the exhausted pool
  release.set_value();
  for (auto& t : holders) t.join();
  EXPECT_EQ(d.read([](soci::session& s) { return rows(s); }), 0);  // and recovers by itself
  EXPECT_TRUE(d.probe(1s, 10s).has_value());
}

// SQLite: a writer waiting for its turn holds no pooled session, so readers go on.
TEST_P(DbTransactions, SqliteWritersWaitTheirTurnWithoutHoldingASession) {
  if (GetParam() != "sqlite") GTEST_SKIP() << "PostgreSQL runs writers concurrently (row locks)";
  auto& d = open(2, {.lease_wait = 2s, .writer_wait = 200ms});
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<bool> writing{false};
  std::thread holder([&] {
    d.write([&](soci::session& s) {
      s << "INSERT INTO t (v) VALUES (1)";
      writing = true;
      released.wait();
    });
  });
  while (!writing) std::this_thread::yield();
  std::atomic<bool> refused{false};
  std::thread second([&] {
    try {
      d.write([](soci::session& s) { s << "INSERT INTO t (v) VALUES (2)"; });
    } catch (const ApiError& e) {
      refused = e.code() == "server_busy";
    }
  });
  // While the second writer queues, the other session is free for a reader.
  EXPECT_EQ(d.read([](soci::session& s) { return rows(s); }), 0);
  second.join();
  EXPECT_TRUE(refused);  // its turn did not come within writer_wait
  EXPECT_EQ(d.stats().writer_timeouts, 1u);
  release.set_value();
  holder.join();
  EXPECT_EQ(d.read([](soci::session& s) { return rows(s); }), 1);
}

// Many more writers than sessions, each asking a nested read inside its write
// (the shape of case intake asking the calendar): all finish, none times out.
TEST_P(DbTransactions, ManyWritersWithNestedReadsAllFinish) {
  auto& d = open(4);
  constexpr int kThreads = 24, kEach = 10;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int i = 0; i < kThreads; ++i)
    threads.emplace_back([&] {
      for (int k = 0; k < kEach; ++k) {
        try {
          d.write([&](soci::session& s) {
            long long before = d.read([](soci::session& r) { return rows(r); });
            db::Values v{before};
            db::execute_sql(s, "INSERT INTO t (v) VALUES (:v)", v);
          });
        } catch (const std::exception&) {
          ++failures;
        }
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(d.read([](soci::session& s) { return rows(s); }), kThreads * kEach);
  EXPECT_EQ(d.stats().timeouts, 0u);
}

}  // namespace
}  // namespace hall::test
