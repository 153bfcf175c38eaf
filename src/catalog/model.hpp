// The service catalog (事项清单): what a resident unit handles in the hall,
// how, where, by when and with which papers. Pure types and rules, no I/O.
//
//   B6.1 首问责任制  — every item names its referral contact: office, handler, phone, location.
//   B6.2 一次性告知制 — the materials list (2) and the application period (3) are told at once.
//   B6.3 限时办结制  — the promised time limit: immediate (即办) or N working days.
//   B6.4 事务公开制  — the whole catalog is public (see search.hpp, routes.cpp).
//
// An item's content lives in immutable versions: editing makes a new version,
// and tickets, cases and notices keep the version id they were made under.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/json.hpp"

namespace hall::catalog {

// Limits of what people type (characters, not bytes).
inline constexpr std::size_t kMaxName = 100;
inline constexpr std::size_t kMaxNameEn = 200;
inline constexpr std::size_t kMaxCategory = 50;
inline constexpr std::size_t kMaxShortText = 200;
inline constexpr std::size_t kMaxLongText = 2000;
inline constexpr std::size_t kMaxMaterials = 50;
inline constexpr std::size_t kMaxFaq = 50;
inline constexpr std::size_t kMaxPeriods = 20;
inline constexpr std::size_t kMaxWindows = 50;
inline constexpr int kMaxTimeLimitDays = 365;
inline constexpr std::int64_t kMaxFeeFen = 100'000'000;  // ¥1,000,000
inline constexpr std::size_t kMaxFormBytes = 10u << 20;  // blank forms: 10 MB

enum class HandlingMode { on_site, online, both };
std::string_view to_string(HandlingMode m);
std::optional<HandlingMode> parse_handling_mode(std::string_view s);
Text handling_mode_text(HandlingMode m);

// B6.2 (3): the item may be applied for only within these dates (inclusive, hall's local dates).
struct Period {
  std::string from, to;  // "YYYY-MM-DD"
  std::string note;      // e.g. "每学期开学前两周"
  bool operator==(const Period&) const = default;
};

struct Faq {
  std::string q, a;
  bool operator==(const Faq&) const = default;
};

// B6.1: where to send a student for this matter.
struct Contact {
  std::string office, person, phone, location;
  bool operator==(const Contact&) const = default;
};

struct Material {
  std::string name, name_en;
  int originals = 1;
  int copies = 0;
  std::string spec;             // format / specification
  bool required = true;         // false: conditional
  std::string condition;        // when required == false: in which case it is needed
  std::optional<std::int64_t> form_file_id;  // downloadable blank form or sample
  bool operator==(const Material&) const = default;
};

// Everything a version holds: what an edit submits and what history keeps.
struct ItemContent {
  std::int64_t unit_id = 0;
  std::string name, name_en, category;
  HandlingMode handling_mode = HandlingMode::on_site;
  std::string online_url;
  std::vector<std::int64_t> window_ids;  // sorted, distinct
  std::string eligibility;
  std::vector<Period> periods;
  int time_limit_days = 0;  // B6.3: 0 = immediate (即办)
  std::int64_t fee_fen = 0;  // 0 = free
  std::string fee_text;
  std::string policy_basis;
  std::vector<Faq> faq;
  Contact contact;
  std::string queue_prefix;  // "" or one letter A–Z: the ticket group (A001, B002…)
  std::optional<int> daily_quota;
  std::vector<Material> materials;
  bool operator==(const ItemContent&) const = default;
};

// What a create/edit request carries besides the content.
struct ItemInput {
  std::optional<std::string> code;  // item code, e.g. "JWC-001"; generated on create when absent
  ItemContent content;
  std::string change_note;
  std::optional<std::int64_t> expected_version_id;  // optimistic lock on edit (409 when stale)
};

// Reads and checks a create/edit body (strict: unknown fields refused, every
// problem reported as 400 with the field path, e.g. "materials[2].condition").
// Existence of units, windows and files is checked by the service.
ItemInput parse_item_input(const json::value& body);

// Rules that need no database: conditional materials name their condition,
// periods are real dates in order, online items carry no windows requirement, …
// Throws bad_request naming the field.
void check_content(const ItemContent& c);

// "YYYY-MM-DD" strictly (B6.2 (3) periods); throws calendar::errors::invalid_date (field).
void check_date(std::string_view text, const std::string& field);

// Whether `today` ("YYYY-MM-DD") falls in one of the periods; no periods = always open.
bool period_open(const std::vector<Period>& periods, std::string_view today);
// The first period that has not ended yet on `today`, if any.
std::optional<Period> next_period(const std::vector<Period>& periods, std::string_view today);

// B6.3: "即办" / "3 个工作日".
Text time_limit_text(int days);
// "免费" / "¥10.00".
Text fee_text(std::int64_t fee_fen, const std::string& note);

json::array periods_to_json(const std::vector<Period>& p);
json::array faq_to_json(const std::vector<Faq>& f);
std::vector<Period> periods_from_json(std::string_view text);
std::vector<Faq> faq_from_json(std::string_view text);

// ---------------------------------------------------------------------------
// Uploaded forms: the type is decided by the bytes, never by the name alone.

struct FileKind {
  std::string mime;
  std::string extension;  // ".pdf"
};
// PDF (%PDF-), DOC/XLS (OLE2 compound file; the name's extension tells which),
// DOCX/XLSX (zip with word/ or xl/ parts), PNG, JPEG. Anything else → nothing.
std::optional<FileKind> sniff_file(std::string_view bytes, std::string_view file_name);

// A safe download name: path parts and control characters removed, at most 120 characters.
std::string clean_file_name(std::string_view name);
// Content-Disposition with an ASCII fallback and the RFC 5987 UTF-8 name.
std::string content_disposition(std::string_view file_name, bool inline_view);

std::string base64_encode(std::string_view bytes);
std::string base64_decode(std::string_view text);
std::string sha256_hex(std::string_view bytes);

}  // namespace hall::catalog
