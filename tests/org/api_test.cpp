// API tests of organisation administration: halls, units, colleges, windows
// and devices, through the real server on SQLite and (HALL_TEST_PG_URL) PostgreSQL.
#include <gtest/gtest.h>

#include "auth/permissions.hpp"
#include "demo/seed.hpp"
#include "support/test_support.hpp"
#include "wiring/openapi.hpp"

namespace hall::test {
namespace {

class OrgApi : public testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    hall_ = std::make_unique<TestHall>(GetParam());
    admin_ = hall_->login("admin", "admin123");
  }
  TestHall& hall() { return *hall_; }
  std::int64_t first_id(const std::string& path) {
    auto r = hall().get(path, &admin_);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json().at("items").at(0).at("id").as_int64();
  }
  // The list item with this id, or null.
  json::value find_item(const std::string& path, std::int64_t id, const Session* s = nullptr) {
    auto r = hall().get(path + (path.find('?') == std::string::npos ? "?" : "&") + "page_size=200", s ? s : &admin_);
    EXPECT_EQ(r.status, 200) << r.body;
    json::value v = r.json();
    for (const auto& it : v.at("items").as_array())
      if (it.at("id").as_int64() == id) return it;
    return nullptr;
  }
  long long audits(const std::string& action) {
    return hall().count("SELECT COUNT(*) FROM audit_log WHERE action = '" + action + "'");
  }

  std::unique_ptr<TestHall> hall_;
  Session admin_;
};

// ---------------------------------------------------------------------------
// Happy paths.

struct RecordCase {
  std::string path, target;
  json::object create, patch;
};

TEST_P(OrgApi, AdminCreatesListsAndEditsHallsUnitsAndColleges) {
  const std::vector<RecordCase> cases = {
      {"/api/v1/halls", "hall",
       {{"code", "south"}, {"name", "南校区服务大厅"}, {"name_en", "South hall"}, {"address", "南校区 1 栋"}, {"phone", "0731-22180009"}},
       {{"address", "南校区 2 栋"}, {"phone", ""}}},
      {"/api/v1/units", "unit",
       {{"code", "TSG"}, {"name", "图书馆"}, {"name_en", "Library"}, {"phone", "+86 731 2218 0123"}, {"location", "图书馆 101"}},
       {{"name", "图书馆（总馆）"}, {"location", ""}}},
      {"/api/v1/colleges", "college", {{"code", "YS"}, {"name", "艺术学院"}, {"name_en", "School of Art"}}, {{"name_en", "Art School"}}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.path);
    long long total_before = hall().get(c.path, &admin_).json().at("total").as_int64();
    auto created = hall().post(c.path, c.create, &admin_);
    ASSERT_EQ(created.status, 201) << created.body;
    std::int64_t id = created.json().at("id").as_int64();
    for (const auto& [k, v] : c.create) EXPECT_EQ(created.json().at(k), v) << k;

    auto list = hall().get(c.path, &admin_);
    EXPECT_EQ(list.json().at("total").as_int64(), total_before + 1);
    json::value item = find_item(c.path, id);
    ASSERT_FALSE(item.is_null());
    EXPECT_EQ(item.at("name"), c.create.at("name"));

    auto patched = hall().patch(c.path + "/" + std::to_string(id), c.patch, &admin_);
    ASSERT_EQ(patched.status, 200) << patched.body;
    for (const auto& [k, v] : c.patch) EXPECT_EQ(find_item(c.path, id).at(k), v) << k;
    // Fields not in the patch keep their value.
    EXPECT_EQ(find_item(c.path, id).at("code"), c.create.at("code"));
    EXPECT_EQ(audits(c.target + ".created"), 1);
    EXPECT_EQ(audits(c.target + ".updated"), 1);
  }
}

