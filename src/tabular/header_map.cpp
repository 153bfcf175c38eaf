// HeaderMap: which column of an uploaded table holds which field of an import.
#include <algorithm>
#include <cctype>
#include <stdexcept>

#include "tabular/errors.hpp"
#include "tabular/model.hpp"
#include "tabular/text.hpp"

namespace hall::tabular {

namespace {

// The comparable form of a header: trimmed, without a trailing required
// marker, ASCII lower-cased, without spaces, '_', '-' and '.'.
std::string normalise(std::string_view header) {
  std::string_view s = detail::trim(header);
  for (;;) {
    if (s.ends_with("*")) {
      s.remove_suffix(1);
    } else if (s.ends_with("\xEF\xBC\x8A")) {  // ＊ full-width asterisk
      s.remove_suffix(3);
    } else {
      break;
    }
    s = detail::trim(s);
  }
  std::string out;
  for (char c : s) {
    if (c == ' ' || c == '_' || c == '-' || c == '.') continue;
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

// "学号 / student_no": the headers accepted for a field.
std::string accepted(const ColumnSpec& spec) {
  std::string out;
  for (const auto& a : spec.aliases) {
    if (!out.empty()) out += " / ";
    out += a;
  }
  return out.empty() ? spec.key : out;
}

std::string display_name(const ColumnSpec& spec) {
  return spec.aliases.empty() ? spec.key : spec.aliases.front();
}

}  // namespace

HeaderMap::HeaderMap(const Table& table, std::vector<ColumnSpec> specs, UnknownColumns unknown)
    : headers_(table.headers) {
  fields_.reserve(specs.size());
  for (auto& s : specs) fields_.push_back(Field{std::move(s), std::nullopt});

  for (std::size_t col = 0; col < headers_.size(); ++col) {
    const std::string name = normalise(headers_[col]);
    const std::string letter = column_letters(col);
    if (name.empty()) {
      // A spacer column without a header is fine as long as it holds nothing.
      const bool has_data = std::any_of(table.rows.begin(), table.rows.end(), [&](const Row& r) {
        return col < r.cells.size() && !detail::trim(r.cells[col]).empty();
      });
      if (has_data && unknown == UnknownColumns::reject) {
        throw errors::unnamed_column.with(letter, letter);
      }
      continue;
    }
    Field* match = nullptr;
    for (auto& f : fields_) {
      const bool hit = normalise(f.spec.key) == name ||
                       std::any_of(f.spec.aliases.begin(), f.spec.aliases.end(),
                                   [&](const std::string& a) { return normalise(a) == name; });
      if (hit) {
        match = &f;
        break;
      }
    }
    if (!match) {
      if (unknown == UnknownColumns::ignore) continue;
      std::string expected_zh, expected_en;
      for (const auto& f : fields_) {
        if (!expected_zh.empty()) {
          expected_zh += "、";
          expected_en += ", ";
        }
        expected_zh += "“" + display_name(f.spec) + "”";
        expected_en += "\"" + display_name(f.spec) + "\"";
      }
      throw errors::unknown_column.with(headers_[col], letter, headers_[col],
                                        Text{expected_zh, expected_en});
    }
    if (match->index) {
      const std::string first = column_letters(*match->index);
      throw errors::duplicate_column.with(match->spec.key, first, headers_[*match->index], letter,
                                          headers_[col], display_name(match->spec));
    }
    match->index = col;
  }

  for (const auto& f : fields_) {
    if (f.spec.required && !f.index) {
      throw errors::missing_column.with(f.spec.key, display_name(f.spec), accepted(f.spec));
    }
  }
}

const HeaderMap::Field& HeaderMap::field(std::string_view key) const {
  for (const auto& f : fields_) {
    if (f.spec.key == key) return f;
  }
  throw std::logic_error("HeaderMap: no column spec with key " + std::string(key));
}

bool HeaderMap::has(std::string_view key) const { return field(key).index.has_value(); }

std::optional<std::size_t> HeaderMap::index(std::string_view key) const { return field(key).index; }

std::string_view HeaderMap::get(const Row& row, std::string_view key) const {
  const auto& f = field(key);
  if (!f.index || *f.index >= row.cells.size()) return {};
  return detail::trim(row.cells[*f.index]);
}

const std::string& HeaderMap::header(std::string_view key) const {
  const auto& f = field(key);
  if (f.index) return headers_[*f.index];
  return f.spec.aliases.empty() ? f.spec.key : f.spec.aliases.front();
}

ApiError HeaderMap::cell_error(const Row& row, std::string_view key, std::string code,
                               const Text& problem) const {
  const std::string& name = header(key);
  const std::string n = std::to_string(row.source_row);
  return bad_request(std::move(code),
                     {"第 " + n + " 行“" + name + "”列：" + problem.zh,
                      "Row " + n + ", column " + name + ": " + problem.en},
                     std::string(key));
}

ApiError HeaderMap::row_error(const Row& row, std::string code, const Text& problem) {
  const std::string n = std::to_string(row.source_row);
  return bad_request(std::move(code),
                     {"第 " + n + " 行：" + problem.zh, "Row " + n + ": " + problem.en});
}

std::optional<ApiError> HeaderMap::extra_cells_error(const Row& row) const {
  if (row.extra_cells.empty()) return std::nullopt;
  const std::string first = column_letters(row.cells.size());
  const std::string last = column_letters(row.cells.size() + row.extra_cells.size() - 1);
  const std::string span = first == last ? first : first + "–" + last;
  return row_error(row, "extra_cells",
                   {"表头之外的第 " + span + " 列还有内容，请删除多余的单元格或补上表头",
                    "there is data in column " + span +
                        ", beyond the last column of the header; delete it or add a header"});
}

}  // namespace hall::tabular
