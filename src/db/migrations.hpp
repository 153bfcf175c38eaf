// Numbered schema migrations, compiled into the binary from src/*/migrations/:
// each module keeps its own beside it (src/queue/migrations/0005_queue.sql),
// src/db/migrations/ holds the foundation. Numbers are unique across the hall.
// NNNN_name.sql holds SQL common to both databases; NNNN_name.sqlite.sql and
// NNNN_name.postgresql.sql hold what only one of them needs (triggers, types).
// In common files, AUTO_ID stands for the dialect's auto-increment primary key
// and BLOB for its binary type.
#pragma once

#include <string>
#include <vector>

#include "db/database.hpp"

namespace hall::db {

struct EmbeddedFile {
  const char* file_name;  // path under src/, e.g. "queue/migrations/0005_queue.sql"
  const char* content;
};
const std::vector<EmbeddedFile>& embedded_migrations();

struct MigrationResult {
  int from_version = 0;
  int to_version = 0;
  std::vector<std::string> applied;
};

// The newest version this binary knows.
int latest_schema_version();
// The version recorded in the database (0 when empty).
int current_schema_version(Database& db);
// Applies every missing migration, each in its own transaction. Refuses, with
// a clear message, a database whose schema is newer than this binary.
MigrationResult migrate(Database& db);

}  // namespace hall::db