TEST_P(OrgApi, AdminCreatesAWindowAndItIsListed) {
  std::int64_t hall_id = first_id("/api/v1/halls");
  std::int64_t unit_id = first_id("/api/v1/units");
  auto r = hall().post("/api/v1/windows",
                       json::object{{"hall_id", hall_id}, {"number", 11}, {"name", "新生报到窗口"}, {"unit_id", unit_id},
                                    {"is_complaints", false}, {"active", true}},
                       &admin_);
  ASSERT_EQ(r.status, 201) << r.body;
  std::int64_t id = r.json().at("id").as_int64();
  json::value w = find_item("/api/v1/windows?hall_id=" + std::to_string(hall_id), id);
  ASSERT_FALSE(w.is_null());
  EXPECT_EQ(w.at("number").as_int64(), 11);
  EXPECT_EQ(w.at("name").as_string(), "新生报到窗口");
  EXPECT_EQ(w.at("unit_id").as_int64(), unit_id);
  EXPECT_FALSE(w.at("unit_name").as_string().empty());
  EXPECT_EQ(w.at("active"), true);

  // Unassign the unit (null) and deactivate; the number can move to a free one.
  auto p = hall().patch("/api/v1/windows/" + std::to_string(id),
                        json::object{{"unit_id", nullptr}, {"active", false}, {"number", 12}, {"name_en", ""}}, &admin_);
  ASSERT_EQ(p.status, 200) << p.body;
  EXPECT_TRUE(p.json().at("unit_id").is_null());
  EXPECT_EQ(p.json().at("unit_name").as_string(), "");
  EXPECT_EQ(p.json().at("active"), false);
  EXPECT_EQ(p.json().at("number").as_int64(), 12);
  EXPECT_EQ(audits("window.created"), 1);
  EXPECT_EQ(audits("window.updated"), 1);
  // Windows come ordered by number within the hall: 1..10 from the demo, then 12.
  auto list = hall().get("/api/v1/windows?hall_id=" + std::to_string(hall_id), &admin_).json();
  EXPECT_EQ(list.at("total").as_int64(), 11);
  EXPECT_EQ(list.at("items").at(0).at("number").as_int64(), 1);
  EXPECT_EQ(list.at("items").at(9).at("is_complaints"), true);  // C2: window 10
}

TEST_P(OrgApi, DeviceTokenWorksAsBearerAndStopsAfterRotateAndDisable) {
  std::int64_t hall_id = first_id("/api/v1/halls");
  auto created = hall().post("/api/v1/devices", json::object{{"hall_id", hall_id}, {"kind", "board"}, {"name", "二楼显示屏"}}, &admin_);
  ASSERT_EQ(created.status, 201) << created.body;
  std::string token(created.json().at("token").as_string());
  std::int64_t id = created.json().at("id").as_int64();
  ASSERT_GE(token.size(), 40u);
  // Only the digest is stored.
  EXPECT_EQ(hall().count("SELECT COUNT(*) FROM devices WHERE token_digest = '" + token + "'"), 0);
  // The list never shows a token.
  json::value listed = find_item("/api/v1/devices", id);
  ASSERT_FALSE(listed.is_null());
  EXPECT_FALSE(listed.as_object().contains("token"));

  Session dev{token, "", false};
  auto me = hall().get("/api/v1/auth/me", &dev);
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(me.json().at("device").at("kind").as_string(), "board");
  // A board shows its hall's board; the organisation lists are not for devices (org.read).
  EXPECT_EQ(hall().get("/api/v1/halls/" + std::to_string(hall_id) + "/board", &dev).status, 200);
  EXPECT_EQ(hall().get("/api/v1/windows", &dev).status, 403);

  auto rotated = hall().post("/api/v1/devices/" + std::to_string(id) + "/rotate-token", json::object{}, &admin_);
  ASSERT_EQ(rotated.status, 200) << rotated.body;
  std::string token2(rotated.json().at("token").as_string());
  EXPECT_NE(token2, token);
  EXPECT_EQ(hall().get("/api/v1/auth/me", &dev).status, 401);  // at once, despite the session cache
  Session dev2{token2, "", false};
  EXPECT_EQ(hall().get("/api/v1/auth/me", &dev2).status, 200);

  auto disabled = hall().patch("/api/v1/devices/" + std::to_string(id), json::object{{"disabled", true}}, &admin_);
  ASSERT_EQ(disabled.status, 200) << disabled.body;
  EXPECT_EQ(disabled.json().at("disabled"), true);
  EXPECT_EQ(hall().get("/api/v1/auth/me", &dev2).status, 401);
  ASSERT_EQ(hall().patch("/api/v1/devices/" + std::to_string(id), json::object{{"disabled", false}, {"name", "二楼屏"}}, &admin_).status, 200);
  EXPECT_EQ(hall().get("/api/v1/auth/me", &dev2).status, 200);
  EXPECT_EQ(audits("device.created"), 1);
  EXPECT_EQ(audits("device.token_rotated"), 1);
  EXPECT_EQ(audits("device.disabled"), 1);
}

