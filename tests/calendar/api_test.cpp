// The calendar over HTTP, on every backend: due dates and days (public, B6.4),
// administration (calendar.write) changing the answers, ICS import, opening
// hours and open-now, permissions and bad input leaving the database unchanged.
#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <thread>

#include "calendar/service.hpp"
#include "fixtures.hpp"
#include "support/clock.hpp"
#include "support/test_support.hpp"

namespace hall::test {
namespace {


class CalendarApi : public HallTest {
 protected:
  void SetUp() override { start(); }
  std::string due(const std::string& query) {
    auto r = h().get("/api/v1/calendar/due?" + query);
    EXPECT_EQ(r.status, 200) << query << " → " << r.body;
    return r.status == 200 ? std::string(r.json().at("due").as_string()) : r.error_code();
  }
  Session admin() { return h().login("admin", "admin123"); }
};

std::string str(const json::value& v, const char* key) { return std::string(v.at(key).as_string()); }

TEST_P(CalendarApi, DueDatesTable) {
  auto rows = read_tsv("tests/calendar/api_due.tsv", 4);
  ASSERT_GT(rows.size(), 20u);
  for (const auto& row : rows) {
    auto r = h().get("/api/v1/calendar/due?" + row[0]);
    SCOPED_TRACE("api_due.tsv:" + std::to_string(row.line) + " " + row[0]);
    ASSERT_EQ(r.status, std::stoi(row[1])) << r.body;
    if (r.status == 200) {
      EXPECT_EQ(str(r.json(), "due"), row[2]);
      EXPECT_EQ(r.json().at("hall_id").as_int64(), 1);
      // Provisional exactly when the span touches a year without shipped data (2023–2026 are shipped).
      int y0 = std::stoi(str(r.json(), "start").substr(0, 4)), y1 = std::stoi(row[2].substr(0, 4));
      bool provisional = y0 < 2023 || y1 > 2026;
      EXPECT_EQ(r.json().at("provisional").as_bool(), provisional);
    } else {
      EXPECT_EQ(r.error_code(), row[2]) << r.body;
      if (row[3] != "-") {
        EXPECT_EQ(r.error_field(), row[3]);
      }
      EXPECT_FALSE(str(r.json().at("error"), "message").empty());
    }
  }
}

TEST_P(CalendarApi, ErrorsSpeakTheCallersLanguage) {
  auto zh = h().get("/api/v1/calendar/due?start=2101-01-04&working_days=1");
  auto en = h().get("/api/v1/calendar/due?start=2101-01-04&working_days=1", nullptr, {{"Accept-Language", "en"}});
  EXPECT_NE(str(zh.json().at("error"), "message").find("2101 年不在其中"), std::string::npos);
  EXPECT_NE(str(en.json().at("error"), "message").find("2101 is outside it"), std::string::npos);
}

TEST_P(CalendarApi, DaysSaysWhyEachDayWorksOrNot) {
  auto r = h().get("/api/v1/calendar/days?from=2026-02-13&to=2026-02-24");
  ASSERT_EQ(r.status, 200) << r.body;
  auto items = r.json().at("items").as_array();
  ASSERT_EQ(items.size(), 12u);
  EXPECT_EQ(str(items[0], "reason"), "workday");
  EXPECT_EQ(items[0].at("hours").as_array().size(), 2u);
  EXPECT_EQ(str(items[1], "reason"), "adjusted_workday");  // 02-14 Saturday works
  EXPECT_TRUE(items[1].at("working").as_bool());
  EXPECT_EQ(str(items[2], "reason"), "holiday");
  EXPECT_EQ(str(items[2], "name"), "春节");
  EXPECT_FALSE(items[2].at("working").as_bool());
  EXPECT_TRUE(items[2].at("hours").as_array().empty());
  EXPECT_EQ(str(items[11], "reason"), "workday");

  // National Day 2026 and the demo hall's summer closure.
  r = h().get("/api/v1/calendar/days?from=2026-10-01&to=2026-10-10&hall=1");
  items = r.json().at("items").as_array();
  EXPECT_EQ(str(items[0], "name"), "国庆节");
  EXPECT_EQ(str(items[9], "reason"), "adjusted_workday");
  r = h().get("/api/v1/calendar/days?from=2026-07-10&to=2026-07-13");
  items = r.json().at("items").as_array();
  EXPECT_EQ(str(items[0], "reason"), "workday");
  EXPECT_EQ(str(items[1], "reason"), "weekend");
  EXPECT_EQ(str(items[3], "reason"), "closure");
  EXPECT_EQ(str(items[3], "name"), "2026年暑假");
  // Summer hours (May 1 – Sep 30) on 07-10.
  EXPECT_EQ(items[0].at("hours").as_array(), (json::array{"08:00-12:00", "15:00-18:00"}));
}

TEST_P(CalendarApi, DaysBadInput) {
  struct Case {
    std::string query;
    int status;
    std::string code, field;
  } cases[] = {
      {"from=2026-03-05&to=2026-03-01", 400, "invalid_range", "to"},
      {"from=2025-01-01&to=2026-01-02", 400, "range_too_long", "to"},
      {"from=2100-12-01&to=2101-01-05", 422, "calendar_year_out_of_range", "to"},
      {"from=1999-12-30&to=2000-01-05", 422, "calendar_year_out_of_range", "from"},
      {"from=2026-13-01&to=2026-12-31", 400, "invalid_date", "from"},
      {"from=2026-01-01", 400, "missing_parameter", "to"},
      {"to=2026-01-01", 400, "missing_parameter", "from"},
      {"from=2026-01-01&to=2026-01-02&hall=77", 404, "hall_not_found", ""},
      {"from=2026-01-01&to=2026-01-02&hall=x", 400, "wrong_type", "hall"},
  };
  for (const auto& c : cases) {
    auto r = h().get("/api/v1/calendar/days?" + c.query);
    EXPECT_EQ(r.status, c.status) << c.query << " " << r.body;
    EXPECT_EQ(r.error_code(), c.code) << c.query;
    EXPECT_EQ(r.error_field(), c.field) << c.query;
  }
  // A whole year is fine.
  EXPECT_EQ(h().get("/api/v1/calendar/days?from=2026-01-01&to=2026-12-31").json().at("items").as_array().size(),
            365u);
}

TEST_P(CalendarApi, ShippedHolidaysAreSeededIntoTheDatabase) {
  auto r = h().get("/api/v1/calendar/holidays?year=2026");
  ASSERT_EQ(r.status, 200);
  auto v = r.json();
  EXPECT_TRUE(v.at("covered").as_bool());
  auto file = json::parse(test::read_text("data/holidays/2026.json"));
  EXPECT_EQ(v.at("items").as_array().size(), file.at("days").as_array().size());
  json::array years = v.at("covered_years").as_array();
  EXPECT_EQ(years, (json::array{2023, 2024, 2025, 2026}));
  EXPECT_EQ(h().count("SELECT COUNT(*) FROM calendar_years"), 4);
  EXPECT_FALSE(h().get("/api/v1/calendar/holidays?year=2027").json().at("covered").as_bool());
  // A restart does not seed again (an administrator's deletion stays deleted).
  auto s = admin();
  ASSERT_EQ(h().send("DELETE", "/api/v1/calendar/holidays/2026-10-01", "", &s).status, 204);
  calendar::CalendarService again(*h().app().db, calendar::testing::source_dir() / "data/holidays");
  EXPECT_EQ(h().count("SELECT COUNT(*) FROM calendar_holidays WHERE holiday_date = '2026-10-01'"), 0);
}

TEST_P(CalendarApi, ClosuresMoveDueDatesAndAreAudited) {
  auto s = admin();
  EXPECT_EQ(due("start=2026-03-02&working_days=1"), "2026-03-03");
  auto r = h().post("/api/v1/calendar/closures",
                    json::object{{"hall_id", 1}, {"first", "2026-03-03"}, {"last", "2026-03-04"}, {"name", "设备检修"}},
                    &s);
  ASSERT_EQ(r.status, 201) << r.body;
  auto id = r.json().at("id").as_int64();
  EXPECT_EQ(r.json().at("days").as_int64(), 2);
  EXPECT_EQ(str(r.json(), "kind"), "other");
  EXPECT_EQ(due("start=2026-03-02&working_days=1"), "2026-03-05");  // rebuilt at once
  EXPECT_EQ(h().count("SELECT COUNT(*) FROM audit_log WHERE action = 'calendar.closure_added'"), 1);
  // Public list shows it.
  auto list = h().get("/api/v1/calendar/closures?hall=1").json().at("items").as_array();
  EXPECT_EQ(list.size(), 4u);

  r = h().patch("/api/v1/calendar/closures/" + std::to_string(id), json::object{{"last", "2026-03-03"}, {"note", ""}},
                &s);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(due("start=2026-03-02&working_days=1"), "2026-03-04");
  ASSERT_EQ(h().send("DELETE", "/api/v1/calendar/closures/" + std::to_string(id), "", &s).status, 204);
  EXPECT_EQ(due("start=2026-03-02&working_days=1"), "2026-03-03");
  EXPECT_EQ(h().count("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'calendar.closure_%'"), 3);
  EXPECT_EQ(h().send("DELETE", "/api/v1/calendar/closures/" + std::to_string(id), "", &s).status, 404);
}

TEST_P(CalendarApi, ClosureBadInputLeavesTheDatabaseUnchanged) {
  auto s = admin();
  auto before = h().table_counts();
  struct Case {
    json::value body;
    std::string code, field;
  } cases[] = {
      {json::object{{"hall_id", 1}, {"first", "2026-03-05"}, {"last", "2026-03-04"}, {"name", "x"}},
       "closure_ends_before_start", "last"},
      {json::object{{"hall_id", 1}, {"first", "2026-08-01"}, {"last", "2026-09-04"}, {"name", "x"}}, "closure_overlaps",
       "first"},
      {json::object{{"hall_id", 1}, {"first", "2026-06-01"}, {"last", "2026-07-11"}, {"name", "x"}}, "closure_overlaps",
       "first"},
      {json::object{{"hall_id", 9}, {"first", "2026-03-01"}, {"last", "2026-03-04"}, {"name", "x"}}, "unknown_hall",
       "hall_id"},
      {json::object{{"hall_id", 1}, {"first", "2026/03/01"}, {"last", "2026-03-04"}, {"name", "x"}}, "invalid_date",
       "first"},
      {json::object{{"hall_id", 1}, {"first", "2026-03-01"}, {"last", "2026-02-30"}, {"name", "x"}}, "invalid_date",
       "last"},
      {json::object{{"hall_id", 1}, {"first", "2026-03-01"}, {"last", "2026-03-04"}}, "missing_field", "name"},
      {json::object{{"hall_id", 1}, {"first", "2026-03-01"}, {"last", "2026-03-04"}, {"name", " "}}, "empty_field",
       "name"},
      {json::object{{"hall_id", 1}, {"first", "2026-03-01"}, {"last", "2026-03-04"}, {"name", "x"}, {"kind", "spring"}},
       "invalid_kind", "kind"},
      {json::object{{"hall_id", 1}, {"first", "2026-03-01"}, {"last", "2026-03-04"}, {"name", "x"}, {"extra", 1}},
       "unknown_field", "extra"},
      {json::object{{"hall_id", 1}, {"first", "2026-03-01"}, {"last", "2027-06-04"}, {"name", "x"}},
       "closure_too_long", "last"},
  };
  for (const auto& c : cases) {
    auto r = h().post("/api/v1/calendar/closures", c.body, &s);
    EXPECT_EQ(r.status, 400) << json::serialize(c.body) << " " << r.body;
    EXPECT_EQ(r.error_code(), c.code) << json::serialize(c.body);
    EXPECT_EQ(r.error_field(), c.field) << json::serialize(c.body);
  }
  // Editing into an overlap is refused too.
  auto first = h().get("/api/v1/calendar/closures?hall=1").json().at("items").as_array()[0];
  auto r = h().patch("/api/v1/calendar/closures/" + std::to_string(first.at("id").as_int64()),
                     json::object{{"last", "2026-12-18"}}, &s);
  EXPECT_EQ(r.error_code(), "closure_overlaps");
  EXPECT_EQ(h().table_counts(), before);
}

TEST_P(CalendarApi, OnlyCalendarWritersMayEdit) {
  auto before = h().table_counts();
  json::value closure =
      json::object{{"hall_id", 1}, {"first", "2026-03-03"}, {"last", "2026-03-04"}, {"name", "未授权"}};
  for (auto [login, pw] :
       {std::pair{"2023001001", "student123"}, {"staff01", "staff123"}, {"jwc_head", "head1234"}}) {
    auto s = h().login(login, pw);
    EXPECT_EQ(h().post("/api/v1/calendar/closures", closure, &s).status, 403) << login;
    EXPECT_EQ(h().post("/api/v1/calendar/holidays",
                       json::object{{"date", "2026-03-03"}, {"name", "x"}, {"off_day", true}}, &s)
                  .status,
              403);
    EXPECT_EQ(h().send("PUT", "/api/v1/calendar/hours/1", R"({"weekly":{"mon":["09:00-10:00"]}})", &s).status, 403);
    EXPECT_EQ(h().send("DELETE", "/api/v1/calendar/years/2026", "", &s).status, 403);
    EXPECT_EQ(h().post("/api/v1/calendar/holidays/import", json::object{{"ics", "x"}}, &s).status, 403);
  }
  EXPECT_EQ(h().post("/api/v1/calendar/closures", closure).status, 401);
  // The login sessions are the only change.
  auto after = h().table_counts();
  after.erase("sessions");
  before.erase("sessions");
  after.erase("audit_log");
  before.erase("audit_log");
  EXPECT_EQ(after, before);
  EXPECT_EQ(h().count("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'calendar.%'"), 0);
  EXPECT_EQ(due("start=2026-03-02&working_days=1"), "2026-03-03");
}

// The responsible teacher runs the hall (A2, B2, D4): its closures and opening hours are theirs
// to keep, as they are the administrator's (issue #11, item 6).
TEST_P(CalendarApi, TheTeacherKeepsTheCalendar) {
  auto s = h().login("teacher", "teacher123");
  auto r = h().post(
      "/api/v1/calendar/closures",
      json::object{
          {"hall_id", 1}, {"first", "2026-03-03"}, {"last", "2026-03-04"}, {"name", "校运会"}},
      &s);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(due("start=2026-03-02&working_days=1"), "2026-03-05");
  EXPECT_EQ(h().send("PUT", "/api/v1/calendar/hours/1", R"({"weekly":{"mon":["09:00-10:00"]}})", &s)
                .status,
            200);
  EXPECT_EQ(h().count("SELECT COUNT(*) FROM audit_log WHERE action = 'calendar.closure_added' AND "
                      "actor_login = "
                      "'teacher'"),
            1);
}

TEST_P(CalendarApi, HolidayEditsChangeTheNationalAnswer) {
  auto s = admin();
  auto r = h().post("/api/v1/calendar/holidays",
                    json::object{{"date", "2026-03-03"}, {"name", "校庆"}, {"off_day", true}}, &s);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(due("start=2026-03-02&working_days=1"), "2026-03-04");
  auto day = h().get("/api/v1/calendar/days?from=2026-03-03&to=2026-03-03").json().at("items").as_array()[0];
  EXPECT_EQ(str(day, "reason"), "holiday");
  EXPECT_EQ(str(day, "name"), "校庆");
  // Duplicate → 409; a weekday cannot be an adjusted working day; bad date.
  EXPECT_EQ(h().post("/api/v1/calendar/holidays", json::object{{"date", "2026-03-03"}, {"name", "x"}, {"off_day", true}},
                     &s)
                .status,
            409);
  auto counts = h().table_counts();
  r = h().patch("/api/v1/calendar/holidays/2026-03-03", json::object{{"off_day", false}}, &s);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.error_code(), "adjusted_workday_not_weekend");
  EXPECT_EQ(r.error_field(), "off_day");
  r = h().post("/api/v1/calendar/holidays", json::object{{"date", "2026-02-31"}, {"name", "x"}, {"off_day", true}}, &s);
  EXPECT_EQ(r.error_field(), "date");
  r = h().post("/api/v1/calendar/holidays", json::object{{"date", "2026-03-08"}, {"name", "x"}}, &s);
  EXPECT_EQ(r.error_field(), "off_day");
  EXPECT_EQ(h().table_counts(), counts);
  // A Sunday made a working day.
  r = h().post("/api/v1/calendar/holidays", json::object{{"date", "2026-03-08"}, {"name", "补班"}, {"off_day", false}},
               &s);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(due("start=2026-03-06&working_days=1"), "2026-03-08");
  r = h().patch("/api/v1/calendar/holidays/2026-03-03", json::object{{"name", "校庆日"}}, &s);
  EXPECT_EQ(str(r.json(), "name"), "校庆日");
  ASSERT_EQ(h().send("DELETE", "/api/v1/calendar/holidays/2026-03-03", "", &s).status, 204);
  ASSERT_EQ(h().send("DELETE", "/api/v1/calendar/holidays/2026-03-08", "", &s).status, 204);
  EXPECT_EQ(due("start=2026-03-02&working_days=1"), "2026-03-03");
  EXPECT_EQ(h().send("DELETE", "/api/v1/calendar/holidays/2026-03-03", "", &s).status, 404);
  EXPECT_EQ(h().count("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'calendar.holiday_%'"), 5);
}

TEST_P(CalendarApi, YearsCoveredAreExplicit) {
  auto s = admin();
  ASSERT_EQ(h().send("DELETE", "/api/v1/calendar/years/2026", "", &s).status, 204);
  // A year not covered is answered provisionally (weekends and statutory holidays), never refused.
  auto r = h().get("/api/v1/calendar/due?start=2026-03-02&working_days=1");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(str(r.json(), "due"), "2026-03-03");
  EXPECT_TRUE(r.json().at("provisional").as_bool());
  ASSERT_EQ(h().send("PUT", "/api/v1/calendar/years/2026", "", &s).status, 204);
  EXPECT_EQ(due("start=2026-03-02&working_days=1"), "2026-03-03");
  EXPECT_FALSE(h().get("/api/v1/calendar/due?start=2026-03-02&working_days=1").json().at("provisional").as_bool());
  // A year without any day off is not "known": that would be weekends only.
  r = h().send("PUT", "/api/v1/calendar/years/2030", "", &s);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.error_code(), "year_has_no_holidays");
  EXPECT_EQ(h().send("PUT", "/api/v1/calendar/years/1999", "", &s).error_field(), "year");
  EXPECT_EQ(h().send("PUT", "/api/v1/calendar/years/abcd", "", &s).status, 404);
}

