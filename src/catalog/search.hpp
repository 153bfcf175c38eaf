// The in-memory search index of the public catalog (B6.4 事务公开): rebuilt
// from the database when the catalog changes, shared read-only by all request
// threads, answering in microseconds for thousands of items (no SQL LIKE).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "catalog/pinyin.hpp"
#include "catalog/store.hpp"
#include "core/json.hpp"

namespace hall::catalog {

struct SearchEntry {
  std::int64_t item_id = 0, unit_id = 0;
  std::string category;
  bool suspended = false;
  std::string name_fold;     // the name with ASCII letters lower-cased
  std::string name_en_fold;  // the English name lower-cased
  std::string code_fold;
  PinyinName pinyin;
  json::object summary;      // what a search result shows
  std::string summary_json;  // the same, serialized once when the index is built
};

struct SearchQuery {
  std::string q;
  std::optional<std::int64_t> unit_id;
  std::string category;
};

class SearchIndex {
 public:
  static std::shared_ptr<const SearchIndex> build(const std::vector<std::pair<store::Item, store::Version>>& items,
                                                  const store::Reference& ref, const PinyinTable& table,
                                                  std::string stamp);

  // Matching entries, best first: exact name, name prefix, name substring,
  // pinyin/initials from the start, pinyin anywhere, English name or code.
  std::vector<const SearchEntry*> search(const SearchQuery& q) const;

  const std::vector<SearchEntry>& entries() const { return entries_; }
  const std::string& stamp() const { return stamp_; }
  // Categories in use with their item counts, and units with their item counts.
  json::array categories() const;
  json::array units(const store::Reference& ref) const;

 private:
  std::vector<SearchEntry> entries_;
  std::string stamp_;
};

// A search summary of one item (also used by the staff list).
json::object item_summary(const store::Item& item, const store::Version& v, const store::Reference& ref);

// Lower-cases ASCII letters only (Chinese text is left as is).
std::string fold_ascii(std::string_view s);

}  // namespace hall::catalog
