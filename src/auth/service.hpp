// Use cases of accounts: sign in and out, who am I, change password, and the
// session cache that makes authenticated reads cheap.
#pragma once

#include <algorithm>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>

#include "auth/errors.hpp"
#include "auth/model.hpp"
#include "auth/principal.hpp"
#include "auth/rate_limit.hpp"
#include "core/config.hpp"
#include "core/error.hpp"
#include "db/database.hpp"

namespace hall::auth {

struct LoginResult {
  std::string token;
  std::string csrf_token;
  std::int64_t expires_at = 0;
  User user;
};

class AuthService {
 public:
  AuthService(db::Database& db, const Config& config) : db_(db), config_(config) {}

  // 401 invalid_credentials, 403 account_disabled, 429 too_many_attempts (retry_after set).
  LoginResult login(const std::string& login, const std::string& password, const Caller& caller,
                    const std::string& user_agent);
  void logout(const Caller& caller);
  // The principal for a token (cookie or bearer); anonymous when unknown/expired/revoked.
  Principal authenticate(const std::string& token, bool via_cookie);
  // A2/A5 etc. are enforced elsewhere; here: the old password must match, the
  // new one meet the policy; every other session of the user is revoked. Wrong
  // old passwords are throttled per (account, address) like sign-ins (429
  // too_many_attempts with back-off), so a stolen session cannot guess it.
  void change_password(const Caller& caller, const std::string& old_password, const std::string& new_password);
  // Administrators: set a new password and revoke all the user's sessions.
  void reset_password(const Caller& caller, std::int64_t user_id, const std::string& new_password);
  // Drop cached sessions of a user (after disable, role change, password change).
  void forget_user(std::int64_t user_id);

  // For GET /auth/me, the most frequent authenticated read: the person and the
  // hall, each kept for a couple of seconds (forget_user drops the person at
  // once), so that the read needs no database round trip and runs on the I/O thread.
  std::optional<User> cached_user(std::int64_t user_id);
  json::value cached_hall();
  // The serialized GET /auth/me answer of one session (key: session and
  // transport), kept as briefly; forget_user drops it with the person.
  std::optional<std::string> cached_me(const std::string& key);
  void remember_me(const std::string& key, std::int64_t user_id, std::string body);
  // Drop the cached principal of a device (after its token is rotated or it is disabled).
  void forget_device(std::int64_t device_id);
  // Records that a device made a request (devices.last_seen_at, shown on the
  // admin's device list): written at most once a minute per device.
  void note_device_seen(std::int64_t device_id, std::int64_t now);

  LoginRateLimiter& limiter() { return limiter_; }

 private:
  struct Cached {
    Principal principal;
    std::int64_t expires_at;
    std::int64_t cached_at;
  };
  db::Database& db_;
  const Config& config_;
  LoginRateLimiter limiter_;
  // Wrong current passwords per (login, address): as for sign-in, 5, then back-off from 30 s to 15
  // min.
  AttemptLimiter password_changes_{5, 15 * 60 * 1000, 30 * 1000, 15 * 60 * 1000};
  std::shared_mutex cache_mu_;
  std::unordered_map<std::string, Cached> cache_;
  std::unordered_map<std::int64_t, std::pair<User, std::int64_t>> users_;  // user, cached_at
  struct MeBody {
    std::string body;
    std::int64_t user_id, cached_at;
  };
  std::unordered_map<std::string, MeBody> me_;
  std::mutex seen_mu_;
  std::unordered_map<std::int64_t, std::int64_t> seen_written_;  // device id → last write
  std::mutex hall_mu_;
  json::value hall_;
  std::int64_t hall_at_ = -1;
};

// 429 with the seconds to wait (routes send them as Retry-After: see auth/routes.hpp).
class TooManyAttempts : public ApiError {
 public:
  explicit TooManyAttempts(std::int64_t retry_after_seconds)
      : TooManyAttempts(retry_after_seconds, errors::sign_in_attempts) {}
  // what: what was tried too often (errors::sign_in_attempts, errors::wrong_current_passwords).
  TooManyAttempts(std::int64_t retry_after_seconds, const Text& what)
      : ApiError(errors::too_many_attempts.with("", what, retry_after_seconds)),
        retry_after(retry_after_seconds) {}
  // Milliseconds to wait → whole seconds, at least 1.
  static std::int64_t seconds(std::int64_t wait_ms) {
    return std::max<std::int64_t>(1, (wait_ms + 999) / 1000);
  }
  std::int64_t retry_after;
};

}  // namespace hall::auth
