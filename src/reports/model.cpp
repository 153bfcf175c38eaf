#include "reports/errors.hpp"
#include "reports/model.hpp"

#include <fmt/format.h>

#include <cmath>

#include "core/error.hpp"

namespace hall::reports {

namespace {
// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
long long days_from_civil(long long y, unsigned m, unsigned d) {
  y -= m <= 2;
  const long long era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<long long>(doe) - 719468;
}
}  // namespace

Month Month::parse(const std::string& text, const std::string& field) {
  auto bad = [&] {
    return errors::invalid_month(field);
  };
  if (text.size() != 7 || text[4] != '-') throw bad();
  for (int i : {0, 1, 2, 3, 5, 6})
    if (text[i] < '0' || text[i] > '9') throw bad();
  Month m{std::stoi(text.substr(0, 4)), std::stoi(text.substr(5, 2))};
  if (m.year < 2000 || m.year > 2999 || m.month < 1 || m.month > 12) throw bad();
  return m;
}

Month Month::of(Millis at, int off) {
  long long local_days = static_cast<long long>(std::floor((static_cast<double>(at) + off * 60000.0) / 86400000.0));
  // civil_from_days
  long long z = local_days + 719468;
  const long long era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  long long y = static_cast<long long>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return Month{static_cast<int>(y + (m <= 2)), static_cast<int>(m)};
}

std::string Month::to_string() const { return fmt::format("{:04}-{:02}", year, month); }
Month Month::next() const { return month == 12 ? Month{year + 1, 1} : Month{year, month + 1}; }
Month Month::prev() const { return month == 1 ? Month{year - 1, 12} : Month{year, month - 1}; }
int Month::days() const {
  return static_cast<int>(days_from_civil(next().year, static_cast<unsigned>(next().month), 1) -
                          days_from_civil(year, static_cast<unsigned>(month), 1));
}
Millis Month::start(int off) const {
  return (days_from_civil(year, static_cast<unsigned>(month), 1) * 86400LL - off * 60LL) * 1000LL;
}

std::optional<double> rate(long long part, long long whole) {
  if (whole <= 0) return std::nullopt;
  return std::round(10000.0 * static_cast<double>(part) / static_cast<double>(whole)) / 10000.0;
}

}  // namespace hall::reports
