#include "db/statement_cache.hpp"

#include <soci/sqlite3/soci-sqlite3.h>

namespace hall::db {

namespace {
thread_local const soci::session* t_session = nullptr;
thread_local StatementCache* t_cache = nullptr;
}  // namespace

CachedStatementBase* StatementCache::find(const std::string& key) {
  auto it = entries_.find(key);
  return it == entries_.end() ? nullptr : it->second.get();
}

CachedStatementBase* StatementCache::insert(const std::string& key,
                                            std::unique_ptr<CachedStatementBase> entry) {
  if (entries_.size() >= kMaxEntries) {
    for (auto it = entries_.begin(); it != entries_.end();) {
      if (it->second->busy)
        ++it;
      else
        it = entries_.erase(it);
    }
  }
  auto* raw = entry.get();
  entries_[key] = std::move(entry);
  return raw;
}

void StatementCache::erase(const std::string& key) {
  auto it = entries_.find(key);
  if (it != entries_.end() && !it->second->busy) entries_.erase(it);
}

StatementCache* statement_cache_for(const soci::session& s) {
  return t_session == &s ? t_cache : nullptr;
}

CurrentSessionMark::CurrentSessionMark(const soci::session* s, StatementCache* c)
    : prev_session_(t_session), prev_cache_(t_cache) {
  t_session = s;
  t_cache = c;
}

CurrentSessionMark::~CurrentSessionMark() {
  t_session = prev_session_;
  t_cache = prev_cache_;
}

void reset_sqlite_statement(soci::statement& st) {
  // Only called for statements of SQLite sessions (the cache knows its dialect);
  // libsoci exports no type information for a dynamic_cast.
  auto* be = static_cast<soci::sqlite3_statement_backend*>(st.get_backend());
  if (be && be->stmt_) sqlite_api::sqlite3_reset(be->stmt_);
}

}  // namespace hall::db
