#include "core/json.hpp"

#include <fmt/format.h>

#include "core/error.hpp"

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
    if ((c & 0xE0) == 0xC0) n = 1, cp = c & 0x1F;
    else if ((c & 0xF0) == 0xE0) n = 2, cp = c & 0x0F;
    else if ((c & 0xF8) == 0xF0) n = 3, cp = c & 0x07;
    else return false;
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
    throw bad_request("invalid_utf8", {"请求内容不是有效的 UTF-8 编码", "The request body is not valid UTF-8"});
  json::parse_options opt;
  opt.max_depth = 32;
  boost::system::error_code ec;
  json::value v = json::parse(body, ec, {}, opt);
  if (ec)
    throw bad_request("malformed_json",
                      {"请求内容不是有效的 JSON：" + ec.message(), "Malformed JSON: " + ec.message()});
  return v;
}

JsonFields::JsonFields(json::value body)
    : owned_(std::make_shared<json::value>(std::move(body))), obj_(owned_->if_object()) {
  if (!obj_)
    throw bad_request("invalid_body", {"请求内容应为 JSON 对象", "The request body must be a JSON object"});
}
JsonFields::JsonFields(const json::object& obj, std::string prefix) : obj_(&obj), prefix_(std::move(prefix)) {}

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
  throw bad_request("wrong_type",
                    {fmt::format("字段 {} 应为{}", name(key), zh), fmt::format("Field {} must be {}", name(key), en)},
                    name(key));
}

static ApiError missing(const std::string& field) {
  return bad_request("missing_field", {fmt::format("缺少必填字段 {}", field), fmt::format("Missing required field {}", field)},
                     field);
}

void check_text(std::string_view value, std::string_view field, std::size_t max_chars, bool allow_empty) {
  std::string f(field);
  if (!allow_empty && value.find_first_not_of(" \t\r\n") == std::string_view::npos)
    throw bad_request("empty_field", {fmt::format("字段 {} 不能为空", f), fmt::format("Field {} must not be empty", f)}, f);
  if (!is_valid_utf8(value))
    throw bad_request("invalid_utf8", {fmt::format("字段 {} 不是有效的 UTF-8 文本", f), fmt::format("Field {} is not valid UTF-8", f)}, f);
  for (unsigned char c : value)
    if ((c < 0x20 && c != '\n' && c != '\t' && c != '\r') || c == 0x7F)
      throw bad_request("invalid_characters",
                        {fmt::format("字段 {} 含有不允许的控制字符", f), fmt::format("Field {} contains control characters", f)}, f);
  if (utf8_length(value) > max_chars)
    throw bad_request("too_long",
                      {fmt::format("字段 {} 最多 {} 个字符", f, max_chars), fmt::format("Field {} is longer than {} characters", f, max_chars)},
                      f);
}

std::string JsonFields::required_string(std::string_view key, std::size_t max_chars) {
  auto v = optional_string(key, max_chars);
  if (!v) throw missing(name(key));
  return *v;
}

std::optional<std::string> JsonFields::optional_string(std::string_view key, std::size_t max_chars) {
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

std::optional<std::int64_t> JsonFields::optional_int(std::string_view key, std::int64_t min, std::int64_t max) {
  const json::value* v = find(key);
  if (!v) return std::nullopt;
  std::int64_t n;
  if (v->is_int64()) n = v->as_int64();
  else if (v->is_uint64() && v->as_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) n = static_cast<std::int64_t>(v->as_uint64());
  else wrong_type(key, "整数", "an integer");
  if (n < min || n > max)
    throw bad_request("out_of_range",
                      {fmt::format("字段 {} 应在 {} 到 {} 之间", name(key), min, max),
                       fmt::format("Field {} must be between {} and {}", name(key), min, max)},
                      name(key));
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
    if (!seen_.count(kv.key()))
      throw bad_request("unknown_field",
                        {fmt::format("不认识的字段 {}", name(kv.key())), fmt::format("Unknown field {}", name(kv.key()))},
                        name(kv.key()));
  }
}

std::string to_string(const json::value& v) { return json::serialize(v); }

}  // namespace hall
