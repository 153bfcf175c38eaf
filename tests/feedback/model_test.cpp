// The pure rules of complaints, suggestions and ratings (feedback/model.hpp):
// WeChat text intents, the C3 workflow, attachments by magic bytes (C2),
// deadline states and tracking numbers, the B5 satisfaction rate and when a
// service may be rated.
#include <gtest/gtest.h>

#include <optional>

#include "feedback/model.hpp"

namespace hall::feedback {
namespace {

TEST(FeedbackModel, WechatTextIntents) {
  struct Row {
    const char* in;
    WechatIntent::Kind kind;
    const char* text;
  } rows[] = {
      {"投诉 窗口态度差", WechatIntent::complaint, "窗口态度差"},
      {"投诉：窗口态度差", WechatIntent::complaint, "窗口态度差"},
      {"  建议延长开放时间 ", WechatIntent::suggestion, "延长开放时间"},
      {"查询 T20261126-000001", WechatIntent::query, "T20261126-000001"},
      {"绑定 123456", WechatIntent::bind, "123456"},
      {"你好", WechatIntent::help, "你好"},
      {"我要投诉", WechatIntent::help, "我要投诉"},
      {"投诉", WechatIntent::complaint, ""},
  };
  for (const auto& r : rows) {
    auto i = classify_wechat_text(r.in);
    EXPECT_EQ(i.kind, r.kind) << r.in;
    EXPECT_EQ(i.text, r.text) << r.in;
  }
}

TEST(FeedbackModel, WorkflowTransitions) {
  struct Row {
    const char* status;
    Action a;
    bool disputed;
    const char* next;  // "" = refused
  } rows[] = {
      {"received", Action::assign, false, "assigned"},
      {"received", Action::start, false, ""},
      {"received", Action::answer, false, ""},
      {"assigned", Action::start, false, "investigating"},
      {"assigned", Action::answer, false, "answered"},
      {"investigating", Action::answer, false, "answered"},
      {"answered", Action::accept, false, "closed"},
      {"answered", Action::dispute, false, "investigating"},
      {"answered", Action::dispute, true, ""},
      {"answered", Action::accept, true, "closed"},
      {"answered", Action::close, false, ""},
      {"answered", Action::close, true, "closed"},
      {"closed", Action::accept, false, ""},
      {"closed", Action::dispute, false, ""},
      {"closed", Action::assign, false, ""},
      {"investigating", Action::accept, false, ""},
  };
  for (const auto& r : rows) {
    auto n = next_status(r.status, r.a, r.disputed);
    EXPECT_EQ(n.value_or(""), r.next) << r.status << " " << static_cast<int>(r.a);
  }
}

TEST(FeedbackModel, AttachmentsByMagicBytes) {
  EXPECT_EQ(sniff_attachment(std::string("\x89PNG\r\n\x1a\n....", 12)), "image/png");
  EXPECT_EQ(sniff_attachment("\xff\xd8\xff\xe0"), "image/jpeg");
  EXPECT_EQ(sniff_attachment("GIF89a..."), "image/gif");
  EXPECT_EQ(sniff_attachment("RIFF1234WEBPVP8 "), "image/webp");
  EXPECT_EQ(sniff_attachment("%PDF-1.7\n"), "application/pdf");
  EXPECT_EQ(sniff_attachment("<svg></svg>"), "");
  EXPECT_EQ(sniff_attachment("MZ\x90"), "");
  EXPECT_EQ(sniff_attachment(""), "");
}

TEST(FeedbackModel, DeadlineStatesAndTrackingNumbers) {
  const long long day = 24LL * 3600 * 1000;
  EXPECT_EQ(deadline_state("received", 10 * day, 9 * day, 20 * day),
            "overdue");  // not acknowledged in time
  EXPECT_EQ(deadline_state("assigned", 10 * day, 9 * day, 20 * day), "");
  EXPECT_EQ(deadline_state("investigating", 10 * day, 9 * day, 10 * day + 3600000), "due_soon");
  EXPECT_EQ(deadline_state("investigating", 11 * day, 9 * day, 10 * day), "overdue");
  EXPECT_EQ(deadline_state("answered", 11 * day, 9 * day, 10 * day), "");
  EXPECT_EQ(deadline_state("closed", 11 * day, 9 * day, 10 * day), "");
  // Ten characters of 32 (no 0/O, 1/I): 50 bits, written most significant first.
  EXPECT_EQ(tracking_number("complaint", "2026-11-26", 0), "T20261126-2222222222");
  EXPECT_EQ(tracking_number("complaint", "2026-11-26", 42),
            "T20261126-222222223C");  // 42 = 1·32 + 10
  EXPECT_EQ(tracking_number("suggestion", "2026-11-26", (1ull << 50) - 1), "J20261126-ZZZZZZZZZZ");
  EXPECT_EQ(tracking_number("praise", "2026-01-02", 1), "B20260102-2222222223");
  EXPECT_EQ(normalize_tracking_no(" t20261126-222222223c\n"), "T20261126-222222223C");
}

// B5: satisfaction = share of the top three levels; target 96%.
TEST(FeedbackModel, SatisfactionRateTable) {
  struct Row {
    long long top, total;
    double rate;  // -1: no ratings
    bool meets;
  } rows[] = {
      {0, 0, -1, false},    {1, 1, 1.0, true},     {96, 100, 0.96, true}, {95, 100, 0.95, false},
      {24, 25, 0.96, true}, {23, 25, 0.92, false}, {0, 3, 0.0, false},    {199, 200, 0.995, true},
  };
  for (const auto& r : rows) {
    auto rate = satisfaction_rate(r.top, r.total);
    if (r.rate < 0) {
      EXPECT_FALSE(rate) << r.top << "/" << r.total;
      continue;
    }
    ASSERT_TRUE(rate);
    EXPECT_DOUBLE_EQ(*rate, r.rate) << r.top << "/" << r.total;
    EXPECT_EQ(*rate >= kSatisfactionTarget, r.meets) << r.top << "/" << r.total;
  }
  ASSERT_EQ(rating_levels().size(), 5u);
  EXPECT_EQ(rating_levels()[0], "非常满意");
  EXPECT_EQ(rating_levels()[4], "非常不满意");
  for (int level = 1; level <= 5; ++level) EXPECT_EQ(is_bad_rating(level), level >= 4) << level;
}

// B5: a service is rated once it is finished, at the pad for 30 minutes, in the portal for 7 days.
TEST(FeedbackModel, RatingWindowTable) {
  constexpr long long kMin = 60LL * 1000, kDay = 24 * 60 * kMin, kFinished = 1'000'000'000'000;
  struct Row {
    const char* name;
    bool finished;
    long long after;  // now − finished_at
    bool pad;
    std::optional<RatingRefusal> want;
  } rows[] = {
      {"not finished, portal", false, 0, false, RatingRefusal::not_finished},
      {"not finished, pad", false, 0, true, RatingRefusal::not_finished},
      {"pad at once", true, 0, true, std::nullopt},
      {"pad at 30 minutes", true, 30 * kMin, true, std::nullopt},
      {"pad 1 ms after 30 minutes", true, 30 * kMin + 1, true, RatingRefusal::closed},
      {"portal after 30 minutes", true, 30 * kMin + 1, false, std::nullopt},
      {"portal at 7 days", true, 7 * kDay, false, std::nullopt},
      {"portal 1 ms after 7 days", true, 7 * kDay + 1, false, RatingRefusal::closed},
      {"portal after 8 days", true, 8 * kDay, false, RatingRefusal::closed},
  };
  for (const auto& r : rows)
    EXPECT_EQ(rating_refusal(r.finished, kFinished, kFinished + r.after, r.pad), r.want) << r.name;
}

}  // namespace
}  // namespace hall::feedback
