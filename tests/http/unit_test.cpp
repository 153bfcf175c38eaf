// Pure tests of the HTTP layer (no database, no sockets): language choice,
// URL decoding, route matching, the dispatcher's gate (404/405/413/401/CSRF/403)
// with a fake authenticator, JSON body errors, MIME types and the metrics format.
#include <gtest/gtest.h>

#include <atomic>

#include "http/metrics.hpp"
#include "http/request.hpp"
#include "http/router.hpp"
#include "http/static_files.hpp"

namespace hall::http {
namespace {

struct LangCase {
  const char* header;
  bool english;
};
TEST(HttpLanguage, AcceptLanguageTable) {
  const LangCase cases[] = {
      {"", false},                            // no header: zh-CN is the default
      {"zh-CN", false},
      {"zh-CN,zh;q=0.9,en;q=0.8", false},
      {"en", true},
      {"en-US,en;q=0.9", true},
      {"en-US,en;q=0.9,zh-CN;q=0.8", true},
      {"zh;q=0.5,en;q=0.9", true},           // q values decide, not order
      {"en;q=0.4,zh-TW;q=0.6", false},
      {"fr-FR,de;q=0.8", false},              // neither: the default
      {"fr, en;q=0.1", true},                 // English is better than nothing said about Chinese
      {"EN-gb", true},                        // tags are case-insensitive
      {"en, zh", true},                       // equal q: the earlier wins
      {"zh, en", false},
      {"*", false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.header);
    EXPECT_EQ(prefers_english(c.header), c.english);
  }
}

TEST(HttpUrlDecode, Table) {
  struct Case {
    const char* in;
    bool plus;
    std::string out;
  };
  const Case cases[] = {
      {"/a/b", false, "/a/b"},
      {"%2Fx", false, "/x"},
      {"%e4%b8%ad", false, "\xe4\xb8\xad"},  // 中
      {"a+b", true, "a b"},
      {"a+b", false, "a+b"},
      {"%", false, "%"},        // a lone % stays
      {"%4", false, "%4"},      // truncated escape stays
      {"%zz", false, "%zz"},    // not hex: stays
      {"100%25", false, "100%"},
      {"%2e%2e", false, ".."},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.in);
    EXPECT_EQ(url_decode(c.in, c.plus), c.out);
  }
}

Response ok_handler(Request&) { return Response::json(json::object{{"ok", true}}); }

TEST(HttpRouter, MatchesPatternsAndReportsAllowedMethods) {
  Router r;
  r.get("/api/v1/things", Access::public_(), ok_handler);
  r.post("/api/v1/things", Access::public_(), ok_handler);
  r.get("/api/v1/things/{id}", Access::public_(), ok_handler);
  r.del("/api/v1/things/{id}", Access::public_(), ok_handler);

  struct Case {
    const char* method;
    const char* path;
    int status;  // 0: matched
    const char* route_or_allow;
  };
  const Case cases[] = {
      {"GET", "/api/v1/things", 0, "/api/v1/things"},
      {"HEAD", "/api/v1/things", 0, "/api/v1/things"},  // HEAD is served by GET
      {"POST", "/api/v1/things", 0, "/api/v1/things"},
      {"GET", "/api/v1/things/42", 0, "/api/v1/things/{id}"},
      {"DELETE", "/api/v1/things/42", 0, "/api/v1/things/{id}"},
      {"PUT", "/api/v1/things", 405, "GET, POST"},
      {"PATCH", "/api/v1/things/7", 405, "GET, DELETE"},
      {"GET", "/api/v1/things/", 404, ""},  // an empty {id} is no match
      {"GET", "/api/v1/thing", 404, ""},
      {"GET", "/api/v1/things/1/more", 404, ""},
      {"GET", "/", 404, ""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string(c.method) + " " + c.path);
    Request req;
    req.method = c.method;
    req.path = c.path;
    int status = 0;
    std::string allowed;
    const Route* route = r.match(req, &status, &allowed);
    if (c.status == 0) {
      ASSERT_NE(route, nullptr);
      EXPECT_EQ(req.route, c.route_or_allow);
    } else {
      EXPECT_EQ(route, nullptr);
      EXPECT_EQ(status, c.status);
      EXPECT_EQ(allowed, c.route_or_allow);
    }
  }
  Request req;
  req.method = "GET";
  req.path = "/api/v1/things/a%20b";
  int status = 0;
  ASSERT_NE(r.match(req, &status, nullptr), nullptr);
  EXPECT_EQ(req.params.at("id"), "a b");
}

// The dispatcher's gate, with a fake authenticator: tokens name the role.
class HttpGate : public testing::Test {
 protected:
  void SetUp() override {
    router.post("/api/v1/open", Access::public_(), count_handler(), {.max_body = 0, .csrf_exempt = true});
    router.get("/api/v1/me", Access::any_user(), count_handler());
    router.post("/api/v1/people", Access::perm("users.write"), count_handler());
    router.get("/api/v1/people", Access::perm("users.read"), count_handler());
    router.post("/api/v1/small", Access::any_user(), count_handler(), {.max_body = 10});
    dispatcher = std::make_unique<Dispatcher>(
        router,
        [](const std::string& token, bool via_cookie) {
          auth::Principal p;
          if (token.rfind("valid-", 0) != 0) return p;  // unknown or expired
          p.kind = auth::PrincipalKind::user;
          p.user_id = 1;
          p.role = token.substr(6);
          p.login = p.role;
          p.csrf_token = "csrf-of-" + p.role;
          p.via_cookie = via_cookie;
          return p;
        },
        [](const Request&) {
          Response r;
          r.content_type = "text/html";
          r.body = "static";
          return r;
        },
        1000);
  }
  Handler count_handler() {
    return [this](Request&) {
      ++calls;
      return Response::json(json::object{{"ok", true}});
    };
  }
  Response call(const std::string& method, const std::string& path, std::vector<std::pair<std::string, std::string>> h,
                std::string body = "{}") {
    Request req;
    req.method = method;
    req.path = path;
    req.body = std::move(body);
    for (auto& [k, v] : h) req.headers[k] = v;
    req.english = prefers_english(req.header("accept-language"));
    return dispatcher->handle(req);
  }
  static std::string code_of(const Response& r) {
    auto v = json::parse(r.body);
    return std::string(v.at("error").at("code").as_string());
  }

