#include "org/module.hpp"

#include <optional>

#include "auth/service.hpp"
#include "core/config.hpp"
#include "db/database.hpp"
#include "http/push.hpp"
#include "org/routes.hpp"

namespace hall::org {

namespace {

class OrgModule final : public Module {
 public:
  std::string_view name() const override { return "org"; }
  std::string_view openapi_fragment() const override { return "10-org.json"; }
  std::vector<Permission> permissions() const override {
    return {
        {"org.read",
         {"查看大厅、窗口、入驻单位、学院", "Read halls, windows, units, colleges"},
         {"staff", "unit_head", "teacher", "admin"}},
        {"org.write",
         {"维护大厅、窗口、入驻单位、学院", "Edit halls, windows, units, colleges"},
         {"admin"}},
        {"devices.manage", {"管理终端设备与令牌", "Manage devices and their tokens"}, {"admin"}},
    };
  }
  void start(Platform& p, Services& s) override {
    deps_.emplace(Deps{&p.db, &s.need<auth::AuthService>()});
  }
  void register_routes(http::Router& router, Platform&, Services&) override {
    org::register_routes(router, *deps_);
  }

 private:
  std::optional<Deps> deps_;
};

}  // namespace

std::unique_ptr<Module> make_module() { return std::make_unique<OrgModule>(); }

}  // namespace hall::org
