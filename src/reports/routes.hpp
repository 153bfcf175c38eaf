#pragma once
#include "http/router.hpp"
namespace hall {
struct App;
}
namespace hall::reports {
// /api/v1/public/stats/monthly, /api/v1/public/stats/months (B6.4, no login) and
// /api/v1/stats/monthly (stats.read, live). In a demo database, also tops up the
// demo history of the previous month (seed_demo_history).
void register_routes(http::Router& router, App& app);
}  // namespace hall::reports
