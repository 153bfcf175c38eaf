#include "db/migrations.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>

#include <fmt/format.h>

#include "core/clock.hpp"
#include "db/dialect.hpp"

namespace hall::db {

namespace {

struct Step {
  int version = 0;
  std::string name;
  std::string common, sqlite, postgresql;
};

std::map<int, Step> steps() {
  std::map<int, Step> out;
  for (const auto& m : embedded_migrations()) {
    std::string path = m.file_name;  // <module>/migrations/NNNN_name[.dialect].sql
    std::string file = path.substr(path.rfind('/') + 1);
    int version = std::stoi(file.substr(0, 4));
    Step& s = out[version];
    s.version = version;
    // Modules number their migrations from one sequence: a number taken twice is a build mistake.
    std::string& slot = file.ends_with(".sqlite.sql")       ? s.sqlite
                        : file.ends_with(".postgresql.sql") ? s.postgresql
                                                            : s.common;
    if (!slot.empty()) throw std::logic_error(fmt::format("two migrations are numbered {:04}: {}", version, path));
    slot = m.content;
    if (&slot == &s.common) {
      s.name = file.substr(5, file.size() - 9);
    }
  }
  return out;
}

void replace_all(std::string& s, const std::string& from, const std::string& to) {
  for (std::size_t p = 0; (p = s.find(from, p)) != std::string::npos; p += to.size()) s.replace(p, from.size(), to);
}

// Splits on ';' at the end of a line, outside of $$-quoted bodies and BEGIN…END trigger bodies.
std::vector<std::string> statements(const std::string& sql) {
  std::vector<std::string> out;
  std::string cur;
  bool in_dollar = false;
  int trigger_depth = 0;
  std::size_t start = 0;
  while (start < sql.size()) {
    std::size_t nl = sql.find('\n', start);
    std::string line = sql.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
    start = nl == std::string::npos ? sql.size() : nl + 1;
    std::string trimmed = line;
    trimmed.erase(0, trimmed.find_first_not_of(" \t"));
    if (trimmed.rfind("--", 0) == 0) continue;
    for (std::size_t p = 0; (p = line.find("$$", p)) != std::string::npos; p += 2) in_dollar = !in_dollar;
    std::string upper = trimmed;
    std::transform(upper.begin(), upper.end(), upper.begin(), ::toupper);
    // A SQLite trigger body (BEGIN … END;) holds semicolons of its own.
    if (upper.rfind("CREATE TRIGGER", 0) == 0 && !in_dollar) trigger_depth = 0;
    if ((upper == "BEGIN" || upper.ends_with(" BEGIN")) && !in_dollar) trigger_depth = 1;
    cur += line + "\n";
    std::string end = trimmed;
    while (!end.empty() && isspace(static_cast<unsigned char>(end.back()))) end.pop_back();
    if (!in_dollar && !end.empty() && end.back() == ';') {
      std::string e2 = end;
      std::transform(e2.begin(), e2.end(), e2.begin(), ::toupper);
      if (trigger_depth && e2 != "END;") continue;
      trigger_depth = 0;
      out.push_back(cur);
      cur.clear();
    }
  }
  if (cur.find_first_not_of(" \t\r\n") != std::string::npos) out.push_back(cur);
  return out;
}

void ensure_version_table(Database& db) {
  db.write([](soci::session& s) {
    s << "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
         "applied_at BIGINT NOT NULL)";
  });
}

}  // namespace

int latest_schema_version() {
  auto all = steps();
  return all.empty() ? 0 : all.rbegin()->first;
}

int current_schema_version(Database& db) {
  ensure_version_table(db);
  return db.read([](soci::session& s) {
    soci::indicator ind;
    int v = 0;
    s << "SELECT MAX(version) FROM schema_migrations", soci::into(v, ind);
    return ind == soci::i_null ? 0 : v;
  });
}

MigrationResult migrate(Database& db) {
  MigrationResult r;
  r.from_version = current_schema_version(db);
  int latest = latest_schema_version();
  if (r.from_version > latest)
    throw std::runtime_error(fmt::format(
        "the database schema is version {}, newer than this hall binary knows ({}); "
        "upgrade hall before using this database",
        r.from_version, latest));
  // Every step not yet applied, not only those above the newest: capabilities
  // number their migrations in parallel, so 0002 may arrive after 0004 ran.
  std::set<int> applied;
  db.read([&](soci::session& s) {
    int v = 0;
    soci::statement st = (s.prepare << "SELECT version FROM schema_migrations", soci::into(v));
    st.execute();
    while (st.fetch()) applied.insert(v);
  });
  for (auto& [version, step] : steps()) {
    if (applied.count(version)) continue;
    Dialect d(!db.is_sqlite());
    std::string sql = step.common + "\n" + (d.postgresql() ? step.postgresql : step.sqlite);
    replace_all(sql, "AUTO_ID", std::string(d.auto_id()));
    replace_all(sql, "BLOB", std::string(d.blob()));
    db.write([&](soci::session& s) {
      for (const auto& stmt : statements(sql)) {
        try {
          s << stmt;
        } catch (const std::exception& e) {
          throw std::runtime_error(fmt::format("migration {:04d}_{} failed: {}\nin: {}", version, step.name, e.what(), stmt));
        }
      }
      long long now = Clock::now();
      s << "INSERT INTO schema_migrations (version, name, applied_at) VALUES (:v, :n, :t)", soci::use(version),
          soci::use(step.name), soci::use(now);
    });
    r.applied.push_back(fmt::format("{:04d}_{}", version, step.name));
  }
  r.to_version = std::max(r.from_version, latest);
  return r;
}

}  // namespace hall::db
