// Writing a one-sheet .xlsx with libxlsxwriter. The library (1.1.4 on Debian
// 12) only writes to a named file, so the workbook goes to a private temp file
// made with mkstemps, is read back and removed.
#include <fcntl.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>

#include "core/errors.hpp"
#include "tabular/errors.hpp"
#include "tabular/model.hpp"
#include "tabular/text.hpp"

namespace hall::tabular {

namespace {

constexpr std::size_t kMaxCellChars = 32767;  // Excel's limit for one cell

// Removes the temp file however we leave write_xlsx.
struct TempFile {
  std::string path;
  TempFile() {
    std::string pattern = "/tmp/hall-xlsx-XXXXXX.xlsx";
    const int fd = mkstemps(pattern.data(), 5);
    if (fd < 0) throw std::runtime_error("write_xlsx: cannot create a temporary file");
    ::close(fd);
    path = std::move(pattern);
  }
  ~TempFile() { std::remove(path.c_str()); }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
};

struct WorkbookGuard {
  lxw_workbook* wb;
  ~WorkbookGuard() {
    if (wb) workbook_close(wb);  // frees it; the half-written file is removed by TempFile
  }
};

std::size_t utf8_length(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// Excel's rules: 1-31 characters, none of []:*?/\ and no apostrophe at either end.
std::string sheet_name_for_excel(std::string_view wanted) {
  std::string out;
  std::size_t chars = 0;
  for (std::size_t i = 0; i < wanted.size();) {
    const auto c = static_cast<unsigned char>(wanted[i]);
    const std::size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if (chars == 31) break;
    if (std::string_view("[]:*?/\\").find(wanted[i]) != std::string_view::npos || c < 0x20) {
      out += '_';
    } else {
      out.append(wanted.substr(i, len));
    }
    ++chars;
    i += len;
  }
  while (!out.empty() && out.front() == '\'') out.erase(out.begin());
  while (!out.empty() && out.back() == '\'') out.pop_back();
  if (out.empty() || detail::find_invalid_utf8(out)) out = "Sheet1";
  return out;
}

// Excel reads "_x0041_" in a string as the escape for 'A'; a literal text of
// that shape is protected by escaping its underscore (as "_x005F_").
std::string protect_xstring(const std::string& s) {
  if (s.find("_x") == std::string::npos) return s;
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '_' && i + 6 < s.size() && s[i + 1] == 'x' &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 3])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 4])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 5])) && s[i + 6] == '_') {
      out += "_x005F_";
    } else {
      out += s[i];
    }
  }
  return out;
}

// Display width in Excel's character units: CJK and other wide characters count two.
double display_width(std::string_view s) {
  double w = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      w += 1;
    } else if ((c & 0xC0) != 0x80) {
      w += c >= 0xE1 ? 2 : 1;  // U+1000 and above: mostly CJK, full-width forms
    }
  }
  return w;
}

void check_cell(const std::string& value, std::size_t row, std::size_t col) {
  const std::string where = column_letters(col) + std::to_string(row + 1);
  if (detail::find_invalid_utf8(value)) {
    throw hall::errors::invalid_utf8.with("", Text{"单元格 " + where + " ", "Cell " + where});
  }
  if (utf8_length(value) > kMaxCellChars) {
    throw errors::cell_too_long.with("", where);
  }
}

}  // namespace

std::string write_xlsx(const Table& table, std::string_view sheet_name) {
  TempFile temp;
  lxw_workbook_options options{};
  options.constant_memory = LXW_FALSE;  // freeze panes and column widths need the normal mode
  WorkbookGuard guard{workbook_new_opt(temp.path.c_str(), &options)};
  if (!guard.wb) throw std::runtime_error("write_xlsx: cannot start a workbook");

  const std::string name = sheet_name_for_excel(sheet_name);
  lxw_worksheet* ws = workbook_add_worksheet(guard.wb, name.c_str());
  if (!ws) throw std::runtime_error("write_xlsx: cannot add the worksheet " + name);
  lxw_format* bold = workbook_add_format(guard.wb);
  format_set_bold(bold);
  lxw_format* text = workbook_add_format(guard.wb);
  format_set_num_format(text, "@");  // Text: what people type there stays text too

  std::vector<double> widths;
  auto write_row = [&](std::size_t r, const std::vector<std::string>& cells, std::size_t first_col,
                       lxw_format* format) {
    for (std::size_t c = 0; c < cells.size(); ++c) {
      const std::size_t col = first_col + c;
      const std::string& value = cells[c];
      if (widths.size() <= col) widths.resize(col + 1, 0);
      if (value.empty()) continue;
      check_cell(value, r, col);
      widths[col] = std::max(widths[col], display_width(value));
      const lxw_error err =
          worksheet_write_string(ws, static_cast<lxw_row_t>(r), static_cast<lxw_col_t>(col),
                                 protect_xstring(value).c_str(), format);
      if (err != LXW_NO_ERROR) {
        throw std::runtime_error(std::string("write_xlsx: ") + lxw_strerror(err));
      }
    }
  };
  if (table.rows.size() + 1 > LXW_ROW_MAX) {
    throw errors::too_many_rows.with("", LXW_ROW_MAX - 1);
  }
  write_row(0, table.headers, 0, bold);
  for (std::size_t i = 0; i < table.rows.size(); ++i) {
    const Row& row = table.rows[i];
    write_row(i + 1, row.cells, 0, text);
    write_row(i + 1, row.extra_cells, row.cells.size(), text);
  }
  for (std::size_t col = 0; col < widths.size() && col < LXW_COL_MAX; ++col) {
    const double width = std::clamp(widths[col] + 2, 8.0, 60.0);
    worksheet_set_column(ws, static_cast<lxw_col_t>(col), static_cast<lxw_col_t>(col), width,
                         nullptr);
  }
  worksheet_freeze_panes(ws, 1, 0);

  lxw_workbook* wb = guard.wb;
  guard.wb = nullptr;
  const lxw_error err = workbook_close(wb);
  if (err != LXW_NO_ERROR) {
    throw std::runtime_error(std::string("write_xlsx: ") + lxw_strerror(err));
  }
  std::ifstream in(temp.path, std::ios::binary);
  if (!in) throw std::runtime_error("write_xlsx: cannot read back " + temp.path);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace hall::tabular
