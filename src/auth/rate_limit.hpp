// Throttling of guesses (passwords, tracking numbers, bind and verification
// codes): failures are counted per key in a sliding window; past the limit,
// further attempts are refused with 429 and Retry-After. Pure and thread-safe;
// the clock is passed in so the rules are testable as tables.
#pragma once

#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

namespace hall::auth {

// Failures of one key within `window_ms`. Past `limit` failures the key waits:
// - without back-off, until the oldest counted failure leaves the window;
// - with back-off (backoff_base_ms > 0), backoff_base_ms after the last failure,
//   doubling with every further failure, at most backoff_max_ms.
class AttemptLimiter {
 public:
  AttemptLimiter(int limit, std::int64_t window_ms, std::int64_t backoff_base_ms = 0,
                 std::int64_t backoff_max_ms = 0)
      : limit_(limit),
        window_ms_(window_ms),
        backoff_base_ms_(backoff_base_ms),
        backoff_max_ms_(backoff_max_ms) {}
  // Milliseconds the key must wait before trying again; 0 = allowed.
  std::int64_t retry_after_ms(const std::string& key, std::int64_t now);
  void record_failure(const std::string& key, std::int64_t now);
  void clear(const std::string& key);

 private:
  std::int64_t wait_for(std::deque<std::int64_t>& q, std::int64_t now) const;
  int limit_;
  std::int64_t window_ms_, backoff_base_ms_, backoff_max_ms_;
  std::mutex mu_;
  std::unordered_map<std::string, std::deque<std::int64_t>> keys_;
};

struct RateLimitPolicy {
  // Per (account, address): a wrong password from one address never locks the
  // account for its owner elsewhere; past the limit, back-off doubling from
  // backoff_base_ms up to backoff_max_ms.
  int max_failures_per_account = 5;
  int max_failures_per_address = 20;  // per address, whatever the account
  std::int64_t window_ms = 15 * 60 * 1000;
  std::int64_t backoff_base_ms = 30 * 1000;
  std::int64_t backoff_max_ms = 15 * 60 * 1000;
};

// Sign-in and password-change throttling (a wrong current password is a
// password guess like a failed sign-in, so both share one budget).
class LoginRateLimiter {
 public:
  explicit LoginRateLimiter(RateLimitPolicy p = {})
      : pairs_(p.max_failures_per_account, p.window_ms, p.backoff_base_ms, p.backoff_max_ms),
        addresses_(p.max_failures_per_address, p.window_ms) {}
  // Milliseconds the caller must wait before trying again; 0 = allowed.
  std::int64_t retry_after_ms(const std::string& account, const std::string& address, std::int64_t now);
  void record_failure(const std::string& account, const std::string& address, std::int64_t now);
  // A success clears the failures of the account from that address.
  void record_success(const std::string& account, const std::string& address);

 private:
  static std::string pair_key(const std::string& account, const std::string& address) {
    return account + '\n' + address;
  }
  AttemptLimiter pairs_, addresses_;
};

}  // namespace hall::auth
