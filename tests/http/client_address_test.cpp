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

TEST(HttpClientAddress, Table) {
  int rows = 0;
  for (const auto& row : test::read_tsv("tests/http/client_address.tsv", 5, 5)) {
    const auto& cells = row.cells;
    SCOPED_TRACE(row.where() + " " + cells[4]);
    std::vector<std::string> trusted;
    if (cells[0] != "-") trusted = test::split(cells[0], ',');
    TrustedProxies proxies(trusted);
    EXPECT_EQ(proxies.client(cells[1], cells[2] == "-" ? "" : cells[2]), cells[3]);
    ++rows;
  }
  EXPECT_GE(rows, 15);
}

TEST(HttpClientAddress, BadEntriesAreRefusedByName) {
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

TEST(HttpClientAddress, ConfigFileReadsTrustedProxies) {
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
