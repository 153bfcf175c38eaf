// Accurate documents over HTTP (B5) on SQLite and PostgreSQL: issuing from the
// records (the client cannot type the name or 学号), the PDF, who may see what,
// the public verification revealing nothing beyond authenticity, correction
// revoking and counting against accuracy, the courtesy check on free text (B1),
// bad input leaving the database unchanged, and the template extension point.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <regex>

#include "calendar/service.hpp"
#include "courtesy/service.hpp"
#include "documents/service.hpp"
#include "support/test_support.hpp"

namespace hall::test {
namespace {

std::string str(const json::value& v, const char* key) { return std::string(v.at(key).as_string()); }
bool has(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }

class DocumentsApi : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    hall_ = std::make_unique<TestHall>(GetParam());
    staff_ = h().login("staff01", "staff123");
    teacher_ = h().login("teacher", "teacher123");
    me_ = h().login("2023001005", "student123");
    other_ = h().login("2023001006", "student123");
    head_ = h().login("jwc_head", "head1234");
    my_id_ = h().count("SELECT user_id FROM students WHERE student_no = '2023001005'");
  }
  TestHall& h() { return *hall_; }
  json::value issue_certificate(const std::string& purpose = "办理出国签证") {
    auto r = h().post("/api/v1/documents",
                      json::object{{"type", "enrollment_certificate"}, {"student_id", my_id_}, {"fields", {{"purpose", purpose}}}},
                      &staff_);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json();
  }
  std::string path(const json::value& d, const std::string& suffix = "") {
    return "/api/v1/documents/" + std::to_string(d.at("id").as_int64()) + suffix;
  }
  HttpResponse verify(const std::string& code) { return h().get("/api/v1/public/verify/" + code); }
  std::unique_ptr<TestHall> hall_;
  Session staff_, teacher_, me_, other_, head_;
  long long my_id_ = 0;
};

TEST_P(DocumentsApi, EnrollmentCertificateIsFilledFromTheRecord) {
  auto d = issue_certificate();
  EXPECT_TRUE(std::regex_match(str(d, "number"), std::regex("HUT-ZM-20[0-9]{2}-[0-9]{6}"))) << str(d, "number");
  EXPECT_TRUE(std::regex_match(str(d, "code"), std::regex("[0-9A-HJKMNP-TV-Z]{12}")));
  EXPECT_EQ(str(d, "verify_path"), "/verify/" + str(d, "code"));
  EXPECT_EQ(str(d, "status"), "valid");
  EXPECT_EQ(str(d, "type_name"), "在读证明");
  EXPECT_EQ(str(d, "issuer_name"), "李娟");
  EXPECT_EQ(str(d, "issuer_unit"), "教务处");
  const auto& c = d.at("content");
  auto db_name = h().app().db->read([&](soci::session& s) {
    std::string n;
    s << "SELECT name FROM users WHERE id = :i", soci::use(my_id_), soci::into(n);
    return n;
  });
  EXPECT_EQ(str(c, "student_name"), db_name);
  EXPECT_EQ(str(c, "student_no"), "2023001005");
  EXPECT_EQ(str(c, "purpose"), "办理出国签证");
  EXPECT_EQ(c.at("enrolment_year").as_int64(), 2023);
  EXPECT_FALSE(str(c, "college").empty());
  EXPECT_FALSE(str(c, "major").empty());
  EXPECT_EQ(str(c, "issued_on"), local_date(Clock::now()));
  EXPECT_EQ(h().count("SELECT COUNT(*) FROM audit_log WHERE action = 'documents.issue' AND target_id = '" +
                      std::to_string(d.at("id").as_int64()) + "'"),
            1);

  // The PDF, for staff and for the student it is about.
  for (const Session* s : {&staff_, &me_}) {
    auto pdf = h().get(path(d, "/pdf"), s);
    ASSERT_EQ(pdf.status, 200) << pdf.body.substr(0, 200);
    EXPECT_EQ(pdf.header("content-type"), "application/pdf");
    EXPECT_EQ(pdf.body.substr(0, 5), "%PDF-");
    EXPECT_TRUE(has(pdf.header("content-disposition"), str(d, "number") + ".pdf")) << pdf.header("content-disposition");
  }
  // The student sees it among their documents.
  auto mine = h().get("/api/v1/documents/mine", &me_).json();
  ASSERT_EQ(mine.at("total").as_int64(), 1);
  EXPECT_EQ(str(mine.at("items").as_array()[0], "number"), str(d, "number"));
  EXPECT_EQ(h().get("/api/v1/documents/mine", &other_).json().at("total").as_int64(), 0);
  // Staff find it by 学号 and by type.
  EXPECT_EQ(h().get("/api/v1/documents?student_no=2023001005", &staff_).json().at("total").as_int64(), 1);
  EXPECT_EQ(h().get("/api/v1/documents?type=enrollment_certificate&status=valid&student_id=" + std::to_string(my_id_),
                    &teacher_).json().at("total").as_int64(),
            1);
  // Numbers follow each other.
  auto d2 = issue_certificate("申请奖学金");
  std::string n1 = str(d, "number"), n2 = str(d2, "number");
  EXPECT_EQ(std::stoll(n2.substr(n2.size() - 6)), std::stoll(n1.substr(n1.size() - 6)) + 1);
}

