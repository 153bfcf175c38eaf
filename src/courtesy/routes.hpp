#pragma once

#include "courtesy/module.hpp"
#include "http/router.hpp"
namespace hall::courtesy {
// /api/v1/courtesy/check (courtesy.check), /phrases (read: courtesy.check; write: courtesy.manage),
// /try (courtesy.manage), /attempts (courtesy.review).
void register_routes(http::Router& router, Deps& deps);
}  // namespace hall::courtesy
