#include "queue/live_updates.hpp"

#include <fmt/format.h>

#include <chrono>
#include <vector>

#include "core/config.hpp"
#include "db/database.hpp"
#include "http/push.hpp"

namespace hall::queue {

LiveUpdates::LiveUpdates(Deps& deps, Views& views, std::function<void()> sweep)
    : deps_(deps), views_(views), sweep_(std::move(sweep)) {
  thread_ = std::thread([this] { loop(); });
}

LiveUpdates::~LiveUpdates() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

std::string LiveUpdates::local_date(Millis at) const {
  return hall::local_date(at, deps_.config.utc_offset_minutes);
}

void LiveUpdates::mark_dirty(std::int64_t hall_id, const std::string& date,
                             const std::string& group) {
  {
    std::lock_guard lock(mu_);
    dirty_groups_.emplace(hall_id, date, group);
    dirty_halls_.insert(hall_id);
  }
  cv_.notify_one();
}

void LiveUpdates::flush() {
  std::lock_guard flush(flush_mu_);
  std::set<std::tuple<std::int64_t, std::string, std::string>> groups;
  std::set<std::int64_t> halls;
  {
    std::lock_guard lock(mu_);
    groups.swap(dirty_groups_);
    halls.swap(dirty_halls_);
  }
  if (groups.empty() && halls.empty()) return;
  Millis now = Clock::now();
  std::string today = local_date(now);
  std::vector<std::tuple<std::string, std::string, std::string>> out;  // topic, type, data
  deps_.db->read([&](soci::session& s) {
    for (auto h : halls) {
      std::string data =
          json::serialize(json::object{{"waiting", views_.waiting_counts(s, h, today)}});
      std::lock_guard lock(mu_);
      if (last_waiting_[h] == data) continue;
      last_waiting_[h] = data;
      out.emplace_back(fmt::format("hall:{}", h), "waiting", data);
    }
    for (auto& [h, date, group] : groups) {
      // The first 500 of the group in call order: their positions and waits.
      auto tickets = store::group_call_order(s, h, date, group, now, 500);
      if (tickets.empty()) continue;
      auto g = views_.group_stats(s, h, group, now);
      std::string hname = views_.hall_name(s, h);
      std::map<std::int64_t, store::VersionNames> names;
      for (std::size_t i = 0; i < tickets.size(); ++i) {
        const auto& t = tickets[i];
        int ahead = static_cast<int>(i);
        int wait = estimated_wait_minutes(ahead, g.mean_minutes, g.open_windows);
        {
          std::lock_guard lock(mu_);
          auto& last = last_position_[t.status_token];
          if (last == std::make_pair(ahead, wait)) continue;
          last = {ahead, wait};
        }
        auto it = names.find(t.item_version_id);
        if (it == names.end())
          it = names.emplace(t.item_version_id, store::version_names(s, t.item_version_id)).first;
        out.emplace_back("ticket:" + t.status_token, "ticket",
                         json::serialize(views_.waiting_json(t, it->second, ahead, wait, hname)));
      }
    }
  });
  for (auto& [topic, type, data] : out) deps_.push.publish(topic, type, data);
  std::lock_guard lock(mu_);
  if (last_position_.size() > 100000) last_position_.clear();
}

void LiveUpdates::loop() {
  auto last_sweep = std::chrono::steady_clock::now();
  for (;;) {
    {
      std::unique_lock lock(mu_);
      cv_.wait_for(lock, std::chrono::seconds(5),
                   [&] { return stopping_ || !dirty_groups_.empty() || !dirty_halls_.empty(); });
      if (stopping_) return;
    }
    // Let a burst of changes gather: at most ~5 recomputations a second, each well within a second
    // of the change.
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    try {
      flush();
      if (std::chrono::steady_clock::now() - last_sweep > std::chrono::seconds(30)) {
        last_sweep = std::chrono::steady_clock::now();
        sweep_();
      }
    } catch (const std::exception&) {
      // The next change retries; a failed recomputation must not stop the notifier.
    }
  }
}

}  // namespace hall::queue
