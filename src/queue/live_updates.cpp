#include "queue/live_updates.hpp"

#include <fmt/format.h>

#include <chrono>
#include <vector>

#include "catalog/store.hpp"
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
                             const std::string& /*group*/) {
  {
    std::lock_guard lock(mu_);
    dirty_days_.emplace(hall_id, date);
    dirty_halls_.insert(hall_id);
  }
  cv_.notify_one();
}

void LiveUpdates::flush() {
  std::lock_guard flush(flush_mu_);
  std::set<std::pair<std::int64_t, std::string>> days;
  std::set<std::int64_t> halls;
  {
    std::lock_guard lock(mu_);
    days.swap(dirty_days_);
    halls.swap(dirty_halls_);
  }
  if (days.empty() && halls.empty()) return;
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
    std::map<std::int64_t, std::vector<std::int64_t>> item_windows;
    bool have_windows = false;
    for (auto& [h, date] : days) {
      // The first kPrefix of the hall's day in call order, every group: people ahead of each
      // count only tickets a window that may call it may also call (issue #11 item 11), in one
      // pass over the prefix (queue/model.hpp people_ahead_in_order) — a change costs the same
      // however many tickets it moves. Tickets further back are told on their next view.
      auto tickets = store::hall_call_order(s, h, date, now, kPrefix);
      if (tickets.empty()) continue;
      if (!have_windows) {
        item_windows = catalog::store::current_windows_by_item(s);
        have_windows = true;
      }
      std::vector<QueueEntry> entries;
      entries.reserve(tickets.size());
      for (const auto& t : tickets) {
        QueueEntry e = t.entry();
        if (t.target_window_id)
          e.windows = {*t.target_window_id};
        else if (auto it = item_windows.find(t.item_id); it != item_windows.end())
          e.windows = it->second;
        e.group = t.queue_group;
        entries.push_back(std::move(e));
      }
      auto ahead = people_ahead_in_order(entries);
      std::string hname = views_.hall_name(s, h);
      std::map<std::string, GroupStats> stats;
      std::map<std::int64_t, store::VersionNames> names;
      for (std::size_t i = 0; i < tickets.size(); ++i) {
        const auto& t = tickets[i];
        auto g = stats.find(t.queue_group);
        if (g == stats.end())
          g = stats.emplace(t.queue_group, views_.group_stats(s, h, t.queue_group, now)).first;
        int wait = estimated_wait_minutes(ahead[i], g->second.mean_minutes, g->second.open_windows);
        {
          std::lock_guard lock(mu_);
          auto& last = last_position_[t.status_token];
          if (last == std::make_pair(ahead[i], wait)) continue;
          last = {ahead[i], wait};
        }
        auto it = names.find(t.item_version_id);
        if (it == names.end())
          it = names.emplace(t.item_version_id, store::version_names(s, t.item_version_id)).first;
        out.emplace_back(
            "ticket:" + t.status_token, "ticket",
            json::serialize(views_.waiting_json(t, it->second, ahead[i], wait, hname)));
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
                   [&] { return stopping_ || !dirty_days_.empty() || !dirty_halls_.empty(); });
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
