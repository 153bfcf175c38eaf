// SQL for accounts and sessions.
#pragma once

#include <soci/soci.h>

#include <optional>
#include <string>
#include <vector>

#include "auth/model.hpp"
#include "auth/principal.hpp"

namespace hall::auth::store {

struct Credentials {
  std::int64_t id = 0;
  std::string login, name, role, password_hash;
  bool disabled = false;
  std::int64_t unit_id = 0;
};

std::optional<Credentials> find_credentials(soci::session& s, const std::string& login);
std::optional<User> find_user(soci::session& s, std::int64_t id);
std::optional<std::int64_t> find_user_id_by_login(soci::session& s, const std::string& login);
std::optional<std::int64_t> find_student_user(soci::session& s, const std::string& student_no_or_card);

// Inserts the user and its profile; returns the new id. Unique violations propagate.
std::int64_t insert_user(soci::session& s, const User& u, const std::string& password_hash);
void update_password(soci::session& s, std::int64_t user_id, const std::string& hash);

struct SessionRow {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  std::string csrf_token;
  std::int64_t expires_at = 0;
};
std::int64_t insert_session(soci::session& s, const std::string& token_digest, std::int64_t user_id,
                            const std::string& csrf, std::int64_t expires_at, const std::string& address,
                            const std::string& user_agent);
// The principal for a live (unrevoked, unexpired, enabled-user) session, or a device token.
std::optional<std::pair<Principal, std::int64_t>> principal_for_token(soci::session& s, const std::string& digest,
                                                                      std::int64_t now);
void revoke_session(soci::session& s, std::int64_t session_id);
// Revokes every session of the user except `keep` (0 = all); returns how many.
int revoke_user_sessions(soci::session& s, std::int64_t user_id, std::int64_t keep);

struct UserQuery {
  std::string text, role;
  int page = 1, page_size = 20;
};
json::object search_users(soci::session& s, const UserQuery& q);

// Halls and devices are org's tables, but org builds on auth (permissions, audit),
// not the reverse, so the two reads/writes sign-in needs of them are here.
struct FirstHall {
  std::int64_t id = 0;
  std::string name, name_en;
};
std::optional<FirstHall> first_hall(soci::session& s);  // the hall with the lowest id
void note_device_seen(soci::session& s, std::int64_t device_id,
                      std::int64_t at);  // never moves back

}  // namespace hall::auth::store
