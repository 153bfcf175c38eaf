#pragma once
#include "http/router.hpp"
namespace hall {
struct App;
}
namespace hall::org {
// /api/v1/halls, /units, /colleges, /windows, /devices, /users (administration).
void register_routes(http::Router& router, App& app);
}  // namespace hall::org
