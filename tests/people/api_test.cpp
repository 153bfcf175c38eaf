// API tests of people administration: accounts with student / staff profiles,
// disabling, role changes, password resets and the CSV / .xlsx import, on
// SQLite and (HALL_TEST_PG_URL) PostgreSQL.
#include <gtest/gtest.h>

#include "support/test_support.hpp"
#include "tabular/model.hpp"

namespace hall::test {
namespace {

const char* kXlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

class PeopleApi : public testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    hall_ = std::make_unique<TestHall>(GetParam());
    admin_ = hall_->login("admin", "admin123");
  }
  TestHall& hall() { return *hall_; }
  long long id_of(const std::string& login) {
    return hall().count("SELECT id FROM users WHERE login = '" + login + "'");
  }
  long long audits(const std::string& action) {
    return hall().count("SELECT COUNT(*) FROM audit_log WHERE action = '" + action + "'");
  }
  HttpResponse import(const std::string& body, const std::string& kind, bool skip, const std::string& type = "text/csv",
                      const Session* s = nullptr) {
    return hall().send("POST", "/api/v1/users/import?kind=" + kind + "&skip_bad_rows=" + (skip ? "true" : "false"), body,
                       s ? s : &admin_, {}, type);
  }
  bool can_login(const std::string& login, const std::string& password) {
    auto r = hall().post("/api/v1/auth/login", json::object{{"login", login}, {"password", password}});
    return r.status == 200;
  }
  json::object student_body(const std::string& login, const std::string& no) {
    return json::object{{"login", login},
                        {"name", "新同学"},
                        {"role", "student"},
                        {"password", "Secret-2024"},
                        {"student",
                         {{"student_no", no}, {"college_id", 1}, {"major", "软件工程"}, {"class_name", "软件2401"},
                          {"phone", "13900000000"}, {"card_no", nullptr}}}};
  }

  std::unique_ptr<TestHall> hall_;
  Session admin_;
};

// ---------------------------------------------------------------------------
// Happy paths.

TEST_P(PeopleApi, AdminCreatesAStudentAndFindsThemByStudentNumber) {
  auto r = hall().post("/api/v1/users", student_body("2024009001", "2024009001"), &admin_);
  ASSERT_EQ(r.status, 201) << r.body;
  auto u = r.json();
  EXPECT_EQ(u.at("role").as_string(), "student");
  EXPECT_EQ(u.at("student").at("student_no").as_string(), "2024009001");
  EXPECT_EQ(u.at("student").at("college_name").as_string(), "机械工程学院");
  EXPECT_TRUE(u.at("student").at("card_no").is_null());
  EXPECT_TRUE(u.at("staff").is_null());
  EXPECT_FALSE(u.as_object().contains("password"));
  std::int64_t id = u.at("id").as_int64();

  auto found = hall().get("/api/v1/users?q=2024009001", &admin_);
  ASSERT_EQ(found.status, 200) << found.body;
  EXPECT_EQ(found.json().at("total").as_int64(), 1);
  EXPECT_EQ(found.json().at("items").at(0).at("id").as_int64(), id);
  EXPECT_EQ(found.json().at("page").as_int64(), 1);
  auto by_role = hall().get("/api/v1/users?role=admin", &admin_);
  EXPECT_EQ(by_role.json().at("total").as_int64(), 1);
  auto one = hall().get("/api/v1/users/" + std::to_string(id), &admin_);
  ASSERT_EQ(one.status, 200);
  EXPECT_EQ(one.json().at("name").as_string(), "新同学");
  EXPECT_TRUE(can_login("2024009001", "Secret-2024"));
  // Students may read their own account.
  Session me = hall().login("2024009001", "Secret-2024");
  EXPECT_EQ(hall().get("/api/v1/users/" + std::to_string(id), &me).status, 200);
  EXPECT_EQ(audits("user.created"), 1);
  // The password is stored as a hash only.
  EXPECT_EQ(hall().count("SELECT COUNT(*) FROM users WHERE password_hash LIKE '%Secret-2024%'"), 0);
}

