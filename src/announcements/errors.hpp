// The announcements module's errors (issue #12 §5): code → HTTP status → zh-CN / English.
#pragma once

#include "core/error.hpp"

namespace hall::announcements::errors {

// clang-format off
// B6.4: drafts, scheduled and expired announcements are not public; they answer as if absent.
inline const ErrorSpec announcement_not_found{404, "announcement_not_found", {"找不到该公告", "No such announcement"}};
inline const ErrorSpec invalid_format{400, "invalid_format", {"format 应为 {}", "format must be {}"}};
inline const ErrorSpec unknown_hall{400, "unknown_hall", {"找不到该大厅", "No such hall"}};
inline const ErrorSpec publish_until_before_from{400, "publish_until_before_from", {"下线时间应晚于发布时间", "publish_until must be after publish_from"}};
// {0} the accepted values in Chinese, {1} in English.
inline const ErrorSpec invalid_status{400, "invalid_status", {"status 应为 {0}", "status must be {1}"}};
// clang-format on

}  // namespace hall::announcements::errors
