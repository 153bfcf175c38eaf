// Pinyin and file rules of the catalog, without a database.
#include <gtest/gtest.h>

#include "catalog/model.hpp"
#include "catalog/pinyin.hpp"
#include "support/test_support.hpp"

namespace hall::catalog {
namespace {

const PinyinTable& table() {
  static PinyinTable t = PinyinTable::load(test::source_path("data/pinyin/hanzi_pinyin.tsv"));
  return t;
}

TEST(CatalogPinyin, TableLoadsFromData) {
  EXPECT_GT(table().size(), 20000u);
  ASSERT_NE(table().readings(U'在'), nullptr);
  EXPECT_EQ(table().readings(U'在')->front(), "zai");
  EXPECT_EQ(table().readings(U'绿')->front(), "lv");
}

TEST(CatalogPinyin, PrecomputedStrings) {
  PinyinName p = to_pinyin("在读证明", table());
  EXPECT_EQ(p.full, "zaiduzhengming");
  EXPECT_EQ(p.initials, "zdzm");
  EXPECT_EQ(p.spaced, "zai du zheng ming");
  PinyinName mixed = to_pinyin("英语四六级(CET-4)证明", table());
  EXPECT_EQ(mixed.initials, "yysljcet4zm");
  EXPECT_EQ(mixed.spaced, "ying yu si liu ji cet 4 zheng ming");
}

struct MatchCase {
  const char *name, *query;
  bool match;
};

TEST(CatalogPinyin, MatchTable) {
  const MatchCase cases[] = {
      {"在读证明", "zdzm", true},        {"在读证明", "zaidu", true},          {"在读证明", "zaiduzhengming", true},
      {"在读证明", "zaid", true},        {"在读证明", "zdzhengm", true},       {"在读证明", "duzheng", true},
      {"在读证明", "zhengming", true},   {"在读证明", "zdzmx", false},         {"在读证明", "zaiduzhengmingx", false},
      {"在读证明", "zm", true},          {"在读证明", "mz", false},            {"在读证明", "zzm", false},
      {"学生证补办", "xszbb", true},     {"学生证补办", "xuesheng", true},     {"学生证补办", "xszhbb", true},
      {"银行卡", "yinhang", true},       {"银行卡", "yh", true},              {"银行卡", "yinxing", true},  // 行: xing/hang
      {"成长记录", "chengchang", true},  {"成长记录", "chengzhang", true},    {"绿色通道", "lvse", true},
      {"在读证明", "", false},           {"英语四六级(CET-4)证明", "cet4", true}, {"英语四六级(CET-4)证明", "ysljcet", true},
  };
  for (const auto& c : cases)
    EXPECT_EQ(pinyin_matches(to_pinyin(c.name, table()), normalize_pinyin_query(c.query)), c.match)
        << c.name << " / " << c.query;
}

TEST(CatalogPinyin, QueryNormalisation) {
  EXPECT_EQ(normalize_pinyin_query("Zai Du"), "zaidu");
  EXPECT_EQ(normalize_pinyin_query("xi'an"), "xian");
  EXPECT_EQ(normalize_pinyin_query("lü"), "lv");
  EXPECT_EQ(normalize_pinyin_query("在读"), "");
  EXPECT_EQ(normalize_pinyin_query("zd%"), "");
}

TEST(CatalogFiles, SniffByMagicBytes) {
  EXPECT_EQ(sniff_file("%PDF-1.7\n...", "a.pdf")->mime, "application/pdf");
  EXPECT_EQ(sniff_file("%PDF-1.7\n...", "renamed.docx")->mime, "application/pdf");  // the bytes decide
  EXPECT_EQ(sniff_file(std::string("\x89PNG\r\n\x1a\n....", 12), "x.png")->mime, "image/png");
  EXPECT_EQ(sniff_file("\xFF\xD8\xFF\xE0....", "x.jpg")->mime, "image/jpeg");
  std::string ole("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8);
  EXPECT_EQ(sniff_file(ole + "xxxx", "form.doc")->mime, "application/msword");
  EXPECT_EQ(sniff_file(ole + "xxxx", "form.XLS")->mime, "application/vnd.ms-excel");
  EXPECT_FALSE(sniff_file(ole + "xxxx", "form.msi"));
  EXPECT_FALSE(sniff_file("MZ\x90\x00 this is an exe", "form.pdf"));
  EXPECT_FALSE(sniff_file("<html><script>", "form.pdf"));
  EXPECT_FALSE(sniff_file(std::string("PK\x03\x04garbage", 11), "form.docx"));
  EXPECT_FALSE(sniff_file("", "form.pdf"));
}

TEST(CatalogFiles, NamesAndDisposition) {
  EXPECT_EQ(clean_file_name("../../etc/passwd"), "passwd");
  EXPECT_EQ(clean_file_name("C:\\Users\\x\\申请表.docx"), "申请表.docx");
  EXPECT_EQ(clean_file_name("a\"b\r\n.pdf"), "ab.pdf");
  EXPECT_EQ(clean_file_name(".."), "file");
  EXPECT_EQ(content_disposition("申请表.pdf", false),
            "attachment; filename=\"_________.pdf\"; filename*=UTF-8''%E7%94%B3%E8%AF%B7%E8%A1%A8.pdf");
  EXPECT_EQ(base64_decode(base64_encode(std::string("\0\1\2xyz\xff", 7))), std::string("\0\1\2xyz\xff", 7));
  EXPECT_EQ(base64_decode(base64_encode("ab")), "ab");
  EXPECT_EQ(base64_decode(base64_encode("")), "");
}

TEST(CatalogRules, PeriodsAndTexts) {
  std::vector<Period> p = {{"2025-09-01", "2025-09-14", "开学两周"}, {"2026-02-23", "2026-03-06", ""}};
  EXPECT_TRUE(period_open(p, "2025-09-01"));
  EXPECT_TRUE(period_open(p, "2025-09-14"));
  EXPECT_FALSE(period_open(p, "2025-09-15"));
  EXPECT_TRUE(period_open({}, "2025-09-15"));
  EXPECT_EQ(next_period(p, "2025-10-01")->from, "2026-02-23");
  EXPECT_FALSE(next_period(p, "2026-03-07"));
  EXPECT_EQ(time_limit_text(0).zh, "即办");
  EXPECT_EQ(time_limit_text(5).en, "5 working days");
  EXPECT_EQ(fee_text(1000, "").zh, "¥10.00");
  EXPECT_EQ(fee_text(0, "").en, "Free");
}

}  // namespace
}  // namespace hall::catalog
