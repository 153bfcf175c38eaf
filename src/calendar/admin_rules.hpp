// Rules the calendar's administration use cases share (service.cpp, holidays.cpp, closures.cpp).
#pragma once

#include <cstdint>
#include <set>
#include <string>

#include "auth/caller.hpp"
#include "calendar/model.hpp"
#include "calendar/service.hpp"

namespace hall::calendar::detail {

inline constexpr int kMinYear = 2000, kMaxYear = 2100;

// A date administrators may write: strict YYYY-MM-DD within 2000–2100.
Date admin_date(const std::string& text, const std::string& field);
void check_year(std::int64_t year, const std::string& field);
// Adjusted working days (调休补班) are weekend days that work.
void check_adjusted_on_weekend(const HolidayRecord& h, const std::string& field);
std::string year_list(const std::set<int>& years);
void require_write(const auth::Caller& c);

}  // namespace hall::calendar::detail
