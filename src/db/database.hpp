// One data-access path for SQLite (embedded default) and PostgreSQL: a pool of
// SOCI sessions, and write()/read() that run a function inside one transaction.
// Every write in Hall goes through write(): an exception rolls everything back,
// so an error never leaves the database half-written (GUIDE conventions).
//
// One thread, one session (the reliability issue): write()/read() called while
// the thread already runs a transaction of this Database JOIN it instead of
// leasing a second pooled session. A nested write runs inside a SAVEPOINT (it
// rolls back alone when it throws), a nested read sees the caller's uncommitted
// writes. Before this, a service inside a write that asked the calendar (a
// read) leased a second session while holding SQLite's write lock: seventeen
// simultaneous intakes wedged the whole pool. A write inside a read is a
// programming error and fails loudly (std::logic_error).
//
// SQLite allows one writer at a time. Writers of this process wait their turn in
// a fair queue (WriterQueue) WITHOUT holding a pooled session, then lease one;
// they no longer spin in SQLite's busy handler holding sessions others need.
// Every wait is bounded (Limits): a request that cannot get its turn or a
// session in time fails with ApiError 503 `server_busy` (Retry-After), so no
// handler thread is held for minutes and the server recovers by itself.
#pragma once

#include <soci/soci.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "db/dialect.hpp"
#include "core/error.hpp"
#include "db/optional.hpp"
#include "db/statement_cache.hpp"

namespace hall::db {

enum class Backend { sqlite, postgresql };

struct PoolStats {
  std::size_t size = 0;
  std::size_t in_use = 0;
  std::uint64_t waits = 0;     // leases that had to wait for a free session
  std::uint64_t timeouts = 0;  // leases refused after waiting lease_wait (503 server_busy)
  std::uint64_t retries = 0;   // transactions retried after a busy/serialization error
  std::size_t writers_waiting = 0;      // SQLite: writers queued for their turn now
  std::uint64_t writer_waits = 0;       // writers that had to queue
  std::uint64_t writer_timeouts = 0;    // writers refused after waiting writer_wait
  std::int64_t writer_held_ms = 0;      // how long the current writer has held its turn (0: none)
};

// How long a request may wait for the database before it is told 503 server_busy.
struct Limits {
  std::chrono::milliseconds lease_wait{3000};   // for a free pooled session
  std::chrono::milliseconds writer_wait{5000};  // SQLite: for the writer's turn
  std::chrono::milliseconds busy_timeout{5000}; // SQLite: for another process's lock
};

// The answer to a request that could not get the database in time.
ApiError server_busy();

// The one-writer-at-a-time queue for SQLite: first come, first served; a waiter
// that gives up (timeout) leaves the queue without disturbing the others.
class WriterQueue {
 public:
  bool acquire(std::chrono::milliseconds max_wait);  // false after max_wait
  void release();
  std::size_t waiting() const;
  std::int64_t held_ms() const;  // how long the current holder has held it; 0 when free

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::uint64_t> waiters_;
  std::uint64_t next_ = 0;
  bool held_ = false;
  std::chrono::steady_clock::time_point held_since_{};
};

class Database {
 public:
  // url: "sqlite:PATH" (PATH may be ":memory:" only for pool size 1) or "postgresql://…".
  // Throws std::runtime_error with a readable reason when the URL is bad or the
  // database cannot be reached.
  static std::unique_ptr<Database> open(const std::string& url, std::size_t pool_size = 8,
                                        Limits limits = {});
  ~Database();

  // The SQL differences (db/dialect.hpp).
  db::Dialect dialect() const { return db::Dialect(dialect_ == Backend::postgresql); }
  bool is_sqlite() const { return dialect_ == Backend::sqlite; }
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

  // True when this thread runs a transaction of this database now (a nested
  // write()/read() would join it).
  bool in_transaction() const;

  // Statements cached by a free session (the only one of a pool of one), for the statement cache's tests.
  std::size_t cached_statements() { return lease().statements()->size(); }

  // For /healthz?deep=1: the schema version (read without a transaction and
  // without writing) when a session can be had within max_wait and no writer
  // has held its turn for longer than stuck_after; nullopt otherwise.
  std::optional<int> probe(std::chrono::milliseconds max_wait, std::chrono::milliseconds stuck_after);