  Router router;
  std::unique_ptr<Dispatcher> dispatcher;
  std::atomic<int> calls{0};
};

TEST_F(HttpGate, Table) {
  using H = std::vector<std::pair<std::string, std::string>>;
  struct Case {
    const char* what;
    const char* method;
    const char* path;
    H headers;
    int status;
    const char* code;  // "" for success
    bool handler_runs;
  };
  const std::string big(1001, 'x');
  const Case cases[] = {
      {"public write needs nothing", "POST", "/api/v1/open", {}, 200, "", true},
      {"no credentials", "GET", "/api/v1/me", {}, 401, "unauthenticated", false},
      {"unknown/expired bearer", "GET", "/api/v1/me", {{"authorization", "Bearer gone-token"}}, 401, "session_expired", false},
      {"unknown/expired cookie", "GET", "/api/v1/me", {{"cookie", "hall_session=gone"}}, 401, "session_expired", false},
      {"bearer read", "GET", "/api/v1/me", {{"authorization", "Bearer valid-student"}}, 200, "", true},
      {"cookie read needs no CSRF", "GET", "/api/v1/me", {{"cookie", "a=b; hall_session=valid-admin"}}, 200, "", true},
      {"cookie write without CSRF", "POST", "/api/v1/people", {{"cookie", "hall_session=valid-admin"}}, 403, "csrf_failed", false},
      {"cookie write with wrong CSRF", "POST", "/api/v1/people",
       {{"cookie", "hall_session=valid-admin"}, {"x-csrf-token", "csrf-of-teacher"}}, 403, "csrf_failed", false},
      {"cookie write with CSRF", "POST", "/api/v1/people",
       {{"cookie", "hall_session=valid-admin"}, {"x-csrf-token", "csrf-of-admin"}}, 200, "", true},
      {"bearer write needs no CSRF", "POST", "/api/v1/people", {{"authorization", "Bearer valid-admin"}}, 200, "", true},
      {"role lacks the permission", "POST", "/api/v1/people", {{"authorization", "Bearer valid-teacher"}}, 403, "forbidden", false},
      {"student reads people", "GET", "/api/v1/people", {{"authorization", "Bearer valid-student"}}, 403, "forbidden", false},
      {"teacher reads people", "GET", "/api/v1/people", {{"authorization", "Bearer valid-teacher"}}, 200, "", true},
      {"unknown role", "GET", "/api/v1/people", {{"authorization", "Bearer valid-hacker"}}, 403, "forbidden", false},
      {"unknown API route", "GET", "/api/v1/nothing", {}, 404, "not_found", false},
      {"unknown method", "PUT", "/api/v1/people", {}, 405, "method_not_allowed", false},
      {"non-GET outside /api is not a file", "POST", "/index.html", {}, 404, "not_found", false},
      {"route body limit", "POST", "/api/v1/small", {{"authorization", "Bearer valid-admin"}}, 413, "payload_too_large", false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.what);
    int before = calls;
    std::string body = std::string(c.path) == "/api/v1/small" ? std::string(11, ' ') : "{}";
    Response r = call(c.method, c.path, c.headers, body);
    EXPECT_EQ(r.status, c.status) << r.body;
    if (*c.code) EXPECT_EQ(code_of(r), c.code);
    EXPECT_EQ(calls - before, c.handler_runs ? 1 : 0);
  }
  // Over the configured JSON limit on a normal route: 413 before authentication.
  Response r = call("POST", "/api/v1/people", {{"authorization", "Bearer valid-admin"}}, big);
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(code_of(r), "payload_too_large");
}

TEST_F(HttpGate, MethodNotAllowedNamesAllowedMethods) {
  Response r = call("DELETE", "/api/v1/people", {});
  EXPECT_EQ(r.status, 405);
  std::string allow;
  for (auto& [k, v] : r.headers)
    if (k == "Allow") allow = v;
  EXPECT_EQ(allow, "POST, GET");
}

TEST_F(HttpGate, MessagesFollowAcceptLanguage) {
  Response zh = call("GET", "/api/v1/me", {});
  Response en = call("GET", "/api/v1/me", {{"accept-language", "en-US,en;q=0.9"}});
  auto mzh = std::string(json::parse(zh.body).at("error").at("message").as_string());
  auto men = std::string(json::parse(en.body).at("error").at("message").as_string());
  EXPECT_EQ(mzh, "请先登录");
  EXPECT_EQ(men, "Please sign in first");
}

TEST_F(HttpGate, HandlerExceptionsBecome500WithoutInternals) {
  router.get("/api/v1/boom", Access::public_(), [](Request&) -> Response {
    throw std::runtime_error("SELECT secret FROM internals failed");
  });
  Response r = call("GET", "/api/v1/boom", {});
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(code_of(r), "internal_error");
  EXPECT_EQ(r.body.find("internals"), std::string::npos) << r.body;
}

TEST(HttpRequestToken, BearerAndCookie) {
  struct Case {
    const char* authz;
    const char* cookie;
    const char* token;
    bool via_cookie;
  };
  const Case cases[] = {
      {"Bearer abc", "", "abc", false},
      {"bearer abc", "", "abc", false},
      {"Basic abc", "", "", false},
      {"", "hall_session=xyz", "xyz", true},
      {"", "other=1; hall_session=xyz; more=2", "xyz", true},
      {"", "not_hall_session=xyz", "", false},  // a cookie whose name merely ends the same
      {"Bearer abc", "hall_session=xyz", "abc", false},  // the bearer wins
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string(c.authz) + " | " + c.cookie);
    Request req;
    if (*c.authz) req.headers["authorization"] = c.authz;
    if (*c.cookie) req.headers["cookie"] = c.cookie;
    bool via = false;
    EXPECT_EQ(request_token(req, &via), c.token);
    EXPECT_EQ(via, c.via_cookie);
  }
}

