// B6.3 time-limit warnings that reach people (限时办结制): a background sweeper
// records each level a case crosses — 50%, 80% of its working time, the due
// instant — exactly once per (case, level) in case_warnings (migration 0011),
// and pushes it at once over Server-Sent Events to the case's handler
// ("user:<id>"); a `due` warning also goes to every holder of cases.oversee
// (the responsible teacher, administrators), who see the due warnings of
// every case in their list.
//
// Which cases: accepted, not completed / refused / referred, not paused
// (waiting for the student's materials: the clock stops, B6.3, so nothing
// advances). Progress is the same pure `cases::progress` the lists show.
//
// Exactly once, with several server processes on one database: the UNIQUE
// (case_id, level) key and INSERT … ON CONFLICT DO NOTHING; only the process
// whose insert wrote the row publishes it.
//
// A due instant that moves (a pause and resumption, a resubmission, the green
// channel bringing it forward) never re-sends a level already recorded. Our
// reading of B6.3 ("finish within the promised time"): a warning tells the
// handler that a share of the promised working time is used up. Pauses move the
// due instant by exactly the paused working time, so the used share never goes
// back; a level once reached was truly reached, and sending it twice would only
// teach people to ignore warnings. A level not yet reached is recorded when it
// is (bringing the due date forward can make several levels fire at once).
//
// The sweeper thread follows queue/service.cpp's notifier: one thread, a
// condition variable it waits on with a timeout (no busy loop), a clean stop in
// the destructor; tests call sweep_once(now) with a pinned instant instead.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <thread>

#include "auth/principal.hpp"
#include "cases/inputs.hpp"
#include "cases/module.hpp"
#include "core/clock.hpp"
#include "core/json.hpp"

namespace hall::cases {

struct WarningQuery {
  bool unread_only = false;
  int page = 1, page_size = 20;
};

class WarningService {
 public:
  explicit WarningService(Deps& deps) : deps_(deps) {}
  ~WarningService();
  WarningService(const WarningService&) = delete;
  WarningService& operator=(const WarningService&) = delete;

  // Records (and, after the commit, publishes) every level crossed at `now` and
  // not recorded yet. Returns how many warnings this call recorded. Thread-safe,
  // and safe against other processes sweeping the same database.
  int sweep_once(Millis now);

  // Starts the background sweeper: a sweep at once, then every `interval_seconds`
  // (≤ 0: no thread). Idempotent.
  void start(int interval_seconds);
  void stop();

  // The caller's warnings (cases.handle): those of the cases they handle and,
  // for cases.oversee, every `due` warning. Unread first, newest first.
  json::object list(const auth::Caller& c, const WarningQuery& q) const;
  // {"ids":[…]} or {"all":true}: marks the caller's warnings read. A warning the
  // caller cannot see is 404 and nothing is marked.
  json::object mark_read(const auth::Caller& c, const MarkReadInput& in);
  // The snapshot of the caller's own event stream: {"unread": n}.
  json::object snapshot(const auth::Caller& c) const;

  static std::string topic_of(std::int64_t user_id);

 private:
  void loop(int interval_seconds);

  Deps& deps_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace hall::cases
