// The courtesy check (B1, B6.1) as pure rules: normalisation with offsets back
// into the original, the pattern syntax, and the shipped phrases on a table of
// texts (tests/courtesy/phrases.tsv: each B1 phrasing, its variants, and polite
// texts that must pass).
#include <gtest/gtest.h>


#include "courtesy/model.hpp"
#include "courtesy/phrases.hpp"
#include "support/test_support.hpp"

namespace hall::test {
namespace {

using namespace hall::courtesy;

Matcher builtin_matcher() {
  std::vector<Phrase> ps;
  std::int64_t id = 1;
  for (const auto& b : builtin_phrases()) {
    Phrase p = b.phrase;
    p.id = id++;
    ps.push_back(p);
  }
  return Matcher(ps);
}

TEST(CourtesyModel, ShippedPhrasesOnTheTable) {
  Matcher m = builtin_matcher();
  ASSERT_EQ(m.phrases().size(), builtin_phrases().size()) << "every shipped pattern parses";
  int rows = 0, polite = 0;
  for (const auto& row : read_tsv("tests/courtesy/phrases.tsv", 2, 3)) {
    const auto& cells = row.cells;
    ++rows;
    CheckResult r = m.check(cells[0]);
    SCOPED_TRACE(row.where() + " " + cells[0]);
    if (cells[1] == "ok") {
      ++polite;
      EXPECT_TRUE(r.ok) << "matched " << (r.matches.empty() ? "" : r.matches[0].phrase + " on " + r.matches[0].text);
      EXPECT_TRUE(r.suggestion.empty());
      continue;
    }
    ASSERT_FALSE(r.ok);
    EXPECT_EQ(r.matches[0].phrase, cells[1]);
    if (cells.size() > 2) EXPECT_EQ(r.matches[0].text, cells[2]);
    EXPECT_EQ(r.suggestion, r.matches[0].suggestion);
    EXPECT_FALSE(r.suggestion.empty());
  }
  EXPECT_GE(rows, 50);
  EXPECT_GE(polite, 10);
}

TEST(CourtesyModel, EachB1PhrasingIsCaughtAsWritten) {
  Matcher m = builtin_matcher();
  // B1's own wording, with its punctuation (regulations.zh.txt).
  for (const char* t : {"你这人真啰嗦!", "你去找领导好了", "我没空、等等", "你有没有搞错,我们不管这事", "要下班了,明天再来!"})
    EXPECT_FALSE(m.check(t).ok) << t;
}

TEST(CourtesyModel, OffsetsAreUtf16UnitsOfTheOriginal) {
  Matcher m({{7, "我没空", "我没空", "请稍等，我马上为您办理"}});
  // "😀" is one code point but two UTF-16 units; the full-width space and comma are dropped.
  std::string text = "😀您好，我　没空！";
  CheckResult r = m.check(text);
  ASSERT_EQ(r.matches.size(), 1u);
  const Match& x = r.matches[0];
  EXPECT_EQ(x.phrase_id, 7);
  EXPECT_EQ(x.start, 5u);  // 😀(2) 您 好 ，
  EXPECT_EQ(x.end, 9u);    // 我 　 没 空
  EXPECT_EQ(x.text, "我　没空");
  EXPECT_EQ(r.suggested_text, "😀您好，请稍等，我马上为您办理！");
  // Two matches of one phrase; the whole text when it is only the phrase.
  r = m.check("我没空，我没空");
  ASSERT_EQ(r.matches.size(), 2u);
  EXPECT_EQ(r.matches[0].start, 0u);
  EXPECT_EQ(r.matches[0].end, 3u);
  EXPECT_EQ(r.matches[1].start, 4u);
  EXPECT_EQ(r.matches[1].end, 7u);
}

TEST(CourtesyModel, Normalisation) {
  auto norm = [](const char* s) { return to_utf8(normalize(s).text); };
  EXPECT_EQ(norm("ＡＢＣ１２３"), "abc123");
  EXPECT_EQ(norm("Hello, World!"), "heloworld");  // ll counts once, like 没没
  EXPECT_EQ(norm("你 这 人，真啰嗦！"), "你这人真啰嗦");
  EXPECT_EQ(norm("這個人"), "这个人");
  EXPECT_EQ(norm("我没没空空"), "我没空");
  EXPECT_EQ(norm("等，等"), "等");
  EXPECT_EQ(norm("a\u200bb\ufeffc\u2060d"), "abcd");
  EXPECT_EQ(norm("好😡好"), "好");
  EXPECT_EQ(norm("〇"), "〇");
  EXPECT_EQ(norm(""), "");
  // Invalid UTF-8 does not throw: each bad byte is a replacement character, which is dropped.
  Normalized n = normalize(std::string("a\xff") + "b");
  ASSERT_EQ(n.text.size(), 2u);
  EXPECT_EQ(n.spans[1].byte_start, 2u);
  EXPECT_EQ(n.spans[1].u16_start, 2u);
}

TEST(CourtesyModel, PatternSyntax) {
  auto matches = [](const char* pattern, const char* text) {
    Pattern p = parse_pattern(pattern);
    return !find_all(p, normalize(text).text).empty();
  };
  // Alternatives, optional parts, gaps.
  EXPECT_TRUE(matches("(啰嗦|罗嗦|啰唆)了", "罗嗦了"));
  EXPECT_TRUE(matches("你[这个|这]人", "你人"));
  EXPECT_TRUE(matches("你[这个|这]人", "你这个人"));
  EXPECT_TRUE(matches("找{2}领导", "找你们领导"));
  EXPECT_FALSE(matches("找{2}领导", "找他们的领导"));
  EXPECT_TRUE(matches("找…领导", "找他们的领导"));
  EXPECT_TRUE(matches("找...领导", "找他们的领导"));
  EXPECT_TRUE(matches("甲乙|丙丁", "丙丁"));
  // Full-width brackets of a Chinese input method.
  EXPECT_TRUE(matches("（啰嗦｜罗嗦）了", "啰嗦了"));
  EXPECT_TRUE(matches("你【这】人", "你人"));
  EXPECT_TRUE(matches("你｛2｝人", "你们的人"));
  // Punctuation and spaces inside a pattern are ignored.
  EXPECT_TRUE(matches("我没空、等等", "我没空等"));
  // Nesting.
  EXPECT_TRUE(matches("((明|后)天|改天)再来", "后天再来"));
}

TEST(CourtesyModel, BadPatternsAreRefusedWithTheirPosition) {
  struct Row {
    const char* pattern;
    std::size_t position;
  } rows[] = {
      {"(啰嗦", 0},       {"啰嗦)", 2},        {"[啰嗦", 0},   {"你(|我)", 1},     {"{3}你好", 0},
      {"你好{3}", 0},     {"你好{0}我", 2},    {"你好{21}我", 2}, {"你好{x}我", 2}, {"你", 0},
      {"[你好]", 0},      {"你|我们", 0},      {"", 0},        {"，。！", 0},       {"你好}", 2},
      {"((((((你好))))))", 5},
  };
  for (const auto& r : rows) {
    SCOPED_TRACE(r.pattern);
    try {
      parse_pattern(r.pattern);
      ADD_FAILURE() << "accepted";
    } catch (const PatternError& e) {
      EXPECT_EQ(e.position(), r.position) << e.what();
      EXPECT_FALSE(e.zh().empty());
    }
  }
  std::string ab;
  for (int i = 0; i < 100; ++i) ab += "ab";
  EXPECT_NO_THROW(parse_pattern(ab));
  EXPECT_THROW(parse_pattern(ab + "c"), PatternError);
}

TEST(CourtesyModel, PathologicalPatternsStayFast) {
  // Many nested optional parts and gaps against a long text: bounded work.
  Pattern p = parse_pattern("[a|b][a|b][a|b][a|b]{20}[a|b]{20}[a|b]{20}c{20}d");
  std::string text(2000, 'a');
  auto t0 = std::chrono::steady_clock::now();
  auto found = find_all(p, normalize(text).text);
  EXPECT_TRUE(found.empty());
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(2));
}

TEST(CourtesyModel, PoliteTextWithoutPhrasesIsOk) {
  Matcher m(std::vector<Phrase>{});
  CheckResult r = m.check("你这人真啰嗦");
  EXPECT_TRUE(r.ok);
  EXPECT_TRUE(r.matches.empty());
}

}  // namespace
}  // namespace hall::test
