// A capability of the hall as one self-contained module (issue #12): it declares,
// in its own src/<capability>/module.cpp, its permissions, its OpenAPI fragment,
// the services it offers to and needs from other modules, its routes, its demo
// data and its background work. Its migrations live beside it in
// src/<capability>/migrations/ (numbered across the whole hall).
// src/wiring/modules.cpp lists the modules in dependency order; nothing else
// knows them all. Adding a capability means adding a folder and one line there.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <typeindex>
#include <typeinfo>
#include <unordered_map>
#include <vector>

#include "core/error.hpp"

namespace soci {
class session;
}

namespace hall {

struct Config;
namespace db {
class Database;
}
namespace calendar {
class HallCalendar;
}
namespace http {
class Router;
class PushHub;
class Metrics;
}  // namespace http

// A permission and the roles that hold it (roles themselves are listed in auth/permissions.cpp).
struct Permission {
  std::string code;
  Text meaning;
  std::vector<std::string> roles;
};

// What the platform gives every module: settings, the database, live updates (SSE), metrics.
struct Platform {
  const Config& config;
  db::Database& db;
  http::PushHub& push;
  http::Metrics& metrics;
};

// The services modules offer each other, by type. A module asks for the narrow
// service it uses (`services.need<calendar::CalendarService>()`), never for the
// whole application; asking for one no earlier module offers is a wiring error.
class Services {
 public:
  template <class T>
  void provide(T& service) {
    by_type_[std::type_index(typeid(T))] = &service;
  }
  template <class T>
  T& need() const {
    auto it = by_type_.find(std::type_index(typeid(T)));
    if (it == by_type_.end())
      throw std::logic_error(
          std::string("no module offers ") + typeid(T).name() +
          ": list the module that provides it earlier in src/wiring/modules.cpp");
    return *static_cast<T*>(it->second);
  }

 private:
  std::unordered_map<std::type_index, void*> by_type_;
};

// What a module's demo data may use (src/demo/seed.cpp calls every module in
// list order, twice). Phase `reference` runs inside the one transaction that
// fills an empty database, after the people, halls, windows and units;
// phase `activity` runs afterwards in a second transaction, with the hall's
// working-day calendar, for what the services produce over time.
struct DemoContext {
  enum class Phase { reference, activity };
  Phase phase = Phase::reference;
  soci::session& session;
  std::int64_t hall_id = 0;
  std::int64_t now_ms = 0;
  int utc_offset_minutes = 0;
  const calendar::HallCalendar* calendar = nullptr;  // activity phase only
  // Filled by cases in the activity phase, rated by feedback after it.
  std::vector<std::int64_t> completed_cases;
};

class Module {
 public:
  virtual ~Module() = default;
  // The folder name under src/ ("queue"); also the owner of src/<name>/migrations/.
  virtual std::string_view name() const = 0;
  // The file in docs/openapi/ describing its routes ("" when it has none).
  virtual std::string_view openapi_fragment() const { return {}; }
  virtual std::vector<Permission> permissions() const { return {}; }
  // Creates the module's services and offers those other modules use.
  virtual void start(Platform&, Services&) {}
  virtual void register_routes(http::Router&, Platform&, Services&) {}
  virtual void seed_demo(DemoContext&) {}
  // Work on its own thread in `hall serve` (tests drive it by hand instead).
  virtual void start_background(Platform&) {}
  virtual void stop_background() {}
};

// Every module of the hall, in dependency order (src/wiring/modules.cpp).
std::vector<std::unique_ptr<Module>> make_modules();

}  // namespace hall
