#pragma once

#include "cases/module.hpp"
#include "http/router.hpp"
namespace hall::cases {
// /api/v1/cases… (cases.handle; reads of one's own case: self.read with a record check),
// /api/v1/my/cases (students), /api/v1/followups (cases.handle), /api/v1/cases/oversight
// (cases.oversee).
void register_routes(http::Router& router, Deps& deps);
}  // namespace hall::cases
