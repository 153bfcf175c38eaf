// Time in Hall: instants are stored as UTC milliseconds since the epoch
// (portable across SQLite and PostgreSQL as BIGINT); the hall's zone is applied
// only at the edges (GUIDE: "times are stored in UTC").
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

namespace hall {

using Millis = std::int64_t;

// The process clock. Tests may pin it so that time-dependent rules are
// deterministic; production always reads the system clock.
class Clock {
 public:
  static Millis now();
  static void pin(Millis at);  // tests only
  static void unpin();

 private:
  static std::atomic<Millis> pinned_;
};

// "2026-11-26T11:34:27.123Z"
std::string iso8601_utc(Millis at);
// Accepts "YYYY-MM-DDTHH:MM:SS[.fff](Z|±HH:MM)"; throws errors::invalid_time otherwise.
Millis parse_iso8601(const std::string& text, const std::string& field);
// Local calendar date "YYYY-MM-DD" of an instant at a fixed UTC offset (Asia/Shanghai = +480 min).
std::string local_date(Millis at, int utc_offset_minutes = 480);

}  // namespace hall
