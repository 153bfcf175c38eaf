#include "wiring/system_routes.hpp"

#include "db/migrations.hpp"
#include "wiring/openapi.hpp"
#include "wiring/app.hpp"

namespace hall {

void register_system_routes(http::Router& router, App& app) {
  using http::Access;
  using http::Request;
  using http::Response;
  // These never wait on the database (?deep=1 asks it briefly), so they run on
  // the I/O thread (light): liveness probes and scrapes stay cheap under load.
  const http::RouteOptions light{.light = true};
  // Liveness is cheap (no database); ?deep=1 also asks the database.
  router.get("/healthz", Access::public_(), [&app](Request& req) {
    json::object o{{"status", "ok"}};
    if (req.query_param("deep").value_or("") == "1") {
      o["schema_version"] = db::current_schema_version(*app.db);
      o["database"] = app.db->is_sqlite() ? "sqlite" : "postgresql";
    }
    return Response::json(o);
  }, light);
  router.get("/metrics", Access::public_(), [&app](Request&) {
    Response r;
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    r.body = app.metrics.render();
    return r;
  }, light);
  router.get("/api/v1/openapi.json", Access::public_(), [](Request&) {
    return Response::json(openapi_document());
  }, light);
}

}  // namespace hall
