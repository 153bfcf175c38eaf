#include "catalog/service.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "auth/audit.hpp"
#include "auth/permissions.hpp"
#include "catalog/errors.hpp"
#include "core/clock.hpp"
#include "core/errors.hpp"
#include "org/errors.hpp"
#include "tabular/errors.hpp"

namespace hall::catalog {

namespace {

std::vector<std::int64_t> form_ids(const ItemContent& c) {
  std::vector<std::int64_t> ids;
  for (const auto& m : c.materials)
    if (m.form_file_id) ids.push_back(*m.form_file_id);
  return ids;
}

json::object file_json(const store::FileMeta& f) {
  return json::object{{"id", f.id},
                      {"file_name", f.file_name},
                      {"mime", f.mime},
                      {"size", f.size},
                      {"sha256", f.sha256},
                      {"url", fmt::format("/api/v1/catalog/files/{}", f.id)}};
}

ApiError item_not_found() { return errors::item_not_found(); }

}  // namespace

json::object version_json(const store::Version& v, const store::Reference& ref,
                          const std::map<std::int64_t, store::FileMeta>& files) {
  const ItemContent& c = v.content;
  json::object unit{{"id", c.unit_id}, {"code", ""}, {"name", ""}, {"name_en", ""}, {"phone", ""}, {"location", ""}};
  if (const auto* u = ref.unit(c.unit_id)) {
    unit["code"] = u->code;
    unit["name"] = u->name;
    unit["name_en"] = u->name_en;
    unit["phone"] = u->phone;
    unit["location"] = u->location;
  }
  json::array windows;
  for (auto wid : c.window_ids) {
    const auto* w = ref.window(wid);
    if (!w) continue;
    const auto* h = ref.hall(w->hall_id);
    windows.push_back(json::object{{"id", w->id},
                                   {"number", w->number},
                                   {"name", w->name},
                                   {"name_en", w->name_en},
                                   {"hall_id", w->hall_id},
                                   {"hall_code", h ? h->code : ""},
                                   {"hall_name", h ? h->name : ""},
                                   {"hall_name_en", h ? h->name_en : ""}});
  }
  json::array materials;
  int position = 0;
  for (const auto& m : c.materials) {
    json::value form = nullptr;
    if (m.form_file_id) {
      auto it = files.find(*m.form_file_id);
      if (it != files.end()) form = file_json(it->second);
    }
    materials.push_back(json::object{{"position", ++position},
                                     {"name", m.name},
                                     {"name_en", m.name_en},
                                     {"originals", m.originals},
                                     {"copies", m.copies},
                                     {"spec", m.spec},
                                     {"required", m.required},
                                     {"condition", m.condition},
                                     {"form_file_id", m.form_file_id ? json::value(*m.form_file_id) : json::value(nullptr)},
                                     {"form", form}});
  }
  return json::object{
      {"id", v.id},
      {"version_id", v.id},
      {"item_id", v.item_id},
      {"version_no", v.version_no},
      {"created_at", iso8601_utc(v.created_at)},
      {"created_by", v.created_by ? json::value(json::object{{"id", *v.created_by}, {"name", v.created_by_name}})
                                  : json::value(nullptr)},
      {"change_note", v.change_note},
      {"name", c.name},
      {"name_en", c.name_en},
      {"name_pinyin", v.name_pinyin},
      {"name_initials", v.name_initials},
      {"unit_id", c.unit_id},
      {"unit", unit},
      {"category", c.category},
      {"handling_mode", to_string(c.handling_mode)},
      {"online_url", c.online_url},
      {"window_ids", [&] {
         json::array a;
         for (auto w : c.window_ids) a.push_back(w);
         return a;
       }()},
      {"windows", windows},
      {"eligibility", c.eligibility},
      {"periods", periods_to_json(c.periods)},
      {"time_limit_days", c.time_limit_days},
      {"fee_fen", c.fee_fen},
      {"fee_text", c.fee_text},
      {"policy_basis", c.policy_basis},
      {"faq", faq_to_json(c.faq)},
      {"contact", json::object{{"office", c.contact.office},
                               {"person", c.contact.person},
                               {"phone", c.contact.phone},
                               {"location", c.contact.location}}},
      {"queue_prefix", c.queue_prefix},
      {"daily_quota", c.daily_quota ? json::value(*c.daily_quota) : json::value(nullptr)},
      {"materials", materials}};
}

CatalogService::CatalogService(db::Database& db, const Config& config) : db_(db), config_(config) {}

// Record-level rule of catalog.write: staff and unit heads edit only their own unit's items.
void CatalogService::check_scope(const auth::Caller& caller, std::int64_t unit_id) const {
  const auth::Principal& p = caller.principal;
  auth::require(p, "catalog.write");
  if (p.role == "admin" || p.role == "teacher") return;
  if (p.unit_id == 0 || p.unit_id != unit_id)
    throw hall::errors::forbidden();  // only one's own unit's items
}

void CatalogService::check_references(const store::Reference& ref, soci::session& s, const ItemContent& c) const {
  if (!ref.unit(c.unit_id)) throw org::errors::unknown_unit("unit_id");
  for (std::size_t i = 0; i < c.window_ids.size(); ++i) {
    const auto* w = ref.window(c.window_ids[i]);
    if (!w || !w->active)
      throw org::errors::unknown_window.with(fmt::format("window_ids[{}]", i), c.window_ids[i]);
  }
  auto ids = form_ids(c);
  auto files = store::files_by_id(s, ids);
  for (std::size_t i = 0; i < c.materials.size(); ++i)
    if (c.materials[i].form_file_id && !files.count(*c.materials[i].form_file_id))
      throw errors::unknown_file(fmt::format("materials[{}].form_file_id", i));
}

json::object CatalogService::item_json(soci::session& s, const store::Item& item, const store::Version& v,
                                       const store::Reference& ref, bool with_where) {
  json::object o = version_json(v, ref, store::files_by_id(s, form_ids(v.content)));
  o["id"] = item.id;
  o["code"] = item.code;
  o["current_version_id"] = item.current_version_id;
  o["suspended"] = item.suspended;
  o["suspended_reason"] = item.suspended_reason;
  o["suspended_reason_en"] = item.suspended_reason_en;
  o["suspended_at"] = item.suspended_at ? json::value(iso8601_utc(*item.suspended_at)) : json::value(nullptr);
  o["item_created_at"] = iso8601_utc(item.created_at);
  o["updated_at"] = iso8601_utc(item.updated_at);
  std::string today = local_date(Clock::now(), config_.utc_offset_minutes);
  o["open_now"] = !item.suspended && period_open(v.content.periods, today);
  auto next = next_period(v.content.periods, today);
  o["next_period"] = next ? json::value(json::object{{"from", next->from}, {"to", next->to}, {"note", next->note}})
                          : json::value(nullptr);
  if (with_where) {
    // Where: each hall that serves the item, with all its windows for a map (B6.4).
    std::vector<std::int64_t> hall_ids;
    for (auto wid : v.content.window_ids)
      if (const auto* w = ref.window(wid))
        if (std::find(hall_ids.begin(), hall_ids.end(), w->hall_id) == hall_ids.end()) hall_ids.push_back(w->hall_id);
    json::array where;
    for (auto hid : hall_ids) {
      const auto* h = ref.hall(hid);
      if (!h) continue;
      json::array windows;
      for (const auto& [wid, w] : ref.windows) {
        if (w.hall_id != hid || !w.active) continue;
        bool serves = std::find(v.content.window_ids.begin(), v.content.window_ids.end(), wid) != v.content.window_ids.end();
        windows.push_back(json::object{{"id", w.id},
                                       {"number", w.number},
                                       {"name", w.name},
                                       {"name_en", w.name_en},
                                       {"is_complaints", w.is_complaints},
                                       {"serves", serves}});
      }
      where.push_back(json::object{
          {"hall", json::object{{"id", h->id}, {"code", h->code}, {"name", h->name}, {"name_en", h->name_en}, {"address", h->address}}},
          {"windows", windows}});
    }
    o["where"] = where;
  }
  return o;
}

std::int64_t CatalogService::write_new_item(soci::session& s, const auth::Caller& caller, const store::Reference& ref,
                                            const std::optional<std::string>& code, const ItemContent& c,
                                            const std::string& note, std::int64_t now) {
  std::string item_code = code ? *code : store::next_code(s, ref.unit(c.unit_id)->code);
  if (store::find_item_by_code(s, item_code)) throw errors::duplicate_code("code");
  std::int64_t id = store::insert_item(s, item_code, c.unit_id, now);
  PinyinName py = to_pinyin(c.name, pinyin_table());
  std::optional<std::int64_t> by;
  if (caller.principal.is_user()) by = caller.principal.user_id;
  std::int64_t vid = store::insert_version(s, id, 1, c, py.spaced, py.initials, note, by, now);
  store::set_current_version(s, id, vid, c.unit_id, now);
  auth::audit(s, caller, "catalog.item_created", "catalog_item", std::to_string(id),
              json::object{{"code", item_code}, {"name", c.name}, {"version_id", vid}, {"unit_id", c.unit_id}});
  return id;
}

std::int64_t CatalogService::write_version(soci::session& s, const auth::Caller& caller, const store::Item& item,
                                           const ItemContent& c, const std::string& note, std::int64_t now) {
  auto current = store::find_version(s, item.current_version_id);
  if (current && current->content == c) return 0;
  int no = store::max_version_no(s, item.id) + 1;
  PinyinName py = to_pinyin(c.name, pinyin_table());
  std::optional<std::int64_t> by;
  if (caller.principal.is_user()) by = caller.principal.user_id;
  std::int64_t vid = store::insert_version(s, item.id, no, c, py.spaced, py.initials, note, by, now);
  store::set_current_version(s, item.id, vid, c.unit_id, now);
  auth::audit(s, caller, "catalog.item_updated", "catalog_item", std::to_string(item.id),
              json::object{{"version_id", vid},
                           {"version_no", no},
                           {"previous_version_id", item.current_version_id},
                           {"name", c.name},
                           {"change_note", note}});
  return vid;
}

json::object CatalogService::create(const auth::Caller& caller, const ItemInput& in) {
  check_scope(caller, in.content.unit_id);
  if (in.expected_version_id)
    throw hall::errors::unknown_field.with("expected_version_id", "expected_version_id");
  std::int64_t id = 0;
  try {
    id = db_.write([&](soci::session& s) {
      auto ref = store::load_reference(s);
      check_references(ref, s, in.content);
      return write_new_item(s, caller, ref, in.code, in.content, in.change_note, Clock::now());
    });
  } catch (const ApiError&) {
    throw;
  } catch (const std::exception& e) {
    if (db::is_unique_violation(e)) throw errors::duplicate_code("code");
    throw;
  }
  invalidate();
  return item(id, caller.english);
}

json::object CatalogService::update(const auth::Caller& caller, std::int64_t item_id, const ItemInput& in) {
  auth::require(caller.principal, "catalog.write");
  try {
    db_.write([&](soci::session& s) {
      auto item = store::find_item(s, item_id);
      if (!item) throw item_not_found();
      check_scope(caller, item->unit_id);      // the item's unit now …
      check_scope(caller, in.content.unit_id);  // … and the unit it would move to
      if (in.expected_version_id && *in.expected_version_id != item->current_version_id)
        throw errors::stale_version("expected_version_id");
      auto ref = store::load_reference(s);
      check_references(ref, s, in.content);
      std::int64_t now = Clock::now();
      if (in.code && *in.code != item->code) {
        if (store::find_item_by_code(s, *in.code)) throw errors::duplicate_code("code");
        store::set_code(s, item_id, *in.code, now);
      }
      write_version(s, caller, *item, in.content, in.change_note, now);
    });
  } catch (const ApiError&) {
    throw;
  } catch (const std::exception& e) {
    if (db::is_unique_violation(e)) throw errors::duplicate_code("code");
    throw;
  }
  invalidate();
  return item(item_id, caller.english);
}

json::object CatalogService::suspend(const auth::Caller& caller, std::int64_t item_id, const std::string& reason,
                                     const std::string& reason_en) {
  auth::require(caller.principal, "catalog.write");
  db_.write([&](soci::session& s) {
    auto item = store::find_item(s, item_id);
    if (!item) throw item_not_found();
    check_scope(caller, item->unit_id);
    store::set_suspended(s, item_id, true, reason, reason_en, Clock::now());
    auth::audit(s, caller, "catalog.item_suspended", "catalog_item", std::to_string(item_id),
                json::object{{"reason", reason}});
  });
  invalidate();
  return item(item_id, caller.english);
}

json::object CatalogService::resume(const auth::Caller& caller, std::int64_t item_id) {
  auth::require(caller.principal, "catalog.write");
  db_.write([&](soci::session& s) {
    auto item = store::find_item(s, item_id);
    if (!item) throw item_not_found();
    check_scope(caller, item->unit_id);
    store::set_suspended(s, item_id, false, "", "", Clock::now());
    auth::audit(s, caller, "catalog.item_resumed", "catalog_item", std::to_string(item_id));
  });
  invalidate();
  return item(item_id, caller.english);
}

json::object CatalogService::item(std::int64_t item_id, bool english) {
  return db_.read([&](soci::session& s) {
    auto item = store::find_item(s, item_id);
    if (!item) throw item_not_found();
    auto v = store::find_version(s, item->current_version_id);
    if (!v) throw item_not_found();
    auto ref = store::load_reference(s);
    return item_json(s, *item, *v, ref, true);
  });
}

json::object CatalogService::versions(std::int64_t item_id) {
  return db_.read([&](soci::session& s) {
    auto item = store::find_item(s, item_id);
    if (!item) throw item_not_found();
    auto list = store::list_versions(s, item_id);
    auto ref = store::load_reference(s);
    std::vector<std::int64_t> ids;
    for (const auto& v : list) {
      auto f = form_ids(v.content);
      ids.insert(ids.end(), f.begin(), f.end());
    }
    auto files = store::files_by_id(s, ids);
    json::array items;
    for (const auto& v : list) {
      json::object o = version_json(v, ref, files);
      o["current"] = v.id == item->current_version_id;
      items.push_back(std::move(o));
    }
    return json::object{{"item_id", item_id}, {"code", item->code}, {"current_version_id", item->current_version_id},
                        {"items", items}, {"total", items.size()}};
  });
}

json::object CatalogService::version(std::int64_t version_id) {
  return db_.read([&](soci::session& s) {
    auto v = store::find_version(s, version_id);
    if (!v) throw errors::version_not_found();
    auto item = store::find_item(s, v->item_id);
    auto ref = store::load_reference(s);
    json::object o = version_json(*v, ref, store::files_by_id(s, form_ids(v->content)));
    o["code"] = item ? item->code : "";
    o["current"] = item && item->current_version_id == v->id;
    return o;
  });
}

json::object CatalogService::list(const ListQuery& q) {
  auto idx = index();
  auto hits = idx->search(q.search);
  json::array items;
  std::size_t total = 0, skip = static_cast<std::size_t>(q.page - 1) * q.page_size;
  for (const SearchEntry* e : hits) {
    if (q.suspended && e->suspended != *q.suspended) continue;
    if (total >= skip && items.size() < static_cast<std::size_t>(q.page_size)) items.push_back(e->summary);
    ++total;
  }
  return json::object{{"items", items}, {"total", total}, {"page", q.page}, {"page_size", q.page_size}};
}

std::string CatalogService::public_search(const SearchQuery& q, int page, int page_size, double* micros) {
  auto t0 = std::chrono::steady_clock::now();
  auto idx = index();
  auto hits = idx->search(q);
  std::string out = "{\"items\":[";
  std::size_t skip = static_cast<std::size_t>(page - 1) * page_size, shown = 0;
  for (std::size_t i = skip; i < hits.size() && shown < static_cast<std::size_t>(page_size); ++i, ++shown) {
    if (shown) out += ',';
    out += hits[i]->summary_json;
  }
  double us = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count();
  if (micros) *micros = us;
  out += fmt::format("],\"total\":{},\"page\":{},\"page_size\":{},\"took_us\":{}}}", hits.size(), page, page_size,
                     static_cast<long long>(us));
  return out;
}

json::object CatalogService::public_item(std::int64_t item_id, bool english) { return item(item_id, english); }

json::object CatalogService::facets() {
  auto idx = index();
  auto ref = db_.read([](soci::session& s) { return store::load_reference(s); });
  json::array halls;
  for (const auto& [id, h] : ref.halls) {
    json::array windows;
    for (const auto& [wid, w] : ref.windows)
      if (w.hall_id == id && w.active)
        windows.push_back(json::object{{"id", w.id},
                                       {"number", w.number},
                                       {"name", w.name},
                                       {"name_en", w.name_en},
                                       {"unit_id", w.unit_id ? json::value(*w.unit_id) : json::value(nullptr)},
                                       {"is_complaints", w.is_complaints}});
    halls.push_back(json::object{{"id", h.id}, {"code", h.code}, {"name", h.name}, {"name_en", h.name_en},
                                 {"address", h.address}, {"windows", windows}});
  }
  json::array all_units;
  for (const auto& [id, u] : ref.units)
    all_units.push_back(json::object{{"id", u.id}, {"code", u.code}, {"name", u.name}, {"name_en", u.name_en}});
  return json::object{{"units", idx->units(ref)}, {"categories", idx->categories()}, {"halls", halls},
                      {"all_units", all_units}, {"total", idx->entries().size()}};
}

json::object CatalogService::upload_file(const auth::Caller& caller, std::string_view bytes, const std::string& name,
                                         std::optional<std::int64_t> unit_id) {
  auth::require(caller.principal, "catalog.write");
  if (unit_id) check_scope(caller, *unit_id);
  if (bytes.empty()) throw tabular::errors::empty_file("file");
  if (bytes.size() > kMaxFormBytes)
    throw tabular::errors::file_too_large.with("file", Text{"不能超过 10 MB", "at most 10 MB"});
  std::string clean = clean_file_name(name);
  auto kind = sniff_file(bytes, clean);
  if (!kind) throw errors::unsupported_file_type("file");
  // The stored name carries the extension of what the bytes really are.
  auto dot = clean.rfind('.');
  std::string stem = dot == std::string::npos ? clean : clean.substr(0, dot);
  std::string ext = dot == std::string::npos ? "" : fold_ascii(clean.substr(dot));
  bool ext_ok = ext == kind->extension || (kind->extension == ".jpg" && ext == ".jpeg");
  if (!ext_ok) clean = stem + kind->extension;
  store::FileMeta meta;
  meta.unit_id = unit_id ? unit_id : (caller.principal.unit_id ? std::optional<std::int64_t>(caller.principal.unit_id) : std::nullopt);
  meta.file_name = clean;
  meta.mime = kind->mime;
  meta.size = static_cast<std::int64_t>(bytes.size());
  meta.sha256 = sha256_hex(bytes);
  meta.created_at = Clock::now();
  std::string b64 = base64_encode(bytes);
  std::int64_t id = db_.write([&](soci::session& s) {
    std::optional<std::int64_t> by;
    if (caller.principal.is_user()) by = caller.principal.user_id;
    std::int64_t fid = store::insert_file(s, meta, b64, by);
    auth::audit(s, caller, "catalog.file_uploaded", "catalog_file", std::to_string(fid),
                json::object{{"file_name", meta.file_name}, {"mime", meta.mime}, {"size", meta.size}});
    return fid;
  });
  meta.id = id;
  return file_json(meta);
}

std::pair<store::FileMeta, std::string> CatalogService::file(std::int64_t file_id) {
  return db_.read([&](soci::session& s) {
    auto meta = store::find_file(s, file_id);
    auto content = store::file_content_b64(s, file_id);
    if (!meta || !content) throw errors::file_not_found();
    return std::make_pair(*meta, base64_decode(*content));
  });
}

void CatalogService::invalidate() {
  std::lock_guard lock(mu_);
  ++generation_;
}

std::shared_ptr<const SearchIndex> CatalogService::index() {
  using namespace std::chrono_literals;
  auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(mu_);
    // Fresh: built after the last change made here, and checked against the
    // database within the last second (another process may share the database).
    if (index_ && index_generation_ == generation_ && now - checked_ < 1s) return index_;
  }
  std::lock_guard rebuild(rebuild_mu_);
  std::uint64_t gen;
  std::shared_ptr<const SearchIndex> current;
  {
    std::lock_guard lock(mu_);
    gen = generation_;
    current = index_;
    if (current && index_generation_ == gen && now - checked_ < 1s) return current;
  }
  std::string stamp = db_.read([](soci::session& s) { return store::catalog_stamp(s); });
  // Unit and window names live outside the catalog: rebuild at least once a minute for them.
  if (current && current->stamp() == stamp && now - built_ < 60s) {
    std::lock_guard lock(mu_);
    if (index_generation_ == gen) {
      checked_ = now;
      return current;
    }
  }
  const PinyinTable& table = pinyin_table();
  auto fresh = db_.read([&](soci::session& s) {
    std::string st = store::catalog_stamp(s);
    auto items = store::load_current(s);
    auto ref = store::load_reference(s);
    return SearchIndex::build(items, ref, table, st);
  });
  std::lock_guard lock(mu_);
  index_ = fresh;
  index_generation_ = gen;
  checked_ = built_ = now;
  return index_;
}

}  // namespace hall::catalog
