#include "people/module.hpp"

#include <optional>

#include "auth/service.hpp"
#include "core/config.hpp"
#include "db/database.hpp"
#include "http/push.hpp"
#include "people/routes.hpp"

namespace hall::people {

namespace {

class PeopleModule final : public Module {
 public:
  std::string_view name() const override { return "people"; }
  std::string_view openapi_fragment() const override { return "11-people.json"; }
  std::vector<Permission> permissions() const override {
    return {
        {"users.read", {"查看人员", "Read people"}, {"unit_head", "teacher", "admin"}},
        {"users.write",
         {"新建、停用人员，重置密码，导入", "Create, disable, reset, import people"},
         {"admin"}},
    };
  }
  void start(Platform& p, Services& s) override {
    deps_.emplace(Deps{p.config, &p.db, &s.need<auth::AuthService>()});
  }
  void register_routes(http::Router& router, Platform&, Services&) override {
    people::register_routes(router, *deps_);
  }

 private:
  std::optional<Deps> deps_;
};

}  // namespace

std::unique_ptr<Module> make_module() { return std::make_unique<PeopleModule>(); }

}  // namespace hall::people
