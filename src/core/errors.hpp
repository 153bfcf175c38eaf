// The platform's error catalogue: what any request can run into before a
// module's own rules (malformed JSON, a missing or mistyped field, a missing
// record, signing in, permissions, size limits, a busy server). Modules list
// their own in src/<module>/errors.hpp (core/error.hpp explains the shape).
#pragma once

#include "core/error.hpp"

namespace hall::errors {

// clang-format off
// The request body.
inline const ErrorSpec invalid_utf8{400, "invalid_utf8", {"{}不是有效的 UTF-8 文本", "{} is not valid UTF-8"}};
inline const ErrorSpec malformed_json{400, "malformed_json", {"请求内容不是有效的 JSON：{}", "Malformed JSON: {}"}};
inline const ErrorSpec invalid_body{400, "invalid_body", {"请求内容应为 JSON 对象", "The request body must be a JSON object"}};
inline const ErrorSpec unsupported_media_type{415, "unsupported_media_type", {"请求内容类型应为 application/json", "The request body must be sent as application/json"}};
inline const ErrorSpec payload_too_large{413, "payload_too_large", {"请求内容过大（上限 {} 字节）", "The request body is too large (limit {} bytes)"}};
// Fields and parameters: the first argument names them ({"字段 name", "Field name"} or {"参数 name", "Parameter name"}).
inline const ErrorSpec wrong_type{400, "wrong_type", {"{} 应为{}", "{} must be {}"}};
inline const ErrorSpec missing_field{400, "missing_field", {"缺少必填字段 {}", "Missing required field {}"}};
inline const ErrorSpec empty_field{400, "empty_field", {"字段 {} 不能为空", "Field {} must not be empty"}};
inline const ErrorSpec invalid_characters{400, "invalid_characters", {"字段 {} 含有不允许的控制字符", "Field {} contains control characters"}};
inline const ErrorSpec too_long{400, "too_long", {"字段 {} 最多 {} 个字符", "Field {} is longer than {} characters"}};
inline const ErrorSpec out_of_range{400, "out_of_range", {"{} 应在 {} 到 {} 之间", "{} must be between {} and {}"}};
inline const ErrorSpec unknown_field{400, "unknown_field", {"不认识的字段 {}", "Unknown field {}"}};
inline const ErrorSpec invalid_time{400, "invalid_time", {"时间格式无效，应为 ISO 8601（如 2026-03-01T08:00:00+08:00）", "Invalid time; expected ISO 8601 such as 2026-03-01T08:00:00+08:00"}};
// What the address names does not exist: the argument says what ({"记录", "record"}).
inline const ErrorSpec not_found{404, "not_found", {"找不到该{}", "No such {}"}};
inline const ErrorSpec method_not_allowed{405, "method_not_allowed", {"该地址不支持此请求方法", "This method is not allowed here"}};
// Who is asking.
inline const ErrorSpec unauthenticated{401, "unauthenticated", {"请先登录", "Please sign in first"}};
inline const ErrorSpec session_expired{401, "session_expired", {"登录已过期，请重新登录", "Your session has expired; please sign in again"}};
inline const ErrorSpec csrf_failed{403, "csrf_failed", {"请求缺少有效的 CSRF 令牌，请刷新页面后重试", "Missing or invalid CSRF token; reload the page and try again"}};
inline const ErrorSpec forbidden{403, "forbidden", {"您没有执行此操作的权限", "You are not allowed to do this"}};
// The server.
inline const ErrorSpec server_busy{503, "server_busy", {"服务器正忙，请稍后重试", "The server is busy; please try again in a moment"}};
inline const ErrorSpec internal_error{500, "internal_error", {"服务器内部错误，请稍后再试", "Internal server error; please try again later"}};
inline const ErrorSpec web_ui_not_built{503, "web_ui_not_built", {"网页界面尚未构建（运行 scripts/run 会自动构建）", "The web UI has not been built (scripts/run builds it)"}};
inline const ErrorSpec headers_too_large{431, "headers_too_large", {"请求头过大", "Request headers are too large"}};
inline const ErrorSpec bad_http_request{400, "bad_request", {"无法解析的 HTTP 请求", "Malformed HTTP request"}};
// clang-format on

}  // namespace hall::errors
