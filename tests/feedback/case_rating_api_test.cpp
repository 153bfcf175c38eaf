// Ratings of completed cases (B5, migration 0010) over HTTP on every backend:
// the happy path through the real case flow (intake, materials, acceptance,
// completion), the refusals as a table (who rates, what state the case is in,
// what the body says) each leaving the database unchanged, the return visit of
// a bad case rating and the satisfaction figures (feedback's per-group rate and
// the monthly statistics) that count case ratings; and the upgrade of a
// database that already holds ticket ratings and return visits by 0010.
#include <gtest/gtest.h>

#include <algorithm>
#include <thread>

#include "support/clock.hpp"
#include "db/database.hpp"
#include "db/migrations.hpp"
#include "demo/seed.hpp"
#include "support/test_support.hpp"

namespace hall::test {
namespace {

std::string str(const json::value& v, const char* key) {
  return std::string(v.at(key).as_string());
}
constexpr long long kDay = 24LL * 3600 * 1000;

class FeedbackCaseRatings : public HallTest, protected DemoPeople {
 protected:
  void SetUp() override {
    start_at(kMondayMorning);
    sign_in(h());
  }
  long long id_of(const std::string& sql) { return h().count(sql); }
  long long user(const std::string& login) {
    return id_of("SELECT id FROM users WHERE login = '" + login + "'");
  }
  long long item(const std::string& code) {
    return id_of("SELECT id FROM catalog_items WHERE code = '" + code + "'");
  }
  std::string case_no(long long id) {
    return h().app().db->read([&](soci::session& s) {
      std::string no;
      s << "SELECT case_no FROM cases WHERE id = :i", soci::use(id), soci::into(no);
      return no;
    });
  }
  HttpResponse rate(const json::value& body, const Session* s) {
    return h().post("/api/v1/my/ratings", body, s);
  }

