// One running Hall: its settings, database, metrics and live updates (the
// platform), and its modules (src/wiring/modules.cpp) with the services they
// offer each other. Shared by `hall serve` and the API tests (which start the
// same thing on an ephemeral port).
#pragma once

#include <memory>
#include <vector>

#include "core/config.hpp"
#include "core/module.hpp"
#include "db/database.hpp"
#include "http/metrics.hpp"
#include "http/push.hpp"
#include "http/router.hpp"

namespace hall {

struct App {
  Config config;
  std::unique_ptr<db::Database> db;
  http::Metrics metrics;
  http::PushHub push;  // live updates to boards and status pages (SSE)
  Platform platform;
  Services services;
  // Started in list order, stopped and destroyed in reverse.
  std::vector<std::unique_ptr<Module>> modules;

  // Opens the database, applies migrations (throws with a clear reason) and starts every module.
  explicit App(Config c);
  ~App();

  // A service a module offers (tests and `hall serve` reach services this way).
  template <class T>
  T& service() const {
    return services.need<T>();
  }
  void start_background();
  void stop_background();
};

void register_all_routes(http::Router& router, App& app);
std::unique_ptr<http::Dispatcher> make_dispatcher(App& app, http::Router& router);

}  // namespace hall