const char* kIcs2027 =
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nX-HALL-COVERS:2027\r\n"
    "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20270101\r\nDTEND;VALUE=DATE:20270104\r\nSUMMARY:元旦放假\r\nEND:VEVENT\r\n"
    "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20270206\r\nDTEND;VALUE=DATE:20270214\r\nSUMMARY:春节放假\r\nEND:VEVENT\r\n"
    "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20270131\r\nSUMMARY:春节补班\r\nEND:VEVENT\r\n"
    "END:VCALENDAR\r\n";

TEST_P(CalendarApi, IcsImportPreviewsThenApplies) {
  auto s = admin();
  auto before = h().table_counts();
  auto r = h().post("/api/v1/calendar/holidays/import", json::object{{"ics", kIcs2027}}, &s);
  ASSERT_EQ(r.status, 200) << r.body;
  auto rep = r.json();
  EXPECT_FALSE(rep.at("applied").as_bool());
  EXPECT_EQ(rep.at("added").as_array().size(), 3u + 8u + 1u);
  EXPECT_EQ(rep.at("newly_covered").as_array(), (json::array{2027}));
  EXPECT_TRUE(rep.at("problems").as_array().empty());
  EXPECT_EQ(h().table_counts(), before);  // a preview writes nothing
  // Before the import 2027 is provisional (answered, marked); a preview changes nothing of that.
  r = h().get("/api/v1/calendar/due?start=2027-01-04&working_days=1");
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(r.json().at("provisional").as_bool());

  r = h().post("/api/v1/calendar/holidays/import", json::object{{"ics", kIcs2027}, {"apply", true}}, &s);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(r.json().at("applied").as_bool());
  EXPECT_EQ(due("start=2027-01-04&working_days=1"), "2027-01-05");
  // The demo hall's 2027 winter closure (01-16..02-28) applies now that 2027 is known.
  auto day = h().get("/api/v1/calendar/days?from=2027-01-18&to=2027-01-18&hall=1").json().at("items").as_array()[0];
  EXPECT_EQ(str(day, "reason"), "closure");
  EXPECT_EQ(due("start=2027-01-29&working_days=1"), "2027-03-01");
  // Without it, the imported national days decide.
  auto winter = h().get("/api/v1/calendar/closures?hall=1").json().at("items").as_array().back();
  ASSERT_EQ(str(winter, "name"), "2027年寒假");
  ASSERT_EQ(h().send("DELETE", "/api/v1/calendar/closures/" + std::to_string(winter.at("id").as_int64()), "", &s).status,
            204);
  EXPECT_EQ(due("start=2027-01-29&working_days=1"), "2027-01-31");  // adjusted Sunday
  EXPECT_EQ(due("start=2027-02-05&working_days=1"), "2027-02-15");
  EXPECT_EQ(h().count("SELECT COUNT(*) FROM audit_log WHERE action = 'calendar.ics_imported'"), 1);

  // Re-importing a corrected file reports the differences: one removed, one changed.
  std::string corrected = kIcs2027;
  corrected.replace(corrected.find("20270214"), 8, "20270213");
  corrected.replace(corrected.find("元旦放假"), std::string("元旦放假").size(), "新年放假");
  rep = h().post("/api/v1/calendar/holidays/import", json::object{{"ics", corrected}}, &s).json();
  EXPECT_EQ(rep.at("removed").as_array().size(), 1u);
  EXPECT_EQ(rep.at("changed").as_array().size(), 3u);
  EXPECT_EQ(rep.at("added").as_array().size(), 0u);
  EXPECT_TRUE(rep.at("newly_covered").as_array().empty());
}

