// Issue #10 over HTTP on every backend: the hall does not stop on 1 January
// 2027 for lack of the State Council's schedule. A year without data is
// provisional (weekends + statutory holidays): /calendar/due and /calendar/days
// say so, take-a-number works on a provisional working day, cases accepted
// across the year end carry a provisional due instant, the administrator and
// the teacher are asked to import the schedule from 60 days before the data
// runs out, and the import recomputes the provisional due instants of open
// cases (timeline entry per change, the teacher's list).
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "support/clock.hpp"
#include "support/test_support.hpp"
#include "wiring/app.hpp"

namespace hall::test {
namespace {

std::string str(const json::value& v, const char* k) { return std::string(v.at(k).as_string()); }

// A 2027 schedule as an administrator would import it (invented for the test:
// 元旦 off 01-01..01-04, so a due date on 01-07 moves to 01-08).
const char* kIcs2027 =
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
    "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20270101\r\nDTEND;VALUE=DATE:20270105\r\nSUMMARY:"
    "元旦放假\r\nEND:VEVENT\r\n"
    "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20270205\r\nDTEND;VALUE=DATE:20270212\r\nSUMMARY:"
    "春节放假\r\nEND:VEVENT\r\n"
    "END:VCALENDAR\r\n";

class CalendarProvisionalApi : public HallTest {
 protected:
  long long item(const std::string& code) {
    return h().count("SELECT id FROM catalog_items WHERE code = '" + code + "'");
  }
  std::string path(long long id, const std::string& tail = "") {
    return "/api/v1/cases/" + std::to_string(id) + tail;
  }

