// Spreadsheets in and out: the hall imports students, staff and the service
// catalog from what people upload (CSV saved from Excel or an .xlsx), and
// exports the catalog and reports as .xlsx or CSV.
//
// Every cell is UTF-8 text. A row keeps the row number it had in the source
// (the number Excel shows at the left), so an importer can say
// "第 7 行“学号”列：…" / "Row 7, column 学号: …".
//
// Reading rules shared by CSV and XLSX:
//  - the first non-empty row is the header; trailing empty header cells are dropped;
//  - rows whose cells are all empty are skipped (their numbers are simply not used);
//  - a short row is padded with empty cells to the header's width;
//  - cells beyond the header's width go to Row::extra_cells (trailing empty ones are
//    dropped), which an importer reports with HeaderMap::extra_cells_error;
//  - limits against hostile uploads: kMaxPartBytes, kMaxRows, kMaxCells.
//
// Every failure is a hall::ApiError (400) with a bilingual message:
//   invalid_utf8, invalid_csv, invalid_xlsx, unsupported_format, file_too_large,
//   too_many_rows, table_too_large, empty_table, missing_column, unknown_column, duplicate_column,
//   unnamed_column.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace hall::tabular {

// Limits against zip bombs and oversized uploads.
inline constexpr std::size_t kMaxPartBytes = 50u * 1024 * 1024;  // one CSV file or one xlsx part
inline constexpr std::size_t kMaxRows = 100'000;                 // data rows, header excluded
inline constexpr std::size_t kMaxCells = 4'000'000;              // rows x columns materialised

struct Row {
  int source_row = 0;                    // 1-based row number in the source (as Excel shows it)
  std::vector<std::string> cells;        // exactly Table::headers.size() cells
  std::vector<std::string> extra_cells;  // cells beyond the last header column, if any

  bool operator==(const Row&) const = default;
};

struct Table {
  std::vector<std::string> headers;
  std::vector<Row> rows;
  int header_row = 1;  // source row number of the header

  // Appends a row numbered as it would be in a file written from this table.
  Row& add_row(std::vector<std::string> cells);
  bool operator==(const Table&) const = default;
};

// Excel's name of a 0-based column index: 0 → "A", 27 → "AB".
std::string column_letters(std::size_t index);

// CSV (RFC 4180): quoted fields, doubled quotes, embedded commas and newlines;
// UTF-8 with or without BOM; CRLF, LF or CR line ends. Anything that is not
// UTF-8 (GBK/GB18030 from Excel's default "CSV" format, UTF-16) is rejected
// with advice to save as "CSV UTF-8".
Table read_csv(std::string_view bytes);

// UTF-8 with BOM (so Excel shows Chinese correctly), CRLF line ends; a field
// is quoted when it holds a comma, a quote or a line break. Every cell goes
// through guard_formula (CSV injection), and read_csv undoes exactly that guard,
// so a file exported and imported again gives back the same values.
std::string write_csv(const Table& table);

// CSV injection (OWASP): a spreadsheet opening a CSV may run a cell that starts
// with = + - @, a tab or a carriage return as a formula. Such a
// cell is written with a leading apostrophe, which makes it text. A cell that
// already starts with an apostrophe followed by such a character gets one more,
// so that unguard_formula is the exact inverse.
bool needs_formula_guard(std::string_view cell);
std::string guard_formula(std::string_view cell);
// Removes the apostrophe guard_formula added (and nothing else).
std::string_view unguard_formula(std::string_view cell);

// The first worksheet of an .xlsx workbook (shared strings, rich text, inline
// strings, numbers, booleans, dates in date-formatted cells as YYYY-MM-DD).
Table read_xlsx(std::string_view bytes);

// One worksheet named sheet_name (made valid for Excel), the header bold and
// frozen, every cell a string so numbers with leading zeros survive.
std::string write_xlsx(const Table& table, std::string_view sheet_name);

// CSV or XLSX: an upload starting with the zip magic is an xlsx whatever its
// name; an old binary .xls is refused; otherwise the name or content type
// decides (".xlsx" / "spreadsheetml"), and the rest is read as CSV.
Table read_any(std::string_view bytes, std::string_view content_type_or_filename);

// ---------------------------------------------------------------------------
// Importer helper: which column holds which field.

struct ColumnSpec {
  std::string key;                   // the importer's name for the field, e.g. "student_no"
  std::vector<std::string> aliases;  // accepted headers; the first is the name shown to people
  bool required = true;
};

enum class UnknownColumns { reject, ignore };

// Maps a table's headers onto the fields an importer expects. Headers match an
// alias or the key after normalising: surrounding spaces (also U+3000) and a
// trailing required-marker "*" or "＊" are dropped, ASCII letters compared
// case-insensitively, and spaces, '_', '-' and '.' ignored ("Student No." ==
// "student_no"). Throws missing_column (field = key), duplicate_column,
// unknown_column (unless ignored) and unnamed_column (a column without a
// header that holds data; unnamed empty columns are tolerated).
class HeaderMap {
 public:
  HeaderMap(const Table& table, std::vector<ColumnSpec> specs,
            UnknownColumns unknown = UnknownColumns::reject);

  bool has(std::string_view key) const;  // the column is present
  std::optional<std::size_t> index(std::string_view key) const;

  // The cell of that field in the row, with surrounding whitespace trimmed;
  // empty when an optional column is absent. Unknown key → std::logic_error.
  std::string_view get(const Row& row, std::string_view key) const;

  // The header as written in the file (or the first alias when absent).
  const std::string& header(std::string_view key) const;

  // "第 7 行“学号”列：<problem>" / "Row 7, column 学号: <problem>", field = key.
  ApiError cell_error(const Row& row, std::string_view key, std::string code,
                      const Text& problem) const;
  // "第 7 行：<problem>" / "Row 7: <problem>".
  static ApiError row_error(const Row& row, std::string code, const Text& problem);
  // The error to report for a row with cells beyond the last column (code extra_cells),
  // or nothing when the row has none.
  std::optional<ApiError> extra_cells_error(const Row& row) const;

 private:
  struct Field {
    ColumnSpec spec;
    std::optional<std::size_t> index;
  };
  const Field& field(std::string_view key) const;

  std::vector<std::string> headers_;
  std::vector<Field> fields_;
};

}  // namespace hall::tabular