TEST_P(PeopleApi, AdminCreatesStaffWithBadgeAndEditsTheProfile) {
  json::object body{{"login", "staff99"},
                    {"name", "钱多多"},
                    {"role", "staff"},
                    {"password", "Window-99x"},
                    {"staff", {{"staff_no", "S0199"}, {"unit_id", 2}, {"badge_no", "JW-199"}, {"phone", ""}}}};
  auto r = hall().post("/api/v1/users", body, &admin_);
  ASSERT_EQ(r.status, 201) << r.body;
  std::int64_t id = r.json().at("id").as_int64();
  EXPECT_EQ(r.json().at("staff").at("unit_name").as_string(), "教务处");
  EXPECT_EQ(hall().get("/api/v1/users?q=S0199", &admin_).json().at("total").as_int64(), 1);

  auto p = hall().patch("/api/v1/users/" + std::to_string(id),
                        json::object{{"name", "钱多"}, {"staff", {{"unit_id", nullptr}, {"badge_no", "XS-7"}}}}, &admin_);
  ASSERT_EQ(p.status, 200) << p.body;
  EXPECT_EQ(p.json().at("name").as_string(), "钱多");
  EXPECT_TRUE(p.json().at("staff").at("unit_id").is_null());
  EXPECT_EQ(p.json().at("staff").at("badge_no").as_string(), "XS-7");
  EXPECT_EQ(p.json().at("staff").at("staff_no").as_string(), "S0199");  // kept

  // Promote to unit head: the staff profile stays; sessions end.
  Session s = hall().login("staff99", "Window-99x");
  auto promoted = hall().patch("/api/v1/users/" + std::to_string(id), json::object{{"role", "unit_head"}}, &admin_);
  ASSERT_EQ(promoted.status, 200) << promoted.body;
  EXPECT_EQ(promoted.json().at("role").as_string(), "unit_head");
  EXPECT_EQ(hall().get("/api/v1/auth/me", &s).status, 401);
  Session s2 = hall().login("staff99", "Window-99x");
  EXPECT_EQ(hall().get("/api/v1/users", &s2).status, 200);  // unit heads read people

  // Make them a student: needs the student profile; the staff profile goes.
  auto no_profile = hall().patch("/api/v1/users/" + std::to_string(id), json::object{{"role", "student"}}, &admin_);
  EXPECT_EQ(no_profile.status, 400);
  EXPECT_EQ(no_profile.error_field(), "student");
  auto student = hall().patch("/api/v1/users/" + std::to_string(id),
                              json::object{{"role", "student"}, {"student", {{"student_no", "2024777"}}}}, &admin_);
  ASSERT_EQ(student.status, 200) << student.body;
  EXPECT_TRUE(student.json().at("staff").is_null());
  EXPECT_EQ(student.json().at("student").at("student_no").as_string(), "2024777");
}

TEST_P(PeopleApi, DisablingEndsSessionsAtOnceAndIsAudited) {
  Session student = hall().login("2023001002", "student123");
  ASSERT_EQ(hall().get("/api/v1/auth/me", &student).status, 200);  // now cached
  long long id = id_of("2023001002");
  auto r = hall().patch("/api/v1/users/" + std::to_string(id), json::object{{"disabled", true}}, &admin_);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json().at("disabled"), true);
  EXPECT_EQ(hall().get("/api/v1/auth/me", &student).status, 401);
  EXPECT_FALSE(can_login("2023001002", "student123"));
  EXPECT_EQ(audits("user.disabled"), 1);
  EXPECT_EQ(hall().count("SELECT COUNT(*) FROM sessions WHERE user_id = " + std::to_string(id) + " AND revoked_at IS NULL"), 0);
  ASSERT_EQ(hall().patch("/api/v1/users/" + std::to_string(id), json::object{{"disabled", false}}, &admin_).status, 200);
  EXPECT_TRUE(can_login("2023001002", "student123"));
}

