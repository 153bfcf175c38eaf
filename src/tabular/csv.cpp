// CSV in and out (RFC 4180, leniently: Excel's own quirks are accepted).
#include <string>

#include "core/errors.hpp"
#include "tabular/errors.hpp"
#include "tabular/model.hpp"
#include "tabular/text.hpp"

namespace hall::tabular {

namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

// 1-based line of a byte offset, for the encoding error message.
int line_of(std::string_view bytes, std::size_t offset) {
  int line = 1;
  for (std::size_t i = 0; i < offset && i < bytes.size(); ++i) {
    if (bytes[i] == '\n') ++line;
  }
  return line;
}

[[noreturn]] void throw_not_utf8(std::string_view detail_zh, std::string_view detail_en) {
  throw hall::errors::invalid_utf8.with(
      "",
      Text{"文件（" + std::string(detail_zh) +
               "。Excel 默认的“CSV（逗号分隔）”格式使用 GBK 编码，会导致中文乱码；请在 Excel 中选择"
               "“另存为 → CSV UTF-8（逗号分隔）(*.csv)”，或直接上传 .xlsx 文件）",
           "The file (" + std::string(detail_en) +
               ". Excel's plain \"CSV (Comma delimited)\" format uses the GBK encoding, which "
               "garbles "
               "Chinese; choose \"Save As → CSV UTF-8 (Comma delimited) (*.csv)\" in Excel, or "
               "upload "
               "the .xlsx file instead)"});
}

void check_encoding(std::string_view bytes) {
  if (bytes.starts_with("\xFF\xFE") || bytes.starts_with("\xFE\xFF")) {
    throw_not_utf8("是 UTF-16 编码", "it is UTF-16");
  }
  if (auto bad = detail::find_invalid_utf8(bytes)) {
    const std::string line = std::to_string(line_of(bytes, *bad));
    throw_not_utf8(
        "第 " + line + " 行起无法按 UTF-8 读取，可能是 GBK/GB18030 编码",
        "from line " + line + " on it cannot be read as UTF-8; it is probably GBK/GB18030");
  }
  if (bytes.find('\0') != std::string_view::npos) {
    // Valid UTF-8 but holding NUL bytes: UTF-16 without a BOM, or not text at all.
    throw_not_utf8("含有 NUL 字节，可能是 UTF-16 编码或二进制文件",
                   "it holds NUL bytes: UTF-16 without a byte order mark, or not a text file");
  }
}

}  // namespace

bool needs_formula_guard(std::string_view cell) {
  while (!cell.empty() && cell.front() == '\'') cell.remove_prefix(1);
  return !cell.empty() && std::string_view("=+-@\t\r").find(cell.front()) != std::string_view::npos;
}

std::string guard_formula(std::string_view cell) {
  return needs_formula_guard(cell) ? "'" + std::string(cell) : std::string(cell);
}

std::string_view unguard_formula(std::string_view cell) {
  if (cell.size() > 1 && cell.front() == '\'' && needs_formula_guard(cell.substr(1))) cell.remove_prefix(1);
  return cell;
}

Table read_csv(std::string_view bytes) {
  if (bytes.size() > kMaxPartBytes) {
    throw errors::file_too_large.with(
        "", Text{"超过 " + std::to_string(kMaxPartBytes / (1024 * 1024)) + " MB",
                 "larger than " + std::to_string(kMaxPartBytes / (1024 * 1024)) + " MB"});
  }
  if (bytes.starts_with(kBom)) bytes.remove_prefix(kBom.size());
  check_encoding(bytes);

  detail::TableBuilder builder;
  std::vector<std::string> record;
  std::string field;
  int record_no = 1;         // the row number Excel shows for this record
  int quote_started_at = 0;  // record in which an open quote began
  bool in_quotes = false;
  bool field_started = false;  // any character (or quote) seen in the current field
  bool was_quoted = false;     // the current field opened with a quote

  auto end_field = [&] {
    if (!field.empty() && field.front() == '\'') field = std::string(unguard_formula(field));
    record.push_back(std::move(field));
    field.clear();
    field_started = false;
    was_quoted = false;
  };
  auto end_record = [&] {
    end_field();
    builder.add(record_no, std::move(record));
    record.clear();
    ++record_no;
  };

  const std::size_t n = bytes.size();
  for (std::size_t i = 0; i < n; ++i) {
    const char c = bytes[i];
    if (in_quotes) {
      if (c == '"') {
        if (i + 1 < n && bytes[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          in_quotes = false;
        }
      } else {
        field += c;  // commas and line breaks are data inside quotes
      }
      continue;
    }
    switch (c) {
      case '"':
        if (!field_started) {
          in_quotes = true;
          was_quoted = true;
          field_started = true;
          quote_started_at = record_no;
        } else {
          field += c;  // a stray quote inside an unquoted field is kept, as Excel does
        }
        break;
      case ',':
        end_field();
        break;
      case '\r':
        if (i + 1 < n && bytes[i + 1] == '\n') ++i;
        end_record();
        break;
      case '\n':
        end_record();
        break;
      default:
        // After a closing quote, Excel keeps the following characters ("ab"c → abc).
        field += c;
        field_started = true;
        break;
    }
  }
  if (in_quotes) {
    const std::string row = std::to_string(quote_started_at);
    throw errors::invalid_csv.with("", row);
  }
  if (field_started || was_quoted || !record.empty()) end_record();
  return std::move(builder).finish();
}

std::string write_csv(const Table& table) {
  std::string out(kBom);
  auto put_field = [&out](std::string_view cell) {
    const std::string guarded = guard_formula(cell);
    const std::string_view f = guarded;
    if (f.find_first_of(",\"\r\n") == std::string_view::npos) {
      out += f;
      return;
    }
    out += '"';
    for (char c : f) {
      if (c == '"') out += '"';
      out += c;
    }
    out += '"';
  };
  auto put_record = [&](const std::vector<std::string>& cells,
                        const std::vector<std::string>* extra) {
    bool first = true;
    for (const auto& c : cells) {
      if (!first) out += ',';
      put_field(c);
      first = false;
    }
    if (extra) {
      for (const auto& c : *extra) {
        if (!first) out += ',';
        put_field(c);
        first = false;
      }
    }
    out += "\r\n";
  };
  put_record(table.headers, nullptr);
  for (const auto& row : table.rows) put_record(row.cells, &row.extra_cells);
  return out;
}

}  // namespace hall::tabular
