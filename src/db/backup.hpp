#pragma once
#include <string>
namespace hall::db {
// A consistent online copy of a SQLite database (SQLite's backup API), safe
// while the server is writing: the copy is one snapshot. Throws with the reason.
void backup_sqlite(const std::string& source_path, const std::string& target_path);
}  // namespace hall::db