TEST_P(PeopleApi, AnAdministratorCannotDisableOrDemoteThemselves) {
  long long me = id_of("admin");
  auto before = hall().table_counts();
  auto d = hall().patch("/api/v1/users/" + std::to_string(me), json::object{{"disabled", true}}, &admin_);
  EXPECT_EQ(d.status, 409);
  EXPECT_EQ(d.error_code(), "cannot_disable_self");
  auto r = hall().patch("/api/v1/users/" + std::to_string(me), json::object{{"role", "teacher"}}, &admin_);
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(r.error_code(), "cannot_change_own_role");
  EXPECT_EQ(hall().table_counts(), before);
  // A second administrator may disable the first; the remaining one still cannot disable themselves.
  json::object second{{"login", "admin2"}, {"name", "副管理员"}, {"role", "admin"}, {"password", "Admin-2-pass"},
                      {"staff", {{"staff_no", "A0002"}}}};
  ASSERT_EQ(hall().post("/api/v1/users", second, &admin_).status, 201);
  Session admin2 = hall().login("admin2", "Admin-2-pass");
  ASSERT_EQ(hall().patch("/api/v1/users/" + std::to_string(me), json::object{{"disabled", true}}, &admin2).status, 200);
  EXPECT_EQ(hall().get("/api/v1/auth/me", &admin_).status, 401);
  EXPECT_EQ(hall().patch("/api/v1/users/" + std::to_string(id_of("admin2")), json::object{{"disabled", true}}, &admin2).status, 409);
  EXPECT_EQ(hall().count("SELECT COUNT(*) FROM users WHERE role = 'admin' AND disabled = 0"), 1);
}

TEST_P(PeopleApi, ResetPasswordReplacesItAndEndsSessions) {
  Session student = hall().login("2023001003", "student123");
  long long id = id_of("2023001003");
  auto weak = hall().post("/api/v1/users/" + std::to_string(id) + "/reset-password", json::object{{"password", "123"}}, &admin_);
  EXPECT_EQ(weak.status, 400);
  EXPECT_EQ(weak.error_code(), "weak_password");
  auto r = hall().post("/api/v1/users/" + std::to_string(id) + "/reset-password", json::object{{"password", "Fresh-pass-1"}}, &admin_);
  ASSERT_EQ(r.status, 204) << r.body;
  EXPECT_EQ(hall().get("/api/v1/auth/me", &student).status, 401);
  EXPECT_FALSE(can_login("2023001003", "student123"));
  EXPECT_TRUE(can_login("2023001003", "Fresh-pass-1"));
  EXPECT_EQ(hall().post("/api/v1/users/99999/reset-password", json::object{{"password", "Fresh-pass-1"}}, &admin_).status, 404);
}

// ---------------------------------------------------------------------------
// Permissions.

struct AccessCase {
  std::string who, method, path, body, content_type;
  int status;
};

TEST_P(PeopleApi, PermissionsAreCheckedOnTheServer) {
  long long other = id_of("2023001005");
  long long self = id_of("2023001001");
  const std::string o = std::to_string(other), me = std::to_string(self);
  const std::string create = json::serialize(student_body("x2024", "x2024"));
  const std::string csv = "学号,姓名,学院\n2029000001,张三,JX\n";
  const std::vector<AccessCase> cases = {
      {"student", "GET", "/api/v1/users", "", "", 403},
      {"student", "GET", "/api/v1/users?q=2023", "", "", 403},
      {"student", "GET", "/api/v1/users/" + o, "", "", 403},  // another student
      {"student", "GET", "/api/v1/users/" + me, "", "", 200},  // oneself
      {"student", "POST", "/api/v1/users", create, "application/json", 403},
      {"student", "PATCH", "/api/v1/users/" + me, R"({"name":"X"})", "application/json", 403},
      {"student", "PATCH", "/api/v1/users/" + o, R"({"disabled":true})", "application/json", 403},
      {"student", "POST", "/api/v1/users/" + o + "/reset-password", R"({"password":"Hacked-123"})", "application/json", 403},
      {"student", "POST", "/api/v1/users/import?kind=student", csv, "text/csv", 403},
      {"student", "GET", "/api/v1/users/import/template?kind=student&format=csv", "", "", 403},
      {"staff", "GET", "/api/v1/users", "", "", 403},
      {"staff", "GET", "/api/v1/users/" + o, "", "", 403},
      {"staff", "POST", "/api/v1/users", create, "application/json", 403},
      {"teacher", "GET", "/api/v1/users", "", "", 200},
      {"teacher", "GET", "/api/v1/users/" + o, "", "", 200},
      {"teacher", "POST", "/api/v1/users", create, "application/json", 403},
      {"teacher", "POST", "/api/v1/users/import?kind=student", csv, "text/csv", 403},
      {"kiosk", "GET", "/api/v1/users/" + o, "", "", 403},
      {"kiosk", "GET", "/api/v1/users", "", "", 403},
      {"anonymous", "GET", "/api/v1/users", "", "", 401},
      {"anonymous", "GET", "/api/v1/users/" + o, "", "", 401},
      {"anonymous", "POST", "/api/v1/users", create, "application/json", 401},
      {"anonymous", "POST", "/api/v1/users/import?kind=student", csv, "text/csv", 401},
  };
  std::map<std::string, Session> sessions{{"teacher", hall().login("teacher", "teacher123")},
                                          {"staff", hall().login("staff01", "staff123")},
                                          {"student", hall().login("2023001001", "student123")},
                                          {"kiosk", Session{"demo-kiosk-token-0001-hall-main", "", false}}};
  auto before = hall().table_counts();
  for (const auto& c : cases) {
    SCOPED_TRACE(c.who + " " + c.method + " " + c.path);
    const Session* s = c.who == "anonymous" ? nullptr : &sessions.at(c.who);
    auto r = c.method == "GET" ? hall().get(c.path, s) : hall().send(c.method, c.path, c.body, s, {}, c.content_type);
    EXPECT_EQ(r.status, c.status) << r.body;
  }
  EXPECT_EQ(hall().table_counts(), before);
  // The cookie session of a student cannot write either, even with its CSRF token.
  Session cookie = hall().login("2023001001", "student123", true);
  EXPECT_EQ(hall().patch("/api/v1/users/" + o, json::object{{"disabled", true}}, &cookie).status, 403);
}