// Request bodies: every malformed input is a 400/415 with a code (and the field when there is one).
TEST(HttpJsonBody, ErrorTable) {
  struct Case {
    const char* what;
    std::string content_type;
    std::string body;
    int status;
    const char* code;
    const char* field;
  };
  const Case cases[] = {
      {"malformed", "application/json", "{\"login\": nope}", 400, "malformed_json", ""},
      {"truncated", "application/json", "{\"login\":\"admin\",\"password\":\"adm", 400, "malformed_json", ""},
      {"truncated after key", "application/json", "{\"login\":", 400, "malformed_json", ""},
      {"empty body", "application/json", "", 400, "malformed_json", ""},
      {"trailing garbage", "application/json", "{} {}", 400, "malformed_json", ""},
      {"invalid UTF-8 in body", "application/json", "{\"login\":\"a\",\"password\":\"b\"}\xff", 400, "invalid_utf8", ""},
      {"invalid UTF-8 in a string", "application/json", "{\"login\":\"ab\xc3\x28\",\"password\":\"x\"}", 400, "invalid_utf8", ""},
      {"overlong UTF-8", "application/json", "{\"login\":\"\xc0\xaf\",\"password\":\"x\"}", 400, "invalid_utf8", ""},
      {"UTF-16 surrogate bytes", "application/json", "{\"login\":\"\xed\xa0\x80\",\"password\":\"x\"}", 400, "invalid_utf8", ""},
      {"too deep", "application/json", std::string(40, '[') + std::string(40, ']'), 400, "malformed_json", ""},
      {"not an object", "application/json", "[1,2]", 400, "invalid_body", ""},
      {"wrong type", "application/json", R"({"login":12,"password":"x"})", 400, "wrong_type", "login"},
      {"missing field", "application/json", R"({"login":"a"})", 400, "missing_field", "password"},
      {"unknown field", "application/json", R"({"login":"a","password":"b","admin":true})", 400, "unknown_field", "admin"},
      {"empty field", "application/json", R"({"login":"  ","password":"b"})", 400, "empty_field", "login"},
      {"control character", "application/json", R"({"login":"a\u0000b","password":"b"})", 400, "invalid_characters", "login"},
      {"too long", "application/json", R"({"login":")" + std::string(65, 'a') + R"(","password":"b"})", 400, "too_long", "login"},
      {"wrong content type", "text/plain", R"({"login":"a","password":"b"})", 415, "unsupported_media_type", ""},
      {"form content type", "application/x-www-form-urlencoded", "login=a&password=b", 415, "unsupported_media_type", ""},
      {"no content type", "", R"({"login":"a","password":"b"})", 415, "unsupported_media_type", ""},
      {"json with charset", "Application/JSON; charset=utf-8", R"({"login":"a","password":"b"})", 0, "", ""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.what);
    Request req;
    if (!c.content_type.empty()) req.headers["content-type"] = c.content_type;
    req.body = c.body;
    try {
      JsonFields f(req.json_body());
      f.required_string("login", 64);
      f.required_string("password", 128);
      f.finish();
      EXPECT_EQ(c.status, 0) << "accepted";
    } catch (const ApiError& e) {
      EXPECT_EQ(e.status(), c.status);
      EXPECT_EQ(e.code(), c.code);
      EXPECT_EQ(e.field(), c.field);
    }
  }
}

