// The courtesy check over HTTP (B1, B6.1) on SQLite and PostgreSQL: the check
// endpoint with offsets, blocked attempts recorded only for send attempts,
// enforce() recording the attempt although the caller's write rolls back, the
// phrase list (who may edit it, bad patterns, a new phrase taking effect at
// once), the attempts list for the responsible teacher, and permissions.
#include <gtest/gtest.h>

#include "auth/permissions.hpp"
#include "courtesy/service.hpp"
#include "support/test_support.hpp"

namespace hall::test {
namespace {

std::string str(const json::value& v, const char* key) { return std::string(v.at(key).as_string()); }

class CourtesyApi : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    hall_ = std::make_unique<TestHall>(GetParam());
    staff_ = h().login("staff01", "staff123");
    teacher_ = h().login("teacher", "teacher123");
    admin_ = h().login("admin", "admin123");
    student_ = h().login("2023001002", "student123");
  }
  TestHall& h() { return *hall_; }
  HttpResponse check(const json::object& body, const Session* s) { return h().post("/api/v1/courtesy/check", body, s); }
  long long attempts() { return h().count("SELECT COUNT(*) FROM courtesy_attempts"); }
  std::unique_ptr<TestHall> hall_;
  Session staff_, teacher_, admin_, student_;
};

TEST_P(CourtesyApi, CheckFindsThePhraseWithUtf16Offsets) {
  auto r = check({{"text", "😀同学，我现在没空，等等"}, {"context", "cases.reply"}}, &staff_);
  ASSERT_EQ(r.status, 200) << r.body;
  auto v = r.json();
  EXPECT_FALSE(v.at("ok").as_bool());
  const auto& m = v.at("matches").as_array();
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(str(m[0], "phrase"), "我没空、等等");
  // JavaScript string indices: 😀 is two UTF-16 units.
  EXPECT_EQ(m[0].at("start").as_int64(), 5);
  EXPECT_EQ(m[0].at("end").as_int64(), 10);
  EXPECT_EQ(str(m[0], "text"), "我现在没空");
  EXPECT_EQ(str(v, "suggestion"), "请稍等，我马上为您办理");
  EXPECT_EQ(str(v, "suggested_text"), "😀同学，请稍等，我马上为您办理，等等");
  EXPECT_FALSE(v.at("recorded").as_bool());
  EXPECT_EQ(attempts(), 2) << "as-you-type checks are not recorded (2 = the demo's)";

  auto ok = check({{"text", "您好，请您稍等，我马上为您查询"}}, &staff_).json();
  EXPECT_TRUE(ok.at("ok").as_bool());
  EXPECT_TRUE(ok.at("matches").as_array().empty());
  EXPECT_TRUE(ok.at("suggestion").is_null());
}

TEST_P(CourtesyApi, ASendAttemptIsRecordedForTheTeacher) {
  auto r = check({{"text", "你这人真啰嗦！"}, {"context", "complaints.feedback"}, {"attempt", true}}, &staff_);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(r.json().at("recorded").as_bool());
  // A polite send attempt is not a blocked one.
  check({{"text", "谢谢，再见"}, {"attempt", true}}, &staff_);

  auto list = h().get("/api/v1/courtesy/attempts?login=staff01", &teacher_);
  ASSERT_EQ(list.status, 200) << list.body;
  auto v = list.json();
  ASSERT_EQ(v.at("total").as_int64(), 1);
  auto a = v.at("items").as_array()[0];
  EXPECT_EQ(str(a, "login"), "staff01");
  EXPECT_EQ(str(a, "name"), "李娟");
  EXPECT_EQ(str(a, "context"), "complaints.feedback");
  EXPECT_EQ(str(a, "source"), "check");
  EXPECT_EQ(str(a, "text"), "你这人真啰嗦！");
  EXPECT_EQ(str(a.at("matches").as_array()[0], "phrase"), "你这人真啰嗦");
  EXPECT_FALSE(str(a, "at").empty());
  // Filters.
  EXPECT_EQ(h().get("/api/v1/courtesy/attempts?context=complaints.feedback", &teacher_).json().at("total").as_int64(), 1);
  EXPECT_EQ(h().get("/api/v1/courtesy/attempts?q=啰嗦", &teacher_).json().at("total").as_int64(), 1);
  EXPECT_EQ(h().get("/api/v1/courtesy/attempts?source=check", &admin_).json().at("total").as_int64(), 1);
  EXPECT_EQ(h().get("/api/v1/courtesy/attempts", &teacher_).json().at("total").as_int64(), 3);  // + 2 demo
  EXPECT_EQ(h().get("/api/v1/courtesy/attempts?source=bogus", &teacher_).error_code(), "invalid_source");
}

