// HTTP ↔ ReportService.
#include "reports/errors.hpp"
#include "reports/routes.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <memory>

#include "calendar/service.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "reports/service.hpp"
#include "reports/module.hpp"
#include "db/database.hpp"

namespace hall::reports {

using http::Access;
using http::Request;
using http::Response;

namespace {

std::int64_t hall_param(const Request& req) {
  return req.query_int("hall", 1, INT64_MAX).value_or(0);
}

std::string required_month(const Request& req) {
  auto v = req.query_param("month");
  if (!v || v->empty())
    throw errors::missing_parameter.with("month", "month");
  return *v;
}

}  // namespace

void register_routes(http::Router& router, Deps& deps) {
  auto service = std::make_shared<ReportService>(deps);

  // B6.4: the published figures of a closed month (frozen on first request).
  router.get("/api/v1/public/stats/monthly", Access::public_(), [service](Request& req) {
    return Response::json(service->published(hall_param(req), required_month(req)));
  });
  router.get("/api/v1/public/stats/months", Access::public_(),
             [service](Request& req) { return Response::json(service->months(hall_param(req))); });
  // Staff: any month computed now (the current month by default), never stored.
  router.get("/api/v1/stats/monthly", Access::perm("stats.read"), [service](Request& req) {
    auto month = req.query_param("month");
    if (month && month->empty()) month.reset();
    return Response::json(service->live(hall_param(req), month));
  });
}

}  // namespace hall::reports
