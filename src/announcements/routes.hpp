#pragma once
#include "http/router.hpp"
namespace hall {
struct App;
}
namespace hall::announcements {
// /api/v1/public/announcements[/{id}] (public) and /api/v1/announcements[/{id}] (announcements.write).
void register_routes(http::Router& router, App& app);
}  // namespace hall::announcements
