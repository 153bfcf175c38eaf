// Prometheus metrics: requests by route and status, a latency histogram,
// connections, and the database pool (rendered by GET /metrics).
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace hall::http {

class Metrics {
 public:
  static constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,   0.1,   0.25,   0.5,   1.0,  2.5};
  void record(const std::string& method, const std::string& route, int status, double seconds);
  void connection_opened() { open_connections_.fetch_add(1); }
  void connection_closed() { open_connections_.fetch_sub(1); }
  // Extra gauges rendered as-is (the database pool registers here).
  void add_gauge_source(std::function<std::string()> render);
  std::string render() const;

 private:
  struct Series {
    std::uint64_t count = 0;
  };
  mutable std::mutex mu_;
  // (method, route, status) → count; looked up without building a string.
  std::map<std::tuple<std::string, std::string, int>, std::uint64_t, std::less<>> requests_;
  std::array<std::uint64_t, kBuckets.size() + 1> histogram_{};
  double latency_sum_ = 0;
  std::uint64_t latency_count_ = 0;
  std::atomic<std::int64_t> open_connections_{0};
  std::vector<std::function<std::string()>> gauges_;
};

}  // namespace hall::http
