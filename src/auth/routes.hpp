#pragma once

#include "auth/module.hpp"
#include "http/router.hpp"
namespace hall::auth {
// /api/v1/auth/*: login, logout, me, password; /api/v1/roles; /api/v1/audit.
void register_routes(http::Router& router, Deps& deps);
// The handler, with a 429 too_many_attempts (auth::TooManyAttempts) answered
// with its Retry-After header and the message in the request's language.
http::Handler with_retry_after(http::Handler h);
}  // namespace hall::auth
