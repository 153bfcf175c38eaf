#include "queue/module.hpp"

#include <optional>

#include "calendar/service.hpp"
#include "core/config.hpp"
#include "db/database.hpp"
#include "http/push.hpp"
#include "queue/demo.hpp"
#include "queue/routes.hpp"
#include "queue/service.hpp"

namespace hall::queue {

namespace {

class QueueModule final : public Module {
 public:
  std::string_view name() const override { return "queue"; }
  std::string_view openapi_fragment() const override { return "40-queue.json"; }
  std::vector<Permission> permissions() const override {
    return {
        // A5, A6, B6.5: students take numbers and book slots for themselves only (checked per
        // record, as for every student record), and devices hold no permission: kiosks, boards and
        // check-in terminals pass by device kind on their own endpoints.
        {"queue.operate",
         {"窗口叫号与办理（本单位窗口），代学生取号",
          "Operate a window: call, serve, transfer (own unit's windows); take a number for a "
          "student"},
         {"staff", "unit_head", "teacher", "admin"}},
        {"queue.board",
         {"查看叫号屏", "View the call board"},
         {"staff", "unit_head", "teacher", "admin"}},
        {"green_channel.mark",
         {"标记绿色通道", "Put a ticket in the green channel"},
         {"staff", "teacher", "admin"}},
    };
  }
  void start(Platform& p, Services& s) override {
    deps_.emplace(Deps{p.config, &p.db, p.push, &s.need<calendar::CalendarService>(), nullptr});
    service_ = std::make_unique<QueueService>(*deps_);
    deps_->queue = service_.get();
    s.provide(*service_);
  }
  // Slot configuration and past days' served tickets (is_demo), after the catalog.
  void seed_demo(DemoContext& d) override {
    if (d.phase == DemoContext::Phase::reference) queue::seed_demo(d.session, d.hall_id, d.now_ms);
  }
  void register_routes(http::Router& router, Platform&, Services&) override {
    queue::register_routes(router, *deps_);
  }

 private:
  std::optional<Deps> deps_;
  std::unique_ptr<QueueService> service_;
};

}  // namespace

std::unique_ptr<Module> make_module() { return std::make_unique<QueueModule>(); }

}  // namespace hall::queue
