// Issue 10 §4: the OpenAPI document states who may call each route in a
// machine-readable "x-permission" ("public", "signed_in" or a permission of
// the matrix in src/auth/permissions.cpp), and it must be what the router
// enforces. Fragments that carry it must carry it on every operation; the
// organisation routes (halls, units, colleges, windows, devices) do.
#include <gtest/gtest.h>

#include <set>

#include "auth/permissions.hpp"
#include "support/test_support.hpp"
#include "wiring/openapi.hpp"

namespace hall::test {
namespace {

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string enforced(const http::Access& a) {
  switch (a.kind) {
    case http::Access::everyone:
      return "public";
    case http::Access::signed_in:
      return "signed_in";
    case http::Access::permission:
      return a.name;
  }
  return "?";
}

TEST(HttpOpenApiPermissions, XPermissionIsWhatTheRouterEnforces) {
  TestHall hall("sqlite", false);
  http::Router router;
  register_all_routes(router, hall.app());
  const json::object& paths = openapi_document().at("paths").as_object();
  std::set<std::string> known;
  for (const auto& [p, text] : auth::permission_catalog()) known.insert(p);
  // The organisation's own operations (docs/openapi/10-org.json); the queue's
  // /windows/{id}/… and /halls/{id}/board live in other fragments.
  const std::set<std::string> must_state = {"/api/v1/halls",       "/api/v1/halls/{id}",   "/api/v1/units",
                                            "/api/v1/units/{id}",  "/api/v1/colleges",     "/api/v1/colleges/{id}",
                                            "/api/v1/windows",     "/api/v1/windows/{id}", "/api/v1/devices",
                                            "/api/v1/devices/{id}", "/api/v1/devices/{id}/rotate-token"};
  int stated = 0;
  for (const auto& route : router.routes()) {
    std::string what = route.method + " " + route.pattern;
    SCOPED_TRACE(what);
    const json::value* ops = paths.if_contains(route.pattern);
    const json::value* op =
        ops && ops->is_object() ? ops->as_object().if_contains(lower(route.method)) : nullptr;
    if (!op) continue;  // HttpOpenApi.EveryRegisteredRouteIsDescribed reports it
    const json::value* x = op->as_object().if_contains("x-permission");
    bool required = must_state.count(route.pattern) > 0;
    if (!x) {
      EXPECT_FALSE(required) << what << " lacks \"x-permission\": \"" << enforced(route.access)
                             << "\"";
      continue;
    }
    ++stated;
    ASSERT_TRUE(x->is_string());
    std::string said(x->as_string());
    EXPECT_EQ(said, enforced(route.access))
        << "the OpenAPI says " << said << ", the router enforces " << enforced(route.access);
    if (said != "public" && said != "signed_in") {
      EXPECT_TRUE(known.count(said)) << said << " is not a permission of the matrix";
      bool someone = false;
      for (const auto& r : auth::roles()) someone = someone || auth::role_has(r.role, said);
      EXPECT_TRUE(someone) << "no role holds " << said;
    }
  }
  EXPECT_GE(stated, 16);  // at least the organisation routes
  // No x-permission on an operation that is not routed, and no unknown values.
  for (const auto& [path, ops] : paths)
    for (const auto& [method, op] : ops.as_object())
      if (op.is_object())
        if (const json::value* x = op.as_object().if_contains("x-permission")) {
          std::string said(x->as_string());
          EXPECT_TRUE(said == "public" || said == "signed_in" || known.count(said))
              << method << " " << path << ": " << said;
        }
}

}  // namespace
}  // namespace hall::test
