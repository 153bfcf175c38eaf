// The real server on an ephemeral port, on SQLite and PostgreSQL: error
// responses for bad input (with the database checked unchanged), keep-alive,
// header and body limits, malformed HTTP, /healthz, /metrics, the OpenAPI
// document against the registered routes, static files, graceful shutdown.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>

#include "db/migrations.hpp"
#include "http/static_files.hpp"
#include "raw_client.hpp"
#include "support/test_support.hpp"
#include "wiring/openapi.hpp"

namespace hall::test {
namespace {

namespace fs = std::filesystem;
using Headers = std::vector<std::pair<std::string, std::string>>;

class HttpApi : public testing::TestWithParam<std::string> {
 protected:
  void SetUp() override { hall = std::make_unique<TestHall>(GetParam()); }
  std::unique_ptr<TestHall> hall;
};
INSTANTIATE_TEST_SUITE_P(Backends, HttpApi, testing::ValuesIn(backends()), backend_name);

struct ErrorCase {
  const char* what;
  const char* method;
  const char* path;
  std::string body;
  std::string content_type;
  bool as_admin;  // with a bearer token of the administrator
  int status;
  const char* code;
  const char* field;
};

TEST_P(HttpApi, ErrorResponsesLeaveTheDatabaseUnchanged) {
  Session admin = hall->login("admin", "admin123");
  auto before = hall->table_counts();
  const std::string json = "application/json";
  const ErrorCase cases[] = {
      {"malformed JSON", "POST", "/api/v1/auth/login", "{\"login\": admin}", json, false, 400, "malformed_json", ""},
      {"truncated JSON", "POST", "/api/v1/auth/login", "{\"login\":\"admin\",\"pass", json, false, 400, "malformed_json", ""},
      {"empty body", "POST", "/api/v1/auth/login", "", json, false, 400, "malformed_json", ""},
      {"invalid UTF-8 in body", "POST", "/api/v1/auth/login", "{\"login\":\"a\",\"password\":\"b\"}\xfe", json, false, 400,
       "invalid_utf8", ""},
      {"invalid UTF-8 in a string field", "POST", "/api/v1/auth/login", "{\"login\":\"adm\xe4\xb8\",\"password\":\"b\"}", json,
       false, 400, "invalid_utf8", ""},
      {"not an object", "POST", "/api/v1/auth/login", "\"admin\"", json, false, 400, "invalid_body", ""},
      {"wrong type", "POST", "/api/v1/auth/login", R"({"login":["admin"],"password":"admin123"})", json, false, 400,
       "wrong_type", "login"},
      {"missing field", "POST", "/api/v1/auth/login", R"({"login":"admin"})", json, false, 400, "missing_field", "password"},
      {"unknown field", "POST", "/api/v1/auth/login", R"({"login":"admin","password":"admin123","role":"admin"})", json,
       false, 400, "unknown_field", "role"},
      {"wrong content type", "POST", "/api/v1/auth/login", R"({"login":"admin","password":"admin123"})", "text/plain",
       false, 415, "unsupported_media_type", ""},
      {"login body over its 4 KB limit", "POST", "/api/v1/auth/login", std::string(5000, ' '), json, false, 413,
       "payload_too_large", ""},
      {"JSON over the JSON limit on a normal route", "POST", "/api/v1/auth/password",
       "{\"old_password\":\"" + std::string((1 << 20) + 10, 'a') + "\"}", json, true, 413, "payload_too_large", ""},
      {"password change: malformed", "POST", "/api/v1/auth/password", "{\"old_password\":", json, true, 400,
       "malformed_json", ""},
      {"password change: wrong content type", "POST", "/api/v1/auth/password", "old_password=x", "application/x-www-form-urlencoded",
       true, 415, "unsupported_media_type", ""},
      {"unknown route", "GET", "/api/v1/no/such/thing", "", "", true, 404, "not_found", ""},
      {"unknown route, anonymous", "POST", "/api/v2/auth/login", "{}", json, false, 404, "not_found", ""},
      {"unknown method", "DELETE", "/api/v1/auth/login", "", "", false, 405, "method_not_allowed", ""},
      {"not signed in", "GET", "/api/v1/auth/me", "", "", false, 401, "unauthenticated", ""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.what);
    auto r = hall->send(c.method, c.path, c.body, c.as_admin ? &admin : nullptr, {}, c.content_type);
    EXPECT_EQ(r.status, c.status) << r.body.substr(0, 300);
    EXPECT_EQ(r.error_code(), c.code);
    EXPECT_EQ(r.error_field(), c.field);
    EXPECT_NE(r.header("content-type").find("application/json"), std::string::npos);
    // Chinese by default: the message holds at least one CJK character (3-byte UTF-8).
    auto v = r.json();
    std::string msg(v.at("error").at("message").as_string());
    EXPECT_TRUE(std::any_of(msg.begin(), msg.end(), [](char ch) { return (static_cast<unsigned char>(ch) & 0xF0) == 0xE0; }))
        << msg;
  }
  EXPECT_EQ(hall->table_counts(), before);
}

TEST_P(HttpApi, MethodNotAllowedListsAllow) {
  auto r = hall->send("PUT", "/api/v1/auth/me", "{}");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.header("allow"), "GET");
  r = hall->send("GET", "/api/v1/auth/login", "");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.header("allow"), "POST");
}

