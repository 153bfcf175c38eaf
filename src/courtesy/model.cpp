#include "courtesy/model.hpp"

#include <algorithm>
#include <unordered_map>

namespace hall::courtesy {

namespace {

// Traditional → simplified, only where one traditional character has one
// simplified form (so the mapping never guesses): the characters of staff
// replies and of the B1 phrasings.
const std::unordered_map<char32_t, char32_t>& traditional() {
  static const std::unordered_map<char32_t, char32_t> m = [] {
    const char32_t* pairs[] = {
        U"這这", U"個个", U"們们", U"沒没", U"來来", U"領领", U"導导", U"囉啰", U"嚕噜", U"錯错", U"麼么", U"說说",
        U"請请", U"謝谢", U"見见", U"對对", U"時时", U"間间", U"問问", U"題题", U"辦办", U"會会", U"別别", U"煩烦",
        U"還还", U"過过", U"給给", U"讓让", U"處处", U"應应", U"經经", U"點点", U"關关", U"務务", U"頭头", U"長长",
        U"為为", U"嗎吗", U"聽听", U"識识", U"現现", U"無无", U"幫帮", U"裡里", U"裏里", U"門门", U"開开", U"學学",
        U"習习", U"書书", U"證证", U"號号", U"話话", U"電电", U"氣气", U"態态", U"羅罗", U"歸归", U"負负", U"責责",
        U"曉晓", U"邊边", U"進进", U"東东", U"區区", U"隊队", U"鐘钟", U"級级", U"網网", U"顯显", U"單单", U"壞坏",
        U"兒儿", U"樣样", U"種种", U"從从", U"準准", U"備备", U"馬马", U"麻麻", U"難难", U"誰谁", U"趕赶", U"緊紧",
        U"們们", U"滾滚", U"嗦嗦", U"找找", U"等等", U"空空", U"閒闲", U"忙忙", U"沒没", U"幹干", U"並并", U"搗捣",
        U"亂乱", U"吵吵", U"鬧闹", U"傻傻", U"懶懒", U"愛爱", U"該该", U"讀读", U"寫写", U"記记", U"則则", U"規规",
        U"視视", U"覺觉", U"講讲", U"話话", U"喚唤", U"嘮唠", U"叨叨", U"囉啰",
    };
    std::unordered_map<char32_t, char32_t> out;
    for (const char32_t* p : pairs)
      if (p[0] != p[1]) out[p[0]] = p[1];
    return out;
  }();
  return m;
}

bool dropped(char32_t c) {
  if (c < 0x20 || c == 0x7F) return true;
  if (c < 0x80) {
    // ASCII: keep letters and digits only.
    return !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
  }
  if (c >= 0x80 && c <= 0xBF) return true;        // Latin-1 controls, NBSP, ¡…¿ symbols
  if (c == 0xD7 || c == 0xF7) return true;        // × ÷
  if (c >= 0x0300 && c <= 0x036F) return true;    // combining diacritics
  if (c >= 0x2000 && c <= 0x206F) return true;    // general punctuation, spaces, zero-width, bidi marks
  if (c >= 0x20A0 && c <= 0x20CF) return true;    // currency
  if (c >= 0x2100 && c <= 0x2BFF) return true;    // letterlike, arrows, maths, shapes, dingbats
  if (c >= 0x3000 && c <= 0x3004) return true;    // ideographic space and punctuation
  if (c >= 0x3008 && c <= 0x303F) return true;    // CJK brackets and punctuation (keeps 々〆〇)
  if (c >= 0x30FB && c <= 0x30FC) return true;    // ・ー
  if (c >= 0xFE00 && c <= 0xFE0F) return true;    // variation selectors
  if (c >= 0xFE10 && c <= 0xFE6F) return true;    // vertical, compatibility and small forms
  if (c == 0xFEFF) return true;                   // BOM / zero-width no-break space
  if (c >= 0xFF5F && c <= 0xFF65) return true;    // half-width CJK punctuation
  if (c >= 0xFFE0 && c <= 0xFFEE) return true;    // full-width symbols
  if (c >= 0xFFF0 && c <= 0xFFFF) return true;    // specials
  if (c >= 0x1F000 && c <= 0x1FAFF) return true;  // emoji, pictographs
  if (c >= 0xE0000 && c <= 0xE007F) return true;  // tags
  return false;
}

// Decodes one UTF-8 sequence at s[i]; invalid bytes → U+FFFD, one byte.
char32_t decode(std::string_view s, std::size_t& i) {
  auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = b(i);
  auto cont = [&](std::size_t k) { return k < s.size() && (b(k) & 0xC0) == 0x80; };
  if (c < 0x80) {
    ++i;
    return c;
  }
  if ((c & 0xE0) == 0xC0 && c >= 0xC2 && cont(i + 1)) {
    char32_t r = ((c & 0x1F) << 6) | (b(i + 1) & 0x3F);
    i += 2;
    return r;
  }
  if ((c & 0xF0) == 0xE0 && cont(i + 1) && cont(i + 2)) {
    char32_t r = ((c & 0x0F) << 12) | ((b(i + 1) & 0x3F) << 6) | (b(i + 2) & 0x3F);
    if (r >= 0x800 && (r < 0xD800 || r > 0xDFFF)) {
      i += 3;
      return r;
    }
  }
  if ((c & 0xF8) == 0xF0 && cont(i + 1) && cont(i + 2) && cont(i + 3)) {
    char32_t r = ((c & 0x07) << 18) | ((b(i + 1) & 0x3F) << 12) | ((b(i + 2) & 0x3F) << 6) | (b(i + 3) & 0x3F);
    if (r >= 0x10000 && r <= 0x10FFFF) {
      i += 4;
      return r;
    }
  }
  ++i;
  return 0xFFFD;
}

void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) out += static_cast<char>(c);
  else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

// --- pattern parser ------------------------------------------------------------

constexpr int kMaxDepth = 5;
constexpr std::size_t kMaxPatternChars = 200;
constexpr int kDefaultGap = 6;
constexpr int kMaxGap = 20;

// The pattern's characters with full-width brackets folded to their syntax form.
std::u32string pattern_chars(std::string_view src) {
  std::u32string out;
  for (std::size_t i = 0; i < src.size();) {
    char32_t c = decode(src, i);
    switch (c) {
      case U'（': c = '('; break;
      case U'）': c = ')'; break;
      case U'［': case U'【': c = '['; break;
      case U'］': case U'】': c = ']'; break;
      case U'｛': c = '{'; break;
      case U'｝': c = '}'; break;
      case U'｜': c = '|'; break;
      case U'．': c = '.'; break;
      default: break;
    }
    out += c;
  }
  return out;
}

class Parser {
 public:
  explicit Parser(std::u32string src) : s_(std::move(src)) {}

