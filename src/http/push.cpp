#include "http/push.hpp"

#include <algorithm>

namespace hall::http {

std::string format_sse(const PushEvent& e) {
  std::string out = "id: " + std::to_string(e.id) + "\n";
  if (!e.type.empty()) out += "event: " + e.type + "\n";
  // A data field may not hold a newline: split it into several data lines.
  std::size_t start = 0;
  while (true) {
    std::size_t nl = e.data.find('\n', start);
    out += "data: " + e.data.substr(start, nl == std::string::npos ? std::string::npos : nl - start) + "\n";
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  out += "\n";
  return out;
}

std::uint64_t PushHub::publish(const std::string& topic, const std::string& type, const std::string& json_data) {
  std::vector<std::shared_ptr<Subscription>> targets;
  PushEvent e;
  {
    std::lock_guard lock(mu_);
    e = PushEvent{next_id_++, topic, type, json_data};
    history_.push_back(e);
    while (history_.size() > history_limit_) history_.pop_front();
    auto it = by_topic_.find(topic);
    if (it != by_topic_.end()) targets = it->second;
  }
  for (auto& s : targets) s->sink(e);
  return e.id;
}

std::shared_ptr<PushHub::Subscription> PushHub::subscribe(std::vector<std::string> topics, Sink sink,
                                                          std::optional<std::uint64_t> last_event_id, Replay* replay) {
  auto sub = std::make_shared<Subscription>();
  sub->topics = std::move(topics);
  sub->sink = std::move(sink);
  std::lock_guard lock(mu_);
  sub->key = next_key_++;
  for (const auto& t : sub->topics) by_topic_[t].push_back(sub);
  ++subscribers_;
  if (replay && last_event_id) {
    std::uint64_t oldest = history_.empty() ? next_id_ : history_.front().id;
    if (*last_event_id + 1 < oldest) {
      replay->reset = true;
    } else {
      for (const auto& e : history_)
        if (e.id > *last_event_id && std::find(sub->topics.begin(), sub->topics.end(), e.topic) != sub->topics.end())
          replay->missed.push_back(e);
    }
  }
  return sub;
}

void PushHub::unsubscribe(const std::shared_ptr<Subscription>& s) {
  std::lock_guard lock(mu_);
  for (const auto& t : s->topics) {
    auto it = by_topic_.find(t);
    if (it == by_topic_.end()) continue;
    auto& v = it->second;
    v.erase(std::remove(v.begin(), v.end(), s), v.end());
    if (v.empty()) by_topic_.erase(it);
  }
  --subscribers_;
}

std::size_t PushHub::subscriber_count() const {
  std::lock_guard lock(mu_);
  return subscribers_;
}

std::uint64_t PushHub::last_id() const {
  std::lock_guard lock(mu_);
  return next_id_ - 1;
}

}  // namespace hall::http