TEST_P(HttpApi, TenMegabyteBodyIs413) {
  auto before = hall->table_counts();
  std::string body = "{\"login\":\"" + std::string(10 << 20, 'a') + "\",\"password\":\"x\"}";
  HttpRequest req{"POST", "/api/v1/auth/login", body, {{"Content-Type", "application/json"}}};
  auto r = http_request(hall->port(), req);
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(r.error_code(), "payload_too_large");
  EXPECT_EQ(hall->table_counts(), before);
  EXPECT_EQ(hall->get("/healthz").status, 200);  // the server is fine afterwards
}

TEST_P(HttpApi, EnglishWhenAskedFor) {
  auto zh = hall->send("POST", "/api/v1/auth/login", R"({"login":"admin","password":"wrong-password"})");
  auto en = hall->send("POST", "/api/v1/auth/login", R"({"login":"admin","password":"wrong-password"})", nullptr,
                       {{"Accept-Language", "en-US,en;q=0.9"}});
  EXPECT_EQ(std::string(zh.json().at("error").at("message").as_string()), "登录名或密码错误");
  EXPECT_EQ(std::string(en.json().at("error").at("message").as_string()), "Wrong login or password");
}

TEST_P(HttpApi, KeepAliveServesTwoRequestsOnOneConnection) {
  Session admin = hall->login("admin", "admin123");
  RawConnection c(hall->port());
  c.send("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n");
  auto r1 = c.read_response();
  EXPECT_EQ(r1.status, 200);
  EXPECT_NE(r1.header("connection"), "close");
  c.send("GET /api/v1/auth/me HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer " + admin.token + "\r\n\r\n");
  auto r2 = c.read_response();
  EXPECT_EQ(r2.status, 200);
  EXPECT_NE(r2.body.find("\"login\":\"admin\""), std::string::npos) << r2.body;
  // HEAD: headers only; the connection stays usable; Connection: close ends it.
  c.send("HEAD /healthz HTTP/1.1\r\nHost: t\r\n\r\n");
  auto head = c.read_response(true);
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.header("content-length"), r1.header("content-length"));
  c.send("GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
  auto last = c.read_response();
  EXPECT_EQ(last.status, 200);
  EXPECT_EQ(last.body, r1.body);
  EXPECT_EQ(last.header("connection"), "close");
  EXPECT_TRUE(c.closed_by_peer());
}

TEST_P(HttpApi, HeaderTooLargeIs431) {
  std::string raw = "GET /healthz HTTP/1.1\r\nHost: t\r\nX-Big: " + std::string(20000, 'x') + "\r\n\r\n";
  auto r = http_raw(hall->port(), raw);
  EXPECT_EQ(r.status, 431);
  EXPECT_EQ(r.error_code(), "headers_too_large");
}

TEST_P(HttpApi, MalformedHttpIs400) {
  const char* cases[] = {
      "GARBAGE\r\n\r\n",
      "GET /healthz HTTP/1.1 extra\r\nHost: t\r\n\r\n",
      "G@T /healthz HTTP/1.1\r\nHost: t\r\n\r\n",
      "GET /healthz HTTP/1.1\r\nBad Header Line\r\n\r\n",
      "POST /api/v1/auth/login HTTP/1.1\r\nHost: t\r\nContent-Length: abc\r\n\r\n",
      "POST /api/v1/auth/login HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
  };
  for (const char* raw : cases) {
    SCOPED_TRACE(raw);
    auto r = http_raw(hall->port(), raw);
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.error_code(), "bad_request");
  }
}

