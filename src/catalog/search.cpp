#include "catalog/search.hpp"

#include <algorithm>
#include <map>

namespace hall::catalog {

std::string fold_ascii(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

json::object item_summary(const store::Item& item, const store::Version& v, const store::Reference& ref) {
  const ItemContent& c = v.content;
  json::object unit{{"id", c.unit_id}, {"code", ""}, {"name", ""}, {"name_en", ""}};
  if (const auto* u = ref.unit(c.unit_id)) {
    unit["code"] = u->code;
    unit["name"] = u->name;
    unit["name_en"] = u->name_en;
  }
  json::array windows;
  for (auto wid : c.window_ids)
    if (const auto* w = ref.window(wid)) {
      const auto* h = ref.hall(w->hall_id);
      windows.push_back(json::object{{"id", w->id},
                                     {"number", w->number},
                                     {"name", w->name},
                                     {"name_en", w->name_en},
                                     {"hall_id", w->hall_id},
                                     {"hall_code", h ? h->code : ""}});
    }
  return json::object{{"id", item.id},
                      {"code", item.code},
                      {"version_id", v.id},
                      {"version_no", v.version_no},
                      {"name", c.name},
                      {"name_en", c.name_en},
                      {"name_pinyin", v.name_pinyin},
                      {"category", c.category},
                      {"unit", unit},
                      {"handling_mode", to_string(c.handling_mode)},
                      {"time_limit_days", c.time_limit_days},
                      {"fee_fen", c.fee_fen},
                      {"windows", windows},
                      {"periods", periods_to_json(c.periods)},
                      {"materials_count", c.materials.size()},
                      {"suspended", item.suspended},
                      {"suspended_reason", item.suspended_reason},
                      {"suspended_reason_en", item.suspended_reason_en},
                      {"updated_at", item.updated_at}};
}

std::shared_ptr<const SearchIndex> SearchIndex::build(const std::vector<std::pair<store::Item, store::Version>>& items,
                                                      const store::Reference& ref, const PinyinTable& table,
                                                      std::string stamp) {
  auto idx = std::make_shared<SearchIndex>();
  idx->stamp_ = std::move(stamp);
  idx->entries_.reserve(items.size());
  for (const auto& [item, v] : items) {
    SearchEntry e;
    e.item_id = item.id;
    e.unit_id = v.content.unit_id;
    e.category = v.content.category;
    e.suspended = item.suspended;
    e.name_fold = fold_ascii(v.content.name);
    e.name_en_fold = fold_ascii(v.content.name_en);
    e.code_fold = fold_ascii(item.code);
    e.pinyin = to_pinyin(v.content.name, table);
    e.summary = item_summary(item, v, ref);
    e.summary_json = json::serialize(e.summary);
    idx->entries_.push_back(std::move(e));
  }
  // Listing order: by unit, then by item.
  std::sort(idx->entries_.begin(), idx->entries_.end(), [](const SearchEntry& a, const SearchEntry& b) {
    return a.unit_id != b.unit_id ? a.unit_id < b.unit_id : a.item_id < b.item_id;
  });
  return idx;
}

std::vector<const SearchEntry*> SearchIndex::search(const SearchQuery& q) const {
  std::string text = fold_ascii(q.q);
  // Trim spaces (ASCII and U+3000) around the query.
  auto trim = [](std::string& s) {
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.pop_back();
    while (s.size() >= 3 && s.compare(s.size() - 3, 3, "\xE3\x80\x80") == 0) s.resize(s.size() - 3);
    std::size_t b = 0;
    while (b < s.size() && (s[b] == ' ' || s[b] == '\t')) ++b;
    while (s.compare(b, 3, "\xE3\x80\x80") == 0) b += 3;
    s.erase(0, b);
  };
  trim(text);
  std::string py = normalize_pinyin_query(text);
  std::vector<std::pair<int, const SearchEntry*>> hits;
  for (const SearchEntry& e : entries_) {
    if (q.unit_id && e.unit_id != *q.unit_id) continue;
    if (!q.category.empty() && e.category != q.category) continue;
    int rank = 0;
    if (text.empty()) rank = 10;
    else if (e.name_fold == text) rank = 1;
    else if (e.name_fold.rfind(text, 0) == 0) rank = 2;
    else if (e.name_fold.find(text) != std::string::npos) rank = 3;
    else if (!py.empty() && (e.pinyin.initials.rfind(py, 0) == 0 || e.pinyin.full.rfind(py, 0) == 0)) rank = 4;
    else if (!py.empty() && pinyin_matches(e.pinyin, py)) rank = 5;
    else if (!e.name_en_fold.empty() && e.name_en_fold.find(text) != std::string::npos) rank = 6;
    else if (e.code_fold == text) rank = 6;
    else continue;
    hits.emplace_back(rank, &e);
  }
  std::stable_sort(hits.begin(), hits.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<const SearchEntry*> out;
  out.reserve(hits.size());
  for (auto& h : hits) out.push_back(h.second);
  return out;
}

json::array SearchIndex::categories() const {
  std::map<std::string, int> counts;
  for (const auto& e : entries_) ++counts[e.category];
  json::array out;
  for (const auto& [name, n] : counts) out.push_back(json::object{{"name", name}, {"count", n}});
  return out;
}

json::array SearchIndex::units(const store::Reference& ref) const {
  std::map<std::int64_t, int> counts;
  for (const auto& e : entries_) ++counts[e.unit_id];
  json::array out;
  for (const auto& [id, n] : counts)
    if (const auto* u = ref.unit(id))
      out.push_back(json::object{{"id", id}, {"code", u->code}, {"name", u->name}, {"name_en", u->name_en}, {"count", n}});
  return out;
}

}  // namespace hall::catalog
