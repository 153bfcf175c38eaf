// Use cases of the service catalog: permission checks (unit staff and unit
// heads edit only their own unit's items; administrators and the responsible
// teacher edit all), one transaction per write with its audit record, new
// immutable versions on every edit, and the public search index (B6.4).
#pragma once

#include <soci/soci.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "auth/principal.hpp"
#include "catalog/model.hpp"
#include "catalog/search.hpp"
#include "catalog/store.hpp"
#include "core/config.hpp"
#include "db/database.hpp"
#include "tabular/model.hpp"

namespace hall::catalog {

struct ListQuery {
  SearchQuery search;
  std::optional<bool> suspended;
  int page = 1, page_size = 20;
};

struct ImportResult {
  bool committed = false;
  int created = 0, updated = 0, unchanged = 0;
  json::array rejected;  // [{row, field, code, message}]
};

class CatalogService {
 public:
  CatalogService(db::Database& db, const Config& config);

  json::object create(const auth::Caller& caller, const ItemInput& in);
  json::object update(const auth::Caller& caller, std::int64_t item_id, const ItemInput& in);
  json::object suspend(const auth::Caller& caller, std::int64_t item_id, const std::string& reason,
                       const std::string& reason_en);
  json::object resume(const auth::Caller& caller, std::int64_t item_id);

  // The item with its current version (404 when unknown).
  json::object item(std::int64_t item_id, bool english);
  json::object versions(std::int64_t item_id);
  json::object version(std::int64_t version_id);
  json::object list(const ListQuery& q);

  // B6.4: public disclosure. The search is answered from the in-memory index;
  // *micros receives the time spent at the server (index lookup and result assembly).
  // Returns the response body, assembled from summaries serialized when the index was built.
  std::string public_search(const SearchQuery& q, int page, int page_size, double* micros);
  json::object public_item(std::int64_t item_id, bool english);
  json::object facets();

  json::object upload_file(const auth::Caller& caller, std::string_view bytes, const std::string& file_name,
                           std::optional<std::int64_t> unit_id);
  std::pair<store::FileMeta, std::string> file(std::int64_t file_id);

  std::string export_table(bool xlsx);
  ImportResult import_table(const auth::Caller& caller, const tabular::Table& table, bool skip_bad_rows);

  // The current index (rebuilt when the catalog changed).
  std::shared_ptr<const SearchIndex> index();
  void invalidate();

 private:
  void check_scope(const auth::Caller& caller, std::int64_t unit_id) const;
  void check_references(const store::Reference& ref, soci::session& s, const ItemContent& c) const;
  json::object item_json(soci::session& s, const store::Item& item, const store::Version& v,
                         const store::Reference& ref, bool with_where);
  // Writes a new version when the content differs; returns the new version id or 0 when unchanged.
  std::int64_t write_version(soci::session& s, const auth::Caller& caller, const store::Item& item,
                             const ItemContent& content, const std::string& note, std::int64_t now);
  std::int64_t write_new_item(soci::session& s, const auth::Caller& caller, const store::Reference& ref,
                              const std::optional<std::string>& code, const ItemContent& content,
                              const std::string& note, std::int64_t now);

  db::Database& db_;
  const Config& config_;
  std::mutex mu_;          // guards index_, generation_, checked_, built_
  std::mutex rebuild_mu_;  // one rebuild at a time
  std::shared_ptr<const SearchIndex> index_;
  std::uint64_t generation_ = 0, index_generation_ = 0;
  std::chrono::steady_clock::time_point checked_{}, built_{};
};

json::object version_json(const store::Version& v, const store::Reference& ref,
                          const std::map<std::int64_t, store::FileMeta>& files);

}  // namespace hall::catalog