// enforce() inside a write that then rolls back: the text is not saved, the attempt is.
TEST_P(CourtesyApi, EnforceRecordsTheAttemptAlthoughTheWriteRollsBack) {
  App& app = h().app();
  auth::Caller c;
  c.principal.kind = auth::PrincipalKind::user;
  c.principal.user_id = h().count("SELECT id FROM users WHERE login = 'staff02'");
  c.principal.login = "staff02";
  c.principal.name = "王磊";
  c.principal.role = "staff";
  c.address = "10.0.0.7";
  long long before = h().count("SELECT COUNT(*) FROM settings");
  try {
    app.db->write([&](soci::session& tx) {
      tx << "INSERT INTO settings (key, value) VALUES ('test.reply', 'draft')";
      app.service<courtesy::CourtesyService>().enforce(tx, c, "这事我们不管，你去找你们领导", "cases.referral", "note");
      tx << "INSERT INTO settings (key, value) VALUES ('test.after', 'never')";
    });
    FAIL() << "enforce let a discourteous text through";
  } catch (const courtesy::DiscourteousText& e) {
    EXPECT_EQ(e.status(), 422);
    EXPECT_EQ(e.code(), "discourteous_text");
    EXPECT_EQ(e.field(), "note");
    ASSERT_EQ(e.result().matches.size(), 2u);
    EXPECT_EQ(e.result().matches[0].phrase, "我们不管这事");
    EXPECT_EQ(e.result().matches[1].phrase, "你去找领导好了");
    EXPECT_NE(e.message().zh.find("我们不管这事"), std::string::npos);
  }
  EXPECT_EQ(h().count("SELECT COUNT(*) FROM settings"), before) << "the caller's write rolled back";
  app.service<courtesy::CourtesyService>().flush();
  EXPECT_EQ(h().count("SELECT COUNT(*) FROM courtesy_attempts WHERE login = 'staff02' AND source = 'enforce' AND "
                      "context = 'cases.referral' AND address = '10.0.0.7'"),
            1)
      << "the attempt survived the rollback";
  // A polite text passes and the caller's write commits.
  app.db->write([&](soci::session& tx) {
    app.service<courtesy::CourtesyService>().enforce(tx, c, "对不起，这件事由财务处办理，请到3号窗口找王老师", "cases.referral");
    tx << "INSERT INTO settings (key, value) VALUES ('test.polite', 'ok')";
  });
  EXPECT_EQ(h().count("SELECT COUNT(*) FROM settings WHERE key = 'test.polite'"), 1);
}

TEST_P(CourtesyApi, BlockedResponseCarriesTheMatches) {
  courtesy::CheckResult r;
  r.ok = false;
  r.matches.push_back({1, "我没空、等等", "请稍等，我马上为您办理", "我没空", 0, 3, 0, 9});
  r.suggestion = "请稍等，我马上为您办理";
  r.suggested_text = "请稍等，我马上为您办理";
  http::Response resp = courtesy::blocked_response(courtesy::DiscourteousText(r, "remark"), false);
  EXPECT_EQ(resp.status, 422);
  auto v = json::parse(resp.body);
  EXPECT_EQ(str(v.at("error"), "code"), "discourteous_text");
  EXPECT_EQ(str(v.at("error"), "field"), "remark");
  EXPECT_EQ(v.at("error").at("matches").as_array()[0].at("end").as_int64(), 3);
  EXPECT_EQ(str(v.at("error"), "suggestion"), "请稍等，我马上为您办理");
}

