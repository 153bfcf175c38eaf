#include "calendar/statutory.hpp"

#include <array>
#include <map>

#include "calendar/lunar.hpp"

namespace hall::calendar {

namespace {

std::vector<HolidayEntry> compute(int year) {
  std::map<Date, std::string> days;
  auto add = [&](Date d, const std::string& name) {
    auto [it, inserted] = days.emplace(d, name);
    if (!inserted && it->second != name) it->second += "、" + name;
  };
  auto ymd = [&](int m, int d) { return Date::from_ymd(year, m, d); };
  const lunar::Festivals f = lunar::festivals(year);

  add(ymd(1, 1), "元旦");
  // 春节
  if (year >= 2025) {
    for (int i = -1; i <= 2; ++i) add(f.spring.add_days(i), "春节");  // 除夕, 初一–初三
  } else if (year >= 2014 || year < 2008) {
    for (int i = 0; i <= 2; ++i) add(f.spring.add_days(i), "春节");  // 初一–初三
  } else {
    for (int i = -1; i <= 1; ++i) add(f.spring.add_days(i), "春节");  // 除夕, 初一, 初二
  }
  if (year >= 2008) add(f.qingming, "清明节");
  // 劳动节
  int labour_days = year >= 2025 ? 2 : (year >= 2008 ? 1 : 3);
  for (int i = 1; i <= labour_days; ++i) add(ymd(5, i), "劳动节");
  if (year >= 2008) add(f.dragon_boat, "端午节");
  for (int i = 1; i <= 3; ++i) add(ymd(10, i), "国庆节");
  if (year >= 2008) add(f.mid_autumn, "中秋节");

  std::vector<HolidayEntry> out;
  for (auto& [d, name] : days) out.push_back({d, std::move(name), true});
  return out;
}

}  // namespace

const std::vector<HolidayEntry>& statutory_holidays(int year) {
  static const auto table = [] {
    std::array<std::vector<HolidayEntry>, kProvisionalLastYear - kProvisionalFirstYear + 1> t;
    for (int y = kProvisionalFirstYear; y <= kProvisionalLastYear; ++y)
      t[y - kProvisionalFirstYear] = compute(y);
    return t;
  }();
  static const std::vector<HolidayEntry> none;
  if (year < kProvisionalFirstYear || year > kProvisionalLastYear) return none;
  return table[year - kProvisionalFirstYear];
}

}  // namespace hall::calendar
