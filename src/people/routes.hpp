#pragma once
#include "http/router.hpp"
namespace hall {
struct App;
}
namespace hall::people {
// /api/v1/users: search, read, create, edit, reset password, import and its templates.
void register_routes(http::Router& router, App& app);
}  // namespace hall::people
