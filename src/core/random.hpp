// Unguessable tokens and one-way digests (libsodium).
#pragma once

#include <string>
#include <string_view>

namespace hall {

// 256 random bits, URL-safe base64 without padding (43 characters).
std::string random_token();
// Hex SHA-256-class digest (BLAKE2b-256) of a token: what we store instead of the token.
std::string token_digest(std::string_view token);
// Constant-time comparison of equal-length secrets.
bool secrets_equal(std::string_view a, std::string_view b);
// Initialises libsodium once; called by every function above.
void ensure_sodium();

}  // namespace hall
