#include "db/database.hpp"

#include <fmt/format.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <stdexcept>

#include "core/errors.hpp"
#include "db/statement.hpp"

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

ApiError server_busy() {
  return errors::server_busy();
}

// --- WriterQueue -------------------------------------------------------------

bool WriterQueue::acquire(std::chrono::milliseconds max_wait) {
  std::unique_lock lock(mu_);
  if (!held_ && waiters_.empty()) {
    held_ = true;
    held_since_ = std::chrono::steady_clock::now();
    return true;
  }
  const std::uint64_t me = next_++;
  waiters_.push_back(me);
  const auto deadline = std::chrono::steady_clock::now() + max_wait;
  auto my_turn = [&] { return !held_ && waiters_.front() == me; };
  if (!cv_.wait_until(lock, deadline, my_turn)) {
    waiters_.erase(std::find(waiters_.begin(), waiters_.end(), me));
    cv_.notify_all();  // the next in line may be free to go now
    return false;
  }
  waiters_.pop_front();
  held_ = true;
  held_since_ = std::chrono::steady_clock::now();
  return true;
}

void WriterQueue::release() {
  {
    std::lock_guard lock(mu_);
    held_ = false;
  }
  cv_.notify_all();
}

std::size_t WriterQueue::waiting() const {
  std::lock_guard lock(mu_);
  return waiters_.size();
}

std::int64_t WriterQueue::held_ms() const {
  std::lock_guard lock(mu_);
  if (!held_) return 0;
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                               held_since_)
      .count();
}

// The writer queue of a SQLite file, shared by every Database of this process on it.
std::shared_ptr<WriterQueue> writer_queue_for(const std::string& path) {
  static std::mutex mu;
  static std::map<std::string, std::weak_ptr<WriterQueue>> queues;
  std::error_code ec;
  auto canonical = std::filesystem::weakly_canonical(path, ec);
  const std::string key = ec ? path : canonical.string();
  std::lock_guard lock(mu);
  if (auto q = queues[key].lock()) return q;
  auto q = std::make_shared<WriterQueue>();
  queues[key] = q;
  return q;
}

// --- Database ----------------------------------------------------------------

Database::Frame*& Database::current_frame() {
  thread_local Frame* frame = nullptr;
  return frame;
}

Database::Frame* Database::frame_of_this_thread() const {
  for (Frame* f = current_frame(); f; f = f->outer)
    if (f->db == this) return f;
  return nullptr;
}

bool Database::in_transaction() const { return frame_of_this_thread() != nullptr; }

void Database::write_inside_read() {
  throw std::logic_error(
      "db.write() called inside db.read() on the same thread: open the write first and read inside "
      "it");
}

void Database::savepoint(soci::session& s, const char* verb) {
  Values none;
  execute_sql(s, verb, none);
}

void Database::take_writer_turn(WriterTurn& turn) {
  if (!writers_) return;  // PostgreSQL: row locks, many writers at once
  if (writers_->waiting() > 0 || writers_->held_ms() > 0)
    writer_waits_.fetch_add(1, std::memory_order_relaxed);
  if (!writers_->acquire(limits_.writer_wait)) {
    writer_timeouts_.fetch_add(1, std::memory_order_relaxed);
    throw server_busy();
  }
  turn.q = writers_.get();
}

std::optional<int> Database::probe(std::chrono::milliseconds max_wait,
                                   std::chrono::milliseconds stuck_after) {
  if (writers_ && writers_->held_ms() > stuck_after.count()) return std::nullopt;
  std::size_t index = 0;
  {
    std::unique_lock lock(mu_);
    if (!cv_.wait_for(lock, max_wait, [&] { return !free_.empty(); })) return std::nullopt;
    index = free_.back();
    free_.pop_back();
  }
  Lease l(*this, index);
  try {
    int version = 0;
    soci::indicator ind = soci::i_ok;
    l.session() << "SELECT MAX(version) FROM schema_migrations", soci::into(version, ind);
    return ind == soci::i_null ? 0 : version;
  } catch (const std::exception& e) {
    spdlog::warn("database health check failed: {}", e.what());
    return std::nullopt;
  }
}

