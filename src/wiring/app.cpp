#include "wiring/app.hpp"

#include <fmt/format.h>

#include "auth/service.hpp"
#include "db/migrations.hpp"
#include "http/client_address.hpp"
#include "http/static_files.hpp"
#include "wiring/system_routes.hpp"

namespace hall {

namespace {
std::unique_ptr<db::Database> open_database(const Config& config) {
  db::Limits limits;
  limits.lease_wait = std::chrono::milliseconds(config.db_lease_wait_ms);
  limits.writer_wait = std::chrono::milliseconds(config.db_writer_wait_ms);
  auto db =
      db::Database::open(config.db_url, static_cast<std::size_t>(config.db_pool_size), limits);
  db::migrate(*db);
  return db;
}
}  // namespace

App::App(Config c)
    : config(std::move(c)),
      db(open_database(config)),
      platform{config, *db, push, metrics},
      modules(make_modules()) {
  for (auto& m : modules) m->start(platform, services);
  metrics.add_gauge_source([this] {
    auto s = db->stats();
    return fmt::format(
        "# HELP hall_db_pool_size Database sessions in the pool.\n# TYPE hall_db_pool_size "
        "gauge\nhall_db_pool_size {}\n"
        "# HELP hall_db_pool_in_use Database sessions leased now.\n# TYPE hall_db_pool_in_use "
        "gauge\nhall_db_pool_in_use {}\n"
        "# HELP hall_db_pool_waits_total Leases that waited for a free session.\n# TYPE "
        "hall_db_pool_waits_total counter\n"
        "hall_db_pool_waits_total {}\n"
        "# HELP hall_db_pool_timeouts_total Leases refused after waiting (answered 503 "
        "server_busy).\n"
        "# TYPE hall_db_pool_timeouts_total counter\nhall_db_pool_timeouts_total {}\n"
        "# HELP hall_db_retries_total Transactions retried after a transient conflict.\n# TYPE "
        "hall_db_retries_total counter\n"
        "hall_db_retries_total {}\n"
        "# HELP hall_db_writers_waiting SQLite writers queued for their turn now.\n# TYPE "
        "hall_db_writers_waiting gauge\n"
        "hall_db_writers_waiting {}\n"
        "# HELP hall_db_writer_waits_total Writers that queued for their turn.\n# TYPE "
        "hall_db_writer_waits_total counter\n"
        "hall_db_writer_waits_total {}\n"
        "# HELP hall_db_writer_timeouts_total Writers refused after waiting (answered 503 "
        "server_busy).\n"
        "# TYPE hall_db_writer_timeouts_total counter\nhall_db_writer_timeouts_total {}\n"
        "# HELP hall_db_writer_held_seconds How long the current writer has held its turn.\n"
        "# TYPE hall_db_writer_held_seconds gauge\nhall_db_writer_held_seconds {:.3f}\n",
        s.size, s.in_use, s.waits, s.timeouts, s.retries, s.writers_waiting, s.writer_waits,
        s.writer_timeouts, s.writer_held_ms / 1000.0);
  });
  metrics.add_gauge_source([this] {
    return fmt::format(
        "# HELP hall_push_subscribers Open event streams.\n# TYPE hall_push_subscribers gauge\n"
        "hall_push_subscribers {}\n",
        push.subscriber_count());
  });
}

App::~App() {
  stop_background();
  while (!modules.empty()) modules.pop_back();
}

void App::start_background() {
  for (auto& m : modules) m->start_background(platform);
}

void App::stop_background() {
  for (auto it = modules.rbegin(); it != modules.rend(); ++it) (*it)->stop_background();
}

void register_all_routes(http::Router& router, App& app) {
  register_system_routes(router, app);
  for (auto& m : app.modules) m->register_routes(router, app.platform, app.services);
}

std::unique_ptr<http::Dispatcher> make_dispatcher(App& app, http::Router& router) {
  std::string web_root =
      app.config.web_root.empty() ? source_dir() + "/web/dist" : app.config.web_root;
  auto d = std::make_unique<http::Dispatcher>(
      router,
      [&auth = app.service<auth::AuthService>()](const std::string& token, bool via_cookie) {
        return auth.authenticate(token, via_cookie);
      },
      http::make_static_handler(web_root), app.config.max_body_bytes);
  if (!app.config.trusted_proxies.empty()) {
    std::shared_ptr<const http::TrustedProxies> proxies;
    try {
      proxies = std::make_shared<const http::TrustedProxies>(app.config.trusted_proxies);
    } catch (const std::invalid_argument& e) {
      throw std::runtime_error(std::string("server.trusted_proxies: ") + e.what());
    }
    d->set_client_address([proxies](const http::Request& req) {
      return proxies->client(req.remote_address, req.header("x-forwarded-for"));
    });
  }
  return d;
}

}  // namespace hall
