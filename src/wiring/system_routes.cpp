#include "wiring/system_routes.hpp"

#include "db/migrations.hpp"
#include "wiring/openapi.hpp"
#include "wiring/app.hpp"

namespace hall {

void register_system_routes(http::Router& router, App& app) {
  using http::Access;
  using http::Request;
  using http::Response;
  // Liveness is cheap (no database); ?deep=1 also asks the database.
  router.get("/healthz", Access::public_(), [&app](Request& req) {
    json::object o{{"status", "ok"}};
    if (req.query_param("deep").value_or("") == "1") {
      o["schema_version"] = db::current_schema_version(*app.db);
      o["database"] = app.db->is_sqlite() ? "sqlite" : "postgresql";
    }
    return Response::json(o);
  });
  router.get("/metrics", Access::public_(), [&app](Request&) {
    Response r;
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    r.body = app.metrics.render();
    return r;
  });
  router.get("/api/v1/openapi.json", Access::public_(), [](Request&) {
    return Response::json(openapi_document());
  });
}

}  // namespace hall
