// Monthly statistics (B5 targets, B6.3, B6.4 事务公开) on SQLite and PostgreSQL:
// figures computed from inserted tickets, cases and documents (month bounds in
// the hall's zone), a month published only once it has closed, the snapshot
// frozen after the data changes, null with a reason when there is no data, the
// staff's live view, bad input. The month rules as tables: model_test.cpp.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include "support/clock.hpp"
#include "reports/model.hpp"
#include "reports/service.hpp"
#include "support/test_support.hpp"

namespace hall::test {
namespace {

using reports::Month;

class ReportsApi : public HallTest {
 protected:
  void SetUp() override {
    start();
    h().app().db->read([&](soci::session& s) {
      s << "SELECT id, current_version_id FROM catalog_items ORDER BY id LIMIT 1", soci::into(item_), soci::into(version_);
      s << "SELECT user_id FROM students ORDER BY user_id LIMIT 1", soci::into(student_);
      s << "SELECT id FROM halls ORDER BY id LIMIT 1", soci::into(hall_id_);
      return 0;
    });
  }

  // A finished ticket: taken at `taken`, called after `wait_min`, served for `service_min`.
  long long ticket(const std::string& taken_local, int wait_min, int service_min, const std::string& status = "done",
                   const std::string& outcome = "done") {
    Millis taken = at(taken_local), called = taken + wait_min * 60000LL, started = called,
           finished = started + service_min * 60000LL;
    long long seq = ++seq_;
    std::string number = fmt::format("R{:03}", seq), token = fmt::format("report-test-token-{}", seq),
                date = local_date(taken);
    std::optional<long long> fin = status == "done" ? std::optional<long long>(finished) : std::nullopt;
    std::optional<long long> ns = status == "no_show" ? std::optional<long long>(called + 60000) : std::nullopt;
    std::optional<std::string> out = status == "done" ? std::optional<std::string>(outcome) : std::nullopt;
    return h().app().db->write([&](soci::session& s) {
      long long id = 0;
      s << "INSERT INTO queue_tickets (hall_id, service_date, number, seq, queue_group, item_id, item_version_id, "
           "student_id, channel, status, status_token, sort_key, outcome, taken_at, called_at, started_at, finished_at, "
           "no_show_at) VALUES (:h, :d, :n, :seq, 'R', :i, :v, :s, 'kiosk', :st, :tok, :k, :o, :ta, :ca, :sa, :fa, :ns) "
           "RETURNING id",
          soci::use(hall_id_), soci::use(date), soci::use(number), soci::use(seq), soci::use(item_),
          soci::use(version_), soci::use(student_), soci::use(status), soci::use(token), soci::use(taken), soci::use(out),
          soci::use(taken), soci::use(called), soci::use(started), soci::use(fin), soci::use(ns), soci::into(id);
      return id;
    });
  }
  // A rating (B5; level 1 = 非常满意 … 5 = 非常不满意) given at `at_local`; `excluded`
  // marks one taken out of the rate by an upheld appeal.
  void rating(long long ticket_id, int level, const std::string& at_local, int excluded = 0) {
    long long created = at(at_local);
    h().app().db->write([&](soci::session& s) {
      s << "INSERT INTO feedback_ratings (ticket_id, student_id, level, channel, created_at, excluded) "
           "VALUES (:t, :s, :l, 'portal', :c, :e)",
          soci::use(ticket_id), soci::use(student_), soci::use(level), soci::use(created), soci::use(excluded);
    });
  }
  // A case accepted with a due instant, completed (or not) at `done`.
  void a_case(const std::string& due_local, const std::optional<std::string>& done_local) {
    long long n = ++seq_;
    std::string no = fmt::format("RC-{}", n), status = done_local ? "completed" : "processing";
    long long due = at(due_local), accepted = due - 5 * 86400000LL;
    std::optional<long long> done = done_local ? std::optional<long long>(at(*done_local)) : std::nullopt;
    h().app().db->write([&](soci::session& s) {
      s << "INSERT INTO cases (case_no, hall_id, channel, summary, status, time_limit_days, accepted_at, due_at, "
           "original_due_at, completed_at, created_at, updated_at) VALUES (:no, :h, 'walk_in', '测试办件', :st, 3, :a, :d, "
           ":d2, :c, :a2, :a3)",
          soci::use(no), soci::use(hall_id_), soci::use(status), soci::use(accepted), soci::use(due), soci::use(due),
          soci::use(done), soci::use(accepted), soci::use(accepted);
      return 0;
    });
  }
  json::value monthly(const std::string& month, int expect = 200) {
    auto r = h().get("/api/v1/public/stats/monthly?hall=" + std::to_string(hall_id_) + "&month=" + month);
    EXPECT_EQ(r.status, expect) << r.body;
    return r.json();
  }

