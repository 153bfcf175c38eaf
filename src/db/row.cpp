#include "db/row.hpp"

#include <stdexcept>

namespace hall::db {

long long col_i64(const soci::row& r, std::size_t i) {
  if (r.get_indicator(i) == soci::i_null) return 0;
  switch (r.get_properties(i).get_data_type()) {
    case soci::dt_integer: return r.get<int>(i);
    case soci::dt_long_long: return r.get<long long>(i);
    case soci::dt_unsigned_long_long: return static_cast<long long>(r.get<unsigned long long>(i));
    case soci::dt_double: return static_cast<long long>(r.get<double>(i));
    case soci::dt_string: return std::stoll(r.get<std::string>(i));
    default: throw std::runtime_error("column " + std::to_string(i) + " is not a number");
  }
}

std::optional<long long> col_opt_i64(const soci::row& r, std::size_t i) {
  if (r.get_indicator(i) == soci::i_null) return std::nullopt;
  return col_i64(r, i);
}

std::string col_str(const soci::row& r, std::size_t i) {
  if (r.get_indicator(i) == soci::i_null) return {};
  if (r.get_properties(i).get_data_type() == soci::dt_string) return r.get<std::string>(i);
  return std::to_string(col_i64(r, i));
}

std::optional<std::string> col_opt_str(const soci::row& r, std::size_t i) {
  if (r.get_indicator(i) == soci::i_null) return std::nullopt;
  return col_str(r, i);
}

}  // namespace hall::db