// Issue #11 item 9: the device list said "尚未接入" for devices in daily use.
TEST_P(OrgApi, ADevicesRequestsSetItsLastSeenTime) {
  std::int64_t hall_id = first_id("/api/v1/halls");
  auto created = hall().post(
      "/api/v1/devices",
      json::object{{"hall_id", hall_id}, {"kind", "kiosk"}, {"name", "东门取号机"}}, &admin_);
  ASSERT_EQ(created.status, 201) << created.body;
  std::int64_t id = created.json().at("id").as_int64();
  EXPECT_TRUE(find_item("/api/v1/devices", id).at("last_seen_at").is_null());
  Session dev{std::string(created.json().at("token").as_string()), "", false};
  ASSERT_EQ(hall().get("/api/v1/auth/me", &dev).status, 200);
  json::value seen = find_item("/api/v1/devices", id).at("last_seen_at");
  ASSERT_TRUE(seen.is_string()) << seen;
  long long stored =
      hall().count("SELECT last_seen_at FROM devices WHERE id = " + std::to_string(id));
  EXPECT_GT(stored, 0);
  // Further requests within the minute do not write again; other devices stay unseen.
  ASSERT_EQ(hall().get("/api/v1/auth/me", &dev).status, 200);  // (a device may not list windows: org.read)
  EXPECT_EQ(hall().count("SELECT last_seen_at FROM devices WHERE id = " + std::to_string(id)),
            stored);
  EXPECT_EQ(hall().count("SELECT COUNT(*) FROM devices WHERE last_seen_at IS NOT NULL"), 1);
}

TEST_P(OrgApi, RatingPadWindowMustBeInTheDevicesHall) {
  auto h2 = hall().post("/api/v1/halls", json::object{{"code", "h2"}, {"name", "第二大厅"}}, &admin_);
  ASSERT_EQ(h2.status, 201);
  std::int64_t window1 = first_id("/api/v1/windows");
  auto before = hall().table_counts();
  auto r = hall().post("/api/v1/devices",
                       json::object{{"hall_id", h2.json().at("id")}, {"kind", "rating_pad"}, {"name", "评价器"}, {"window_id", window1}},
                       &admin_);
  EXPECT_EQ(r.status, 422) << r.body;
  EXPECT_EQ(r.error_field(), "window_id");
  EXPECT_EQ(hall().table_counts(), before);
  auto ok = hall().post("/api/v1/devices",
                        json::object{{"hall_id", first_id("/api/v1/halls")}, {"kind", "rating_pad"}, {"name", "评价器"}, {"window_id", window1}},
                        &admin_);
  EXPECT_EQ(ok.status, 201) << ok.body;
  EXPECT_EQ(ok.json().at("window_id").as_int64(), window1);
}

// ---------------------------------------------------------------------------
// Permissions.

// Issue 10 §4: who may list halls, units, colleges and windows is what the
// permission matrix says of org.read, for every role (people and devices), and
// what the OpenAPI states (x-permission). Students, devices and the public read
// the halls and active windows from the public routes instead (B6.4).
TEST_P(OrgApi, OrgReadFollowsTheMatrixForEveryRole) {
  std::map<std::string, Session> sessions{{"admin", admin_},
                                          {"teacher", hall().login("teacher", "teacher123")},
                                          {"unit_head", hall().login("jwc_head", "head1234")},
                                          {"staff", hall().login("staff01", "staff123")},
                                          {"student", hall().login("2023001001", "student123")}};
  for (const auto& d : demo::demo_devices()) sessions[d.kind] = Session{d.token, "", false};
  std::size_t roles_seen = 0;
  for (const auto& role : auth::roles()) {
    ASSERT_TRUE(sessions.count(role.role)) << "no demo login for role " << role.role;
    ++roles_seen;
    bool may = auth::role_has(role.role, "org.read");
    for (const char* path : {"/api/v1/halls", "/api/v1/units", "/api/v1/colleges", "/api/v1/windows"}) {
      SCOPED_TRACE(role.role + " GET " + path);
      auto r = hall().get(path, &sessions.at(role.role));
      EXPECT_EQ(r.status, may ? 200 : 403) << r.body.substr(0, 200);
    }
    // Whoever may not list them still finds the hall's windows and their units in public (B6.4).
    auto pub = hall().get("/api/v1/public/windows", &sessions.at(role.role));
    EXPECT_EQ(pub.status, 200);
  }
  EXPECT_EQ(roles_seen, auth::roles().size());
  EXPECT_EQ(hall().get("/api/v1/public/windows").status, 200);
  EXPECT_FALSE(hall().get("/api/v1/public/windows").json().at("items").as_array().empty());
  // The OpenAPI says the same.
  const json::object& paths = openapi_document().at("paths").as_object();
  for (const char* path : {"/api/v1/halls", "/api/v1/units", "/api/v1/colleges", "/api/v1/windows"}) {
    SCOPED_TRACE(path);
    const json::object& op = paths.at(path).at("get").as_object();
    ASSERT_TRUE(op.contains("x-permission"));
    EXPECT_EQ(op.at("x-permission").as_string(), "org.read");
    EXPECT_TRUE(op.at("responses").as_object().contains("403"));
  }
}

