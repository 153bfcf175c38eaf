#include "catalog/model.hpp"

#include <fmt/format.h>
#include <openssl/evp.h>
#include <zip.h>

#include <algorithm>
#include <memory>

#include "calendar/model.hpp"
#include "catalog/errors.hpp"
#include "core/errors.hpp"

namespace hall::catalog {

std::string_view to_string(HandlingMode m) {
  switch (m) {
    case HandlingMode::on_site: return "on_site";
    case HandlingMode::online: return "online";
    case HandlingMode::both: return "both";
  }
  return "on_site";
}

std::optional<HandlingMode> parse_handling_mode(std::string_view s) {
  if (s == "on_site") return HandlingMode::on_site;
  if (s == "online") return HandlingMode::online;
  if (s == "both") return HandlingMode::both;
  return std::nullopt;
}

Text handling_mode_text(HandlingMode m) {
  switch (m) {
    case HandlingMode::on_site: return {"现场办理", "On site"};
    case HandlingMode::online: return {"网上办理", "Online"};
    case HandlingMode::both: return {"现场或网上办理", "On site or online"};
  }
  return {};
}

namespace {

// Strict reading of one JSON object: types and lengths checked, the field path
// named in every error, unknown keys refused (same codes as core/json).
class Fields {
 public:
  Fields(const json::value& v, std::string prefix) : prefix_(std::move(prefix)) {
    if (!v.is_object()) {
      if (prefix_.empty()) throw hall::errors::invalid_body();
      std::string f = prefix_.substr(0, prefix_.size() - 1);
      throw hall::errors::wrong_type.with(f, Text{"字段 " + f, "Field " + f},
                                          Text{"对象", "an object"});
    }
    obj_ = &v.as_object();
  }

  std::string name(std::string_view key) const { return prefix_ + std::string(key); }

  const json::value* find(std::string_view key) {
    seen_.emplace(key);
    auto it = obj_->find(key);
    if (it == obj_->end() || it->value().is_null()) return nullptr;
    return &it->value();
  }

  [[noreturn]] void wrong_type(std::string_view key, const char* zh, const char* en) const {
    throw hall::errors::wrong_type.with(name(key), Text{"字段 " + name(key), "Field " + name(key)},
                                        Text{zh, en});
  }
  [[noreturn]] void missing(std::string_view key) const {
    throw hall::errors::missing_field.with(name(key), name(key));
  }

  // Text that may be empty (optional fields), trimmed of surrounding spaces.
  std::string text(std::string_view key, std::size_t max_chars, bool required = false) {
    const json::value* v = find(key);
    if (!v) {
      if (required) missing(key);
      return {};
    }
    if (!v->is_string()) wrong_type(key, "字符串", "a string");
    std::string s(v->as_string());
    check_text(s, name(key), max_chars, !required);
    std::size_t b = s.find_first_not_of(" \t\r\n"), e = s.find_last_not_of(" \t\r\n");
    return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
  }

  std::optional<std::int64_t> integer(std::string_view key, std::int64_t min, std::int64_t max, bool required = false) {
    const json::value* v = find(key);
    if (!v) {
      if (required) missing(key);
      return std::nullopt;
    }
    std::int64_t n = 0;
    if (v->is_int64()) n = v->as_int64();
    else if (v->is_uint64() && v->as_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) n = static_cast<std::int64_t>(v->as_uint64());
    else if (v->is_uint64()) n = INT64_MAX;
    else wrong_type(key, "整数", "an integer");
    if (n < min || n > max)
      throw hall::errors::out_of_range.with(
          name(key), Text{"字段 " + name(key), "Field " + name(key)}, min, max);
    return n;
  }

  std::optional<bool> boolean(std::string_view key) {
    const json::value* v = find(key);
    if (!v) return std::nullopt;
    if (!v->is_bool()) wrong_type(key, "布尔值", "true or false");
    return v->as_bool();
  }

  const json::array* array(std::string_view key, std::size_t max_items) {
    const json::value* v = find(key);
    if (!v) return nullptr;
    if (!v->is_array()) wrong_type(key, "数组", "an array");
    if (v->as_array().size() > max_items)
      throw errors::too_many.with(name(key), name(key), max_items);
    return &v->as_array();
  }

  const json::value* object(std::string_view key) { return find(key); }

  void finish() const {
    for (const auto& kv : *obj_) {
      if (seen_.count(kv.key())) continue;
      std::string f = name(kv.key());
      throw hall::errors::unknown_field.with(f, f);
    }
  }

