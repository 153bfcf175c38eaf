// Shared test support: fresh databases on every backend (SQLite always;
// PostgreSQL when HALL_TEST_PG_URL points at a server — scripts/test starts a
// throwaway one), the real server on an ephemeral port, and a small HTTP client.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "core/json.hpp"
#include "http/server.hpp"
#include "wiring/app.hpp"

namespace hall::test {

// "sqlite", and "postgresql" when HALL_TEST_PG_URL is set. With
// HALL_TEST_REQUIRE_PG=1 (scripts/test) a missing URL is a failure, not a skip.
std::vector<std::string> backends();
// A new, empty database on the backend: a temp SQLite file, or a new schema in PostgreSQL.
std::string fresh_db_url(const std::string& backend);
// The repository root (for data files and .tsv tables).
std::string source_path(const std::string& relative);
// A data-driven table (.tsv) of the repository, the one reader of every test:
// one row per line that is neither empty nor a # comment (a trailing CR is
// dropped), cells split on every tab (empty cells kept, trailing ones too).
// A row with fewer than min_cells or more than max_cells cells fails the test
// (naming file:line), then is padded to min_cells so the caller may index it.
// Fails the test when the file is missing or has no rows, so a table can never
// pass by not being read.
struct TsvRow {
  std::string file;  // the relative path, for failure messages
  int line = 0;
  std::vector<std::string> cells;
  const std::string& operator[](std::size_t i) const { return cells.at(i); }
  std::size_t size() const { return cells.size(); }
  // "tests/queue/refusals.tsv:12", for SCOPED_TRACE.
  std::string where() const { return file + ":" + std::to_string(line); }
};
std::vector<TsvRow> read_tsv(const std::string& relative_path, std::size_t min_cells = 0,
                             std::size_t max_cells = static_cast<std::size_t>(-1));
// Every piece of `text` between separators, empty pieces kept ("a,,b" → a, "", b; "" → one "").
std::vector<std::string> split(const std::string& text, char separator);
// The whole of a repository file (binary-safe); fails the test when it cannot be read.
std::string read_text(const std::string& relative_path);
// One number from the database (a COUNT, an id), e.g. to check that a refused request changed nothing.
long long count(db::Database& db, const std::string& sql);
// Lowers the Argon2id memory cost for speed (the algorithm stays the real one).
void use_fast_password_hashing();

struct HttpResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  json::value json() const;
  std::string error_code() const;   // error.code of an error body
  std::string error_field() const;  // error.field
  std::string header(const std::string& lower) const;
};

struct HttpRequest {
  std::string method = "GET";
  std::string path = "/";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

// One request on a fresh connection (or raw bytes, to send malformed HTTP).
// timeout_ms > 0: give up waiting for the answer after that long (status 0:
// unanswered), for tests that must fail rather than hang when a server wedges.
HttpResponse http_request(unsigned short port, const HttpRequest& req, int timeout_ms = 0);
HttpResponse http_raw(unsigned short port, const std::string& bytes, int timeout_ms = 0);

// The building blocks of the clients above (and of http/raw_client.hpp, support/sse_reader.hpp):
// a TCP connection to 127.0.0.1:port (a file descriptor; throws when refused), and the status
// and lower-cased headers of a response head ("HTTP/1.1 200 OK\r\nName: value…", no blank line).
int connect_loopback(unsigned short port);
int parse_response_head(const std::string& head, std::map<std::string, std::string>& headers);

// A signed-in client: bearer token or cookie + CSRF token.
struct Session {
  std::string token;
  std::string csrf;
  bool use_cookie = false;
};

class TestHall {
 public:
  // configure: changes to the test configuration before the hall starts (e.g. trusted proxies).
  explicit TestHall(const std::string& backend, bool demo = true, const std::function<void(Config&)>& configure = {});
  ~TestHall();
  unsigned short port() const { return port_; }
  App& app() { return *app_; }
  // The database this hall runs on (a second App on it stands for a second server process).
  const std::string& db_url() const { return db_url_; }

  Session login(const std::string& login, const std::string& password, bool use_cookie = false);
  HttpResponse get(const std::string& path, const Session* s = nullptr,
                   std::vector<std::pair<std::string, std::string>> headers = {});
  HttpResponse send(const std::string& method, const std::string& path, const std::string& body,
                    const Session* s = nullptr, std::vector<std::pair<std::string, std::string>> headers = {},
                    const std::string& content_type = "application/json");
  HttpResponse post(const std::string& path, const json::value& body, const Session* s = nullptr) {
    return send("POST", path, json::serialize(body), s);
  }
  HttpResponse patch(const std::string& path, const json::value& body, const Session* s = nullptr) {
    return send("PATCH", path, json::serialize(body), s);
  }
  // A count from the database, to check that a refused request changed nothing.
  long long count(const std::string& sql);
  // A snapshot of every table's row count, for "the database is unchanged" checks.
  std::map<std::string, long long> table_counts();

 private:
  std::string db_url_;
  std::unique_ptr<App> app_;
  std::unique_ptr<http::Router> router_;
  std::unique_ptr<http::Dispatcher> dispatcher_;
  std::unique_ptr<http::Server> server_;
  std::thread thread_;
  unsigned short port_ = 0;
};

// gtest parameter names: "sqlite", "postgresql".
inline std::string backend_name(const testing::TestParamInfo<std::string>& info) { return info.param; }

}  // namespace hall::test
