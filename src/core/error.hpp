// Errors that reach a user. Every layer throws ApiError with a machine code,
// the HTTP status it maps to, the field concerned (if any) and the message in
// both languages the hall speaks; the HTTP layer picks the language from the
// request's Accept-Language (zh-CN default) and renders
// {"error":{"code":…,"message":…,"field":…}}.
//
// Errors come from catalogues (issue #12): each module lists its errors once in
// src/<module>/errors.hpp as ErrorSpec entries (code → status → zh-CN / English
// message), the platform's shared ones (malformed JSON, missing field, …) in
// core/errors.hpp, and code throws `errors::ticket_not_found()` or
// `errors::too_long.with(field, max)`. tests/modules/errors_test.cpp fails when
// one code is given two statuses or two texts, or an error is built inline.
#pragma once

#include <fmt/format.h>

#include <stdexcept>
#include <string>
#include <utility>

namespace hall {

// A text the hall shows to people, in Chinese (the default) and English.
struct Text {
  std::string zh;
  std::string en;
  const std::string& in(bool english) const { return english && !en.empty() ? en : zh; }
};

class ApiError : public std::runtime_error {
 public:
  ApiError(int status, std::string code, Text message, std::string field = {})
      : std::runtime_error(code + ": " + message.en),
        status_(status),
        code_(std::move(code)),
        message_(std::move(message)),
        field_(std::move(field)) {}

  int status() const { return status_; }
  const std::string& code() const { return code_; }
  const Text& message() const { return message_; }
  const std::string& field() const { return field_; }

 private:
  int status_;
  std::string code_;
  Text message_;
  std::string field_;
};

// One entry of an error catalogue. The message may hold fmt placeholders ({}),
// filled from the arguments of with(); the field names the input concerned.
struct ErrorSpec {
  int status;
  const char* code;
  Text message;

  ApiError operator()(std::string field = {}) const {
    return ApiError(status, code, message, std::move(field));
  }
  // Arguments of type Text are taken in the message's language ({"字段 name", "Field name"}).
  template <class... Args>
  ApiError with(std::string field, const Args&... args) const {
    return ApiError(status, code,
                    Text{fmt::format(fmt::runtime(message.zh), in_language(args, false)...),
                         fmt::format(fmt::runtime(message.en), in_language(args, true)...)},
                    std::move(field));
  }

 private:
  template <class T>
  static const T& in_language(const T& value, bool) {
    return value;
  }
  static const std::string& in_language(const Text& text, bool english) {
    return english ? text.en : text.zh;
  }
};

// Shorthands for the common cases, so call sites read as the rule they enforce.
inline ApiError bad_request(std::string code, Text message, std::string field = {}) {
  return ApiError(400, std::move(code), std::move(message), std::move(field));
}
inline ApiError not_found(std::string code, Text message) {
  return ApiError(404, std::move(code), std::move(message));
}
inline ApiError conflict(std::string code, Text message, std::string field = {}) {
  return ApiError(409, std::move(code), std::move(message), std::move(field));
}
inline ApiError forbidden(Text message = {"您没有执行此操作的权限",
                                          "You are not allowed to do this"}) {
  return ApiError(403, "forbidden", std::move(message));
}
inline ApiError unprocessable(std::string code, Text message, std::string field = {}) {
  return ApiError(422, std::move(code), std::move(message), std::move(field));
}

}  // namespace hall
