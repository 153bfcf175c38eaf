#include "catalog/store.hpp"

#include <fmt/format.h>

#include "db/optional.hpp"

namespace hall::catalog::store {

const Unit* Reference::unit(std::int64_t id) const {
  auto it = units.find(id);
  return it == units.end() ? nullptr : &it->second;
}
const Unit* Reference::unit_by_code(const std::string& code) const {
  for (const auto& [id, u] : units)
    if (u.code == code) return &u;
  return nullptr;
}
const Unit* Reference::unit_by_name(const std::string& name) const {
  for (const auto& [id, u] : units)
    if (u.name == name || (!u.name_en.empty() && u.name_en == name)) return &u;
  return nullptr;
}
const Window* Reference::window(std::int64_t id) const {
  auto it = windows.find(id);
  return it == windows.end() ? nullptr : &it->second;
}
const Window* Reference::window_by_number(std::int64_t hall_id, int number) const {
  for (const auto& [id, w] : windows)
    if (w.hall_id == hall_id && w.number == number) return &w;
  return nullptr;
}
const Hall* Reference::hall(std::int64_t id) const {
  auto it = halls.find(id);
  return it == halls.end() ? nullptr : &it->second;
}
const Hall* Reference::hall_by_code(const std::string& code) const {
  for (const auto& [id, h] : halls)
    if (h.code == code) return &h;
  return nullptr;
}

Reference load_reference(soci::session& s) {
  Reference r;
  {
    Unit u;
    long long id = 0;
    soci::statement st = (s.prepare << "SELECT id, code, name, name_en, phone, location FROM units ORDER BY id",
                          soci::into(id), soci::into(u.code), soci::into(u.name), soci::into(u.name_en),
                          soci::into(u.phone), soci::into(u.location));
    if (st.execute(true)) do {
        u.id = id;
        r.units[id] = u;
      } while (st.fetch());
  }
  {
    Hall h;
    long long id = 0;
    soci::statement st = (s.prepare << "SELECT id, code, name, name_en, address FROM halls ORDER BY id", soci::into(id),
                          soci::into(h.code), soci::into(h.name), soci::into(h.name_en), soci::into(h.address));
    if (st.execute(true)) do {
        h.id = id;
        r.halls[id] = h;
      } while (st.fetch());
  }
  {
    Window w;
    long long id = 0, hall = 0;
    int number = 0, complaints = 0, active = 0;
    std::optional<long long> unit;
    soci::statement st =
        (s.prepare << "SELECT id, hall_id, number, name, name_en, unit_id, is_complaints, active FROM windows "
                      "ORDER BY hall_id, number",
         soci::into(id), soci::into(hall), soci::into(number), soci::into(w.name), soci::into(w.name_en),
         soci::into(unit), soci::into(complaints), soci::into(active));
    if (st.execute(true)) do {
        w.id = id;
        w.hall_id = hall;
        w.number = number;
        w.unit_id = unit ? std::optional<std::int64_t>(*unit) : std::nullopt;
        w.is_complaints = complaints != 0;
        w.active = active != 0;
        r.windows[id] = w;
      } while (st.fetch());
  }
  return r;
}

namespace {

const char* kItemColumns =
    "id, code, unit_id, current_version_id, suspended, suspended_reason, suspended_reason_en, suspended_at, created_at, "
    "updated_at";

struct ItemBind {
  long long id = 0, unit = 0, created = 0, updated = 0;
  std::optional<long long> current, suspended_at;
  int suspended = 0;
  Item item;
  void bind(soci::statement& st) {
    st.exchange(soci::into(id));
    st.exchange(soci::into(item.code));
    st.exchange(soci::into(unit));
    st.exchange(soci::into(current));
    st.exchange(soci::into(suspended));
    st.exchange(soci::into(item.suspended_reason));
    st.exchange(soci::into(item.suspended_reason_en));
    st.exchange(soci::into(suspended_at));
    st.exchange(soci::into(created));
    st.exchange(soci::into(updated));
  }
  Item get() const {
    Item i = item;
    i.id = id;
    i.unit_id = unit;
    i.current_version_id = current.value_or(0);
    i.suspended = suspended != 0;
    i.suspended_at = suspended_at ? std::optional<std::int64_t>(*suspended_at) : std::nullopt;
    i.created_at = created;
    i.updated_at = updated;
    return i;
  }
};

const char* kVersionColumns =
    "v.id, v.item_id, v.version_no, v.unit_id, v.name, v.name_en, v.name_pinyin, v.name_initials, v.category, "
    "v.handling_mode, v.online_url, v.eligibility, v.periods_json, v.time_limit_days, v.fee_fen, v.fee_text, "
    "v.policy_basis, v.faq_json, v.contact_office, v.contact_person, v.contact_phone, v.contact_location, "
    "v.queue_prefix, v.daily_quota, v.change_note, v.created_by, COALESCE(u.name, ''), v.created_at";

struct VersionBind {
  long long id = 0, item = 0, unit = 0, fee = 0, created = 0;
  int version_no = 0, limit = 0;
  std::optional<int> quota;
  std::optional<long long> by;
  std::string mode, periods, faq;
  Version v;
  void bind(soci::statement& st) {
    ItemContent& c = v.content;
    st.exchange(soci::into(id));
    st.exchange(soci::into(item));
    st.exchange(soci::into(version_no));
    st.exchange(soci::into(unit));
    st.exchange(soci::into(c.name));
    st.exchange(soci::into(c.name_en));
    st.exchange(soci::into(v.name_pinyin));
    st.exchange(soci::into(v.name_initials));
    st.exchange(soci::into(c.category));
    st.exchange(soci::into(mode));
    st.exchange(soci::into(c.online_url));
    st.exchange(soci::into(c.eligibility));
    st.exchange(soci::into(periods));
    st.exchange(soci::into(limit));
    st.exchange(soci::into(fee));
    st.exchange(soci::into(c.fee_text));
    st.exchange(soci::into(c.policy_basis));
    st.exchange(soci::into(faq));
    st.exchange(soci::into(c.contact.office));
    st.exchange(soci::into(c.contact.person));
    st.exchange(soci::into(c.contact.phone));
    st.exchange(soci::into(c.contact.location));
    st.exchange(soci::into(c.queue_prefix));
    st.exchange(soci::into(quota));
    st.exchange(soci::into(v.change_note));
    st.exchange(soci::into(by));
    st.exchange(soci::into(v.created_by_name));
    st.exchange(soci::into(created));
  }
  Version get() const {
    Version out = v;
    out.id = id;
    out.item_id = item;
    out.version_no = version_no;
    out.content.unit_id = unit;
    out.content.handling_mode = parse_handling_mode(mode).value_or(HandlingMode::on_site);
    out.content.periods = periods_from_json(periods);
    out.content.faq = faq_from_json(faq);
    out.content.time_limit_days = limit;
    out.content.fee_fen = fee;
    out.content.daily_quota = quota;
    out.created_by = by ? std::optional<std::int64_t>(*by) : std::nullopt;
    out.created_at = created;
    return out;
  }
};

// Windows and materials of the given versions (all versions when ids is empty and all == true).
void attach_details(soci::session& s, std::map<std::int64_t, Version*>& by_id, const std::string& where) {
  {
    long long vid = 0, wid = 0;
    soci::statement st = (s.prepare << "SELECT version_id, window_id FROM catalog_version_windows" + where +
                                           " ORDER BY version_id, window_id",
                          soci::into(vid), soci::into(wid));
    if (st.execute(true)) do {
        auto it = by_id.find(vid);
        if (it != by_id.end()) it->second->content.window_ids.push_back(wid);
      } while (st.fetch());
  }
  {
    long long vid = 0;
    Material m;
    int originals = 0, copies = 0, required = 0, position = 0;
    std::optional<long long> form;
    soci::statement st =
        (s.prepare << "SELECT version_id, position, name, name_en, originals, copies, spec, required, condition_text, "
                      "form_file_id FROM catalog_materials" +
                          where + " ORDER BY version_id, position",
         soci::into(vid), soci::into(position), soci::into(m.name), soci::into(m.name_en), soci::into(originals),
         soci::into(copies), soci::into(m.spec), soci::into(required), soci::into(m.condition), soci::into(form));
    if (st.execute(true)) do {
        auto it = by_id.find(vid);
        if (it == by_id.end()) continue;
        Material out = m;
        out.originals = originals;
        out.copies = copies;
        out.required = required != 0;
        out.form_file_id = form ? std::optional<std::int64_t>(*form) : std::nullopt;
        it->second->content.materials.push_back(out);
      } while (st.fetch());
  }
}

}  // namespace

std::optional<Item> find_item(soci::session& s, std::int64_t id) {
  ItemBind b;
  long long key = id;
  soci::statement st(s);
  b.bind(st);
  st.exchange(soci::use(key));
  st.alloc();
  st.prepare(std::string("SELECT ") + kItemColumns + " FROM catalog_items WHERE id = :id");
  st.define_and_bind();
  if (!st.execute(true)) return std::nullopt;
  return b.get();
}

std::optional<Item> find_item_by_code(soci::session& s, const std::string& code) {
  ItemBind b;
  soci::statement st(s);
  b.bind(st);
  st.exchange(soci::use(code));
  st.alloc();
  st.prepare(std::string("SELECT ") + kItemColumns + " FROM catalog_items WHERE code = :c");
  st.define_and_bind();
  if (!st.execute(true)) return std::nullopt;
  return b.get();
}

std::optional<Version> find_version(soci::session& s, std::int64_t version_id) {
  VersionBind b;
  long long key = version_id;
  soci::statement st(s);
  b.bind(st);
  st.exchange(soci::use(key));
  st.alloc();
  st.prepare(std::string("SELECT ") + kVersionColumns +
             " FROM catalog_item_versions v LEFT JOIN users u ON u.id = v.created_by WHERE v.id = :id");
  st.define_and_bind();
  if (!st.execute(true)) return std::nullopt;
  Version v = b.get();
  std::map<std::int64_t, Version*> by_id{{v.id, &v}};
  attach_details(s, by_id, " WHERE version_id = " + std::to_string(v.id));
  return v;
}

std::vector<Version> list_versions(soci::session& s, std::int64_t item_id) {
  std::vector<Version> out;
  VersionBind b;
  long long key = item_id;
  soci::statement st(s);
  b.bind(st);
  st.exchange(soci::use(key));
  st.alloc();
  st.prepare(std::string("SELECT ") + kVersionColumns +
             " FROM catalog_item_versions v LEFT JOIN users u ON u.id = v.created_by WHERE v.item_id = :id "
             "ORDER BY v.version_no DESC");
  st.define_and_bind();
  if (st.execute(true)) do out.push_back(b.get());
    while (st.fetch());
  std::map<std::int64_t, Version*> by_id;
  for (auto& v : out) by_id[v.id] = &v;
  if (!out.empty())
    attach_details(s, by_id,
                   " WHERE version_id IN (SELECT id FROM catalog_item_versions WHERE item_id = " +
                       std::to_string(item_id) + ")");
  return out;
}

std::vector<std::pair<Item, Version>> load_current(soci::session& s) {
  std::vector<std::pair<Item, Version>> out;
  std::map<std::int64_t, Item> items;
  {
    ItemBind b;
    soci::statement st(s);
    b.bind(st);
    st.alloc();
    st.prepare(std::string("SELECT ") + kItemColumns + " FROM catalog_items ORDER BY id");
    st.define_and_bind();
    if (st.execute(true)) do {
        Item i = b.get();
        items[i.id] = i;
      } while (st.fetch());
  }
  {
    VersionBind b;
    soci::statement st(s);
    b.bind(st);
    st.alloc();
    st.prepare(std::string("SELECT ") + kVersionColumns +
               " FROM catalog_items i JOIN catalog_item_versions v ON v.id = i.current_version_id "
               "LEFT JOIN users u ON u.id = v.created_by ORDER BY i.id");
    st.define_and_bind();
    if (st.execute(true)) do {
        Version v = b.get();
        auto it = items.find(v.item_id);
        if (it != items.end()) out.emplace_back(it->second, std::move(v));
      } while (st.fetch());
  }
  std::map<std::int64_t, Version*> by_id;
  for (auto& [i, v] : out) by_id[v.id] = &v;
  if (!out.empty())
    attach_details(s, by_id, " WHERE version_id IN (SELECT current_version_id FROM catalog_items)");
  return out;
}

std::int64_t insert_item(soci::session& s, const std::string& code, std::int64_t unit_id, std::int64_t now) {
  long long id = 0, unit = unit_id, t = now;
  s << "INSERT INTO catalog_items (code, unit_id, suspended, created_at, updated_at) VALUES (:c, :u, 0, :t, :t2) "
       "RETURNING id",
      soci::use(code), soci::use(unit), soci::use(t), soci::use(t), soci::into(id);
  return id;
}

std::int64_t insert_version(soci::session& s, std::int64_t item_id, int version_no, const ItemContent& c,
                            const std::string& pinyin, const std::string& initials, const std::string& change_note,
                            std::optional<std::int64_t> created_by, std::int64_t now) {
  long long id = 0, item = item_id, unit = c.unit_id, fee = c.fee_fen, t = now;
  int no = version_no, limit = c.time_limit_days;
  std::optional<int> quota = c.daily_quota;
  std::optional<long long> by;
  if (created_by) by = *created_by;
  std::string mode(to_string(c.handling_mode)), periods = json::serialize(periods_to_json(c.periods)),
      faq = json::serialize(faq_to_json(c.faq));
  s << "INSERT INTO catalog_item_versions (item_id, version_no, unit_id, name, name_en, name_pinyin, name_initials, "
       "category, handling_mode, online_url, eligibility, periods_json, time_limit_days, fee_fen, fee_text, "
       "policy_basis, faq_json, contact_office, contact_person, contact_phone, contact_location, queue_prefix, "
       "daily_quota, change_note, created_by, created_at) VALUES (:item, :no, :unit, :name, :name_en, :py, :ini, :cat, "
       ":mode, :url, :elig, :periods, :lim, :fee, :fee_text, :policy, :faq, :office, :person, :phone, :loc, :prefix, "
       ":quota, :note, :by, :t) RETURNING id",
      soci::use(item), soci::use(no), soci::use(unit), soci::use(c.name), soci::use(c.name_en), soci::use(pinyin),
      soci::use(initials), soci::use(c.category), soci::use(mode), soci::use(c.online_url), soci::use(c.eligibility),
      soci::use(periods), soci::use(limit), soci::use(fee), soci::use(c.fee_text), soci::use(c.policy_basis),
      soci::use(faq), soci::use(c.contact.office), soci::use(c.contact.person), soci::use(c.contact.phone),
      soci::use(c.contact.location), soci::use(c.queue_prefix), soci::use(quota), soci::use(change_note), soci::use(by),
      soci::use(t), soci::into(id);
  for (std::int64_t w : c.window_ids) {
    long long wid = w;
    s << "INSERT INTO catalog_version_windows (version_id, window_id) VALUES (:v, :w)", soci::use(id), soci::use(wid);
  }
  int position = 0;
  for (const Material& m : c.materials) {
    ++position;
    int originals = m.originals, copies = m.copies, required = m.required ? 1 : 0;
    std::optional<long long> form;
    if (m.form_file_id) form = *m.form_file_id;
    s << "INSERT INTO catalog_materials (version_id, position, name, name_en, originals, copies, spec, required, "
         "condition_text, form_file_id) VALUES (:v, :p, :n, :ne, :o, :c, :s, :r, :cond, :f)",
        soci::use(id), soci::use(position), soci::use(m.name), soci::use(m.name_en), soci::use(originals),
        soci::use(copies), soci::use(m.spec), soci::use(required), soci::use(m.condition), soci::use(form);
  }
  return id;
}

void set_current_version(soci::session& s, std::int64_t item_id, std::int64_t version_id, std::int64_t unit_id,
                         std::int64_t now) {
  long long item = item_id, v = version_id, u = unit_id, t = now;
  s << "UPDATE catalog_items SET current_version_id = :v, unit_id = :u, updated_at = :t WHERE id = :id", soci::use(v),
      soci::use(u), soci::use(t), soci::use(item);
}

void set_code(soci::session& s, std::int64_t item_id, const std::string& code, std::int64_t now) {
  long long item = item_id, t = now;
  s << "UPDATE catalog_items SET code = :c, updated_at = :t WHERE id = :id", soci::use(code), soci::use(t),
      soci::use(item);
}

void set_suspended(soci::session& s, std::int64_t item_id, bool suspended, const std::string& reason,
                   const std::string& reason_en, std::int64_t now) {
  long long item = item_id, t = now;
  int flag = suspended ? 1 : 0;
  std::optional<long long> at;
  if (suspended) at = now;
  s << "UPDATE catalog_items SET suspended = :s, suspended_reason = :r, suspended_reason_en = :re, suspended_at = :at, "
       "updated_at = :t WHERE id = :id",
      soci::use(flag), soci::use(reason), soci::use(reason_en), soci::use(at), soci::use(t), soci::use(item);
}

int max_version_no(soci::session& s, std::int64_t item_id) {
  long long item = item_id;
  std::optional<int> n;
  s << "SELECT MAX(version_no) FROM catalog_item_versions WHERE item_id = :i", soci::into(n), soci::use(item);
  return n.value_or(0);
}

std::string next_code(soci::session& s, const std::string& unit_code) {
  for (int n = 1;; ++n) {
    std::string code = fmt::format("{}-{:03d}", unit_code, n);
    long long count = 0;
    s << "SELECT COUNT(*) FROM catalog_items WHERE code = :c", soci::into(count), soci::use(code);
    if (count == 0) return code;
  }
}

std::int64_t insert_file(soci::session& s, const FileMeta& meta, const std::string& content_b64,
                         std::optional<std::int64_t> uploaded_by) {
  long long id = 0, size = meta.size, t = meta.created_at;
  std::optional<long long> unit, by;
  if (meta.unit_id) unit = *meta.unit_id;
  if (uploaded_by) by = *uploaded_by;
  s << "INSERT INTO catalog_files (unit_id, file_name, mime, size_bytes, sha256, content_b64, uploaded_by, created_at) "
       "VALUES (:u, :n, :m, :s, :h, :c, :b, :t) RETURNING id",
      soci::use(unit), soci::use(meta.file_name), soci::use(meta.mime), soci::use(size), soci::use(meta.sha256),
      soci::use(content_b64), soci::use(by), soci::use(t), soci::into(id);
  return id;
}

namespace {
struct FileBind {
  long long id = 0, size = 0, created = 0;
  std::optional<long long> unit;
  FileMeta m;
  void bind(soci::statement& st) {
    st.exchange(soci::into(id));
    st.exchange(soci::into(unit));
    st.exchange(soci::into(m.file_name));
    st.exchange(soci::into(m.mime));
    st.exchange(soci::into(size));
    st.exchange(soci::into(m.sha256));
    st.exchange(soci::into(created));
  }
  FileMeta get() const {
    FileMeta out = m;
    out.id = id;
    out.unit_id = unit ? std::optional<std::int64_t>(*unit) : std::nullopt;
    out.size = size;
    out.created_at = created;
    return out;
  }
};
const char* kFileColumns = "id, unit_id, file_name, mime, size_bytes, sha256, created_at";
}  // namespace

std::optional<FileMeta> find_file(soci::session& s, std::int64_t id) {
  FileBind b;
  long long key = id;
  soci::statement st(s);
  b.bind(st);
  st.exchange(soci::use(key));
  st.alloc();
  st.prepare(std::string("SELECT ") + kFileColumns + " FROM catalog_files WHERE id = :id");
  st.define_and_bind();
  if (!st.execute(true)) return std::nullopt;
  return b.get();
}

std::map<std::int64_t, FileMeta> files_by_id(soci::session& s, const std::vector<std::int64_t>& ids) {
  std::map<std::int64_t, FileMeta> out;
  if (ids.empty()) return out;
  std::string list;
  for (auto id : ids) list += (list.empty() ? "" : ",") + std::to_string(id);  // integers only
  FileBind b;
  soci::statement st(s);
  b.bind(st);
  st.alloc();
  st.prepare(std::string("SELECT ") + kFileColumns + " FROM catalog_files WHERE id IN (" + list + ")");
  st.define_and_bind();
  if (st.execute(true)) do {
      FileMeta m = b.get();
      out[m.id] = m;
    } while (st.fetch());
  return out;
}

std::optional<std::string> file_content_b64(soci::session& s, std::int64_t id) {
  long long key = id;
  std::string content;
  s << "SELECT content_b64 FROM catalog_files WHERE id = :id", soci::into(content), soci::use(key);
  if (!s.got_data()) return std::nullopt;
  return content;
}

std::string catalog_stamp(soci::session& s) {
  long long count = 0;
  std::optional<long long> updated, versions;
  s << "SELECT COUNT(*), MAX(updated_at), (SELECT MAX(id) FROM catalog_item_versions) FROM catalog_items",
      soci::into(count), soci::into(updated), soci::into(versions);
  return fmt::format("{}:{}:{}", count, updated.value_or(0), versions.value_or(0));
}

}  // namespace hall::catalog::store