// The administrator's home page warns while the public address of QR codes and verification links
// is unset (issue #11): the check is for administrators only.
TEST_P(DocumentsApi, AdministratorsSeeWhetherThePublicAddressIsSet) {
  auto admin = h().login("admin", "admin123");
  auto r = h().get("/api/v1/documents/link-base", &admin);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_FALSE(r.json().at("configured").as_bool());
  EXPECT_EQ(std::string(r.json().at("this_request").as_string()).rfind("http://", 0), 0u) << r.body;
  h().app().config.public_base_url = "https://hall.example.edu.cn";
  r = h().get("/api/v1/documents/link-base", &admin);
  EXPECT_TRUE(r.json().at("configured").as_bool());
  EXPECT_EQ(std::string(r.json().at("this_request").as_string()), "https://hall.example.edu.cn");
  h().app().config.public_base_url.clear();
  for (const Session* s : {&staff_, &teacher_, &me_, &head_})
    EXPECT_EQ(h().get("/api/v1/documents/link-base", s).status, 403);
  EXPECT_EQ(h().get("/api/v1/documents/link-base").status, 401);
}

TEST_P(DocumentsApi, TheClientCannotTypeTheNameOrNumber) {
  auto before = h().table_counts();
  struct Row {
    json::object body;
    int status;
    const char *code, *field;
  } rows[] = {
      {{{"type", "enrollment_certificate"}, {"student_id", my_id_}, {"fields", {{"purpose", "签证"}, {"student_name", "张三"}}}},
       400, "unknown_field", "fields.student_name"},
      {{{"type", "enrollment_certificate"}, {"student_id", my_id_}, {"fields", {{"purpose", "签证"}}}, {"student_no", "1"}},
       400, "unknown_field", "student_no"},
      {{{"type", "enrollment_certificate"}, {"student_id", my_id_}}, 400, "missing_field", "fields.purpose"},
      {{{"type", "enrollment_certificate"}, {"student_id", my_id_}, {"fields", {{"purpose", ""}}}}, 400, "empty_field",
       "fields.purpose"},
      {{{"type", "enrollment_certificate"}, {"student_id", my_id_}, {"fields", {{"purpose", std::string(61 * 3, 'a')}}}},
       400, "too_long", "fields.purpose"},
      {{{"type", "enrollment_certificate"}, {"student_id", my_id_}, {"fields", {{"purpose", 5}}}}, 400, "wrong_type",
       "fields.purpose"},
      {{{"type", "diploma"}, {"student_id", my_id_}}, 400, "unknown_type", "type"},
      {{{"type", "enrollment_certificate"}, {"student_id", 0}}, 400, "out_of_range", "student_id"},
      {{{"type", "enrollment_certificate"}, {"student_id", 999999}, {"fields", {{"purpose", "签证"}}}}, 404,
       "student_not_found", ""},
      {{{"type", "student_card_receipt"}, {"student_id", my_id_}, {"fields", {{"reason", "stolen"}}}}, 400,
       "invalid_option", "fields.reason"},
      {{{"type", "student_card_receipt"}, {"student_id", my_id_}}, 400, "missing_field", "fields.reason"},
  };
  for (const auto& r : rows) {
    SCOPED_TRACE(json::serialize(r.body));
    auto resp = h().post("/api/v1/documents", r.body, &staff_);
    EXPECT_EQ(resp.status, r.status) << resp.body;
    EXPECT_EQ(resp.error_code(), r.code);
    EXPECT_EQ(resp.error_field(), r.field);
  }
  // A staff member's id is not a student.
  long long staff_id = h().count("SELECT id FROM users WHERE login = 'staff02'");
  auto r = h().post("/api/v1/documents",
                    json::object{{"type", "enrollment_certificate"}, {"student_id", staff_id}, {"fields", {{"purpose", "签证"}}}},
                    &staff_);
  EXPECT_EQ(r.error_code(), "student_not_found");
  EXPECT_EQ(h().send("POST", "/api/v1/documents", "{\"type\":", &staff_).error_code(), "malformed_json");
  EXPECT_EQ(h().table_counts(), before);
}

