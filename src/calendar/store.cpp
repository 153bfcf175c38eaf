#include "calendar/store.hpp"

#include "db/optional.hpp"
#include "db/row.hpp"
#include "db/statement.hpp"

namespace hall::calendar::store {

std::set<int> covered_years(soci::session& s) {
  std::set<int> out;
  int y = 0;
  soci::statement st = (s.prepare << "SELECT year FROM calendar_years", soci::into(y));
  st.execute();
  while (st.fetch()) out.insert(y);
  return out;
}

std::vector<HolidayRecord> holidays(soci::session& s, std::optional<int> year) {
  std::vector<HolidayRecord> out;
  std::string date, name, source;
  int off = 0;
  std::string lo = year ? std::to_string(*year) + "-01-01" : std::string("0000-00-00");
  std::string hi = year ? std::to_string(*year) + "-12-31" : std::string("9999-99-99");
  soci::statement st = (s.prepare << "SELECT holiday_date, name, off_day, source FROM calendar_holidays "
                                     "WHERE holiday_date >= :lo AND holiday_date <= :hi ORDER BY holiday_date",
                        soci::into(date), soci::into(name), soci::into(off), soci::into(source), soci::use(lo),
                        soci::use(hi));
  st.execute();
  while (st.fetch()) out.push_back({Date::parse(date), name, off != 0, source});
  return out;
}

std::optional<HolidayRecord> find_holiday(soci::session& s, Date date) {
  std::string d = date.to_string(), name, source;
  int off = 0;
  s << "SELECT name, off_day, source FROM calendar_holidays WHERE holiday_date = :d", soci::into(name), soci::into(off),
      soci::into(source), soci::use(d);
  if (!s.got_data()) return std::nullopt;
  return HolidayRecord{date, name, off != 0, source};
}

void upsert_holiday(soci::session& s, const HolidayRecord& h, long long now) {
  std::string d = h.date.to_string();
  int off = h.off_day ? 1 : 0;
  // One statement, not DELETE + INSERT: two concurrent edits of one date on
  // PostgreSQL (READ COMMITTED) both deleted, then both inserted — a duplicate
  // key and a 500, found by the burst test (tests/reliability).
  s << "INSERT INTO calendar_holidays (holiday_date, name, off_day, source, updated_at) VALUES (:d, :n, :o, :s, :t) "
       "ON CONFLICT (holiday_date) DO UPDATE SET name = excluded.name, off_day = excluded.off_day, "
       "source = excluded.source, updated_at = excluded.updated_at",
      soci::use(d), soci::use(h.name), soci::use(off), soci::use(h.source), soci::use(now);
}

void delete_holiday(soci::session& s, Date date) {
  std::string d = date.to_string();
  s << "DELETE FROM calendar_holidays WHERE holiday_date = :d", soci::use(d);
}

void set_year(soci::session& s, int year, bool covered, const std::string& source, long long now) {
  if (!covered) {
    s << "DELETE FROM calendar_years WHERE year = :y", soci::use(year);
    return;
  }
  // Upsert (see upsert_holiday): concurrent marks of one year must not collide.
  s << "INSERT INTO calendar_years (year, source, updated_at) VALUES (:y, :s, :t) "
       "ON CONFLICT (year) DO UPDATE SET source = excluded.source, updated_at = excluded.updated_at",
      soci::use(year), soci::use(source), soci::use(now);
}

namespace {
const char* kClosureColumns = "id, hall_id, first_date, last_date, name, kind, note, updated_at";

ClosureRecord closure_of(long long id, long long hall, const std::string& first, const std::string& last,
                         const std::string& name, const std::string& kind, const std::string& note, long long updated) {
  return ClosureRecord{id, hall, Date::parse(first), Date::parse(last), name, kind, note, updated};
}
}  // namespace

std::vector<ClosureRecord> closures(soci::session& s, std::int64_t hall_id) {
  std::vector<ClosureRecord> out;
  long long id = 0, hall = hall_id, updated = 0;
  std::string first, last, name, kind, note;
  soci::statement st = (s.prepare << std::string("SELECT ") + kClosureColumns +
                                         " FROM calendar_closures WHERE hall_id = :h ORDER BY first_date",
                        soci::into(id), soci::into(hall), soci::into(first), soci::into(last), soci::into(name),
                        soci::into(kind), soci::into(note), soci::into(updated), soci::use(hall));
  st.execute();
  while (st.fetch()) out.push_back(closure_of(id, hall, first, last, name, kind, note, updated));
  return out;
}

std::optional<ClosureRecord> find_closure(soci::session& s, std::int64_t id_in) {
  long long id = id_in, hall = 0, updated = 0;
  std::string first, last, name, kind, note;
  s << std::string("SELECT ") + kClosureColumns + " FROM calendar_closures WHERE id = :id", soci::into(id),
      soci::into(hall), soci::into(first), soci::into(last), soci::into(name), soci::into(kind), soci::into(note),
      soci::into(updated), soci::use(id);
  if (!s.got_data()) return std::nullopt;
  return closure_of(id, hall, first, last, name, kind, note, updated);
}

std::int64_t insert_closure(soci::session& s, const ClosureRecord& c, long long now) {
  long long id = 0, hall = c.hall_id;
  std::string first = c.first.to_string(), last = c.last.to_string();
  s << "INSERT INTO calendar_closures (hall_id, first_date, last_date, name, kind, note, created_at, updated_at) "
       "VALUES (:h, :f, :l, :n, :k, :note, :c, :u) RETURNING id",
      soci::use(hall), soci::use(first), soci::use(last), soci::use(c.name), soci::use(c.kind), soci::use(c.note),
      soci::use(now), soci::use(now), soci::into(id);
  return id;
}

void update_closure(soci::session& s, const ClosureRecord& c, long long now) {
  long long id = c.id;
  std::string first = c.first.to_string(), last = c.last.to_string();
  s << "UPDATE calendar_closures SET first_date = :f, last_date = :l, name = :n, kind = :k, note = :note, "
       "updated_at = :u WHERE id = :id",
      soci::use(first), soci::use(last), soci::use(c.name), soci::use(c.kind), soci::use(c.note), soci::use(now),
      soci::use(id);
}

void delete_closure(soci::session& s, std::int64_t id_in) {
  long long id = id_in;
  s << "DELETE FROM calendar_closures WHERE id = :id", soci::use(id);
}

std::optional<std::string> hours(soci::session& s, std::int64_t hall_id) {
  long long h = hall_id;
  std::string doc;
  s << "SELECT hours_json FROM calendar_hours WHERE hall_id = :h", soci::into(doc), soci::use(h);
  if (!s.got_data()) return std::nullopt;
  return doc;
}

void set_hours(soci::session& s, std::int64_t hall_id, const std::optional<std::string>& doc, long long now) {
  long long h = hall_id;
  if (!doc) {
    s << "DELETE FROM calendar_hours WHERE hall_id = :h", soci::use(h);
    return;
  }
  // Upsert (see upsert_holiday): concurrent saves of one hall's hours must not collide.
  s << "INSERT INTO calendar_hours (hall_id, hours_json, updated_at) VALUES (:h, :d, :t) "
       "ON CONFLICT (hall_id) DO UPDATE SET hours_json = excluded.hours_json, updated_at = excluded.updated_at",
      soci::use(h), soci::use(*doc), soci::use(now);
}

std::vector<OnDuty> on_duty(soci::session& s, std::int64_t hall_id) {
  std::vector<OnDuty> out;
  db::Values b{static_cast<long long>(hall_id)};
  db::query_rows(s,
                 "SELECT q.id, q.window_id, u.name FROM queue_window_sessions q "
                 "JOIN windows w ON w.id = q.window_id JOIN users u ON u.id = q.staff_id "
                 "WHERE w.hall_id = :h AND q.closed_at IS NULL",
                 b, [&](const soci::row& r) {
                   out.push_back(OnDuty{db::col_i64(r, 0), db::col_i64(r, 1), db::col_str(r, 2)});
                 });
  return out;
}

std::optional<std::string> setting(soci::session& s, const std::string& key) {
  std::string v;
  s << "SELECT value FROM settings WHERE key = :k", soci::into(v), soci::use(key);
  if (!s.got_data()) return std::nullopt;
  return v;
}

void set_setting(soci::session& s, const std::string& key, const std::string& value) {
  s << "DELETE FROM settings WHERE key = :k", soci::use(key);
  s << "INSERT INTO settings (key, value) VALUES (:k, :v)", soci::use(key), soci::use(value);
}

}  // namespace hall::calendar::store
