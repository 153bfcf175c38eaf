// Passwords are stored only as Argon2id hashes (libsodium's crypto_pwhash_str,
// which records its own parameters, so stronger settings apply to new hashes
// without breaking old ones).
#pragma once

#include <string>
#include <string_view>

namespace hall::auth {

struct HashCost {
  unsigned long long ops = 2;
  std::size_t mem_bytes = 64u << 20;  // libsodium's "interactive" level
};
void set_hash_cost(HashCost cost);  // tests lower the memory cost; production keeps the default

std::string hash_password(std::string_view password);
bool verify_password(std::string_view password, const std::string& hash);

// Password policy: 8–128 characters, not only digits repeated, not the login.
// Throws errors::weak_password (field).
void check_password_policy(std::string_view password, std::string_view login, const std::string& field);

}  // namespace hall::auth