 private:
  const json::object* obj_ = nullptr;
  std::string prefix_;
  std::set<std::string, std::less<>> seen_;
};

std::string idx(std::string_view key, std::size_t i) { return fmt::format("{}[{}].", key, i); }

}  // namespace

void check_date(std::string_view text, const std::string& field) { calendar::Date::parse(text, field); }

ItemInput parse_item_input(const json::value& body) {
  ItemInput in;
  ItemContent& c = in.content;
  Fields f(body, "");
  if (const json::value* v = f.find("code")) {
    if (!v->is_string()) f.wrong_type("code", "字符串", "a string");
    std::string code(v->as_string());
    check_text(code, "code", 32);
    bool ok = !code.empty();
    for (char ch : code)
      if (!((ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_')) ok = false;
    if (!ok) throw errors::invalid_code("code");
    in.code = code;
  }
  c.unit_id = *f.integer("unit_id", 1, INT64_MAX, true);
  c.name = f.text("name", kMaxName, true);
  c.name_en = f.text("name_en", kMaxNameEn);
  c.category = f.text("category", kMaxCategory, true);
  {
    const json::value* v = f.find("handling_mode");
    if (!v) f.missing("handling_mode");
    if (!v->is_string()) f.wrong_type("handling_mode", "字符串", "a string");
    auto m = parse_handling_mode(std::string_view(v->as_string()));
    if (!m) throw errors::invalid_handling_mode("handling_mode");
    c.handling_mode = *m;
  }
  c.online_url = f.text("online_url", 500);
  if (const json::array* a = f.array("window_ids", kMaxWindows)) {
    for (std::size_t i = 0; i < a->size(); ++i) {
      const json::value& w = (*a)[i];
      std::string field = fmt::format("window_ids[{}]", i);
      if (!w.is_int64() || w.as_int64() <= 0)
        throw hall::errors::wrong_type.with(
            field, Text{"字段 " + field, "Field " + field},
            Text{"窗口编号（正整数）", "a window id (a positive integer)"});
      c.window_ids.push_back(w.as_int64());
    }
    std::sort(c.window_ids.begin(), c.window_ids.end());
    c.window_ids.erase(std::unique(c.window_ids.begin(), c.window_ids.end()), c.window_ids.end());
  }
  c.eligibility = f.text("eligibility", kMaxLongText);
  if (const json::array* a = f.array("periods", kMaxPeriods)) {
    for (std::size_t i = 0; i < a->size(); ++i) {
      Fields p((*a)[i], idx("periods", i));
      Period period;
      period.from = p.text("from", 10, true);
      period.to = p.text("to", 10, true);
      period.note = p.text("note", kMaxShortText);
      p.finish();
      c.periods.push_back(period);
    }
  }
  c.time_limit_days = static_cast<int>(*f.integer("time_limit_days", 0, kMaxTimeLimitDays, true));
  c.fee_fen = f.integer("fee_fen", 0, kMaxFeeFen).value_or(0);
  c.fee_text = f.text("fee_text", kMaxShortText);
  c.policy_basis = f.text("policy_basis", kMaxLongText);
  if (const json::array* a = f.array("faq", kMaxFaq)) {
    for (std::size_t i = 0; i < a->size(); ++i) {
      Fields q((*a)[i], idx("faq", i));
      Faq faq;
      faq.q = q.text("q", 300, true);
      faq.a = q.text("a", kMaxLongText, true);
      q.finish();
      c.faq.push_back(faq);
    }
  }
  if (const json::value* v = f.object("contact")) {
    Fields k(*v, "contact.");
    c.contact.office = k.text("office", 100);
    c.contact.person = k.text("person", 50);
    c.contact.phone = k.text("phone", 50);
    c.contact.location = k.text("location", kMaxShortText);
    k.finish();
  }
  c.queue_prefix = f.text("queue_prefix", 1);
  if (auto q = f.integer("daily_quota", 1, 10000)) c.daily_quota = static_cast<int>(*q);
  if (const json::array* a = f.array("materials", kMaxMaterials)) {
    for (std::size_t i = 0; i < a->size(); ++i) {
      Fields m((*a)[i], idx("materials", i));
      Material mat;
      mat.name = m.text("name", kMaxName, true);
      mat.name_en = m.text("name_en", kMaxNameEn);
      mat.originals = static_cast<int>(m.integer("originals", 0, 20).value_or(1));
      mat.copies = static_cast<int>(m.integer("copies", 0, 50).value_or(0));
      mat.spec = m.text("spec", 300);
      mat.required = m.boolean("required").value_or(true);
      mat.condition = m.text("condition", 300);
      mat.form_file_id = m.integer("form_file_id", 1, INT64_MAX);
      m.finish();
      c.materials.push_back(mat);
    }
  }
  in.change_note = f.text("change_note", kMaxShortText);
  in.expected_version_id = f.integer("expected_version_id", 1, INT64_MAX);
  f.finish();
  check_content(c);
  return in;
}

void check_content(const ItemContent& c) {
  if (!c.queue_prefix.empty() && !(c.queue_prefix.size() == 1 && c.queue_prefix[0] >= 'A' && c.queue_prefix[0] <= 'Z'))
    throw errors::invalid_queue_prefix("queue_prefix");
  if (!c.online_url.empty() && c.online_url.rfind("https://", 0) != 0 && c.online_url.rfind("http://", 0) != 0)
    throw errors::invalid_url("online_url");
  if (c.handling_mode != HandlingMode::online && c.window_ids.empty())
    throw errors::windows_required("window_ids");
  if (c.handling_mode != HandlingMode::on_site && c.online_url.empty())
    throw errors::online_url_required("online_url");
  // B6.1: a referral must name at least the office to go to.
  if (c.contact.office.empty()) throw errors::contact_required("contact.office");
  for (std::size_t i = 0; i < c.periods.size(); ++i) {
    const Period& p = c.periods[i];
    std::string base = fmt::format("periods[{}].", i);
    check_date(p.from, base + "from");
    check_date(p.to, base + "to");
    if (p.to < p.from) throw errors::invalid_period.with(base + "to", i + 1);
  }
  for (std::size_t i = 0; i < c.materials.size(); ++i) {
    const Material& m = c.materials[i];
    // B6.2 (2): a conditional material says, in words, when it is needed.
    if (!m.required && m.condition.empty())
      throw errors::condition_required.with(fmt::format("materials[{}].condition", i), i + 1);
    if (m.originals == 0 && m.copies == 0 && !m.form_file_id)
      throw errors::material_quantity.with(fmt::format("materials[{}].originals", i), i + 1);
  }
}

bool period_open(const std::vector<Period>& periods, std::string_view today) {
  if (periods.empty()) return true;
  for (const auto& p : periods)
    if (p.from <= today && today <= p.to) return true;
  return false;
}

std::optional<Period> next_period(const std::vector<Period>& periods, std::string_view today) {
  std::optional<Period> best;
  for (const auto& p : periods)
    if (p.to >= today && (!best || p.from < best->from)) best = p;
  return best;
}

Text time_limit_text(int days) {
  if (days <= 0) return {"即办", "Immediate"};
  return {fmt::format("{} 个工作日", days), days == 1 ? "1 working day" : fmt::format("{} working days", days)};
}

Text fee_text(std::int64_t fee_fen, const std::string& note) {
  if (fee_fen == 0) return {"免费", "Free"};
  std::string amount = fmt::format("¥{}.{:02d}", fee_fen / 100, fee_fen % 100);
  return {note.empty() ? amount : amount + "（" + note + "）", note.empty() ? amount : amount + " (" + note + ")"};
}

json::array periods_to_json(const std::vector<Period>& periods) {
  json::array a;
  for (const auto& p : periods) a.push_back(json::object{{"from", p.from}, {"to", p.to}, {"note", p.note}});
  return a;
}

json::array faq_to_json(const std::vector<Faq>& faq) {
  json::array a;
  for (const auto& f : faq) a.push_back(json::object{{"q", f.q}, {"a", f.a}});
  return a;
}

namespace {
std::string str_of(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  return it != o.end() && it->value().is_string() ? std::string(it->value().as_string()) : std::string();
}
json::array array_of(std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  return !ec && v.is_array() ? v.as_array() : json::array();
}
}  // namespace

std::vector<Period> periods_from_json(std::string_view text) {
  std::vector<Period> out;
  for (const auto& v : array_of(text))
    if (v.is_object()) out.push_back({str_of(v.as_object(), "from"), str_of(v.as_object(), "to"), str_of(v.as_object(), "note")});
  return out;
}

std::vector<Faq> faq_from_json(std::string_view text) {
  std::vector<Faq> out;
  for (const auto& v : array_of(text))
    if (v.is_object()) out.push_back({str_of(v.as_object(), "q"), str_of(v.as_object(), "a")});
  return out;
}

// ---------------------------------------------------------------------------
// Files

namespace {

std::string lower_ext(std::string_view name) {
  auto dot = name.rfind('.');
  std::string ext = dot == std::string_view::npos ? std::string() : std::string(name.substr(dot));
  for (auto& ch : ext) ch = static_cast<char>(tolower(static_cast<unsigned char>(ch)));
  return ext;
}

// Which Office Open XML document a zip holds: "docx", "xlsx" or "".
std::string ooxml_kind(std::string_view bytes) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* src = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  if (!src) {
    zip_error_fini(&error);
    return {};
  }
  zip_t* z = zip_open_from_source(src, ZIP_RDONLY, &error);
  zip_error_fini(&error);
  if (!z) {
    zip_source_free(src);
    return {};
  }
  std::string kind;
  if (zip_name_locate(z, "[Content_Types].xml", 0) >= 0) {
    if (zip_name_locate(z, "word/document.xml", 0) >= 0) kind = "docx";
    else if (zip_name_locate(z, "xl/workbook.xml", 0) >= 0) kind = "xlsx";
  }
  zip_discard(z);
  return kind;
}

}  // namespace

std::optional<FileKind> sniff_file(std::string_view b, std::string_view file_name) {
  auto starts = [&](std::string_view magic) { return b.size() >= magic.size() && b.substr(0, magic.size()) == magic; };
  std::string ext = lower_ext(file_name);
  if (starts("%PDF-")) return FileKind{"application/pdf", ".pdf"};
  if (starts("\x89PNG\r\n\x1a\n")) return FileKind{"image/png", ".png"};
  if (starts("\xFF\xD8\xFF")) return FileKind{"image/jpeg", ".jpg"};
  // Old Office formats are OLE2 compound files; the container does not say which
  // program wrote it, so the name decides between .doc and .xls (and nothing else).
  if (starts(std::string_view("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8))) {
    if (ext == ".doc") return FileKind{"application/msword", ".doc"};
    if (ext == ".xls") return FileKind{"application/vnd.ms-excel", ".xls"};
    return std::nullopt;
  }
  if (starts(std::string_view("PK\x03\x04", 4))) {
    std::string kind = ooxml_kind(b);
    if (kind == "docx")
      return FileKind{"application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"};
    if (kind == "xlsx") return FileKind{"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"};
  }
  return std::nullopt;
}

std::string clean_file_name(std::string_view name) {
  auto slash = name.find_last_of("/\\");
  if (slash != std::string_view::npos) name = name.substr(slash + 1);
  std::string out;
  std::size_t chars = 0;
  for (std::size_t i = 0; i < name.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(name[i]);
    if (c < 0x20 || c == 0x7F || c == '"') continue;
    if ((c & 0xC0) != 0x80 && ++chars > 120) break;
    out.push_back(static_cast<char>(c));
  }
  if (out.empty() || out == "." || out == "..") out = "file";
  return out;
}

std::string content_disposition(std::string_view file_name, bool inline_view) {
  std::string ascii, encoded;
  for (unsigned char c : file_name) {
    ascii.push_back(c < 0x80 && c != '\\' && c != '"' && c != ';' ? static_cast<char>(c) : '_');
    if (isalnum(c) || c == '.' || c == '-' || c == '_') encoded.push_back(static_cast<char>(c));
    else encoded += fmt::format("%{:02X}", c);
  }
  return fmt::format("{}; filename=\"{}\"; filename*=UTF-8''{}", inline_view ? "inline" : "attachment", ascii, encoded);
}

std::string base64_encode(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), reinterpret_cast<const unsigned char*>(bytes.data()),
                          static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

std::string base64_decode(std::string_view text) {
  if (text.empty()) return {};
  std::string out(3 * (text.size() / 4) + 3, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()), reinterpret_cast<const unsigned char*>(text.data()),
                          static_cast<int>(text.size()));
  if (n < 0) throw std::runtime_error("corrupt base64 in catalog_files");
  std::size_t pad = 0;
  if (text.size() >= 1 && text[text.size() - 1] == '=') ++pad;
  if (text.size() >= 2 && text[text.size() - 2] == '=') ++pad;
  out.resize(static_cast<std::size_t>(n) - pad);
  return out;
}

std::string sha256_hex(std::string_view bytes) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(bytes.data(), bytes.size(), md, &len, EVP_sha256(), nullptr);
  std::string out;
  for (unsigned int i = 0; i < len; ++i) out += fmt::format("{:02x}", md[i]);
  return out;
}

}  // namespace hall::catalog
