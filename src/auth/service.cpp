#include "auth/service.hpp"

#include <spdlog/spdlog.h>

#include "auth/audit.hpp"
#include "auth/errors.hpp"
#include "auth/password.hpp"
#include "auth/store.hpp"
#include "core/clock.hpp"
#include "core/random.hpp"

namespace hall::auth {

namespace {
constexpr std::int64_t kCacheTtlMs = 30 * 1000;
// Profile and hall data shown by GET /auth/me: edits by others show within this.
constexpr std::int64_t kShortTtlMs = 2 * 1000;
// How often a device's last_seen_at is written while it keeps making requests.
constexpr std::int64_t kDeviceSeenIntervalMs = 60 * 1000;
// Verifying against this hash when the login is unknown keeps the response
// time the same as for a wrong password, so logins cannot be probed by timing.
const std::string& dummy_hash() {
  static const std::string h = hash_password("not-a-real-password-0");
  return h;
}
}  // namespace

LoginResult AuthService::login(const std::string& login, const std::string& password, const Caller& caller,
                               const std::string& user_agent) {
  std::int64_t now = Clock::now();
  if (std::int64_t wait = limiter_.retry_after_ms(login, caller.address, now); wait > 0)
    throw TooManyAttempts(TooManyAttempts::seconds(wait));
  auto cred = db_.read([&](soci::session& s) { return store::find_credentials(s, login); });
  bool ok = cred ? verify_password(password, cred->password_hash) : (verify_password(password, dummy_hash()), false);
  if (!ok) {
    limiter_.record_failure(login, caller.address, now);
    db_.write([&](soci::session& s) {
      Caller anon = caller;
      anon.principal.login = login;
      audit(s, anon, "auth.login_failed", "user", cred ? std::to_string(cred->id) : "", nullptr);
    });
    throw errors::invalid_credentials();
  }
  if (cred->disabled) throw errors::account_disabled();
  limiter_.record_success(login, caller.address);
  LoginResult r;
  r.token = random_token();
  r.csrf_token = random_token();
  r.expires_at = now + static_cast<std::int64_t>(config_.session_hours) * 3600 * 1000;
  r.user = db_.write([&](soci::session& s) {
    store::insert_session(s, token_digest(r.token), cred->id, r.csrf_token, r.expires_at, caller.address, user_agent);
    Caller who = caller;
    who.principal.kind = PrincipalKind::user;
    who.principal.user_id = cred->id;
    who.principal.login = cred->login;
    who.principal.role = cred->role;
    audit(s, who, "auth.login", "user", std::to_string(cred->id));
    return *store::find_user(s, cred->id);
  });
  return r;
}

void AuthService::logout(const Caller& caller) {
  if (!caller.principal.is_user()) return;
  db_.write([&](soci::session& s) {
    store::revoke_session(s, caller.principal.session_id);
    audit(s, caller, "auth.logout", "user", std::to_string(caller.principal.user_id));
  });
  std::unique_lock lock(cache_mu_);
  for (auto it = cache_.begin(); it != cache_.end();)
    it = it->second.principal.session_id == caller.principal.session_id ? cache_.erase(it) : std::next(it);
  std::string key = "s" + std::to_string(caller.principal.session_id);
  me_.erase(key + "b");
  me_.erase(key + "c");
}

Principal AuthService::authenticate(const std::string& token, bool via_cookie) {
  if (token.size() < 20 || token.size() > 200) return {};
  std::string digest = token_digest(token);
  std::int64_t now = Clock::now();
  {
    std::shared_lock lock(cache_mu_);
    auto it = cache_.find(digest);
    if (it != cache_.end() && it->second.expires_at > now && it->second.cached_at + kCacheTtlMs > now) {
      Principal p = it->second.principal;
      p.via_cookie = via_cookie;
      lock.unlock();
      if (p.is_device()) note_device_seen(p.device_id, now);
      return p;
    }
  }
  auto found = db_.read([&](soci::session& s) { return store::principal_for_token(s, digest, now); });
  std::unique_lock lock(cache_mu_);
  if (!found) {
    cache_.erase(digest);
    return {};
  }
  if (cache_.size() > 200000) cache_.clear();
  cache_[digest] = Cached{found->first, found->second, now};
  Principal p = found->first;
  p.via_cookie = via_cookie;
  lock.unlock();
  if (p.is_device()) note_device_seen(p.device_id, now);
  return p;
}

void AuthService::forget_user(std::int64_t user_id) {
  std::unique_lock lock(cache_mu_);
  for (auto it = cache_.begin(); it != cache_.end();)
    it = it->second.principal.user_id == user_id ? cache_.erase(it) : std::next(it);
  users_.erase(user_id);
  for (auto it = me_.begin(); it != me_.end();) it = it->second.user_id == user_id ? me_.erase(it) : std::next(it);
}

std::optional<std::string> AuthService::cached_me(const std::string& key) {
  std::int64_t now = Clock::now();
  std::shared_lock lock(cache_mu_);
  auto it = me_.find(key);
  if (it == me_.end() || it->second.cached_at > now || now >= it->second.cached_at + kShortTtlMs) return std::nullopt;
  return it->second.body;
}

void AuthService::remember_me(const std::string& key, std::int64_t user_id, std::string body) {
  std::int64_t now = Clock::now();
  std::unique_lock lock(cache_mu_);
  if (me_.size() > 100000) me_.clear();
  me_[key] = MeBody{std::move(body), user_id, now};
}

std::optional<User> AuthService::cached_user(std::int64_t user_id) {
  std::int64_t now = Clock::now();
  {
    std::shared_lock lock(cache_mu_);
    auto it = users_.find(user_id);
    if (it != users_.end() && it->second.second <= now && now < it->second.second + kShortTtlMs) return it->second.first;
  }
  auto u = db_.read([&](soci::session& s) { return store::find_user(s, user_id); });
  std::unique_lock lock(cache_mu_);
  if (!u) {
    users_.erase(user_id);
    return std::nullopt;
  }
  if (users_.size() > 100000) users_.clear();
  users_[user_id] = {*u, now};
  return u;
}

json::value AuthService::cached_hall() {
  std::int64_t now = Clock::now();
  std::lock_guard lock(hall_mu_);
  if (hall_at_ >= 0 && hall_at_ <= now && now < hall_at_ + kShortTtlMs) return hall_;
  auto first = db_.read([](soci::session& s) { return store::first_hall(s); });
  if (!first)
    hall_ = json::object{
        {"id", nullptr}, {"name", config_.hall_name}, {"name_en", config_.hall_name_en}};
  else
    hall_ = json::object{{"id", first->id}, {"name", first->name}, {"name_en", first->name_en}};
  hall_at_ = now;
  return hall_;
}

void AuthService::note_device_seen(std::int64_t device_id, std::int64_t now) {
  {
    std::lock_guard lock(seen_mu_);
    auto& last = seen_written_[device_id];
    if (last != 0 && last <= now && now < last + kDeviceSeenIntervalMs) return;
    last = now;
  }
  try {
    db_.write([&](soci::session& s) { store::note_device_seen(s, device_id, now); });
  } catch (const std::exception& e) {
    // Only the "last seen" time is lost; the device's request itself goes on. Try again next time.
    spdlog::warn("could not record that device {} was seen: {}", device_id, e.what());
    std::lock_guard lock(seen_mu_);
    seen_written_.erase(device_id);
  }
}

void AuthService::forget_device(std::int64_t device_id) {
  std::unique_lock lock(cache_mu_);
  for (auto it = cache_.begin(); it != cache_.end();)
    it = it->second.principal.is_device() && it->second.principal.device_id == device_id ? cache_.erase(it)
                                                                                         : std::next(it);
}

void AuthService::change_password(const Caller& caller, const std::string& old_password,
                                  const std::string& new_password) {
  const Principal& p = caller.principal;
  if (!p.is_user()) throw forbidden();
  std::int64_t now = Clock::now();
  std::string key = p.login + '\n' + caller.address;
  if (std::int64_t wait = password_changes_.retry_after_ms(key, now); wait > 0) {
    std::int64_t secs = TooManyAttempts::seconds(wait);
    throw TooManyAttempts(secs, errors::wrong_current_passwords);
  }
  auto cred = db_.read([&](soci::session& s) { return store::find_credentials(s, p.login); });
  if (!cred || !verify_password(old_password, cred->password_hash)) {
    password_changes_.record_failure(key, now);
    throw errors::wrong_password("old_password");
  }
  password_changes_.clear(key);
  check_password_policy(new_password, p.login, "new_password");
  std::string hash = hash_password(new_password);
  db_.write([&](soci::session& s) {
    store::update_password(s, p.user_id, hash);
    int revoked = store::revoke_user_sessions(s, p.user_id, p.session_id);
    audit(s, caller, "auth.password_changed", "user", std::to_string(p.user_id),
          json::object{{"other_sessions_revoked", revoked}});
  });
  forget_user(p.user_id);
}

void AuthService::reset_password(const Caller& caller, std::int64_t user_id, const std::string& new_password) {
  auto user = db_.read([&](soci::session& s) { return store::find_user(s, user_id); });
  if (!user) throw errors::user_not_found();
  check_password_policy(new_password, user->login, "password");
  std::string hash = hash_password(new_password);
  db_.write([&](soci::session& s) {
    store::update_password(s, user_id, hash);
    int revoked = store::revoke_user_sessions(s, user_id, 0);
    audit(s, caller, "users.password_reset", "user", std::to_string(user_id), json::object{{"sessions_revoked", revoked}});
  });
  forget_user(user_id);
}

}  // namespace hall::auth
