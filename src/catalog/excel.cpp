// Excel (.xlsx) and CSV export and import of the catalog: one row per material
// (an item without materials has one row with the material columns empty); the
// item's columns repeat on each of its rows, so the sheet can be sorted and
// filtered in Excel. Import groups rows by 事项编码 (item code): a new code
// creates an item, a known one gets a new version when anything changed.
// Nothing is committed when a row is bad, unless skip_bad_rows is set, in
// which case the bad items are reported and the others imported.
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <map>

#include "auth/audit.hpp"
#include "auth/permissions.hpp"
#include "catalog/service.hpp"
#include "core/clock.hpp"

namespace hall::catalog {

namespace {

using tabular::ColumnSpec;

const std::vector<ColumnSpec>& columns() {
  static const std::vector<ColumnSpec> all = {
      {"code", {"事项编码", "code"}, true},
      {"name", {"事项名称", "name"}, true},
      {"name_en", {"英文名称", "name_en"}, false},
      {"unit", {"办理单位", "unit"}, true},
      {"category", {"类别", "category"}, true},
      {"handling_mode", {"办理方式", "handling_mode"}, true},
      {"online_url", {"网上办理地址", "online_url"}, false},
      {"windows", {"办理窗口", "windows"}, false},
      {"eligibility", {"申请对象", "eligibility"}, false},
      {"periods", {"办理时段", "periods"}, false},
      {"time_limit", {"承诺时限", "time_limit", "time_limit_days"}, true},
      {"fee", {"收费（元）", "收费", "fee"}, false},
      {"fee_text", {"收费说明", "fee_text"}, false},
      {"policy_basis", {"办理依据", "policy_basis"}, false},
      {"faq", {"常见问题", "faq"}, false},
      {"contact_office", {"咨询科室", "contact_office"}, true},
      {"contact_person", {"经办人", "contact_person"}, false},
      {"contact_phone", {"联系电话", "contact_phone"}, false},
      {"contact_location", {"办公地点", "contact_location"}, false},
      {"queue_prefix", {"叫号字母", "queue_prefix"}, false},
      {"daily_quota", {"每日限号", "daily_quota"}, false},
      {"suspended", {"暂停办理", "suspended"}, false},
      {"suspended_reason", {"暂停原因", "suspended_reason"}, false},
      {"material", {"材料名称", "material"}, false},
      {"material_en", {"材料英文名", "material_en"}, false},
      {"originals", {"原件份数", "originals"}, false},
      {"copies", {"复印件份数", "copies"}, false},
      {"spec", {"材料规格", "spec"}, false},
      {"required", {"是否必需", "required"}, false},
      {"condition", {"提交条件", "condition"}, false},
      {"form_file_id", {"表格文件编号", "form_file_id"}, false},
  };
  return all;
}

// The columns that describe the item (the others describe one material).
bool is_item_column(const std::string& key) {
  static const std::set<std::string> material = {"material", "material_en", "originals", "copies",
                                                 "spec",     "required",    "condition", "form_file_id"};
  return !material.count(key);
}

std::string mode_label(HandlingMode m) {
  switch (m) {
    case HandlingMode::on_site: return "现场";
    case HandlingMode::online: return "网上";
    case HandlingMode::both: return "现场或网上";
  }
  return "现场";
}

std::string fee_cell(std::int64_t fen) { return fen == 0 ? "免费" : fmt::format("{}.{:02d}", fen / 100, fen % 100); }

std::string periods_cell(const std::vector<Period>& periods) {
  std::string out;
  for (const auto& p : periods) {
    if (!out.empty()) out += "\n";
    out += p.from + "~" + p.to;
    if (!p.note.empty()) out += " " + p.note;
  }
  return out;
}

std::string faq_cell(const std::vector<Faq>& faq) {
  std::string out;
  for (const auto& f : faq) {
    if (!out.empty()) out += "\n";
    out += "问：" + f.q + "\n答：" + f.a;
  }
  return out;
}

std::string windows_cell(const std::vector<std::int64_t>& ids, const store::Reference& ref) {
  std::int64_t first_hall = ref.halls.empty() ? 0 : ref.halls.begin()->first;
  std::string out;
  for (auto id : ids) {
    const auto* w = ref.window(id);
    if (!w) continue;
    if (!out.empty()) out += ",";
    const auto* h = ref.hall(w->hall_id);
    if (w->hall_id != first_hall && h) out += h->code + ":";
    out += std::to_string(w->number);
  }
  return out;
}

bool parse_int(std::string_view s, std::int64_t& out) {
  if (s.empty()) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

std::string trim_copy(std::string_view s) {
  std::size_t b = s.find_first_not_of(" \t\r\n"), e = s.find_last_not_of(" \t\r\n");
  return b == std::string_view::npos ? std::string() : std::string(s.substr(b, e - b + 1));
}

// Splits on newlines and semicolons (ASCII and full-width).
std::vector<std::string> split_lines(std::string_view s, bool semicolons) {
  std::vector<std::string> out;
  std::string cur;
  for (std::size_t i = 0; i < s.size(); ++i) {
    bool sep = s[i] == '\n' || (semicolons && s[i] == ';');
    std::size_t skip = 1;
    if (semicolons && s.compare(i, 3, "\xEF\xBC\x9B") == 0) sep = true, skip = 3;  // ；
    if (sep) {
      if (auto t = trim_copy(cur); !t.empty()) out.push_back(t);
      cur.clear();
      i += skip - 1;
    } else {
      cur += s[i];
    }
  }
  if (auto t = trim_copy(cur); !t.empty()) out.push_back(t);
  return out;
}

struct Group {
  std::string code;
  std::vector<const tabular::Row*> rows;
};

struct Parsed {
  std::string code;
  int row = 0;
  ItemContent content;
  std::optional<bool> suspended;
  std::string suspended_reason;
};

class RowReader {
 public:
  RowReader(const tabular::HeaderMap& map, const store::Reference& ref) : map_(map), ref_(ref) {}

  std::string text(const tabular::Row& row, const char* key, std::size_t max, bool required = false) {
    std::string v(map_.get(row, key));
    if (required && v.empty()) throw map_.cell_error(row, key, "missing_field", {"不能为空", "must not be empty"});
    try {
      check_text(v, key, max, true);
    } catch (const ApiError& e) {
      throw map_.cell_error(row, key, e.code(), {fmt::format("最多 {} 个字符，且不能含控制字符", max),
                                                 fmt::format("at most {} characters, no control characters", max)});
    }
    return v;
  }

  std::int64_t integer(const tabular::Row& row, const char* key, std::int64_t min, std::int64_t max, std::int64_t dflt) {
    std::string v(map_.get(row, key));
    if (v.empty()) return dflt;
    std::int64_t n = 0;
    if (!parse_int(v, n) || n < min || n > max)
      throw map_.cell_error(row, key, "out_of_range",
                            {fmt::format("应为 {} 到 {} 之间的整数", min, max), fmt::format("must be a whole number from {} to {}", min, max)});
    return n;
  }

  bool yes_no(const tabular::Row& row, const char* key, bool dflt, std::initializer_list<std::string_view> yes,
              std::initializer_list<std::string_view> no) {
    std::string v = fold_ascii(map_.get(row, key));
    if (v.empty()) return dflt;
    for (auto y : yes)
      if (v == y) return true;
    for (auto n : no)
      if (v == n) return false;
    throw map_.cell_error(row, key, "invalid_value", {"无法识别，请填“是”或“否”", "not understood; write yes or no"});
  }

  // The item's columns, read from the group's first row.
  Parsed item(const tabular::Row& row) {
    Parsed p;
    p.row = row.source_row;
    p.code = text(row, "code", 32, true);
    ItemContent& c = p.content;
    c.name = text(row, "name", kMaxName, true);
    c.name_en = text(row, "name_en", kMaxNameEn);
    {
      std::string u(map_.get(row, "unit"));
      const auto* unit = ref_.unit_by_code(u);
      if (!unit) unit = ref_.unit_by_name(u);
      if (!unit) throw map_.cell_error(row, "unit", "unknown_unit", {"办理单位不存在（填单位代码或名称）", "no such unit (give its code or name)"});
      c.unit_id = unit->id;
    }
    c.category = text(row, "category", kMaxCategory, true);
    {
      std::string m = fold_ascii(map_.get(row, "handling_mode"));
      if (m == "现场" || m == "现场办理" || m == "on_site" || m == "onsite") c.handling_mode = HandlingMode::on_site;
      else if (m == "网上" || m == "网上办理" || m == "线上" || m == "online") c.handling_mode = HandlingMode::online;
      else if (m == "现场或网上" || m == "两者" || m == "现场和网上" || m == "both") c.handling_mode = HandlingMode::both;
      else
        throw map_.cell_error(row, "handling_mode", "invalid_handling_mode",
                              {"应为“现场”“网上”或“现场或网上”", "must be on_site, online or both"});
    }
    c.online_url = text(row, "online_url", 500);
    {
      std::string w(map_.get(row, "windows"));
      for (char& ch : w)
        if (ch == ',' || ch == ';' || ch == '\n') ch = ' ';
      // Full-width separators: ，、
      for (std::string_view sep : {"\xEF\xBC\x8C", "\xE3\x80\x81"})
        for (std::size_t p2; (p2 = w.find(sep)) != std::string::npos;) w.replace(p2, sep.size(), " ");
      std::int64_t first_hall = ref_.halls.empty() ? 0 : ref_.halls.begin()->first;
      std::size_t pos = 0;
      while (pos < w.size()) {
        std::size_t end = w.find(' ', pos);
        std::string token = w.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
        pos = end == std::string::npos ? w.size() : end + 1;
        if (token.empty()) continue;
        std::int64_t hall = first_hall;
        std::string num = token;
        if (auto colon = token.find(':'); colon != std::string::npos) {
          const auto* h = ref_.hall_by_code(token.substr(0, colon));
          hall = h ? h->id : -1;
          num = token.substr(colon + 1);
        }
        std::int64_t n = 0;
        const store::Window* win = hall > 0 && parse_int(num, n) ? ref_.window_by_number(hall, static_cast<int>(n)) : nullptr;
        if (!win || !win->active)
          throw map_.cell_error(row, "windows", "unknown_window",
                                {fmt::format("窗口“{}”不存在（写窗口号，如 1,2；其他大厅写 大厅代码:号）", token),
                                 fmt::format("no window “{}” (write window numbers such as 1,2; hallcode:number for other halls)", token)});
        c.window_ids.push_back(win->id);
      }
      std::sort(c.window_ids.begin(), c.window_ids.end());
      c.window_ids.erase(std::unique(c.window_ids.begin(), c.window_ids.end()), c.window_ids.end());
    }
    c.eligibility = text(row, "eligibility", kMaxLongText);
    for (const std::string& line : split_lines(map_.get(row, "periods"), true)) {
      // "2025-09-01~2025-09-14 开学前两周"
      std::string from, to, note;
      std::size_t sep = line.find('~');
      std::size_t sep_len = 1;
      if (sep == std::string::npos) sep = line.find("至"), sep_len = 3;
      if (sep == std::string::npos)
        throw map_.cell_error(row, "periods", "invalid_period",
                              {"办理时段应写成 2025-09-01~2025-09-14 说明", "write periods as 2025-09-01~2025-09-14 note"});
      from = trim_copy(line.substr(0, sep));
      std::string rest = trim_copy(line.substr(sep + sep_len));
      to = rest.substr(0, std::min(rest.size(), std::size_t{10}));
      note = trim_copy(rest.size() > 10 ? rest.substr(10) : "");
      c.periods.push_back({from, to, note});
    }
    {
      std::string t = fold_ascii(map_.get(row, "time_limit"));
      for (std::string_view suffix : {"个工作日", "工作日", "working days", "working day", "天"})
        if (t.size() > suffix.size() && t.ends_with(suffix)) t = trim_copy(t.substr(0, t.size() - suffix.size()));
      std::int64_t n = 0;
      if (t == "即办" || t == "immediate") c.time_limit_days = 0;
      else if (parse_int(t, n) && n >= 0 && n <= kMaxTimeLimitDays) c.time_limit_days = static_cast<int>(n);
      else
        throw map_.cell_error(row, "time_limit", "invalid_time_limit",
                              {fmt::format("应为“即办”或 0 到 {} 的工作日数", kMaxTimeLimitDays),
                               fmt::format("must be “immediate” or a number of working days from 0 to {}", kMaxTimeLimitDays)});
    }
    {
      std::string f = fold_ascii(map_.get(row, "fee"));
      for (std::string_view sign : {"¥", "￥"})
        if (f.rfind(sign, 0) == 0) f = trim_copy(f.substr(sign.size()));
      if (f.empty() || f == "免费" || f == "free" || f == "0") c.fee_fen = 0;
      else {
        std::size_t dot = f.find('.');
        std::string yuan = f.substr(0, dot), cents = dot == std::string::npos ? "" : f.substr(dot + 1);
        std::int64_t y = 0, ct = 0;
        bool ok = parse_int(yuan, y) && y >= 0 && cents.size() <= 2 && (cents.empty() || parse_int(cents, ct));
        if (cents.size() == 1) ct *= 10;
        if (!ok || y * 100 + ct > kMaxFeeFen)
          throw map_.cell_error(row, "fee", "invalid_fee", {"应为“免费”或金额（元），如 10 或 10.50", "must be “free” or an amount in yuan, e.g. 10 or 10.50"});
        c.fee_fen = y * 100 + ct;
      }
    }
    c.fee_text = text(row, "fee_text", kMaxShortText);
    c.policy_basis = text(row, "policy_basis", kMaxLongText);
    {
      Faq cur;
      bool have = false;
      for (const std::string& line : split_lines(map_.get(row, "faq"), false)) {
        auto strip = [&](std::initializer_list<std::string_view> prefixes) -> std::optional<std::string> {
          for (auto p : prefixes)
            if (line.rfind(p, 0) == 0) return trim_copy(line.substr(p.size()));
          return std::nullopt;
        };
        if (auto q = strip({"问：", "问:", "Q:", "Q："})) {
          if (have) c.faq.push_back(cur);
          cur = Faq{*q, ""};
          have = true;
        } else if (auto a = strip({"答：", "答:", "A:", "A："})) {
          if (!have) throw map_.cell_error(row, "faq", "invalid_faq", {"“答：”之前要有“问：”", "an “A:” line needs a “Q:” line before it"});
          cur.a = cur.a.empty() ? *a : cur.a + "\n" + *a;
        } else if (have) {
          (cur.a.empty() ? cur.q : cur.a) += "\n" + line;
        } else {
          throw map_.cell_error(row, "faq", "invalid_faq", {"每个问题以“问：”开头，答案以“答：”开头", "start each question with “Q:” and each answer with “A:”"});
        }
      }
      if (have) c.faq.push_back(cur);
      for (const auto& f : c.faq)
        if (f.a.empty())
          throw map_.cell_error(row, "faq", "invalid_faq", {"问题“" + f.q + "”缺少答案", "question “" + f.q + "” has no answer"});
    }
    c.contact.office = text(row, "contact_office", 100, true);
    c.contact.person = text(row, "contact_person", 50);
    c.contact.phone = text(row, "contact_phone", 50);
    c.contact.location = text(row, "contact_location", kMaxShortText);
    c.queue_prefix = text(row, "queue_prefix", 1);
    if (map_.has("daily_quota") && !map_.get(row, "daily_quota").empty())
      c.daily_quota = static_cast<int>(integer(row, "daily_quota", 1, 10000, 0));
    if (map_.has("suspended"))
      p.suspended = yes_no(row, "suspended", false, {"是", "暂停", "yes", "true", "1", "y"}, {"否", "正常", "no", "false", "0", "n"});
    p.suspended_reason = text(row, "suspended_reason", kMaxShortText);
    return p;
  }

  std::optional<Material> material(const tabular::Row& row) {
    std::string name = text(row, "material", kMaxName);
    if (name.empty()) {
      for (const char* k : {"material_en", "originals", "copies", "spec", "required", "condition", "form_file_id"})
        if (map_.has(k) && !map_.get(row, k).empty())
          throw map_.cell_error(row, "material", "missing_field", {"填写了材料信息但缺少材料名称", "material details given without a material name"});
      return std::nullopt;
    }
    Material m;
    m.name = name;
    m.name_en = text(row, "material_en", kMaxNameEn);
    m.originals = static_cast<int>(integer(row, "originals", 0, 20, 1));
    m.copies = static_cast<int>(integer(row, "copies", 0, 50, 0));
    m.spec = text(row, "spec", 300);
    m.required = yes_no(row, "required", true, {"必需", "必须", "是", "yes", "true", "1", "required"},
                        {"条件", "条件提交", "否", "no", "false", "0", "conditional"});
    m.condition = text(row, "condition", 300);
    if (map_.has("form_file_id") && !map_.get(row, "form_file_id").empty())
      m.form_file_id = integer(row, "form_file_id", 1, INT64_MAX, 0);
    return m;
  }

  const tabular::HeaderMap& map() const { return map_; }

 private:
  const tabular::HeaderMap& map_;
  const store::Reference& ref_;
};

json::object rejection(int row, const ApiError& e) {
  return json::object{{"row", row}, {"field", e.field()}, {"code", e.code()}, {"message", e.message().zh},
                      {"message_en", e.message().en}};
}

// Derives from std::exception so that Database::write rolls the transaction back.
struct RollBack : std::exception {};

}  // namespace

std::string CatalogService::export_table(bool xlsx) {
  tabular::Table t;
  for (const auto& c : columns()) t.headers.push_back(c.aliases.front());
  db_.read([&](soci::session& s) {
    auto ref = store::load_reference(s);
    for (const auto& [item, v] : store::load_current(s)) {
      const ItemContent& c = v.content;
      const auto* unit = ref.unit(c.unit_id);
      std::vector<std::string> base = {
          item.code, c.name, c.name_en, unit ? unit->code : "", c.category, mode_label(c.handling_mode), c.online_url,
          windows_cell(c.window_ids, ref), c.eligibility, periods_cell(c.periods),
          c.time_limit_days == 0 ? "即办" : std::to_string(c.time_limit_days), fee_cell(c.fee_fen), c.fee_text,
          c.policy_basis, faq_cell(c.faq), c.contact.office, c.contact.person, c.contact.phone, c.contact.location,
          c.queue_prefix, c.daily_quota ? std::to_string(*c.daily_quota) : "", item.suspended ? "是" : "否",
          item.suspended_reason};
      if (c.materials.empty()) {
        auto row = base;
        row.resize(columns().size());
        t.add_row(row);
      }
      for (const auto& m : c.materials) {
        auto row = base;
        row.insert(row.end(), {m.name, m.name_en, std::to_string(m.originals), std::to_string(m.copies), m.spec,
                               m.required ? "必需" : "条件", m.condition,
                               m.form_file_id ? std::to_string(*m.form_file_id) : ""});
        t.add_row(row);
      }
    }
  });
  return xlsx ? tabular::write_xlsx(t, "服务事项") : tabular::write_csv(t);
}

ImportResult CatalogService::import_table(const auth::Caller& caller, const tabular::Table& table, bool skip_bad_rows) {
  auth::require(caller.principal, "catalog.write");
  tabular::HeaderMap map(table, columns());
  // Group rows by item code, in order of first appearance.
  std::vector<Group> groups;
  std::map<std::string, std::size_t> by_code;
  ImportResult result;
  std::set<int> bad_groups;
  for (const auto& row : table.rows) {
    std::string code = trim_copy(map.get(row, "code"));
    auto it = by_code.find(code);
    if (it == by_code.end()) {
      by_code[code] = groups.size();
      groups.push_back(Group{code, {}});
      it = by_code.find(code);
    }
    groups[it->second].rows.push_back(&row);
  }

  auto run = [&](soci::session& s) {
    result = ImportResult{};  // a retried transaction starts over
    auto ref = store::load_reference(s);
    RowReader reader(map, ref);
    std::int64_t now = Clock::now();
    for (const Group& g : groups) {
      const tabular::Row* current_row = g.rows.front();
      try {
        if (auto extra = map.extra_cells_error(*current_row)) throw *extra;
        Parsed p = reader.item(*g.rows.front());
        for (const tabular::Row* row : g.rows) {
          current_row = row;
          if (auto extra = map.extra_cells_error(*row)) throw *extra;
          if (row != g.rows.front()) {
            // The item's columns repeat on each material row: they must agree (or be left empty).
            for (const auto& col : columns()) {
              if (!is_item_column(col.key) || !map.has(col.key)) continue;
              std::string_view here = map.get(*row, col.key), first = map.get(*g.rows.front(), col.key);
              if (!here.empty() && here != first)
                throw map.cell_error(*row, col.key, "conflicting_item_field",
                                     {fmt::format("与第 {} 行同一事项的内容不一致", g.rows.front()->source_row),
                                      fmt::format("differs from row {} of the same item", g.rows.front()->source_row)});
            }
          }
          if (auto m = reader.material(*row)) p.content.materials.push_back(*m);
        }
        current_row = g.rows.front();
        try {
          check_content(p.content);
        } catch (const ApiError& e) {
          throw tabular::HeaderMap::row_error(*current_row, e.code(), e.message());
        }
        auto item = store::find_item_by_code(s, p.code);
        if (item) check_scope(caller, item->unit_id);
        check_scope(caller, p.content.unit_id);
        try {
          check_references(ref, s, p.content);
        } catch (const ApiError& e) {
          throw tabular::HeaderMap::row_error(*current_row, e.code(), e.message());
        }
        if (!item) {
          write_new_item(s, caller, ref, p.code, p.content, "Excel 导入", now);
          ++result.created;
          if (p.suspended && *p.suspended) {
            auto created = store::find_item_by_code(s, p.code);
            store::set_suspended(s, created->id, true, p.suspended_reason, "", now);
          }
        } else {
          bool changed = write_version(s, caller, *item, p.content, "Excel 导入", now) != 0;
          if (p.suspended && (*p.suspended != item->suspended ||
                              (*p.suspended && p.suspended_reason != item->suspended_reason))) {
            store::set_suspended(s, item->id, *p.suspended, *p.suspended ? p.suspended_reason : "", "", now);
            auth::audit(s, caller, *p.suspended ? "catalog.item_suspended" : "catalog.item_resumed", "catalog_item",
                        std::to_string(item->id), json::object{{"reason", p.suspended_reason}, {"via", "import"}});
            changed = true;
          }
          changed ? ++result.updated : ++result.unchanged;
        }
      } catch (const ApiError& e) {
        result.rejected.push_back(rejection(current_row->source_row, e));
      }
    }
    if (!result.rejected.empty() && !skip_bad_rows) throw RollBack{};
    auth::audit(s, caller, "catalog.imported", "catalog", "",
                json::object{{"created", result.created}, {"updated", result.updated}, {"unchanged", result.unchanged},
                             {"rejected", result.rejected.size()}});
  };
  try {
    db_.write(run);
    result.committed = true;
  } catch (const RollBack&) {
    result.committed = false;
    result.created = result.updated = result.unchanged = 0;
  }
  if (result.committed) invalidate();
  return result;
}

}  // namespace hall::catalog