TEST_P(CalendarApi, IcsImportRefusesBadFiles) {
  auto s = admin();
  auto before = h().table_counts();
  // An adjusted working day on a weekday: previewed as a problem, refused on apply.
  std::string weekday_work =
      "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20270105\r\nSUMMARY:春节补班\r\nEND:VEVENT\r\n"
      "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20270101\r\nSUMMARY:元旦放假\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
  auto r = h().post("/api/v1/calendar/holidays/import", json::object{{"ics", weekday_work}}, &s);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.json().at("problems").as_array().size(), 1u);
  r = h().post("/api/v1/calendar/holidays/import", json::object{{"ics", weekday_work}, {"apply", true}}, &s);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.error_code(), "ics_has_problems");
  r = h().post("/api/v1/calendar/holidays/import", json::object{{"ics", "not a calendar"}, {"apply", true}}, &s);
  EXPECT_EQ(r.error_code(), "invalid_ics");
  EXPECT_EQ(r.error_field(), "ics");
  r = h().post("/api/v1/calendar/holidays/import", json::object{{"ics", kIcs2027}, {"years", json::array{1800}}}, &s);
  EXPECT_EQ(r.error_field(), "years");
  EXPECT_EQ(h().table_counts(), before);
}

TEST_P(CalendarApi, ShippedIcsSampleMatchesTheShippedJson) {
  // Importing the 2026 sample over the seeded 2026 data changes nothing.
  auto s = admin();
  std::string ics = test::read_text("tests/calendar/holidays_2026.ics");
  auto rep = h().post("/api/v1/calendar/holidays/import", json::object{{"ics", ics}, {"years", json::array{2026}}}, &s)
                 .json();
  EXPECT_TRUE(rep.at("removed").as_array().empty()) << json::serialize(rep);
  EXPECT_TRUE(rep.at("added").as_array().empty()) << json::serialize(rep);
  EXPECT_GT(rep.at("unchanged").as_int64(), 20);
}

