// SQL of the service catalog. Every function runs inside the caller's
// transaction (db.write / db.read); values are always bound, never spliced.
#pragma once

#include <soci/soci.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "catalog/model.hpp"

namespace hall::catalog::store {

struct Unit {
  std::int64_t id = 0;
  std::string code, name, name_en, phone, location;
};
struct Hall {
  std::int64_t id = 0;
  std::string code, name, name_en, address;
};
struct Window {
  std::int64_t id = 0, hall_id = 0;
  int number = 0;
  std::string name, name_en;
  std::optional<std::int64_t> unit_id;
  bool is_complaints = false, active = true;
};
// The organisation the catalog refers to (small tables, read whole).
struct Reference {
  std::map<std::int64_t, Unit> units;
  std::map<std::int64_t, Hall> halls;
  std::map<std::int64_t, Window> windows;
  const Unit* unit(std::int64_t id) const;
  const Unit* unit_by_code(const std::string& code) const;
  const Unit* unit_by_name(const std::string& name) const;
  const Window* window(std::int64_t id) const;
  const Window* window_by_number(std::int64_t hall_id, int number) const;
  const Hall* hall(std::int64_t id) const;
  const Hall* hall_by_code(const std::string& code) const;
};
Reference load_reference(soci::session& s);

struct FileMeta {
  std::int64_t id = 0;
  std::optional<std::int64_t> unit_id;
  std::string file_name, mime, sha256;
  std::int64_t size = 0;
  std::int64_t created_at = 0;
};

struct Version {
  std::int64_t id = 0, item_id = 0;
  int version_no = 0;
  ItemContent content;
  std::string name_pinyin, name_initials, change_note;
  std::optional<std::int64_t> created_by;
  std::string created_by_name;
  std::int64_t created_at = 0;
};

struct Item {
  std::int64_t id = 0;
  std::string code;
  std::int64_t unit_id = 0;
  std::int64_t current_version_id = 0;
  bool suspended = false;
  std::string suspended_reason, suspended_reason_en;
  std::optional<std::int64_t> suspended_at;
  std::int64_t created_at = 0, updated_at = 0;
};

std::optional<Item> find_item(soci::session& s, std::int64_t id);
std::optional<Item> find_item_by_code(soci::session& s, const std::string& code);
std::optional<Version> find_version(soci::session& s, std::int64_t version_id);
// Version summaries (no materials), newest first.
std::vector<Version> list_versions(soci::session& s, std::int64_t item_id);

// Every item with its current version (windows and materials included), by id:
// three queries whatever the catalog's size (for the search index and exports).
std::vector<std::pair<Item, Version>> load_current(soci::session& s);

std::int64_t insert_item(soci::session& s, const std::string& code, std::int64_t unit_id, std::int64_t now);
std::int64_t insert_version(soci::session& s, std::int64_t item_id, int version_no, const ItemContent& c,
                            const std::string& pinyin, const std::string& initials, const std::string& change_note,
                            std::optional<std::int64_t> created_by, std::int64_t now);
void set_current_version(soci::session& s, std::int64_t item_id, std::int64_t version_id, std::int64_t unit_id,
                         std::int64_t now);
void set_code(soci::session& s, std::int64_t item_id, const std::string& code, std::int64_t now);
void set_suspended(soci::session& s, std::int64_t item_id, bool suspended, const std::string& reason,
                   const std::string& reason_en, std::int64_t now);
int max_version_no(soci::session& s, std::int64_t item_id);
// Next free code "<UNIT>-NNN".
std::string next_code(soci::session& s, const std::string& unit_code);

std::int64_t insert_file(soci::session& s, const FileMeta& meta, const std::string& content_b64,
                         std::optional<std::int64_t> uploaded_by);
std::optional<FileMeta> find_file(soci::session& s, std::int64_t id);
std::map<std::int64_t, FileMeta> files_by_id(soci::session& s, const std::vector<std::int64_t>& ids);
std::optional<std::string> file_content_b64(soci::session& s, std::int64_t id);

// A cheap fingerprint of the catalog's state: changes whenever an item or version is written.
std::string catalog_stamp(soci::session& s);

}  // namespace hall::catalog::store
