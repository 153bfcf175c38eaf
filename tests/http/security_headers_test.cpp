// Issue 10 §4, hardening headers: every HTML page (files and the single-page-app
// fallback) carries a Content-Security-Policy without inline script, refuses to
// be framed (except the ticket print page, framed by the kiosk of the same
// origin), and every answer sends no referrer; API answers are not stored by
// caches unless the handler chose a policy (security_headers.tsv, both databases).
#include "http/security_headers.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "http/router.hpp"
#include "http/static_files.hpp"
#include "support/test_support.hpp"

namespace hall::test {
namespace {

namespace fs = std::filesystem;

std::string header_of(const http::Response& r, const std::string& name) {
  std::string out;
  for (const auto& [k, v] : r.headers)
    if (k == name) out += (out.empty() ? "" : "\n") + v;
  return out;
}

class HttpSecurityHeadersDispatch : public testing::Test {
 protected:
  void SetUp() override {
    dir = fs::temp_directory_path() / ("hall-sechdr-" + std::to_string(getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir / "assets");
    std::ofstream(dir / "index.html") << "<!doctype html><title>t</title>";
    std::ofstream(dir / "assets" / "index-Ab12.js") << "1";
    router.get("/api/v1/plain", http::Access::public_(),
               [](http::Request&) { return http::Response::json(1); });
    router.get("/api/v1/cached", http::Access::public_(), [](http::Request&) {
      http::Response r = http::Response::json(1);
      r.header("Cache-Control", "public, max-age=60");
      return r;
    });
    router.get("/api/v1/boom", http::Access::public_(),
               [](http::Request&) -> http::Response { throw std::runtime_error("boom"); });
    dispatcher = std::make_unique<http::Dispatcher>(
        router, [](const std::string&, bool) { return auth::Principal{}; },
        http::make_static_handler(dir.string()), 1 << 20);
  }
  void TearDown() override { fs::remove_all(dir); }
  http::Response get(const std::string& path) {
    http::Request req;
    req.method = "GET";
    req.path = req.target = path;
    return dispatcher->handle(req);
  }
  fs::path dir;
  http::Router router;
  std::unique_ptr<http::Dispatcher> dispatcher;
};

TEST_F(HttpSecurityHeadersDispatch, HtmlPagesGetThePolicyAndRefuseFraming) {
  // "/" and index.html, the SPA fallback of any page, the ticket status page (secret in the URL).
  for (const char* path :
       {"/", "/index.html", "/admin/windows", "/t/SECRETTOKEN", "/login?next=%2F"}) {
    SCOPED_TRACE(path);
    auto r = get(path);
    ASSERT_EQ(r.status, 200);
    ASSERT_EQ(r.content_type.rfind("text/html", 0), 0u);
    std::string csp = header_of(r, "Content-Security-Policy");
    EXPECT_NE(csp.find("script-src 'self'"), std::string::npos) << csp;
    EXPECT_EQ(csp.find("'unsafe-eval'"), std::string::npos) << csp;
    EXPECT_EQ(csp.find("script-src 'self' 'unsafe-inline'"), std::string::npos) << csp;
    EXPECT_NE(csp.find("style-src-elem 'self'"), std::string::npos) << csp;
    EXPECT_NE(csp.find("object-src 'none'"), std::string::npos) << csp;
    EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << csp;
    EXPECT_EQ(header_of(r, "X-Frame-Options"), "DENY");
    EXPECT_EQ(header_of(r, "Referrer-Policy"), "no-referrer");
    EXPECT_EQ(header_of(r, "Cache-Control"),
              "no-cache");  // the page itself: revalidated, not no-store
  }
}

TEST_F(HttpSecurityHeadersDispatch, OnlyThePrintPageMayBeFramedAndOnlyByTheHall) {
  auto r = get("/print/ticket/SECRETTOKEN");
  std::string csp = header_of(r, "Content-Security-Policy");
  EXPECT_NE(csp.find("frame-ancestors 'self'"), std::string::npos) << csp;
  EXPECT_EQ(csp.find("frame-ancestors 'none'"), std::string::npos) << csp;
  EXPECT_EQ(header_of(r, "X-Frame-Options"), "SAMEORIGIN");
  EXPECT_EQ(header_of(r, "Referrer-Policy"), "no-referrer");
}

TEST_F(HttpSecurityHeadersDispatch, FilesAndApiAnswersAreNotPolicedAsPages) {
  auto js = get("/assets/index-Ab12.js");
  EXPECT_EQ(header_of(js, "Content-Security-Policy"), "");
  EXPECT_EQ(header_of(js, "Referrer-Policy"), "no-referrer");
  EXPECT_NE(header_of(js, "Cache-Control").find("immutable"),
            std::string::npos);           // static files keep theirs
  auto missing = get("/assets/nope.js");  // a 404 of the web UI: not an API answer
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(header_of(missing, "Cache-Control"), "");
}

TEST_F(HttpSecurityHeadersDispatch, ApiAnswersAreNotStoredUnlessTheHandlerChose) {
  struct Case {
    const char* path;
    int status;
    const char* cache;
  } cases[] = {
      {"/api/v1/plain", 200, "no-store"},
      {"/api/v1/cached", 200, "public, max-age=60"},  // the handler's own policy, not doubled
      {"/api/v1/boom", 500, "no-store"},
      {"/api/v1/nope", 404, "no-store"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.path);
    auto r = get(c.path);
    EXPECT_EQ(r.status, c.status);
    EXPECT_EQ(header_of(r, "Cache-Control"), c.cache);
    EXPECT_EQ(header_of(r, "Referrer-Policy"), "no-referrer");
    EXPECT_EQ(header_of(r, "Content-Security-Policy"), "");
  }
}

// --- the real server, both databases -----------------------------------------

class HttpSecurityHeadersApi : public testing::TestWithParam<std::string> {};
INSTANTIATE_TEST_SUITE_P(Backends, HttpSecurityHeadersApi, testing::ValuesIn(backends()), backend_name);

TEST_P(HttpSecurityHeadersApi, PersonalDataIsNotStoredByCaches) {
  TestHall hall(GetParam());
  std::map<std::string, Session> sessions{{"student", hall.login("2023001001", "student123")},
                                          {"staff", hall.login("staff01", "staff123")},
                                          {"admin", hall.login("admin", "admin123")}};
  for (const auto& row : read_tsv("tests/http/security_headers.tsv", 5, 5)) {
    const auto& c = row.cells;
    SCOPED_TRACE(row.where() + " " + c[0] + " " + c[2]);
    const Session* s = c[0] == "anonymous" ? nullptr : &sessions.at(c[0]);
    auto r = hall.send(c[1], c[2], "", s);
    if (c[3] != "*") EXPECT_EQ(r.status, std::stoi(c[3])) << r.body.substr(0, 300);
    EXPECT_EQ(r.header("cache-control"), c[4]);
    EXPECT_EQ(r.header("referrer-policy"), "no-referrer");
  }
}

}  // namespace
}  // namespace hall::test
