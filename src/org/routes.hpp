#pragma once

#include "org/module.hpp"
#include "http/router.hpp"
namespace hall::org {
// /api/v1/halls, /units, /colleges, /windows, /devices, /users (administration).
void register_routes(http::Router& router, Deps& deps);
}  // namespace hall::org
