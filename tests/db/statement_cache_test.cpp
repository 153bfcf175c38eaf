// Prepared statements kept per pooled session (db/statement_cache.hpp), on
// SQLite and PostgreSQL: a reused statement sees each call's values (numbers,
// text and NULLs), the same SQL used again inside its own row callback gets a
// statement of its own, a statement that failed is prepared afresh, and the
// cache stays bounded when SQL is built at run time.
#include <gtest/gtest.h>

#include <filesystem>

#include "db/database.hpp"
#include "db/statement.hpp"
#include "support/test_support.hpp"

namespace hall::test {
namespace {

class DbStatementCache : public testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    url_ = fresh_db_url(GetParam());
    db_ = db::Database::open(url_, 1);  // one session: every call meets the same cache
    db_->write([](soci::session& s) {
      s << "CREATE TABLE sc_t (id BIGINT PRIMARY KEY, k TEXT UNIQUE, v BIGINT)";
    });
  }
  void TearDown() override {
    db_.reset();
    if (url_.rfind("sqlite:", 0) == 0)
      for (const char* ext : {"", "-wal", "-shm"}) std::filesystem::remove(url_.substr(7) + ext);
  }
  std::size_t cached() { return db_->cached_statements(); }
  void insert(long long id, const std::string& k, std::optional<long long> v) {
    db_->write([&](soci::session& s) {
      db::Values b{id, k, v};
      db::execute_sql(s, "INSERT INTO sc_t (id, k, v) VALUES (:id, :k, :v)", b);
    });
  }
  std::optional<long long> v_of(long long id) {
    return db_->read([&](soci::session& s) {
      db::Values b{id};
      return db::query_i64(s, "SELECT v FROM sc_t WHERE id = :id", b);
    });
  }
  std::string url_;
  std::unique_ptr<db::Database> db_;
};
INSTANTIATE_TEST_SUITE_P(Backends, DbStatementCache, testing::ValuesIn(backends()), backend_name);

TEST_P(DbStatementCache, AReusedStatementSeesEachCallsValues) {
  insert(1, "a", 10);
  insert(2, "b", std::nullopt);  // the same SQL with a NULL: bound as an empty optional
  insert(3, "c", 30);
  EXPECT_EQ(v_of(1), 10);
  std::size_t after_first = cached();
  EXPECT_GE(after_first, 2u);  // the INSERT and the SELECT at least
  for (int round = 0; round < 20; ++round) {
    EXPECT_EQ(v_of(1), 10);
    EXPECT_EQ(v_of(2), std::nullopt);
    EXPECT_EQ(v_of(3), 30);
    EXPECT_EQ(v_of(4), std::nullopt);  // no row
  }
  EXPECT_EQ(cached(), after_first);  // reused, not prepared again
}

TEST_P(DbStatementCache, TheSameSqlInsideItsOwnRowCallbackGetsItsOwnStatement) {
  for (long long i = 1; i <= 4; ++i) insert(i, "k" + std::to_string(i), i * 10);
  const std::string sql = "SELECT id FROM sc_t WHERE id >= :from ORDER BY id";
  std::vector<std::pair<long long, long long>> pairs;
  db_->read([&](soci::session& s) {
    db::Values outer{1LL};
    db::query_rows(s, sql, outer, [&](const soci::row& r) {
      long long id = db::col_i64(r, 0);
      db::Values inner{id};
      db::query_rows(s, sql, inner,
                     [&](const soci::row& r2) { pairs.emplace_back(id, db::col_i64(r2, 0)); });
    });
  });
  // 1 sees 1..4, 2 sees 2..4, …: 4 + 3 + 2 + 1 pairs, and the outer walk was not disturbed.
  ASSERT_EQ(pairs.size(), 10u);
  EXPECT_EQ(pairs.front(), std::make_pair(1LL, 1LL));
  EXPECT_EQ(pairs.back(), std::make_pair(4LL, 4LL));
}

TEST_P(DbStatementCache, AStatementThatFailedIsPreparedAfreshAndWorks) {
  insert(1, "same", 1);
  EXPECT_THROW(insert(2, "same", 2), std::exception);  // UNIQUE (k): the write rolls back
  insert(3, "other", 3);                               // the same INSERT again, now valid
  EXPECT_EQ(v_of(2), std::nullopt);
  EXPECT_EQ(v_of(3), 3);
  EXPECT_EQ(db_->read([](soci::session& s) {
    db::Values none;
    return db::query_i64(s, "SELECT COUNT(*) FROM sc_t", none);
  }),
            2);
}

TEST_P(DbStatementCache, SqlBuiltAtRunTimeDoesNotGrowTheCacheForever) {
  db_->read([](soci::session& s) {
    for (int i = 0; i < 400; ++i) {
      db::Values b{static_cast<long long>(i)};
      EXPECT_EQ(db::query_i64(s, "SELECT " + std::to_string(i) + " + 0 * :x", b), i);
    }
  });
  EXPECT_LE(cached(), db::StatementCache::kMaxEntries);
  EXPECT_EQ(v_of(1), std::nullopt);  // and the cache still answers
}

}  // namespace
}  // namespace hall::test
