// Reading soci::row columns whatever type each backend reports for them
// (SQLite and PostgreSQL disagree on integer widths and COUNT(*) types).
#pragma once

#include <soci/soci.h>

#include <optional>
#include <string>

namespace hall::db {

long long col_i64(const soci::row& r, std::size_t i);  // NULL → 0
std::optional<long long> col_opt_i64(const soci::row& r, std::size_t i);
std::string col_str(const soci::row& r, std::size_t i);  // NULL → ""; numbers as text
std::optional<std::string> col_opt_str(const soci::row& r, std::size_t i);

}  // namespace hall::db