// ---------------------------------------------------------------------------
// Bad input.

struct BadCase {
  std::string name, method, path, body;
  int status;
  std::string code, field;
};

TEST_P(PeopleApi, BadInputIsRefusedAndTheDatabaseIsUnchanged) {
  auto with = [&](std::function<void(json::object&)> edit) {
    json::object b = student_body("2024100001", "2024100001");
    edit(b);
    return json::serialize(b);
  };
  const std::string staff_id = std::to_string(id_of("staff01"));
  const std::string student_id = std::to_string(id_of("2023001001"));
  const std::vector<BadCase> cases = {
      {"missing login", "POST", "/api/v1/users", with([](auto& b) { b.erase("login"); }), 400, "missing_field", "login"},
      {"missing password", "POST", "/api/v1/users", with([](auto& b) { b.erase("password"); }), 400, "missing_field", "password"},
      {"role of wrong type", "POST", "/api/v1/users", with([](auto& b) { b["role"] = 3; }), 400, "wrong_type", "role"},
      {"unknown role", "POST", "/api/v1/users", with([](auto& b) { b["role"] = "root"; }), 400, "invalid_role", "role"},
      {"unknown field", "POST", "/api/v1/users", with([](auto& b) { b["is_admin"] = true; }), 400, "unknown_field", "is_admin"},
      {"unknown nested field", "POST", "/api/v1/users", with([](auto& b) { b["student"].as_object()["gpa"] = 4; }), 400,
       "unknown_field", "student.gpa"},
      {"name too long", "POST", "/api/v1/users", with([](auto& b) { b["name"] = std::string(51, 'n'); }), 400, "too_long", "name"},
      {"major too long", "POST", "/api/v1/users", with([](auto& b) { b["student"].as_object()["major"] = std::string(101, 'm'); }),
       400, "too_long", "student.major"},
      {"login with spaces and quotes", "POST", "/api/v1/users", with([](auto& b) { b["login"] = "a' OR '1'='1"; }), 400,
       "invalid_identifier", "login"},
      {"weak password", "POST", "/api/v1/users", with([](auto& b) { b["password"] = "1111111111"; }), 400, "weak_password",
       "password"},
      {"bad phone", "POST", "/api/v1/users", with([](auto& b) { b["student"].as_object()["phone"] = "13x"; }), 400,
       "invalid_phone", "student.phone"},
      {"student without profile", "POST", "/api/v1/users", with([](auto& b) { b.erase("student"); }), 400, "missing_field",
       "student"},
      {"student without student_no", "POST", "/api/v1/users", with([](auto& b) { b["student"].as_object().erase("student_no"); }),
       400, "missing_field", "student.student_no"},
      {"student with a staff profile", "POST", "/api/v1/users", with([](auto& b) { b["staff"] = {{"staff_no", "S1"}}; }), 400,
       "profile_mismatch", "staff"},
      {"staff without staff_no", "POST", "/api/v1/users",
       R"({"login":"s77","name":"X","role":"staff","password":"Window-99x","staff":{"unit_id":1}})", 400, "missing_field",
       "staff.staff_no"},
      {"teacher without staff profile", "POST", "/api/v1/users",
       R"({"login":"t77","name":"X","role":"teacher","password":"Window-99x"})", 400, "missing_field", "staff"},
      {"duplicate login", "POST", "/api/v1/users", with([](auto& b) { b["login"] = "teacher"; }), 409, "login_taken", "login"},
      {"duplicate student_no", "POST", "/api/v1/users", with([](auto& b) { b["student"].as_object()["student_no"] = "2023001001"; }),
       409, "student_no_taken", "student.student_no"},
      {"duplicate card", "POST", "/api/v1/users", with([](auto& b) { b["student"].as_object()["card_no"] = "8000100001"; }), 409,
       "card_no_taken", "student.card_no"},
      {"duplicate staff_no", "POST", "/api/v1/users",
       R"({"login":"s78","name":"X","role":"staff","password":"Window-99x","staff":{"staff_no":"S0101"}})", 409, "staff_no_taken",
       "staff.staff_no"},
      {"unknown college", "POST", "/api/v1/users", with([](auto& b) { b["student"].as_object()["college_id"] = 9999; }), 400,
       "unknown_college", "student.college_id"},
      {"unknown unit", "POST", "/api/v1/users",
       R"({"login":"s79","name":"X","role":"staff","password":"Window-99x","staff":{"staff_no":"S0179","unit_id":9999}})", 400,
       "unknown_unit", "staff.unit_id"},
      {"edit: unknown id", "PATCH", "/api/v1/users/99999", R"({"name":"X"})", 404, "user_not_found", ""},
      {"edit: disabled not bool", "PATCH", "/api/v1/users/" + student_id, R"({"disabled":"yes"})", 400, "wrong_type", "disabled"},
      {"edit: staff profile on a student", "PATCH", "/api/v1/users/" + student_id, R"({"staff":{"staff_no":"S5"}})", 400,
       "profile_mismatch", "staff"},
      {"edit: duplicate staff_no", "PATCH", "/api/v1/users/" + staff_id, R"({"staff":{"staff_no":"S0102"}})", 409,
       "staff_no_taken", "staff.staff_no"},
      {"edit: blank name", "PATCH", "/api/v1/users/" + staff_id, R"({"name":" "})", 400, "empty_field", "name"},
      {"edit: unknown field", "PATCH", "/api/v1/users/" + staff_id, R"({"login":"new"})", 400, "unknown_field", "login"},
      {"search: unknown role", "GET", "/api/v1/users?role=root", "", 400, "invalid_role", "role"},
      {"search: bad page", "GET", "/api/v1/users?page=0", "", 400, "out_of_range", "page"},
  };
  auto before = hall().table_counts();
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto r = c.method == "GET" ? hall().get(c.path, &admin_) : hall().send(c.method, c.path, c.body, &admin_);
    EXPECT_EQ(r.status, c.status) << r.body;
    EXPECT_EQ(r.error_code(), c.code) << r.body;
    EXPECT_EQ(r.error_field(), c.field) << r.body;
    EXPECT_EQ(hall().table_counts(), before);
  }
}

