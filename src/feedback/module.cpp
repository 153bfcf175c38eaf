#include "feedback/module.hpp"

#include <optional>

#include "calendar/service.hpp"
#include "core/config.hpp"
#include "courtesy/service.hpp"
#include "db/database.hpp"
#include "feedback/demo.hpp"
#include "feedback/routes.hpp"
#include "http/push.hpp"

namespace hall::feedback {

namespace {

class FeedbackModule final : public Module {
 public:
  std::string_view name() const override { return "feedback"; }
  std::string_view openapi_fragment() const override { return "70-feedback.json"; }
  std::vector<Permission> permissions() const override {
    return {
        // C1–C3: staff handle complaints only when their unit staffs the complaints window
        // (window 10, checked per record in feedback/service.cpp); the teacher and administrators
        // always. Never an item about the handler or the handler's unit: those go to the teacher.
        {"complaints.handle",
         {"受理、处理投诉建议（投诉窗口人员、负责老师；涉及本人或本单位的除外）",
          "Handle complaints and suggestions (complaints-window staff, the teacher; never about "
          "oneself or one's unit)"},
         {"staff", "teacher", "admin"}},
        {"feedback.oversee",
         {"投诉建议统计、异议复核与结案", "Oversee complaints: statistics, disputes, closing"},
         {"teacher", "admin"}},
    };
  }
  void start(Platform& p, Services& s) override {
    deps_.emplace(Deps{p.config, &p.db, &s.need<calendar::CalendarService>(),
                       &s.need<courtesy::CourtesyService>()});
  }
  // Complaints and suggestions in every workflow state, and ratings of the completed cases.
  void seed_demo(DemoContext& d) override {
    if (d.phase == DemoContext::Phase::activity)
      feedback::seed_demo(d.session, *d.calendar, d.now_ms, d.utc_offset_minutes,
                          d.completed_cases);
  }
  void register_routes(http::Router& router, Platform&, Services&) override {
    feedback::register_routes(router, *deps_);
  }

 private:
  std::optional<Deps> deps_;
};

}  // namespace

std::unique_ptr<Module> make_module() { return std::make_unique<FeedbackModule>(); }

}  // namespace hall::feedback
