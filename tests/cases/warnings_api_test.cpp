// B6.3 time-limit warnings that reach people, on every backend: the sweeper
// records 50% / 80% / due once per case and level (a table of elapsed working
// time → levels), never for paused or completed cases, never twice (repeated
// sweeps, a moved due instant, concurrent sweepers of two "processes" on one
// database); the handler and — for `due` — the responsible teacher receive them
// over their own event stream and in their list; nobody reads, subscribes to or
// marks another person's warnings. The sweeper is driven by sweep_once(now): no
// sleeps, no background thread.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "calendar/service.hpp"
#include "cases/model.hpp"
#include "cases/warnings.hpp"
#include "core/clock.hpp"
#include "support/clock.hpp"
#include "support/sse_reader.hpp"
#include "support/test_support.hpp"
#include "wiring/app.hpp"

namespace hall::test {
namespace {

class CasesWarnings : public HallTest, protected DemoPeople {
 protected:
  void SetUp() override {
    start_at(kMondayMorning);
    sign_in(h());
    // The demo's own open cases get their warnings now, so that what follows concerns ours.
    h().app().service<cases::WarningService>().sweep_once(Clock::now());
  }
  cases::WarningService& sweeper() { return h().app().service<cases::WarningService>(); }
  std::string path(long long id, const std::string& tail = "") {
    return "/api/v1/cases/" + std::to_string(id) + tail;
  }

