// Server push (Server-Sent Events): the queue publishes "ticket called" and
// friends to topics ("hall:1", "ticket:<token>"); boards and status pages
// subscribe with GET …/events. Every event gets a global, increasing id; the
// hub keeps the last events so a client that lost its connection reconnects
// with Last-Event-ID and catches up without reloading. When the gap is older
// than the history, the client is told to refetch ("reset").
// Beast-free: server.cpp owns the sockets, this owns the bookkeeping.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace hall::http {

struct PushEvent {
  std::uint64_t id = 0;
  std::string topic;
  std::string type;  // SSE "event:" field
  std::string data;  // JSON text
};

// "id: 7\nevent: called\ndata: {...}\n\n"
std::string format_sse(const PushEvent& e);

class PushHub {
 public:
  using Sink = std::function<void(const PushEvent&)>;  // called on the publisher's thread: must only enqueue

  explicit PushHub(std::size_t history = 4096) : history_limit_(history) {}

  // Thread-safe; returns the event id.
  std::uint64_t publish(const std::string& topic, const std::string& type, const std::string& json_data);

  struct Subscription {
    std::uint64_t key = 0;
    std::vector<std::string> topics;
    Sink sink;
  };
  struct Replay {
    std::vector<PushEvent> missed;  // events after last_event_id on these topics, oldest first
    bool reset = false;             // the gap is older than the history: refetch state
  };
  // Registers the sink and, atomically with it, returns what was missed since last_event_id.
  std::shared_ptr<Subscription> subscribe(std::vector<std::string> topics, Sink sink,
                                          std::optional<std::uint64_t> last_event_id, Replay* replay);
  void unsubscribe(const std::shared_ptr<Subscription>& s);

  std::size_t subscriber_count() const;
  std::uint64_t last_id() const;

 private:
  mutable std::mutex mu_;
  std::uint64_t next_id_ = 1;
  std::uint64_t next_key_ = 1;
  std::size_t history_limit_;
  std::deque<PushEvent> history_;
  std::unordered_map<std::string, std::vector<std::shared_ptr<Subscription>>> by_topic_;
  std::size_t subscribers_ = 0;
};

}  // namespace hall::http
