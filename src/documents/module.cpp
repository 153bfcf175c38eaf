#include "documents/module.hpp"

#include <optional>

#include "calendar/service.hpp"
#include "core/config.hpp"
#include "courtesy/service.hpp"
#include "db/database.hpp"
#include "documents/demo.hpp"
#include "documents/routes.hpp"
#include "documents/service.hpp"
#include "http/push.hpp"

namespace hall::documents {

namespace {

class DocumentsModule final : public Module {
 public:
  std::string_view name() const override { return "documents"; }
  std::string_view openapi_fragment() const override { return "51-documents.json"; }
  std::vector<Permission> permissions() const override {
    return {
        // B5: certificates and receipts filled from the records; students read their own without a
        // permission. Corrections (revoke + reissue) by the issuing unit only
        // (documents/service.cpp);
        // any unit's with documents.oversee.
        {"documents.issue",
         {"开具、查询证明与回执，更正本单位开具的",
          "Issue and search certificates and receipts; correct those of one's own unit"},
         {"staff", "teacher", "admin"}},
        {"documents.oversee",
         {"更正任何单位开具的证明与回执", "Correct certificates and receipts of any unit"},
         {"teacher", "admin"}},
    };
  }
  void start(Platform& p, Services& s) override {
    deps_.emplace(Deps{p.config, &p.db, &s.need<calendar::CalendarService>(),
                       &s.need<courtesy::CourtesyService>(), nullptr});
    service_ = std::make_unique<DocumentService>(*deps_);
    deps_->documents = service_.get();
    s.provide(*service_);
  }
  // Documents (B5) and blocked courtesy attempts (B1), after people.
  void seed_demo(DemoContext& d) override {
    if (d.phase == DemoContext::Phase::reference) documents::seed_demo(d.session, d.now_ms);
  }
  void register_routes(http::Router& router, Platform&, Services&) override {
    documents::register_routes(router, *deps_);
  }

 private:
  std::optional<Deps> deps_;
  std::unique_ptr<DocumentService> service_;
};

}  // namespace

std::unique_ptr<Module> make_module() { return std::make_unique<DocumentsModule>(); }

}  // namespace hall::documents
