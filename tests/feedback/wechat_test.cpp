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

}  // namespace
}  // namespace hall::feedback