  // A walk-in case of `code` for a student, every material provided, accepted by staff01.
  json::value accepted_case(const std::string& code, const std::string& student_no,
                            const Session& staff) {
    auto r = h().post("/api/v1/cases",
                      json::object{{"channel", "walk_in"},
                                   {"student_no", student_no},
                                   {"item_id", item(code)},
                                   {"summary", "办理 " + code}},
                      &staff);
    EXPECT_EQ(r.status, 201) << r.body;
    const json::value created = r.json();
    long long id = created.at("id").as_int64();
    json::array marks;
    for (const auto& m : created.at("materials").as_array())
      marks.push_back(
          json::object{{"material_id", m.at("material_id")},
                       {"mark", m.at("required").as_bool() ? "provided" : "not_applicable"}});
    auto mk = h().send("PUT", path(id, "/materials"),
                       json::serialize(json::object{{"marks", marks}}), &staff);
    EXPECT_EQ(mk.status, 200) << mk.body;
    auto acc = h().post(path(id, "/accept"), json::object{}, &staff);
    EXPECT_EQ(acc.status, 200) << acc.body;
    return acc.json();
  }
};

TEST_P(CalendarProvisionalApi, DueAndDaysIntoAYearWithoutDataAreProvisionalNotRefused) {
  start_at("2026-12-07T10:00:00");
  // The request of the issue: answered 422 calendar_year_unknown before.
  auto r = h().get("/api/v1/calendar/due?start=2026-12-28&working_days=5");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(str(r.json(), "due"), "2027-01-05");
  EXPECT_TRUE(r.json().at("provisional").as_bool());
  r = h().get("/api/v1/calendar/due?start=2026-12-01&working_days=5");
  EXPECT_FALSE(r.json().at("provisional").as_bool());

  r = h().get("/api/v1/calendar/days?from=2026-12-31&to=2027-02-08");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(r.json().at("provisional").as_bool());
  const json::value days = r.json();
  const auto& items = days.at("items").as_array();
  EXPECT_FALSE(items[0].at("provisional").as_bool());  // 2026-12-31: official data
  EXPECT_TRUE(items[0].at("working").as_bool());
  EXPECT_TRUE(items[1].at("provisional").as_bool());  // 2027-01-01: 元旦
  EXPECT_EQ(str(items[1], "reason"), "holiday");
  EXPECT_EQ(str(items[1], "name"), "元旦");
  // 除夕 2027-02-05 through 初三 02-08: statutory since 2025.
  for (std::size_t i = 36; i <= 39; ++i) {
    EXPECT_EQ(str(items[i], "reason"), "holiday") << str(items[i], "date");
    EXPECT_EQ(str(items[i], "name"), "春节");
  }
  EXPECT_EQ(str(items[36], "date"), "2027-02-05");
  EXPECT_FALSE(h().get("/api/v1/calendar/days?from=2026-03-01&to=2026-03-31")
                   .json()
                   .at("provisional")
                   .as_bool());

  // Absurd input keeps a precise error.
  r = h().get("/api/v1/calendar/due?start=1800-01-02&working_days=1");
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(r.error_code(), "calendar_year_out_of_range");
  EXPECT_EQ(r.error_field(), "start");
}

TEST_P(CalendarProvisionalApi, StatusAsksForTheImportFromSixtyDaysBefore) {
  start_at("2026-12-07T10:00:00");
  auto r = h().get("/api/v1/calendar/status");
  ASSERT_EQ(r.status, 200) << r.body;
  auto st = r.json();
  EXPECT_EQ(str(st, "today"), "2026-12-07");
  EXPECT_EQ(str(st, "covered_through"), "2026-12-31");
  EXPECT_EQ(str(st, "provisional_from"), "2027-01-01");
  EXPECT_EQ(str(st, "ask_from"), "2026-11-01");
  EXPECT_EQ(st.at("import_year").as_int64(), 2027);
  EXPECT_TRUE(st.at("import_due").as_bool());
  EXPECT_FALSE(st.at("today_provisional").as_bool());
  Clock::pin(at("2026-10-31T10:00:00"));
  EXPECT_FALSE(h().get("/api/v1/calendar/status").json().at("import_due").as_bool());
  Clock::pin(at("2027-01-04T10:00:00"));
  st = h().get("/api/v1/calendar/status").json();
  EXPECT_TRUE(st.at("import_due").as_bool());
  EXPECT_TRUE(st.at("today_provisional").as_bool());
  EXPECT_TRUE(st.at("covered_through").is_null());
}

TEST_P(CalendarProvisionalApi, TakeANumberOnAProvisionalWorkingDay) {
  start_at("2027-01-04T10:00:00");  // Monday of 2027: no official data
  const Session kiosk{"demo-kiosk-token-0001-hall-main", "", false};
  auto r = h().send(
      "POST", "/api/v1/tickets",
      json::serialize(json::object{{"item_id", item("JWC-001")}, {"student_no", "2023001001"}}),
      &kiosk, {{"Idempotency-Key", "provisional-take-1"}});
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(str(r.json(), "status"), "waiting");
  // On 元旦 2027 (a provisional statutory holiday) the hall is closed, not broken.
  Clock::pin(at("2027-01-01T10:00:00"));
  r = h().send(
      "POST", "/api/v1/tickets",
      json::serialize(json::object{{"item_id", item("JWC-001")}, {"student_no", "2023001002"}}),
      &kiosk, {{"Idempotency-Key", "provisional-take-2"}});
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_EQ(r.error_code(), "hall_closed");
}

TEST_P(CalendarProvisionalApi, ImportRecomputesProvisionalDueDatesAndTellsTheTeacher) {
  start_at("2026-12-30T10:00:00");  // Wednesday
  Session staff = h().login("staff01", "staff123");
  // JWC-003 promises 5 working days: Dec 31, then provisional Jan 4, 5, 6, 7 (元旦 Fri off).
  json::value c = accepted_case("JWC-003", "2023001001", staff);
  long long id = c.at("id").as_int64();
  EXPECT_EQ(str(c, "due_at"), iso8601_utc(at("2027-01-07T17:30:00")));
  EXPECT_TRUE(c.at("due_provisional").as_bool());
  // A case due within 2026 is not provisional and is left alone by the import.
  json::value c2 = accepted_case("JWC-001", "2023001002", staff);
  EXPECT_FALSE(c2.at("due_provisional").as_bool());
  std::string c2_due = str(c2, "due_at");

  Session admin = h().login("admin", "admin123");
  // A dry run changes nothing.
  auto counts = h().table_counts();
  auto dry = h().post("/api/v1/calendar/holidays/import",
                      json::object{{"ics", kIcs2027}, {"years", json::array{2027}}}, &admin);
  ASSERT_EQ(dry.status, 200) << dry.body;
  EXPECT_FALSE(dry.json().at("applied").as_bool());
  EXPECT_TRUE(dry.json().at("recomputed").as_array().empty());
  EXPECT_EQ(h().table_counts(), counts);

  auto imp = h().post(
      "/api/v1/calendar/holidays/import",
      json::object{{"ics", kIcs2027}, {"years", json::array{2027}}, {"apply", true}}, &admin);
  ASSERT_EQ(imp.status, 200) << imp.body;
  const json::value report = imp.json();
  const auto& rec = report.at("recomputed").as_array();
  ASSERT_EQ(rec.size(), 1u) << imp.body;
  EXPECT_EQ(rec[0].at("case_id").as_int64(), id);
  EXPECT_EQ(str(rec[0], "previous_due_at"), iso8601_utc(at("2027-01-07T17:30:00")));
  EXPECT_EQ(str(rec[0], "due_at"), iso8601_utc(at("2027-01-08T17:30:00")));
  EXPECT_FALSE(rec[0].at("provisional").as_bool());

  // The case: the new due instant, no longer provisional, and a timeline entry old → new.
  auto got = h().get(path(id), &staff).json();
  EXPECT_EQ(str(got, "due_at"), iso8601_utc(at("2027-01-08T17:30:00")));
  EXPECT_FALSE(got.at("due_provisional").as_bool());
  int events = 0;
  for (const auto& e : got.at("timeline").as_array()) {
    if (str(e, "kind") != "due_recomputed") continue;
    ++events;
    EXPECT_EQ(str(e.at("detail"), "previous_due_at"), iso8601_utc(at("2027-01-07T17:30:00")));
    EXPECT_EQ(str(e.at("detail"), "due_at"), iso8601_utc(at("2027-01-08T17:30:00")));
  }
  EXPECT_EQ(events, 1);
  // The student sees the new promise too.
  Session alice = h().login("2023001001", "student123");
  EXPECT_EQ(str(h().get(path(id), &alice).json(), "due_at"),
            iso8601_utc(at("2027-01-08T17:30:00")));
  // The other case is untouched.
  EXPECT_EQ(str(h().get(path(c2.at("id").as_int64()), &staff).json(), "due_at"), c2_due);

  // The teacher's list; staff may not read it.
  Session teacher = h().login("teacher", "teacher123");
  auto list = h().get("/api/v1/cases/due-changes", &teacher);
  ASSERT_EQ(list.status, 200) << list.body;
  const json::value listed = list.json();
  const auto& items = listed.at("items").as_array();
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].at("case_id").as_int64(), id);
  EXPECT_EQ(str(items[0], "case_no"), str(c, "case_no"));
  EXPECT_EQ(str(items[0], "due_at"), iso8601_utc(at("2027-01-08T17:30:00")));
  EXPECT_EQ(str(items[0], "by"), str(h().get("/api/v1/auth/me", &admin).json().at("user"), "name"));
  EXPECT_EQ(h().get("/api/v1/cases/due-changes", &staff).status, 403);
  EXPECT_EQ(h().get("/api/v1/cases/due-changes").status, 401);

  // Importing again changes nothing more: the due instant is official now.
  imp = h().post("/api/v1/calendar/holidays/import",
                 json::object{{"ics", kIcs2027}, {"years", json::array{2027}}, {"apply", true}},
                 &admin);
  ASSERT_EQ(imp.status, 200) << imp.body;
  EXPECT_TRUE(imp.json().at("recomputed").as_array().empty());
  EXPECT_EQ(h().get("/api/v1/cases/due-changes", &teacher).json().at("items").as_array().size(),
            1u);
  // And /calendar/due for 2027 is official now.
  EXPECT_FALSE(h().get("/api/v1/calendar/due?start=2026-12-28&working_days=5")
                   .json()
                   .at("provisional")
                   .as_bool());
}

INSTANTIATE_TEST_SUITE_P(Backends, CalendarProvisionalApi, ::testing::ValuesIn(backends()),
                         backend_name);

}  // namespace
}  // namespace hall::test
