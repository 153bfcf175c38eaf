// Running a statement with a list of bound values, for stores that build
// their WHERE clauses at run time. Binds is a container of std::variant
// values that soci::use accepts (long long, std::string, std::optional<…>);
// values are always bound, never spliced into the SQL.
//
// Statements are prepared once per pooled session and reused (see
// statement_cache.hpp); outside a Database lease they are prepared each time.
#pragma once

#include <soci/soci.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <typeinfo>
#include <variant>
#include <vector>

#include "db/optional.hpp"
#include "db/row.hpp"
#include "db/statement_cache.hpp"

namespace hall::db {

// A bound value of any column type Hall uses (NULL as an empty optional).
using Value =
    std::variant<long long, std::string, std::optional<long long>, std::optional<std::string>>;
using Values = std::vector<Value>;

namespace detail {

template <typename Binds>
struct CachedStatement final : CachedStatementBase {
  CachedStatement(soci::session& s, bool sqlite, const Binds& b)
      : binds(b), st(s), sqlite_(sqlite) {}
  void finish() override {
    if (sqlite_) reset_sqlite_statement(st);
  }
  Binds binds;  // the storage the statement is bound to: same size and alternatives for every use
  soci::row row;
  soci::statement st;  // declared last: destroyed before what it is bound to

 private:
  bool sqlite_;
};

// The cache key: the SQL, the kind of use, and the alternative of every bound
// value (a NULL bound as std::optional and a number are different bindings).
template <typename Binds>
std::string cache_key(char kind, const std::string& sql, const Binds& binds) {
  std::string key;
  key.reserve(sql.size() + binds.size() + 24);
  key += kind;
  for (const auto& b : binds) key += static_cast<char>('a' + b.index());
  key += '|';
  key += typeid(Binds).name();
  key += '|';
  key += sql;
  return key;
}

// Runs use(entry) on the cached statement for sql (preparing it on first use)
// or, when no cache is available or the statement is already in use further up
// the stack, on a freshly prepared one.
template <typename Binds, typename Use>
auto with_statement(soci::session& s, char kind, const std::string& sql, Binds& binds, Use&& use) {
  StatementCache* cache = statement_cache_for(s);
  auto prepare = [&](CachedStatement<Binds>& e) {
    e.st.alloc();
    e.st.prepare(sql);
    if (kind == 'q') e.st.exchange(soci::into(e.row));
    for (auto& b : e.binds) std::visit([&](auto& v) { e.st.exchange(soci::use(v)); }, b);
    e.st.define_and_bind();
  };
  if (!cache) {
    CachedStatement<Binds> once(s, false, binds);
    prepare(once);
    return use(once);
  }
  std::string key = cache_key(kind, sql, binds);
  auto* entry = static_cast<CachedStatement<Binds>*>(cache->find(key));
  if (entry && entry->busy) {
    CachedStatement<Binds> once(s, false, binds);
    prepare(once);
    return use(once);
  }
  if (!entry) {
    auto fresh = std::make_unique<CachedStatement<Binds>>(s, cache->sqlite(), binds);
    prepare(*fresh);
    entry = static_cast<CachedStatement<Binds>*>(cache->insert(key, std::move(fresh)));
  } else {
    for (std::size_t i = 0; i < binds.size(); ++i)
      entry->binds[i] = binds[i];  // same alternative: same storage
  }
  entry->busy = true;
  try {
    auto result = use(*entry);
    entry->finish();
    entry->busy = false;
    return result;
  } catch (...) {
    // A statement that failed is not trusted again: prepare it afresh next time.
    entry->finish();
    entry->busy = false;
    cache->erase(key);
    throw;
  }
}

}  // namespace detail

template <typename Binds>
void query_rows(soci::session& s, const std::string& sql, Binds& binds,
                const std::function<void(const soci::row&)>& on_row) {
  detail::with_statement(s, 'q', sql, binds, [&](auto& e) {
    if (e.st.execute(true)) {
      do {
        on_row(e.row);
      } while (e.st.fetch());
    }
    return 0;
  });
}

// Returns the number of rows affected.
template <typename Binds>
long long execute_sql(soci::session& s, const std::string& sql, Binds& binds) {
  return detail::with_statement(s, 'x', sql, binds, [&](auto& e) {
    e.st.execute(true);
    return static_cast<long long>(e.st.get_affected_rows());
  });
}

// The first column of the first row as an integer (COUNT(*), RETURNING id, a
// looked-up id); nullopt when there is no row or the value is NULL.
template <typename Binds>
std::optional<long long> query_i64(soci::session& s, const std::string& sql, Binds& binds) {
  std::optional<long long> out;
  bool first = true;
  query_rows(s, sql, binds, [&](const soci::row& r) {
    if (first) out = col_opt_i64(r, 0);
    first = false;
  });
  return out;
}

}  // namespace hall::db
