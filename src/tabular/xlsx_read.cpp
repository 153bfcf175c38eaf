// Reading the first worksheet of an .xlsx (Office Open XML, ECMA-376): a zip
// of XML parts, opened from memory with libzip and parsed with pugixml.
#include <zip.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <pugixml.hpp>
#include <string>
#include <unordered_map>

#include "tabular/errors.hpp"
#include "tabular/model.hpp"
#include "tabular/text.hpp"

namespace hall::tabular {

namespace {

[[noreturn]] void throw_invalid(const std::string& why_zh, const std::string& why_en) {
  throw errors::invalid_xlsx.with("", Text{why_zh, why_en});
}

struct ZipCloser {
  void operator()(zip_t* z) const { zip_discard(z); }
};
struct ZipFileCloser {
  void operator()(zip_file_t* f) const { zip_fclose(f); }
};

class Archive {
 public:
  explicit Archive(std::string_view bytes) {
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* src = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
    if (!src) {
      zip_error_fini(&error);
      throw_invalid("无法打开文件", "the file cannot be opened");
    }
    zip_t* z = zip_open_from_source(src, ZIP_RDONLY, &error);
    zip_error_fini(&error);
    if (!z) {
      zip_source_free(src);
      throw_invalid("文件不是 zip 格式", "it is not a zip archive");
    }
    zip_.reset(z);  // the archive now owns the source
  }

  bool contains(const std::string& name) const { return locate(name) >= 0; }

  // The part's bytes, or nothing if there is no such part. Reads at most
  // kMaxPartBytes, whatever the zip directory claims, so a bomb stops early.
  std::optional<std::string> read(const std::string& name) const {
    const zip_int64_t index = locate(name);
    if (index < 0) return std::nullopt;
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(zip_.get(), index, 0, &st) == 0 && (st.valid & ZIP_STAT_SIZE) &&
        st.size > kMaxPartBytes) {
      throw_too_large(name);
    }
    std::unique_ptr<zip_file_t, ZipFileCloser> file(zip_fopen_index(zip_.get(), index, 0));
    if (!file) throw_invalid("无法解压 " + name, "cannot decompress " + name);
    std::string out;
    char buffer[64 * 1024];
    for (;;) {
      const zip_int64_t got = zip_fread(file.get(), buffer, sizeof buffer);
      if (got < 0) throw_invalid("无法解压 " + name, "cannot decompress " + name);
      if (got == 0) break;
      if (out.size() + static_cast<std::size_t>(got) > kMaxPartBytes) throw_too_large(name);
      out.append(buffer, static_cast<std::size_t>(got));
    }
    return out;
  }

 private:
  zip_int64_t locate(const std::string& name) const {
    return zip_name_locate(zip_.get(), name.c_str(), ZIP_FL_NOCASE | ZIP_FL_ENC_GUESS);
  }
  [[noreturn]] static void throw_too_large(const std::string& name) {
    const std::string mb = std::to_string(kMaxPartBytes / (1024 * 1024));
    throw errors::file_too_large.with(
        "", Text{"Excel 文件中的 " + name + " 解压后超过 " + mb + " MB，请拆分后分别导入",
                 name + " in the Excel file is larger than " + mb +
                     " MB uncompressed; split the file"});
  }

  std::unique_ptr<zip_t, ZipCloser> zip_;
};

// Element names compared without their namespace prefix ("x:row" is "row").
std::string_view local_name(const pugi::xml_node& node) {
  std::string_view name = node.name();
  if (auto colon = name.find(':'); colon != std::string_view::npos) name.remove_prefix(colon + 1);
  return name;
}
pugi::xml_node child(const pugi::xml_node& node, std::string_view name) {
  for (auto c = node.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_element && local_name(c) == name) return c;
  }
  return {};
}
template <typename F>
void for_children(const pugi::xml_node& node, std::string_view name, F&& f) {
  for (auto c = node.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_element && local_name(c) == name) f(c);
  }
}
// An attribute by local name ("r:id" matches "id" only when asked for "id" with any prefix).
pugi::xml_attribute attribute(const pugi::xml_node& node, std::string_view name) {
  for (auto a = node.first_attribute(); a; a = a.next_attribute()) {
    std::string_view n = a.name();
    if (n == name) return a;
  }
  for (auto a = node.first_attribute(); a; a = a.next_attribute()) {
    std::string_view n = a.name();
    if (auto colon = n.find(':');
        colon != std::string_view::npos && n.substr(colon + 1) == name && !n.starts_with("xmlns")) {
      return a;
    }
  }
  return {};
}

