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

// What other modules read of halls and windows (the calendar's public pages, B6.4; the
// signed-in hall of auth).
struct HallInfo {
  std::int64_t id = 0;
  std::string code, name, name_en, address, phone;
};
std::vector<HallInfo> halls(soci::session& s);  // by id
std::optional<HallInfo> find_hall(soci::session& s, std::int64_t id);
std::int64_t first_hall(soci::session& s);  // the lowest id; 0 when there is none

// The active windows of a hall, by number, with the unit each serves (if any).
struct ServingWindow {
  std::int64_t id = 0;
  int number = 0;
  std::string name, name_en;
  bool is_complaints = false;
  std::optional<std::int64_t> unit_id;
  std::string unit_name, unit_name_en, unit_phone, unit_location;
};
std::vector<ServingWindow> active_windows(soci::session& s, std::int64_t hall_id);

}  // namespace hall::org::store
