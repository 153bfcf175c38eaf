#include "auth/rate_limit.hpp"

#include <algorithm>

namespace hall::auth {

std::int64_t AttemptLimiter::wait_for(std::deque<std::int64_t>& q, std::int64_t now) const {
  while (!q.empty() && q.front() <= now - window_ms_) q.pop_front();
  if (static_cast<int>(q.size()) < limit_) return 0;
  if (backoff_base_ms_ <= 0)
    return q[q.size() - static_cast<std::size_t>(limit_)] + window_ms_ - now;
  std::size_t over = q.size() - static_cast<std::size_t>(limit_);
  std::int64_t backoff = backoff_base_ms_;
  for (std::size_t i = 0; i < over && backoff < backoff_max_ms_; ++i) backoff *= 2;
  backoff = std::min(backoff, backoff_max_ms_);
  return std::max<std::int64_t>(0, q.back() + backoff - now);
}

std::int64_t AttemptLimiter::retry_after_ms(const std::string& key, std::int64_t now) {
  std::lock_guard lock(mu_);
  auto it = keys_.find(key);
  if (it == keys_.end()) return 0;
  std::int64_t wait = wait_for(it->second, now);
  if (it->second.empty()) keys_.erase(it);
  return wait;
}

void AttemptLimiter::record_failure(const std::string& key, std::int64_t now) {
  std::lock_guard lock(mu_);
  // Bound memory under a flood of distinct keys: forget everything (the limits start afresh).
  if (keys_.size() > 100000) keys_.clear();
  auto& q = keys_[key];
  q.push_back(now);
  while (!q.empty() && q.front() <= now - window_ms_) q.pop_front();
  if (q.size() > 1000) q.pop_front();
}

void AttemptLimiter::clear(const std::string& key) {
  std::lock_guard lock(mu_);
  keys_.erase(key);
}

std::int64_t LoginRateLimiter::retry_after_ms(const std::string& account,
                                              const std::string& address, std::int64_t now) {
  return std::max(pairs_.retry_after_ms(pair_key(account, address), now),
                  addresses_.retry_after_ms(address, now));
}

void LoginRateLimiter::record_failure(const std::string& account, const std::string& address,
                                      std::int64_t now) {
  pairs_.record_failure(pair_key(account, address), now);
  addresses_.record_failure(address, now);
}

void LoginRateLimiter::record_success(const std::string& account, const std::string& address) {
  pairs_.clear(pair_key(account, address));
}

}  // namespace hall::auth