TEST_P(CalendarApi, OpeningHoursAndOpenNow) {
  auto r = h().get("/api/v1/calendar/hours?hall=1");
  ASSERT_EQ(r.status, 200) << r.body;
  auto v = r.json();
  EXPECT_EQ(v.at("weekly").at("mon").as_array(), (json::array{"08:00-12:00", "14:30-17:30"}));
  EXPECT_EQ(v.at("seasons").as_array()[0].at("weekly").at("fri").as_array(), (json::array{"08:00-12:00", "15:00-18:00"}));
  EXPECT_FALSE(v.at("custom").as_bool());
  EXPECT_EQ(str(v.at("hall"), "name"), "湖南工业大学学生事务服务大厅");

  // Tuesday 2026-03-03 10:00 local (UTC+8): open until 12:00, again at 14:30.
  Clock::pin(parse_iso8601("2026-03-03T10:00:00+08:00", "t"));
  v = h().get("/api/v1/calendar/open-now?hall=1").json();
  EXPECT_TRUE(v.at("open").as_bool());
  EXPECT_EQ(str(v, "closes_at"), "2026-03-03T04:00:00.000Z");
  EXPECT_EQ(str(v, "next_opening"), "2026-03-03T06:30:00.000Z");
  // 13:00: closed for lunch.
  Clock::pin(parse_iso8601("2026-03-03T13:00:00+08:00", "t"));
  v = h().get("/api/v1/calendar/open-now").json();
  EXPECT_FALSE(v.at("open").as_bool());
  EXPECT_TRUE(v.at("closes_at").is_null());
  EXPECT_EQ(str(v, "next_opening"), "2026-03-03T06:30:00.000Z");
  // Friday before the summer closure, after hours: next opening Monday 08-31 08:00.
  Clock::pin(parse_iso8601("2026-07-10T18:30:00+08:00", "t"));
  v = h().get("/api/v1/calendar/open-now").json();
  EXPECT_FALSE(v.at("open").as_bool());
  EXPECT_EQ(str(v, "next_opening"), "2026-08-31T00:00:00.000Z");
  // Late December: the next opening is in 2027, which has no data yet: provisional, after
  // 元旦 (Friday 01-01) and the weekend — Monday 2027-01-04 08:00.
  Clock::pin(parse_iso8601("2026-12-31T18:00:00+08:00", "t"));
  v = h().get("/api/v1/calendar/open-now").json();
  EXPECT_EQ(str(v, "next_opening"), "2027-01-04T00:00:00.000Z");
  EXPECT_EQ(h().get("/api/v1/calendar/open-now?hall=5").status, 404);
}