TEST_P(DocumentsApi, StudentsSeeOnlyTheirOwnAndIssueNothing) {
  auto d = issue_certificate();
  EXPECT_EQ(h().get(path(d), &me_).status, 200);
  // Another student: as if it did not exist.
  EXPECT_EQ(h().get(path(d), &other_).status, 404);
  EXPECT_EQ(h().get(path(d), &other_).error_code(), "document_not_found");
  EXPECT_EQ(h().get(path(d, "/pdf"), &other_).status, 404);
  EXPECT_EQ(h().get("/api/v1/documents/999999", &me_).error_code(), "document_not_found");
  // Students neither issue, search, correct nor see statistics.
  EXPECT_EQ(h().post("/api/v1/documents",
                     json::object{{"type", "enrollment_certificate"}, {"student_id", my_id_}, {"fields", {{"purpose", "x"}}}},
                     &me_).status,
            403);
  EXPECT_EQ(h().get("/api/v1/documents", &me_).status, 403);
  EXPECT_EQ(h().get("/api/v1/documents?student_id=" + std::to_string(my_id_), &other_).status, 403);
  EXPECT_EQ(h().post(path(d, "/correct"), json::object{{"reason", "x"}, {"fields", {{"purpose", "y"}}}}, &me_).status, 403);
  EXPECT_EQ(h().get("/api/v1/documents/stats", &me_).status, 403);
  EXPECT_EQ(h().get("/api/v1/documents/subject?student_no=2023001005", &me_).status, 403);
  // A unit head without documents.issue reads no one's documents.
  EXPECT_EQ(h().get(path(d), &head_).status, 403);
  // Nobody signed in.
  EXPECT_EQ(h().get(path(d)).status, 401);
  EXPECT_EQ(h().get(path(d, "/pdf")).status, 401);
}

TEST_P(DocumentsApi, VerificationRevealsNothingBeyondAuthenticity) {
  auto d = issue_certificate();
  std::string code = str(d, "code");
  auto r = verify(code);
  ASSERT_EQ(r.status, 200) << r.body;
  auto v = r.json();
  EXPECT_TRUE(v.at("authentic").as_bool());
  EXPECT_EQ(str(v, "status"), "valid");
  EXPECT_EQ(str(v, "type_name"), "在读证明");
  EXPECT_EQ(str(v, "number"), str(d, "number"));
  EXPECT_EQ(str(v, "issuer_unit"), "教务处");
  EXPECT_FALSE(v.at("replaced").as_bool());
  std::string name = str(d.at("content"), "student_name");
  std::string masked = str(v, "subject");
  EXPECT_EQ(masked.substr(0, 3), name.substr(0, 3)) << "the surname is shown";
  EXPECT_TRUE(has(masked, "*"));
  // Neither the full name, the 学号, the college nor the purpose.
  for (const std::string& secret : {name, std::string("2023001005"), str(d.at("content"), "college"), std::string("签证")})
    EXPECT_FALSE(has(r.body, secret)) << secret << " in " << r.body;
  EXPECT_EQ(v.as_object().size(), 12u) << r.body;
  EXPECT_EQ(r.header("cache-control"), "no-store");
  // As people type it: lower case, dashes.
  std::string typed = str(d, "code_display");
  for (auto& ch : typed) ch = static_cast<char>(tolower(static_cast<unsigned char>(ch)));
  EXPECT_EQ(verify(typed).status, 200);
  // Unknown and malformed codes.
  EXPECT_EQ(verify("ZZZZZZZZZZZZ").error_code(), "not_authentic");
  EXPECT_EQ(verify("ZZZZZZZZZZZZ").status, 404);
  EXPECT_EQ(verify("not-a-code").error_code(), "not_authentic");
  EXPECT_EQ(verify("%27%20OR%201%3D1--").error_code(), "not_authentic");
}