  long long item_ = 0, version_ = 0, student_ = 0, hall_id_ = 0, seq_ = 0;
};

TEST_P(ReportsApi, ReportFiguresAreComputedFromTheData) {
  // February 2030: four served tickets (one needing materials), one no-show, one ticket
  // finished just after midnight on 1 March (local) which belongs to March.
  long long t1 = ticket("2030-02-04T09:00:00", 10, 6);
  long long t2 = ticket("2030-02-04T09:30:00", 20, 10, "done", "needs_materials");
  long long t3 = ticket("2030-02-12T10:00:00", 0, 8);
  long long t4 = ticket("2030-02-28T23:00:00", 4, 20);  // finished 23:24 local, still February
  long long t5 = ticket("2030-02-13T10:00:00", 5, 0, "no_show");
  long long t6 = ticket("2030-02-28T23:55:00", 5, 10);  // finished 00:10 on 1 March local
  // Ratings in February: 非常满意, 满意, 基本满意, 不满意 → 3 of 4 satisfied; a
  // 非常不满意 taken out by an upheld appeal does not count, nor one given in March.
  rating(t1, 1, "2030-02-04T10:00:00");
  rating(t2, 2, "2030-02-04T11:00:00");
  rating(t3, 3, "2030-02-12T11:00:00");
  rating(t4, 4, "2030-02-28T23:30:00");
  rating(t6, 1, "2030-03-01T08:00:00");
  rating(t5, 5, "2030-02-14T10:00:00", 1);
  // Cases: two completed on time, one late, one still open past due at the end of February.
  a_case("2030-02-10T17:00:00", std::string("2030-02-09T10:00:00"));
  a_case("2030-02-20T17:00:00", std::string("2030-02-20T16:59:00"));
  a_case("2030-02-15T17:00:00", std::string("2030-02-18T10:00:00"));
  a_case("2030-02-25T17:00:00", std::nullopt);

  // Documents issued in February 2030 through the documents API, one of them corrected.
  {
    PinnedClock pin("2030-02-14T10:00:00");
    auto staff = h().login("staff01", "staff123");
    long long me = h().count("SELECT user_id FROM students WHERE student_no = '2023001005'");
    std::vector<long long> ids;
    for (int i = 0; i < 4; ++i) {
      auto r = h().post("/api/v1/documents",
                        json::object{{"type", "enrollment_certificate"}, {"student_id", me}, {"fields", {{"purpose", "办理签证"}}}},
                        &staff);
      ASSERT_EQ(r.status, 201) << r.body;
      ids.push_back(r.json().at("id").as_int64());
    }
    auto c = h().post("/api/v1/documents/" + std::to_string(ids[0]) + "/correct",
                      json::object{{"reason", "用途填写有误，已更正"}, {"fields", {{"purpose", "办理留学签证"}}}}, &staff);
    ASSERT_EQ(c.status, 201) << c.body;
  }

  PinnedClock pin("2030-03-05T09:00:00");
  auto f = monthly("2030-02");
  const auto& v = f.at("volume");
  EXPECT_EQ(v.at("served").as_int64(), 4);
  EXPECT_EQ(v.at("no_show").as_int64(), 1);
  EXPECT_EQ(v.at("by_outcome").as_array().size(), 2u);
  EXPECT_EQ(v.at("by_outcome").at(0).at("outcome").as_string(), "done");
  EXPECT_EQ(v.at("by_outcome").at(0).at("count").as_int64(), 3);
  EXPECT_EQ(v.at("by_outcome").at(1).at("outcome").as_string(), "needs_materials");
  EXPECT_EQ(v.at("by_item").at(0).at("count").as_int64(), 4);
  EXPECT_EQ(v.at("by_item").at(0).at("item_id").as_int64(), item_);
  EXPECT_EQ(v.at("by_unit").at(0).at("count").as_int64(), 4);
  const auto& days = v.at("by_day").as_array();
  ASSERT_EQ(days.size(), 28u);
  EXPECT_EQ(days[3].at("date").as_string(), "2030-02-04");
  EXPECT_EQ(days[3].at("count").as_int64(), 2);
  EXPECT_EQ(days[27].at("count").as_int64(), 1);
  EXPECT_FALSE(f.at("includes_demo_data").as_bool());
  // Waits 10, 20, 0, 4 → 8.5 min; service 6, 10, 8, 20 → 11 min.
  EXPECT_DOUBLE_EQ(f.at("times").at("average_wait_minutes").as_double(), 8.5);
  EXPECT_DOUBLE_EQ(f.at("times").at("average_service_minutes").as_double(), 11.0);
  EXPECT_TRUE(f.at("times").at("reason").is_null());
  // On time: 2 of (3 completed + 1 overdue open) = 0.5; overdue = 1 late + 1 open.
  const auto& ot = f.at("on_time");
  EXPECT_EQ(ot.at("completed").as_int64(), 3);
  EXPECT_EQ(ot.at("completed_late").as_int64(), 1);
  EXPECT_EQ(ot.at("overdue_open").as_int64(), 1);
  EXPECT_EQ(ot.at("overdue").as_int64(), 2);
  EXPECT_DOUBLE_EQ(ot.at("rate").as_double(), 0.5);
  EXPECT_DOUBLE_EQ(ot.at("target").as_double(), 1.0);
  // Accuracy: 5 issued (4 + the corrected reissue), 1 corrected → 0.8.
  const auto& acc = f.at("accuracy");
  EXPECT_EQ(acc.at("issued").as_int64(), 5);
  EXPECT_EQ(acc.at("corrected").as_int64(), 1);
  EXPECT_DOUBLE_EQ(acc.at("rate").as_double(), 0.8);
  // Satisfaction (B5): top three levels among the month's counted ratings, target 96%.
  const auto& sat = f.at("satisfaction");
  EXPECT_DOUBLE_EQ(sat.at("rate").as_double(), 0.75);
  EXPECT_EQ(sat.at("ratings").as_int64(), 4);
  EXPECT_EQ(sat.at("satisfied").as_int64(), 3);
  EXPECT_EQ(sat.at("levels").at("dissatisfied").as_int64(), 1);
  EXPECT_EQ(sat.at("levels").at("very_dissatisfied").as_int64(), 0);
  EXPECT_TRUE(sat.at("reason").is_null());
  EXPECT_DOUBLE_EQ(sat.at("target").as_double(), 0.96);
  EXPECT_TRUE(f.at("published").as_bool());
  EXPECT_EQ(f.at("computed_at").as_string(), iso8601_utc(at("2030-03-05T09:00:00")));
  EXPECT_EQ(f.at("from").as_string(), "2030-01-31T16:00:00.000Z");

  // The ticket finished after local midnight counts in March (live, staff only).
  auto staff = h().login("teacher", "teacher123");
  auto live = h().get("/api/v1/stats/monthly?hall=" + std::to_string(hall_id_), &staff);
  ASSERT_EQ(live.status, 200) << live.body;
  EXPECT_EQ(live.json().at("month").as_string(), "2030-03");
  EXPECT_TRUE(live.json().at("live").as_bool());
  EXPECT_FALSE(live.json().at("closed").as_bool());
  EXPECT_EQ(live.json().at("volume").at("served").as_int64(), 1);
}

TEST_P(ReportsApi, ReportMonthNotClosedIsRefused) {
  ticket("2030-03-02T09:00:00", 5, 5);
  PinnedClock pin("2030-03-31T23:59:00");
  for (const char* m : {"2030-03", "2030-04", "2031-01"}) {
    auto r = h().get("/api/v1/public/stats/monthly?hall=" + std::to_string(hall_id_) + "&month=" + m);
    EXPECT_EQ(r.status, 422) << m;
    EXPECT_EQ(r.error_code(), "month_not_closed") << m;
  }
  EXPECT_EQ(h().count("SELECT COUNT(*) FROM report_month_snapshots"), 0);
  // Not in the list of months either; the previous month is.
  auto list = h().get("/api/v1/public/stats/months?hall=" + std::to_string(hall_id_));
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(list.json().at("current_month").as_string(), "2030-03");
  auto list_json = list.json();
  const auto& items = list_json.at("items").as_array();
  ASSERT_FALSE(items.empty());
  EXPECT_EQ(items[0].at("month").as_string(), "2030-02");
  EXPECT_FALSE(items[0].at("published").as_bool());
  // One minute later (local 1 April) March is published.
  Clock::pin(at("2030-04-01T00:00:00"));
  auto f = monthly("2030-03");
  EXPECT_EQ(f.at("volume").at("served").as_int64(), 1);
}

TEST_P(ReportsApi, ReportSnapshotIsFrozenAfterDataChanges) {
  ticket("2030-02-04T09:00:00", 10, 6);
  ticket("2030-02-05T09:00:00", 10, 6);
  Clock::pin(at("2030-03-01T08:00:00"));
  auto first = monthly("2030-02");
  EXPECT_EQ(first.at("volume").at("served").as_int64(), 2);
  std::string computed_at(first.at("computed_at").as_string());

  // Data corrected afterwards: one more ticket in February, and a case completed late.
  ticket("2030-02-06T09:00:00", 10, 6);
  a_case("2030-02-10T17:00:00", std::string("2030-02-12T10:00:00"));
  Clock::pin(at("2030-03-20T08:00:00"));
  auto again = monthly("2030-02");
  EXPECT_EQ(json::serialize(again), json::serialize(first));
  EXPECT_EQ(again.at("computed_at").as_string(), computed_at);
  EXPECT_EQ(h().count("SELECT COUNT(*) FROM report_month_snapshots"), 1);

  // The live view (staff) sees the data as it is now.
  auto staff = h().login("teacher", "teacher123");
  auto live = h().get("/api/v1/stats/monthly?hall=" + std::to_string(hall_id_) + "&month=2030-02", &staff);
  ASSERT_EQ(live.status, 200) << live.body;
  EXPECT_EQ(live.json().at("volume").at("served").as_int64(), 3);
  EXPECT_EQ(live.json().at("on_time").at("completed_late").as_int64(), 1);

  auto list = h().get("/api/v1/public/stats/months?hall=" + std::to_string(hall_id_));
  bool seen = false;
  auto list_json = list.json();
  for (const auto& m : list_json.at("items").as_array())
    if (m.at("month").as_string() == "2030-02") {
      seen = true;
      EXPECT_TRUE(m.at("published").as_bool());
      EXPECT_EQ(m.at("computed_at").as_string(), computed_at);
    }
  EXPECT_TRUE(seen);
}

TEST_P(ReportsApi, ReportFiguresAreNullWithAReasonWithoutData) {
  PinnedClock pin("2030-03-05T09:00:00");
  auto f = monthly("2030-01");
  EXPECT_EQ(f.at("volume").at("served").as_int64(), 0);
  EXPECT_TRUE(f.at("times").at("average_wait_minutes").is_null());
  EXPECT_TRUE(f.at("times").at("average_service_minutes").is_null());
  EXPECT_EQ(f.at("times").at("reason").at("code").as_string(), "no_tickets");
  EXPECT_TRUE(f.at("on_time").at("rate").is_null());
  EXPECT_EQ(f.at("on_time").at("reason").at("code").as_string(), "no_cases");
  EXPECT_TRUE(f.at("accuracy").at("rate").is_null());
  EXPECT_EQ(f.at("accuracy").at("reason").at("code").as_string(), "no_documents");
  EXPECT_FALSE(std::string(f.at("accuracy").at("reason").at("message").as_string()).empty());
  EXPECT_TRUE(f.at("satisfaction").at("rate").is_null());
  EXPECT_EQ(f.at("volume").at("by_day").as_array().size(), 31u);
}

TEST_P(ReportsApi, ReportBadInputIsRefused) {
  PinnedClock pin("2030-03-05T09:00:00");
  auto before = h().table_counts();
  std::string hq = "hall=" + std::to_string(hall_id_);
  struct Case {
    std::string query;
    int status;
    std::string code, field;
  };
  for (const auto& c : std::vector<Case>{
           {hq + "&month=2030-13", 400, "invalid_month", "month"},
           {hq + "&month=2030-2", 400, "invalid_month", "month"},
           {hq + "&month=abc", 400, "invalid_month", "month"},
           {hq + "&month=2030-02-01", 400, "invalid_month", "month"},
           {hq, 400, "missing_parameter", "month"},
           {"hall=abc&month=2030-02", 400, "", "hall"},
           {"hall=0&month=2030-02", 400, "", "hall"},
           {"hall=999999&month=2030-02", 404, "hall_not_found", ""},
           {hq + "&month=2001-01", 404, "month_not_available", ""},
       }) {
    auto r = h().get("/api/v1/public/stats/monthly?" + c.query);
    EXPECT_EQ(r.status, c.status) << c.query << " " << r.body;
    if (!c.code.empty()) {
      EXPECT_EQ(r.error_code(), c.code) << c.query;
    }
    if (!c.field.empty()) {
      EXPECT_EQ(r.error_field(), c.field) << c.query;
    }
  }
  EXPECT_EQ(h().get("/api/v1/public/stats/months?hall=999999").status, 404);
  EXPECT_EQ(h().get("/api/v1/public/stats/months?hall=x").status, 400);
  EXPECT_EQ(h().table_counts(), before);

  // The live view: staff only.
  EXPECT_EQ(h().get("/api/v1/stats/monthly?" + hq).status, 401);
  auto student = h().login("2023001005", "student123");
  EXPECT_EQ(h().get("/api/v1/stats/monthly?" + hq, &student).status, 403);
  auto staff = h().login("staff01", "staff123");
  EXPECT_EQ(h().get("/api/v1/stats/monthly?" + hq + "&month=2030-1", &staff).error_code(), "invalid_month");
  EXPECT_EQ(h().get("/api/v1/stats/monthly?" + hq, &staff).status, 200);
}

TEST_P(ReportsApi, ReportDemoHistoryFillsThePreviousMonth) {
  // The queue's demo seed made served tickets on the five weekdays before the real today.
  ASSERT_GT(h().count("SELECT COUNT(*) FROM queue_tickets WHERE is_demo = 1"), 0);
  Millis now = Clock::now();
  Month prev = Month::of(now, 480).prev();
  long long before = h().count(fmt::format("SELECT COUNT(*) FROM queue_tickets WHERE taken_at >= {} AND taken_at < {}",
                                           prev.start(480), prev.end(480)));
  // Only on the hall's working days: with none, nothing is added.
  EXPECT_EQ(h().app().db->write([&](soci::session& s) {
    return reports::seed_demo_history(s, hall_id_, now, 480, [](const std::string&) { return false; });
  }), 0);
  int added = h().app().db->write([&](soci::session& s) { return reports::seed_demo_history(s, hall_id_, now, 480); });
  if (before) {
    EXPECT_EQ(added, 0);  // the queue's history already reaches into the previous month
  } else {
    EXPECT_GT(added, 0);
  }
  // Idempotent.
  EXPECT_EQ(h().app().db->write([&](soci::session& s) { return reports::seed_demo_history(s, hall_id_, now, 480); }), 0);
  auto f = monthly(prev.to_string());
  EXPECT_GT(f.at("volume").at("served").as_int64(), 0);
  EXPECT_TRUE(f.at("includes_demo_data").as_bool());
  EXPECT_FALSE(f.at("times").at("average_wait_minutes").is_null());
}

INSTANTIATE_TEST_SUITE_P(Backends, ReportsApi, ::testing::ValuesIn(backends()), backend_name);

}  // namespace
}  // namespace hall::test
