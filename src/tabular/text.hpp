// Internal helpers of src/tabular: UTF-8 checks, trimming, the shared shaping
// of parsed rows into a Table. Not for use outside this folder.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tabular/model.hpp"

namespace hall::tabular::detail {

// Offset of the first byte that is not part of well-formed UTF-8 (no overlong
// forms, no surrogates, nothing above U+10FFFF), or nothing when all is valid.
std::optional<std::size_t> find_invalid_utf8(std::string_view s);

// Strips ASCII whitespace and U+3000 (ideographic space) at both ends.
std::string_view trim(std::string_view s);

// Collects rows in source order and shapes them into a Table: the first
// non-empty row becomes the header, empty rows are skipped, rows are padded or
// split into extra_cells, and the row and cell limits are enforced.
class TableBuilder {
 public:
  // cells may be modified (moved from).
  void add(int source_row, std::vector<std::string>&& cells);
  Table finish() &&;

 private:
  Table table_;
  bool have_header_ = false;
  std::size_t cells_ = 0;
};

}  // namespace hall::tabular::detail