TEST_P(PeopleApi, SqlMetacharactersInTextFieldsAreStoredVerbatim) {
  const std::vector<std::string> payloads = {"'; DROP TABLE users; --", "\" OR 1=1 --", "x'); DELETE FROM students;--"};
  long long students = hall().count("SELECT COUNT(*) FROM students");
  int n = 0;
  for (const auto& p : payloads) {
    SCOPED_TRACE(p);
    ++n;
    json::object b = student_body("meta" + std::to_string(n), "M" + std::to_string(n));
    b["name"] = p;
    b["student"].as_object()["major"] = p;
    b["student"].as_object()["class_name"] = p;
    auto r = hall().post("/api/v1/users", b, &admin_);
    ASSERT_EQ(r.status, 201) << r.body;
    auto u = hall().get("/api/v1/users/" + std::to_string(r.json().at("id").as_int64()), &admin_).json();
    EXPECT_EQ(u.at("name").as_string(), p);
    EXPECT_EQ(u.at("student").at("major").as_string(), p);
    EXPECT_EQ(u.at("student").at("class_name").as_string(), p);
    // Searching for it finds exactly that person and breaks nothing.
    auto found = hall().get("/api/v1/users?q=meta" + std::to_string(n), &admin_);
    EXPECT_EQ(found.json().at("total").as_int64(), 1);
    json::object staff{{"login", "metas" + std::to_string(n)}, {"name", p}, {"role", "staff"}, {"password", "Window-99x"},
                       {"staff", {{"staff_no", "MS" + std::to_string(n)}, {"badge_no", p.substr(0, 20)}}}};
    auto s = hall().post("/api/v1/users", staff, &admin_);
    ASSERT_EQ(s.status, 201) << s.body;
    EXPECT_EQ(s.json().at("staff").at("badge_no").as_string(), p.substr(0, 20));
  }
  EXPECT_EQ(hall().count("SELECT COUNT(*) FROM students"), students + static_cast<long long>(payloads.size()));
  EXPECT_TRUE(can_login("admin", "admin123"));
}

