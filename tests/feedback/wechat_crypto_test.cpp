// The WeChat message protocol (pure functions) against the samples published
// with the protocol's documentation (token QDG6eK, EncodingAESKey
// jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C, AppID wx5823bf96d3bd56c7),
// and our encryption checked by an independent implementation (the openssl CLI).
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <optional>

#include "feedback/model.hpp"
#include "feedback/wechat.hpp"
#include "wechat_samples.hpp"

namespace hall::feedback {
namespace {

using namespace wechat;

TEST(FeedbackWechatCrypto, SampleSignaturesMatch) {
  EXPECT_EQ(signature({sample::kToken, sample::kTimestamp, sample::kNonce, sample::kEncrypt}),
            sample::kMsgSignature);
  EXPECT_EQ(signature({sample::kToken, "1409659589", "263014780", sample::kEchoEncrypt}),
            "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3");
  // Order of the parts does not matter (they are sorted).
  EXPECT_EQ(signature({sample::kEncrypt, sample::kNonce, sample::kTimestamp, sample::kToken}),
            sample::kMsgSignature);
  EXPECT_EQ(sha1_hex("abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
}

TEST(FeedbackWechatCrypto, SampleMessageDecrypts) {
  Crypt c(sample::kAesKey);
  auto d = c.decrypt(sample::kEncrypt);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->app_id, sample::kAppId);
  auto m = parse_xml(d->message);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->at("FromUserName"), "mycreate");
  EXPECT_EQ(m->at("MsgType"), "text");
  EXPECT_EQ(m->at("Content"), "hello");
  EXPECT_EQ(m->at("CreateTime"), "1409659813");

  auto echo = c.decrypt(sample::kEchoEncrypt);
  ASSERT_TRUE(echo);
  EXPECT_EQ(echo->message, "1616140317555161061");
  EXPECT_EQ(echo->app_id, sample::kAppId);
}

TEST(FeedbackWechatCrypto, EncryptRoundTripsAndPadsTo32ByteBlocks) {
  Crypt c(sample::kAesKey);
  for (std::size_t len : {0u, 1u, 11u, 12u, 13u, 43u, 44u, 100u, 1000u}) {
    std::string msg(len, 'x');
    std::string enc = c.encrypt(msg, sample::kAppId, "0123456789abcdef");
    auto raw = base64_decode(enc);
    ASSERT_TRUE(raw);
    EXPECT_EQ(raw->size() % 32, 0u) << len;
    // Always at least one byte of padding (a whole block when already aligned).
    EXPECT_GT(raw->size(), 20 + len + std::string(sample::kAppId).size() - 1) << len;
    auto d = c.decrypt(enc);
    ASSERT_TRUE(d) << len;
    EXPECT_EQ(d->message, msg);
    EXPECT_EQ(d->app_id, sample::kAppId);
  }
}

// Our ciphertext, decrypted by openssl enc (an independent AES-256-CBC), is the
// hand-built plaintext: random16 + big-endian length + message + app id + PKCS#7 to 32.
TEST(FeedbackWechatCrypto, EncryptionMatchesAnIndependentImplementation) {
  if (std::system("openssl version > /dev/null 2>&1") != 0)
    GTEST_SKIP() << "openssl CLI not installed";
  Crypt c(sample::kAesKey);
  std::string msg = "<xml><Content><![CDATA[投诉 测试]]></Content></xml>";
  std::string enc = c.encrypt(msg, sample::kAppId, "ABCDEFGHIJKLMNOP");
  std::string key_hex, iv_hex;
  const char* hex = "0123456789abcdef";
  for (std::size_t i = 0; i < 32; ++i) {
    unsigned char b = static_cast<unsigned char>(c.key()[i]);
    key_hex += hex[b >> 4];
    key_hex += hex[b & 15];
    if (i < 16) iv_hex = key_hex;
  }
  std::string in = testing::TempDir() + "/wx_enc.bin", out = testing::TempDir() + "/wx_dec.bin";
  {
    std::ofstream f(in, std::ios::binary);
    f << *base64_decode(enc);
  }
  std::string cmd = "openssl enc -d -aes-256-cbc -nopad -K " + key_hex + " -iv " + iv_hex +
                    " -in " + in + " -out " + out;
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  std::ifstream f(out, std::ios::binary);
  std::string plain((std::istreambuf_iterator<char>(f)), {});
  std::string expected = "ABCDEFGHIJKLMNOP";
  std::uint32_t n = static_cast<std::uint32_t>(msg.size());
  expected += static_cast<char>(n >> 24);
  expected += static_cast<char>((n >> 16) & 0xff);
  expected += static_cast<char>((n >> 8) & 0xff);
  expected += static_cast<char>(n & 0xff);
  expected += msg + sample::kAppId;
  std::size_t pad = 32 - expected.size() % 32;
  expected.append(pad, static_cast<char>(pad));
  EXPECT_EQ(plain, expected);
}

TEST(FeedbackWechatCrypto, RejectsDamagedCiphertexts) {
  Crypt c(sample::kAesKey);
  std::string good = sample::kEncrypt;
  EXPECT_FALSE(c.decrypt(""));
  EXPECT_FALSE(c.decrypt("not base64!"));
  EXPECT_FALSE(c.decrypt(good.substr(0, good.size() - 4)));       // not whole blocks
  EXPECT_FALSE(c.decrypt(base64_encode(std::string(32, '\0'))));  // garbage: bad padding or length
  // Another key: the padding or the length field is wrong (or the app id differs).
  Crypt other("abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG");
  auto d = other.decrypt(good);
  EXPECT_TRUE(!d || d->app_id != sample::kAppId);
  EXPECT_THROW(Crypt("short"), std::invalid_argument);
}

TEST(FeedbackWechatCrypto, XmlParsingAndReplies) {
  EXPECT_FALSE(parse_xml("<xml><a>1</a>"));
  EXPECT_FALSE(parse_xml("not xml"));
  EXPECT_FALSE(parse_xml("<root><a>1</a></root>"));
  EXPECT_FALSE(parse_xml(""));
  auto m = parse_xml("<xml><A><![CDATA[x]]></A><B>2</B></xml>");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->at("A"), "x");
  EXPECT_EQ(m->at("B"), "2");
  // A reply survives a "]]>" in the content.
  auto r = parse_xml(text_reply("u", "me", 1, "a]]>b"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->at("Content"), "a]]>b");
  EXPECT_EQ(r->at("ToUserName"), "u");
  EXPECT_EQ(r->at("MsgType"), "text");
  auto e = parse_xml(encrypted_reply("ENC", "SIG", "123", "456"));
  ASSERT_TRUE(e);
  EXPECT_EQ(e->at("Encrypt"), "ENC");
  EXPECT_EQ(e->at("MsgSignature"), "SIG");
  EXPECT_EQ(e->at("TimeStamp"), "123");
  EXPECT_EQ(e->at("Nonce"), "456");
}

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

}  // namespace
}  // namespace hall::feedback

namespace hall::feedback {
namespace {

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