 private:
  // The transaction this thread runs on this database (a stack across databases).
  struct Frame {
    const Database* db;
    soci::session* session;
    bool write;
    Frame* outer;
  };
  static Frame*& current_frame();
  Frame* frame_of_this_thread() const;
  struct FramePush {
    Frame& f;
    explicit FramePush(Frame& frame) : f(frame) { current_frame() = &f; }
    ~FramePush() { current_frame() = f.outer; }
  };
  struct WriterTurn {
    WriterQueue* q = nullptr;
    ~WriterTurn() {
      if (q) q->release();
    }
  };
  void take_writer_turn(WriterTurn& turn);
  void savepoint(soci::session& s, const char* verb);
  [[noreturn]] static void write_inside_read();

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
  // Bounded by limits_.lease_wait (then 503 server_busy). Never called while
  // the thread holds a lease of this database: that is the nested lease that
  // wedged the pool; it aborts when HALL_ABORT_ON_NESTED_LEASE=1 (tests) and
  // throws std::logic_error otherwise.
  Lease lease();

  Database() = default;
  void give_back(std::size_t index);
  void begin(soci::session& s, bool write);
  void commit(soci::session& s);
  static bool is_transient(const std::exception& e);
  static bool is_lock_timeout(const std::exception& e);

  Backend dialect_ = Backend::sqlite;
  std::string url_;
  std::string sqlite_path_;
  std::vector<std::unique_ptr<soci::session>> sessions_;
  std::vector<std::unique_ptr<StatementCache>>
      caches_;  // one per session; destroyed before the sessions
  std::vector<std::size_t> free_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::atomic<std::uint64_t> waits_{0};
  std::atomic<std::uint64_t> timeouts_{0};
  std::atomic<std::uint64_t> retries_{0};
  std::atomic<std::uint64_t> writer_waits_{0};
  std::atomic<std::uint64_t> writer_timeouts_{0};
  Limits limits_;
  // SQLite only: one queue per database file in this process, shared by every
  // Database opened on it (two Apps on one file in a test, a CLI command).
  std::shared_ptr<WriterQueue> writers_;
};

// True when the error is a violated UNIQUE constraint (both dialects), so a
// service can answer 409 instead of 500.
bool is_unique_violation(const std::exception& e);
bool is_foreign_key_violation(const std::exception& e);

// ---------------------------------------------------------------------------

template <typename F>
auto Database::write(F&& fn) -> decltype(fn(std::declval<soci::session&>())) {
  if (Frame* outer = frame_of_this_thread()) {
    // Join the caller's transaction: its session, inside a savepoint.
    if (!outer->write) write_inside_read();
    soci::session& s = *outer->session;
    savepoint(s, "SAVEPOINT hall_nested");
    try {
      if constexpr (std::is_void_v<decltype(fn(s))>) {
        fn(s);
        savepoint(s, "RELEASE SAVEPOINT hall_nested");
        return;
      } else {
        auto result = fn(s);
        savepoint(s, "RELEASE SAVEPOINT hall_nested");
        return result;
      }
    } catch (...) {
      try {
        savepoint(s, "ROLLBACK TO SAVEPOINT hall_nested");
        savepoint(s, "RELEASE SAVEPOINT hall_nested");
      } catch (...) {
      }
      throw;
    }
  }
  WriterTurn turn;
  take_writer_turn(turn);  // SQLite: queue for the one writer's turn, holding no session
  for (int attempt = 0;; ++attempt) {
    Lease l = lease();
    soci::session& s = l.session();
    CurrentSessionMark mark(&s, l.statements());
    Frame frame{this, &s, true, current_frame()};
    FramePush push(frame);
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
      if (is_lock_timeout(e)) throw server_busy();
      throw;
    }
  }
}

template <typename F>
auto Database::read(F&& fn) -> decltype(fn(std::declval<soci::session&>())) {
  if (Frame* outer = frame_of_this_thread()) return fn(*outer->session);  // join the caller's transaction
  Lease l = lease();
  soci::session& s = l.session();
  CurrentSessionMark mark(&s, l.statements());
  Frame frame{this, &s, false, current_frame()};
  FramePush push(frame);
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
