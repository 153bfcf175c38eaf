// Running a statement with a list of bound values, for stores that build
// their WHERE clauses at run time. Binds is a container of std::variant
// values that soci::use accepts (long long, std::string, std::optional<…>);
// values are always bound, never spliced into the SQL.
#pragma once

#include <soci/soci.h>

#include <functional>
#include <string>
#include <variant>

#include "db/optional.hpp"

namespace hall::db {

template <typename Binds>
void query_rows(soci::session& s, const std::string& sql, Binds& binds,
                const std::function<void(const soci::row&)>& on_row) {
  soci::row r;
  soci::statement st(s);
  st.alloc();
  st.prepare(sql);
  st.exchange(soci::into(r));
  for (auto& b : binds) std::visit([&](auto& v) { st.exchange(soci::use(v)); }, b);
  st.define_and_bind();
  if (st.execute(true)) {
    do {
      on_row(r);
    } while (st.fetch());
  }
}

// Returns the number of rows affected.
template <typename Binds>
long long execute_sql(soci::session& s, const std::string& sql, Binds& binds) {
  soci::statement st(s);
  st.alloc();
  st.prepare(sql);
  for (auto& b : binds) std::visit([&](auto& v) { st.exchange(soci::use(v)); }, b);
  st.define_and_bind();
  st.execute(true);
  return st.get_affected_rows();
}

}  // namespace hall::db
