// Who the client is behind reverse proxies (http/client_address.hpp), as a
// table (client_address.tsv): X-Forwarded-For counts only from trusted proxies.
#include "http/client_address.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "core/config.hpp"
#include "support/test_support.hpp"

namespace hall::http {
namespace {

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  std::istringstream in(s);
  while (std::getline(in, cur, sep)) out.push_back(cur);
  return out;
}

TEST(ClientAddress, Table) {
  std::ifstream f(test::source_path("tests/http/client_address.tsv"));
  ASSERT_TRUE(f);
  std::string line;
  int rows = 0;
  while (std::getline(f, line)) {
    if (line.empty() || line[0] == '#') continue;
    auto cells = split(line, '\t');
    ASSERT_EQ(cells.size(), 5u) << line;
    SCOPED_TRACE(cells[4]);
    std::vector<std::string> trusted;
    if (cells[0] != "-") trusted = split(cells[0], ',');
    TrustedProxies proxies(trusted);
    EXPECT_EQ(proxies.client(cells[1], cells[2] == "-" ? "" : cells[2]), cells[3]) << line;
    ++rows;
  }
  EXPECT_GE(rows, 15);
}

TEST(ClientAddress, BadEntriesAreRefusedByName) {
  for (const char* bad :
       {"10.0.0.0/33", "not-an-address", "::1/129", "10.0.0.1/", "10.0.0.0/x", ""}) {
    try {
      TrustedProxies p({bad});
      ADD_FAILURE() << bad << " accepted";
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find(std::string("\"") + bad + "\""), std::string::npos)
          << e.what();
    }
  }
}

TEST(ClientAddress, ConfigFileReadsTrustedProxies) {
  std::string path = testing::TempDir() + "/hall-trusted-proxies.toml";
  {
    std::ofstream out(path);
    out << "[server]\ntrusted_proxies = [\"127.0.0.1\", \"10.0.0.0/8\"]\n";
  }
  Config c = load_config_file(path);
  EXPECT_EQ(c.trusted_proxies, (std::vector<std::string>{"127.0.0.1", "10.0.0.0/8"}));
  {
    std::ofstream out(path);
    out << "[server]\ntrusted_proxies = \"127.0.0.1\"\n";
  }
  EXPECT_THROW(load_config_file(path), std::runtime_error);
  std::remove(path.c_str());
}

}  // namespace
}  // namespace hall::http
