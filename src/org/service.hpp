// Use cases of the organisation: permission check, validation against the
// database, one transaction per write with its audit entry.
#pragma once

#include "org/module.hpp"

#include <optional>
#include <string>

#include "auth/principal.hpp"
#include "org/model.hpp"
#include "org/store.hpp"

namespace hall::org {

// A partial record: only the columns present are changed on update.
using RecordInput = std::map<std::string, std::string>;

json::object list_records(Deps& deps, const auth::Caller& c, const RecordKind& k, const store::Page& p);
Record create_record(Deps& deps, const auth::Caller& c, const RecordKind& k, const RecordInput& in);
Record update_record(Deps& deps, const auth::Caller& c, const RecordKind& k, std::int64_t id, const RecordInput& in);

struct WindowInput {
  std::optional<std::int64_t> hall_id;
  std::optional<int> number;
  std::optional<std::string> name, name_en;
  bool unit_given = false;  // unit_id present (possibly null = no unit)
  std::optional<std::int64_t> unit_id;
  std::optional<bool> is_complaints, active;
};
json::object list_windows(Deps& deps, const auth::Caller& c, std::optional<std::int64_t> hall_id, const store::Page& p);
Window create_window(Deps& deps, const auth::Caller& c, const WindowInput& in);
Window update_window(Deps& deps, const auth::Caller& c, std::int64_t id, const WindowInput& in);

struct DeviceInput {
  std::optional<std::int64_t> hall_id;
  std::optional<std::string> kind, name;
  bool window_given = false;
  std::optional<std::int64_t> window_id;
  std::optional<bool> disabled;
};
json::object list_devices(Deps& deps, const auth::Caller& c, std::optional<std::int64_t> hall_id, const store::Page& p);
// The new device and its token (shown once; only its digest is stored).
std::pair<Device, std::string> create_device(Deps& deps, const auth::Caller& c, const DeviceInput& in);
Device update_device(Deps& deps, const auth::Caller& c, std::int64_t id, const DeviceInput& in);
std::string rotate_device_token(Deps& deps, const auth::Caller& c, std::int64_t id);

}  // namespace hall::org
