#include "auth/module.hpp"

#include <optional>

#include "auth/routes.hpp"
#include "auth/service.hpp"
#include "core/config.hpp"
#include "db/database.hpp"
#include "http/push.hpp"

namespace hall::auth {

namespace {

class AuthModule final : public Module {
 public:
  std::string_view name() const override { return "auth"; }
  std::string_view openapi_fragment() const override { return "02-auth.json"; }
  std::vector<Permission> permissions() const override {
    return {
        {"self.read",
         {"查看本人账户与记录", "Read one's own account and records"},
         {"student", "staff", "unit_head", "teacher", "admin"}},
        {"self.write",
         {"修改本人密码", "Change one's own password"},
         {"student", "staff", "unit_head", "teacher", "admin"}},
        {"roles.read", {"查看角色与权限", "Read roles and permissions"}, {"teacher", "admin"}},
        {"audit.read", {"查询审计日志", "Search the audit log"}, {"teacher", "admin"}},
    };
  }
  void start(Platform& p, Services& s) override {
    service_ = std::make_unique<AuthService>(p.db, p.config);
    s.provide(*service_);
    deps_.emplace(Deps{p.config, &p.db, service_.get()});
  }
  void register_routes(http::Router& router, Platform&, Services&) override {
    auth::register_routes(router, *deps_);
  }

 private:
  std::optional<Deps> deps_;
  std::unique_ptr<AuthService> service_;
};

}  // namespace

std::unique_ptr<Module> make_module() { return std::make_unique<AuthModule>(); }

}  // namespace hall::auth
