#include "courtesy/module.hpp"

#include <optional>

#include "core/config.hpp"
#include "courtesy/routes.hpp"
#include "courtesy/service.hpp"
#include "db/database.hpp"
#include "http/push.hpp"

namespace hall::courtesy {

namespace {

class CourtesyModule final : public Module {
 public:
  std::string_view name() const override { return "courtesy"; }
  std::string_view openapi_fragment() const override { return "50-courtesy.json"; }
  std::vector<Permission> permissions() const override {
    return {
        // B1: every staff screen checks what staff write to students; the responsible
        // teacher keeps the list of forbidden phrasings and sees every blocked attempt.
        {"courtesy.check",
         {"文明用语检查，查看禁用语清单", "Check a text for discourteous phrasings; read the list"},
         {"staff", "unit_head", "teacher", "admin"}},
        {"courtesy.manage",
         {"维护禁用语清单", "Edit the list of forbidden phrasings"},
         {"teacher", "admin"}},
        {"courtesy.review",
         {"查看被拦截的不文明用语", "Read the blocked discourteous texts"},
         {"teacher", "admin"}},
    };
  }
  void start(Platform& p, Services& s) override {
    service_ = std::make_unique<CourtesyService>(p.db);
    s.provide(*service_);
    deps_.emplace(Deps{service_.get()});
  }
  void register_routes(http::Router& router, Platform&, Services&) override {
    courtesy::register_routes(router, *deps_);
  }

 private:
  std::optional<Deps> deps_;
  std::unique_ptr<CourtesyService> service_;
};

}  // namespace

std::unique_ptr<Module> make_module() { return std::make_unique<CourtesyModule>(); }

}  // namespace hall::courtesy
