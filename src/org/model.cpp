#include "org/model.hpp"

#include <fmt/format.h>

#include "auth/permissions.hpp"
#include "core/clock.hpp"
#include "org/errors.hpp"

namespace hall::org {

const RecordKind& halls_kind() {
  static const RecordKind k{"halls",
                            "hall",
                            "/api/v1/halls",
                            {"大厅", "hall"},
                            {{"code", 32, true, true, false},
                             {"name", 100, true, false, false},
                             {"name_en", 200, false, false, false},
                             {"address", 200, false, false, false},
                             {"phone", 32, false, false, true}}};
  return k;
}

// D3: resident units (入驻单位).
const RecordKind& units_kind() {
  static const RecordKind k{"units",
                            "unit",
                            "/api/v1/units",
                            {"入驻单位", "unit"},
                            {{"code", 32, true, true, false},
                             {"name", 100, true, true, false},
                             {"name_en", 200, false, false, false},
                             {"phone", 32, false, false, true},
                             {"location", 200, false, false, false}}};
  return k;
}

// C1, D7: secondary colleges (二级学院).
const RecordKind& colleges_kind() {
  static const RecordKind k{"colleges",
                            "college",
                            "/api/v1/colleges",
                            {"学院", "college"},
                            {{"code", 32, true, true, false},
                             {"name", 100, true, true, false},
                             {"name_en", 200, false, false, false}}};
  return k;
}

json::object to_json(const RecordKind& kind, const Record& r) {
  json::object o{{"id", r.id}};
  for (const auto& c : kind.columns) {
    auto it = r.values.find(c.name);
    o[c.name] = it == r.values.end() ? std::string() : it->second;
  }
  return o;
}

json::object to_json(const Window& w) {
  return json::object{{"id", w.id},
                      {"hall_id", w.hall_id},
                      {"number", w.number},
                      {"name", w.name},
                      {"name_en", w.name_en},
                      {"unit_id", w.unit_id ? json::value(*w.unit_id) : json::value(nullptr)},
                      {"unit_name", w.unit_name},
                      {"is_complaints", w.is_complaints},
                      {"active", w.active}};
}

json::object to_json(const Device& d) {
  return json::object{{"id", d.id},
                      {"hall_id", d.hall_id},
                      {"kind", d.kind},
                      {"name", d.name},
                      {"window_id", d.window_id ? json::value(*d.window_id) : json::value(nullptr)},
                      {"disabled", d.disabled},
                      {"created_at", iso8601_utc(d.created_at)},
                      {"last_seen_at", d.last_seen_at ? json::value(iso8601_utc(*d.last_seen_at)) : json::value(nullptr)}};
}

bool is_device_kind(std::string_view kind) { return auth::is_device_role(kind); }

bool is_valid_phone(std::string_view v) {
  if (v.empty()) return true;
  if (v.size() < 3 || v.size() > 32) return false;
  int digits = 0;
  for (std::size_t i = 0; i < v.size(); ++i) {
    char c = v[i];
    if (c >= '0' && c <= '9') ++digits;
    else if (c == '+' && i == 0) continue;
    else if (c == ' ' || c == '-' || c == '(' || c == ')') continue;
    else return false;
  }
  return digits >= 3;
}

void check_phone(std::string_view value, const std::string& field) {
  if (!is_valid_phone(value)) throw errors::invalid_phone.with(field, field);
}

bool is_valid_identifier(std::string_view v, std::size_t max_chars) {
  if (v.empty() || v.size() > max_chars) return false;
  for (char c : v) {
    bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '.' || c == '_' ||
              c == '-' || c == '@';
    if (!ok) return false;
  }
  return true;
}

void check_identifier(std::string_view value, const std::string& field, std::size_t max_chars) {
  if (!is_valid_identifier(value, max_chars))
    throw errors::invalid_identifier.with(field, field, max_chars);
}

std::string trim(std::string_view s) {
  auto is_space_at = [&](std::size_t i, bool front) -> std::size_t {
    // ASCII whitespace: 1 byte; U+3000 (E3 80 80): 3 bytes.
    if (front) {
      if (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n')) return 1;
      if (s.substr(i, 3) == "\xE3\x80\x80") return 3;
    } else {
      if (i > 0 && (s[i - 1] == ' ' || s[i - 1] == '\t' || s[i - 1] == '\r' || s[i - 1] == '\n')) return 1;
      if (i >= 3 && s.substr(i - 3, 3) == "\xE3\x80\x80") return 3;
    }
    return 0;
  };
  std::size_t b = 0, e = s.size();
  while (b < e)
    if (std::size_t n = is_space_at(b, true)) b += n;
    else break;
  while (e > b)
    if (std::size_t n = is_space_at(e, false)) e -= n;
    else break;
  return std::string(s.substr(b, e - b));
}

std::string unique_violation_field(const std::exception& e, const std::vector<std::string>& candidates) {
  std::string m = e.what();
  for (const auto& c : candidates) {
    if (m.find("." + c) != std::string::npos || m.find("_" + c + "_key") != std::string::npos ||
        m.find("(" + c + ")") != std::string::npos)
      return c;
  }
  return {};
}

json::object take_blanks(json::object obj, const std::set<std::string>& allowed, std::set<std::string>& blanks) {
  for (auto& [key, value] : obj) {
    std::string k(key);
    if (!allowed.count(k) || !value.is_string()) continue;
    if (trim(value.as_string()).empty()) {
      blanks.insert(k);
      value = nullptr;
    }
  }
  return obj;
}

}  // namespace hall::org