TEST(HttpStaticFiles, MimeTypes) {
  const std::pair<const char*, const char*> cases[] = {
      {"/index.html", "text/html; charset=utf-8"},
      {"/assets/index-AbC123.js", "text/javascript; charset=utf-8"},
      {"/assets/index-AbC123.css", "text/css; charset=utf-8"},
      {"/favicon.svg", "image/svg+xml"},
      {"/assets/logo.PNG", "image/png"},
      {"/assets/font.woff2", "font/woff2"},
      {"/assets/x.map", "application/json; charset=utf-8"},
      {"/download.bin", "application/octet-stream"},
      {"/noext", "application/octet-stream"},
  };
  for (const auto& [path, type] : cases) {
    SCOPED_TRACE(path);
    EXPECT_EQ(mime_type(path), type);
  }
}

TEST(HttpMetrics, PrometheusFormat) {
  Metrics m;
  m.record("GET", "/healthz", 200, 0.0003);
  m.record("GET", "/healthz", 200, 0.002);
  m.record("POST", "/api/v1/auth/login", 401, 0.2);
  m.record("GET", "", 200, 5.0);  // static file
  m.add_gauge_source([] { return std::string("hall_db_pool_size 4\n"); });
  std::string text = m.render();
  EXPECT_NE(text.find("# TYPE hall_http_requests_total counter"), std::string::npos);
  EXPECT_NE(text.find(R"(hall_http_requests_total{method="GET",route="/healthz",status="200"} 2)"), std::string::npos) << text;
  EXPECT_NE(text.find(R"(hall_http_requests_total{method="POST",route="/api/v1/auth/login",status="401"} 1)"), std::string::npos);
  EXPECT_NE(text.find(R"(route="static")"), std::string::npos);
  EXPECT_NE(text.find("# TYPE hall_http_request_duration_seconds histogram"), std::string::npos);
  EXPECT_NE(text.find(R"(hall_http_request_duration_seconds_bucket{le="0.0005"} 1)"), std::string::npos) << text;
  EXPECT_NE(text.find(R"(hall_http_request_duration_seconds_bucket{le="0.0025"} 2)"), std::string::npos);
  EXPECT_NE(text.find(R"(hall_http_request_duration_seconds_bucket{le="2.5"} 3)"), std::string::npos);
  EXPECT_NE(text.find(R"(hall_http_request_duration_seconds_bucket{le="+Inf"} 4)"), std::string::npos);
  EXPECT_NE(text.find("hall_http_request_duration_seconds_count 4"), std::string::npos);
  EXPECT_NE(text.find("hall_db_pool_size 4"), std::string::npos);
  // Every sample line is "name{labels} value" or "name value".
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    ASSERT_NE(nl, std::string::npos) << "the last line must end with a newline";
    std::string line = text.substr(pos, nl - pos);
    pos = nl + 1;
    if (line.empty() || line[0] == '#') continue;
    auto space = line.rfind(' ');
    ASSERT_NE(space, std::string::npos) << line;
    std::string value = line.substr(space + 1);
    EXPECT_NO_THROW((void)std::stod(value)) << line;
  }
}

}  // namespace
}  // namespace hall::http