TEST_P(CourtesyApi, AdministratorsKeepTheList) {
  auto list = h().get("/api/v1/courtesy/phrases", &staff_);
  ASSERT_EQ(list.status, 200) << list.body;
  auto items = list.json().at("items").as_array();
  EXPECT_GE(items.size(), 11u);
  EXPECT_EQ(str(items[0], "label"), "你这人真啰嗦");
  EXPECT_EQ(str(items[0], "clause"), "B1");

  // A new phrase with alternatives, an optional part and a gap takes effect at once.
  EXPECT_TRUE(check({{"text", "你们学院的事别来烦我们"}}, &staff_).json().at("ok").as_bool());
  auto created = h().post("/api/v1/courtesy/phrases",
                          json::object{{"label", "别来烦我"},
                                       {"pattern", "别[来](烦|找){3}(我|我们)"},
                                       {"suggestion", "您的事情我来帮您想办法"},
                                       {"clause", "B2"}},
                          &teacher_);
  ASSERT_EQ(created.status, 201) << created.body;
  long long id = created.json().at("id").as_int64();
  EXPECT_EQ(str(created.json(), "updated_by"), "周敏");
  auto hit = check({{"text", "你们学院的事别来烦我们"}}, &staff_).json();
  EXPECT_FALSE(hit.at("ok").as_bool());
  EXPECT_EQ(str(hit.at("matches").as_array()[0], "phrase"), "别来烦我");
  EXPECT_EQ(str(hit, "suggestion"), "您的事情我来帮您想办法");

  // Deactivate, then delete; both audited.
  auto off = h().patch("/api/v1/courtesy/phrases/" + std::to_string(id), json::object{{"active", false}}, &admin_);
  ASSERT_EQ(off.status, 200) << off.body;
  EXPECT_FALSE(off.json().at("active").as_bool());
  EXPECT_TRUE(check({{"text", "别来烦我们"}}, &staff_).json().at("ok").as_bool());
  EXPECT_EQ(h().get("/api/v1/courtesy/phrases?active=false", &staff_).json().at("total").as_int64(), 1);
  EXPECT_EQ(h().send("DELETE", "/api/v1/courtesy/phrases/" + std::to_string(id), "", &teacher_).status, 204);
  EXPECT_EQ(h().send("DELETE", "/api/v1/courtesy/phrases/" + std::to_string(id), "", &teacher_).error_code(),
            "phrase_not_found");
  EXPECT_EQ(h().count("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'courtesy.phrase.%'"), 3);

  // Trying a pattern before saving it.
  auto tried = h().post("/api/v1/courtesy/try", json::object{{"pattern", "(明|后)天再来"}, {"text", "后天 再来吧"}}, &admin_);
  ASSERT_EQ(tried.status, 200) << tried.body;
  EXPECT_EQ(tried.json().at("matches").as_array()[0].at("end").as_int64(), 5);
}

