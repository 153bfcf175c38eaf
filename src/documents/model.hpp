// Accurate documents (B5: accuracy 100% — documents and receipts complete,
// legible, correct): pure types and rules, no I/O.
//
// Every document the hall hands out is produced from a template filled from the
// records, never typed by hand. Issuing one stores a snapshot (JSON) of every
// field used; the PDF is laid out from that snapshot, so a reprint is always
// the same document. A correction revokes the document and issues a new one;
// corrections count against the accuracy rate.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/json.hpp"

namespace hall::documents {

// --- numbers and verification codes ---------------------------------------------

// The institution code in document numbers.
inline constexpr const char* kInstitutionCode = "HUT";
// "HUT-ZM-2026-000123"
std::string format_number(std::string_view type_code, int year, long long sequence);

// Verification codes: 12 characters of Crockford's base32 (0-9, A-Z without
// I, L, O, U: 60 random bits), stored and put in links without separators,
// shown in groups of four ("7KQ2-M9XD-4TBH") so a person can type them.
constexpr std::size_t kCodeLength = 12;
std::string new_verification_code();
// "7KQ2-M9XD-4TBH"
std::string format_code(std::string_view code);
// What a person typed → the stored form: case, spaces and dashes ignored, and
// the look-alikes O→0, I/L→1 accepted. nullopt when it cannot be a code.
std::optional<std::string> normalize_code(std::string_view typed);

// "王*明", "李*", "欧**娜" (first and last character kept when there are three
// or more, only the first otherwise): what the public verification page shows.
std::string mask_name(std::string_view name);

// --- layout ----------------------------------------------------------------------

// A template lays a document out as a list of blocks; the PDF renderer
// (pdf.hpp) typesets them on A4 pages under the hall's header and above the
// verification footer (code + QR). Text in `markup` fields is Pango markup:
// escape every value from the snapshot with esc().
struct Block {
  enum class Kind {
    paragraph,  // body text, first line indented two characters (Chinese convention)
    plain,      // body text without indent
    fields,     // a two-column table of label → value
    table,      // a table with a header row
    list,       // numbered items (一、二、…)
    heading,    // a section heading in bold
    signature,  // issuing unit and date, right-aligned, with room for the seal
    note,       // small print
    spacer,     // vertical space of `points`
  } kind = Kind::paragraph;
  std::string markup;
  std::vector<std::pair<std::string, std::string>> fields;  // plain text
  std::vector<std::string> header;                          // table (plain text)
  std::vector<std::vector<std::string>> rows;               // table (plain text)
  std::vector<std::string> items;                           // list (markup)
  std::string unit, date;                                   // signature (plain text)
  double points = 0;                                        // spacer
};

struct Layout {
  std::string title;  // 在读证明
  std::vector<Block> blocks;
};

// Block constructors, so a template reads like the document.
namespace blocks {
Block paragraph(std::string markup);
Block plain(std::string markup);
Block fields(std::vector<std::pair<std::string, std::string>> rows);
Block table(std::vector<std::string> header, std::vector<std::vector<std::string>> rows);
Block list(std::vector<std::string> items);
Block heading(std::string markup);
Block signature(std::string unit, std::string date);
Block note(std::string markup);
Block spacer(double points);
}  // namespace blocks

// Escapes text for Pango markup (& < > " ').
std::string esc(std::string_view text);
// "2026-03-05" → "2026年3月5日"
std::string chinese_date(std::string_view iso_date);
// 1000 fen → "10.00"
std::string yuan(long long fen);
// Reads a string from the snapshot ("" when absent).
std::string field(const json::object& content, std::string_view key);

// --- accuracy (B5) ---------------------------------------------------------------

struct AccuracyStats {
  long long issued = 0;     // documents issued in the period
  long long corrected = 0;  // of those, how many were later corrected (revoked and reissued)
  // (issued − corrected) / issued; nullopt when nothing was issued.
  std::optional<double> accuracy_rate() const;
};

}  // namespace hall::documents