  // A case written directly in `status` (the case flow itself is tested in
  // tests/cases), handled by `handler`, completed `completed_ago` before now.
  long long a_case(const std::string& student, const std::string& handler,
                   const std::string& status, std::optional<long long> completed_ago = std::nullopt,
                   const std::string& code = "JWC-001",
                   std::optional<long long> ticket = std::nullopt) {
    static int seq = 0;
    long long n = ++seq, now = Clock::now();
    std::string no = "TC-" + std::to_string(n);
    std::optional<long long> stu;
    if (!student.empty()) stu = user(student);
    long long hall = id_of("SELECT MIN(id) FROM halls"), it = item(code), staff_id = user(handler);
    long long version =
        id_of("SELECT current_version_id FROM catalog_items WHERE id = " + std::to_string(it));
    std::optional<long long> done;
    if (completed_ago) done = now - *completed_ago;
    long long created = now - 20 * kDay;
    return h().app().db->write([&](soci::session& s) {
      long long id = 0;
      s << "INSERT INTO cases (case_no, hall_id, channel, ticket_id, student_id, summary, item_id, "
           "item_version_id, "
           "status, first_responder_id, handler_id, accepted_at, due_at, completed_at, created_at, "
           "updated_at) VALUES "
           "(:no, :h, 'walk_in', :t, :s, '测试办件', :i, :v, :st, :fr, :hd, :a, :d, :c, :cr, :u) "
           "RETURNING id",
          soci::use(no), soci::use(hall), soci::use(ticket), soci::use(stu), soci::use(it),
          soci::use(version), soci::use(status), soci::use(staff_id), soci::use(staff_id),
          soci::use(created), soci::use(now), soci::use(done), soci::use(created),
          soci::use(created), soci::into(id);
      return id;
    });
  }
  // Whether the student's "things to rate" offer case `id`.
  bool offered(const Session& s, long long id) {
    auto r = h().get("/api/v1/my/ratable", &s);
    EXPECT_EQ(r.status, 200) << r.body;
    json::value v = r.json();
    for (const auto& x : v.as_array())
      if (x.at("target").as_string() == "case" && x.at("case_id").as_int64() == id) return true;
    return false;
  }

};

TEST_P(FeedbackCaseRatings, TheStudentRatesTheirCompletedCaseOnceThroughTheRealFlow) {
  // staff01 receives a walk-in case of 2023001001 (JWC-001), checks the materials and accepts it.
  auto opened = h().post("/api/v1/cases",
                         json::object{{"channel", "walk_in"},
                                      {"student_no", "2023001001"},
                                      {"item_id", item("JWC-001")},
                                      {"summary", "在读证明"}},
                         &staff);
  ASSERT_EQ(opened.status, 201) << opened.body;
  long long id = opened.json().at("id").as_int64();
  std::string path = "/api/v1/cases/" + std::to_string(id);
  json::array marks;
  json::value c = opened.json();
  for (const auto& m : c.at("materials").as_array())
    marks.push_back(
        json::object{{"material_id", m.at("material_id")},
                     {"mark", m.at("required").as_bool() ? "provided" : "not_applicable"}});
  ASSERT_EQ(
      h().send("PUT", path + "/materials", json::serialize(json::object{{"marks", marks}}), &staff)
          .status,
      200);
  ASSERT_EQ(h().post(path + "/accept", json::object{}, &staff).status, 200);

  // Processing: not offered, and refused (409) with nothing stored.
  EXPECT_FALSE(offered(alice, id));
  auto before = h().table_counts();
  auto early = rate(json::object{{"case_id", id}, {"level", 1}}, &alice);
  EXPECT_EQ(early.status, 409) << early.body;
  EXPECT_EQ(early.error_code(), "service_not_finished");
  EXPECT_EQ(h().table_counts(), before);

  Clock::pin(at("2026-03-02T10:30:00"));
  ASSERT_EQ(h().post(path + "/complete",
                     json::object{{"result_note", "证明已开具，请到 1 号窗口领取。"}}, &staff)
                .status,
            200);
  ASSERT_TRUE(offered(alice, id));
  {
    auto r = h().get("/api/v1/my/ratable", &alice);
    json::value v = r.json();
    for (const auto& x : v.as_array()) {
      if (x.at("target").as_string() != "case") continue;
      EXPECT_EQ(str(x, "staff_name"), "李娟");  // the handler, staff01
      EXPECT_EQ(str(x, "finished_at"), iso8601_utc(at("2026-03-02T10:30:00")));
      EXPECT_FALSE(str(x, "case_no").empty());
    }
  }
  EXPECT_FALSE(offered(bob, id));

  auto r = rate(json::object{{"case_id", id},
                             {"level", 2},
                             {"comment", "办理很快"},
                             {"tags", json::array{"efficiency", "attitude"}}},
                &alice);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(str(r.json(), "target"), "case");
  EXPECT_EQ(str(r.json(), "level_name"), "满意");
  EXPECT_FALSE(r.json().at("return_visit").as_bool());
  long long rating = r.json().at("id").as_int64();
  std::string where = " FROM feedback_ratings WHERE id = " + std::to_string(rating);
  // Stored with the case's handler, its item and that item's unit (教务处); no ticket, no window.
  EXPECT_EQ(id_of("SELECT case_id" + where), id);
  EXPECT_EQ(id_of("SELECT COUNT(*)" + where + " AND ticket_id IS NULL AND window_id IS NULL"), 1);
  EXPECT_EQ(id_of("SELECT staff_id" + where), user("staff01"));
  EXPECT_EQ(id_of("SELECT item_id" + where), item("JWC-001"));
  EXPECT_EQ(id_of("SELECT unit_id" + where), id_of("SELECT id FROM units WHERE code = 'JWC'"));
  EXPECT_EQ(
      id_of("SELECT COUNT(*) FROM audit_log WHERE action = 'rating.create' AND target_id = '" +
            std::to_string(rating) + "'"),
      1);

  // Once: a second rating is refused and the case is no longer offered.
  before = h().table_counts();
  auto again = rate(json::object{{"case_id", id}, {"level", 5}}, &alice);
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(again.error_code(), "already_rated");
  EXPECT_EQ(h().table_counts(), before);
  EXPECT_FALSE(offered(alice, id));

  // The teacher sees the rating marked as a case, with the case.
  auto all = h().get("/api/v1/ratings", &teacher);
  ASSERT_EQ(all.status, 200) << all.body;
  bool seen = false;
  json::value items = all.json();
  for (const auto& x : items.at("items").as_array()) {
    if (x.at("id").as_int64() != rating) continue;
    seen = true;
    EXPECT_EQ(str(x, "target"), "case");
    EXPECT_EQ(x.at("case_id").as_int64(), id);
    EXPECT_TRUE(x.at("ticket_id").is_null());
    EXPECT_EQ(str(x, "number"), str(c, "case_no"));
  }
  EXPECT_TRUE(seen);
  // The handler sees it from the next day (to appeal), with its date only: nothing names the case
  // or the student.
  EXPECT_EQ(h().get("/api/v1/ratings", &staff).body.find("办理很快"), std::string::npos);
  Clock::pin(at("2026-03-03T09:00:00"));
  staff = h().login("staff01", "staff123");
  auto mine = h().get("/api/v1/ratings", &staff);
  ASSERT_EQ(mine.status, 200) << mine.body;
  seen = false;
  json::value own = mine.json();
  for (const auto& x : own.at("items").as_array()) {
    if (x.at("comment").as_string() != "办理很快") continue;
    seen = true;
    EXPECT_EQ(str(x, "rated_on"), "2026-03-02");
    for (const char* key : {"id", "case_id", "ticket_id", "number", "target", "created_at"})
      EXPECT_FALSE(x.as_object().contains(key)) << key;
  }
  EXPECT_TRUE(seen) << mine.body;
  EXPECT_EQ(mine.body.find("2023001001"), std::string::npos);
  EXPECT_EQ(mine.body.find(str(c, "case_no")), std::string::npos);
}

// Every refusal: who asks, about which case, with which body → status, code, field; nothing stored.
struct Refusal {
  const char* name;
  const char* who;     // alice (the case's student), bob (another student), staff01 (the handler),
                       // teacher, pad, anonymous
  const char* target;  // which case: see the map in the test
  const char* body;    // "{id}" stands for the case id; a body that is not JSON is sent as it is
  int status;
  const char* code;
  const char* field;  // "" when the error names none
};
const Refusal kRefusals[] = {
    // B5: only a completed case is a finished service.
    {"received", "alice", "received", R"({"case_id":{id},"level":1})", 409, "service_not_finished",
     ""},
    {"processing", "alice", "processing", R"({"case_id":{id},"level":1})", 409,
     "service_not_finished", ""},
    {"waiting for materials", "alice", "waiting", R"({"case_id":{id},"level":1})", 409,
     "service_not_finished", ""},
    {"refused (不予受理)", "alice", "refused", R"({"case_id":{id},"level":1})", 409,
     "service_not_finished", ""},
    {"referred away (B6.1)", "alice", "referred", R"({"case_id":{id},"level":1})", 409,
     "service_not_finished", ""},
    // The portal offers it for 7 days after completion.
    {"8 days after completion", "alice", "old", R"({"case_id":{id},"level":1})", 409,
     "rating_closed", ""},
    {"7 days and a minute after", "alice", "just_closed", R"({"case_id":{id},"level":1})", 409,
     "rating_closed", ""},
    // Only the case's own student: another's case does not exist for them.
    {"another student's case", "bob", "completed", R"({"case_id":{id},"level":1})", 404,
     "case_not_found", ""},
    {"a case without a student", "alice", "no_student", R"({"case_id":{id},"level":1})", 404,
     "case_not_found", ""},
    {"no such case", "alice", "missing", R"({"case_id":{id},"level":1})", 404, "case_not_found",
     ""},
    // B5: staff and devices never rate on the student's behalf.
    {"the handler", "staff01", "completed", R"({"case_id":{id},"level":1})", 403, "forbidden", ""},
    {"the teacher", "teacher", "completed", R"({"case_id":{id},"level":1})", 403, "forbidden", ""},
    {"the rating pad, portal route", "pad", "completed", R"({"case_id":{id},"level":1})", 403,
     "forbidden", ""},
    {"the rating pad, pad route", "pad_route", "completed",
     R"({"ticket_id":1,"case_id":{id},"level":1})", 400, "unknown_field", "case_id"},
    {"nobody signed in", "anonymous", "completed", R"({"case_id":{id},"level":1})", 401,
     "unauthenticated", ""},
    // Bad input.
    {"level 0", "alice", "completed", R"({"case_id":{id},"level":0})", 400, "", "level"},
    {"level 6", "alice", "completed", R"({"case_id":{id},"level":6})", 400, "", "level"},
    {"level as text", "alice", "completed", R"({"case_id":{id},"level":"1"})", 400, "wrong_type",
     "level"},
    {"no level", "alice", "completed", R"({"case_id":{id}})", 400, "missing_field", "level"},
    {"case id 0", "alice", "completed", R"({"case_id":0,"level":1})", 400, "", "case_id"},
    {"case id as text", "alice", "completed", R"({"case_id":"{id}","level":1})", 400, "wrong_type",
     "case_id"},
    {"both a ticket and a case", "alice", "completed",
     R"({"case_id":{id},"ticket_id":1,"level":1})", 400, "one_target", "case_id"},
    {"neither", "alice", "completed", R"({"level":1})", 400, "missing_field", "ticket_id"},
    {"unknown field", "alice", "completed", R"({"case_id":{id},"level":1,"stars":5})", 400,
     "unknown_field", "stars"},
    {"unknown tag", "alice", "completed", R"({"case_id":{id},"level":1,"tags":["speed"]})", 400,
     "invalid_tag", "tags"},
    {"malformed JSON", "alice", "completed", R"({"case_id":{id},"level":1)", 400, "malformed_json",
     ""},
    {"not an object", "alice", "completed", R"([{id}])", 400, "", ""},
};

TEST_P(FeedbackCaseRatings, RefusalsAsATableLeaveTheDatabaseUnchanged) {
  std::map<std::string, long long> cases{
      {"received", a_case("2023001001", "staff01", "received")},
      {"processing", a_case("2023001001", "staff01", "processing")},
      {"waiting", a_case("2023001001", "staff01", "waiting_materials")},
      {"refused", a_case("2023001001", "staff01", "refused")},
      {"referred", a_case("2023001001", "staff01", "referred")},
      {"old", a_case("2023001001", "staff01", "completed", 8 * kDay)},
      {"just_closed", a_case("2023001001", "staff01", "completed", 7 * kDay + 60000)},
      {"completed", a_case("2023001001", "staff01", "completed", kDay)},
      {"no_student", a_case("", "staff01", "completed", kDay)},
      {"missing", 999999},
  };
  std::map<std::string, Session> who{
      {"alice", alice},
      {"bob", bob},
      {"staff01", staff},
      {"teacher", teacher},
      {"pad", Session{"demo-ratingpad-token-0001-window1", "", false}},
      {"pad_route", Session{"demo-ratingpad-token-0001-window1", "", false}}};
  auto before = h().table_counts();
  for (const auto& t : kRefusals) {
    SCOPED_TRACE(t.name);
    std::string body = t.body;
    for (auto p = body.find("{id}"); p != std::string::npos; p = body.find("{id}"))
      body.replace(p, 4, std::to_string(cases.at(t.target)));
    const Session* s = std::string(t.who) == "anonymous" ? nullptr : &who.at(t.who);
    std::string route =
        std::string(t.who) == "pad_route" ? "/api/v1/rating-pad/ratings" : "/api/v1/my/ratings";
    auto r = h().send("POST", route, body, s);
    EXPECT_EQ(r.status, t.status) << r.body;
    if (*t.code) {
      EXPECT_EQ(r.error_code(), t.code) << r.body;
    }
    if (*t.field) {
      EXPECT_EQ(r.error_field(), t.field) << r.body;
    }
    // Bilingual: the English message on request.
    if (r.status >= 400 && r.status != 401) {
      auto en = h().send("POST", route, body, s, {{"Accept-Language", "en"}});
      EXPECT_EQ(en.status, t.status);
      EXPECT_NE(en.json().at("error").at("message").as_string(),
                r.json().at("error").at("message").as_string())
          << r.body << " / " << en.body;
    }
  }
  EXPECT_EQ(h().table_counts(), before);
  // Positive controls: the completed case of a day ago, and one completed 6 days 23 hours ago, are
  // accepted.
  EXPECT_EQ(rate(json::object{{"case_id", cases["completed"]}, {"level", 1}}, &alice).status, 201);
  long long edge = a_case("2023001001", "staff01", "completed", 7 * kDay - 3600000);
  EXPECT_TRUE(offered(alice, edge));
  EXPECT_FALSE(offered(alice, cases["just_closed"]));
  EXPECT_EQ(rate(json::object{{"case_id", edge}, {"level", 3}}, &alice).status, 201);
}

TEST_P(FeedbackCaseRatings, SimultaneousRatingsOfOneCaseGiveOneRatingAndConflictsForTheRest) {
  // Eight requests for the same completed case at the same moment (on PostgreSQL they run side
  // by side and meet the UNIQUE constraint): exactly one 201, every other answer 409
  // already_rated, one row stored.
  long long id = a_case("2023001001", "staff01", "completed", kDay);
  std::vector<std::thread> threads;
  std::vector<int> statuses(8);
  std::vector<std::string> codes(8);
  for (int i = 0; i < 8; ++i)
    threads.emplace_back([&, i] {
      auto r = rate(json::object{{"case_id", id}, {"level", 1 + i % 5}}, &alice);
      statuses[i] = r.status;
      if (r.status != 201) codes[i] = r.error_code();
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 201), 1);
  for (int i = 0; i < 8; ++i)
    if (statuses[i] != 201) {
      EXPECT_EQ(statuses[i], 409) << i;
      EXPECT_EQ(codes[i], "already_rated") << i;
    }
  EXPECT_EQ(id_of("SELECT COUNT(*) FROM feedback_ratings WHERE case_id = " + std::to_string(id)), 1);
}

TEST_P(FeedbackCaseRatings, ABadCaseRatingOpensAReturnVisitAndCountsInEverySatisfactionFigure) {
  // A case of the finance office (CWC-001) opened from 2023001001's finished ticket at window 3,
  // handled by staff03.
  long long hall = id_of("SELECT MIN(id) FROM halls");
  long long window3 = id_of("SELECT id FROM windows WHERE number = 3");
  long long it = item("CWC-001"), stu = user("2023001001"), now = Clock::now();
  long long version =
      id_of("SELECT current_version_id FROM catalog_items WHERE id = " + std::to_string(it));
  long long ticket = h().app().db->write([&](soci::session& s) {
    long long id = 0;
    s << "INSERT INTO queue_tickets (hall_id, service_date, number, seq, queue_group, item_id, "
         "item_version_id, "
         "student_id, channel, status, status_token, sort_key, window_id, taken_at, finished_at) "
         "VALUES (:h, "
         "'2026-03-02', 'C901', 901, 'C', :i, :v, :s, 'kiosk', 'done', 'tok-case-rating', 901, :w, "
         ":t, :f) RETURNING id",
        soci::use(hall), soci::use(it), soci::use(version), soci::use(stu), soci::use(window3),
        soci::use(now), soci::use(now), soci::into(id);
    return id;
  });
  long long kase = a_case("2023001001", "staff03", "completed", 3600000, "CWC-001", ticket);
  auto live_before = h().get("/api/v1/stats/monthly?hall=" + std::to_string(hall), &teacher);
  ASSERT_EQ(live_before.status, 200) << live_before.body;
  json::value sat0 = live_before.json().at("satisfaction");
  long long visits_before = h().count("SELECT COUNT(*) FROM feedback_return_visits");

  auto r =
      rate(json::object{{"case_id", kase}, {"level", 5}, {"comment", "材料被退回两次"}}, &alice);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_TRUE(r.json().at("return_visit").as_bool());
  long long rating = r.json().at("id").as_int64();
  // B5: the 非常不满意 opened a return visit for the teacher (100%), showing the case.
  EXPECT_EQ(h().count("SELECT COUNT(*) FROM feedback_return_visits"), visits_before + 1);
  auto visits = h().get("/api/v1/ratings/return-visits?status=open", &teacher);
  ASSERT_EQ(visits.status, 200) << visits.body;
  bool found = false;
  json::value vv = visits.json();
  for (const auto& v : vv.as_array()) {
    if (v.at("rating_id").as_int64() != rating) continue;
    found = true;
    EXPECT_EQ(str(v, "target"), "case");
    EXPECT_EQ(str(v, "number"), case_no(kase));
    EXPECT_EQ(str(v, "student_no"), "2023001001");
  }
  EXPECT_TRUE(found);
  // The window is the ticket's, the staff member the handler, the unit the item's.
  std::string where = " FROM feedback_ratings WHERE id = " + std::to_string(rating);
  EXPECT_EQ(id_of("SELECT window_id" + where), window3);
  EXPECT_EQ(id_of("SELECT staff_id" + where), user("staff03"));
  EXPECT_EQ(id_of("SELECT unit_id" + where), id_of("SELECT id FROM units WHERE code = 'CWC'"));

  // Satisfaction per window, staff member, unit and item (from now on: only this rating).
  std::string from = "&from=" + iso8601_utc(Clock::now() - 60000);
  std::map<std::string, std::string> expected{
      {"window", "3"}, {"staff", "陈静"}, {"unit", "财务处"}, {"all", "all"}};
  for (const auto& [group, key] : expected) {
    auto g = h().get("/api/v1/ratings/satisfaction?group=" + group + from, &teacher);
    ASSERT_EQ(g.status, 200) << g.body;
    json::value rows = g.json().at("rows");
    ASSERT_EQ(rows.as_array().size(), 1u) << group << " " << g.body;
    EXPECT_EQ(str(rows.as_array()[0], "key"), key) << group;
    EXPECT_EQ(rows.as_array()[0].at("ratings").as_int64(), 1) << group;
    EXPECT_DOUBLE_EQ(rows.as_array()[0].at("rate").as_double(), 0.0) << group;
  }
  auto by_item = h().get("/api/v1/ratings/satisfaction?group=item" + from, &teacher);
  ASSERT_EQ(by_item.json().at("rows").as_array().size(), 1u) << by_item.body;

  // The month's statistics (the staff's live view of the current month) count it too.
  auto live = h().get("/api/v1/stats/monthly?hall=" + std::to_string(hall), &teacher);
  ASSERT_EQ(live.status, 200) << live.body;
  json::value sat = live.json().at("satisfaction");
  auto n = [](const json::value& v) { return v.is_null() ? 0 : v.as_int64(); };
  EXPECT_EQ(n(sat.at("ratings")), n(sat0.at("ratings")) + 1) << sat0 << " → " << sat;
  EXPECT_EQ(
      sat.at("levels").at("very_dissatisfied").as_int64(),
      (sat0.at("levels").is_object() ? sat0.at("levels").at("very_dissatisfied").as_int64() : 0) +
          1);

  // The handler appeals the case rating (the next day, by its reference); the teacher upholds it
  // and it leaves the rate.
  Clock::pin(Clock::now() + kDay);
  staff3 = h().login("staff03", "staff123");
  teacher = h().login("teacher", "teacher123");
  std::string ref;
  json::value own = h().get("/api/v1/ratings", &staff3).json();
  for (const auto& x : own.at("items").as_array())
    if (x.at("comment").as_string() == "材料被退回两次") ref = str(x, "ref");
  ASSERT_FALSE(ref.empty()) << own;
  ASSERT_EQ(h().post("/api/v1/ratings/" + ref + "/appeal",
                     json::object{{"reason", "材料不全系学生原因"}}, &staff3)
                .status,
            200);
  ASSERT_EQ(h().post("/api/v1/ratings/" + std::to_string(rating) + "/appeal-decision",
                     json::object{{"uphold", true}, {"note", "经核实属实"}}, &teacher)
                .status,
            200);
  EXPECT_TRUE(h().get("/api/v1/ratings/satisfaction?group=staff" + from, &teacher)
                  .json()
                  .at("rows")
                  .as_array()
                  .empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, FeedbackCaseRatings, ::testing::ValuesIn(backends()), backend_name);

// --- migration 0010 on a database that already holds ratings ------------------------------------

class FeedbackCaseRatingMigration : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override { use_fast_password_hashing(); }
};

TEST_P(FeedbackCaseRatingMigration, TicketRatingsAndReturnVisitsSurvive0010) {
  std::string url = fresh_db_url(GetParam());
  auto db = db::Database::open(url, 2);
  // Bring the schema to 0009 only: 0010 is marked applied, so migrate() passes it over.
  db->write([](soci::session& s) {
    s << "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT "
         "NULL, applied_at "
         "BIGINT NOT NULL)";
    s << "INSERT INTO schema_migrations (version, name, applied_at) VALUES (10, 'held back', 0)";
  });
  db::migrate(*db);
  demo::seed(*db);  // people, windows, catalog and served tickets (no ratings)
  auto count = [&](const std::string& sql) { return test::count(*db, sql); };
  long long ticket = count("SELECT MIN(id) FROM queue_tickets WHERE status = 'done'");
  long long ticket2 = count("SELECT MAX(id) FROM queue_tickets WHERE status = 'done'");
  long long student =
      count("SELECT student_id FROM queue_tickets WHERE id = " + std::to_string(ticket));
  long long rating = 0, bad = 0;
  db->write([&](soci::session& s) {
    s << "INSERT INTO feedback_ratings (ticket_id, student_id, level, comment, tags, channel, "
         "created_at, appeal_status) "
         "VALUES (:t, :s, 2, '很好', 'efficiency', 'portal', 1000, NULL)",
        soci::use(ticket), soci::use(student);
    s << "SELECT id FROM feedback_ratings WHERE ticket_id = :t", soci::use(ticket),
        soci::into(rating);
    long long st2 = 0;
    s << "SELECT student_id FROM queue_tickets WHERE id = :t", soci::use(ticket2), soci::into(st2);
    s << "INSERT INTO feedback_ratings (ticket_id, student_id, level, channel, created_at, "
         "appeal_status, appeal_reason) "
         "VALUES (:t, :s, 5, 'pad', 2000, 'pending', '系统故障')",
        soci::use(ticket2), soci::use(st2);
    s << "SELECT id FROM feedback_ratings WHERE ticket_id = :t", soci::use(ticket2),
        soci::into(bad);
    s << "INSERT INTO feedback_return_visits (rating_id, status, due_at, note, created_at) VALUES "
         "(:r, 'open', 5000, "
         "'待回访', 2000)",
        soci::use(bad);
  });
  // Without 0010 a rating must name a ticket.
  EXPECT_THROW(db->write([&](soci::session& s) {
    s << "INSERT INTO feedback_ratings (student_id, level, channel, created_at) VALUES (:s, 1, "
         "'portal', 3000)",
        soci::use(student);
  }),
               std::exception);

  // Now apply 0010 on the database that holds the ratings.
  db->write([](soci::session& s) { s << "DELETE FROM schema_migrations WHERE version = 10"; });
  auto r = db::migrate(*db);
  ASSERT_EQ(r.applied.size(), 1u);
  EXPECT_EQ(r.applied[0], "0010_case_ratings");
  EXPECT_EQ(db::current_schema_version(*db), db::latest_schema_version());

  // Every rating and return visit kept, with its id, values and link.
  EXPECT_EQ(count("SELECT COUNT(*) FROM feedback_ratings"), 2);
  EXPECT_EQ(count("SELECT COUNT(*) FROM feedback_ratings WHERE id = " + std::to_string(rating) +
                  " AND ticket_id = " + std::to_string(ticket) +
                  " AND case_id IS NULL AND level = 2 AND comment = '很好' AND tags = "
                  "'efficiency' AND channel = 'portal' AND created_at = 1000 AND excluded = 0"),
            1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM feedback_ratings WHERE id = " + std::to_string(bad) +
                  " AND appeal_status = 'pending' AND appeal_reason = '系统故障'"),
            1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM feedback_return_visits v JOIN feedback_ratings r ON r.id = "
                  "v.rating_id WHERE "
                  "r.id = " +
                  std::to_string(bad) +
                  " AND v.status = 'open' AND v.note = '待回访' AND v.due_at = 5000"),
            1);
  if (db->is_sqlite()) {
    EXPECT_EQ(count("SELECT COUNT(*) FROM pragma_foreign_key_check"), 0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM sqlite_master WHERE name LIKE '%_0010'"), 0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name IN "
                    "('feedback_ratings_created', "
                    "'feedback_ratings_staff')"),
              2);
  }
  // A new rating continues the ids; the return visits still need a rating that exists.
  long long kase = 0;
  db->write([&](soci::session& s) {
    long long hall = 0, now = 4000;
    s << "SELECT MIN(id) FROM halls", soci::into(hall);
    s << "INSERT INTO cases (case_no, hall_id, channel, student_id, summary, status, completed_at, "
         "created_at, "
         "updated_at) VALUES ('MIG-1', :h, 'walk_in', :s, '迁移测试', 'completed', :c, :c2, :c3) "
         "RETURNING id",
        soci::use(hall), soci::use(student), soci::use(now), soci::use(now), soci::use(now),
        soci::into(kase);
    s << "INSERT INTO feedback_ratings (case_id, student_id, level, channel, created_at) VALUES "
         "(:k, :s, 1, 'portal', 4000)",
        soci::use(kase), soci::use(student);
  });
  EXPECT_GT(count("SELECT id FROM feedback_ratings WHERE case_id = " + std::to_string(kase)), bad);
  // The CHECK: exactly one of ticket_id / case_id; each rated once.
  struct Bad {
    const char* name;
    std::string sql;
  };
  std::string stu = std::to_string(student), k = std::to_string(kase), t = std::to_string(ticket);
  for (const auto& b :
       {Bad{"neither",
            "INSERT INTO feedback_ratings (student_id, level, channel, created_at) VALUES (" + stu +
                ", 1, 'portal', 1)"},
        Bad{"both",
            "INSERT INTO feedback_ratings (ticket_id, case_id, student_id, level, channel, "
            "created_at) VALUES (" +
                std::to_string(ticket2) + ", " + k + ", " + stu + ", 1, 'portal', 1)"},
        Bad{"the case twice",
            "INSERT INTO feedback_ratings (case_id, student_id, level, channel, created_at) VALUES "
            "(" +
                k + ", " + stu + ", 1, 'portal', 1)"},
        Bad{"the ticket twice",
            "INSERT INTO feedback_ratings (ticket_id, student_id, level, channel, created_at) "
            "VALUES (" +
                t + ", " + stu + ", 1, 'portal', 1)"},
        Bad{"a visit of no rating",
            "INSERT INTO feedback_return_visits (rating_id, status, due_at, created_at) VALUES "
            "(999999, 'open', 1, 1)"}}) {
    SCOPED_TRACE(b.name);
    EXPECT_THROW(db->write([&](soci::session& s) { s << b.sql; }), std::exception);
  }
  EXPECT_EQ(count("SELECT COUNT(*) FROM feedback_ratings"), 3);
  // Migrating again changes nothing.
  EXPECT_TRUE(db::migrate(*db).applied.empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, FeedbackCaseRatingMigration, ::testing::ValuesIn(backends()),
                         backend_name);

}  // namespace
}  // namespace hall::test