TEST_P(CourtesyApi, BadInputChangesNothing) {
  auto before = h().table_counts();
  struct Row {
    json::object body;
    const char *code, *field;
  } rows[] = {
      {{{"label", "x"}, {"pattern", "(啰嗦"}, {"suggestion", "s"}}, "invalid_pattern", "pattern"},
      {{{"label", "x"}, {"pattern", "你"}, {"suggestion", "s"}}, "invalid_pattern", "pattern"},
      {{{"label", "x"}, {"pattern", "{3}你好"}, {"suggestion", "s"}}, "invalid_pattern", "pattern"},
      {{{"label", "x"}, {"pattern", "你好吗"}}, "missing_field", "suggestion"},
      {{{"label", ""}, {"pattern", "你好吗"}, {"suggestion", "s"}}, "empty_field", "label"},
      {{{"label", "x"}, {"pattern", "你好吗"}, {"suggestion", "s"}, {"colour", "red"}}, "unknown_field", "colour"},
      {{{"label", "x"}, {"pattern", 5}, {"suggestion", "s"}}, "wrong_type", "pattern"},
      {{{"label", "重复"}, {"pattern", "你有没有搞错|你搞错了没有|你搞没搞错"}, {"suggestion", "s"}}, "duplicate_pattern", "pattern"},
  };
  for (const auto& r : rows) {
    auto resp = h().post("/api/v1/courtesy/phrases", r.body, &teacher_);
    SCOPED_TRACE(json::serialize(r.body));
    EXPECT_EQ(resp.error_code(), r.code) << resp.body;
    EXPECT_EQ(resp.error_field(), r.field);
    EXPECT_EQ(resp.status, std::string(r.code) == "duplicate_pattern" ? 409 : 400);
  }
  auto bad = h().post("/api/v1/courtesy/phrases", json::object{{"label", "x"}, {"pattern", "你好{0}我"}, {"suggestion", "s"}}, &teacher_);
  EXPECT_NE(bad.json().at("error").at("message").as_string().find("第 3 个字符"), std::string::npos) << bad.body;
  EXPECT_EQ(check({{"text", ""}}, &staff_).error_code(), "empty_field");
  EXPECT_EQ(check({{"text", std::string(5001, 'a')}}, &staff_).error_code(), "too_long");
  EXPECT_EQ(check({{"text", "好"}, {"attempt", "yes"}}, &staff_).error_code(), "wrong_type");
  EXPECT_EQ(h().send("POST", "/api/v1/courtesy/check", "{\"text\":", &staff_).error_code(), "malformed_json");
  EXPECT_EQ(h().patch("/api/v1/courtesy/phrases/999999", json::object{{"active", false}}, &teacher_).status, 404);
  EXPECT_EQ(h().table_counts(), before);
}

TEST_P(CourtesyApi, Permissions) {
  // A student: no check, no list, no editing, no attempts.
  EXPECT_EQ(check({{"text", "你好"}}, &student_).status, 403);
  EXPECT_EQ(h().get("/api/v1/courtesy/phrases", &student_).status, 403);
  EXPECT_EQ(h().post("/api/v1/courtesy/phrases", json::object{{"label", "x"}, {"pattern", "你好吗"}, {"suggestion", "s"}},
                     &student_).status,
            403);
  EXPECT_EQ(h().get("/api/v1/courtesy/attempts", &student_).status, 403);
  // Window staff check and read the list but neither edit it nor read the attempts.
  EXPECT_EQ(h().post("/api/v1/courtesy/phrases", json::object{{"label", "x"}, {"pattern", "你好吗"}, {"suggestion", "s"}},
                     &staff_).status,
            403);
  EXPECT_EQ(h().send("DELETE", "/api/v1/courtesy/phrases/1", "", &staff_).status, 403);
  EXPECT_EQ(h().get("/api/v1/courtesy/attempts", &staff_).status, 403);
  EXPECT_EQ(h().post("/api/v1/courtesy/try", json::object{{"pattern", "你好吗"}, {"text", "你好吗"}}, &staff_).status, 403);
  // Nobody signed in.
  EXPECT_EQ(check({{"text", "你好"}}, nullptr).status, 401);
  EXPECT_EQ(h().get("/api/v1/courtesy/attempts").status, 401);
  // The matrix as the brief sets it.
  EXPECT_TRUE(auth::role_has("unit_head", "courtesy.check"));
  EXPECT_TRUE(auth::role_has("teacher", "courtesy.manage"));
  EXPECT_TRUE(auth::role_has("teacher", "courtesy.review"));
  EXPECT_FALSE(auth::role_has("staff", "courtesy.review"));
}

TEST_P(CourtesyApi, ShippedPhrasesAreSeededOnceAndEditsSurviveARestart) {
  EXPECT_EQ(h().count("SELECT COUNT(*) FROM courtesy_phrases"), 11);
  h().app().db->write([](soci::session& s) { s << "DELETE FROM courtesy_phrases WHERE label = '急什么'"; });
  courtesy::CourtesyService again(*h().app().db);  // what the next start does
  EXPECT_EQ(h().count("SELECT COUNT(*) FROM courtesy_phrases"), 10);
}

INSTANTIATE_TEST_SUITE_P(Backends, CourtesyApi, ::testing::ValuesIn(backends()), backend_name);

}  // namespace
}  // namespace hall::test
