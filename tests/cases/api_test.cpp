// Cases over HTTP on every backend: intake from a finished ticket → materials
// → one-time notice → resubmission → acceptance → completion with the clock
// paused in between (B6.2, B6.3); a phone call referred to a named office and
// handler, the student's "could not reach" and the follow-up (B6.1); breach
// detection; green channel (B6.5); statistics; permissions (a student never
// sees another's case); bad input leaving the database unchanged.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "support/clock.hpp"
#include "courtesy/service.hpp"
#include "support/test_support.hpp"
#include "wiring/app.hpp"

namespace hall::test {
namespace {

class CasesApi : public HallTest, protected DemoPeople {
 protected:
  void SetUp() override {
    start_at(kMondayMorning);
    sign_in(h());
  }
  // Moves the pinned clock; sessions last 12 hours, so everyone signs in again.
  void advance(const std::string& local) {
    Clock::pin(at(local));
    sign_in(h());
  }
  long long item(const std::string& code) {
    return h().count("SELECT id FROM catalog_items WHERE code = '" + code + "'");
  }
  std::string path(long long id, const std::string& tail = "") { return "/api/v1/cases/" + std::to_string(id) + tail; }
  HttpResponse post(const std::string& p, const json::value& body, const Session& s) { return h().post(p, body, &s); }
  json::value get(long long id, const Session& s) {
    auto r = h().get(path(id), &s);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json();
  }
  // Walk-in intake of an item for student n.
  long long open_walk_in(const std::string& code, const std::string& student_no, const Session& s) {
    auto r = post("/api/v1/cases", json::object{{"channel", "walk_in"}, {"student_no", student_no}, {"item_id", item(code)},
                                                {"summary", "办理 " + code}}, s);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? r.json().at("id").as_int64() : 0;
  }
  json::array marks_all(const json::value& c, const std::string& mark) {
    json::array out;
    for (const auto& m : c.at("materials").as_array()) {
      std::string mk = mark;
      if (mark == "provided" && !m.at("required").as_bool()) mk = "not_applicable";
      out.push_back(json::object{{"material_id", m.at("material_id")}, {"mark", mk}});
    }
    return out;
  }
  std::string str(const json::value& v, const char* k) { return std::string(v.at(k).as_string()); }
};

TEST_P(CasesApi, TicketIntakeNoticeResubmissionAcceptanceCompletion) {
  // A finished ticket at window 1 (学生证补办 JWC-003: 5 working days, three materials).
  long long window = h().count("SELECT id FROM windows WHERE hall_id = 1 AND number = 1");
  ASSERT_EQ(h().post("/api/v1/windows/" + std::to_string(window) + "/session", json::object{}, &staff).status, 201);
  auto t = h().send("POST", "/api/v1/tickets", json::serialize(json::object{{"item_id", item("JWC-003")}}), &alice,
                    {{"Idempotency-Key", "case-test-ticket-1"}});
  ASSERT_EQ(t.status, 201) << t.body;
  long long ticket = t.json().at("id").as_int64();
  // Not finished yet: no case.
  auto early = post("/api/v1/cases", json::object{{"channel", "ticket"}, {"ticket_id", ticket}}, staff);
  EXPECT_EQ(early.status, 409);
  EXPECT_EQ(early.error_code(), "ticket_not_finished");
  ASSERT_EQ(h().post("/api/v1/windows/" + std::to_string(window) + "/call-next", json::object{}, &staff).status, 200);
  ASSERT_EQ(h().post("/api/v1/tickets/" + std::to_string(ticket) + "/start", json::object{}, &staff).status, 200);
  ASSERT_EQ(h().post("/api/v1/tickets/" + std::to_string(ticket) + "/finish", json::object{{"outcome", "needs_materials"}}, &staff).status, 200);

  auto r = post("/api/v1/cases", json::object{{"channel", "ticket"}, {"ticket_id", ticket}}, staff);
  ASSERT_EQ(r.status, 201) << r.body;
  json::value c = r.json();
  long long id = c.at("id").as_int64();
  EXPECT_EQ(str(c, "status"), "received");
  EXPECT_EQ(str(c.at("first_responder"), "name"), "李娟");  // B6.1
  EXPECT_EQ(str(c.at("student"), "student_no"), "2023001001");
  ASSERT_EQ(c.at("materials").as_array().size(), 3u);
  // One case per ticket.
  EXPECT_EQ(post("/api/v1/cases", json::object{{"channel", "ticket"}, {"ticket_id", ticket}}, staff).error_code(), "case_exists");

  // B6.2: no notice before every material is marked (422 naming them; nothing written).
  auto counts = h().table_counts();
  auto un = post(path(id, "/notices"), json::object{}, staff);
  EXPECT_EQ(un.status, 422);
  EXPECT_EQ(un.error_code(), "materials_unmarked");
  EXPECT_EQ(un.error_field(), "materials");
  EXPECT_NE(un.json().at("error").at("message").as_string().find("近期一寸免冠彩色照片"), std::string::npos);
  EXPECT_EQ(h().table_counts(), counts);

  // Mark: ID copy provided, photo defective, original card not applicable.
  auto mats = c.at("materials").as_array();
  long long m_id = mats[0].at("material_id").as_int64(), m_photo = mats[1].at("material_id").as_int64(),
            m_card = mats[2].at("material_id").as_int64();
  auto no_corr = h().send("PUT", path(id, "/materials"),
                          json::serialize(json::object{{"marks", json::array{json::object{{"material_id", m_photo}, {"mark", "defective"}}}}}), &staff);
  EXPECT_EQ(no_corr.status, 400);
  EXPECT_EQ(no_corr.error_field(), "marks[0].correction");
  auto m = h().send("PUT", path(id, "/materials"),
                    json::serialize(json::object{{"marks", json::array{
                        json::object{{"material_id", m_id}, {"mark", "provided"}},
                        json::object{{"material_id", m_photo}, {"mark", "defective"}, {"correction", "请提供蓝底一寸照片"}},
                        json::object{{"material_id", m_card}, {"mark", "not_applicable"}}}}}), &staff);
  ASSERT_EQ(m.status, 200) << m.body;

  // Preview shows the six parts before issuing.
  auto pv = post(path(id, "/notice-preview"), json::object{}, staff);
  ASSERT_EQ(pv.status, 200) << pv.body;
  EXPECT_TRUE(pv.json().at("ready").as_bool());
  EXPECT_EQ(pv.json().at("parts").at("defective").as_array().size(), 1u);

  auto n1 = post(path(id, "/notices"), json::object{{"remarks", "请您补正后再来，谢谢。"}}, staff);
  ASSERT_EQ(n1.status, 201) << n1.body;
  c = n1.json();
  EXPECT_EQ(str(c, "status"), "waiting_materials");
  ASSERT_EQ(c.at("notices").as_array().size(), 1u);
  json::value notice = c.at("notices").as_array()[0];
  EXPECT_EQ(str(notice, "notice_no").substr(0, 2), "GZ");
  EXPECT_EQ(str(notice.at("staff"), "name"), "李娟");
  const auto& parts = notice.at("parts").as_object();
  for (const char* k : {"outside_remit", "materials_required", "application_limit", "missing", "defective", "refusal_reason"})
    EXPECT_TRUE(parts.contains(k)) << k;
  EXPECT_FALSE(notice.at("document_id").is_null());  // the printable 一次性告知书
  EXPECT_EQ(c.at("documents").as_array().size(), 1u);

  // The student sees the notice in the portal and its PDF; another student does not.
  auto mine = h().get("/api/v1/my/cases", &alice);
  ASSERT_EQ(mine.status, 200);
  EXPECT_EQ(mine.json().at("items").as_array().size(), 1u);
  long long nid = notice.at("id").as_int64();
  EXPECT_EQ(h().get(path(id, "/notices/" + std::to_string(nid)), &alice).status, 200);
  EXPECT_EQ(h().get(path(id, "/notices/" + std::to_string(nid)), &bob).status, 404);
  EXPECT_EQ(h().get(path(id), &bob).status, 404);
  EXPECT_EQ(h().get("/api/v1/my/cases", &bob).json().at("items").as_array().size(), 0u);
  long long doc = notice.at("document_id").as_int64();
  auto pdf = h().get("/api/v1/documents/" + std::to_string(doc) + "/pdf", &alice);
  EXPECT_EQ(pdf.status, 200);
  EXPECT_EQ(pdf.body.substr(0, 5), "%PDF-");
  EXPECT_EQ(h().get("/api/v1/documents/" + std::to_string(doc) + "/pdf", &bob).status, 404);
  // Students cannot act as staff.
  EXPECT_EQ(post(path(id, "/accept"), json::object{}, alice).status, 403);
  EXPECT_FALSE(get(id, alice).as_object().contains("one_time_breach"));

  // Resubmission (the student brings the photo) resumes the case where it stopped.
  advance("2026-03-03T10:00:00");
  auto rs = post(path(id, "/resubmit"), json::object{{"note", "照片已更换"}}, alice);
  ASSERT_EQ(rs.status, 200) << rs.body;
  EXPECT_EQ(str(rs.json(), "status"), "received");
  // Acceptance needs the new photo checked.
  auto acc0 = post(path(id, "/accept"), json::object{}, staff);
  EXPECT_EQ(acc0.status, 422);
  EXPECT_EQ(acc0.error_code(), "materials_unmarked");
  ASSERT_EQ(h().send("PUT", path(id, "/materials"),
                     json::serialize(json::object{{"marks", json::array{json::object{{"material_id", m_photo}, {"mark", "provided"}}}}}), &staff).status, 200);
  auto acc = post(path(id, "/accept"), json::object{}, staff);
  ASSERT_EQ(acc.status, 200) << acc.body;
  c = acc.json();
  EXPECT_EQ(str(c, "status"), "processing");
  // B6.3: accepted Tue 2026-03-03 10:00 + 5 working days → Tue 03-10 at closing (17:30 local).
  EXPECT_EQ(str(c, "due_at"), iso8601_utc(at("2026-03-10T17:30:00")));
  EXPECT_EQ(str(c.at("progress"), "warning"), "none");

  // Another staff member may not act on it; the teacher may.
  EXPECT_EQ(post(path(id, "/complete"), json::object{}, staff2).status, 403);

  // A notice while processing stops the clock; the resubmission moves the due date by the paused working time.
  ASSERT_EQ(h().send("PUT", path(id, "/materials"),
                     json::serialize(json::object{{"marks", json::array{json::object{{"material_id", m_id}, {"mark", "defective"}, {"correction", "复印件不清晰，请重新复印"}}}}}), &staff).status, 200);
  advance("2026-03-04T11:00:00");
  auto n2 = post(path(id, "/notices"), json::object{}, staff);
  ASSERT_EQ(n2.status, 201) << n2.body;
  EXPECT_TRUE(n2.json().at("paused").as_bool());
  // B6.2 breach: the ID copy was marked provided and the student changed nothing.
  EXPECT_TRUE(n2.json().at("one_time_breach").as_bool());
  EXPECT_TRUE(n2.json().at("notices").as_array()[1].at("breach").as_bool());
  advance("2026-03-05T11:00:00");  // a whole working day (7 h) later
  ASSERT_EQ(post(path(id, "/resubmit"), json::object{}, staff).status, 200);
  c = get(id, staff);
  EXPECT_EQ(str(c, "status"), "processing");
  EXPECT_EQ(c.at("paused_seconds").as_int64(), 7 * 3600);
  EXPECT_EQ(str(c, "due_at"), iso8601_utc(at("2026-03-11T17:30:00")));
  ASSERT_EQ(h().send("PUT", path(id, "/materials"),
                     json::serialize(json::object{{"marks", json::array{json::object{{"material_id", m_id}, {"mark", "provided"}}}}}), &staff).status, 200);

  // Completion; discourteous wording is refused (B1) and nothing is written.
  counts = h().table_counts();
  auto rude = post(path(id, "/complete"), json::object{{"result_note", "你这人真啰嗦！"}}, staff);
  EXPECT_EQ(rude.status, 422) << rude.body;
  EXPECT_EQ(rude.error_code(), "discourteous_text");
  EXPECT_EQ(rude.error_field(), "result_note");
  h().app().service<courtesy::CourtesyService>().flush();
  auto after = h().table_counts();
  after.erase("courtesy_attempts");
  counts.erase("courtesy_attempts");
  EXPECT_EQ(after, counts);
  auto done = post(path(id, "/complete"), json::object{{"result_note", "新学生证已办好，请凭身份证到 1 号窗口领取。"}}, staff);
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(str(done.json(), "status"), "completed");
  EXPECT_FALSE(done.json().at("progress").at("overdue").as_bool());
  // The first responder never changed (B6.1), even at the database.
  EXPECT_THROW(h().app().db->write([&](soci::session& s) {
    s << "UPDATE cases SET first_responder_id = " << h().count("SELECT id FROM users WHERE login = 'staff02'") << " WHERE id = " << id;
  }), std::exception);

  // Statistics: one breach for 李娟, one completed on time.
  long long li = h().count("SELECT id FROM users WHERE login = 'staff01'");
  auto st = h().get("/api/v1/cases/stats?from=2026-03-01&to=2026-03-31&staff_id=" + std::to_string(li), &staff);
  ASSERT_EQ(st.status, 200) << st.body;
  EXPECT_EQ(st.json().at("breaches").as_int64(), 1);
  EXPECT_EQ(st.json().at("completed").as_int64(), 1);
  EXPECT_EQ(st.json().at("on_time_rate").as_double(), 1.0);
  // Staff see only their own figures; the teacher sees everyone's.
  EXPECT_EQ(h().get("/api/v1/cases/stats?from=2026-03-01&to=2026-03-31", &staff).status, 403);
  EXPECT_EQ(h().get("/api/v1/cases/stats?from=2026-03-01&to=2026-03-31", &teacher).status, 200);
  auto ov = h().get("/api/v1/cases/oversight", &teacher);
  ASSERT_EQ(ov.status, 200);
  EXPECT_EQ(ov.json().at("breaches").as_array().size(), 1u);
  EXPECT_EQ(h().get("/api/v1/cases/oversight", &staff).status, 403);
  // The student's timeline is public events only.
  json::value seen = get(id, alice);
  for (const auto& e : seen.at("timeline").as_array()) EXPECT_TRUE(e.at("public").as_bool());
}

TEST_P(CasesApi, PhoneReferralUnreachableFollowUp) {
  // A phone call: name, number, student id if known, summary.
  auto bad = post("/api/v1/cases", json::object{{"channel", "phone"}, {"caller_phone", "13800000000"}, {"summary", "咨询"}}, staff);
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.error_field(), "caller_name");
  auto r = post("/api/v1/cases", json::object{{"channel", "phone"}, {"caller_name", "王同学"}, {"caller_phone", "138-0000-0000"},
                                              {"student_no", "2023001001"}, {"summary", "咨询转专业"}, {"item_id", item("JWC-009")}}, staff);
  ASSERT_EQ(r.status, 201) << r.body;
  long long id = r.json().at("id").as_int64();
  EXPECT_EQ(str(r.json(), "channel"), "phone");

