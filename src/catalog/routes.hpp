// HTTP routes of the service catalog: the staff console (/api/v1/catalog/…)
// and public disclosure without login (/api/v1/public/catalog…, B6.4).
#pragma once

#include "catalog/module.hpp"

#include "http/router.hpp"

namespace hall::catalog {
void register_routes(http::Router& router, Deps& deps);
}  // namespace hall::catalog