  Pattern parse() {
    if (s_.size() > kMaxPatternChars) fail("表达式最多 200 个字符", "A pattern has at most 200 characters", 0);
    Pattern p;
    p.alts = alternatives(0);
    if (pos_ < s_.size()) fail("多余的右括号", "Unbalanced closing bracket", pos_);
    for (const auto& seq : p.alts) check_edges(seq, true);
    p.min_length = min_alts(p.alts);
    if (p.min_length < 2)
      fail("表达式可能只匹配不到 2 个字，范围太宽", "The pattern may match fewer than 2 characters; it is too broad", 0);
    return p;
  }

 private:
  [[noreturn]] void fail(const char* zh, const char* en, std::size_t at) { throw PatternError(zh, en, at); }

  std::vector<Seq> alternatives(int depth) {
    std::vector<Seq> alts;
    alts.push_back(sequence(depth));
    while (pos_ < s_.size() && s_[pos_] == '|') {
      ++pos_;
      alts.push_back(sequence(depth));
    }
    return alts;
  }

  Seq sequence(int depth) {
    Seq seq;
    std::u32string lit;
    auto flush = [&] {
      if (lit.empty()) return;
      // Runs of one character count once (as in texts), also across the literal.
      std::u32string collapsed;
      for (char32_t c : lit)
        if (collapsed.empty() || collapsed.back() != c) collapsed += c;
      Node n;
      n.kind = Node::Kind::literal;
      n.text = collapsed;
      seq.push_back(std::move(n));
      lit.clear();
    };
    while (pos_ < s_.size()) {
      char32_t c = s_[pos_];
      if (c == '|' || c == ')' || c == ']') break;
      if (c == '(' || c == '[') {
        flush();
        std::size_t open = pos_++;
        if (depth + 1 > kMaxDepth) fail("括号嵌套最多 5 层", "Groups nest at most 5 deep", open);
        Node n;
        n.kind = Node::Kind::group;
        n.optional = c == '[';
        n.alts = alternatives(depth + 1);
        char32_t close = c == '(' ? ')' : ']';
        if (pos_ >= s_.size() || s_[pos_] != close) fail("括号没有闭合", "Unclosed bracket", open);
        ++pos_;
        for (const auto& a : n.alts) {
          if (a.empty()) fail("括号里有空的选项", "Empty alternative in a group", open);
          check_edges(a, false);
        }
        seq.push_back(std::move(n));
        continue;
      }
      if (c == '{') {
        flush();
        std::size_t open = pos_++;
        int n = 0, digits = 0;
        while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9' && digits < 3) n = n * 10 + (s_[pos_++] - '0'), ++digits;
        if (!digits || pos_ >= s_.size() || s_[pos_] != '}')
          fail("间隔应写作 {N}，N 为 1 到 20", "A gap is written {N} with N from 1 to 20", open);
        ++pos_;
        if (n < 1 || n > kMaxGap) fail("间隔应写作 {N}，N 为 1 到 20", "A gap is written {N} with N from 1 to 20", open);
        gap(seq, n);
        continue;
      }
      if (c == '}') fail("多余的右花括号", "Unbalanced closing brace", pos_);
      if (c == U'…') {
        flush();
        ++pos_;
        while (pos_ < s_.size() && s_[pos_] == U'…') ++pos_;  // ……
        gap(seq, kDefaultGap);
        continue;
      }
      if (c == '.' && s_.compare(pos_, 3, U"...") == 0) {
        flush();
        pos_ += 3;
        gap(seq, kDefaultGap);
        continue;
      }
      ++pos_;
      if (char32_t f = fold(c)) lit += f;
    }
    flush();
    return seq;
  }