struct AccessCase {
  std::string who;  // admin, teacher, staff, student, kiosk, anonymous
  std::string method, path;
  std::string body;
  int status;
};

TEST_P(OrgApi, PermissionsAreCheckedOnTheServer) {
  const std::string hall_body = R"({"code":"x1","name":"X"})";
  const std::string window_body = R"({"hall_id":1,"number":50,"name":"X"})";
  const std::vector<AccessCase> cases = {
      // Reads of halls/units/colleges/windows: org.read (OrgReadFollowsTheMatrix covers every role).
      {"student", "GET", "/api/v1/halls", "", 403},
      {"student", "GET", "/api/v1/windows", "", 403},
      {"staff", "GET", "/api/v1/halls", "", 200},
      {"staff", "GET", "/api/v1/windows?hall_id=1", "", 200},
      {"staff", "GET", "/api/v1/units", "", 200},
      {"staff", "GET", "/api/v1/colleges", "", 200},
      {"kiosk", "GET", "/api/v1/halls", "", 403},
      {"kiosk", "GET", "/api/v1/windows", "", 403},
      {"anonymous", "GET", "/api/v1/halls", "", 401},
      {"anonymous", "GET", "/api/v1/windows", "", 401},
      {"anonymous", "POST", "/api/v1/halls", hall_body, 401},
      {"anonymous", "GET", "/api/v1/devices", "", 401},
      // Writes: org.write (admin only).
      {"student", "POST", "/api/v1/halls", hall_body, 403},
      {"student", "PATCH", "/api/v1/halls/1", R"({"name":"X"})", 403},
      {"student", "POST", "/api/v1/units", hall_body, 403},
      {"student", "PATCH", "/api/v1/units/1", R"({"name":"X"})", 403},
      {"student", "POST", "/api/v1/colleges", hall_body, 403},
      {"student", "PATCH", "/api/v1/colleges/1", R"({"name":"X"})", 403},
      {"student", "POST", "/api/v1/windows", window_body, 403},
      {"student", "PATCH", "/api/v1/windows/1", R"({"name":"X"})", 403},
      {"student", "POST", "/api/v1/devices", R"({"hall_id":1,"kind":"kiosk","name":"X"})", 403},
      {"student", "PATCH", "/api/v1/devices/1", R"({"disabled":true})", 403},
      {"student", "POST", "/api/v1/devices/1/rotate-token", "{}", 403},
      {"student", "GET", "/api/v1/devices", "", 403},
      {"staff", "POST", "/api/v1/windows", window_body, 403},
      {"staff", "PATCH", "/api/v1/windows/1", R"({"name":"X"})", 403},
      {"staff", "POST", "/api/v1/halls", hall_body, 403},
      {"staff", "GET", "/api/v1/devices", "", 403},
      {"teacher", "POST", "/api/v1/units", hall_body, 403},
      {"teacher", "POST", "/api/v1/devices/1/rotate-token", "{}", 403},
      {"kiosk", "POST", "/api/v1/windows", window_body, 403},
      {"kiosk", "GET", "/api/v1/devices", "", 403},
      {"admin", "GET", "/api/v1/devices", "", 200},
  };
  std::map<std::string, Session> sessions{{"admin", admin_},
                                          {"teacher", hall().login("teacher", "teacher123")},
                                          {"staff", hall().login("staff01", "staff123")},
                                          {"student", hall().login("2023001001", "student123")},
                                          {"kiosk", Session{"demo-kiosk-token-0001-hall-main", "", false}}};
  auto before = hall().table_counts();
  for (const auto& c : cases) {
    SCOPED_TRACE(c.who + " " + c.method + " " + c.path);
    const Session* s = c.who == "anonymous" ? nullptr : &sessions.at(c.who);
    auto r = c.method == "GET" ? hall().get(c.path, s) : hall().send(c.method, c.path, c.body, s);
    EXPECT_EQ(r.status, c.status) << r.body;
    if (c.status == 403) {
      EXPECT_EQ(r.error_code(), "forbidden");
    }
  }
  // Refused writes changed nothing (the admin GET above writes nothing either).
  EXPECT_EQ(hall().table_counts(), before);
}

