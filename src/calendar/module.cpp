#include "calendar/module.hpp"

#include <filesystem>
#include <optional>

#include "calendar/demo.hpp"
#include "calendar/routes.hpp"
#include "calendar/service.hpp"
#include "core/config.hpp"
#include "db/database.hpp"
#include "http/push.hpp"

namespace hall::calendar {

namespace {

class CalendarModule final : public Module {
 public:
  std::string_view name() const override { return "calendar"; }
  std::string_view openapi_fragment() const override { return "30-calendar.json"; }
  std::vector<Permission> permissions() const override {
    return {
        // A2, B2, D4: the responsible teacher runs the hall day to day, including its working days,
        // closures and opening hours, on which the B6.3 time limits and the queue's opening rest.
        {"calendar.write",
         {"维护节假日、闭厅日与开放时间", "Edit holidays, closures and opening hours"},
         {"teacher", "admin"}},
    };
  }
  void start(Platform& p, Services& s) override {
    const Config& c = p.config;
    service_ = std::make_unique<CalendarService>(
        p.db,
        std::filesystem::path(c.data_dir.empty() ? source_dir() + "/data" : c.data_dir) /
            "holidays",
        std::chrono::minutes(c.utc_offset_minutes));
    s.provide(*service_);
    deps_.emplace(Deps{&p.db, service_.get()});
  }
  void seed_demo(DemoContext& d) override {
    if (d.phase == DemoContext::Phase::reference) calendar::seed_demo(d.session, d.hall_id);
  }
  void register_routes(http::Router& router, Platform&, Services&) override {
    calendar::register_routes(router, *deps_);
  }

 private:
  std::optional<Deps> deps_;
  std::unique_ptr<CalendarService> service_;
};

}  // namespace

std::unique_ptr<Module> make_module() { return std::make_unique<CalendarModule>(); }

}  // namespace hall::calendar