TEST_P(CalendarApi, AdministratorsEditOpeningHours) {
  auto s = admin();
  std::string doc = R"({"adjusted_workday_as":"mon",
    "weekly":{"mon":["09:00-12:00","14:00-17:00"],"tue":["09:00-12:00"],"wed":["09:00-12:00"],
              "thu":["09:00-12:00"],"fri":["09:00-12:00"]},
    "seasons":[{"name":"冬季作息","from":"11-01","to":"02-28","weekly":{"mon":["08:30-12:00"]}}]})";
  auto r = h().send("PUT", "/api/v1/calendar/hours/1", doc, &s);
  ASSERT_EQ(r.status, 200) << r.body;
  auto day = h().get("/api/v1/calendar/days?from=2026-03-03&to=2026-03-03").json().at("items").as_array()[0];
  EXPECT_EQ(day.at("hours").as_array(), (json::array{"09:00-12:00"}));
  day = h().get("/api/v1/calendar/days?from=2026-11-02&to=2026-11-02").json().at("items").as_array()[0];
  EXPECT_EQ(day.at("hours").as_array(), (json::array{"08:30-12:00"}));
  EXPECT_TRUE(h().get("/api/v1/calendar/hours?hall=1").json().at("custom").as_bool());

  auto before = h().table_counts();
  struct Case {
    std::string doc, code, field;
  } cases[] = {
      {R"({"weekly":{"mon":["25:00-26:00"]}})", "invalid_hours", "weekly.mon"},
      {R"({"weekly":{"mon":["12:00-08:00"]}})", "invalid_hours", "weekly.mon"},
      {R"({"weekly":{"mon":["08:00-12:00","11:00-13:00"]}})", "invalid_hours", "weekly.mon"},
      {R"({"weekly":{"xyz":["08:00-12:00"]}})", "invalid_hours", "weekly.xyz"},
      {R"({"weekly":{}})", "hours_empty", "weekly"},
      {R"({"weekly":{"tue":["08:00-12:00"]}})", "invalid_hours", "adjusted_workday_as"},
      {R"({"weekly":{"mon":["08:00-12:00"]},"colour":"red"})", "unknown_field", "colour"},
      {R"({"seasons":[]})", "missing_field", "weekly"},
      {R"({"weekly":{"mon":["08:00-12:00"]},"seasons":[{"name":"a","from":"05-01","to":"09-30","weekly":{"mon":["08:00-09:00"]}},
          {"name":"b","from":"09-01","to":"10-30","weekly":{"mon":["08:00-09:00"]}}]})",
       "seasons_overlap", "seasons[1].from"},
      {R"({"weekly":{"mon":["08:00-12:00"]},"seasons":[{"name":"a","from":"02-30","to":"09-30","weekly":{"mon":["08:00-09:00"]}}]})",
       "invalid_hours", "seasons[0].from"},
      {R"({"weekly":{"mon":["08:00-12:00"]},"seasons":[{"from":"05-01","to":"09-30","weekly":{"mon":["08:00-09:00"]}}]})",
       "missing_field", "seasons[0].name"},
  };
  for (const auto& c : cases) {
    r = h().send("PUT", "/api/v1/calendar/hours/1", c.doc, &s);
    EXPECT_EQ(r.status, 400) << c.doc << " " << r.body;
    EXPECT_EQ(r.error_code(), c.code) << c.doc << " " << r.body;
    EXPECT_EQ(r.error_field(), c.field) << c.doc << " " << r.body;
  }
  EXPECT_EQ(h().send("PUT", "/api/v1/calendar/hours/42", doc, &s).status, 404);
  EXPECT_EQ(h().table_counts(), before);

  ASSERT_EQ(h().send("DELETE", "/api/v1/calendar/hours/1", "", &s).status, 200);
  day = h().get("/api/v1/calendar/days?from=2026-03-03&to=2026-03-03").json().at("items").as_array()[0];
  EXPECT_EQ(day.at("hours").as_array(), (json::array{"08:00-12:00", "14:30-17:30"}));
  EXPECT_EQ(h().count("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'calendar.hours_%'"), 2);
}