  void gap(Seq& seq, int n) {
    if (!seq.empty() && seq.back().kind == Node::Kind::gap) {
      seq.back().max_gap = std::min(kMaxGap, seq.back().max_gap + n);
      return;
    }
    Node g;
    g.kind = Node::Kind::gap;
    g.max_gap = n;
    seq.push_back(std::move(g));
  }

  // A gap at the start or end of a whole alternative (top level) or of a group's
  // alternative would only widen the highlighted span or match nothing useful.
  void check_edges(const Seq& seq, bool top) {
    if (seq.empty()) {
      if (top) fail("表达式为空或含有空的选项", "Empty pattern or empty alternative", 0);
      return;
    }
    if (seq.front().kind == Node::Kind::gap || seq.back().kind == Node::Kind::gap)
      fail("间隔只能放在两部分之间", "A gap must stand between two parts", 0);
  }

  static int min_seq(const Seq& seq) {
    int n = 0;
    for (const auto& node : seq) {
      if (node.kind == Node::Kind::literal) n += static_cast<int>(node.text.size());
      else if (node.kind == Node::Kind::group && !node.optional) n += min_alts(node.alts);
    }
    return n;
  }
  static int min_alts(const std::vector<Seq>& alts) {
    int best = INT32_MAX;
    for (const auto& a : alts) best = std::min(best, min_seq(a));
    return best == INT32_MAX ? 0 : best;
  }

  std::u32string s_;
  std::size_t pos_ = 0;
};

// --- matcher (backtracking with continuations; patterns are small) --------------

struct Cont {
  const Seq* seq;
  std::size_t index;
  const Cont* next;
};

class Runner {
 public:
  explicit Runner(const std::u32string& text) : t_(text) {}

  // Matches seq[i..] then the continuation, from pos; on success *end is where the whole match ends.
  bool run(const Seq& seq, std::size_t i, std::size_t pos, const Cont* k, std::size_t* end) {
    // A pathological pattern gives up rather than hang: bounded work per start and per text.
    if (++steps_ > kMaxStepsPerStart || ++total_ > kMaxStepsPerText) return false;
    if (i == seq.size()) {
      if (k) return run(*k->seq, k->index, pos, k->next, end);
      *end = pos;
      return true;
    }
    const Node& n = seq[i];
    switch (n.kind) {
      case Node::Kind::literal:
        if (pos + n.text.size() > t_.size() || t_.compare(pos, n.text.size(), n.text) != 0) return false;
        return run(seq, i + 1, pos + n.text.size(), k, end);
      case Node::Kind::group: {
        Cont after{&seq, i + 1, k};
        for (const auto& alt : n.alts)
          if (run(alt, 0, pos, &after, end)) return true;
        return n.optional && run(seq, i + 1, pos, k, end);
      }
      case Node::Kind::gap:
        for (int g = 0; g <= n.max_gap && pos + g <= t_.size(); ++g)
          if (run(seq, i + 1, pos + g, k, end)) return true;
        return false;
    }
    return false;
  }
  void reset() { steps_ = 0; }
  bool exhausted() const { return total_ > kMaxStepsPerText; }