TEST_P(HttpApi, Healthz) {
  auto r = hall->get("/healthz");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.json(), json::parse(R"({"status":"ok"})"));
  auto deep = hall->get("/healthz?deep=1").json();
  EXPECT_EQ(deep.at("schema_version").as_int64(), db::latest_schema_version());
  EXPECT_EQ(std::string(deep.at("database").as_string()), GetParam());
}

TEST_P(HttpApi, MetricsInPrometheusFormat) {
  hall->get("/healthz");
  hall->get("/healthz");
  hall->send("POST", "/api/v1/auth/login", R"({"login":"nobody","password":"wrong-password"})");
  auto r = hall->get("/metrics");
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.header("content-type").find("text/plain"), std::string::npos);
  const std::string& t = r.body;
  EXPECT_NE(t.find("# TYPE hall_http_requests_total counter"), std::string::npos);
  EXPECT_NE(t.find(R"(hall_http_requests_total{method="GET",route="/healthz",status="200"} 2)"), std::string::npos) << t;
  EXPECT_NE(t.find(R"(hall_http_requests_total{method="POST",route="/api/v1/auth/login",status="401"} 1)"), std::string::npos);
  EXPECT_NE(t.find("# TYPE hall_http_request_duration_seconds histogram"), std::string::npos);
  EXPECT_NE(t.find(R"(hall_http_request_duration_seconds_bucket{le="+Inf"})"), std::string::npos);
  EXPECT_NE(t.find("hall_http_request_duration_seconds_count"), std::string::npos);
  EXPECT_NE(t.find("hall_db_pool_size 8\n"), std::string::npos);
  EXPECT_NE(t.find("hall_db_pool_in_use"), std::string::npos);
}

// The OpenAPI document is served, is JSON, and describes every registered route
// with its method: a capability that adds a route without documenting it fails here.
TEST(HttpOpenApi, EveryRegisteredRouteIsDescribed) {
  TestHall hall("sqlite", false);
  auto r = hall.get("/api/v1/openapi.json");
  ASSERT_EQ(r.status, 200);
  json::value doc = r.json();
  ASSERT_TRUE(doc.is_object());
  EXPECT_TRUE(doc.as_object().contains("openapi"));
  const json::object& paths = doc.at("paths").as_object();
  http::Router router;
  register_all_routes(router, hall.app());
  ASSERT_FALSE(router.routes().empty());
  std::vector<std::string> missing;
  std::set<std::string> registered;
  for (const auto& route : router.routes()) {
    std::string method = route.method;
    for (auto& ch : method) ch = static_cast<char>(tolower(static_cast<unsigned char>(ch)));
    registered.insert(method + " " + route.pattern);
    const json::value* ops = paths.if_contains(route.pattern);
    if (!ops || !ops->is_object() || !ops->as_object().contains(method)) missing.push_back(route.method + " " + route.pattern);
  }
  EXPECT_TRUE(missing.empty()) << "routes missing from docs/openapi/*.json:\n  " << [&] {
    std::string s;
    for (auto& m : missing) s += m + "\n  ";
    return s;
  }();
  // And the other way round: nothing documented that does not exist.
  for (const auto& [path, ops] : paths)
    for (const auto& [method, op] : ops.as_object()) {
      if (method == "parameters" || method == "summary" || method == "description") continue;
      EXPECT_TRUE(registered.count(std::string(method) + " " + std::string(path)))
          << "documented but not registered: " << method << " " << path;
    }
}