// ---------------------------------------------------------------------------
// Import.

TEST_P(PeopleApi, ImportsStudentsFromCsv) {
  std::string csv =
      "学号*,姓名*,学院*,专业,班级,手机,校园卡号,初始密码\r\n"
      "2025000001,赵一,机械工程学院,车辆工程,车辆2501,13800000001,9000000001,Import-pass1\r\n"
      "2025000002,钱二,JSJ,软件工程,软件2501,,,\r\n"
      "2025000003,\"孙三, 小\",计算机学院,,,+86 138 0000 0003,9000000003,\r\n";
  auto r = import(csv, "student", false);
  ASSERT_EQ(r.status, 200) << r.body;
  auto v = r.json();
  EXPECT_EQ(v.at("imported").as_int64(), 3);
  EXPECT_EQ(v.at("committed"), true);
  EXPECT_TRUE(v.at("rejected").as_array().empty());
  auto found = hall().get("/api/v1/users?q=2025000003", &admin_).json();
  ASSERT_EQ(found.at("total").as_int64(), 1);
  EXPECT_EQ(found.at("items").at(0).at("name").as_string(), "孙三, 小");
  EXPECT_EQ(found.at("items").at(0).at("student").at("college_name").as_string(), "计算机学院");
  EXPECT_EQ(found.at("items").at(0).at("student").at("card_no").as_string(), "9000000003");
  // With an initial password the student can sign in; without one, not until a reset.
  EXPECT_TRUE(can_login("2025000001", "Import-pass1"));
  EXPECT_FALSE(can_login("2025000002", ""));
  EXPECT_FALSE(can_login("2025000002", "!no-password:set-by-administrator"));
  long long id2 = id_of("2025000002");
  ASSERT_EQ(hall().post("/api/v1/users/" + std::to_string(id2) + "/reset-password", json::object{{"password", "Now-i-can-1"}},
                        &admin_).status,
            204);
  EXPECT_TRUE(can_login("2025000002", "Now-i-can-1"));
  // One audit entry for the whole import, with its counts.
  EXPECT_EQ(audits("users.imported"), 1);
  auto audit = hall().get("/api/v1/audit?action=users.imported", &admin_).json();
  EXPECT_EQ(audit.at("items").at(0).at("summary").at("imported").as_int64(), 3);
  EXPECT_EQ(audit.at("items").at(0).at("summary").at("kind").as_string(), "student");
}

TEST_P(PeopleApi, ImportsStaffFromXlsxWithEnglishHeaders) {
  tabular::Table t;
  t.headers = {"staff_no", "name", "role", "unit", "badge_no", "phone", "login"};
  t.add_row({"S0901", "周一", "", "JWC", "JW-901", "0731-22181901", ""});
  t.add_row({"S0902", "吴二", "teacher", "学生事务中心", "", "", "wuer"});
  t.add_row({"S0903", "郑三", "入驻单位负责人", "", "", "", ""});
  auto r = import(tabular::write_xlsx(t, "staff"), "staff", false, kXlsx);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json().at("imported").as_int64(), 3) << r.body;
  auto u1 = hall().get("/api/v1/users/" + std::to_string(id_of("S0901")), &admin_).json();
  EXPECT_EQ(u1.at("role").as_string(), "staff");
  EXPECT_EQ(u1.at("staff").at("unit_name").as_string(), "教务处");
  EXPECT_EQ(u1.at("staff").at("badge_no").as_string(), "JW-901");
  auto u2 = hall().get("/api/v1/users/" + std::to_string(id_of("wuer")), &admin_).json();
  EXPECT_EQ(u2.at("role").as_string(), "teacher");
  EXPECT_EQ(u2.at("staff").at("staff_no").as_string(), "S0902");
  EXPECT_EQ(hall().get("/api/v1/users/" + std::to_string(id_of("S0903")), &admin_).json().at("role").as_string(), "unit_head");
}

