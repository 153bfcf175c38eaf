// The few places where SQLite and PostgreSQL differ, in one object (issue #12).
// Everything else is the SQL both accept: `:name` placeholders, INSERT …
// RETURNING id, INSERT … ON CONFLICT … DO UPDATE/NOTHING.
//
// Locking differs: PostgreSQL runs writers concurrently, so a read that a
// write depends on locks its rows (SELECT … FOR UPDATE); SQLite has one writer
// at a time (db/database.hpp's writer queue), so it needs no row locks and
// does not understand them.
#pragma once

#include <soci/soci.h>

#include <string>
#include <string_view>

namespace hall::db {

class Dialect {
 public:
  explicit Dialect(bool postgresql) : postgresql_(postgresql) {}

  bool postgresql() const { return postgresql_; }
  std::string_view name() const { return postgresql_ ? "postgresql" : "sqlite"; }
  // Appended to a SELECT whose rows the transaction will change.
  std::string for_update() const { return postgresql_ ? " FOR UPDATE" : ""; }
  // The same for one table of a join (" FOR UPDATE OF t").
  std::string for_update_of(std::string_view alias) const {
    return postgresql_ ? " FOR UPDATE OF " + std::string(alias) : "";
  }
  // Work queues: concurrent takers skip the rows another has locked.
  std::string for_update_skip_locked(std::string_view alias) const {
    return postgresql_ ? " FOR UPDATE OF " + std::string(alias) + " SKIP LOCKED" : "";
  }
  // Schema words in migrations (db/migrations.cpp).
  std::string_view auto_id() const { return postgresql_ ? "BIGSERIAL PRIMARY KEY" : "INTEGER PRIMARY KEY AUTOINCREMENT"; }
  std::string_view blob() const { return postgresql_ ? "BYTEA" : "BLOB"; }

 private:
  bool postgresql_;
};

// The dialect of the database a session talks to.
inline Dialect dialect(soci::session& s) { return Dialect(s.get_backend_name() == "postgresql"); }

}  // namespace hall::db
