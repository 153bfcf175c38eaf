#include "org/service.hpp"

#include <fmt/format.h>

#include "auth/audit.hpp"
#include "auth/permissions.hpp"
#include "auth/service.hpp"
#include "core/errors.hpp"
#include "core/random.hpp"
#include "db/database.hpp"
#include "org/errors.hpp"
#include "org/module.hpp"

namespace hall::org {

namespace {

ApiError taken(const std::string& field, const Text& what) {
  if (field == "code") return errors::code_taken.with(field, what);
  if (field == "name") return errors::name_taken.with(field, what);
  if (field == "number")
    return errors::number_taken.with(field, Text{"这个号码的", "a window with this number"});
  return errors::value_taken.with(field, what);
}

ApiError missing_field(const std::string& field) {
  return hall::errors::missing_field.with(field, field);
}

json::object paged(json::array items, long long total, const store::Page& p) {
  return json::object{{"items", std::move(items)}, {"total", total}, {"page", p.page}, {"page_size", p.page_size}};
}

// Runs a write; a UNIQUE violation that slipped past the checks (a concurrent
// insert) still becomes 409 naming the field.
template <typename F>
auto guarded_write(Deps& deps, const std::vector<std::string>& unique_fields, const Text& what, F&& fn) {
  try {
    return deps.db->write(std::forward<F>(fn));
  } catch (const ApiError&) {
    throw;
  } catch (const std::exception& e) {
    if (db::is_unique_violation(e)) {
      std::string f = unique_violation_field(e, unique_fields);
      throw taken(f.empty() ? "value" : f, what);
    }
    throw;
  }
}

std::vector<std::string> unique_columns(const RecordKind& k) {
  std::vector<std::string> out;
  for (const auto& c : k.columns)
    if (c.unique) out.push_back(c.name);
  return out;
}

}  // namespace

// ---------------------------------------------------------------------------
// Halls, units, colleges.

json::object list_records(Deps& deps, const auth::Caller& c, const RecordKind& k, const store::Page& p) {
  auth::require(c.principal, "org.read");
  return deps.db->read([&](soci::session& s) {
    long long total = 0;
    json::array items;
    for (const auto& r : store::list_records(s, k, p, &total)) items.push_back(to_json(k, r));
    return paged(std::move(items), total, p);
  });
}

namespace {
// Applies the input onto the record after checking every column's rules.
void apply_record_input(const RecordKind& k, const RecordInput& in, Record& r, bool creating) {
  for (const auto& col : k.columns) {
    auto it = in.find(col.name);
    if (it == in.end()) {
      if (creating && col.required) throw missing_field(col.name);
      continue;
    }
    std::string v = trim(it->second);
    check_text(v, col.name, col.max_chars, !col.required);
    if (col.phone) check_phone(v, col.name);
    r.values[col.name] = v;
  }
}
}  // namespace

Record create_record(Deps& deps, const auth::Caller& c, const RecordKind& k, const RecordInput& in) {
  auth::require(c.principal, "org.write");
  Record r;
  apply_record_input(k, in, r, true);
  return guarded_write(deps, unique_columns(k), k.label, [&](soci::session& s) {
    for (const auto& col : k.columns)
      if (col.unique && store::value_taken(s, k, col.name, r.values[col.name], 0)) throw taken(col.name, k.label);
    r.id = store::insert_record(s, k, r);
    auth::audit(s, c, k.target_type + ".created", k.target_type, std::to_string(r.id),
                json::object{{"after", to_json(k, r)}});
    return r;
  });
}

Record update_record(Deps& deps, const auth::Caller& c, const RecordKind& k, std::int64_t id, const RecordInput& in) {
  auth::require(c.principal, "org.write");
  return guarded_write(deps, unique_columns(k), k.label, [&](soci::session& s) {
    auto before = store::find_record(s, k, id);
    if (!before)
      throw not_found(k.target_type + "_not_found", {"找不到该" + k.label.zh, "No such " + k.label.en});
    Record r = *before;
    apply_record_input(k, in, r, false);
    for (const auto& col : k.columns)
      if (col.unique && in.count(col.name) && store::value_taken(s, k, col.name, r.values[col.name], id))
        throw taken(col.name, k.label);
    store::update_record(s, k, r);
    auth::audit(s, c, k.target_type + ".updated", k.target_type, std::to_string(id),
                json::object{{"before", to_json(k, *before)}, {"after", to_json(k, r)}});
    return r;
  });
}

// ---------------------------------------------------------------------------
// Windows.

namespace {
const Text kWindow{"窗口", "window"};

void apply_window_input(soci::session& s, const WindowInput& in, Window& w, bool creating) {
  if (creating) {
    if (!in.hall_id) throw missing_field("hall_id");
    if (!in.number) throw missing_field("number");
    if (!in.name) throw missing_field("name");
  }
  if (in.hall_id) {
    if (!store::exists(s, "halls", *in.hall_id)) throw errors::unknown_hall("hall_id");
    w.hall_id = *in.hall_id;
  }
  if (in.number) {
    if (*in.number < 1 || *in.number > kMaxWindowNumber)
      throw hall::errors::out_of_range.with("number", Text{"窗口号", "The window number"}, 1,
                                            kMaxWindowNumber);
    w.number = *in.number;
  }
  if (in.name) {
    std::string v = trim(*in.name);
    check_text(v, "name", 100);
    w.name = v;
  }
  if (in.name_en) {
    std::string v = trim(*in.name_en);
    check_text(v, "name_en", 200, true);
    w.name_en = v;
  }
  if (in.unit_given) {
    if (in.unit_id && !store::exists(s, "units", *in.unit_id))
      throw errors::unknown_unit("unit_id");
    w.unit_id = in.unit_id;
  }
  if (in.is_complaints) w.is_complaints = *in.is_complaints;
  if (in.active) w.active = *in.active;
  // A window number is unique within its hall.
  if ((in.hall_id || in.number) && store::window_number_taken(s, w.hall_id, w.number, w.id))
    throw errors::number_taken.with(
        "number", Text{fmt::format(" {} 号", w.number), fmt::format("a window {}", w.number)});
}
}  // namespace

json::object list_windows(Deps& deps, const auth::Caller& c, std::optional<std::int64_t> hall_id, const store::Page& p) {
  auth::require(c.principal, "org.read");
  return deps.db->read([&](soci::session& s) {
    long long total = 0;
    json::array items;
    for (const auto& w : store::list_windows(s, hall_id, p, &total)) items.push_back(to_json(w));
    return paged(std::move(items), total, p);
  });
}

Window create_window(Deps& deps, const auth::Caller& c, const WindowInput& in) {
  auth::require(c.principal, "org.write");
  return guarded_write(deps, {"number"}, kWindow, [&](soci::session& s) {
    Window w;
    apply_window_input(s, in, w, true);
    w.id = store::insert_window(s, w);
    w = *store::find_window(s, w.id);
    auth::audit(s, c, "window.created", "window", std::to_string(w.id), json::object{{"after", to_json(w)}});
    return w;
  });
}

Window update_window(Deps& deps, const auth::Caller& c, std::int64_t id, const WindowInput& in) {
  auth::require(c.principal, "org.write");
  return guarded_write(deps, {"number"}, kWindow, [&](soci::session& s) {
    auto before = store::find_window(s, id);
    if (!before) throw errors::window_not_found();
    Window w = *before;
    apply_window_input(s, in, w, false);
    store::update_window(s, w);
    w = *store::find_window(s, id);
    auth::audit(s, c, "window.updated", "window", std::to_string(id),
                json::object{{"before", to_json(*before)}, {"after", to_json(w)}});
    return w;
  });
}

// ---------------------------------------------------------------------------
// Devices: each has its own token; only the digest is stored.

namespace {
void check_device_window(soci::session& s, const Device& d) {
  if (!d.window_id) return;
  auto w = store::find_window(s, *d.window_id);
  if (!w) throw errors::unknown_window.with("window_id", *d.window_id);
  if (w->hall_id != d.hall_id) throw errors::window_not_in_hall("window_id");
}
}  // namespace

json::object list_devices(Deps& deps, const auth::Caller& c, std::optional<std::int64_t> hall_id, const store::Page& p) {
  auth::require(c.principal, "devices.manage");
  return deps.db->read([&](soci::session& s) {
    long long total = 0;
    json::array items;
    for (const auto& d : store::list_devices(s, hall_id, p, &total)) items.push_back(to_json(d));
    return paged(std::move(items), total, p);
  });
}

std::pair<Device, std::string> create_device(Deps& deps, const auth::Caller& c, const DeviceInput& in) {
  auth::require(c.principal, "devices.manage");
  if (!in.hall_id) throw missing_field("hall_id");
  if (!in.kind) throw missing_field("kind");
  if (!in.name) throw missing_field("name");
  if (!is_device_kind(*in.kind))
    throw errors::invalid_kind.with(
        "kind", Text{"kiosk、board、rating_pad 或 checkin", "kiosk, board, rating_pad or checkin"});
  Device d;
  d.hall_id = *in.hall_id;
  d.kind = *in.kind;
  d.name = trim(*in.name);
  check_text(d.name, "name", 100);
  d.window_id = in.window_id;
  std::string token = random_token();
  d = deps.db->write([&](soci::session& s) {
    if (!store::exists(s, "halls", d.hall_id)) throw errors::unknown_hall("hall_id");
    check_device_window(s, d);
    d.id = store::insert_device(s, d, token_digest(token));
    Device saved = *store::find_device(s, d.id);
    auth::audit(s, c, "device.created", "device", std::to_string(d.id), json::object{{"after", to_json(saved)}});
    return saved;
  });
  return {d, token};
}

Device update_device(Deps& deps, const auth::Caller& c, std::int64_t id, const DeviceInput& in) {
  auth::require(c.principal, "devices.manage");
  Device d = deps.db->write([&](soci::session& s) {
    auto before = store::find_device(s, id);
    if (!before) throw errors::device_not_found();
    Device dev = *before;
    if (in.name) {
      dev.name = trim(*in.name);
      check_text(dev.name, "name", 100);
    }
    if (in.disabled) dev.disabled = *in.disabled;
    if (in.window_given) {
      dev.window_id = in.window_id;
      check_device_window(s, dev);
    }
    store::update_device(s, dev);
    auth::audit(s, c, dev.disabled && !before->disabled ? "device.disabled" : "device.updated", "device",
                std::to_string(id), json::object{{"before", to_json(*before)}, {"after", to_json(dev)}});
    return dev;
  });
  // A disabled device is refused at once, not when its cached session expires.
  deps.auth->forget_device(id);
  return d;
}

std::string rotate_device_token(Deps& deps, const auth::Caller& c, std::int64_t id) {
  auth::require(c.principal, "devices.manage");
  std::string token = random_token();
  deps.db->write([&](soci::session& s) {
    if (!store::find_device(s, id)) throw errors::device_not_found();
    store::set_device_token(s, id, token_digest(token));
    auth::audit(s, c, "device.token_rotated", "device", std::to_string(id));
  });
  // The old token stops working now (the auth cache would keep it for up to 30 s).
  deps.auth->forget_device(id);
  return token;
}

}  // namespace hall::org
