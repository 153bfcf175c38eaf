// The errors of the working-day calendar (issue #12 §5: listed once, thrown as errors::name()).
// A {} filled from a Text takes its zh part in Chinese and its en part in English
// (ErrorSpec::with).
#pragma once

#include "core/error.hpp"

namespace hall::calendar::errors {

// clang-format off
// Dates: {} the text given, then why (date_format or date_years below).
inline const ErrorSpec invalid_date{400, "invalid_date", {"日期无效：“{}”，{}", "Invalid date \"{}\": {}"}};
inline const ErrorSpec missing_parameter{400, "missing_parameter", {"缺少参数 {}", "Missing parameter {}"}};
inline const ErrorSpec invalid_year{400, "invalid_year", {"年份应在 2000–2100 之间", "The year must be in 2000–2100"}};
inline const ErrorSpec invalid_range{400, "invalid_range", {"结束日期 to 早于开始日期 from", "to is before from"}};
inline const ErrorSpec range_too_long{400, "range_too_long", {"一次最多查询 {} 天", "At most {} days can be listed at once"}};
// Data files: {} is what is wrong with the file.
inline const ErrorSpec invalid_holiday_file{400, "invalid_holiday_file", {"节假日数据文件无效：{}", "Invalid holiday file: {}"}};
inline const ErrorSpec invalid_ics{400, "invalid_ics", {"日历文件无效：{}", "Invalid iCalendar file: {}"}};
inline const ErrorSpec ics_has_problems{400, "ics_has_problems", {"日历文件有问题，未导入：{}", "The calendar file has problems; nothing was imported: {}"}};
// Opening hours: {} is what is wrong.
inline const ErrorSpec invalid_hours{400, "invalid_hours", {"营业时间无效：{}", "Invalid opening hours: {}"}};
inline const ErrorSpec hours_empty{400, "hours_empty", {"{} 没有任何开放时段；整段时间不开放请用闭馆日（寒暑假）登记", "{} has no opening period; record a closure for a period without opening"}};
inline const ErrorSpec seasons_overlap{400, "seasons_overlap", {"{} 与 seasons[{}] 的日期重叠（{:02d}-{:02d}）", "{} overlaps seasons[{}] (on {:02d}-{:02d})"}};
// B6.3 time limits count working days within the years the calendar covers.
inline const ErrorSpec calendar_year_out_of_range{422, "calendar_year_out_of_range", {"工作日历只覆盖 2000–2100 年及已导入节假日安排的年份，{} 年不在其中", "The working-day calendar covers 2000–2100 and the years with imported schedules; {} is outside it"}};
inline const ErrorSpec invalid_working_days{400, "invalid_working_days", {"工作日数应在 0 到 3650 之间", "The number of working days must be 0 to 3650"}};
inline const ErrorSpec invalid_working_seconds{400, "invalid_working_seconds", {"工作时长不能为负数", "The working time must not be negative"}};
// Holidays (调休: an adjusted working day is a weekend day that works).
inline const ErrorSpec adjusted_workday_not_weekend{400, "adjusted_workday_not_weekend", {"{} 是工作日（周一至周五），不能设为调休补班日；补班日只能是周六或周日", "{} is a weekday; only a Saturday or Sunday can be an adjusted working day"}};
inline const ErrorSpec holiday_exists{409, "holiday_exists", {"{} 已有节假日记录，请直接修改", "{} is already listed; edit it"}};
inline const ErrorSpec holiday_not_found{404, "holiday_not_found", {"该日期没有节假日记录", "No holiday entry on that date"}};
inline const ErrorSpec year_has_no_holidays{400, "year_has_no_holidays", {"{} 年还没有任何放假日，请先录入或导入该年的节假日安排", "Year {} lists no day off yet; enter or import its schedule first"}};
// Closures (寒暑假 and other closed periods).
inline const ErrorSpec invalid_closure{400, "invalid_closure", {"闭馆“{}”的结束日期早于开始日期", "Closure \"{}\" ends before it starts"}};
inline const ErrorSpec invalid_kind{400, "invalid_kind", {"kind 应为 {}", "kind must be {}"}};
inline const ErrorSpec closure_ends_before_start{400, "closure_ends_before_start", {"结束日期早于开始日期", "The last day is before the first day"}};
inline const ErrorSpec closure_too_long{400, "closure_too_long", {"一次闭馆最长一年", "A closure lasts at most one year"}};
inline const ErrorSpec closure_overlaps{400, "closure_overlaps", {"与已有闭馆“{}”（{}至{}）重叠", "Overlaps the closure \"{}\" ({} to {})"}};
inline const ErrorSpec closure_not_found{404, "closure_not_found", {"找不到该闭馆安排", "No such closure"}};
// clang-format on

// The reasons of invalid_date.
inline const Text date_format{"应为 YYYY-MM-DD 格式的真实日期",
                              "expected a real date as YYYY-MM-DD"};
inline const Text date_years{"年份应在 2000–2100 之间", "the year must be in 2000–2100"};

}  // namespace hall::calendar::errors