TEST_P(PeopleApi, ABadRowWithoutSkipImportsNothingAndNamesRowAndField) {
  std::string csv =
      "学号,姓名,学院,手机\n"
      "2025100001,甲,JX,13800000001\n"
      "2025100002,乙,不存在的学院,13800000002\n"
      "2025100003,丙,JX,not-a-phone\n"
      "2025100004,丁,JX,\n";
  auto before = hall().table_counts();
  auto r = import(csv, "student", false);
  ASSERT_EQ(r.status, 200) << r.body;
  auto v = r.json();
  EXPECT_EQ(v.at("committed"), false);
  EXPECT_EQ(v.at("imported").as_int64(), 0);
  auto rejected = v.at("rejected").as_array();
  ASSERT_EQ(rejected.size(), 2u) << r.body;
  EXPECT_EQ(rejected[0].at("row").as_int64(), 3);
  EXPECT_EQ(rejected[0].at("field").as_string(), "college");
  EXPECT_NE(rejected[0].at("message").as_string().find("第 3 行"), std::string::npos);
  EXPECT_EQ(rejected[1].at("row").as_int64(), 4);
  EXPECT_EQ(rejected[1].at("field").as_string(), "phone");
  EXPECT_EQ(hall().table_counts(), before);  // nothing written, not even an audit entry

  // The same file with skip_bad_rows: the two good rows go in, the report stays.
  auto skip = import(csv, "student", true);
  ASSERT_EQ(skip.status, 200) << skip.body;
  EXPECT_EQ(skip.json().at("committed"), true);
  EXPECT_EQ(skip.json().at("imported").as_int64(), 2);
  EXPECT_EQ(skip.json().at("rejected").as_array().size(), 2u);
  EXPECT_EQ(hall().count("SELECT COUNT(*) FROM students WHERE student_no IN ('2025100001','2025100004')"), 2);
  EXPECT_EQ(hall().count("SELECT COUNT(*) FROM students WHERE student_no IN ('2025100002','2025100003')"), 0);
  EXPECT_EQ(audits("users.imported"), 1);
  // English messages on request.
  auto en = hall().send("POST", "/api/v1/users/import?kind=student", csv, &admin_, {{"Accept-Language", "en"}}, "text/csv");
  auto en_rejected = en.json().at("rejected").as_array();  // rows 2 and 5 are now taken as well
  ASSERT_EQ(en_rejected.size(), 4u) << en.body;
  EXPECT_EQ(en_rejected[1].at("message").as_string(), "Row 3, column 学院: no college is named or coded \"不存在的学院\"");
}

TEST_P(PeopleApi, DuplicateStudentNumbersInTheFileAndInTheDatabaseAreRejected) {
  std::string csv =
      "学号,姓名,学院,校园卡号\n"
      "2025200001,甲,JX,\n"
      "2023001001,乙,JX,\n"     // exists in the demo data
      "2025200001,丙,JX,\n"     // repeats row 2
      "2025200004,丁,JX,8000100001\n"  // campus card of a demo student
      "2025200005,戊,JX,\n";
  auto before = hall().table_counts();
  auto r = import(csv, "student", false);
  ASSERT_EQ(r.status, 200) << r.body;
  auto rejected = r.json().at("rejected").as_array();
  ASSERT_EQ(rejected.size(), 3u) << r.body;
  EXPECT_EQ(rejected[0].at("row").as_int64(), 3);
  EXPECT_EQ(rejected[0].at("field").as_string(), "student_no");
  EXPECT_EQ(rejected[1].at("row").as_int64(), 4);
  EXPECT_EQ(rejected[1].at("field").as_string(), "student_no");
  EXPECT_NE(rejected[1].at("message").as_string().find("第 2 行"), std::string::npos) << rejected[1];
  EXPECT_EQ(rejected[2].at("row").as_int64(), 5);
  EXPECT_EQ(rejected[2].at("field").as_string(), "card_no");
  EXPECT_EQ(hall().table_counts(), before);

  auto skip = import(csv, "student", true);
  EXPECT_EQ(skip.json().at("imported").as_int64(), 2) << skip.body;
  // Importing the same good rows again: all are now duplicates against the database.
  auto again = import(csv, "student", true);
  EXPECT_EQ(again.json().at("imported").as_int64(), 0) << again.body;
  EXPECT_EQ(again.json().at("rejected").as_array().size(), 5u) << again.body;
}

