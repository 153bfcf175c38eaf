// The statutory public holidays (法定节假日) of a year, as the law fixes them,
// for a year whose State Council schedule (国务院办公厅关于部分节假日安排的通知)
// is not published yet. Such a calendar is provisional: it knows the days the
// law gives off, not the bridge days and adjusted working days (调休) the
// yearly notice adds, nor which working day replaces a holiday that falls on a
// weekend (补假: the law says "a working day", the notice says which).
//
// 《全国年节及纪念日放假办法》, article 2 (holidays for all citizens), by the
// version in force in the year:
//   from 2025 (国务院令第797号): 元旦 1 Jan; 春节 除夕 + 正月初一–初三 (4 days);
//     清明节 the day of the 清明 term; 劳动节 1–2 May; 端午节 五月初五;
//     中秋节 八月十五; 国庆节 1–3 Oct — 13 days;
//   2014–2024 (第644号): the same but 春节 初一–初三 and 劳动节 1 May only;
//   2008–2013 (第513号): 春节 除夕, 初一, 初二; 劳动节 1 May;
//   2000–2007 (第270号): 元旦; 春节 初一–初三; 劳动节 1–3 May; 国庆节 1–3 Oct.
// The lunar dates come from calendar/lunar.hpp (GB/T 33661-2017).
#pragma once

#include <vector>

#include "calendar/model.hpp"

namespace hall::calendar {

// The first and last year a provisional calendar is computed for; a date
// outside and without loaded data is refused (calendar_year_out_of_range).
inline constexpr int kProvisionalFirstYear = 2000;
inline constexpr int kProvisionalLastYear = 2100;

// The statutory days off of `year` (2000–2100), sorted by date, each
// is_off_day = true; a day that is two festivals at once (国庆节 and 中秋节)
// is listed once with both names ("国庆节、中秋节"). Memoised: computed once
// per process for all years, then a table lookup.
const std::vector<HolidayEntry>& statutory_holidays(int year);

}  // namespace hall::calendar
