#include "http/metrics.hpp"

#include <fmt/format.h>

namespace hall::http {

namespace {
std::string escape_label(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '"' || c == '\\') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  return out;
}
}  // namespace

void Metrics::record(const std::string& method, const std::string& route, int status, double seconds) {
  std::tuple<std::string_view, std::string_view, int> key{method, route.empty() ? std::string_view("static") : route,
                                                          status};
  std::lock_guard lock(mu_);
  auto it = requests_.find(key);
  if (it == requests_.end())
    it = requests_.emplace(std::tuple<std::string, std::string, int>(std::get<0>(key), std::get<1>(key), status), 0).first;
  ++it->second;
  std::size_t i = 0;
  while (i < kBuckets.size() && seconds > kBuckets[i]) ++i;
  ++histogram_[i];
  latency_sum_ += seconds;
  ++latency_count_;
}

void Metrics::add_gauge_source(std::function<std::string()> render) {
  std::lock_guard lock(mu_);
  gauges_.push_back(std::move(render));
}

std::string Metrics::render() const {
  std::lock_guard lock(mu_);
  std::string out;
  out += "# HELP hall_http_requests_total HTTP requests by route and status.\n";
  out += "# TYPE hall_http_requests_total counter\n";
  for (const auto& [key, n] : requests_)
    out += fmt::format("hall_http_requests_total{{method=\"{}\",route=\"{}\",status=\"{}\"}} {}\n",
                       escape_label(std::get<0>(key)), escape_label(std::get<1>(key)), std::get<2>(key), n);
  out += "# HELP hall_http_request_duration_seconds Time from request read to response written.\n";
  out += "# TYPE hall_http_request_duration_seconds histogram\n";
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    cumulative += histogram_[i];
    out += fmt::format("hall_http_request_duration_seconds_bucket{{le=\"{}\"}} {}\n", kBuckets[i], cumulative);
  }
  cumulative += histogram_[kBuckets.size()];
  out += fmt::format("hall_http_request_duration_seconds_bucket{{le=\"+Inf\"}} {}\n", cumulative);
  out += fmt::format("hall_http_request_duration_seconds_sum {}\n", latency_sum_);
  out += fmt::format("hall_http_request_duration_seconds_count {}\n", latency_count_);
  out += "# HELP hall_http_open_connections Open client connections.\n# TYPE hall_http_open_connections gauge\n";
  out += fmt::format("hall_http_open_connections {}\n", open_connections_.load());
  for (const auto& g : gauges_) out += g();
  return out;
}

}  // namespace hall::http