TEST_P(DocumentsApi, GuessingIsRateLimitedPerAddress) {
  auto d = issue_certificate();
  for (int i = 0; i < 20; ++i) EXPECT_EQ(verify(fmt::format("ZZZZZZZZ{:04d}", i)).status, 404);
  auto r = verify("ZZZZZZZZ9999");
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.error_code(), "too_many_verifications");
  EXPECT_GT(std::stoi(r.header("retry-after")), 0);
  // Guessing does not pay, but a genuine code is still answered: many people check
  // documents from one campus address, and a valid code cannot be guessed anyway.
  auto genuine = verify(str(d, "code"));
  EXPECT_EQ(genuine.status, 200) << genuine.body;
  EXPECT_EQ(str(genuine.json(), "status"), "valid");
  EXPECT_EQ(verify("ZZZZZZZZ8888").status, 429);
}

// Behind a trusted reverse proxy each client is counted by its own address
// (X-Forwarded-For): one guesser does not stop the rest of the campus.
TEST_P(DocumentsApi, BehindATrustedProxyEachClientIsCountedApart) {
  TestHall proxied(GetParam(), true, [](Config& c) { c.trusted_proxies = {"127.0.0.0/8"}; });
  auto from = [&](const std::string& address, const std::string& code) {
    return proxied.get("/api/v1/public/verify/" + code, nullptr, {{"X-Forwarded-For", address}});
  };
  for (int i = 0; i < 20; ++i)
    EXPECT_EQ(from("203.0.113.9", fmt::format("ZZZZZZZZ{:04d}", i)).status, 404);
  EXPECT_EQ(from("203.0.113.9", "ZZZZZZZZ9999").status, 429);
  EXPECT_EQ(from("203.0.113.10", "ZZZZZZZZ9999").status, 404);  // another client: its own count
  EXPECT_EQ(proxied.get("/api/v1/public/verify/ZZZZZZZZ9999").status, 404);  // the proxy itself
}

// Corrections (revoke and reissue) belong to the unit that issued the document,
// or to the teacher: 保卫处's staff cannot revoke 教务处's 在读证明.
TEST_P(DocumentsApi, OnlyTheIssuingUnitOrTheTeacherCorrects) {
  auto d = issue_certificate("办理签证");            // by staff01, 教务处
  auto security = h().login("staff05", "staff123");  // 保卫处
  auto before = h().table_counts();
  auto refused =
      h().post(path(d, "/correct"),
               json::object{{"reason", "重开"}, {"fields", {{"purpose", "他用"}}}}, &security);
  EXPECT_EQ(refused.status, 403) << refused.body;
  EXPECT_TRUE(has(refused.body, "教务处")) << refused.body;
  EXPECT_EQ(h().table_counts(), before);
  EXPECT_EQ(str(verify(str(d, "code")).json(), "status"), "valid");
  // A colleague of the same unit may; so may the teacher (documents.oversee).
  auto colleague = h().login("staff02", "staff123");
  auto fixed = h().post(path(d, "/correct"),
                        json::object{{"reason", "用途有误"}, {"fields", {{"purpose", "出国签证"}}}},
                        &colleague);
  ASSERT_EQ(fixed.status, 201) << fixed.body;
  auto by_teacher = h().post(
      path(fixed.json(), "/correct"),
      json::object{{"reason", "复核更正"}, {"fields", {{"purpose", "出国留学签证"}}}}, &teacher_);
  EXPECT_EQ(by_teacher.status, 201) << by_teacher.body;
}

