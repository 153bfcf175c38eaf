#pragma once

#include "people/module.hpp"
#include "http/router.hpp"
namespace hall::people {
// /api/v1/users: search, read, create, edit, reset password, import and its templates.
void register_routes(http::Router& router, Deps& deps);
}  // namespace hall::people
