// docs/regulations.tsv — the regulations as an index of the code — kept true:
// one row per clause id of docs/regulations.md (none missing, none unknown, none
// twice), six columns, and every entry real: a rule names a function that its
// file defines, a use case is a route of the OpenAPI document, a test is a test
// of its file, a page is a route of the web UI. "not yet" marks a clause the
// hall has no software for. Where the project's seed is present (beside the
// checkout, ../shared/seed, or HALL_REGULATIONS_SEED), the copies in docs/ have
// its clause ids and its Chinese original.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "core/config.hpp"
#include "support/test_support.hpp"
#include "wiring/openapi.hpp"

namespace hall::test {
namespace {

namespace fs = std::filesystem;

constexpr const char* kIndex = "docs/regulations.tsv";
constexpr const char* kNotYet = "not yet";
enum Column { kClause, kSummary, kRule, kUseCase, kTest, kPage, kColumns };
const char* const kColumnNames[] = {"clause", "summary", "rule", "use_case", "test", "page"};

// The clause ids of a rendering of the regulations: the bold ids, **A1** and
// **B6.1 First-inquiry…**. A heading whose clauses are numbered below it (B6:
// B6.1 … B6.5) is not a clause of its own.
std::set<std::string> clause_ids(const std::string& markdown) {
  static const std::regex id_re(R"(\*\*([A-D][0-9]+(?:\.[0-9]+)?)[ *.])");
  std::set<std::string> ids;
  for (std::sregex_iterator it(markdown.begin(), markdown.end(), id_re), end; it != end; ++it)
    ids.insert((*it)[1]);
  std::set<std::string> leaves;
  for (const auto& id : ids) {
    bool has_children = std::any_of(ids.begin(), ids.end(), [&](const std::string& other) {
      return other.size() > id.size() && other.compare(0, id.size() + 1, id + ".") == 0;
    });
    if (!has_children) leaves.insert(id);
  }
  return leaves;
}

// "a; b; c" → a, b, c.
std::vector<std::string> entries(const std::string& cell) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  for (;;) {
    auto next = cell.find("; ", pos);
    out.push_back(cell.substr(pos, next == std::string::npos ? std::string::npos : next - pos));
    if (next == std::string::npos) return out;
    pos = next + 2;
  }
}

const std::vector<TsvRow>& index_rows() {
  static const std::vector<TsvRow> rows = read_tsv(kIndex, kColumns, kColumns);
  return rows;
}

// Every entry of a column except "not yet", with the row it stands in.
struct Entry {
  const TsvRow* row;
  std::string text;
  std::string trace() const { return row->where() + " " + row->cells[kClause] + " " + text; }
};
std::vector<Entry> column(Column c) {
  std::vector<Entry> out;
  for (const auto& row : index_rows()) {
    if (row.cells.size() <= static_cast<std::size_t>(c) || row.cells[c] == kNotYet) continue;
    for (const auto& e : entries(row.cells[c])) out.push_back({&row, e});
  }
  return out;
}

// "path:name" → {path, name}; the path is a file of the repository.
std::pair<std::string, std::string> path_and_name(const std::string& entry) {
  auto colon = entry.find(':');
  if (colon == std::string::npos) return {entry, ""};
  return {entry.substr(0, colon), entry.substr(colon + 1)};
}

bool repo_file_exists(const std::string& relative) {
  return !relative.empty() && relative.find("..") == std::string::npos &&
         fs::is_regular_file(source_path(relative));
}

std::string escape_regex(const std::string& s) {
  static const std::regex special(R"([.^$|()\[\]{}*+?\\])");
  return std::regex_replace(s, special, R"(\$&)");
}

TEST(DocsRegulations, EveryClauseIdHasExactlyOneRow) {
  const auto ids = clause_ids(read_text("docs/regulations.md"));
  ASSERT_GE(ids.size(), 30u)
      << "docs/regulations.md: the clause ids A1 … D10, B6.1 … B6.5 were not found";
  std::map<std::string, int> seen;
  for (const auto& row : index_rows()) {
    const std::string& id = row.cells[kClause];
    EXPECT_TRUE(ids.count(id)) << row.where() << ": \"" << id
                               << "\" is not a clause id of docs/regulations.md";
    EXPECT_EQ(++seen[id], 1) << row.where() << ": a second row for " << id;
  }
  for (const auto& id : ids)
    EXPECT_TRUE(seen.count(id)) << kIndex << " has no row for clause " << id;
}

TEST(DocsRegulations, RowsHaveSixFilledColumns) {
  for (const auto& row : index_rows()) {
    EXPECT_EQ(row.cells.size(), static_cast<std::size_t>(kColumns))
        << row.where() << ": six columns expected";
    for (std::size_t c = 0; c < row.cells.size() && c < kColumns; ++c) {
      EXPECT_FALSE(row.cells[c].empty())
          << row.where() << ": empty " << kColumnNames[c] << " (write \"not yet\")";
      if (c == kClause || c == kSummary || row.cells[c] == kNotYet) continue;
      for (const auto& e : entries(row.cells[c]))
        EXPECT_TRUE(!e.empty() && e != kNotYet && e.find(';') == std::string::npos)
            << row.where() << ": " << kColumnNames[c] << " entry \"" << e
            << "\" (entries are separated by \"; \")";
    }
    // A clause without software has none anywhere; one with a rule has its test.
    bool rule = row.cells[kRule] != kNotYet, test = row.cells[kTest] != kNotYet;
    EXPECT_EQ(rule, test) << row.where() << ": a rule without a test, or a test without a rule";
  }
}

TEST(DocsRegulations, RulesNameFunctionsOfTheirFiles) {
  auto rules = column(kRule);
  ASSERT_FALSE(rules.empty());
  for (const auto& e : rules) {
    auto [path, name] = path_and_name(e.text);
    SCOPED_TRACE(e.trace());
    EXPECT_EQ(path.rfind("src/", 0), 0u) << "a rule is code under src/";
    if (!repo_file_exists(path)) {
      ADD_FAILURE() << path << " does not exist (moved? point the row at its new file)";
      continue;
    }
    ASSERT_FALSE(name.empty()) << "path:function expected";
    // The function as defined or declared: the name (qualified as written) followed by "(".
    std::regex def("(^|[^A-Za-z0-9_:])" + escape_regex(name) + R"(\s*\()");
    EXPECT_TRUE(std::regex_search(read_text(path), def)) << path << " has no function " << name;
  }
}

TEST(DocsRegulations, UseCasesAreRoutesOfTheOpenApiDocument) {
  const auto& paths = openapi_document().at("paths").as_object();
  auto use_cases = column(kUseCase);
  ASSERT_FALSE(use_cases.empty());
  for (const auto& e : use_cases) {
    SCOPED_TRACE(e.trace());
    // "GET POST /wechat": methods, then the path.
    std::istringstream words(e.text);
    std::vector<std::string> parts;
    for (std::string w; words >> w;) parts.push_back(w);
    ASSERT_GE(parts.size(), 2u) << "\"METHOD /path\" expected";
    const std::string& path = parts.back();
    auto it = paths.find(path);
    if (it == paths.end()) {
      ADD_FAILURE() << path << " is not a route of the OpenAPI document";
      continue;
    }
    for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
      std::string method = parts[i];
      EXPECT_TRUE(
          std::all_of(method.begin(), method.end(), [](char ch) { return ch >= 'A' && ch <= 'Z'; }))
          << "methods in capitals: " << method;
      std::transform(method.begin(), method.end(), method.begin(),
                     [](char ch) { return static_cast<char>(tolower(ch)); });
      EXPECT_TRUE(it->value().as_object().contains(method))
          << parts[i] << " " << path << " is not in the OpenAPI document";
    }
  }
}