  // A walk-in case of JWC-003 (5 working days) for student n, every material provided, accepted now
  // by `s`.
  long long accepted_case(int n, const Session& s) {
    long long item = h().count("SELECT id FROM catalog_items WHERE code = 'JWC-003'");
    auto r = h().post("/api/v1/cases",
                      json::object{{"channel", "walk_in"},
                                   {"student_no", fmt::format("20230011{:02d}", n)},
                                   {"item_id", item},
                                   {"summary", "学生证补办"}},
                      &s);
    EXPECT_EQ(r.status, 201) << r.body;
    if (r.status != 201) return 0;
    json::value c = r.json();
    long long id = c.at("id").as_int64();
    json::array marks;
    for (const auto& m : c.at("materials").as_array())
      marks.push_back(
          json::object{{"material_id", m.at("material_id")},
                       {"mark", m.at("required").as_bool() ? "provided" : "not_applicable"}});
    EXPECT_EQ(
        h().send("PUT", path(id, "/materials"), json::serialize(json::object{{"marks", marks}}), &s)
            .status,
        200);
    auto acc = h().post(path(id, "/accept"), json::object{}, &s);
    EXPECT_EQ(acc.status, 200) << acc.body;
    return id;
  }
  // The first whole second at which the case has used `fraction` of its working time (B6.3
  // progress).
  Millis at_fraction(long long id, double fraction) {
    long long accepted = h().count(fmt::format("SELECT accepted_at FROM cases WHERE id = {}", id));
    long long due = h().count(fmt::format("SELECT due_at FROM cases WHERE id = {}", id));
    auto cal = h().app().service<calendar::CalendarService>().for_hall(1);
    auto inst = [](long long ms) { return cases::Instant{std::chrono::seconds(ms / 1000)}; };
    long long lo = accepted / 1000, hi = due / 1000 + 30LL * 86400;
    while (lo < hi) {
      long long mid = lo + (hi - lo) / 2;
      auto p = cases::progress(*cal, inst(accepted), inst(due), 0, std::nullopt, std::nullopt,
                               inst(mid * 1000));
      if (p.fraction >= fraction - 1e-9)
        hi = mid;
      else
        lo = mid + 1;
    }
    return lo * 1000;
  }
  std::string levels(long long id) {
    std::string out;
    h().app().db->read([&](soci::session& s) {
      soci::rowset<std::string> rs =
          (s.prepare << "SELECT level FROM case_warnings WHERE case_id = :c ORDER BY level",
           soci::use(id));
      for (const auto& l : rs) out += (out.empty() ? "" : ",") + l;
      return 0;
    });
    return out.empty() ? "-" : out;
  }
  // The caller's list, and the items of one case in it.
  json::array items_of(const Session& s, long long case_id,
                       const std::string& query = "?page_size=200") {
    auto r = h().get("/api/v1/my/notifications" + query, &s);
    EXPECT_EQ(r.status, 200) << r.body;
    json::array out;
    if (r.status != 200) return out;
    json::value body = r.json();
    for (const auto& i : body.at("items").as_array())
      if (i.at("case_id").as_int64() == case_id) out.push_back(i);
    return out;
  }
};

TEST_P(CasesWarnings, LevelsRecordedByElapsedWorkingTime) {
  int n = 10;
  for (const auto& r : read_tsv("tests/cases/warning_levels.tsv", 2)) {
    SCOPED_TRACE("warning_levels.tsv:" + std::to_string(r.line) + " fraction " + r.cells[0]);
    long long id = accepted_case(n++, staff);
    ASSERT_GT(id, 0);
    Millis t = at_fraction(id, std::stod(r.cells[0]));
    sweeper().sweep_once(t);
    EXPECT_EQ(levels(id), r.cells[1]);
    // Exactly once: sweeping again at the same instant records nothing more, for any case.
    EXPECT_EQ(sweeper().sweep_once(t), 0);
    EXPECT_EQ(levels(id), r.cells[1]);
  }
}

TEST_P(CasesWarnings, OnceAcrossRepeatedSweepsAndAMovedDueInstant) {
  long long id = accepted_case(1, staff);
  Millis half = at_fraction(id, 0.6);
  EXPECT_GE(sweeper().sweep_once(half), 1);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(sweeper().sweep_once(half), 0);
  EXPECT_EQ(levels(id), "50");
  EXPECT_EQ(h().count(fmt::format("SELECT COUNT(*) FROM case_warnings WHERE case_id = {}", id)), 1);
  // The due instant moves two days later (as a pause and resumption would move it): the used share
  // is now below half again, yet the level already sent is not sent again, nor removed.
  h().app().db->write([&](soci::session& s) {
    s << "UPDATE cases SET due_at = due_at + 172800000 WHERE id = :id", soci::use(id);
  });
  sweeper().sweep_once(half);
  EXPECT_EQ(levels(id), "50");
  // …and a level reached later is still recorded when it is.
  sweeper().sweep_once(at_fraction(id, 0.85));
  EXPECT_EQ(levels(id), "50,80");
  // The case's history (staff only) shows each warning.
  EXPECT_EQ(h().count(fmt::format(
                "SELECT COUNT(*) FROM case_events WHERE case_id = {} AND kind = 'warning'", id)),
            2);
}

TEST_P(CasesWarnings, PausedAndCompletedCasesDoNotWarn) {
  long long paused = accepted_case(2, staff);
  long long done = accepted_case(3, staff);
  long long running = accepted_case(4, staff);
  // B6.3: a notice asking for a material stops the clock (waiting for the student).
  json::value c = h().get(path(paused), &staff).json();
  long long m = c.at("materials").as_array()[0].at("material_id").as_int64();
  ASSERT_EQ(
      h().send("PUT", path(paused, "/materials"),
               json::serialize(json::object{
                   {"marks", json::array{json::object{{"material_id", m}, {"mark", "missing"}}}}}),
               &staff)
          .status,
      200);
  auto notice = h().post(path(paused, "/notices"), json::object{}, &staff);
  ASSERT_EQ(notice.status, 201) << notice.body;
  ASSERT_TRUE(h().get(path(paused), &staff).json().at("progress").at("paused").as_bool());
  auto comp = h().post(path(done, "/complete"), json::object{{"result_note", "已办结"}}, &staff);
  ASSERT_EQ(comp.status, 200) << comp.body;
  Millis late = at_fraction(running, 1.4);
  sweeper().sweep_once(late);
  EXPECT_EQ(levels(paused), "-");
  EXPECT_EQ(levels(done), "-");
  EXPECT_EQ(levels(running), "50,80,due");
}

TEST_P(CasesWarnings, HandlerAndTeacherReceiveThemLiveAndInTheirLists) {
  long long id = accepted_case(5, staff);
  std::string case_no(h().get(path(id), &staff).json().at("case_no").as_string());
  SseReader mine(h().port(), "/api/v1/my/notifications/events", staff.token);
  SseReader teachers(h().port(), "/api/v1/my/notifications/events", teacher.token);
  SseReader other(h().port(), "/api/v1/my/notifications/events", staff2.token);
  ASSERT_TRUE(mine.wait_for("event: snapshot")) << mine.text();
  ASSERT_TRUE(teachers.wait_for("event: snapshot")) << teachers.text();
  ASSERT_TRUE(other.wait_for("event: snapshot")) << other.text();
  mine.consume();
  teachers.consume();
  other.consume();

  sweeper().sweep_once(at_fraction(id, 0.55));
  ASSERT_TRUE(mine.wait_for("event: case_warning", 1000)) << mine.text();
  auto w = json::parse(mine.last_data("case_warning"));
  EXPECT_EQ(w.at("case_id").as_int64(), id);
  EXPECT_EQ(w.at("level").as_string(), "50");
  EXPECT_FALSE(w.at("read").as_bool());
  // 50% is the handler's: the teacher and other staff get nothing about this case.
  sweeper().sweep_once(at_fraction(id, 1.0));
  ASSERT_TRUE(teachers.wait_for("\"case_no\":\"" + case_no + "\"", 1000)) << teachers.text();
  EXPECT_NE(teachers.text().find("\"level\":\"due\""), std::string::npos);
  EXPECT_EQ(teachers.text().find("\"level\":\"50\""), std::string::npos);
  EXPECT_FALSE(other.wait_for(case_no, 200)) << other.text();

  // Lists: the handler sees all three, unread, newest first; the teacher only the due one; others
  // none.
  auto mine_items = items_of(staff, id);
  ASSERT_EQ(mine_items.size(), 3u);
  EXPECT_EQ(mine_items[0].at("level").as_string(), "due");
  auto t_items = items_of(teacher, id);
  ASSERT_EQ(t_items.size(), 1u);
  EXPECT_EQ(t_items[0].at("level").as_string(), "due");
  EXPECT_TRUE(items_of(staff2, id).empty());

  // Marking read: per person, unread first in the list, the other tabs told over the stream.
  long long half_id = mine_items[2].at("id").as_int64();
  long long due_id = mine_items[0].at("id").as_int64();
  long long unread_before =
      h().get("/api/v1/my/notifications", &staff).json().at("unread").as_int64();
  mine.consume();
  auto rd =
      h().post("/api/v1/my/notifications/read", json::object{{"ids", json::array{due_id}}}, &staff);
  ASSERT_EQ(rd.status, 200) << rd.body;
  EXPECT_EQ(rd.json().at("marked").as_int64(), 1);
  EXPECT_EQ(rd.json().at("unread").as_int64(), unread_before - 1);
  ASSERT_TRUE(mine.wait_for("event: read", 1000)) << mine.text();
  mine_items = items_of(staff, id);
  EXPECT_EQ(mine_items[0].at("level").as_string(), "80");  // unread, newest of the unread
  EXPECT_EQ(mine_items[1].at("id").as_int64(), half_id);
  EXPECT_EQ(mine_items[2].at("id").as_int64(), due_id);  // read: last
  EXPECT_TRUE(mine_items[2].at("read").as_bool());
  EXPECT_FALSE(
      items_of(teacher, id)[0].at("read").as_bool());  // the teacher's own mark is separate
  // Marking again changes nothing; unread=1 lists only unread ones.
  EXPECT_EQ(
      h().post("/api/v1/my/notifications/read", json::object{{"ids", json::array{due_id}}}, &staff)
          .json()
          .at("marked")
          .as_int64(),
      0);
  EXPECT_EQ(items_of(staff, id, "?unread=1&page_size=200").size(), 2u);
  auto all = h().post("/api/v1/my/notifications/read", json::object{{"all", true}}, &staff);
  ASSERT_EQ(all.status, 200) << all.body;
  EXPECT_EQ(all.json().at("unread").as_int64(), 0);
  // Paging.
  auto p1 = h().get("/api/v1/my/notifications?page=1&page_size=1", &staff).json();
  EXPECT_EQ(p1.at("items").as_array().size(), 1u);
  EXPECT_GE(p1.at("total").as_int64(), 3);
}

TEST_P(CasesWarnings, NobodyReadsSubscribesToOrMarksAnothersNotifications) {
  long long id = accepted_case(6, staff);
  sweeper().sweep_once(at_fraction(id, 1.0));
  auto mine = items_of(staff, id);
  ASSERT_EQ(mine.size(), 3u);
  long long half_id = mine[2].at("id").as_int64();
  // Students have no notifications of cases: list, stream and marks are refused.
  EXPECT_EQ(h().get("/api/v1/my/notifications", &alice).status, 403);
  EXPECT_EQ(h().get("/api/v1/my/notifications/events", &alice).status, 403);
  EXPECT_EQ(h().post("/api/v1/my/notifications/read", json::object{{"all", true}}, &alice).status,
            403);
  EXPECT_EQ(h().get("/api/v1/my/notifications").status, 401);
  EXPECT_EQ(h().get("/api/v1/my/notifications/events").status, 401);
  // The stream is the caller's own: a topic or user named by the client is not a thing.
  EXPECT_EQ(h().get("/api/v1/users/2/notifications/events", &staff2).status, 404);
  // Another staff member's warning, and a 50% warning for the teacher: 404, nothing marked.
  auto counts = h().table_counts();
  auto r = h().post("/api/v1/my/notifications/read", json::object{{"ids", json::array{half_id}}},
                    &staff2);
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.error_code(), "notification_not_found");
  EXPECT_EQ(h().post("/api/v1/my/notifications/read", json::object{{"ids", json::array{half_id}}},
                     &teacher)
                .status,
            404);
  // One visible and one not: all or nothing.
  long long due_id = mine[0].at("id").as_int64();
  EXPECT_EQ(h().post("/api/v1/my/notifications/read",
                     json::object{{"ids", json::array{due_id, half_id}}}, &teacher)
                .status,
            404);
  EXPECT_EQ(h().table_counts(), counts);
  EXPECT_FALSE(items_of(staff, id)[2].at("read").as_bool());
}

TEST_P(CasesWarnings, BadInputIsRefusedAndChangesNothing) {
  auto counts = h().table_counts();
  struct Bad {
    std::string body;
    int status;
    const char* code;
    const char* field;
  } rows[] = {
      {"{\"ids\":[1,", 400, "malformed_json", ""},
      {"{}", 400, "notifications_required", "ids"},
      {"{\"all\":false}", 400, "notifications_required", "ids"},
      {"{\"ids\":[]}", 400, "invalid_ids", "ids"},
      {"{\"ids\":[\"7\"]}", 400, "wrong_type", "ids[0]"},
      {"{\"ids\":[0]}", 400, "wrong_type", "ids[0]"},
      {"{\"ids\":7}", 400, "wrong_type", "ids"},
      {"{\"all\":true,\"extra\":1}", 400, "unknown_field", "extra"},
      {"[1]", 400, "invalid_body", ""},
      {"{\"ids\":[999999]}", 404, "notification_not_found", ""},
  };
  for (const auto& b : rows) {
    SCOPED_TRACE(b.body);
    auto r = h().send("POST", "/api/v1/my/notifications/read", b.body, &staff);
    EXPECT_EQ(r.status, b.status) << r.body;
    EXPECT_EQ(r.error_code(), b.code);
    EXPECT_EQ(r.error_field(), b.field);
  }
  EXPECT_EQ(h().get("/api/v1/my/notifications?unread=maybe", &staff).error_field(), "unread");
  EXPECT_EQ(h().table_counts(), counts);
}

// Two server processes on one database (two Apps, two connection pools), eight threads sweeping the
// same instant: each (case, level) is recorded once, and only the sweep that recorded a warning
// reports (and so publishes) it.
TEST_P(CasesWarnings, ConcurrentSweepersRecordEachLevelOnce) {
  std::vector<long long> ids;
  for (int i = 0; i < 6; ++i) ids.push_back(accepted_case(20 + i, staff));
  Millis late = at_fraction(ids[0], 1.2);
  Config c2;
  c2.db_url = h().db_url();
  c2.db_pool_size = 4;
  c2.access_log = false;
  App second(c2);
  long long before = h().count("SELECT COUNT(*) FROM case_warnings");
  std::atomic<int> recorded{0}, failed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&, t] {
      try {
        auto& s = t % 2 ? second.service<cases::WarningService>() : sweeper();
        recorded += s.sweep_once(late);
      } catch (const std::exception& e) {
        ADD_FAILURE() << e.what();
        ++failed;
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(failed.load(), 0);
  long long after = h().count("SELECT COUNT(*) FROM case_warnings");
  EXPECT_EQ(recorded.load(), after - before);
  for (long long id : ids) EXPECT_EQ(levels(id), "50,80,due") << id;
  EXPECT_EQ(
      h().count(
          "SELECT COUNT(*) FROM (SELECT case_id, level FROM case_warnings GROUP BY case_id, level "
          "HAVING COUNT(*) > 1) d"),
      0);
}

INSTANTIATE_TEST_SUITE_P(Backends, CasesWarnings, ::testing::ValuesIn(backends()), backend_name);

}  // namespace
}  // namespace hall::test
