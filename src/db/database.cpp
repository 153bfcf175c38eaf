#include "db/database.hpp"

#include "db/statement.hpp"

#include <fmt/format.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <chrono>
#include <filesystem>
#include <stdexcept>

namespace hall::db {

namespace {
// SQLite keeps memory statistics behind one process-wide mutex taken on every
// allocation; nothing in Hall reads them, and with many handler threads that
// mutex was the most contended lock in the queue benchmark. Must run before
// SQLite initializes (the first connection); later calls are refused harmlessly.
void configure_sqlite_once() {
  static const bool done = [] {
    sqlite_api::sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    return true;
  }();
  (void)done;
}
}  // namespace

std::unique_ptr<Database> Database::open(const std::string& url, std::size_t pool_size) {
  std::unique_ptr<Database> db(new Database());
  db->url_ = url;
  if (pool_size == 0) pool_size = 1;
  std::string connect;
  const soci::backend_factory* backend = nullptr;
  if (url.rfind("sqlite:", 0) == 0) {
    db->dialect_ = Dialect::sqlite;
    configure_sqlite_once();
    db->sqlite_path_ = url.substr(7);
    if (db->sqlite_path_.empty())
      throw std::runtime_error("sqlite: URL needs a file path, e.g. sqlite:var/hall.db");
    if (db->sqlite_path_ == ":memory:")
      pool_size = 1;
    else {
      auto parent = std::filesystem::path(db->sqlite_path_).parent_path();
      if (!parent.empty()) std::filesystem::create_directories(parent);
    }
    if (db->sqlite_path_.find_first_of(" \"'") != std::string::npos)
      throw std::runtime_error("the SQLite path must not contain spaces or quotes");
    connect = "db=" + db->sqlite_path_ + " timeout=30";
    backend = soci::factory_sqlite3();
  } else if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
    db->dialect_ = Dialect::postgresql;
    connect = url;
    // SOCI 4.0 mangles a URL without a query string ("database 'postgres='
    // does not exist"); with one, it hands the URL to libpq unchanged.
    if (connect.find('?') == std::string::npos) connect += "?application_name=hall";
    backend = soci::factory_postgresql();
  } else {
    throw std::runtime_error("unknown database URL '" + url +
                             "': use sqlite:PATH or postgresql://user@host:port/dbname");
  }
  for (std::size_t i = 0; i < pool_size; ++i) {
    auto s = std::make_unique<soci::session>();
    try {
      s->open(*backend, connect);
    } catch (const std::exception& e) {
      throw std::runtime_error(fmt::format("cannot open database {}: {}", url, e.what()));
    }
    if (db->dialect_ == Dialect::sqlite) {
      // WAL lets readers run beside the one writer; synchronous=FULL makes
      // every commit durable before we answer; foreign keys are off by default in SQLite.
      *s << "PRAGMA journal_mode=WAL";
      *s << "PRAGMA synchronous=FULL";
      *s << "PRAGMA foreign_keys=ON";
      *s << "PRAGMA busy_timeout=30000";
    } else {
      *s << "SET TIME ZONE 'UTC'";
    }
    db->sessions_.push_back(std::move(s));
    db->caches_.push_back(std::make_unique<StatementCache>(db->dialect_ == Dialect::sqlite));
    db->free_.push_back(i);
  }
  return db;
}

Database::~Database() = default;

Database::Lease Database::lease() {
  std::unique_lock lock(mu_);
  if (free_.empty()) {
    waits_.fetch_add(1, std::memory_order_relaxed);
    if (!cv_.wait_for(lock, std::chrono::seconds(30), [&] { return !free_.empty(); }))
      throw std::runtime_error("database pool exhausted (all sessions busy for 30 s)");
  }
  std::size_t i = free_.back();
  free_.pop_back();
  return Lease(*this, i);
}

void Database::give_back(std::size_t index) {
  {
    std::lock_guard lock(mu_);
    free_.push_back(index);
  }
  cv_.notify_one();
}

PoolStats Database::stats() const {
  std::lock_guard lock(mu_);
  return PoolStats{sessions_.size(), sessions_.size() - free_.size(), waits_.load(),
                   retries_.load()};
}

// BEGIN and COMMIT are statements like any other on SQLite, run thousands of times a
// second: they go through the statement cache. PostgreSQL keeps SOCI's own path
// (transaction control is not prepared there).
void Database::begin(soci::session& s, bool write) {
  if (dialect_ == Dialect::sqlite) {
    Values none;
    execute_sql(s, write ? "BEGIN IMMEDIATE" : "BEGIN", none);
  } else {
    s << (write ? "BEGIN" : "BEGIN READ ONLY");
  }
}

void Database::commit(soci::session& s) {
  if (dialect_ == Dialect::sqlite) {
    Values none;
    execute_sql(s, "COMMIT", none);
  } else {
    s.commit();
  }
}

bool Database::is_transient(const std::exception& e) {
  std::string m = e.what();
  return m.find("database is locked") != std::string::npos ||
         m.find("SQLITE_BUSY") != std::string::npos ||
         m.find("could not serialize") != std::string::npos ||
         m.find("deadlock detected") != std::string::npos;
}

bool is_unique_violation(const std::exception& e) {
  std::string m = e.what();
  return m.find("UNIQUE constraint failed") != std::string::npos ||
         m.find("duplicate key value violates unique constraint") != std::string::npos;
}

bool is_foreign_key_violation(const std::exception& e) {
  std::string m = e.what();
  return m.find("FOREIGN KEY constraint failed") != std::string::npos ||
         m.find("violates foreign key constraint") != std::string::npos;
}

}  // namespace hall::db
