// The queue over HTTP on every backend (docs/queue-contract.md): taking a
// number at the kiosk and on the phone, idempotency, refusals, the window
// flows, green channel (B6.5), appointments, boards and live status over SSE,
// permissions, bad input leaving the database unchanged.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <atomic>
#include <mutex>
#include <set>

#include "queue/routes.hpp"
#include "queue/service.hpp"
#include "fixtures.hpp"

namespace hall::test {
namespace {

using namespace hall::test::queue;

class QueueApi : public HallTest {
 protected:
  void SetUp() override { start_at(kWednesday10); }
  Session student(int n) { return h().login(fmt::format("2023001{:03d}", n), "student123"); }
  std::string student_no(int n) { return fmt::format("2023001{:03d}", n); }
  HttpResponse call_next(const Session& s, long long window) {
    return h().post("/api/v1/windows/" + std::to_string(window) + "/call-next", json::object{}, &s);
  }
  HttpResponse act(const Session& s, long long ticket, const std::string& what, json::object body = {}) {
    return h().post("/api/v1/tickets/" + std::to_string(ticket) + "/" + what, body, &s);
  }
  Session open_window(const std::string& login, int number) {
    Session s = h().login(login, login == "admin" ? "admin123" : login == "teacher" ? "teacher123" : "staff123");
    auto r = h().post("/api/v1/windows/" + std::to_string(window_id(h(), number)) + "/session", json::object{}, &s);
    EXPECT_EQ(r.status, 201) << r.body;
    return s;
  }
  long long take_id(long long item, int student, const std::string& key = "") {
    auto r = take(h(), kiosk(), item, student_no(student), key.empty() ? fmt::format("take-key-{}-{}", item, student) : key);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? r.json().at("id").as_int64() : 0;
  }
};

TEST_P(QueueApi, TakeANumberAtTheKioskWithStudentNoAndCardAndOnThePhone) {
  long long item = item_id(h(), "JWC-001");
  // 学号 at the kiosk.
  auto r = take(h(), kiosk(), item, student_no(1), "kiosk-key-0001");
  ASSERT_EQ(r.status, 201) << r.body;
  auto t = r.json();
  EXPECT_EQ(str(t, "number"), "A001");
  EXPECT_EQ(str(t, "status"), "waiting");
  EXPECT_EQ(str(t, "channel"), "kiosk");
  EXPECT_EQ(str(t, "queue_group"), "A");
  EXPECT_EQ(str(t, "item_name"), "在读证明");
  EXPECT_EQ(t.at("people_ahead").as_int64(), 0);
  EXPECT_EQ(t.at("item_version_id").as_int64(),
            h().count("SELECT current_version_id FROM catalog_items WHERE id = " + std::to_string(item)));
  EXPECT_GE(str(t, "status_token").size(), 40u);
  EXPECT_EQ(str(t, "status_url"), "/t/" + str(t, "status_token"));
  EXPECT_EQ(t.at("windows").as_array().size(), 2u);  // windows 2 and 9 serve 在读证明
  EXPECT_FALSE(t.as_object().contains("student"));   // a kiosk is not staff
  // Campus card number at the kiosk: student 2's card.
  std::string card = h().app().db->read([](soci::session& s) {
    std::string c;
    s << "SELECT card_no FROM students WHERE student_no = '2023001002'", soci::into(c);
    return c;
  });
  r = take(h(), kiosk(), item, card, "kiosk-key-0002");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(str(r.json(), "number"), "A002");
  EXPECT_EQ(r.json().at("people_ahead").as_int64(), 1);
  EXPECT_GT(r.json().at("estimated_wait_minutes").as_int64(), 0);
  // A student on the phone: own ticket, sees their own record.
  Session s3 = student(3);
  r = take(h(), s3, item, "", "phone-key-0003");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(str(r.json(), "channel"), "mobile");
  EXPECT_EQ(str(r.json().at("student"), "student_no"), student_no(3));
  // …and may name themself, but nobody else.
  r = take(h(), s3, item_id(h(), "JWC-002"), student_no(4), "phone-key-0004");
  EXPECT_EQ(r.status, 403) << r.body;
  auto mine = h().get("/api/v1/tickets/mine", &s3);
  ASSERT_EQ(mine.status, 200);
  EXPECT_EQ(mine.json().at("items").as_array().size(), 1u);
  // Each group has its own sequence.
  r = take(h(), kiosk(), item_id(h(), "CWC-001"), student_no(5), "kiosk-key-0005");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(str(r.json(), "number"), "B001");
  EXPECT_EQ(h().count("SELECT COUNT(*) FROM audit_log WHERE action = 'queue.ticket.take'"), 4);
}

TEST_P(QueueApi, SameIdempotencyKeyGivesTheSameTicket) {
  long long item = item_id(h(), "JWC-001");
  auto a = take(h(), kiosk(), item, student_no(1), "double-tap-1");
  auto b = take(h(), kiosk(), item, student_no(1), "double-tap-1");
  ASSERT_EQ(a.status, 201) << a.body;
  ASSERT_EQ(b.status, 200) << b.body;
  EXPECT_EQ(a.json().at("id"), b.json().at("id"));
  EXPECT_EQ(h().count("SELECT COUNT(*) FROM queue_tickets WHERE is_demo = 0"), 1);
  // A new key for the same item: the student already holds a number.
  auto c = take(h(), kiosk(), item, student_no(1), "double-tap-2");
  EXPECT_EQ(c.status, 409);
  EXPECT_EQ(c.error_code(), "already_holding_ticket");
  // The key is required and bounded.
  EXPECT_EQ(take(h(), kiosk(), item, student_no(2), "").error_code(), "missing_idempotency_key");
  EXPECT_EQ(take(h(), kiosk(), item, student_no(2), "short").error_code(), "invalid_idempotency_key");
  EXPECT_EQ(take(h(), kiosk(), item, student_no(2), std::string(101, 'k')).status, 400);
  // Many identical requests at once still make one ticket.
  std::vector<std::thread> threads;
  std::atomic<int> created{0}, same{0};
  for (int i = 0; i < 8; ++i)
    threads.emplace_back([&] {
      auto r = take(h(), kiosk(), item, student_no(7), "burst-key-7");
      if (r.status == 201) ++created;
      else if (r.status == 200) ++same;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(created.load(), 1);
  EXPECT_EQ(same.load(), 7);
  EXPECT_EQ(h().count("SELECT COUNT(*) FROM queue_tickets WHERE is_demo = 0 AND student_id = (SELECT user_id FROM students WHERE "
                      "student_no = '2023001007')"),
            1);
}

TEST_P(QueueApi, RefusalsTableLeaveTheDatabaseUnchanged) {
  long long normal = item_id(h(), "JWC-001");
  long long suspended = make_item(h(), {.code = "T-SUSP", .prefix = "S", .suspended = true});
  long long online = make_item(h(), {.code = "T-ONLINE", .prefix = "O", .windows = {}, .mode = "online"});
  long long period = make_item(h(), {.code = "T-PERIOD", .prefix = "P", .periods_json = R"([{"from":"2026-09-01","to":"2026-09-30","note":"九月"}])"});
  long long quota = make_item(h(), {.code = "T-QUOTA", .prefix = "U", .quota = 1});
  ASSERT_EQ(take(h(), kiosk(), quota, student_no(1), "quota-first").status, 201);
  ASSERT_EQ(take(h(), kiosk(), normal, student_no(2), "holding-first").status, 201);
  struct Row {
    const char* name;
    const char* clock;
    long long item;
    int student;
    int status;
    const char* code;
  } rows[] = {
      {"Sunday", "2026-11-29T10:00:00", normal, 3, 409, "hall_closed"},
      {"National Day", "2026-10-01T10:00:00", normal, 3, 409, "hall_closed"},
      {"after hours", "2026-11-25T18:00:00", normal, 3, 409, "hall_closed"},
      {"lunch break", "2026-11-25T12:30:00", normal, 3, 409, "hall_closed"},
      {"closing within 15 minutes", "2026-11-25T11:50:00", normal, 3, 409, "hall_closed"},
      {"summer closure", "2026-07-20T10:00:00", normal, 3, 409, "hall_closed"},
      {"suspended item", kWednesday10, suspended, 3, 409, "item_suspended"},
      {"online-only item", kWednesday10, online, 3, 422, "item_not_served_today"},
      {"application period over", kWednesday10, period, 3, 422, "application_period_over"},
      {"daily quota reached", kWednesday10, quota, 3, 409, "daily_quota_reached"},
      {"already holding a ticket", kWednesday10, normal, 2, 409, "already_holding_ticket"},
      {"unknown student", kWednesday10, normal, 999, 404, "student_not_found"},
      {"unknown item", kWednesday10, 987654, 3, 404, "item_not_found"},
  };
  auto before = h().table_counts();
  int n = 0;
  for (const auto& r : rows) {
    SCOPED_TRACE(r.name);
    Clock::pin(at(r.clock));
    auto resp = take(h(), kiosk(), r.item, student_no(r.student), fmt::format("refused-{:03d}", n++));
    EXPECT_EQ(resp.status, r.status) << resp.body;
    EXPECT_EQ(resp.error_code(), r.code) << resp.body;
    EXPECT_FALSE(str(resp.json().at("error"), "message").empty());
  }
  Clock::pin(at(kWednesday10));
  // Bad input: wrong types, unknown fields, no body.
  Session kio = kiosk();
  EXPECT_EQ(h().send("POST", "/api/v1/tickets", R"({"item_id":"x"})", &kio, {{"Idempotency-Key", "bad-input-1"}}).error_field(), "item_id");
  EXPECT_EQ(h().send("POST", "/api/v1/tickets", R"({"item_id":1,"evil":1})", &kio, {{"Idempotency-Key", "bad-input-2"}}).error_code(), "unknown_field");
  EXPECT_EQ(h().send("POST", "/api/v1/tickets", R"({"item_id":1})", &kio, {{"Idempotency-Key", "bad-input-3"}}).error_field(), "student_no");
  EXPECT_EQ(h().send("POST", "/api/v1/tickets", "{", &kio, {{"Idempotency-Key", "bad-input-4"}}).status, 400);
  EXPECT_EQ(h().table_counts(), before);
  // English messages on request.
  auto en = h().send("POST", "/api/v1/tickets", json::serialize(json::object{{"item_id", quota}, {"student_no", student_no(4)}}),
                     &kio, {{"Idempotency-Key", "english-1"}, {"Accept-Language", "en"}});
  EXPECT_NE(str(en.json().at("error"), "message").find("numbers"), std::string::npos) << en.body;
  // Devices that are not kiosks, and staff without a student number, cannot take numbers.
  EXPECT_EQ(take(h(), board_device(), normal, student_no(5), "board-take-1").status, 403);
  Session staff = h().login("staff01", "staff123");
  EXPECT_EQ(take(h(), staff, normal, "", "staff-take-1").error_field(), "student_no");
  // A cancelled ticket frees the student to take a new one.
  Session s2 = student(2);
  long long held = h().count("SELECT id FROM queue_tickets WHERE is_demo = 0 AND item_id = " + std::to_string(normal));
  ASSERT_EQ(act(s2, held, "cancel").status, 200);
  EXPECT_EQ(take(h(), kiosk(), normal, student_no(2), "after-cancel").status, 201);
}

TEST_P(QueueApi, CallRecallStartFinishAtAWindow) {
  long long item = item_id(h(), "JWC-002");  // served at window 2 only
  long long t1 = take_id(item, 1), t2 = take_id(item, 2);
  Session st = open_window("staff01", 2);
  long long w2 = window_id(h(), 2);
  auto r = call_next(st, w2);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json().at("id").as_int64(), t1);
  EXPECT_EQ(str(r.json(), "status"), "called");
  EXPECT_EQ(r.json().at("window_number").as_int64(), 2);
  EXPECT_EQ(str(r.json().at("student"), "student_no"), student_no(1));  // staff see the student's record
  // One ticket at a time.
  EXPECT_EQ(call_next(st, w2).error_code(), "ticket_in_progress");
  r = h().post("/api/v1/windows/" + std::to_string(w2) + "/recall", json::object{}, &st);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json().at("recalls").as_int64(), 1);
  EXPECT_EQ(h().count("SELECT COUNT(*) FROM queue_calls WHERE recall = 1"), 1);
  // Finish before start is refused, naming the status.
  r = act(st, t1, "finish", {{"outcome", "done"}});
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(r.error_code(), "invalid_transition");
  EXPECT_NE(str(r.json().at("error"), "message").find("已叫号"), std::string::npos);
  ASSERT_EQ(act(st, t1, "start").status, 200);
  EXPECT_EQ(act(st, t1, "finish", {{"outcome", "great"}}).error_field(), "outcome");
  r = act(st, t1, "finish", {{"outcome", "needs_materials"}, {"note", "缺身份证复印件"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(str(r.json(), "status"), "done");
  EXPECT_EQ(str(r.json(), "outcome"), "needs_materials");
  for (const char* col : {"taken_at", "called_at", "started_at", "finished_at"})
    EXPECT_EQ(h().count(fmt::format("SELECT COUNT(*) FROM queue_tickets WHERE id = {} AND {} IS NOT NULL", t1, col)), 1) << col;
  // The console shows the queue and the day's count.
  auto con = h().get("/api/v1/windows/" + std::to_string(w2) + "/console", &st);
  ASSERT_EQ(con.status, 200) << con.body;
  EXPECT_EQ(con.json().at("served_today").as_int64(), 1);
  EXPECT_EQ(con.json().at("queue").as_array().size(), 1u);
  EXPECT_EQ(con.json().at("queue").as_array()[0].at("id").as_int64(), t2);
  EXPECT_TRUE(con.json().at("current").is_null());
  ASSERT_EQ(call_next(st, w2).status, 200);
  ASSERT_EQ(act(st, t2, "no-show").status, 200);
  r = call_next(st, w2);
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.error_code(), "queue_empty");
  // Pause, resume, close.
  r = h().post("/api/v1/windows/" + std::to_string(w2) + "/pause", json::object{{"reason", "午间交接"}}, &st);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(r.json().at("session").at("paused").as_bool());
  EXPECT_EQ(call_next(st, w2).error_code(), "window_paused");
  ASSERT_EQ(h().post("/api/v1/windows/" + std::to_string(w2) + "/resume", json::object{}, &st).status, 200);
  EXPECT_EQ(h().send("DELETE", "/api/v1/windows/" + std::to_string(w2) + "/session", "", &st).status, 204);
  EXPECT_EQ(call_next(st, w2).error_code(), "window_not_open");
  EXPECT_GE(h().count("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'queue.%'"), 10);
}

TEST_P(QueueApi, NoShowRejoinsOnceAfterTheNextThree) {
  long long item = item_id(h(), "JWC-002");
  std::vector<long long> t;
  for (int i = 1; i <= 6; ++i) t.push_back(take_id(item, i));
  Session st = open_window("staff01", 2);
  long long w2 = window_id(h(), 2);
  ASSERT_EQ(call_next(st, w2).json().at("id").as_int64(), t[0]);
  ASSERT_EQ(act(st, t[0], "no-show").status, 200);
  auto r = act(st, t[0], "rejoin");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(str(r.json(), "status"), "waiting");
  EXPECT_TRUE(r.json().at("rejoined").as_bool());
  EXPECT_EQ(r.json().at("people_ahead").as_int64(), 3);
  // Called after t[1], t[2], t[3], before t[4].
  std::vector<long long> order;
  for (int i = 0; i < 3; ++i) {
    order.push_back(call_next(st, w2).json().at("id").as_int64());
    act(st, order.back(), "no-show");
  }
  order.push_back(call_next(st, w2).json().at("id").as_int64());
  EXPECT_EQ(order, (std::vector<long long>{t[1], t[2], t[3], t[0]}));
  ASSERT_EQ(act(st, t[0], "no-show").status, 200);
  r = act(st, t[0], "rejoin");
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(r.error_code(), "rejoin_used");
  EXPECT_EQ(act(st, t[5], "rejoin").error_code(), "invalid_transition");
}

TEST_P(QueueApi, TransferKeepsTheTakeTimeAndGoesToTheOtherWindow) {
  long long item = item_id(h(), "JWC-001");  // windows 2 and 9
  long long t1 = take_id(item, 1);
  long long t2 = take_id(item, 2);
  Session s2 = open_window("staff01", 2);
  Session s1 = open_window("staff02", 1);
  long long w1 = window_id(h(), 1), w2 = window_id(h(), 2);
  ASSERT_EQ(call_next(s2, w2).json().at("id").as_int64(), t1);
  EXPECT_EQ(act(s2, t1, "transfer", {}).error_field(), "window_id");
  auto r = act(s2, t1, "transfer", {{"window_id", w1}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(str(r.json(), "status"), "waiting");
  EXPECT_FALSE(r.json().at("transferred_at").is_null());
  long long taken = h().count("SELECT taken_at FROM queue_tickets WHERE id = " + std::to_string(t1));
  EXPECT_EQ(taken, at(kWednesday10));
  // Window 2 no longer gets it; window 1 (which does not serve the item) does, before newer tickets.
  ASSERT_EQ(call_next(s2, w2).json().at("id").as_int64(), t2);
  r = call_next(s1, w1);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json().at("id").as_int64(), t1);
  // Transfer to another item: the number stays, the group follows the item.
  r = act(s1, t1, "transfer", {{"item_id", item_id(h(), "CWC-001")}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(str(r.json(), "number"), "A001");
  EXPECT_EQ(str(r.json(), "queue_group"), "B");
  // Staff of another unit may not act on it.
  Session other = h().login("staff03", "staff123");
  EXPECT_EQ(act(other, t2, "start").status, 403);
}

TEST_P(QueueApi, GreenChannelIsServedFirstAndAudited) {
  long long item = item_id(h(), "JWC-002");
  long long t1 = take_id(item, 1), t2 = take_id(item, 2), t3 = take_id(item, 3);
  Session st = h().login("staff01", "staff123");
  auto reasons = h().get("/api/v1/queue/green-reasons", &st);
  ASSERT_EQ(reasons.status, 200);
  EXPECT_GE(reasons.json().at("items").as_array().size(), 5u);
  EXPECT_EQ(act(st, t3, "green-channel", {{"reason_code", "other"}}).error_field(), "reason_text");
  EXPECT_EQ(act(st, t3, "green-channel", {{"reason_code", "vip"}}).error_field(), "reason_code");
  Session s1 = student(1);
  EXPECT_EQ(act(s1, t3, "green-channel", {{"reason_code", "illness"}}).status, 403);
  auto r = act(st, t3, "green-channel", {{"reason_code", "illness"}, {"reason_text", "腿部骨折"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(r.json().at("green_channel").as_bool());
  EXPECT_EQ(r.json().at("people_ahead").as_int64(), 0);
  EXPECT_EQ(act(st, t3, "green-channel", {{"reason_code", "illness"}}).error_code(), "already_green");
  Session teacher = h().login("teacher", "teacher123");
  ASSERT_EQ(act(teacher, t2, "green-channel", {{"reason_code", "urgent_deadline"}}).status, 200);
  EXPECT_EQ(h().count("SELECT COUNT(*) FROM queue_green_marks"), 2);
  EXPECT_EQ(h().count("SELECT COUNT(*) FROM audit_log WHERE action = 'queue.ticket.green_channel'"), 2);
  h().post("/api/v1/windows/" + std::to_string(window_id(h(), 2)) + "/session", json::object{}, &st);
  std::vector<long long> order;
  for (int i = 0; i < 3; ++i) {
    auto c = call_next(st, window_id(h(), 2));
    order.push_back(c.json().at("id").as_int64());
    act(st, order.back(), "no-show");
  }
  EXPECT_EQ(order, (std::vector<long long>{t2, t3, t1}));  // green, oldest green first, then the rest
}

TEST_P(QueueApi, AppointmentsBookCheckInOrderAndNoShow) {
  long long item = item_id(h(), "JWC-002");
  h().app().db->write([&](soci::session& s) {
    long long i = item, now = Clock::now();
    s << "INSERT INTO queue_slot_config (item_id, slot_minutes, capacity, enabled, updated_at) VALUES (:i, 30, 1, 1, :t)",
        soci::use(i), soci::use(now);
  });
  auto slots = h().get(fmt::format("/api/v1/appointments/slots?item_id={}&date=2026-11-25", item), nullptr);
  EXPECT_EQ(slots.status, 401);
  Session s1 = student(1), s2 = student(2), s3 = student(3);
  slots = h().get(fmt::format("/api/v1/appointments/slots?item_id={}&date=2026-11-25", item), &s1);
  ASSERT_EQ(slots.status, 200) << slots.body;
  auto items = slots.json().at("items").as_array();
  ASSERT_FALSE(items.empty());
  EXPECT_EQ(str(items[0], "start"), "2026-11-25T02:00:00.000Z");  // 10:00 local: earlier slots are over
  EXPECT_EQ(items[0].at("capacity").as_int64(), 1);
  auto book = [&](const Session& s, const std::string& local) {
    return h().post("/api/v1/appointments",
                    json::object{{"item_id", item}, {"slot_start", iso8601_utc(at(local))}}, &s);
  };
  auto b1 = book(s1, "2026-11-25T10:30:00");
  ASSERT_EQ(b1.status, 201) << b1.body;
  EXPECT_EQ(str(b1.json(), "status"), "booked");
  EXPECT_EQ(book(s2, "2026-11-25T10:30:00").error_code(), "slot_full");
  EXPECT_EQ(book(s1, "2026-11-25T11:00:00").error_code(), "already_booked");
  EXPECT_EQ(book(s2, "2026-11-25T10:31:00").error_code(), "invalid_slot");
  EXPECT_EQ(book(s2, "2026-11-29T10:00:00").error_code(), "invalid_slot");  // Sunday
  auto b3 = book(s3, "2026-11-25T11:00:00");
  ASSERT_EQ(b3.status, 201) << b3.body;
  Session kio = kiosk();
  EXPECT_EQ(h().post("/api/v1/appointments", json::object{{"item_id", item}, {"slot_start", iso8601_utc(at("2026-11-25T11:30:00"))}}, &kio).status, 403);
  // A walk-in takes a number at 10:20; the appointment checks in at 10:35 and is called first.
  Clock::pin(at("2026-11-25T10:20:00"));
  long long walk_in = take_id(item, 4);
  Clock::pin(at("2026-11-25T10:35:00"));
  long long appt = b1.json().at("id").as_int64();
  Session chk = checkin_device();
  EXPECT_EQ(h().post(fmt::format("/api/v1/appointments/{}/check-in", appt), json::object{{"student_no", student_no(2)}}, &chk).status, 403);
  auto ci = h().post(fmt::format("/api/v1/appointments/{}/check-in", appt), json::object{{"student_no", student_no(1)}}, &chk);
  ASSERT_EQ(ci.status, 201) << ci.body;
  EXPECT_EQ(str(ci.json(), "slot_start"), iso8601_utc(at("2026-11-25T10:30:00")));
  EXPECT_EQ(ci.json().at("people_ahead").as_int64(), 0);
  Session st = open_window("staff01", 2);
  auto c = call_next(st, window_id(h(), 2));
  EXPECT_EQ(c.json().at("id").as_int64(), ci.json().at("id").as_int64());
  act(st, c.json().at("id").as_int64(), "no-show");
  EXPECT_EQ(call_next(st, window_id(h(), 2)).json().at("id").as_int64(), walk_in);
  // Student 3 never comes: after 11:30 + 15 min the appointment is a no-show.
  Clock::pin(at("2026-11-25T11:46:00"));
  auto mine = h().get("/api/v1/appointments/mine", &s3);
  ASSERT_EQ(mine.status, 200) << mine.body;
  EXPECT_EQ(str(mine.json().at("items").as_array()[0], "status"), "no_show");
  EXPECT_EQ(h().post(fmt::format("/api/v1/appointments/{}/check-in", b3.json().at("id").as_int64()), json::object{}, &s3)
                .error_code(),
            "appointment_no_show");
  // Cancel frees the place.
  Clock::pin(at(kWednesday10));
  auto b2 = book(s2, "2026-11-26T10:00:00");
  ASSERT_EQ(b2.status, 201) << b2.body;
  EXPECT_EQ(h().post(fmt::format("/api/v1/appointments/{}/cancel", b2.json().at("id").as_int64()), json::object{}, &s1).status, 403);
  ASSERT_EQ(h().post(fmt::format("/api/v1/appointments/{}/cancel", b2.json().at("id").as_int64()), json::object{}, &s2).status, 200);
  EXPECT_EQ(book(s3, "2026-11-26T10:00:00").status, 201);
}

TEST_P(QueueApi, BoardSnapshotAndLiveCalledEvent) {
  long long item = item_id(h(), "JWC-002");
  long long t1 = take_id(item, 1);
  Session board = board_device();
  auto snap = h().get("/api/v1/halls/1/board", &board);
  ASSERT_EQ(snap.status, 200) << snap.body;
  bool found = false;
  auto snap_json = snap.json();
  for (const auto& g : snap_json.at("waiting").as_array())
    if (str(g, "group") == "A") {
      EXPECT_EQ(g.at("count").as_int64(), 1);
      EXPECT_NE(str(g, "name").find("教务处"), std::string::npos);
      found = true;
    }
  EXPECT_TRUE(found);
  EXPECT_FALSE(snap.json().at("announcements").as_array().empty());
  // The board's stream: snapshot first, then the call, within a second.
  SseReader sse(h().port(), "/api/v1/halls/1/board/events", board.token);
  ASSERT_TRUE(sse.wait_for("event: snapshot")) << sse.text();
  // The ticket's status page, by token, without login.
  std::string token = h().app().db->read([&](soci::session& s) {
    std::string tok;
    s << "SELECT status_token FROM queue_tickets WHERE id = :id", soci::use(t1), soci::into(tok);
    return tok;
  });
  SseReader status(h().port(), "/api/v1/public/tickets/" + token + "/events");
  ASSERT_TRUE(status.wait_for("event: snapshot")) << status.text();
  sse.consume();
  status.consume();
  Session st = open_window("staff01", 2);
  auto started = std::chrono::steady_clock::now();
  ASSERT_EQ(call_next(st, window_id(h(), 2)).status, 200);
  ASSERT_TRUE(sse.wait_for("event: called", 1000)) << sse.text();
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(1));
  auto called = json::parse(sse.last_data("called"));
  EXPECT_EQ(str(called, "ticket_number"), "A001");
  EXPECT_EQ(str(called, "spoken"), "请 A001 号到 2 号窗口办理");
  EXPECT_FALSE(called.at("recall").as_bool());
  ASSERT_TRUE(status.wait_for("event: ticket", 1000)) << status.text();
  auto ticket = json::parse(status.last_data("ticket"));
  EXPECT_EQ(str(ticket, "status"), "called");
  EXPECT_EQ(ticket.at("window_number").as_int64(), 2);
  EXPECT_EQ(str(ticket, "message"), "请到 2 号窗口办理");
  // The waiting counts follow within a second.
  ASSERT_TRUE(sse.wait_for("event: waiting", 1500)) << sse.text();
  // A reconnecting board catches up from its Last-Event-ID.
  auto after = h().get("/api/v1/halls/1/board", &board);
  EXPECT_EQ(str(after.json().at("calls").as_array()[0], "ticket_number"), "A001");
  EXPECT_TRUE(after.json().at("calls").as_array()[0].at("called_at").is_string());
}

TEST_P(QueueApi, PermissionsStudentsBoardsAndPublicStatus) {
  long long item = item_id(h(), "JWC-002");
  Session s1 = student(1), s2 = student(2);
  auto r = take(h(), s1, item, "", "perm-key-0001");
  ASSERT_EQ(r.status, 201);
  long long t1 = r.json().at("id").as_int64();
  std::string token = str(r.json(), "status_token");
  // A student cannot call, cannot see another student's ticket, cannot open a window.
  EXPECT_EQ(call_next(s1, window_id(h(), 2)).status, 403);
  EXPECT_EQ(h().get("/api/v1/tickets/" + std::to_string(t1), &s2).status, 403);
  EXPECT_EQ(h().get("/api/v1/tickets/" + std::to_string(t1), &s1).status, 200);
  EXPECT_EQ(act(s2, t1, "cancel").status, 403);
  EXPECT_EQ(h().get("/api/v1/tickets", &s1).status, 403);
  EXPECT_EQ(h().get("/api/v1/halls/1/board", &s1).status, 403);
  // Staff see the ticket with the student's record; the list filters by status.
  Session st = h().login("staff01", "staff123");
  auto one = h().get("/api/v1/tickets/" + std::to_string(t1), &st);
  EXPECT_EQ(str(one.json().at("student"), "student_no"), student_no(1));
  auto list = h().get("/api/v1/tickets?status=waiting&date=2026-11-25", &st);
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(list.json().at("total").as_int64(), 1);
  EXPECT_EQ(h().get("/api/v1/tickets?status=sleeping", &st).error_field(), "status");
  EXPECT_EQ(h().get("/api/v1/tickets?date=2026-13-01", &st).error_field(), "date");
  // Staff of another unit cannot open a window of this one; the teacher can.
  Session cw = h().login("staff03", "staff123");
  auto o = h().post("/api/v1/windows/" + std::to_string(window_id(h(), 2)) + "/session", json::object{}, &cw);
  EXPECT_EQ(o.status, 403);
  EXPECT_EQ(o.error_code(), "window_not_yours");
  EXPECT_EQ(h().get("/api/v1/windows/" + std::to_string(window_id(h(), 2)) + "/console", &cw).error_code(), "window_not_yours");
  open_window("teacher", 2);
  auto dup = h().post("/api/v1/windows/" + std::to_string(window_id(h(), 2)) + "/session", json::object{}, &st);
  EXPECT_EQ(dup.status, 409);
  // The staff member who did not open the window cannot call at it.
  EXPECT_EQ(call_next(st, window_id(h(), 2)).error_code(), "window_not_yours");
  // A board device sees only its own hall.
  h().app().db->write([](soci::session& s) {
    long long now = Clock::now();
    s << "INSERT INTO halls (code, name, created_at) VALUES ('south', '南校区大厅', :t)", soci::use(now);
  });
  Session board = board_device();
  EXPECT_EQ(h().get("/api/v1/halls/1/board", &board).status, 200);
  long long hall2 = h().count("SELECT id FROM halls WHERE code = 'south'");
  EXPECT_EQ(h().get(fmt::format("/api/v1/halls/{}/board", hall2), &board).status, 403);
  EXPECT_EQ(h().get(fmt::format("/api/v1/halls/{}/board/events", hall2), &board).status, 403);
  EXPECT_EQ(h().get(fmt::format("/api/v1/halls/{}/board", hall2), &st).status, 200);
  // Public status: by token only, never the student.
  auto pub = h().get("/api/v1/public/tickets/" + token);
  ASSERT_EQ(pub.status, 200) << pub.body;
  EXPECT_EQ(str(pub.json(), "number"), "A001");
  EXPECT_EQ(str(pub.json(), "status"), "waiting");
  EXPECT_FALSE(pub.json().as_object().contains("student"));
  EXPECT_EQ(pub.body.find(student_no(1)), std::string::npos);
  EXPECT_EQ(str(pub.json(), "message"), "您是下一位，请留意叫号");
  EXPECT_EQ(h().get("/api/v1/public/tickets/" + std::string(43, 'x')).status, 404);
  EXPECT_EQ(h().get("/api/v1/public/tickets/" + std::string(43, 'x') + "/events").status, 404);
  auto qr = h().get("/api/v1/public/tickets/" + token + "/qr.svg");
  ASSERT_EQ(qr.status, 200);
  EXPECT_EQ(qr.header("content-type"), "image/svg+xml");
  EXPECT_EQ(qr.body.rfind("<?xml", 0), 0u);
  EXPECT_NE(qr.body.find("<path"), std::string::npos);
  EXPECT_EQ(h().get("/api/v1/tickets/mine", &board).status, 403);
}

// A6: eight windows calling at once never get the same ticket, and no ticket is lost.
// The console's picker offers only the windows one may open (issue #11, item 8; A6): staff their
// own unit's, the teacher every window, the one a person is signed in at first; students none.
TEST_P(QueueApi, MyWindowsAreTheOnesICanOpen) {
  auto staff = h().login("staff01", "staff123");
  long long unit = h().count(
      "SELECT unit_id FROM staff WHERE user_id = (SELECT id FROM users WHERE login = 'staff01')");
  long long own = h().count("SELECT COUNT(*) FROM windows WHERE active = 1 AND unit_id = " +
                            std::to_string(unit));
  ASSERT_GE(own, 1);
  auto r = h().get("/api/v1/windows/mine", &staff);
  ASSERT_EQ(r.status, 200) << r.body;
  auto items = r.json().at("items").as_array();
  ASSERT_EQ(static_cast<long long>(items.size()), own) << r.body;
  for (const auto& w : items) {
    EXPECT_TRUE(w.at("own_unit").as_bool());
    EXPECT_EQ(
        h().get("/api/v1/windows/" + std::to_string(w.at("id").as_int64()) + "/console", &staff)
            .status,
        200);
  }
  // Every window refused to the console is absent from the list.
  long long refused = 0;
  for (long long n = 1; n <= 10; ++n)
    if (h().get("/api/v1/windows/" + std::to_string(window_id(h(), static_cast<int>(n))) +
                    "/console",
                &staff)
            .status == 403)
      ++refused;
  EXPECT_EQ(refused + own,
            h().count("SELECT COUNT(*) FROM windows WHERE hall_id = 1 AND active = 1"));

  // The teacher may open every window; the one they are signed in at comes first.
  Session teacher = open_window("teacher", 5);
  auto t = h().get("/api/v1/windows/mine?hall_id=1", &teacher);
  ASSERT_EQ(t.status, 200) << t.body;
  auto all = t.json().at("items").as_array();
  EXPECT_EQ(static_cast<long long>(all.size()),
            h().count("SELECT COUNT(*) FROM windows WHERE hall_id = 1 AND active = 1"));
  EXPECT_EQ(all[0].at("number").as_int64(), 5);
  EXPECT_TRUE(all[0].at("mine_now").as_bool());
  EXPECT_TRUE(all[0].at("session").is_object());
  for (std::size_t i = 1; i < all.size(); ++i) EXPECT_FALSE(all[i].at("mine_now").as_bool());

  auto stu = student(1);
  EXPECT_EQ(h().get("/api/v1/windows/mine", &stu).status, 403);
  Session k = kiosk();
  EXPECT_EQ(h().get("/api/v1/windows/mine", &k).status, 403);
  EXPECT_EQ(h().get("/api/v1/windows/mine").status, 401);
}

TEST_P(QueueApi, ConcurrentCallNextNeverDuplicatesNorLoses) {
  long long item = make_item(h(), {.code = "T-CONC", .prefix = "C", .windows = {1, 2, 3, 4, 5, 6, 7, 8}});
  const int tickets = 240;
  // Tickets straight into the store (the take path is tested above): all waiting, one group.
  h().app().db->write([&](soci::session& s) {
    long long version = 0, now = Clock::now();
    s << "SELECT current_version_id FROM catalog_items WHERE id = :i", soci::use(item), soci::into(version);
    for (int i = 1; i <= tickets; ++i) {
      long long student = 0;
      std::string no = fmt::format("2023001{:03d}", i), number = fmt::format("C{:03d}", i), token = fmt::format("conc-token-{:04d}-xxxxxxxxxxxxxxxxxxxx", i);
      s << "SELECT user_id FROM students WHERE student_no = :n", soci::use(no), soci::into(student);
      long long key = hall::queue::sort_key_for(now, i), seq = i;
      std::string date = "2026-11-25";
      s << "INSERT INTO queue_tickets (hall_id, service_date, number, seq, queue_group, item_id, item_version_id, "
           "student_id, channel, status, status_token, sort_key, taken_at) VALUES (1, :d, :n, :seq, 'C', :i, :v, :s, "
           "'kiosk', 'waiting', :tok, :k, :t)",
          soci::use(date), soci::use(number), soci::use(seq), soci::use(item), soci::use(version), soci::use(student),
          soci::use(token), soci::use(key), soci::use(now);
    }
  });
  const char* staff[] = {"staff02", "staff01", "staff03", "staff04", "staff05", "staff06", "staff07", "staff08"};
  std::vector<Session> sessions;
  for (int w = 1; w <= 8; ++w) sessions.push_back(open_window(staff[w - 1], w));
  std::mutex mu;
  std::vector<long long> got;
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int w = 1; w <= 8; ++w)
    threads.emplace_back([&, w] {
      long long wid = window_id(h(), w);
      for (;;) {
        auto r = call_next(sessions[w - 1], wid);
        if (r.status == 404 && r.error_code() == "queue_empty") break;
        if (r.status != 200) {
          ++errors;
          break;
        }
        long long id = r.json().at("id").as_int64();
        {
          std::lock_guard lock(mu);
          got.push_back(id);
        }
        if (act(sessions[w - 1], id, "no-show").status != 200) ++errors;
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(errors.load(), 0);
  std::set<long long> unique(got.begin(), got.end());
  EXPECT_EQ(unique.size(), got.size()) << "duplicates";
  EXPECT_EQ(static_cast<int>(got.size()), tickets) << "lost";
  EXPECT_EQ(h().count("SELECT COUNT(*) FROM queue_tickets WHERE status = 'no_show'"), tickets);
  EXPECT_EQ(h().count("SELECT COUNT(*) FROM queue_calls"), tickets);
  EXPECT_EQ(h().count("SELECT COUNT(*) FROM (SELECT ticket_id FROM queue_events WHERE kind = 'called' GROUP BY "
                      "ticket_id HAVING COUNT(*) > 1) x"),
            0);
}

// Concurrent takers across groups: numbers are never issued twice in a day.
TEST_P(QueueApi, ConcurrentTakesNeverRepeatANumber) {
  long long a = item_id(h(), "JWC-002"), b = item_id(h(), "CWC-001");
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int th = 0; th < 8; ++th)
    threads.emplace_back([&, th] {
      for (int i = 0; i < 15; ++i) {
        int student = 1 + th * 15 + i;
        auto r = take(h(), kiosk(), student % 2 ? a : b, fmt::format("2023001{:03d}", student), fmt::format("conc-take-{:04d}", student));
        if (r.status == 201) ++ok;
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 120);
  EXPECT_EQ(h().count("SELECT COUNT(DISTINCT number) FROM queue_tickets WHERE is_demo = 0"), 120);
  EXPECT_EQ(h().count("SELECT MAX(seq) FROM queue_tickets WHERE is_demo = 0 AND queue_group = 'A'"), 60);
  EXPECT_EQ(h().count("SELECT MAX(seq) FROM queue_tickets WHERE is_demo = 0 AND queue_group = 'B'"), 60);
}

INSTANTIATE_TEST_SUITE_P(Backends, QueueApi, ::testing::ValuesIn(backends()), backend_name);

}  // namespace
}  // namespace hall::test