TEST_P(DocumentsApi, CorrectionRevokesTheOldAndCountsAgainstAccuracy) {
  auto stats0 = h().get("/api/v1/documents/stats", &teacher_).json();
  auto d = issue_certificate("办理签证");
  auto fixed = h().post(path(d, "/correct"),
                        json::object{{"reason", "用途应为办理出国签证（法国）"}, {"fields", {{"purpose", "办理出国签证（法国）"}}}},
                        &staff_);
  ASSERT_EQ(fixed.status, 201) << fixed.body;
  auto n = fixed.json();
  EXPECT_EQ(n.at("replaces").as_int64(), d.at("id").as_int64());
  EXPECT_EQ(str(n.at("content"), "purpose"), "办理出国签证（法国）");
  EXPECT_NE(str(n, "number"), str(d, "number"));
  EXPECT_NE(str(n, "code"), str(d, "code"));

  auto old = h().get(path(d), &staff_).json();
  EXPECT_EQ(str(old, "status"), "revoked");
  EXPECT_EQ(str(old, "revoked_reason"), "用途应为办理出国签证（法国）");
  EXPECT_EQ(str(old, "revoked_by"), "李娟");
  EXPECT_EQ(old.at("replaced_by").as_int64(), n.at("id").as_int64());
  EXPECT_EQ(str(old.at("content"), "purpose"), "办理签证") << "an issued document never changes";

  auto vo = verify(str(d, "code")).json();
  EXPECT_EQ(str(vo, "status"), "revoked");
  EXPECT_TRUE(vo.at("replaced").as_bool());
  EXPECT_FALSE(has(json::serialize(vo), "法国")) << "the reason is not public";
  EXPECT_EQ(str(verify(str(n, "code")).json(), "status"), "valid");
  // The revoked PDF still prints (stamped 已作废).
  EXPECT_EQ(h().get(path(d, "/pdf"), &me_).status, 200);

  // Only the valid one can be corrected; a correction must change something.
  EXPECT_EQ(h().post(path(d, "/correct"), json::object{{"reason", "again"}, {"fields", {{"purpose", "x"}}}}, &staff_).error_code(),
            "document_revoked");
  auto same = h().post(path(n, "/correct"), json::object{{"reason", "重打"}}, &staff_);
  EXPECT_EQ(same.status, 422);
  EXPECT_EQ(same.error_code(), "nothing_to_correct");
  EXPECT_EQ(h().post(path(n, "/correct"), json::object{{"fields", {{"purpose", "x"}}}}, &staff_).error_code(), "missing_field");

  // Accuracy (B5): one of two issued documents was wrong.
  auto s = h().get("/api/v1/documents/stats", &teacher_).json();
  EXPECT_EQ(s.at("issued").as_int64() - stats0.at("issued").as_int64(), 2);
  EXPECT_EQ(s.at("corrected").as_int64() - stats0.at("corrected").as_int64(), 1);
  bool found = false;
  for (const auto& c : s.at("corrections").as_array())
    if (str(c, "number") == str(d, "number")) {
      found = true;
      EXPECT_EQ(str(c, "reason"), "用途应为办理出国签证（法国）");
      EXPECT_EQ(str(c, "replaced_by_number"), str(n, "number"));
    }
  EXPECT_TRUE(found);
  // A period with only this hall's documents: from today.
  std::string today = local_date(Clock::now());
  auto t = h().get("/api/v1/documents/stats?from=" + today + "&to=" + today, &staff_).json();
  EXPECT_GE(t.at("issued").as_int64(), 2);
  EXPECT_GT(t.at("accuracy_rate").as_double(), 0.0);
  EXPECT_LT(t.at("accuracy_rate").as_double(), 1.0);
  auto empty = h().get("/api/v1/documents/stats?from=2001-01-01&to=2001-12-31", &teacher_).json();
  EXPECT_EQ(empty.at("issued").as_int64(), 0);
  EXPECT_TRUE(empty.at("accuracy_rate").is_null());
  EXPECT_EQ(h().get("/api/v1/documents/stats?from=yesterday", &teacher_).status, 400);
  EXPECT_EQ(h().count("SELECT COUNT(*) FROM audit_log WHERE action = 'documents.correct'"), 1 + 1)  // + the demo's
      << "audited";
}

