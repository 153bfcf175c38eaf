#include "cases/module.hpp"

#include <optional>

#include "calendar/service.hpp"
#include "cases/demo.hpp"
#include "cases/routes.hpp"
#include "cases/warnings.hpp"
#include "core/config.hpp"
#include "courtesy/service.hpp"
#include "db/database.hpp"
#include "documents/service.hpp"
#include "http/push.hpp"

namespace hall::cases {

namespace {

class CasesModule final : public Module {
 public:
  std::string_view name() const override { return "cases"; }
  std::string_view openapi_fragment() const override { return "60-cases.json"; }
  std::vector<Permission> permissions() const override {
    return {
        // B6.1–B6.3, B6.5: students read their own cases with self.read (checked per record). An
        // online application (not yet received) is received by the unit of its item only
        // (cases/service.cpp); any with cases.oversee.
        {"cases.handle",
         {"受理、办理、转介办件，出具一次性告知书（网上申请由事项所属单位受理）",
          "Receive, handle and refer cases; issue one-time notices (online applications: the "
          "item's unit)"},
         {"staff", "unit_head", "teacher", "admin"}},
        {"cases.oversee",
         {"督办：超时与预警办件、一次性告知违规、逾期跟进",
          "Oversee cases: overdue and at-risk cases, notice breaches, late follow-ups"},
         {"teacher", "admin"}},
    };
  }
  void start(Platform& p, Services& s) override {
    deps_.emplace(Deps{p.config, &p.db, p.push, &s.need<calendar::CalendarService>(),
                       &s.need<courtesy::CourtesyService>(), &s.need<documents::DocumentService>(),
                       nullptr});
    warnings_ = std::make_unique<WarningService>(*deps_);
    deps_->case_warnings = warnings_.get();
    s.provide(*warnings_);
  }
  // B6.3: time-limit warnings reach the handler and the teacher without anyone reading a list.
  void start_background(Platform& p) override {
    warnings_->start(p.config.case_warning_sweep_seconds);
  }
  void stop_background() override {
    if (warnings_) warnings_->stop();
  }
  // Cases received, accepted and completed on the working-day calendar.
  void seed_demo(DemoContext& d) override {
    if (d.phase == DemoContext::Phase::activity)
      d.completed_cases =
          cases::seed_demo(d.session, d.hall_id, *d.calendar, d.now_ms, d.utc_offset_minutes);
  }
  void register_routes(http::Router& router, Platform&, Services&) override {
    cases::register_routes(router, *deps_);
  }

 private:
  std::optional<Deps> deps_;
  std::unique_ptr<WarningService> warnings_;
};

}  // namespace

std::unique_ptr<Module> make_module() { return std::make_unique<CasesModule>(); }

}  // namespace hall::cases