TEST(DocsRegulations, TestsNameTestsOfTheirFiles) {
  auto tests = column(kTest);
  ASSERT_FALSE(tests.empty());
  for (const auto& e : tests) {
    auto [path, name] = path_and_name(e.text);
    SCOPED_TRACE(e.trace());
    EXPECT_EQ(path.rfind("tests/", 0), 0u) << "a test is under tests/";
    if (!repo_file_exists(path)) {
      ADD_FAILURE() << path << " does not exist (renamed? point the row at its new file)";
      continue;
    }
    auto dot = name.find('.');
    ASSERT_NE(dot, std::string::npos) << "path:Suite.Name expected";
    std::regex test_re(R"(\bTEST(_P|_F)?\(\s*)" + escape_regex(name.substr(0, dot)) + R"(\s*,\s*)" +
                       escape_regex(name.substr(dot + 1)) + R"(\s*\))");
    EXPECT_TRUE(std::regex_search(read_text(path), test_re)) << path << " has no test " << name;
  }
}

TEST(DocsRegulations, PagesAreRoutesOfTheWebUi) {
  // Every route path the web UI declares (web/src/…/routes.js: `path: '/cases/desk'`).
  std::set<std::string> routes;
  static const std::regex path_re(R"(\bpath:\s*'([^']*)')");
  for (const auto& f : fs::recursive_directory_iterator(source_path("web/src"))) {
    if (!f.is_regular_file() || f.path().extension() != ".js") continue;
    std::ifstream in(f.path());
    std::stringstream ss;
    ss << in.rdbuf();
    std::string text = ss.str();
    for (std::sregex_iterator it(text.begin(), text.end(), path_re), end; it != end; ++it)
      routes.insert((*it)[1]);
  }
  ASSERT_GT(routes.size(), 20u) << "no routes found under web/src";
  auto pages = column(kPage);
  ASSERT_FALSE(pages.empty());
  for (const auto& e : pages) {
    SCOPED_TRACE(e.trace());
    if (e.text.rfind("/", 0) == 0)
      EXPECT_TRUE(routes.count(e.text)) << e.text << " is not a route of the web UI";
    else
      EXPECT_TRUE(repo_file_exists(e.text)) << e.text << " does not exist";
  }
}

