// Login throttling: failed attempts are counted per account and per address
// in a sliding window; past the limit, further attempts are refused with 429
// and Retry-After until the oldest failure leaves the window. Pure and
// thread-safe; the clock is passed in so the rule is testable as a table.
#pragma once

#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

namespace hall::auth {

struct RateLimitPolicy {
  int max_failures_per_account = 5;
  int max_failures_per_address = 20;
  std::int64_t window_ms = 15 * 60 * 1000;
};

class LoginRateLimiter {
 public:
  explicit LoginRateLimiter(RateLimitPolicy p = {}) : policy_(p) {}
  // Milliseconds the caller must wait before trying again; 0 = allowed.
  std::int64_t retry_after_ms(const std::string& account, const std::string& address, std::int64_t now);
  void record_failure(const std::string& account, const std::string& address, std::int64_t now);
  void record_success(const std::string& account);

 private:
  std::int64_t wait_for(std::deque<std::int64_t>& q, int limit, std::int64_t now);
  RateLimitPolicy policy_;
  std::mutex mu_;
  std::unordered_map<std::string, std::deque<std::int64_t>> accounts_, addresses_;
};

}  // namespace hall::auth
