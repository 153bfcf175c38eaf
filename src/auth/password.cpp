#include "auth/password.hpp"

#include <sodium.h>

#include <stdexcept>

#include "auth/errors.hpp"
#include "core/error.hpp"
#include "core/json.hpp"
#include "core/random.hpp"

namespace hall::auth {

namespace {
HashCost g_cost;
}

void set_hash_cost(HashCost cost) { g_cost = cost; }

std::string hash_password(std::string_view password) {
  ensure_sodium();
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), g_cost.ops, g_cost.mem_bytes,
                            crypto_pwhash_ALG_ARGON2ID13) != 0)
    throw std::runtime_error("out of memory while hashing a password");
  return out;
}

bool verify_password(std::string_view password, const std::string& hash) {
  ensure_sodium();
  if (hash.rfind("$argon2id$", 0) != 0) return false;
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

void check_password_policy(std::string_view password, std::string_view login, const std::string& field) {
  std::size_t n = utf8_length(password);
  if (n < 8 || n > 128) throw errors::weak_password.with(field, errors::weak_length);
  if (password == login) throw errors::weak_password.with(field, errors::weak_same_as_login);
  if (password.find_first_not_of(password[0]) == std::string_view::npos)
    throw errors::weak_password.with(field, errors::weak_one_character);
}

}  // namespace hall::auth
