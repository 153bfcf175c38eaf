#include "announcements/module.hpp"

#include <optional>

#include "announcements/routes.hpp"
#include "core/config.hpp"
#include "db/database.hpp"
#include "http/push.hpp"

namespace hall::announcements {

namespace {

class AnnouncementsModule final : public Module {
 public:
  std::string_view name() const override { return "announcements"; }
  std::string_view openapi_fragment() const override { return "31-announcements.json"; }
  std::vector<Permission> permissions() const override {
    return {
        {"announcements.write", {"发布公告", "Publish announcements"}, {"teacher", "admin"}},
    };
  }
  void start(Platform& p, Services&) override { deps_.emplace(Deps{&p.db}); }
  void register_routes(http::Router& router, Platform&, Services&) override {
    announcements::register_routes(router, *deps_);
  }

 private:
  std::optional<Deps> deps_;
};

}  // namespace

std::unique_ptr<Module> make_module() { return std::make_unique<AnnouncementsModule>(); }

}  // namespace hall::announcements