// ---------------------------------------------------------------------------
// Bad input: refused with the right status, code and field, and nothing written.

struct BadCase {
  std::string name, method, path, body;
  int status;
  std::string code, field;
};

TEST_P(OrgApi, BadInputIsRefusedAndTheDatabaseIsUnchanged) {
  const std::string long_name(101, 'x');
  const std::vector<BadCase> cases = {
      {"hall without code", "POST", "/api/v1/halls", R"({"name":"X"})", 400, "missing_field", "code"},
      {"hall without name", "POST", "/api/v1/halls", R"({"code":"zz"})", 400, "missing_field", "name"},
      {"hall blank name", "POST", "/api/v1/halls", R"({"code":"zz","name":"  "})", 400, "empty_field", "name"},
      {"hall code wrong type", "POST", "/api/v1/halls", R"({"code":5,"name":"X"})", 400, "wrong_type", "code"},
      {"hall unknown field", "POST", "/api/v1/halls", R"({"code":"zz","name":"X","color":"red"})", 400, "unknown_field", "color"},
      {"hall name too long", "POST", "/api/v1/halls", R"({"code":"zz","name":")" + long_name + R"("})", 400, "too_long", "name"},
      {"hall bad phone", "POST", "/api/v1/halls", R"({"code":"zz","name":"X","phone":"call me"})", 400, "invalid_phone", "phone"},
      {"hall duplicate code", "POST", "/api/v1/halls", R"({"code":"main","name":"X"})", 409, "code_taken", "code"},
      {"hall body not an object", "POST", "/api/v1/halls", R"(["code"])", 400, "invalid_body", ""},
      {"hall malformed json", "POST", "/api/v1/halls", R"({"code":)", 400, "malformed_json", ""},
      {"hall unknown id", "PATCH", "/api/v1/halls/99999", R"({"name":"X"})", 404, "hall_not_found", ""},
      {"unit duplicate name", "POST", "/api/v1/units", R"({"code":"NEW","name":"教务处"})", 409, "name_taken", "name"},
      {"unit duplicate code on edit", "PATCH", "/api/v1/units/2", R"({"code":"XSSW"})", 409, "code_taken", "code"},
      {"unit control characters", "POST", "/api/v1/units", "{\"code\":\"NEW\",\"name\":\"a\\u0001b\"}", 400, "invalid_characters", "name"},
      {"college duplicate code", "POST", "/api/v1/colleges", R"({"code":"JX","name":"新学院"})", 409, "code_taken", "code"},
      {"college name wrong type", "PATCH", "/api/v1/colleges/1", R"({"name":null,"name_en":7})", 400, "wrong_type", "name_en"},
      {"window duplicate number", "POST", "/api/v1/windows", R"({"hall_id":1,"number":10,"name":"X"})", 409, "number_taken", "number"},
      {"window edit to a taken number", "PATCH", "/api/v1/windows/1", R"({"number":2})", 409, "number_taken", "number"},
      {"window unknown unit", "POST", "/api/v1/windows", R"({"hall_id":1,"number":30,"name":"X","unit_id":9999})", 400, "unknown_unit", "unit_id"},
      {"window unknown unit on edit", "PATCH", "/api/v1/windows/1", R"({"unit_id":9999})", 400, "unknown_unit", "unit_id"},
      {"window unknown hall", "POST", "/api/v1/windows", R"({"hall_id":9999,"number":30,"name":"X"})", 400, "unknown_hall", "hall_id"},
      {"window number zero", "POST", "/api/v1/windows", R"({"hall_id":1,"number":0,"name":"X"})", 400, "out_of_range", "number"},
      {"window number as text", "POST", "/api/v1/windows", R"({"hall_id":1,"number":"3","name":"X"})", 400, "wrong_type", "number"},
      {"window without name", "POST", "/api/v1/windows", R"({"hall_id":1,"number":30})", 400, "missing_field", "name"},
      {"window active not bool", "PATCH", "/api/v1/windows/1", R"({"active":"yes"})", 400, "wrong_type", "active"},
      {"window unknown field", "PATCH", "/api/v1/windows/1", R"({"floor":2})", 400, "unknown_field", "floor"},
      {"window unknown id", "PATCH", "/api/v1/windows/99999", R"({"name":"X"})", 404, "window_not_found", ""},
      {"device bad kind", "POST", "/api/v1/devices", R"({"hall_id":1,"kind":"toaster","name":"X"})", 400, "invalid_kind", "kind"},
      {"device without name", "POST", "/api/v1/devices", R"({"hall_id":1,"kind":"kiosk"})", 400, "missing_field", "name"},
      {"device unknown hall", "POST", "/api/v1/devices", R"({"hall_id":9999,"kind":"kiosk","name":"X"})", 400, "unknown_hall", "hall_id"},
      {"device unknown window", "POST", "/api/v1/devices", R"({"hall_id":1,"kind":"rating_pad","name":"X","window_id":9999})", 400, "unknown_window", "window_id"},
      {"device unknown field", "PATCH", "/api/v1/devices/1", R"({"token":"abc"})", 400, "unknown_field", "token"},
      {"device unknown id", "POST", "/api/v1/devices/99999/rotate-token", "{}", 404, "device_not_found", ""},
  };
  auto before = hall().table_counts();
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto r = hall().send(c.method, c.path, c.body, &admin_);
    EXPECT_EQ(r.status, c.status) << r.body;
    EXPECT_EQ(r.error_code(), c.code) << r.body;
    EXPECT_EQ(r.error_field(), c.field) << r.body;
    EXPECT_EQ(hall().table_counts(), before);
  }
  // Messages follow the request's language.
  auto en = hall().send("POST", "/api/v1/windows", R"({"hall_id":1,"number":10,"name":"X"})", &admin_,
                        {{"Accept-Language", "en"}});
  EXPECT_NE(en.json().at("error").at("message").as_string().find("window 10"), std::string::npos) << en.body;
}

