#include "db/backup.hpp"

#include <sqlite3.h>

#include <filesystem>
#include <stdexcept>

namespace hall::db {

void backup_sqlite(const std::string& source_path, const std::string& target_path) {
  if (!std::filesystem::exists(source_path)) throw std::runtime_error("no database at " + source_path);
  sqlite3* src = nullptr;
  sqlite3* dst = nullptr;
  auto fail = [&](const std::string& what) {
    std::string msg = what + ": " + (dst ? sqlite3_errmsg(dst) : src ? sqlite3_errmsg(src) : "unknown error");
    if (src) sqlite3_close(src);
    if (dst) sqlite3_close(dst);
    throw std::runtime_error(msg);
  };
  if (sqlite3_open_v2(source_path.c_str(), &src, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) fail("cannot open source");
  sqlite3_busy_timeout(src, 30000);
  std::string tmp = target_path + ".partial";
  std::filesystem::remove(tmp);
  if (sqlite3_open_v2(tmp.c_str(), &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK)
    fail("cannot create target");
  sqlite3_backup* b = sqlite3_backup_init(dst, "main", src, "main");
  if (!b) fail("cannot start backup");
  // -1 copies every page in one step: the copy is a single consistent snapshot
  // even while another connection writes (it holds a read transaction throughout).
  int rc;
  while ((rc = sqlite3_backup_step(b, -1)) == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(50);
  sqlite3_backup_finish(b);
  if (rc != SQLITE_DONE) fail("backup failed");
  // The copy is a standalone file: leave WAL mode so it needs no -wal sidecar.
  sqlite3_exec(dst, "PRAGMA journal_mode=DELETE", nullptr, nullptr, nullptr);
  sqlite3_close(dst);
  sqlite3_close(src);
  std::filesystem::rename(tmp, target_path);
}

}  // namespace hall::db
