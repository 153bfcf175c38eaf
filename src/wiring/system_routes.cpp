#include "wiring/system_routes.hpp"

#include "db/migrations.hpp"
#include "wiring/app.hpp"
#include "wiring/openapi.hpp"

namespace hall {

void register_system_routes(http::Router& router, App& app) {
  using http::Access;
  using http::Request;
  using http::Response;
  // These never wait on the database (?deep=1 asks it briefly), so they run on
  // the I/O thread (light): liveness probes and scrapes stay cheap under load.
  const http::RouteOptions light{.light = true};
  // Liveness is cheap (no database); ?deep=1 also asks the database.
  router.get(
      "/healthz", Access::public_(),
      [&app](Request& req) {
        json::object o{{"status", "ok"}};
        if (req.query_param("deep").value_or("") == "1") {
          o["database"] = app.db->is_sqlite() ? "sqlite" : "postgresql";
          // Runs on the I/O thread, so it waits briefly: a pool with no free session
          // for 250 ms, or a writer holding SQLite's lock for 10 s, is reported as
          // unavailable so that a load balancer stops sending traffic here.
          auto version = app.db->probe(std::chrono::milliseconds(250), std::chrono::seconds(10));
          if (!version) {
            o["status"] = "unavailable";
            o["reason"] = "database sessions exhausted or a write is stuck";
            return Response::json(o, 503);
          }
          o["schema_version"] = *version;
        }
        return Response::json(o);
      },
      light);
  router.get(
      "/metrics", Access::public_(),
      [&app](Request&) {
        Response r;
        r.content_type = "text/plain; version=0.0.4; charset=utf-8";
        r.body = app.metrics.render();
        return r;
      },
      light);
  router.get(
      "/api/v1/openapi.json", Access::public_(),
      [](Request&) { return Response::json(openapi_document()); }, light);
}

}  // namespace hall
