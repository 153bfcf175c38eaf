// Table shaping, UTF-8 checks and format selection shared by the readers.
#include <algorithm>
#include <cctype>

#include "tabular/errors.hpp"
#include "tabular/model.hpp"
#include "tabular/text.hpp"

namespace hall::tabular {

namespace detail {

std::optional<std::size_t> find_invalid_utf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  std::size_t i = 0;
  while (i < n) {
    unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len;
    unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;  // no overlong forms
      if (c == 0xED) hi = 0x9F;  // no surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;  // nothing above U+10FFFF
    } else {
      return i;
    }
    if (i + len > n) return i;
    if (p[i + 1] < lo || p[i + 1] > hi) return i;
    for (std::size_t k = 2; k < len; ++k) {
      if (p[i + k] < 0x80 || p[i + k] > 0xBF) return i;
    }
    i += len;
  }
  return std::nullopt;
}

std::string_view trim(std::string_view s) {
  static constexpr std::string_view kIdeographicSpace = "\xE3\x80\x80";
  for (;;) {
    if (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) {
      s.remove_prefix(1);
    } else if (s.starts_with(kIdeographicSpace)) {
      s.remove_prefix(kIdeographicSpace.size());
    } else {
      break;
    }
  }
  for (;;) {
    if (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) {
      s.remove_suffix(1);
    } else if (s.ends_with(kIdeographicSpace)) {
      s.remove_suffix(kIdeographicSpace.size());
    } else {
      break;
    }
  }
  return s;
}

namespace {
bool all_empty(const std::vector<std::string>& cells) {
  return std::all_of(cells.begin(), cells.end(), [](const std::string& c) { return c.empty(); });
}
void drop_trailing_empty(std::vector<std::string>& cells) {
  while (!cells.empty() && cells.back().empty()) cells.pop_back();
}
}  // namespace

void TableBuilder::add(int source_row, std::vector<std::string>&& cells) {
  if (all_empty(cells)) return;
  if (!have_header_) {
    drop_trailing_empty(cells);
    table_.headers = std::move(cells);
    table_.header_row = source_row;
    have_header_ = true;
    return;
  }
  if (table_.rows.size() >= kMaxRows) {
    throw errors::too_many_rows.with("", kMaxRows);
  }
  const std::size_t width = table_.headers.size();
  Row row;
  row.source_row = source_row;
  if (cells.size() > width) {
    row.extra_cells.assign(std::make_move_iterator(cells.begin() + width),
                           std::make_move_iterator(cells.end()));
    drop_trailing_empty(row.extra_cells);
    cells.resize(width);
  }
  cells.resize(width);
  row.cells = std::move(cells);
  cells_ += width + row.extra_cells.size();
  if (cells_ > kMaxCells) {
    throw errors::table_too_large.with("", kMaxCells);
  }
  table_.rows.push_back(std::move(row));
}

Table TableBuilder::finish() && {
  if (!have_header_) {
    throw errors::empty_table();
  }
  return std::move(table_);
}

}  // namespace detail

Row& Table::add_row(std::vector<std::string> cells) {
  Row row;
  row.source_row = rows.empty() ? header_row + 1 : rows.back().source_row + 1;
  if (cells.size() > headers.size()) {
    row.extra_cells.assign(cells.begin() + headers.size(), cells.end());
  }
  cells.resize(headers.size());
  row.cells = std::move(cells);
  rows.push_back(std::move(row));
  return rows.back();
}

std::string column_letters(std::size_t index) {
  std::string out;
  std::size_t n = index + 1;
  while (n > 0) {
    std::size_t rem = (n - 1) % 26;
    out.insert(out.begin(), static_cast<char>('A' + rem));
    n = (n - 1) / 26;
  }
  return out;
}

namespace {
std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}
}  // namespace

Table read_any(std::string_view bytes, std::string_view content_type_or_filename) {
  if (bytes.starts_with(std::string_view("PK\x03\x04", 4)) ||
      bytes.starts_with(std::string_view("PK\x05\x06", 4))) {
    return read_xlsx(bytes);
  }
  if (bytes.starts_with(std::string_view("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8))) {
    throw errors::unsupported_format();
  }
  const std::string hint = lower_ascii(content_type_or_filename);
  if (hint.ends_with(".xlsx") || hint.ends_with(".xlsm") ||
      hint.find("spreadsheetml") != std::string::npos) {
    return read_xlsx(bytes);  // not a zip: read_xlsx reports invalid_xlsx
  }
  // Everything else, including "application/vnd.ms-excel" (which browsers on
  // Windows send for .csv files), is read as CSV.
  return read_csv(bytes);
}

}  // namespace hall::tabular