// The project's seed, when this machine has it: HALL_REGULATIONS_SEED (its folder), or
// ../shared/seed beside the checkout. A clean checkout without it (CI) checks the copies alone.
fs::path seed_dir() {
  if (const char* env = std::getenv("HALL_REGULATIONS_SEED"); env && *env) return env;
  return fs::weakly_canonical(fs::path(source_dir()) / "..") / "shared" / "seed";
}

TEST(DocsRegulations, TheCopiesHaveTheSeedsClauses) {
  fs::path seed = seed_dir();
  if (!fs::is_regular_file(seed / "README.md"))
    GTEST_SKIP() << "no seed at " << seed << " (a clean checkout)";
  std::ifstream in(seed / "README.md");
  std::stringstream ss;
  ss << in.rdbuf();
  EXPECT_EQ(clause_ids(read_text("docs/regulations.md")), clause_ids(ss.str()))
      << "docs/regulations.md and " << (seed / "README.md")
      << " differ in their clause ids: copy the seed again";
  if (fs::is_regular_file(seed / "regulations.zh.txt")) {
    std::ifstream zh(seed / "regulations.zh.txt", std::ios::binary);
    std::stringstream zs;
    zs << zh.rdbuf();
    EXPECT_EQ(read_text("docs/regulations.zh.txt"), zs.str())
        << "docs/regulations.zh.txt is not the seed's original";
  }
}

// The reader of clause ids itself: headings with sub-clauses are not clauses.
TEST(DocsRegulations, ClauseIdsAreTheBoldLeafIds) {
  EXPECT_EQ(
      clause_ids(
          "- **A1** x\n- **B6 Service rules.**\n  - **B6.1 First.** y\n  - **B6.2 Second.** z\n"
          "- **D1** a.  **D2** b.  **D10** c.\n**Bold** words and A2 without stars are not ids.\n"),
      (std::set<std::string>{"A1", "B6.1", "B6.2", "D1", "D10", "D2"}));
}

}  // namespace
}  // namespace hall::test