TEST_P(OrgApi, SqlMetacharactersAreStoredVerbatimAndHarmless) {
  const std::vector<std::string> payloads = {"'; DROP TABLE users; --", "\" OR 1=1 --", "Robert'); DELETE FROM halls;--",
                                             "%_\\"};
  long long users = hall().count("SELECT COUNT(*) FROM users");
  int n = 0;
  for (const auto& p : payloads) {
    SCOPED_TRACE(p);
    ++n;
    // Every free-text field of every record kind.
    struct Target {
      std::string path;
      std::vector<std::string> fields;
    };
    const std::vector<Target> targets = {{"/api/v1/halls", {"code", "name", "name_en", "address"}},
                                         {"/api/v1/units", {"code", "name", "name_en", "location"}},
                                         {"/api/v1/colleges", {"code", "name", "name_en"}}};
    for (const auto& t : targets) {
      json::object body;
      for (const auto& f : t.fields) body[f] = p;  // codes and names differ between payloads
      auto r = hall().post(t.path, body, &admin_);
      ASSERT_EQ(r.status, 201) << t.path << " " << r.body;
      json::value item = find_item(t.path, r.json().at("id").as_int64());
      for (const auto& f : t.fields) EXPECT_EQ(item.at(f).as_string(), p) << t.path << " " << f;
    }
    auto w = hall().post("/api/v1/windows", json::object{{"hall_id", 1}, {"number", 100 + n}, {"name", p}, {"name_en", p}}, &admin_);
    ASSERT_EQ(w.status, 201) << w.body;
    EXPECT_EQ(find_item("/api/v1/windows", w.json().at("id").as_int64()).at("name").as_string(), p);
    auto d = hall().post("/api/v1/devices", json::object{{"hall_id", 1}, {"kind", "kiosk"}, {"name", p}}, &admin_);
    ASSERT_EQ(d.status, 201) << d.body;
    EXPECT_EQ(d.json().at("name").as_string(), p);
    // A phone is format-checked: metacharacters are refused, not stored.
    auto bad = hall().post("/api/v1/halls", json::object{{"code", "ph" + std::to_string(n)}, {"name", "X"}, {"phone", p}}, &admin_);
    EXPECT_EQ(bad.status, 400);
    EXPECT_EQ(bad.error_field(), "phone");
  }
  EXPECT_EQ(hall().count("SELECT COUNT(*) FROM users"), users);
  EXPECT_EQ(hall().count("SELECT COUNT(*) FROM halls"), 1 + static_cast<long long>(payloads.size()));
  EXPECT_EQ(hall().login("admin", "admin123").token.empty(), false);
}

INSTANTIATE_TEST_SUITE_P(Backends, OrgApi, testing::ValuesIn(hall::test::backends()), hall::test::backend_name);

}  // namespace
}  // namespace hall::test