pugi::xml_document parse(const std::string& xml, const std::string& part) {
  pugi::xml_document doc;
  // parse_ws_pcdata keeps <t xml:space="preserve"> </t> (a lone space).
  auto result =
      doc.load_buffer(xml.data(), xml.size(), pugi::parse_default | pugi::parse_ws_pcdata);
  if (!result) throw_invalid(part + " 不是有效的 XML", part + " is not valid XML");
  return doc;
}

bool is_hex(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }

void append_utf8(std::string& out, unsigned cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// ST_Xstring escapes: "_x000D_" is a carriage return, "_x005F_" a literal '_'.
std::string decode_xstring(std::string_view s) {
  if (s.find("_x") == std::string_view::npos) return std::string(s);
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '_' && i + 6 < s.size() && s[i + 1] == 'x' && is_hex(s[i + 2]) &&
        is_hex(s[i + 3]) && is_hex(s[i + 4]) && is_hex(s[i + 5]) && s[i + 6] == '_') {
      unsigned cp = 0;
      std::from_chars(s.data() + i + 2, s.data() + i + 6, cp, 16);
      if (cp < 0xD800 || cp > 0xDFFF) {  // lone surrogates cannot be UTF-8
        append_utf8(out, cp);
        i += 6;
        continue;
      }
    }
    out += s[i];
  }
  return out;
}

// Text of a shared string item or inline string: <t> directly, or the <t> of
// each rich-text run <r>; phonetic hints <rPh> are not part of the text.
std::string string_item_text(const pugi::xml_node& si) {
  std::string raw;
  for (auto c = si.first_child(); c; c = c.next_sibling()) {
    if (c.type() != pugi::node_element) continue;
    const auto name = local_name(c);
    if (name == "t") {
      raw += c.text().get();
    } else if (name == "r") {
      raw += child(c, "t").text().get();
    }
  }
  return decode_xstring(raw);
}

// Resolves a relationship target against the folder of the part that refers to it.
std::string resolve_target(std::string_view base_dir, std::string_view target) {
  std::string path;
  if (target.starts_with('/')) {
    path = std::string(target.substr(1));
  } else {
    path = std::string(base_dir) + std::string(target);
  }
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t slash = path.find('/', start);
    if (slash == std::string::npos) slash = path.size();
    std::string seg = path.substr(start, slash - start);
    if (seg == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!seg.empty() && seg != ".") {
      parts.push_back(std::move(seg));
    }
    start = slash + 1;
  }
  std::string out;
  for (const auto& p : parts) {
    if (!out.empty()) out += '/';
    out += p;
  }
  return out;
}

std::string dir_of(std::string_view part) {
  const auto slash = part.rfind('/');
  return slash == std::string_view::npos ? std::string() : std::string(part.substr(0, slash + 1));
}

std::string rels_of(std::string_view part) {
  return dir_of(part) + "_rels/" + std::string(part.substr(part.rfind('/') + 1)) + ".rels";
}

// Relationship id → target part, for the relationships of one part.
std::unordered_map<std::string, std::string> read_rels(const Archive& zip, std::string_view part) {
  std::unordered_map<std::string, std::string> out;
  const std::string name = rels_of(part);
  auto xml = zip.read(name);
  if (!xml) return out;
  auto doc = parse(*xml, name);
  for_children(child(doc, "Relationships"), "Relationship", [&](const pugi::xml_node& rel) {
    if (std::string_view(rel.attribute("TargetMode").value()) == "External") return;
    out[rel.attribute("Id").value()] =
        resolve_target(dir_of(part), rel.attribute("Target").value());
  });
  return out;
}

