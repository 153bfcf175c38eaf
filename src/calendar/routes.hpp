#pragma once

#include "calendar/module.hpp"
#include "http/router.hpp"
namespace hall::calendar {
// /api/v1/calendar/* (due, days, hours, open-now, closures, holidays, years, import),
// /api/v1/public/halls and /api/v1/public/windows.
void register_routes(http::Router& router, Deps& deps);
}  // namespace hall::calendar
