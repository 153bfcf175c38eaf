// Complaints, suggestions and praise over HTTP on every backend (C1–C3): the
// WeChat callback (signatures, safe mode, rejections that store nothing), the
// workflow with one dispute, anti-retaliation with audited identity views, and
// tracking without login.
#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "support/clock.hpp"
#include "feedback/routes.hpp"
#include "feedback/wechat.hpp"
#include "support/test_support.hpp"
#include "wechat_samples.hpp"

namespace hall::test {
namespace {

namespace wx = feedback::wechat;
namespace sample = feedback::sample;

std::string str(const json::value& v, const char* key) { return std::string(v.at(key).as_string()); }
bool has(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }

class FeedbackApi : public HallTest {
 protected:
  void SetUp() override {
    start();
    auto& w = hall_->app().config.wechat;
    w.token = sample::kToken;
    w.encoding_aes_key = sample::kAesKey;
    w.app_id = sample::kAppId;
    w.timestamp_window_seconds = 300;
    // The demo holds complaints, suggestions and rated cases of the past working days:
    // counts below are taken relative to it, and figures from this instant on.
    demo_items_ = hall_->count("SELECT COUNT(*) FROM feedback_items");
    since_ = "from=" + iso8601_utc(Clock::now() - 1000);
  }

  long long user_id(const std::string& login) {
    return hall_->count("SELECT id FROM users WHERE login = '" + login + "'");
  }
  std::string now_ts() { return std::to_string(Clock::now() / 1000); }

  HttpResponse wechat_plain(const std::string& body, const std::string& ts, const std::string& nonce,
                            std::string sig = {}) {
    if (sig.empty()) sig = wx::signature({sample::kToken, ts, nonce});
    return hall_->send("POST", "/wechat?signature=" + sig + "&timestamp=" + ts + "&nonce=" + nonce + "&openid=x", body,
                       nullptr, {}, "text/xml");
  }
  HttpResponse wechat_aes(const std::string& inner, const std::string& ts, const std::string& nonce,
                          const std::string& app_id = sample::kAppId) {
    wx::Crypt c(sample::kAesKey);
    std::string enc = c.encrypt(inner, app_id);
    std::string body = "<xml><ToUserName><![CDATA[gh_hall]]></ToUserName><Encrypt><![CDATA[" + enc + "]]></Encrypt></xml>";
    std::string sig = wx::signature({sample::kToken, ts, nonce});
    std::string msig = wx::signature({sample::kToken, ts, nonce, enc});
    return hall_->send("POST", "/wechat?signature=" + sig + "&timestamp=" + ts + "&nonce=" + nonce +
                                   "&encrypt_type=aes&msg_signature=" + msig,
                       body, nullptr, {}, "text/xml");
  }
  static std::string text_msg(const std::string& from, const std::string& content) {
    return "<xml><ToUserName><![CDATA[gh_hall]]></ToUserName><FromUserName><![CDATA[" + from +
           "]]></FromUserName><CreateTime>1700000000</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[" +
           content + "]]></Content><MsgId>1</MsgId></xml>";
  }
  // The reply's text content (plain mode).
  static std::string reply_content(const HttpResponse& r) {
    auto m = wx::parse_xml(r.body);
    if (!m) return "";
    return (*m)["Content"];
  }
  // Decrypts and checks an encrypted reply; returns its text content.
  static std::string decrypt_reply(const HttpResponse& r) {
    auto outer = wx::parse_xml(r.body);
    EXPECT_TRUE(outer) << r.body;
    if (!outer) return "";
    auto& o = *outer;
    EXPECT_EQ(wx::signature({sample::kToken, o["TimeStamp"], o["Nonce"], o["Encrypt"]}), o["MsgSignature"]);
    auto d = wx::Crypt(sample::kAesKey).decrypt(o["Encrypt"]);
    EXPECT_TRUE(d);
    if (!d) return "";
    EXPECT_EQ(d->app_id, sample::kAppId);
    auto inner = wx::parse_xml(d->message);
    EXPECT_TRUE(inner);
    return inner ? (*inner)["Content"] : "";
  }
  std::string tracking_in(const std::string& text) {
    auto p = text.find("追踪号：");
    if (p == std::string::npos) return "";
    return text.substr(p + std::string("追踪号：").size(), 20);
  }

