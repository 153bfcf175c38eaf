#include "catalog/module.hpp"

#include <optional>

#include "catalog/demo.hpp"
#include "catalog/routes.hpp"
#include "core/config.hpp"
#include "db/database.hpp"
#include "http/push.hpp"

namespace hall::catalog {

namespace {

class CatalogModule final : public Module {
 public:
  std::string_view name() const override { return "catalog"; }
  std::string_view openapi_fragment() const override { return "20-catalog.json"; }
  std::vector<Permission> permissions() const override {
    return {
        {"catalog.write",
         {"维护服务事项（单位人员仅限本单位）", "Edit service items (unit staff: own unit only)"},
         {"staff", "unit_head", "teacher", "admin"}},
    };
  }
  void start(Platform& p, Services&) override { deps_.emplace(Deps{p.config, &p.db}); }
  void seed_demo(DemoContext& d) override {
    if (d.phase == DemoContext::Phase::reference) catalog::seed_demo(d.session, d.now_ms);
  }
  void register_routes(http::Router& router, Platform&, Services&) override {
    catalog::register_routes(router, *deps_);
  }

 private:
  std::optional<Deps> deps_;
};

}  // namespace

std::unique_ptr<Module> make_module() { return std::make_unique<CatalogModule>(); }

}  // namespace hall::catalog