// A server of our own (the shared TestHall hides stop()), on SQLite with a given web root.
struct OwnServer {
  explicit OwnServer(const std::string& web_root) {
    use_fast_password_hashing();
    Config c;
    c.db_url = fresh_db_url("sqlite");
    c.access_log = false;
    c.web_root = web_root;
    db_path = c.db_url.substr(7);
    app = std::make_unique<App>(c);
    register_all_routes(router, *app);
    dispatcher = make_dispatcher(*app, router);
    http::ServerOptions o;
    o.port = 0;
    o.io_threads = 2;
    o.worker_threads = 2;
    o.access_log = false;
    server = std::make_unique<http::Server>(o, *dispatcher, app->metrics);
    port = server->listen();
    thread = std::thread([this] { server->run(); });
  }
  ~OwnServer() {
    server->stop();
    if (thread.joinable()) thread.join();
    server.reset();
    app.reset();
    for (const char* ext : {"", "-wal", "-shm"}) fs::remove(db_path + ext);
  }
  std::string db_path;
  std::unique_ptr<App> app;
  http::Router router;
  std::unique_ptr<http::Dispatcher> dispatcher;
  std::unique_ptr<http::Server> server;
  std::thread thread;
  unsigned short port = 0;
};

class HttpStatic : public testing::Test {
 protected:
  void SetUp() override {
    dir = fs::temp_directory_path() / ("hall-static-" + std::to_string(getpid()) + "-" +
                                       testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir);
    fs::create_directories(dir / "web" / "assets");
    write(dir / "web" / "index.html", "<!doctype html><title>hall-test-index</title>");
    write(dir / "web" / "assets" / "index-Ab12Cd.js", "console.log('hall')");
    write(dir / "web" / "assets" / "index-Ab12Cd.css", "body{margin:0}");
    write(dir / "web" / "favicon.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>");
    write(dir / "secret.txt", "TOP-SECRET-OUTSIDE-THE-WEB-ROOT");
    fs::create_symlink(dir / "secret.txt", dir / "web" / "link.txt");
    server = std::make_unique<OwnServer>((dir / "web").string());
  }
  void TearDown() override {
    server.reset();
    fs::remove_all(dir);
  }
  static void write(const fs::path& p, const std::string& s) { std::ofstream(p) << s; }
  HttpResponse get(const std::string& path) {
    return http_raw(server->port, "GET " + path + " HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
  }
  fs::path dir;
  std::unique_ptr<OwnServer> server;
};

TEST_F(HttpStatic, FilesMimeTypesAndCaching) {
  struct Case {
    const char* path;
    int status;
    const char* type;
    const char* cache;  // substring of Cache-Control
    const char* body;   // substring of the body
  };
  const Case cases[] = {
      {"/", 200, "text/html; charset=utf-8", "no-cache", "hall-test-index"},
      {"/index.html", 200, "text/html; charset=utf-8", "no-cache", "hall-test-index"},
      {"/assets/index-Ab12Cd.js", 200, "text/javascript; charset=utf-8", "immutable", "console.log"},
      {"/assets/index-Ab12Cd.css", 200, "text/css; charset=utf-8", "immutable", "margin:0"},
      {"/favicon.svg", 200, "image/svg+xml", "no-cache", "<svg"},
      {"/admin/windows", 200, "text/html; charset=utf-8", "no-cache", "hall-test-index"},  // SPA fallback
      {"/login?next=%2Fadmin", 200, "text/html; charset=utf-8", "no-cache", "hall-test-index"},
      {"/assets/x.js", 404, "application/json; charset=utf-8", "", "not_found"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.path);
    auto r = get(c.path);
    EXPECT_EQ(r.status, c.status);
    EXPECT_EQ(r.header("content-type"), c.type);
    EXPECT_NE(r.header("cache-control").find(c.cache), std::string::npos) << r.header("cache-control");
    EXPECT_NE(r.body.find(c.body), std::string::npos) << r.body.substr(0, 200);
  }
  auto head = http_raw(server->port, "HEAD /assets/index-Ab12Cd.js HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.header("content-length"), "19");
  EXPECT_TRUE(head.body.empty());
}

// Issue #11 item 14: the build's pre-compressed copies are sent when the
// browser accepts them, with the original's type and Vary: Accept-Encoding.
TEST_F(HttpStatic, PreCompressedCopiesFollowAcceptEncoding) {
  write(dir / "web" / "assets" / "index-Ab12Cd.js.br", "BROTLI-BYTES");
  write(dir / "web" / "assets" / "index-Ab12Cd.js.gz", "GZIP-BYTES");
  write(dir / "web" / "assets" / "index-Ab12Cd.css.gz", "GZIP-CSS");
  struct Case {
    const char* path;
    const char* accept;  // Accept-Encoding, "" for none
    const char* encoding;
    const char* body;
  };
  const Case cases[] = {
      {"/assets/index-Ab12Cd.js", "gzip, deflate, br, zstd", "br", "BROTLI-BYTES"},
      {"/assets/index-Ab12Cd.js", "gzip, deflate", "gzip", "GZIP-BYTES"},
      {"/assets/index-Ab12Cd.js", "br;q=0.5, gzip", "gzip", "GZIP-BYTES"},
      {"/assets/index-Ab12Cd.js", "br;q=0, gzip;q=0", "", "console.log"},
      {"/assets/index-Ab12Cd.js", "identity", "", "console.log"},
      {"/assets/index-Ab12Cd.js", "*", "br", "BROTLI-BYTES"},
      {"/assets/index-Ab12Cd.js", "", "", "console.log"},
      {"/assets/index-Ab12Cd.css", "br, gzip", "gzip", "GZIP-CSS"},  // no .br: the .gz
      {"/favicon.svg", "br, gzip", "", "<svg"},                      // no copies
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string(c.path) + " / " + c.accept);
    std::string req =
        std::string("GET ") + c.path + " HTTP/1.1\r\nHost: t\r\nConnection: close\r\n";
    if (*c.accept) req += std::string("Accept-Encoding: ") + c.accept + "\r\n";
    auto r = http_raw(server->port, req + "\r\n");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.header("content-encoding"), c.encoding);
    EXPECT_EQ(r.header("vary"), "Accept-Encoding");
    EXPECT_NE(r.body.find(c.body), std::string::npos) << r.body.substr(0, 100);
  }
  auto js = http_raw(server->port,
                     "GET /assets/index-Ab12Cd.js HTTP/1.1\r\nHost: t\r\nAccept-Encoding: "
                     "br\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(js.header("content-type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(js.header("cache-control"), "public, max-age=31536000, immutable");
}

TEST(HttpAcceptEncoding, QualityOfACoding) {
  EXPECT_EQ(http::accepted_quality("gzip, deflate, br", "br"), 1.0);
  EXPECT_EQ(http::accepted_quality("gzip;q=0.8, br;q=0.4", "br"), 0.4);
  EXPECT_EQ(http::accepted_quality("gzip", "br"), 0.0);
  EXPECT_EQ(http::accepted_quality("*;q=0.3", "br"), 0.3);
  EXPECT_EQ(http::accepted_quality("br;q=0, *", "br"), 0.0);
  EXPECT_EQ(http::accepted_quality(" GZIP ", "gzip"), 1.0);
  EXPECT_EQ(http::accepted_quality("", "gzip"), 0.0);
}

TEST_F(HttpStatic, NoPathTraversal) {
  const char* paths[] = {"/../secret.txt",          "/assets/../../secret.txt", "/%2e%2e/secret.txt",
                         "/..%2fsecret.txt",        "/assets/..%2f..%2fsecret.txt", "/link.txt",
                         "/%2e%2e%2f%2e%2e%2fsecret.txt", "//secret.txt", "/./../secret.txt"};
  for (const char* p : paths) {
    SCOPED_TRACE(p);
    auto r = get(p);
    EXPECT_EQ(r.body.find("TOP-SECRET"), std::string::npos) << r.status;
  }
}

// stop() lets a request that is being received finish and be answered; then
// the port is closed. The request is held open with Expect: 100-continue, so
// the test knows the server has read its headers before stopping it (no timing).
TEST(HttpShutdown, InFlightRequestIsAnsweredAfterStop) {
  auto s = std::make_unique<OwnServer>("/nonexistent");
  unsigned short port = s->port;
  RawConnection idle(port);  // a keep-alive connection between requests
  idle.send("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n");
  EXPECT_EQ(idle.read_response().status, 200);

  std::string body = R"({"login":"nobody","password":"not-the-password"})";
  RawConnection slow(port);
  slow.send("POST /api/v1/auth/login HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nExpect: 100-continue\r\n"
            "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n");
  EXPECT_EQ(slow.read_response().status, 100);
  slow.send(body.substr(0, 10));

  s->server->stop();
  EXPECT_TRUE(idle.closed_by_peer());  // idle connections are closed at once

  slow.send(body.substr(10));
  auto r = slow.read_response();
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.header("connection"), "close");
  s->thread.join();  // run() returns once in-flight requests are answered
  EXPECT_FALSE(RawConnection::can_connect(port));
}

}  // namespace
}  // namespace hall::test
