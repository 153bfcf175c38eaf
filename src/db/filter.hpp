// The WHERE clause of a list screen's search: optional conditions, each with
// its values bound in placeholder order (never spliced into the SQL), the
// COUNT(*) of all matches and the LIMIT/OFFSET of one page. Used by the audit
// log, the courtesy check's blocked attempts and the issued documents.
#pragma once

#include <soci/soci.h>

#include <string>
#include <utility>

#include "db/statement.hpp"

namespace hall::db {

class Filter {
 public:
  // Appends " AND (clause)" when `on`; the clause's placeholders take `values` in order.
  Filter& add(bool on, const std::string& clause, Values values = {}) {
    if (!on) return *this;
    sql_ += " AND (" + clause + ")";
    for (auto& v : values) values_.push_back(std::move(v));
    return *this;
  }

  const std::string& where() const { return sql_; }

  // Binds the values to a statement that has its own into()s; the filter must
  // outlive the statement's execution and not change after this call.
  void bind(soci::statement& st) {
    for (auto& v : values_) std::visit([&](auto& x) { st.exchange(soci::use(x)); }, v);
  }

  // SELECT COUNT(*) <from_and_joins> WHERE …
  long long count(soci::session& s, const std::string& from_and_joins) {
    return query_i64(s, "SELECT COUNT(*) " + from_and_joins + sql_, values_).value_or(0);
  }

  // Rows of `select_from` (a SELECT … FROM … with joins) matching, in `order_by`, one page.
  void page(soci::session& s, const std::string& select_from, const std::string& order_by, int page,
            int page_size, const std::function<void(const soci::row&)>& on_row) {
    query_rows(s, select_from + sql_ + " ORDER BY " + order_by + limit_offset(page, page_size),
               values_, on_row);
  }

  // " LIMIT n OFFSET m" for 1-based page numbers (both are validated integers, not user text).
  static std::string limit_offset(int page, int page_size) {
    return " LIMIT " + std::to_string(page_size) + " OFFSET " +
           std::to_string(static_cast<long long>(page - 1) * page_size);
  }

 private:
  std::string sql_ = " WHERE 1=1";
  Values values_;
};

}  // namespace hall::db