// hall.example.toml (repo root) documents every key that src/core/config.cpp
// reads, with the defaults: it loads, gives the same settings as no file, and
// names each key the loader knows (read from the loader's source).
#include <fstream>
#include <regex>
#include <sstream>

#include "core/config.hpp"
#include "support/test_support.hpp"

namespace hall {
namespace {

TEST(HttpConfig, ExampleFileHasEveryKeyWithItsDefault) {
  std::string root = source_dir();
  Config d;
  Config c = load_config_file(root + "/hall.example.toml");
  EXPECT_EQ(c.hall_name, d.hall_name);
  EXPECT_EQ(c.hall_name_en, d.hall_name_en);
  EXPECT_EQ(c.time_zone, d.time_zone);
  EXPECT_EQ(c.utc_offset_minutes, d.utc_offset_minutes);
  EXPECT_EQ(c.public_base_url, d.public_base_url);
  EXPECT_EQ(c.data_dir, d.data_dir);
  EXPECT_EQ(c.upload_dir, d.upload_dir);
  EXPECT_EQ(c.listen, d.listen);
  EXPECT_EQ(c.web_root, d.web_root);
  EXPECT_EQ(c.threads, d.threads);
  EXPECT_EQ(c.worker_threads, d.worker_threads);
  EXPECT_EQ(c.session_hours, d.session_hours);
  EXPECT_EQ(c.secure_cookies, d.secure_cookies);
  EXPECT_EQ(c.access_log, d.access_log);
  EXPECT_EQ(c.db_url, d.db_url);
  EXPECT_EQ(c.db_pool_size, d.db_pool_size);
  EXPECT_EQ(c.max_body_bytes, d.max_body_bytes);
  EXPECT_EQ(c.max_upload_bytes, d.max_upload_bytes);
  EXPECT_EQ(c.max_header_bytes, d.max_header_bytes);
  EXPECT_EQ(c.request_timeout_seconds, d.request_timeout_seconds);
  EXPECT_EQ(c.idle_timeout_seconds, d.idle_timeout_seconds);
  EXPECT_EQ(c.wechat.path, d.wechat.path);
  EXPECT_EQ(c.wechat.timestamp_window_seconds, d.wechat.timestamp_window_seconds);

  std::string loader = test::read_text("src/core/config.cpp");
  std::string example = test::read_text("hall.example.toml");
  std::regex key_re(R"re(\(\*[a-z]+(?:, |\)\[)"([a-z_]+)")re");
  int keys = 0;
  for (std::sregex_iterator it(loader.begin(), loader.end(), key_re), end; it != end; ++it, ++keys) {
    std::string key = (*it)[1];
    EXPECT_TRUE(std::regex_search(example, std::regex("(^|\\n)" + key + " = "))) << "hall.example.toml lacks " << key;
  }
  EXPECT_GE(keys, 20);
}

TEST(HttpConfig, UnknownSectionAndBadSyntaxAreRefused) {
  std::string dir = testing::TempDir();
  struct Case {
    const char* text;
    const char* message;
  };
  const Case cases[] = {{"[nonsense]\nx = 1\n", "unknown section [nonsense]"},
                        {"[server]\nlisten = \n", ":2"},
                        {"[limits]\nmax_body_bytes = -1\n", "must be positive"}};
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    std::string path = dir + "/hall-config-test.toml";
    std::ofstream(path) << c.text;
    try {
      load_config_file(path);
      ADD_FAILURE() << "accepted";
    } catch (const std::runtime_error& e) {
      EXPECT_NE(std::string(e.what()).find(c.message), std::string::npos) << e.what();
    }
  }
}

// Issue 10 §4: a hall published on https:// sends its session cookie with the
// Secure flag unless the file says otherwise; plain http stays without it.
TEST(HttpConfig, SecureCookiesFollowAnHttpsPublicUrl) {
  std::string path = testing::TempDir() + "/hall-config-cookies.toml";
  struct Case {
    const char* text;
    bool secure;
  };
  const Case cases[] = {
      {"", false},
      {"[hall]\npublic_base_url = \"https://hall.example.edu.cn\"\n", true},
      {"[hall]\npublic_base_url = \"HTTPS://hall.example.edu.cn/\"\n", true},
      {"[hall]\npublic_base_url = \"http://hall.example.edu.cn\"\n", false},
      {"[hall]\npublic_base_url = \"https://hall.example.edu.cn\"\n[server]\nsecure_cookies = \"auto\"\n", true},
      {"[hall]\npublic_base_url = \"https://hall.example.edu.cn\"\n[server]\nsecure_cookies = false\n", false},
      {"[hall]\npublic_base_url = \"http://10.0.0.5:8080\"\n[server]\nsecure_cookies = true\n", true},
      {"[server]\nsecure_cookies = true\n", true},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    std::ofstream(path) << c.text;
    EXPECT_EQ(load_config_file(path).cookies_secure(), c.secure);
  }
  std::ofstream(path) << "[server]\nsecure_cookies = \"yes\"\n";
  EXPECT_THROW(load_config_file(path), std::runtime_error);
  EXPECT_FALSE(Config{}.cookies_secure());
}

}  // namespace
}  // namespace hall