  // "I don't know" is not a referral (B6.1): 400 naming the field, nothing written.
  auto counts = h().table_counts();
  auto dunno = post(path(id, "/refer"), json::object{{"office", "教务处"}, {"handler", "不知道"}}, staff);
  EXPECT_EQ(dunno.status, 400);
  EXPECT_EQ(dunno.error_code(), "referral_not_specific");
  EXPECT_EQ(dunno.error_field(), "handler");
  auto no_office = post(path(id, "/refer"), json::object{{"handler", "王磊"}}, staff);
  EXPECT_EQ(no_office.error_field(), "office");
  EXPECT_EQ(h().table_counts(), counts);

  // From the catalog's contact of the item.
  auto ref = post(path(id, "/refer"), json::object{{"source", "catalog"}, {"note", "请您工作日上午前往，谢谢。"}}, staff);
  ASSERT_EQ(ref.status, 200) << ref.body;
  json::value c = ref.json();
  EXPECT_EQ(str(c, "status"), "referred");
  EXPECT_EQ(str(c.at("referral"), "handler"), "杨建国");
  EXPECT_EQ(str(c.at("referral"), "phone"), "0731-22180110");
  EXPECT_FALSE(c.at("referral").at("document_id").is_null());  // the printable referral slip

  // The student sees where to go at once, and reports they could not reach the office.
  auto mine = h().get("/api/v1/my/cases", &alice).json().at("items").as_array();
  ASSERT_EQ(mine.size(), 1u);
  EXPECT_EQ(str(mine[0].at("referral"), "office"), str(c.at("referral"), "office"));
  EXPECT_EQ(post(path(id, "/unreachable"), json::object{}, bob).status, 404);
  auto un = post(path(id, "/unreachable"), json::object{{"note", "电话无人接听"}}, alice);
  ASSERT_EQ(un.status, 200) << un.body;
  auto fus = un.json().at("followups").as_array();
  ASSERT_EQ(fus.size(), 1u);
  // Due within one working day: Monday 09:00 → Tuesday's closing.
  EXPECT_EQ(str(fus[0], "due_at"), iso8601_utc(at("2026-03-03T17:30:00")));
  EXPECT_EQ(post(path(id, "/unreachable"), json::object{}, alice).error_code(), "followup_open");
  long long fid = fus[0].at("id").as_int64();

