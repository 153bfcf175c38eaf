// The courtesy check (B1 文明用语): pure rules, no I/O.
//
// Staff must never write to a student in words that hurt, provoke or damage
// the hall's image (B1: “你这人真啰嗦!”, “你去找领导好了”, “我没空、等等”,
// “你有没有搞错,我们不管这事”, “要下班了,明天再来!”), nor just say “I don't
// know” (B6.1). Administrators keep a list of forbidden phrasings, each with a
// courteous wording to suggest; this file normalises texts and matches them.
//
// Normalisation (applied alike to texts and to the literal parts of patterns):
//   - full-width forms → half-width (ＡＢＣ１２３ → abc123), Latin letters → lower case;
//   - spaces, punctuation (ASCII, CJK, full-width), symbols, emoji and
//     zero-width/format characters are removed (你 这 人，真啰嗦！→ 你这人真啰嗦);
//   - common traditional characters → simplified where the mapping is one to
//     one (這個人 → 这个人, 沒空 → 没空);
//   - a run of the same character counts once (我没没空 → 我没空, 啰嗦嗦嗦 → 啰嗦).
//     Consequence: a doubled word in a pattern (等等) matches a single 等, so a
//     pattern must give context rather than consist of a doubled word alone;
//     patterns matching fewer than 2 characters are refused.
// Every normalised character keeps the span it came from in the original text,
// so matches are reported as offsets into the original.
//
// Pattern syntax (what an administrator writes):
//   你这人真啰嗦            literal text (punctuation and spaces in it are ignored)
//   (啰嗦|罗嗦|啰唆)        one of the alternatives
//   [这个|这]               optional: one of the alternatives, or nothing
//   {3}                     a gap: any 0 to 3 characters (1 ≤ N ≤ 20)
//   …  or  ...              a gap of 0 to 6 characters
//   A|B                     at the top level: either whole pattern
// Full-width brackets typed with a Chinese input method work too: （）［］【】｛｝｜.
// Groups nest (at most 5 deep). A gap must stand between two parts, never at
// either end. Example: 你[这][个]人{3}(啰嗦|罗嗦|啰唆) matches 你这人真啰嗦,
// “你 这 人，真啰嗦！”, 你这个人真罗嗦 and 你这人太啰嗦了.
#pragma once

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace hall::courtesy {

// --- normalisation -----------------------------------------------------------

// One character of the normalised text and where it came from in the original:
// byte offsets into the UTF-8 text and UTF-16 code unit offsets (JavaScript
// string indices, what the web UI uses to highlight).
struct Span {
  std::uint32_t byte_start = 0, byte_end = 0;
  std::uint32_t u16_start = 0, u16_end = 0;
};

struct Normalized {
  std::u32string text;
  std::vector<Span> spans;  // spans[i] belongs to text[i]
};

// The normal form of one code point, or 0 when the character is dropped.
char32_t fold(char32_t c);
// Normalises a UTF-8 text (invalid bytes count as U+FFFD, one byte each).
Normalized normalize(std::string_view utf8);
std::string to_utf8(std::u32string_view s);

// --- patterns ----------------------------------------------------------------

class PatternError : public std::runtime_error {
 public:
  PatternError(std::string zh, std::string en, std::size_t position)
      : std::runtime_error(en), zh_(std::move(zh)), position_(position) {}
  const std::string& zh() const { return zh_; }
  std::size_t position() const { return position_; }  // in characters of the pattern

 private:
  std::string zh_;
  std::size_t position_;
};

struct Node;
using Seq = std::vector<Node>;

struct Node {
  enum class Kind { literal, group, gap } kind = Kind::literal;
  std::u32string text;     // literal (normalised)
  std::vector<Seq> alts;   // group
  bool optional = false;   // group: [..]
  int max_gap = 0;         // gap
};

struct Pattern {
  std::vector<Seq> alts;  // top-level alternatives
  int min_length = 0;     // fewest normalised characters a match spans
};

// Throws PatternError (with a bilingual reason and the position) on bad syntax,
// a gap at either end, an empty group, a pattern that may match fewer than 2
// characters, or a pattern longer than 200 characters.
Pattern parse_pattern(std::string_view source);

// --- matching ----------------------------------------------------------------

struct Phrase {
  std::int64_t id = 0;
  std::string label;       // how the phrase is shown (e.g. 你这人真啰嗦)
  std::string pattern;     // the syntax above
  std::string suggestion;  // the courteous wording to use instead
};

struct Match {
  std::int64_t phrase_id = 0;
  std::string phrase;      // the phrase's label
  std::string suggestion;
  std::string text;        // the matched part of the original text
  std::uint32_t start = 0, end = 0;            // UTF-16 code units, end exclusive
  std::uint32_t byte_start = 0, byte_end = 0;  // UTF-8 bytes
};

struct CheckResult {
  bool ok = true;
  std::vector<Match> matches;  // by start, then longest first
  std::string suggestion;      // of the first match ("" when ok)
  std::string suggested_text;  // the text with each matched part replaced by its suggestion
};

// Compiled phrases; immutable and thread-safe once built.
class Matcher {
 public:
  // Phrases whose pattern does not parse are skipped (the store only keeps valid ones).
  explicit Matcher(std::vector<Phrase> phrases);
  CheckResult check(std::string_view text) const;
  const std::vector<Phrase>& phrases() const { return phrases_; }

 private:
  std::vector<Phrase> phrases_;
  std::vector<Pattern> compiled_;
};

// Matches of one pattern in a normalised text (non-overlapping, leftmost first):
// [start, end) pairs of indexes into n.text.
std::vector<std::pair<std::size_t, std::size_t>> find_all(const Pattern& p, const std::u32string& text);

}  // namespace hall::courtesy
