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
  std::string key = fmt::format("method=\"{}\",route=\"{}\",status=\"{}\"", escape_label(method),
                                escape_label(route.empty() ? "static" : route), status);
  std::lock_guard lock(mu_);
  ++requests_[key];
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
  for (const auto& [labels, n] : requests_) out += fmt::format("hall_http_requests_total{{{}}} {}\n", labels, n);
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