  // The first responder's follow-ups; the teacher's overdue list once it is late.
  auto list = h().get("/api/v1/followups", &staff).json().at("items").as_array();
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(h().get("/api/v1/followups", &staff2).json().at("items").as_array().size(), 0u);
  advance("2026-03-04T09:00:00");
  auto ov = h().get("/api/v1/cases/oversight", &teacher).json();
  EXPECT_EQ(ov.at("overdue_followups").as_array().size(), 1u);
  // Only the first responder (or the teacher) replies; the reply is courtesy-checked.
  EXPECT_EQ(post("/api/v1/followups/" + std::to_string(fid) + "/reply", json::object{{"agreed", "x"}, {"reply", "y"}}, staff2).status, 403);
  auto rude = post("/api/v1/followups/" + std::to_string(fid) + "/reply",
                   json::object{{"agreed", "杨老师周三下午在办公室"}, {"reply", "你去找领导好了"}}, staff);
  EXPECT_EQ(rude.status, 422);
  EXPECT_EQ(rude.error_field(), "reply");
  auto ok = post("/api/v1/followups/" + std::to_string(fid) + "/reply",
                 json::object{{"agreed", "杨老师周三下午在办公室"}, {"reply", "您好，已联系教务处杨老师，请您周三下午前往行政楼 305，谢谢。"}}, staff);
  ASSERT_EQ(ok.status, 200) << ok.body;
  auto seen = get(id, alice).at("followups").as_array();
  EXPECT_EQ(str(seen[0], "status"), "done");
  EXPECT_NE(str(seen[0], "reply").find("行政楼 305"), std::string::npos);
  EXPECT_TRUE(seen[0].at("overdue").as_bool());  // replied after its due date: counted
}

TEST_P(CasesApi, GreenChannelOnlineApplicationAndListOrder) {
  long long a = open_walk_in("JWC-001", "2023001001", staff);
  long long b = open_walk_in("JWC-001", "2023001002", staff);
  // Reason required; audited.
  EXPECT_EQ(post(path(b, "/green-channel"), json::object{{"reason", " "}}, staff).error_field(), "reason");
  ASSERT_EQ(post(path(b, "/green-channel"), json::object{{"reason", "伤病，需尽快办理"}}, staff).status, 200);
  EXPECT_EQ(h().count("SELECT COUNT(*) FROM audit_log WHERE action = 'case.green'"), 1);
  auto list = h().get("/api/v1/cases", &staff).json().at("items").as_array();
  ASSERT_GE(list.size(), 2u);
  EXPECT_EQ(list[0].at("id").as_int64(), b);  // B6.5: top of every list
  // Immediate item: due before the hall closes that day; the green channel may shorten it.
  auto c = get(a, staff);
  ASSERT_EQ(h().send("PUT", path(a, "/materials"), json::serialize(json::object{{"marks", marks_all(c, "provided")}}), &staff).status, 200);
  auto acc = post(path(a, "/accept"), json::object{}, staff);
  ASSERT_EQ(acc.status, 200) << acc.body;
  EXPECT_EQ(str(acc.json(), "due_at"), iso8601_utc(at("2026-03-02T17:30:00")));
  EXPECT_EQ(post(path(a, "/green-channel"), json::object{{"reason", "紧急"}, {"due_at", "2026-03-03T10:00:00+08:00"}}, staff).error_code(), "invalid_due_at");
  auto g = post(path(a, "/green-channel"), json::object{{"reason", "紧急"}, {"due_at", "2026-03-02T11:00:00+08:00"}}, staff);
  ASSERT_EQ(g.status, 200) << g.body;
  EXPECT_EQ(str(g.json(), "due_at"), iso8601_utc(at("2026-03-02T11:00:00")));
  // Overdue without a reason cannot be closed; the reason is counted.
  Clock::pin(at("2026-03-02T11:30:00"));
  EXPECT_TRUE(get(a, staff).at("progress").at("overdue").as_bool());
  EXPECT_EQ(post(path(a, "/complete"), json::object{}, staff).error_field(), "overdue_reason");
  ASSERT_EQ(post(path(a, "/complete"), json::object{{"overdue_reason", "系统故障，打印机维修"}}, staff).status, 200);
  auto st = h().get("/api/v1/cases/stats?from=2026-03-01&to=2026-03-31", &teacher).json();
  EXPECT_EQ(st.at("completed_late").as_int64(), 1);
  EXPECT_EQ(str(st.at("late_cases").as_array()[0], "reason"), "系统故障，打印机维修");

  // An online application from the portal: no first responder until a staff member receives it.
  auto on = post("/api/v1/my/cases", json::object{{"item_id", item("JWC-002")}}, alice);
  ASSERT_EQ(on.status, 201) << on.body;
  long long o = on.json().at("id").as_int64();
  EXPECT_TRUE(on.json().at("first_responder").is_null());
  EXPECT_EQ(post("/api/v1/my/cases", json::object{{"item_id", 999999}}, alice).error_field(), "item_id");
  EXPECT_EQ(post("/api/v1/my/cases", json::object{{"item_id", item("JWC-002")}}, staff).status, 403);
  // A staff member is refused before the body is read: 403 for a malformed body too, nothing stored.
  long long cases_before = h().count("SELECT COUNT(*) FROM cases");
  EXPECT_EQ(post("/api/v1/my/cases", json::object{{"item_id", "x"}}, staff).error_code(), "students_apply_online");
  EXPECT_EQ(h().count("SELECT COUNT(*) FROM cases"), cases_before);
  ASSERT_EQ(post(path(o, "/receive"), json::object{}, staff2).status, 200);
  EXPECT_EQ(post(path(o, "/receive"), json::object{}, staff).error_code(), "already_received");
  EXPECT_EQ(str(get(o, staff).at("first_responder"), "name"), "王磊");
}

// B6.1 with resident units: an online application is received by the unit of
// its item (or the teacher); another unit's staff can neither claim it by
// editing nor receive it, and do not find it among the cases to receive.
TEST_P(CasesApi, AnOnlineApplicationIsReceivedOnlyByTheUnitOfItsItem) {
  auto security = h().login("staff05", "staff123");  // 保卫处 (BWC)
  auto on =
      post("/api/v1/my/cases", json::object{{"item_id", item("JWC-002")}}, alice);  // 教务处's item
  ASSERT_EQ(on.status, 201) << on.body;
  long long o = on.json().at("id").as_int64();
  auto before = h().table_counts();
  auto claim = h().patch(path(o), json::object{}, &security);
  EXPECT_EQ(claim.status, 403) << claim.body;
  EXPECT_NE(claim.body.find("教务处"), std::string::npos) << claim.body;
  EXPECT_EQ(post(path(o, "/receive"), json::object{}, security).status, 403);
  EXPECT_EQ(h().patch(path(o), json::object{{"summary", "我来办"}}, &security).status, 403);
  EXPECT_EQ(
      post(path(o, "/assign"),
           json::object{{"handler_id", h().count("SELECT id FROM users WHERE login = 'staff05'")}},
           security)
          .status,
      403);
  auto en = h().send("POST", path(o, "/receive"), "{}", &security, {{"Accept-Language", "en"}});
  EXPECT_NE(en.body.find("Academic Affairs"), std::string::npos) << en.body;
  EXPECT_EQ(h().table_counts(), before);
  EXPECT_TRUE(get(o, teacher).at("first_responder").is_null());
  // The unit's list of cases to receive holds it; another unit's does not.
  auto listed = [&](const Session& s) {
    json::value v = h().get("/api/v1/cases?scope=unreceived", &s).json();
    for (const auto& it : v.at("items").as_array())
      if (it.at("id").as_int64() == o) return true;
    return false;
  };
  EXPECT_FALSE(listed(security));
  EXPECT_TRUE(listed(staff2));
  EXPECT_TRUE(listed(teacher));
  // 教务处's staff receive it.
  auto ok = h().patch(path(o), json::object{}, &staff2);
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(str(get(o, staff2).at("first_responder"), "name"), "王磊");
  // The teacher may receive any unit's application.
  auto on2 = post("/api/v1/my/cases", json::object{{"item_id", item("JWC-002")}}, bob);
  ASSERT_EQ(on2.status, 201) << on2.body;
  EXPECT_EQ(post(path(on2.json().at("id").as_int64(), "/receive"), json::object{}, teacher).status,
            200);
}

TEST_P(CasesApi, BadInputLeavesTheDatabaseUnchanged) {
  long long id = open_walk_in("JWC-003", "2023001001", staff);
  auto counts = h().table_counts();
  struct Bad {
    const char* method;
    std::string path;
    std::string body;
    int status;
    const char* code;
    const char* field;
  } rows[] = {
      {"POST", "/api/v1/cases", R"({"channel":"fax","summary":"x"})", 400, "invalid_channel", "channel"},
      {"POST", "/api/v1/cases", R"({"channel":"walk_in","summary":"x","student_no":"0000"})", 400, "unknown_student", "student_no"},
      {"POST", "/api/v1/cases", R"({"channel":"walk_in","student_no":"2023001001"})", 400, "summary_required", "summary"},
      {"POST", "/api/v1/cases", R"({"channel":"phone","caller_name":"张","caller_phone":"abc","summary":"x"})", 400, "invalid_phone", "caller_phone"},
      {"POST", "/api/v1/cases", R"({"channel":"walk_in","summary":"x","student_no":"2023001001","extra":1})", 400, "unknown_field", "extra"},
      {"POST", "/api/v1/cases", R"({"channel":"ticket"})", 400, "ticket_required", "ticket_id"},
      {"PUT", path(id, "/materials"), R"({"marks":[{"material_id":1,"mark":"lost"}]})", 400, "invalid_mark", "marks[0].mark"},
      {"PUT", path(id, "/materials"), R"({"marks":[{"material_id":999999,"mark":"provided"}]})", 400, "unknown_material", "marks[0].material_id"},
      {"PUT", path(id, "/materials"), R"({"marks":[]})", 400, "marks_required", "marks"},
      {"POST", path(id, "/accept"), "{}", 422, "materials_unmarked", "materials"},
      {"POST", path(id, "/complete"), "{}", 409, "invalid_case_state", "status"},
      {"POST", path(id, "/resubmit"), "{}", 409, "invalid_case_state", "status"},
      {"POST", path(id, "/unreachable"), "{}", 409, "invalid_case_state", "status"},
      {"POST", path(id, "/refer"), R"({"office":"财务处","handler":"unknown"})", 400, "referral_not_specific", "handler"},
      {"POST", path(id, "/assign"), R"({"handler_id":1000000})", 400, "unknown_handler", "handler_id"},
      {"POST", path(id, "/green-channel"), R"({"reason":"x","due_at":"2026-03-02T10:00:00+08:00"})", 400, "not_accepted", "due_at"},
      {"POST", "/api/v1/cases/999999/accept", "{}", 404, "case_not_found", ""},
  };
  for (const auto& b : rows) {
    SCOPED_TRACE(std::string(b.method) + " " + b.path + " " + b.body);
    auto r = h().send(b.method, b.path, b.body, &staff);
    EXPECT_EQ(r.status, b.status) << r.body;
    EXPECT_EQ(r.error_code(), b.code);
    EXPECT_EQ(r.error_field(), b.field);
  }
  EXPECT_EQ(h().table_counts(), counts);
}

TEST_P(CasesApi, PermissionsByRole) {
  long long id = open_walk_in("JWC-001", "2023001001", staff);
  // Students: their own case only; never the staff lists.
  EXPECT_EQ(h().get("/api/v1/cases", &alice).status, 403);
  EXPECT_EQ(h().get("/api/v1/followups", &alice).status, 403);
  EXPECT_EQ(h().get("/api/v1/cases/stats", &alice).status, 403);
  EXPECT_EQ(h().get(path(id), &alice).status, 200);
  EXPECT_EQ(h().get(path(id), &bob).status, 404);
  EXPECT_EQ(post(path(id, "/resubmit"), json::object{}, bob).status, 404);
  EXPECT_EQ(h().get(path(id)).status, 401);
  EXPECT_EQ(post("/api/v1/cases", json::object{{"channel", "walk_in"}, {"summary", "x"}, {"caller_name", "x"}}, alice).status, 403);
  // Another staff member reads it but may not act until assigned.
  EXPECT_EQ(h().get(path(id), &staff2).status, 200);
  EXPECT_FALSE(get(id, staff2).at("may_act").as_bool());
  long long wang = h().count("SELECT id FROM users WHERE login = 'staff02'");
  EXPECT_EQ(post(path(id, "/assign"), json::object{{"handler_id", wang}}, staff2).status, 403);
  ASSERT_EQ(post(path(id, "/assign"), json::object{{"handler_id", wang}}, staff).status, 200);
  EXPECT_TRUE(get(id, staff2).at("may_act").as_bool());
  EXPECT_EQ(str(get(id, staff2).at("first_responder"), "name"), "李娟");  // B6.1: unchanged by the assignment
}

INSTANTIATE_TEST_SUITE_P(Backends, CasesApi, ::testing::ValuesIn(backends()), backend_name);

}  // namespace
}  // namespace hall::test
