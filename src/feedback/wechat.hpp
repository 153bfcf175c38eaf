// The WeChat official-account message interface (公众号消息接口), server side:
// pure protocol functions, no I/O, tested against the samples published with
// the protocol's documentation.
//   - signature = hex SHA-1 of the lexicographically sorted concatenation of
//     token, timestamp, nonce (and, in safe mode, the Encrypt field);
//   - safe mode: AES-256-CBC, key = Base64Decode(EncodingAESKey + "="), IV = the
//     key's first 16 bytes, PKCS#7 padding to 32-byte blocks; plaintext =
//     16 random bytes + 4-byte big-endian length + message + app id.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hall::feedback::wechat {

std::string sha1_hex(std::string_view data);
// SHA-1 of the sorted concatenation of the parts.
std::string signature(std::vector<std::string> parts);

std::optional<std::string> base64_decode(std::string_view in);
std::string base64_encode(std::string_view in);

struct Decrypted {
  std::string message;
  std::string app_id;
};

class Crypt {
 public:
  // encoding_aes_key: 43 characters; throws std::invalid_argument otherwise.
  explicit Crypt(std::string_view encoding_aes_key);
  // nullopt when the text is not valid Base64, not a whole number of blocks,
  // badly padded, or its length field does not fit.
  std::optional<Decrypted> decrypt(std::string_view encrypt_b64) const;
  // random16: 16 bytes (tests pass fixed ones; empty = random).
  std::string encrypt(std::string_view message, std::string_view app_id, std::string random16 = {}) const;
  const std::string& key() const { return key_; }

 private:
  std::string key_;  // 32 bytes
};

// A received message's fields (ToUserName, FromUserName, CreateTime, MsgType,
// Content, Event, Encrypt, MsgId…); nullopt when the XML is malformed or has no <xml> root.
std::optional<std::map<std::string, std::string>> parse_xml(std::string_view xml);

// <xml> with the fields as CDATA (values never contain "]]>": it is split).
std::string text_reply(const std::string& to_user, const std::string& from_user, long long create_time,
                       const std::string& content);
std::string encrypted_reply(const std::string& encrypt, const std::string& msg_signature,
                            const std::string& timestamp, const std::string& nonce);

}  // namespace hall::feedback::wechat
