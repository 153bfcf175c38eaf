#include "core/json.hpp"

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/errors.hpp"

namespace hall {

bool is_valid_utf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  while (p < end) {
    unsigned char c = *p;
    if (c < 0x80) {
      ++p;
      continue;
    }
    int n;
    std::uint32_t cp;
    if ((c & 0xE0) == 0xC0)
      n = 1, cp = c & 0x1F;
    else if ((c & 0xF0) == 0xE0)
      n = 2, cp = c & 0x0F;
    else if ((c & 0xF8) == 0xF0)
      n = 3, cp = c & 0x07;
    else
      return false;
    if (end - p <= n) return false;
    for (int i = 1; i <= n; ++i) {
      if ((p[i] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (p[i] & 0x3F);
    }
    // Overlong forms, surrogates and values beyond U+10FFFF are not UTF-8.
    if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
        cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    p += n + 1;
  }
  return true;
}

std::size_t utf8_length(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

json::value parse_json_body(std::string_view body) {
  if (!is_valid_utf8(body))
    throw errors::invalid_utf8.with("", Text{"请求内容", "The request body"});
  json::parse_options opt;
  opt.max_depth = 32;
  boost::system::error_code ec;
  json::value v = json::parse(body, ec, {}, opt);
  if (ec) throw errors::malformed_json.with("", ec.message());
  return v;
}

JsonFields::JsonFields(json::value body)
    : owned_(std::make_shared<json::value>(std::move(body))), obj_(owned_->if_object()) {
  if (!obj_) throw errors::invalid_body();
}
JsonFields::JsonFields(const json::object& obj, std::string prefix)
    : obj_(&obj), prefix_(std::move(prefix)) {}

JsonFields JsonFields::nested(const json::object& obj, std::string_view prefix) const {
  return JsonFields(obj, name(prefix) + ".");
}

std::string JsonFields::name(std::string_view key) const { return prefix_ + std::string(key); }

bool JsonFields::has(std::string_view key) const {
  auto it = obj_->find(key);
  return it != obj_->end() && !it->value().is_null();
}

const json::value* JsonFields::find(std::string_view key) {
  seen_.emplace(key);
  auto it = obj_->find(key);
  if (it == obj_->end() || it->value().is_null()) return nullptr;
  return &it->value();
}

void JsonFields::wrong_type(std::string_view key, const char* zh, const char* en) const {
  throw errors::wrong_type.with(name(key), Text{"字段 " + name(key), "Field " + name(key)},
                                Text{zh, en});
}

static ApiError missing(const std::string& field) {
  return errors::missing_field.with(field, field);
}

void check_text(std::string_view value, std::string_view field, std::size_t max_chars,
                bool allow_empty) {
  std::string f(field);
  if (!allow_empty && value.find_first_not_of(" \t\r\n") == std::string_view::npos)
    throw errors::empty_field.with(f, f);
  if (!is_valid_utf8(value))
    throw errors::invalid_utf8.with(f, Text{"字段 " + f + " ", "Field " + f});
  for (unsigned char c : value)
    if ((c < 0x20 && c != '\n' && c != '\t' && c != '\r') || c == 0x7F)
      throw errors::invalid_characters.with(f, f);
  if (utf8_length(value) > max_chars) throw errors::too_long.with(f, f, max_chars);
}

std::string JsonFields::required_string(std::string_view key, std::size_t max_chars) {
  auto v = optional_string(key, max_chars);
  if (!v) throw missing(name(key));
  return *v;
}

std::optional<std::string> JsonFields::optional_string(std::string_view key,
                                                       std::size_t max_chars) {
  const json::value* v = find(key);
  if (!v) return std::nullopt;
  if (!v->is_string()) wrong_type(key, "字符串", "a string");
  std::string s(v->as_string());
  check_text(s, name(key), max_chars);
  return s;
}

std::int64_t JsonFields::required_int(std::string_view key, std::int64_t min, std::int64_t max) {
  auto v = optional_int(key, min, max);
  if (!v) throw missing(name(key));
  return *v;
}

std::optional<std::int64_t> JsonFields::optional_int(std::string_view key, std::int64_t min,
                                                     std::int64_t max) {
  const json::value* v = find(key);
  if (!v) return std::nullopt;
  std::int64_t n;
  if (v->is_int64())
    n = v->as_int64();
  else if (v->is_uint64() && v->as_uint64() <= static_cast<std::uint64_t>(INT64_MAX))
    n = static_cast<std::int64_t>(v->as_uint64());
  else
    wrong_type(key, "整数", "an integer");
  if (n < min || n > max)
    throw errors::out_of_range.with(name(key), Text{"字段 " + name(key), "Field " + name(key)}, min,
                                    max);
  return n;
}

bool JsonFields::required_bool(std::string_view key) {
  auto v = optional_bool(key);
  if (!v) throw missing(name(key));
  return *v;
}

std::optional<bool> JsonFields::optional_bool(std::string_view key) {
  const json::value* v = find(key);
  if (!v) return std::nullopt;
  if (!v->is_bool()) wrong_type(key, "布尔值", "a boolean");
  return v->as_bool();
}

const json::object* JsonFields::optional_object(std::string_view key) {
  const json::value* v = find(key);
  if (!v) return nullptr;
  if (!v->is_object()) wrong_type(key, "对象", "an object");
  return &v->as_object();
}

const json::object& JsonFields::required_object(std::string_view key) {
  const json::object* o = optional_object(key);
  if (!o) throw missing(name(key));
  return *o;
}

const json::array* JsonFields::optional_array(std::string_view key) {
  const json::value* v = find(key);
  if (!v) return nullptr;
  if (!v->is_array()) wrong_type(key, "数组", "an array");
  return &v->as_array();
}

const json::array& JsonFields::required_array(std::string_view key) {
  const json::array* a = optional_array(key);
  if (!a) throw missing(name(key));
  return *a;
}

void JsonFields::finish() const {
  for (const auto& kv : *obj_) {
    if (!seen_.count(kv.key())) throw errors::unknown_field.with(name(kv.key()), name(kv.key()));
  }
}

std::string to_string(const json::value& v) { return json::serialize(v); }

}  // namespace hall