// The workbook part named by the package's officeDocument relationship.
std::string find_workbook(const Archive& zip) {
  if (auto xml = zip.read("_rels/.rels")) {
    auto doc = parse(*xml, "_rels/.rels");
    std::string found;
    for_children(child(doc, "Relationships"), "Relationship", [&](const pugi::xml_node& rel) {
      if (found.empty() &&
          std::string_view(rel.attribute("Type").value()).ends_with("/officeDocument")) {
        found = resolve_target("", rel.attribute("Target").value());
      }
    });
    if (!found.empty() && zip.contains(found)) return found;
  }
  if (zip.contains("xl/workbook.xml")) return "xl/workbook.xml";
  throw_invalid("其中没有工作簿（xl/workbook.xml）", "it holds no workbook (xl/workbook.xml)");
}

// ---------------------------------------------------------------------------
// Numbers and dates

// Built-in number formats that show dates or times (ECMA-376 §18.8.30), incl.
// the Chinese-locale ones Excel writes (27-36, 50-58).
bool builtin_is_date(int id) {
  return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) ||
         (id >= 50 && id <= 58);
}

// A custom format code shows a date when it has date/time letters outside
// quoted text, escapes and [brackets] (but [h] elapsed hours count as time).
bool format_code_is_date(std::string_view code) {
  // Only the first section (positive numbers) matters.
  bool in_quote = false;
  for (std::size_t i = 0; i < code.size(); ++i) {
    const char c = code[i];
    if (in_quote) {
      if (c == '"') in_quote = false;
      continue;
    }
    switch (c) {
      case '"':
        in_quote = true;
        break;
      case '\\':
      case '_':
      case '*':
        ++i;
        break;
      case '[': {
        const auto close = code.find(']', i);
        if (close == std::string_view::npos) return false;
        const auto inner = code.substr(i + 1, close - i - 1);
        if (!inner.empty() && (inner[0] == 'h' || inner[0] == 'H' || inner[0] == 'm' ||
                               inner[0] == 'M' || inner[0] == 's' || inner[0] == 'S')) {
          return true;
        }
        i = close;
        break;
      }
      case ';':
        return false;
      case 'G':
      case 'g':
        if (code.substr(i, 7) == "General" || code.substr(i, 7) == "general") i += 6;
        break;
      case 'y':
      case 'Y':
      case 'm':
      case 'M':
      case 'd':
      case 'D':
      case 'h':
      case 'H':
      case 's':
      case 'S':
        return true;
      default:
        break;
    }
  }
  return false;
}

// Style index → whether cells of that style show a date.
std::vector<bool> read_date_styles(const Archive& zip, const std::string& styles_part) {
  std::vector<bool> out;
  if (styles_part.empty()) return out;
  auto xml = zip.read(styles_part);
  if (!xml) return out;
  auto doc = parse(*xml, styles_part);
  auto sheet = child(doc, "styleSheet");
  std::unordered_map<int, bool> custom;
  for_children(child(sheet, "numFmts"), "numFmt", [&](const pugi::xml_node& f) {
    custom[f.attribute("numFmtId").as_int()] =
        format_code_is_date(f.attribute("formatCode").value());
  });
  for_children(child(sheet, "cellXfs"), "xf", [&](const pugi::xml_node& xf) {
    const int id = xf.attribute("numFmtId").as_int();
    auto it = custom.find(id);
    out.push_back(it != custom.end() ? it->second : builtin_is_date(id));
  });
  return out;
}

