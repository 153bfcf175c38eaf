// Reading JSON request bodies strictly: every field is checked for presence,
// type and size, unknown fields are refused, and the offending field is named
// in the error so the UI can point at it.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace hall {

namespace json = boost::json;

bool is_valid_utf8(std::string_view bytes);

// Parses a request body: invalid UTF-8 → 400 invalid_utf8; syntax error or
// truncation → 400 malformed_json; nesting deeper than 32 → 400 malformed_json.
json::value parse_json_body(std::string_view body);

class JsonFields {
 public:
  // The body must be a JSON object (400 invalid_body otherwise).
  // Holds the body itself, so `JsonFields f(req.json_body());` is safe.
  explicit JsonFields(json::value body);

  bool has(std::string_view key) const;
  std::string required_string(std::string_view key, std::size_t max_chars = 200);
  std::optional<std::string> optional_string(std::string_view key, std::size_t max_chars = 200);
  std::int64_t required_int(std::string_view key, std::int64_t min = INT64_MIN,
                            std::int64_t max = INT64_MAX);
  std::optional<std::int64_t> optional_int(std::string_view key, std::int64_t min = INT64_MIN,
                                           std::int64_t max = INT64_MAX);
  bool required_bool(std::string_view key);
  std::optional<bool> optional_bool(std::string_view key);
  // Nested objects and arrays: the caller validates their content.
  const json::object* optional_object(std::string_view key);
  const json::object& required_object(std::string_view key);
  const json::array* optional_array(std::string_view key);
  const json::array& required_array(std::string_view key);
  // Call after reading every accepted field: any other key → 400 unknown_field.
  void finish() const;

  // Prefix used when naming fields of nested objects ("student.student_no").
  JsonFields nested(const json::object& obj, std::string_view prefix) const;

 private:
  JsonFields(const json::object& obj, std::string prefix);
  const json::value* find(std::string_view key);
  std::string name(std::string_view key) const;
  [[noreturn]] void wrong_type(std::string_view key, const char* zh, const char* en) const;

  std::shared_ptr<json::value> owned_;
  const json::object* obj_;
  std::string prefix_;
  std::set<std::string, std::less<>> seen_;
};

// Text rules shared by every field that people type: no control characters
// other than newline/tab, at most max_chars Unicode characters.
void check_text(std::string_view value, std::string_view field, std::size_t max_chars,
                bool allow_empty = false);
std::size_t utf8_length(std::string_view s);

std::string to_string(const json::value& v);

}  // namespace hall
