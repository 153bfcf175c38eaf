// Live updates: positions and waiting counts change for many tickets at once, so
// use cases only mark a hall's day dirty; a notifier thread (owned here) recomputes
// at most a few times a second and publishes only what changed:
//   hall:<id>       `waiting` {"waiting":[{group, name, count}]}
//   ticket:<token>  `ticket`  {number, status, people_ahead, estimated_wait_minutes, …}
// The same thread runs the appointments' no-show sweep every 30 s.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <tuple>

#include "queue/module.hpp"
#include "queue/views.hpp"

namespace hall::queue {

class LiveUpdates {
 public:
  // sweep: run every 30 s on the thread (appointments' no-shows).
  LiveUpdates(Deps& deps, Views& views, std::function<void()> sweep);
  ~LiveUpdates();  // stops and joins the thread
  LiveUpdates(const LiveUpdates&) = delete;
  LiveUpdates& operator=(const LiveUpdates&) = delete;

  // Positions in this hall's day (group: the group that changed) and its waiting counts changed.
  void mark_dirty(std::int64_t hall_id, const std::string& date, const std::string& group);
  // Recomputes and publishes now (tests, benchmarks; the thread calls it too).
  void flush();

 private:
  void loop();
  std::string local_date(Millis at) const;

  Deps& deps_;
  Views& views_;
  std::function<void()> sweep_;

  std::mutex mu_;
  std::condition_variable cv_;
  std::set<std::tuple<std::int64_t, std::string, std::string>> dirty_groups_;
  std::set<std::int64_t> dirty_halls_;
  std::map<std::string, std::pair<int, int>>
      last_position_;  // token → (people ahead, wait) last published
  std::map<std::int64_t, std::string> last_waiting_;  // hall → waiting JSON last published
  std::mutex flush_mu_;
  bool stopping_ = false;
  std::thread thread_;  // last: started once everything above exists
};

}  // namespace hall::queue
