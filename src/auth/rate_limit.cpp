#include "auth/rate_limit.hpp"

namespace hall::auth {

std::int64_t LoginRateLimiter::wait_for(std::deque<std::int64_t>& q, int limit, std::int64_t now) {
  while (!q.empty() && q.front() <= now - policy_.window_ms) q.pop_front();
  if (static_cast<int>(q.size()) < limit) return 0;
  return q[q.size() - limit] + policy_.window_ms - now;
}

std::int64_t LoginRateLimiter::retry_after_ms(const std::string& account, const std::string& address, std::int64_t now) {
  std::lock_guard lock(mu_);
  std::int64_t a = wait_for(accounts_[account], policy_.max_failures_per_account, now);
  std::int64_t b = wait_for(addresses_[address], policy_.max_failures_per_address, now);
  return std::max(a, b);
}

void LoginRateLimiter::record_failure(const std::string& account, const std::string& address, std::int64_t now) {
  std::lock_guard lock(mu_);
  accounts_[account].push_back(now);
  addresses_[address].push_back(now);
  // Bound memory under a flood of distinct names: forget the oldest entries.
  if (accounts_.size() > 100000) accounts_.clear();
  if (addresses_.size() > 100000) addresses_.clear();
}

void LoginRateLimiter::record_success(const std::string& account) {
  std::lock_guard lock(mu_);
  accounts_.erase(account);
}

}  // namespace hall::auth
