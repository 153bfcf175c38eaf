// Prepared statements kept per pooled session, for the statements a hot path
// runs thousands of times a second (take a number, call next, the ticket's
// JSON). SOCI prepares a statement anew for every `s << …` and every
// soci::statement: on SQLite that is the SQL parser and code generator each
// time (a third of the take-a-number CPU in the queue benchmark), on
// PostgreSQL a PREPARE and a DEALLOCATE round trip.
//
// A cached statement is bound once to storage it owns (its copy of the bind
// values and its soci::row); each use assigns the new values into that storage
// and executes again. The cache of a session is reachable only while the
// session is leased by the current thread (Database::Lease marks it), so a
// statement is never shared between threads and needs no lock.
#pragma once

#include <soci/soci.h>

#include <cstddef>
#include <memory>
#include <string>
#include <unordered_map>

namespace hall::db {

struct CachedStatementBase {
  virtual ~CachedStatementBase() = default;
  // Ends the statement's current use: on SQLite resets it, so that a statement
  // that stopped before its last row does not keep the connection's read
  // snapshot (and a WAL checkpoint) waiting.
  virtual void finish() = 0;
  bool busy = false;  // in use (a nested use of the same SQL takes an uncached statement)
};

class StatementCache {
 public:
  explicit StatementCache(bool sqlite) : sqlite_(sqlite) {}
  bool sqlite() const { return sqlite_; }

  // The entry for key, or nullptr; insert() adds one, evicting idle entries
  // when the cache is full (SQL built at run time must not grow it forever).
  CachedStatementBase* find(const std::string& key);
  CachedStatementBase* insert(const std::string& key, std::unique_ptr<CachedStatementBase> entry);
  void erase(const std::string& key);
  std::size_t size() const { return entries_.size(); }

  static constexpr std::size_t kMaxEntries = 256;

 private:
  bool sqlite_;
  std::unordered_map<std::string, std::unique_ptr<CachedStatementBase>> entries_;
};

// The cache of s when s is leased by this thread; nullptr otherwise (the
// caller then prepares an ordinary statement).
StatementCache* statement_cache_for(const soci::session& s);

// Marks (session, cache) as leased by this thread for its lifetime; nests.
class CurrentSessionMark {
 public:
  CurrentSessionMark(const soci::session* s, StatementCache* c);
  ~CurrentSessionMark();
  CurrentSessionMark(const CurrentSessionMark&) = delete;
  CurrentSessionMark& operator=(const CurrentSessionMark&) = delete;

 private:
  const soci::session* prev_session_;
  StatementCache* prev_cache_;
};

// Resets a statement of a SQLite session (must not be called for other backends).
void reset_sqlite_statement(soci::statement& st);

}  // namespace hall::db
