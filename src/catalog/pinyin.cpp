#include "catalog/pinyin.hpp"

#include <bit>
#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>
#include <stdexcept>

#include "core/config.hpp"

namespace hall::catalog {

std::u32string decode_utf8(std::string_view s) {
  std::u32string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (len == 0 || i + len > s.size()) {
      ++i;
      continue;
    }
    char32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
    for (int k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    out.push_back(cp);
    i += len;
  }
  return out;
}

PinyinTable PinyinTable::parse(std::string_view tsv) {
  PinyinTable t;
  std::size_t pos = 0;
  while (pos < tsv.size()) {
    std::size_t nl = tsv.find('\n', pos);
    std::string_view line = tsv.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? tsv.size() : nl + 1;
    if (line.empty() || line[0] == '#') continue;
    std::size_t tab = line.find('\t');
    if (tab == std::string_view::npos) continue;
    std::u32string ch = decode_utf8(line.substr(0, tab));
    if (ch.size() != 1) continue;
    std::vector<std::string> readings;
    std::string_view rest = line.substr(tab + 1);
    while (!rest.empty() && (rest.back() == '\r' || rest.back() == ' ')) rest.remove_suffix(1);
    std::size_t p = 0;
    while (p <= rest.size()) {
      std::size_t comma = rest.find(',', p);
      std::string_view r = rest.substr(p, comma == std::string_view::npos ? std::string_view::npos : comma - p);
      if (!r.empty()) readings.emplace_back(r);
      if (comma == std::string_view::npos) break;
      p = comma + 1;
    }
    if (!readings.empty()) t.map_[ch[0]] = std::move(readings);
  }
  return t;
}

PinyinTable PinyinTable::load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read the pinyin table " + path + " (data/pinyin/hanzi_pinyin.tsv)");
  std::stringstream ss;
  ss << in.rdbuf();
  return parse(ss.str());
}

const std::vector<std::string>* PinyinTable::readings(char32_t cp) const {
  auto it = map_.find(cp);
  return it == map_.end() ? nullptr : &it->second;
}

namespace {
std::mutex g_mu;
std::string g_dir;
std::unique_ptr<PinyinTable> g_table;
}  // namespace

void set_pinyin_data_dir(const std::string& dir) {
  std::lock_guard lock(g_mu);
  if (g_dir != dir) g_table.reset();
  g_dir = dir;
}

const PinyinTable& pinyin_table() {
  std::lock_guard lock(g_mu);
  if (!g_table) {
    std::string dir = g_dir.empty() ? source_dir() + "/data" : g_dir;
    g_table = std::make_unique<PinyinTable>(PinyinTable::load(dir + "/pinyin/hanzi_pinyin.tsv"));
  }
  return *g_table;
}

PinyinName to_pinyin(std::string_view utf8, const PinyinTable& table) {
  PinyinName out;
  for (char32_t cp : decode_utf8(utf8)) {
    if (cp < 0x80) {
      char c = static_cast<char>(cp);
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
        out.syllables.push_back(Syllable{{std::string(1, c)}});
        out.full += c;
        out.initials += c;
        // Latin words are kept whole in the spaced form: "CET 4" → "cet 4".
        if (!out.spaced.empty() && out.spaced.back() != ' ' &&
            !(out.spaced.back() >= 'a' && out.spaced.back() <= 'z') && !(out.spaced.back() >= '0' && out.spaced.back() <= '9'))
          out.spaced += ' ';
        out.spaced += c;
      } else if (!out.spaced.empty() && out.spaced.back() != ' ') {
        out.spaced += ' ';
      }
      continue;
    }
    const auto* r = table.readings(cp);
    if (!r) continue;
    out.syllables.push_back(Syllable{*r});
    out.full += r->front();
    out.initials += r->front()[0];
    if (!out.spaced.empty() && out.spaced.back() != ' ') out.spaced += ' ';
    out.spaced += r->front();
    out.spaced += ' ';
  }
  while (!out.spaced.empty() && out.spaced.back() == ' ') out.spaced.pop_back();
  for (const auto& syl : out.syllables)
    for (const auto& r : syl.readings) {
      out.firsts |= letter_bit(r[0]);
      for (char c : r) out.letters |= letter_bit(c);
    }
  return out;
}

std::string normalize_pinyin_query(std::string_view query) {
  std::string out;
  for (char32_t cp : decode_utf8(query)) {
    if (cp == U' ' || cp == U'\'' || cp == U'-' || cp == U'\u3000' || cp == U'\u2019') continue;
    if (cp == U'ü' || cp == U'Ü') {
      out += 'v';
      continue;
    }
    if (cp >= 'A' && cp <= 'Z') cp = cp - 'A' + 'a';
    if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9')) {
      out += static_cast<char>(cp);
      continue;
    }
    return {};
  }
  return out;
}

bool pinyin_matches(const PinyinName& name, std::string_view q) {
  const std::size_t m = q.size();
  if (m == 0 || m > 63) return false;
  // Quick rejections: a letter the name's readings never use, or a first letter no reading starts with.
  std::uint64_t need = 0;
  for (char c : q) need |= letter_bit(c);
  if ((need & ~name.letters) || !(name.firsts & letter_bit(q[0]))) return false;
  const std::uint64_t done = std::uint64_t{1} << m;
  // Bit p set: the first p letters of the query are spelled by the syllables so far.
  std::uint64_t states = 0;
  for (const Syllable& syl : name.syllables) {
    states |= 1;  // a match may start at any syllable
    std::uint64_t next = 0;
    for (std::uint64_t pending = states & (done - 1); pending; pending &= pending - 1) {
      const std::size_t p = static_cast<std::size_t>(std::countr_zero(pending));
      std::string_view rest = q.substr(p);
      for (const std::string& r : syl.readings) {
        if (r.empty() || r[0] != rest[0]) continue;
        // The query ends inside this syllable: "zaid" → zai + d(u).
        if (r.size() >= rest.size() && std::string_view(r).substr(0, rest.size()) == rest) return true;
        if (rest.size() > r.size() && rest.substr(0, r.size()) == r) next |= std::uint64_t{1} << (p + r.size());
        next |= std::uint64_t{1} << (p + 1);  // the initial
        // zh, ch, sh: the two-letter initial.
        if (r.size() > 2 && r[1] == 'h' && (r[0] == 'z' || r[0] == 'c' || r[0] == 's') && rest.size() >= 2 && rest[1] == 'h')
          next |= std::uint64_t{1} << (p + 2);
      }
    }
    if (next & done) return true;
    states = next;
  }
  return false;
}

}  // namespace hall::catalog