 private:
  static constexpr long kMaxStepsPerStart = 20000;
  static constexpr long kMaxStepsPerText = 2000000;
  const std::u32string& t_;
  long steps_ = 0, total_ = 0;
};

}  // namespace

char32_t fold(char32_t c) {
  if (c >= 0xFF01 && c <= 0xFF5E) c -= 0xFEE0;  // full-width ASCII
  if (c == 0x3000) return 0;                    // ideographic space
  if (dropped(c)) return 0;
  if (c >= 'A' && c <= 'Z') c += 'a' - 'A';
  const auto& t = traditional();
  if (auto it = t.find(c); it != t.end()) c = it->second;
  return c;
}

Normalized normalize(std::string_view s) {
  Normalized n;
  n.text.reserve(s.size() / 2);
  std::uint32_t u16 = 0;
  for (std::size_t i = 0; i < s.size();) {
    std::size_t b0 = i;
    char32_t c = decode(s, i);
    std::uint32_t w = c >= 0x10000 ? 2 : 1;
    char32_t f = fold(c);
    Span sp{static_cast<std::uint32_t>(b0), static_cast<std::uint32_t>(i), u16, u16 + w};
    u16 += w;
    if (!f) continue;
    if (!n.text.empty() && n.text.back() == f) {
      // A repeated character (also across dropped punctuation) widens the previous one.
      n.spans.back().byte_end = sp.byte_end;
      n.spans.back().u16_end = sp.u16_end;
      continue;
    }
    n.text += f;
    n.spans.push_back(sp);
  }
  return n;
}

std::string to_utf8(std::u32string_view s) {
  std::string out;
  for (char32_t c : s) append_utf8(out, c);
  return out;
}

Pattern parse_pattern(std::string_view source) { return Parser(pattern_chars(source)).parse(); }

std::vector<std::pair<std::size_t, std::size_t>> find_all(const Pattern& p, const std::u32string& text) {
  std::vector<std::pair<std::size_t, std::size_t>> out;
  Runner r(text);
  Seq top;
  Node g;
  g.kind = Node::Kind::group;
  g.alts = p.alts;
  top.push_back(std::move(g));
  for (std::size_t start = 0; start + static_cast<std::size_t>(p.min_length) <= text.size() && !r.exhausted();) {
    r.reset();
    std::size_t end = 0;
    if (r.run(top, 0, start, nullptr, &end) && end > start) {
      out.emplace_back(start, end);
      start = end;
    } else {
      ++start;
    }
  }
  return out;
}

Matcher::Matcher(std::vector<Phrase> phrases) {
  for (auto& ph : phrases) {
    try {
      Pattern p = parse_pattern(ph.pattern);
      compiled_.push_back(std::move(p));
      phrases_.push_back(std::move(ph));
    } catch (const PatternError&) {
      // skipped: the store refuses invalid patterns, so this is only old data
    }
  }
}

CheckResult Matcher::check(std::string_view text) const {
  CheckResult r;
  Normalized n = normalize(text);
  for (std::size_t i = 0; i < compiled_.size(); ++i) {
    for (auto [a, b] : find_all(compiled_[i], n.text)) {
      Match m;
      m.phrase_id = phrases_[i].id;
      m.phrase = phrases_[i].label;
      m.suggestion = phrases_[i].suggestion;
      m.start = n.spans[a].u16_start;
      m.end = n.spans[b - 1].u16_end;
      m.byte_start = n.spans[a].byte_start;
      m.byte_end = n.spans[b - 1].byte_end;
      m.text = std::string(text.substr(m.byte_start, m.byte_end - m.byte_start));
      r.matches.push_back(std::move(m));
    }
  }
  std::stable_sort(r.matches.begin(), r.matches.end(), [](const Match& x, const Match& y) {
    return x.start != y.start ? x.start < y.start : x.end > y.end;
  });
  r.ok = r.matches.empty();
  if (r.ok) return r;
  r.suggestion = r.matches.front().suggestion;
  // Each matched part replaced by its suggestion; overlapping matches keep the first.
  std::uint32_t at = 0;
  for (const auto& m : r.matches) {
    if (m.byte_start < at) continue;
    r.suggested_text.append(text.substr(at, m.byte_start - at));
    r.suggested_text += m.suggestion;
    at = m.byte_end;
  }
  r.suggested_text.append(text.substr(at));
  return r;
}

}  // namespace hall::courtesy
