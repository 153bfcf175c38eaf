// The organisation of the hall: halls, resident units (入驻单位, D3), secondary
// colleges (二级学院, C1/D7), service windows (C2: window 10 takes complaints)
// and the hall's devices (kiosks, boards, rating pads, check-in terminals).
// Pure types and rules; storage in store.cpp, use cases in service.cpp.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/json.hpp"

namespace hall::org {

// ---------------------------------------------------------------------------
// Halls, units and colleges are plain "code + texts" records: one table-driven
// description each, so the three share one store, one service and one set of routes.

struct ColumnRule {
  std::string name;
  std::size_t max_chars = 100;
  bool required = false;  // on create; never blank when given
  bool unique = false;    // 409 <name>_taken
  bool phone = false;     // check_phone
};

struct RecordKind {
  std::string table;        // "halls" (a constant, never user data)
  std::string target_type;  // audit target type: "hall"
  std::string path;         // "/api/v1/halls"
  Text label;               // for messages: {"大厅","hall"}
  std::vector<ColumnRule> columns;  // every editable column; the first is the code
};

const RecordKind& halls_kind();
const RecordKind& units_kind();
const RecordKind& colleges_kind();

// A record of one of those kinds: id + column values.
struct Record {
  std::int64_t id = 0;
  std::map<std::string, std::string> values;
};
json::object to_json(const RecordKind& kind, const Record& r);

// ---------------------------------------------------------------------------

struct Window {
  std::int64_t id = 0;
  std::int64_t hall_id = 0;
  int number = 0;
  std::string name, name_en;
  std::optional<std::int64_t> unit_id;
  std::string unit_name;  // read only
  bool is_complaints = false;
  bool active = true;
};
json::object to_json(const Window& w);

inline constexpr int kMaxWindowNumber = 999;

struct Device {
  std::int64_t id = 0;
  std::int64_t hall_id = 0;
  std::string kind, name;
  std::optional<std::int64_t> window_id;
  bool disabled = false;
  std::int64_t created_at = 0;
  std::optional<std::int64_t> last_seen_at;
};
json::object to_json(const Device& d);

// kiosk, board, rating_pad, checkin (the device roles of auth/permissions.cpp).
bool is_device_kind(std::string_view kind);

// ---------------------------------------------------------------------------
// Input rules shared with src/people.

// A telephone number as people write it: digits with optional "+", spaces,
// "-" and parentheses, 3 to 32 characters, at least 3 digits ("0731-22180001",
// "+86 139 0000 0000"). Empty is allowed (no phone). Throws 400 invalid_phone.
void check_phone(std::string_view value, const std::string& field);
bool is_valid_phone(std::string_view value);

// An identifier people type (学号, 工号, login, campus card): 1..max ASCII
// letters, digits and "._-@". Throws 400 invalid_identifier.
void check_identifier(std::string_view value, const std::string& field, std::size_t max_chars);
bool is_valid_identifier(std::string_view value, std::size_t max_chars);

// Trims ASCII whitespace and U+3000 at both ends.
std::string trim(std::string_view s);

// The field a UNIQUE violation is about, guessed from the database's message
// ("UNIQUE constraint failed: units.name" / "… constraint \"units_name_key\""),
// among the candidates; empty when none matches.
std::string unique_violation_field(const std::exception& e, const std::vector<std::string>& candidates);

// JSON bodies from the UI carry every field of a form, optional ones as "".
// JsonFields refuses blank strings (right for names, wrong for "no phone"),
// so these keys are taken out first: blank → recorded in `blanks`, value → null
// (JsonFields still sees, type-checks and accepts the key).
json::object take_blanks(json::object obj, const std::set<std::string>& allowed, std::set<std::string>& blanks);

}  // namespace hall::org
