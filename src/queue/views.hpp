// The queue's JSON views: a ticket as staff and students see it, the public status
// page, the board's waiting counts; and the wait estimate inputs they show (cached a
// few seconds per group). Read-only; every function reads in the session it is given.
#pragma once

#include <soci/soci.h>

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>

#include "core/json.hpp"
#include "queue/model.hpp"
#include "queue/module.hpp"
#include "queue/store.hpp"

namespace hall::queue {

struct GroupStats {
  double mean_minutes = kDefaultServiceMinutes;
  int open_windows = 0;
};

class Views {
 public:
  struct View {
    bool with_student = false;
  };
  explicit Views(Deps& deps) : deps_(deps) {}

  // item: the ticket's item as already read (saves reading it again), or nullptr.
  json::object ticket_json(soci::session& s, const store::Ticket& t, View v, Millis now,
                           const store::ItemInfo* item = nullptr);
  json::object public_json(soci::session& s, const store::Ticket& t, Millis now, bool english);
  // The fields of the status page of a waiting ticket whose position is known (live updates).
  json::object waiting_json(const store::Ticket& t, const store::VersionNames& names, int ahead,
                            int wait, const std::string& hall_name);
  GroupStats group_stats(soci::session& s, std::int64_t hall_id, const std::string& group,
                         Millis now);
  // Drops the cached wait estimate inputs: of one group (a ticket finished), or all (windows
  // opened, closed, paused or resumed).
  void forget_stats(std::int64_t hall_id, const std::string& group);
  void forget_stats();
  std::string hall_name(soci::session& s, std::int64_t hall_id);
  json::array waiting_counts(soci::session& s, std::int64_t hall_id, const std::string& date);

 private:
  Deps& deps_;
  std::mutex stats_mu_;
  std::map<std::pair<std::int64_t, std::string>, std::pair<Millis, GroupStats>> stats_cache_;
};

}  // namespace hall::queue
