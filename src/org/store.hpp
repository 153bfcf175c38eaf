// SQL for halls, units, colleges, windows and devices. Values are always
// bound; the only names put into SQL text are the constant table and column
// names of a RecordKind.
#pragma once

#include <soci/soci.h>

#include <optional>
#include <string>
#include <vector>

#include "org/model.hpp"

namespace hall::org::store {

struct Page {
  int page = 1, page_size = 20;
};

// Halls, units, colleges.
std::vector<Record> list_records(soci::session& s, const RecordKind& k, const Page& p, long long* total);
std::optional<Record> find_record(soci::session& s, const RecordKind& k, std::int64_t id);
// Another record of the kind already holding `value` in `column` (excluding `except_id`).
bool value_taken(soci::session& s, const RecordKind& k, const std::string& column, const std::string& value,
                 std::int64_t except_id);
std::int64_t insert_record(soci::session& s, const RecordKind& k, const Record& r);
void update_record(soci::session& s, const RecordKind& k, const Record& r);

bool exists(soci::session& s, const std::string& table, std::int64_t id);

// Windows.
std::vector<Window> list_windows(soci::session& s, std::optional<std::int64_t> hall_id, const Page& p,
                                 long long* total);
std::optional<Window> find_window(soci::session& s, std::int64_t id);
bool window_number_taken(soci::session& s, std::int64_t hall_id, int number, std::int64_t except_id);
std::int64_t insert_window(soci::session& s, const Window& w);
void update_window(soci::session& s, const Window& w);

// Devices.
std::vector<Device> list_devices(soci::session& s, std::optional<std::int64_t> hall_id, const Page& p,
                                 long long* total);
std::optional<Device> find_device(soci::session& s, std::int64_t id);
std::int64_t insert_device(soci::session& s, const Device& d, const std::string& token_digest);
void update_device(soci::session& s, const Device& d);
void set_device_token(soci::session& s, std::int64_t id, const std::string& token_digest);

}  // namespace hall::org::store
