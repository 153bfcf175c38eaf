// Shared by the queue's use-case files (service*.cpp, views.cpp, take.cpp, window.cpp, board.cpp,
// appointments.cpp): small helpers and the events published after a commit. Not for other modules.
#pragma once

#include <fmt/format.h>

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "auth/principal.hpp"
#include "core/clock.hpp"
#include "core/json.hpp"
#include "queue/errors.hpp"
#include "queue/service.hpp"
#include "queue/store.hpp"

namespace hall::calendar {
class CalendarService;
}

namespace hall::queue::detail {

using store::Bind;
using store::col_i64;
using store::col_str;

inline json::value iso_or_null(const std::optional<Millis>& t) {
  return t ? json::value(iso8601_utc(*t)) : json::value(nullptr);
}
template <typename T>
inline json::value or_null(const std::optional<T>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}

inline ApiError ticket_not_found() { return errors::ticket_not_found(); }
inline ApiError window_not_yours() { return errors::window_not_yours(); }
inline ApiError window_not_open() { return errors::window_not_open(); }

inline bool is_device_kind(const auth::Caller& c, std::initializer_list<const char*> kinds) {
  if (!c.principal.is_device()) return false;
  for (const char* k : kinds)
    if (c.principal.role == k) return true;
  return false;
}

inline std::string caller_key(const auth::Caller& c) {
  return c.principal.is_device() ? fmt::format("device:{}", c.principal.device_id)
                                 : fmt::format("user:{}", c.principal.user_id);
}

inline std::optional<std::int64_t> actor(const auth::Caller& c) {
  if (c.principal.is_user()) return c.principal.user_id;
  return std::nullopt;
}

inline long long count_of(soci::session& s, const std::string& sql, std::vector<Bind> b) {
  long long n = 0;
  store::query(s, sql, b, [&](const soci::row& r) { n = col_i64(r, 0); });
  return n;
}

// Whether the hall works today, is open now and still in 15 minutes (A5: no numbers near closing).
struct CalendarState {
  bool working = true, open_now = true, open15 = true;
};
CalendarState calendar_state(calendar::CalendarService& cal_service, std::int64_t hall_id,
                             Millis now);
// The ticket a caller's earlier request with this Idempotency-Key made, if any.
std::optional<std::int64_t> idempotent_ticket(soci::session& s, const std::string& caller,
                                              const std::string& key);
// The student a request is for: a kiosk names them (学号 or campus card), a student is themself.
std::int64_t resolve_student(soci::session& s, const auth::Caller& c,
                             const std::optional<std::string>& student_no);

}  // namespace hall::queue::detail

namespace hall::queue {

// Events to publish once the transaction committed (never before).
struct QueueService::Publish {
  std::vector<std::int64_t> tickets;                         // ticket ids whose status page changes
  std::vector<std::pair<std::int64_t, json::object>> calls;  // hall, call
  std::set<std::int64_t> windows;                            // consoles to refresh
  std::vector<std::tuple<std::int64_t, std::string, std::string>>
      dirty;  // groups whose positions change
  std::string reason;
};

}  // namespace hall::queue