TEST_P(CalendarApi, PublicHallsAndWindows) {
  auto halls = h().get("/api/v1/public/halls").json().at("items").as_array();
  ASSERT_EQ(halls.size(), 1u);
  auto r = h().get("/api/v1/public/windows?hall=1");
  ASSERT_EQ(r.status, 200);
  auto items = r.json().at("items").as_array();
  ASSERT_EQ(items.size(), 10u);
  EXPECT_EQ(items[0].at("number").as_int64(), 1);
  EXPECT_EQ(str(items[0].at("unit"), "name"), "教务处");
  EXPECT_TRUE(items[9].at("is_complaints").as_bool());  // C2: window 10
  EXPECT_EQ(h().get("/api/v1/public/windows?hall=3").status, 404);
}

TEST_P(CalendarApi, ServiceIsSharedAndRebuiltAtomically) {
  auto& cal = h().app().service<calendar::CalendarService>();
  auto a = cal.for_hall(1);
  EXPECT_EQ(a.get(), cal.for_hall(1).get());  // cached
  EXPECT_EQ(a.get(), cal.for_hall(0).get());  // the default hall
  auto s = admin();
  ASSERT_EQ(h().post("/api/v1/calendar/closures",
                     json::object{{"hall_id", 1}, {"first", "2026-03-03"}, {"last", "2026-03-03"}, {"name", "x"}}, &s)
                .status,
            201);
  auto b = cal.for_hall(1);
  EXPECT_NE(a.get(), b.get());
  // The old calendar a reader still holds is unchanged; the new one has the closure.
  EXPECT_TRUE(a->is_working_day(calendar::Date::parse("2026-03-03")));
  EXPECT_FALSE(b->is_working_day(calendar::Date::parse("2026-03-03")));
  EXPECT_EQ(cal.due_date(1, calendar::Date::parse("2026-03-02"), 1).to_string(), "2026-03-04");
  // Many readers while a writer changes closures: every answer is one of the two states.
  std::atomic<bool> stop{false};
  std::atomic<int> bad{0};
  std::vector<std::thread> readers;
  for (int i = 0; i < 4; ++i)
    readers.emplace_back([&] {
      while (!stop) {
        auto d = cal.due_date(1, calendar::Date::parse("2026-03-02"), 1).to_string();
        if (d != "2026-03-03" && d != "2026-03-04") ++bad;
      }
    });
  auto id = h().get("/api/v1/calendar/closures?hall=1").json().at("items").as_array()[0].at("id").as_int64();
  for (int i = 0; i < 5; ++i) {
    h().patch("/api/v1/calendar/closures/" + std::to_string(id), json::object{{"name", "x" + std::to_string(i)}}, &s);
  }
  stop = true;
  for (auto& t : readers) t.join();
  EXPECT_EQ(bad, 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, CalendarApi, ::testing::ValuesIn(backends()), backend_name);

}  // namespace
}  // namespace hall::test
