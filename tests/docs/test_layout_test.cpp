// The tests mirror the modules, and keep doing so (issue #12, item 7): in
// tests/<capability>/ a test file is api_test.cpp (the HTTP API on both
// databases), model_test.cpp (the pure rules of model.hpp) or <topic>_test.cpp,
// never prefixed with the capability's own name (the folder says it), and a
// shared helper is a header (fixtures.hpp); every suite — the first part of a
// CTest name — starts with the capability: CasesApi, QueueModel, DbTransactions.
// Shared support lives in tests/support/ (one .tsv reader, the pinned clock).
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>
#include <string>
#include <vector>

#include "support/test_support.hpp"

namespace hall::test {
namespace {

namespace fs = std::filesystem;

// tests/<capability>/ folders with C++ tests (browser tests and the support library aside).
std::vector<fs::path> capability_dirs() {
  std::vector<fs::path> out;
  for (const auto& d : fs::directory_iterator(source_path("tests"))) {
    std::string name = d.path().filename().string();
    if (d.is_directory() && name != "support" && name != "browser") out.push_back(d.path());
  }
  return out;
}

// "reliability" → "Reliability", "db" → "Db".
std::string camel(std::string folder) {
  std::string out;
  bool up = true;
  for (char c : folder) {
    if (c == '_') {
      up = true;
      continue;
    }
    out += up ? static_cast<char>(toupper(static_cast<unsigned char>(c))) : c;
    up = false;
  }
  return out;
}

TEST(DocsTestLayout, FileNamesFollowTheScheme) {
  static const std::regex source_re(R"([a-z0-9_]+_test\.cpp)");
  int files = 0;
  for (const auto& dir : capability_dirs()) {
    const std::string cap = dir.filename().string();
    for (const auto& f : fs::directory_iterator(dir)) {
      const std::string name = f.path().filename().string();
      const std::string ext = f.path().extension().string();
      if (ext != ".cpp" && ext != ".hpp") continue;
      SCOPED_TRACE("tests/" + cap + "/" + name);
      ++files;
      if (ext == ".cpp")
        EXPECT_TRUE(std::regex_match(name, source_re)) << "a test file is named <topic>_test.cpp";
      EXPECT_NE(name.rfind(cap + "_", 0), 0u)
          << "the folder names the capability: drop the \"" << cap << "_\" prefix";
      EXPECT_EQ(name.find("test_util"), std::string::npos)
          << "shared helpers: fixtures.hpp, or tests/support/";
    }
  }
  EXPECT_GT(files, 40);
}

TEST(DocsTestLayout, SuitesStartWithTheirCapability) {
  static const std::regex suite_re(R"(\bTEST(?:_P|_F)?\(\s*([A-Za-z0-9_]+)\s*,)");
  int suites = 0;
  for (const auto& dir : capability_dirs()) {
    const std::string cap = dir.filename().string(), prefix = camel(cap);
    for (const auto& f : fs::directory_iterator(dir)) {
      if (f.path().extension() != ".cpp") continue;
      const std::string rel = "tests/" + cap + "/" + f.path().filename().string();
      const std::string text = read_text(rel);
      for (std::sregex_iterator it(text.begin(), text.end(), suite_re), end; it != end;
           ++it, ++suites) {
        const std::string suite = (*it)[1];
        EXPECT_EQ(suite.rfind(prefix, 0), 0u)
            << rel << ": suite " << suite << " should start with " << prefix;
      }
    }
  }
  EXPECT_GT(suites, 300);
}

}  // namespace
}  // namespace hall::test
