// The reports module's errors (issue #12 §5): code → HTTP status → zh-CN / English.
#pragma once

#include "core/error.hpp"

namespace hall::reports::errors {

// clang-format off
inline const ErrorSpec invalid_month{400, "invalid_month", {"月份格式应为 YYYY-MM，例如 2026-10", "month must be YYYY-MM, e.g. 2026-10"}};
inline const ErrorSpec missing_parameter{400, "missing_parameter", {"缺少参数 {}", "Missing parameter {}"}};
inline const ErrorSpec hall_not_found{404, "hall_not_found", {"找不到该大厅", "No such hall"}};
// B6.4: a month's figures are published once it has closed.
inline const ErrorSpec month_not_closed{422, "month_not_closed", {"该月尚未结束，统计数据在月末之后公布", "This month has not ended yet; its figures are published after it closes"}};
inline const ErrorSpec month_not_available{404, "month_not_available", {"该月没有可公布的统计数据", "There are no figures for this month"}};
// clang-format on

}  // namespace hall::reports::errors
