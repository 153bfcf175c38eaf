#include "org/store.hpp"

#include "core/clock.hpp"
#include "db/optional.hpp"
#include "db/row.hpp"
#include "db/statement.hpp"

namespace hall::org::store {

namespace {

std::string column_list(const RecordKind& k) {
  std::string out;
  for (const auto& c : k.columns) out += ", " + c.name;
  return out;
}

// Runs a SELECT of id + every column of the kind, appending records.
std::vector<Record> select_records(soci::session& s, const RecordKind& k, const std::string& tail,
                                   const std::function<void(soci::statement&)>& bind) {
  std::vector<Record> out;
  long long id = 0;
  std::vector<std::string> values(k.columns.size());
  soci::statement st(s);
  st.exchange(soci::into(id));
  for (auto& v : values) st.exchange(soci::into(v));
  bind(st);
  st.alloc();
  st.prepare("SELECT id" + column_list(k) + " FROM " + k.table + tail);
  st.define_and_bind();
  if (st.execute(true)) {
    do {
      Record r;
      r.id = id;
      for (std::size_t i = 0; i < k.columns.size(); ++i) r.values[k.columns[i].name] = values[i];
      out.push_back(std::move(r));
    } while (st.fetch());
  }
  return out;
}

}  // namespace

std::vector<Record> list_records(soci::session& s, const RecordKind& k, const Page& p, long long* total) {
  s << "SELECT COUNT(*) FROM " + k.table, soci::into(*total);
  long long limit = p.page_size, offset = static_cast<long long>(p.page - 1) * p.page_size;
  return select_records(s, k, " ORDER BY id LIMIT :lim OFFSET :off", [&](soci::statement& st) {
    st.exchange(soci::use(limit, "lim"));
    st.exchange(soci::use(offset, "off"));
  });
}

std::optional<Record> find_record(soci::session& s, const RecordKind& k, std::int64_t id) {
  long long key = id;
  auto rows = select_records(s, k, " WHERE id = :id", [&](soci::statement& st) { st.exchange(soci::use(key, "id")); });
  if (rows.empty()) return std::nullopt;
  return rows.front();
}

bool value_taken(soci::session& s, const RecordKind& k, const std::string& column, const std::string& value,
                 std::int64_t except_id) {
  long long n = 0, except = except_id;
  // `column` is one of the kind's constant column names (checked by the caller's loop over k.columns).
  s << "SELECT COUNT(*) FROM " + k.table + " WHERE " + column + " = :v AND id <> :id", soci::into(n), soci::use(value),
      soci::use(except);
  return n > 0;
}

std::int64_t insert_record(soci::session& s, const RecordKind& k, const Record& r) {
  std::string names, marks;
  std::vector<std::string> values;
  values.reserve(k.columns.size());
  for (const auto& c : k.columns) {
    auto it = r.values.find(c.name);
    values.push_back(it == r.values.end() ? std::string() : it->second);
    names += c.name + ", ";
    marks += ":" + c.name + ", ";
  }
  long long now = Clock::now(), id = 0;
  soci::statement st(s);
  for (std::size_t i = 0; i < values.size(); ++i) st.exchange(soci::use(values[i], k.columns[i].name));
  st.exchange(soci::use(now, "created_at"));
  st.exchange(soci::into(id));
  st.alloc();
  st.prepare("INSERT INTO " + k.table + " (" + names + "created_at) VALUES (" + marks + ":created_at) RETURNING id");
  st.define_and_bind();
  st.execute(true);
  return id;
}

void update_record(soci::session& s, const RecordKind& k, const Record& r) {
  std::string sets;
  std::vector<std::string> values;
  values.reserve(k.columns.size());
  for (const auto& c : k.columns) {
    auto it = r.values.find(c.name);
    values.push_back(it == r.values.end() ? std::string() : it->second);
    sets += (sets.empty() ? "" : ", ") + c.name + " = :" + c.name;
  }
  long long id = r.id;
  soci::statement st(s);
  for (std::size_t i = 0; i < values.size(); ++i) st.exchange(soci::use(values[i], k.columns[i].name));
  st.exchange(soci::use(id, "id"));
  st.alloc();
  st.prepare("UPDATE " + k.table + " SET " + sets + " WHERE id = :id");
  st.define_and_bind();
  st.execute(true);
}

bool exists(soci::session& s, const std::string& table, std::int64_t id) {
  long long n = 0, key = id;
  s << "SELECT COUNT(*) FROM " + table + " WHERE id = :id", soci::into(n), soci::use(key);
  return n > 0;
}

// ---------------------------------------------------------------------------

namespace {
const char* kWindowSelect =
    "SELECT w.id, w.hall_id, w.number, w.name, w.name_en, w.unit_id, u.name, w.is_complaints, w.active "
    "FROM windows w LEFT JOIN units u ON u.id = w.unit_id";

std::vector<Window> select_windows(soci::session& s, const std::string& tail,
                                   const std::function<void(soci::statement&)>& bind) {
  std::vector<Window> out;
  long long id = 0, hall = 0;
  int number = 0, complaints = 0, active = 0;
  std::string name, name_en;
  std::optional<long long> unit;
  std::optional<std::string> unit_name;
  soci::statement st(s);
  st.exchange(soci::into(id));
  st.exchange(soci::into(hall));
  st.exchange(soci::into(number));
  st.exchange(soci::into(name));
  st.exchange(soci::into(name_en));
  st.exchange(soci::into(unit));
  st.exchange(soci::into(unit_name));
  st.exchange(soci::into(complaints));
  st.exchange(soci::into(active));
  bind(st);
  st.alloc();
  st.prepare(std::string(kWindowSelect) + tail);
  st.define_and_bind();
  if (st.execute(true)) {
    do {
      Window w;
      w.id = id;
      w.hall_id = hall;
      w.number = number;
      w.name = name;
      w.name_en = name_en;
      if (unit) w.unit_id = *unit;
      w.unit_name = unit_name.value_or("");
      w.is_complaints = complaints != 0;
      w.active = active != 0;
      out.push_back(std::move(w));
    } while (st.fetch());
  }
  return out;
}
}  // namespace

std::vector<Window> list_windows(soci::session& s, std::optional<std::int64_t> hall_id, const Page& p,
                                 long long* total) {
  long long hall = hall_id.value_or(0), limit = p.page_size, offset = static_cast<long long>(p.page - 1) * p.page_size;
  if (hall_id) s << "SELECT COUNT(*) FROM windows WHERE hall_id = :h", soci::into(*total), soci::use(hall);
  else s << "SELECT COUNT(*) FROM windows", soci::into(*total);
  return select_windows(s, std::string(hall_id ? " WHERE w.hall_id = :h" : "") +
                               " ORDER BY w.hall_id, w.number LIMIT :lim OFFSET :off",
                        [&](soci::statement& st) {
                          if (hall_id) st.exchange(soci::use(hall, "h"));
                          st.exchange(soci::use(limit, "lim"));
                          st.exchange(soci::use(offset, "off"));
                        });
}

std::optional<Window> find_window(soci::session& s, std::int64_t id) {
  long long key = id;
  auto rows = select_windows(s, " WHERE w.id = :id", [&](soci::statement& st) { st.exchange(soci::use(key, "id")); });
  if (rows.empty()) return std::nullopt;
  return rows.front();
}

bool window_number_taken(soci::session& s, std::int64_t hall_id, int number, std::int64_t except_id) {
  long long n = 0, hall = hall_id, except = except_id;
  s << "SELECT COUNT(*) FROM windows WHERE hall_id = :h AND number = :n AND id <> :id", soci::into(n), soci::use(hall),
      soci::use(number), soci::use(except);
  return n > 0;
}

std::int64_t insert_window(soci::session& s, const Window& w) {
  long long now = Clock::now(), id = 0, hall = w.hall_id;
  int number = w.number, complaints = w.is_complaints ? 1 : 0, active = w.active ? 1 : 0;
  std::optional<long long> unit;
  if (w.unit_id) unit = *w.unit_id;
  s << "INSERT INTO windows (hall_id, number, name, name_en, unit_id, is_complaints, active, created_at) "
       "VALUES (:h, :n, :name, :en, :u, :c, :a, :t) RETURNING id",
      soci::use(hall), soci::use(number), soci::use(w.name), soci::use(w.name_en), soci::use(unit),
      soci::use(complaints), soci::use(active), soci::use(now), soci::into(id);
  return id;
}

void update_window(soci::session& s, const Window& w) {
  long long id = w.id, hall = w.hall_id;
  int number = w.number, complaints = w.is_complaints ? 1 : 0, active = w.active ? 1 : 0;
  std::optional<long long> unit;
  if (w.unit_id) unit = *w.unit_id;
  s << "UPDATE windows SET hall_id = :h, number = :n, name = :name, name_en = :en, unit_id = :u, "
       "is_complaints = :c, active = :a WHERE id = :id",
      soci::use(hall), soci::use(number), soci::use(w.name), soci::use(w.name_en), soci::use(unit),
      soci::use(complaints), soci::use(active), soci::use(id);
}

// ---------------------------------------------------------------------------

namespace {
std::vector<Device> select_devices(soci::session& s, const std::string& tail,
                                   const std::function<void(soci::statement&)>& bind) {
  std::vector<Device> out;
  long long id = 0, hall = 0, created = 0;
  int disabled = 0;
  std::string kind, name;
  std::optional<long long> window, seen;
  soci::statement st(s);
  st.exchange(soci::into(id));
  st.exchange(soci::into(hall));
  st.exchange(soci::into(kind));
  st.exchange(soci::into(name));
  st.exchange(soci::into(window));
  st.exchange(soci::into(disabled));
  st.exchange(soci::into(created));
  st.exchange(soci::into(seen));
  bind(st);
  st.alloc();
  st.prepare("SELECT id, hall_id, kind, name, window_id, disabled, created_at, last_seen_at FROM devices" + tail);
  st.define_and_bind();
  if (st.execute(true)) {
    do {
      Device d;
      d.id = id;
      d.hall_id = hall;
      d.kind = kind;
      d.name = name;
      if (window) d.window_id = *window;
      d.disabled = disabled != 0;
      d.created_at = created;
      if (seen) d.last_seen_at = *seen;
      out.push_back(std::move(d));
    } while (st.fetch());
  }
  return out;
}
}  // namespace

std::vector<Device> list_devices(soci::session& s, std::optional<std::int64_t> hall_id, const Page& p,
                                 long long* total) {
  long long hall = hall_id.value_or(0), limit = p.page_size, offset = static_cast<long long>(p.page - 1) * p.page_size;
  if (hall_id) s << "SELECT COUNT(*) FROM devices WHERE hall_id = :h", soci::into(*total), soci::use(hall);
  else s << "SELECT COUNT(*) FROM devices", soci::into(*total);
  return select_devices(s, std::string(hall_id ? " WHERE hall_id = :h" : "") + " ORDER BY id LIMIT :lim OFFSET :off",
                        [&](soci::statement& st) {
                          if (hall_id) st.exchange(soci::use(hall, "h"));
                          st.exchange(soci::use(limit, "lim"));
                          st.exchange(soci::use(offset, "off"));
                        });
}

std::optional<Device> find_device(soci::session& s, std::int64_t id) {
  long long key = id;
  auto rows = select_devices(s, " WHERE id = :id", [&](soci::statement& st) { st.exchange(soci::use(key, "id")); });
  if (rows.empty()) return std::nullopt;
  return rows.front();
}

std::int64_t insert_device(soci::session& s, const Device& d, const std::string& digest) {
  long long now = Clock::now(), id = 0, hall = d.hall_id;
  std::optional<long long> window;
  if (d.window_id) window = *d.window_id;
  s << "INSERT INTO devices (hall_id, kind, name, window_id, token_digest, disabled, created_at) "
       "VALUES (:h, :k, :n, :w, :d, 0, :t) RETURNING id",
      soci::use(hall), soci::use(d.kind), soci::use(d.name), soci::use(window), soci::use(digest), soci::use(now),
      soci::into(id);
  return id;
}

void update_device(soci::session& s, const Device& d) {
  long long id = d.id;
  int disabled = d.disabled ? 1 : 0;
  std::optional<long long> window;
  if (d.window_id) window = *d.window_id;
  s << "UPDATE devices SET name = :n, disabled = :d, window_id = :w WHERE id = :id", soci::use(d.name),
      soci::use(disabled), soci::use(window), soci::use(id);
}

void set_device_token(soci::session& s, std::int64_t id, const std::string& digest) {
  long long key = id;
  s << "UPDATE devices SET token_digest = :d WHERE id = :id", soci::use(digest), soci::use(key);
}

// ---------------------------------------------------------------------------
// Reads for other modules.

namespace {
const char* kHallColumns = "SELECT id, code, name, name_en, address, phone FROM halls";

HallInfo hall_of(const soci::row& r) {
  return HallInfo{db::col_i64(r, 0), db::col_str(r, 1), db::col_str(r, 2),
                  db::col_str(r, 3), db::col_str(r, 4), db::col_str(r, 5)};
}
}  // namespace

std::vector<HallInfo> halls(soci::session& s) {
  std::vector<HallInfo> out;
  db::Values none;
  db::query_rows(s, std::string(kHallColumns) + " ORDER BY id", none,
                 [&](const soci::row& r) { out.push_back(hall_of(r)); });
  return out;
}

std::optional<HallInfo> find_hall(soci::session& s, std::int64_t id) {
  std::optional<HallInfo> out;
  db::Values b{static_cast<long long>(id)};
  db::query_rows(s, std::string(kHallColumns) + " WHERE id = :id", b,
                 [&](const soci::row& r) { out = hall_of(r); });
  return out;
}

std::int64_t first_hall(soci::session& s) {
  db::Values none;
  return db::query_i64(s, "SELECT MIN(id) FROM halls", none).value_or(0);
}

std::vector<ServingWindow> active_windows(soci::session& s, std::int64_t hall_id) {
  std::vector<ServingWindow> out;
  db::Values b{static_cast<long long>(hall_id)};
  db::query_rows(s,
                 "SELECT w.id, w.number, w.name, w.name_en, w.is_complaints, u.id, u.name, "
                 "u.name_en, u.phone, "
                 "u.location FROM windows w LEFT JOIN units u ON u.id = w.unit_id "
                 "WHERE w.hall_id = :h AND w.active = 1 ORDER BY w.number",
                 b, [&](const soci::row& r) {
                   ServingWindow w;
                   w.id = db::col_i64(r, 0);
                   w.number = static_cast<int>(db::col_i64(r, 1));
                   w.name = db::col_str(r, 2);
                   w.name_en = db::col_str(r, 3);
                   w.is_complaints = db::col_i64(r, 4) != 0;
                   w.unit_id = db::col_opt_i64(r, 5);
                   w.unit_name = db::col_str(r, 6);
                   w.unit_name_en = db::col_str(r, 7);
                   w.unit_phone = db::col_str(r, 8);
                   w.unit_location = db::col_str(r, 9);
                   out.push_back(std::move(w));
                 });
  return out;
}

}  // namespace hall::org::store