TEST_P(PeopleApi, UnreadableOrMalformedFilesAreRefused) {
  struct FileCase {
    std::string name, body, type, query;
    int status;
    std::string code;
  };
  const std::vector<FileCase> cases = {
      {"GBK bytes, not UTF-8", "\xD1\xA7\xBA\xC5,\xD0\xD5\xC3\xFB\n1,\xD5\xC5\n", "text/csv", "kind=student", 400, "invalid_utf8"},
      {"missing required column", "学号,姓名\n2025300001,甲\n", "text/csv", "kind=student", 400, "missing_column"},
      {"unknown column", "学号,姓名,学院,爱好\n2025300001,甲,JX,唱歌\n", "text/csv", "kind=student", 400, "unknown_column"},
      {"not an xlsx", "this is not a zip", kXlsx, "kind=staff", 400, "invalid_xlsx"},
      {"unknown kind", "学号,姓名,学院\n1,甲,JX\n", "text/csv", "kind=alien", 400, "invalid_kind"},
      {"empty body", "", "text/csv", "kind=student", 400, "empty_file"},
      {"bad skip flag", "学号,姓名,学院\n1,甲,JX\n", "text/csv", "kind=student&skip_bad_rows=maybe", 400, "wrong_type"},
  };
  auto before = hall().table_counts();
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto r = hall().send("POST", "/api/v1/users/import?" + c.query, c.body, &admin_, {}, c.type);
    EXPECT_EQ(r.status, c.status) << r.body;
    EXPECT_EQ(r.error_code(), c.code) << r.body;
    EXPECT_EQ(hall().table_counts(), before);
  }
}

TEST_P(PeopleApi, StaffImportChecksRolesUnitsAndLogins) {
  std::string csv =
      "工号,姓名,角色,单位,登录名\n"
      "S0801,甲,admin,,\n"         // administrators are not imported
      "S0802,乙,staff,火星办公室,\n"  // unknown unit
      "S0803,丙,,,teacher\n"       // login taken
      "S0804,丁,窗口工作人员,CWC,\n";
  auto r = import(csv, "staff", true);
  ASSERT_EQ(r.status, 200) << r.body;
  auto v = r.json();
  EXPECT_EQ(v.at("imported").as_int64(), 1);
  auto rejected = v.at("rejected").as_array();
  ASSERT_EQ(rejected.size(), 3u) << r.body;
  EXPECT_EQ(rejected[0].at("field").as_string(), "role");
  EXPECT_EQ(rejected[1].at("field").as_string(), "unit");
  EXPECT_EQ(rejected[2].at("field").as_string(), "login");
  EXPECT_EQ(hall().count("SELECT COUNT(*) FROM staff WHERE staff_no = 'S0804'"), 1);
}

TEST_P(PeopleApi, TemplatesDownloadAsAttachmentsAndImportBack) {
  auto csv = hall().get("/api/v1/users/import/template?kind=student&format=csv", &admin_);
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_NE(csv.header("content-disposition").find("attachment"), std::string::npos);
  EXPECT_NE(csv.body.find("学号*"), std::string::npos);
  auto xlsx = hall().get("/api/v1/users/import/template?kind=staff&format=xlsx", &admin_);
  ASSERT_EQ(xlsx.status, 200);
  EXPECT_NE(xlsx.header("content-disposition").find(".xlsx"), std::string::npos);
  ASSERT_EQ(xlsx.body.rfind("PK", 0), 0u);
  // Fill the downloaded template and upload it.
  std::string filled = csv.body + "2025400001,模板生,JX,,,,,\r\n";
  auto r = import(filled, "student", false);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json().at("imported").as_int64(), 1) << r.body;
  EXPECT_EQ(hall().get("/api/v1/users/import/template?kind=student&format=pdf", &admin_).status, 400);
}

INSTANTIATE_TEST_SUITE_P(Backends, PeopleApi, testing::ValuesIn(hall::test::backends()), hall::test::backend_name);

}  // namespace
}  // namespace hall::test