TEST_P(DocumentsApi, StudentCardReceiptTakesFeeAndDueDateFromTheCatalogAndCalendar) {
  auto r = h().post("/api/v1/documents",
                    json::object{{"type", "student_card_receipt"}, {"student_id", my_id_}, {"fields", {{"reason", "lost"}}}},
                    &staff_);
  ASSERT_EQ(r.status, 201) << r.body;
  auto d = r.json();
  EXPECT_TRUE(std::regex_match(str(d, "number"), std::regex("HUT-HZ-20[0-9]{2}-[0-9]{6}")));
  const auto& c = d.at("content");
  EXPECT_EQ(c.at("fee_fen").as_int64(), 1000);
  EXPECT_EQ(str(c, "fee_text"), "工本费");
  EXPECT_EQ(c.at("time_limit_days").as_int64(), 5);
  EXPECT_EQ(str(c, "pickup_location"), "学生事务服务大厅 1 号窗口");
  std::string today = local_date(Clock::now());
  EXPECT_EQ(str(c, "accepted_on"), today);
  EXPECT_EQ(str(c, "expected_on"), h().app().service<calendar::CalendarService>().due_date(0, calendar::Date::parse(today), 5).to_string());
  EXPECT_EQ(h().get(path(d, "/pdf"), &me_).body.substr(0, 5), "%PDF-");
  // A correction keeps the day the application was accepted.
  auto fixed = h().post(path(d, "/correct"), json::object{{"reason", "实为损坏"}, {"fields", {{"reason", "damaged"}}}}, &staff_);
  ASSERT_EQ(fixed.status, 201) << fixed.body;
  EXPECT_EQ(str(fixed.json().at("content"), "accepted_on"), today);
  EXPECT_EQ(str(fixed.json().at("content"), "reason"), "damaged");
  // Without the catalog item there is no receipt.
  h().app().db->write([](soci::session& s) { s << "UPDATE catalog_items SET suspended = 1"; });
  auto none = h().post("/api/v1/documents",
                       json::object{{"type", "student_card_receipt"}, {"student_id", my_id_}, {"fields", {{"reason", "lost"}}}},
                       &staff_);
  EXPECT_EQ(none.status, 422);
  EXPECT_EQ(none.error_code(), "catalog_item_missing");
}

TEST_P(DocumentsApi, RecordsDecideWhatMayBeIssued) {
  auto before = h().table_counts();
  h().app().db->write([&](soci::session& s) { s << "UPDATE users SET disabled = 1 WHERE id = :i", soci::use(my_id_); });
  auto r = h().post("/api/v1/documents",
                    json::object{{"type", "enrollment_certificate"}, {"student_id", my_id_}, {"fields", {{"purpose", "签证"}}}},
                    &staff_);
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(r.error_code(), "student_not_enrolled");
  h().app().db->write([&](soci::session& s) {
    s << "UPDATE users SET disabled = 0 WHERE id = :i", soci::use(my_id_);
    s << "UPDATE students SET major = '' WHERE user_id = :i", soci::use(my_id_);
  });
  r = h().post("/api/v1/documents",
               json::object{{"type", "enrollment_certificate"}, {"student_id", my_id_}, {"fields", {{"purpose", "签证"}}}},
               &staff_);
  EXPECT_EQ(r.error_code(), "record_incomplete") << "B5: complete or not issued";
  EXPECT_EQ(h().table_counts(), before);
  // What the issuing screen shows before issuing.
  auto sub = h().get("/api/v1/documents/subject?student_no=2023001006", &staff_);
  ASSERT_EQ(sub.status, 200) << sub.body;
  EXPECT_EQ(str(sub.json(), "student_no"), "2023001006");
  EXPECT_TRUE(sub.json().at("enrolled").as_bool());
  EXPECT_EQ(h().get("/api/v1/documents/subject?student_no=nobody", &staff_).error_code(), "student_not_found");
  EXPECT_EQ(h().get("/api/v1/documents/subject", &staff_).error_code(), "missing_field");
  auto types = h().get("/api/v1/documents/types", &staff_).json().at("items").as_array();
  EXPECT_GE(types.size(), 2u);
}

TEST_P(DocumentsApi, DiscourteousFreeTextIsRefusedAndRecorded) {
  auto before = h().count("SELECT COUNT(*) FROM documents");
  long long attempts = h().count("SELECT COUNT(*) FROM courtesy_attempts");
  auto r = h().post("/api/v1/documents",
                    json::object{{"type", "enrollment_certificate"},
                                 {"student_id", my_id_},
                                 {"fields", {{"purpose", "要下班了，明天再来"}}}},
                    &staff_);
  ASSERT_EQ(r.status, 422) << r.body;
  EXPECT_EQ(r.error_code(), "discourteous_text");
  EXPECT_EQ(r.error_field(), "fields.purpose");
  auto e = r.json().at("error");
  EXPECT_EQ(str(e.at("matches").as_array()[0], "phrase"), "要下班了，明天再来");
  EXPECT_FALSE(str(e, "suggestion").empty());
  EXPECT_EQ(h().count("SELECT COUNT(*) FROM documents"), before);
  h().app().service<courtesy::CourtesyService>().flush();
  EXPECT_EQ(h().count("SELECT COUNT(*) FROM courtesy_attempts"), attempts + 1);
  EXPECT_EQ(h().count("SELECT COUNT(*) FROM courtesy_attempts WHERE context = 'documents.enrollment_certificate' AND "
                      "source = 'enforce' AND login = 'staff01'"),
            1);
}

