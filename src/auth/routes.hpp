#pragma once
#include "http/router.hpp"
namespace hall {
struct App;
}
namespace hall::auth {
// /api/v1/auth/*: login, logout, me, password; /api/v1/roles; /api/v1/audit.
void register_routes(http::Router& router, App& app);
}  // namespace hall::auth
