// Small text helpers the calendar's parsers share (model.cpp, holiday_files.cpp).
#pragma once

#include <algorithm>
#include <charconv>
#include <string_view>

namespace hall::calendar::detail {

inline bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

inline int to_int(std::string_view s) {
  int v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

}  // namespace hall::calendar::detail
