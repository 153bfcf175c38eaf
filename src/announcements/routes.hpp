#pragma once

#include "announcements/module.hpp"
#include "http/router.hpp"
namespace hall::announcements {
// /api/v1/public/announcements[/{id}] (public) and /api/v1/announcements[/{id}] (announcements.write).
void register_routes(http::Router& router, Deps& deps);
}  // namespace hall::announcements
