#include "org/routes.hpp"

#include "auth/caller.hpp"
#include "auth/service.hpp"
#include "core/errors.hpp"
#include "db/database.hpp"
#include "org/module.hpp"
#include "org/service.hpp"

namespace hall::org {

using http::Access;
using http::Request;
using http::Response;

namespace {

json::object body_object(const Request& req) {
  json::value v = req.json_body();
  if (!v.is_object()) throw hall::errors::invalid_body();
  return std::move(v.as_object());
}

store::Page page_of(const Request& req) {
  auto [page, size] = req.paging();
  return store::Page{page, size};
}

// Optional ids in a body: absent → not given; null → given, cleared.
struct IdField {
  bool given = false;
  std::optional<std::int64_t> value;
};
IdField nullable_id(JsonFields& f, const json::object& raw, std::string_view key) {
  IdField out;
  out.given = raw.contains(key);
  out.value = f.optional_int(key, 1, INT64_MAX);
  return out;
}

RecordInput read_record(const Request& req, const RecordKind& k) {
  std::set<std::string> optional_cols, blanks;
  for (const auto& c : k.columns)
    if (!c.required) optional_cols.insert(c.name);
  JsonFields f(take_blanks(body_object(req), optional_cols, blanks));
  RecordInput in;
  for (const auto& c : k.columns) {
    if (blanks.count(c.name)) {
      f.optional_string(c.name, c.max_chars);  // marks it as read
      in[c.name] = "";
    } else if (auto v = f.optional_string(c.name, c.max_chars)) {
      in[c.name] = *v;
    }
  }
  f.finish();
  return in;
}

void register_records(http::Router& router, Deps& deps, const RecordKind& k) {
  // The full lists (codes, inactive windows) are for the people who run the hall:
  // org.read. Students, devices and the public read the halls and the active
  // windows with their units from /api/v1/public/halls and /public/windows (B6.4).
  router.get(k.path, Access::perm("org.read"), [&deps, &k](Request& req) {
    return Response::json(list_records(deps, caller_of(req), k, page_of(req)));
  });
  router.post(k.path, Access::perm("org.write"), [&deps, &k](Request& req) {
    RecordInput in = read_record(req, k);
    return Response::json(to_json(k, create_record(deps, caller_of(req), k, in)), 201);
  });
  router.patch(k.path + "/{id}", Access::perm("org.write"), [&deps, &k](Request& req) {
    std::int64_t id = req.param_id("id");
    RecordInput in = read_record(req, k);
    return Response::json(to_json(k, update_record(deps, caller_of(req), k, id, in)));
  });
}

WindowInput read_window(const Request& req) {
  std::set<std::string> blanks;
  json::object raw = body_object(req);
  JsonFields f(take_blanks(raw, {"name_en"}, blanks));
  WindowInput in;
  in.hall_id = f.optional_int("hall_id", 1, INT64_MAX);
  if (auto n = f.optional_int("number", 1, kMaxWindowNumber)) in.number = static_cast<int>(*n);
  in.name = f.optional_string("name", 100);
  in.name_en = f.optional_string("name_en", 200);
  if (blanks.count("name_en")) in.name_en = "";
  IdField unit = nullable_id(f, raw, "unit_id");
  in.unit_given = unit.given;
  in.unit_id = unit.value;
  in.is_complaints = f.optional_bool("is_complaints");
  in.active = f.optional_bool("active");
  f.finish();
  return in;
}

}  // namespace

void register_routes(http::Router& router, Deps& deps) {
  register_records(router, deps, halls_kind());
  register_records(router, deps, units_kind());
  register_records(router, deps, colleges_kind());

  router.get("/api/v1/windows", Access::perm("org.read"), [&deps](Request& req) {
    auto hall = req.query_int("hall_id", 1, INT64_MAX);
    return Response::json(list_windows(deps, caller_of(req), hall, page_of(req)));
  });
  router.post("/api/v1/windows", Access::perm("org.write"), [&deps](Request& req) {
    WindowInput in = read_window(req);
    return Response::json(to_json(create_window(deps, caller_of(req), in)), 201);
  });
  router.patch("/api/v1/windows/{id}", Access::perm("org.write"), [&deps](Request& req) {
    std::int64_t id = req.param_id("id");
    WindowInput in = read_window(req);
    return Response::json(to_json(update_window(deps, caller_of(req), id, in)));
  });

  router.get("/api/v1/devices", Access::perm("devices.manage"), [&deps](Request& req) {
    auto hall = req.query_int("hall_id", 1, INT64_MAX);
    return Response::json(list_devices(deps, caller_of(req), hall, page_of(req)));
  });
  router.post("/api/v1/devices", Access::perm("devices.manage"), [&deps](Request& req) {
    JsonFields f(req.json_body());
    DeviceInput in;
    in.hall_id = f.optional_int("hall_id", 1, INT64_MAX);
    in.kind = f.optional_string("kind", 20);
    in.name = f.optional_string("name", 100);
    in.window_id = f.optional_int("window_id", 1, INT64_MAX);
    in.window_given = in.window_id.has_value();
    f.finish();
    auto [device, token] = create_device(deps, caller_of(req), in);
    json::object out = to_json(device);
    out["token"] = token;  // shown once
    Response r = Response::json(out, 201);
    r.header("Cache-Control", "no-store");
    return r;
  });
  router.patch("/api/v1/devices/{id}", Access::perm("devices.manage"), [&deps](Request& req) {
    std::int64_t id = req.param_id("id");
    json::object raw = body_object(req);
    JsonFields f(raw);
    DeviceInput in;
    in.name = f.optional_string("name", 100);
    in.disabled = f.optional_bool("disabled");
    IdField w = nullable_id(f, raw, "window_id");
    in.window_given = w.given;
    in.window_id = w.value;
    f.finish();
    return Response::json(to_json(update_device(deps, caller_of(req), id, in)));
  });
  router.post("/api/v1/devices/{id}/rotate-token", Access::perm("devices.manage"), [&deps](Request& req) {
    std::int64_t id = req.param_id("id");
    if (!req.body.empty()) JsonFields(req.json_body()).finish();  // {} or nothing
    Response r = Response::json(json::object{{"token", rotate_device_token(deps, caller_of(req), id)}});
    r.header("Cache-Control", "no-store");
    return r;
  });
}

}  // namespace hall::org
