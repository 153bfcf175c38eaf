// Issue #12 §5: errors as a catalogue. Every error a user can see is listed once,
// in src/<module>/errors.hpp (or core/errors.hpp for the platform's), as
//   inline const ErrorSpec name{status, "code", {"中文", "English"}};
// These tests read the sources: one code never has two statuses or two texts,
// and no code outside the catalogues builds an error from inline text.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include "core/config.hpp"

namespace hall::test {
namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct Entry {
  std::string where;
  int status;
  std::string zh, en;
};

std::vector<fs::path> sources() {
  std::vector<fs::path> out;
  for (const auto& e : fs::recursive_directory_iterator(fs::path(source_dir()) / "src"))
    if (e.path().extension() == ".cpp" || e.path().extension() == ".hpp") out.push_back(e.path());
  return out;
}

bool is_catalogue(const fs::path& p) { return p.filename() == "errors.hpp"; }

std::multimap<std::string, Entry> catalogue_entries() {
  static const std::regex entry(
      R"re(ErrorSpec\s+(\w+)\s*\{\s*(\d{3})\s*,\s*"([a-z0-9_]+)"\s*,\s*\{\s*"((?:[^"\\]|\\.)*)"\s*,\s*"((?:[^"\\]|\\.)*)"\s*\}\s*\})re");
  std::multimap<std::string, Entry> out;
  for (const auto& p : sources()) {
    if (!is_catalogue(p)) continue;
    std::string text = slurp(p);
    for (std::sregex_iterator it(text.begin(), text.end(), entry), end; it != end; ++it) {
      const auto& m = *it;
      out.emplace(m[3].str(), Entry{fs::relative(p, source_dir()).string() + ":" + m[1].str(), std::stoi(m[2].str()),
                                    m[4].str(), m[5].str()});
    }
  }
  return out;
}

TEST(ModulesErrorCatalogue, EveryModuleHasOneAndEntriesParse) {
  auto entries = catalogue_entries();
  EXPECT_GE(entries.size(), 100u) << "the catalogues hold the hall's errors";
  for (const auto& p : sources()) {
    if (!is_catalogue(p)) continue;
    std::string text = slurp(p);
    // Every ErrorSpec line is in the one shape the test reads (so none escapes the checks below).
    std::size_t specs = 0;
    for (std::size_t at = 0; (at = text.find("inline const ErrorSpec ", at)) != std::string::npos; ++at) ++specs;
    std::size_t parsed = 0;
    for (const auto& [code, e] : entries)
      if (e.where.rfind(fs::relative(p, source_dir()).string() + ":", 0) == 0) ++parsed;
    EXPECT_EQ(specs, parsed) << p << ": an entry not written as inline const ErrorSpec name{status, \"code\", {\"zh\", \"en\"}}";
  }
}

TEST(ModulesErrorCatalogue, OneCodeHasOneStatusAndOneText) {
  auto entries = catalogue_entries();
  for (auto it = entries.begin(); it != entries.end();) {
    auto range = entries.equal_range(it->first);
    const Entry& first = range.first->second;
    for (auto j = range.first; j != range.second; ++j) {
      SCOPED_TRACE(it->first + ": " + first.where + " vs " + j->second.where);
      EXPECT_EQ(j->second.status, first.status);
      EXPECT_EQ(j->second.zh, first.zh);
      EXPECT_EQ(j->second.en, first.en);
      EXPECT_FALSE(j->second.zh.empty() || j->second.en.empty());
    }
    it = range.second;
  }
}

TEST(ModulesErrorCatalogue, NoErrorIsBuiltFromInlineText) {
  // The catalogue entry is the only place a code meets its status and its texts.
  static const std::regex inline_error(
      R"re(\b(ApiError|bad_request|not_found|conflict|unprocessable|forbidden)\s*\(\s*(\d{3}\s*,\s*)?("|\{"))re");
  std::vector<std::string> found;
  for (const auto& p : sources()) {
    if (is_catalogue(p) || p.filename() == "error.hpp") continue;
    std::string text = slurp(p);
    for (std::sregex_iterator it(text.begin(), text.end(), inline_error), end; it != end; ++it) {
      auto at = static_cast<std::size_t>(it->position());
      auto line_no = 1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n');
      auto bol = text.rfind('\n', at);
      bol = bol == std::string::npos ? 0 : bol + 1;
      found.push_back(fs::relative(p, source_dir()).string() + ":" + std::to_string(line_no) + ": " +
                      text.substr(bol, text.find('\n', at) - bol));
    }
  }
  std::string list;
  for (const auto& f : found) list += "\n  " + f;
  EXPECT_TRUE(found.empty()) << found.size() << " errors built inline instead of from a catalogue:" << list;
}

}  // namespace
}  // namespace hall::test