// The extension point the cases capability uses: a type without a fill function,
// issued inside another capability's transaction with a snapshot it builds.
TEST_P(DocumentsApi, OtherCapabilitiesIssueTheirOwnTypes) {
  documents::register_type({"test_notice",
                            {"测试告知书", "Test notice"},
                            "GZ",
                            {},
                            nullptr,
                            [](const json::object& c) {
                              documents::Layout l{"测试告知书", {}};
                              l.blocks.push_back(documents::blocks::paragraph(documents::esc(documents::field(c, "student_name")) + " 同学："));
                              l.blocks.push_back(documents::blocks::list({"不属于本大厅受理范围：无。", "所需材料：学生证。"}));
                              l.blocks.push_back(documents::blocks::signature(documents::field(c, "issuer_unit"),
                                                                            documents::chinese_date(documents::field(c, "issued_on"))));
                              return l;
                            }});
  auth::Caller c;
  c.principal.kind = auth::PrincipalKind::user;
  c.principal.user_id = h().count("SELECT id FROM users WHERE login = 'staff09'");
  c.principal.login = "staff09";
  c.principal.name = "黄婷";
  c.principal.role = "staff";
  documents::Document d = h().app().db->write([&](soci::session& tx) {
    return h().app().service<documents::DocumentService>().issue_in(
        tx, c, {"test_notice", my_id_, json::object{{"student_name", "（由办件填写）"}}, "case", 42, false, ""});
  });
  EXPECT_TRUE(std::regex_match(d.number, std::regex("HUT-GZ-20[0-9]{2}-000001"))) << d.number;
  EXPECT_EQ(d.issuer_unit, "学生事务中心");
  auto got = h().get("/api/v1/documents/" + std::to_string(d.id), &me_).json();
  EXPECT_EQ(str(got, "ref_type"), "case");
  EXPECT_EQ(got.at("ref_id").as_int64(), 42);
  EXPECT_EQ(h().get("/api/v1/documents/" + std::to_string(d.id) + "/pdf", &me_).body.substr(0, 5), "%PDF-");
  // Such types are issued and corrected by their capability only.
  auto r = h().post("/api/v1/documents", json::object{{"type", "test_notice"}, {"student_id", my_id_}}, &staff_);
  EXPECT_EQ(r.error_code(), "type_not_issuable");
  EXPECT_EQ(h().post("/api/v1/documents/" + std::to_string(d.id) + "/correct", json::object{{"reason", "x"}}, &staff_).error_code(),
            "type_not_correctable");
  // correct_in: the capability's own correction.
  documents::Document fixed = h().app().db->write([&](soci::session& tx) {
    return h().app().service<documents::DocumentService>().correct_in(tx, c, d.id, "补充材料说明", json::object{{"student_name", "（已更正）"}});
  });
  EXPECT_EQ(fixed.replaces.value_or(0), d.id);
  EXPECT_EQ(fixed.ref_id.value_or(0), 42);
  EXPECT_EQ(str(verify(d.code).json(), "status"), "revoked");
}

TEST_P(DocumentsApi, DemoDocumentsVerify) {
  EXPECT_EQ(str(verify("DEM0CERT0001").json(), "status"), "valid");
  EXPECT_EQ(str(verify("DEM0-CERT-0002").json(), "status"), "revoked");
  EXPECT_EQ(str(verify("demo-cert-0001").json(), "status"), "valid") << "O typed for 0";
}

TEST_P(DocumentsApi, IssuedDocumentsNeverChangeInTheDatabase) {
  auto d = issue_certificate();
  long long id = d.at("id").as_int64();
  EXPECT_ANY_THROW(h().app().db->write([&](soci::session& s) {
    s << "UPDATE documents SET content = '{}' WHERE id = :i", soci::use(id);
  }));
  EXPECT_ANY_THROW(h().app().db->write([&](soci::session& s) { s << "DELETE FROM documents WHERE id = :i", soci::use(id); }));
  EXPECT_ANY_THROW(h().app().db->write([&](soci::session& s) { s << "DELETE FROM courtesy_attempts"; }));
}

INSTANTIATE_TEST_SUITE_P(Backends, DocumentsApi, ::testing::ValuesIn(backends()), backend_name);

}  // namespace
}  // namespace hall::test
