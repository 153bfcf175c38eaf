#include "documents/model.hpp"

#include <fmt/format.h>
#include <sodium.h>

#include "core/random.hpp"

namespace hall::documents {

namespace {
constexpr const char* kAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";  // Crockford base32

// Splits UTF-8 into characters (code point sequences).
std::vector<std::string> characters(std::string_view s) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < s.size();) {
    std::size_t n = 1;
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0xF0) n = 4;
    else if (c >= 0xE0) n = 3;
    else if (c >= 0xC0) n = 2;
    n = std::min(n, s.size() - i);
    out.emplace_back(s.substr(i, n));
    i += n;
  }
  return out;
}
}  // namespace

std::string format_number(std::string_view type_code, int year, long long sequence) {
  return fmt::format("{}-{}-{:04d}-{:06d}", kInstitutionCode, type_code, year, sequence);
}

std::string new_verification_code() {
  ensure_sodium();
  std::string out;
  for (std::size_t i = 0; i < kCodeLength; ++i) out += kAlphabet[randombytes_uniform(32)];
  return out;
}

std::string format_code(std::string_view code) {
  std::string out;
  for (std::size_t i = 0; i < code.size(); ++i) {
    if (i && i % 4 == 0) out += '-';
    out += code[i];
  }
  return out;
}

std::optional<std::string> normalize_code(std::string_view typed) {
  std::string out;
  for (char c : typed) {
    if (c == '-' || c == ' ' || c == '\t') continue;
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c == 'O') c = '0';
    if (c == 'I' || c == 'L') c = '1';
    if (std::string_view(kAlphabet).find(c) == std::string_view::npos) return std::nullopt;
    out += c;
    if (out.size() > kCodeLength) return std::nullopt;
  }
  if (out.size() != kCodeLength) return std::nullopt;
  return out;
}

std::string mask_name(std::string_view name) {
  auto cs = characters(name);
  if (cs.empty()) return "";
  if (cs.size() == 1) return cs[0];
  std::string out = cs[0];
  if (cs.size() == 2) return out + "*";
  for (std::size_t i = 1; i + 1 < cs.size(); ++i) out += "*";
  return out + cs.back();
}

namespace blocks {
Block paragraph(std::string markup) {
  Block b;
  b.kind = Block::Kind::paragraph;
  b.markup = std::move(markup);
  return b;
}
Block plain(std::string markup) {
  Block b;
  b.kind = Block::Kind::plain;
  b.markup = std::move(markup);
  return b;
}
Block fields(std::vector<std::pair<std::string, std::string>> rows) {
  Block b;
  b.kind = Block::Kind::fields;
  b.fields = std::move(rows);
  return b;
}
Block table(std::vector<std::string> header, std::vector<std::vector<std::string>> rows) {
  Block b;
  b.kind = Block::Kind::table;
  b.header = std::move(header);
  b.rows = std::move(rows);
  return b;
}
Block list(std::vector<std::string> items) {
  Block b;
  b.kind = Block::Kind::list;
  b.items = std::move(items);
  return b;
}
Block heading(std::string markup) {
  Block b;
  b.kind = Block::Kind::heading;
  b.markup = std::move(markup);
  return b;
}
Block signature(std::string unit, std::string date) {
  Block b;
  b.kind = Block::Kind::signature;
  b.unit = std::move(unit);
  b.date = std::move(date);
  return b;
}
Block note(std::string markup) {
  Block b;
  b.kind = Block::Kind::note;
  b.markup = std::move(markup);
  return b;
}
Block spacer(double points) {
  Block b;
  b.kind = Block::Kind::spacer;
  b.points = points;
  return b;
}
}  // namespace blocks

std::string esc(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string chinese_date(std::string_view iso) {
  if (iso.size() < 10) return std::string(iso);
  int y = std::stoi(std::string(iso.substr(0, 4))), m = std::stoi(std::string(iso.substr(5, 2))),
      d = std::stoi(std::string(iso.substr(8, 2)));
  return fmt::format("{}年{}月{}日", y, m, d);
}

std::string yuan(long long fen) {
  return fmt::format("{}{}.{:02d}", fen < 0 ? "-" : "", std::llabs(fen) / 100, std::llabs(fen) % 100);
}

std::string field(const json::object& content, std::string_view key) {
  const json::value* v = content.if_contains(key);
  if (!v) return "";
  if (v->is_string()) return std::string(v->as_string());
  if (v->is_int64()) return std::to_string(v->as_int64());
  if (v->is_uint64()) return std::to_string(v->as_uint64());
  return "";
}

std::optional<double> AccuracyStats::accuracy_rate() const {
  if (issued <= 0) return std::nullopt;
  return static_cast<double>(issued - corrected) / static_cast<double>(issued);
}

}  // namespace hall::documents
