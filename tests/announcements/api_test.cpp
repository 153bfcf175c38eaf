// Announcements (B6.4): who may write them, what the public sees (published and
// in their window only), bodies rendered inert, and bad input. The renderer
// alone: markdown_test.cpp.
#include <gtest/gtest.h>

#include "core/clock.hpp"
#include "support/test_support.hpp"

namespace hall::test {
namespace {


std::string str(const json::value& v, const char* key) { return std::string(v.at(key).as_string()); }
bool has(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }

class AnnouncementsApi : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override { hall_ = std::make_unique<TestHall>(GetParam()); }
  TestHall& h() { return *hall_; }
  std::vector<std::string> public_titles(const std::string& query = "") {
    auto r = h().get("/api/v1/public/announcements" + query);
    EXPECT_EQ(r.status, 200) << r.body;
    std::vector<std::string> out;
    json::value v = r.json();  // keep the document alive while iterating
    for (const auto& i : v.at("items").as_array()) out.push_back(str(i, "title"));
    return out;
  }
  std::unique_ptr<TestHall> hall_;
};

std::string iso_in_days(double days) {
  return iso8601_utc(Clock::now() + static_cast<Millis>(days * 24 * 3600 * 1000));
}

TEST_P(AnnouncementsApi, DemoAnnouncementsArePublicExceptTheDraft) {
  auto titles = public_titles();
  EXPECT_EQ(titles.size(), 4u);
  EXPECT_EQ(titles.front(), "2027年寒假大厅开放安排");  // pinned first
  for (const auto& t : titles) EXPECT_FALSE(has(t, "草稿")) << t;
  auto list = h().get("/api/v1/public/announcements").json();
  EXPECT_EQ(list.at("total").as_int64(), 4);
  auto first = list.at("items").as_array()[0];
  EXPECT_FALSE(first.as_object().contains("body"));
  EXPECT_FALSE(str(first, "excerpt").empty());
  auto detail = h().get("/api/v1/public/announcements/" + std::to_string(first.at("id").as_int64()));
  ASSERT_EQ(detail.status, 200);
  EXPECT_TRUE(has(str(detail.json(), "body_html"), "<strong>闭厅时间</strong>"));
  EXPECT_FALSE(detail.json().as_object().contains("author"));  // staff names stay internal
  // The draft exists but is not public.
  long long draft = h().count("SELECT id FROM announcements WHERE published = 0");
  EXPECT_EQ(h().get("/api/v1/public/announcements/" + std::to_string(draft)).status, 404);
}

TEST_P(AnnouncementsApi, OnlyPublishedAndCurrentAnnouncementsArePublic) {
  auto s = h().login("teacher", "teacher123");  // the responsible teacher may publish
  auto make = [&](json::object body) {
    auto r = h().post("/api/v1/announcements", body, &s);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json();
  };
  auto draft = make({{"title", "草稿公告"}, {"body", "未发布"}});
  EXPECT_EQ(str(draft, "status"), "draft");
  EXPECT_TRUE(draft.at("publish_from").is_null());
  auto expired = make({{"title", "过期公告"}, {"body", "x"}, {"published", true},
                       {"publish_from", iso_in_days(-10)}, {"publish_until", iso_in_days(-1)}});
  EXPECT_EQ(str(expired, "status"), "expired");
  auto scheduled = make({{"title", "定时公告"}, {"body", "x"}, {"published", true}, {"publish_from", iso_in_days(2)}});
  EXPECT_EQ(str(scheduled, "status"), "scheduled");
  auto live = make({{"title", "现行公告"}, {"body", "x"}, {"published", true}, {"hall_id", 1}, {"pinned", true}});
  EXPECT_EQ(str(live, "status"), "published");
  EXPECT_EQ(str(live.at("author"), "name"), "周敏");

  auto titles = public_titles();
  EXPECT_EQ(std::count(titles.begin(), titles.end(), "现行公告"), 1);
  for (const char* hidden : {"草稿公告", "过期公告", "定时公告"}) {
    EXPECT_EQ(std::count(titles.begin(), titles.end(), hidden), 0) << hidden;
  }
  for (const auto& a : {draft, expired, scheduled})
    EXPECT_EQ(h().get("/api/v1/public/announcements/" + std::to_string(a.at("id").as_int64())).status, 404);

  // Publishing the draft makes it public; unpublishing hides it again.
  std::string path = "/api/v1/announcements/" + std::to_string(draft.at("id").as_int64());
  auto r = h().patch(path, json::object{{"published", true}}, &s);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(str(r.json(), "status"), "published");
  EXPECT_EQ(h().get("/api/v1/public/announcements/" + std::to_string(draft.at("id").as_int64())).status, 200);
  h().patch(path, json::object{{"published", false}}, &s);
  EXPECT_EQ(h().get("/api/v1/public/announcements/" + std::to_string(draft.at("id").as_int64())).status, 404);

  // Staff list filters by status.
  auto staff = h().get("/api/v1/announcements?status=expired", &s).json();
  EXPECT_EQ(staff.at("total").as_int64(), 1);
  EXPECT_EQ(h().get("/api/v1/announcements?status=bogus", &s).error_field(), "status");
  EXPECT_EQ(h().count("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'announcements.%'"), 6);

  ASSERT_EQ(h().send("DELETE", path, "", &s).status, 204);
  EXPECT_EQ(h().get(path, &s).status, 404);
}

TEST_P(AnnouncementsApi, HallFilterShowsTheHallsAndAllHallAnnouncements) {
  long long other = h().app().db->write([](soci::session& s) {
    long long id = 0, now = Clock::now();
    s << "INSERT INTO halls (code, name, created_at) VALUES ('south', '南校区大厅', :t) RETURNING id", soci::use(now),
        soci::into(id);
    return id;
  });
  auto s = h().login("admin", "admin123");
  ASSERT_EQ(h().post("/api/v1/announcements",
                     json::object{{"title", "南校区通知"}, {"body", "x"}, {"published", true}, {"hall_id", other}}, &s)
                .status,
            201);
  auto main_titles = public_titles("?hall=1");
  auto south_titles = public_titles("?hall=" + std::to_string(other));
  EXPECT_EQ(std::count(main_titles.begin(), main_titles.end(), "南校区通知"), 0);
  EXPECT_EQ(std::count(south_titles.begin(), south_titles.end(), "南校区通知"), 1);
  // All-hall announcements appear in both; hall 1's own pinned one only in hall 1.
  EXPECT_EQ(std::count(south_titles.begin(), south_titles.end(), "学生证补办流程调整的通知"), 1);
  EXPECT_EQ(std::count(south_titles.begin(), south_titles.end(), "2027年寒假大厅开放安排"), 0);
}

TEST_P(AnnouncementsApi, InjectedHtmlIsStoredAsWrittenAndRenderedInert) {
  auto s = h().login("admin", "admin123");
  std::string body = "<script>alert('x')</script>\n\n[点我](javascript:alert(1)) <img src=x onerror=alert(1)>";
  auto r = h().post("/api/v1/announcements",
                    json::object{{"title", "<b>标题</b>"}, {"body", body}, {"published", true}}, &s);
  ASSERT_EQ(r.status, 201) << r.body;
  auto id = r.json().at("id").as_int64();
  auto pub = h().get("/api/v1/public/announcements/" + std::to_string(id)).json();
  EXPECT_EQ(str(pub, "body"), body);  // the source is kept verbatim
  std::string html = str(pub, "body_html");
  EXPECT_FALSE(has(html, "<script")) << html;
  EXPECT_FALSE(has(html, "<img")) << html;
  EXPECT_FALSE(has(html, "javascript:")) << html;
  EXPECT_TRUE(has(html, "&lt;script&gt;")) << html;
  // Plain-text format escapes everything, Markdown markers included.
  r = h().patch("/api/v1/announcements/" + std::to_string(id), json::object{{"format", "text"}}, &s);
  html = str(r.json(), "body_html");
  EXPECT_TRUE(has(html, "[点我](javascript:alert(1))")) << html;
  EXPECT_FALSE(has(html, "<a ")) << html;
}

TEST_P(AnnouncementsApi, OnlyAnnouncementWritersMayWrite) {
  auto before = h().table_counts();
  for (auto [login, pw] : {std::pair{"2023001001", "student123"}, {"staff01", "staff123"}, {"jwc_head", "head1234"}}) {
    auto s = h().login(login, pw);
    EXPECT_EQ(h().post("/api/v1/announcements", json::object{{"title", "x"}, {"body", "y"}}, &s).status, 403) << login;
    EXPECT_EQ(h().get("/api/v1/announcements", &s).status, 403) << login;
    EXPECT_EQ(h().patch("/api/v1/announcements/1", json::object{{"title", "x"}}, &s).status, 403) << login;
    EXPECT_EQ(h().send("DELETE", "/api/v1/announcements/1", "", &s).status, 403) << login;
  }
  EXPECT_EQ(h().post("/api/v1/announcements", json::object{{"title", "x"}, {"body", "y"}}).status, 401);
  auto after = h().table_counts();
  for (auto* t : {"sessions", "audit_log"}) {
    after.erase(t);
    before.erase(t);
  }
  EXPECT_EQ(after, before);
  EXPECT_EQ(h().count("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'announcements.%'"), 0);
}

TEST_P(AnnouncementsApi, BadInputNamesTheFieldAndChangesNothing) {
  auto s = h().login("admin", "admin123");
  auto before = h().table_counts();
  struct Case {
    json::value body;
    std::string code, field;
  } cases[] = {
      {json::object{{"body", "y"}}, "missing_field", "title"},
      {json::object{{"title", "x"}}, "missing_field", "body"},
      {json::object{{"title", std::string(101, 'x')}, {"body", "y"}}, "too_long", "title"},
      {json::object{{"title", "x"}, {"body", "y"}, {"hall_id", 99}}, "unknown_hall", "hall_id"},
      {json::object{{"title", "x"}, {"body", "y"}, {"format", "html"}}, "invalid_format", "format"},
      {json::object{{"title", "x"}, {"body", "y"}, {"publish_from", "tomorrow"}}, "invalid_time", "publish_from"},
      {json::object{{"title", "x"}, {"body", "y"}, {"publish_from", "2026-03-02T08:00:00+08:00"},
                    {"publish_until", "2026-03-01T08:00:00+08:00"}},
       "publish_until_before_from", "publish_until"},
      {json::object{{"title", "x"}, {"body", "y"}, {"pinned", "yes"}}, "wrong_type", "pinned"},
      {json::object{{"title", "x"}, {"body", "y"}, {"colour", "red"}}, "unknown_field", "colour"},
  };
  for (const auto& c : cases) {
    auto r = h().post("/api/v1/announcements", c.body, &s);
    EXPECT_EQ(r.status, 400) << json::serialize(c.body) << " " << r.body;
    EXPECT_EQ(r.error_code(), c.code) << json::serialize(c.body) << " " << r.body;
    EXPECT_EQ(r.error_field(), c.field) << json::serialize(c.body);
  }
  EXPECT_EQ(h().patch("/api/v1/announcements/9999", json::object{{"title", "x"}}, &s).status, 404);
  EXPECT_EQ(h().get("/api/v1/public/announcements/abc").status, 404);
  EXPECT_EQ(h().get("/api/v1/public/announcements?page_size=500").error_field(), "page_size");
  EXPECT_EQ(h().table_counts(), before);
}

INSTANTIATE_TEST_SUITE_P(Backends, AnnouncementsApi, ::testing::ValuesIn(backends()), backend_name);

}  // namespace
}  // namespace hall::test
