// One data-access path for SQLite (embedded default) and PostgreSQL: a pool of
// SOCI sessions, and write()/read() that run a function inside one transaction.
// Every write in Hall goes through write(): an exception rolls everything back,
// so an error never leaves the database half-written (GUIDE conventions).
#pragma once

#include <soci/soci.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "db/optional.hpp"
#include "db/statement_cache.hpp"

namespace hall::db {

enum class Dialect { sqlite, postgresql };

struct PoolStats {
  std::size_t size = 0;
  std::size_t in_use = 0;
  std::uint64_t waits = 0;    // leases that had to wait for a free session
  std::uint64_t retries = 0;  // transactions retried after a busy/serialization error
};

class Database {
 public:
  // url: "sqlite:PATH" (PATH may be ":memory:" only for pool size 1) or "postgresql://…".
  // Throws std::runtime_error with a readable reason when the URL is bad or the
  // database cannot be reached.
  static std::unique_ptr<Database> open(const std::string& url, std::size_t pool_size = 8);
  ~Database();

  Dialect dialect() const { return dialect_; }
  bool is_sqlite() const { return dialect_ == Dialect::sqlite; }
  const std::string& url() const { return url_; }
  // For SQLite, the file path.
  const std::string& sqlite_path() const { return sqlite_path_; }

  // Runs fn(session) inside one write transaction (SQLite: BEGIN IMMEDIATE,
  // so writers queue on the lock instead of failing on upgrade). Commits when
  // fn returns; rolls back and rethrows when it throws. A transaction that hit
  // a transient conflict (SQLITE_BUSY, PostgreSQL serialization failure or
  // deadlock) is retried a few times before the error reaches the caller.
  template <typename F>
  auto write(F&& fn) -> decltype(fn(std::declval<soci::session&>()));

  // Runs fn(session) in a read-only snapshot.
  template <typename F>
  auto read(F&& fn) -> decltype(fn(std::declval<soci::session&>()));

  PoolStats stats() const;

  class Lease {
   public:
    Lease(Database& db, std::size_t index) : db_(&db), index_(index) {}
    Lease(Lease&& o) noexcept : db_(o.db_), index_(o.index_) { o.db_ = nullptr; }
    ~Lease() {
      if (db_) db_->give_back(index_);
    }
    soci::session& session() { return *db_->sessions_[index_]; }
    StatementCache* statements() { return db_->caches_[index_].get(); }

   private:
    Database* db_;
    std::size_t index_;
  };
  Lease lease();

 private:
  Database() = default;
  void give_back(std::size_t index);
  void begin(soci::session& s, bool write);
  void commit(soci::session& s);
  static bool is_transient(const std::exception& e);

  Dialect dialect_ = Dialect::sqlite;
  std::string url_;
  std::string sqlite_path_;
  std::vector<std::unique_ptr<soci::session>> sessions_;
  std::vector<std::unique_ptr<StatementCache>>
      caches_;  // one per session; destroyed before the sessions
  std::vector<std::size_t> free_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::atomic<std::uint64_t> waits_{0};
  std::atomic<std::uint64_t> retries_{0};
};

// True when the error is a violated UNIQUE constraint (both dialects), so a
// service can answer 409 instead of 500.
bool is_unique_violation(const std::exception& e);
bool is_foreign_key_violation(const std::exception& e);

// ---------------------------------------------------------------------------

template <typename F>
auto Database::write(F&& fn) -> decltype(fn(std::declval<soci::session&>())) {
  for (int attempt = 0;; ++attempt) {
    Lease l = lease();
    soci::session& s = l.session();
    CurrentSessionMark mark(&s, l.statements());
    try {
      begin(s, true);
      if constexpr (std::is_void_v<decltype(fn(s))>) {
        fn(s);
        commit(s);
        return;
      } else {
        auto result = fn(s);
        commit(s);
        return result;
      }
    } catch (const std::exception& e) {
      try {
        s.rollback();
      } catch (...) {
      }
      if (attempt < 5 && is_transient(e)) {
        retries_.fetch_add(1, std::memory_order_relaxed);
        continue;
      }
      throw;
    }
  }
}

template <typename F>
auto Database::read(F&& fn) -> decltype(fn(std::declval<soci::session&>())) {
  Lease l = lease();
  soci::session& s = l.session();
  CurrentSessionMark mark(&s, l.statements());
  begin(s, false);
  try {
    if constexpr (std::is_void_v<decltype(fn(s))>) {
      fn(s);
      commit(s);
      return;
    } else {
      auto result = fn(s);
      commit(s);
      return result;
    }
  } catch (...) {
    try {
      s.rollback();
    } catch (...) {
    }
    throw;
  }
}

}  // namespace hall::db
