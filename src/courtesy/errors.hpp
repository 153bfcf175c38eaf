// The courtesy module's errors (issue #12 §5): code → HTTP status → zh-CN / English.
#pragma once

#include "core/error.hpp"

namespace hall::courtesy::errors {

// clang-format off
inline const ErrorSpec phrase_not_found{404, "phrase_not_found", {"找不到该用语", "No such phrase"}};
// {0} the character position, {1} the Chinese reason, {2} the English reason.
inline const ErrorSpec invalid_pattern{400, "invalid_pattern", {"表达式有误（第 {0} 个字符）：{1}", "Invalid pattern (at character {0}): {2}"}};
// B1: {0} the phrasing found, {1} the suggested wording.
inline const ErrorSpec discourteous_text{422, "discourteous_text", {"内容含有不文明用语“{0}”，请改用文明用语，例如：“{1}”", "The text contains a discourteous phrasing (“{0}”); please say instead: “{1}”"}};
inline const ErrorSpec duplicate_pattern{409, "duplicate_pattern", {"已有相同表达式的用语", "A phrase with this pattern already exists"}};
inline const ErrorSpec invalid_source{400, "invalid_source", {"source 应为 {0}", "source must be {1}"}};
// clang-format on

}  // namespace hall::courtesy::errors