  long long demo_items_ = 0;
  std::string since_;
};

// --- URL verification -------------------------------------------------------------

TEST_P(FeedbackApi, WechatUrlVerificationAnswersEchostrOnlyWhenSigned) {
  std::string ts = "1409659589", nonce = "263014780", echo = "1616140317555161061";
  std::string sig = wx::signature({sample::kToken, ts, nonce});
  auto ok = hall_->get("/wechat?signature=" + sig + "&timestamp=" + ts + "&nonce=" + nonce + "&echostr=" + echo);
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.body, echo);
  EXPECT_TRUE(has(ok.header("content-type"), "text/plain"));
  auto bad = hall_->get("/wechat?signature=" + std::string(40, '0') + "&timestamp=" + ts + "&nonce=" + nonce +
                        "&echostr=" + echo);
  EXPECT_EQ(bad.status, 403);
  EXPECT_FALSE(has(bad.body, echo));
  EXPECT_EQ(hall_->get("/wechat?timestamp=" + ts + "&nonce=" + nonce + "&echostr=" + echo).status, 403);
  // Signed with another token.
  auto other = wx::signature({"another", ts, nonce});
  EXPECT_EQ(hall_->get("/wechat?signature=" + other + "&timestamp=" + ts + "&nonce=" + nonce + "&echostr=" + echo).status,
            403);
}

// --- the published sample, in safe mode ------------------------------------------------

TEST_P(FeedbackApi, WechatPublishedSampleIsAcceptedOnceAndAnsweredEncrypted) {
  Clock::pin(1409659813LL * 1000 + 5000);  // the sample's own time
  std::string target = std::string("/wechat?msg_signature=") + sample::kMsgSignature + "&timestamp=" +
                       sample::kTimestamp + "&nonce=" + sample::kNonce + "&encrypt_type=aes";
  auto r = hall_->send("POST", target, sample::kRequestBody, nullptr, {}, "text/xml");
  ASSERT_EQ(r.status, 200) << r.body;
  // "hello" gets the courteous help text, encrypted in the same mode.
  EXPECT_TRUE(has(decrypt_reply(r), "投诉")) << r.body;
  EXPECT_EQ(hall_->count("SELECT COUNT(*) FROM feedback_items"), demo_items_);
  EXPECT_EQ(hall_->count("SELECT COUNT(*) FROM wechat_nonces"), 1);
  // The same request again is a replay.
  auto before = hall_->table_counts();
  auto again = hall_->send("POST", target, sample::kRequestBody, nullptr, {}, "text/xml");
  EXPECT_EQ(again.status, 403);
  EXPECT_EQ(again.error_code(), "replayed_nonce");
  EXPECT_EQ(hall_->table_counts(), before);
  Clock::unpin();
  // Today the sample is stale.
  auto stale = hall_->send("POST",
                           std::string("/wechat?msg_signature=") + sample::kMsgSignature + "&timestamp=" +
                               sample::kTimestamp + "&nonce=" + sample::kNonce + "&encrypt_type=aes",
                           sample::kRequestBody, nullptr, {}, "text/xml");
  EXPECT_EQ(stale.status, 403);
  EXPECT_EQ(stale.error_code(), "wechat_stale");
}

// --- rejections: nothing stored -----------------------------------------------------------

TEST_P(FeedbackApi, WechatRejectionsStoreNothing) {
  std::string ts = now_ts();
  std::string stale = std::to_string(Clock::now() / 1000 - 301);
  std::string future = std::to_string(Clock::now() / 1000 + 400);
  std::string good = text_msg("oUser1", "投诉 窗口排队太久");
  wx::Crypt c(sample::kAesKey);
  std::string enc = c.encrypt(good, sample::kAppId);
  std::string wrong_app = c.encrypt(good, "wx0000000000000000");
  auto aes_body = [](const std::string& e) { return "<xml><Encrypt><![CDATA[" + e + "]]></Encrypt></xml>"; };
  auto aes_target = [&](const std::string& t, const std::string& n, const std::string& e, std::string msig = {}) {
    if (msig.empty()) msig = wx::signature({sample::kToken, t, n, e});
    return "/wechat?timestamp=" + t + "&nonce=" + n + "&encrypt_type=aes&msg_signature=" + msig;
  };
  auto plain_target = [&](const std::string& t, const std::string& n, std::string sig = {}) {
    if (sig.empty()) sig = wx::signature({sample::kToken, t, n});
    return "/wechat?signature=" + sig + "&timestamp=" + t + "&nonce=" + n;
  };
  // One accepted message first, so that its nonce can be replayed.
  auto first = hall_->send("POST", plain_target(ts, "n-used"), good, nullptr, {}, "text/xml");
  ASSERT_EQ(first.status, 200) << first.body;
  struct Row {
    const char* name;
    std::string target, body;
    int status;
  } rows[] = {
      {"bad signature", plain_target(ts, "n1", std::string(40, 'a')), good, 403},
      {"no signature", "/wechat?timestamp=" + ts + "&nonce=n2", good, 403},
      {"signed with another token", plain_target(ts, "n3", wx::signature({"x", ts, "n3"})), good, 403},
      {"stale timestamp", plain_target(stale, "n4"), good, 403},
      {"timestamp from the future", plain_target(future, "n5"), good, 403},
      {"timestamp not a number", plain_target("12ab", "n6"), good, 403},
      {"replayed nonce", plain_target(ts, "n-used"), good, 403},
      {"malformed XML", plain_target(ts, "n7"), "<xml><FromUserName>oUser1</FromUserName>", 400},
      {"not XML", plain_target(ts, "n8"), "投诉 你好", 400},
      {"no sender", plain_target(ts, "n9"), "<xml><MsgType>text</MsgType><Content>投诉 x</Content></xml>", 400},
      {"oversized body", plain_target(ts, "n10"), "<xml><Content>" + std::string(70000, 'a') + "</Content></xml>", 413},
      {"safe mode: bad msg_signature", aes_target(ts, "n11", enc, std::string(40, 'b')), aes_body(enc), 403},
      {"safe mode: wrong app id", aes_target(ts, "n12", wrong_app), aes_body(wrong_app), 403},
      {"safe mode: corrupt ciphertext", aes_target(ts, "n13", "AAAA" + enc.substr(4, 40)),
       aes_body("AAAA" + enc.substr(4, 40)), 400},
      {"safe mode: no Encrypt", aes_target(ts, "n14", ""), "<xml><ToUserName>x</ToUserName></xml>", 400},
      {"safe mode: stale", aes_target(stale, "n15", enc), aes_body(enc), 403},
      {"safe mode: replayed nonce", aes_target(ts, "n-used", enc), aes_body(enc), 403},
  };
  auto before = hall_->table_counts();
  for (const auto& r : rows) {
    auto resp = hall_->send("POST", r.target, r.body, nullptr, {}, "text/xml");
    EXPECT_EQ(resp.status, r.status) << r.name << ": " << resp.body;
    EXPECT_EQ(hall_->table_counts(), before) << r.name;
  }
  EXPECT_EQ(hall_->count("SELECT COUNT(*) FROM feedback_items"), demo_items_ + 1);
}

// --- the channel's use cases ------------------------------------------------------------

TEST_P(FeedbackApi, WechatComplaintQueryBindingAndWelcome) {
  auto r = wechat_plain(text_msg("oAlice", "投诉：3号窗口中午无人值守"), now_ts(), "c1");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(has(r.header("content-type"), "xml"));
  std::string reply = reply_content(r);
  std::string no = tracking_in(reply);
  ASSERT_EQ(no.size(), 20u) << reply;
  EXPECT_EQ(no[0], 'T');
  auto m = wx::parse_xml(r.body);
  EXPECT_EQ((*m)["ToUserName"], "oAlice");
  EXPECT_EQ((*m)["FromUserName"], "gh_hall");
  EXPECT_EQ(hall_->count("SELECT COUNT(*) FROM feedback_items WHERE channel = 'wechat' AND wechat_openid = 'oAlice' "
                         "AND student_id IS NULL AND kind = 'complaint'"),
            1);
  // Status by 查询; another account learns nothing.
  EXPECT_TRUE(has(reply_content(wechat_plain(text_msg("oAlice", "查询 " + no), now_ts(), "c2")), "已受理"));
  EXPECT_TRUE(has(reply_content(wechat_plain(text_msg("oMallory", "查询 " + no), now_ts(), "c3")), "未找到"));
  // Suggestion in safe mode.
  auto s = wechat_aes(text_msg("oAlice", "建议 增加自助打印机"), now_ts(), "c4");
  ASSERT_EQ(s.status, 200) << s.body;
  std::string sreply = decrypt_reply(s);
  EXPECT_EQ(tracking_in(sreply).substr(0, 1), "J") << sreply;
  // Anything else: help; subscribe: welcome.
  EXPECT_TRUE(has(reply_content(wechat_plain(text_msg("oBob", "在吗"), now_ts(), "c5")), "投诉"));
  std::string sub = "<xml><ToUserName><![CDATA[gh_hall]]></ToUserName><FromUserName><![CDATA[oBob]]></FromUserName>"
                    "<CreateTime>1</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[subscribe]]></Event></xml>";
  EXPECT_TRUE(has(reply_content(wechat_plain(sub, now_ts(), "c6")), "欢迎"));
  // Binding: the student's code from the portal, sent as 绑定 <code>; later complaints are linked.
  auto stu = hall_->login("2023001001", "student123");
  auto code = hall_->post("/api/v1/my/wechat-binding-code", json::object{}, &stu);
  ASSERT_EQ(code.status, 201) << code.body;
  std::string c = str(code.json(), "code");
  EXPECT_TRUE(has(reply_content(wechat_plain(text_msg("oBob", "绑定 " + c), now_ts(), "c7")), "绑定成功"));
  EXPECT_TRUE(has(reply_content(wechat_plain(text_msg("oCarol", "绑定 " + c), now_ts(), "c8")), "无效"));  // one-time
  auto linked = wechat_plain(text_msg("oBob", "投诉 宿舍报修无人处理"), now_ts(), "c9");
  std::string lno = tracking_in(reply_content(linked));
  EXPECT_EQ(hall_->count("SELECT COUNT(*) FROM feedback_items WHERE tracking_no = '" + lno + "' AND student_id = " +
                         std::to_string(user_id("2023001001"))),
            1);
  // The student sees it in the portal.
  auto mine = hall_->get("/api/v1/my/feedback", &stu);
  ASSERT_EQ(mine.status, 200);
  ASSERT_EQ(mine.json().as_array().size(), 1u);
  EXPECT_EQ(str(mine.json().as_array()[0], "tracking_no"), lno);
}

// --- the workflow (C3) -------------------------------------------------------------------

TEST_P(FeedbackApi, ComplaintWorkflowWithOneDisputeEscalatedToTheTeacher) {
  auto stu = hall_->login("2023001001", "student123");
  auto handler = hall_->login("staff09", "staff123");  // 学生事务中心: staffs window 10
  auto teacher = hall_->login("teacher", "teacher123");
  long long staff01 = user_id("staff01");
  auto r = hall_->post("/api/v1/public/feedback",
                       json::object{{"kind", "complaint"},
                                    {"category", "hall"},
                                    {"content", "1号窗口工作人员态度生硬"},
                                    {"target", json::object{{"staff_id", staff01}}}},
                       &stu);
  ASSERT_EQ(r.status, 201) << r.body;
  long long id = r.json().at("id").as_int64();
  std::string no = str(r.json(), "tracking_no");
  EXPECT_EQ(str(r.json(), "status"), "received");
  std::string base = "/api/v1/feedback/" + std::to_string(id);

  auto list = hall_->get("/api/v1/feedback?status=received", &handler);
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(list.json().at("total").as_int64(),
            hall_->count("SELECT COUNT(*) FROM feedback_items WHERE status = 'received'"));
  EXPECT_EQ(list.json().at("items").at(0).at("id").as_int64(), id);  // newest first
  // The student cannot answer their own complaint, nor can they use the desk.
  EXPECT_EQ(hall_->post(base + "/answer", json::object{{"findings", "x"}, {"handling", "y"}, {"upheld", true}}, &stu).status,
            403);
  // Answer before assignment is refused.
  EXPECT_EQ(hall_->post(base + "/start", json::object{}, &handler).status, 409);
  auto a = hall_->post(base + "/assign", json::object{}, &handler);
  ASSERT_EQ(a.status, 200) << a.body;
  EXPECT_EQ(str(a.json(), "status"), "assigned");
  EXPECT_EQ(a.json().at("handler_id").as_int64(), user_id("staff09"));
  // The person complained about cannot be made the handler.
  EXPECT_EQ(hall_->post(base + "/assign", json::object{{"handler_id", staff01}}, &handler).status, 422);
  EXPECT_EQ(str(hall_->post(base + "/start", json::object{}, &handler).json(), "status"), "investigating");
  // A complaint must say whether it is upheld.
  auto no_upheld = hall_->post(base + "/answer", json::object{{"findings", "经调查属实"}, {"handling", "已批评教育"}}, &handler);
  EXPECT_EQ(no_upheld.status, 400);
  EXPECT_EQ(no_upheld.error_field(), "upheld");
  auto ans = hall_->post(base + "/answer",
                         json::object{{"findings", "经调查，工作人员解释不够耐心"}, {"handling", "已批评教育并调整岗位培训"}, {"upheld", true}},
                         &handler);
  ASSERT_EQ(ans.status, 200) << ans.body;
  EXPECT_EQ(str(ans.json(), "status"), "answered");

  // The student disputes once → reopened and escalated to the teacher.
  json::value mine_json = hall_->get("/api/v1/my/feedback", &stu).json();
  const auto& mine = mine_json.as_array();
  ASSERT_EQ(mine.size(), 1u);
  EXPECT_EQ(str(mine[0], "findings"), "经调查，工作人员解释不够耐心");
  EXPECT_TRUE(mine[0].at("can_dispute").as_bool());
  auto d = hall_->post("/api/v1/my/feedback/" + std::to_string(id) + "/dispute", json::object{{"reason", "处理太轻"}}, &stu);
  ASSERT_EQ(d.status, 200) << d.body;
  EXPECT_EQ(str(d.json(), "status"), "investigating");
  auto detail = hall_->get(base, &teacher).json();
  EXPECT_TRUE(detail.at("escalated").as_bool());
  EXPECT_EQ(str(detail, "dispute_reason"), "处理太轻");
  // Now only the teacher answers it.
  EXPECT_EQ(hall_->post(base + "/answer", json::object{{"findings", "a"}, {"handling", "b"}, {"upheld", true}}, &handler).status,
            403);
  auto t = hall_->post(base + "/answer",
                       json::object{{"findings", "复核属实"}, {"handling", "扣减当月考核分并书面道歉"}, {"upheld", true}}, &teacher);
  ASSERT_EQ(t.status, 200) << t.body;
  // The one dispute is used.
  auto d2 = hall_->post("/api/v1/my/feedback/" + std::to_string(id) + "/dispute", json::object{{"reason", "还是不满意"}}, &stu);
  EXPECT_EQ(d2.status, 409);
  EXPECT_EQ(d2.error_code(), "dispute_used");
  auto acc = hall_->post("/api/v1/my/feedback/" + std::to_string(id) + "/accept", json::object{}, &stu);
  ASSERT_EQ(acc.status, 200) << acc.body;
  EXPECT_EQ(str(acc.json(), "status"), "closed");
  // Another student cannot act on it.
  auto other = hall_->login("2023001002", "student123");
  EXPECT_EQ(hall_->post("/api/v1/my/feedback/" + std::to_string(id) + "/accept", json::object{}, &other).status, 404);

  // The upheld complaint feeds staff01's assessment; statistics count the dispute.
  auto counts = hall_->get("/api/v1/feedback/staff-counts", &teacher);
  ASSERT_EQ(counts.status, 200) << counts.body;
  bool found = false;
  json::value count_rows = counts.json();  // kept alive while iterating
  for (const auto& row : count_rows.as_array())
    if (row.at("staff_id").as_int64() == staff01) {
      found = true;
      EXPECT_EQ(row.at("upheld_complaints").as_int64(), 1);
    }
  EXPECT_TRUE(found);
  auto stats =
      hall_->get("/api/v1/feedback/stats?" + since_, &teacher);  // this test's complaint only
  ASSERT_EQ(stats.status, 200) << stats.body;
  EXPECT_EQ(stats.json().at("total").as_int64(), 1);
  EXPECT_DOUBLE_EQ(stats.json().at("dispute_rate").as_double(), 1.0);
  EXPECT_EQ(hall_->get("/api/v1/feedback/stats", &handler).status, 403);  // staff: no oversight
  // Every step is in the audit log.
  EXPECT_GE(hall_->count("SELECT COUNT(*) FROM audit_log WHERE target_type = 'feedback' AND target_id = '" +
                         std::to_string(id) + "'"),
            7);
  (void)no;
}

// --- anti-retaliation ----------------------------------------------------------------------

TEST_P(FeedbackApi, ComplainedAboutNeverSeeTheComplainantAndEveryViewIsAudited) {
  auto stu = hall_->login("2023001001", "student123");
  long long staff01 = user_id("staff01"), staff09 = user_id("staff09");
  auto r = hall_->post("/api/v1/public/feedback",
                       json::object{{"kind", "complaint"}, {"category", "teaching"}, {"content", "教务窗口推诿"},
                                    {"target", json::object{{"staff_id", staff01}}}},
                       &stu);
  ASSERT_EQ(r.status, 201) << r.body;
  std::string base = "/api/v1/feedback/" + std::to_string(r.json().at("id").as_int64());
  auto staff1 = hall_->login("staff01", "staff123");
  auto head = hall_->login("jwc_head", "head1234");
  auto handler = hall_->login("staff09", "staff123");
  auto teacher = hall_->login("teacher", "teacher123");
  // The staff member complained about and their unit head: no desk, no identity.
  for (auto* s : {&staff1, &head}) {
    EXPECT_EQ(hall_->get("/api/v1/feedback", s).status, 403);
    EXPECT_EQ(hall_->get(base, s).status, 403);
    EXPECT_EQ(hall_->get(base + "/identity", s).status, 403);
  }
  // The handler's detail never carries the identity; the identity endpoint does, audited.
  auto d = hall_->get(base, &handler);
  ASSERT_EQ(d.status, 200);
  for (const char* f : {"student", "student_id", "contact_name", "contact_phone", "wechat_openid"})
    EXPECT_FALSE(d.json().as_object().contains(f)) << f;
  EXPECT_FALSE(has(d.body, "2023001001"));
  long long audits = hall_->count("SELECT COUNT(*) FROM audit_log WHERE action = 'feedback.identity_view'");
  auto id1 = hall_->get(base + "/identity", &handler);
  ASSERT_EQ(id1.status, 200) << id1.body;
  EXPECT_EQ(str(id1.json().at("student"), "student_no"), "2023001001");
  EXPECT_EQ(hall_->get(base + "/identity", &teacher).status, 200);
  EXPECT_EQ(hall_->count("SELECT COUNT(*) FROM audit_log WHERE action = 'feedback.identity_view'"), audits + 2);
  EXPECT_EQ(hall_->count("SELECT COUNT(*) FROM audit_log WHERE action = 'feedback.identity_view' AND actor_id = " +
                         std::to_string(staff09)),
            1);
  // A complaint about a handler: that handler may not see who complained, nor handle it; the teacher may.
  auto r2 = hall_->post("/api/v1/public/feedback",
                        json::object{{"kind", "complaint"}, {"category", "hall"}, {"content", "投诉窗口工作人员态度差"},
                                     {"target", json::object{{"staff_id", staff09}}}},
                        &stu);
  std::string base2 = "/api/v1/feedback/" + std::to_string(r2.json().at("id").as_int64());
  auto refused = hall_->get(base2 + "/identity", &handler);
  EXPECT_EQ(refused.status, 403);
  EXPECT_FALSE(has(refused.body, "2023001001"));
  EXPECT_FALSE(hall_->get(base2, &handler).json().at("identity_visible").as_bool());
  EXPECT_EQ(hall_->post(base2 + "/assign", json::object{}, &handler).status, 403);
  EXPECT_EQ(hall_->get(base2 + "/identity", &teacher).status, 200);
  EXPECT_EQ(hall_->count("SELECT COUNT(*) FROM audit_log WHERE action = 'feedback.identity_view'"), audits + 3);
}

// --- tracking without login ------------------------------------------------------------------

TEST_P(FeedbackApi, TrackingByNumberAndPhoneWithoutLogin) {
  auto r = hall_->post("/api/v1/public/feedback", json::object{{"kind", "suggestion"},
                                                               {"category", "logistics"},
                                                               {"content", "建议食堂延长营业时间"},
                                                               {"contact_name", "张同学"},
                                                               {"contact_phone", "139-0731-0000"}});
  ASSERT_EQ(r.status, 201) << r.body;
  std::string no = str(r.json(), "tracking_no");
  EXPECT_EQ(no[0], 'J');
  auto ok = hall_->get("/api/v1/public/feedback/track?tracking_no=" + no + "&phone=13907310000");
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(str(ok.json(), "status"), "received");
  EXPECT_FALSE(ok.json().as_object().contains("id"));
  auto wrong_phone = hall_->get("/api/v1/public/feedback/track?tracking_no=" + no + "&phone=13907310001");
  auto wrong_no = hall_->get("/api/v1/public/feedback/track?tracking_no=J20000101-000000&phone=13907310000");
  auto no_phone = hall_->get("/api/v1/public/feedback/track?tracking_no=" + no);
  for (auto* x : {&wrong_phone, &wrong_no, &no_phone}) {
    EXPECT_EQ(x->status, 404);
    EXPECT_EQ(x->error_code(), "feedback_not_found");
  }
  EXPECT_EQ(wrong_phone.body, wrong_no.body);  // no enumeration
  // Anonymous submissions need a phone; staff may not submit as the public.
  EXPECT_EQ(hall_->post("/api/v1/public/feedback",
                        json::object{{"kind", "complaint"}, {"category", "other"}, {"content", "x"}})
                .error_field(),
            "contact_phone");
  auto staff = hall_->login("staff01", "staff123");
  EXPECT_EQ(hall_->post("/api/v1/public/feedback",
                        json::object{{"kind", "complaint"}, {"category", "other"}, {"content", "x"}}, &staff)
                .status,
            403);
  // Answer, then accept by number + phone.
  auto handler = hall_->login("staff09", "staff123");
  long long id = hall_->count("SELECT id FROM feedback_items WHERE tracking_no = '" + no + "'");
  std::string base = "/api/v1/feedback/" + std::to_string(id);
  ASSERT_EQ(hall_->post(base + "/assign", json::object{}, &handler).status, 200);
  ASSERT_EQ(hall_->post(base + "/answer", json::object{{"findings", "已与后勤处沟通"}, {"handling", "周末延长至 21 点"}}, &handler)
                .status,
            200);
  EXPECT_EQ(hall_->post("/api/v1/public/feedback/track/accept", json::object{{"tracking_no", no}, {"phone", "13907310001"}})
                .status,
            404);
  auto acc = hall_->post("/api/v1/public/feedback/track/accept", json::object{{"tracking_no", no}, {"phone", "13907310000"}});
  ASSERT_EQ(acc.status, 200) << acc.body;
  EXPECT_EQ(str(acc.json(), "status"), "closed");
  EXPECT_EQ(str(acc.json(), "handling"), "周末延长至 21 点");
}

// --- staff entry (window 10, phone line) and attachments ------------------------------------

TEST_P(FeedbackApi, StaffEnterWindowAndPhoneComplaintsWithCheckedAttachments) {
  auto handler = hall_->login("staff09", "staff123");
  auto staff1 = hall_->login("staff01", "staff123");
  auto stu = hall_->login("2023001001", "student123");
  std::string png = std::string("\x89PNG\r\n\x1a\n", 8) + std::string(100, '\x01');
  json::object body{{"kind", "complaint"},
                    {"category", "departments"},
                    {"channel", "phone"},
                    {"content", "来电反映学院盖章难"},
                    {"contact_name", "李同学"},
                    {"contact_phone", "13800000000"},
                    {"attachments", json::array{json::object{{"file_name", "a.png"}, {"data_base64", wx::base64_encode(png)}}}}};
  auto r = hall_->post("/api/v1/feedback", body, &handler);
  ASSERT_EQ(r.status, 201) << r.body;
  long long id = r.json().at("id").as_int64();
  auto d = hall_->get("/api/v1/feedback/" + std::to_string(id), &handler).json();
  EXPECT_EQ(str(d, "channel"), "phone");
  ASSERT_EQ(d.at("attachments").as_array().size(), 1u);
  long long att = d.at("attachments").as_array()[0].at("id").as_int64();
  auto file = hall_->get("/api/v1/feedback/" + std::to_string(id) + "/attachments/" + std::to_string(att), &handler);
  EXPECT_EQ(file.status, 200);
  EXPECT_EQ(file.body, png);
  EXPECT_EQ(file.header("content-type"), "image/png");
  // Window entry by student number links the student.
  json::object w{{"kind", "praise"}, {"category", "hall"}, {"channel", "window"}, {"content", "窗口服务很好"}, {"student_no", "2023001001"}};
  auto rw = hall_->post("/api/v1/feedback", w, &handler);
  ASSERT_EQ(rw.status, 201) << rw.body;
  EXPECT_EQ(hall_->get("/api/v1/my/feedback", &stu).json().as_array().size(), 1u);
  // Not a complaints-window member, not a student, bad files: refused, nothing stored.
  auto before = hall_->table_counts();
  EXPECT_EQ(hall_->post("/api/v1/feedback", w, &staff1).status, 403);
  EXPECT_EQ(hall_->post("/api/v1/feedback", w, &stu).status, 403);
  json::object bad = body;
  bad["attachments"] = json::array{json::object{{"file_name", "x.html"}, {"data_base64", wx::base64_encode("<html>")}}};
  EXPECT_EQ(hall_->post("/api/v1/feedback", bad, &handler).status, 415);
  bad["attachments"] = json::array{json::object{
      {"file_name", "big.pdf"}, {"data_base64", wx::base64_encode("%PDF-" + std::string(5 * 1024 * 1024, 'x'))}}};
  EXPECT_EQ(hall_->post("/api/v1/feedback", bad, &handler).status, 413);
  json::object wrong = w;
  wrong["channel"] = "wechat";
  EXPECT_EQ(hall_->post("/api/v1/feedback", wrong, &handler).error_field(), "channel");
  wrong = w;
  wrong["category"] = "weather";
  EXPECT_EQ(hall_->post("/api/v1/feedback", wrong, &handler).error_field(), "category");
  wrong = w;
  wrong["target"] = json::object{{"unit_id", 99999}};
  EXPECT_EQ(hall_->post("/api/v1/feedback", wrong, &handler).status, 422);
  EXPECT_EQ(hall_->table_counts(), before);
  // The overdue list: pinned two weeks later, the open items are overdue.
  Clock::pin(Clock::now() + 14LL * 24 * 3600 * 1000);
  auto later = hall_->login("staff09", "staff123");  // yesterday's session has expired by then
  auto overdue = hall_->get("/api/v1/feedback?deadline=overdue&page_size=100", &later);
  ASSERT_EQ(overdue.status, 200) << overdue.body;
  // Both of this test's items, and every other open one (the demo's) with them.
  EXPECT_EQ(overdue.json().at("total").as_int64(),
            hall_->count("SELECT COUNT(*) FROM feedback_items WHERE status IN ('received', "
                         "'assigned', 'investigating')"));
  std::set<long long> listed;
  json::value od = overdue.json();
  for (const auto& x : od.at("items").as_array()) {
    listed.insert(x.at("id").as_int64());
    EXPECT_EQ(str(x, "deadline_state"), "overdue");
  }
  EXPECT_TRUE(listed.count(id));
  EXPECT_TRUE(listed.count(rw.json().at("id").as_int64()));
  Clock::unpin();
}

// --- what a web complaint is about (issue #11, item 1) -----------------------------------------

// C2 web portal: the student names the window by its number and, optionally, the person on duty
// there as the public window list shows them (masked, 王*明); the server resolves the person from
// the sitting, and the window names its unit, so the statistics by window, unit and staff fill.
TEST_P(FeedbackApi, WebComplaintNamesTheWindowAndThePersonOnDuty) {
  auto staff = hall_->login("staff01", "staff123");
  long long staff_id = user_id("staff01");
  long long unit =
      hall_->count("SELECT unit_id FROM staff WHERE user_id = " + std::to_string(staff_id));
  long long window = hall_->count("SELECT MIN(id) FROM windows WHERE active = 1 AND unit_id = " +
                                  std::to_string(unit));
  int number = static_cast<int>(
      hall_->count("SELECT number FROM windows WHERE id = " + std::to_string(window)));
  ASSERT_EQ(
      hall_->post("/api/v1/windows/" + std::to_string(window) + "/session", json::object{}, &staff)
          .status,
      201);
  std::string full_name;
  hall_->app().db->read([&](soci::session& s) {
    s << "SELECT name FROM users WHERE id = :i", soci::use(staff_id), soci::into(full_name);
  });

  // The public list (no login): the masked name and the sitting's id — no staff id, no login, no
  // full name.
  auto pub = hall_->get("/api/v1/public/windows");
  ASSERT_EQ(pub.status, 200) << pub.body;
  json::value on_duty, listed = pub.json();
  for (const auto& w : listed.at("items").as_array()) {
    if (w.at("id").as_int64() == window)
      on_duty = w.at("on_duty");
    else
      EXPECT_TRUE(w.at("on_duty").is_null()) << json::serialize(w);
  }
  ASSERT_TRUE(on_duty.is_object()) << pub.body;
  EXPECT_EQ(on_duty.as_object().size(), 2u) << json::serialize(on_duty);
  std::string masked = str(on_duty, "staff");
  EXPECT_NE(masked, full_name);
  EXPECT_NE(masked.find('*'), std::string::npos) << masked;
  EXPECT_FALSE(has(pub.body, full_name));
  EXPECT_FALSE(has(pub.body, "staff01"));
  long long sitting = on_duty.at("window_session_id").as_int64();

  // A signed-in student names the window and the person on duty; an anonymous one only the window.
  auto stu = hall_->login("2023001001", "student123");
  auto r = hall_->post(
      "/api/v1/public/feedback",
      json::object{{"kind", "complaint"},
                   {"category", "hall"},
                   {"content", "办理时态度冷淡"},
                   {"target", json::object{{"window_id", window}, {"window_session_id", sitting}}}},
      &stu);
  ASSERT_EQ(r.status, 201) << r.body;
  auto anon = hall_->post("/api/v1/public/feedback",
                          json::object{{"kind", "complaint"},
                                       {"category", "hall"},
                                       {"content", "窗口排队无人"},
                                       {"contact_phone", "13900001111"},
                                       {"target", json::object{{"window_id", window}}}});
  ASSERT_EQ(anon.status, 201) << anon.body;
  auto teacher = hall_->login("teacher", "teacher123");
  auto d = hall_->get("/api/v1/feedback/" + std::to_string(r.json().at("id").as_int64()), &teacher)
               .json();
  EXPECT_EQ(d.at("target").at("window_number").as_int64(), number);
  EXPECT_EQ(d.at("target").at("unit_id").as_int64(), unit);  // the window's unit
  EXPECT_EQ(d.at("target").at("staff_id").as_int64(), staff_id);
  auto a =
      hall_->get("/api/v1/feedback/" + std::to_string(anon.json().at("id").as_int64()), &teacher)
          .json();
  EXPECT_EQ(a.at("target").at("unit_id").as_int64(), unit);
  EXPECT_TRUE(a.at("target").at("staff_id").is_null());

  // A sitting of another window, or one without a window: refused, nothing stored.
  long long other =
      hall_->count("SELECT MIN(id) FROM windows WHERE id <> " + std::to_string(window));
  auto before = hall_->table_counts();
  auto wrong = hall_->post(
      "/api/v1/public/feedback",
      json::object{{"kind", "complaint"},
                   {"category", "hall"},
                   {"content", "x"},
                   {"target", json::object{{"window_id", other}, {"window_session_id", sitting}}}},
      &stu);
  EXPECT_EQ(wrong.status, 422) << wrong.body;
  EXPECT_EQ(wrong.error_field(), "target.window_session_id");
  auto alone = hall_->send(
      "POST", "/api/v1/public/feedback",
      json::serialize(json::object{{"kind", "complaint"},
                                   {"category", "hall"},
                                   {"content", "x"},
                                   {"target", json::object{{"window_session_id", sitting}}}}),
      &stu, {{"Accept-Language", "en"}});
  EXPECT_EQ(alone.status, 400) << alone.body;
  EXPECT_EQ(alone.error_field(), "target.window_id");
  EXPECT_TRUE(has(alone.body, "Missing required field target.window_id")) << alone.body;
  EXPECT_EQ(hall_->table_counts(), before);
}

// C3: the acknowledgement (1 working day) and the answer (5) are two deadlines; the list says which
// one is missed, so "overdue" never stands beside a date that is still ahead (issue #11, item 7).
TEST_P(FeedbackApi, TheListSaysWhichDeadlineIsMissed) {
  // Filed on a Monday evening (2026-12-07 20:00 in Shanghai): acknowledge by Tuesday's close,
  // answer by the close of the fifth working day — the hall's closing time, never 23:59.
  Clock::pin(parse_iso8601("2026-12-07T20:00:00+08:00", "t"));
  auto r = hall_->post("/api/v1/public/feedback", json::object{{"kind", "complaint"},
                                                               {"category", "hall"},
                                                               {"content", "晚上提交的投诉"},
                                                               {"contact_phone", "13900002222"}});
  ASSERT_EQ(r.status, 201) << r.body;
  long long id = r.json().at("id").as_int64();
  EXPECT_EQ(str(r.json(), "feedback_due_at"),
            iso8601_utc(parse_iso8601("2026-12-14T17:30:00+08:00", "t")));
  // Wednesday morning: the acknowledgement is missed, the answer still ahead.
  Clock::pin(parse_iso8601("2026-12-09T09:00:00+08:00", "t"));
  auto handler = hall_->login("staff09", "staff123");
  auto d = hall_->get("/api/v1/feedback/" + std::to_string(id), &handler);
  ASSERT_EQ(d.status, 200) << d.body;
  auto x = d.json();
  EXPECT_EQ(str(x, "ack_due_at"), iso8601_utc(parse_iso8601("2026-12-08T17:30:00+08:00", "t")));
  EXPECT_EQ(str(x, "feedback_due_at"),
            iso8601_utc(parse_iso8601("2026-12-14T17:30:00+08:00", "t")));
  EXPECT_EQ(str(x, "deadline_state"), "overdue");
  EXPECT_TRUE(x.at("ack_overdue").as_bool());
  EXPECT_FALSE(x.at("feedback_overdue").as_bool());
  // Assigned: the acknowledgement is done; nothing is missed until the answer's day has closed.
  ASSERT_EQ(
      hall_->post("/api/v1/feedback/" + std::to_string(id) + "/assign", json::object{}, &handler)
          .status,
      200);
  x = hall_->get("/api/v1/feedback/" + std::to_string(id), &handler).json();
  EXPECT_FALSE(x.at("ack_overdue").as_bool());
  EXPECT_FALSE(x.at("feedback_overdue").as_bool());
  EXPECT_EQ(str(x, "deadline_state"), "");
  Clock::pin(parse_iso8601("2026-12-14T17:31:00+08:00", "t"));
  auto later = hall_->login("staff09", "staff123");
  x = hall_->get("/api/v1/feedback/" + std::to_string(id), &later).json();
  EXPECT_FALSE(x.at("ack_overdue").as_bool());
  EXPECT_TRUE(x.at("feedback_overdue").as_bool());
  Clock::unpin();
}

// --- courtesy (B1) and the OpenAPI description ------------------------------------------------

TEST_P(FeedbackApi, FeedbackToTheStudentPassesTheCourtesyCheck) {
  auto handler = hall_->login("staff09", "staff123");
  auto r = hall_->post("/api/v1/public/feedback", json::object{{"kind", "complaint"}, {"category", "hall"},
                                                               {"content", "排队太久"}, {"contact_phone", "13900000000"}});
  ASSERT_EQ(r.status, 201);
  std::string base = "/api/v1/feedback/" + std::to_string(r.json().at("id").as_int64());
  ASSERT_EQ(hall_->post(base + "/assign", json::object{}, &handler).status, 200);
  auto before = hall_->count("SELECT COUNT(*) FROM feedback_items WHERE status = 'answered'");
  auto bad = hall_->post(base + "/answer",
                         json::object{{"findings", "你这人真啰嗦"}, {"handling", "已处理"}, {"upheld", false}}, &handler);
  EXPECT_EQ(bad.status, 422) << bad.body;
  EXPECT_EQ(bad.error_code(), "discourteous_text");
  EXPECT_EQ(bad.error_field(), "findings");
  EXPECT_EQ(hall_->count("SELECT COUNT(*) FROM feedback_items WHERE status = 'answered'"), before);
}

// C3 anti-retaliation beyond the person: a complaint about the handler's own unit,
// the window that unit staffs, or a colleague is never handled by that unit's
// staff nor shown to them with the complainant's identity; the teacher takes it.
TEST_P(FeedbackApi, ComplaintsAboutTheHandlersUnitOrItsWindowGoToTheTeacher) {
  auto stu = hall_->login("2023001001", "student123");
  auto handler = hall_->login("staff09", "staff123");  // 学生事务中心 (XSSW): staffs window 10
  auto teacher = hall_->login("teacher", "teacher123");
  long long xssw = hall_->count("SELECT id FROM units WHERE code = 'XSSW'");
  long long window10 = hall_->count("SELECT id FROM windows WHERE number = 10");
  long long staff10 = user_id("staff10");  // a colleague of the handler
  std::string png = std::string("\x89PNG\r\n\x1a\n", 8) + std::string(40, '\x02');
  const std::pair<const char*, long long> targets[] = {
      {"unit_id", xssw}, {"window_id", window10}, {"staff_id", staff10}};
  for (const auto& [key, value] : targets) {
    SCOPED_TRACE(key);
    auto r = hall_->post(
        "/api/v1/public/feedback",
        json::object{
            {"kind", "complaint"},
            {"category", "hall"},
            {"content", "投诉窗口的工作人员推诿"},
            {"target", json::object{{key, value}}},
            {"attachments", json::array{json::object{{"file_name", "photo.png"},
                                                     {"data_base64", wx::base64_encode(png)}}}}},
        &stu);
    ASSERT_EQ(r.status, 201) << r.body;
    long long id = r.json().at("id").as_int64();
    std::string base = "/api/v1/feedback/" + std::to_string(id);
    long long att =
        hall_->count("SELECT id FROM feedback_attachments WHERE item_id = " + std::to_string(id));
    auto before = hall_->table_counts();
    // The handler: no identity, no attachments, no handling — and the desk says why.
    auto who = hall_->get(base + "/identity", &handler);
    EXPECT_EQ(who.status, 403);
    EXPECT_FALSE(has(who.body, "2023001001"));
    auto detail = hall_->get(base, &handler);
    ASSERT_EQ(detail.status, 200) << detail.body;
    EXPECT_FALSE(detail.json().at("identity_visible").as_bool());
    EXPECT_FALSE(detail.json().at("may_handle").as_bool());
    EXPECT_TRUE(detail.json().at("attachments").as_array().empty());
    EXPECT_EQ(hall_->get(base + "/attachments/" + std::to_string(att), &handler).status, 403);
    EXPECT_EQ(hall_->post(base + "/assign", json::object{}, &handler).status, 403);
    EXPECT_EQ(hall_->post(base + "/start", json::object{}, &handler).status, 403);
    EXPECT_EQ(
        hall_
            ->post(base + "/answer",
                   json::object{{"findings", "a"}, {"handling", "b"}, {"upheld", false}}, &handler)
            .status,
        403);
    auto list = hall_->get("/api/v1/feedback?status=received", &handler);
    ASSERT_EQ(list.status, 200);
    EXPECT_TRUE(list.json().at("items").at(0).at("about_you").as_bool());
    // Nor may the teacher give it to the unit's staff.
    auto to_unit =
        hall_->post(base + "/assign", json::object{{"handler_id", user_id("staff09")}}, &teacher);
    EXPECT_EQ(to_unit.status, 422);
    EXPECT_EQ(to_unit.error_code(), "handler_is_target");
    EXPECT_EQ(hall_->table_counts(), before);
    // The teacher sees who complained and handles it.
    EXPECT_EQ(hall_->get(base + "/identity", &teacher).status, 200);
    EXPECT_EQ(hall_->get(base + "/attachments/" + std::to_string(att), &teacher).status, 200);
    EXPECT_TRUE(hall_->get(base, &teacher).json().at("may_handle").as_bool());
    auto mine = hall_->post(base + "/assign", json::object{}, &teacher);
    ASSERT_EQ(mine.status, 200) << mine.body;
    EXPECT_EQ(mine.json().at("handler_id").as_int64(), user_id("teacher"));
  }
  // A complaint about another unit's window stays with the complaints desk.
  auto other = hall_->post(
      "/api/v1/public/feedback",
      json::object{
          {"kind", "complaint"},
          {"category", "hall"},
          {"content", "3号窗口答复不耐心"},
          {"target",
           json::object{{"window_id", hall_->count("SELECT id FROM windows WHERE number = 3")}}}},
      &stu);
  std::string obase = "/api/v1/feedback/" + std::to_string(other.json().at("id").as_int64());
  EXPECT_EQ(hall_->get(obase + "/identity", &handler).status, 200);
  EXPECT_EQ(hall_->post(obase + "/assign", json::object{}, &handler).status, 200);
}

// C2 tracking without login: the secret is ten characters from an unambiguous
// alphabet; unknown numbers and wrong phones answer alike; failures are limited
// per phone number and per address (429 with Retry-After), and a right pair is
// still answered from an address that others have exhausted.
TEST_P(FeedbackApi, TrackingGuessesAreLimitedPerPhoneAndPerAddress) {
  auto submit = [&](const std::string& phone) {
    auto r = hall_->post("/api/v1/public/feedback", json::object{{"kind", "suggestion"},
                                                                 {"category", "logistics"},
                                                                 {"content", "建议增加饮水机"},
                                                                 {"contact_phone", phone}});
    EXPECT_EQ(r.status, 201) << r.body;
    return str(r.json(), "tracking_no");
  };
  auto track = [&](const std::string& no, const std::string& phone,
                   std::vector<std::pair<std::string, std::string>> h = {}) {
    return hall_->get("/api/v1/public/feedback/track?tracking_no=" + no + "&phone=" + phone,
                      nullptr, std::move(h));
  };
  std::string no = submit("13911112222");
  EXPECT_TRUE(std::regex_match(no, std::regex("J[0-9]{8}-[2-9A-HJ-NP-Z]{10}"))) << no;
  std::string lower = no;
  for (auto& ch : lower) ch = static_cast<char>(tolower(static_cast<unsigned char>(ch)));
  EXPECT_EQ(track(lower, "13911112222").status, 200);  // typed in lower case
  // Ten wrong guesses for one phone: unknown number and wrong secret answer alike.
  std::string unknown_body;
  for (int i = 0; i < 10; ++i) {
    auto r = track(no.substr(0, 10) + "2222222" + std::to_string(100 + i), "13911112222");
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(r.error_code(), "feedback_not_found");
    if (i == 0) unknown_body = r.body;
  }
  EXPECT_EQ(track("J20000101-ABCDEFGHJK", "13900000001").body, unknown_body);
  auto before = hall_->table_counts();
  auto limited = track(no, "13911112222");  // even the right number now waits
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(limited.error_code(), "too_many_attempts");
  EXPECT_GT(std::atoi(limited.header("retry-after").c_str()), 0);
  EXPECT_FALSE(has(limited.body, "建议增加饮水机"));
  auto en = track(no, "13911112222", {{"Accept-Language", "en"}});
  EXPECT_TRUE(has(en.body, "Too many failed look-ups")) << en.body;
  auto accept = hall_->post("/api/v1/public/feedback/track/accept",
                            json::object{{"tracking_no", no}, {"phone", "13911112222"}});
  EXPECT_EQ(accept.status, 429);
  EXPECT_FALSE(accept.header("retry-after").empty());
  EXPECT_EQ(hall_->table_counts(), before);
  // Per address: 30 failures (11 so far) and the address is stopped for every phone…
  std::string other = submit("13933334444");
  for (int i = 0; i < 19; ++i)
    EXPECT_EQ(
        track(other.substr(0, 10) + "ABCDEFGHJK", "1390000" + std::to_string(1000 + i)).status,
        404);
  EXPECT_EQ(track(other.substr(0, 10) + "ABCDEFGHJK", "13955556666").status, 429);
  // …except for a right pair: people sharing the address are not locked out.
  auto ok = track(other, "13933334444");
  EXPECT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(ok.header("cache-control"), "no-store");
}

// WeChat binding: six-digit codes live five minutes, and one WeChat account may
// guess five times; then even the right code waits.
TEST_P(FeedbackApi, WechatBindCodesExpireQuicklyAndGuessesAreLimited) {
  auto stu = hall_->login("2023001003", "student123");
  auto code_r = hall_->post("/api/v1/my/wechat-binding-code", json::object{}, &stu);
  ASSERT_EQ(code_r.status, 201) << code_r.body;
  std::string code = str(code_r.json(), "code");
  long long expires = parse_iso8601(str(code_r.json(), "expires_at"), "expires_at");
  EXPECT_LE(expires - Clock::now(), 5 * 60 * 1000 + 1000);
  std::string wrong = code == "000000" ? "000001" : "000000";
  for (int i = 0; i < 5; ++i)
    EXPECT_TRUE(has(reply_content(wechat_plain(text_msg("oEve", "绑定 " + wrong), now_ts(),
                                               "bind" + std::to_string(i))),
                    "无效"));
  EXPECT_TRUE(has(reply_content(wechat_plain(text_msg("oEve", "绑定 " + code), now_ts(), "bind5")),
                  "过多"));
  EXPECT_EQ(hall_->count("SELECT COUNT(*) FROM wechat_bindings WHERE openid = 'oEve'"), 0);
  EXPECT_EQ(hall_->count("SELECT COUNT(*) FROM wechat_bind_codes WHERE code = '" + code + "'"),
            1);  // not used up
  // The student's own account binds with it.
  EXPECT_TRUE(
      has(reply_content(wechat_plain(text_msg("oStudent3", "绑定 " + code), now_ts(), "bind6")),
          "绑定成功"));
  // An expired code is refused.
  auto code2 =
      str(hall_->post("/api/v1/my/wechat-binding-code", json::object{}, &stu).json(), "code");
  Clock::pin(Clock::now() + 5 * 60 * 1000 + 2000);
  EXPECT_TRUE(
      has(reply_content(wechat_plain(text_msg("oStudent3b", "绑定 " + code2), now_ts(), "bind7")),
          "无效"));
  Clock::unpin();
}

INSTANTIATE_TEST_SUITE_P(Backends, FeedbackApi, ::testing::ValuesIn(backends()), backend_name);


// --- ratings (B5) ------------------------------------------------------------------------------

class FeedbackRatings : public FeedbackApi {
 protected:
  // A ticket of the student at window `window_no`, served by `staff_login`, in `status`;
  // finished `ago_ms` before now when done. Written directly: the queue's own flow is tested in tests/queue.
  long long ticket(const std::string& student, int window_no, const std::string& staff_login, const std::string& status,
                   long long ago_ms = 0) {
    static int seq = 0;
    ++seq;
    long long now = Clock::now();
    return hall_->app().db->write([&](soci::session& s) {
      long long hall = 0, window = 0, item = 0, version = 0, stu = 0, staff = 0;
      s << "SELECT id FROM halls ORDER BY id", soci::into(hall);
      s << "SELECT id FROM windows WHERE number = :n AND hall_id = :h", soci::use(window_no), soci::use(hall), soci::into(window);
      s << "SELECT id, item_id FROM catalog_item_versions ORDER BY id", soci::into(version), soci::into(item);
      s << "SELECT id FROM users WHERE login = :l", soci::use(student), soci::into(stu);
      s << "SELECT id FROM users WHERE login = :l", soci::use(staff_login), soci::into(staff);
      long long opened = now - ago_ms - 600000;
      long long closed = now - ago_ms;
      s << "INSERT INTO queue_window_sessions (window_id, staff_id, opened_at, closed_at) VALUES (:w, :s, :o, :c)",
          soci::use(window), soci::use(staff), soci::use(opened), soci::use(closed);
      long long session = 0;
      s << "SELECT MAX(id) FROM queue_window_sessions", soci::into(session);
      std::string number = "R" + std::to_string(100 + seq), date = "2026-01-01", token = "tok-rating-" + std::to_string(seq);
      std::optional<long long> finished;
      if (status == "done") finished = now - ago_ms;
      long long taken = now - ago_ms - 900000;
      long long seq_no = seq;
      s << "INSERT INTO queue_tickets (hall_id, service_date, number, seq, queue_group, item_id, item_version_id, "
           "student_id, channel, status, status_token, sort_key, window_id, session_id, taken_at, finished_at) VALUES "
           "(:h, :d, :n, :q, 'R', :i, :v, :st, 'kiosk', :s, :tok, :k, :w, :se, :t, :f)",
          soci::use(hall), soci::use(date), soci::use(number), soci::use(seq_no), soci::use(item),
          soci::use(version), soci::use(stu), soci::use(status), soci::use(token), soci::use(taken), soci::use(window),
          soci::use(session), soci::use(taken), soci::use(finished);
      long long id = 0;
      s << "SELECT id FROM queue_tickets WHERE status_token = :t", soci::use(token), soci::into(id);
      return id;
    });
  }
  Session pad() { return Session{"demo-ratingpad-token-0001-window1", "", false}; }  // the demo pad of window 1
};

TEST_P(FeedbackRatings, OncePerTicketPadOnlyAfterFinishStaffNeverRate) {
  auto pad_session = pad();
  long long serving = ticket("2023001001", 1, "staff01", "serving");
  // While the service is going on, the pad asks nothing and refuses a rating.
  auto pending = hall_->get("/api/v1/rating-pad/pending", &pad_session);
  ASSERT_EQ(pending.status, 200) << pending.body;
  EXPECT_TRUE(pending.json().at("ticket").is_null());
  auto early = hall_->post("/api/v1/rating-pad/ratings", json::object{{"ticket_id", serving}, {"level", 1}}, &pad_session);
  EXPECT_EQ(early.status, 409);
  EXPECT_EQ(early.error_code(), "service_not_finished");
  // Finished: the pad shows it and takes one rating.
  hall_->app().db->write([&](soci::session& s) {
    long long now = Clock::now();
    s << "UPDATE queue_tickets SET status = 'done', finished_at = :f WHERE id = :i", soci::use(now), soci::use(serving);
  });
  pending = hall_->get("/api/v1/rating-pad/pending", &pad_session);
  ASSERT_FALSE(pending.json().at("ticket").is_null()) << pending.body;
  EXPECT_EQ(pending.json().at("ticket").at("ticket_id").as_int64(), serving);
  auto r = hall_->post("/api/v1/rating-pad/ratings",
                       json::object{{"ticket_id", serving}, {"level", 2}, {"tags", json::array{"efficiency", "attitude"}}},
                       &pad_session);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(str(r.json(), "level_name"), "满意");
  EXPECT_FALSE(r.json().at("return_visit").as_bool());
  EXPECT_TRUE(hall_->get("/api/v1/rating-pad/pending", &pad_session).json().at("ticket").is_null());
  auto stu = hall_->login("2023001001", "student123");
  auto before = hall_->table_counts();
  EXPECT_EQ(hall_->post("/api/v1/rating-pad/ratings", json::object{{"ticket_id", serving}, {"level", 1}}, &pad_session)
                .error_code(),
            "already_rated");
  EXPECT_EQ(hall_->post("/api/v1/my/ratings", json::object{{"ticket_id", serving}, {"level", 5}}, &stu).error_code(),
            "already_rated");
  // Another window's ticket is not the pad's; staff and the teacher never rate.
  long long other_window = ticket("2023001001", 3, "staff03", "done");
  EXPECT_EQ(hall_->post("/api/v1/rating-pad/ratings", json::object{{"ticket_id", other_window}, {"level", 1}}, &pad_session)
                .status,
            404);
  auto staff1 = hall_->login("staff01", "staff123");
  auto teacher = hall_->login("teacher", "teacher123");
  before = hall_->table_counts();
  for (auto* s : {&staff1, &teacher}) {
    auto refused = hall_->post("/api/v1/my/ratings", json::object{{"ticket_id", other_window}, {"level", 1}}, s);
    EXPECT_EQ(refused.status, 403) << refused.body;
  }
  EXPECT_EQ(hall_->get("/api/v1/rating-pad/pending", &staff1).status, 403);
  EXPECT_EQ(hall_->post("/api/v1/rating-pad/ratings", json::object{{"ticket_id", other_window}, {"level", 1}}, &staff1).status,
            403);
  // Bad input.
  EXPECT_EQ(hall_->post("/api/v1/my/ratings", json::object{{"ticket_id", other_window}, {"level", 6}}, &stu).error_field(),
            "level");
  EXPECT_EQ(hall_->post("/api/v1/my/ratings",
                        json::object{{"ticket_id", other_window}, {"level", 1}, {"tags", json::array{"speed"}}}, &stu)
                .error_field(),
            "tags");
  EXPECT_EQ(hall_->table_counts(), before);
}

TEST_P(FeedbackRatings, PortalWithinSevenDaysBadRatingsOpenReturnVisitsAndAppeals) {
  auto stu = hall_->login("2023001001", "student123");
  auto other = hall_->login("2023001002", "student123");
  auto teacher = hall_->login("teacher", "teacher123");
  auto staff1 = hall_->login("staff01", "staff123");
  const long long day = 24LL * 3600 * 1000;
  long long recent = ticket("2023001001", 1, "staff01", "done", 3 * day);
  long long old = ticket("2023001001", 1, "staff01", "done", 8 * day);
  auto ratable = hall_->get("/api/v1/my/ratable", &stu);
  ASSERT_EQ(ratable.status, 200) << ratable.body;
  // The demo day may hold finished tickets of this student too: ours is offered, the 8-day-old one is not.
  json::value offered = ratable.json();
  bool has_recent = false, has_old = false;
  for (const auto& x : offered.as_array()) {
    if (x.at("target").as_string() != "ticket") continue;  // completed cases are offered too
    has_recent = has_recent || x.at("ticket_id").as_int64() == recent;
    has_old = has_old || x.at("ticket_id").as_int64() == old;
  }
  EXPECT_TRUE(has_recent);
  EXPECT_FALSE(has_old);
  EXPECT_EQ(hall_->post("/api/v1/my/ratings", json::object{{"ticket_id", old}, {"level", 1}}, &stu).error_code(),
            "rating_closed");
  EXPECT_EQ(hall_->post("/api/v1/my/ratings", json::object{{"ticket_id", recent}, {"level", 1}}, &other).status, 404);
  auto bad = hall_->post("/api/v1/my/ratings",
                         json::object{{"ticket_id", recent}, {"level", 5}, {"comment", "等了很久"}, {"tags", json::array{"efficiency"}}},
                         &stu);
  ASSERT_EQ(bad.status, 201) << bad.body;
  EXPECT_TRUE(bad.json().at("return_visit").as_bool());
  long long rating = bad.json().at("id").as_int64();
  // The teacher's return visit (beside the demo's).
  auto visits = hall_->get("/api/v1/ratings/return-visits?status=open", &teacher);
  ASSERT_EQ(visits.status, 200) << visits.body;
  json::value open_visits = visits.json();
  long long visit = 0;
  for (const auto& v : open_visits.as_array()) {
    if (v.at("rating_id").as_int64() != rating) continue;
    visit = v.at("id").as_int64();
    EXPECT_EQ(str(v, "student_no"), "2023001001");
    EXPECT_EQ(str(v, "target"), "ticket");
  }
  ASSERT_NE(visit, 0) << visits.body;
  EXPECT_EQ(hall_->get("/api/v1/ratings/return-visits", &staff1).status, 403);
  EXPECT_EQ(hall_->post("/api/v1/ratings/return-visits/" + std::to_string(visit) + "/done",
                        json::object{{"note", "已电话回访，学生表示理解"}}, &teacher)
                .status,
            200);
  // The staff member sees the rating of their own service from the next day, without the student,
  // and appeals it by its reference; the teacher decides.
  long long yesterday = Clock::now() - day;
  std::string around_then =
      "from=" + iso8601_utc(yesterday - 60000) + "&to=" + iso8601_utc(yesterday + 60000);
  hall_->app().db->write([&](soci::session& s) {
    s << "UPDATE feedback_ratings SET created_at = :t WHERE id = :i", soci::use(yesterday),
        soci::use(rating);
  });
  auto mine = hall_->get("/api/v1/ratings", &staff1);
  ASSERT_EQ(mine.status, 200) << mine.body;
  EXPECT_FALSE(has(mine.body, "2023001001"));
  std::string ref;
  json::value mine_json = mine.json();
  for (const auto& r : mine_json.at("items").as_array())
    if (r.at("comment").as_string() == "等了很久") ref = str(r, "ref");
  ASSERT_FALSE(ref.empty()) << mine.body;
  EXPECT_EQ(hall_
                ->post("/api/v1/ratings/" + ref + "/appeal",
                       json::object{{"reason", "系统故障导致等待"}}, &stu)
                .status,
            404);
  ASSERT_EQ(hall_
                ->post("/api/v1/ratings/" + ref + "/appeal",
                       json::object{{"reason", "系统故障导致等待"}}, &staff1)
                .status,
            200);
  EXPECT_EQ(hall_->post("/api/v1/ratings/" + std::to_string(rating) + "/appeal-decision",
                        json::object{{"uphold", true}, {"note", "x"}}, &staff1)
                .status,
            403);
  auto sat_before =
      hall_->get("/api/v1/ratings/satisfaction?group=staff&" + around_then, &teacher).json();
  auto d = hall_->post("/api/v1/ratings/" + std::to_string(rating) + "/appeal-decision",
                       json::object{{"uphold", true}, {"note", "叫号系统当日故障，属实"}}, &teacher);
  ASSERT_EQ(d.status, 200) << d.body;
  EXPECT_EQ(str(d.json(), "appeal_status"), "upheld");
  EXPECT_EQ(hall_->count("SELECT COUNT(*) FROM audit_log WHERE action = 'rating.appeal_decision'"), 1);
  ASSERT_EQ(sat_before.at("rows").as_array().size(), 1u);
  EXPECT_EQ(sat_before.at("rows").as_array()[0].at("ratings").as_int64(), 1);
  EXPECT_TRUE(hall_->get("/api/v1/ratings/satisfaction?group=staff&" + around_then, &teacher)
                  .json()
                  .at("rows")
                  .as_array()
                  .empty());
}

TEST_P(FeedbackRatings, SatisfactionRatePerWindowAndStaff) {
  long long visits_before = hall_->count("SELECT COUNT(*) FROM feedback_return_visits");
  auto pad_session = pad();
  auto stu = hall_->login("2023001001", "student123");
  auto teacher = hall_->login("teacher", "teacher123");
  // Window 1 (staff01): 非常满意, 满意, 基本满意, 不满意 → 3/4; window 3 (staff03): 非常满意 → 1/1.
  for (int level : {1, 2, 3, 4}) {
    long long t = ticket("2023001001", 1, "staff01", "done", 60000);
    ASSERT_EQ(hall_->post("/api/v1/my/ratings", json::object{{"ticket_id", t}, {"level", level}}, &stu).status, 201);
  }
  long long t3 = ticket("2023001001", 3, "staff03", "done", 60000);
  ASSERT_EQ(hall_->post("/api/v1/my/ratings", json::object{{"ticket_id", t3}, {"level", 1}}, &stu).status, 201);
  auto by_window = hall_->get("/api/v1/ratings/satisfaction?group=window&" + since_, &teacher);
  ASSERT_EQ(by_window.status, 200) << by_window.body;
  std::map<std::string, double> rates;
  json::value rows = by_window.json();
  for (const auto& r : rows.at("rows").as_array()) rates[str(r, "key")] = r.at("rate").as_double();
  EXPECT_DOUBLE_EQ(rates["1"], 0.75);
  EXPECT_DOUBLE_EQ(rates["3"], 1.0);
  json::value all = hall_->get("/api/v1/ratings/satisfaction?" + since_, &teacher).json();
  EXPECT_DOUBLE_EQ(all.at("rows").as_array()[0].at("rate").as_double(), 0.8);
  EXPECT_FALSE(all.at("rows").as_array()[0].at("meets_target").as_bool());
  EXPECT_EQ(hall_->get("/api/v1/ratings/satisfaction?group=weather", &teacher).status, 400);
  EXPECT_EQ(hall_->get("/api/v1/ratings/satisfaction", &pad_session).status, 403);
  // Only the 不满意 opened a return visit.
  EXPECT_EQ(hall_->count("SELECT COUNT(*) FROM feedback_return_visits"), visits_before + 1);
}

// B5 privacy: staff see the ratings of their own services without any key back
// to the student — no ticket, case, number, window or instant; only the date,
// from the day after; an opaque reference to appeal with. The teacher sees all.
TEST_P(FeedbackRatings, StaffSeeTheirRatingsWithoutAnyKeyToTheStudent) {
  auto stu = hall_->login("2023001001", "student123");
  auto staff1 = hall_->login("staff01", "staff123");
  auto staff3 = hall_->login("staff03", "staff123");
  auto teacher = hall_->login("teacher", "teacher123");
  const long long day = 24LL * 3600 * 1000;
  long long old_ticket = ticket("2023001001", 1, "staff01", "done", 2 * day);
  long long new_ticket = ticket("2023001001", 1, "staff01", "done", 60000);
  auto r1 = hall_->post(
      "/api/v1/my/ratings",
      json::object{{"ticket_id", old_ticket}, {"level", 5}, {"comment", "前天等太久"}}, &stu);
  ASSERT_EQ(r1.status, 201) << r1.body;
  ASSERT_EQ(
      hall_
          ->post("/api/v1/my/ratings",
                 json::object{{"ticket_id", new_ticket}, {"level", 1}, {"comment", "今天很好"}},
                 &stu)
          .status,
      201);
  long long rating = r1.json().at("id").as_int64();
  long long two_days_ago = Clock::now() - 2 * day;
  hall_->app().db->write([&](soci::session& s) {
    s << "UPDATE feedback_ratings SET created_at = :t WHERE id = :i", soci::use(two_days_ago),
        soci::use(rating);
  });
  std::string old_number = hall_->app().db->read([&](soci::session& s) {
    std::string n;
    s << "SELECT number FROM queue_tickets WHERE id = :i", soci::use(old_ticket), soci::into(n);
    return n;
  });
  auto mine = hall_->get("/api/v1/ratings", &staff1);
  ASSERT_EQ(mine.status, 200) << mine.body;
  EXPECT_FALSE(has(mine.body, "2023001001"));
  EXPECT_FALSE(has(mine.body, old_number));
  EXPECT_FALSE(has(mine.body, "今天很好"));  // today's rating shows tomorrow
  json::value v = mine.json();
  std::string ref;
  for (const auto& r : v.at("items").as_array()) {
    for (const char* key : {"id", "ticket_id", "case_id", "number", "created_at", "window_number",
                            "channel", "student_id"})
      EXPECT_FALSE(r.as_object().contains(key)) << key;
    if (r.at("comment").as_string() == "前天等太久") {
      ref = str(r, "ref");
      EXPECT_EQ(str(r, "rated_on"), local_date(two_days_ago, 480));
      EXPECT_TRUE(r.at("may_appeal").as_bool());
    }
  }
  ASSERT_FALSE(ref.empty()) << mine.body;
  EXPECT_NE(ref, std::to_string(rating));
  EXPECT_GE(v.at("summary").at("ratings").as_int64(), 1);
  // Appeals name the reference, never the id; another staff member's reference finds nothing.
  auto before = hall_->table_counts();
  EXPECT_EQ(hall_
                ->post("/api/v1/ratings/" + std::to_string(rating) + "/appeal",
                       json::object{{"reason", "叫号系统故障"}}, &staff1)
                .status,
            404);
  EXPECT_EQ(hall_
                ->post("/api/v1/ratings/" + ref + "/appeal",
                       json::object{{"reason", "叫号系统故障"}}, &staff3)
                .status,
            404);
  EXPECT_EQ(hall_->table_counts(), before);
  auto ap = hall_->post("/api/v1/ratings/" + ref + "/appeal",
                        json::object{{"reason", "叫号系统故障"}}, &staff1);
  ASSERT_EQ(ap.status, 200) << ap.body;
  EXPECT_EQ(str(ap.json(), "appeal_status"), "pending");
  EXPECT_EQ(
      hall_->post("/api/v1/ratings/" + ref + "/appeal", json::object{{"reason", "again"}}, &staff1)
          .status,
      409);
  // The teacher (oversight) keeps the full view.
  auto all = hall_->get("/api/v1/ratings?appeal=pending", &teacher);
  ASSERT_EQ(all.status, 200);
  bool found = false;
  json::value av = all.json();
  for (const auto& r : av.at("items").as_array())
    if (r.at("id").as_int64() == rating) {
      found = true;
      EXPECT_EQ(r.at("ticket_id").as_int64(), old_ticket);
    }
  EXPECT_TRUE(found);
}

INSTANTIATE_TEST_SUITE_P(Backends, FeedbackRatings, ::testing::ValuesIn(backends()), backend_name);

}  // namespace
}  // namespace hall::test
