// Issue #12: every capability is a module that declares itself in
// src/<module>/module.cpp. These tests hold the declarations to what the code
// does: each module's routes are described in its own OpenAPI fragment, each
// migration lives beside one module, every permission has one owner and names
// known roles, and every src/<folder>/module.cpp is wired.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <set>

#include "auth/permissions.hpp"
#include "core/config.hpp"
#include "db/migrations.hpp"
#include "support/test_support.hpp"
#include "wiring/openapi.hpp"

namespace hall::test {
namespace {

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(tolower(static_cast<unsigned char>(c)));
  return s;
}

TEST(Modules, EachModuleDescribesItsRoutesInItsOwnFragment) {
  TestHall hall("sqlite", false);
  App& app = hall.app();
  std::map<std::string, json::object> fragments;
  for (const auto& part : embedded_openapi_parts())
    fragments[part.file_name] = json::parse(part.content).as_object();
  std::set<std::string> claimed;
  for (auto& m : app.modules) {
    SCOPED_TRACE(std::string(m->name()));
    http::Router router;
    m->register_routes(router, app.platform, app.services);
    if (router.routes().empty()) continue;
    std::string file(m->openapi_fragment());
    ASSERT_TRUE(fragments.count(file))
        << "module " << m->name() << " names fragment '" << file << "'";
    EXPECT_TRUE(claimed.insert(file).second) << file << " claimed by two modules";
    const json::object& paths = fragments[file].at("paths").as_object();
    for (const auto& r : router.routes()) {
      const json::value* ops = paths.if_contains(r.pattern);
      EXPECT_TRUE(ops && ops->as_object().contains(lower(r.method)))
          << r.method << " " << r.pattern << " is not described in docs/openapi/" << file;
    }
  }
  // Every fragment but the header and the platform's own routes belongs to a module.
  for (const auto& [file, doc] : fragments)
    if (file != "00-info.json" && file != "01-system.json")
      EXPECT_TRUE(claimed.count(file)) << "docs/openapi/" << file << " belongs to no module";
}

TEST(Modules, MigrationsLiveBesideTheirModule) {
  std::set<std::string> names;
  for (const auto& m : make_modules()) names.insert(std::string(m->name()));
  std::set<int> versions;
  for (const auto& f : db::embedded_migrations()) {
    std::string path = f.file_name;
    SCOPED_TRACE(path);
    auto slash = path.find('/');
    ASSERT_NE(slash, std::string::npos);
    std::string owner = path.substr(0, slash);
    EXPECT_TRUE(owner == "db" || names.count(owner))
        << "migration in src/" << owner << " which is no module";
    EXPECT_EQ(path.substr(slash, 12), "/migrations/");
  }
  EXPECT_GE(db::latest_schema_version(), 12);
}

TEST(Modules, PermissionsHaveOneOwnerAndKnownRoles) {
  std::map<std::string, std::string> owner;
  for (const auto& m : make_modules())
    for (const auto& p : m->permissions()) {
      EXPECT_TRUE(owner.emplace(p.code, std::string(m->name())).second)
          << p.code << " declared by " << owner[p.code] << " and " << m->name();
      EXPECT_FALSE(p.meaning.zh.empty() || p.meaning.en.empty()) << p.code;
      EXPECT_FALSE(p.roles.empty()) << p.code << " is held by no role";
      for (const auto& r : p.roles)
        EXPECT_TRUE(auth::is_person_role(r)) << p.code << " names role " << r;
    }
  EXPECT_EQ(owner.size(), auth::permission_catalog().size());
  // The teacher runs the hall (A2, D4): every permission of a module reaches the administrator or
  // the teacher.
  for (const auto& [code, mod] : owner)
    EXPECT_TRUE(auth::role_has("admin", code) || auth::role_has("teacher", code)) << code;
}

TEST(Modules, EveryModuleFolderIsWired) {
  std::set<std::string> wired;
  for (const auto& m : make_modules()) wired.insert(std::string(m->name()));
  std::set<std::string> folders;
  for (const auto& e :
       std::filesystem::directory_iterator(std::filesystem::path(source_dir()) / "src"))
    if (std::filesystem::exists(e.path() / "module.cpp"))
      folders.insert(e.path().filename().string());
  EXPECT_EQ(folders, wired)
      << "a src/<folder>/module.cpp missing from src/wiring/modules.cpp, or the reverse";
  EXPECT_GE(wired.size(), 12u);
}

}  // namespace
}  // namespace hall::test