std::unique_ptr<Database> Database::open(const std::string& url, std::size_t pool_size,
                                         Limits limits) {
  std::unique_ptr<Database> db(new Database());
  db->url_ = url;
  db->limits_ = limits;
  if (pool_size == 0) pool_size = 1;
  std::string connect;
  const soci::backend_factory* backend = nullptr;
  if (url.rfind("sqlite:", 0) == 0) {
    db->dialect_ = Backend::sqlite;
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
    db->writers_ = writer_queue_for(db->sqlite_path_);
    backend = soci::factory_sqlite3();
  } else if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
    db->dialect_ = Backend::postgresql;
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
    if (db->dialect_ == Backend::sqlite) {
      // WAL lets readers run beside the one writer; synchronous=FULL makes
      // every commit durable before we answer; foreign keys are off by default in SQLite.
      *s << "PRAGMA journal_mode=WAL";
      *s << "PRAGMA synchronous=FULL";
      *s << "PRAGMA foreign_keys=ON";
      // Only another process (a backup, a CLI command) can hold the lock now:
      // this process's writers take turns in WriterQueue.
      *s << ("PRAGMA busy_timeout=" + std::to_string(db->limits_.busy_timeout.count()));
    } else {
      *s << "SET TIME ZONE 'UTC'";
      // A statement waiting on another transaction's row lock gives up after
      // this long (answered 503 server_busy) instead of holding a handler thread.
      *s << ("SET lock_timeout = " + std::to_string(db->limits_.busy_timeout.count()));
    }
    db->sessions_.push_back(std::move(s));
    db->caches_.push_back(std::make_unique<StatementCache>(db->dialect_ == Backend::sqlite));
    db->free_.push_back(i);
  }
  return db;
}

Database::~Database() = default;

Database::Lease Database::lease() {
  if (frame_of_this_thread()) {
    static const bool abort_on_nested = [] {
      const char* v = std::getenv("HALL_ABORT_ON_NESTED_LEASE");
      return v && std::string(v) == "1";
    }();
    spdlog::critical("nested database lease: this thread already holds a session of {}", url_);
    if (abort_on_nested) std::abort();
    throw std::logic_error("nested database lease");
  }
  std::unique_lock lock(mu_);
  if (free_.empty()) {
    waits_.fetch_add(1, std::memory_order_relaxed);
    if (!cv_.wait_for(lock, limits_.lease_wait, [&] { return !free_.empty(); })) {
      timeouts_.fetch_add(1, std::memory_order_relaxed);
      throw server_busy();
    }
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
  PoolStats p;
  p.size = sessions_.size();
  p.in_use = sessions_.size() - free_.size();
  p.waits = waits_.load();
  p.timeouts = timeouts_.load();
  p.retries = retries_.load();
  if (writers_) {
    p.writers_waiting = writers_->waiting();
    p.writer_held_ms = writers_->held_ms();
  }
  p.writer_waits = writer_waits_.load();
  p.writer_timeouts = writer_timeouts_.load();
  return p;
}

// BEGIN and COMMIT are statements like any other on SQLite, run thousands of times a
// second: they go through the statement cache. PostgreSQL keeps SOCI's own path
// (transaction control is not prepared there).
void Database::begin(soci::session& s, bool write) {
  if (dialect_ == Backend::sqlite) {
    Values none;
    execute_sql(s, write ? "BEGIN IMMEDIATE" : "BEGIN", none);
  } else {
    s << (write ? "BEGIN" : "BEGIN READ ONLY");
  }
}

void Database::commit(soci::session& s) {
  if (dialect_ == Backend::sqlite) {
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

bool Database::is_lock_timeout(const std::exception& e) {
  std::string m = e.what();
  return m.find("lock timeout") != std::string::npos ||      // PostgreSQL lock_timeout
         m.find("database is locked") != std::string::npos;  // SQLite, after the retries
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
