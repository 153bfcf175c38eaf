#pragma once
#include "http/router.hpp"
namespace hall {
struct App;
// GET /healthz, GET /metrics (Prometheus), GET /api/v1/openapi.json.
void register_system_routes(http::Router& router, App& app);
}  // namespace hall