// Excel's General format, near enough: integers in full (a student number
// 2023001001 stays "2023001001"), others to 15 significant digits without
// trailing zeros ("1.5", and 0.1+0.2 shows "0.3").
std::string format_number(std::string_view v) {
  double d = 0;
  const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), d);
  if (ec != std::errc() || end != v.data() + v.size() || !std::isfinite(d)) return std::string(v);
  if (d == 0) return "0";
  if (d == std::trunc(d) && std::fabs(d) < 9007199254740992.0) {  // 2^53: exact as an integer
    return std::to_string(static_cast<long long>(d));
  }
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.15g", d);
  std::string out = buf;
  if (auto e = out.find('e'); e != std::string::npos) out[e] = 'E';
  return out;
}

// Days since 1899-12-30 (Excel's 1900 system with its leap-year bug folded in).
std::string format_date(std::string_view v, bool date1904) {
  double serial = 0;
  const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), serial);
  if (ec != std::errc() || serial < 0 || serial > 2958466) return format_number(v);
  if (date1904) serial += 1462;
  long long total_seconds = std::llround(serial * 86400.0);
  long long days = total_seconds / 86400;
  long long secs = total_seconds % 86400;
  if (!date1904 && serial < 61) {
    if (serial < 1) {  // a bare time of day
      char buf[16];
      std::snprintf(buf, sizeof buf, "%02lld:%02lld:%02lld", secs / 3600, secs / 60 % 60,
                    secs % 60);
      return buf;
    }
    if (serial >= 60) return format_number(v);  // 1900-02-29 does not exist
    days += 1;  // before Excel's phantom 1900-02-29 the offset is one day less
  }
  // Civil date from days since 1899-12-30 (Howard Hinnant's algorithm).
  long long z = days - 25569 + 719468;  // 25569 = days from 1899-12-30 to 1970-01-01
  const long long era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  long long y = static_cast<long long>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) ++y;
  char buf[64];
  if (secs == 0) {
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u", y, m, d);
  } else {
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u %02lld:%02lld:%02lld", y, m, d, secs / 3600,
                  secs / 60 % 60, secs % 60);
  }
  return buf;
}

// ---------------------------------------------------------------------------
// Cell references

// "B3" → column 1 (0-based), row 3 (1-based). False when malformed.
bool parse_ref(std::string_view ref, std::size_t& col, long& row) {
  std::size_t i = 0;
  std::size_t c = 0;
  while (i < ref.size() && std::isalpha(static_cast<unsigned char>(ref[i]))) {
    c = c * 26 +
        static_cast<std::size_t>(std::toupper(static_cast<unsigned char>(ref[i])) - 'A' + 1);
    if (c > 16384) return false;
    ++i;
  }
  if (i == 0) return false;
  long r = 0;
  const auto [end, ec] = std::from_chars(ref.data() + i, ref.data() + ref.size(), r);
  if (ec != std::errc() || end != ref.data() + ref.size() || r < 1 || r > 1048576) return false;
  col = c - 1;
  row = r;
  return true;
}

}  // namespace

