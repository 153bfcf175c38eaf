#pragma once

#include "reports/module.hpp"
#include "http/router.hpp"
namespace hall::reports {
// /api/v1/public/stats/monthly, /api/v1/public/stats/months (B6.4, no login) and
// /api/v1/stats/monthly (stats.read, live).
void register_routes(http::Router& router, Deps& deps);
}  // namespace hall::reports
