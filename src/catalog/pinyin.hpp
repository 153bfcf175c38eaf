// Pinyin for searching the public catalog (B6.4 事务公开): `zdzm`, `zaidu` and
// `zaiduzhengming` all find 在读证明.
//
// The character table is data (data/pinyin/hanzi_pinyin.tsv, generated from
// Unicode's Unihan kMandarin/kXHC1983/kTGHZ2013; see its README), loaded once.
//
// Polyphones: every modern reading of a character is kept (行: xing, hang), and
// the matcher lets each character be spelled by any of its readings, fully or
// by its initial, so 银行 is found by "yinhang" and "yh" and 长 by "chang" and
// "zhang". The strings stored with each version (name_pinyin, name_initials)
// use the first (most customary) reading only.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace hall::catalog {

class PinyinTable {
 public:
  // Parses the TSV text ("字\treading,reading"; '#' comments).
  static PinyinTable parse(std::string_view tsv);
  // Loads the file; throws std::runtime_error naming the path when it is missing.
  static PinyinTable load(const std::string& path);

  // Readings of one code point (empty when it is not a known Han character).
  const std::vector<std::string>* readings(char32_t cp) const;
  std::size_t size() const { return map_.size(); }

 private:
  std::unordered_map<char32_t, std::vector<std::string>> map_;
};

// The process-wide table: loaded on first use from <data_dir>/pinyin/hanzi_pinyin.tsv
// (data_dir set by set_pinyin_data_dir, else <source>/data).
void set_pinyin_data_dir(const std::string& dir);
const PinyinTable& pinyin_table();

// One searchable unit of a name: a Han character's readings, or a run of one
// ASCII letter/digit (lower-cased) that spells itself.
struct Syllable {
  std::vector<std::string> readings;
};
// A name prepared for matching; other characters (punctuation, spaces) split words and are dropped.
struct PinyinName {
  std::vector<Syllable> syllables;
  std::string full;      // first readings joined: "zaiduzhengming"
  std::string initials;  // first letters of first readings: "zdzm"
  std::string spaced;    // "zai du zheng ming" (stored with each version)
  // Quick rejection: bit per letter/digit that occurs in any reading, and per first letter of any reading.
  std::uint64_t letters = 0, firsts = 0;
};
// Bit of an ASCII letter or digit in PinyinName::letters (0 for anything else).
inline std::uint64_t letter_bit(char c) {
  if (c >= 'a' && c <= 'z') return std::uint64_t{1} << (c - 'a');
  if (c >= '0' && c <= '9') return std::uint64_t{1} << (26 + c - '0');
  return 0;
}
PinyinName to_pinyin(std::string_view utf8, const PinyinTable& table);

// Lower-cases ASCII letters and drops spaces, apostrophes and hyphens; maps ü to v.
// Returns empty when the query has anything but ASCII letters/digits after that.
std::string normalize_pinyin_query(std::string_view query);

// True when a contiguous run of syllables spells the (normalized) query, each
// syllable by one of its readings in full or by its initial (zh/ch/sh count as
// one or two letters), the last syllable possibly by a prefix ("zaid" → 在读).
bool pinyin_matches(const PinyinName& name, std::string_view normalized_query);

// UTF-8 decoding helper: code points of a valid UTF-8 string (invalid bytes are skipped).
std::u32string decode_utf8(std::string_view s);

}  // namespace hall::catalog