Table read_xlsx(std::string_view bytes) {
  Archive zip(bytes);
  const std::string workbook_part = find_workbook(zip);
  const auto workbook_xml = zip.read(workbook_part);
  auto workbook = parse(*workbook_xml, workbook_part);
  const auto wb = child(workbook, "workbook");
  if (!wb) throw_invalid(workbook_part + " 不是工作簿", workbook_part + " is not a workbook");
  const bool date1904 = child(wb, "workbookPr").attribute("date1904").as_bool();

  // The first sheet listed, through the workbook's relationships.
  const auto rels = read_rels(zip, workbook_part);
  const auto first_sheet = child(child(wb, "sheets"), "sheet");
  if (!first_sheet) throw_invalid("工作簿中没有工作表", "the workbook has no worksheet");
  std::string sheet_part;
  if (auto it = rels.find(attribute(first_sheet, "id").value()); it != rels.end()) {
    sheet_part = it->second;
  } else if (zip.contains("xl/worksheets/sheet1.xml")) {
    sheet_part = "xl/worksheets/sheet1.xml";
  } else {
    throw_invalid("找不到第一个工作表", "the first worksheet cannot be found");
  }

  // Shared strings and styles, found by relationship type (falling back to the usual names).
  std::string strings_part, styles_part;
  if (auto xml = zip.read(rels_of(workbook_part))) {
    auto doc = parse(*xml, rels_of(workbook_part));
    for_children(child(doc, "Relationships"), "Relationship", [&](const pugi::xml_node& rel) {
      std::string_view type = rel.attribute("Type").value();
      if (type.ends_with("/sharedStrings")) {
        strings_part = resolve_target(dir_of(workbook_part), rel.attribute("Target").value());
      } else if (type.ends_with("/styles")) {
        styles_part = resolve_target(dir_of(workbook_part), rel.attribute("Target").value());
      }
    });
  }
  if (strings_part.empty()) strings_part = dir_of(workbook_part) + "sharedStrings.xml";
  if (styles_part.empty()) styles_part = dir_of(workbook_part) + "styles.xml";

  std::vector<std::string> strings;
  if (auto xml = zip.read(strings_part)) {
    auto doc = parse(*xml, strings_part);
    for_children(child(doc, "sst"), "si",
                 [&](const pugi::xml_node& si) { strings.push_back(string_item_text(si)); });
  }
  const std::vector<bool> date_styles = read_date_styles(zip, styles_part);

  const auto sheet_xml = zip.read(sheet_part);
  if (!sheet_xml)
    throw_invalid("缺少工作表 " + sheet_part, "the worksheet " + sheet_part + " is missing");
  auto sheet = parse(*sheet_xml, sheet_part);
  const auto data = child(child(sheet, "worksheet"), "sheetData");

  detail::TableBuilder builder;
  long row_no = 0;
  for_children(data, "row", [&](const pugi::xml_node& row) {
    if (auto r = row.attribute("r")) {
      const long n = r.as_llong();
      if (n <= row_no || n > 1048576) {
        throw_invalid("行号 " + std::string(r.value()) + " 无效",
                      "row number " + std::string(r.value()) + " is invalid");
      }
      row_no = n;
    } else {
      ++row_no;
    }
    std::vector<std::string> cells;
    std::size_t col = 0;
    bool first = true;
    for_children(row, "c", [&](const pugi::xml_node& c) {
      std::size_t at = first ? 0 : col + 1;
      if (auto r = c.attribute("r")) {
        long ref_row = 0;
        if (!parse_ref(r.value(), at, ref_row) || ref_row != row_no) {
          throw_invalid("单元格引用 " + std::string(r.value()) + " 无效",
                        "the cell reference " + std::string(r.value()) + " is invalid");
        }
      }
      first = false;
      col = at;
      std::string_view type = c.attribute("t").value();
      const char* v = child(c, "v").text().get();
      std::string value;
      if (type == "s") {
        if (*v) {
          const auto idx = child(c, "v").text().as_ullong(~0ull);
          if (idx >= strings.size()) {
            throw_invalid("共享字符串编号 " + std::string(v) + " 不存在",
                          "shared string " + std::string(v) + " does not exist");
          }
          value = strings[idx];
        }
      } else if (type == "inlineStr") {
        value = string_item_text(child(c, "is"));
      } else if (type == "str" || type == "e" || type == "d") {
        value = decode_xstring(v);
      } else if (type == "b") {
        value = std::string_view(v) == "1" ? "TRUE" : (*v ? "FALSE" : "");
      } else if (*v) {  // "n" or no type: a number, perhaps shown as a date
        const auto style = c.attribute("s").as_uint();
        value = style < date_styles.size() && date_styles[style] ? format_date(v, date1904)
                                                                 : format_number(v);
      }
      if (value.empty()) return;  // a styled but empty cell
      if (cells.size() <= at) {
        if (at >= kMaxCells) throw_invalid("列数过多", "too many columns");
        cells.resize(at + 1);
      }
      cells[at] = std::move(value);
    });
    builder.add(static_cast<int>(row_no), std::move(cells));
  });
  return std::move(builder).finish();
}

}  // namespace hall::tabular
