#include "reports/module.hpp"

#include <optional>

#include "calendar/service.hpp"
#include "core/config.hpp"
#include "db/database.hpp"
#include "http/push.hpp"
#include "reports/routes.hpp"

namespace hall::reports {

namespace {

class ReportsModule final : public Module {
 public:
  std::string_view name() const override { return "reports"; }
  std::string_view openapi_fragment() const override { return "80-reports.json"; }
  std::vector<Permission> permissions() const override {
    return {
        {"stats.read", {"查看统计", "Read statistics"}, {"staff", "unit_head", "teacher", "admin"}},
    };
  }
  void start(Platform& p, Services& s) override {
    deps_.emplace(Deps{&p.db, &s.need<calendar::CalendarService>()});
  }
  void register_routes(http::Router& router, Platform&, Services&) override {
    reports::register_routes(router, *deps_);
  }

 private:
  std::optional<Deps> deps_;
};

}  // namespace

std::unique_ptr<Module> make_module() { return std::make_unique<ReportsModule>(); }

}  // namespace hall::reports
